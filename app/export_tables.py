"""Flat CSV rows for the claims ledger, whose groups nest their claims.

Every other list (articles, places, actors, changes, stats) is flat already: its CSV row is
the record's own fields. A claims group becomes one row per claim, the group's columns
repeated on each, so a spreadsheet can filter and pivot claims without unnesting.
Kept apart from ``export.py`` (events and figures, ACLED columns); written by the same
``export.csv_lines``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from app.schemas import ClaimGroup

CLAIM_COLUMNS = (
    "group_key", "counts", "measure", "scope", "contested", "group_min_value",
    "group_max_value", "group_date_start", "group_date_end", "group_event_id", "country",
    "admin1", "location", "place_id", "latitude", "longitude", "figure_id", "article_id",
    "event_id", "value", "low", "high", "unit", "si_value", "si_unit", "claimant",
    "claimant_actor_id", "hedged", "hedge", "text", "start", "end", "event_date", "date_end",
    "date_precision", "excerpt", "excerpt_start", "excerpt_end", "created_at", "updated_at",
)


def claim_rows(group: ClaimGroup) -> Iterator[dict[str, Any]]:
    """One row per claim of ``group``, with the group's key, place and range."""
    place = group.place
    shared = {
        "group_key": group.key, "counts": group.counts, "measure": group.measure,
        "scope": group.scope, "contested": group.contested,
        "group_min_value": group.min_value, "group_max_value": group.max_value,
        "group_date_start": group.date_start, "group_date_end": group.date_end,
        "group_event_id": group.event_id, "country": group.country,
        "admin1": place.admin1 if place else None, "location": place.name if place else None,
        "place_id": place.id if place else None, "latitude": place.lat if place else None,
        "longitude": place.lon if place else None,
    }
    for claim in group.claims:
        data = claim.model_dump(exclude={"id", "excerpt", "date", "counts"})
        yield {**shared, "figure_id": claim.id, **data,
               "event_date": claim.date.start, "date_end": claim.date.end,
               "date_precision": claim.date.precision, "excerpt": claim.excerpt.text,
               "excerpt_start": claim.excerpt.start, "excerpt_end": claim.excerpt.end}
