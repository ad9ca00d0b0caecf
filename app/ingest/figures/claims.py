"""Who claims a figure, and how the report marks it as uncertain.

A figure's claimant is the speaker of the report that contains it: the subject of a
reporting verb ("the UN says ..."), the object of "according to", or the possessor of a
report noun ("the ministry's account described ..."). Reports run across sentences, so a
per-document pass keeps the last source: pronouns ("He told ...") and bare definite nouns
("the agency") resolve to it, and a sentence that continues the report ("A further 200
men have also ...", an agentless "It is being speculated that ...", a quote that goes on)
inherits it. The pass is cached in ``doc.user_data`` so attribution per figure stays cheap.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, replace
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from app.ingest.knowledge import rows
from app.ingest.text.doc_index import (
    children,
    ents,
    ents_within,
    install,
    is_ancestor_or_self,
    sentence_number,
    subtree,
)
from app.ingest.text.doc_text import text_of

_KEY = "frontwire_claims"
_ACRONYMS = "frontwire.acronyms"
_SEEN = "frontwire.seen_words"
_NAME_RUN = re.compile(r"\b[A-Z][a-z]+(?:\s+(?:of\s+|for\s+)?[A-Z][a-z]+)+")
_ACRONYM = re.compile(r"[A-Z]{3,6}")
_SUBJ = ("nsubj", "nsubjpass")
_CLAUSAL = ("ccomp", "xcomp", "parataxis", "advcl")
_CUT = {",", "(", "who", "which", "–", "—", ";", ":", "that"}
_ANTECEDENT_REACH = 300  # tokens: about two paragraphs back
_QUOTES = "\"“‘'"
# A sentence of prose holds a few reports ("X said ..., Y told ...") and hedges; machine-made
# or hostile text can hold thousands in one "sentence", and every figure in it was checked
# against all of them. Past these, later reporting verbs and hedge words of the sentence are
# not read (no fixture sentence comes near either).
MAX_REPORTS = 16
MAX_HEDGES = 16


@lru_cache(maxsize=1)
def _verbs() -> dict[str, dict[str, str]]:
    return {r["lemma"]: r for r in rows("figures/data/reporting_verbs.csv")}


@lru_cache(maxsize=1)
def _hedges() -> tuple[frozenset[str], tuple[str, ...]]:
    cues = rows("figures/data/hedge_cues.csv")
    lemmas = frozenset(r["cue"] for r in cues if r["match"] == "lemma")
    return lemmas, tuple(r["cue"] for r in cues if r["match"] == "phrase")


@lru_cache(maxsize=1)
def _sources() -> dict[str, str]:
    return {r["lemma"]: r["role"] for r in rows("figures/data/source_nouns.csv")}


@lru_cache(maxsize=1)
def _continuations() -> tuple[frozenset[str], tuple[str, ...]]:
    cues = [r["cue"] for r in rows("figures/data/continuation_cues.csv")]
    return frozenset(c for c in cues if " " not in c), tuple(c for c in cues if " " in c)


@dataclass(frozen=True)
class _Frame:
    """A report inside one sentence: who speaks, over which tokens, with which hedge."""

    claimant: str | None
    scope: frozenset[int]
    anchor: int
    hedge: str | None = None
    priority: int = 0
    speaker: frozenset[int] = frozenset()


@dataclass(frozen=True)
class _Sent:
    frames: tuple[_Frame, ...]
    carried: _Frame | None
    hedges: tuple[tuple[str, int], ...]  # (cue, token index; -1 for a phrase over the sentence)


def _np_text(tok: Token, keep_article: bool = False) -> str | None:
    """The speaker's noun phrase minus determiners, appositions and titles."""
    toks = subtree(tok)
    cut = [t for t in toks if t.i > tok.i and t.lower_ in _CUT]
    toks = [t for t in toks if not cut or t.i < cut[0].i]
    span = tok.doc[toks[0].i : toks[-1].i + 1]
    span_ents = ents_within(tok.doc, span.start, span.end)
    # "mayor of the Kani Masi subdistrict": a name modifying a noun is a place, not the speaker
    persons = [e for e in span_ents
               if e.label_ == "PERSON" and len(e) > 1 and e.root.dep_ != "compound"]
    if persons:
        return persons[-1].text
    orgs = [e for e in span_ents
            if e.label_ == "ORG" and e.end == span.end and e.start > span.start + 1]
    if orgs and span[orgs[-1].start - span.start - 1].pos_ == "NOUN":
        return orgs[-1].text
    words = [t for t in span if not (
        t.i == span.start and (t.lower_ == "the" and not keep_article or t.is_punct))]
    text = tok.doc[words[0].i : words[-1].i + 1].text if words else None
    return re.sub(r"[’']s$", "", text) if text else None


