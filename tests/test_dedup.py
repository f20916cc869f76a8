"""One call, one record: records of different sources that are the same call are grouped.

Rule: the same official identifier; otherwise the same normalised title and a deadline on the
same day. Near-misses stay apart, and one source's records are never merged with each other.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest
from helpers import make_call, utc

from monitor.records import Call
from monitor.sources.sedia import completeness
from monitor.store import CallQuery, Store, normalised_title

NOW = utc(2026, 11, 27, 6)
BRUSSELS_1700 = utc(2027, 3, 4, 16)  # 17:00 Brussels on 4 March 2027
STOCKHOLM_2359 = utc(2027, 3, 4, 22, 59)  # the same day's last minute in Stockholm


def save(store: Store, source: str, *calls: Call, now: datetime = NOW) -> None:
    run_id = store.begin_run(source, now)
    writer = store.writer(run_id, source, now)
    writer.save_page(list(calls), completeness)
    writer.finish()


def call(source: str, key: str, title: str, deadline: datetime, official: list[str] | None = None) -> Call:
    return replace(
        make_call(key, title, source=source, deadlines=(deadline,)),
        official_ids=official if official is not None else [],
    )


def listed(store: Store) -> list[dict]:
    return store.query_calls(CallQuery(statuses=("open", "forthcoming", "closed")), NOW)


def test_same_official_identifier_on_two_sources_is_one_call(store: Store) -> None:
    eu = call(
        "eu-portal",
        "CERV-2027-CITIZENS-TOWN-TT",
        "Town-Twinning",
        BRUSSELS_1700,
        ["CERV-2027-CITIZENS-TOWN-TT"],
    )
    aggregator = call(
        "europa-direkt",
        "https://example.se/eu/town-twinning",
        "Vänortssamarbete (CERV)",
        utc(2027, 3, 5, 10),
        ["cerv-2027-citizens-town-tt"],  # case differs; the deadline day differs too: the id decides
    )
    save(store, "eu-portal", eu)
    save(store, "europa-direkt", aggregator, now=utc(2026, 11, 28, 6))
    assert store.regroup() == 1
    rows = listed(store)
    assert [r["id"] for r in rows] == ["eu-portal:CERV-2027-CITIZENS-TOWN-TT"]
    members = store.members_by_group([rows[0]["id"]])[rows[0]["id"]]
    assert [m["source"] for m in members] == ["eu-portal", "europa-direkt"]
    assert members[1]["id"] == "europa-direkt:https://example.se/eu/town-twinning"
    # Each record keeps its own row: nothing is lost, and `show` of either finds the group.
    assert store.count_calls() == 2
    assert store.get_call("europa-direkt:https://example.se/eu/town-twinning")["group_id"] == rows[0]["id"]


def test_same_normalised_title_and_deadline_day_is_one_call(store: Store) -> None:
    feed = call("tillvaxtverket-rss", "7085", "Kompetensförsörjning i Västsverige!", STOCKHOLM_2359)
    page = call("tillvaxtverket", "page-7085", "  kompetensförsörjning i  västsverige ", utc(2027, 3, 4, 15))
    save(store, "tillvaxtverket-rss", feed)
    save(store, "tillvaxtverket", page)
    store.regroup()
    assert len(listed(store)) == 1


@pytest.mark.parametrize(
    ("second_title", "second_deadline", "why"),
    [
        ("Kompetensförsörjning i Västsverige", utc(2027, 3, 5, 10), "same title, the next day"),
        ("Kompetensförsörjning i Halland", STOCKHOLM_2359, "same day, another title"),
        ("Kompetensförsörjning i Västsverige 2", STOCKHOLM_2359, "a title that only starts the same"),
    ],
)
def test_near_misses_stay_apart(store: Store, second_title: str, second_deadline: datetime, why: str) -> None:
    save(store, "a", call("a", "1", "Kompetensförsörjning i Västsverige", STOCKHOLM_2359))
    save(store, "b", call("b", "1", second_title, second_deadline))
    store.regroup()
    assert len(listed(store)) == 2, why


def test_one_sources_own_records_are_never_merged(store: Store) -> None:
    # Two cascade calls of one project may share a title and a deadline: they are two calls.
    first = call("eu-portal", "T/1", "Open call for pilots", BRUSSELS_1700)
    second = call("eu-portal", "T/2", "Open call for pilots", BRUSSELS_1700)
    save(store, "eu-portal", first, second)
    store.regroup()
    assert len(listed(store)) == 2


def test_a_third_source_joins_through_the_title_of_the_second(store: Store) -> None:
    save(
        store,
        "eu-portal",
        call("eu-portal", "X-1", "Town-Twinning", BRUSSELS_1700, ["CERV-2027-CITIZENS-TOWN-TT"]),
    )
    save(
        store,
        "aggregator",
        call("aggregator", "a", "Vänort: Town-Twinning", BRUSSELS_1700, ["CERV-2027-CITIZENS-TOWN-TT"]),
    )
    save(store, "kommun", call("kommun", "k", "Vänort – town twinning", STOCKHOLM_2359))
    store.regroup()
    (row,) = listed(store)
    assert {m["source"] for m in store.members_by_group([row["id"]])[row["id"]]} == {
        "eu-portal",
        "aggregator",
        "kommun",
    }


def test_the_primary_publisher_stands_for_the_group_even_when_seen_later(store: Store) -> None:
    save(store, "aggregator", call("aggregator", "a", "Town twinning", BRUSSELS_1700, ["X-1"]))
    save(
        store,
        "eu-portal",
        call("eu-portal", "X-1", "Town-Twinning", BRUSSELS_1700, ["X-1"]),
        now=utc(2026, 11, 28),
    )
    store.regroup()
    assert [r["id"] for r in listed(store)] == ["eu-portal:X-1"]


def test_source_filter_matches_any_member_of_the_group(store: Store) -> None:
    save(store, "eu-portal", call("eu-portal", "X-1", "Town-Twinning", BRUSSELS_1700, ["X-1"]))
    save(store, "aggregator", call("aggregator", "a", "Town twinning", BRUSSELS_1700, ["X-1"]))
    store.regroup()
    rows = store.query_calls(CallQuery(sources=("aggregator",)), NOW)
    assert [r["id"] for r in rows] == ["eu-portal:X-1"]


def test_regroup_is_stable_when_nothing_changes(store: Store) -> None:
    save(store, "eu-portal", call("eu-portal", "X-1", "Town-Twinning", BRUSSELS_1700, ["X-1"]))
    save(store, "aggregator", call("aggregator", "a", "Town twinning", BRUSSELS_1700, ["X-1"]))
    assert store.regroup() == 1
    assert store.regroup() == 0


def test_normalised_title_ignores_case_punctuation_and_spacing() -> None:
    assert normalised_title("  Vänort – Town-Twinning! ") == normalised_title("vänort town twinning")
    assert normalised_title("VÄNORT") == "vänort"
    assert normalised_title("Vänort") != normalised_title("Vanort")
