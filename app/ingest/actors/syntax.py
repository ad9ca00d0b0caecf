"""Dependency-parse rules for the actor extractor: is a name used as an actor, and in what role.

Kept apart from ``actors.py`` (dictionary and assembly) because these rules only read the parse.
A country name is an actor when it acts, is attacked, speaks or owns forces ("Russia invaded",
"strikes on Russia", "Russia's attack"), not when it only locates something ("fighting in
Russia", "Russia's Kursk region", "the embassies of Belgium"). A demonym names the state only
in front of forces or officials ("Ukrainian troops", "a US official"), never in front of
civilians or goods ("Filipino crew", "Iranian-made rocket"). All cue words live in
``data/actor_cues.csv``.
"""

from __future__ import annotations

import re
from functools import lru_cache

from spacy.tokens import Span, Token

from app.ingest.knowledge import rows
from app.ingest.text.doc_index import children, lefts, subtree, up_through

_HISTORICAL = "frontwire.historical"
_MODIFIER_DEPS = {"amod", "compound", "nmod", "npadvmod", "poss"}
_NOUNS = {"NOUN", "PROPN"}


@lru_cache(maxsize=1)
def cues() -> dict[str, frozenset[str]]:
    """Cue word lists by name; a value with '|' is a list of phrases, else of words."""
    out: dict[str, frozenset[str]] = {}
    for row in rows("actors/data/actor_cues.csv"):
        raw = row["values"]
        items = raw.split("|") if "|" in raw else raw.split()
        out[row["cue"]] = frozenset(i.strip().lower() for i in items if i.strip())
    return out


def first_conjunct(tok: Token) -> Token:
    """'Russian and Syrian warplanes': the second conjunct shares the first one's function."""
    return up_through(tok, ("conj", "appos"))


def has_prefix(span: Span, words: tuple[str, ...] = ("pro", "anti")) -> bool:
    """'pro-Kremlin', 'anti-Kremlin' express an attitude, not the actor itself."""
    doc, i = span.doc, span.start
    return i >= 2 and doc[i - 1].text == "-" and doc[i - 2].lower_ in words


def _hyphen_next(span: Span) -> Token | None:
    """The word after 'X-' when the name is the first half of a hyphen compound."""
    doc, j = span.doc, span.end
    if j + 1 < len(doc) and doc[j].text == "-" and doc[j].whitespace_ == "":
        return doc[j + 1]
    return None


def _titled_person(tok: Token) -> bool:
    """A proper name preceded by an office ('Congolese President Felix Tshisekedi')."""
    titles = cues()["force_head"] | cues()["title"]
    return tok.pos_ == "PROPN" and any(c.lower_ in titles for c in lefts(tok)
                                       if c.dep_ == "compound")


def modifier_is_actor(tok: Token) -> bool:
    """A name/demonym modifying a noun: actor only in front of forces, officials, attacks."""
    head = first_conjunct(tok).head
    if any(ch.lower_ in cues()["former_word"] for ch in lefts(head)):
        return False  # 'former Colombian soldiers': a nationality, not the state acting
    if head.lower_ in cues()["force_head"]:
        return True
    return _titled_person(head)


def _pobj_is_actor(prep: Token) -> bool:
    """Object of a preposition: an actor after by/against/between/on, a place after in/into."""
    word = prep.lower_
    if word == "to" and prep.head.lower_ == "according":
        return True
    if word == "of":
        return prep.head.lower_ in cues()["force_head"] | cues()["attack_noun"]
    return word not in cues()["loc_prep"]


def name_is_actor(span: Span) -> bool:
    """A country name (or state alias) used for the state acting, not as a location."""
    if has_prefix(span):
        return False
    nxt = _hyphen_next(span)
    if nxt is not None:
        return nxt.lower_ in cues()["hyphen_actor"]
    tok = first_conjunct(span.root)
    dep, head = tok.dep_, tok.head
    if attack_source(tok):
        return True  # "attacks from Russia": where the fire comes from is who fires
    if dep != "nsubj" and after_loc_word(span):
        return False
    if dep == "poss":
        return not (_person_head(head) or _is_background_noun(head))
    if dep in _MODIFIER_DEPS:
        return modifier_is_actor(tok)
    if dep == "pobj":
        return _pobj_is_actor(head) and not mediator(tok)
    return True


def attack_source(tok: Token) -> bool:
    """'attacks from Russia', 'shelling from Russia': the object of 'from' under an attack
    noun is the attacker. After a verb it is a launch site ('rockets fired from Lebanon'
    are Hezbollah's, not the Lebanese state's), so verbs do not count."""
    prep = tok.head
    if tok.dep_ != "pobj" or prep.lower_ != "from":
        return False
    return prep.head.pos_ == "NOUN" and prep.head.lemma_.lower() in cues()["attack_noun"]


def mediator(tok: Token) -> bool:
    """'talks brokered by Angola', 'a truce mediated by Qatar': the go-between, not a party."""
    prep = tok.head
    verb = prep.head
    if prep.lower_ != "by" or verb.lemma_.lower() not in cues()["mediate_verb"]:
        return False
    # only a go-between 'between' two parties: 'a ceasefire brokered by Russia and Turkey' is
    # often the backers' own deal
    return any(c.lower_ == "between" for t in (verb, verb.head) for c in children(t))


