"""Dates as Swedes, Norwegians and Danes write them on funders' pages.

API (used by the html_list, page_watch, rss, ical, vinnova and interreg kinds):

- ``FuzzyDate(start, precision, text)``: a date that keeps its precision (MINUTE, DAY, MONTH,
  UNKNOWN) and its zone (that of `start`); ``earliest`` is what to store as an opening, ``latest``
  what to store as a deadline (a day → 23:59 that day, a month → 23:59 on its last day).
- ``parse_date(text, zone=STOCKHOLM, reference=None)``: the first date expression in `text` (with
  the time of day that follows it: "15 mars 2026 kl. 16.00"), or a FuzzyDate of precision UNKNOWN
  when the first thing said is that the date is not decided ("Ej bestämt"), or None.
- ``find_dates(text, zone=STOCKHOLM, reference=None)``: every date in `text`, in order (never
  UNKNOWN ones).
- ``opening_and_deadline(text, zone=STOCKHOLM, reference=None)``: (opening, deadline) read from cue
  words ("Öppnar", "Stängd", "Sista ansökningsdag", "ansök senast", "Deadline", "søknadsfrist",
  "Ansökningstid", …) and ranges ("den 20 maj – den 23 augusti"), each a FuzzyDate or None.

`zone` is the zone a date is in unless the text names one: callers pass OSLO for interreg.no.
"23:59 CET"/"CEST"/"Paris time" put the date on the Brussels clock (so a June date is +02:00: that
is what funders who write "CET" all year mean), "(svensk tid)" on Stockholm's, UTC/GMT/Z on UTC,
an ISO offset on that offset, and iCalendar's "TZID=Europe/Oslo:" on that zone.

What is read: "15 mars 2026", "19 dec. 2025", "13. januar 2025" and "1 February 2026" (Swedish,
Norwegian, Danish and English month names, abbreviations with or without a dot), "February 1,
2026", a weekday before ("måndag 3 mars 2025", "fredag den 15 mars", "Monday, 17 April"),
"Maj 2023" (precision MONTH), "2023-12-21", "2023-12-21T16:00:00+01:00", "05.06.2025" and
"09/04/2026" (day first, as in Europe), iCalendar "20240320T080000"; then a time of day: "kl. 16.00",
"klockan 12.00", "kl 23.59", "kl. 14:00", ", 12.00", "23:59 CET", "kl. 12" (precision MINUTE);
ranges and pairs "1 maj – 30 september 2020", "1–15 mars 2026", "maj-juni 2025", "12 and 13 April".
Not dates: a year alone, "2021-2027", diarienummer like 2023-01699, phone numbers, amounts, opening
hours ("10-16.30"), a month without a year ("i februari"), "Call 3 may" (English "may" needs a year).
Years from 1900 to 2199 are read: Vinnova's "1900-01-01 means no date" is the vinnova kind's to drop.

How a date without a year gets one (first rule that applies):
1. In a range ("den 13. januar til den 14. februar 2025") the side without a year takes the other's,
   so that the range increases and spans less than a year ("1 december – 15 januari 2026" begins
   on 1 December 2025).
2. A weekday fixes it: of the years within six of the reference in which that day falls on that
   weekday, the one nearest the reference ("fredag den 15 mars" read in 2026 → 2024).
3. The same day and month written with a year elsewhere in the text lend that year (when only one
   year is written so): "Öppen för ansökningar till 15 februari" + "stänger 15 februari 2024".
4. A date with a year in the same sentence lends it: before it, the last such day on or before it
   ("öppnar den 15 januari och stänger den 15 mars 2021" → 15 January 2021); after it, the first
   such day on or after it ("uppdaterad 2023-12-21, öppningsdatum ändrat till 13 februari" → 2024).
5. Otherwise the year that puts the date nearest the reference (the page's publication date, or
   today in `zone` when None); a range counts as near as its nearer end; a tie goes to the later
   year. The reference is context, so the result is as good as the reference is.
opening_and_deadline reads the opening and the deadline as one period: where rule 5 guessed the year
of one of them, it follows the other as in rule 1 ("Idag, den 20 maj 2025, öppnar … Den är öppen fram
till den 23 augusti" → 23 August 2025); where it guessed both, the period goes nearest the reference.

Why regular expressions and not a library. The issue asks to "use a maintained library where one
does the job, and say where it falls short". We tried dateparser 1.5.0 (languages sv, nb, da, en;
Europe/Stockholm; RELATIVE_BASE 2026-11-27) on the phrases of the fixture pages, and python-dateutil:
- dateparser.parse() reads clean phrases ("15 mars 2026", "19 dec. 2025", "13. januar 2025",
  "05.06.2025 23:59", ISO, English) but returns None once a cue word is in the string ("Stängd 12
  september 2023", "Öppnar: Maj 2023"), for "klockan 12.00" always, and for "kl. 16.00" whenever the
  language list is ["sv"] (it only works when detection picks Norwegian or Danish).
- Year inference is per date, from RELATIVE_BASE's year (or the next one with PREFER_DATES_FROM=
  "future"), blind to ranges: "den 13. januar til den 14. februar 2025" → 2026-01-13 … 2025-02-14.
- Precision: parse() fills a missing day from today ("Maj 2023" → 2023-05-27); get_date_data() has
  a `period` but says "day" for "15 mars 2026 kl. 16.00", "year" for a lone "2025" (which it takes
  as a date), and "month" for "fredag den 15 mars" parsed as 2015-03-27.
- Zones: "1 June 2025 23:59 CET" → 2025-06-02 00:59+02:00 (CET as a fixed +01:00, converted).
- search_dates() over page text is unusable: "är en", "man", "så", "Nu", "13 år", "15 månader",
  opening hours "9-21" → 2021-11-09, phone prefix "0532" → year 532, "maj 2020,12" → 2020-05-12, and
  it drops "kl. 16.00" after "den 15 mars 2021".
- python-dateutil knows English month names only and, with fuzzy=True, takes "Beslut 2025 tas" as a
  date, filling the rest from a default: no precision. babel (CLDR) has the month names but parses
  no free text; twelve month names a language do not need a dependency.
So dateparser is not a dependency; the regexes below are checked on the real pages in
tests/test_conformance_swedish_dates.py.
"""

