"""The public shapes the API returns and accepts: every field described for the OpenAPI.

Kept apart from the tables (``models.py``) because the public record is not the row: an
event's place, actors, figures and excerpt are nested objects here, columns there.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any, Generic, TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    HttpUrl,
    TypeAdapter,
    ValidationError,
    field_validator,
)

from app.models import META_MAX_LENGTH


class Excerpt(BaseModel):
    """The sentence a record came from; ``article.text[start:end] == text``."""

    text: str = Field(description="The sentence, exactly as in the article text")
    start: int = Field(description="Offset of its first character in the article text")
    end: int = Field(description="Offset just past its last character")


class DatePublic(BaseModel):
    """When it happened, as resolved from the text (relative dates against publication)."""

    start: date | None = Field(description="First day covered; null when unresolved")
    end: date | None = Field(description="Last day covered; null when unresolved")
    precision: str = Field(description="day|week|month|year|reported|unknown; reported: the "
                                       "article does not date it, so it happened on or shortly "
                                       "before publication ([published - 7 days, published])")
    text: str | None = Field(description="The date expression as written, e.g. 'on Wednesday'")


class PlacePublic(BaseModel):
    """A geocoded place (GeoNames where known)."""

    id: int = Field(description="Stable place id; use it in the `place` filter")
    name: str = Field(description="Canonical name, e.g. Kursk")
    kind: str = Field(description="country|admin1|settlement|facility|border_crossing|area")
    country: str | None = Field(description="ISO 3166-1 alpha-2; null for seas and areas")
    admin1: str | None = Field(description="First-level division, e.g. Kursk Oblast")
    lat: float | None = Field(description="Latitude, WGS 84")
    lon: float | None = Field(description="Longitude, WGS 84")
    geonames_id: int | None = Field(description="GeoNames id when the place is in GeoNames")


ACTOR_KINDS = "state|military_unit|armed_group|person|organization|media|civilians"


class ActorRef(BaseModel):
    """An event's actor1 or actor2, as ACLED codes them."""

    id: int = Field(description="Stable actor id; use it in the `actor` filter")
    name: str = Field(description="Canonical name; `civilians` for unarmed people targeted")
    kind: str = Field(description=ACTOR_KINDS)


class ActorPublic(BaseModel):
    """An actor's part in one event."""

    id: int = Field(description="Stable actor id; use it in the `actor` filter")
    name: str = Field(description="Canonical name, e.g. Ukraine for 'Kyiv' or 'Ukrainian troops'")
    kind: str = Field(description=ACTOR_KINDS)
    role: str = Field(description="initiator|target|claimant|other")


class PlaceCount(PlacePublic):
    """A place with how many events happened there."""

    events: int = Field(description="Events at this place")


class ActorCount(BaseModel):
    """An actor with how many events it takes part in."""

    id: int = Field(description="Stable actor id")
    name: str = Field(description="Canonical name")
    kind: str = Field(description=ACTOR_KINDS)
    country: str | None = Field(description="ISO 3166-1 alpha-2 of a state or its forces")
    events: int = Field(description="Events this actor takes part in")


class FigurePublic(BaseModel):
    """A claimed number, with who claims it, how hedged, and the words it came from."""

    id: int = Field(description="Stable figure id, never reused")
    article_id: int = Field(description="The article it was read from")
    event_id: int | None = Field(description="The event it belongs to")
    value: float | None = Field(description="Central number; null for ranges and vague amounts")
    low: float | None = Field(description="Lower bound ('at least 100', 'tens of thousands')")
    high: float | None = Field(description="Upper bound ('as many as 300', 'up to 50')")
    unit: str = Field(description="person|km|km2|mile|sq_mile|settlement|vehicle|aircraft|"
                                  "drone|missile|percent|usd|other")
    counts: str = Field(description="What is counted: troops|killed|wounded|civilians_killed|"
                                    "prisoners|evacuated|area_controlled|distance_advanced|..."
                                    " (see /v1/meta)")
    si_value: float | None = Field(description="value in si_unit (lengths in km, areas in km2)")
    si_unit: str | None = Field(description="km or km2 for lengths and areas, else null")
    claimant: str | None = Field(description="Who asserts it; null when the outlet states it")
    claimant_actor_id: int | None = Field(description="The claimant as an actor, when known")
    hedged: bool = Field(description="True when the claim is qualified (reportedly, up to, ...)")
    hedge: str | None = Field(description="The hedging words, e.g. 'as many as'")
    text: str = Field(description="The figure's own words, e.g. 'as many as 300 Ukrainians'")
    start: int = Field(description="Offset of the figure's words in the article text")
    end: int = Field(description="Offset just past the figure's words")
    excerpt: Excerpt = Field(description="The sentence the figure is in")
    scope: str = Field(default="event", description=(
        "event: about this occurrence | cumulative: a war's or campaign's toll | breakdown: "
        "part of a total already stated | context: population, distance between places, "
        "weapon specifications. Stats and sums count event figures only unless asked"))
    created_at: datetime = Field(description="When the record was stored (UTC)")
    updated_at: datetime = Field(description="When the record last changed (UTC)")


