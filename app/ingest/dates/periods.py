"""Date ranges and the less common date expressions, split out of ``dates.py``.

- period parts: "since the start of the month", "at the end of last year", "early next
  week", "earlier in the year": the part does not narrow the period (gold keeps month
  precision for "the start of the month"), so they resolve to the whole period;
- attributive years: "the 2006 war", "Sudan's 2019 revolution", "a 2016 report". A four
  digit number after a determiner is a year unless what follows makes it a count: a
  plural noun not known as an event ("the 2000 troops"), a measure ("the 1200 km
  border") or a hyphen ("the 2000-strong force"). Word lists: ``data/date_nouns.csv``;
- day ranges: "March 3-4", "3-4 March 2024": day precision spanning both days;
- a weekday pinned to a week: "on Tuesday last week"; a night ending on a weekday:
  "overnight into Thursday";
- anaphoric days ("the day before", "two days later", "that day"): counted from the
  nearest earlier day-precision date of the article, else from the published day.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from functools import lru_cache

from app.ingest.knowledge import grouped, rows
from app.ingest.text.header import MON, WD_FULL, WEEKDAYS, YEAR, make_date, month_of
from app.ingest.types import DateMention, Span

Resolved = tuple[date | None, date | None, str]
UNRESOLVED: Resolved = (None, None, "unknown")
Handler = Callable[[re.Match[str], date | None], Resolved | None]
ANCHORED = "anchored"  # precision placeholder of an anaphoric day, replaced in a post-pass
_S = r"[^\S\n]+"
PREP = r"\b(?i:in|since|from|until|till|by|during|through|throughout|before|after|at|on|for)"
NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
           "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}
NUM = "|".join(["\\d{1,2}", *NUMBERS])
_DET = r"(?i:the|a|an|its|their|his|her|our|this|that)\b|[A-Za-z][\w.\-]*['’]s"
# a following determiner or name ties an anaphor to something else: "the day before the vote"
NOT_TIED = r"(?![^\S\n]+(?:(?i:the|a|an|his|her|its|their)\b|(?-i:[A-Z0-9])))"
_PART = (r"(?i:early|late|mid|earlier[^\S\n]+in|later[^\S\n]+in|"
         r"the[^\S\n]+(?:start|beginning|end|middle|turn|close)[^\S\n]+of)")


@lru_cache(maxsize=1)
def cues() -> dict[str, tuple[str, int]]:
    """Relative cue phrase -> (unit, offset), from ``data/date_cues.csv``."""
    return {r["phrase"].lower(): (r["unit"], int(r["offset"]))
            for r in rows("dates/data/date_cues.csv")}


@lru_cache(maxsize=1)
def nouns() -> dict[str, frozenset[str]]:
    """Word kind -> words, from ``data/date_nouns.csv``: ``event`` plurals keep a number a
    year ("the 2011 protests"); ``count`` nouns, ``measure`` units and ``follower`` words
    ("the 2000 who fled") make it a count."""
    return grouped("dates/data/date_nouns.csv", "kind", "word")


def cue_regex(units: Iterable[str] | None = None) -> str:
    """Alternation of the cue phrases (of the given units), longest first."""
    chosen = [c for c, (u, _) in cues().items() if units is None or u in units]
    return "|".join(re.escape(c).replace(r"\ ", _S) for c in sorted(chosen, key=len, reverse=True))


def day(d: date | None) -> Resolved:
    return (d, d, "day") if d else UNRESOLVED


def month(y: int, m: int) -> Resolved:
    y, m = y + (m - 1) // 12, (m - 1) % 12 + 1
    last = date(y + m // 12, m % 12 + 1, 1) - timedelta(days=1)
    return date(y, m, 1), last, "month"


def week(d: date) -> Resolved:
    monday = d - timedelta(days=d.weekday())
    return monday, monday + timedelta(days=6), "week"


def year(y: int) -> Resolved:
    return date(y, 1, 1), date(y, 12, 31), "year"


def shift(unit: str, n: int, pub: date) -> Resolved:
    """``n`` units from the published date, at the unit's precision."""
    if unit == "day":
        return day(pub + timedelta(days=n))
    if unit == "week":
        return week(pub + timedelta(weeks=n))
    if unit == "weekend":
        return week(pub - timedelta(days=(pub.weekday() - 5) % 7))
    if unit == "month":
        return month(pub.year, pub.month + n)
    return year(pub.year + n)


def anchored(offset: int) -> Resolved:
    """A placeholder for a day ``offset`` days from the previous dated happening."""
    return None, None, f"{ANCHORED}:{offset}"


# --- handlers ---------------------------------------------------------------------------

def r_period_part(m: re.Match[str], pub: date | None) -> Resolved | None:
    """"the end of the month", "early next year": the whole period the part belongs to."""
    if pub is None:
        return UNRESOLVED
    if m["unit"]:
        return shift(m["unit"].lower(), 0, pub)
    unit, offset = cues()[re.sub(_S, " ", m["cue"].lower())]
    return shift(unit, offset, pub)


def r_attributive_year(m: re.Match[str], pub: date | None) -> Resolved | None:
    """"the 2006 war": a year unless the following noun makes the number a count."""
    noun = (m["noun"] or "").lower()
    kinds = nouns()
    if any(noun in kinds.get(kind, frozenset()) for kind in ("measure", "count", "follower")):
        return None
    plural = noun.endswith("s") and not noun.endswith(("ss", "us", "is"))
    if plural and noun not in kinds.get("event", frozenset()):
        return None
    return year(int(m["y"]))


