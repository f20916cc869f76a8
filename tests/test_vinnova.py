"""The vinnova kind: parser on recorded answers, fetch over a mock transport, the incremental marker.

Fixtures in tests/fixtures/vinnova/ are answers in the real format (JSON arrays, field names and
placeholders as data.vinnova.se gives them; see the folder's README). A case is `<case>.json`, the
"calls changed since" answer, plus `<case>.<utlysningar|ansokningsomgangar>-<n>.json`, the other
answers of the same run, and `<case>.expected.json`. Only the fields an expectation names are compared.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from importlib import resources
from pathlib import Path

import httpx
import pytest
from helpers import shared_fixture, write_yaml

from monitor.config import SourceConfig, load_sources
from monitor.demo.sedia_server import Reply
from monitor.demo.static_server import StaticServer
from monitor.errors import ParseError
from monitor.http import Fetched, make_client
from monitor.records import STOCKHOLM, Call, decide_status
from monitor.runner import SourceResult, collect
from monitor.sources import vinnova
from monitor.sources.vinnova import (
    MAX_IDS,
    STATE_KEY,
    VinnovaSettings,
    VinnovaSource,
    parse_answers,
    parse_moment,
    since_date,
)
from monitor.store import CallQuery, Store

FIXTURES = Path(__file__).parent / "fixtures" / "vinnova"
CASES = sorted(p for p in FIXTURES.glob("*.json") if p.name.count(".") == 1)
SOURCE_ID = "vinnova"
BASE = "https://data.vinnova.se/api"

PLAIN = (
    "key",
    "identifier",
    "title",
    "url",
    "programme",
    "programme_id",
    "language",
    "description",
    "opening_precision",
    "deadline_precision",
    "regions",
    "official_ids",
)
KNOWN = {
    *PLAIN,
    "opening",
    "deadlines",
    "deadline_count",
    "deadlines_include",
    "official_id_count",
    "description_contains",
    "description_excludes",
    "status_at",
}


def answers_of(case: Path) -> Fetched:
    """The case's calls answer with its other answers in `related`, keyed as fetch() keys them."""
    primary = Fetched(url=f"{BASE}/utlysningar/2026-01-01", content=case.read_bytes())
    for extra in sorted(FIXTURES.glob(f"{case.stem}.*-*.json")):
        kind, number = extra.name.split(".")[1].rsplit("-", 1)
        url = f"{BASE}/{kind}/{number}"
        primary.related[url] = Fetched(url=url, content=extra.read_bytes())
    return primary


def check_call(call: Call, want: dict) -> None:
    unknown = set(want) - KNOWN
    assert not unknown, f"unknown expectation keys {unknown}"
    for name in PLAIN:
        if name in want:
            assert getattr(call, name) == want[name], name
    if "opening" in want:
        assert (call.opening.isoformat() if call.opening else None) == want["opening"]
    deadlines = [d.isoformat() for d in call.deadlines]
    if "deadlines" in want:
        assert deadlines == want["deadlines"]
    if "deadline_count" in want:
        assert len(deadlines) == len(set(deadlines)) == want["deadline_count"]
        assert deadlines == sorted(deadlines, key=datetime.fromisoformat)
    for moment in want.get("deadlines_include", []):
        assert moment in deadlines
    if "official_id_count" in want:
        assert len(call.official_ids) == len(set(call.official_ids)) == want["official_id_count"]
    for text in want.get("description_contains", []):
        assert text in call.description
    for text in want.get("description_excludes", []):
        assert text not in call.description
    for moment, status in want.get("status_at", {}).items():
        assert decide_status(call.opening, call.deadlines, datetime.fromisoformat(moment)) == status, moment


