"""A place is stored once per key, however many writers race, even when its key has NULLs.

A country has no admin1 and a sea no country; a plain unique constraint never finds two
NULLs equal, so concurrent writers each stored "Burkina Faso". The race is reproduced two
ways, on each database: deterministically (a rival commits the same place between a
writer's lookup and its insert) and as it happens (eight threads store an article naming
the same countries at once, in different orders, through the store layer).
"""

from __future__ import annotations

import random
import threading
import traceback
from typing import Any

import pytest
from sqlalchemy import Column, PrimaryKeyConstraint, UniqueConstraint
from sqlalchemy import event as sa_event
from sqlmodel import Session, func, select

from app.db import get_engine
from app.ingest import store
from app.ingest.types import (
    ArticleDraft,
    ArticleMeta,
    CleanText,
    EventDraft,
    PlaceMention,
    Sentence,
    Span,
)
from app.models import Event, Place, metadata

WRITERS = 8
JOIN_TIMEOUT_S = 60.0
COUNTRIES = [("Burkina Faso", "BF", 12.5, -1.7), ("Mali", "ML", 17.6, -4.0),
             ("Niger", "NE", 17.6, 8.1), ("Chad", "TD", 15.5, 18.7)]
KEYS = [  # (id, place key): a country (admin1 NULL) and a sea (country and admin1 NULL)
    ("country", {"name": "Burkina Faso", "kind": "country", "country": "BF", "admin1": None}),
    ("sea", {"name": "Red Sea", "kind": "area", "country": None, "admin1": None}),
]


def _places(url: str, **key: Any) -> list[Place]:
    with Session(get_engine(url)) as session:
        return list(session.exec(select(Place).filter_by(**key)))


@pytest.mark.parametrize("key", [k[1] for k in KEYS], ids=[k[0] for k in KEYS])
def test_a_writer_that_loses_the_race_uses_the_winners_place(database_url: str,
                                                             key: dict[str, Any]) -> None:
    """Between this writer's lookup (nothing found) and its insert, a rival commits the place."""
    engine = get_engine(database_url)
    rival_ids: list[int | None] = []

    def rival_commits_first(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO PLACE") and not rival_ids:
            rival_ids.append(None)  # before the rival's own insert, so it does not recurse
            with Session(engine) as rival:
                place = Place(**key)
                rival.add(place)
                rival.commit()
                rival_ids[0] = place.id

    sa_event.listen(engine, "before_cursor_execute", rival_commits_first)
    try:
        with Session(engine) as session:
            place = store._get_or_create(session, Place, **key)
            session.commit()
            got = place.id
    finally:
        sa_event.remove(engine, "before_cursor_execute", rival_commits_first)
    assert rival_ids and rival_ids[0] is not None, "the rival never ran: the test is void"
    assert [p.id for p in _places(database_url, **key)] == [rival_ids[0]]
    assert got == rival_ids[0]


def _draft(writer: int, countries: list[tuple[str, str, float, float]]) -> ArticleDraft:
    """An article (distinct text per writer) with one event at each of ``countries``."""
    text = f"Dispatch {writer}. " + " ".join(f"Troops clashed in {name}." for name, *_ in countries)
    events, offset = [], len(f"Dispatch {writer}. ")
    for index, (name, code, lat, lon) in enumerate(countries):
        sentence_text = f"Troops clashed in {name}."
        sentence = Sentence(index + 1, offset, offset + len(sentence_text), sentence_text)
        start = offset + sentence_text.index(name)
        mention = PlaceMention(Span(start, start + len(name), name), name, "country", code,
                               None, lat, lon)
        events.append(EventDraft(sentence=sentence, type="armed_clash", acled_event_type=None,
                                 acled_sub_event_type=None, place=mention, date=None))
        offset += len(sentence_text) + 1
    clean = CleanText(text=text, meta=ArticleMeta(title=f"Dispatch {writer}"))
    return ArticleDraft(clean=clean, sentences=tuple(e.sentence for e in events),
                        events=tuple(events))


def test_concurrent_articles_naming_the_same_countries_store_each_once(
        database_url: str) -> None:
    """Eight writers at once, each naming the same four countries in its own order."""
    engine = get_engine(database_url)
    shuffled = [random.Random(writer).sample(COUNTRIES, len(COUNTRIES))
                for writer in range(WRITERS)]
    drafts = [_draft(writer, countries) for writer, countries in enumerate(shuffled)]
    start = threading.Barrier(WRITERS)
    errors: list[str] = []

    def write(draft: ArticleDraft) -> None:
        try:
            with Session(engine) as session:
                start.wait(timeout=JOIN_TIMEOUT_S)
                assert store.store_draft(session, draft).created
        except Exception:  # noqa: BLE001 - any failure of any writer is the finding
            errors.append(traceback.format_exc(limit=4))

    threads = [threading.Thread(target=write, args=(d,), name=f"writer-{i}")
               for i, d in enumerate(drafts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(JOIN_TIMEOUT_S)
    assert not [t.name for t in threads if t.is_alive()], "a writer hung"
    assert errors == []
    with Session(engine) as session:
        stored = session.exec(select(Place.name, func.count()).group_by(Place.name)).all()
        assert sorted(stored) == sorted((name, 1) for name, *_ in COUNTRIES)
        assert session.exec(select(func.count()).select_from(Event)).one() == (
            WRITERS * len(COUNTRIES))


def test_no_natural_key_has_a_bare_nullable_column() -> None:
    """The audit behind the place fix, kept as a check: every unique key (constraint or
    index) of every table either has no nullable column or wraps it (coalesce), because a
    NULL never collides with another NULL."""
    keys: list[tuple[str, str, list[Any]]] = []
    for table in metadata.tables.values():
        keys += [(table.name, str(c.name), list(c.columns)) for c in table.constraints
                 if isinstance(c, UniqueConstraint | PrimaryKeyConstraint)]
        keys += [(table.name, str(ix.name), list(ix.expressions)) for ix in table.indexes
                 if ix.unique]
    assert any(name == "uq_place_key" for _, name, _ in keys)
    bare = [(table, name, part.name) for table, name, parts in keys for part in parts
            if isinstance(part, Column) and part.nullable]
    assert bare == []