from __future__ import annotations

import bisect
import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from monitor.records import BRUSSELS, STOCKHOLM

OSLO = ZoneInfo("Europe/Oslo")
_COPENHAGEN = ZoneInfo("Europe/Copenhagen")

MINUTE = "minute"
DAY = "day"
MONTH = "month"
UNKNOWN = "unknown"
PRECISIONS = (MINUTE, DAY, MONTH, UNKNOWN)


@dataclass(frozen=True)
class FuzzyDate:
    """A date as precise as the page made it.

    `start` is the first instant it can mean (the minute itself; 00:00 of the day; the 1st of the
    month at 00:00), aware, in the date's zone; None when the page says the date is not decided
    ("Ej bestämt"), with precision UNKNOWN. `text` is the expression as the page wrote it.
    """

    start: datetime | None
    precision: str
    text: str = ""

    def __post_init__(self) -> None:
        if self.precision not in PRECISIONS:
            raise ValueError(f"precision must be one of {PRECISIONS}, not {self.precision!r}")
        if (self.start is None) != (self.precision == UNKNOWN):
            raise ValueError("start is None exactly when the precision is UNKNOWN")
        if self.start is not None and self.start.utcoffset() is None:
            raise ValueError("start must be an aware datetime")

    @property
    def zone(self) -> tzinfo | None:
        return None if self.start is None else self.start.tzinfo

    @property
    def earliest(self) -> datetime | None:
        """As an opening: the first instant it can mean."""
        if self.start is None or self.precision == MINUTE:
            return self.start
        first = self.start.replace(hour=0, minute=0, second=0, microsecond=0)
        return first.replace(day=1) if self.precision == MONTH else first

    @property
    def latest(self) -> datetime | None:
        """As a deadline: the last minute it can mean (a day → 23:59; a month → its last day 23:59)."""
        if self.start is None or self.precision == MINUTE:
            return self.start
        last = self.start.replace(hour=23, minute=59, second=0, microsecond=0)
        if self.precision == MONTH:
            return last.replace(day=calendar.monthrange(last.year, last.month)[1])
        return last


def parse_date(text: str, zone: tzinfo = STOCKHOLM, reference: date | None = None) -> FuzzyDate | None:
    """The first date expression in `text`, an UNKNOWN one for "Ej bestämt", or None."""
    items, _ = _read(text, zone, reference)
    return items[0].date if items else None


def find_dates(text: str, zone: tzinfo = STOCKHOLM, reference: date | None = None) -> list[FuzzyDate]:
    """Every date expression in `text`, in order; both ends of a range."""
    items, _ = _read(text, zone, reference)
    return [item.date for item in items if item.date.start is not None]


def opening_and_deadline(
    text: str, zone: tzinfo = STOCKHOLM, reference: date | None = None
) -> tuple[FuzzyDate | None, FuzzyDate | None]:
    """(opening, deadline) as cue words and ranges in `text` say; the first of each wins.

    A date binds to the nearest cue before it in the same sentence (within 60 characters, or on
    the next line when the cue stands alone on its line as a label: "Frist\\n\\n15. februar 2018").
    A cue with no date after it in its sentence binds to the date just before it ("Idag, den 20
    maj, öppnar …"). A range after an opening or period cue ("Ansökningstid", "perioden", "is
    open"), or alone on its line ("den 20 maj – den 23 augusti"), gives both; a single date after
    a period cue is a deadline ("Ansökningstider\\n\\n4 oktober 2023 klockan 12.00"). Other dates
    count for nothing: a page mentions many (project periods, decisions, updates).
    """
    items, ranges = _read(text, zone, reference)
    range_end = dict(ranges)
    bound = _bind(text, items, ranges)
    opening: _Item | None = None
    deadline: _Item | None = None
    for unit in sorted(bound):
        kind = bound[unit].kind
        end = range_end.get(unit)
        if end is not None:
            if kind in (_OPEN, _PERIOD):
                opening = opening or items[unit]
            deadline = deadline or items[end]
        elif kind == _OPEN:
            opening = opening or items[unit]
        else:
            deadline = deadline or items[unit]
    if opening and deadline and opening.date.start and deadline.date.start:
        return _pair_in_order(opening, deadline, _reference(zone, reference))
    return (opening.date if opening else None, deadline.date if deadline else None)


