"""Resolve place candidates of one article to gazetteer entries.

Many names are ambiguous ("Kaya", "Sake", "Gombe" exist in several countries). Two passes:
the constructor resolves every candidate with the article's country context only (country
names and demonyms in the text) and keeps the confident results as anchors; the final pass
re-scores each candidate with the distance to those anchors. Names the gazetteer lacks are
kept by name when the text clearly calls them places ("the village of X", a list of places).
"""

from __future__ import annotations

import bisect
import math
from collections import Counter
from functools import lru_cache

from spacy.tokens import Doc, Token

from app.ingest.gazetteer import Entry, fold, get_gazetteer, lookup, lookup_region
from app.ingest.lexicon import cue, demonyms
from app.ingest.metonymy import is_government_metonym
from app.ingest.places.anchors import Anchors
from app.ingest.places.candidates import PLACE_LABELS, Candidate
from app.ingest.places.hierarchy import Constraint, constraints, fits
from app.ingest.places.ranking import Ranking
from app.ingest.text.doc_index import install, sentence_number


@lru_cache(maxsize=1)
def _site_parts() -> frozenset[str]:
    """Words of a site name that are not its own name ("refugee camp", "strait")."""
    return cue("facility_word") | cue("feature_word") | cue("modifier")


SENTENCE_REACH = 64  # candidates read on either side of a site for its sentence's anchor


