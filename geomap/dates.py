"""Publication dates and event dates in English news text.

Three questions, answered with precompiled regular expressions (no network, no
locale, deterministic):

* :func:`find_dateline` -- is there a publication date near the top of the
  article (a page header "Wednesday, September 27, 2023", a wire dateline
  "KYIV, Sept 27 (Reuters) -", "Published: 2023-09-27")?
* :func:`infer_publication_date` -- without a dateline, which day was the
  article written? Weekday-and-date mentions ("Monday September 18") fix the
  year together with the explicit years elsewhere in the text.
* :func:`resolve_relative` -- on which day did the event of a sentence happen
  ("on Tuesday", "last night", "the night of Sunday to Monday", "16 September")?

Precision vocabulary (ACLED-like): "day"; "days" (a night spanning two days,
"the past 24 hours": the date given is the later day); "week"; "month"; None.
"""

from __future__ import annotations

import calendar
import re
from collections import Counter
from datetime import date, timedelta

from geomap._events_prefix import prefix_search, word_start_automaton
from geomap._text import lower_twin, twin_text

__all__ = ["find_dateline", "infer_publication_date", "resolve_relative", "date_range"]

_MONTHS: dict[str, int] = {}
for _i, _name in enumerate(calendar.month_name):
    if _i:
        _MONTHS[_name.lower()] = _i
        _MONTHS[_name[:3].lower()] = _i
_MONTHS["sept"] = 9

_WEEKDAYS: dict[str, int] = {}
for _i, _name in enumerate(calendar.day_name):
    _WEEKDAYS[_name.lower()] = _i
    _WEEKDAYS[_name[:3].lower()] = _i

