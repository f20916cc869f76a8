"""Kind `have_your_say`: recorded pages in tests/fixtures/have_your_say/ and paging over a mock transport.

Each fixture `<case>.json` has `<case>.expected.json` beside it (see the folder's README).
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import httpx
import pytest
from test_legal import check_page

from monitor.config import SourceConfig
from monitor.errors import FetchError, ParseError
from monitor.http import Fetched
from monitor.records import BRUSSELS
from monitor.sources import KINDS, describe
from monitor.sources.have_your_say import (
    HaveYourSaySettings,
    HaveYourSaySource,
    parse_consultations,
    parse_moment,
    parse_page,
)

FIXTURES = Path(__file__).parent / "fixtures" / "have_your_say"
CASES = sorted(p for p in FIXTURES.glob("*.json") if not p.name.endswith(".expected.json"))
API = "https://ec.europa.eu/info/law/better-regulation/brpapi/searchInitiatives"


def expected_for(case: Path) -> dict:
    return json.loads(case.with_name(case.stem + ".expected.json").read_text(encoding="utf-8"))


def test_every_case_has_its_expectations():
    assert len(CASES) >= 4
    assert [c.name for c in CASES if not c.with_name(c.stem + ".expected.json").exists()] == []


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_parse_case(case: Path):
    want = expected_for(case)
    fetched = Fetched(url=API, content=case.read_bytes())
    if "error" in want:
        with pytest.raises(ParseError) as raised:
            parse_page(fetched, "hys")
        assert want["message_contains"] in str(raised.value)
        return
    page = parse_page(fetched, "hys")
    check_page(page, want)
    assert all(i.kind == "consultation" and i.feedback_end is not None for i in page.items)


def test_without_only_open_every_initiative_is_kept_with_its_current_period():
    items = parse_consultations((FIXTURES / "mixed-statuses.json").read_bytes(), "hys", only_open=False)
    by_id = {i.id: i for i in items}
    assert sorted(by_id) == ["hys:13877", "hys:14858", "hys:15012", "hys:15400"]
    # Initiative 15400: a closed current period beside an upcoming one; status and dates from one period.
    upcoming = by_id["hys:15400"]
    assert upcoming.feedback_start is None and upcoming.published is None
    assert upcoming.feedback_end == datetime(2026, 5, 1, 23, 59, 59, tzinfo=BRUSSELS)


def test_the_kind_is_registered_with_a_description():
    assert KINDS["have_your_say"] is HaveYourSaySource
    assert "Have your say" in describe("have_your_say")


@pytest.mark.parametrize(
    ("text", "moment"),
    [
        ("2026/08/31 08:24:00", datetime(2026, 8, 31, 8, 24, tzinfo=BRUSSELS)),
        ("2026/12/10 23:59:59", datetime(2026, 12, 10, 23, 59, 59, tzinfo=BRUSSELS)),
        ("2026-12-10", datetime(2026, 12, 10, tzinfo=BRUSSELS)),
        ("2026/02/30 10:00:00", None),
        ("", None),
        (None, None),
        (1767225600000, None),
    ],
)
def test_parse_moment(text, moment):
    assert parse_moment(text) == moment


def test_settings_are_checked():
    bad = HaveYourSaySettings(language="english", page_size=200, max_pages=0, page_url="https://x.eu/")
    assert set(dict(bad.check())) == {"language", "page_size", "max_pages", "page_url"}
    assert HaveYourSaySettings().check() == []


# --- fetch over a mock transport ------------------------------------------------------------------------


def initiative(number: int) -> dict:
    return {
        "id": float(number),
        "reference": f"PLAN/2026/{number}",
        "shortTitle": f"Initiative {number}",
        "foreseenActType": "PROPOSAL_FOR_A_DIRECTIVE",
        "topics": [{"code": "ENVIRONMENT", "label": "Environment"}],
        "currentStatuses": [
            {
                "receivingFeedbackStatus": "OPEN",
                "feedbackStartDate": "2026/11/01 00:00:00",
                "feedbackEndDate": "2027/01/15 23:59:59",
                "frontEndStage": "PLANNING_WORKFLOW",
                "isCurrent": True,
            }
        ],
    }


class FakeApi:
    """Holds `total` open initiatives; gives at most 100 a page, and computes totalPages from the
    size asked for, as the real server does (so totalPages is wrong when size > 100)."""

    def __init__(self, total: int):
        self.all = [initiative(20000 + n) for n in range(total)]
        self.params: list[dict[str, str]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        params = dict(request.url.params)
        self.params.append(params)
        if "language" not in params or "page" not in params:
            return httpx.Response(500, json={"status": 500, "error": "Internal Server Error"})
        number, size = int(params["page"]), int(params["size"])
        served = min(size, 100)
        content = self.all[number * served : (number + 1) * served]
        pages = -(-len(self.all) // size)
        return httpx.Response(
            200,
            json={
                "initiativeResultDtoPage": {
                    "content": content,
                    "totalElements": len(self.all),
                    "totalPages": pages,
                    "number": number,
                    "size": size,
                    "last": number + 1 >= pages,
                }
            },
        )


def source(**settings) -> HaveYourSaySource:
    config = SourceConfig(
        id="hys",
        kind="have_your_say",
        url=API,
        enabled=True,
        name="Have your say",
        settings=HaveYourSaySettings(delay=0, retries=0, **settings),
    )
    return HaveYourSaySource(config)


def run(src: HaveYourSaySource, fake) -> list:
    with httpx.Client(transport=httpx.MockTransport(fake)) as client:
        return [src.parse(fetched) for fetched in src.fetch(client)]


def test_pages_until_every_initiative_is_read():
    fake = FakeApi(230)
    pages = run(source(), fake)
    assert [p["page"] for p in fake.params] == ["0", "1", "2"]
    assert all(
        p["language"] == "EN" and p["size"] == "100" and p["feedbackStatus"] == "OPEN" for p in fake.params
    )
    items = [i for p in pages for i in p.items]
    assert len(items) == len({i.id for i in items}) == 230
    assert items[0].id == "hys:20000" and items[0].feedback_end == datetime(
        2027, 1, 15, 23, 59, 59, tzinfo=BRUSSELS
    )


def test_paging_stops_on_what_was_read_not_on_total_pages():
    # Without "last", and with totalPages computed from the size asked for, totalElements decides.
    fake = FakeApi(150)

    def without_last(request: httpx.Request) -> httpx.Response:
        answer = fake(request)
        body = json.loads(answer.content)
        body["initiativeResultDtoPage"].pop("last", None)
        return httpx.Response(answer.status_code, json=body)

    pages = run(source(page_size=100), without_last)
    assert [p["page"] for p in fake.params] == ["0", "1"]
    assert sum(len(p.items) for p in pages) == 150


def test_only_open_false_does_not_ask_the_server_to_filter():
    fake = FakeApi(3)
    run(source(only_open=False), fake)
    assert "feedbackStatus" not in fake.params[0]


def test_max_pages_bounds_a_run():
    fake = FakeApi(500)
    pages = run(source(max_pages=2), fake)
    assert len(fake.params) == 2 and sum(len(p.items) for p in pages) == 200


def test_a_server_error_is_a_failed_fetch():
    with pytest.raises(FetchError, match="HTTP 500"):
        run(source(), lambda request: httpx.Response(500, text="error"))


def test_an_html_answer_is_a_parse_error():
    with pytest.raises(ParseError, match="inte JSON"):
        run(source(), lambda request: httpx.Response(200, text="<html>maintenance</html>"))
