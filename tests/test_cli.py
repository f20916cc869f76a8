"""The `eumonitor` command: exit codes, one-line errors, queries and their formats, demo."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import Result
from helpers import free_port, make_call, sedia_result, utc, write_sources

from monitor.cli import main
from monitor.config import load_sources
from monitor.demo.sedia_server import Reply, SediaServer
from monitor.errors import ConfigError
from monitor.sources.sedia import completeness
from monitor.store import Store

Invoke = Callable[..., Result]
Start = Callable[..., SediaServer]
EUMONITOR = Path(sys.executable).with_name("eumonitor")
ISO_WITH_OFFSET = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$")
JSON_KEYS = {
    "id",
    "source",
    "identifier",
    "title",
    "url",
    "programme",
    "type",
    "status",
    "opening_date",
    "deadlines",
    "next_deadline",
    "first_seen",
    "last_changed",
}

# --- bad configuration: exit 2, one line per problem, no traceback ------------------------------

GOOD_SOURCE = "sources:\n  - id: eu-portal\n    kind: eu_portal\n    url: https://api.example.org/search\n"
BAD_CONFIGS = {
    "unknown top-level key": GOOD_SOURCE + "contakt: a@example.se\n",
    "unknown source key": GOOD_SOURCE + "    timout: 30\n",
    "unknown kind": "sources:\n  - id: eu-portal\n    kind: rss_feed\n    url: https://example.org/feed\n",
    "duplicate ids": GOOD_SOURCE + "  - id: eu-portal\n    kind: eu_portal\n    url: https://example.org/b\n",
    "missing url": "sources:\n  - id: eu-portal\n    kind: eu_portal\n",
    "ftp url": GOOD_SOURCE.replace("https://", "ftp://"),
    "url without host": GOOD_SOURCE.replace("https://api.example.org/search", "https:///search"),
    "url not a string": GOOD_SOURCE.replace("https://api.example.org/search", "[1, 2]"),
    "delay not a number": GOOD_SOURCE + '    delay: "fast"\n',
    "enabled not a boolean": GOOD_SOURCE + '    enabled: "yes"\n',
    "page_size out of range": GOOD_SOURCE + "    page_size: 1000\n",
    "yaml syntax error": "sources:\n  - id: eu-portal\n   kind: eu_portal\n",
    "empty file": "",
    "several problems": GOOD_SOURCE + "    timout: 30\n    delay: fast\n  - id: eu-portal\n    kind: nope\n",
    "missing file": None,
}


def bad_config(tmp_path: Path, case: str) -> Path:
    path = tmp_path / "sources.yaml"
    text = BAD_CONFIGS[case]
    if text is not None:
        path.write_text(text, encoding="utf-8")
    return path


def expected_problems(path: Path) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_sources(path)
    return caught.value.problems


@pytest.mark.parametrize("command", ["check-config", "collect"])
@pytest.mark.parametrize("case", sorted(BAD_CONFIGS))
def test_bad_config_exits_2_with_one_line_per_problem(
    cli: Invoke, tmp_path: Path, case: str, command: str
) -> None:
    path = bad_config(tmp_path, case)
    problems = expected_problems(path)
    result = cli("--sources", str(path), "--db", str(tmp_path / "x.db"), command)
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[:-1] == [f"fel: {p}" for p in problems]
    assert lines[-1] in ("Inget kördes.", f"{len(problems)} fel i konfigurationen; inget kördes.")
    assert all(line.startswith(f"fel: {path}") for line in lines[:-1])
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "x.db").exists()  # nothing ran


def test_several_problems_are_counted(cli: Invoke, tmp_path: Path) -> None:
    result = cli("--sources", str(bad_config(tmp_path, "several problems")), "check-config")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == "5 fel i konfigurationen; inget kördes."
    assert "Menade du 'timeout'?" in result.stderr


def test_bad_config_through_the_installed_script(tmp_path: Path) -> None:
    path = bad_config(tmp_path, "several problems")
    for command in ("check-config", "collect"):
        done = subprocess.run(
            [str(EUMONITOR), "--sources", str(path), "--db", str(tmp_path / "x.db"), command],
            capture_output=True,
            text=True,
            timeout=60,
            env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        )
        assert done.returncode == 2, done.stderr
        assert done.stdout == ""
        assert "Traceback" not in done.stderr
        assert len(done.stderr.splitlines()) == 6  # five problems and the count
        assert f"fel: {path}:5: källa 'eu-portal': okänd nyckel 'timout'" in done.stderr


def test_check_config_ok(cli: Invoke, tmp_path: Path) -> None:
    path = write_sources(
        tmp_path / "s.yaml",
        {"id": "eu-portal", "url": "https://api.example.org/search"},
        {"id": "spare", "url": "https://api.example.org/search", "enabled": "false"},
    )
    result = cli("--sources", str(path), "check-config")
    assert result.exit_code == 0
    assert result.stdout == f"{path}: OK – 2 källor, 1 aktiva.\n"
    assert cli("-q", "--sources", str(path), "check-config").stdout == ""


def test_sources_from_environment(cli: Invoke, tmp_path: Path) -> None:
    path = write_sources(tmp_path / "env.yaml", {"id": "eu-portal", "url": "https://api.example.org/s"})
    result = cli("check-config", env={"EUMONITOR_SOURCES": str(path)})
    assert result.exit_code == 0 and str(path) in result.stdout
    missing = cli("check-config", env={"EUMONITOR_SOURCES": str(tmp_path / "none.yaml")})
    assert missing.exit_code == 2 and f"fel: {tmp_path / 'none.yaml'}: filen finns inte" in missing.stderr


def test_kinds_lists_every_kind_with_its_description(cli: Invoke) -> None:
    result = cli("kinds")
    assert result.exit_code == 0
    assert re.search(r"^eu_portal\s+EU:s Funding & Tenders Portal \(SEDIA-sök-API:t\)", result.stdout, re.M)
    listed = re.findall(r"^(\w+)\s+\S", result.stdout, re.M)
    from monitor.sources import KINDS

    assert listed == sorted(KINDS)  # every registered kind, in order
    assert {"eu_portal", "html_list", "ical", "interreg", "page_watch", "rss", "vinnova"} <= set(listed)
    keys = cli("kinds", "--keys").stdout
    for key in ("delay", "retries", "backoff", "timeout", "max_duration", "max_bytes", "page_size", "types"):
        assert re.search(rf"^\s+{key}\s", keys, re.M), key


def test_every_command_has_an_example() -> None:
    for name, command in main.commands.items():
        assert command.help and "Exempel" in command.help, name
    assert "Exempel" in (main.help or "")


def test_unusable_database_is_one_line_exit_2(cli: Invoke, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = cli("--db", str(blocker / "eumonitor.db"), "calls")
    assert result.exit_code == 2
    assert result.stderr.startswith("eumonitor: databasen ") and len(result.stderr.splitlines()) == 1


# --- collect --------------------------------------------------------------------------------------


def test_collect_stores_calls_and_prints_a_summary(cli: Invoke, tmp_path: Path, sedia: Start) -> None:
    server = sedia([sedia_result(f"CERV-2027-CITIZENS-TOWN-{n}") for n in range(7)])
    sources = write_sources(tmp_path / "s.yaml", {"id": "eu-portal", "url": server.url, "page_size": 3})
    db = tmp_path / "collect.db"
    result = cli("--sources", str(sources), "--db", str(db), "collect")
    assert result.exit_code == 0, result.output
    assert "Insamling" in result.stdout
    assert re.search(r"eu-portal\s.*ok\s.*\b7\b.*\b7\b.*\b0\b.*\b0\b.*\b3\b", result.stdout)
    assert [r.page for r in server.requests] == [1, 2, 3]
    store = Store.open(db)
    assert store.count_calls("eu-portal") == 7
    store.close()

    again = cli("--sources", str(sources), "--db", str(db), "collect")
    assert again.exit_code == 0 and "oförändrad" in again.stdout
    assert cli("-q", "--sources", str(sources), "--db", str(db), "collect").stdout == ""


def test_collect_exits_1_when_one_source_fails(cli: Invoke, tmp_path: Path, sedia: Start) -> None:
    healthy = sedia([sedia_result("CERV-2027-CITIZENS-TOWN-TT"), sedia_result("CERV-2027-CITIZENS-TOWN-NT")])
    broken = sedia([sedia_result("LIFE-2027-SAP")], fault=lambda page, attempt: Reply(500, b"[down]"))
    sources = write_sources(
        tmp_path / "s.yaml",
        {"id": "eu-portal", "url": healthy.url},
        {"id": "broken", "url": broken.url, "retries": 1},
        {"id": "closed-port", "url": f"http://127.0.0.1:{free_port()}/search", "retries": 0},
    )
    db = tmp_path / "collect.db"
    result = cli("--sources", str(sources), "--db", str(db), "collect")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert re.search(r"broken\W+FEL", result.stdout) and re.search(r"closed-port\W+FEL", result.stdout)
    assert "broken: " in result.stdout and "HTTP 500" in result.stdout
    assert "[Errno" in result.stdout or "anslutningsfel" in result.stdout
    store = Store.open(db)
    assert store.count_calls("eu-portal") == 2 and store.count_calls("broken") == 0
    assert {r["source"]: r["outcome"] for r in store.last_runs()} == {
        "broken": "error",
        "closed-port": "error",
        "eu-portal": "ok",
    }
    store.close()


def test_quiet_collect_prints_only_the_failures(cli: Invoke, tmp_path: Path, sedia: Start) -> None:
    healthy = sedia([sedia_result("CERV-2027-CITIZENS-TOWN-TT")])
    broken = sedia([], fault=lambda page, attempt: Reply(500))
    sources = write_sources(
        tmp_path / "s.yaml",
        {"id": "eu-portal", "url": healthy.url},
        {"id": "broken", "url": broken.url, "retries": 0},
    )
    result = cli("-q", "--sources", str(sources), "--db", str(tmp_path / "q.db"), "collect")
    assert result.exit_code == 1
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith("eumonitor: broken: ") and "HTTP 500" in line


def test_collect_one_named_source(cli: Invoke, tmp_path: Path, sedia: Start) -> None:
    server = sedia([sedia_result("CERV-2027-CITIZENS-TOWN-TT")])
    sources = write_sources(
        tmp_path / "s.yaml",
        {"id": "eu-portal", "url": server.url, "enabled": "false"},
        {"id": "other", "url": f"http://127.0.0.1:{free_port()}/search"},
    )
    result = cli(
        "--sources", str(sources), "--db", str(tmp_path / "c.db"), "collect", "--source", "eu-portal"
    )
    assert result.exit_code == 0 and len(server.requests) == 1
    unknown = cli("--sources", str(sources), "--db", str(tmp_path / "c.db"), "collect", "--source", "nope")
    assert unknown.exit_code == 2 and "okänd källa 'nope'" in unknown.stderr


def test_collect_without_enabled_sources_exits_2(cli: Invoke, tmp_path: Path) -> None:
    sources = write_sources(
        tmp_path / "s.yaml", {"id": "a", "url": "https://x.example/s", "enabled": "false"}
    )
    result = cli("--sources", str(sources), "--db", str(tmp_path / "c.db"), "collect")
    assert result.exit_code == 2 and "inga aktiva källor" in result.stderr


# --- calls and show ------------------------------------------------------------------------------


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A database with four eu-portal calls and one of another source, written with explicit clocks.

    Only CERV's deadlines are relative to the real clock, for --deadline-within; everything else is
    years away from it in either direction.
    """
    soon = datetime.now(UTC).replace(microsecond=0) + timedelta(days=20)
    path = tmp_path / "calls.db"
    store = Store.open(path)
    cerv = dict(title="Vänortssamarbete för städer", description="Town twinning, Åmål")
    life = make_call(
        "LIFE-2035-SAP",
        "Nature and climate",
        opening=utc(2035, 1, 10),
        deadlines=(utc(2035, 6, 1, 15),),
        programme="Programme for the Environment and Climate Action (LIFE)",
        programme_id="43252405",
    )
    old = make_call("CERV-2019-OLD", "Old call", deadlines=(utc(2020, 1, 1, 16),))
    erasmus = make_call(
        "ERASMUS-2036-YOUTH",
        "Youth exchanges",
        deadlines=(utc(2036, 3, 1, 16),),
        programme="Erasmus+ (ERASMUS+)",
        programme_id="43353764",
    )
    batches = [
        (
            utc(2026, 11, 1, 6),
            "eu-portal",
            [
                make_call("CERV-2027-CITIZENS-TOWN-TT", **cerv, deadlines=(soon + timedelta(days=30),)),
                life,
                old,
            ],
        ),
        (
            utc(2026, 11, 2, 6),
            "eu-portal",
            [make_call("CERV-2027-CITIZENS-TOWN-TT", **cerv, deadlines=(soon,)), life, old, erasmus],
        ),
        (
            utc(2026, 11, 2, 7),
            "other",
            [make_call("OTHER-2036-1", "Annan källa", source="other", deadlines=(utc(2036, 9, 1),))],
        ),
    ]
    for now, source, calls in batches:
        run_id = store.begin_run(source, now)
        writer = store.writer(run_id, source, now)
        writer.save_page(calls, completeness)
        writer.finish()
    store.close()
    return path


