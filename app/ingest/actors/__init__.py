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

from dataclasses import replace
from functools import lru_cache
from typing import Any

import spacy
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan
from spacy.util import filter_spans
from spacy.vocab import Vocab

from app.ingest.actors import syntax as syn
from app.ingest.actors.aliases import article_countries, bracketed_state, read_acronyms
from app.ingest.actors.entities import (
    Cand,
    appos_described,
    defined_acronyms,
    entity_cands,
    propn_orgs,
    tokens,
    without_overlaps,
    yield_to_orgs,
)
from app.ingest.actors.names import (
    article_namer,
    generic_named,
    kind_named,
    parent_as_sub_body,
    rival_governed,
)
from app.ingest.actors.places import drop_places
from app.ingest.metonymy import is_government_metonym
from app.ingest.text.doc_index import children, install, lefts, line_end, line_start
from app.ingest.text.doc_text import text_of
from app.ingest.types import ActorMention, Span
from app.vocabulary.actors import ActorRow, actor_rows, canonical_actor, folded, split, table

_VERB_LINES = "frontwire.verb_lines"
_COLLECTIVE_LABEL = {"armed_group": "ORG", "organization": "ORG", "media": "ORG",
                     "military_unit": "ORG", "person": "PERSON"}


_split, _table, _folded = split, table, folded


def ruler_patterns() -> list[dict[str, Any]]:
    """EntityRuler patterns for non-state names the small model mis-tags (Houthis as PERSON...)."""
    forms, _ = _table()
    patterns: list[dict[str, Any]] = []
    for alias, (row, form) in forms.items():
        label = _COLLECTIVE_LABEL.get(row.kind)
        if form == "name" and label and len(alias) > 2:
            patterns.append({"label": label, "pattern": alias, "id": row.name})
        elif form in {"demonym", "plural"}:
            patterns.append({"label": "NORP", "pattern": alias, "id": row.name})
    return patterns


@lru_cache(maxsize=4)
def _matcher(vocab: Vocab) -> PhraseMatcher:
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
def _body_matcher(vocab: Vocab) -> PhraseMatcher:
    blank = spacy.blank("en", vocab=vocab)
    matcher = PhraseMatcher(blank.vocab, attr="LOWER")
    matcher.add("body", [blank.make_doc(p) for p in syn.cues()["generic_body"]])
    return matcher


@lru_cache(maxsize=1)
def _rows_by_name() -> dict[str, ActorRow]:
    return {r.name: r for r in _table()[1]}


def _dictionary_cands(doc: Doc) -> list[Cand]:
    """Longest non-overlapping dictionary matches, plus acronyms the article defines."""
    matcher = _matcher(doc.vocab)
    spans = []
    for key, s, e in matcher(doc):
        spans.append(SpacySpan(doc, s, e, label=doc.vocab.strings[key]))
    spans = filter_spans(spans)
    by_name = _rows_by_name()
    cands = []
    for sp in spans:
        form, name = sp.label_.split("\t")
        cands.append(Cand(sp, by_name[name], form))
    return cands


def find_actors(doc: Doc, *, start: int = 0) -> list[ActorMention]:
    """Every actor mention from char offset ``start``, canonical, with kind, role and country."""
    install(doc)
    cands = read_acronyms(doc, _dictionary_cands(doc))
    main = _dominant_state(cands) or _place_state(doc)
    cands = yield_to_orgs(doc, cands)
    known = _table()[0]
    cands += defined_acronyms(doc, cands, known)
    cands += kind_named(doc, tokens(cands))
    ents = without_overlaps(entity_cands(doc, tokens(cands)) + propn_orgs(doc, tokens(cands)))
    ents += defined_acronyms(doc, ents, known)
    media = appos_described(doc, tokens(cands + ents))
    cands = _drop_possessors(sorted(cands + ents + media, key=lambda c: c.span.start))
    cands = drop_places(doc, cands)
    cands = [c for c in cands if _on_verb_line(c.span)]
    bodies = _body_cands(doc, tokens(cands), cands, main)
    out: list[ActorMention] = []
    for cand in sorted(cands + bodies, key=lambda c: c.span.start):
        out.extend(_emit(cand))
    named = article_namer(text_of(doc), _proper_aliases())
    out = rival_governed(_link_surnames(out), _rival_governments(), text_of(doc))
    out = parent_as_sub_body(doc, out, _proper_aliases())
    return [replace(m, name=named(m.name, m.kind)) for m in out
            if m.span.start >= start]


