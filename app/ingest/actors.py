"""Actors: who acts, is attacked or speaks in an article, under one canonical name each.

Knowledge lives in ``data/actors.csv`` (one row per actor: aliases, demonyms, capitals, and
whether it is extracted at all: wire services are recognised but are the press, not actors).
Mentions come from three places, dictionary first so it wins every overlap:
1. the dictionary (names, aliases, demonyms, capitals), filtered by how the parse uses them;
2. spaCy PERSON / ORG entities the dictionary does not know (titles stripped, junk dropped);
3. unqualified state bodies ("the Defence Ministry", "the army"), resolved to the state the
   phrase names or, failing that, to the state the article is mostly about.
Per SCHEMA, a government, its ministries and forces and its capital as metonym are the state;
``military_unit`` is kept for named units with an identity of their own (Azov, Akhmat).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan
from spacy.util import filter_spans

from app.ingest import actor_syntax as syn
from app.ingest.types import ActorMention, Span

_DATA = Path(__file__).parent / "data"
_COLLECTIVE_LABEL = {"armed_group": "ORG", "organization": "ORG", "media": "ORG",
                     "military_unit": "ORG", "person": "PERSON"}


@dataclass(frozen=True)
class ActorRow:
    """One curated actor."""

    name: str
    kind: str
    country: str | None
    extract: bool


@dataclass(frozen=True)
class _Cand:
    """A candidate mention before the usage filter: span, actor, and how it was named."""

    span: SpacySpan
    row: ActorRow
    form: str  # name|demonym|plural|capital|entity|body


def _split(value: str) -> list[str]:
    return [v.strip() for v in value.split("|") if v.strip()]


@lru_cache(maxsize=1)
def _table() -> tuple[dict[str, tuple[ActorRow, str]], tuple[ActorRow, ...]]:
    """Surface form -> (actor, form) for every name, alias, demonym (and plural), capital."""
    forms: dict[str, tuple[ActorRow, str]] = {}
    rows: list[ActorRow] = []
    with open(_DATA / "actors.csv", encoding="utf-8", newline="") as fh:
        for rec in csv.DictReader(fh):
            row = ActorRow(rec["name"], rec["kind"], rec["country"] or None, rec["extract"] == "1")
            rows.append(row)
            for alias in [row.name, *_split(rec["aliases"])]:
                forms.setdefault(alias, (row, "name"))
            for dem in _split(rec["demonyms"]):
                forms.setdefault(dem, (row, "plural" if dem.endswith("s") else "demonym"))
            for cap in _split(rec["capitals"]):
                forms.setdefault(cap, (row, "capital"))
    return forms, tuple(rows)


def _norm(text: str) -> str:
    text = " ".join(text.replace("\u2019", "'").split()).strip(" .,;:")
    low = text.lower()
    for prefix in ("the ", "a ", "an "):
        if low.startswith(prefix):
            text, low = text[len(prefix):], low[len(prefix):]
    if low.endswith("'s"):
        text = text[:-2]
    return text.casefold()


@lru_cache(maxsize=1)
def _folded() -> dict[str, tuple[ActorRow, str]]:
    forms, _ = _table()
    out: dict[str, tuple[ActorRow, str]] = {}
    for alias, hit in forms.items():
        out.setdefault(_norm(alias), hit)
    return out


def canonical_actor(name: str) -> tuple[str, str] | None:
    """(canonical name, kind) for an alias such as 'IDF', 'Kinshasa' or 'Ukrainian'; else None."""
    hit = _folded().get(_norm(name))
    return (hit[0].name, hit[0].kind) if hit else None


def ruler_patterns() -> list[dict]:
    """EntityRuler patterns for non-state names the small model mis-tags (Houthis as PERSON...)."""
    forms, _ = _table()
    patterns: list[dict] = []
    for alias, (row, form) in forms.items():
        label = _COLLECTIVE_LABEL.get(row.kind)
        if form == "name" and label and len(alias) > 2:
            patterns.append({"label": label, "pattern": alias, "id": row.name})
        elif form in {"demonym", "plural"}:
            patterns.append({"label": "NORP", "pattern": alias, "id": row.name})
    return patterns


@lru_cache(maxsize=4)
def _matcher(vocab_key: int, vocab: object) -> PhraseMatcher:
    """Case-sensitive matcher over all surface forms (plus ALL-CAPS for headline words)."""
    blank = spacy.blank("en", vocab=vocab)
    matcher = PhraseMatcher(blank.vocab, attr="ORTH")
    for alias, (row, form) in _table()[0].items():
        docs = [blank.make_doc(alias)]
        if len(alias) >= 5 and not alias.isupper():
            docs.append(blank.make_doc(alias.upper()))
        matcher.add(f"{form}\t{row.name}", docs)
    return matcher


@lru_cache(maxsize=4)
def _body_matcher(vocab_key: int, vocab: object) -> PhraseMatcher:
    blank = spacy.blank("en", vocab=vocab)
    matcher = PhraseMatcher(blank.vocab, attr="LOWER")
    matcher.add("body", [blank.make_doc(p) for p in syn.cues()["generic_body"]])
    return matcher


@lru_cache(maxsize=1)
def _rows_by_name() -> dict[str, ActorRow]:
    return {r.name: r for r in _table()[1]}


def _dictionary_cands(doc: Doc) -> list[_Cand]:
    """Longest non-overlapping dictionary matches, plus acronyms the article defines."""
    matcher = _matcher(id(doc.vocab), doc.vocab)
    spans = []
    for key, s, e in matcher(doc):
        spans.append(SpacySpan(doc, s, e, label=doc.vocab.strings[key]))
    spans = filter_spans(spans)
    rows = _rows_by_name()
    cands = []
    for sp in spans:
        form, name = sp.label_.split("\t")
        cands.append(_Cand(sp, rows[name], form))
    return cands


def find_actors(doc: Doc, *, start: int = 0) -> list[ActorMention]:
    """Every actor mention from char offset ``start``, canonical, with kind, role and country."""
    cands = _dictionary_cands(doc)
    main = _dominant_state(cands)
    cands += _defined_acronyms(doc, cands)
    ents = _entity_cands(doc, _tokens(cands))
    ents += _defined_acronyms(doc, ents)
    media = _appos_media(doc, _tokens(cands + ents))
    cands = _drop_possessors(sorted(cands + ents + media, key=lambda c: c.span.start))
    cands = [c for c in cands if _on_verb_line(c.span)]
    bodies = _body_cands(doc, _tokens(cands), cands, main)
    out: list[ActorMention] = []
    for cand in sorted(cands + bodies, key=lambda c: c.span.start):
        out.extend(_emit(cand))
    return [m for m in _link_surnames(out) if m.span.start >= start]


def _tokens(cands: list[_Cand]) -> set[int]:
    return {i for c in cands for i in range(c.span.start, c.span.end)}


def _defined_acronyms(doc: Doc, cands: list[_Cand]) -> list[_Cand]:
    """'Siberian Battalion (SB)': the article defines SB; later bare 'SB' is the same actor."""
    known, taken, extra = _table()[0], _tokens(cands), []
    for cand in cands:
        j = cand.span.end
        if j + 2 < len(doc) and doc[j].text == "(" and doc[j + 2].text == ")":
            abbr = doc[j + 1].text
            if abbr.isupper() and len(abbr) >= 2 and abbr not in known:
                extra += [_Cand(doc[t.i:t.i + 1], cand.row, cand.form) for t in doc
                          if t.text == abbr and t.i not in taken]
    return extra


def _entity_cands(doc: Doc, taken: set[int]) -> list[_Cand]:
    """People and organisations the dictionary does not know, from spaCy's NER."""
    out = []
    for ent in doc.ents:
        if any(t.i in taken for t in ent):
            continue
        if ent.label_ == "PERSON":
            name = syn.strip_titles(ent)
            if name is not None:
                out.append(_Cand(name, ActorRow(name.text, "person", None, True), "entity"))
        elif ent.label_ == "ORG" and _org_ok(ent := _widen(ent, taken)):
            span = ent[1:] if ent[0].lower_ == "the" else ent
            out.append(_Cand(span, ActorRow(span.text, "organization", None, True), "entity"))
    return out


