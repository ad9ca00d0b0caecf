"""Articles: pages with their extraction counts, one article with its text, deletion."""

from __future__ import annotations

from sqlmodel import Session, col, func, select

from app.models import Article, Change, Event, Figure
from app.queries.paging import PageResult, keyset_page
from app.schemas import ArticleDetail, ArticlePublic


def _article_counts(session: Session, ids: list[int]) -> tuple[dict[int, int], dict[int, int]]:
    """Events as the event list shows them by default (background ones left out), figures."""
    events = dict(session.exec(select(Event.article_id, func.count()).where(
        col(Event.article_id).in_(ids), col(Event.background).is_(False))
        .group_by(col(Event.article_id))).all())
    figures = dict(session.exec(select(Figure.article_id, func.count()).where(
        col(Figure.article_id).in_(ids)).group_by(col(Figure.article_id))).all())
    return events, figures


def list_articles(session: Session, *, limit: int, cursor: str | None = None,
                  language: list[str] | None = None, count: bool = False) -> PageResult:
    base = select(Article)
    if language:
        base = base.where(col(Article.language).in_([code.lower() for code in language]))
    return keyset_page(session, base, col(Article.id), limit=limit, cursor=cursor, count=count,
                       build=lambda rows: _articles_public(session, rows))


def _articles_public(session: Session, articles: list[Article]) -> list[ArticlePublic]:
    """Public articles with their event and figure counts, two queries for the page."""
    events, figures = _article_counts(session, [a.id or 0 for a in articles])
    return [ArticlePublic.model_validate(a, from_attributes=True).model_copy(
        update={"event_count": events.get(a.id or 0, 0),
                "figure_count": figures.get(a.id or 0, 0)})
        for a in articles]


def get_article(session: Session, article_id: int) -> ArticleDetail | None:
    article = session.get(Article, article_id)
    if article is None:
        return None
    events, figures = _article_counts(session, [article_id])
    return ArticleDetail.model_validate(article, from_attributes=True).model_copy(
        update={"event_count": events.get(article_id, 0),
                "figure_count": figures.get(article_id, 0)})


def delete_article(session: Session, article_id: int) -> bool:
    """Remove an article and everything extracted from it, leaving tombstones in the log.

    The tombstones (``deleted`` rows in the change log) go in the same transaction as the
    delete, so a mirror following ``/v1/changes`` learns of every removed id.
    """
    article = session.get(Article, article_id)
    if article is None:
        return False
    for entity, model in (("figure", Figure), ("event", Event)):
        ids = session.exec(select(model.id).where(model.article_id == article_id)
                           .order_by(col(model.id))).all()
        session.add_all(Change(entity=entity, entity_id=row_id or 0, action="deleted")
                        for row_id in ids)
    session.add(Change(entity="article", entity_id=article_id, action="deleted"))
    session.delete(article)
    session.commit()
    return True
