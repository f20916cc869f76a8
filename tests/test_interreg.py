"""The interreg kind: parser on Algolia answers, the home-region filter, paging and the rotated key.

Fixtures in tests/fixtures/interreg/ are Algolia multi-query answers shaped after the real hit in
../shared/fixtures/swedish/interreg/; `<case>.expected.json` beside each. A case whose expectation
names an `http_status` is served with that status through fetch() (the real request loop) instead.
Integration runs go through StaticServer, sources.yaml, the store and the runner; the conformance
test reads the real excerpt and is skipped when the shared folder is absent.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from importlib import resources
from pathlib import Path
from urllib.parse import parse_qs

import httpx
import pytest
from helpers import shared_fixture, write_yaml

from monitor.config import SourceConfig, load_sources
from monitor.demo.sedia_server import Reply
from monitor.demo.static_server import StaticServer
from monitor.errors import FetchError, ParseError
from monitor.http import Fetched, make_client
from monitor.records import BRUSSELS, Call, decide_status
from monitor.regions import open_to
from monitor.runner import collect
from monitor.sources import interreg as _interreg  # noqa: F401  (registers the kind)
from monitor.sources import vinnova as _vinnova  # noqa: F401  (registers the kind)
from monitor.sources.interreg import (
    DEFAULT_PROGRAMMES,
    InterregSettings,
    InterregSource,
    call_from_hit,
    covers,
    matching_programmes,
    parse_index_date,
    parse_page,
)
from monitor.store import CallQuery, Store

FIXTURES = Path(__file__).parent / "fixtures" / "interreg"
CASES = sorted(p for p in FIXTURES.glob("*.json") if not p.name.endswith(".expected.json"))
SOURCE_ID = "interreg"
ALGOLIA_PATH = "/1/indexes/*/queries"
JSON = {"Content-Type": "application/json; charset=UTF-8"}

PLAIN = (
    "key",
    "identifier",
    "title",
    "url",
    "programme",
    "source_status",
    "opening_precision",
    "deadline_precision",
    "regions",
    "official_ids",
    "keywords",
    "conditions",
)
KNOWN = {
    *PLAIN,
    "opening",
    "deadlines",
    "regions_include",
    "region_count",
    "conditions_contains",
    "description_contains",
    "open_to_home",
    "status_at",
}


def expected_for(case: Path) -> dict:
    return json.loads(case.with_name(case.stem + ".expected.json").read_text(encoding="utf-8"))


def check_call(call: Call, want: dict) -> None:
    unknown = set(want) - KNOWN
    assert not unknown, f"unknown expectation keys {unknown}"
    for name in PLAIN:
        if name in want:
            assert getattr(call, name) == want[name], name
    if "opening" in want:
        assert (call.opening.isoformat() if call.opening else None) == want["opening"]
    if "deadlines" in want:
        assert [d.isoformat() for d in call.deadlines] == want["deadlines"]
    for code in want.get("regions_include", []):
        assert code in call.regions
    if "region_count" in want:
        assert len(call.regions) == len(set(call.regions)) == want["region_count"]
    for text in want.get("conditions_contains", []):
        assert text in call.conditions
    for text in want.get("description_contains", []):
        assert text in call.description
    if "open_to_home" in want:
        assert open_to(call.regions)[0] is want["open_to_home"], open_to(call.regions)[1]
    for moment, status in want.get("status_at", {}).items():
        assert decide_status(call.opening, call.deadlines, datetime.fromisoformat(moment)) == status, moment


def settings(**overrides) -> InterregSettings:
    values = {"api_key": "public-search-key", "delay": 0, "retries": 0, "backoff": 0.01}
    return InterregSettings(**{**values, **overrides})


def source(
    url: str = "https://2e032drcns-dsn.algolia.net/1/indexes/*/queries", **overrides
) -> InterregSource:
    config = SourceConfig(
        id=SOURCE_ID, kind="interreg", url=url, enabled=True, name="Interreg", settings=settings(**overrides)
    )
    return InterregSource(config)


def test_every_case_has_its_expectations():
    assert len(CASES) >= 7
    assert [c.name for c in CASES if not c.with_name(c.stem + ".expected.json").exists()] == []


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_case(case: Path):
    want = expected_for(case)
    if "http_status" in want:

        def answer(request: httpx.Request) -> httpx.Response:
            return httpx.Response(want["http_status"], content=case.read_bytes(), headers=JSON)

        with (
            httpx.Client(transport=httpx.MockTransport(answer)) as client,
            pytest.raises(FetchError) as raised,
        ):
            list(source().fetch(client))
        assert want["error"] == "FetchError"
        for text in want["message_contains"]:
            assert text in str(raised.value)
        return
    fetched = Fetched(url="https://2e032drcns-dsn.algolia.net" + ALGOLIA_PATH, content=case.read_bytes())
    if "error" in want:
        assert want["error"] == "ParseError"
        with pytest.raises(ParseError) as raised:
            parse_page(fetched, SOURCE_ID)
        for text in want["message_contains"]:
            assert text in str(raised.value)
        return

    page = parse_page(fetched, SOURCE_ID)
    assert page.complete is True
    assert (page.total, page.rows, page.dropped) == (want["total"], want["rows"], want["dropped"])
    assert len(page.warnings) == want["warnings"], page.warnings
    calls = {call.key: call for call in page.calls}
    assert sorted(calls) == sorted(c["key"] for c in want["calls"])
    for expected in want["calls"]:
        check_call(calls[expected["key"]], expected)
    for call in page.calls:
        assert call.id == f"{SOURCE_ID}:{call.key}"
        assert call.official_ids == [f"interreg:{call.key}"]
        assert call.url.startswith("https://www.interreg.eu/calls-for-projects/")


# --- the filter -------------------------------------------------------------------------------


def test_programmes_match_as_whole_words_without_case_or_accents():
    assert matching_programmes(["Interreg Öresund–Kattegat–Skagerrak"], DEFAULT_PROGRAMMES) == [
        "Öresund-Kattegat-Skagerrak"
    ]
    assert matching_programmes(["INTERREG SWEDEN - NORWAY"], DEFAULT_PROGRAMMES) == ["Interreg Sweden-Norway"]
    assert matching_programmes(["URBACT IV"], DEFAULT_PROGRAMMES) == ["URBACT"]
    assert matching_programmes(["Interreg Central Europe"], DEFAULT_PROGRAMMES) == []
    assert matching_programmes(["Interreg South West Europe (SUDOE)"], DEFAULT_PROGRAMMES) == []
    assert matching_programmes(["Interreg North Sea"], ["sea"]) == ["sea"]
    assert matching_programmes(["Interreg North Sea"], ["no"]) == []


def test_a_code_covers_home_when_it_is_home_or_above():
    for code in ("SE", "SE2", "SE23", "SE232"):
        assert covers([code], ["SE232"]), code
    for code in ("SE231", "SE2321", "SE1", "NO", "", "S"):
        assert not covers([code], ["SE232"]), code


def test_region_codes_win_over_country_codes():
    """South Baltic lists Sweden as a country, but only Swedish regions other than ours."""
    fetched = Fetched(url="x", content=(FIXTURES / "not-open-to-amal.json").read_bytes())
    kept = {c.key for c in parse_page(fetched, SOURCE_ID).calls}
    assert "callForProjectsPage_4202" not in kept
    assert "callForProjectsPage_4202" in {
        c.key for c in parse_page(fetched, SOURCE_ID, nuts=["SE224"]).calls
    }, "the same call is kept for a municipality in Skåne"
    assert "callForProjectsPage_4201" in {
        c.key for c in parse_page(fetched, SOURCE_ID, programmes=["Alpine Space"]).calls
    }


# --- dates ------------------------------------------------------------------------------------


def test_midnight_utc_is_a_date_and_other_times_are_instants():
    day = parse_index_date("2026-09-30T00:00:00Z")
    assert day is not None and day.day_only and day.at.date().isoformat() == "2026-09-30"
    timed = parse_index_date("2027-03-31T10:00:00Z")
    assert timed is not None and not timed.day_only
    assert timed.at.astimezone(BRUSSELS).isoformat() == "2027-03-31T12:00:00+02:00"
    assert parse_index_date("2027-03-31") is not None
    for missing in (None, "", "soon", True):
        assert parse_index_date(missing) is None


# --- settings ---------------------------------------------------------------------------------


def test_settings_are_checked():
    problems = dict(InterregSettings(hits_per_page=0, nuts=["Dalsland"]).check())
    assert set(problems) == {"api_key", "hits_per_page", "nuts"}
    assert "x-algolia-api-key" in problems["api_key"]
    assert settings().check() == []


# --- fetch over HTTP --------------------------------------------------------------------------


def algolia_answer(hits: list[dict], page: int, pages: int, total: int) -> bytes:
    result = {"hits": hits, "nbHits": total, "page": page, "nbPages": pages, "hitsPerPage": 3}
    return json.dumps({"results": [result]}).encode()


def hits_of(name: str) -> list[dict]:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))["results"][0]["hits"]


def run(tmp_path: Path, store: Store, yaml_text: str):
    path = write_yaml(tmp_path / "sources.yaml", yaml_text)
    with make_client(timeout=10) as client:
        return collect(load_sources(path).sources, store, client)


def interreg_yaml(server: StaticServer, **extra: object) -> str:
    lines = [
        "  - id: interreg",
        "    kind: interreg",
        f"    url: {server.url(ALGOLIA_PATH)}",
        "    app_id: 2E032DRCNS",
        "    api_key: public-search-key",
        "    hits_per_page: 3",
        "    delay: 0",
        "    retries: 1",
        "    backoff: 0.01",
        *(f"    {k}: {v}" for k, v in extra.items()),
    ]
    return "\n".join(lines) + "\n"


def test_two_pages_through_the_runner(tmp_path: Path, store: Store):
    hits = hits_of("amal-programmes.json")[:3] + hits_of("not-open-to-amal.json")[:2]
    pages = [algolia_answer(hits[:3], 0, 2, 5), algolia_answer(hits[3:], 1, 2, 5)]
    # Algolia pages by the body, not the path: the n-th request on the path gets page n.
    with StaticServer(fault=lambda path, attempt: Reply(200, pages[attempt - 1], JSON)) as server:
        (result,) = run(tmp_path, store, "sources:\n" + interreg_yaml(server))

    assert (result.outcome, result.items, result.new, result.pages) == ("ok", 3, 3, 2)
    assert [(m, p) for m, p, _, _ in server.requests] == [("POST", ALGOLIA_PATH)] * 2
    for number, (_, _, headers, body) in enumerate(server.requests):
        assert headers["X-Algolia-Application-Id"] == "2E032DRCNS"
        assert headers["X-Algolia-API-Key"] == "public-search-key"
        (query,) = json.loads(body)["requests"]
        assert query["indexName"] == "prod_en-us_content"
        params = {k: v[0] for k, v in parse_qs(query["params"]).items()}
        assert params["page"] == str(number) and params["hitsPerPage"] == "3"
        assert params["filters"] == (
            "contentType:callForProjectsPage AND (callStatus:Open OR callStatus:Forthcoming)"
        )
    stored = {r["key"]: r for r in store.db.query("SELECT * FROM calls WHERE source = 'interreg'")}
    assert sorted(stored) == [f"callForProjectsPage_{n}" for n in (4101, 4102, 4103)]
    assert json.loads(stored["callForProjectsPage_4101"]["regions"])[0] == "SE232"
    assert stored["callForProjectsPage_4101"]["deadline_precision"] == "day"
    assert json.loads(stored["callForProjectsPage_4101"]["official_ids"]) == [
        "interreg:callForProjectsPage_4101"
    ]


VINNOVA_CALL = {
    "Diarienummer": "2026-09001",
    "Titel": "Innovation i offentlig sektor",
    "Beskrivning": "Stöd till kommuner.",
    "TitelEngelska": "x",
    "BeskrivningEngelska": "x",
    "Publik": 1,
    "AnsokningsomgangDnrLista": [{"DiarienummerAnsokningsomgang": "2026-09002"}],
}
VINNOVA_ROUND = {
    "Diarienummer": "2026-09002",
    "DiarienummerUtlysning": "2026-09001",
    "Oppningsdatum": "2026-11-01T00:00:00",
    "Stangningsdatum": "2027-03-04T14:00:00",
    "Publik": 1,
    "Webbsida": 1,
}


def test_rotated_key_is_an_error_that_says_what_to_do_and_others_go_on(tmp_path: Path, store: Store):
    body = (FIXTURES / "key-rotated-403.json").read_bytes()
    routes = {
        ALGOLIA_PATH: Reply(403, body, JSON),
        "/api/utlysningar/2026-01-01": Reply(200, json.dumps([VINNOVA_CALL]).encode(), JSON),
        "/api/ansokningsomgangar/2026-01-01": Reply(200, json.dumps([VINNOVA_ROUND]).encode(), JSON),
    }
    with StaticServer(routes) as server:
        yaml_text = (
            "sources:\n"
            + interreg_yaml(server)
            + "  - id: vinnova\n    kind: vinnova\n"
            + f"    url: {server.url('/api')}\n    since: '2026-01-01'\n    delay: 0\n"
        )
        failed, ok = run(tmp_path, store, yaml_text)

    assert failed.source == "interreg" and failed.outcome == "error"
    assert failed.message is not None
    assert "HTTP 403" in failed.message and "api_key" in failed.message and "sources.yaml" in failed.message
    assert "https://www.interreg.eu/calls-for-projects/" in failed.message and "'interreg'" in failed.message
    assert sum(1 for _, path, _, _ in server.requests if path == ALGOLIA_PATH) == 1, "a 403 is not retried"
    assert ok.source == "vinnova" and (ok.outcome, ok.items) == ("ok", 1)
    now = datetime.fromisoformat("2026-11-27T12:00:00+01:00")
    listed = store.query_calls(CallQuery(), now=now)
    assert [r["title"] for r in listed] == ["Innovation i offentlig sektor"]


def test_a_missing_key_is_a_config_error(tmp_path: Path):
    from monitor.errors import ConfigError

    path = write_yaml(
        tmp_path / "sources.yaml",
        "sources:\n  - id: interreg\n    kind: interreg\n    url: https://2e032drcns-dsn.algolia.net/1/indexes/*/queries\n",
    )
    with pytest.raises(ConfigError) as raised:
        load_sources(path)
    assert "api_key" in str(raised.value)


# --- conformance on the real hit --------------------------------------------------------------

EXCERPT = "interreg-eu-search-hit.EXCERPT.txt"


def excerpt_document(text: str) -> dict:
    """The excerpt as JSON: comment lines and elision markers out, the cut-off brackets closed."""
    lines = [
        line
        for line in text.splitlines()
        if not line.startswith("#") and "elided" not in line and "omitted (objectID" not in line
    ]
    body = "\n".join(lines).replace("{ … omitted … }", "{}") + "]}]}"
    body = re.sub(r",(\s*[\]}])", r"\1", body)
    return json.loads(body)


@pytest.fixture(scope="module")
def real_hit() -> dict:
    path = shared_fixture("swedish/interreg", EXCERPT)
    (hit,) = excerpt_document(path.read_text(encoding="utf-8"))["results"][0]["hits"]
    return hit


@pytest.mark.conformance
def test_the_real_hit_is_read_right(real_hit: dict):
    call = call_from_hit(real_hit, SOURCE_ID)
    assert call is not None
    assert call.key == "callForProjectsPage_3129"
    assert call.title == "3rd Interreg Sudoe call: on the road to capitalisation"
    assert call.programme == "Interreg South West Europe (SUDOE)"
    assert call.source_status == "open"
    assert call.url == (
        "https://www.interreg.eu/calls-for-projects/3rd-interreg-sudoe-call-on-the-road-to-capitalisation/"
    )
    # 2026-05-04T00:00:00Z and 2026-09-30T00:00:00Z: dates, not 02:00 Swedish time.
    assert call.opening is not None and call.opening.isoformat() == "2026-05-04T00:00:00+02:00"
    assert [d.isoformat() for d in call.deadlines] == ["2026-09-30T23:59:00+02:00"]
    assert (call.opening_precision, call.deadline_precision) == ("day", "day")
    # Region codes (the three the excerpt keeps), not the country codes AD, ES, FR, PT.
    assert call.regions == ["ES111", "ES421", "ES521"]
    assert "Local public authority" in call.conditions
    assert call.keywords == ["Better Governance"]
    assert "https://interreg-sudoe.eu/3a-convocatoria/" in call.description
    assert not open_to(call.regions)[0]


@pytest.mark.conformance
def test_the_real_hit_is_not_open_to_amal_but_is_to_its_own_area(real_hit: dict):
    answer = json.dumps({"results": [{"hits": [real_hit], "nbHits": 1, "page": 0, "nbPages": 1}]})
    fetched = Fetched(url="x", content=answer.encode())
    page = parse_page(fetched, SOURCE_ID)
    assert (page.rows, page.dropped, page.calls) == (1, 1, [])
    assert [c.key for c in parse_page(fetched, SOURCE_ID, nuts=["ES111"]).calls] == [
        "callForProjectsPage_3129"
    ]
    assert len(parse_page(fetched, SOURCE_ID, programmes=["Sudoe"]).calls) == 1
    # Only region codes count when a hit has them: the country code PT does not make PT11A eligible.
    assert len(parse_page(fetched, SOURCE_ID, nuts=["PT11A"]).calls) == 0


# --- the demo's sample -------------------------------------------------------------------------


def test_demo_sample_keeps_the_programmes_open_to_amal():
    sample = resources.files("monitor.demo") / "samples" / "interreg" / "interreg-search.json"
    page = parse_page(Fetched(url="demo", content=sample.read_bytes()), SOURCE_ID)
    now = datetime.fromisoformat("2026-11-27T12:00:00+01:00")
    status = {c.programme: decide_status(c.opening, c.deadlines, now) for c in page.calls}
    assert status == {
        "Interreg Sverige-Norge": "open",
        "Interreg Europe": "open",
        "URBACT IV": "forthcoming",
        "Interreg Öresund-Kattegat-Skagerrak": "forthcoming",
    }
    assert page.dropped == 1  # Interreg Alpine Space
    assert all(open_to(c.regions)[0] for c in page.calls)