def test_every_case_has_its_expectations():
    assert len(CASES) >= 8
    assert [c.name for c in CASES if not c.with_name(c.stem + ".expected.json").exists()] == []


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_parse_case(case: Path):
    want = json.loads(case.with_name(case.stem + ".expected.json").read_text(encoding="utf-8"))
    if "error" in want:
        assert want["error"] == "ParseError"
        with pytest.raises(ParseError) as raised:
            parse_answers(answers_of(case), SOURCE_ID)
        assert want["message_contains"] in str(raised.value)
        return

    page = parse_answers(answers_of(case), SOURCE_ID)
    assert page.complete is False, "a changed-since answer is never the whole source"
    assert page.rows == want["rows"]
    assert page.dropped == want["dropped"]
    assert len(page.warnings) == want["warnings"], page.warnings
    for text in want.get("warnings_contain", []):
        assert any(text in w for w in page.warnings), text
    calls = {call.key: call for call in page.calls}
    assert sorted(calls) == sorted(c["key"] for c in want["calls"])
    for expected in want["calls"]:
        check_call(calls[expected["key"]], expected)
    for call in page.calls:
        assert call.id == f"{SOURCE_ID}:{call.key}"
        assert call.regions == ["Sverige"]
        assert call.official_ids[0] == f"vinnova:{call.key}"


def test_round_that_is_not_public_gives_no_dates():
    (call,) = parse_answers(answers_of(FIXTURES / "several-rounds.json"), SOURCE_ID).calls
    # Round 2026-02003 (Publik 0) closes 2027-12-01: had it counted, the call would be open in November.
    assert max(call.deadlines) < datetime(2027, 10, 1, tzinfo=STOCKHOLM)
    assert "vinnova:2026-02003" not in call.official_ids


def test_page_url_setting_is_used():
    page = parse_answers(
        answers_of(FIXTURES / "call-without-rounds.json"),
        SOURCE_ID,
        "https://example.se/erbjudande?dnr={dnr}",
    )
    assert [c.url for c in page.calls] == ["https://example.se/erbjudande?dnr=2026-04302"]


# --- values -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value", ["x", "xx", "X", "-", "", "  ", None, "1900-01-01", "1900-01-01T00:00:00", 17]
)
def test_placeholders_are_no_date(value):
    assert parse_moment(value) is None


def test_timestamps_are_stockholm_time():
    timed = parse_moment("2027-03-12T14:00:00")
    assert timed is not None and timed.timed
    assert timed.at.isoformat() == "2027-03-12T14:00:00+01:00"
    summer = parse_moment("2027-06-15T14:00:00.000")
    assert summer is not None and summer.at.isoformat() == "2027-06-15T14:00:00+02:00"
    for day_only in ("2027-04-20", "2027-04-20T00:00:00"):
        moment = parse_moment(day_only)
        assert moment is not None and not moment.timed and moment.at.date() == date(2027, 4, 20)
    zoned = parse_moment("2027-03-12T13:00:00Z")
    assert zoned is not None and zoned.at.isoformat() == "2027-03-12T14:00:00+01:00"


# --- the marker -----------------------------------------------------------------------------


def test_first_run_asks_from_since_or_since_days():
    today = date(2026, 11, 27)
    assert since_date({}, VinnovaSettings(), today) == date(2025, 11, 27)
    assert since_date({}, VinnovaSettings(since_days=30), today) == date(2026, 10, 28)
    assert since_date({}, VinnovaSettings(since="2026-01-01"), today) == date(2026, 1, 1)


def test_later_runs_ask_from_the_marker_minus_the_overlap():
    today = date(2026, 11, 27)
    state = {STATE_KEY: "2026-11-20"}
    assert since_date(state, VinnovaSettings(since="2026-01-01"), today) == date(2026, 11, 17)
    assert since_date(state, VinnovaSettings(overlap_days=0), today) == date(2026, 11, 20)
    # A marker that is no date is not trusted: back to the first-run rule.
    assert since_date({STATE_KEY: "igår"}, VinnovaSettings(since="2026-01-01"), today) == date(2026, 1, 1)


def test_settings_are_checked():
    problems = dict(VinnovaSettings(since="1 jan", overlap_days=90, page_url="https://x.se/").check())
    assert set(problems) == {"since", "overlap_days", "page_url"}
    assert VinnovaSettings().check() == []


# --- fetch over a mock transport --------------------------------------------------------------


def records(*names: str) -> list[dict]:
    out: list[dict] = []
    for name in names:
        out.extend(json.loads((FIXTURES / name).read_text(encoding="utf-8")))
    return out


