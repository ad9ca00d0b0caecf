"""Candidate actor mentions that do not come from the dictionary.

spaCy's PERSON and ORG entities (titles stripped, junk organisations dropped), names glossed as
outlets ("Shot, a pro-Kremlin Telegram channel"), and acronyms an article defines for itself
("Siberian Battalion (SB)"). Split from ``actors.py`` to keep each module small; the rules for
what counts as junk are cue lists in ``data/actor_cues.csv``.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Collection
from dataclasses import dataclass
from itertools import pairwise

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan
from spacy.util import filter_spans

from app.ingest.actors import syntax as syn
from app.ingest.text.doc_index import children
from app.vocabulary.actors import ActorRow, norm

# The longest organisation names run to about ten words ("United Nations Office for the
# Coordination of Humanitarian Affairs"); name runs are not followed past this many tokens,
# since walking a hostile run ("Army of Army of ...") from each of its words was quadratic.
MAX_NAME_TOKENS = 24


@dataclass(frozen=True)
class Cand:
    """A candidate mention before the usage filter: span, actor, and how it was named."""

    span: SpacySpan
    row: ActorRow
    form: str  # name|demonym|plural|capital|entity|body


def tokens(cands: list[Cand]) -> set[int]:
    return {i for c in cands for i in range(c.span.start, c.span.end)}


def defined_acronyms(doc: Doc, cands: list[Cand], known: Collection[str]) -> list[Cand]:
    """'Siberian Battalion (SB)': the article defines SB; later bare 'SB' is the same actor."""
    taken, extra = tokens(cands), []
    by_text: dict[str, list[Token]] | None = None
    defined: set[tuple[str, ActorRow, str]] = set()  # a repeated definition adds no new uses
    for cand in cands:
        j = cand.span.end
        if j + 2 < len(doc) and doc[j].text == "(" and doc[j + 2].text == ")":
            abbr = doc[j + 1].text
            if (abbr, cand.row, cand.form) in defined:
                continue
            defined.add((abbr, cand.row, cand.form))
            if abbr.isupper() and len(abbr) >= 2 and abbr not in known:
                by_text = by_text if by_text is not None else _tokens_by_text(doc)
                extra += [Cand(doc[t.i:t.i + 1], cand.row, cand.form) for t in by_text.get(abbr, ())
                          if t.i not in taken]
    return extra


def _tokens_by_text(doc: Doc) -> dict[str, list[Token]]:
    """Every token under its text, in order: an acronym's uses, found without a pass over the
    document per definition."""
    found: dict[str, list[Token]] = {}
    for t in doc:
        found.setdefault(t.text, []).append(t)
    return found


def entity_cands(doc: Doc, taken: set[int]) -> list[Cand]:
    """People and organisations the dictionary does not know, from spaCy's NER."""
    out = []
    for ent in doc.ents:
        if any(t.i in taken for t in ent):
            continue
        if ent.label_ == "PERSON":
            name = syn.strip_titles(ent)
            if name is not None:
                name = _person_tail(name, taken)
                out.append(Cand(name, ActorRow(name.text.rstrip("."), "person", None, True),
                                "entity"))
        elif ent.label_ == "ORG" and org_ok(ent := _widen(ent, taken)):
            span = ent[1:] if ent[0].lower_ == "the" else ent
            out.append(Cand(span, ActorRow(span.text, "organization", None, True), "entity"))
    return out


def _person_tail(name: SpacySpan, taken: set[int]) -> SpacySpan:
    """'leader Hun Sen. Thailand's court...': a sentence-final name part with its full stop
    is one token read as an abbreviation ('Sen.'), so NER stops before it; it is the name's."""
    doc, j = name.doc, name.end
    if j >= len(doc) or j in taken or "\n" in name[-1].whitespace_:
        return name
    nxt = doc[j]
    last = j + 1 >= len(doc) or doc[j + 1].is_space or doc[j + 1].text[:1].isupper()
    if nxt.text.endswith(".") and nxt.text[:1].isupper() and nxt.text[1:-1].islower() \
            and len(nxt.text) >= 3 and last:
        return doc[name.start:j + 1]
    return name


def _widen(ent: SpacySpan, taken: set[int]) -> SpacySpan:
    """'The Collectif Justice pour Barsalogho': NER caught only the last word of a foreign name."""
    doc, words = ent.doc, syn.cues()["function_word"]
    start = ent.start

    def namelike(t: Token) -> bool:
        return t.i not in taken and not t.ent_type_ and "\n" not in t.whitespace_ and (
            t.text[:1].isupper() or t.lower_ in words)

    while start > 0 and namelike(doc[start - 1]) and doc[start - 1].lower_ != "the" \
            and ent.start - start < MAX_NAME_TOKENS:
        start -= 1
    while start < ent.start and doc[start].lower_ in words:
        start += 1
    return extend_right(doc[start:ent.end], taken)