def _expand_acronym(doc: Doc, name: str) -> str:
    """ "IDF" -> "Israel Defense Forces" when the article spells it out (3+ letters only:
    two-letter ones such as UN are house style in their own right)."""
    if not _ACRONYM.fullmatch(name):
        return name
    return _acronyms(doc).get(name, name)


def _acronyms(doc: Doc) -> dict[str, str]:
    """Every acronym (3 to 6 letters) the article's capitalised name runs spell, with the
    first run (and its longest tail) that spells it: read once per document rather than
    once per speaker."""
    found: dict[str, str] | None = doc.user_data.get(_ACRONYMS)
    if found is not None:
        return found
    found = doc.user_data[_ACRONYMS] = {}
    for m in _NAME_RUN.finditer(text_of(doc)):
        words = m.group(0).split()
        tails: list[tuple[int, str]] = []
        letters = words[-1][0] if words[-1][0].isupper() else ""
        for k in range(len(words) - 2, -1, -1):  # tails from the shortest; 7+ letters never match
            letters = (words[k][0] if words[k][0].isupper() else "") + letters
            if len(letters) > 6:
                break
            tails.append((k, letters))
        for k, acronym in sorted(tails):
            found.setdefault(acronym, " ".join(words[k:]))
    return found


def _subject(verb: Token) -> tuple[Token | None, Token]:
    """The verb's subject and the verb that owns it: for "saying"/"and said", the verb they hang on.

    Of several subjects the one nearest before the verb wins ("Israel's emergency service
    Magen David Adom said" parses as two); a participle's subject after it is a misparse.
    """
    tok, step = verb, ""
    for _ in range(5):
        own = tok is verb or step in ("advcl", "xcomp") or tok.lemma_.lower() in _verbs()
        subjects = [c for c in children(tok) if c.dep_ in _SUBJ] if own else []
        before = [c for c in subjects if c.i < tok.i]
        after = [c for c in subjects if c.i > tok.i and tok.tag_ != "VBG"]
        if before or after:
            return (before[-1] if before else after[0]), tok
        if (tok is verb and (verb.i > verb.head.i or verb.dep_ == "ROOT")
                and _postposed(verb) is not None):
            return _postposed(verb), verb
        if tok.dep_ not in ("advcl", "conj", "xcomp", "ccomp") or tok.head.i == tok.i:
            return None, verb
        tok, step = tok.head, tok.dep_
    return None, verb


def _postposed(verb: Token) -> Token | None:
    """ "..., the mayor of the district said": a speaker between a comma and a final reporting
    verb that the parser hung on the clause before (as an apposition or attribute)."""
    doc = verb.doc
    end = verb.i - 1
    if end < 1 or verb.lemma_.lower() not in _verbs():
        return None
    start = verb.sent.start if verb.head.i == verb.i else verb.head.i + 1
    for tok in doc[start : end + 1]:
        if (tok.pos_ in ("NOUN", "PROPN") and tok.right_edge.i == end and tok.left_edge.i > 0
                and doc[tok.left_edge.i - 1].text == ","):
            return tok
    return None


