"""Find scraping junk without rewriting the text.

Junk (ad markers, repeated headlines, glued photo captions, share widgets, trailers) is
returned as spans. The stored text keeps it, so every offset a client receives points into
the text exactly as ingested; the pipeline masks these spans before analysis so no event,
sentence or figure is ever built from them.
"""

from __future__ import annotations

import re
from functools import lru_cache

from app.ingest.knowledge import rows
from app.ingest.text.keys import compact_key
from app.ingest.types import Span

CAPTION_END = re.compile(r"\[/caption\]", re.IGNORECASE)
DATELINE = re.compile(
    r"^[A-Z][A-Z .'/-]{1,40},\s+(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}|\d{1,2}\s+[A-Z][a-z]{2,8})"
    r"(?:,?\s+\d{4})?\s*(?:\([^)]{1,40}\))?\s*[-–—]\s*",
    re.MULTILINE,
)


@lru_cache(maxsize=1)
def junk_line_patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    """Line patterns from ``data/junk_lines.csv`` (regex, kind; case rules inside each regex)."""
    return tuple((re.compile(row["pattern"]), row["kind"])
                 for row in rows("text/data/junk_lines.csv"))


def lines_with_offsets(text: str) -> list[tuple[int, str]]:
    """(start offset, line without its newline) for every line of ``text``."""
    out: list[tuple[int, str]] = []
    offset = 0
    for line in text.split("\n"):
        out.append((offset, line))
        offset += len(line) + 1
    return out


def classify_line(line: str) -> str | None:
    """The junk kind of a whole line, or None when it may carry content."""
    stripped = line.strip()
    if not stripped:
        return None
    for pattern, kind in junk_line_patterns():
        if pattern.match(stripped):
            if kind in {"byline", "label", "trailer"} and len(stripped.split()) > 6:
                continue
            return kind
    if is_doubled_caption(stripped):
        return "caption"
    return None


def is_doubled_caption(line: str) -> bool:
    """A caption glued to itself ("Troops walk...regionTroops walk...regionREUTERS").

    Scrapers often concatenate an image's alt text and caption, so the line starts with a
    phrase that immediately repeats; no sentence of prose does that.
    """
    half = len(line) // 2
    for size in range(min(half, 400), 11, -1):
        if line[size : 2 * size] == line[:size]:
            return True
    return False


def caption_spans(line_start: int, line: str) -> list[Span]:
    """WordPress ``[/caption]`` markers: the caption text before each marker is junk."""
    spans: list[Span] = []
    cursor = 0
    for match in CAPTION_END.finditer(line):
        begin = _caption_begin(line, cursor, match.start())
        spans.append(Span(line_start + begin, line_start + match.end(), line[begin : match.end()]))
        cursor = match.end()
    return spans


def _caption_begin(line: str, cursor: int, marker: int) -> int:
    """Where the caption before ``marker`` starts: after the last sentence end before it."""
    if cursor > 0:
        return cursor
    last_stop = max(line.rfind(". ", 0, marker), line.rfind("? ", 0, marker))
    return last_stop + 2 if last_stop >= 0 else 0


def find_junk(text: str, title: str | None = None) -> list[Span]:
    """Every junk span of ``text``: whole junk lines, repeated titles, glued captions."""
    spans: list[Span] = []
    title_key = compact_key(title) if title else None
    seen_title = False
    trailer_from: int | None = None
    for start, line in lines_with_offsets(text):
        if trailer_from is not None:
            break
        kind = classify_line(line)
        if title_key and is_title_repeat(line, title_key):
            kind = "title_repeat" if seen_title else None
            seen_title = True
        if kind == "trailer" and start > len(text) * 0.5:
            trailer_from = start
        elif kind and kind != "byline":
            spans.append(Span(start, start + len(line), line))
        spans.extend(caption_spans(start, line))
    if trailer_from is not None:
        spans.append(Span(trailer_from, len(text), text[trailer_from:]))
    return sorted(spans, key=lambda span: span.start)


def is_title_repeat(line: str, title_key: str) -> bool:
    """The line is the headline again, possibly with a credit glued on ("...REUTERS")."""
    folded = compact_key(line)
    return folded.startswith(title_key) and len(folded) <= len(title_key) + 20


def dateline_span(text: str, start: int) -> Span | None:
    """A wire dateline ("KYIV, Aug 7 (Reuters) -") opening the paragraph at ``start``."""
    match = DATELINE.match(text, start)
    if match is None:
        return None
    return Span(match.start(), match.end(), match.group(0))


def mask(text: str, spans: list[Span]) -> str:
    """``text`` with every span replaced by newlines of the same length (offsets kept)."""
    chars = list(text)
    for span in spans:
        chars[span.start : span.end] = "\n" * (span.end - span.start)
    return "".join(chars)
