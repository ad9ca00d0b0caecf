"""``/v1/articles``: list, read, post and delete articles."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query, Response, status

from app import queries
from app.api.deps import CursorQuery, LimitQuery, SettingsDep, WriteAccess
from app.api.output import json_page
from app.api.params import MAX_ID, CountQuery
from app.api.posted import (
    POST_DESCRIPTION,
    PostedDep,
    error_status,
    ingest_posted,
    one_line,
    request_body_schema,
)
from app.db import SessionDep
from app.schemas import ArticleDetail, ArticlePage, ArticlePublic

router = APIRouter(prefix="/v1/articles", tags=["articles"])


ArticleId = Annotated[int, Path(ge=1, le=MAX_ID, description="Article id", examples=[1])]


@router.get("", response_model=ArticlePage, summary="List articles")
def list_articles(
    session: SessionDep,
    language: Annotated[list[str], Query(
        description="ISO 639-1 language code; repeat to OR", examples=[["en"]])] = [],  # noqa: B006
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
    count: CountQuery = False,
) -> Response:
    """Stored articles in id order, with how many events and figures each gave."""
    page = queries.list_articles(session, limit=limit, cursor=cursor, language=language,
                                 count=count)
    return json_page(ArticlePage, page)


@router.get("/{article_id}", response_model=ArticleDetail, summary="One article with its text",
            responses={404: {"description": "No such article"}})
def get_article(article_id: ArticleId, session: SessionDep) -> ArticleDetail:
    article = queries.get_article(session, article_id)
    if article is None:
        raise HTTPException(404, f"No article with id {article_id}.")
    return article


@router.post(
    "", response_model=ArticlePublic, status_code=status.HTTP_201_CREATED,
    dependencies=[WriteAccess], summary="Ingest an article",
    description=POST_DESCRIPTION, openapi_extra={"requestBody": request_body_schema()},
    responses={200: {"model": ArticlePublic, "description": "Already stored (same text)"},
               400: {"description": "Unreadable article: empty, or no text in the HTML"},
               401: {"description": "Bad key"}, 403: {"description": "Writes disabled"},
               413: {"description": "Over the size limit (FRONTWIRE_MAX_ARTICLE_BYTES)"},
               415: {"description": "Binary content or an unsupported Content-Type"},
               503: {"description": "The extraction worker died on this article; retry"}},
)
def post_article(posted: PostedDep, response: Response, session: SessionDep,
                 settings: SettingsDep) -> ArticlePublic:
    from app.ingest.read import UnreadableArticle
    from app.ingest.worker_pool import ExtractionTimeout, WorkerLost

    try:
        result = ingest_posted(session, posted, settings.max_article_bytes,
                               settings.extraction_timeout)
    except (UnreadableArticle, ExtractionTimeout, WorkerLost) as error:
        raise HTTPException(error_status(error), one_line(error)) from error
    if not result.created:
        response.status_code = status.HTTP_200_OK
    article = queries.get_article(session, result.article_id)
    assert article is not None
    return ArticlePublic.model_validate(article.model_dump(exclude={"text"}))


@router.delete("/{article_id}", status_code=status.HTTP_204_NO_CONTENT,
               dependencies=[WriteAccess], summary="Delete an article and its extractions",
               responses={404: {"description": "No such article"}})
def delete_article(article_id: ArticleId, session: SessionDep) -> Response:
    if not queries.delete_article(session, article_id):
        raise HTTPException(404, f"No article with id {article_id}.")
    return Response(status_code=status.HTTP_204_NO_CONTENT)
