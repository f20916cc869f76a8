"""Collection end to end: sources.yaml → eu_portal fetch over HTTP to SediaServer → parse → SQLite."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from helpers import free_port, many_results, sedia_result, write_sources

from monitor.config import load_sources
from monitor.demo.sedia_server import Reply, SediaServer
from monitor.http import make_client
from monitor.records import from_utc_text
from monitor.runner import SourceResult, collect
from monitor.store import CallQuery, Store

Start = Callable[..., SediaServer]


def run_sources(tmp_path: Path, store: Store, *sources: dict) -> list[SourceResult]:
    path = write_sources(tmp_path / "sources.yaml", *sources)
    with make_client(timeout=10) as client:
        return collect(load_sources(path).sources, store, client)


def stored_identifiers(store: Store, source: str) -> list[str]:
    return [
        r["identifier"] for r in store.db.query("SELECT identifier FROM calls WHERE source = ?", [source])
    ]


def test_three_pages_with_the_real_protocol(tmp_path: Path, store: Store, sedia: Start) -> None:
    results = many_results(250)
    results.append(sedia_result("OLD-2019-1", status="31094503"))  # closed: left out by the query
    results.append(sedia_result("TENDER-1", call_type="0"))  # a tender: not asked for
    server = sedia(results)

    (result,) = run_sources(tmp_path, store, {"id": "eu-portal", "url": server.url, "page_size": 100})

    assert (result.outcome, result.items, result.new, result.pages) == ("ok", 250, 250, 3)
    assert [r.page for r in server.requests] == [1, 2, 3]
    for seen in server.requests:
        assert seen.page_size == 100
        assert seen.params["apiKey"] == "SEDIA" and seen.params["text"] == "***"
        assert set(seen.parts) == {"query", "languages", "sort"}
        for filename, content_type, _ in seen.parts.values():
            assert filename is not None, "each part must be a file part"
            assert content_type == "application/json"
        assert json.loads(seen.parts["languages"][2]) == ["en"]
        assert json.loads(seen.parts["sort"][2]) == {"order": "ASC", "field": "identifier"}
        query = json.loads(seen.parts["query"][2])
        terms = {k: v for clause in query["bool"]["must"] for k, v in clause["terms"].items()}
        assert terms == {"type": ["1", "2", "8"], "status": ["31094501", "31094502"]}
    identifiers = stored_identifiers(store, "eu-portal")
    assert len(identifiers) == len(set(identifiers)) == 250
    assert "OLD-2019-1" not in identifiers and "TENDER-1" not in identifiers
    run = store.runs("eu-portal")[0]
    assert (run["outcome"], run["items"], run["pages"], run["message"]) == ("ok", 250, 3, None)


def test_a_page_that_fails_twice_is_retried(tmp_path: Path, store: Store, sedia: Start) -> None:
    faults = {(2, 1): Reply(500, b"{}"), (2, 2): Reply(429, headers={"Retry-After": "0"})}
    server = sedia(many_results(250), fault=lambda page, attempt: faults.get((page, attempt)))

    (result,) = run_sources(tmp_path, store, {"id": "eu-portal", "url": server.url, "retries": 3})

    assert (result.outcome, result.items, result.pages) == ("ok", 250, 3)
    assert [r.page for r in server.requests] == [1, 2, 2, 2, 3]
    assert server.attempts == {1: 1, 2: 3, 3: 1}
    assert store.count_calls("eu-portal") == 250


def test_failing_source_is_recorded_and_others_go_on(tmp_path: Path, store: Store, sedia: Start) -> None:
    broken = {"now": False}
    healthy = sedia([sedia_result("CERV-2027-CITIZENS-TOWN-TT", "Vänortssamarbete")])
    flaky = sedia(
        [sedia_result("LIFE-2027-SAP-1"), sedia_result("LIFE-2027-SAP-2")],
        fault=lambda page, attempt: Reply(500, b'{"message": "boom"}') if broken["now"] else None,
    )
    sources = ({"id": "eu-portal", "url": healthy.url}, {"id": "life", "url": flaky.url, "retries": 2})
    first = run_sources(tmp_path, store, *sources)
    assert [r.outcome for r in first] == ["ok", "ok"]
    events_before = store.count_events()
    rows_before = {r["id"]: r for r in store.db["calls"].rows if r["source"] == "life"}

    broken["now"] = True
    ok, failed = run_sources(tmp_path, store, *sources)

    assert ok.source == "eu-portal" and ok.outcome == "unchanged"
    assert failed.source == "life" and failed.outcome == "error"
    assert failed.message and "HTTP 500" in failed.message and "gav upp efter 3 försök" in failed.message
    assert len(flaky.requests) == 1 + 3  # one good run, then three attempts at page 1
    run = store.runs("life")[0]
    assert (run["outcome"], run["message"], run["closed"]) == ("error", failed.message, 0)
    assert run["finished"] is not None
    assert store.count_events() == events_before
    after = {r["id"]: r for r in store.db["calls"].rows if r["source"] == "life"}
    for call_id, before in rows_before.items():
        assert after[call_id]["listed"] == 1 and after[call_id]["status"] == "open"
        assert after[call_id]["last_changed"] == before["last_changed"]
    listed = store.query_calls(CallQuery(sources=("life",)), now=_run_time(store))
    assert sorted(r["identifier"] for r in listed) == ["LIFE-2027-SAP-1", "LIFE-2027-SAP-2"]


def test_closed_port_is_an_error_for_that_source_only(tmp_path: Path, store: Store, sedia: Start) -> None:
    healthy = sedia([sedia_result("CERV-2027-CITIZENS-TOWN-TT")])
    dead = f"http://127.0.0.1:{free_port()}/search-api/prod/rest/search"
    results = run_sources(
        tmp_path, store, {"id": "dead", "url": dead, "retries": 1}, {"id": "eu-portal", "url": healthy.url}
    )
    assert [(r.source, r.outcome) for r in results] == [("dead", "error"), ("eu-portal", "ok")]
    assert "anslutningsfel" in (results[0].message or "")
    assert store.count_calls("eu-portal") == 1 and store.count_calls("dead") == 0


def test_page_two_always_failing_closes_nothing_and_duplicates_nothing(
    tmp_path: Path, store: Store, sedia: Start
) -> None:
    results = many_results(150)
    fail_page_two = {"on": False}
    server = sedia(
        results, fault=lambda page, attempt: Reply(500) if fail_page_two["on"] and page == 2 else None
    )
    source = {"id": "eu-portal", "url": server.url, "retries": 1}
    (cold,) = run_sources(tmp_path, store, source)
    assert (cold.outcome, cold.items) == ("ok", 150)

    fail_page_two["on"] = True
    server.results = [*results[:100], sedia_result("ZZZ-2027-NEW")]  # page 1 unchanged
    (failed,) = run_sources(tmp_path, store, source)
    assert failed.outcome == "error" and failed.pages == 1 and failed.closed == 0
    (again,) = run_sources(tmp_path, store, source)
    assert again.outcome == "error" and again.new == 0

    assert store.count_calls("eu-portal") == 150
    assert store.db.execute("SELECT COUNT(*) FROM calls WHERE listed = 0").fetchone()[0] == 0
    assert store.db.execute("SELECT COUNT(*) FROM call_events WHERE event != 'new'").fetchone()[0] == 0
    assert store.count_events() == 150


def test_source_that_suddenly_returns_nothing(tmp_path: Path, store: Store, sedia: Start) -> None:
    server = sedia(many_results(3))
    source = {"id": "eu-portal", "url": server.url}
    run_sources(tmp_path, store, source)
    server.results = []
    (result,) = run_sources(tmp_path, store, source)
    assert result.outcome == "error" and "inget stängdes" in (result.message or "")
    assert store.db.execute("SELECT COUNT(*) FROM calls WHERE listed = 1").fetchone()[0] == 3


def test_calls_leaving_and_returning(tmp_path: Path, store: Store, sedia: Start) -> None:
    results = many_results(3)
    server = sedia(results)
    source = {"id": "eu-portal", "url": server.url}
    run_sources(tmp_path, store, source)

    server.results = results[:2]
    (gone,) = run_sources(tmp_path, store, source)
    assert (gone.outcome, gone.closed) == ("ok", 1)
    missing = results[2]["metadata"]["identifier"][0]
    assert store.get_call(missing)["listed"] == 0  # type: ignore[index]

    server.results = results
    (back,) = run_sources(tmp_path, store, source)
    assert (back.outcome, back.changed) == ("ok", 1)
    events = [e["event"] for e in store.events(f"eu-portal:{missing}")]
    assert events == ["new", "closed", "reappeared", "status_changed"]


def test_response_over_max_bytes_fails_the_source(tmp_path: Path, store: Store, sedia: Start) -> None:
    server = sedia(many_results(30))
    (result,) = run_sources(tmp_path, store, {"id": "eu-portal", "url": server.url, "max_bytes": 4096})
    assert result.outcome == "error" and "max_bytes" in (result.message or "")
    assert len(server.requests) == 1


def test_max_duration_stops_retries(tmp_path: Path, store: Store, sedia: Start) -> None:
    server = sedia(many_results(3), fault=lambda page, attempt: Reply(503))
    (result,) = run_sources(
        tmp_path,
        store,
        {"id": "eu-portal", "url": server.url, "retries": 5, "backoff": 30, "max_duration": 5},
    )
    assert result.outcome == "error" and "max_duration" in (result.message or "")
    assert len(server.requests) == 1
    assert result.seconds < 5


def test_answer_that_is_not_a_search_result_is_an_error(tmp_path: Path, store: Store, sedia: Start) -> None:
    server = sedia([], fault=lambda page, attempt: Reply(200, b'{"message": "maintenance"}'))
    (result,) = run_sources(tmp_path, store, {"id": "eu-portal", "url": server.url})
    assert result.outcome == "error" and "maintenance" in (result.message or "")


def _run_time(store: Store) -> datetime:
    """The clock of the latest run, so queries do not read the real one."""
    moment = from_utc_text(store.runs(limit=1)[0]["started"])
    assert moment is not None
    return moment