class EventPublic(BaseModel):
    """One occurrence (or claimed occurrence) as an analyst codes it: one type, place, date
    and pair of actors, however many sentences of the article report it (``mentions``)."""

    id: int = Field(description="Stable event id, never reused")
    article_id: int = Field(description="The article it was read from")
    type: str = Field(description="frontwire event type, e.g. ground_assault (see /v1/meta)")
    acled_event_type: str | None = Field(description="Nearest ACLED event type, e.g. Battles")
    acled_sub_event_type: str | None = Field(description="Nearest ACLED sub-event type")
    date: DatePublic = Field(description="When, with its precision")
    place: PlacePublic | None = Field(description="Where; null when the text does not say")
    actors: list[ActorPublic] = Field(description="Who, each with a role")
    actor1: ActorRef | None = Field(description="Who acted, or null")
    actor2: ActorRef | None = Field(
        description="Who was acted upon (`civilians` for unarmed people targeted), or null")
    fatalities: int | None = Field(
        description="Deaths this event caused: where sources differ, the lowest a named "
                    "source states; null when the text gives none")
    background: bool = Field(
        description="Recalled from more than 30 days before publication; lists and stats "
                    "leave such events out unless include_background=true")
    incident_id: int | None = Field(
        description="The cross-article incident this event belongs to (null until incidents "
                    "are built)")
    figures: list[FigurePublic] = Field(description="The numbers claimed about this event")
    excerpt: Excerpt = Field(description="The main sentence the event was read from")
    mentions: list[Excerpt] = Field(
        description="Every sentence that reports this event, in text order (the excerpt "
                    "among them)")
    created_at: datetime = Field(description="When the record was stored (UTC)")
    updated_at: datetime = Field(description="When the record last changed (UTC)")


class ArticlePublic(BaseModel):
    """A stored article with how much was extracted from it."""

    id: int = Field(description="Stable article id, never reused")
    title: str | None = Field(description="Headline, from the text or the request")
    author: str | None = Field(description="Byline")
    publisher: str | None = Field(description="Outlet")
    url: str | None = Field(description="Where it was published")
    published: date | None = Field(description="Publication date; relative dates resolve to it")
    language: str = Field(description="ISO 639-1 language code detected from the text")
    sha256: str = Field(description="SHA-256 of the stored text: the same text is stored once")
    ingested_at: datetime = Field(description="When it was stored (UTC)")
    updated_at: datetime = Field(description="When it last changed (UTC)")
    event_count: int = Field(default=0, description=(
        "Events extracted from it, as /v1/events?article_id= lists them (background events, "
        "recalled from more than 30 days before publication, not counted)"))
    figure_count: int = Field(default=0, description="Figures extracted from it")


class ArticlePosted(ArticlePublic):
    """The answer to ``POST /v1/articles``: the stored article and what extraction did."""

    extraction: str = Field(
        pattern=r"^(done|skipped: language [a-z]{2,3})$", examples=["done", "skipped: language fr"],
        description="What extraction did with the text: `done` (it ran; `event_count` 0 then "
                    "means nothing in the text reads as a conflict event), or `skipped: "
                    "language <code>` (not English: stored without events or figures, "
                    "because the extractors read English only)")


class ArticleDetail(ArticlePublic):
    """A stored article with its text."""

    text: str = Field(description="The stored text every excerpt offset points into")


WEB_SCHEMES = ("http", "https")
# As written, not only as parsed: the WHATWG parser also reads "http:host" and "https:///host"
ABSOLUTE_WEB_URL = re.compile(r"https?://[^/\\?#\s]", re.IGNORECASE)
_HTTP_URL: TypeAdapter[HttpUrl] = TypeAdapter(HttpUrl)


def _limited(limit: int, description: str) -> Any:
    """An optional metadata string of at most ``limit`` characters (422 beyond)."""
    return Field(default=None, max_length=limit,
                 description=f"{description} (at most {limit} characters)")


