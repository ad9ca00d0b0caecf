"""What a figure is about: this occurrence, a running toll, a part of a total, or context.

Sums and stats count only ``event`` figures, so a war's toll mislabelled as an event figure
would inflate every dashboard; the rules therefore read the figure's own clause (the words
governed by the same verb, not a neighbouring clause of the sentence):
- ``context``: populations ("a town of 20,000 people", "home to 300,000"), distances between
  places ("10 km from the border"), a weapon's range or weight;
- ``breakdown``: "including 12 children", "four of them", "among the dead were ...", after a
  total stated before it in the sentence or the one before;
- ``cumulative``: "since 2011", "since the war began", "so far this year", "in the past three
  weeks", "the war has killed", "the death toll in the conflict";
- ``event`` otherwise.
Cue words live in ``events/data/scope_cues.csv``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache

from spacy.tokens import Doc, Token

from app.ingest.knowledge import rows
from app.ingest.text.doc_index import children, install, sentence_number, sentence_of, subtree
from app.ingest.types import FigureMention

_DISTANCE_UNITS = {"km", "mile"}
_CLAUSE = "frontwire.scope_clause"
_CLAUSE_TOKENS = "frontwire.scope_clause_tokens"
_CUMULATIVE = "frontwire.scope_cumulative"
_WAR_SUBJECT = {"war", "conflict", "insurgency", "genocide", "occupation"}
_LIST_DASH = {"–", "—", ":", "-"}
_MAX_CLIMB = 12


@lru_cache(maxsize=1)
def cues() -> dict[str, frozenset[str]]:
    return {r["cue"]: frozenset(r["values"].lower().split())
            for r in rows("events/data/scope_cues.csv")}


def find_scopes(doc: Doc, figures: Sequence[FigureMention]) -> list[FigureMention]:
    """The same figures with `scope` set: event | cumulative (a war's or campaign's toll: "since
    2011", "so far this year", "the death toll in the war has risen to") | breakdown (a part of a
    total already stated: "including 12 children", "among them") | context (population, distance
    between places, range or weight of a weapon)."""
    install(doc)
    out: list[FigureMention] = []
    seen: dict[int, int] = {}  # sentence number -> person figures stated in it so far
    last: dict[int, FigureMention] = {}  # sentence number -> its latest figure, scoped
    for fig in figures:
        span = doc.char_span(fig.span.start, fig.span.end, alignment_mode="expand")
        if span is None or not len(span):
            out.append(fig)
            continue
        sent_no = sentence_number(doc, span.start)
        earlier = seen.get(sent_no, 0) + seen.get(sent_no - 1, 0)
        prev = last.get(sent_no)
        scope = _scope(doc, fig, span.start, span.end, earlier > 0, prev)
        if scope != "context" and prev is not None and prev.scope == "breakdown" \
                and _kin(prev, fig) and _listed(doc, span.start):
            scope = "breakdown"  # "among them 13 South Africans, three Malawians and one ..."
        if fig.unit == "person":
            seen[sent_no] = seen.get(sent_no, 0) + 1
        scoped = fig if fig.scope == scope else replace(fig, scope=scope)
        last[sent_no] = scoped
        out.append(scoped)
    return out


def _kin(a: FigureMention, b: FigureMention) -> bool:
    """Two figures counting the same kind of thing (the dead, the wounded...)."""
    dead = {"killed", "civilians_killed"}
    return a.counts == b.counts or a.counts in dead and b.counts in dead


def _scope(doc: Doc, fig: FigureMention, start: int, end: int, total_before: bool,
           prev: FigureMention | None) -> str:
    if _context(doc, fig, start, end):
        return "context"
    if fig.unit == "person" and total_before and _breakdown(doc, start, end):
        return "breakdown"
    if prev is not None and _kin(prev, fig) and fig.counts in {"killed", "civilians_killed"} \
            and _after_dash(doc, start):
        return "breakdown"  # "311 killed, it says – 183 fighters, 100 soldiers and 28 civilians"
    if _cumulative(doc, start, end):
        return "cumulative"
    return "event"


def _after_dash(doc: Doc, start: int) -> bool:
    """A dash or colon right before the figure, inside its line (not a bullet)."""
    if start == 0 or doc[start - 1].text not in _LIST_DASH:
        return False
    return start >= 2 and "\n" not in doc[start - 2].text + doc[start - 2].whitespace_


def _listed(doc: Doc, start: int) -> bool:
    """The figure continues a list: ', three Malawians', 'and one Uruguayan'."""
    return start > 0 and doc[start - 1].lower_ in {",", "and", ";"}


def _window(doc: Doc, start: int, before: int) -> list[Token]:
    sent = sentence_of(doc, start)
    return list(doc[max(sent.start, start - before):start])


def _context(doc: Doc, fig: FigureMention, start: int, end: int) -> bool:
    """Population, distance between places, a weapon's specification."""
    c = cues()
    verb = _clause_verb(doc[start])
    lead = _window(doc, start, 4)
    if any(t.lemma_.lower() in c["spec_word"] for t in lead):
        return True  # "a range of 300 km", "weighing 500 kg"
    if fig.unit in _DISTANCE_UNITS:
        return verb is None or verb.lemma_.lower() not in c["advance_verb"]
    if fig.counts == "population":
        return True
    if fig.unit != "person":
        return False
    if (len(lead) >= 2 and lead[-1].lower_ == "of"
            and lead[-2].lemma_.lower() in c["settlement_noun"]):
        return True  # "a town of 20,000 people"
    if any(t.lower_ in {"home", "population"} for t in lead[-3:]):
        return True  # "home to 300,000", "a population of"
    head = doc[end - 1]
    return head.lemma_.lower() in {"inhabitant", "resident"} and verb is not None \
        and verb.lemma_.lower() in {"have", "live", "be", "house", "shelter", "host"} \
        or verb is not None and verb.lemma_.lower() in {"live", "inhabit", "populate"}


