"""`eumonitor test-source ID`: fetch and parse one source, print what it found, save nothing."""

from __future__ import annotations

import json
from pathlib import Path

from helpers import many_results, sedia_result, write_sources

from monitor.demo.sedia_server import Reply
from monitor.store import Store


def test_prints_what_it_found_and_saves_nothing(cli, sedia, tmp_path: Path) -> None:
    server = sedia([sedia_result("CERV-2027-CITIZENS-TOWN-TT", "Town-Twinning"), *many_results(3)])
    sources = write_sources(tmp_path / "sources.yaml", {"id": "eu-portal", "url": server.url})
    db = tmp_path / "test.db"
    result = cli("--sources", str(sources), "--db", str(db), "test-source", "eu-portal", "--format", "json")
    assert result.exit_code == 0, result.stderr
    found = json.loads(result.stdout)
    assert len(found) == 4
    town = next(item for item in found if item["identifier"] == "CERV-2027-CITIZENS-TOWN-TT")
    assert town["title"] == "Town-Twinning"
    assert town["deadlines"] == ["2035-04-08T17:00:00+02:00"]
    assert town["status"] == "open"
    assert not db.exists() or Store.open(db).count_calls() == 0


def test_table_says_nothing_was_saved(cli, sedia, tmp_path: Path) -> None:
    server = sedia(many_results(2))
    sources = write_sources(tmp_path / "sources.yaml", {"id": "eu-portal", "url": server.url})
    result = cli("--sources", str(sources), "test-source", "eu-portal")
    assert result.exit_code == 0
    assert "eu-portal: 2 utlysningar (inget sparades)" in result.stdout


def test_a_failing_source_exits_1_with_the_reason(cli, sedia, tmp_path: Path) -> None:
    server = sedia(many_results(2), fault=lambda page, attempt: Reply(500, b"{}"))
    sources = write_sources(tmp_path / "sources.yaml", {"id": "eu-portal", "url": server.url, "retries": 0})
    result = cli("--sources", str(sources), "test-source", "eu-portal")
    assert result.exit_code == 1
    assert "eu-portal:" in result.stderr and "HTTP 500" in result.stderr


def test_a_source_that_yields_nothing_counts_as_broken(cli, sedia, tmp_path: Path) -> None:
    server = sedia([])
    sources = write_sources(tmp_path / "sources.yaml", {"id": "eu-portal", "url": server.url})
    result = cli("--sources", str(sources), "test-source", "eu-portal")
    assert result.exit_code == 1
    assert "gav inga utlysningar" in result.stderr


def test_unknown_source_id_is_a_usage_error(cli, tmp_path: Path) -> None:
    sources = write_sources(tmp_path / "sources.yaml", {"id": "eu-portal", "url": "https://example.org/s"})
    result = cli("--sources", str(sources), "test-source", "nope")
    assert result.exit_code == 2
    assert "okänd källa 'nope'" in result.stderr