def org_ok(ent: SpacySpan) -> bool:
    """Drop ORG junk: undefined acronyms, page furniture, platforms, facilities, sub-units."""
    c, text = syn.cues(), ent.text
    if text.isupper() or any(ch.isdigit() for ch in text) or "\n" in text:
        return False
    if norm(text) in c["org_stop"] or ent[-1].lower_ in c["facility_word"] or numbered_unit(ent):
        return False
    if facility_or_sport(ent):
        return False
    if any(ch.dep_ == "poss" and ch.lower_ in c["anaphor"] for ch in children(ent.root)):
        return False
    words = [t for t in ent if t.is_alpha and t.lower_ not in c["function_word"]]
    if not words or any(not t.text[0].isupper() or _glued(t.text) for t in words):
        return False
    if all(t.lower_ in c["org_word"] | c["title"] for t in words):
        return False
    described = any(ch.dep_ == "appos" and ch.lemma_.lower() in c["org_descriptor"]
                    for t in ent for ch in children(t))
    return described or any(t.lower_ in c["org_word"] for t in words)


def facility_or_sport(ent: SpacySpan) -> bool:
    """'the Federal Medical Centre' is where the wounded went; 'a Pakistan Super League
    match' is sport. Neither is a party to a conflict ('Arab League' is: League alone is no cue)."""
    c = syn.cues()
    if " ".join(t.lower_ for t in ent[-2:]) in c["facility_phrase"]:
        return True
    after = ent.doc[ent.end] if ent.end < len(ent.doc) else None
    return any(t.lower_ in c["sport_word"] for t in ent) or (
        after is not None and after.lower_ in c["sport_word"])


def extend_right(span: SpacySpan, taken: set[int]) -> SpacySpan:
    """'Pakistan Institute' + 'for Conflict and Security Studies': NER and name runs stop at
    the first lower-case word, but an organisation's name goes on through of/for/on + names."""
    doc, end, c = span.doc, span.end, syn.cues()
    if span[-1].lower_ not in c["org_word"] or span[-1].lower_ in c["unit_word"]:
        return span  # '14th Regiment of Unmanned Aerial Vehicles' stays a unit designation
    while end + 1 < len(doc) and doc[end].lower_ in {"for", "of", "on"} \
            and "\n" not in doc[end - 1].whitespace_ and end - span.start < MAX_NAME_TOKENS:
        stop = end + 1
        while stop < len(doc) and stop not in taken and "\n" not in doc[stop - 1].whitespace_ \
                and stop - span.start < MAX_NAME_TOKENS \
                and (doc[stop].is_title or (doc[stop].lower_ in {"and", "&", "the"}
                                            and stop + 1 < len(doc) and doc[stop + 1].is_title)):
            stop += 1
        if stop == end + 1 or doc[stop - 1].ent_type_ in {"DATE", "CARDINAL"}:
            break
        end = stop
    return doc[span.start:_regional_branch(doc, end, taken)]


def _regional_branch(doc: Doc, end: int, taken: set[int]) -> int:
    """'Rights Watch' + 'Africa': an organisation's regional branch names its continent or
    region right after the name (NER tags it LOC); countries (GPE) there are a location."""
    if end >= len(doc) or end in taken or "\n" in doc[end - 1].whitespace_:
        return end
    tok = doc[end]
    if tok.ent_type_ != "LOC" or tok.ent_iob_ != "B" or not tok.is_title:
        return end
    stop = end + 1
    while stop < len(doc) and doc[stop].ent_iob_ == "I" and stop not in taken:
        stop += 1
    return stop


def numbered_unit(span: SpacySpan) -> bool:
    """'Light Infantry Battalion 377', '6th Infantry Division': a designation inside a state's
    forces (the state is named elsewhere), never an organisation of its own."""
    doc = span.doc
    if span[-1].lower_ not in syn.cues()["unit_word"]:
        return False
    before = doc[span.start - 1] if span.start > 0 else None
    after = doc[span.end] if span.end < len(doc) else None
    return bool((after is not None and after.like_num) or (before is not None and _ordinal(before))
                or _ordinal(span[0]))


def _ordinal(tok: Token) -> bool:
    return bool(re.fullmatch(r"\d+(st|nd|rd|th)?", tok.lower_))


def _glued(word: str) -> bool:
    """'ShamsIsraeli': a caption glued to the next sentence by the scraper."""
    return any(a.islower() and b.isupper() for a, b in pairwise(word[1:]))


