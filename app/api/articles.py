"""``/v1/articles``: list, read, post and delete articles."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Response, status

from app import queries
from app.api.deps import CursorQuery, LimitQuery, SettingsDep, WriteAccess
from app.db import SessionDep
from app.models import ArticleDetail, ArticleIn, ArticlePublic, Page

router = APIRouter(prefix="/v1/articles", tags=["articles"])


@router.get("", response_model=Page[ArticlePublic], summary="List articles")
def list_articles(session: SessionDep, limit: LimitQuery = 50,
                  cursor: CursorQuery = None) -> Page[ArticlePublic]:
    page = queries.list_articles(session, limit=limit, cursor=cursor)
    return Page[ArticlePublic](items=page.items, next_cursor=page.next_cursor)


@router.get("/{article_id}", response_model=ArticleDetail, summary="One article with its text",
            responses={404: {"description": "No such article"}})
def get_article(article_id: int, session: SessionDep) -> ArticleDetail:
    article = queries.get_article(session, article_id)
    if article is None:
        raise HTTPException(404, f"No article with id {article_id}.")
    return article


@router.post(
    "", response_model=ArticlePublic, status_code=status.HTTP_201_CREATED,
    dependencies=[WriteAccess], summary="Ingest an article",
    responses={200: {"model": ArticlePublic, "description": "Already stored (same text)"},
               400: {"description": "Unreadable article"}, 401: {"description": "Bad key"},
               403: {"description": "Writes disabled"}, 413: {"description": "Too large"}},
)
def post_article(body: ArticleIn, response: Response, session: SessionDep,
                 settings: SettingsDep) -> ArticlePublic:
    if len(body.text.encode("utf-8")) > settings.max_article_bytes:
        raise HTTPException(413, f"Article text over {settings.max_article_bytes} bytes.")
    from app.ingest.read import UnreadableArticle
    from app.ingest.service import ingest_text
    from app.ingest.types import ArticleMeta

    overrides = ArticleMeta(title=body.title, author=body.author, publisher=body.publisher,
                            published=body.published, url=body.url)
    try:
        result = ingest_text(session, body.text, overrides)
    except UnreadableArticle as error:
        raise HTTPException(400, str(error)) from error
    if not result.created:
        response.status_code = status.HTTP_200_OK
    article = queries.get_article(session, result.article_id)
    assert article is not None
    return ArticlePublic.model_validate(article.model_dump(exclude={"text"}))


@router.delete("/{article_id}", status_code=status.HTTP_204_NO_CONTENT,
               dependencies=[WriteAccess], summary="Delete an article and its extractions",
               responses={404: {"description": "No such article"}})
def delete_article(article_id: int, session: SessionDep) -> Response:
    if not queries.delete_article(session, article_id):
        raise HTTPException(404, f"No article with id {article_id}.")
    return Response(status_code=status.HTTP_204_NO_CONTENT)
