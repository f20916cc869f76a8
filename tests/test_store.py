"""The SQLite store on a real file: events, run outcomes, closing rules, migrations, queries."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
import sqlite_utils
from helpers import make_call, utc

from monitor.errors import StoreError
from monitor.records import Call, Listing
from monitor.sources.sedia import completeness
from monitor.store import CALL_COLUMNS, MIGRATIONS, CallQuery, Store

SOURCE = "eu-portal"
DAY1 = utc(2026, 11, 1, 6)
DAY2 = utc(2026, 11, 2, 6)
DAY3 = utc(2026, 11, 3, 6)
DAY4 = utc(2026, 11, 4, 6)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(tmp_path / "data" / "eumonitor.db")
    yield opened
    opened.close()


def run(
    store: Store, now: datetime, *pages: list[Call], error: str | None = None, source: str = SOURCE
) -> tuple[str, str | None, int]:
    """One collection as the runner does it: begin, save page by page, finish."""
    run_id = store.begin_run(source, now)
    writer = store.writer(run_id, source, now)
    for page in pages:
        writer.save_page(page, completeness)
    outcome, message = writer.finish(error)
    return outcome, message, run_id


def events(store: Store, run_id: int | None = None) -> list[tuple[str, str]]:
    sql = "SELECT call_id, event FROM call_events" + (" WHERE run_id = ?" if run_id else "") + " ORDER BY id"
    return [tuple(r) for r in store.db.execute(sql, [run_id] if run_id else [])]


def row(store: Store, call_id: str) -> dict:
    found = store.get_call(call_id)
    assert found is not None, call_id
    return found


def last_run(store: Store) -> dict:
    return store.runs(SOURCE, limit=1)[0]


def test_cold_run_writes_new_events(store: Store) -> None:
    calls = [make_call("CERV-2027-CITIZENS-TOWN-TT"), make_call("CERV-2027-CITIZENS-TOWN-NT")]
    outcome, message, run_id = run(store, DAY1, calls)
    assert (outcome, message) == ("ok", None)
    assert events(store, run_id) == [
        ("eu-portal:CERV-2027-CITIZENS-TOWN-TT", "new"),
        ("eu-portal:CERV-2027-CITIZENS-TOWN-NT", "new"),
    ]
    stored = row(store, "eu-portal:CERV-2027-CITIZENS-TOWN-TT")
    assert stored["status"] == "open" and stored["listed"] == 1
    assert stored["first_seen"] == stored["last_seen"] == stored["last_changed"] == "2026-11-01T06:00:00Z"
    assert json.loads(stored["deadlines"]) == ["2030-04-08T15:00:00Z"]
    assert stored["last_deadline"] == "2030-04-08T15:00:00Z"
    summary = last_run(store)
    assert summary["outcome"] == "ok" and summary["finished"] is not None
    assert (summary["items"], summary["new"], summary["changed"], summary["closed"], summary["pages"]) == (
        2,
        2,
        0,
        0,
        1,
    )


def test_unchanged_rerun_writes_no_events(store: Store) -> None:
    run(store, DAY1, [make_call("A-1"), make_call("A-2")])
    before = store.count_events()
    outcome, message, run_id = run(store, DAY2, [make_call("A-1")], [make_call("A-2")])
    assert (outcome, message) == ("unchanged", None)
    assert events(store, run_id) == [] and store.count_events() == before
    stored = row(store, "eu-portal:A-1")
    assert stored["last_seen"] == "2026-11-02T06:00:00Z"
    assert stored["first_seen"] == stored["last_changed"] == "2026-11-01T06:00:00Z"
    assert last_run(store)["pages"] == 2


def test_changed_deadline_writes_deadline_changed(store: Store) -> None:
    run(store, DAY1, [make_call("A-1"), make_call("A-2")])
    moved = make_call("A-1", deadlines=(utc(2030, 5, 6, 15),))
    outcome, _, run_id = run(store, DAY2, [moved, make_call("A-2")])
    assert outcome == "ok"
    assert events(store, run_id) == [("eu-portal:A-1", "deadline_changed")]
    (event,) = [e for e in store.events("eu-portal:A-1") if e["event"] == "deadline_changed"]
    assert json.loads(event["detail"]) == {"old": ["2030-04-08T15:00:00Z"], "new": ["2030-05-06T15:00:00Z"]}
    stored = row(store, "eu-portal:A-1")
    assert stored["last_changed"] == "2026-11-02T06:00:00Z"
    assert stored["last_deadline"] == "2030-05-06T15:00:00Z"
    assert last_run(store)["changed"] == 1


def test_other_change_updates_without_event(store: Store) -> None:
    run(store, DAY1, [make_call("A-1", "Old title")])
    outcome, _, run_id = run(store, DAY2, [make_call("A-1", "New title")])
    assert outcome == "ok" and events(store, run_id) == []
    assert row(store, "eu-portal:A-1")["title"] == "New title"


def test_unlisted_call_is_closed_kept_and_reappears(store: Store) -> None:
    run(store, DAY1, [make_call("A-1"), make_call("A-2")])

    outcome, _, run_id = run(store, DAY2, [make_call("A-1")])
    assert outcome == "ok"
    assert events(store, run_id) == [("eu-portal:A-2", "closed")]
    (closed,) = [e for e in store.events("eu-portal:A-2") if e["event"] == "closed"]
    assert json.loads(closed["detail"]) == {"old": "open", "new": "closed", "reason": "unlisted"}
    gone = row(store, "eu-portal:A-2")
    assert (gone["listed"], gone["status"]) == (0, "closed")
    assert store.count_calls(SOURCE) == 2
    assert last_run(store)["closed"] == 1
    closed_ids = [r["id"] for r in store.query_calls(CallQuery(statuses=("closed",)), DAY2)]
    assert closed_ids == ["eu-portal:A-2"]

    outcome, _, run_id = run(store, DAY3, [make_call("A-1"), make_call("A-2")])
    assert outcome == "ok"
    assert events(store, run_id) == [("eu-portal:A-2", "reappeared"), ("eu-portal:A-2", "status_changed")]
    back = row(store, "eu-portal:A-2")
    assert (back["listed"], back["status"]) == (1, "open")
    assert [e["event"] for e in store.events("eu-portal:A-2")] == [
        "new",
        "closed",
        "reappeared",
        "status_changed",
    ]


def test_deadline_passing_closes_by_status(store: Store) -> None:
    run(store, DAY1, [make_call("A-1", deadlines=(utc(2026, 11, 2, 16),))])
    _, _, run_id = run(store, DAY3, [make_call("A-1", deadlines=(utc(2026, 11, 2, 16),))])
    assert events(store, run_id) == [("eu-portal:A-1", "closed")]
    stored = row(store, "eu-portal:A-1")
    assert stored["status"] == "closed" and stored["listed"] == 1
    assert stored["last_changed"] == "2026-11-01T06:00:00Z"  # only the clock moved


def test_forthcoming_then_open_is_status_changed(store: Store) -> None:
    opening = utc(2026, 11, 2, 0)
    run(store, DAY1, [make_call("A-1", opening=opening)])
    assert row(store, "eu-portal:A-1")["status"] == "forthcoming"
    _, _, run_id = run(store, DAY3, [make_call("A-1", opening=opening)])
    assert events(store, run_id) == [("eu-portal:A-1", "status_changed")]


def test_zero_results_after_a_listing_is_an_error_and_closes_nothing(store: Store) -> None:
    run(store, DAY1, [make_call("A-1"), make_call("A-2")])
    before = store.count_events()
    outcome, message, run_id = run(store, DAY2, [])
    assert outcome == "error"
    assert message and "inget stängdes" in message
    assert events(store, run_id) == [] and store.count_events() == before
    assert all(r["listed"] == 1 and r["status"] == "open" for r in store.db["calls"].rows)
    recorded = last_run(store)
    assert (recorded["outcome"], recorded["message"], recorded["closed"]) == ("error", message, 0)


def test_zero_results_on_a_first_run_is_not_an_error(store: Store) -> None:
    outcome, message, _ = run(store, DAY1, [])
    assert (outcome, message) == ("unchanged", None)


def test_failed_run_keeps_its_pages_and_closes_nothing(store: Store) -> None:
    run(store, DAY1, [make_call("A-1"), make_call("A-2"), make_call("A-3")])
    outcome, message, run_id = run(
        store, DAY2, [make_call("A-1"), make_call("A-4")], error="HTTP 500 on page 2"
    )
    assert (outcome, message) == ("error", "HTTP 500 on page 2")
    assert events(store, run_id) == [("eu-portal:A-4", "new")]
    assert all(r["listed"] == 1 for r in store.db["calls"].rows)
    recorded = last_run(store)
    assert (recorded["outcome"], recorded["message"], recorded["new"], recorded["closed"]) == (
        "error",
        "HTTP 500 on page 2",
        1,
        0,
    )


def test_duplicate_rows_in_one_run_keep_the_fullest(store: Store) -> None:
    thin = make_call("A-1", source_status=None)
    full = make_call("A-1", description="Full text")
    outcome, _, run_id = run(store, DAY1, [thin], [full, thin])
    assert outcome == "ok"
    assert events(store, run_id) == [("eu-portal:A-1", "new")]
    assert row(store, "eu-portal:A-1")["description"] == "Full text"
    assert last_run(store)["items"] == 1


def test_sources_are_kept_apart(store: Store) -> None:
    run(store, DAY1, [make_call("A-1")])
    run(store, DAY1, [make_call("A-1", source="other")], source="other")
    outcome, _, _ = run(store, DAY2, [make_call("A-2")])
    assert outcome == "ok"
    assert row(store, "other:A-1")["listed"] == 1
    assert row(store, "eu-portal:A-1")["listed"] == 0
    assert store.get_call("A-1") is None  # the identifier names two calls
    assert [r["source"] for r in store.last_runs()] == ["eu-portal", "other"]


def test_get_call_by_identifier_ignores_case(store: Store) -> None:
    run(store, DAY1, [make_call("CERV-2027-CITIZENS-TOWN-TT")])
    assert row(store, "cerv-2027-citizens-town-tt")["id"] == "eu-portal:CERV-2027-CITIZENS-TOWN-TT"
    assert store.get_call("nothing") is None


def test_opening_twice_is_fine_and_schema_is_current(tmp_path: Path) -> None:
    path = tmp_path / "eumonitor.db"
    first = Store.open(path)
    assert first.schema_version == len(MIGRATIONS) == 8
    run(first, DAY1, [make_call("A-1")])
    first.close()
    second = Store.open(path)
    assert second.schema_version == 8
    assert [r["version"] for r in second.db["migrations"].rows] == [1, 2, 3, 4, 5, 6, 7, 8]
    assert second.count_calls() == 1
    assert set(second.db.table_names()) >= {"calls", "source_runs", "call_events", "migrations"}
    second.close()


def test_a_version_1_file_is_migrated_and_keeps_its_calls(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    old = sqlite_utils.Database(conn)
    old["migrations"].create({"version": int, "applied": str}, pk="version")
    MIGRATIONS[0](old)
    old["migrations"].insert({"version": 1, "applied": "2026-11-01T06:00:00Z"})
    version_1_columns = set(CALL_COLUMNS) - {
        "source_digest",
        "completeness",
        "opening_precision",
        "deadline_precision",
        "regions",
        "official_ids",
        "group_id",
    }
    row = dict.fromkeys(version_1_columns)
    row.update(
        id="eu-portal:OLD-1",
        source="eu-portal",
        key="OLD-1",
        identifier="OLD-1",
        title="Old call",
        listed=1,
        first_seen="2026-11-01T06:00:00Z",
        content_hash="x",
        deadlines="[]",
        status="open",
    )
    old["calls"].insert(row)
    conn.commit()
    conn.close()

    store = Store.open(path)
    assert store.schema_version == len(MIGRATIONS)
    assert {"source_digest", "completeness", "regions", "group_id"} <= set(store.db["calls"].columns_dict)
    old_call = store.get_call("OLD-1")
    assert old_call["title"] == "Old call"
    assert old_call["group_id"] == "eu-portal:OLD-1"
    assert json.loads(old_call["official_ids"]) == ["OLD-1"]
    store.close()


def test_run_left_running_by_a_dead_process_is_marked_error(tmp_path: Path) -> None:
    path = tmp_path / "eumonitor.db"
    first = Store.open(path)
    run_id = first.begin_run(SOURCE, DAY1)
    writer = first.writer(run_id, SOURCE, DAY1)
    writer.save_page([make_call("A-1")], completeness)
    first.close()  # the process dies here, before finish()

    second = Store.open(path)
    assert second.runs(SOURCE)[0]["outcome"] == "running"  # opening alone (a query) leaves it be
    second.begin_run(SOURCE, DAY1)  # the next run of the source knows the old one died
    recorded = second.runs(SOURCE)[1]
    assert recorded["id"] == run_id
    assert recorded["outcome"] == "error"
    assert "avbröts" in recorded["message"]
    assert recorded["finished"] == recorded["started"] == "2026-11-01T06:00:00Z"
    assert second.count_calls() == 1  # what was saved stays
    second.close()


def test_unusable_path_is_store_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(StoreError, match="kan inte användas"):
        Store.open(blocker / "eumonitor.db")
    not_sqlite = tmp_path / "junk.db"
    not_sqlite.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError):
        Store.open(not_sqlite)


def test_file_is_real_sqlite(tmp_path: Path) -> None:
    path = tmp_path / "eumonitor.db"
    store = Store.open(path)
    run(store, DAY1, [make_call("A-1")])
    store.close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT id FROM calls").fetchall() == [("eu-portal:A-1",)]


# --- queries ----------------------------------------------------------------------------------


@pytest.fixture
def listed(store: Store) -> Store:
    run(
        store,
        DAY1,
        [
            make_call(
                "CERV-2027-CITIZENS-TOWN-TT", "Vänortssamarbete för städer", deadlines=(utc(2027, 3, 1, 16),)
            ),
            make_call(
                "ERASMUS-2027-YOUTH",
                "Youth exchanges",
                programme="Erasmus+ (ERASMUS+)",
                programme_id="43353764",
                description="Ungdomsutbyten i Dalsland och ÅMÅL",
                deadlines=(utc(2026, 12, 1, 16), utc(2027, 6, 1, 15)),
            ),
            make_call("LIFE-2027-SAP", "Nature", opening=utc(2027, 1, 10), programme=None, programme_id=None),
            make_call("OLD-2020-1", "Old call", deadlines=(utc(2020, 1, 1),)),
        ],
    )
    return store


def ids(store: Store, now: datetime = DAY2, **kwargs: object) -> list[str]:
    return [r["identifier"] for r in store.query_calls(CallQuery(**kwargs), now)]  # type: ignore[arg-type]


def test_query_status(listed: Store) -> None:
    assert ids(listed, statuses=("open",), sort="title") == [
        "CERV-2027-CITIZENS-TOWN-TT",
        "ERASMUS-2027-YOUTH",
    ]
    assert ids(listed, statuses=("forthcoming",)) == ["LIFE-2027-SAP"]
    assert ids(listed, statuses=("closed",)) == ["OLD-2020-1"]
    assert len(ids(listed, statuses=("open", "forthcoming", "closed"))) == 4
    assert ids(listed, now=utc(2027, 4, 1), statuses=("closed",), sort="title") == [
        "OLD-2020-1",  # "Old call"
        "CERV-2027-CITIZENS-TOWN-TT",  # "Vänortssamarbete …"
    ]


def test_query_deadline_sort_uses_next_deadline(listed: Store) -> None:
    assert ids(listed) == ["ERASMUS-2027-YOUTH", "CERV-2027-CITIZENS-TOWN-TT", "LIFE-2027-SAP"]
    # After Erasmus' first cut-off its next deadline is in June.
    assert ids(listed, now=utc(2027, 1, 15)) == [
        "CERV-2027-CITIZENS-TOWN-TT",
        "ERASMUS-2027-YOUTH",
        "LIFE-2027-SAP",
    ]


def test_query_deadline_within(listed: Store) -> None:
    assert ids(listed, deadline_within_days=30) == ["ERASMUS-2027-YOUTH"]
    assert ids(listed, deadline_within_days=150) == ["ERASMUS-2027-YOUTH", "CERV-2027-CITIZENS-TOWN-TT"]


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("VÄNORT", ["CERV-2027-CITIZENS-TOWN-TT"]),
        ("va\u0308nort", ["CERV-2027-CITIZENS-TOWN-TT"]),  # ä typed as a + combining diaeresis
        ("åmål", ["ERASMUS-2027-YOUTH"]),  # in the description
        ("städer", ["CERV-2027-CITIZENS-TOWN-TT"]),
        ("nothing like it", []),
    ],
)
def test_query_search_ignores_case_and_form(listed: Store, search: str, expected: list[str]) -> None:
    assert ids(listed, search=search) == expected


def test_query_programme_source_and_limit(listed: Store) -> None:
    assert ids(listed, programme="erasmus+") == ["ERASMUS-2027-YOUTH"]
    assert ids(listed, programme="43251589") == ["CERV-2027-CITIZENS-TOWN-TT"]
    assert ids(listed, sources=("eu-portal",), limit=1) == ["ERASMUS-2027-YOUTH"]
    assert ids(listed, sources=("other",)) == []


# --- listings: digests, lazily built records, poorer copies ------------------------------------


def listing(call: Call, digest: str, fullness: tuple, *, must_not_build: bool = False) -> Listing:
    """A listing as a source's parse() gives it; `must_not_build` makes building it fail the test."""

    def build() -> Call:
        if must_not_build:
            raise AssertionError(f"{call.id} was built although its digest was unchanged")
        return call

    return Listing(call.id, digest, fullness, call.opening, call.deadlines, build)


