"""monitor.dates: dates as Swedish, Norwegian, Danish (and English) funders' pages write them.

Every expectation below is what the phrase means to a reader, worked out by hand (weekdays and DST
changes checked against the calendar), not output copied from the parser.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from monitor.dates import (
    DAY,
    MINUTE,
    MONTH,
    OSLO,
    UNKNOWN,
    FuzzyDate,
    find_dates,
    opening_and_deadline,
    parse_date,
)
from monitor.records import BRUSSELS, STOCKHOLM

REF = date(2026, 11, 27)  # "today" for the project; every year-less case states its own reference


def at(y: int, m: int, d: int, hh: int = 0, mm: int = 0, zone=STOCKHOLM) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=zone)


def one(text: str, **kwargs) -> FuzzyDate:
    found = parse_date(text, reference=kwargs.pop("reference", REF), **kwargs)
    assert found is not None, f"no date read from {text!r}"
    return found


# --- what a date is --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "start", "precision"),
    [
        ("15 mars 2026", at(2026, 3, 15), DAY),
        ("19 dec. 2025", at(2025, 12, 19), DAY),
        ("Stängd 12 september 2023", at(2023, 9, 12), DAY),
        ("Öppnar 12 augusti 2024", at(2024, 8, 12), DAY),
        ("13. januar 2025", at(2025, 1, 13), DAY),
        ("2023-12-21", at(2023, 12, 21), DAY),
        ("Utlysning uppdaterad 2023-12-21, öppningsdatum ändrat", at(2023, 12, 21), DAY),
        ("1 February 2026", at(2026, 2, 1), DAY),
        ("February 1, 2026", at(2026, 2, 1), DAY),
        ("the 1st of February 2026", at(2026, 2, 1), DAY),
        ("den 1:a mars 2026", at(2026, 3, 1), DAY),
        ("8 juli 2022", at(2022, 7, 8), DAY),
        ("05.06.2025", at(2025, 6, 5), DAY),
        ("Edited on 09/04/2026", at(2026, 4, 9), DAY),  # day first, as in Europe
        ("Maj 2023", at(2023, 5, 1), MONTH),
        ("Beslut kommer att tas i maj 2024.", at(2024, 5, 1), MONTH),
        ("I december 2024 beslutter udvalget", at(2024, 12, 1), MONTH),
    ],
)
def test_reads_a_date_with_its_precision(text: str, start: datetime, precision: str) -> None:
    found = one(text)
    assert (found.start, found.precision) == (start, precision)
    assert found.zone is STOCKHOLM


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("15 mars 2026 kl. 16.00", at(2026, 3, 15, 16, 0)),
        ("4 oktober 2023 klockan 12.00", at(2023, 10, 4, 12, 0)),
        ("1 oktober 2024 kl 23.59", at(2024, 10, 1, 23, 59)),
        ("1 oktober 2024 kl. 14:00", at(2024, 10, 1, 14, 0)),
        ("5 februari 2020, 12.00 (svensk tid)", at(2020, 2, 5, 12, 0)),
        ("7 maj 2020,12.00", at(2020, 5, 7, 12, 0)),
        ("den 3 mars 2026 kl. 9", at(2026, 3, 3, 9, 0)),  # an hour alone, after "kl."
        ("05.06.2025 23:59", at(2025, 6, 5, 23, 59)),
        ("19.09.2024 17:00", at(2024, 9, 19, 17, 0)),
        ("2023-12-21 16:00", at(2023, 12, 21, 16, 0)),
        ("2023-12-21T16:00:00", at(2023, 12, 21, 16, 0)),
        ("Søknadsfristen er 15. oktober 2025 kl. 23.59", at(2025, 10, 15, 23, 59)),
    ],
)
def test_a_time_of_day_after_a_date_makes_it_minute_precise(text: str, start: datetime) -> None:
    found = one(text)
    assert (found.start, found.precision) == (start, MINUTE)
    assert found.earliest == found.latest == start


@pytest.mark.parametrize(
    ("text", "month"),
    [
        ("3 jan. 2026", 1),
        ("3 jan 2026", 1),
        ("3 feb. 2026", 2),
        ("3 mars 2026", 3),
        ("3 mar. 2026", 3),
        ("3 apr. 2026", 4),
        ("3 maj 2026", 5),
        ("3 jun. 2026", 6),
        ("3 jul. 2026", 7),
        ("3 aug. 2026", 8),
        ("3 sep. 2026", 9),
        ("3 sept. 2026", 9),
        ("3 sept 2026", 9),
        ("3 okt. 2026", 10),
        ("3 nov. 2026", 11),
        ("3 dec. 2026", 12),
        ("3 dec 2026", 12),
        ("3 DEC. 2026", 12),
    ],
)
def test_swedish_month_abbreviations_with_and_without_dots(text: str, month: int) -> None:
    assert one(text).start == at(2026, month, 3)


@pytest.mark.parametrize(
    ("text", "month"),
    [
        ("13. januar 2025", 1),
        ("13. februar 2025", 2),
        ("13. mars 2025", 3),
        ("13. marts 2025", 3),
        ("13. april 2025", 4),
        ("13. mai 2025", 5),
        ("13. maj 2025", 5),
        ("13. juni 2025", 6),
        ("13. juli 2025", 7),
        ("13. august 2025", 8),
        ("13. september 2025", 9),
        ("13. oktober 2025", 10),
        ("13. november 2025", 11),
        ("13. desember 2025", 12),
        ("13. december 2025", 12),
        ("13 des. 2025", 12),
    ],
)
def test_norwegian_and_danish_month_names(text: str, month: int) -> None:
    assert one(text, zone=OSLO).start == at(2025, month, 13, zone=OSLO)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("måndag 3 mars 2025", date(2025, 3, 3)),
        ("mandag 3. mars 2025", date(2025, 3, 3)),
        ("Monday, 3 March 2025", date(2025, 3, 3)),
        ("Monday, March 3, 2025", date(2025, 3, 3)),
        ("fredag 3 mars 2025", date(2025, 3, 3)),  # the weekday is wrong: the written year wins
        # No year: 15 March is a Friday in 2019, 2024 and 2030; 2024 is nearest to 2026-11-27.
        ("fredag den 15 mars", date(2024, 3, 15)),
        # 17 April 2024 is a Wednesday; the nearest Monday 17 April to January 2024 is in 2023.
        ("Monday, 17 April", date(2023, 4, 17)),
    ],
)
def test_weekday_before_a_date(text: str, expected: date) -> None:
    reference = date(2024, 1, 15) if "17 April" in text else REF
    found = one(text, reference=reference)
    assert found.start is not None
    assert (found.start.date(), found.precision) == (expected, DAY)
    assert found.text.lower().startswith(text.split()[0].lower().rstrip(","))


# --- years the page did not write --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "reference", "expected"),
    [
        # Nearest to the reference; the next 3 March is 96 days ahead, the last one 269 days back.
        ("3 mars", date(2026, 11, 27), [date(2027, 3, 3)]),
        ("3 mars", date(2026, 6, 1), [date(2026, 3, 3)]),
        # A tie (183 days either way, 2024 being a leap year) goes to the later year.
        ("1 mars", date(2023, 8, 31), [date(2024, 3, 1)]),
        # 29 February takes the nearest leap year.
        ("29 februari", date(2024, 6, 1), [date(2024, 2, 29)]),
        ("29 februari", date(2026, 11, 27), [date(2028, 2, 29)]),
        # A range is as near as its nearer end: read in November 2024, May–August 2024 (96 days
        # back) beats May–August 2025 (174 days ahead), though 20 May 2025 alone is nearer.
        ("den 20 maj – den 23 augusti", date(2024, 11, 27), [date(2024, 5, 20), date(2024, 8, 23)]),
        ("den 20 maj – den 23 augusti", date(2025, 3, 1), [date(2025, 5, 20), date(2025, 8, 23)]),
        ("den 20 maj – den 23 augusti", date(2024, 5, 20), [date(2024, 5, 20), date(2024, 8, 23)]),
        # The other end of the range lends its year, and the range increases.
        ("den 13. januar til den 14. februar 2025", REF, [date(2025, 1, 13), date(2025, 2, 14)]),
        ("1 mars–15 april 2026", REF, [date(2026, 3, 1), date(2026, 4, 15)]),
        ("1 december – 15 januari 2026", REF, [date(2025, 12, 1), date(2026, 1, 15)]),
        ("15 december 2025 – 15 januari", REF, [date(2025, 12, 15), date(2026, 1, 15)]),
        ("1–15 mars 2026", REF, [date(2026, 3, 1), date(2026, 3, 15)]),
        ("On 12 and 13 April 2023", REF, [date(2023, 4, 12), date(2023, 4, 13)]),
        ("maj-juni 2025", REF, [date(2025, 5, 1), date(2025, 6, 1)]),
        ("december–januari 2026", REF, [date(2025, 12, 1), date(2026, 1, 1)]),
        # A dated neighbour in the sentence lends its year: before it, on or before that day ...
        (
            "Utlysningen öppnar den 15 januari och stänger den 15 mars 2021 kl. 16.00.",
            REF,
            [date(2021, 1, 15), date(2021, 3, 15)],
        ),
        # ... after it, on or after that day (Tillväxtverket moved an opening past New Year).
        (
            "Utlysning uppdaterad 2023-12-21, öppningsdatum ändrat till 13 februari.",
            REF,
            [date(2023, 12, 21), date(2024, 2, 13)],
        ),
        # The same day and month written with a year elsewhere on the page.
        (
            "Öppen för ansökningar till 15 februari\n\nUtlysningen stänger 15 februari 2024.",
            REF,
            [date(2024, 2, 15), date(2024, 2, 15)],
        ),
    ],
)
def test_year_inference(text: str, reference: date, expected: list[date]) -> None:
    found = find_dates(text, reference=reference)
    assert [d.start.date() for d in found if d.start] == expected


def test_year_inference_defaults_to_today() -> None:
    found = one("3 mars", reference=None)
    today = date.today()
    assert found.start is not None
    assert abs((found.start.date() - today).days) <= 183


def test_reference_may_be_a_datetime() -> None:
    moment = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
    assert one("3 mars", reference=moment).start == at(2026, 3, 3)


# --- zones and offsets -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "offset_hours"),
    [
        ("15 mars 2026", 1),  # CET
        ("15 juni 2026", 2),  # CEST
        ("15 mars 2026 kl. 16.00", 1),
        ("15 juni 2026 kl. 16.00", 2),
        ("27 oktober 2024 kl. 12.00", 1),  # summer time ended at 03:00 that morning
        ("26 oktober 2024 kl. 12.00", 2),
    ],
)
def test_stockholm_offsets_follow_summer_time(text: str, offset_hours: int) -> None:
    found = one(text)
    assert found.start is not None
    assert found.start.utcoffset() == timedelta(hours=offset_hours)


def test_a_day_on_which_summer_time_begins() -> None:
    # 29 March 2026 is the last Sunday of March: the day begins at +01:00 and ends at +02:00.
    found = one("29 mars 2026")
    assert found.earliest == at(2026, 3, 29)
    assert found.earliest.utcoffset() == timedelta(hours=1)  # type: ignore[union-attr]
    assert found.latest == at(2026, 3, 29, 23, 59)
    assert found.latest.utcoffset() == timedelta(hours=2)  # type: ignore[union-attr]


def test_oslo_zone_for_interreg_no() -> None:
    winter = one("13. januar 2025", zone=OSLO)
    summer = one("6. juni 2025 kl. 12.00", zone=OSLO)
    assert winter.zone is OSLO and summer.zone is OSLO
    assert winter.start == datetime(2025, 1, 13, tzinfo=OSLO)
    assert summer.start.astimezone(UTC) == datetime(2025, 6, 6, 10, 0, tzinfo=UTC)  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("text", "start", "zone"),
    [
        # Nordplus: "1 February 23:59 CET", read in late 2026 → the next 1 February.
        ("1 February 23:59 CET", datetime(2027, 2, 1, 23, 59, tzinfo=BRUSSELS), BRUSSELS),
        ("1 February 2026 23:59 CET", datetime(2026, 2, 1, 23, 59, tzinfo=BRUSSELS), BRUSSELS),
        # "CET" in June means the Brussels clock, then at +02:00, not a fixed +01:00.
        ("1 June 2026 23:59 CET", datetime(2026, 6, 1, 21, 59, tzinfo=UTC), BRUSSELS),
        ("7 June 2024 (12:00 noon CEST – Paris time)", datetime(2024, 6, 7, 10, 0, tzinfo=UTC), BRUSSELS),
        ("5 februari 2020, 12.00 (svensk tid)", at(2020, 2, 5, 12, 0), STOCKHOLM),
        ("1 mars 2026 kl. 12.00 norsk tid", datetime(2026, 3, 1, 12, 0, tzinfo=OSLO), OSLO),
        ("2024-03-21T15:55:57Z", datetime(2024, 3, 21, 15, 55, tzinfo=UTC), UTC),
        ("1 mars 2026 17:00 UTC", datetime(2026, 3, 1, 17, 0, tzinfo=UTC), UTC),
    ],
)
def test_a_zone_named_in_the_text_wins(text: str, start: datetime, zone) -> None:
    found = one(text, zone=OSLO if zone is not OSLO else STOCKHOLM)
    assert found.start == start
    assert found.zone is zone
    assert found.precision == MINUTE


def test_an_iso_offset_is_kept() -> None:
    found = one("2023-12-21T16:00:00+01:00")
    assert found.start == datetime(2023, 12, 21, 15, 0, tzinfo=UTC)
    assert found.start.utcoffset() == timezone(timedelta(hours=1)).utcoffset(None)  # type: ignore[union-attr]


def test_icalendar_values_with_their_tzid() -> None:
    text = "DTSTART;TZID=Europe/Oslo:20240320T080000\nDTEND;TZID=Europe/Oslo:20240606T120000\n"
    start, end = find_dates(text, zone=STOCKHOLM)
    assert start.start == datetime(2024, 3, 20, 8, 0, tzinfo=OSLO) and start.precision == MINUTE
    assert str(start.zone) == "Europe/Oslo"
    assert end.start.utcoffset() == timedelta(hours=2)  # type: ignore[union-attr]
    assert one("CREATED:20240321T155557Z").start == datetime(2024, 3, 21, 15, 55, tzinfo=UTC)
    assert one("DTSTART;VALUE=DATE:20240320").start == at(2024, 3, 20)


# --- earliest and latest ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "earliest", "latest"),
    [
        ("15 mars 2026", at(2026, 3, 15), at(2026, 3, 15, 23, 59)),
        ("15 mars 2026 kl. 16.00", at(2026, 3, 15, 16), at(2026, 3, 15, 16)),
        ("Maj 2023", at(2023, 5, 1), at(2023, 5, 31, 23, 59)),
        ("februari 2024", at(2024, 2, 1), at(2024, 2, 29, 23, 59)),  # a leap year
        ("februari 2025", at(2025, 2, 1), at(2025, 2, 28, 23, 59)),
        ("december 2024", at(2024, 12, 1), at(2024, 12, 31, 23, 59)),
    ],
)
def test_earliest_and_latest(text: str, earliest: datetime, latest: datetime) -> None:
    found = one(text)
    assert (found.earliest, found.latest) == (earliest, latest)


def test_earliest_and_latest_ignore_a_stray_time_in_start() -> None:
    day = FuzzyDate(at(2026, 3, 15, 10, 30), DAY)
    month = FuzzyDate(at(2026, 3, 15, 10, 30), MONTH)
    assert (day.earliest, day.latest) == (at(2026, 3, 15), at(2026, 3, 15, 23, 59))
    assert (month.earliest, month.latest) == (at(2026, 3, 1), at(2026, 3, 31, 23, 59))


def test_not_decided() -> None:
    found = parse_date("Stänger: Ej bestämt")
    assert found == FuzzyDate(None, UNKNOWN, "Ej bestämt")
    assert found.earliest is None and found.latest is None and found.zone is None
    assert find_dates("Stänger: Ej bestämt") == []
    assert parse_date("Deadline: to be announced").precision == UNKNOWN  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("start", "precision"),
    [
        (None, DAY),
        (datetime(2026, 3, 15), DAY),  # naive
        (at(2026, 3, 15), UNKNOWN),
        (at(2026, 3, 15), "week"),
    ],
)
def test_fuzzy_date_refuses_nonsense(start: datetime | None, precision: str) -> None:
    with pytest.raises(ValueError):
        FuzzyDate(start, precision)


# --- what is not a date ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "2025",
        "projektmedel för 2025",
        "år 1990",
        "2021-2027",
        "ESF+ 2021–2027",
        "Verksamhetsplan 2024-2026",
        "2023-01699",
        "Diarienummer 2023-01699",
        "https://data.vinnova.se/api/file/2017-02942_10",
        "Telefon: 0532-170 20",
        "Telefon: 031 368 33 65",
        "08-473 31 61",
        "412 56 Göteborg",
        "€ 4,000,000.00",
        "between € 8,455.00 and € 50,745.00",
        "300 000 kr",
        "2 mkr",
        "1.500.000 kr",
        "Vardagar 10-16.30 (lunchstängt 12-13)",
        "Måndag 15-21, Onsdag 15-21",
        "unga mellan 13 till 30 år",
        "15 månader",
        "Call 3 may be restricted",  # English "may" needs a year
        "priorities 1, 3, and 4",
        "i mars",
        "augusti/september",
        "2023-13-01",
        "31 februari 2024",
        "32 mars 2024",
        "30.02.2024",
        "SO 1.1",
        "Förordning (1999:710)",
        "version 2.6",
        "12:00",
        "kl. 12",
        "1:35 min",
        "23:59 CET",
    ],
)
def test_near_misses_are_not_dates(text: str) -> None:
    assert find_dates(text, reference=REF) == []
    assert parse_date(text, reference=REF) is None


@pytest.mark.parametrize(
    ("text", "start", "precision"),
    [
        ("1 mars 2026 at 12 partner organisations", at(2026, 3, 1), DAY),  # an hour needs "kl."
        ("15 mars 2026 16 deltagare", at(2026, 3, 15), DAY),
        ("3 mars 2026 12.50.000 kr", at(2026, 3, 3), DAY),
        ("15 mars 2026\n16.30 Fika", at(2026, 3, 15), DAY),  # a time on the next line is not its time
        ("Programhandledning version 2.1 mars 2025", at(2025, 3, 1), MONTH),  # not "1 mars"
    ],
)
def test_numbers_next_to_a_date(text: str, start: datetime, precision: str) -> None:
    found = find_dates(text, reference=REF)
    assert [(d.start, d.precision) for d in found] == [(start, precision)]


def test_iso_dates_joined_by_a_hyphen_are_a_range() -> None:
    assert [d.start for d in find_dates("2021-03-15-2021-06-30")] == [at(2021, 3, 15), at(2021, 6, 30)]
    opening, deadline = opening_and_deadline("Projektperiod:\n2021-03-15-2021-06-30")
    assert (opening.start, deadline.start) == (at(2021, 3, 15), at(2021, 6, 30))  # type: ignore[union-attr]


def test_a_date_among_numbers_that_are_not() -> None:
    text = "Telefon: 0532-170 20\nE-post: x@amal.se\n\nSidan uppdaterades 2022-10-24\n"
    assert [d.start for d in find_dates(text)] == [at(2022, 10, 24)]


def test_find_dates_in_order_and_parse_date_takes_the_first() -> None:
    text = "Stängd 12 september 2023. Ny omgång öppnar 1 mars 2024 kl. 10.00."
    found = find_dates(text)
    assert [(d.start, d.precision) for d in found] == [(at(2023, 9, 12), DAY), (at(2024, 3, 1, 10), MINUTE)]
    assert found[1].text == "1 mars 2024 kl. 10.00"
    assert parse_date(text) == found[0]


# --- opening and deadline --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "opening", "deadline"),
    [
        ("Stängd 12 september 2023", None, (at(2023, 9, 12), DAY)),
        ("Öppnar 12 augusti 2024", (at(2024, 8, 12), DAY), None),
        ("Öppnar: Maj 2023 / Stänger: Ej bestämt", (at(2023, 5, 1), MONTH), (None, UNKNOWN)),
        ("Sista ansökningsdag: 15 mars 2026 kl. 16.00", None, (at(2026, 3, 15, 16), MINUTE)),
        ("Sista dag att ansöka är 2 mars 2026.", None, (at(2026, 3, 2), DAY)),
        ("Ansök senast 2 februari 2026", None, (at(2026, 2, 2), DAY)),
        ("Deadline: 3 March 2026", None, (at(2026, 3, 3), DAY)),
        ("Søknadsfrist: 1. mars 2026", None, (at(2026, 3, 1), DAY)),
        ("Öppningsdatum: 2026-02-01", (at(2026, 2, 1), DAY), None),
        ("Ansökan öppnar 1 mars 2026", (at(2026, 3, 1), DAY), None),
        ("The call opens 1 March 2026", (at(2026, 3, 1), DAY), None),
        ("Utlysningen åpner 1. mars 2026", (at(2026, 3, 1), DAY), None),
        (
            "Ansökningarna öppnar inom kort och stänger 1 oktober 2024 klockan 12.00.",
            None,
            (at(2024, 10, 1, 12), MINUTE),
        ),
        (
            "Utlysningen är öppen från och med 3 februari 2026 till och med 15 mars 2026.",
            (at(2026, 2, 3), DAY),
            (at(2026, 3, 15), DAY),
        ),
        ("Öppen från 1 mars 2026", (at(2026, 3, 1), DAY), None),
        ("Ansökningstid: 1 mars–15 april 2026", (at(2026, 3, 1), DAY), (at(2026, 4, 15), DAY)),
        ("1 mars–15 april 2026", (at(2026, 3, 1), DAY), (at(2026, 4, 15), DAY)),
        ("Ansökningstid 1 mars till 15 april 2026", (at(2026, 3, 1), DAY), (at(2026, 4, 15), DAY)),
        ("Ansökan ska vara inne senast den 15 mars 2026 kl. 12.00.", None, (at(2026, 3, 15, 12), MINUTE)),
        ("den 20 maj 2025 – den 23 augusti 2025", (at(2025, 5, 20), DAY), (at(2025, 8, 23), DAY)),
        ("Ansökningstider\n\n4 oktober 2023 klockan 12.00", None, (at(2023, 10, 4, 12), MINUTE)),
        (
            "Opening date\n\n15. januar 2018\n\nFrist\n\n15. februar 2018",
            (at(2018, 1, 15), DAY),
            (at(2018, 2, 15), DAY),
        ),
        (
            "Idag, den 20 maj 2025, öppnar förbundet utlysningen. Den är öppen fram till den 23 augusti.",
            (at(2025, 5, 20), DAY),
            (at(2025, 8, 23), DAY),
        ),
        # Dates that are not the call's own
        ("Beslut kommer att tas i maj 2024.", None, None),
        ("Sidan uppdaterades 2022-10-24", None, None),
        ("Senast uppdaterad 2023-12-21", None, None),
        ("Projekten genomförs mellan 1 november 2026 och 30 april 2029.", None, None),
        ("Nästa utlysning planeras.\n\n15 mars 2026", None, None),
        ("Ansökan stängde förra året. 15 mars 2026 hålls ett informationsmöte.", None, None),
        # MUCF's old table: the header cue is not alone on its line, so it labels nothing.
        (
            "Projekt som startar mellan Sista ansökningsdag\n"
            "1 maj – 30 september 2020 5 februari 2020, 12.00 (svensk tid)",
            None,
            None,
        ),
    ],
)
def test_opening_and_deadline_from_cues(text: str, opening, deadline) -> None:
    got = opening_and_deadline(text, reference=REF)
    assert [None if d is None else (d.start, d.precision) for d in got] == [opening, deadline]


def test_a_range_gives_both_and_its_years_from_the_reference() -> None:
    opening, deadline = opening_and_deadline("den 20 maj – den 23 augusti", reference=date(2024, 5, 20))
    assert (opening.start, deadline.start) == (at(2024, 5, 20), at(2024, 8, 23))  # type: ignore[union-attr]
    assert deadline.latest == at(2024, 8, 23, 23, 59)  # type: ignore[union-attr]


def test_guessed_years_of_an_opening_and_a_deadline_are_chosen_together() -> None:
    # Read on 20 August 2021, "28 februari" alone is nearest in 2021 (173 days back), but the
    # period 15 January – 28 February is nearer in 2022 (148 days ahead) than in 2021 (173 back).
    text = "Från 15 januari kan aktörer ansöka. Sista dagen för att ansöka kommer att vara 28 februari."
    assert parse_date("28 februari", reference=date(2021, 8, 20)).start == at(2021, 2, 28)  # type: ignore[union-attr]
    opening, deadline = opening_and_deadline(text, reference=date(2021, 8, 20))
    assert (opening.start, deadline.start) == (at(2022, 1, 15), at(2022, 2, 28))  # type: ignore[union-attr]


def test_a_guessed_period_is_the_nearest_one_as_a_whole() -> None:
    # Read on 27 November 2024: 20 May alone is nearer in 2025 (174 days) than in 2024 (191), but
    # the period 20 May – 23 August is nearer in 2024 (ended 96 days ago) than in 2025.
    text = "Idag, den 20 maj, öppnar förbundet utlysningen. Den är öppen fram till den 23 augusti."
    assert parse_date("den 20 maj", reference=date(2024, 11, 27)).start == at(2025, 5, 20)  # type: ignore[union-attr]
    opening, deadline = opening_and_deadline(text, reference=date(2024, 11, 27))
    assert (opening.start, deadline.start) == (at(2024, 5, 20), at(2024, 8, 23))  # type: ignore[union-attr]


def test_a_guessed_deadline_moves_after_a_written_opening() -> None:
    # "Öppnar 1 november 2026 ... stänger 15 januari": the deadline comes after the opening.
    opening, deadline = opening_and_deadline(
        "Utlysningen öppnar 1 november 2026.\nDen stänger 15 januari.", reference=date(2026, 6, 1)
    )
    assert (opening.start, deadline.start) == (at(2026, 11, 1), at(2027, 1, 15))  # type: ignore[union-attr]


def test_a_guessed_opening_moves_before_a_written_deadline() -> None:
    # Read on 1 June 2026, "1 december" alone is nearest in 2025 (182 days back, 2026 is 183
    # ahead); as the opening of a call that closes on 15 January 2027 it is 1 December 2026.
    text = "Utlysningen öppnar 1 december. Den stänger 15 januari 2027."
    assert parse_date("1 december", reference=date(2026, 6, 1)).start == at(2025, 12, 1)  # type: ignore[union-attr]
    opening, deadline = opening_and_deadline(text, reference=date(2026, 6, 1))
    assert (opening.start, deadline.start) == (at(2026, 12, 1), at(2027, 1, 15))  # type: ignore[union-attr]


def test_opening_and_deadline_in_oslo() -> None:
    opening, deadline = opening_and_deadline(
        "Fra den 13. januar til den 14. februar 2025 tager programmet imod ansøgninger.", zone=OSLO
    )
    assert opening.start == datetime(2025, 1, 13, tzinfo=OSLO)  # type: ignore[union-attr]
    assert deadline.latest == datetime(2025, 2, 14, 23, 59, tzinfo=OSLO)  # type: ignore[union-attr]
    assert deadline.zone is OSLO  # type: ignore[union-attr]


def test_nothing_to_read() -> None:
    assert opening_and_deadline("") == (None, None)
    assert find_dates("") == []
    assert parse_date("Vem kan söka?") is None
