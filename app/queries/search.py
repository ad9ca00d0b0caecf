"""Full-text search over excerpts: SQLite FTS5 or PostgreSQL text search, same query language.

Users type words, "quoted phrases", OR between alternatives and -word to exclude, as in a
web search box. PostgreSQL reads that natively (``websearch_to_tsquery``); for FTS5 the
same input is rewritten into its syntax with every term quoted, so punctuation in user
input can never raise an FTS5 syntax error. Both stem English words (porter / english).
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import text
from sqlmodel import col, func

from app.models import Event, Figure

TOKEN = re.compile(r'(-?)"([^"]*)"|(\S+)')
WORD = re.compile(r"\w+", re.UNICODE)


def text_matches(model: type[Event | Figure], query: str, dialect: str) -> Any:
    """A condition: the record's excerpt matches ``query``."""
    if dialect == "postgresql":
        vector = func.to_tsvector("english", model.excerpt_text)
        return vector.op("@@")(func.websearch_to_tsquery("english", query))
    table = model.__tablename__
    match = fts5_query(query)
    if match is None:  # nothing searchable (only punctuation): nothing matches
        return text("0 = 1")
    return col(model.id).in_(
        text(f"SELECT rowid FROM {table}_fts WHERE {table}_fts MATCH :fts_query")
        .bindparams(fts_query=match))


def fts5_query(query: str) -> str | None:
    """Web-search syntax -> FTS5: terms AND-ed, "phrases", OR, -excluded terms."""
    include: list[str] = []
    exclude: list[str] = []
    pending_or = False
    for minus, phrase, bare in TOKEN.findall(query):
        if bare == "OR":
            pending_or = bool(include)
            continue
        negative = bool(minus) or bare.startswith("-")
        words = WORD.findall(phrase if phrase else bare)
        if not words:
            continue
        term = '"' + " ".join(words) + '"'
        if negative:
            exclude.append(term)
        elif pending_or:
            include[-1] = f"({include[-1]} OR {term})"
        else:
            include.append(term)
        pending_or = False
    if not include:
        return None
    expression = " AND ".join(include)
    return expression + "".join(f" NOT {term}" for term in exclude)
