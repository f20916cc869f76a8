"""The eu_portal parser on recorded SEDIA answers: one fixture per case, its expectations beside it.

Each `tests/fixtures/eu-portal/<case>.json` is one search answer in the real format; `<case>.expected.json`
lists what the parser must make of it. Only the fields an expectation names are compared.
Status is never taken from the portal: it is decided by monitor.records.decide_status at a fixed `now`.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import datetime
from pathlib import Path

import pytest

from monitor.errors import ParseError
from monitor.http import Fetched
from monitor.records import CLOSED, FORTHCOMING, OPEN, Call, brussels_cutoff, decide_status
from monitor.sources.sedia import parse_budget, parse_page

FIXTURES = Path(__file__).parent / "fixtures" / "eu-portal"
CASES = sorted(p for p in FIXTURES.glob("*.json") if not p.name.endswith(".expected.json"))
SOURCE_ID = "eu-portal"

# Fields of a Call compared as they are (strings, lists of strings, None).
PLAIN_FIELDS = (
    "key",
    "identifier",
    "title",
    "url",
    "call_type",
    "call_identifier",
    "call_title",
    "programme_id",
    "programme",
    "deadline_model",
    "source_status",
    "language",
    "keywords",
    "types_of_action",
)
KNOWN_FIELDS = {
    *PLAIN_FIELDS,
    "opening",
    "deadlines",
    "budget",
    "description_contains",
    "description_excludes",
    "conditions_contains",
    "conditions_excludes",
    "status_at",
}


def expected_for(case: Path) -> dict:
    return json.loads(case.with_name(case.stem + ".expected.json").read_text(encoding="utf-8"))


def parse_file(case: Path):
    return parse_page(Fetched(url=f"file://{case.name}", content=case.read_bytes()), SOURCE_ID)


def test_every_case_has_its_expectations():
    assert len(CASES) >= 14
    missing = [c.name for c in CASES if not c.with_name(c.stem + ".expected.json").exists()]
    assert missing == []


def check_call(call: Call, want: dict) -> None:
    unknown = set(want) - KNOWN_FIELDS
    assert not unknown, f"unknown expectation keys {unknown}"
    for name in PLAIN_FIELDS:
        if name in want:
            assert getattr(call, name) == want[name], name
    if "opening" in want:
        assert (call.opening.isoformat() if call.opening else None) == want["opening"]
    if "deadlines" in want:
        assert [d.isoformat() for d in call.deadlines] == want["deadlines"]
    if "budget" in want:
        assert (asdict(call.budget) if call.budget else None) == want["budget"]
    for text in want.get("description_contains", []):
        assert text in call.description
    for text in want.get("description_excludes", []):
        assert text not in call.description
    for text in want.get("conditions_contains", []):
        assert text in call.conditions
    for text in want.get("conditions_excludes", []):
        assert text not in call.conditions
    for moment, status in want.get("status_at", {}).items():
        now = datetime.fromisoformat(moment)
        assert decide_status(call.opening, call.deadlines, now) == status, f"status at {moment}"


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_parse_case(case: Path):
    want = expected_for(case)
    if "error" in want:
        assert want["error"] == "ParseError"
        with pytest.raises(ParseError) as raised:
            parse_file(case)
        assert want["message_contains"] in str(raised.value)
        return

    page = parse_file(case)
    assert page.total == want["total"]
    assert page.rows == want["rows"]
    assert page.dropped == want["dropped"]
    assert len(page.warnings) == want["warnings"], page.warnings

    calls = {call.key: call for call in page.calls}
    assert len(calls) == len(page.calls), "two calls share a key"
    assert sorted(calls) == sorted(c["key"] for c in want["calls"])
    for expected_call in want["calls"]:
        check_call(calls[expected_call["key"]], expected_call)
    for call in page.calls:
        assert call.source == SOURCE_ID
        assert call.id == f"{SOURCE_ID}:{call.key}"


# --- status from dates, at a fixed now --------------------------------------------------------

NOW = datetime.fromisoformat("2026-11-27T12:00:00+01:00")


def test_portal_status_is_not_the_status():
    page = parse_file(FIXTURES / "open-status-past-deadline.json")
    (call,) = page.calls
    assert call.source_status == OPEN
    assert decide_status(call.opening, call.deadlines, NOW) == CLOSED


def test_forthcoming_in_the_portal_but_open_by_its_dates():
    (call,) = parse_file(FIXTURES / "two-stage.json").calls
    assert call.source_status == FORTHCOMING
    assert decide_status(call.opening, call.deadlines, NOW) == OPEN


def test_open_until_the_last_deadline_of_a_two_stage_topic():
    (call,) = parse_file(FIXTURES / "two-stage.json").calls
    between_stages = datetime.fromisoformat("2027-05-01T12:00:00+02:00")
    assert min(call.deadlines) < between_stages < max(call.deadlines)
    assert decide_status(call.opening, call.deadlines, between_stages) == OPEN


def test_deadline_instant_is_the_boundary():
    deadline = brussels_cutoff(datetime(2027, 3, 4).date())
    assert decide_status(None, [deadline], deadline) == OPEN
    later = datetime.fromisoformat("2027-03-04T16:00:01+00:00")
    assert decide_status(None, [deadline], later) == CLOSED


def test_rolling_call_without_deadlines_stays_open():
    opening = datetime.fromisoformat("2026-01-01T00:00:00+01:00")
    assert decide_status(opening, [], NOW) == OPEN
    assert decide_status(datetime.fromisoformat("2027-01-01T00:00:00+01:00"), [], NOW) == FORTHCOMING


# --- parser details not worth a fixture of their own ----------------------------------------


def test_result_without_metadata_is_a_warning_not_a_crash():
    document = {"totalResults": 2, "results": [{"reference": "x"}, "not an object"]}
    page = parse_page(Fetched(url="u", content=json.dumps(document).encode()), SOURCE_ID)
    assert page.calls == []
    assert page.rows == 2
    assert len(page.warnings) == 2


def test_body_that_is_not_json_is_a_parse_error():
    with pytest.raises(ParseError):
        parse_page(Fetched(url="u", content=b"<html>Service Unavailable</html>"), SOURCE_ID)


def test_missing_total_is_a_parse_error():
    with pytest.raises(ParseError, match="totalResults"):
        parse_page(Fetched(url="u", content=b'{"results": []}'), SOURCE_ID)


@pytest.mark.parametrize(
    "overview",
    [
        "",
        "{",
        '{"budgetYearsColumns":["2027"],"budgetTopicActionMap":{"1":[{"action":"X-01 - RIA","expectedGra',
        '{"budgetYearsColumns":["2027"],"budgetTopicActionMap":{"1":[{"action":"X-02 - RIA",'
        '"expectedGrants":1,"minContribution":1,"maxContribution":1,"budgetYearMap":{"2027":"1"}}]}}',
        "[1, 2, 3]",
        "not json at all",
    ],
)
def test_budget_of_a_topic_without_a_readable_line_is_none(overview: str):
    assert parse_budget(overview, "X-01") is None


def test_budget_line_is_matched_on_the_whole_identifier():
    overview = json.dumps(
        {
            "budgetTopicActionMap": {
                "1": [
                    {"action": "X-01 - RIA", "expectedGrants": 2, "budgetYearMap": {"2027": "4000000"}},
                    {"action": "X-011 - RIA", "expectedGrants": 9, "budgetYearMap": {"2027": "9000000"}},
                ]
            }
        }
    )
    budget = parse_budget(overview, "x-01")
    assert budget is not None
    assert budget.total_eur == 4_000_000
    assert budget.expected_grants == 2