def _breakdown(doc: Doc, start: int, end: int) -> bool:
    """'including 12 children', 'among them 4 women', 'four of them', 'the dead included 3
    medics'."""
    c = cues()
    lead = [t.lower_ for t in _window(doc, start, 4)]
    if any(w in {"including", "includes", "included", "include"} for w in lead):
        return True
    for k, word in enumerate(lead[:-1]):
        rest = lead[k + 1:k + 3]
        if word == "among" and any(w in c["breakdown_pronoun"] for w in rest):
            return True  # "among them 13 South Africans", "among the dead were two children"
    after = [t.lower_ for t in doc[end:min(end + 3, len(doc))]]
    inner = [t.lower_ for t in doc[start:end]]
    tail = inner + after
    for k, word in enumerate(tail[:-1]):
        if word == "of" and tail[k + 1] in c["breakdown_pronoun"] | {"the"}:
            rest = tail[k + 1:k + 3]
            if any(w in c["breakdown_pronoun"] for w in rest):
                return True  # "four of them", "12 of the dead"
    verb = _clause_verb(doc[start])
    return verb is not None and verb.lemma_.lower() == "include"


def _cumulative(doc: Doc, start: int, end: int) -> bool:
    """A running toll: its clause is dated to a period, or the war itself is what killed
    (decided once per clause: all its figures share the answer)."""
    verb = _clause_verb(doc[start])
    if verb is None:
        return _running(doc, None, list(doc[start:end]))
    memo = doc.user_data.setdefault(_CUMULATIVE, {})
    if verb.i not in memo:
        memo[verb.i] = _running(doc, verb, _clause_tokens(doc, verb))
    return bool(memo[verb.i])


def _running(doc: Doc, verb: Token | None, clause: list[Token]) -> bool:
    words = [t.lower_ for t in clause]
    c = cues()
    if verb is not None and _war_subject(verb):
        return True  # "the war ... broke out in 2023 and has killed tens of thousands"
    if verb is not None and any(_since_clause(ch) for ch in children(verb)):
        return True  # "since the offensive began"
    if any(t.tag_ == "JJS" and t.dep_ == "amod" for t in clause):
        return False  # "the deadliest strike on Kharkiv this year", "the worst since 2019"
    for k, tok in enumerate(clause):
        low = tok.lower_
        if low == "since" and _since_period(tok):
            return True
        if "_".join(words[k:k + 3]) in c["period_phrase"] \
                or "_".join(words[k:k + 2]) in c["period_phrase"]:
            return True
        if low in c["period_word"]:
            return True
        if low in c["period_lead"] and k > 0 and words[k - 1] == "the" \
                and _next_period(clause, k):
            return True  # "the past three weeks"
        if low in {"over", "during", "within", "in"} and _counted_period(clause, k):
            return True  # "over three days", "in two weeks of fighting"
        if tok.dep_ == "nsubj" and tok.lemma_.lower() in _WAR_SUBJECT:
            return True  # "the war has killed 500,000"
        if tok.lemma_.lower() in c["toll_word"] and _of_war(tok):
            return True  # "the death toll in the war"
        if low == "in" and verb is not None and tok.head.i == verb.i and _of_war(tok, prep=True):
            return True  # "killed in the war"
    return False


