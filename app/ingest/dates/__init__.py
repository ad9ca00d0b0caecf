"""Date expressions in an article, resolved against its published date.

A small regex resolver rather than dateparser: dateparser resolves "on Wednesday" in a
Wednesday article to the week before, finds nothing in "In May last year" and invents a
day for "In March". Our rules (SCHEMA.md "dates"):

- weekday names: the latest such day on or before publication (same day allowed);
  "last Tuesday" is strictly before it;
- relative cues (``data/date_cues.csv``): offsets in days, ISO weeks, months or years;
  "overnight" is the published day, "last night" the day before;
- year-less months ("In March", "since November"): the latest occurrence not after the
  published month, so the published month itself is this year's; year-less days
  ("August 24", "7 October"): the latest occurrence on or before publication;
- absolute dates resolve on their own; relative and year-less ones stay unresolved
  (precision "unknown", span kept) when there is no published date.

Period parts ("the end of last month"), attributive years ("the 2006 war"), day ranges
("March 3-4"), "Tuesday last week" and anaphoric days ("the day before") live in
``periods.py``.

Spans keep a leading preposition for weekday, month and year expressions ("since
Tuesday", "in February 2022") and none for day dates ("August 24"). Clock times,
durations, ages, stamps and datelines are never matched.
"""

from __future__ import annotations

import bisect
import re
from datetime import date, timedelta
from functools import lru_cache

from app.ingest.dates import periods
from app.ingest.dates.periods import (
    NUM,
    NUMBERS,
    UNRESOLVED,
    Handler,
    Resolved,
    cue_regex,
    cues,
    resolve_anchors,
)
from app.ingest.text.header import (
    FULL_DATES,
    MON,
    WD_FULL,
    WEEKDAYS,
    YEAR,
    YEARLESS,
    date_lines,
    datelines,
    find_published,
    full_date,
    header_end,
    make_date,
    month_of,
    stamps,
    timestamps,
    url_spans,
)
from app.ingest.types import DateMention, Span

__all__ = ["find_dates", "find_published", "iso_label"]

_PREP = r"\b(?i:in|since|from|until|till|by|during|through|throughout|before|after)"
_S = r"[^\S\n]+"  # blanks within a line: a date never spans a line break
_MOD = (r"\b(?P<mod>(?i:early|late|the[^\S\n]+(?:start|beginning|end|middle)[^\S\n]+of|mid)"
        r"(?:-|[^\S\n]+))")
_NO_DAY = r"(?![^\S\n]*\d{1,2}(?:st|nd|rd|th)?\b(?![,.]\d))"  # "March 5" is a day date
_FUNCTION_WORDS = {"as", "has", "was", "is", "this", "its", "his", "us", "thus", "whereas"}


def _past_month(m: int, pub: date) -> int:
    """Year of the latest month ``m`` not after the published month."""
    return pub.year if m <= pub.month else pub.year - 1


# --- handlers: (match, published) -> Resolved, or None to drop the match -----------------

def _r_full(m: re.Match[str], pub: date | None) -> Resolved | None:
    value = full_date(m)
    return periods.day(value) if value else None


def _r_yearless_day(m: re.Match[str], pub: date | None) -> Resolved | None:
    mon, d = month_of(m["mon"]), int(m["d"])
    if not make_date(2000, mon, d):
        return None
    if pub is None:
        return UNRESOLVED
    value = make_date(pub.year, mon, d)
    if value is None or value > pub:
        value = make_date(pub.year - 1, mon, d)
    return periods.day(value)


def _r_month_year(m: re.Match[str], pub: date | None) -> Resolved | None:
    return periods.month(int(m["y"]), month_of(m["mon"]))


def _r_month_rel(m: re.Match[str], pub: date | None) -> Resolved | None:
    """"May last year", "March this year"."""
    if pub is None:
        return UNRESOLVED
    shift = {"last": -1, "this": 0, "next": 1}[m["rel"].lower()]
    return periods.month(pub.year + shift, month_of(m["mon"]))


def _r_last_month_name(m: re.Match[str], pub: date | None) -> Resolved | None:
    """"last May": the latest May before the published month."""
    if pub is None:
        return UNRESOLVED
    mon = month_of(m["mon"])
    return periods.month(pub.year if mon < pub.month else pub.year - 1, mon)