def appos_described(doc: Doc, taken: set[int]) -> list[Cand]:
    """'Shot, a pro-Kremlin Telegram channel, claimed', 'The Collectif ..., a group set up by':
    a name the article itself glosses as an outlet or an organisation."""
    c, out = syn.cues(), []
    for tok in doc:
        if tok.i in taken or not tok.text[:1].isupper() or tok.text.isupper() and len(tok) > 5:
            continue
        glosses = {a.lemma_.lower() for a in children(tok) if a.dep_ == "appos"}
        kind = "media" if glosses & c["media_head"] else None
        kind = kind or ("armed_group" if glosses & c["armed_noun"] else None)
        kind = kind or ("organization" if glosses & c["org_descriptor"] else None)
        kind = kind or ("person" if glosses & c["person_gloss"] else None)
        span = proper_name(_name_run(doc, tok.i, taken)) if kind else None
        if span is not None and kind is not None and (kind != "person" or _plain_name(span)):
            out.append(Cand(span, ActorRow(span.text, kind, None, True), "entity"))
    return out


def _plain_name(span: SpacySpan) -> bool:
    """'Bello Garba, a local official' (NER said ORG): two or more name words, none a
    place, nationality or organisation word, none the sentence's first word alone."""
    c = syn.cues()
    return len(span) >= 2 and all(
        t.is_title and t.ent_type_ not in {"GPE", "LOC", "NORP", "FAC"}
        and t.lower_ not in c["org_word"] | c["title"] for t in span)


def _name_run(doc: Doc, last: int, taken: set[int]) -> SpacySpan:
    """The capitalised run ending at ``last`` ('Collectif Justice pour Barsalogho')."""
    words, start = syn.cues()["function_word"], last
    while start > 0 and last - start < MAX_NAME_TOKENS:
        prev = doc[start - 1]
        if prev.i in taken or prev.lower_ == "the" or "\n" in prev.whitespace_:
            break
        if _ordinal(prev) and start == last:
            start -= 1  # '33rd Front, a dissident faction'
            break
        if not (prev.text[:1].isupper() or prev.lower_ in words) or not prev.is_alpha:
            break
        start -= 1
    while start < last and doc[start].lower_ in words:
        start += 1
    return doc[start:last + 1]


def propn_orgs(doc: Doc, taken: set[int]) -> list[Cand]:
    """'The Sudan Doctors Network said': a capitalised name ending in an organisation word,
    found whatever NER made of its parts. State bodies ('Israeli Air Force') stay the state."""
    c, out = syn.cues(), []
    for tok in doc:
        if tok.i in taken or tok.lower_ not in c["org_word"] or not tok.is_title:
            continue
        if tok.i + 1 < len(doc) and doc[tok.i + 1].is_title and "\n" not in tok.whitespace_:
            continue  # the name goes on: 'Maritime' in 'UK Maritime Trade Operations
        span = extend_right(_name_run(doc, tok.i, set()), taken)
        if len(span) < 2 or not org_ok(span):
            continue
        if any(t.i in taken for t in span) and tok.lower_ in c["state_body"]:
            continue
        if all(t.lower_ in c["org_word"] | c["title"] | c["function_word"] for t in span):
            continue
        out.append(Cand(span, ActorRow(span.text, "organization", None, True), "entity"))
    return out


def without_overlaps(cands: list[Cand]) -> list[Cand]:
    """Longest candidate wins where NER entities and name runs overlap."""
    keep = {id(sp): c for c in cands for sp in [c.span]}
    spans = filter_spans([c.span for c in cands])
    return [keep[id(sp)] for sp in spans]


def yield_to_orgs(doc: Doc, cands: list[Cand]) -> list[Cand]:
    """'Sudan Doctors Network' is an organisation, not Sudan; 'Israeli Air Force' stays Israel."""
    body = syn.cues()["state_body"]
    states = sorted((c for c in cands if c.row.kind == "state" and c.form != "capital"),
                    key=lambda c: c.span.start)
    starts = [c.span.start for c in states]
    inside: set[int] = set()
    for ent in doc.ents:
        if ent.label_ != "ORG" or ent[-1].lower_ in body or not org_ok(ent):
            continue
        first, last = bisect.bisect_left(starts, ent.start), bisect.bisect_left(starts, ent.end)
        inside |= {id(c) for c in states[first:last] if c.span.end < ent.end}
    return [c for c in cands if id(c) not in inside]



def proper_name(span: SpacySpan) -> SpacySpan | None:
    """A real name: some capitalised word that is not just the sentence's first word."""
    caps = [t for t in span if t.text[:1].isupper()]
    if not caps or all(t.like_num for t in span) or span[-1].like_num:
        return None
    if len(span) == 1 and span[0].is_sent_start and span[0].pos_ != "PROPN":
        return None
    if all(t.lower_ in syn.cues()["title"] | syn.cues()["media_owner"] for t in caps):
        return None
    return span
