"""Swedish dates on the Stockholm clock, and ISO-week periods."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from monitor.errors import EumonitorError
from notifications import dates
from notifications.errors import NotifyError, PeriodError

STOCKHOLM = ZoneInfo("Europe/Stockholm")
BRUSSELS = ZoneInfo("Europe/Brussels")


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=STOCKHOLM)


@pytest.mark.parametrize(
    ("moment", "precision", "expected"),
    [
        (at(2026, 12, 11, 17, 0), "minute", "fredag 11 december 2026 kl. 17.00"),
        # Brussels and Stockholm share a clock; UTC is shown in Stockholm summer time.
        (datetime(2026, 12, 11, 17, 0, tzinfo=BRUSSELS), "minute", "fredag 11 december 2026 kl. 17.00"),
        (datetime(2026, 6, 1, 10, 0, tzinfo=UTC), "minute", "måndag 1 juni 2026 kl. 12.00"),
        (at(2026, 12, 12, 23, 59), "day", "lördag 12 december 2026"),
        (at(2027, 3, 31, 23, 59), "month", "mars 2027"),
        (at(2027, 3, 31, 23, 59), "unknown", "ej fastställt"),
        (None, "minute", "ej fastställt"),
    ],
)
def test_format_deadline(moment: datetime | None, precision: str, expected: str) -> None:
    assert dates.format_deadline(moment, precision) == expected


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        dates.format_deadline(datetime(2026, 12, 11, 17, 0))


@pytest.mark.parametrize(
    ("deadline", "expected"),
    [
        (at(2026, 11, 23, 17, 0), "i dag"),
        (at(2026, 11, 24, 0, 30), "i morgon"),
        (at(2026, 12, 7, 12, 0), "om 14 dagar"),
        (at(2026, 11, 23, 9, 0), "passerad"),
        (at(2026, 10, 1, 9, 0), "passerad"),
    ],
)
def test_days_left_text_counts_calendar_days_in_stockholm(deadline: datetime, expected: str) -> None:
    now = at(2026, 11, 23, 10, 0)
    assert dates.days_left_text(deadline, now) == expected


def test_days_left_late_evening_utc_is_already_tomorrow_in_stockholm() -> None:
    # 23:30 UTC is 00:30 the next day in Stockholm: the deadline that day is "i dag".
    now = datetime(2026, 11, 23, 23, 30, tzinfo=UTC)
    assert dates.days_left(at(2026, 11, 24, 17, 0), now) == 0
    assert dates.days_left_text(at(2026, 11, 24, 17, 0), now) == "i dag"


def test_period_of_uses_iso_weeks_across_the_new_year() -> None:
    assert dates.period_of(at(2026, 11, 23, 7, 0)) == "2026-W48"
    assert dates.period_of(at(2027, 1, 1, 12, 0)) == "2026-W53"
    assert dates.period_of(at(2025, 12, 29, 0, 0)) == "2026-W01"
    # Sunday 23:30 UTC is Monday in Stockholm: the next week.
    assert dates.period_of(datetime(2026, 11, 29, 23, 30, tzinfo=UTC)) == "2026-W49"


def test_parse_period_is_monday_to_monday_in_stockholm() -> None:
    start, end = dates.parse_period("2026-W48")
    assert start == at(2026, 11, 23, 0, 0)
    assert end == at(2026, 11, 30, 0, 0)
    assert start.tzinfo == STOCKHOLM


def test_parse_period_keeps_midnight_across_summer_time() -> None:
    # Summer time starts on Sunday 29 March 2026: that week is one hour short.
    start, end = dates.parse_period("2026-W13")
    assert (start.hour, end.hour) == (0, 0)
    assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(days=7, hours=-1)


@pytest.mark.parametrize("text", ["2026-w48", "2026W48", " 2026-W48 "])
def test_parse_period_accepts_common_spellings(text: str) -> None:
    assert dates.parse_period(text) == dates.parse_period("2026-W48")


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("2026-48", "skriv år och ISO-vecka"),
        ("vecka 48", "skriv år och ISO-vecka"),
        ("", "skriv år och ISO-vecka"),
        ("2025-W53", "år 2025 har ingen vecka 53"),
        ("2026-W00", "år 2026 har ingen vecka 0"),
    ],
)
def test_bad_periods_are_told_in_swedish(text: str, says: str) -> None:
    with pytest.raises(PeriodError, match="Ogiltig period") as caught:
        dates.parse_period(text)
    assert says in str(caught.value)
    assert isinstance(caught.value, NotifyError)
    assert isinstance(caught.value, EumonitorError)


def test_week_label_and_span() -> None:
    assert dates.week_label("2026-W48") == "v. 48"
    assert dates.week_label("2026-W01") == "v. 1"
    assert dates.period_span_text("2026-W48") == "23–29 november 2026"
    assert dates.period_span_text("2026-W49") == "30 november – 6 december 2026"
    assert dates.period_span_text("2026-W01") == "29 december 2025 – 4 januari 2026"


def test_format_short_for_spreadsheets() -> None:
    moment = datetime(2026, 12, 11, 16, 0, tzinfo=UTC)
    assert dates.format_short(moment) == "2026-12-11 17:00"
    assert dates.format_short(moment, "day") == "2026-12-11"
    assert dates.format_short(moment, "month") == "2026-12"
    assert dates.format_short(None) == ""