# --- reading ---------------------------------------------------------------------------------

_MONTHS = {
    **dict.fromkeys(("januari", "januar", "january", "jan"), 1),
    **dict.fromkeys(("februari", "februar", "february", "feb"), 2),
    **dict.fromkeys(("mars", "marts", "march", "mar"), 3),
    **dict.fromkeys(("april", "apr"), 4),
    **dict.fromkeys(("maj", "mai", "may"), 5),
    **dict.fromkeys(("juni", "june", "jun"), 6),
    **dict.fromkeys(("juli", "july", "jul"), 7),
    **dict.fromkeys(("augusti", "august", "aug"), 8),
    **dict.fromkeys(("september", "sept", "sep"), 9),
    **dict.fromkeys(("oktober", "october", "okt", "oct"), 10),
    **dict.fromkeys(("november", "nov"), 11),
    **dict.fromkeys(("december", "desember", "dec", "des"), 12),
}
_WEEKDAYS = {
    **dict.fromkeys(("måndag", "mandag", "monday"), 0),
    **dict.fromkeys(("tisdag", "tirsdag", "tuesday"), 1),
    **dict.fromkeys(("onsdag", "wednesday"), 2),
    **dict.fromkeys(("torsdag", "thursday"), 3),
    **dict.fromkeys(("fredag", "friday"), 4),
    **dict.fromkeys(("lördag", "lørdag", "saturday"), 5),
    **dict.fromkeys(("söndag", "søndag", "sunday"), 6),
}


def _alternatives(words: Iterable[str]) -> str:
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


_SP = r"[ \t\u00a0\u202f]"
_MON = _alternatives(_MONTHS)
_WD = _alternatives(_WEEKDAYS)
_YEAR = r"(?:19|20|21)\d\d"
_START = r"(?<![^\W_])(?<![.,/])"  # not inside a word or a number ("Networks_17 March" is fine)
_ORD = r"(?:\.|:[ae]|st|nd|rd|th)?"
# An abbreviation may end in a dot ("dec."); a full name's dot ends the sentence and is not read.
_MON_END = r"(?:(?<=jan|feb|mar|apr|jun|jul|aug|sep|okt|oct|nov|dec|des)\.|(?<=sept)\.)?(?![^\W\d_])"


def _month(name: str) -> str:
    return rf"(?P<{name}>{_MON}){_MON_END}"


def _year(name: str) -> str:
    return rf"(?:,?{_SP}+(?P<{name}>{_YEAR})(?!\d))"