def _widen(ent: SpacySpan, taken: set[int]) -> SpacySpan:
    """'The Collectif Justice pour Barsalogho': NER caught only the last word of a foreign name."""
    doc, words = ent.doc, syn.cues()["function_word"]
    start = ent.start

    def namelike(t: Token) -> bool:
        return t.i not in taken and not t.ent_type_ and "\n" not in t.whitespace_ and (
            t.text[:1].isupper() or t.lower_ in words)

    while start > 0 and namelike(doc[start - 1]) and doc[start - 1].lower_ != "the":
        start -= 1
    while start < ent.start and doc[start].lower_ in words:
        start += 1
    return doc[start:ent.end]


def _org_ok(ent: SpacySpan) -> bool:
    """Drop ORG junk: undefined acronyms, page furniture, platforms, facilities, sub-units."""
    c, text = syn.cues(), ent.text
    if text.isupper() or any(ch.isdigit() for ch in text) or "\n" in text:
        return False
    if _norm(text) in c["org_stop"] or ent[-1].lower_ in c["facility_word"]:
        return False
    if any(ch.dep_ == "poss" and ch.lower_ in c["anaphor"] for ch in ent.root.children):
        return False
    words = [t for t in ent if t.is_alpha and t.lower_ not in c["function_word"]]
    if not words or any(not t.text[0].isupper() or _glued(t.text) for t in words):
        return False
    if all(t.lower_ in c["org_word"] | c["title"] for t in words):
        return False
    described = any(ch.dep_ == "appos" and ch.lemma_.lower() in c["org_descriptor"]
                    for t in ent for ch in t.children)
    return described or any(t.lower_ in c["org_word"] for t in words)