def _person_head(tok: Token) -> bool:
    """'Ukraine's President Volodymyr Zelensky': the possessor only gives a nationality."""
    while tok.dep_ == "compound" and tok.head is not tok:
        tok = tok.head
    return tok.ent_type_ == "PERSON"


def after_loc_word(span: Span) -> bool:
    """'hit off Yemen', 'in Lebanon': a locative word right before the name, whatever the parse."""
    i = span.start
    while i > 0 and span.doc[i - 1].lower_ == "the":
        i -= 1
    if i == 0:
        return False
    prev = span.doc[i - 1].lower_
    if prev == "to" and i >= 2 and span.doc[i - 2].lower_ == "according":
        return False
    return prev in cues()["loc_prep"]


def possessor_in_background(span: Span) -> bool:
    """"al-Qaeda's former Syrian branch", "a former al-Qaeda affiliate": the group owning
    the branch is history or a description of another group, not an actor here."""
    root = span.root
    if root.dep_ in {"compound", "amod", "nmod"}:
        return root.head.lower_ in cues()["relation_noun"]
    return root.dep_ == "poss" and _is_background_noun(root.head)


def affiliation_hyphen(span: Span) -> bool:
    """'Islamic State-linked fighters': the fighters are someone else, described by X."""
    nxt = _hyphen_next(span)
    return nxt is not None and nxt.lower_ in cues()["hyphen_affiliate"]


def _is_background_noun(tok: Token) -> bool:
    return tok.lower_ in cues()["place_noun"] | cues()["relation_noun"]


def demonym_is_actor(span: Span, plural: bool) -> bool:
    """'Ukrainian troops' / '300 Ukrainians have launched' yes; 'Russian soil' / 'the Ukrainian'
    no."""
    if has_prefix(span) or _hyphen_next(span) is not None:
        return False
    tok = first_conjunct(span.root)
    if plural:
        if tok.dep_ == "nsubj":
            return True
        return tok.dep_ == "pobj" and tok.head.lower_ == "against"
    if tok.dep_ in _MODIFIER_DEPS or tok.pos_ == "ADJ":
        return modifier_is_actor(tok)
    return False


def capital_is_actor(span: Span) -> bool:
    """A capital used for its government ('Kyiv said', 'backed by Moscow'); datelines are not."""
    if span.text.isupper() or has_prefix(span) or dateline(span):
        return False
    tok = first_conjunct(span.root)
    dep, head = tok.dep_, tok.head
    if dep == "nsubj" or infinitive_subject(tok):
        return True
    if after_loc_word(span):
        return False
    if dep == "ROOT" and span.end < len(span.doc) and span.doc[span.end].text == ",":
        return True  # 'Beirut, in a statement ..., called for': the parse lost the verb
    if dep == "poss":
        return not _is_background_noun(head)
    if dep in _MODIFIER_DEPS:
        return modifier_is_actor(tok)
    if dep == "pobj":
        return head.lower_ == "by" or (head.lower_ == "to" and head.head.lower_ == "according")
    return False


def infinitive_subject(tok: Token) -> bool:
    """'prompting Dhaka to summon the envoy': the object of the verb is the one who acts."""
    return tok.dep_ == "dobj" and any(
        c.dep_ == "xcomp" and c.i > tok.i and c.pos_ == "VERB" for c in children(tok.head))


def np_head(tok: Token) -> Token:
    """The noun a modifier belongs to ('Andalus' in 'its Andalus radio station' -> 'station')."""
    while (tok.dep_ in {"compound", "amod", "nmod"} and tok.head is not tok
           and tok.head.pos_ in _NOUNS):
        tok = tok.head
    return first_conjunct(tok)


def own_outlet_speaks(span: Span) -> bool:
    """A party's own outlet carrying its word ('claimed it on its Andalus radio station',
    'told state broadcaster EBC') is an actor; the press interviewing someone is not."""
    head = np_head(span.root)
    owners = cues()["media_owner"]
    mods = [c for t in [head, *subtree(head)] for c in children(t)
            if c.dep_ in {"poss", "amod", "compound"} and c.i < head.i]
    if not any(c.lower_ in owners or c.dep_ == "poss" for c in mods):
        return False
    verbs = cues()["report_verb"]
    gov = head.head
    if head.dep_ == "dobj":
        return gov.lemma_.lower() in verbs
    if head.dep_ != "pobj" or gov.lower_ not in {"on", "to", "via", "through", "in"}:
        return False
    verb = gov.head
    for _ in range(3):  # 'claimed in a statement on its Amaq agency': up through the noun
        if verb.pos_ in {"VERB", "AUX"} or verb.head is verb:
            break
        verb = verb.head
    return verb.lemma_.lower() in verbs | {"claim"}