_DATE_RE = re.compile(
    r"(?<![^\W_])(?=[^\W_])(?:"  # every date begins a word or number: test that once, quickly
    + "|".join(
        (
            # 2023-12-21, 2023-12-21T16:00:00+01:00
            rf"(?P<iso>{_START}(?P<i_y>{_YEAR})-(?P<i_m>[01]\d)-(?P<i_d>[0-3]\d)"
            r"(?:T(?P<i_h>[01]\d|2[0-3]):(?P<i_mi>[0-5]\d)(?::[0-5]\d(?:\.\d+)?)?"
            r"(?P<i_z>Z|[+-][01]\d:?[0-5]\d)?)?(?![^\W_]|[.:]\d))",
            # iCalendar: 20240320T080000, 20240321T155557Z, VALUE=DATE:20240320
            rf"(?P<ical>(?<![^\W_])(?P<c_y>{_YEAR})(?P<c_m>[01]\d)(?P<c_d>[0-3]\d)"
            r"T(?P<c_h>[01]\d|2[0-3])(?P<c_mi>[0-5]\d)(?:[0-5]\d)?(?P<c_z>Z)?(?![^\W_]))",
            rf"(?P<vdate>(?<=VALUE=DATE:)(?P<v_y>{_YEAR})(?P<v_m>[01]\d)(?P<v_d>[0-3]\d)(?!\d))",
            # 05.06.2025, 09/04/2026: day first
            rf"(?P<num>{_START}(?P<n_d>[0-3]?\d)(?P<n_s>[./])(?P<n_m>[01]?\d)(?P=n_s)(?P<n_y>{_YEAR})"
            r"(?![^\W_]|[.,/]\d))",
            # 1–15 mars 2026, 12 and 13 April, den 12 och 13 maj
            rf"(?P<days>{_START}(?:(?:den|the){_SP}+)?(?P<r_d1>[0-3]?\d){_ORD}{_SP}*"
            rf"(?P<r_sep>[-–—]|och|and|og|&|till?|to){_SP}*(?:(?:den|the){_SP}+)?"
            rf"(?P<r_d2>[0-3]?\d){_ORD}{_SP}*{_month('r_mon')}{_year('r_y')}?)",
            # 15 mars 2026, den 13. januar, fredag den 15 mars, Monday, 17 April, 1st of February
            rf"(?P<text>{_START}(?:(?P<t_wd>{_WD}),?{_SP}+)?(?:(?:den|the){_SP}+)?"
            rf"(?P<t_d>[0-3]?\d){_ORD}(?:{_SP}+of)?{_SP}*{_month('t_mon')}{_year('t_y')}?)",
            # February 1, 2026
            rf"(?P<english>{_START}(?:(?P<e_wd>{_WD}),?{_SP}+)?{_month('e_mon')}{_SP}+"
            rf"(?P<e_d>[0-3]?\d)(?:st|nd|rd|th)?{_year('e_y')})",
            # Maj 2023, maj-juni 2025, januari/februari 2023
            rf"(?P<month>(?<![^\W_]){_month('m_mon')}(?:{_SP}*(?P<m_sep>[-–/]){_SP}*{_month('m_mon2')})?"
            rf"{_year('m_y')})",
        )
    )
    + ")",
    re.IGNORECASE,
)
_TIME_RE = re.compile(
    rf"{_SP}*,?{_SP}*\(?{_SP}*(?:(?P<kl>kl\.?|klockan|klokka|klokken|at){_SP}*)?"
    r"(?P<h>[01]?\d|2[0-3])(?:[.:](?P<mi>[0-5]\d))?(?!\d|[.:]\d)",
    re.IGNORECASE,
)
_ZONE_RE = re.compile(
    rf"{_SP}*(?:noon{_SP}*)?\(?{_SP}*(?P<z>CEST|CET|MESZ|MEZ|UTC|GMT"
    rf"|(?:svensk|norsk|dansk){_SP}+(?:normal)?tid"
    rf"|(?:Central{_SP}+European(?:{_SP}+Summer)?|Brussels|Paris|Swedish|Stockholm|Norwegian|Oslo"
    rf"|Danish|Copenhagen){_SP}+time)(?![^\W_])",
    re.IGNORECASE,
)
_TZID_RE = re.compile(r"TZID=(?P<tz>[A-Za-z_]+/[A-Za-z_]+):$")
_UNKNOWN_RE = re.compile(
    r"(?<![^\W_])(?:(?:ännu\s+(?:ej|inte)|ej|inte|ikke|ikkje|not\s+yet)\s+(?:bestämt|bestämd|fastställt"
    r"|fastställd|beslutat|klart|bestemt|besluttet|fastsatt|fastlagt|fastsat|decided|determined"
    r"|announced|confirmed|set)|tbd|tba|to\s+be\s+(?:announced|confirmed|decided|determined)"
    r"|meddelas\s+senare|kommer\s+senare|kommer\s+senere|annonseres\s+senere)(?![^\W_])",
    re.IGNORECASE,
)
_RANGE_GAP_RE = re.compile(r"\s*(?:[-–—]|till?|to|until|through|t\.\s?o\.\s?m\.?)\s*", re.IGNORECASE)
_BOUNDARY_RE = re.compile(r"\n|[.!?;](?=\s+[A-ZÅÄÖÆØ0-9•\"”“])")


def _zone_named(word: str) -> tzinfo:
    key = word.split()[0].lower()
    if key in ("utc", "gmt"):
        return UTC
    if key in ("svensk", "swedish", "stockholm"):
        return STOCKHOLM
    if key in ("norsk", "norwegian", "oslo"):
        return OSLO
    if key in ("dansk", "danish", "copenhagen"):
        return _COPENHAGEN
    return BRUSSELS  # CET, CEST, MEZ, Central European, Brussels, Paris


@dataclass
class _Hit:
    """One date as written, before its year is settled."""

    start: int
    end: int
    text: str
    year: int | None
    month: int
    day: int | None  # None: the month as a whole
    hour: int | None = None
    minute: int = 0
    zone: tzinfo | None = None
    weekday: int | None = None


@dataclass(frozen=True)
class _Item:
    start: int
    end: int
    date: FuzzyDate
    guessed: bool  # the year came from the reference alone (rule 5)


def _int(match: re.Match[str], name: str) -> int | None:
    value = match.group(name)
    return None if value is None else int(value)


def _month_of(match: re.Match[str], name: str) -> int:
    return _MONTHS[match.group(name).lower()]


def _weekday_of(match: re.Match[str], name: str) -> int | None:
    value = match.group(name)
    return None if value is None else _WEEKDAYS[value.lower()]


def _valid(year: int | None, month: int, day: int | None) -> bool:
    if not 1 <= month <= 12:
        return False
    if day is None:
        return True
    return 1 <= day <= calendar.monthrange(2024 if year is None else year, month)[1]