def _apposed(subj: Token, verb: Token) -> str | None:
    """ "The AA's spokesman, Khaing Thukha, said"; "One, a 52-year-old farmer who ..., said":
    the named person, or the description of a pronoun-like subject, set off by commas."""
    doc = subj.doc
    lo, hi = (subj.i, verb.i) if subj.i < verb.i else (subj.i, subj.right_edge.i + 1)
    inside = ents_within(doc, lo, hi)
    for ent in inside:
        lead = doc[lo + 1 : ent.start]
        if (ent.label_ == "PERSON" and len(lead) and lead[0].text == ","
                and all(t.pos_ == "PROPN" or t.text == "," for t in lead)):
            return ent.text
    for ent in inside:
        # "the police spokesman for Nangarhar province, Sayed Tayeb Hamdard, said";
        # "the UN's humanitarian office, OCHA, said": the name set off by commas wins
        closed = ent.end == hi or ent.end < len(doc) and doc[ent.end].text == ","
        if (ent.label_ in ("PERSON", "ORG") and ent.start > lo
                and doc[ent.start - 1].text == "," and closed):
            return ent.text
    appos = next((c for c in children(subj) if c.dep_ == "appos" and c.pos_ == "NOUN"), None)
    # "Another source, a local official, said"
    generic = _sources().get(subj.lemma_.lower()) == "generic"
    if appos is not None and (subj.pos_ in ("NUM", "PRON") or subj.like_num or generic):
        return _np_text(appos, keep_article=True)
    return None


def _antecedent(subj: Token, last: _Frame | None) -> str | None:
    """A bare definite noun ("the agency", "the group") refers back: to the last source when
    that source's name contains the noun ("the agency" -> "Gaza civil defence agency"); a
    collective noun ("the group") to the nearest organisation named before it; another noun
    to the last source unless the article used that noun before for a body of its own
    ("the health ministry", "the army"), which then speaks for itself."""
    lemma = subj.lemma_.lower()
    if last is not None and last.claimant and lemma in last.claimant.lower().split():
        return last.claimant
    doc = subj.doc
    if _sources().get(lemma) != "collective":
        words = doc[subj.left_edge.i + 1 : subj.i + 1].text.lower()
        seen = _used_before(doc, words, subj.sent.start)
        return None if seen or last is None else last.claimant  # "the health ministry" named before
    org = _org_before(doc, subj.i)
    if org is not None:
        return org.text
    return last.claimant if last is not None else None


def _used_before(doc: Doc, words: str, before: int) -> bool:
    """Do ``words`` occur (as whole words, any case) in the text before token ``before``?

    The first occurrence of each phrase in the whole text is found once per document, so a
    long article with many anaphoric speakers is not searched again from its start for each.
    """
    text = text_of(doc)
    end = doc[before - 1].idx + len(doc[before - 1].text) if before > 0 else 0
    lowered = doc.user_data.get(_SEEN + ".text")
    if lowered is None:
        lowered = doc.user_data[_SEEN + ".text"] = text.lower()
    pattern = re.compile(rf"\b{re.escape(words)}\b")
    if len(lowered) != len(text):  # a case mapping that changes lengths: offsets differ
        return bool(pattern.search(doc[:before].text.lower()))
    firsts = doc.user_data.setdefault(_SEEN, {})
    if words not in firsts:
        first = pattern.search(lowered)
        firsts[words] = first.end() if first else None
    first_end = firsts[words]
    if first_end is not None and first_end < end:
        return True  # the same words, followed by the same character, earlier in the text
    # only a match ending right at the cut remains (a word boundary there is the text's end)
    return bool(pattern.search(lowered, max(0, end - len(words) - 1), end))


def _org_before(doc: Doc, i: int) -> Span | None:
    """The last organisation entity ending at most _ANTECEDENT_REACH tokens before token i."""
    spans = ents(doc)
    k = _last_ending_by(spans, i)
    while k > 0 and i - spans[k - 1].end < _ANTECEDENT_REACH:
        k -= 1
        if spans[k].label_ == "ORG":
            return spans[k]
    return None


