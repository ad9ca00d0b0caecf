"""Read an article: bytes or text in, stored text plus metadata and body boundaries out.

Plain text is stored exactly as given (only line endings are normalised), so offsets that
clients receive match the text they posted. HTML is reduced to its main text with
trafilatura first; the stored text is then that extracted text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from datetime import date

from app.ingest.text import clean
from app.ingest.text.header import find_published
from app.ingest.text.keys import compact_key
from app.ingest.text.language import detect_language
from app.ingest.types import CleanText, Span
from app.ingestion import ArticleMeta, UnreadableArticle, UnsupportedContent

HTML_HINT = re.compile(r"<(p|div|h[1-6]|html|body|article|span|br|a)\b[^>]*>", re.IGNORECASE)
STAMP = re.compile(
    r"^\s*(-\s*\d{1,2}[:.]\d{2}.*|(published|updated|posted|last updated)\b.*"
    r"|.*\s[|·•]\s.*)\s*$",
    re.IGNORECASE,
)
DATE_ONLY = re.compile(
    r"^\W*(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
    r"(?:\d{1,2}\s+[a-z]{3,9}\.?,?\s+\d{4}|[a-z]{3,9}\.?\s+\d{1,2},?\s+\d{4}"
    r"|\d{4}-\d{2}-\d{2}|\d{1,2}[/.]\d{1,2}[/.]\d{2,4})"
    r"(?:[\s,|·-]+(?:at\s+)?\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?\s*[a-z]{0,4})?\W*$",
    re.IGNORECASE,
)
BYLINE = re.compile(r"^\s*(?i:by)\s+(?P<name>[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){0,3})\s*$")
DATELINE_PUBLISHER = re.compile(r"^[A-Z][A-Z .'/-]+,[^(\n]{3,30}\((?P<pub>[^)]{2,40})\)\s*[-–—]")
COPYRIGHT = re.compile(r"(?:©|\(c\)|copyright)\s*(?:\d{4}\s+)?"
                       r"(?P<pub>[A-Z][\w&' -]{2,40}?)\.?\s*(?:all rights|$)",
                       re.IGNORECASE | re.MULTILINE)
MIN_BODY_WORDS = 6
MAX_TITLE_WORDS = 30


def decode(data: bytes, charset: str | None = None) -> str:
    """Bytes to text: the declared ``charset``, UTF-8 (or a BOM's UTF-16), else detection.

    Binary input is refused with a reason naming what it looks like, so a user who fed a
    PDF or an image learns what to do instead of getting an article of garbage.
    """
    if not data.strip():
        raise UnreadableArticle("empty file: no text")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return check_text(_decode_utf16(data))
    for magic, kind in BINARY_MAGIC:
        if data.startswith(magic):
            raise UnsupportedContent(f"binary file ({kind}), not text: convert it to text first")
    declared = _decode_declared(data, charset)
    if declared is not None:
        return check_text(declared)
    if b"\x00" in data[:4096]:
        raise UnsupportedContent("binary file (contains NUL bytes), not text")
    try:
        return check_text(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is None:
            raise UnsupportedContent("binary or undecodable content: no text encoding fits") \
                from None
        return check_text(str(best))


def _decode_declared(data: bytes, charset: str | None) -> str | None:
    """``data`` in the charset its sender declared, or None when that does not fit."""
    if not charset:
        return None
    try:
        return data.decode(charset)
    except (LookupError, UnicodeDecodeError):
        return None


BINARY_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document"), (b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"), (b"PK\x03\x04", "a ZIP archive or Office document"),
    (b"\x1f\x8b", "a gzip archive"), (b"\xd0\xcf\x11\xe0", "an old Office document"),
    (b"\x7fELF", "a program"), (b"RIFF", "a media file"), (b"ID3", "an audio file"),
)
MAX_CONTROL_SHARE = 0.01
TEXT_CONTROLS = frozenset("\t\n\r\f\v")


def _decode_utf16(data: bytes) -> str:
    try:
        return data.decode("utf-16")
    except UnicodeDecodeError:
        raise UnsupportedContent("binary content: a UTF-16 mark but no UTF-16 text") from None


def check_text(text: str) -> str:
    """``text`` unless it is blank or control characters show it is binary data."""
    sample = text[:20000]
    controls = sum(1 for ch in sample if unicodedata.category(ch) == "Cc"
                   and ch not in TEXT_CONTROLS)
    if controls > max(2, len(sample) * MAX_CONTROL_SHARE):
        raise UnsupportedContent("binary content (control characters), not text")
    if not text.strip():
        raise UnreadableArticle("empty article: no text")
    return text


def fix_mojibake(text: str) -> str:
    """Repair text that was decoded with the wrong encoding ("donâ€™t" -> "don’t").

    Only ftfy's encoding repair runs, not its other fixes (quote uncurling, width or
    ligature folding), so clean text comes back unchanged and offsets keep pointing at
    the words as the client wrote them.
    """
    import ftfy

    return ftfy.fix_encoding(text)


def looks_like_html(text: str) -> bool:
    """Several block tags mean a page or an HTML paste rather than prose."""
    return len(HTML_HINT.findall(text[:20000])) >= 3


def html_to_text(html: str) -> tuple[str, ArticleMeta]:
    """Main text and metadata of an HTML page, via trafilatura."""
    import trafilatura

    extracted = trafilatura.extract(html, favor_recall=True, include_comments=False,
                                    include_tables=False, output_format="txt")
    if not extracted:
        raise UnreadableArticle("HTML without any article text")
    metadata = trafilatura.extract_metadata(html)
    meta = ArticleMeta(
        title=getattr(metadata, "title", None),
        author=getattr(metadata, "author", None),
        publisher=getattr(metadata, "sitename", None),
        published=_iso_date(getattr(metadata, "date", None)),
    )
    return extracted, meta


def _iso_date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def read_article(raw: str, overrides: ArticleMeta | None = None, *,
                 html: bool | None = None) -> CleanText:
    """The stored text, its metadata (language included) and where its body starts.

    ``overrides`` carries what the caller knows better (CLI flags, sidecar files, POST
    fields); its non-empty fields win over what is found in the text. ``html`` says the
    input is HTML (a ``text/html`` body); None means: recognise it by its tags.
    """
    text = fix_mojibake(raw.replace("\r\n", "\n").replace("\r", "\n"))
    html_meta = ArticleMeta()
    if html or (html is None and looks_like_html(text)):
        text, html_meta = html_to_text(text)
    if not text.strip():
        raise UnreadableArticle("empty article: no text")
    found = parse_header(text)
    meta = _merge(_merge(found, html_meta), overrides or ArticleMeta())
    junk = clean.find_junk(text, meta.title)
    body_start = find_body_start(text, meta.title)
    skip = list(junk)
    dateline = clean.dateline_span(text, body_start)
    if dateline is not None:
        skip.append(dateline)
    skip.extend(header_skip(text, body_start, meta.title))
    skip.sort(key=lambda s: s.start)
    language = detect_language(clean.mask(text, skip)[body_start:])
    return CleanText(text=text, meta=replace(meta, language=language), body_start=body_start,
                     skip=tuple(skip))


BULLET = re.compile(r"^\s*[-•*–]\s+\w")


def header_skip(text: str, body_start: int, title: str | None) -> list[Span]:
    """The header lines to mask: all but the headline and summary bullets.

    Headlines and "Key events" bullets can carry claims the body never repeats ("dozens
    killed in strike on al-Mawasi"), so they are analysed; bylines, stamps and mastheads
    are not.
    """
    title_key = compact_key(title) if title else None
    spans: list[Span] = []
    for start, line in clean.lines_with_offsets(text[:body_start]):
        keep_title = title_key is not None and compact_key(line) == title_key
        if keep_title:
            title_key = None  # only the first copy; repeats are junk
        elif line.strip() and not BULLET.match(line):
            spans.append(Span(start, start + len(line), line))
    return spans


def _merge(base: ArticleMeta, better: ArticleMeta) -> ArticleMeta:
    """``base`` with every non-empty field of ``better`` laid over it."""
    changes = {k: v for k, v in vars(better).items() if v not in (None, "") and k != "language"}
    return replace(base, **changes)


def parse_header(text: str) -> ArticleMeta:
    """Title, author, publisher and published date as the text itself gives them."""

    title = find_title(text)
    author = next((m.group("name") for _, line in clean.lines_with_offsets(text[:3000])
                   if (m := BYLINE.match(line))), None)
    return ArticleMeta(title=title, author=author, publisher=find_publisher(text),
                       published=find_published(text))


def find_title(text: str) -> str | None:
    """The first line that reads like a headline: not junk, not a stamp, 3+ words."""
    for _, line in clean.lines_with_offsets(text[:5000]):
        stripped = line.strip()
        if not stripped or is_header_line(stripped):
            continue
        if clean.DATELINE.match(stripped) or len(stripped.split()) > MAX_TITLE_WORDS:
            return None  # the text opens with its body: no headline
        if len(stripped.split()) >= 3:
            return stripped.rstrip(".")
    return None


def find_publisher(text: str) -> str | None:
    """The outlet, from a wire dateline "(Reuters)", a masthead "Outlet | Section", or ©."""
    head = text[:3000]
    for _, line in clean.lines_with_offsets(head):
        if match := DATELINE_PUBLISHER.match(line.strip()):
            return match.group("pub").strip()
        segments = [part.strip() for part in line.split("|")]
        if len(segments) > 1 and _looks_like_outlet(segments[0]):
            return segments[0]
    match = COPYRIGHT.search(text)
    return match.group("pub").strip() if match else None


def _looks_like_outlet(name: str) -> bool:
    words = name.split()
    return 1 <= len(words) <= 4 and not name.isupper() and all(w[0].isupper() for w in words)


def is_header_line(line: str) -> bool:
    """Junk, a date or time stamp, a breadcrumb ("Outlet | Section") or a byline."""
    return bool(clean.classify_line(line) or STAMP.match(line) or DATE_ONLY.match(line)
                or BYLINE.match(line))


def find_body_start(text: str, title: str | None) -> int:
    """Offset of the first prose line after the title and the byline/stamp block."""
    title_seen = title is None
    title_key = compact_key(title) if title else ""
    for start, line in clean.lines_with_offsets(text):
        stripped = line.strip()
        if not stripped:
            continue
        if not title_seen and compact_key(stripped).startswith(title_key):
            title_seen = True
            continue
        if is_header_line(stripped):
            continue
        if title_key and compact_key(stripped).startswith(title_key):
            continue
        if len(stripped.split()) >= MIN_BODY_WORDS and not stripped.startswith("- "):
            return start + (len(line) - len(line.lstrip()))
    return 0
