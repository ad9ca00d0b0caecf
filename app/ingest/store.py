"""Write one article's draft in one transaction, idempotently by content hash.

Either the article and everything extracted from it are committed together or nothing is:
a crash mid-batch leaves no article without its events and no orphan rows, and re-running
the batch skips what was already stored.
"""

from __future__ import annotations

import bisect
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel, col, select

from app.ingest.types import (
    ActorMention,
    ArticleDraft,
    EventDraft,
    FigureMention,
    PlaceMention,
    Sentence,
    Span,
)
from app.ingestion import ArticleMeta
from app.models import (
    META_MAX_LENGTH,
    Actor,
    Article,
    Change,
    Event,
    EventActor,
    EventMention,
    Figure,
    Place,
)

_Row = TypeVar("_Row", bound=SQLModel)


@dataclass(frozen=True)
class StoreResult:
    article_id: int
    created: bool
    events: int
    figures: int


def content_hash(text: str) -> str:
    """The identity of an article: the SHA-256 of its stored text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def find_existing(session: Session, text: str) -> Article | None:
    """The stored article with exactly this text, if any."""
    return session.exec(select(Article).where(Article.sha256 == content_hash(text))).first()


def store_draft(session: Session, draft: ArticleDraft) -> StoreResult:
    """Insert the article, its events, actors and figures; commit once at the end."""
    existing = find_existing(session, draft.clean.text)
    if existing is not None:
        return StoreResult(existing.id or 0, False, 0, 0)
    meta = _bounded(draft.clean.meta)
    article = Article(title=meta.title, author=meta.author, publisher=meta.publisher,
                      url=meta.url, published=meta.published, language=meta.language,
                      sha256=content_hash(draft.clean.text), text=draft.clean.text)
    session.add(article)
    try:
        session.flush()
        _reserve_keys(session, draft)
        locate = sentence_locator(draft.sentences)
        figure_count = sum(_store_event(session, article, event, locate)
                           for event in draft.events)
        figure_count += _store_loose_figures(session, article, draft)
        _log_created(session, article)
        session.commit()
    except IntegrityError:
        session.rollback()
        raced = find_existing(session, draft.clean.text)
        if raced is None:
            raise
        return StoreResult(raced.id or 0, False, 0, 0)
    return StoreResult(article.id or 0, True, len(draft.events), figure_count)


def _store_loose_figures(session: Session, article: Article, draft: ArticleDraft) -> int:
    """The article's figures that belong to no event (a cumulative toll, a population):
    still claims about the conflict, stored with no event and their own sentence."""
    in_events = {figure for event in draft.events for figure in event.figures}
    loose = [figure for figure in draft.figures if figure not in in_events]
    locate = sentence_locator(draft.sentences)
    for figure in loose:
        sentence = locate(figure) or Sentence(
            0, figure.span.start, figure.span.end, figure.span.text)
        session.add(_figure_row(session, article, None, sentence, (), figure))
    return len(loose)


def _bounded(meta: ArticleMeta) -> ArticleMeta:
    """Metadata cut to the stored limits. A client's own values were refused past them
    (422); these were read from the text (a "headline" of four 500-character words)."""
    long: dict[str, Any] = {  # str fields only; Any because replace() types each field
        name: value[:limit].rstrip() for name, limit in META_MAX_LENGTH.items()
        if isinstance(value := getattr(meta, name), str) and len(value) > limit}
    return replace(meta, **long) if long else meta


def _log_created(session: Session, article: Article) -> None:
    """Change-log rows for the article and everything extracted from it, in the same commit."""
    session.flush()
    session.add(Change(entity="article", entity_id=article.id or 0, action="created"))
    for entity, model in (("event", Event), ("figure", Figure)):
        ids = session.exec(select(model.id).where(model.article_id == article.id)
                           .order_by(col(model.id))).all()
        session.add_all(Change(entity=entity, entity_id=row_id or 0, action="created")
                        for row_id in ids)


def _store_event(session: Session, article: Article, draft: EventDraft,
                 locate: Locate) -> int:
    """One event row with its actor links and figures; returns the figures stored."""
    place = _place(session, draft.place) if draft.place else None
    when = draft.date
    event = Event(
        article_id=article.id or 0, place_id=place.id if place else None,
        country=place.country if place else None, type=draft.type,
        acled_event_type=draft.acled_event_type, acled_sub_event_type=draft.acled_sub_event_type,
        date_start=when.start if when else None, date_end=when.end if when else None,
        date_precision=when.precision if when else "unknown",
        date_text=when.span.text if when else None, sentence_index=draft.sentence.index,
        excerpt_text=draft.sentence.text, excerpt_start=draft.sentence.start,
        excerpt_end=draft.sentence.end,
        actor1_id=_actor(session, draft.actor1).id if draft.actor1 else None,
        actor2_id=_actor(session, draft.actor2).id if draft.actor2 else None,
        fatalities=draft.fatalities, background=draft.background,
    )
    session.add(event)
    session.flush()
    for mention in _actor_links(draft):
        actor = _actor(session, mention)
        session.add(EventActor(event_id=event.id or 0, actor_id=actor.id or 0,
                               role=mention.role, text=mention.span.text))
    session.add_all(EventMention(event_id=event.id or 0, position=position, start=s.start,
                                 end=s.end, text=s.text)
                    for position, s in enumerate(mention_sentences(draft)))
    for figure in draft.figures:
        sentence = locate(figure) or draft.sentence
        session.add(_figure_row(session, article, event, sentence, draft.actors, figure))
    return len(draft.figures)


Locate = Callable[[FigureMention], Sentence | None]


def sentence_locator(sentences: tuple[Sentence, ...]) -> Locate:
    """figure -> the sentence holding its words (a binary search over sentence starts): a
    merged event's figures come from any of its mentions, and an excerpt holds its figure."""
    starts = [s.start for s in sentences]

    def locate(figure: FigureMention) -> Sentence | None:
        at = bisect.bisect_right(starts, figure.span.start) - 1
        if at >= 0 and figure.span.start < sentences[at].end:
            return sentences[at]
        return None

    return locate