def _last_ending_by(spans: tuple[Span, ...], i: int) -> int:
    """How many entities end at or before token i (they are sorted and never overlap)."""
    lo, hi = 0, len(spans)
    while lo < hi:
        mid = (lo + hi) // 2
        if spans[mid].end <= i:
            lo = mid + 1
        else:
            hi = mid
    return lo


def _speaker(subj: Token, last: _Frame | None, sent: Span, verb: Token | None = None) -> str | None:
    """Resolve a subject to a claimant: report owners, pronouns, generic and anaphoric nouns."""
    if subj.lower_ in ("which", "who", "that") and subj.head.dep_ == "relcl":
        subj = subj.head.head  # "the group, which says ...": the noun the clause hangs on
    apposed = _apposed(subj, verb) if verb is not None else None
    if apposed:
        return apposed
    role = _sources().get(subj.lemma_.lower())
    if role == "report":
        poss = next((c for c in children(subj) if c.dep_ == "poss"), None)
        if poss is None and all(t.i == subj.i or t.pos_ in ("DET", "ADJ") for t in subtree(subj)):
            return None  # "according to preliminary estimates": a report with no owner names no one
        return _np_text(poss) if poss is not None else _np_text(subj)
    if role == "pronoun":
        owner = next((t for t in sent if t.dep_ == "poss"
                      and _sources().get(t.head.lemma_.lower()) == "report" and t.i < subj.i),
                     None)
        if owner is not None:
            return _np_text(owner)
        return last.claimant if last else None
    if role == "generic" and not any(
            c.dep_ in ("compound", "amod", "nmod") for c in children(subj)):
        return None
    det = next((c for c in children(subj) if c.dep_ == "det"), None)
    sub = subtree(subj)
    sub = sub[: next((k for k, t in enumerate(sub) if t.i > subj.i and t.lower_ in _CUT), len(sub))]
    named = any(t.pos_ == "PROPN" or t.ent_type_ for t in sub)
    # "..., Israel said. ... the local governor said": a described official is not a state's metonym
    metonym = last is not None and bool(last.claimant) and " " not in (last.claimant or "")
    described = metonym and any(c.dep_ == "amod" for c in children(subj))
    anaphor = (det is not None and det.lower_ == "the" and not named and len(sub) <= 3
               and not described)
    resolved = _antecedent(subj, last) if anaphor else None
    return resolved or _np_text(subj)


def _clause_side(scope: set[int], verb: Token) -> set[int]:
    """Only the verb's side of a semicolon: "; some of them appealed, saying ..." reports
    nothing about the clause before the semicolon."""
    doc = verb.doc
    semis = [i for i in scope if doc[i].text == ";"]
    lo = max((i for i in semis if i < verb.i), default=-1)
    hi = min((i for i in semis if i > verb.i), default=len(doc))
    return {i for i in scope if lo < i < hi}


def _verb_frame(verb: Token, last: _Frame | None, sent: Span) -> _Frame | None:
    row = _verbs().get(verb.lemma_.lower())
    if row is None or verb.pos_ not in ("VERB", "AUX") or verb.dep_ == "amod":
        return None  # "an estimated 10 gunmen": a modifier hedges the number, reports nothing
    subj, owner = _subject(verb)
    if subj is not None and _described(subj, verb):
        return None
    skip = {t.i for t in subtree(subj)} if subj is not None else set()
    if row["content"] == "venue":
        pobj = [g for c in children(verb) if c.lower_ in ("on", "in")
                for g in children(c) if g.dep_ == "pobj"]
        return _Frame(_np_text(pobj[0]), frozenset(), verb.i, "rumour", 1) if pobj else None
    clausal = any(c.dep_ in _CLAUSAL for c in children(verb))
    late = (verb.dep_ in ("advcl", "conj") and subj is not None and subj.head.i != verb.i
            and subj.right_edge.i >= verb.i - 2)  # "..., OCHA, said"
    posted = ((verb.dep_ in ("parataxis", "ccomp") or late) and verb.i > verb.head.i
              and subj is not None)
    if row["content"] == "clause" and not clausal and not posted:
        return None
    root = verb.head if posted else owner
    scope = _clause_side({t.i for t in subtree(root)} - skip, verb)
    who = _speaker(subj, last, sent, owner) if subj is not None else None
    passive = (subj is not None and subj.dep_ == "nsubjpass"
               and _sources().get(subj.lower_) != "pronoun")
    if subj is None and verb.tag_ == "VBN" or passive:
        who, skip = None, set()  # agentless passive: "it is being speculated", "troops are said to"
    hedge = verb.text if row["hedge"] == "1" else None
    # "a bulk carrier reported being hit ..., the UKMTO said": a ship's report yields to its relayer
    rank = 0 if subj is not None and _sources().get(subj.lemma_.lower()) == "vessel" else 1
    return _Frame(who, frozenset(scope), verb.i, hedge, rank, frozenset(skip))