class Resolver(Ranking):
    """Resolves candidates of one article; pass 1 (construction) fixes anchors and context."""

    def __init__(self, doc: Doc, cands: list[Candidate]) -> None:
        self.doc = install(doc)
        self.context: Counter[str] = Counter()
        self.anchors = Anchors()
        self.first: dict[int, Entry | None] = {}
        self.cands = cands
        self._groups: dict[int, list[Candidate]] | None = None
        self._places: dict[int, int] = {}
        self._metonyms: dict[int, bool] = {}
        self._site_phrases: dict[str, list[tuple[int, int]]] = {}
        self._words: dict[str, list[Token]] | None = None
        self._listed: dict[int, list[Candidate]] = {}
        for cand in cands:
            self._listed.setdefault(cand.listed, []).append(cand)
        for ent in doc.ents:
            iso = demonyms().get(ent.text.lower())
            hit = [e for e, _ in lookup(ent.text) if e.kind == "country"]
            country = iso or (hit[0].country if hit else None)
            self.context.update([country] if country else [])
        self.rules = constraints(doc, cands, self.context)
        self.placey: set[int] = set()
        for cand in cands:
            entry = self.first[cand.start] = self.resolve(cand, final=False)
            if entry is not None and entry.country:
                self.context[entry.country] += 1
                if entry.kind not in ("country", "area") and entry.lat is not None:
                    self.anchors.add(fold(self._text(cand)), entry)
        self._find_place_lists(cands)

    def _find_place_lists(self, cands: list[Candidate]) -> None:
        """A list is a list of places when two members are in the gazetteer or it is cued."""
        hits: Counter[int] = Counter()
        for cand in cands:
            if cand.listed and (lookup(self._text(cand)) or self.first.get(cand.start)):
                hits[cand.listed] += 1
        for cand in cands:
            if cand.listed and (hits[cand.listed] >= 2 or cand.cue and hits[cand.listed]):
                self.placey.add(cand.listed)

    def _text(self, cand: Candidate) -> str:
        return self.doc[cand.start:cand.end].text

    def score(self, entry: Entry, strength: int, key: str) -> float:
        """Higher is likelier: match strength, kind, population, context, proximity."""
        top = max(self.context.values(), default=0)
        value = strength + 0.6 * math.log10(entry.population + 1)
        value += 4.0 if entry.kind == "country" else 0.0
        value += 2.5 if entry.curated else 0.0
        value += 4.0 * self.context.get(entry.country or "", 0) / top if top else 0.0
        return value + self.anchors.bonus(entry, key)

    def best(self, hits: list[tuple[Entry, int]], key: str) -> Entry | None:
        ranked = sorted(hits, key=lambda h: -self.score(h[0], h[1], key))
        return ranked[0][0] if ranked else None

    def resolve(self, cand: Candidate, final: bool) -> Entry | None:
        text = self._text(cand)
        if cand.form == "demonym":
            return get_gazetteer().countries.get(demonyms()[text.lower()])
        if cand.form in ("region", "region-bare"):
            return self._region(cand, text, final)
        if cand.form == "facility":
            return self._facility(cand, text, final)
        towns = lookup(text)
        regions = self._regions(text, towns)
        regions += [(e._replace(population=100000), 1) for e in self._loose_regions(cand, text)]
        towns = self._not_abroad(towns, regions)
        hits = self._curated_first(self._fit(cand, towns + regions))
        if cand.start not in self.rules and self._quarter(cand):
            top = self.context.most_common(1)[0][0] if self.context else None
            hits = [h for h in hits if h[0].curated or h[0].country == top]
        entry = self.best(hits, fold(text))  # a region beats a hamlet
        if entry is not None and cand.start not in self.rules and self._foreign_variant(
                entry, hits):
            entry = None
        if entry is None:
            return self._unresolved(cand, text) if final else None
        return entry if self._supported(cand, entry, text) else None

    def _foreign_variant(self, entry: Entry, hits: list[tuple[Entry, int]]) -> bool:
        """'Nasir' matching only a variant name of 'Nasir Extension' (Sudan) in a South Sudan
        story: a small place reached by a variant name, in a country the article never
        names (or barely), is more likely a namesake the gazetteer lacks than the right place."""
        strength = max((h for e, h in hits if e is entry), default=3)
        top = max(self.context.values(), default=0)
        return (strength < 3 and top > 0 and not self._strong(entry)
                and 4 * self.context.get(entry.country or "", 0) < top)

    @staticmethod
    def _strong(entry: Entry, text: str = "") -> bool:
        """A country, area, curated row, city of 50,000 or capital: a place on its own."""
        strong = entry.kind in ("country", "area") or entry.curated or entry.population >= 50000
        return strong or fold(text or entry.name) in get_gazetteer().capitals

    def _supported(self, cand: Candidate, entry: Entry, text: str) -> bool:
        if text.isupper() and not (entry.kind == "country" or entry.curated):
            return False  # "UN", "IDF": acronyms are places only when curated
        rule = self.rules.get(cand.start)
        if rule is not None and rule.sure:
            return True  # a member of a hierarchy the text states: "(Qandala, Bari)"
        strong = self._strong(entry, text)
        in_list = cand.listed in self.placey
        if cand.label in ("NORP", "PERSON"):  # the model's guess needs a real locative cue
            locative = bool(cand.cue) and (cand.cue_word not in cue("weak_cue") or cand.motion)
            return locative or in_list or strong
        return strong or bool(cand.cue) or in_list or cand.label in PLACE_LABELS

    def _region(self, cand: Candidate, text: str, final: bool) -> Entry | None:
        bare = cand.form == "region-bare"
        name = text if bare else self.doc[cand.start:cand.end - 1].text
        word = "" if bare else self.doc[cand.end - 1].lower_
        if fold(name) in cue("region_word") | cue("of_noun"):
            return None  # "State Department", "Region Council": no name before the word
        subregion = word in cue("subregion_word")
        if subregion:  # "Chiure district": second-level units are often named for a town
            hits = self._fit(cand, lookup(name))
            hit = self.best(hits, fold(name))
            if hit is not None and not self._foreign_variant(hit, hits):
                return hit
        regions = lookup_region(text) or lookup_region(name) or self._loose_regions(cand, name)
        hits = self._fit(cand, [(e, 3) for e in regions])
        found = self.best(hits, fold(name)) or (
            None if bare else self.best(self._fit(cand, lookup(name)), ""))
        rule = self.rules.get(cand.start)
        if found is None and final and rule is not None and rule.sure:
            return self._fallback(cand, text, rule)
        if found is None and final and cand.cue and (subregion or bare):
            return self._unresolved_region(cand, text)
        return found

    def _unresolved_region(self, cand: Candidate, text: str) -> Entry | None:
        """'in West Gojjam zone', 'in Rathedaung and Minbya townships': a second-level unit
        the gazetteer lacks, kept by name in the article's main country."""
        if text.isupper() or not self.context:
            return None
        country = self.context.most_common(1)[0][0]
        kind = "settlement" if cand.form == "region-bare" else "area"
        return Entry(text, kind, country, None, None, None)

    def _facility(self, cand: Candidate, text: str, final: bool) -> Entry | None:
        whole = self._fit(cand, [(e, s) for e, s in lookup(text) if e.curated])
        if whole:
            return self.best(whole, fold(text))
        tokens = list(self.doc[cand.start:cand.end])
        while tokens and tokens[-1].lower_ in _site_parts():  # "Goma (international) airport"
            tokens.pop()
        words = [t.text for t in tokens]
        if " ".join(words).isupper() or all(t.ent_type_ == "NORP" for t in tokens):
            return None  # "UN base": an organisation's; "a Hindu temple": not a name
        rule = self.rules.get(cand.start)
        base = self._longest_prefix(words, rule)
        feature = self.doc[cand.end - 1].lower_ in cue("feature_word")
        if feature and base is None:  # "the Danube river": rivers and seas cross borders
            return self._unknown_feature(cand, text) if final else None
        up = self.first.get(rule.parent) if rule and rule.parent is not None else None
        base = base or up or self._sentence_anchor(cand) or self._site_elsewhere(cand)
        if base is None or base.lat is None:
            return self._unresolved(cand, text, "facility") if final else None
        kind = "area" if feature else "facility"
        return Entry(text, kind, base.country, base.admin1, base.lat, base.lon)

    def _unknown_feature(self, cand: Candidate, text: str) -> Entry:
        """A feature the gazetteer lacks: rivers and seas cross borders (no country); a
        valley or island lies in one, the one the text names or the article is about."""
        country = None
        if self.doc[cand.end - 1].lower_ in cue("national_feature"):
            top = self.context.most_common(1)
            country = self._demonym_before(cand) or (top[0][0] if top else None)
        return Entry(text, "area", country, None, None, None)

    def _longest_prefix(self, words: list[str], rule: Constraint | None) -> Entry | None:
        """'Croix-des-Bouquets Civil Prison': the longest leading run of name words that the
        gazetteer knows places the facility; a shorter run only in a country the article is
        about ('Toussaint Louverture Airport' is not in Toussaint, France)."""
        for n in range(len(words), 0, -1):
            if not words[n - 1][:1].isupper():
                continue  # "Port-au-": a prefix ends on a name word
            hits = lookup(" ".join(words[:n]))
            if rule is not None:
                hits = [(e, h) for e, h in hits if fits(e, rule)]
            elif n < len(words) or not any(self._strong(e) for e, _ in hits) or (
                    self.context and not any(self.context.get(e.country or "") for e, _ in hits)):
                # a part of the name, or a small namesake ("Tine", France, for a crossing
                # in a Sudan story), must agree with the article's countries
                hits = [(e, h) for e, h in hits if self.context.get(e.country or "")]
            if hits:
                return self.best(hits, "")
        return None

    def _sentence_anchor(self, cand: Candidate) -> Entry | None:
        """The nearest place in the same sentence; a capital standing for its government
        ('Moscow claims ...') places nothing. Only the SENTENCE_REACH candidates on either
        side are looked at: prose names a few places per sentence, and reading all of a
        hostile sentence's thousands for each of them was quadratic."""
        group, at = self._sentence_group(cand)
        before = (c for c in reversed(group[max(0, at - SENTENCE_REACH):at])
                  if self._anchor(c, cand))
        after = (c for c in group[at + 1:at + 1 + SENTENCE_REACH] if self._anchor(c, cand))
        left, right = next(before, None), next(after, None)
        if left is None or right is not None and right.start - cand.start < cand.start - left.start:
            left = right  # the nearer; on a tie the earlier one, as min() over the text gave
        return self.first[left.start] if left is not None else None

    def _sentence_group(self, cand: Candidate) -> tuple[list[Candidate], int]:
        """The candidates of cand's sentence in text order, and cand's place among them."""
        if self._groups is None:
            self._groups, self._places = {}, {}
            for c in sorted(self.cands, key=lambda c: c.start):
                group = self._groups.setdefault(sentence_number(self.doc, c.start), [])
                self._places[id(c)] = len(group)
                group.append(c)
        group = self._groups.get(sentence_number(self.doc, cand.start), [])
        at = self._places.get(id(cand))
        if at is None or at >= len(group) or group[at] is not cand:  # not one of ours
            at = bisect.bisect_left([c.start for c in group], cand.start)
            return group[:at] + [cand] + group[at:], at
        return group, at

    def _anchor(self, c: Candidate, cand: Candidate) -> bool:
        """Can candidate c place a site named in its sentence (see _sentence_anchor)?"""
        e = self.first.get(c.start)
        return c.start != cand.start and e is not None and e.kind != "country" \
            and not self._metonym(c)

    def _metonym(self, c: Candidate) -> bool:
        """Is the candidate a capital standing for its government? (kept per candidate)"""
        if c.start not in self._metonyms:
            doc = self.doc
            self._metonyms[c.start] = is_government_metonym(
                doc, doc[c.start].idx, doc[c.end - 1].idx + len(doc[c.end - 1]))
        return self._metonyms[c.start]

    def _site_elsewhere(self, cand: Candidate) -> Entry | None:
        """'Lukoil refinery' in a headline, 'the NORSI refinery in the town of Kstovo' in the
        body: the same kind of site placed by a locative phrase elsewhere in the article."""
        for i, k in self._sites(self.doc[cand.end - 1].lower_):
            if cand.start <= i < cand.end:
                continue
            e = self.first.get(k)
            if e is not None and e.kind != "country" and e.lat is not None:
                return e
        return None

    def _sites(self, word: str) -> list[tuple[int, int]]:
        """(token, token of the name after it) for each "WORD in|near|at|outside (the|of)* X"
        in the text, found once per word rather than by a pass over the text per site."""
        if word not in self._site_phrases:
            doc, found = self.doc, []
            for tok in self._by_word().get(word, ()):
                k = tok.i + 1
                if k >= len(doc) or doc[k].lower_ not in ("in", "near", "at", "outside"):
                    continue
                k += 1
                while k < len(doc) and (doc[k].lower_ in ("the", "of") or doc[k].lower_ in
                                        cue("appositive_noun")):
                    k += 1
                found.append((tok.i, k))
            self._site_phrases[word] = found
        return self._site_phrases[word]

    def _by_word(self) -> dict[str, list[Token]]:
        if self._words is None:
            self._words = {}
            for tok in self.doc:
                self._words.setdefault(tok.lower_, []).append(tok)
        return self._words

    def _demonym_before(self, cand: Candidate) -> str | None:
        """'the Bangladeshi village of Ghumdhum': the cue phrase names the country."""
        for tok in self.doc[max(0, cand.start - 4):cand.start]:
            if tok.text[:1].isupper() and tok.lower_ in demonyms():
                return demonyms()[tok.lower_]
        return None

    def _unresolved(self, cand: Candidate, text: str, kind: str = "settlement") -> Entry | None:
        """A name the gazetteer lacks but the text calls a place ('the village of X', or a
        member of a list of places): kept by name, in the article's main country."""
        rule = self.rules.get(cand.start)
        if rule is not None and rule.sure and not text.isupper():
            return self._fallback(cand, text, rule)
        strong_cue = cand.cue == 2 or cand.cue and cand.label in PLACE_LABELS or (
            cand.cue_word in cue("strong_cue_word") and cand.label != "ORG") or (
            kind == "facility" and self.doc[cand.end - 1].lower_ in cue("site_word"))
        if not (strong_cue or cand.listed in self.placey) or text.isupper():
            return None
        near = [e for c in self._listed.get(cand.listed, ()) if cand.listed
                and (e := self.first.get(c.start)) is not None and e.country]
        countries = Counter(e.country for e in near) or self.context
        country = countries.most_common(1)[0][0] if countries else None
        country = self._demonym_before(cand) or country
        return Entry(text, kind, country, None, None, None)