def _scan(text: str) -> tuple[list[_Hit], list[tuple[int, int, bool]]]:
    """The dates as written, and the pairs among them (index, index, is a range)."""
    hits: list[_Hit] = []
    pairs: list[tuple[int, int, bool]] = []
    last_end = 0
    for m in _DATE_RE.finditer(text):
        if m.start() < last_end:
            continue
        found: list[_Hit] = []
        pair: bool | None = None
        timed = False
        if m.group("iso"):
            zone = _offset(m.group("i_z"))
            hit = _Hit(m.start(), m.end(), m.group(), int(m["i_y"]), int(m["i_m"]), int(m["i_d"]), zone=zone)
            if m.group("i_h"):
                hit.hour, hit.minute, timed = int(m["i_h"]), int(m["i_mi"]), True
            found.append(hit)
        elif m.group("ical"):
            zone = UTC if m.group("c_z") else _tzid(text, m.start())
            found.append(
                _Hit(
                    m.start(),
                    m.end(),
                    m.group(),
                    int(m["c_y"]),
                    int(m["c_m"]),
                    int(m["c_d"]),
                    int(m["c_h"]),
                    int(m["c_mi"]),
                    zone,
                )
            )
            timed = True
        elif m.group("vdate"):
            found.append(_Hit(m.start(), m.end(), m.group(), int(m["v_y"]), int(m["v_m"]), int(m["v_d"])))
            timed = True
        elif m.group("num"):
            found.append(_Hit(m.start(), m.end(), m.group(), int(m["n_y"]), int(m["n_m"]), int(m["n_d"])))
        elif m.group("days"):
            month, year = _month_of(m, "r_mon"), _int(m, "r_y")
            if m["r_mon"].lower() == "may" and year is None:
                continue
            found.append(_Hit(m.start(), m.start("r_sep"), m.group(), year, month, int(m["r_d1"])))
            found.append(_Hit(m.start("r_d2"), m.end(), m.group(), year, month, int(m["r_d2"])))
            pair = m["r_sep"] in "-–—" or m["r_sep"].lower() in ("till", "til", "to")
            if pair and int(m["r_d1"]) > int(m["r_d2"]):
                continue
        elif m.group("text"):
            year = _int(m, "t_y")
            if m["t_mon"].lower() == "may" and year is None:
                continue
            found.append(
                _Hit(
                    m.start(),
                    m.end(),
                    m.group(),
                    year,
                    _month_of(m, "t_mon"),
                    int(m["t_d"]),
                    weekday=_weekday_of(m, "t_wd"),
                )
            )
        elif m.group("english"):
            found.append(
                _Hit(
                    m.start(),
                    m.end(),
                    m.group(),
                    int(m["e_y"]),
                    _month_of(m, "e_mon"),
                    int(m["e_d"]),
                    weekday=_weekday_of(m, "e_wd"),
                )
            )
        elif m.group("month"):
            year = int(m["m_y"])
            if m.group("m_mon2"):
                first, second = _month_of(m, "m_mon"), _month_of(m, "m_mon2")
                ranged = m["m_sep"] != "/"
                found.append(
                    _Hit(m.start(), m.start("m_sep"), m.group(), None if ranged else year, first, None)
                )
                found.append(_Hit(m.start("m_mon2"), m.end(), m.group(), year, second, None))
                pair = ranged
            else:
                found.append(_Hit(m.start(), m.end(), m.group(), year, _month_of(m, "m_mon"), None))
        if not all(_valid(h.year, h.month, h.day) for h in found):
            continue
        last = found[-1]
        if not timed and last.day is not None:
            _read_time(text, last)
        if pair is not None:
            pairs.append((len(hits), len(hits) + 1, pair))
        hits.extend(found)
        last_end = last.end
    paired = {k for i, j, _ in pairs for k in (i, j)}
    for i in range(len(hits) - 1):
        if i in paired or i + 1 in paired:
            continue
        gap = text[hits[i].end : hits[i + 1].start]
        if len(gap) <= 12 and _RANGE_GAP_RE.fullmatch(gap):
            pairs.append((i, i + 1, True))
            paired.update((i, i + 1))
    return hits, sorted(pairs)


def _read_time(text: str, hit: _Hit) -> None:
    """Extend `hit` by the time of day (and zone) that follows it, if any."""
    m = _TIME_RE.match(text, hit.end)
    if not m:
        return
    kl = (m.group("kl") or "").lower()
    if m.group("mi") is None and not kl.startswith("kl"):
        return  # an hour alone is a time only after "kl."/"klockan"
    if m.group("mi") is None and re.match(r"[^\W_]", text[m.end() : m.end() + 1]):
        return
    written_to = hit.end
    hit.hour, hit.minute, hit.end = int(m["h"]), int(m["mi"] or 0), m.end()
    z = _ZONE_RE.match(text, hit.end)
    if z:
        hit.zone, hit.end = _zone_named(z["z"]), z.end()
    hit.text += text[written_to : hit.end]