def calls_json(cli: Invoke, db: Path, *args: str) -> list[dict]:
    result = cli("--db", str(db), "calls", "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def identifiers(cli: Invoke, db: Path, *args: str) -> list[str]:
    return [item["identifier"] for item in calls_json(cli, db, *args)]


def test_calls_json_has_the_documented_keys_and_iso_times(cli: Invoke, db: Path) -> None:
    items = calls_json(cli, db, "--status", "all")
    assert len(items) == 5
    for item in items:
        assert set(item) >= JSON_KEYS, JSON_KEYS - set(item)
        for key in ("first_seen", "last_changed", "last_seen", "next_deadline", "opening_date"):
            assert ISO_WITH_OFFSET.match(item[key]), (key, item[key])
        assert item["deadlines"] and all(ISO_WITH_OFFSET.match(d) for d in item["deadlines"])
        assert datetime.fromisoformat(item["first_seen"]).utcoffset() is not None
    cerv = next(i for i in items if i["identifier"] == "CERV-2027-CITIZENS-TOWN-TT")
    assert cerv["id"] == "eu-portal:CERV-2027-CITIZENS-TOWN-TT" and cerv["source"] == "eu-portal"
    assert cerv["title"] == "Vänortssamarbete för städer"
    assert cerv["programme"] == "Citizens, Equality, Rights and Values Programme (CERV)"
    assert cerv["type"] == "grant" and cerv["status"] == "open"
    assert cerv["url"].endswith("/topic-details/CERV-2027-CITIZENS-TOWN-TT")
    assert datetime.fromisoformat(cerv["first_seen"]) == utc(2026, 11, 1, 6)
    assert datetime.fromisoformat(cerv["last_changed"]) == utc(2026, 11, 2, 6)
    assert datetime.fromisoformat(
        next(i for i in items if i["identifier"] == "LIFE-2035-SAP")["deadlines"][0]
    ) == utc(2035, 6, 1, 15)


def test_calls_status(cli: Invoke, db: Path) -> None:
    assert identifiers(cli, db) == [
        "CERV-2027-CITIZENS-TOWN-TT",
        "LIFE-2035-SAP",
        "ERASMUS-2036-YOUTH",
        "OTHER-2036-1",
    ]
    assert identifiers(cli, db, "--status", "open") == [
        "CERV-2027-CITIZENS-TOWN-TT",
        "ERASMUS-2036-YOUTH",
        "OTHER-2036-1",
    ]
    assert identifiers(cli, db, "--status", "forthcoming") == ["LIFE-2035-SAP"]
    assert identifiers(cli, db, "--status", "closed") == ["CERV-2019-OLD"]
    assert [i["status"] for i in calls_json(cli, db, "--status", "closed")] == ["closed"]
    assert len(identifiers(cli, db, "--status", "all")) == 5
    assert len(identifiers(cli, db, "--status", "open", "--status", "closed")) == 4


def test_calls_deadline_within(cli: Invoke, db: Path) -> None:
    assert identifiers(cli, db, "--deadline-within", "60") == ["CERV-2027-CITIZENS-TOWN-TT"]
    assert identifiers(cli, db, "--deadline-within", "10") == []
    bad = cli("--db", str(db), "calls", "--deadline-within", "-1")
    assert bad.exit_code == 2 and "Traceback" not in bad.output


def test_calls_programme_source_search(cli: Invoke, db: Path) -> None:
    assert identifiers(cli, db, "--programme", "erasmus+") == ["ERASMUS-2036-YOUTH"]
    assert identifiers(cli, db, "--programme", "LIFE") == ["LIFE-2035-SAP"]
    assert identifiers(cli, db, "--source", "other") == ["OTHER-2036-1"]
    assert len(identifiers(cli, db, "--source", "other", "--source", "eu-portal")) == 4
    assert identifiers(cli, db, "--search", "VÄNORT") == ["CERV-2027-CITIZENS-TOWN-TT"]
    assert identifiers(cli, db, "--search", "ÅMÅL") == ["CERV-2027-CITIZENS-TOWN-TT"]  # description
    assert identifiers(cli, db, "--search", "STÄDER") == ["CERV-2027-CITIZENS-TOWN-TT"]
    assert identifiers(cli, db, "--search", "annan") == ["OTHER-2036-1"]
    assert identifiers(cli, db, "--search", "ingenting sådant") == []


def test_calls_sort_and_limit(cli: Invoke, db: Path) -> None:
    every = ("--status", "all")
    assert identifiers(cli, db, *every, "--sort", "title") == [
        "OTHER-2036-1",  # Annan källa
        "LIFE-2035-SAP",  # Nature and climate
        "CERV-2019-OLD",  # Old call
        "CERV-2027-CITIZENS-TOWN-TT",  # Vänortssamarbete
        "ERASMUS-2036-YOUTH",  # Youth exchanges
    ]
    assert identifiers(cli, db, "--sort", "new") == [
        "OTHER-2036-1",
        "ERASMUS-2036-YOUTH",
        "LIFE-2035-SAP",
        "CERV-2027-CITIZENS-TOWN-TT",
    ]
    assert identifiers(cli, db, "--sort", "deadline", "--limit", "2") == [
        "CERV-2027-CITIZENS-TOWN-TT",
        "LIFE-2035-SAP",
    ]
    assert cli("--db", str(db), "calls", "--limit", "0").exit_code == 2
    assert cli("--db", str(db), "calls", "--sort", "random").exit_code == 2


def test_calls_csv(cli: Invoke, db: Path) -> None:
    result = cli("--db", str(db), "calls", "--format", "csv", "--source", "eu-portal", "--sort", "title")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["identifier"] for r in rows] == [
        "LIFE-2035-SAP",
        "CERV-2027-CITIZENS-TOWN-TT",
        "ERASMUS-2036-YOUTH",
    ]
    assert set(rows[0]) == JSON_KEYS | {"regions", "sources", "best_area", "best_score"}
    assert rows[1]["title"] == "Vänortssamarbete för städer" and rows[1]["status"] == "open"
    assert rows[1]["sources"] == "eu-portal"
    assert ISO_WITH_OFFSET.match(rows[0]["next_deadline"])