def _past_day(mon: int, d: int, pub: date | None) -> date | None:
    """The latest ``mon``/``d`` on or before publication."""
    if pub is None:
        return None
    value = make_date(pub.year, mon, d)
    return value if value and value <= pub else make_date(pub.year - 1, mon, d)


def r_day_range(m: re.Match[str], pub: date | None) -> Resolved | None:
    """"March 3-4", "3-4 March 2024": both days, day precision, labelled by the first."""
    mon, d1, d2 = month_of(m["mon"]), int(m["d1"]), int(m["d2"])
    if not (d1 < d2 and make_date(2000, mon, d2)):
        return None
    first = make_date(int(m["y"]), mon, d1) if m["y"] else _past_day(mon, d1, pub)
    if first is None:
        return UNRESOLVED if pub is None else None
    return first, first + timedelta(days=d2 - d1), "day"


def r_weekday_week(m: re.Match[str], pub: date | None) -> Resolved | None:
    """"on Tuesday last week": that weekday inside the named ISO week."""
    if pub is None:
        return UNRESOLVED
    offset = {"last": -1, "this": 0, "next": 1}[m["rel"].lower()]
    monday = pub - timedelta(days=pub.weekday()) + timedelta(weeks=offset)
    return day(monday + timedelta(days=WEEKDAYS[m["wd"].lower()]))


def r_counted_anchor(m: re.Match[str], pub: date | None) -> Resolved | None:
    """"two days later", "a week earlier": counted from the previous dated happening."""
    n = int(m["n"]) if m["n"].isdigit() else NUMBERS[m["n"].lower()]
    n *= 7 if m["u"].lower() == "week" else 1
    return anchored(-n if (m["dir"] or m["rel"]).lower() in ("earlier", "before") else n)


def r_overnight_weekday(m: re.Match[str], pub: date | None) -> Resolved | None:
    """"overnight into Thursday", "overnight Tuesday to Wednesday": the night ends on the
    (last) weekday named, the latest such day on or before publication; one mention, not a
    bare "overnight" (the published day) beside a weekday."""
    if pub is None:
        return UNRESOLVED
    return day(pub - timedelta(days=(pub.weekday() - WEEKDAYS[m["wd"].lower()]) % 7))


def _range_patterns() -> list[re.Pattern[str]]:
    """"March 3-4", "3-4 March 2024"; worded ranges ("from 12 to 14 March", "between
    March 3 and 5") only after their opening word, as "on March 3 and 5 others" is no range."""
    d1, d2 = r"(?P<d1>[0-3]?\d)(?:st|nd|rd|th)?", r"(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?"
    year_tail = rf"(?:,?{_S}{YEAR})?(?![\d,.]\d)"
    out = []
    for lead, joint in ((r"\b", r"[^\S\n]*[-–][^\S\n]*"),
                        (rf"\b(?i:from|between){_S}", rf"{_S}(?i:to|and|until|till){_S}")):
        out.append(re.compile(rf"{lead}{MON}{_S}{d1}{joint}{d2}\b{year_tail}"))
        out.append(re.compile(rf"{lead}{d1}{joint}{d2}{_S}(?:of{_S})?{MON}{year_tail}"))
    return out


def patterns() -> list[tuple[re.Pattern[str], Handler]]:
    """The patterns of this module with their handlers (merged into ``dates._patterns``)."""
    periods = cue_regex({"week", "month", "year", "weekend"})
    return [
        (re.compile(rf"\b(?:{PREP}{_S})?(?P<span>{_PART}(?:-|{_S})(?:"
                    rf"(?i:the){_S}(?P<unit>(?i:week|month|year))\b|(?P<cue>{periods})\b))"),
         r_period_part),
        (re.compile(rf"(?:\b{_DET}){_S}(?P<span>{YEAR})(?![\d,.]\d|[-–/]|['’]?s\b)"
                    rf"(?=(?:{_S}[A-Z][\w'’.\-]*){{0,3}}(?:{_S}(?P<noun>[A-Za-z]+))?)"),
         r_attributive_year),
        *((p, r_day_range) for p in _range_patterns()),
        (re.compile(rf"\b(?:(?i:on){_S})?(?P<wd>{WD_FULL}),?{_S}(?:(?i:of){_S})?"
                    rf"(?P<rel>(?i:last|this|next)){_S}(?i:week)\b"), r_weekday_week),
        (re.compile(rf"\b(?i:overnight){_S}(?:(?i:into|on|to){_S})?"
                    rf"(?:(?:{WD_FULL}){_S}(?i:to|into|and){_S})?(?P<wd>{WD_FULL})\b"),
         r_overnight_weekday),
        # "two days later"; "two days before/after" only when it is not "after the vote"
        (re.compile(rf"\b(?P<n>{NUM}){_S}(?P<u>day|week)s?{_S}"
                    rf"(?:(?P<dir>later|earlier)\b|(?P<rel>before|after)\b{NOT_TIED})",
                    re.IGNORECASE), r_counted_anchor),
    ]


def resolve_anchors(mentions: list[DateMention], pub: date | None) -> list[DateMention]:
    """Replace anaphoric days by an offset from the previous day-precision mention."""
    out: list[DateMention] = []
    anchor = pub
    for m in mentions:
        if m.precision.startswith(ANCHORED):
            offset = int(m.precision.split(":")[1])
            value = anchor + timedelta(days=offset) if anchor else None
            m = DateMention(Span(m.span.start, m.span.end, m.span.text), *day(value))
        elif m.precision == "day" and m.start is not None:
            anchor = m.start
        out.append(m)
    return out