class ArticleMetadataIn(BaseModel):
    """Metadata a client or a sidecar ``NAME.meta.json`` may state about an article.

    Every value is stored and echoed in every list, and ``url`` becomes a link's ``href`` on
    the dashboard: so lengths are bounded and only absolute web links are accepted.
    """

    title: str | None = _limited(META_MAX_LENGTH["title"], "Headline; found in the text if absent")
    publisher: str | None = _limited(META_MAX_LENGTH["publisher"], "Outlet")
    author: str | None = _limited(META_MAX_LENGTH["author"], "Byline")
    url: str | None = _limited(META_MAX_LENGTH["url"],
                               "Where it was published: an absolute http or https URL")

    @field_validator("title", "publisher", "author", "url")
    @classmethod
    def _no_nul(cls, value: str | None) -> str | None:
        """PostgreSQL text cannot hold NUL; refuse it on every database alike."""
        if value is not None and "\x00" in value:
            raise ValueError("must not contain NUL (\\x00) characters")
        return value

    @field_validator("url")
    @classmethod
    def _web_link(cls, value: str | None) -> str | None:
        """Only http(s): a ``javascript:`` or ``data:`` link would run in a reader's browser.

        Checked with the WHATWG URL parser browsers use (pydantic's), so what passes here is
        what a browser opens; the value is stored as sent, only trimmed.
        """
        if value is None or not value.strip():
            return None
        value = value.strip()
        try:
            parsed = _HTTP_URL.validate_python(value)
        except ValidationError:
            parsed = None
        if (parsed is None or parsed.scheme not in WEB_SCHEMES or not parsed.host
                or not ABSOLUTE_WEB_URL.match(value)):
            raise ValueError("must be an absolute http:// or https:// URL")
        return value


class ArticleIn(ArticleMetadataIn):
    """Body of ``POST /v1/articles``; only ``text`` is required."""

    text: str = Field(min_length=1, description="The article as plain text (HTML is cleaned)")
    published: date | None = Field(default=None,
                                   description="Publication date; found in the text if absent")


def metadata_errors(error: ValidationError) -> str:
    """A validation error on one line, field first: ``url: must be an absolute ...``."""
    return "; ".join(f"{'.'.join(str(part) for part in e['loc']) or 'value'}: {e['msg']}"
                     for e in error.errors(include_url=False))


class ClaimPublic(FigurePublic):
    """One claimant's figure in a claims group, with its event's date."""

    date: DatePublic = Field(description="The date of the figure's event")


class ClaimGroup(BaseModel):
    """Figures that measure the same thing at the same place over overlapping dates."""

    key: str = Field(description="Stable group key: counts|measure|anchor|first date")
    counts: str = Field(description="What every claim in the group counts")
    measure: str = Field(description="The dimension compared: SI unit (km, km2) or unit")
    scope: str = Field(description="place|admin1|country, or event when there is no place")
    place: PlacePublic | None = Field(description="The place, when grouped by place")
    country: str | None = Field(description="ISO 3166-1 alpha-2 of the anchor")
    event_id: int | None = Field(description="The event, when the claims have no place")
    date_start: date | None = Field(description="Earliest date among the claims")
    date_end: date | None = Field(description="Latest date among the claims")
    claimants: list[str | None] = Field(description="Distinct claimants; null = the outlet")
    contested: bool = Field(description="At least two claimants with different numbers")
    min_value: float | None = Field(description="Smallest number claimed (SI units if any)")
    max_value: float | None = Field(description="Largest number claimed (SI units if any)")
    claims: list[ClaimPublic] = Field(description="Each claim with claimant, hedge, excerpt")


class ChangePublic(BaseModel):
    """One entry of the change log."""

    seq: int = Field(description="Sequence number; ask again with after=<last seq seen>")
    entity: str = Field(description="article|event|figure")
    id: int = Field(description="The record's id")
    action: str = Field(description="created|updated|deleted (a deleted id never returns)")
    at: datetime = Field(description="When the change was committed (UTC)")


T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """A page of a list; follow ``next_cursor`` until it is null."""

    # Parametrized generics (Page[EventPublic]) do not inherit the docstring; this they do.
    model_config = ConfigDict(json_schema_extra={
        "description": "A page of a list; follow next_cursor until it is null."})

    items: list[T] = Field(description="The records of this page")
    next_cursor: str | None = Field(
        default=None, description="Pass as `cursor` for the next page; null on the last page")
    total: int | None = Field(
        default=None, description="Every matching record, when asked with count=true")


# Parametrized once here: pydantic caches generic models only while something holds them,
# and building one per request costs more than the page itself.
EventPage = Page[EventPublic]
FigurePage = Page[FigurePublic]
ClaimPage = Page[ClaimGroup]
ArticlePage = Page[ArticlePublic]
PlacePage = Page[PlaceCount]
ActorPage = Page[ActorCount]
ChangePage = Page[ChangePublic]