class FakeVinnova:
    """Answers /utlysningar/<date|Dnr,…> and /ansokningsomgangar/<date|Dnr,…> from lists of records."""

    def __init__(
        self, changed_calls: list[dict], changed_rounds: list[dict], calls: list[dict], rounds: list[dict]
    ):
        self.changed = {"utlysningar": changed_calls, "ansokningsomgangar": changed_rounds}
        self.by_number = {"utlysningar": calls, "ansokningsomgangar": rounds}
        self.paths: list[str] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        self.paths.append(path)
        kind, what = path.removeprefix("/api/").split("/")
        if "," not in what and what.count("-") == 2:  # a date
            return httpx.Response(200, json=self.changed[kind])
        wanted = what.split(",")
        if len(wanted) > MAX_IDS:
            return httpx.Response(400, json={"Message": "Max 20 diarienummer"})
        return httpx.Response(200, json=[r for r in self.by_number[kind] if r["Diarienummer"] in wanted])


def source(state: dict[str, str] | None = None, **settings) -> VinnovaSource:
    config = SourceConfig(
        id=SOURCE_ID,
        kind="vinnova",
        url=BASE,
        enabled=True,
        name="Vinnova",
        settings=VinnovaSettings(delay=0, **settings),
    )
    return VinnovaSource(config, state)


def test_rounds_are_asked_for_twenty_at_a_time():
    rounds = records("batched-rounds.ansokningsomgangar-1.json", "batched-rounds.ansokningsomgangar-2.json")
    fake = FakeVinnova(records("batched-rounds.json"), [], [], rounds)
    vin = source(since="2026-06-01")
    with httpx.Client(transport=httpx.MockTransport(fake)) as client:
        (fetched,) = list(vin.fetch(client))

    numbers = sorted(r["Diarienummer"] for r in rounds)
    assert fake.paths == [
        "/api/utlysningar/2026-06-01",
        "/api/ansokningsomgangar/2026-06-01",
        "/api/ansokningsomgangar/" + ",".join(numbers[:20]),
        "/api/ansokningsomgangar/" + ",".join(numbers[20:]),
    ]
    (call,) = vin.parse(fetched).calls
    assert len(call.deadlines) == 25
    assert vin.new_state == {STATE_KEY: vinnova.today_in_stockholm().isoformat()}


def test_a_changed_round_brings_its_call_and_the_call_brings_its_other_rounds():
    fake = FakeVinnova(
        changed_calls=[],
        changed_rounds=records("round-changed-only.ansokningsomgangar-1.json"),
        calls=records("round-changed-only.utlysningar-1.json"),
        rounds=records("round-changed-only.ansokningsomgangar-2.json"),
    )
    vin = source({STATE_KEY: "2026-11-20"})
    with httpx.Client(transport=httpx.MockTransport(fake)) as client:
        (fetched,) = list(vin.fetch(client))

    assert fake.paths == [
        "/api/utlysningar/2026-11-17",
        "/api/ansokningsomgangar/2026-11-17",
        "/api/utlysningar/2025-07001",
        "/api/ansokningsomgangar/2025-07002",
    ]
    page = vin.parse(fetched)
    (call,) = page.calls
    assert call.key == "2025-07001" and len(call.deadlines) == 2
    assert page.complete is False


def test_an_error_object_instead_of_a_list_stops_the_run():
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"Message": "An error has occurred."})

    vin = source()
    with httpx.Client(transport=httpx.MockTransport(answer)) as client, pytest.raises(ParseError) as raised:
        list(vin.fetch(client))
    assert "An error has occurred." in str(raised.value)


# --- end to end: sources.yaml → StaticServer → runner → store ------------------------------------


def call_record(number: str, title: str, rounds: list[str]) -> dict:
    return {
        "Diarienummer": number,
        "DiarienummerProgram": "2019-00804",
        "Titel": title,
        "Beskrivning": f"{title}: stöd till kommuner och regioner.",
        "TitelEngelska": "x",
        "BeskrivningEngelska": "x",
        "Publiceringsdatum": "2026-10-02T09:14:37",
        "DokumentLista": [],
        "LankLista": [],
        "AnsokningsomgangDnrLista": [{"DiarienummerAnsokningsomgang": r} for r in rounds],
        "KontaktLista": [],
        "Publik": 1,
    }


