"""Regions: calls not open to Åmål are hidden by default, shown with --all-regions, and say why."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from helpers import make_call, utc

from monitor.regions import open_to
from monitor.sources.sedia import completeness
from monitor.store import Store


@pytest.mark.parametrize(
    ("regions", "expected"),
    [
        ([], True),
        (["SE232"], True),
        (["SE23"], True),
        (["SE"], True),
        (["Västra Götaland"], True),
        (["VÄSTRA GÖTALAND", "Halland"], True),
        (["Dalsland"], True),
        (["Hela Sverige"], True),
        (["EU"], True),
        (["Halland"], False),
        (["SE231"], False),  # Hallands län: a sibling, not a parent of SE232
        (["NO", "DK"], False),
        (["Skåne", "Blekinge"], False),
    ],
)
def test_open_to_amal(regions: list[str], expected: bool) -> None:
    assert open_to(regions)[0] is expected


def test_the_reason_names_the_regions() -> None:
    assert open_to(["Halland"]) == (False, "bara öppen för Halland")
    assert "Västra Götaland" in open_to(["Halland", "Västra Götaland"])[1]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "eumonitor.db"
    store = Store.open(path)
    now = utc(2026, 11, 27, 6)
    run_id = store.begin_run("tillvaxtverket", now)
    writer = store.writer(run_id, "tillvaxtverket", now)
    deadline = (utc(2030, 3, 1, 15),)
    writer.save_page(
        [
            replace(
                make_call(
                    "TV-1", "Förnybar energi i Västsverige", source="tillvaxtverket", deadlines=deadline
                ),
                regions=["Västra Götaland", "Halland"],
            ),
            replace(
                make_call("TV-2", "Besöksnäring i Halland", source="tillvaxtverket", deadlines=deadline),
                regions=["Halland"],
            ),
        ],
        completeness,
    )
    writer.finish()
    store.close()
    return path


def test_calls_hides_calls_not_open_to_the_municipality(cli, db: Path) -> None:
    result = cli("--db", str(db), "calls", "--format", "json")
    assert result.exit_code == 0
    items = json.loads(result.stdout)
    assert [i["identifier"] for i in items] == ["TV-1"]
    assert items[0]["regions"] == ["Västra Götaland", "Halland"]
    assert items[0]["open_to_municipality"] is True


def test_all_regions_shows_them_with_the_reason(cli, db: Path) -> None:
    result = cli("--db", str(db), "calls", "--all-regions", "--format", "json")
    items = {i["identifier"]: i for i in json.loads(result.stdout)}
    assert set(items) == {"TV-1", "TV-2"}
    assert items["TV-2"]["open_to_municipality"] is False
    assert items["TV-2"]["region_note"] == "bara öppen för Halland"


def test_show_tells_why_a_call_is_hidden(cli, db: Path) -> None:
    result = cli("--db", str(db), "show", "TV-2")
    assert result.exit_code == 0
    assert "Öppen för kommunen: nej – bara öppen för Halland" in result.stdout
    assert "Regioner:" in result.stdout and "Halland" in result.stdout


def test_limit_counts_only_shown_calls(cli, db: Path) -> None:
    result = cli("--db", str(db), "calls", "--limit", "1", "--sort", "title", "--format", "json")
    # "Besöksnäring i Halland" (TV-2) sorts first by title but is hidden, so the one shown is TV-1.
    assert [i["identifier"] for i in json.loads(result.stdout)] == ["TV-1"]