def run_listings(store: Store, now: datetime, *pages: list[Listing]) -> tuple[str, dict]:
    run_id = store.begin_run(SOURCE, now)
    writer = store.writer(run_id, SOURCE, now)
    for page in pages:
        writer.save_page(page)
    outcome, _ = writer.finish()
    return outcome, last_run(store)


def test_unchanged_digest_never_builds_the_record(store: Store) -> None:
    call = make_call("A-1", description="full text")
    run_listings(store, DAY1, [listing(call, "d1", (1, 1, 0, 1))])
    outcome, recorded = run_listings(store, DAY2, [listing(call, "d1", (1, 1, 0, 1), must_not_build=True)])
    assert outcome == "unchanged"
    assert recorded["changed"] == 0
    assert row(store, "A-1")["last_seen"] == "2026-11-02T06:00:00Z"


def test_unchanged_digest_still_notices_the_clock_closing_a_call(store: Store) -> None:
    call = make_call("A-1", deadlines=(utc(2026, 11, 1, 16),))
    run_listings(store, DAY1, [listing(call, "d1", (1, 0, 0, 1))])
    outcome, _ = run_listings(store, DAY2, [listing(call, "d1", (1, 0, 0, 1), must_not_build=True)])
    assert outcome == "ok"
    assert events(store)[-1] == ("eu-portal:A-1", "closed")
    assert row(store, "A-1")["status"] == "closed"