def round_record(number: str, call: str, opens: str, closes: str) -> dict:
    return {
        "Diarienummer": number,
        "DiarienummerUtlysning": call,
        "Titel": "xx",
        "Beskrivning": "xx",
        "TitelEngelska": "xx",
        "BeskrivningEngelska": "xx",
        "Oppningsdatum": opens,
        "Stangningsdatum": closes,
        "DagligAvlasning": 0,
        "AvlasningstillfalleLista": [],
        "UppskattatBeslutsdatum": "1900-01-01T00:00:00",
        "Publik": 1,
        "Webbsida": 1,
        "WebTextLista": [],
    }


CALL_A = call_record("2026-08001", "Innovation i offentlig sektor", ["2026-08002", "2026-08003"])
CALL_B = call_record("2026-08101", "Digitalisering av kommunal service", ["2026-08102"])
CALL_C = call_record("2026-08201", "Klimatomställning i mindre kommuner", ["2026-08202"])
ROUND_A1 = round_record("2026-08002", "2026-08001", "2026-09-01T00:00:00", "2030-01-20T14:00:00")
ROUND_A2 = round_record("2026-08003", "2026-08001", "2030-02-01T00:00:00", "2030-04-10T14:00:00")
ROUND_A2_MOVED = {**ROUND_A2, "Stangningsdatum": "2030-04-24T14:00:00"}
ROUND_B1 = round_record("2026-08102", "2026-08101", "2026-10-01T00:00:00", "2030-03-03T00:00:00")
ROUND_C1 = round_record("2026-08202", "2026-08201", "2026-11-23T00:00:00", "2030-05-05T14:00:00")


def reply(records: list[dict]) -> Reply:
    return Reply(200, json.dumps(records, ensure_ascii=False).encode(), {"Content-Type": "application/json"})


@pytest.fixture
def server() -> Iterator[StaticServer]:
    with StaticServer(
        {
            "/api/utlysningar/2026-01-01": reply([CALL_A, CALL_B]),
            "/api/ansokningsomgangar/2026-01-01": reply([ROUND_A1, ROUND_B1]),
            "/api/ansokningsomgangar/2026-08003": reply([ROUND_A2]),
        }
    ) as started:
        yield started


def collect_vinnova(tmp_path: Path, store: Store, server: StaticServer) -> SourceResult:
    path = write_yaml(
        tmp_path / "sources.yaml",
        f"""
        sources:
          - id: vinnova
            kind: vinnova
            url: {server.url("/api")}
            since: "2026-01-01"
            delay: 0
            retries: 0
        """,
    )
    with make_client(timeout=10) as client:
        (result,) = collect(load_sources(path).sources, store, client)
    return result


def paths(server: StaticServer, start: int = 0) -> list[str]:
    return [path for _, path, _, _ in server.requests[start:]]


def listed(store: Store) -> dict[str, dict]:
    return {r["key"]: r for r in store.db.query("SELECT * FROM calls WHERE source = 'vinnova'")}


def first_run(tmp_path: Path, store: Store, server: StaticServer) -> date:
    before = vinnova.today_in_stockholm()
    result = collect_vinnova(tmp_path, store, server)
    after = vinnova.today_in_stockholm()
    assert (result.outcome, result.items, result.new, result.closed) == ("ok", 2, 2, 0)
    marker = date.fromisoformat(store.source_state("vinnova")[STATE_KEY])
    assert marker in (before, after), "the marker is the run's own date"
    return marker


def test_first_run_stores_calls_and_the_marker_then_asks_from_it(tmp_path, store, server):
    marker = first_run(tmp_path, store, server)

    assert paths(server) == [
        "/api/utlysningar/2026-01-01",
        "/api/ansokningsomgangar/2026-01-01",
        "/api/ansokningsomgangar/2026-08003",
    ]
    calls = listed(store)
    assert sorted(calls) == ["2026-08001", "2026-08101"]
    assert json.loads(calls["2026-08001"]["deadlines"]) == ["2030-01-20T13:00:00Z", "2030-04-10T12:00:00Z"]
    assert calls["2026-08101"]["deadline_precision"] == "day"
    assert json.loads(calls["2026-08001"]["official_ids"])[0] == "vinnova:2026-08001"

    since = (marker - timedelta(days=3)).isoformat()
    server.routes[f"/api/utlysningar/{since}"] = reply([])
    server.routes[f"/api/ansokningsomgangar/{since}"] = reply([])
    seen = len(server.requests)
    second = collect_vinnova(tmp_path, store, server)

    assert paths(server, seen) == [f"/api/utlysningar/{since}", f"/api/ansokningsomgangar/{since}"]
    # Nothing changed since: an empty incremental answer is no failure and closes nothing.
    assert (second.outcome, second.items, second.closed, second.message) == ("unchanged", 0, 0, None)
    assert {k: (r["listed"], r["status"]) for k, r in listed(store).items()} == {
        "2026-08001": (1, "open"),
        "2026-08101": (1, "open"),
    }


