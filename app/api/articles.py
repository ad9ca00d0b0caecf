"""``/v1/articles``: list, read, post and delete articles."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query, Request, Response, status

from app import queries
from app.api.deps import IngestorDep, SettingsDep, WriteAccess
from app.api.output import (
    TABLE_FORMATS,
    TABLE_RESPONSES,
    CursorParam,
    LimitParam,
    TableFormatQuery,
    list_answer,
    negotiate,
)
from app.api.params import CountQuery
from app.api.posted import (
    POST_DESCRIPTION,
    PostedDep,
    error_status,
    ingest_posted,
    one_line,
    request_body_schema,
)
from app.db import SessionDep
from app.ingestion import INGESTION_ERRORS
from app.queries.paging import MAX_ID
from app.schemas import ArticleDetail, ArticlePage, ArticlePosted, ArticlePublic

router = APIRouter(prefix="/v1/articles", tags=["articles"])


ArticleId = Annotated[int, Path(ge=1, le=MAX_ID, description="Article id", examples=[1])]
# OpenAPI links: what a client (and schemathesis' stateful run) can do with a stored article.
STORED_LINKS = {
    "GetArticle": {"operationId": "get_article",
                   "parameters": {"article_id": "$response.body#/id"},
                   "description": "The article with its text"},
    "ListItsEvents": {"operationId": "list_events",
                      "parameters": {"article_id": "$response.body#/id"},
                      "description": "The events extracted from it"},
    "ListItsFigures": {"operationId": "list_figures",
                       "parameters": {"article_id": "$response.body#/id"},
                       "description": "The figures extracted from it"},
    "DeleteArticle": {"operationId": "delete_article",
                      "parameters": {"article_id": "$response.body#/id"},
                      "description": "Delete it and everything extracted from it"},
}


@router.get("", response_model=ArticlePage, summary="List articles",
            responses=TABLE_RESPONSES)
def list_articles(
    request: Request,
    session: SessionDep,
    language: Annotated[list[str], Query(
        description="ISO 639-1 language code; repeat to OR", examples=[["en"]])] = [],  # noqa: B006
    format: TableFormatQuery = None,
    limit: LimitParam = None,
    cursor: CursorParam = None,
    count: CountQuery = False,
) -> Response:
    """Stored articles in id order, with how many events and figures each gave."""
    return list_answer(
        request, session, negotiate(request, format, TABLE_FORMATS), name="articles",
        page=ArticlePage, columns=tuple(ArticlePublic.model_fields), limit=limit,
        cursor=cursor, count=count,
        fetch=lambda db, size, after, total: queries.list_articles(
            db, limit=size, cursor=after, language=language, count=total))


@router.get("/{article_id}", response_model=ArticleDetail, summary="One article with its text",
            responses={404: {"description": "No such article"}})
def get_article(article_id: ArticleId, session: SessionDep) -> ArticleDetail:
    article = queries.get_article(session, article_id)
    if article is None:
        raise HTTPException(404, f"No article with id {article_id}.")
    return article


@router.post(
    "", response_model=ArticlePosted, status_code=status.HTTP_201_CREATED,
    dependencies=[WriteAccess], summary="Ingest an article",
    description=POST_DESCRIPTION, openapi_extra={"requestBody": request_body_schema()},
    responses={201: {"description": "Stored", "links": STORED_LINKS},
               200: {"model": ArticlePosted, "description": "Already stored (same text)",
                     "links": STORED_LINKS},
               400: {"description": "Unreadable article: empty, or no text in the HTML"},
               401: {"description": "Missing or wrong X-API-Key"},
               403: {"description": "Writes disabled (no key configured)"},
               413: {"description": "Over the size limit (FRONTWIRE_MAX_ARTICLE_BYTES)"},
               415: {"description": "Binary content or an unsupported Content-Type"},
               422: {"description": "A JSON body that does not match the schema, or the "
                                    "extraction exceeded its time budget "
                                    "(FRONTWIRE_EXTRACTION_TIMEOUT)",
                     "content": {"application/json": {"schema": {
                         "$ref": "#/components/schemas/HTTPValidationError"}}}},
               503: {"description": "The extraction worker died on this article; retry"}},
)
def create_article(posted: PostedDep, response: Response, session: SessionDep,
                   settings: SettingsDep, ingestor: IngestorDep) -> ArticlePosted:
    try:
        result = ingest_posted(ingestor, session, posted, settings.max_article_bytes,
                               settings.extraction_timeout)
    except INGESTION_ERRORS as error:
        raise HTTPException(error_status(error), one_line(error)) from error
    if not result.created:
        response.status_code = status.HTTP_200_OK
    article = queries.get_article(session, result.article_id)
    assert article is not None
    return ArticlePosted.model_validate({**article.model_dump(exclude={"text"}),
                                         "extraction": result.extraction})


@router.delete("/{article_id}", status_code=status.HTTP_204_NO_CONTENT,
               dependencies=[WriteAccess], summary="Delete an article and its extractions",
               responses={204: {"description": "Deleted", "links": {"GetDeletedArticle": {
                   "operationId": "get_article",
                   "parameters": {"article_id": "$request.path.article_id"},
                   "description": "The deleted article: 404 from now on"}}},
                   401: {"description": "Missing or wrong X-API-Key"},
                   403: {"description": "Writes disabled (no key configured)"},
                   404: {"description": "No such article"}})
def delete_article(article_id: ArticleId, session: SessionDep) -> Response:
    if not queries.delete_article(session, article_id):
        raise HTTPException(404, f"No article with id {article_id}.")
    return Response(status_code=status.HTTP_204_NO_CONTENT)