def test_calls_table(cli: Invoke, db: Path) -> None:
    result = cli("--db", str(db), "calls", "--format", "table")
    assert result.exit_code == 0
    for text in (
        "Identifierare",
        "Nästa deadline",
        "Vänortssamarbete för städer",
        "CERV",
        "kommande",
        "4 utlysningar.",
    ):
        assert text in result.stdout, text
    empty = cli("--db", str(db), "calls", "--search", "ingenting")
    assert empty.exit_code == 0 and "Inga utlysningar matchar." in empty.stdout


def test_table_shows_brackets_in_titles(cli: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "b.db"
    store = Store.open(path)
    now = utc(2026, 11, 1)
    writer = store.writer(store.begin_run("eu-portal", now), "eu-portal", now)
    writer.save_page([make_call("A-1", "Pilot [bold] towns [/] and [i]more[/i]")], completeness)
    writer.finish()
    store.close()
    result = cli("--db", str(path), "calls")
    assert "Pilot [bold] towns [/] and [i]more[/i]" in result.stdout


def test_db_from_environment(cli: Invoke, db: Path, tmp_path: Path) -> None:
    result = cli("calls", "--format", "json", env={"EUMONITOR_DB": str(db)})
    assert len(json.loads(result.stdout)) == 4
    other = tmp_path / "elsewhere" / "new.db"
    empty = cli("calls", "--format", "json", env={"EUMONITOR_DB": str(other)})
    assert json.loads(empty.stdout) == [] and other.exists()
    # --db wins over the environment.
    assert (
        len(
            json.loads(
                cli("--db", str(db), "calls", "--format", "json", env={"EUMONITOR_DB": str(other)}).stdout
            )
        )
        == 4
    )


def test_show_text_in_swedish_with_history(cli: Invoke, db: Path) -> None:
    result = cli("--db", str(db), "show", "cerv-2027-citizens-town-tt")
    assert result.exit_code == 0
    text = result.stdout
    assert text.startswith("Vänortssamarbete för städer\n===")
    for label in (
        "Id:",
        "Identifierare:",
        "Program:",
        "Typ:",
        "Status:",
        "Öppnar:",
        "Deadlines:",
        "Nästa deadline:",
        "Länk:",
        "Källa:",
        "Först sedd:",
        "Senast ändrad:",
    ):
        assert re.search(rf"^{label}\s+\S", text, re.M), label
    assert re.search(r"^Status:\s+öppen$", text, re.M)
    assert re.search(r"^Typ:\s+bidrag$", text, re.M)
    # An EU opening date is a day: no time of day is shown for it.
    assert re.search(r"^Öppnar:\s+1 september 2026$", text, re.M)
    assert "dagar kvar" in text
    history = text.split("Historik\n--------\n", 1)[1].splitlines()
    assert history[0] == "2026-11-01 07:00  ny (öppen)"
    assert history[1].startswith("2026-11-02 07:00  deadline ändrad: ") and " → " in history[1]
    assert len(history) == 2


def test_show_closed_call_says_so(cli: Invoke, db: Path) -> None:
    text = cli("--db", str(db), "show", "eu-portal:CERV-2019-OLD").stdout
    assert re.search(r"^Status:\s+stängd \(källan säger öppen\)$", text, re.M)


def test_show_json_with_history(cli: Invoke, db: Path) -> None:
    result = cli("--db", str(db), "show", "eu-portal:CERV-2027-CITIZENS-TOWN-TT", "--format", "json")
    assert result.exit_code == 0
    item = json.loads(result.stdout)
    assert set(item) >= JSON_KEYS | {"history"}
    assert [e["event"] for e in item["history"]] == ["new", "deadline_changed"]
    assert all(ISO_WITH_OFFSET.match(e["at"]) for e in item["history"])
    assert item["history"][0]["detail"] == {"status": "open"}
    assert set(item["history"][1]["detail"]) == {"old", "new"}


def test_show_unknown_id_exits_2(cli: Invoke, db: Path) -> None:
    result = cli("--db", str(db), "show", "NOPE-1")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "eumonitor: ingen utlysning eller rättsakt med id, identifierare eller CELEX 'NOPE-1' "
        "(se 'eumonitor calls --status all' och 'eumonitor directives')\n"
    )