def test_an_outage_keeps_the_marker_and_the_recovery_asks_from_it(tmp_path, store, server):
    first_run(tmp_path, store, server)
    # The last successful run was on 2026-11-20; then the API goes down.
    store.save_source_state("vinnova", {STATE_KEY: "2026-11-20"})
    events = store.count_events()
    server.fault = lambda path, attempt: Reply(500, b'{"Message":"An error has occurred."}')
    seen = len(server.requests)

    down = collect_vinnova(tmp_path, store, server)

    assert paths(server, seen) == ["/api/utlysningar/2026-11-17"]
    assert down.outcome == "error" and down.message is not None and "HTTP 500" in down.message
    assert store.source_state("vinnova") == {STATE_KEY: "2026-11-20"}
    assert (down.closed, store.count_events()) == (0, events)
    assert {k: (r["listed"], r["status"]) for k, r in listed(store).items()} == {
        "2026-08001": (1, "open"),
        "2026-08101": (1, "open"),
    }

    # Back up: what changed during the outage is asked for from the old marker, so nothing is missed.
    server.fault = None
    server.routes["/api/utlysningar/2026-11-17"] = reply([CALL_C, CALL_A])
    server.routes["/api/ansokningsomgangar/2026-11-17"] = reply([ROUND_C1, ROUND_A2_MOVED])
    server.routes["/api/ansokningsomgangar/2026-08002"] = reply([ROUND_A1])
    seen = len(server.requests)
    before = vinnova.today_in_stockholm()

    back = collect_vinnova(tmp_path, store, server)

    assert paths(server, seen) == [
        "/api/utlysningar/2026-11-17",
        "/api/ansokningsomgangar/2026-11-17",
        "/api/ansokningsomgangar/2026-08002",
    ]
    assert (back.outcome, back.items, back.new, back.changed, back.closed) == ("ok", 2, 1, 1, 0)
    calls = listed(store)
    assert sorted(calls) == ["2026-08001", "2026-08101", "2026-08201"]
    assert calls["2026-08101"]["listed"] == 1, "a call absent from an incremental answer stays"
    assert json.loads(calls["2026-08001"]["deadlines"])[-1] == "2030-04-24T12:00:00Z"
    moved = [e for e in store.events("vinnova:2026-08001") if e["event"] == "deadline_changed"]
    assert len(moved) == 1
    assert store.source_state("vinnova")[STATE_KEY] in (
        before.isoformat(),
        vinnova.today_in_stockholm().isoformat(),
    )


# --- conformance on the real output as a client library rendered it ------------------------------

RENDERED = "vinnova-api-output-as-rendered.md"
# The fields this kind reads, by record type.
READS_CALL = (
    "Diarienummer",
    "DiarienummerProgram",
    "Titel",
    "Beskrivning",
    "TitelEngelska",
    "BeskrivningEngelska",
    "AnsokningsomgangDnrLista",
    "Publik",
)
READS_ROUND = (
    "Diarienummer",
    "DiarienummerUtlysning",
    "Titel",
    "Beskrivning",
    "TitelEngelska",
    "BeskrivningEngelska",
    "Oppningsdatum",
    "Stangningsdatum",
    "Publik",
    "Webbsida",
)


@pytest.fixture(scope="module")
def rendered() -> str:
    return shared_fixture("swedish/vinnova", RENDERED).read_text(encoding="utf-8")


def section(text: str, name: str) -> str:
    """The printed output under `#> $name` up to the next `#> $…` heading."""
    start = text.index(f"#> ${name}\n")
    following = re.search(r"^#> \$\w+\n", text[start + 1 :], re.M)
    return text[start : start + 1 + following.start()] if following else text[start:]


