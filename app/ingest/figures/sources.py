"""The document's own issuer: the body that signs a release or statement.

A military release or a statement printed whole ("... General Staff of the Armed Forces")
speaks for the body that signs it, so every figure of it with no speaker of its own is that
body's claim. A signature is a bare name on the last line that the document also names
before (masthead or text) and that the actor dictionary knows as a body other than a news
outlet; a news story's closing lines are bylines, copyright, contact lines or the outlet's
own name, so ordinary articles keep "the outlet states it itself" (claimant null).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from spacy.tokens import Doc

from app.ingest.knowledge import rows
from app.ingest.text.doc_text import text_of
from app.ingest.types import Span

_KEY = "frontwire_issuer"
_NOT_NAME = re.compile(r"[\d.,;:!?()|@©&<>/\[\]\"“”]")


def _signature(text: str) -> str | None:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    if len(lines) < 3:
        return None
    last = lines[-1]
    words = last.split()
    if not 2 <= len(words) <= 12 or _NOT_NAME.search(last) or not last[:1].isupper():
        return None
    if sum(w[:1].isupper() for w in words) < 2:
        return None
    earlier = "\n".join(lines[:-1]).casefold()
    if last.casefold() not in earlier or not _issuing_body(last):
        return None
    return last


def _issuing_body(name: str) -> bool:
    """A state body, force or organisation that issues releases, not an outlet.

    News sites print their own name at the top and the bottom of a page; that is the
    publisher, whose figures have no claimant. So a signature must be a dictionary actor
    that is not media, or a name with an institutional word ("General Staff", "Ministry").
    """
    from app.vocabulary.actors import canonical_actor

    known = canonical_actor(name)
    if known is not None:
        return known[1] != "media"
    return bool(set(name.casefold().split()) & _issuer_words())


@lru_cache(maxsize=1)
def _issuer_words() -> frozenset[str]:
    return frozenset(row["word"] for row in rows("figures/data/issuer_words.csv"))


def _unmasked(doc: Doc, skip: Sequence[Span]) -> str:
    """The text with masked boilerplate put back: a signature line is masked as a byline."""
    text = text_of(doc)
    chars = list(text)  # one copy, not one per span: a text of thousands of junk lines
    for span in sorted(skip, key=lambda s: s.start):
        if span.end <= len(text) and len(span.text) == span.end - span.start:
            chars[span.start : span.end] = span.text
    return "".join(chars)


def document_issuer(doc: Doc, skip: Sequence[Span] = ()) -> str | None:
    """The body that signs the document, or None for an ordinary article."""
    if _KEY not in doc.user_data:
        doc.user_data[_KEY] = _signature(_unmasked(doc, skip))
    issuer: str | None = doc.user_data[_KEY]
    return issuer