@lru_cache(maxsize=1)
def _proper_aliases() -> dict[str, tuple[str, ...]]:
    """Actor -> its capitalised name forms (canonical first): the names an article may use."""
    out: dict[str, list[str]] = {}
    for alias, (row, form) in _table()[0].items():
        if form == "name" and alias[:1].isupper():
            out.setdefault(row.name, [row.name]).append(alias)
    return {k: tuple(dict.fromkeys(v)) for k, v in out.items()}


def _drop_possessors(cands: list[Cand]) -> list[Cand]:
    """'Yemen's Houthis' is the Houthis; 'Russia's Investigative Committee' is Russia."""
    owner = {i: c for c in cands for i in range(c.span.start, c.span.end)}
    drop: set[int] = set()
    for cand in cands:
        root = cand.span.root
        if root.dep_ != "poss":
            continue
        near = [root.head, *(t for t in lefts(root.head) if t.dep_ in {"compound", "nmod"})]
        other = next((owner[t.i] for t in near if t.i in owner and owner[t.i] is not cand), None)
        if other is None or other is cand:
            continue
        if other.form == "entity" and other.row.kind == "organization":
            drop.add(id(other))
        else:
            drop.add(id(cand))
    return [c for c in cands if id(c) not in drop]


def _on_verb_line(span: SpacySpan) -> bool:
    """Mentions on verbless lines (mastheads, bylines, tag lists, captions) are boilerplate.
    Each line is read once (a long line can hold thousands of mentions)."""
    doc = span.doc
    lo, hi = line_start(doc, span.start_char), line_end(doc, span.end_char)
    memo: dict[tuple[int, int], bool] = doc.user_data.setdefault(_VERB_LINES, {})
    if (lo, hi) not in memo:
        line = doc.char_span(lo, hi, alignment_mode="expand")
        memo[lo, hi] = line is not None and any(t.pos_ in {"VERB", "AUX"} for t in line)
    return memo[lo, hi]


def _dominant_state(cands: list[Cand]) -> ActorRow | None:
    """The state the article is mostly about, for "the army" and "the ministry".

    Acting states weigh most (a country name more than a demonym), states only mentioned
    weigh a little, and so do leaders and units of a state ("Colombian President Petro"):
    an article about Colombia that mentions Venezuela acting once is still about Colombia.
    """
    score: dict[str, float] = {}
    acting = {c.row.name for c in cands if c.row.kind == "state" and _used(c)}
    states = _state_by_country()
    for cand in cands:
        if cand.row.kind == "state":
            weight = (2.0 if cand.form == "name" else 1.0) if cand.row.name in acting else 0.5
            score[cand.row.name] = score.get(cand.row.name, 0) + weight
        elif cand.row.country in states:
            owner = states[cand.row.country].name
            score[owner] = score.get(owner, 0) + 1.0
    backed = acting | {states[c.row.country].name for c in cands
                       if c.row.kind != "state" and c.row.country in states}
    score = {name: value for name, value in score.items() if name in backed}
    if not score:
        return None
    return _rows_by_name()[max(score, key=lambda k: score[k])]


def _place_state(doc: Doc) -> ActorRow | None:
    """No state acts by name ('Police in Nairobi fired tear gas', 'the army shelled rebel
    positions near Bamenda'): the state of the country the article's places are in."""
    countries = article_countries(doc)  # places only: "an Iranian-made rocket" is no place
    if not countries:
        return None
    return _state_by_country().get(countries.most_common(1)[0][0])


@lru_cache(maxsize=1)
def _state_by_country() -> dict[str, ActorRow]:
    """The first state row of a country is the country; later ones are rival governments."""
    out: dict[str, ActorRow] = {}
    for row in _table()[1]:
        if row.kind == "state" and row.country:
            out.setdefault(row.country, row)
    return out


@lru_cache(maxsize=1)
def _rival_governments() -> dict[str, tuple[tuple[str, tuple[str, ...]], ...]]:
    """Country -> (rival government, its seats): later state rows sharing a country code."""
    first = _state_by_country()
    out: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for row in actor_rows():
        country = row.country
        if row.kind == "state" and country and first[country].name != row.name:
            out.setdefault(country, []).append((row.name, row.capitals))
    return {k: tuple(v) for k, v in out.items()}


