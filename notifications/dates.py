"""Dates as the e-mails write them, in Swedish and on the Stockholm clock.

- ``format_deadline(moment, precision)``: "fredag 12 december 2026 kl. 17.00", "fredag 12 december
  2026" (day), "december 2026" (month), "ej fastställt" (unknown or none).
- ``days_left(moment, now)`` / ``days_left_text(moment, now)``: calendar days in Stockholm; "i dag",
  "i morgon", "om 14 dagar", "passerad".
- ``period_of(moment)`` → "2026-W48"; ``week_label("2026-W48")`` → "v. 48";
  ``parse_period("2026-W48")`` → (Monday 00:00, next Monday 00:00) in Stockholm, or PeriodError.
- ``format_short(moment, precision)``: "2026-12-12 17:00" for CSV cells.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from monitor.records import MONTHS_SV
from notifications.errors import PeriodError

STOCKHOLM = ZoneInfo("Europe/Stockholm")

WEEKDAYS = ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag")
MONTHS = MONTHS_SV
UNKNOWN_TEXT = "ej fastställt"

_PERIOD = re.compile(r"\s*(\d{4})-?W(\d{1,2})\s*", re.IGNORECASE)


def local(moment: datetime) -> datetime:
    """The moment on the Stockholm clock (naive datetimes are refused: a bug upstream)."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: notifications need aware datetimes")
    return moment.astimezone(STOCKHOLM)


def format_day(day: date) -> str:
    """ "fredag 12 december 2026" """
    return f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]} {day.year}"


def format_deadline(moment: datetime | None, precision: str = "minute") -> str:
    """A deadline as Swedish text, no more exact than the source was."""
    if moment is None or precision == "unknown":
        return UNKNOWN_TEXT
    here = local(moment)
    if precision == "month":
        return f"{MONTHS[here.month - 1]} {here.year}"
    if precision == "day":
        return format_day(here.date())
    # Swedish writes the time with a dot: "kl. 17.00".
    return f"{format_day(here.date())} kl. {here:%H.%M}"


def days_left(moment: datetime, now: datetime) -> int:
    """Calendar days from today to the deadline's day, in Stockholm (negative once passed)."""
    return (local(moment).date() - local(now).date()).days


def days_left_text(moment: datetime | None, now: datetime) -> str:
    """ "i dag", "i morgon", "om 14 dagar", or "passerad" once the moment is behind us."""
    if moment is None:
        return ""
    if moment < now:
        return "passerad"
    days = days_left(moment, now)
    if days <= 0:
        return "i dag"
    if days == 1:
        return "i morgon"
    return f"om {days} dagar"


def period_of(moment: datetime) -> str:
    """The ISO week the moment falls in, in Stockholm: "2026-W48"."""
    year, week, _ = local(moment).isocalendar()
    return f"{year}-W{week:02d}"


def parse_period(text: str) -> tuple[datetime, datetime]:
    """ "2026-W48" → (Monday 00:00, the next Monday 00:00), Europe/Stockholm."""
    found = _PERIOD.fullmatch(text or "")
    if not found:
        raise PeriodError(
            f"Ogiltig period {text!r}: skriv år och ISO-vecka, till exempel 2026-W48 "
            "(invalid period: expected an ISO week such as 2026-W48)"
        )
    year, week = int(found[1]), int(found[2])
    try:
        monday = date.fromisocalendar(year, week, 1)
    except ValueError:
        raise PeriodError(
            f"Ogiltig period {text!r}: år {year} har ingen vecka {week} "
            f"(invalid period: {year} has no ISO week {week})"
        ) from None
    start = datetime.combine(monday, time(0, 0), tzinfo=STOCKHOLM)
    # Adding days to the date, not 7×24 h to the instant, keeps midnight across DST changes.
    end = datetime.combine(monday + timedelta(days=7), time(0, 0), tzinfo=STOCKHOLM)
    return start, end


def week_label(period: str) -> str:
    """ "2026-W48" → "v. 48" (as a Swedish calendar writes it)."""
    start, _ = parse_period(period)
    return f"v. {start.isocalendar()[1]}"


def period_span_text(period: str) -> str:
    """ "2026-W48" → "23–29 november 2026"; across months "30 november – 6 december 2026"."""
    start, end = parse_period(period)
    first, last = start.date(), (end - timedelta(days=1)).date()
    to = f"{last.day} {MONTHS[last.month - 1]} {last.year}"
    if first.year != last.year:
        return f"{first.day} {MONTHS[first.month - 1]} {first.year} – {to}"
    if first.month != last.month:
        return f"{first.day} {MONTHS[first.month - 1]} – {to}"
    return f"{first.day}–{to}"


def format_short(moment: datetime | None, precision: str = "minute") -> str:
    """ "2026-12-12 17:00", "2026-12-12" (day), "2026-12" (month): what Swedish Excel reads."""
    if moment is None or precision == "unknown":
        return ""
    here = local(moment)
    if precision == "month":
        return f"{here:%Y-%m}"
    if precision == "day":
        return f"{here:%Y-%m-%d}"
    return f"{here:%Y-%m-%d %H:%M}"
