"""Per-document lookups built once: a token's sentence, a character's text line.

Extractors ask "which sentence is this token in?" and "where does this line start?" for
every mention. spaCy answers ``token.sent`` by walking from the token to both ends of its
sentence, and ``str.rfind`` walks back to the line start, so each answer costs the length of
the sentence or line: on one long sentence or line full of numbers (a hostile POST) the
extractors went quadratic or worse. Here both are computed in one pass per document and
kept in ``doc.user_data``; ``install`` also routes spaCy's own ``Token.sent`` and
``Span.sent`` through the index (spaCy's documented ``user_token_hooks`` /
``user_span_hooks``), so every caller gets the same answer as before at constant cost.
"""

from __future__ import annotations

import bisect
from array import array
from collections.abc import Callable

from spacy.tokens import Doc, Span, Token

from app.ingest.doc_text import text_of

_SENTS = "frontwire.sentences"
_LINES = "frontwire.line_breaks"


class _Sentences:
    """Sentence spans in order, and for every token the number of its sentence."""

    def __init__(self, doc: Doc) -> None:
        self.spans: list[Span] = list(doc.sents) if len(doc) else []
        self.number = array("i", bytes(4 * len(doc)))
        for n, sent in enumerate(self.spans):
            self.number[sent.start:sent.end] = array("i", [n]) * (sent.end - sent.start)


def _sentences(doc: Doc) -> _Sentences:
    found = doc.user_data.get(_SENTS)
    if found is None:
        found = doc.user_data[_SENTS] = _Sentences(doc)
    return found


def sentences(doc: Doc) -> list[Span]:
    """``list(doc.sents)``, built once per document."""
    return _sentences(doc).spans


def sentence_number(doc: Doc, i: int) -> int:
    """Index in ``sentences(doc)`` of the sentence holding token ``i``."""
    return _sentences(doc).number[i]


def sentence_of(doc: Doc, i: int) -> Span:
    """The sentence holding token ``i`` (what ``doc[i].sent`` returns), in constant time."""
    index = _sentences(doc)
    return index.spans[index.number[i]]


def install(doc: Doc) -> Doc:
    """Answer ``Token.sent`` and ``Span.sent`` from the index from now on (idempotent).

    Only once the sentence boundaries are final: the index is not rebuilt if they change.
    """
    if "sent" not in doc.user_token_hooks:
        doc.user_token_hooks["sent"] = _token_sent
        doc.user_span_hooks["sent"] = _span_sent
    return doc


def _token_sent(token: Token) -> Span:
    return sentence_of(token.doc, token.i)


def _span_sent(span: Span) -> Span:
    """The sentence of the span's first token, as spaCy's own ``Span.sent``."""
    return sentence_of(span.doc, span.start)


def _line_breaks(doc: Doc) -> list[int]:
    found = doc.user_data.get(_LINES)
    if found is None:
        text = text_of(doc)
        found, at = [], text.find("\n")
        while at >= 0:
            found.append(at)
            at = text.find("\n", at + 1)
        doc.user_data[_LINES] = found
    return found


def line_start(doc: Doc, char: int) -> int:
    """``text.rfind("\\n", 0, char) + 1``: where the line holding ``char`` starts."""
    breaks = _line_breaks(doc)
    k = bisect.bisect_left(breaks, char)
    return breaks[k - 1] + 1 if k else 0


def line_end(doc: Doc, char: int) -> int:
    """``text.find("\\n", char)``, or the text's length when no line break follows."""
    breaks = _line_breaks(doc)
    k = bisect.bisect_left(breaks, char)
    return breaks[k] if k < len(breaks) else len(text_of(doc))


_ENTS = "frontwire.ents"


def ents(doc: Doc) -> tuple[Span, ...]:
    """``doc.ents``, built once: spaCy rebuilds the tuple on every read (and every
    ``Span.ents`` reads it whole), which cost a pass over the document per speaker."""
    found = doc.user_data.get(_ENTS)
    if found is None:
        found = doc.user_data[_ENTS] = (tuple(doc.ents), [e.start for e in doc.ents])
    return found[0]


def ents_within(doc: Doc, start: int, end: int) -> list[Span]:
    """``doc[start:end].ents``: the entities wholly inside tokens [start, end)."""
    spans = ents(doc)
    k = bisect.bisect_left(doc.user_data[_ENTS][1], start)
    out = []
    while k < len(spans) and spans[k].end <= end:
        out.append(spans[k])
        k += 1
    return out


def up_through(token: Token, deps: tuple[str, ...]) -> Token:
    """The first token reached by following heads while the relation is one of ``deps``
    ("Rwanda, France and Kenya": the first conjunct of a list).

    Kept per token: the parser may chain a list of thousands of names one to the next, and
    walking to its head from every name in it was quadratic."""
    memo: dict[int, Token] = token.doc.user_data.setdefault(("frontwire.up", deps), {})
    path = []
    while token.dep_ in deps and token.head is not token and token.i not in memo:
        path.append(token.i)
        token = token.head
    top = memo.get(token.i, token)
    for i in path:
        memo[i] = top
    return top


def run_end(doc: Doc, k: int, inside: Callable[[Token], bool]) -> int:
    """The first token from k on for which ``inside`` is false (or the document's end).

    ``inside`` must be one function object per question: answers are kept under it, so
    the names of a long list are each walked once."""
    memo: dict[int, int] = doc.user_data.setdefault(("frontwire.run", inside), {})
    path = []
    while k < len(doc) and k not in memo and inside(doc[k]):
        path.append(k)
        k += 1
    end = memo.get(k, k)
    for i in path:
        memo[i] = end
    return end