def _war_subject(verb: Token) -> bool:
    """The clause's subject, or the subject its verb shares with the verb it is conjoined to."""
    for _ in range(3):
        subj = [c for c in children(verb) if c.dep_ in {"nsubj", "nsubjpass"}]
        if subj:
            return any(t.lemma_.lower() in _WAR_SUBJECT for t in subj)
        if verb.dep_ != "conj" or verb.head.i == verb.i:
            return False
        verb = verb.head
    return False


def _since_clause(clause: Token) -> bool:
    """A 'since ...' subordinate clause ('since the war began') dating the figure's clause."""
    if clause.dep_ != "advcl" or not any(c.dep_ == "mark" and c.lower_ == "since"
                                         for c in children(clause)):
        return False
    words = cues()["since_object"]
    return any(t.lemma_.lower() in words or t.lower_ in words for t in subtree(clause))


def _since_period(since: Token) -> bool:
    """'since 2011', 'since October', 'since the war began', 'since the start of the offensive'."""
    c = cues()["since_object"]
    for tok in subtree(since):
        if tok.i == since.i:
            continue
        if tok.like_num and len(tok.text) == 4 and tok.text.isdigit():
            return True
        if tok.lemma_.lower() in c or tok.lower_ in c:
            return True
    return False


def _next_period(clause: list[Token], k: int) -> bool:
    nouns = cues()["period_noun"]
    return any(t.lower_ in nouns for t in clause[k + 1:k + 4])


def _counted_period(clause: list[Token], k: int) -> bool:
    nouns = cues()["period_noun"]
    nxt = [t for t in clause[k + 1:k + 5] if t.lower_ not in {"the", "its", "their"}][:3]
    return len(nxt) >= 2 and nxt[0].like_num and nxt[1].lower_ in nouns \
        and nxt[1].lower_.endswith("s") and not any(t.lower_ == "ago" for t in nxt)


def _of_war(tok: Token, prep: bool = False) -> bool:
    """A toll 'in/of/from the war', or 'in' whose object is the war."""
    preps = [tok] if prep else [c for c in children(tok) if c.dep_ == "prep"
                                and c.lower_ in {"in", "of", "from", "since"}]
    return any(g.dep_ == "pobj" and g.lemma_.lower() in _WAR_SUBJECT
               for p in preps for g in children(p))


def _clause_verb(tok: Token) -> Token | None:
    """The verb governing ``tok``'s clause (the first verb or auxiliary above it)."""
    memo = tok.doc.user_data.setdefault(_CLAUSE, {})
    if tok.i in memo:
        found = memo[tok.i]
        return None if found < 0 else tok.doc[found]
    cur, steps = tok, 0
    while cur.pos_ not in {"VERB", "AUX"} and cur.head.i != cur.i and steps < _MAX_CLIMB:
        cur, steps = cur.head, steps + 1
    verb = cur if cur.pos_ in {"VERB", "AUX"} else None
    memo[tok.i] = verb.i if verb is not None else -1
    return verb


def _index(tok: Token | None) -> int:
    return -1 if tok is None else tok.i


def _clause_tokens(doc: Doc, verb: Token) -> list[Token]:
    """The tokens whose clause verb is ``verb``: its subtree minus nested clauses. The
    sentence's tokens are bucketed by clause once, so figures of one long clause share it."""
    memo = doc.user_data.setdefault(_CLAUSE_TOKENS, {})
    if verb.i not in memo:
        for tok in sentence_of(doc, verb.i):
            memo.setdefault(_index(_clause_verb(tok)), []).append(tok)
        memo.setdefault(verb.i, [])
    tokens: list[Token] = memo[verb.i]
    return tokens