def _body_cands(doc: Doc, taken: set[int], cands: list[Cand], main: ActorRow | None
                ) -> list[Cand]:
    """'the Defence Ministry', 'government forces': the state their phrase names, else the main
    one."""
    matcher = _body_matcher(doc.vocab)
    spans = filter_spans([doc[s:e] for _, s, e in matcher(doc)])
    owner = {i: c for c in cands for i in range(c.span.start, c.span.end)}
    out = []
    for span in spans:
        if any(t.i in taken for t in span) or not _on_verb_line(span):
            continue
        row = _body_owner(span, owner, main)
        if row is not None:
            out.append(Cand(span, row, "body"))
    return out


def _body_owner(span: SpacySpan, owner: dict[int, Cand], main: ActorRow | None) -> ActorRow | None:
    """Qualifier inside the noun phrase decides; a non-state qualifier ('Gaza', 'its') vetoes;
    a state's acronym in brackets after it names it ('security forces (SNA)')."""
    named = bracketed_state(span.doc, span.end, owner)
    if named is not None:
        return named
    toks = [*span, span.root.head] if span.root.dep_ in {"compound", "amod", "nmod"} else [*span]
    quals = [ch for t in toks for ch in children(t)
             if ch.dep_ in {"poss", "compound", "amod", "nmod"}
             and ch.i not in range(span.start, span.end)]
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


def _used(cand: Cand) -> bool:
    """Is this dictionary mention an actor here, or a location / attribute (see syntax)?"""
    if cand.row.kind != "state" and cand.form == "name":
        return not (syn.has_prefix(cand.span) or syn.possessor_in_background(cand.span)
                    or syn.affiliation_hyphen(cand.span))
    if cand.form == "capital":
        return _capital_is_actor(cand.span)
    if cand.form in {"demonym", "plural"}:
        return syn.demonym_is_actor(cand.span, cand.form == "plural")
    if cand.form == "name":
        return syn.name_is_actor(cand.span)
    return True


def _capital_is_actor(span: SpacySpan) -> bool:
    """Our parse rule, widened by the metonymy check (datelines never)."""
    if span.text.isupper() or syn.has_prefix(span) or syn.dateline(span):
        return False
    if syn.capital_is_actor(span):
        return True
    return bool(is_government_metonym(span.doc, span.start_char, span.end_char))


def _emit(cand: Cand) -> list[ActorMention]:
    """Mentions for one candidate: media only as claimants, the press never; leaders' forces."""
    if not cand.row.extract or not _used(cand):
        return []
    if cand.row.kind != "person" and syn.historical(cand.span):
        return []
    if cand.form in {"name", "demonym", "capital"}:
        cand = Cand(syn.force_phrase(cand.span), cand.row, cand.form)
    cand = generic_named(cand)
    mention = _to_mention(cand)
    if cand.row.kind == "media" and mention.role != "claimant" \
            and not syn.own_outlet_speaks(cand.span):
        return []
    out = [mention]
    root = cand.span.root
    if (cand.row.kind == "person" and root.dep_ == "poss"
            and root.head.lower_ in syn.cues()["force_head"]):
        state = _state_by_country().get(cand.row.country or "")
        if state is not None:
            doc = cand.span.doc
            out.append(_to_mention(Cand(doc[cand.span.start:root.head.i + 1], state, "name")))
    return out


def _link_surnames(mentions: list[ActorMention]) -> list[ActorMention]:
    """'Gerasimov' after 'Valery Gerasimov': a bare surname is the full name seen in the article."""
    full = {m.name.split()[-1]: m for m in mentions if m.kind == "person" and " " in m.name}
    out = []
    for m in mentions:
        link = full.get(m.name) if m.kind == "person" and " " not in m.name else None
        if link is not None:
            out.append(replace(m, name=link.name, country=link.country))
        elif m.kind != "person" or " " in m.name or canonical_actor(m.name):
            out.append(m)  # an unknown one-word 'person' is too often a mis-tagged place
    return out


def _to_mention(cand: Cand) -> ActorMention:
    """Build the public record: exact offsets, role from the parse, country where known."""
    sp = cand.span
    return ActorMention(
        span=Span(sp.start_char, sp.end_char, text_of(sp.doc)[sp.start_char:sp.end_char]),
        name=cand.row.name,
        kind=cand.row.kind,
        role=syn.role_of(sp),
        country=cand.row.country,
    )