@pytest.mark.conformance
def test_the_fields_read_are_the_real_ones(rendered: str):
    calls = section(rendered, "calls")
    rounds = section(rendered, "rounds")
    for field_name in READS_CALL:
        assert field_name in calls, field_name
    # The rounds table prints some names cut short, with a footnote mark after the cut.
    cut = {"Oppningsdatum": "Oppni…⁶", "Stangningsdatum": "Stang…⁷", "BeskrivningEngelska": "Beskr…⁵"}
    for field_name in READS_ROUND:
        assert field_name in rounds or cut[field_name] in rounds, field_name
    # Publik and Webbsida are numbers (flags), not addresses: hence page_url.
    assert "Publik <int>" in rounds and "Webbsida <int>" in rounds
    assert "Publik <int>" in calls


@pytest.mark.conformance
def test_the_real_placeholders_are_missing_values(rendered: str):
    rows = [line for line in section(rendered, "calls").splitlines() if re.match(r"#> \d+ \d{4}-", line)]
    assert len(rows) == 7
    placeholders = {
        token.strip('"') for row in rows for token in row.split() if re.fullmatch(r'"?x+"?', token)
    }
    assert placeholders == {"x", "xx"}
    for token in placeholders:
        assert parse_moment(token) is None
        # A call whose only text is the English placeholder: the title comes from its round instead,
        # and the placeholder never becomes a description.
        record = {"Diarienummer": "2017-02932", "TitelEngelska": token, "BeskrivningEngelska": token}
        round_ = {
            "Diarienummer": "2017-02942",
            "DiarienummerUtlysning": "2017-02932",
            "Titel": "Nationella Flygtekniska Forsknings Programmet 7",
            "TitelEngelska": token,
            "BeskrivningEngelska": token,
            "Stangningsdatum": "2017-09-26T14:00:00",
        }
        call = vinnova.call_from_records(record, [round_], SOURCE_ID, vinnova.DEFAULT_PAGE_URL)
        assert call.title == "Nationella Flygtekniska Forsknings Programmet 7"
        assert call.description == ""


@pytest.mark.conformance
def test_the_real_round_lists_are_read(rendered: str):
    """round_ids flattens AnsokningsomgangDnrLista: objects with DiarienummerAnsokningsomgang."""
    table = section(rendered, "calls_tbls")
    pairs = re.findall(r"#>\s+\d+ (\d{4}-\d{5})\s+(\d{4}-\d{5})", table)
    by_call: dict[str, list[str]] = {}
    for call_number, round_number in pairs:
        by_call.setdefault(call_number, []).append(round_number)
    assert by_call["2017-02932"] == ["2017-02942", "2018-05355"]
    assert by_call["2018-02053"] == ["2018-02054", "2018-04397", "2018-05372", "2019-05248", "2020-00352"]
    for call_number, rounds in by_call.items():
        record = {
            "Diarienummer": call_number,
            "AnsokningsomgangDnrLista": [{"DiarienummerAnsokningsomgang": r} for r in rounds],
        }
        assert vinnova.round_numbers(record) == rounds


# --- the demo's samples ------------------------------------------------------------------------


def test_demo_samples_at_the_paths_the_demo_serves(tmp_path, store):
    folder = resources.files("monitor.demo") / "samples" / "vinnova"
    routes = {
        "/api/utlysningar/2026-01-01": Reply(200, (folder / "utlysningar.json").read_bytes()),
        "/api/ansokningsomgangar/2026-01-01": Reply(200, (folder / "ansokningsomgangar.json").read_bytes()),
    }
    with StaticServer(routes) as demo:
        result = collect_vinnova(tmp_path, store, demo)
        assert paths(demo) == list(routes), "every round is in the changed-rounds answer: no more requests"
    assert (result.outcome, result.new) == ("ok", 3)
    now = datetime.fromisoformat("2026-11-27T12:00:00+01:00")
    shown = {r["title"]: r["status"] for r in store.query_calls(CallQuery(), now=now)}
    assert shown == {
        "Innovation i offentlig sektor": "open",
        "Gemensamma AI-förmågor i kommuner och civilsamhälle 2027": "forthcoming",
        "Hållbar platsutveckling – mindre orter som testbäddar": "open",
    }