def mention_sentences(draft: EventDraft) -> list[Sentence]:
    """Every sentence reporting the event, the main one included, once each, in text order."""
    by_start = {s.start: s for s in (*draft.mentions, draft.sentence)}
    return [by_start[start] for start in sorted(by_start)]


def _actor_links(draft: EventDraft) -> list[ActorMention]:
    """The event's actors, with actor1 as initiator and actor2 as target when the actor list
    does not already say so: the ``actor`` filter and the actor stats read these links.
    ``civilians`` stays actor2 only: unarmed people are not an actor of the article."""
    links = list(draft.actors)
    seen = {(m.name, m.kind, m.role) for m in links}
    for mention, role in ((draft.actor1, "initiator"), (draft.actor2, "target")):
        if mention is None or mention.kind == "civilians":
            continue
        if (mention.name, mention.kind, role) not in seen:
            links.append(replace(mention, role=role))
            seen.add((mention.name, mention.kind, role))
    return links


def _figure_row(session: Session, article: Article, event: Event | None, sentence: Sentence,
                actors: tuple[ActorMention, ...], figure: FigureMention) -> Figure:
    claimant_actor = _claimant_actor(session, figure.claimant, actors)
    return Figure(
        article_id=article.id or 0, event_id=event.id if event else None, value=figure.value,
        low=figure.low,
        high=figure.high, unit=figure.unit, counts=figure.counts, si_value=figure.si_value,
        si_unit=figure.si_unit, claimant=figure.claimant,
        claimant_actor_id=claimant_actor.id if claimant_actor else None,
        hedged=figure.hedged, hedge=figure.hedge, text=figure.span.text,
        start=figure.span.start, end=figure.span.end, excerpt_text=sentence.text,
        excerpt_start=sentence.start, excerpt_end=sentence.end, scope=figure.scope,
    )


def _reserve_keys(session: Session, draft: ArticleDraft) -> None:
    """Get or create the article's places, then its actors, each in one sorted order.

    Two transactions inserting the same new keys in opposite orders would each wait for the
    other's uncommitted row (PostgreSQL then aborts one as a deadlock); taking keys in one
    global order cannot form such a cycle. The events then find these rows already there.
    """
    places: dict[tuple[str, str, str, str], PlaceMention] = {}
    for event in draft.events:
        if event.place:  # the first mention's coordinates fill a new place, as before
            places.setdefault(_place_key(event.place), event.place)
    for key in sorted(places):
        _place(session, places[key])
    actors: dict[tuple[str, str], str | None] = {}
    for event in draft.events:
        for mention in _actor_links(event):
            actors[mention.name, mention.kind] = (actors.get((mention.name, mention.kind))
                                                  or mention.country)
        for figure in event.figures:
            claimant = _claimant_of(figure.claimant, event.actors)
            if isinstance(claimant, tuple):
                actors.setdefault(claimant, None)
    for figure in draft.figures:
        claimant = _claimant_of(figure.claimant, ())
        if isinstance(claimant, tuple):
            actors.setdefault(claimant, None)
    for (name, kind), country in sorted(actors.items()):
        _actor(session, ActorMention(span=Span(0, 0, ""), name=name, kind=kind,
                                     country=country))


def _place_key(mention: PlaceMention) -> tuple[str, str, str, str]:
    """The place's natural key as the unique index compares it (a missing value is '')."""
    return mention.name, mention.kind, mention.country or "", mention.admin1 or ""


def _claimant_of(claimant: str | None, actors: tuple[ActorMention, ...]
                 ) -> ActorMention | tuple[str, str] | None:
    """Who a claimant string names: one of the event's actors, a dictionary (name, kind)."""
    if not claimant:
        return None
    for mention in actors:
        if claimant in (mention.name, mention.span.text):
            return mention
    from app.vocabulary.actors import canonical_actor

    return canonical_actor(claimant)


def _claimant_actor(session: Session, claimant: str | None,
                    actors: tuple[ActorMention, ...]) -> Actor | None:
    """The actor behind a claimant string: one of the event's actors or a dictionary entry."""
    found = _claimant_of(claimant, actors)
    if found is None:
        return None
    if isinstance(found, ActorMention):
        return _actor(session, found)
    name, kind = found
    return _get_or_create(session, Actor, name=name, kind=kind)


def _place(session: Session, mention: PlaceMention) -> Place:
    place = _get_or_create(session, Place, name=mention.name, kind=mention.kind,
                           country=mention.country, admin1=mention.admin1)
    if place.lat is None and mention.lat is not None:
        place.lat, place.lon, place.geonames_id = mention.lat, mention.lon, mention.geonames_id
        session.add(place)
    return place


def _actor(session: Session, mention: ActorMention) -> Actor:
    actor = _get_or_create(session, Actor, name=mention.name, kind=mention.kind)
    if actor.country is None and mention.country:
        actor.country = mention.country
        session.add(actor)
    return actor


def _get_or_create(session: Session, model: type[_Row], **key: object) -> _Row:
    """The row with these key columns, inserted first if missing (safe under races)."""
    statement = select(model).filter_by(**key)
    row = session.exec(statement).first()
    if row is not None:
        return row
    try:
        with session.begin_nested():
            row = model(**key)
            session.add(row)
        return row
    except IntegrityError:
        return session.exec(statement).one()
