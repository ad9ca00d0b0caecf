"""How an actor is named in one article, and names the article gives by a common noun.

The scorer and readers look an actor up by the names the article uses, so non-state actors
are named as the article names them (``article_namer``); unknown groups, firms and outlets are
found by the common noun the article puts beside their name ("the 400 Mawozo gang", "state
broadcaster EBC"). Cue words live in ``data/actor_cues.csv``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import replace

from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from app.ingest.actors import syntax as syn
from app.ingest.actors.entities import MAX_NAME_TOKENS, Cand, proper_name
from app.ingest.text.doc_index import lefts
from app.ingest.text.keys import word_key
from app.ingest.types import ActorMention
from app.vocabulary.actors import ActorRow, norm

_POSSESSIVE = re.compile(r"['\u2019]s\b")


def article_namer(text: str, aliases: Mapping[str, tuple[str, ...]]) -> Callable[[str, str], str]:
    """Name non-state actors as the article does: the canonical name when the text uses it,
    else the fullest proper form it uses ('Medecins Sans Frontieres' rather than our
    'Doctors Without Borders'; the spelled-out name over the acronym). States and people
    keep their canonical names; readers and the scorer match either."""
    plain = _POSSESSIVE.sub(" ", text)  # "the UN's envoy" uses the name "UN"
    folded = f" {word_key(plain)} "
    memo: dict[tuple[str, str], str] = {}

    def named(name: str, kind: str) -> str:  # every mention of an actor gets the same answer
        if (name, kind) not in memo:
            memo[name, kind] = naming(name, kind)
        return memo[name, kind]

    def naming(name: str, kind: str) -> str:
        if kind == "state":
            return name
        if kind == "person":
            return _person_named(name, aliases.get(name, ()), folded)
        used = {a: folded.count(f" {word_key(a)} ") for a in aliases.get(name, ())}
        used = {a: n for a, n in used.items() if n}
        full = [a for a in used if _expands(a, used, folded)]
        if name in used and (not (name.isupper() and full)
                             or _acronym_leads(name, full, used, folded)):
            return name
        return max(used, key=lambda a: (a in full, used[a], len(a)), default=name)
    return named


def _acronym_leads(acronym: str, full: Collection[str], used: Mapping[str, int],
                   folded: str) -> bool:
    """'United Nations Mission in South Sudan (UNMISS)' then 'UNMISS' again: an article that
    defines an acronym in brackets and uses it at least as often as the spelled-out name calls
    the body by its acronym, and so do the lists readers (and annotators) keep. A gloss
    ('..., or ELN') or bare initials keep the full name."""
    defined = [f for f in full if f" {word_key(f)} {word_key(acronym)} " in folded]
    return bool(defined) and used[acronym] >= max(used[f] for f in defined)


def _person_named(name: str, aliases: Collection[str], folded: str) -> str:
    """A person keeps the canonical name unless the article spells the full name its own
    way ('Abu Mohammed al-Jolani' for our 'Abu Mohammad al-Jolani'): then the article's."""
    if f" {word_key(name)} " in folded:
        return name
    words = len(name.split())
    full = [a for a in aliases if len(a.split()) >= words and f" {word_key(a)} " in folded]
    return max(full, key=len, default=name)


def _expands(name: str, others: Collection[str], folded: str) -> bool:
    """'Medecins Sans Frontieres' spells out 'MSF' (by its initials, or the article defines
    it: 'National Liberation Army (ELN)', '..., or ELN'): the full name beats its acronym."""
    initials = "".join(w[0] for w in name.split() if w[:1].isupper())
    if len(initials) >= 2 and initials in others:
        return True
    acronyms = [word_key(o) for o in others if o.isupper() and o != name]
    return any(f" {word_key(name)}{sep}{a} " in folded for a in acronyms for sep in (" ", " or "))


def generic_named(cand: Cand) -> Cand:
    """A curated kind of actor with no proper name ('resistance committees', row name in lower
    case) is named by the article's own noun phrase: 'the El Fasher resistance committee',
    'a local resistance committee' -> 'El Fasher resistance committee', 'local ...'."""
    if not cand.row.name[:1].islower():
        return cand
    doc, head = cand.span.doc, cand.span.root
    mods = [c for c in lefts(head) if c.dep_ in {"amod", "compound", "nmod"}]
    start = min([cand.span.start, *(c.left_edge.i for c in mods)])
    span = doc[start:max(cand.span.end, head.i + 1)]
    return Cand(span, ActorRow(span.text, cand.row.kind, cand.row.country, True), cand.form)


_NOT_NAMES = {"GPE", "NORP", "LOC", "DATE", "TIME", "FAC"}