def dateline(span: Span) -> bool:
    """'KYIV, Aug 7 (Wire) -' / 'GOMA/KINSHASA, Jan 29': a place stamp, not a government."""
    doc, j = span.doc, span.end
    if j < len(doc) and doc[j].text == "/":
        return True
    if j + 1 < len(doc) and doc[j].text == ",":
        nxt = doc[j + 1]
        return nxt.is_digit or nxt.ent_type_ == "DATE" or (nxt.is_alpha and nxt.text.isupper())
    return False


def _np_head(tok: Token) -> tuple[Token, str | None]:
    """Climb from a modifier to the noun phrase it belongs to; report 'X's attack' on the way."""
    while tok.dep_ in _MODIFIER_DEPS and tok.head is not tok and tok.head.pos_ in _NOUNS:
        if tok.dep_ == "poss" and tok.head.lemma_.lower() in cues()["attack_noun"]:
            return tok, "initiator"
        tok = tok.head
    return first_conjunct(tok), None


def role_of(span: Span) -> str:
    """initiator | target | claimant | other, from the mention's place in its clause."""
    tok, found = _np_head(span.root)
    if found:
        return found
    dep, head = tok.dep_, tok.head
    lemma = head.lemma_.lower()
    c = cues()
    if dep == "nsubj":
        if lemma in c["attack_verb"] or lemma in c["report_verb"] and own_act(head):
            return "initiator"
        return "claimant" if lemma in c["report_verb"] else "other"
    if dep in {"dobj", "nsubjpass"} and lemma in c["attack_verb"]:
        return "target"
    if dep == "pobj":
        return _pobj_role(head)
    return "other"


OWN = frozenset({"it", "we", "they", "its", "our", "their"})


def own_act(verb: Token) -> bool:
    """'Israel said it struck ...', 'the army said its troops killed ...': a speaker that
    reports its own attack is the attacker (not merely the claimant of its own strike)."""
    for clause in children(verb):
        if clause.dep_ != "ccomp" or clause.lemma_.lower() not in cues()["attack_verb"]:
            continue
        for subj in children(clause):
            if subj.dep_ in ("nsubj", "nsubjpass") and (subj.lower_ in OWN or any(
                    t.dep_ == "poss" and t.lower_ in OWN for t in children(subj))):
                return True
    return False


def _group_noun(prep: Token) -> Token | None:
    """'Fighters from JNIM ambushed ...': the group shares the role of its members."""
    gov = prep.head
    if prep.lower_ in {"of", "from"} and gov.pos_ == "NOUN" and gov.dep_ != "pobj":
        return None if gov.lemma_.lower() in cues()["attack_noun"] else gov
    return None


def _pobj_role(prep: Token) -> str:
    """'attacked by X' -> initiator; 'strikes on X' -> target; 'according to X' -> claimant."""
    word, gov = prep.lower_, prep.head.lemma_.lower()
    c = cues()
    group = _group_noun(prep)
    if group is not None:
        return role_of(prep.doc[group.i:group.i + 1])
    if word == "to" and prep.head.lower_ == "according":
        return "claimant"
    if word == "by" and gov in c["attack_verb"] or word == "from" and gov in c["attack_noun"]:
        return "initiator"
    if word in {"on", "against", "at", "into", "of"} and gov in c["attack_verb"] | c["attack_noun"]:
        return "target"
    return "other"


def force_phrase(span: Span) -> Span:
    """'Israeli' in 'Israeli troops' -> the whole 'Israeli troops', so the excerpt names the
    force."""
    root = span.root
    head = root.head
    if root.dep_ in {"amod", "compound"} and 0 < head.i - span.end + 1 <= 2 \
            and head.lower_ in cues()["force_head"]:
        return span.doc[span.start:head.i + 1]
    return span


def strip_titles(ent: Span) -> Span | None:
    """'Belgorod Governor Vyacheslav Gladkov' -> 'Vyacheslav Gladkov': keep what follows the last
    title."""
    titles = cues()["title"]
    start = ent.start
    for tok in ent:
        if tok.lower_ in titles or tok.lower_.rstrip(".") in titles:
            start = tok.i + 1
    end = ent.end
    while end > start and ent.doc[end - 1].tag_ == "POS":
        end -= 1
    if end <= start or not ent.doc[start].text[:1].isupper():
        return None
    return ent.doc[start:end]


_OLD_YEAR = re.compile(r"\b(?:in|until|by|before|during|from|since)\s+(?:[A-Z][a-z]+\s+)?(\d{4})\b")
_ANY_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")


def historical(span: Span) -> bool:
    """'The border was drawn by France when it ruled Cambodia, on a map produced in 1907':
    a sentence dated only to long ago is background; the state is not acting in the news.
    Read once per sentence (many actors share one)."""
    sent = span.sent
    memo: dict[int, bool] = span.doc.user_data.setdefault(_HISTORICAL, {})
    if sent.start not in memo:
        memo[sent.start] = _historical_text(sent.text)
    return memo[sent.start]


def _historical_text(text: str) -> bool:
    cutoff = int(next(iter(cues()["history_before"])))
    old = [int(y) for y in _OLD_YEAR.findall(text)]
    return bool(old) and all(int(y) < cutoff for y in _ANY_YEAR.findall(text)) \
        and all(y < cutoff for y in old)