def is_speaker(tok: Token) -> bool:
    """Is this noun the subject of a reporting verb ("Two military sources say ...")?"""
    verb = tok.head
    if tok.dep_ != "nsubj" or verb.lemma_.lower() not in _verbs() or tok.i >= verb.i:
        return False
    nearer = any(c.dep_ in _SUBJ and tok.i < c.i < verb.i for c in children(verb))  # a misparse
    return not nearer and not _described(tok, verb)


def _described(subj: Token, verb: Token) -> bool:
    """ "ten gunmen, believed to be ...": a participle describing the noun reports nothing."""
    if subj.like_num and any(c.lower_ == "of" and any(g.pos_ == "PRON" for g in children(c))
                             for c in children(subj)):
        return True  # "at least two of them believed to be ...": the figure's own description
    if verb.i != subj.i + 2 or subj.doc[subj.i + 1].text != ",":
        return False
    return any(c.dep_ == "xcomp" for c in children(verb))


def _according(sent: Span, last: _Frame | None) -> list[_Frame]:
    """ "according to X": X speaks for the whole sentence (the parser often hangs the phrase
    on whichever verb is nearest, so its attachment says little)."""
    frames: list[_Frame] = []
    for tok in sent:
        if len(frames) == MAX_REPORTS:
            break
        if (tok.lower_ == "according" and tok.i + 1 < len(tok.doc)
                and tok.doc[tok.i + 1].lower_ == "to"):
            pobj = next((c for c in children(tok.doc[tok.i + 1]) if c.dep_ == "pobj"), None)
            if pobj is not None:
                scope = frozenset(range(sent.start, sent.end))
                frames.append(_Frame(_speaker(pobj, last, sent), scope, tok.i, None, 2))
    return frames


def _sentence_hedges(sent: Span) -> tuple[tuple[str, int], ...]:
    """Hedge cues in the sentence: phrases hold for all of it, words only where they govern."""
    lemmas, phrases = _hedges()
    low = sent.text.lower()
    found = [(phrase, -1) for phrase in phrases if phrase in low]
    words = (t for t in sent if t.lemma_.lower() in lemmas or t.lower_ in lemmas)
    found += [(t.text, t.i) for t in itertools.islice(words, MAX_HEDGES)]
    return tuple(found)


def _governs(cue: Token, tokens: set[int]) -> bool:
    """Does a hedge word bear on the figure? A modal only on its own clause ("the toll could
    rise" leaves "80 people were killed" alone); a word right before another number is that
    number's own ("an estimated 600,000")."""
    doc = cue.doc
    if cue.i + 1 < len(doc) and doc[cue.i + 1].like_num and cue.i + 1 not in tokens:
        return False
    if cue.pos_ == "VERB" and not _above(doc, cue.i, tokens) and cue.dep_ == "conj":
        return False  # "said it hit three bases and claimed that 90% ...": the claim's own clause
    if cue.tag_ != "MD":
        return True
    return _above(doc, cue.head.i, tokens)


def _above(doc: Doc, i: int, tokens: set[int]) -> bool:
    """Is token i one of ``tokens`` or above one of them in the parse?"""
    return any(is_ancestor_or_self(doc, i, t) for t in tokens)


