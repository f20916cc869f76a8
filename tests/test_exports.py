"""Calendar and spreadsheet exports, read back with icalendar and csv."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar

from notifications.exports import build_csv, build_ics, csv_table, event_uid
from notifications.model import AreaInfo, DeadlineEvent, DigestCall

STOCKHOLM = ZoneInfo("Europe/Stockholm")
NOW = datetime(2026, 11, 23, 7, 0, tzinfo=STOCKHOLM)
DEADLINE = datetime(2026, 12, 11, 17, 0, tzinfo=ZoneInfo("Europe/Brussels"))


def event(**fields: object) -> DeadlineEvent:
    values: dict = {
        "call_id": "sedia:CERV-2026-CITIZENS-TOWN-TT",
        "index": 0,
        "title": "Town twinning",
        "url": "https://ec.europa.eu/topic/TT",
        "deadline": DEADLINE,
        "programme": "CERV",
        "score": 91,
        "why": ("town twinning", "vänort"),
    }
    return DeadlineEvent(**{**values, **fields})


def events_of(data: bytes) -> list[icalendar.Event]:
    return list(icalendar.Calendar.from_ical(data).walk("VEVENT"))


def test_one_event_per_deadline_with_summary_description_and_url() -> None:
    data = build_ics([event(), event(index=1, deadline=DEADLINE + timedelta(days=90))], NOW)
    calendar = icalendar.Calendar.from_ical(data)
    assert str(calendar["X-WR-CALNAME"]) == "EU-bevakning Åmål"
    assert str(calendar["METHOD"]) == "PUBLISH"
    first, second = events_of(data)
    assert str(first["SUMMARY"]) == "Sista dag: Town twinning"
    assert str(first["URL"]) == "https://ec.europa.eu/topic/TT"
    description = str(first["DESCRIPTION"])
    assert "Sista ansökningsdag: fredag 11 december 2026 kl. 17.00" in description
    assert "Poäng: 91/100" in description
    assert "Varför: town twinning, vänort" in description
    assert "https://ec.europa.eu/topic/TT" in description
    assert first["UID"] != second["UID"]
    assert first.decoded("DTSTAMP") == NOW.astimezone(UTC)


def test_a_timed_deadline_is_in_stockholm_with_its_timezone() -> None:
    data = build_ics([event()], NOW)
    (vevent,) = events_of(data)
    start = vevent.decoded("DTSTART")
    assert start == DEADLINE
    assert str(start.tzinfo) == "Europe/Stockholm"
    assert vevent["DTSTART"].params["TZID"] == "Europe/Stockholm"
    assert "DTEND" not in vevent  # an instant; RFC 5545 wants DTEND strictly after DTSTART
    timezones = list(icalendar.Calendar.from_ical(data).walk("VTIMEZONE"))
    assert [str(tz["TZID"]) for tz in timezones] == ["Europe/Stockholm"]
    assert b"TRANSP:TRANSPARENT" in data


def test_a_day_deadline_is_an_all_day_event() -> None:
    data = build_ics(
        [event(deadline=datetime(2026, 12, 11, 23, 59, tzinfo=STOCKHOLM), deadline_precision="day")], NOW
    )
    (vevent,) = events_of(data)
    assert vevent.decoded("DTSTART") == date(2026, 12, 11)
    assert vevent.decoded("DTEND") == date(2026, 12, 12)


def test_unknown_deadlines_are_left_out() -> None:
    assert events_of(build_ics([event(deadline_precision="unknown")], NOW)) == []


def test_the_uid_survives_a_moved_deadline_and_the_sequence_grows() -> None:
    before = events_of(build_ics([event()], NOW))[0]
    after = events_of(build_ics([event(deadline=DEADLINE + timedelta(days=14), sequence=1)], NOW))[0]
    assert before["UID"] == after["UID"] == event_uid("sedia:CERV-2026-CITIZENS-TOWN-TT", 0)
    assert after.decoded("DTSTART") == DEADLINE + timedelta(days=14)
    assert (int(before["SEQUENCE"]), int(after["SEQUENCE"])) == (0, 1)


def test_an_alarm_seven_days_before_unless_asked_otherwise() -> None:
    (vevent,) = events_of(build_ics([event()], NOW))
    (alarm,) = vevent.walk("VALARM")
    assert str(alarm["ACTION"]) == "DISPLAY"
    assert alarm.decoded("TRIGGER") == timedelta(days=-7)
    (three,) = events_of(build_ics([event()], NOW, alarm_days=3))
    assert three.walk("VALARM")[0].decoded("TRIGGER") == timedelta(days=-3)
    (none,) = events_of(build_ics([event()], NOW, alarm_days=None))
    assert none.walk("VALARM") == []


def test_hostile_titles_stay_in_their_property() -> None:
    data = build_ics([event(title="Titel\r\nEND:VEVENT\r\nBEGIN:VEVENT", url="javascript:alert(1)")], NOW)
    (vevent,) = events_of(data)
    assert str(vevent["SUMMARY"]) == "Sista dag: Titel END:VEVENT BEGIN:VEVENT"
    assert "URL" not in vevent


def rows_of(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert "\r\n" in text
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def test_csv_for_swedish_excel() -> None:
    calls = [
        DigestCall(
            id="sedia:TT",
            title="Town twinning; vänort",
            url="https://example.org/tt",
            programme="CERV",
            deadline=DEADLINE,
            opening=datetime(2026, 9, 1, 0, 0, tzinfo=STOCKHOLM),
            score=91,
            best_area="vanort",
            scores={"vanort": 91, "ungdom": 12},
            why=["town twinning", "vänort"],
            sources=["EU:s portal", "MUCF"],
        ),
        DigestCall(
            id="vinnova:1",
            title="Innovation",
            url="https://example.org/v",
            deadline=datetime(2027, 3, 31, 23, 59, tzinfo=STOCKHOLM),
            deadline_precision="month",
            status="forthcoming",
            eligible=False,
            ineligible_reason="Endast företag",
        ),
    ]
    areas = [AreaInfo("ungdom", "Ungdom"), AreaInfo("vanort", "Vänort")]
    header, first, second = rows_of(build_csv(calls, NOW, areas))
    assert header[:5] == ["Titel", "Program", "Status", "Öppnar", "Sista ansökningsdag"]
    assert header[-2:] == ["Poäng: Ungdom", "Poäng: Vänort"]
    row = dict(zip(header, first, strict=True))
    assert row["Titel"] == "Town twinning; vänort"  # quoted, not split at ";"
    assert row["Status"] == "öppen"
    assert row["Öppnar"] == "2026-09-01"
    assert row["Sista ansökningsdag"] == "2026-12-11 17:00"
    assert row["Dagar kvar"] == "18"
    assert row["Bästa område"] == "Vänort"
    assert row["Kommunen kan söka"] == "ja"
    assert row["Källor"] == "EU:s portal, MUCF"
    assert (row["Poäng: Ungdom"], row["Poäng: Vänort"]) == ("12", "91")
    other = dict(zip(header, second, strict=True))
    assert (other["Status"], other["Sista ansökningsdag"]) == ("kommande", "2027-03")
    assert (other["Kommunen kan söka"], other["Skäl om inte"]) == ("nej", "Endast företag")


def test_csv_neutralises_formulas_and_writes_decimal_commas() -> None:
    hostile = ['=HYPERLINK("http://evil")', "+1+1", "-2", "@SUM(A1)", "\tx", "ok"]
    _, row = rows_of(csv_table(["a", "b", "c", "d", "e", "f"], [hostile]))
    assert row == ['\'=HYPERLINK("http://evil")', "'+1+1", "'-2", "'@SUM(A1)", "x", "ok"]
    (_, numbers) = rows_of(csv_table(["x", "y", "z"], [[3.5, -2, None]]))
    assert numbers == ["3,5", "-2", ""]
