"""Conformance: the eu_portal parser on a real SEDIA search answer captured by another project.

The file lives outside the repository, in ../shared/fixtures/eu-portal/ (see its README for where it
came from); EUMONITOR_SHARED_FIXTURES may point at another copy of the shared fixtures folder. When
it is absent these tests are skipped, never failed.

The facts asserted here were read from the file itself: 9 rows of Horizon Europe topics, 3 of them
stale SEDIA_PRD_CENTRICITY copies (of 2 topics), budgetOverview strings cut at 600 characters.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from pathlib import Path

import pytest
from helpers import shared_fixture

from monitor.http import Fetched
from monitor.records import BRUSSELS, CLOSED, FORTHCOMING, OPEN, brussels_cutoff, decide_status
from monitor.sources import ParsedPage
from monitor.sources.sedia import PORTAL, parse_budget, parse_page

pytestmark = pytest.mark.conformance

SEARCH_PAGE = "sedia-search-page.json"
NOW = datetime.fromisoformat("2026-11-27T12:00:00+01:00")
TWO_STAGE = "HORIZON-MISS-2027-05-SOIL-01-two-stage"
CURRENT = {
    TWO_STAGE,
    "HORIZON-CL4-2027-04-DIGITAL-EMERGING-10",
    "HORIZON-CL5-2027-03-D5-05",
    "HORIZON-CL6-2026-04-GOVERNANCE-01",
    "HORIZON-CL3-2026-02-CS-ECCC-01",
    "HORIZON-JU-CBE-2026-IAFlag-02",
}
STALE = {"HORIZON-CL2-2024-TRANSFORMATIONS-01-08", "HORIZON-INFRA-2024-EOSC-01-03"}
TAG = re.compile(r"<\s*/?\s*[A-Za-z][^>]*>|<\s*/?\s*[A-Za-z][^>]*$")


@pytest.fixture(scope="module")
def search_file() -> Path:
    return shared_fixture("eu-portal", SEARCH_PAGE)


@pytest.fixture(scope="module")
def document(search_file: Path) -> dict:
    return json.loads(search_file.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def page(search_file: Path) -> ParsedPage:
    return parse_page(Fetched(url=search_file.as_uri(), content=search_file.read_bytes()), "eu-portal")


@pytest.fixture(scope="module")
def calls(page: ParsedPage) -> dict:
    return {call.key: call for call in page.calls}


def test_the_file_is_what_we_think_it_is(document: dict):
    assert document["apiVersion"] == "2.151"
    assert document["totalResults"] == 9 and len(document["results"]) == 9
    datasources = [r["metadata"]["DATASOURCE"] for r in document["results"]]
    assert datasources.count(["SEDIA_PRD_CENTRICITY"]) == 3


def test_stale_centricity_rows_are_dropped(page: ParsedPage, calls: dict):
    assert page.total == 9
    assert page.rows == 9
    assert page.dropped == 3
    assert page.warnings == []
    assert set(calls) == CURRENT
    assert not STALE & {call.identifier for call in page.calls}


def test_every_metadata_value_became_the_expected_plain_fields(calls: dict):
    for key, call in calls.items():
        assert call.identifier == key
        assert call.call_type == "grant"
        assert call.url == f"{PORTAL}/topic-details/{key}"
        assert call.programme_id == "43108390"
        assert call.programme == "Horizon Europe (HORIZON)"
        assert call.language == "en"
        assert call.title and not call.title.startswith("[")
        assert key.casefold() not in {k.casefold() for k in call.keywords}
        assert all("  " not in t for t in call.types_of_action)


def test_two_stage_topic_has_both_deadlines_at_1700_brussels(calls: dict):
    call = calls[TWO_STAGE]
    assert call.deadline_model == "two-stage"
    assert call.deadlines == [brussels_cutoff(date(2027, 4, 8)), brussels_cutoff(date(2027, 9, 14))]
    assert [d.isoformat() for d in call.deadlines] == [
        "2027-04-08T17:00:00+02:00",
        "2027-09-14T17:00:00+02:00",
    ]
    assert all(d.tzinfo == BRUSSELS for d in call.deadlines)
    assert call.opening.isoformat() == "2027-02-04T00:00:00+01:00"


def test_every_other_topic_has_one_deadline_at_1700_brussels(calls: dict):
    for key, call in calls.items():
        if key == TWO_STAGE:
            continue
        (deadline,) = call.deadlines
        assert (deadline.hour, deadline.minute) == (17, 0)
        assert deadline.tzinfo == BRUSSELS


@pytest.mark.parametrize(
    ("key", "portal_says", "status"),
    [
        ("HORIZON-CL6-2026-04-GOVERNANCE-01", FORTHCOMING, CLOSED),  # deadline 2026-11-26
        ("HORIZON-CL3-2026-02-CS-ECCC-01", OPEN, CLOSED),  # deadline 2026-09-15
        ("HORIZON-JU-CBE-2026-IAFlag-02", OPEN, CLOSED),  # deadline 2026-09-22
        ("HORIZON-CL4-2027-04-DIGITAL-EMERGING-10", FORTHCOMING, OPEN),  # opened 2026-11-17
        ("HORIZON-CL5-2027-03-D5-05", FORTHCOMING, FORTHCOMING),  # opens 2026-12-15
        (TWO_STAGE, FORTHCOMING, FORTHCOMING),  # opens 2027-02-04
    ],
)
def test_status_comes_from_the_dates_not_the_portal(calls: dict, key: str, portal_says: str, status: str):
    call = calls[key]
    assert call.source_status == portal_says
    assert decide_status(call.opening, call.deadlines, NOW) == status


def test_governance_topic_closed_at_1700_on_its_deadline(calls: dict):
    call = calls["HORIZON-CL6-2026-04-GOVERNANCE-01"]
    before, after = (datetime.fromisoformat(f"2026-11-26T{t}:00+01:00") for t in ("16:59", "17:01"))
    assert decide_status(call.opening, call.deadlines, before) == OPEN
    assert decide_status(call.opening, call.deadlines, after) == CLOSED


def test_cut_short_budget_strings_are_survived(document: dict):
    cut = 0
    for result in document["results"]:
        metadata = result["metadata"]
        for overview in metadata.get("budgetOverview", []):
            try:
                json.loads(overview)
            except ValueError:
                cut += 1
            parse_budget(overview, metadata["identifier"][0])  # must not raise
    assert cut == 5


def test_budgets_are_the_topics_own_lines_or_none(calls: dict):
    # Whole JSON: the topic's own line.
    governance = calls["HORIZON-CL6-2026-04-GOVERNANCE-01"].budget
    assert governance is not None
    assert (governance.total_eur, governance.min_grant_eur, governance.max_grant_eur) == (60e6, 60e6, 60e6)
    assert governance.expected_grants == 1
    # Cut short after the topic's own line was complete: that line is read.
    cyber = calls["HORIZON-CL3-2026-02-CS-ECCC-01"].budget
    assert cyber is not None
    assert (cyber.total_eur, cyber.min_grant_eur, cyber.max_grant_eur) == (20e6, 3e6, 4e6)
    assert cyber.expected_grants == 5
    # Cut short before the topic's own line: other topics' lines (24 M, 42 M, 14 M, 170 M) are not taken.
    for key in (
        TWO_STAGE,
        "HORIZON-CL4-2027-04-DIGITAL-EMERGING-10",
        "HORIZON-CL5-2027-03-D5-05",
        "HORIZON-JU-CBE-2026-IAFlag-02",
    ):
        assert calls[key].budget is None, key


def test_descriptions_are_plain_text(calls: dict):
    for key, call in calls.items():
        assert call.description.startswith("Expected Outcome:"), key
        assert not TAG.search(call.description), key
        assert "&amp;" not in call.description and "&nbsp;" not in call.description, key
        assert "\u00a0" not in call.description, key
        assert "[1]" not in call.description, key


def test_description_of_the_two_stage_topic_keeps_link_text_and_drops_the_footnote(calls: dict):
    description = calls[TWO_STAGE].description
    assert "goal of the Mission Soil to set up 100 living labs" in description
    assert "specific objectives." in description
    assert "EU Soil Strategy for 2030 and the" in description
    assert "https://" not in description