def _r_month(m: re.Match[str], pub: date | None) -> Resolved | None:
    if not (m["prep"] or m["mod"]):
        return None  # a bare month name is too often a person ("April") or a verb
    if pub is None:
        return UNRESOLVED
    mon = month_of(m["mon"])
    return periods.month(_past_month(mon, pub), mon)


def _r_year(m: re.Match[str], pub: date | None) -> Resolved | None:
    if not (m["prep"] or m["mod"]):
        return None  # a bare four-digit number is as often a count as a year
    nxt = (m["next"] or "").lower()
    nouns = periods.nouns()
    counted = nouns.get("count", frozenset()) | nouns.get("measure", frozenset())
    if nxt in counted or (nxt.endswith("s") and nxt not in _FUNCTION_WORDS):
        return None  # "after 2000 people fled": a count before a plural noun
    return periods.year(int(m["y"]))


def _r_weekday(m: re.Match[str], pub: date | None) -> Resolved | None:
    if pub is None:
        return UNRESOLVED
    wd = WEEKDAYS[m["wd"].lower()]
    lead = (m["lead"] or "").lower()
    if lead == "next":
        return periods.day(pub + timedelta(days=(wd - pub.weekday() - 1) % 7 + 1))
    back = (pub.weekday() - wd) % 7
    return periods.day(pub - timedelta(days=back or (7 if lead == "last" else 0)))


def _r_ago(m: re.Match[str], pub: date | None) -> Resolved | None:
    if pub is None:
        return UNRESOLVED
    n = int(m["n"]) if m["n"].isdigit() else NUMBERS[m["n"].lower()]
    unit = m["u"].lower()
    if unit == "month":
        return periods.month(pub.year, pub.month - n)
    return periods.shift(unit, -n, pub)


def _r_cue(m: re.Match[str], pub: date | None) -> Resolved | None:
    unit, offset = cues()[re.sub(r"[^\S\n]+", " ", m.group(0).lower())]
    if unit == "anchor_day":
        return periods.anchored(offset)
    return periods.shift(unit, offset, pub) if pub else UNRESOLVED


@lru_cache(maxsize=1)
def _patterns() -> tuple[tuple[re.Pattern[str], Handler], ...]:
    """All expression patterns with their resolvers; overlaps go to the longest match."""
    plain = cue_regex({"day", "week", "weekend", "month", "year"})
    anchored = cue_regex({"anchor_day"})
    num = NUM
    rel = r"(?P<rel>(?i:last|this|next))"
    lead = r"\b(?P<lead>(?i:on|since|from|by|until|till|before|after|through|last|next))"
    return (
        *((p, _r_full) for p in FULL_DATES),
        *((p, _r_yearless_day) for p in YEARLESS),
        (re.compile(rf"\b(?:{_PREP}{_S})?{_MOD}?{MON},?{_S}{YEAR}"), _r_month_year),
        (re.compile(rf"\b(?:{_PREP}{_S})?{_MOD}?{MON}{_S}{rel}{_S}(?i:year)\b"), _r_month_rel),
        (re.compile(rf"\b(?i:last){_S}{MON}{_NO_DAY}"), _r_last_month_name),
        (re.compile(rf"\b(?:(?P<prep>{_PREP}){_S})?{_MOD}?{MON}{_NO_DAY}"), _r_month),
        (re.compile(rf"\b(?:(?P<prep>{_PREP}){_S})?{_MOD}?{YEAR}"
                    rf"(?![,.]?\d|[^\S\n]*[-–][^\S\n]*\d)(?=[^\S\n]+(?P<next>[a-z]+))?"),
         _r_year),
        (re.compile(rf"\b(?:{lead}{_S})?(?P<wd>{WD_FULL})(?!s\b)\b"), _r_weekday),
        (re.compile(rf"\b(?P<n>{num}){_S}(?P<u>day|week|month|year)s?{_S}ago\b", re.IGNORECASE),
         _r_ago),
        (re.compile(rf"\b(?:{plain})\b", re.IGNORECASE), _r_cue),
        # "the day before" is anaphoric only when nothing follows ("the day before the vote")
        (re.compile(rf"\b(?:{anchored})\b{periods.NOT_TIED}", re.IGNORECASE), _r_cue),
        *((p, h) for p, h in periods.patterns()),
    )