def _continues(sent: Span) -> bool:
    """Does this sentence carry on the previous report rather than start a new statement?"""
    words, phrases = _continuations()
    lemmas = _hedges()[0]
    if any(t.pos_ == "ADV" and t.lower_ in lemmas for t in sent):
        return False  # "Reportedly, ..." marks its own, unnamed source
    text = sent.text.strip().lower()
    if text[:1] in _QUOTES or any(text.startswith(p) for p in phrases):
        return True
    if len(sent) > 1 and sent[0].lower_ == "the" and sent[1].like_num:
        return True
    return any(t.lower_ in words for t in sent[:8])


def _expanded(doc: Doc, frame: _Frame) -> _Frame:
    if not frame.claimant:
        return frame
    return replace(frame, claimant=_expand_acronym(doc, frame.claimant))


def _sentence_frames(sent: Span, recent: _Frame | None) -> list[_Frame]:
    """The sentence's verb frames in order: a pronoun speaker ("the office said it had
    recorded ...") refers to the speaker just named in the same sentence, not the last one."""
    frames: list[_Frame] = []
    verbs = (t for t in sent if t.lemma_.lower() in _verbs())  # _verb_frame reads no other
    for tok in itertools.islice(verbs, MAX_REPORTS):
        near = next((f for f in reversed(frames) if f.claimant), recent)
        frame = _verb_frame(tok, near, sent)
        if frame is not None:
            frames.append(frame)
    return frames


def _analyse(doc: Doc) -> list[_Sent]:
    """One pass over the sentences, in order, keeping the last source for carry-over."""
    cached: list[_Sent] | None = doc.user_data.get(_KEY)
    if cached is not None:
        return cached
    out: list[_Sent] = []
    last: _Frame | None = None
    age = 99
    for sent in doc.sents:
        recent = last if age <= 4 else None
        frames = _sentence_frames(sent, recent)
        frames = [_expanded(doc, f) for f in frames + _according(sent, recent)]
        carried = last if not frames and age == 1 and _continues(sent) else None
        out.append(_Sent(tuple(frames), carried, _sentence_hedges(sent)))
        if frames:
            last, age = next((f for f in reversed(frames) if f.claimant), frames[-1]), 1
        elif carried is not None:
            age = 1
        else:
            age += 1
    doc.user_data[_KEY] = out
    return out


def _pick(doc: Doc, sent: _Sent, tokens: set[int]) -> _Frame | None:
    """The report holding the figure: the verb it is the object of ("the UN recorded dozens of
    strikes"), else the strongest and narrowest; a figure in the speaker's own description
    ("said Adam Yahya, a teacher who lost two neighbours") is the speaker's; else the carry-over."""
    holding = [f for f in sent.frames if f.scope & tokens]
    direct = [f for f in holding
              if any(doc[i].head.i == f.anchor and doc[i].dep_ == "dobj" for i in tokens)]
    if direct:
        return direct[0]
    if holding:
        return min(holding, key=lambda f: (-f.priority, len(f.scope)))
    own = [f for f in sent.frames if f.speaker & tokens and f.claimant]
    return own[0] if own else sent.carried


def attribute(doc: Doc, fig_start: int, fig_end: int) -> tuple[str | None, bool, str | None]:
    """(claimant, hedged, hedge cue) for the figure at chars [fig_start, fig_end).

    The hedge here is the report's (reportedly, claimed, could ...); bound cues such as
    "up to" and vague quantities are the figure parser's and are combined by the caller.
    """
    span = doc.char_span(fig_start, fig_end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None, False, None
    install(doc)
    info = _analyse(doc)[sentence_number(doc, span.start)]
    tokens = set(range(span.start, span.end))
    frame = _pick(doc, info, tokens)
    own = next((cue for cue, at in info.hedges if at < 0 or _governs(doc[at], tokens)), None)
    hedge = own if own is not None else (frame.hedge if frame is not None else None)
    if hedge is None and frame is not None and frame is info.carried:
        hedge = frame.hedge
    return (frame.claimant if frame else None), hedge is not None, hedge
