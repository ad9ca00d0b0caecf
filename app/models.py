"""Tables and the public shapes the API returns.

Tables are SQLModel classes with ``table=True``; the schema itself is only ever created by
the Alembic migrations, which mirror these definitions. Public shapes are plain SQLModel
(pydantic) classes so the OpenAPI document describes every field.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Generic, TypeVar

from pydantic import BaseModel
from sqlalchemy import Column, Index, MetaData, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata: MetaData = SQLModel.metadata


def utcnow() -> datetime:
    """Timezone-aware now; one place so every timestamp agrees on UTC."""
    return datetime.now(UTC)


class Article(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    title: str | None = None
    author: str | None = None
    publisher: str | None = None
    url: str | None = None
    published: date | None = Field(default=None, index=True)
    language: str = "en"
    sha256: str = Field(unique=True, max_length=64)
    text: str = Field(sa_column=Column(Text, nullable=False))
    ingested_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class Place(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("name", "kind", "country", "admin1", name="uq_place_key"),)
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True)
    kind: str
    country: str | None = Field(default=None, index=True, max_length=2)
    admin1: str | None = Field(default=None, index=True)
    lat: float | None = None
    lon: float | None = None
    geonames_id: int | None = None


class Actor(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("name", "kind", name="uq_actor_name_kind"),)
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True)
    kind: str
    country: str | None = Field(default=None, max_length=2)


class Event(SQLModel, table=True):
    __table_args__ = (
        Index("ix_event_date", "date_start", "date_end"),
        Index("ix_event_country_date", "country", "date_start"),
    )
    id: int | None = Field(default=None, primary_key=True)
    article_id: int = Field(foreign_key="article.id", index=True, ondelete="CASCADE")
    place_id: int | None = Field(default=None, foreign_key="place.id", index=True)
    country: str | None = Field(default=None, max_length=2)
    type: str = Field(index=True)
    acled_event_type: str | None = None
    acled_sub_event_type: str | None = None
    date_start: date | None = None
    date_end: date | None = None
    date_precision: str = "unknown"
    date_text: str | None = None
    sentence_index: int
    excerpt_text: str = Field(sa_column=Column(Text, nullable=False))
    excerpt_start: int
    excerpt_end: int
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class EventActor(SQLModel, table=True):
    __tablename__ = "event_actor"
    event_id: int = Field(foreign_key="event.id", primary_key=True, ondelete="CASCADE")
    actor_id: int = Field(foreign_key="actor.id", primary_key=True, index=True)
    role: str = Field(default="other", primary_key=True)
    text: str | None = None


class Figure(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    article_id: int = Field(foreign_key="article.id", index=True, ondelete="CASCADE")
    event_id: int | None = Field(default=None, foreign_key="event.id", index=True, ondelete="CASCADE")
    value: float | None = None
    low: float | None = None
    high: float | None = None
    unit: str = "other"
    counts: str = Field(default="other", index=True)
    si_value: float | None = None
    si_unit: str | None = None
    claimant: str | None = None
    claimant_actor_id: int | None = Field(default=None, foreign_key="actor.id")
    hedged: bool = False
    hedge: str | None = None
    text: str
    start: int
    end: int
    excerpt_text: str = Field(sa_column=Column(Text, nullable=False))
    excerpt_start: int
    excerpt_end: int
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


# ---------------------------------------------------------------- public shapes


class Excerpt(SQLModel):
    """The sentence a record came from; ``article.text[start:end] == text``."""

    text: str
    start: int
    end: int


class DatePublic(SQLModel):
    start: date | None = Field(description="First day covered; null when unresolved")
    end: date | None = Field(description="Last day covered; null when unresolved")
    precision: str = Field(description="day|week|month|year|unknown")
    text: str | None = Field(description="The date expression as written")


class PlacePublic(SQLModel):
    id: int
    name: str
    kind: str = Field(description="country|admin1|settlement|facility|border_crossing|area")
    country: str | None = Field(description="ISO 3166-1 alpha-2; null for seas")
    admin1: str | None
    lat: float | None
    lon: float | None
    geonames_id: int | None


class ActorPublic(SQLModel):
    id: int
    name: str
    kind: str = Field(description="state|military_unit|armed_group|person|organization|media")
    role: str = Field(description="initiator|target|claimant|other")


class PlaceCount(PlacePublic):
    events: int = Field(description="Events at this place")


class ActorCount(SQLModel):
    id: int
    name: str
    kind: str
    country: str | None
    events: int = Field(description="Events this actor takes part in")


class FigurePublic(SQLModel):
    id: int
    article_id: int
    event_id: int | None
    value: float | None = Field(description="Central number; null for ranges and vague amounts")
    low: float | None
    high: float | None
    unit: str
    counts: str
    si_value: float | None
    si_unit: str | None
    claimant: str | None = Field(description="Who asserts it; null when the outlet states it")
    claimant_actor_id: int | None
    hedged: bool
    hedge: str | None
    text: str = Field(description="The figure's own words")
    start: int
    end: int
    excerpt: Excerpt


class EventPublic(SQLModel):
    id: int
    article_id: int
    type: str
    acled_event_type: str | None
    acled_sub_event_type: str | None
    date: DatePublic
    place: PlacePublic | None
    actors: list[ActorPublic]
    figures: list[FigurePublic]
    excerpt: Excerpt
    created_at: datetime
    updated_at: datetime


class ArticlePublic(SQLModel):
    id: int
    title: str | None
    author: str | None
    publisher: str | None
    url: str | None
    published: date | None
    language: str
    sha256: str
    ingested_at: datetime
    event_count: int = 0
    figure_count: int = 0


class ArticleDetail(ArticlePublic):
    text: str


class ArticleIn(SQLModel):
    """Body of ``POST /v1/articles``; only ``text`` is required."""

    text: str = Field(min_length=1, description="The article as plain text (HTML is cleaned)")
    title: str | None = None
    publisher: str | None = None
    author: str | None = None
    url: str | None = None
    published: date | None = None


T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """A page of a list; follow ``next_cursor`` until it is null."""

    items: list[T]
    next_cursor: str | None = None