def _glued(word: str) -> bool:
    """'ShamsIsraeli': a caption glued to the next sentence by the scraper."""
    return any(a.islower() and b.isupper() for a, b in zip(word[1:], word[2:]))


def _appos_media(doc: Doc, taken: set[int]) -> list[_Cand]:
    """'Shot, a pro-Kremlin Telegram channel, claimed ...': a name glossed as an outlet."""
    out = []
    for tok in doc:
        if tok.i in taken or not tok.text[:1].isupper():
            continue
        if any(a.dep_ == "appos" and a.lower_ in syn.cues()["media_head"] for a in tok.children):
            span = doc[tok.left_edge.i if tok.left_edge.dep_ == "compound" else tok.i:tok.i + 1]
            out.append(_Cand(span, ActorRow(span.text, "media", None, True), "entity"))
    return out


def _drop_possessors(cands: list[_Cand]) -> list[_Cand]:
    """'Yemen's Houthis' is the Houthis; 'Russia's Investigative Committee' is Russia."""
    owner = {i: c for c in cands for i in range(c.span.start, c.span.end)}
    drop: set[int] = set()
    for cand in cands:
        root = cand.span.root
        if root.dep_ != "poss":
            continue
        near = [root.head, *(t for t in root.head.lefts if t.dep_ in {"compound", "nmod"})]
        other = next((owner[t.i] for t in near if t.i in owner and owner[t.i] is not cand), None)
        if other is None or other is cand:
            continue
        if other.form == "entity" and other.row.kind == "organization":
            drop.add(id(other))
        else:
            drop.add(id(cand))
    return [c for c in cands if id(c) not in drop]


def _on_verb_line(span: SpacySpan) -> bool:
    """Mentions on verbless lines (mastheads, bylines, tag lists, captions) are boilerplate."""
    text = span.doc.text
    lo = text.rfind("\n", 0, span.start_char) + 1
    hi = text.find("\n", span.end_char)
    line = span.doc.char_span(lo, len(text) if hi < 0 else hi, alignment_mode="expand")
    return line is not None and any(t.pos_ in {"VERB", "AUX"} for t in line)


def _dominant_state(cands: list[_Cand]) -> ActorRow | None:
    """The state the article is mostly about: country names weigh double (they set the scene)."""
    score: dict[str, float] = {}
    for cand in cands:
        if cand.row.kind == "state":
            score[cand.row.name] = score.get(cand.row.name, 0) + (2 if cand.form == "name" else 1)
    if not score:
        return None
    return _rows_by_name()[max(score, key=lambda k: score[k])]