def _excluded(text: str) -> list[tuple[int, int]]:
    """Publication stamps, datelines, date-only lines, header timestamps ("as of 08:00
    15.11.2024") and URLs: never event dates. A stamp blocks
    the rest of its line, which holds its clock time or a glued repeat of its date
    ("Published On 23 Sep 202423 Sep 2024")."""
    today = date.today()
    breaks = [m.start() for m in re.finditer("\n", text)]
    blocked = [(s, _line_end(breaks, len(text), e)) for _, s, e, _ in stamps(text)]
    header = timestamps(text, 0, header_end(text))
    blocked += [(s, e) for _, s, e, _ in datelines(text, today) + date_lines(text, today) + header]
    return blocked + url_spans(text)


def _line_end(breaks: list[int], length: int, at: int) -> int:
    """``text.find("\\n", at)`` (or the length) from the sorted line-break offsets."""
    k = bisect.bisect_left(breaks, at)
    return breaks[k] if k < len(breaks) else length


class _Taken:
    """Character ranges no date may overlap: the excluded ones, then each date kept.

    Asking "does [s, e) overlap any of them?" of a list was quadratic in the number of dates
    in a text; here covered characters are marked in a bytearray, so a question costs the
    length of the date. Empty ranges (never seen in practice) keep the list semantics.
    """

    def __init__(self, length: int, ranges: list[tuple[int, int]]) -> None:
        self._covered = bytearray(length + 1)
        self._points: list[int] = []
        self._ranges = list(ranges)
        for s, e in ranges:
            self._mark(s, e)

    def _mark(self, s: int, e: int) -> None:
        if s < e:
            self._covered[s:e] = b"\x01" * (e - s)
        else:
            bisect.insort(self._points, s)

    def overlaps(self, s: int, e: int) -> bool:
        """``any(s < be and bs < e for bs, be in ranges)``."""
        if s >= e:
            return any(s < be and bs < e for bs, be in self._ranges)
        k = bisect.bisect_right(self._points, s)
        return self._covered.find(1, s, e) >= 0 or k < len(self._points) and self._points[k] < e

    def add(self, s: int, e: int) -> None:
        self._ranges.append((s, e))
        self._mark(s, e)


def _span(m: re.Match[str]) -> tuple[int, int]:
    """The mention's span: a ``span`` group when the pattern has one; else drop the
    preposition before "the start of ..." (gold writes "the start of January")."""
    groups = m.groupdict()
    if groups.get("span"):
        return m.span("span")
    mod = groups.get("mod")
    return (m.start("mod") if mod and mod.lower().startswith("the") else m.start()), m.end()


def _candidates(text: str, start: int, pub: date | None) -> list[tuple[int, int, Resolved]]:
    """Every pattern match in text[start:] that its handler accepts."""
    out = []
    for pattern, handler in _patterns():
        for m in pattern.finditer(text, start):
            resolved = handler(m, pub)
            if resolved is not None:
                out.append((*_span(m), resolved))
    return out


def find_dates(text: str, published: date | None, *, start: int = 0) -> list[DateMention]:
    """Every date expression in text[start:], resolved against ``published``."""
    taken = _Taken(len(text), _excluded(text))
    mentions = []
    candidates = _candidates(text, start, published)
    # longest first, then leftmost
    for s, e, (lo, hi, precision) in sorted(candidates, key=lambda c: (c[0] - c[1], c[0])):
        if taken.overlaps(s, e):
            continue
        taken.add(s, e)
        mentions.append(DateMention(Span(s, e, text[s:e]), lo, hi, precision))
    return resolve_anchors(sorted(mentions, key=lambda m: m.span.start), published)


def iso_label(mention: DateMention) -> str | None:
    """Gold-style label: 2024-08-06, 2024-W32, 2024-08, 2024; None when unresolved."""
    lo = mention.start
    if lo is None or mention.precision == "unknown":
        return None
    if mention.precision == "day":
        return lo.isoformat()
    if mention.precision == "week":
        year, week, _ = lo.isocalendar()
        return f"{year}-W{week:02d}"
    if mention.precision == "month":
        return f"{lo.year}-{lo.month:02d}"
    return str(lo.year)