def _offset(value: str | None) -> tzinfo | None:
    if not value:
        return None
    if value == "Z":
        return UTC
    sign = -1 if value[0] == "-" else 1
    digits = value[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def _tzid(text: str, position: int) -> tzinfo | None:
    m = _TZID_RE.search(text, max(0, position - 64), position)
    if not m:
        return None
    try:
        return ZoneInfo(m["tz"])
    except (ZoneInfoNotFoundError, ValueError):
        return None


# --- years -----------------------------------------------------------------------------------


def _md(hit: _Hit, missing_day: int) -> tuple[int, int]:
    return hit.month, missing_day if hit.day is None else hit.day


def _year_on_or_before(hit: _Hit, anchor: _Hit, year: int) -> int:
    return year if _md(hit, 1) <= _md(anchor, 31) else year - 1


def _year_on_or_after(hit: _Hit, anchor: _Hit, year: int) -> int:
    return year if _md(hit, 31) >= _md(anchor, 1) else year + 1


def _day(hit: _Hit, year: int, last: bool = False) -> date | None:
    if not _valid(year, hit.month, hit.day):
        return None
    if hit.day is None:
        return date(year, hit.month, calendar.monthrange(year, hit.month)[1] if last else 1)
    return date(year, hit.month, hit.day)


def _by_weekday(hit: _Hit, reference: date) -> int | None:
    if hit.weekday is None or hit.day is None:
        return None
    fits = [
        d
        for y in range(reference.year - 6, reference.year + 7)
        if (d := _day(hit, y)) is not None and d.weekday() == hit.weekday
    ]
    return min(fits, key=lambda d: (abs((d - reference).days), -d.year)).year if fits else None


def _by_same_day(hit: _Hit, hits: list[_Hit], given: list[bool]) -> int | None:
    years = {
        h.year for h, g in zip(hits, given, strict=True) if g and (h.month, h.day) == (hit.month, hit.day)
    }
    return years.pop() if len(years) == 1 else None


def _by_sentence(index: int, hits: list[_Hit], given: list[bool], sentence: list[int]) -> int | None:
    hit = hits[index]
    after = [k for k in range(index + 1, len(hits)) if given[k] and sentence[k] == sentence[index]]
    if after:
        return _year_on_or_before(hit, hits[after[0]], hits[after[0]].year)  # type: ignore[arg-type]
    before = [k for k in range(index) if given[k] and sentence[k] == sentence[index]]
    if before:
        return _year_on_or_after(hit, hits[before[-1]], hits[before[-1]].year)  # type: ignore[arg-type]
    return None


def _distance(begin: date, end: date, reference: date) -> int:
    """Days from the reference to the nearer end of a period (a period shorter than a year that
    holds the reference is always nearer than the same period a year away)."""
    return min(abs((begin - reference).days), abs((end - reference).days))


def _nearest(first: _Hit, last: _Hit | None, reference: date) -> int:
    """The year for `first` (and the range to `last`) nearest the reference."""

    def distance(year: int) -> tuple[int, int]:
        begin = _day(first, year)
        end_year = year if last is None else _year_on_or_after(last, first, year)
        end = _day(first if last is None else last, end_year, last=True)
        if begin is None or end is None:
            return (10**6, -year)
        return (_distance(begin, end, reference), -year)

    # ±4 years so that 29 February finds a leap year; any other date is nearest within ±1.
    return min(range(reference.year - 4, reference.year + 5), key=distance)


def _reference(zone: tzinfo, reference: date | datetime | None) -> date:
    if reference is None:
        return datetime.now(zone).date()
    if isinstance(reference, datetime):
        return (reference.astimezone(zone) if reference.tzinfo else reference).date()
    return reference


def _read(
    text: str, zone: tzinfo, reference: date | datetime | None
) -> tuple[list[_Item], list[tuple[int, int]]]:
    """Dates and "not decided" markers in order, with the ranges among them (item indexes)."""
    reference = _reference(zone, reference)
    hits, pairs = _scan(text)
    given = [h.year is not None for h in hits]
    years = [h.year for h in hits]
    guessed = [False] * len(hits)
    partner = {i: j for i, j, _ in pairs}
    owner = {j: i for i, j, _ in pairs}
    cuts = _boundary_positions(text, [(h.start, h.end) for h in hits])
    sentence = [bisect.bisect_right(cuts, h.start) for h in hits]

    for i, j, _ in pairs:
        if years[i] is None and years[j] is not None:
            years[i] = _year_on_or_before(hits[i], hits[j], years[j])  # type: ignore[arg-type]
        elif years[j] is None and years[i] is not None:
            years[j] = _year_on_or_after(hits[j], hits[i], years[i])  # type: ignore[arg-type]

    def clue(k: int) -> int | None:
        return (
            _by_weekday(hits[k], reference)
            or _by_same_day(hits[k], hits, given)
            or _by_sentence(k, hits, given, sentence)
        )

    for k, hit in enumerate(hits):
        if years[k] is not None:
            continue
        if k in owner:  # the end of a range whose start had no year either: settled with the start
            continue
        j = partner.get(k)
        if j is None:
            years[k] = clue(k)
            if years[k] is None:
                years[k], guessed[k] = _nearest(hit, None, reference), True
            continue
        year = clue(k)
        if year is None and (end_year := clue(j)) is not None:
            years[j] = end_year
            year = _year_on_or_before(hit, hits[j], end_year)
        if year is None:
            year, guessed[k], guessed[j] = _nearest(hit, hits[j], reference), True, True
        years[k] = year
        if years[j] is None:
            years[j] = _year_on_or_after(hits[j], hit, years[k])  # type: ignore[arg-type]

    dated: list[tuple[int, int, _Item]] = []
    index_of: dict[int, int] = {}
    for k, hit in enumerate(hits):
        fuzzy = _fuzzy(hit, years[k], zone)  # type: ignore[arg-type]
        if fuzzy is None:
            continue
        index_of[k] = len(dated)
        dated.append((hit.start, hit.end, _Item(hit.start, hit.end, fuzzy, guessed[k])))
    ranges = []
    for i, j, is_range in pairs:
        if not is_range or i not in index_of or j not in index_of:
            continue
        a, b = dated[index_of[i]][2].date, dated[index_of[j]][2].date
        if a.earliest and b.latest and a.earliest <= b.latest:
            ranges.append((index_of[i], index_of[j]))
    for m in _UNKNOWN_RE.finditer(text):
        if not any(s <= m.start() < e for s, e, _ in dated):
            unknown = FuzzyDate(None, UNKNOWN, m.group())
            dated.append((m.start(), m.end(), _Item(m.start(), m.end(), unknown, False)))
    order = sorted(range(len(dated)), key=lambda n: dated[n][0])
    new = {old: new for new, old in enumerate(order)}
    return [dated[n][2] for n in order], [(new[i], new[j]) for i, j in ranges]


def _fuzzy(hit: _Hit, year: int, zone: tzinfo) -> FuzzyDate | None:
    where = hit.zone or zone
    if not _valid(year, hit.month, hit.day):
        return None
    if hit.day is None:
        return FuzzyDate(datetime(year, hit.month, 1, tzinfo=where), MONTH, hit.text)
    if hit.hour is None:
        return FuzzyDate(datetime(year, hit.month, hit.day, tzinfo=where), DAY, hit.text)
    return FuzzyDate(datetime(year, hit.month, hit.day, hit.hour, hit.minute, tzinfo=where), MINUTE, hit.text)


def _in_year(fuzzy: FuzzyDate, year: int) -> FuzzyDate | None:
    """The same date in another year (None for 29 February in a common year)."""
    assert fuzzy.start is not None
    try:
        return FuzzyDate(fuzzy.start.replace(year=year), fuzzy.precision, fuzzy.text)
    except ValueError:
        return None


def _pair_in_order(opening: _Item, deadline: _Item, reference: date) -> tuple[FuzzyDate, FuzzyDate]:
    """Opening and deadline read as one period: a year guessed from the reference (rule 5) on one
    side follows the other side as in a range (rule 1); both guessed, the period as a whole goes
    nearest the reference."""
    first, last = opening.date, deadline.date
    assert first.start is not None and last.start is not None
    if opening.guessed and deadline.guessed:
        best: tuple[tuple[int, int], FuzzyDate, FuzzyDate] | None = None
        for year in range(reference.year - 4, reference.year + 5):
            a, b = _in_year(first, year), _in_year(last, year)
            if a is None or b is None:
                continue
            if b.start < a.start:  # type: ignore[operator]
                b = _in_year(last, year + 1) or b
            key = (_distance(a.start.date(), b.start.date(), reference), -year)  # type: ignore[union-attr]
            if best is None or key < best[0]:
                best = (key, a, b)
        if best is not None:
            return best[1], best[2]
    if deadline.guessed and not opening.guessed:  # the first such day on or after the opening
        year = first.start.year + (
            1 if (last.start.month, last.start.day) < (first.start.month, first.start.day) else 0
        )
        last = _in_year(last, year) or last
    elif opening.guessed and not deadline.guessed:  # the last such day on or before the deadline
        year = last.start.year - (
            1 if (first.start.month, first.start.day) > (last.start.month, last.start.day) else 0
        )
        first = _in_year(first, year) or first
    return first, last


def _boundary_positions(text: str, spans: list[tuple[int, int]]) -> list[int]:
    """Where sentences end (line breaks, ". Capital"), outside the dates themselves."""
    spans = sorted(spans)
    starts = [s for s, _ in spans]

    def inside(position: int) -> bool:
        k = bisect.bisect_right(starts, position) - 1
        return k >= 0 and position < spans[k][1]

    return [m.start() for m in _BOUNDARY_RE.finditer(text) if not inside(m.start())]


# --- cues ------------------------------------------------------------------------------------

_OPEN, _DEADLINE, _PERIOD = "opening", "deadline", "period"

# In priority order: where two start at the same place the first wins.
_CUE_PATTERNS: tuple[tuple[str, bool, str], ...] = (
    (_DEADLINE, False, r"öppe[nt](?:\s+för\s+ansökningar)?\s+(?:fram\s+)?till"),
    (_DEADLINE, False, r"open(?:\s+for\s+applications)?\s+(?:until|till)"),
    (_DEADLINE, False, r"(?:åpen|åben)\s+(?:fram\s+|frem\s+)?til"),
    (_OPEN, False, r"(?:öppen|öppet|open|åpen|åben)\s+(?:från|from|fra)"),
    (_OPEN, False, r"från\s+och\s+med|fr\.\s?o\.\s?m\.?|fra\s+og\s+med"),
    (_OPEN, False, r"ansökan\s+öppnar|öppnar|öppnade|öppnas|öppningsdatum|öppningsdag(?:en)?"),
    (_OPEN, False, r"opens|opened|opening(?:\s+date)?|åpner|åpnet|åpnes|åpningsdato|åbner|åbnet|åbnes"),
    (_DEADLINE, False, r"fram\s+till(?:\s+och\s+med)?|till\s+och\s+med|t\.\s?o\.\s?m\.?"),
    (_DEADLINE, False, r"sista\s+ansökningsdag(?:en)?|sista\s+ansökningsdatum"),
    (_DEADLINE, False, r"sista\s+dag(?:en)?\s+(?:för\s+)?(?:att\s+)?(?:ansöka|söka|skicka\s+in|ansökan)"),
    (_DEADLINE, False, r"ansök\s+senast|senast(?!\s+(?:uppdaterad|ändrad|granskad|publicerad))"),
    (_DEADLINE, False, r"stängd|stänger|stängde|stängs|stängt"),
    (_DEADLINE, False, r"(?:application\s+)?deadline(?:\s+for\s+applications)?|closing\s+date|closes|closed"),
    (
        _DEADLINE,
        False,
        r"søknadsfrist(?:en)?|ansøgningsfrist(?:en)?|frist(?:en)?|stenger|stengt|lukker|lukket",
    ),
    (_PERIOD, False, r"ansökningstid(?:erna|er|en)?|ansökningsperiod(?:en)?|ansøgningsperiode(?:n)?"),
    (_PERIOD, False, r"søknadsperiode(?:n)?|application\s+period|perioden|period"),
    (_PERIOD, False, r"är\s+öppe[nt]|is\s+open|are\s+open|er\s+åpen|er\s+åben"),
    (_OPEN, True, r"från|fra|from"),
    (_DEADLINE, True, r"until"),
)
_CUE_RE = re.compile(
    r"\b(?<![^\W_])(?:"
    + "|".join(rf"(?P<c{n}>{p})" for n, (_, _, p) in enumerate(_CUE_PATTERNS))
    + r")(?![^\W_])",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _Cue:
    start: int
    end: int
    kind: str
    weak: bool  # binds only to a date that follows at once ("Från 15 januari")
    label: bool  # stands alone on its line ("Frist"), so may bind to the next line


def _cues(text: str) -> list[_Cue]:
    cues = []
    for m in _CUE_RE.finditer(text):
        kind, weak, _ = _CUE_PATTERNS[int(m.lastgroup[1:])]  # type: ignore[index]
        cues.append(_Cue(m.start(), m.end(), kind, weak, _alone_on_line(text, m.start(), m.end())))
    return cues


def _bind(text: str, items: list[_Item], ranges: list[tuple[int, int]]) -> dict[int, _Cue]:
    """Which cue each date (or range, by its first item) answers to."""
    inside = {end for _, end in ranges}
    units = [i for i in range(len(items)) if i not in inside]
    cues = _cues(text)
    boundaries = _boundaries(text, items)
    bound: dict[int, _Cue] = {}
    used: set[int] = set()
    for unit in units:
        before = [k for k, cue in enumerate(cues) if cue.end <= items[unit].start]
        if before and _reaches(text, cues[before[-1]], items, unit, boundaries):
            bound[unit] = cues[before[-1]]
            used.add(before[-1])
    for k, cue in enumerate(cues):  # a cue after its date: "den 20 maj, öppnar"
        earlier = [u for u in units if items[u].end <= cue.start]
        if k in used or not earlier or earlier[-1] in bound:
            continue
        unit = earlier[-1]
        gap = text[items[unit].end : cue.start]
        if (
            not any(items[unit].end <= other.start < cue.start for other in cues)
            and len(gap) <= 40
            and "\n" not in gap
            and not _crosses(items[unit].end, cue.start, boundaries)
        ):
            bound[unit] = cue
    for unit, end in ranges:
        if unit not in bound and _alone_on_line(text, items[unit].start, items[end].end):
            bound[unit] = _Cue(items[unit].start, items[unit].start, _PERIOD, False, False)
    return bound


def _alone_on_line(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is all its line holds, but for bullets and punctuation."""
    before = text[max(0, start - 40) : start].rstrip(" \t\u00a0•*-–—:;.,()")
    after = text[end : end + 40].lstrip(" \t\u00a0•*-–—:;.,()\r")
    return (before.endswith("\n") or (before == "" and start <= 40)) and (
        after.startswith("\n") or (after == "" and end + 40 >= len(text))
    )


def _boundaries(text: str, items: list[_Item]) -> list[int]:
    return _boundary_positions(text, [(i.start, i.end) for i in items])


def _crosses(start: int, end: int, boundaries: list[int]) -> bool:
    return bisect.bisect_left(boundaries, start) != bisect.bisect_left(boundaries, end)


def _reaches(text: str, cue: _Cue, items: list[_Item], unit: int, boundaries: list[int]) -> bool:
    start = items[unit].start
    if any(cue.end <= item.start < start for item in items):
        return False  # the cue speaks of an earlier date
    gap = text[cue.end : start]
    if cue.weak:
        return re.fullmatch(r"[ \t\u00a0:]*", gap) is not None
    if "\n" in gap:
        return cue.label and gap.strip(" \t\u00a0:\r\n") == "" and gap.count("\n") <= 3
    return len(gap) <= 60 and not _crosses(cue.end, start, boundaries)


__all__ = [
    "DAY",
    "MINUTE",
    "MONTH",
    "OSLO",
    "PRECISIONS",
    "UNKNOWN",
    "FuzzyDate",
    "find_dates",
    "opening_and_deadline",
    "parse_date",
]