def test_a_raw_change_in_nothing_kept_writes_no_event_and_is_not_counted(store: Store) -> None:
    call = make_call("A-1")
    run_listings(store, DAY1, [listing(call, "d1", (1, 0, 0, 1))])
    outcome, recorded = run_listings(store, DAY2, [listing(call, "d2", (1, 0, 0, 1))])
    assert outcome == "unchanged"
    assert recorded["changed"] == 0
    stored = row(store, "A-1")
    assert stored["source_digest"] == "d2"  # so the next run need not build it again
    assert stored["last_changed"] == "2026-11-01T06:00:00Z"
    assert len(events(store)) == 1  # only 'new'


def test_a_poorer_copy_before_the_full_row_is_not_a_change(store: Store) -> None:
    full = make_call("A-1", description="full text")
    poor = make_call("A-1")
    pages = ([listing(poor, "poor", (1, 0, 0, 1))], [listing(full, "full", (1, 1, 0, 1))])
    run_listings(store, DAY1, *pages)
    assert row(store, "A-1")["description"] == "full text"
    for day in (DAY2, DAY3):
        outcome, recorded = run_listings(store, day, *pages)
        assert outcome == "unchanged", day
        assert recorded["changed"] == 0
        assert recorded["items"] == 1
    assert row(store, "A-1")["description"] == "full text"
    assert [e for _, e in events(store)] == ["new"]