@lru_cache(maxsize=1)
def _state_by_country() -> dict[str, ActorRow]:
    return {r.country: r for r in _table()[1] if r.kind == "state" and r.country}


def _body_cands(doc: Doc, taken: set[int], cands: list[_Cand], main: ActorRow | None
                ) -> list[_Cand]:
    """'the Defence Ministry', 'government forces': the state their phrase names, else the main one."""
    matcher = _body_matcher(id(doc.vocab), doc.vocab)
    spans = filter_spans([doc[s:e] for _, s, e in matcher(doc)])
    owner = {i: c for c in cands for i in range(c.span.start, c.span.end)}
    out = []
    for span in spans:
        if any(t.i in taken for t in span) or not _on_verb_line(span):
            continue
        row = _body_owner(span, owner, main)
        if row is not None:
            out.append(_Cand(span, row, "body"))
    return out


def _body_owner(span: SpacySpan, owner: dict[int, _Cand], main: ActorRow | None) -> ActorRow | None:
    """Qualifier inside the noun phrase decides; a non-state qualifier ('Gaza', 'its') vetoes."""
    quals = [ch for t in span for ch in t.children
             if ch.dep_ in {"poss", "compound", "amod", "nmod"} and ch.i not in range(span.start, span.end)]
    for q in quals:
        cand = owner.get(q.i)
        if cand is not None:
            row = cand.row
            if row.kind == "person" and row.country:
                return _state_by_country().get(row.country)
            return row if row.kind == "state" else None
        if q.pos_ in {"PROPN", "PRON", "NOUN"} or q.dep_ == "poss":
            return None
    return main


def _used(cand: _Cand) -> bool:
    """Is this dictionary mention an actor here, or a location / attribute (see actor_syntax)?"""
    if cand.row.kind != "state" and cand.form == "name":
        return not (syn.has_prefix(cand.span) or syn.possessor_in_background(cand.span))
    if cand.form == "capital":
        return _capital_is_actor(cand.span)
    if cand.form in {"demonym", "plural"}:
        return syn.demonym_is_actor(cand.span, cand.form == "plural")
    if cand.form == "name":
        return syn.name_is_actor(cand.span)
    return True


def _capital_is_actor(span: SpacySpan) -> bool:
    """The metonymy module decides when present; the simple parse rule otherwise."""
    try:
        from app.ingest.metonymy import is_government_metonym
    except ImportError:
        return syn.capital_is_actor(span)
    return bool(is_government_metonym(span.doc, span.start_char, span.end_char))


def _emit(cand: _Cand) -> list[ActorMention]:
    """Mentions for one candidate: media only as claimants, the press never; leaders' forces."""
    if not cand.row.extract or not _used(cand):
        return []
    mention = _to_mention(cand)
    if cand.row.kind == "media" and mention.role != "claimant":
        return []
    out = [mention]
    root = cand.span.root
    if cand.row.kind == "person" and root.dep_ == "poss" and root.head.lower_ in syn.cues()["force_head"]:
        state = _state_by_country().get(cand.row.country or "")
        if state is not None:
            doc = cand.span.doc
            out.append(_to_mention(_Cand(doc[cand.span.start:root.head.i + 1], state, "name")))
    return out


def _link_surnames(mentions: list[ActorMention]) -> list[ActorMention]:
    """'Gerasimov' after 'Valery Gerasimov': a bare surname is the full name seen in the article."""
    full = {m.name.split()[-1]: m for m in mentions if m.kind == "person" and " " in m.name}
    out = []
    for m in mentions:
        link = full.get(m.name) if m.kind == "person" and " " not in m.name else None
        out.append(replace(m, name=link.name, country=link.country) if link else m)
    return out


def _to_mention(cand: _Cand) -> ActorMention:
    """Build the public record: exact offsets, role from the parse, country where known."""
    sp = cand.span
    return ActorMention(
        span=Span(sp.start_char, sp.end_char, sp.doc.text[sp.start_char:sp.end_char]),
        name=cand.row.name,
        kind=cand.row.kind,
        role=syn.role_of(sp),
        country=cand.row.country,
    )
