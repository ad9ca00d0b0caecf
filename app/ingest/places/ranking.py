"""How the resolver ranks a name's gazetteer entries: regions against same-named towns,
curated rows first, and the hierarchy the text states (``place_hierarchy``).

A mixin of ``place_resolve.Resolver``, split from it to keep each module small; the
methods read the resolver's article context (countries named), its first-pass results
and the hierarchy constraints of its candidates.
"""

from __future__ import annotations

from collections import Counter

from spacy.tokens import Doc

from app.ingest.gazetteer import (
    Entry,
    fold,
    get_gazetteer,
    lookup_region,
    lookup_region_loose,
    loose_key,
)
from app.ingest.places.candidates import Candidate
from app.ingest.places.hierarchy import Constraint, fits

QUARTER_WORDS = frozenset({"neighbourhood", "neighborhood", "quarter", "suburb", "locality"})


class Ranking:
    """Entry ranking shared by the resolver's passes (see module docstring)."""

    doc: Doc
    context: Counter[str]
    rules: dict[int, Constraint]
    first: dict[int, Entry | None]

    def _curated_first(self, hits: list[tuple[Entry, int]]) -> list[tuple[Entry, int]]:
        """A curated row is the reading the team chose for that name ('the Gulf' is the
        Persian Gulf): other hits survive it only in a country the article is about."""
        if not any(e.curated for e, _ in hits):
            return hits
        return [(e, s) for e, s in hits if e.curated or self.context.get(e.country or "")]

    def _regions(self, text: str, towns: list[tuple[Entry, int]]) -> list[tuple[Entry, int]]:
        """Regions called ``text``, ranked as a town of 100,000 named exactly (a loose
        match, or a region of a country the article never names while it names others,
        is weaker: 'Salah al-Din' in a Tripoli story is a district, not Iraq's province).
        A region named for its own capital ('Kidal', 'Zaporizhzhia') yields to that town:
        the bare name in news is the town."""
        exact = fold(text) in get_gazetteer().admin1
        inside: dict[tuple[str | None, str], Entry] = {}
        for e, s in sorted(towns, key=lambda h: h[0].population):  # the largest town wins
            if s >= 2 and e.kind == "settlement":
                inside[e.country, loose_key(e.admin1 or "")] = e
        out = []
        for region in lookup_region(text):
            town = inside.get((region.country, loose_key(region.admin1 or "")))
            if town is not None:  # the capital, as large as its region: "Kidal" on its own
                out.append((town._replace(population=max(town.population, 100000)), 3))
            else:
                out.append((region._replace(population=100000),
                            self._region_strength(region, exact)))
        return out

    def _region_strength(self, entry: Entry, exact: bool) -> int:
        if not exact:
            return 1
        return 3 if not self.context or self.context.get(entry.country or "") else 2

    def _not_abroad(self, towns: list[tuple[Entry, int]],
                    regions: list[tuple[Entry, int]]) -> list[tuple[Entry, int]]:
        """A state or province named exactly is not a same-named town in another country
        ('Queensland' is not Queensland, Alberta; 'Virginia' not Virginia, Free State),
        unless the article is about that country or the town outweighs the region (a
        city larger than the region's thousand-per-town size: Gaza beside Mozambique's
        Gaza province)."""
        if not regions:
            return towns
        homes = {e.country for e, _ in regions}
        size = max(e.population for e in self._region_rows(regions))
        gaz = get_gazetteer()
        return [(e, s) for e, s in towns if e.country in homes or e.kind in ("country", "area")
                or e.curated or e.population >= size or fold(e.name) in gaz.capitals
                or self.context.get(e.country or "")]

    @staticmethod
    def _region_rows(regions: list[tuple[Entry, int]]) -> list[Entry]:
        """The regions as the gazetteer holds them (``_regions`` re-ranks them)."""
        out = []
        for entry, _ in regions:
            rows = [e for e in lookup_region(entry.name) if e.country == entry.country]
            out.extend(rows or [entry])
        return out

    def _loose_regions(self, cand: Candidate, text: str) -> list[Entry]:
        """Regions spelt otherwise ("Hiraan", "Banadir" for GeoNames' Hiiraan, Banaadir):
        inside a stated hierarchy, or in a country the article is about ("Salah al-Din" in
        a Tripoli story is a district there, not Iraq's province)."""
        if fold(text) in get_gazetteer().admin1:
            return []
        found = lookup_region_loose(text)
        if cand.start in self.rules:
            return found
        return [e for e in found if self.context.get(e.country or "")]

    def _quarter(self, cand: Candidate) -> bool:
        """'the eastern Tuffah neighbourhood': a city's quarter, whose city the text does
        not name here; a same-named village in another country is not it."""
        end = cand.end
        return end < len(self.doc) and self.doc[end].lower_ in QUARTER_WORDS

    def _fit(self, cand: Candidate, hits: list[tuple[Entry, int]]) -> list[tuple[Entry, int]]:
        """Only the hits where the text's hierarchy puts the name ('Bari' in '(Qandala,
        Bari)' is Somalia's region), inside the region it names when it names one; none
        means the gazetteer lacks the place, and it falls back to its containing unit."""
        rule = self.rules.get(cand.start)
        if rule is None:
            return hits
        inside = [h for h in hits if fits(h[0], rule)]
        country = [h for h in hits if h[0].country == rule.country]
        if inside or not rule.admin1:
            return inside or country
        return [h for h in country if h[0].curated]  # "El Aguaje (Aguililla, Michoacan)":
        # not Veracruz's; a curated row's region may be spelt otherwise ("Gaza Strip")

    def _fallback(self, cand: Candidate, text: str, rule: Constraint) -> Entry:
        """A name the gazetteer lacks inside a unit the text names ('Aborey village (Bulo
        Burto, Hiraan)', "El-Fasher's Al-Daraja"): kept by name as an area at the nearest
        resolved containing unit's point (less precise), never at a namesake abroad."""
        up = self.first.get(rule.parent) if rule.parent is not None else None
        seen = {cand.start}
        while up is None and rule.parent is not None and rule.parent not in seen:
            seen.add(rule.parent)
            outer = self.rules.get(rule.parent)
            if outer is None:
                break
            rule = outer
            up = self.first.get(rule.parent) if rule.parent is not None else None
        if up is None or up.lat is None or up.kind == "country":
            return Entry(text, "area", rule.country, rule.admin1, None, None)
        return Entry(text, "area", up.country, up.admin1, up.lat, up.lon)