_MON = (
    r"(?P<{g}>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_WD = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_WDG = r"(?P<{g}>monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_DAY = r"(?P<{g}>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<{g}>(?:19|20)\d\d)"


def _p(template: str, **groups: str) -> str:
    return template.format(**groups)


# Explicit dates. Each alternative names its groups with a suffix so one
# compiled alternation can hold them all; an optional weekday prefix lets
# "Saturday, September 16, 2023" match as one date rather than a weekday.
_EXPLICIT_PARTS = [
    # 2023-09-27
    r"(?P<y1>(?:19|20)\d\d)-(?P<m1>[01]\d)-(?P<d1>[0-3]\d)\b",
    # (Wednesday,) September 27(,) 2023  /  Sept. 27  /  September 27th
    rf"(?:(?P<w2>{_WD}),?\s+)?"
    + _MON.format(g="m2")
    + r"\s+"
    + _DAY.format(g="d2")
    + r"\b(?:,?\s+"
    + _YEAR.format(g="y2")
    + r")?",
    # (Wednesday,) 27 September(,) 2023  / 27th of September
    rf"(?:(?P<w3>{_WD}),?\s+)?(?:the\s+)?"
    + _DAY.format(g="d3")
    + r"\s+(?:of\s+)?"
    + _MON.format(g="m3")
    + r"(?:,?\s+"
    + _YEAR.format(g="y3")
    + r")?",
    # 27.09.2023 / 27/09/2023 (day first: European and most wire styles)
    r"\b(?P<d4>[0-3]?\d)[./](?P<m4>[01]?\d)[./](?P<y4>(?:19|20)\d\d)\b",
]
_EXPLICIT = re.compile(r"\b(?:" + "|".join(_EXPLICIT_PARTS) + r")", re.IGNORECASE)


def _explicit_fields(m: re.Match[str]) -> tuple[int | None, int, int, str | None]:
    """(year, month, day, weekday word) of a match of :data:`_EXPLICIT`."""
    for k in "1234":
        if m.group("m" + k):
            mon = m.group("m" + k).lower().rstrip(".")
            month = int(mon) if mon.isdigit() else _MONTHS[mon[:4] if mon.startswith("sept") else mon[:3]]
            year = m.group("y" + k)
            wd = m.groupdict().get("w" + k)
            return (int(year) if year else None, month, int(m.group("d" + k)), wd)
    raise ValueError("not a date match")  # pragma: no cover - the regex always fills one branch


def _make_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


# --- datelines ---------------------------------------------------------------

# "KYIV, Sept 27 (Reuters) -", "LONDON (AP) --": an upper-case place then a date.
_WIRE = re.compile(r"^[A-Z][A-Z .'’\-]{1,40}(?:,\s*[A-Za-z .]{0,30})?[,(]")
_LABEL = re.compile(
    r"^(?:published|updated|posted|date|last updated|first published|created)(?:\s+on)?\s*:?\s*",
    re.IGNORECASE,
)


def find_dateline(text: str) -> date | None:
    """Find a publication date in the first ~15 lines of an article.

    Only dates that stand as a header are taken: a line that is mostly a date
    ("Wednesday, September 27, 2023", "27 September 2023", "2023-09-27"), a
    labelled date ("Published: Sept. 27, 2023") or a wire dateline ("KYIV,
    Sept 27 (Reuters) -"). A date inside a sentence of prose is not a
    dateline. A dateline without a year takes the year of the explicit years in
    the text when there are any.

    Parameters
    ----------
    text : str
        Article text.

    Returns
    -------
    datetime.date or None
        The dateline date, or None when the top of the article has none.
    """
    lines = [ln.strip() for ln in text.splitlines()[:40] if ln.strip()][:15]
    for line in lines:
        body = _LABEL.sub("", line)
        labelled = body != line
        for m in _EXPLICIT.finditer(body):
            rest = (body[: m.start()] + body[m.end() :]).strip(" ,.-–—|:()")
            wire = m.start() > 0 and _WIRE.match(body[: m.start()] + "(") is not None
            header = labelled or len(rest) <= max(12, len(m.group(0)) // 2)
            if not (header or (wire and re.match(r"\s*\(|\s*[-–—]", body[m.end() :]))):
                continue
            year, month, day, _ = _explicit_fields(m)
            if year is None:
                year = _year_from_text(text)
                if year is None:
                    continue
            d = _make_date(year, month, day)
            if d is not None:
                return d
    return None


_YEAR_RE = re.compile(r"(?<![\d,.])((?:19|20)\d\d)(?![\d,])")


def _explicit_years(text: str) -> list[int]:
    return [int(y) for y in _YEAR_RE.findall(text)]


def _year_from_text(text: str) -> int | None:
    years = [y for y in _explicit_years(text) if 1990 <= y <= 2100]
    return max(years) if years else None


# --- inference without a dateline ------------------------------------------------

_WD_DATE = re.compile(
    r"\b"
    + _WDG.format(g="wa")
    + r",?\s+(?:the\s+)?(?:"
    + _MON.format(g="ma")
    + r"\s+"
    + _DAY.format(g="da")
    + r"|"
    + _DAY.format(g="db")
    + r"\s+(?:of\s+)?"
    + _MON.format(g="mb")
    + r")\b(?!,?\s+(?:19|20)\d\d)",
    re.IGNORECASE,
)
_BARE_WD = re.compile(r"\b" + _WDG.format(g="w") + r"\b", re.IGNORECASE)
_TODAY_WD = re.compile(r"\b(?:this|today,?)\s+" + _WDG.format(g="w") + r"\b", re.IGNORECASE)


def infer_publication_date(text: str) -> tuple[date | None, str | None]:
    """Infer the publication day of an article that has no dateline.

    A weekday written with a day and month ("Monday September 18") is only
    true in some years; the explicit years in the text (here "2022") bound the
    year from below, and the first year at or after the latest of them where
    the weekday matches is taken (18 September is a Monday in 2023). When
    several such mentions exist, the one whose weekday the text uses most as a
    bare "today" reference ("reported Monday", "this Monday") wins, then the
    earliest.

    Parameters
    ----------
    text : str
        Article text.

    Returns
    -------
    tuple of (datetime.date or None, str or None)
        The date and its precision ("day"), or (None, None).
    """
    years = [y for y in _explicit_years(text) if 1990 <= y <= 2100]
    if not years:
        return None, None
    floor = max(years)
    bare = Counter(m.group("w").lower() for m in _BARE_WD.finditer(text))
    for m in _TODAY_WD.finditer(text):
        bare[m.group("w").lower()] += 3  # "this Monday", "today, Monday": the article's own day
    cands: list[tuple[int, date]] = []
    for m in _WD_DATE.finditer(text):
        wd = _WEEKDAYS[m.group("wa").lower()]
        mon = (m.group("ma") or m.group("mb")).lower().rstrip(".")
        month = _MONTHS[mon[:4] if mon.startswith("sept") else mon[:3]]
        day = int(m.group("da") or m.group("db"))
        for year in range(floor, floor + 8):
            d = _make_date(year, month, day)
            if d is not None and d.weekday() == wd:
                cands.append((bare[m.group("wa").lower()], d))
                break
    if not cands:
        return None, None
    best = max(cands, key=lambda c: (c[0], -c[1].toordinal()))
    return best[1], "day"


# --- event dates -------------------------------------------------------------------

_NUM_WORDS = {
    "a": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "few": 3,
    "several": 3,
}

_RELATIVE = re.compile(
    r"\b(?:"
    r"(?P<night>(?:the\s+|during\s+the\s+)?night\s+(?:of|from)\s+"
    + _WDG.format(g="n1")
    + r"\s+(?:to|into|and)\s+"
    + _WDG.format(g="n2")
    + r")"
    r"|(?P<into>(?:overnight|(?:on\s+)?" + _WD + r"\s+night)\s+(?:in)?to\s+" + _WDG.format(g="n3") + r")"
    r"|(?P<past24>(?:in\s+|over\s+|during\s+)?the\s+(?:past|last)\s+(?:24|twenty-four)\s+hours|overnight|last\s+night"
    r"|during\s+the\s+night|at\s+night|tonight)"
    r"|(?P<yesterday>yesterday|the\s+day\s+before)"
    r"|(?P<today>today|this\s+(?:morning|afternoon|evening))"
    r"|(?P<ago>(?P<agon>\d+|a|one|two|three|four|five|six|seven|few|several)\s+days?\s+ago)"
    r"|(?P<thisweek>(?:this|the\s+past|the\s+last)\s+week)"
    r"|(?P<lastweek>last\s+week|the\s+previous\s+week)"
    r"|(?P<weekend>(?:over|at|during|on|this|last)\s+(?:the\s+)?weekend)"
    r"|(?P<thismonth>(?:earlier\s+)?this\s+month)"
    r"|(?P<lastmonth>last\s+month)"
    r"|(?P<weekday>(?:(?:on|last|this|early|late)\s+)?" + _WDG.format(g="w") + r")"
    r"|(?P<monthyear>(?:(?:in|during|since|by|until|early|late|mid-?|the\s+end\s+of|the\s+beginning\s+of)\s+)?"
    + _MON.format(g="my_m")
    + r",?\s+"
    + _YEAR.format(g="my_y")
    + r")"
    r"|(?P<inmonth>(?:in|during|since|early|late|mid-?|the\s+end\s+of|the\s+beginning\s+of)\s+(?:the\s+)?"
    r"(?:first\s+half\s+of\s+|second\s+half\s+of\s+)?(?:this\s+)?" + _MON.format(g="mm") + r"(?![\w.]?\s*\d))"
    r")\b",
    re.IGNORECASE,
)


#: Case-sensitive twins for :func:`geomap._text.twin_text` of a sentence (every group read below is
#: lower-cased anyway).
_EXPLICIT_LOW = lower_twin(_EXPLICIT)
_RELATIVE_LOW = lower_twin(_RELATIVE)
#: Prefix automata of the twins: both patterns start with ``\b`` before alternatives that all begin
#: with a word character, so a match starts a word, and one automaton pass over the sentence names the
#: few word starts worth trying (see :func:`geomap._events_prefix.prefix_search`; ~4x faster).
#: Prefixes of 5 characters: built in under 2 ms at import (10 would take 35 ms for a few % more speed).
_EXPLICIT_AUTO = word_start_automaton((_EXPLICIT_LOW.pattern,), 5)
_RELATIVE_AUTO = word_start_automaton((_RELATIVE_LOW.pattern,), 5)
#: Every alternative of _EXPLICIT holds a digit.
_DIGIT = re.compile(r"\d")
#: A word every alternative of _RELATIVE holds ("yesterday", "days ago", "monday", "tonight", "last
#: hours", "this evening", "last week", "this month", a month's first three letters), lower case.
_RELATIVE_WORDS = re.compile(
    r"day|night|hour|morning|afternoon|evening|week|month|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec"
)


def _month_of(published: date, month: int) -> date:
    """The latest 1st-of-``month`` on or before the publication month."""
    year = published.year if month <= published.month else published.year - 1
    return date(year, month, 1)


def resolve_relative(phrase_or_sentence: str, published: date | None) -> tuple[date | None, str | None]:
    """Date the event of a sentence against the publication date.

    The first date expression of the sentence wins. Explicit dates ("on
    September 16", "16 September 2023") need no publication date; a missing
    year is the publication year, or the year before when that would put the
    date more than a week after publication (year boundary). Relative
    expressions ("on Tuesday", "yesterday", "last night", "the night of
    Sunday to Monday", "this week") are resolved against ``published``;
    weekdays resolve to the most recent such day on or before publication.

    Parameters
    ----------
    phrase_or_sentence : str
        A phrase or a whole sentence.
    published : datetime.date or None
        Publication date of the article.

    Returns
    -------
    tuple of (datetime.date or None, str or None)
        The date and its precision: "day", "days" (a night spanning two
        days, the past 24 hours; the later day is returned), "week" (the
        week ending on the date), "month" (the 1st of the month), or
        (None, None).
    """
    text = phrase_or_sentence
    low = twin_text(text)
    if low is not None:  # most sentences: the same spans, found case-sensitively in the lower-cased text
        # Cheap gates first: a date needs a digit, a relative expression one of _RELATIVE_WORDS.
        ex = prefix_search(_EXPLICIT_LOW, _EXPLICIT_AUTO, low) if _DIGIT.search(low) else None
        rel = prefix_search(_RELATIVE_LOW, _RELATIVE_AUTO, low) if _RELATIVE_WORDS.search(low) else None
    else:
        ex = _EXPLICIT.search(text)
        rel = _RELATIVE.search(text)
    if ex is not None and (
        rel is None
        or ex.start() <= rel.start()
        or _overlaps(ex, rel)
        # "overnight on Nov. 20-21", "last night, November 21": the night is that date's
        or (rel.lastgroup == "past24" and _NIGHT_OF_DATE.fullmatch(text, rel.end(), ex.start()) is not None)
    ):
        year, month, day, _ = _explicit_fields(ex)
        precision = "day"
        span = _DAY_SPAN.match(text, ex.end())
        if span is not None and day < int(span.group(1)) <= day + 6:
            # "Nov. 20-21": the night into the 21st; "Nov. 18-21": those days
            first, day = day, int(span.group(1))
            precision = "days" if day == first + 1 else "week"
        elif ex.group("d3") and (span := _DAY_SPAN_BEFORE.search(text, max(0, ex.start() - 6), ex.start())):
            first = int(span.group(1))  # "20-21 November"
            if first < day <= first + 6:
                precision = "days" if day == first + 1 else "week"
        if year is None:
            if published is None:
                return None, None
            year = published.year
            d = _make_date(year, month, day)
            if d is not None and d > published + timedelta(days=7):
                d = _make_date(year - 1, month, day)
        else:
            d = _make_date(year, month, day)
        return (d, precision) if d is not None else (None, None)
    if rel is not None and rel.lastgroup == "monthyear":  # "in November 2022": no publication date needed
        mon = rel.group("my_m").lower().rstrip(".")
        month = _MONTHS[mon[:4] if mon.startswith("sept") else mon[:3]]
        return date(int(rel.group("my_y")), month, 1), "month"
    if rel is None or published is None:
        return None, None
    g = rel.lastgroup
    if g == "night":
        return _last_weekday(published, _WEEKDAYS[rel.group("n2").lower()]), "days"
    if g == "into":
        return _last_weekday(published, _WEEKDAYS[rel.group("n3").lower()]), "days"
    if g == "past24":
        return published, "days"
    if g == "yesterday":
        return published - timedelta(days=1), "day"
    if g == "today":
        return published, "day"
    if g == "ago":
        n = rel.group("agon").lower()
        k = int(n) if n.isdigit() else _NUM_WORDS.get(n, 3)
        if n in ("few", "several"):
            return published, "week"
        return published - timedelta(days=k), "day"
    if g == "thisweek":
        return published, "week"
    if g == "lastweek":
        return published - timedelta(days=7), "week"
    if g == "weekend":
        # the weekend just past (or under way): its Sunday, spanning Saturday and Sunday
        if published.weekday() == 5:
            return published, "day"
        return _last_weekday(published, 6), "days"
    if g == "thismonth":
        return published.replace(day=1), "month"
    if g == "lastmonth":
        first = published.replace(day=1) - timedelta(days=1)
        return first.replace(day=1), "month"
    if g == "weekday":
        return _last_weekday(published, _WEEKDAYS[rel.group("w").lower()]), "day"
    if g == "inmonth":
        mon = rel.group("mm").lower().rstrip(".")
        if mon == "may" and not re.match(r"(?i)in|during|since", rel.group(0)):
            return None, None
        return _month_of(published, _MONTHS[mon[:4] if mon.startswith("sept") else mon[:3]]), "month"
    return None, None  # pragma: no cover


#: Between "overnight" and the date it is the night of: "overnight on", "last night,", "overnight into".
_NIGHT_OF_DATE = re.compile(r"\s*(?:,\s*)?(?:on|of|into|to)?\s*(?:the\s+)?", re.IGNORECASE)
#: The end of a span of days after an explicit date: "Nov. 20-21", "20–21 November" (not "-21 km").
_DAY_SPAN = re.compile(r"\s?[-–]\s?([0-3]?\d)\b(?![.,]?\d|\s*(?:km|kilomet|mi\b|%|people|civilians))")
#: The start of a span of days before a day-first date: the "20-" of "20-21 November".
_DAY_SPAN_BEFORE = re.compile(r"\b([0-3]?\d)\s?[-–]\s?$")


def _overlaps(a: re.Match[str], b: re.Match[str]) -> bool:
    return a.start() < b.end() and b.start() < a.end()


def _last_weekday(published: date, weekday: int) -> date:
    """Most recent ``weekday`` on or before ``published``."""
    return published - timedelta(days=(published.weekday() - weekday) % 7)


def date_range(d: date | None, precision: str | None) -> tuple[date, date] | None:
    """The span of days a (date, precision) pair covers, for overlap tests.

    Parameters
    ----------
    d : datetime.date or None
        A date from :func:`resolve_relative`.
    precision : str or None
        Its precision.

    Returns
    -------
    tuple of (datetime.date, datetime.date) or None
        First and last day, or None for an unknown date.
    """
    if d is None:
        return None
    if precision == "days":
        return d - timedelta(days=1), d
    if precision == "week":
        return d - timedelta(days=6), d
    if precision == "month":
        last = calendar.monthrange(d.year, d.month)[1]
        return d.replace(day=1), d.replace(day=last)
    if precision == "year":
        return date(d.year, 1, 1), date(d.year, 12, 31)
    return d, d
