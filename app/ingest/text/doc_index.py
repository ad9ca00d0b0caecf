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
from typing import TypeVar, cast

from spacy.tokens import Doc, Span, Token

from app.ingest.text.doc_text import text_of

T = TypeVar("T")

_SENTS = "frontwire.sentences"
_LINES = "frontwire.line_breaks"


class _Sentences:
    """Sentence spans in order, and for every token the number of its sentence."""

    def __init__(self, doc: Doc) -> None:
        self.spans: list[Span] = list(doc.sents) if len(doc) else []
        self.number = array("i", bytes(4 * len(doc)))
        for n, sent in enumerate(self.spans):
            self.number[sent.start:sent.end] = array("i", [n]) * (sent.end - sent.start)


def per_doc(doc: Doc, key: str, build: Callable[[Doc], T]) -> T:
    """``build(doc)``, computed once per document and kept in ``doc.user_data[key]``."""
    found = doc.user_data.get(key)
    if found is None:
        found = doc.user_data[key] = build(doc)
    return cast(T, found)  # user_data is typed Any: only this key's builder writes it


def _sentences(doc: Doc) -> _Sentences:
    # written out, not through per_doc: called for every token, the extra call shows in the
    # work-growth test (tests/test_extraction_cost.py)
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
    """Answer ``Token.sent``, ``Span.sent`` and ``Span.root`` from the index from now on
    (idempotent). spaCy finds a span's root by walking from each of its tokens up to the
    sentence root: on the deep trees of long lists, a cost of the depth per span.

    Only once the sentence boundaries are final: the index is not rebuilt if they change.
    """
    if "sent" not in doc.user_token_hooks:
        doc.user_token_hooks["sent"] = _token_sent
        doc.user_span_hooks["sent"] = _span_sent
        doc.user_span_hooks["root"] = _span_root
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
    # ignore: spaCy's stub types user_data as Dict[str, Any]; it is a plain dict, and spaCy
    # keys its own extension values by tuples too
    memo: dict[int, Token] = token.doc.user_data.setdefault(  # type: ignore[call-overload]
        ("frontwire.up", deps), {})
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
    # ignore: user_data takes any key (see up_through)
    memo: dict[int, int] = doc.user_data.setdefault(  # type: ignore[call-overload]
        ("frontwire.run", inside), {})
    path = []
    while k < len(doc) and k not in memo and inside(doc[k]):
        path.append(k)
        k += 1
    end = memo.get(k, k)
    for i in path:
        memo[i] = end
    return end


_TREE = "frontwire.tree"


class _Tree:
    """The parse as lists: each token's children in order, and an Euler tour for ancestry.

    spaCy's ``Token.lefts``/``rights``/``children`` scan the token's whole subtree span and
    ``Token.subtree`` nests one generator per level, so on the deep trees the parser builds
    for long lists ("1 of 2 of 3 ...", thousands of towns) a token's children cost its
    subtree and its subtree cost its size times the depth. Built once per document in O(n).
    """

    def __init__(self, doc: Doc) -> None:
        n = len(doc)
        self.heads = _heads(doc)
        self.kids: list[list[int]] = [[] for _ in range(n)]
        roots: list[int] = []
        for i, head in enumerate(self.heads):
            (roots if head == i else self.kids[head]).append(i)
        self.enter = array("i", bytes(4 * n))
        self.leave = array("i", bytes(4 * n))
        self.depth = array("i", bytes(4 * n))
        clock = 0
        for root in roots:
            stack = [(root, False)]
            while stack:
                node, done = stack.pop()
                if done:
                    self.leave[node] = clock
                    continue
                self.enter[node] = clock
                clock += 1
                stack.append((node, True))
                for kid in reversed(self.kids[node]):
                    self.depth[kid] = self.depth[node] + 1
                    stack.append((kid, False))

    def subtree(self, i: int) -> list[int]:
        """Token i and its descendants in ``Token.subtree`` order (left subtrees, the token,
        right subtrees)."""
        out: list[int] = []
        stack = [(i, False)]
        while stack:
            node, ready = stack.pop()
            if ready:
                out.append(node)
                continue
            kids = self.kids[node]
            stack.extend((k, False) for k in reversed(kids) if k > node)
            stack.append((node, True))
            stack.extend((k, False) for k in reversed(kids) if k < node)
        return out


def _heads(doc: Doc) -> list[int]:
    """Absolute head index of every token (spaCy stores relative offsets)."""
    from spacy.attrs import HEAD

    relative = doc.to_array([HEAD]).astype("int64").reshape(-1)
    return [i + int(r) for i, r in enumerate(relative)]


def _tree(doc: Doc) -> _Tree:
    found = doc.user_data.get(_TREE)  # hot path: as _sentences
    if found is None:
        found = doc.user_data[_TREE] = _Tree(doc)
    return found


def children(token: Token) -> list[Token]:
    """``list(token.children)``, at the cost of the children only."""
    doc = token.doc
    return [doc[k] for k in _tree(doc).kids[token.i]]


def lefts(token: Token) -> list[Token]:
    """``list(token.lefts)``."""
    doc = token.doc
    return [doc[k] for k in _tree(doc).kids[token.i] if k < token.i]


def rights(token: Token) -> list[Token]:
    """``list(token.rights)``."""
    doc = token.doc
    return [doc[k] for k in _tree(doc).kids[token.i] if k > token.i]


def subtree(token: Token) -> list[Token]:
    """``list(token.subtree)``, at the cost of its size."""
    doc = token.doc
    return [doc[k] for k in _tree(doc).subtree(token.i)]


def is_ancestor_or_self(doc: Doc, above: int, below: int) -> bool:
    """Is token ``above`` token ``below`` or one of its ancestors? Constant time."""
    tree = _tree(doc)
    return tree.enter[above] <= tree.enter[below] and tree.leave[below] <= tree.leave[above]


def _span_root(span: Span) -> Token:
    """``Span.root`` as spaCy computes it (a sentence root inside the span; else the token
    whose head lies outside with the fewest steps to the root, the first of equals; bare
    spaces and punctuation only when nothing else qualifies), from precomputed depths."""
    doc, tree = span.doc, _tree(span.doc)
    for i in range(span.start, span.end):
        if tree.heads[i] == i:
            return doc[i]
    best, root = len(doc), -1
    for i in range(span.start, span.end):
        if span.start <= tree.heads[i] < span.end:
            continue
        token = doc[i]
        leaf = not tree.kids[i] and (token.is_space or token.is_punct)
        steps = len(doc) - 1 if leaf else tree.depth[i]
        if steps < best:
            best, root = steps, i
    return doc[root] if root != -1 else doc[span.start]
