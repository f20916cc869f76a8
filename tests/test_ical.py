"""Kind `ical`: recorded calendars in tests/fixtures/ical/, interreg.no's real export, collection over HTTP.

Each fixture `<case>.<ext>` has `<case>.expected.json` beside it, written from what the calendar
means (DTSTART;TZID=Europe/Oslo:20270115T090000 is 09:00 in Oslo, winter time), not from output.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from helpers import shared_fixture, write_yaml

import monitor.sources.ical  # noqa: F401  (registers the kind)
from monitor.config import load_sources
from monitor.demo.sedia_server import Reply
from monitor.demo.static_server import StaticServer
from monitor.errors import ConfigError, ParseError
from monitor.http import Fetched, make_client
from monitor.records import decide_status
from monitor.regions import open_to
from monitor.runner import collect
from monitor.sources import KINDS, describe
from monitor.sources.ical import IcalSettings, parse_calendar, split_summary, stable_uid
from monitor.store import Store

FIXTURES = Path(__file__).parent / "fixtures" / "ical"
CASES = sorted(p for p in FIXTURES.iterdir() if not p.name.endswith(".expected.json"))
SOURCE_ID = "interreg-no"
SAMPLE = Path(__file__).parents[1] / "monitor" / "demo" / "samples" / "ical" / "interreg-no.ics"
TODAY = datetime.fromisoformat("2026-11-27T12:00:00+01:00")

KNOWN_FIELDS = {
    "key",
    "identifier",
    "title",
    "url",
    "programme",
    "opening",
    "opening_precision",
    "deadlines",
    "deadline_precision",
    "regions",
    "official_ids",
    "description_contains",
    "status_at",
}


def expected_for(case: Path) -> dict:
    return json.loads(case.with_name(case.stem + ".expected.json").read_text(encoding="utf-8"))


def instant(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def check_call(call, want: dict) -> None:
    unknown = {k for k in want if not k.startswith("_")} - KNOWN_FIELDS
    assert not unknown, f"unknown expectation keys {unknown}"
    for name in (
        "key",
        "identifier",
        "title",
        "url",
        "programme",
        "opening_precision",
        "deadline_precision",
        "regions",
        "official_ids",
    ):
        if name in want:
            assert getattr(call, name) == want[name], name
    if "opening" in want:
        assert call.opening == instant(want["opening"]), "opening"
    if "deadlines" in want:
        assert call.deadlines == [instant(d) for d in want["deadlines"]], "deadlines"
    for text in want.get("description_contains", []):
        assert text in call.description
    for moment, status in want.get("status_at", {}).items():
        assert decide_status(call.opening, call.deadlines, instant(moment)) == status, f"status at {moment}"


def parse_case(case: Path, want: dict, settings: IcalSettings | None = None):
    fetched = Fetched(url=want.get("url", f"https://example.no/{case.name}"), content=case.read_bytes())
    return parse_calendar(fetched, SOURCE_ID, settings or IcalSettings(**want.get("settings", {})))


def test_every_case_has_its_expectations() -> None:
    assert len(CASES) >= 5
    missing = [c.name for c in CASES if not c.with_name(c.stem + ".expected.json").exists()]
    assert missing == []


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_parse_case(case: Path) -> None:
    want = expected_for(case)
    if "error" in want:
        assert want["error"] == "ParseError"
        with pytest.raises(ParseError) as raised:
            parse_case(case, want)
        for text in want["message_contains"]:
            assert text in str(raised.value)
        return

    page = parse_case(case, want)
    assert page.rows == want["rows"]
    assert page.dropped == want["dropped"]
    assert len(page.warnings) == want["warnings"], page.warnings
    for text in want.get("warnings_contain", []):
        assert any(text in w for w in page.warnings), (text, page.warnings)
    calls = {call.key: call for call in page.calls}
    assert len(calls) == len(page.calls), "two calls share a key"
    assert sorted(calls) == sorted(c["key"] for c in want["calls"])
    for expected_call in want["calls"]:
        check_call(calls[expected_call["key"]], expected_call)
    for call in page.calls:
        assert call.source == SOURCE_ID and call.call_type == "grant"
        assert call.official_ids == [call.key]


# --- zones ----------------------------------------------------------------------------------


def test_tzid_wins_over_the_configured_zone() -> None:
    case = FIXTURES / "dst-oslo.ics"
    oslo = parse_case(case, {}, IcalSettings()).calls
    elsewhere = parse_case(case, {}, IcalSettings(zone="America/New_York")).calls
    assert [(c.opening, c.deadlines) for c in oslo] == [(c.opening, c.deadlines) for c in elsewhere]


def test_floating_times_and_all_day_events_take_the_configured_zone_without_x_wr_timezone() -> None:
    calendar = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
        b"BEGIN:VEVENT\r\nUID:1\r\nSUMMARY:Europe: A\r\n"
        b"DTSTART:20270201T090000\r\nDTEND:20270301T120000\r\nEND:VEVENT\r\n"
        b"BEGIN:VEVENT\r\nUID:2\r\nSUMMARY:Europe: B\r\nDTSTART;VALUE=DATE:20270201\r\n"
        b"DTEND;VALUE=DATE:20270302\r\nEND:VEVENT\r\n"
        b"END:VCALENDAR\r\n"
    )
    timed, all_day = parse_calendar(
        Fetched(url="u", content=calendar), "s", IcalSettings(zone="Europe/Helsinki")
    ).calls
    assert timed.opening == datetime.fromisoformat("2027-02-01T09:00:00+02:00")
    assert timed.deadlines == [datetime.fromisoformat("2027-03-01T12:00:00+02:00")]
    assert all_day.opening == datetime.fromisoformat("2027-02-01T00:00:00+02:00")
    assert all_day.deadlines == [datetime.fromisoformat("2027-03-01T23:59:00+02:00")]


def test_duration_instead_of_dtend() -> None:
    calendar = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
        b"BEGIN:VEVENT\r\nUID:1\r\nSUMMARY:Sverige-Norge: A\r\n"
        b"DTSTART;TZID=Europe/Oslo:20270301T090000\r\nDURATION:P30DT3H\r\nEND:VEVENT\r\n"
        b"END:VCALENDAR\r\n"
    )
    (call,) = parse_calendar(Fetched(url="u", content=calendar), "s").calls
    assert call.deadlines == [datetime.fromisoformat("2027-03-31T12:00:00+02:00")]


# --- programmes, keys -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("summary", "programme", "title", "home"),
    [
        ("Europe: Third call for projects", "Interreg Europe", "Third call for projects", True),
        ("Sverige-Norge: Utlysning 8", "Interreg Sverige-Norge", "Utlysning 8", True),
        ("Sverige–Norge: Utlysning 8", "Interreg Sverige-Norge", "Utlysning 8", True),
        (
            "ØKS: Ansøgningsrunde 2027:1",
            "Interreg Öresund-Kattegat-Skagerrak",
            "Ansøgningsrunde 2027:1",
            True,
        ),
        ("Öresund-Kattegat-Skagerrak: Runda 2", "Interreg Öresund-Kattegat-Skagerrak", "Runda 2", True),
        ("Nordsjøen: Call 6", "Interreg North Sea", "Call 6", True),
        ("North Sea: Call 6", "Interreg North Sea", "Call 6", True),
        ("Østersjøen: Call 5", "Interreg Baltic Sea Region", "Call 5", True),
        ("Baltic Sea Region: Call 5", "Interreg Baltic Sea Region", "Call 5", True),
        ("URBACT: Action Networks", "URBACT", "Action Networks", True),
        # Programmes of the north of Norway, Sweden and Finland: not open to Åmål.
        ("Aurora: Småprosjekter", "Interreg Aurora", "Småprosjekter", False),
        ("NPA: Main projects", "Interreg Northern Periphery and Arctic", "Main projects", False),
        ("Kolarctic: Call 3", "Kolarctic", "Call 3", False),
    ],
)
def test_programme_from_summary_prefix(summary: str, programme: str, title: str, home: bool) -> None:
    found, rest = split_summary(summary)
    assert found is not None and found.name == programme
    assert rest == title
    assert open_to(list(found.regions))[0] is home


def test_summary_without_known_prefix_is_the_title() -> None:
    assert split_summary("Webinar: Slik søker du") == (None, "Webinar: Slik søker du")
    assert split_summary("Informasjonsmøte") == (None, "Informasjonsmøte")


@pytest.mark.parametrize(
    ("uid", "stable"),
    [
        ("18098-1710921600-1717675200@interreg.no", "interreg.no:18098"),
        ("18098-1710925200-1717761600@interreg.no", "interreg.no:18098"),  # the same event, moved
        ("040000008200E00074C5B7101A82E008@outlook.com", "040000008200E00074C5B7101A82E008@outlook.com"),
        ("abc", "abc"),
    ],
)
def test_stable_uid(uid: str, stable: str) -> None:
    assert stable_uid(uid) == stable


def test_kind_is_registered_with_a_one_line_description() -> None:
    assert KINDS["ical"].Settings is IcalSettings
    assert describe("ical")


def test_unknown_zone_is_a_config_error(tmp_path: Path) -> None:
    path = write_yaml(
        tmp_path / "sources.yaml",
        """
        sources:
          - id: interreg-no
            kind: ical
            url: https://interreg.no/kalender/kategori/utlysninger/?ical=1
            zone: Europe/Olso
        """,
    )
    with pytest.raises(ConfigError, match=r"'zone'.*Europe/Olso"):
        load_sources(path)


# --- conformance: interreg.no's real export -------------------------------------------------

INTERREG_NO = "interreg_no_kalender_2024-05-21_outlook-ical.ics.txt"


@pytest.fixture(scope="module")
def interreg_no() -> bytes:
    return shared_fixture("swedish/pages-text", INTERREG_NO).read_bytes()


@pytest.mark.conformance
def test_the_capture_is_cut_short_and_refused_as_it_is(interreg_no: bytes) -> None:
    # The capture was cut after about 2,000 characters, inside DESCRIPTION: no END lines.
    assert b"END:VEVENT" not in interreg_no
    with pytest.raises(ParseError, match="ingen läsbar iCalendar-kalender"):
        parse_calendar(
            Fetched(url="https://interreg.no/kalender/2024-05-21/?outlook-ical=1", content=interreg_no), "s"
        )


@pytest.mark.conformance
def test_interreg_no_event_with_its_ends_restored(interreg_no: bytes) -> None:
    # The export as served ends the event and the calendar; only those two lines are added here.
    content = interreg_no.rstrip(b"\r\n") + b"\nEND:VEVENT\nEND:VCALENDAR\n"
    page = parse_calendar(
        Fetched(url="https://interreg.no/kalender/2024-05-21/?outlook-ical=1", content=content), "s"
    )
    assert page.warnings == [] and page.rows == 1
    (call,) = page.calls
    assert call.key == "interreg.no:18098" and call.official_ids == ["interreg.no:18098"]
    assert call.programme == "Interreg Europe" and call.regions == ["EU"]
    assert call.title == "Third call for projects"
    # DTSTART;TZID=Europe/Oslo:20240320T080000 is winter time, DTEND 20240606T120000 summer time.
    assert call.opening == datetime.fromisoformat("2024-03-20T08:00:00+01:00")
    assert call.deadlines == [datetime.fromisoformat("2024-06-06T12:00:00+02:00")]
    assert (call.opening_precision, call.deadline_precision) == ("minute", "minute")
    assert call.url == "https://interreg.no"  # the URL line was cut away: the calendar's own address
    assert call.description.startswith("Interreg Europe – Third call for projects\n")
    assert "27 Member States, including insular" in call.description  # "\," unescaped
    assert decide_status(call.opening, call.deadlines, TODAY) == "closed"


# --- demo sample ------------------------------------------------------------------------------


def test_demo_sample_has_sverige_norge_and_interreg_europe_calls_for_the_coming_year() -> None:
    page = parse_calendar(
        Fetched(url="https://interreg.no/kalender/?ical=1", content=SAMPLE.read_bytes()), "s"
    )
    assert page.warnings == [] and page.dropped == 0
    programmes = {c.programme for c in page.calls}
    assert {"Interreg Sverige-Norge", "Interreg Europe"} <= programmes
    for call in page.calls:
        assert decide_status(call.opening, call.deadlines, TODAY) in ("open", "forthcoming"), call.title
        assert all(d.year == 2027 for d in call.deadlines), call.title
        assert call.url.startswith("https://interreg.no/")
        assert open_to(call.regions)[0], call.title


# --- collection over HTTP -----------------------------------------------------------------------

CALENDAR_TYPE = {"Content-Type": "text/calendar; charset=utf-8"}


@pytest.fixture
def server() -> Iterator[StaticServer]:
    with StaticServer() as running:
        yield running


def collect_from(tmp_path: Path, store: Store, server: StaticServer, **extra):
    lines = [
        "sources:",
        "  - id: interreg-no",
        "    kind: ical",
        f"    url: {server.url('/kalender/kategori/utlysninger/?ical=1')}",
        "    delay: 0",
        "    backoff: 0.01",
        *[f"    {k}: {v}" for k, v in extra.items()],
    ]
    path = write_yaml(tmp_path / "sources.yaml", "\n".join(lines) + "\n")
    with make_client(timeout=10) as client:
        return collect(load_sources(path).sources, store, client)


def stored(store: Store) -> dict[str, dict]:
    return {r["key"]: r for r in store.db.query("SELECT * FROM calls WHERE source = 'interreg-no'")}


def test_collect_stores_calls_with_oslo_deadlines(tmp_path: Path, store: Store, server: StaticServer) -> None:
    server.routes["/kalender/kategori/utlysninger/?ical=1"] = Reply(
        200, (FIXTURES / "dst-oslo.ics").read_bytes(), CALENDAR_TYPE
    )

    (result,) = collect_from(tmp_path, store, server)

    assert (result.outcome, result.items, result.new) == ("ok", 2, 2)
    assert server.requests[0][1] == "/kalender/kategori/utlysninger/?ical=1"
    assert "text/calendar" in server.requests[0][2]["Accept"]
    rows = stored(store)
    sverige_norge = rows["interreg.no:20411"]
    assert sverige_norge["opening"] == "2027-01-15T08:00:00Z"  # 09:00 CET
    assert json.loads(sverige_norge["deadlines"]) == ["2027-04-15T21:59:00Z"]  # 23:59 CEST
    assert json.loads(sverige_norge["regions"]) == ["Sverige-Norge"]
    assert sverige_norge["programme"] == "Interreg Sverige-Norge"
    assert json.loads(rows["interreg.no:20433"]["deadlines"]) == ["2027-11-12T11:00:00Z"]  # 12:00 CET


def test_a_moved_event_is_a_deadline_change_not_a_new_call(
    tmp_path: Path, store: Store, server: StaticServer
) -> None:
    route = "/kalender/kategori/utlysninger/?ical=1"
    original = (FIXTURES / "dst-oslo.ics").read_bytes()
    server.routes[route] = Reply(200, original, CALENDAR_TYPE)
    collect_from(tmp_path, store, server)
    # The Events Calendar puts the dates in the UID, so moving the deadline changes the UID too.
    moved = original.replace(
        b"DTEND;TZID=Europe/Oslo:20270415T235900", b"DTEND;TZID=Europe/Oslo:20270429T235900"
    )
    moved = moved.replace(b"20411-1800003600-1807833540@", b"20411-1800003600-1809043140@")
    server.routes[route] = Reply(200, moved, CALENDAR_TYPE)

    (result,) = collect_from(tmp_path, store, server)

    assert (result.outcome, result.new, result.changed, result.closed) == ("ok", 0, 1, 0)
    assert store.count_calls("interreg-no") == 2
    events = [
        (r["event"], json.loads(r["detail"]))
        for r in store.db.query(
            "SELECT event, detail FROM call_events WHERE call_id = 'interreg-no:interreg.no:20411'"
        )
    ]
    assert events[-1] == (
        "deadline_changed",
        {"old": ["2027-04-15T21:59:00Z"], "new": ["2027-04-29T21:59:00Z"]},
    )


def test_unchanged_calendar_writes_no_events(tmp_path: Path, store: Store, server: StaticServer) -> None:
    server.routes["/kalender/kategori/utlysninger/?ical=1"] = Reply(
        200, (FIXTURES / "multi-event.ics").read_bytes(), CALENDAR_TYPE
    )
    (first,) = collect_from(tmp_path, store, server)
    assert (first.outcome, first.new, first.warnings) == ("ok", 7, 1)
    events = store.count_events()

    (second,) = collect_from(tmp_path, store, server)

    assert second.outcome == "unchanged"
    assert store.count_events() == events


def test_oversized_calendar_is_refused(tmp_path: Path, store: Store, server: StaticServer) -> None:
    server.routes["/kalender/kategori/utlysninger/?ical=1"] = Reply(
        200, (FIXTURES / "multi-event.ics").read_bytes(), CALENDAR_TYPE
    )
    assert len((FIXTURES / "multi-event.ics").read_bytes()) > 2048

    (result,) = collect_from(tmp_path, store, server, max_bytes=2048)

    assert result.outcome == "error" and "max_bytes" in (result.message or "")
    assert store.count_calls("interreg-no") == 0


def test_calendar_answering_500_is_an_error(tmp_path: Path, store: Store, server: StaticServer) -> None:
    server.routes["/kalender/kategori/utlysninger/?ical=1"] = Reply(
        503, b"busy", {"Content-Type": "text/plain"}
    )

    (result,) = collect_from(tmp_path, store, server, retries=0)

    assert result.outcome == "error" and "HTTP 503" in (result.message or "")
