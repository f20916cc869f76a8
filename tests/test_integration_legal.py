"""Legal sources end to end through a local HTTP server: collect → store, merged across sources,
EUR-Lex's bot check and a SPARQL error inside a 200 as failures, an outage then recovery with nothing
missed (the Cellar marker moves only after a run that succeeded)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from click.testing import Result
from helpers import write_yaml

from monitor.demo.sedia_server import Reply
from monitor.demo.static_server import StaticServer
from monitor.store import Store

Invoke = Callable[..., Result]
FIXTURES = Path(__file__).parent / "fixtures"


def reply(folder: str, name: str, content_type: str, status: int = 200) -> Reply:
    return Reply(status, (FIXTURES / folder / name).read_bytes(), {"Content-Type": content_type})


SPARQL = reply("cellar_sparql", "directives.json", "application/sparql-results+json")
FEED = reply("eurlex_rss", "legislation-sv.xml", "application/rss+xml")
# The same feed naming the drinking-water directive that SPARQL also lists: one act, two sources.
OVERLAPPING_FEED = Reply(200, FEED.body.replace(b"32026L1472", b"32020L2184"), FEED.headers)
CONSULTATIONS = reply("have_your_say", "open-initiatives.json", "application/json")
CHALLENGE = reply("eurlex_rss", "bot-challenge.html", "text/html", status=202)
SPARQL_ERROR = reply("cellar_sparql", "error-json-in-200.json", "application/sparql-results+json")
EMPTY_SPARQL = reply("cellar_sparql", "empty.json", "application/sparql-results+json")


def sources_file(tmp_path: Path, base: str) -> Path:
    return write_yaml(
        tmp_path / "sources.yaml",
        f"""\
sources:
  - id: cellar
    kind: cellar_sparql
    url: {base}/sparql
    since: "2024-01-01"
    retries: 0
  - id: eurlex-lagstiftning
    kind: eurlex_rss
    url: {base}/eurlex/legislation-sv.xml
    retries: 0
  - id: have-your-say
    kind: have_your_say
    url: {base}/hys/initiatives
    retries: 0
""",
    )


def items(db: Path) -> dict[str, dict]:
    store = Store.open(db)
    try:
        return {row["id"]: row for row in store.db.query("SELECT * FROM legal_items")}
    finally:
        store.close()


def event_count(db: Path) -> int:
    store = Store.open(db)
    try:
        return store.db.execute("SELECT COUNT(*) FROM legal_events").fetchone()[0]
    finally:
        store.close()


def state(db: Path, source: str) -> dict[str, str]:
    store = Store.open(db)
    try:
        return store.source_state(source)
    finally:
        store.close()


def test_collect_stores_acts_and_consultations_once_across_sources(
    cli: Invoke, tmp_path: Path, serve: Callable[[dict[str, Reply]], StaticServer]
) -> None:
    server = serve(
        {
            "/sparql*": SPARQL,
            "/eurlex/legislation-sv.xml": OVERLAPPING_FEED,
            "/hys/initiatives*": CONSULTATIONS,
        }
    )
    db = tmp_path / "legal.db"
    result = cli("--sources", str(sources_file(tmp_path, server.base_url)), "--db", str(db), "collect")
    assert result.exit_code == 0, result.output
    stored = items(db)
    kinds = {row["kind"] for row in stored.values()}
    assert {"directive", "consultation"} <= kinds
    acts = [row for row in stored.values() if row["celex"]]
    assert acts and all(row["id"] == f"celex:{row['celex']}" for row in acts)
    drinking_water = stored["celex:32020L2184"]
    assert json.loads(drinking_water["sources"]) == ["cellar", "eurlex-lagstiftning"]
    data = json.loads(drinking_water["data"])
    assert data["source"] == "cellar" and "dricksvatten" in data["title_sv"]  # SPARQL's fuller copy stands
    assert data["subjects"] and data["transposition_deadlines"]
    assert state(db, "cellar").get("created_since")
    # A second run with the same answers changes nothing and writes no events.
    before = event_count(db)
    again = cli("--sources", str(sources_file(tmp_path, server.base_url)), "--db", str(db), "collect")
    assert again.exit_code == 0
    assert event_count(db) == before


def test_the_bot_check_and_an_error_inside_a_200_are_failures_not_news(
    cli: Invoke, tmp_path: Path, serve: Callable[[dict[str, Reply]], StaticServer]
) -> None:
    server = serve(
        {
            "/sparql*": SPARQL_ERROR,
            "/eurlex/legislation-sv.xml": CHALLENGE,
            "/hys/initiatives*": CONSULTATIONS,
        }
    )
    db = tmp_path / "legal.db"
    result = cli("--sources", str(sources_file(tmp_path, server.base_url)), "--db", str(db), "collect")
    assert result.exit_code == 1
    lines = {line.split(":")[0]: line for line in result.stdout.splitlines() if ": " in line}
    assert "eurlex-lagstiftning" in lines and "cellar" in lines
    assert "202" in lines["eurlex-lagstiftning"] or "robot" in lines["eurlex-lagstiftning"].lower()
    stored = items(db)
    assert stored and all(row["kind"] == "consultation" for row in stored.values())  # the others went on
    assert state(db, "cellar") == {}  # the marker did not move
    store = Store.open(db)
    outcomes = {r["source"]: r["outcome"] for r in store.last_runs()}
    store.close()
    assert outcomes == {"cellar": "error", "eurlex-lagstiftning": "error", "have-your-say": "ok"}


def test_an_outage_then_recovery_misses_nothing(
    cli: Invoke, tmp_path: Path, serve: Callable[[dict[str, Reply]], StaticServer]
) -> None:
    down = {"on": True}

    def fault(path: str, attempt: int) -> Reply | None:
        if down["on"] and path.startswith("/sparql"):
            return Reply(503, b"Service Unavailable", {"Content-Type": "text/plain"})
        return None

    server = StaticServer(
        {"/sparql*": SPARQL, "/eurlex/legislation-sv.xml": FEED, "/hys/initiatives*": CONSULTATIONS},
        fault=fault,
    )
    with server:
        db = tmp_path / "legal.db"
        sources = sources_file(tmp_path, server.base_url)
        first = cli("--sources", str(sources), "--db", str(db), "collect", "--source", "cellar")
        assert first.exit_code == 1 and state(db, "cellar") == {} and items(db) == {}
        down["on"] = False
        second = cli("--sources", str(sources), "--db", str(db), "collect", "--source", "cellar")
        assert second.exit_code == 0, second.output
    directives = [row for row in items(db).values() if row["kind"] == "directive"]
    expected = json.loads(
        (FIXTURES / "cellar_sparql" / "directives.expected.json").read_text(encoding="utf-8")
    )
    expected_ids = {item["id"] for item in expected["items"] if item["kind"] == "directive"}
    assert {row["id"] for row in directives} == expected_ids
    assert state(db, "cellar").get("created_since")
