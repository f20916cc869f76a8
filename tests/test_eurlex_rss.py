"""Kind `eurlex_rss`: recorded feeds in tests/fixtures/eurlex_rss/, the bot check over a mock transport,
and conformance on the real Cellar notification feeds in ../shared/fixtures/eurlex/.

Each fixture `<case>.<ext>` has `<case>.expected.json` beside it; `url`, `status` and `headers` there
are how the answer came.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import httpx
import pytest
from helpers import shared_fixture
from test_legal import check_page

from monitor.config import SourceConfig
from monitor.errors import FetchError, ParseError
from monitor.http import Fetched
from monitor.sources import KINDS, describe
from monitor.sources.eurlex_rss import (
    EurlexRssSettings,
    EurlexRssSource,
    act_date,
    act_type,
    cellar_id,
    parse_feed,
    parse_items,
)

FIXTURES = Path(__file__).parent / "fixtures" / "eurlex_rss"
CASES = sorted(
    p for p in FIXTURES.iterdir() if not p.name.endswith(".expected.json") and p.name != "README.md"
)
FEED = "https://eur-lex.europa.eu/EN/display-feed.rss?rssId=162"
ERRORS = {"FetchError": FetchError, "ParseError": ParseError}


def expected_for(case: Path) -> dict:
    return json.loads(case.with_name(case.stem + ".expected.json").read_text(encoding="utf-8"))


def fetched_case(case: Path, want: dict) -> Fetched:
    return Fetched(
        url=want.get("url", FEED),
        content=case.read_bytes(),
        status=want.get("status", 200),
        headers=want.get("headers", {}),
    )


def test_every_case_has_its_expectations():
    assert len(CASES) >= 7
    assert [c.name for c in CASES if not c.with_name(c.stem + ".expected.json").exists()] == []


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_parse_case(case: Path):
    want = expected_for(case)
    fetched = fetched_case(case, want)
    if "error" in want:
        with pytest.raises(ERRORS[want["error"]]) as raised:
            parse_feed(fetched, "eurlex")
        assert type(raised.value) is ERRORS[want["error"]]
        assert want["message_contains"] in str(raised.value)
        return
    check_page(parse_feed(fetched, "eurlex"), want)


def test_the_kind_is_registered_with_a_description():
    assert KINDS["eurlex_rss"] is EurlexRssSource
    assert "EUR-Lex" in describe("eurlex_rss")


def test_language_setting_overrides_the_address():
    content = (FIXTURES / "legislation-sv.xml").read_bytes()
    (first, *_) = parse_items(content, "eurlex", language="en")
    assert first.title_en and first.title_sv is None
    assert EurlexRssSettings(language="de").check() and EurlexRssSettings(language="sv").check() == []


@pytest.mark.parametrize(
    ("title", "kind", "code"),
    [
        ("Directive (EU) 2026/1472 of the European Parliament and of the Council", "directive", "DIR"),
        (
            "Commission Implementing Directive (EU) 2026/877 amending Directive 2008/90/EC",
            "directive",
            "DIR_IMPL",
        ),
        (
            "Commission Delegated Regulation (EU) 2026/12 supplementing Directive 2010/31/EU",
            "regulation",
            "REG_DEL",
        ),
        (
            "Regulation (EU) 2026/1533 … amending Regulation (EU) 2019/1241 and repealing Directive 98/15/EC",
            "regulation",
            "REG",
        ),
        ("Council Decision (EU) 2026/700 on the position …", "decision", "DEC"),
        (
            "Kommissionens genomförandebeslut (EU) 2026/1999 om harmoniserade standarder",
            "decision",
            "DEC_IMPL",
        ),
        (
            "Europaparlamentets och rådets direktiv (EU) 2026/1472 om ändring av förordning (EU) 2019/1",
            "directive",
            "DIR",
        ),
        (
            "Proposal for a REGULATION OF THE EUROPEAN PARLIAMENT AND OF THE COUNCIL amending Directive 2008",
            "proposal",
            "PROP_REG",
        ),
        ("Förslag till RÅDETS BESLUT om den ståndpunkt som ska intas", "proposal", "PROP_DEC"),
        ("COMMUNICATION FROM THE COMMISSION on water resilience", "proposal", None),
        ("Corrigendum", "directive", "DIR"),  # no form in the words: the CELEX's kind decides
    ],
)
def test_act_type(title, kind, code):
    assert act_type(title, kind) == code


@pytest.mark.parametrize(
    ("title", "day"),
    [
        (
            "Directive (EU) 2026/1472 of the European Parliament and of the Council of 14 October 2026 on …",
            date(2026, 10, 14),
        ),
        (
            "Regulation (EU) 2026/5 of 3 January 2026 amending Regulation (EU) No 1/2013 of 17 December 2013",
            date(2026, 1, 3),
        ),
        (
            "Europaparlamentets och rådets direktiv (EU) 2026/1472 av den 14 oktober 2026 om …",
            date(2026, 10, 14),
        ),
        ("Proposal for a DIRECTIVE on common quality requirements", None),
        ("… of 31 February 2026", None),
    ],
)
def test_act_date(title, day):
    assert act_date(title) == day


# --- fetch over a mock transport: the bot check ---------------------------------------------------------


def source() -> EurlexRssSource:
    config = SourceConfig(
        id="eurlex",
        kind="eurlex_rss",
        url=FEED,
        enabled=True,
        name="EUR-Lex",
        settings=EurlexRssSettings(delay=0, retries=0),
    )
    return EurlexRssSource(config)


def fetch_with(answer: httpx.Response) -> list:
    src = source()
    with httpx.Client(transport=httpx.MockTransport(lambda request: answer)) as client:
        return [src.parse(fetched) for fetched in src.fetch(client)]


def test_the_202_challenge_is_a_failed_fetch_never_an_empty_feed():
    challenge = (FIXTURES / "bot-challenge.html").read_bytes()
    answer = httpx.Response(
        202, content=challenge, headers={"Content-Type": "text/html", "x-amzn-waf-action": "challenge"}
    )
    with pytest.raises(FetchError) as raised:
        fetch_with(answer)
    assert raised.value.status == 202
    assert "robotkontroll" in str(raised.value) and "x-amzn-waf-action: challenge" in str(raised.value)


def test_an_empty_202_is_a_failed_fetch_too():
    with pytest.raises(FetchError, match="HTTP 202"):
        fetch_with(httpx.Response(202, content=b""))


def test_a_challenge_page_with_status_200_is_recognised_by_its_content():
    challenge = (FIXTURES / "bot-challenge.html").read_bytes()
    with pytest.raises(FetchError, match="robotkontroll"):
        fetch_with(httpx.Response(200, content=challenge, headers={"Content-Type": "text/html"}))


def test_a_feed_is_fetched_and_parsed():
    feed = (FIXTURES / "legislation-en.xml").read_bytes()
    (page,) = fetch_with(httpx.Response(200, content=feed, headers={"Content-Type": "application/rss+xml"}))
    assert [i.celex for i in page.items][:3] == ["32026L1472", "32026L1510", "32026R1533"]


def test_an_error_status_is_a_failed_fetch():
    with pytest.raises(FetchError, match="HTTP 403"):
        fetch_with(httpx.Response(403, text="Forbidden"))


# --- conformance: the real Cellar notification feeds (../shared/fixtures/eurlex/) ------------------------


@pytest.mark.conformance
def test_real_cellar_guid_shape_gives_the_cellar_id():
    path = shared_fixture("eurlex", "cellar-notification.rss.xml")
    assert cellar_id("cellar:55b240bf-477b-11f0-85ba-01aa75ed71a1_2026-09-15T00:05:50.647+02:00") == (
        "cellar:55b240bf-477b-11f0-85ba-01aa75ed71a1"
    )
    # The notification feed names its CELEX only in notifEntry:identifier elements, which feedparser
    # folds into one value (the last, an ECLI): the item is read, and reported as lacking a CELEX.
    page = parse_feed(
        Fetched(
            url="https://publications.europa.eu/webapi/notification/ingestion", content=path.read_bytes()
        ),
        "n",
    )
    assert page.rows == 1 and page.items == []
    assert len(page.warnings) == 1 and "inget CELEX-nummer" in page.warnings[0]


@pytest.mark.conformance
def test_real_atom_template_title_is_not_taken_for_a_title():
    path = shared_fixture("eurlex", "cellar-notification.atom.xml")
    page = parse_feed(
        Fetched(
            url="https://publications.europa.eu/webapi/notification/ingestion", content=path.read_bytes()
        ),
        "n",
    )
    assert page.rows == 1 and page.items == []
    assert "$item.title" not in page.warnings[0] and "utan titel" in page.warnings[0]