def test_a_poorer_copy_alone_replaces_the_stored_row_at_the_end_of_the_run(store: Store) -> None:
    full = make_call("A-1", description="full text")
    poor = make_call("A-1")
    run_listings(store, DAY1, [listing(full, "full", (1, 1, 0, 1))])
    outcome, recorded = run_listings(store, DAY2, [listing(poor, "poor", (1, 0, 0, 1))])
    assert outcome == "ok"
    assert recorded["changed"] == 1
    assert recorded["items"] == 1
    assert row(store, "A-1")["description"] == ""
    assert row(store, "A-1")["listed"] == 1


# --- partial (incremental) runs and source state ---------------------------------------------


def test_a_partial_run_closes_nothing_and_may_be_empty(store: Store) -> None:
    run(store, DAY1, [make_call("A-1"), make_call("A-2")])
    run_id = store.begin_run(SOURCE, DAY2)
    writer = store.writer(run_id, SOURCE, DAY2)
    writer.save_page([make_call("A-1")], completeness)
    assert writer.finish(complete=False) == ("unchanged", None)
    assert row(store, "A-2")["listed"] == 1
    run_id = store.begin_run(SOURCE, DAY3)
    assert store.writer(run_id, SOURCE, DAY3).finish(complete=False) == ("unchanged", None)
    assert [e for _, e in events(store)] == ["new", "new"]


def test_source_state_is_kept_per_source(store: Store) -> None:
    assert store.source_state("vinnova") == {}
    store.save_source_state("vinnova", {"changed_since": "2026-11-01"})
    store.save_source_state("vinnova", {"changed_since": "2026-11-27"})
    store.save_source_state("other", {"changed_since": "2020-01-01"})
    assert store.source_state("vinnova") == {"changed_since": "2026-11-27"}


@pytest.mark.parametrize(
    ("source_status", "expected"),
    [(None, "open"), ("open", "open"), ("forthcoming", "forthcoming")],
)
def test_a_call_without_opening_date_is_listed_by_status(store: Store, source_status, expected) -> None:
    # SQL's NULL must not hide a call whose source gives neither an opening date nor a status.
    run(store, DAY1, [replace(make_call("A-1", opening=None), source_status=source_status)])
    for status in ("open", "forthcoming"):
        ids = [r["id"] for r in store.query_calls(CallQuery(statuses=(status,)), DAY1)]
        assert ids == (["eu-portal:A-1"] if status == expected else []), status