def kind_named(doc: Doc, taken: set[int]) -> list[Cand]:
    """Names the article classes with a common noun: 'the 400 Mawozo gang', 'the G9 gang
    federation' (armed groups), 'a Rafael defence company site' (organisation), 'its Andalus
    radio station', 'state broadcaster EBC' (media)."""
    c, out, starts = syn.cues(), [], set()  # starts: one name per position
    kinds = [("armed_noun", "armed_group"), ("company_noun", "organization"),
             ("media_word", "media")]
    for tok in doc:
        kind = next((k for cue, k in kinds if tok.lower_ in c[cue]), None)
        if kind is None or not tok.is_lower or tok.tag_ in {"NNS", "NNPS"}:
            continue  # plural 'Amhara militias', 'Haitian gangs': a description, not a name
        i = tok.i
        while i > 0 and doc[i - 1].is_lower and doc[i - 1].is_alpha and i > tok.i - 2 \
                and doc[i - 1].dep_ in {"compound", "amod"}:
            i -= 1
        skip = _NOT_NAMES if kind == "armed_group" else _NOT_NAMES - {"GPE", "LOC", "FAC"}
        span = _left_name(doc, i, taken, skip)
        if span is None and kind == "media":
            span = _right_name(doc, tok.i + 1, taken)
        if span is not None and norm(span.text) not in c["org_stop"] \
                and span.start not in starts:
            out.append(Cand(span, ActorRow(span.text, kind, None, True), "entity"))
            starts.add(span.start)
    return out


def _left_name(doc: Doc, end: int, taken: set[int], skip: Collection[str]) -> SpacySpan | None:
    """The proper name (capitalised words, a leading number) right before ``end``; a word
    NER calls a place or nationality (``skip``) ends it."""
    start = end
    while start > 0 and end - start < MAX_NAME_TOKENS:
        prev = doc[start - 1]
        if prev.i in taken or "\n" in prev.whitespace_ or prev.ent_type_ in skip:
            break
        if not (prev.text[:1].isupper() or prev.like_num or prev.text == "-") \
                or prev.lower_ in {"the", "a", "an"}:
            break
        start -= 1
    while start < end and doc[start].text == "-":
        start += 1
    return proper_name(doc[start:end])


def _right_name(doc: Doc, start: int, taken: set[int]) -> SpacySpan | None:
    end = start
    while end < len(doc) and end not in taken and doc[end].text[:1].isupper() \
            and doc[end].ent_type_ not in _NOT_NAMES and end - start < MAX_NAME_TOKENS:
        end += 1
    return proper_name(doc[start:end])



def rival_governed(mentions: list[ActorMention],
                   rivals: Mapping[str, tuple[tuple[str, tuple[str, ...]], ...]],
                   text: str) -> list[ActorMention]:
    """Where an article names a country's rival governments (Libya's GNU and GNS), its bare
    state mentions ('the defence ministry', 'Libya') mean the government seated where the
    story is: the named rival whose seat the article names most (then the most mentioned)."""
    named = [m.name for m in mentions]
    out = mentions
    for country, govs in rivals.items():
        present = [g for g in govs if g[0] in named]
        if not present:
            continue
        seat = max(present, key=lambda g: (sum(text.count(c) for c in g[1]), named.count(g[0])))
        rival_names = {g[0] for g in govs}
        out = [replace(m, name=seat[0]) if m.kind == "state" and m.country == country
               and m.name not in rival_names else m for m in out]
    return out


def parent_as_sub_body(doc: Doc, mentions: list[ActorMention],
                       aliases: Mapping[str, tuple[str, ...]]) -> list[ActorMention]:
    """'UN mission', 'a UN helicopter', 'the UN's humanitarian office' in an article that names
    UNMISS: the parent body's name modifying a noun is its sub-body the article is about (one
    whose name starts with the parent's: 'UN Mission in South Sudan'), not the parent."""
    names = [m.name for m in mentions if m.kind == "organization"]
    out = mentions
    for parent in set(names):
        prefixes = tuple(f"{a} " for a in aliases.get(parent, ()) if len(a) >= 2)
        if not prefixes:
            continue
        subs = [n for n in set(names) if n != parent
                and any(a.startswith(prefixes) for a in aliases.get(n, ()))]
        if not subs:
            continue
        sub = max(subs, key=lambda n: (names.count(n), n))
        out = [replace(m, name=sub) if m.name == parent and _modifies(doc, m) else m for m in out]
    return out


def _modifies(doc: Doc, mention: ActorMention) -> bool:
    span = doc.char_span(mention.span.start, mention.span.end, alignment_mode="expand")
    if span is None or any(not t.is_lower for t in span[1:]):
        return False  # 'UN Security Council' is a named body of its own
    return span[0].dep_ in {"compound", "poss", "nmod"}
