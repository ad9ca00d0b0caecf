"""Deaths one event caused, by the rule analysts code with (EVENTS.md, ACLED's codebook).

- Only the event's own killed figures count (scope ``event``: not a war's toll, not the part
  of a total already stated, not the wounded).
- Each side counting its dead is a sum ("two soldiers and four militants were killed" = 6);
  the same victims counted by different named sources compete and the lowest wins (ACLED's
  conservative rule); one source repeating or raising its own count gives its latest, highest
  number; the outlet's own figure is used when no named source gives one.
- Singular victims count one each ("a civilian was killed", "shot and killed a policeman",
  "a soldier died"), which the figure stage does not read as numbers.
- ``None`` when the text says nothing about deaths (or only "dozens"), 0 when it says nobody
  died ("no casualties were reported").
Cue words live in ``events/data/fatalities_cues.csv`` and ``fatalities_zero.csv``.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from functools import lru_cache

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from app.ingest.knowledge import rows as ingest_rows
from app.ingest.text.doc_index import children
from app.ingest.types import FigureMention

_KILLED = {"killed", "civilians_killed"}
_ZERO_MEMO = "frontwire.fatalities_zero"
_SINGULAR_DETS = {"a", "an", "one", "the", "his", "her", "their", "its"}


@lru_cache(maxsize=1)
def cues() -> dict[str, frozenset[str]]:
    return {r["cue"]: frozenset(r["values"].lower().split())
            for r in ingest_rows("events/data/fatalities_cues.csv")}


@lru_cache(maxsize=1)
def _zero() -> re.Pattern[str]:
    patterns = (f"(?:{r['pattern']})" for r in ingest_rows("events/data/fatalities_zero.csv"))
    return re.compile("|".join(patterns))


def count_fatalities(figures: Sequence[FigureMention],
                     sentences: Sequence[SpacySpan]) -> int | None:
    """Deaths this event caused (EVENTS.md): from its killed figures (scope event), ACLED's
    conservative rule (sources differ: the lowest stated by a named source), singular victims
    counted ("a civilian was killed" = 1, "shot and killed a policeman" = 1, "two soldiers and four
    militants were killed" = 6), None when the text says nothing about deaths and when it says
    nobody died: EVENTS.md codes
    "no death reported" as null, never 0 (so a "no casualties" line adds nothing)."""
    doc = sentences[0].doc if sentences else None
    killed = _unique([f for f in figures if f.scope == "event"
                      and (f.counts in _KILLED or _killed_by_verb(f, doc))
                      and not _denied(f, doc)])
    stated = [(f, v) for f in killed if (v := _value(f)) is not None]
    covered = sorted((f.span.start, f.span.end) for f in figures)
    singles = sum(_singular_victims(s, covered) for s in sentences)
    if stated:
        return _combine(stated, singles)
    if singles:
        return singles
    if killed:
        return None  # "dozens were killed": a vague count is no count
    return None


def _killed_by_verb(fig: FigureMention, doc: Doc | None) -> bool:
    """'lynched three men', 'beheaded two farmers': people a kill verb of our list took."""
    if doc is None or fig.unit != "person" or fig.counts in {"wounded", "prisoners", "evacuated"}:
        return False
    span = doc.char_span(fig.span.start, fig.span.end, alignment_mode="expand")
    if span is None or not len(span):
        return False
    head = span.root
    verb = head.head
    shared = verb.dep_ == "conj" and _kills(verb.head)  # "lynched and burned three men"
    return head.dep_ in {"dobj", "nsubjpass"} and (_kills(verb) or shared) \
        or head.dep_ == "nsubj" and verb.lemma_.lower() == "die"


def _denied(fig: FigureMention, doc: Doc | None) -> bool:
    """'Medics treated 14 people; no deaths were reported': a count the death cue of its
    sentence only negates (no kill verb governs it) is no death toll."""
    if doc is None:
        return False
    span = doc.char_span(fig.span.start, fig.span.end, alignment_mode="expand")
    if span is None or not len(span):
        return False
    return _says_nobody_died(span.sent) and not _kills(span.root.head)


def _says_nobody_died(sent: SpacySpan) -> bool:
    """'No casualties were reported' in this sentence: read once per sentence, not per figure."""
    memo = sent.doc.user_data.setdefault(_ZERO_MEMO, {})
    key = (sent.start, sent.end)
    if key not in memo:
        memo[key] = bool(_zero().search(sent.text.lower()))
    return bool(memo[key])


def _unique(figures: list[FigureMention]) -> list[FigureMention]:
    seen: set[tuple[int, int]] = set()
    out = []
    for f in figures:
        key = (f.span.start, f.span.end)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def _value(fig: FigureMention) -> int | None:
    """The stated number: 'at least 12' = 12; a range '10 to 15' its low end; 'dozens' none."""
    if fig.value is not None:
        return int(fig.value)
    if fig.low is not None and any(ch.isdigit() for ch in fig.span.text):
        return int(fig.low)
    return None


def _side(fig: FigureMention) -> str:
    """Whose dead a figure counts: state | armed | civilian | generic (people, bodies, dead)."""
    if fig.counts == "civilians_killed":
        return "civilian"
    words = re.findall(r"[a-z]+", fig.span.text.lower())
    head = words[-1] if words else ""
    c = cues()
    if head in c["state_side"]:
        return "state"
    if head in c["armed_side"]:
        return "armed"
    return "generic"


def _combine(stated: list[tuple[FigureMention, int]], singles: int = 0) -> int:
    """Per side (state, armed, civilian): a source's highest count, then the lowest named
    source; the sides summed ('two soldiers and four militants' = 6; each side counting its
    own dead: their sum). A total over everyone ('24 people') competes with that sum and the
    lower wins: a belligerent's '20 soldiers' against the police's '16 dead' is 16."""
    by_side: dict[str, dict[str | None, int]] = {}
    for fig, value in stated:
        side = by_side.setdefault(_side(fig), {})
        side[fig.claimant] = max(side.get(fig.claimant, 0), value)
    counts = {side: _conservative(claims) for side, claims in by_side.items()}
    generic = counts.pop("generic", None)
    specific = sum(counts.values()) + singles
    if generic is None:
        return specific
    return min(generic, specific) if specific else generic


def _conservative(claims: dict[str | None, int]) -> int:
    named = [v for k, v in claims.items() if k]
    return min(named) if named else max(claims.values())


def _singular_victims(sent: SpacySpan, covered: list[tuple[int, int]]) -> int:
    """'a civilian was killed', 'shot and killed a policeman', 'a soldier died', 'shot dead a
    trader': one each, unless a figure already counts that word."""
    count = 0
    for tok in sent:
        if not _kills(tok):
            continue
        for victim in _victims(tok):
            if _singular(victim) and not _inside(victim, covered):
                count += 1
    return count


def _kills(tok: Token) -> bool:
    c = cues()
    lemma = tok.lemma_.lower()
    if tok.pos_ not in {"VERB", "AUX"} and tok.tag_ != "VBN":
        return False
    if any(ch.dep_ == "neg" for ch in children(tok)):
        return False
    if lemma in c["kill_verb"]:
        return True
    if lemma == "lose" and any(k.dep_ == "dobj" and k.lemma_.lower() == "life"
                               for k in children(tok)):
        return True  # "a soldier lost his life"
    if lemma in c["dead_verb"]:
        kids = children(tok)
        return any(k.lower_ in c["dead_particle"]
                   or k.lower_ == "down" and k.dep_ == "prt" and lemma in c["down_verb"]
                   or k.dep_ == "prep" and k.lower_ == "to"
                   and any(g.lower_ == "death" for g in children(k)) for k in kids)
    return False


def _victims(verb: Token) -> list[Token]:
    """Who died: the object, the passive subject, the subject of 'die', their conjuncts; a verb
    conjoined to it ('shot and killed a policeman') shares the object."""
    lose = verb.lemma_.lower() == "lose"
    deps = {"nsubj"} if lose else {"dobj", "nsubjpass"} | (
        {"nsubj"} if verb.lemma_.lower() == "die" else set())
    found = [c for c in children(verb) if c.dep_ in deps]
    if not found:
        for other in (verb.head, *children(verb)):
            if other.i != verb.i and (other.dep_ == "conj" or verb.dep_ == "conj"):
                found += [c for c in children(other) if c.dep_ == "dobj"]
    out = []
    for v in found:
        out.append(v)
        out += [c for c in children(v) if c.dep_ == "conj"]
    return out


def _singular(tok: Token) -> bool:
    if tok.lower_ in cues()["not_victim"] or tok.lower_ in {"no", "nobody", "none"}:
        return False
    if any(c.lower_ in {"no", "nobody"} for c in children(tok)):
        return False
    if tok.tag_ == "NNP" or tok.ent_type_ == "PERSON":
        return True
    if tok.lower_ in {"he", "she", "him", "her"}:
        return True
    noun = tok.tag_ == "NN" or tok.tag_ == "JJ" and tok.dep_ in {"dobj", "nsubjpass", "conj"}
    return noun and _person_noun(tok) and any(
        c.dep_ in {"det", "poss", "nummod"} and c.lower_ in _SINGULAR_DETS for c in children(tok))


def _person_noun(tok: Token) -> bool:
    """'a policeman', 'a kebele administrator', 'a tractor driver'; not 'an unknown number'."""
    lemma = tok.lemma_.lower()
    c = cues()
    if lemma in c["person_noun"] | c["state_side"] | c["armed_side"] or lemma in _civilian_words():
        return True
    return lemma.endswith(("er", "or", "ist", "ian", "ant", "ent", "man", "woman"))


@lru_cache(maxsize=1)
def _civilian_words() -> frozenset[str]:
    return frozenset(r["lemma"] for r in ingest_rows("figures/data/civilian_nouns.csv"))


def _inside(tok: Token, covered: list[tuple[int, int]]) -> bool:
    """Is the word inside a figure's span? ``covered`` is sorted: a bisection, not a scan."""
    k = bisect.bisect_right(covered, (tok.idx, 1 << 62)) - 1
    return k >= 0 and covered[k][0] <= tok.idx < covered[k][1]