def test_calls_does_not_import_heavy_modules(db: Path) -> None:
    code = (
        "import sys\n"
        "from monitor.cli import main\n"
        "try:\n"
        f"    main(['--db', {str(db)!r}, 'calls', '--format', 'json'])\n"
        "except SystemExit as exit:\n"
        "    assert not exit.code, exit.code\n"
        "heavy = ('sklearn', 'scipy', 'httpx', 'feedparser', 'bs4', 'apscheduler')\n"
        "print('HEAVY', sorted(m for m in heavy if m in sys.modules), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "HEAVY []" in done.stderr
    assert len(json.loads(done.stdout)) == 4


# --- demo -----------------------------------------------------------------------------------------


def test_demo_runs_end_to_end(cli: Invoke, tmp_path: Path) -> None:
    folder = tmp_path / "demo"
    result = cli("demo", "--dir", str(folder))
    assert result.exit_code == 0, result.output
    assert "Demo: exempelsvar från http://127.0.0.1:" in result.stdout
    assert "Insamling" in result.stdout and "Öppna utlysningar" in result.stdout
    assert "CERV-2027-CITIZENS-TOWN-TT" in result.stdout
    # Scored: every call with its score, best area and why; the best first.
    assert "Poäng:" in result.stdout and "bäst matchade först" in result.stdout
    for header in ("Poäng", "Område", "Varför"):
        assert header in result.stdout
    twinning = next(line for line in result.stdout.splitlines() if "CERV-2027-CITIZENS-TOWN-TT" in line)
    assert "Vänorter" in twinning and "town twinning" in twinning
    # It ends with a digest preview per recipient, and says where the HTML is.
    link = next(line for line in result.stdout.splitlines() if line.startswith("Öppna i en webbläsare: "))
    html = Path(link.split("file://", 1)[1])
    assert html.exists() and html.parent == folder / "veckobrev"
    assert "Veckans EU-utlysningar" in html.read_text(encoding="utf-8")
    # EU law from the bundled Cellar, EUR-Lex, Have your say and Regeringen samples, routed.
    lines = result.stdout.splitlines()
    water = next(line for line in lines if "direktiv (EU) 2020/2184" in line)
    assert water.split()[0] == "sbf" and "dricksvatten" in water
    nis2 = next(line for line in lines if "direktiv (EU) 2022/2555 av den" in line)
    assert nis2.split()[0] == "ksf"
    assert any(line.split()[:2] == ["buf", "remiss"] for line in lines if line.strip())
    alerts = sorted((folder / "direktivlarm").glob("direktivlarm-*.html"))
    assert {path.name.split("-")[1] for path in alerts} == {"ksf", "buf", "sbf"}
    assert (folder / "sources.yaml").exists() and (folder / "demo.db").exists()
    load_sources(folder / "sources.yaml")
    shown = cli("--db", str(folder / "demo.db"), "show", "CERV-2027-CITIZENS-TOWN-TT")
    assert shown.exit_code == 0 and "Historik" in shown.stdout
    # Swedish, Interreg and EU calls together, one row per call: town twinning from the EU portal
    # and from the Europa Direkt page is one call with two sources.
    listed = json.loads(cli("--db", str(folder / "demo.db"), "calls", "--format", "json").stdout)
    kinds_of_source = {item["sources"][0]["source"] for item in listed}
    assert {
        "eu-portal",
        "interreg",
        "interreg-no",
        "vinnova",
        "tillvaxtverket-rss",
        "leader-dalsland",
    } <= kinds_of_source
    town = [item for item in listed if item["identifier"] == "CERV-2027-CITIZENS-TOWN-TT"]
    assert len(town) == 1
    assert [m["source"] for m in town[0]["sources"]] == ["eu-portal", "europa-direkt-eu"]
    assert all(item["open_to_municipality"] for item in listed)  # the Halland-only calls are hidden
    # A second demo replaces the database: every call is new again.
    again = cli("demo", "--dir", str(folder))
    assert again.exit_code == 0
    store = Store.open(folder / "demo.db")
    runs = store.runs()
    assert {r["outcome"] for r in runs} == {"ok"} and len(runs) == len({r["source"] for r in runs}) == 15
    store.close()


def test_version(cli: Invoke) -> None:
    result = cli("--version")
    assert result.exit_code == 0 and result.stdout.startswith("eumonitor, version ")


def test_usage_error_is_exit_2(cli: Invoke) -> None:
    result = cli("calls", "--status", "sometimes")
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "'sometimes' is not one of" in result.stderr
