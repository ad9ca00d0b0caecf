"""The database tables, as SQLModel classes (``table=True``).

The schema itself is only ever created by the Alembic migrations, which mirror these
definitions. The public shapes the API returns are pydantic models in ``app/schemas.py``,
built from these rows by the query layer.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import Column, Index, MetaData, Text, UniqueConstraint, false, func
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


# Longest accepted article metadata, in characters. The API refuses longer values (422), the
# CLI refuses them in sidecar files, and metadata read from the text itself is cut to them:
# a headline or a byline is never megabytes, and every value is echoed in every list.
META_MAX_LENGTH = {"title": 1000, "author": 300, "publisher": 300, "url": 2048}

# AUTOINCREMENT on SQLite so a deleted row's id is never handed out again (PostgreSQL
# sequences never reuse ids anyway): clients that mirror the data key on these ids.
NEVER_REUSE_IDS = {"sqlite_autoincrement": True}


class Article(SQLModel, table=True):
    __table_args__ = (NEVER_REUSE_IDS,)
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
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True)
    kind: str
    country: str | None = Field(default=None, index=True, max_length=2)
    admin1: str | None = Field(default=None, index=True)
    lat: float | None = None
    lon: float | None = None
    geonames_id: int | None = None


# A place's natural key. country is NULL for seas and areas and admin1 for countries, and a
# plain unique constraint never sees two NULLs as equal: concurrent writers each stored
# "Burkina Faso". Indexing coalesce(column, '') makes a missing value collide like any other
# (the same on SQLite and PostgreSQL; migration 0004 merged the duplicates it let in).
# (ignore[attr-defined]: SQLModel sets __table__ on table models without declaring it)
Index("uq_place_key", Place.__table__.c.name, Place.__table__.c.kind,  # type: ignore[attr-defined]
      func.coalesce(Place.__table__.c.country, ""),  # type: ignore[attr-defined]
      func.coalesce(Place.__table__.c.admin1, ""), unique=True)  # type: ignore[attr-defined]


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
        Index("ix_event_country_id", "country", "id", "date_start", "date_end"),
        NEVER_REUSE_IDS,
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
    # who acted and who was acted upon, as ACLED codes them (migration 0005)
    actor1_id: int | None = Field(default=None, foreign_key="actor.id", index=True)
    actor2_id: int | None = Field(default=None, foreign_key="actor.id", index=True)
    fatalities: int | None = None
    # indexed: lists leave out the few background events by id (filters.py), so the
    # covering indexes of the other filters stay covering
    background: bool = Field(default=False, index=True,
                             sa_column_kwargs={"server_default": false()})
    # the cross-article incident; no incident table yet, so no foreign key (a later issue)
    incident_id: int | None = Field(default=None, index=True)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow, index=True)


class EventMention(SQLModel, table=True):
    """One sentence that reports an event, in text order (the excerpt is one of them).

    The text is stored beside its offsets (``article.text[start:end] == text``) so a page of
    events never reads whole article texts to show their mentions.
    """

    __tablename__ = "event_mention"
    event_id: int = Field(foreign_key="event.id", primary_key=True, ondelete="CASCADE")
    position: int = Field(primary_key=True)
    start: int
    end: int
    text: str = Field(sa_column=Column(Text, nullable=False))


class EventActor(SQLModel, table=True):
    __tablename__ = "event_actor"
    __table_args__ = (Index("ix_event_actor_actor_event", "actor_id", "event_id"),)
    event_id: int = Field(foreign_key="event.id", primary_key=True, ondelete="CASCADE")
    actor_id: int = Field(foreign_key="actor.id", primary_key=True, index=True)
    role: str = Field(default="other", primary_key=True)
    text: str | None = None


class Figure(SQLModel, table=True):
    __table_args__ = (NEVER_REUSE_IDS,)
    id: int | None = Field(default=None, primary_key=True)
    article_id: int = Field(foreign_key="article.id", index=True, ondelete="CASCADE")
    event_id: int | None = Field(default=None, foreign_key="event.id", index=True,
                                 ondelete="CASCADE")
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
    # event|cumulative|breakdown|context (migration 0005); sums count ``event`` only
    scope: str = Field(default="event", index=True,
                       sa_column_kwargs={"server_default": "event"})
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow, index=True)


class Change(SQLModel, table=True):
    """The change log: one row per created, updated or deleted record, in commit order.

    Its id is the sync cursor of ``/v1/changes`` and the data version behind ETags; rows of
    deleted records stay here as tombstones, so a mirror learns about deletions too.
    """

    __tablename__ = "change_log"
    __table_args__ = (Index("ix_change_log_entity", "entity", "entity_id"), NEVER_REUSE_IDS)
    id: int | None = Field(default=None, primary_key=True)
    entity: str = Field(description="article|event|figure")
    entity_id: int
    action: str = Field(description="created|updated|deleted")
    at: datetime = Field(default_factory=utcnow, index=True)
