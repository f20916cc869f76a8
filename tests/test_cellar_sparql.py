"""Kind `cellar_sparql`: recorded answers in tests/fixtures/cellar_sparql/, the query, fetch with paging,
errors inside HTTP 200, the marker, and conformance on the real answers in ../shared/fixtures/eurlex/.

Each fixture `<case>.<ext>` has `<case>.expected.json` beside it (see the folder's README).
"""

from __future__ import annotations

import csv
import json
import re
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import parse_qs

import httpx
import pytest
from helpers import shared_fixture
from test_legal import check_page

from monitor.config import SourceConfig
from monitor.errors import FetchError, ParseError
from monitor.http import Fetched
from monitor.sources import KINDS, describe
from monitor.sources.cellar_sparql import (
    RESOURCE_TYPES,
    STATE_KEY,
    CellarSettings,
    CellarSparqlSource,
    build_query,
    check_answer,
    parse_answer,
    parse_results,
    since_date,
    work_class_kind,
)

FIXTURES = Path(__file__).parent / "fixtures" / "cellar_sparql"
CASES = sorted(
    p for p in FIXTURES.iterdir() if not p.name.endswith(".expected.json") and p.name != "README.md"
)
ENDPOINT = "https://publications.europa.eu/webapi/rdf/sparql"
ERRORS = {"FetchError": FetchError, "ParseError": ParseError}


def expected_for(case: Path) -> dict:
    return json.loads(case.with_name(case.stem + ".expected.json").read_text(encoding="utf-8"))


def test_every_case_has_its_expectations():
    assert len(CASES) >= 10
    assert [c.name for c in CASES if not c.with_name(c.stem + ".expected.json").exists()] == []


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_parse_case(case: Path):
    want = expected_for(case)
    fetched = Fetched(url=ENDPOINT, content=case.read_bytes())
    if "error" in want:
        with pytest.raises(ERRORS[want["error"]]) as raised:
            parse_answer(fetched, "cellar")
        assert type(raised.value) is ERRORS[want["error"]]
        assert want["message_contains"] in str(raised.value)
        return
    check_page(parse_answer(fetched, "cellar"), want)


def test_parse_results_gives_the_items_of_raw_bytes():
    items = parse_results((FIXTURES / "directives.json").read_bytes(), "cellar")
    assert [i.celex for i in items][:2] == ["32020L2184", "32022L2555"]
    assert all(i.source == "cellar" for i in items)


def test_the_kind_is_registered_with_a_description():
    assert KINDS["cellar_sparql"] is CellarSparqlSource
    assert "SPARQL" in describe("cellar_sparql")


# --- the query ------------------------------------------------------------------------------------


def test_query_pages_over_works_created_since_the_date():
    query = build_query(["DIR", "DIR_IMPL"], date(2026, 11, 17), 100, 200)
    assert "<http://publications.europa.eu/resource/authority/resource-type/DIR>" in query
    assert "resource-type/DIR_IMPL>" in query and "resource-type/REG>" not in query
    assert 'FILTER(STR(?created) >= "2026-11-17")' in query
    # LIMIT and OFFSET cut the works in the subquery, so no act straddles two pages.
    sub = query[query.index("SELECT DISTINCT ?work ?created") : query.rindex("VALUES ?type")]
    assert "LIMIT 100" in sub and "OFFSET 200" in sub and "ORDER BY ?created ?work" in sub
    for needed in (
        "cdm:resource_legal_id_celex ?celex",
        "cdm:work_date_document ?date",
        "language/SWE>",
        "language/ENG>",
        "cdm:expression_title ?title_sv",
        "cdm:work_is_about_concept_eurovoc ?subject",
        'LANG(?subject_sv) = "sv"',
        "cdm:directive_date_transposition ?transposition",
        "cdm:resource_legal_date_deadline ?deadline",
    ):
        assert needed in query, needed
    assert query.count("{") == query.count("}")


def test_include_selects_the_resource_types():
    assert CellarSettings().resource_types() == ["DIR", "DIR_IMPL", "DIR_DEL"]
    both = CellarSettings(include=["directive", "proposal"]).resource_types()
    assert both == [*RESOURCE_TYPES["directive"], *RESOURCE_TYPES["proposal"]]


def test_settings_are_checked():
    bad = CellarSettings(
        include=["directive", "treaty"], since="1 jan", overlap_days=90, page_size=0, method="PUT"
    )
    assert set(dict(bad.check())) == {"include", "since", "overlap_days", "page_size", "method"}
    assert CellarSettings().check() == []
    assert CellarSettings().timeout >= 300, "SPARQL answers take minutes"


def test_first_run_and_later_runs_ask_from_the_right_date():
    today = date(2026, 11, 27)
    assert since_date({}, CellarSettings(), today) == today - timedelta(days=365)
    assert since_date({}, CellarSettings(since="2026-01-01"), today) == date(2026, 1, 1)
    assert since_date({STATE_KEY: "2026-11-20"}, CellarSettings(), today) == date(2026, 11, 17)
    assert since_date({STATE_KEY: "igår"}, CellarSettings(since="2026-01-01"), today) == date(2026, 1, 1)


# --- fetch over a mock transport ----------------------------------------------------------------------


def act_rows(number: int, created: str, subjects: int = 2) -> list[dict]:
    """The rows of one invented directive, one per subject, as the endpoint sends them."""
    celex = f"32026L{number:04d}"
    base = {
        "work": {"type": "uri", "value": f"http://publications.europa.eu/resource/cellar/w-{number}"},
        "celex": {"type": "literal", "value": celex},
        "type": {
            "type": "uri",
            "value": "http://publications.europa.eu/resource/authority/resource-type/DIR",
        },
        "created": {"type": "literal", "value": created},
        "title_en": {"type": "literal", "xml:lang": "en", "value": f"Directive (EU) 2026/{number}"},
    }
    return [
        {**base, "subject": {"type": "uri", "value": f"http://eurovoc.europa.eu/{n}"}}
        for n in range(subjects)
    ]


def answer(*acts: list[dict]) -> dict:
    rows = [row for act in acts for row in act]
    return {"head": {"link": [], "vars": ["work", "celex"]}, "results": {"bindings": rows}}


class FakeEndpoint:
    """Answers each query from `pages` by its OFFSET / page size; records the queries it got."""

    def __init__(self, pages: list[httpx.Response]):
        self.pages = pages
        self.queries: list[str] = []
        self.methods: list[str] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.methods.append(request.method)
        if request.method == "POST":
            fields = parse_qs(request.content.decode())
        else:
            fields = parse_qs(request.url.query.decode())
        assert fields["format"] == ["application/sparql-results+json"]
        assert "application/sparql-results+json" in request.headers["accept"]
        query = fields["query"][0]
        self.queries.append(query)
        offset = int(re.search(r"OFFSET (\d+)", query).group(1))
        limit = int(re.search(r"LIMIT (\d+)", query).group(1))
        return self.pages[offset // limit]


def source(state: dict[str, str] | None = None, **settings) -> CellarSparqlSource:
    config = SourceConfig(
        id="cellar",
        kind="cellar_sparql",
        url=ENDPOINT,
        enabled=True,
        name="Cellar",
        settings=CellarSettings(delay=0, retries=0, **settings),
    )
    return CellarSparqlSource(config, state)


def run(src: CellarSparqlSource, fake: FakeEndpoint) -> list:
    with httpx.Client(transport=httpx.MockTransport(fake)) as client:
        return [src.parse(fetched) for fetched in src.fetch(client)]


def test_pages_until_a_short_page_and_moves_the_marker_to_the_newest_creation():
    fake = FakeEndpoint(
        [
            httpx.Response(200, json=answer(act_rows(1, "2026-11-18"), act_rows(2, "2026-11-19T09:00:00"))),
            httpx.Response(200, json=answer(act_rows(3, "2026-11-21", subjects=3))),
        ]
    )
    src = source({STATE_KEY: "2026-11-20"}, page_size=2, overlap_days=3)
    pages = run(src, fake)
    assert [re.search(r"OFFSET (\d+)", q).group(1) for q in fake.queries] == ["0", "2"]
    assert all('>= "2026-11-17"' in q for q in fake.queries)
    assert fake.methods == ["POST", "POST"]
    assert [[i.celex for i in p.items] for p in pages] == [["32026L0001", "32026L0002"], ["32026L0003"]]
    assert [p.rows for p in pages] == [4, 3]
    assert src.new_state == {STATE_KEY: "2026-11-21"}


def test_a_full_last_page_costs_one_more_query_that_comes_back_empty():
    fake = FakeEndpoint(
        [
            httpx.Response(200, json=answer(act_rows(1, "2026-11-18"), act_rows(2, "2026-11-19"))),
            httpx.Response(200, json=answer()),
        ]
    )
    src = source(page_size=2, since="2026-11-01")
    pages = run(src, fake)
    assert len(fake.queries) == 2 and pages[1].items == []
    assert src.new_state == {STATE_KEY: "2026-11-19"}


def test_get_sends_the_query_as_parameters():
    fake = FakeEndpoint([httpx.Response(200, json=answer(act_rows(1, "2026-11-18")))])
    run(source(method="GET", since="2026-11-01"), fake)
    assert fake.methods == ["GET"]


def test_nothing_new_keeps_the_marker_and_the_marker_never_moves_back():
    src = source({STATE_KEY: "2026-11-20"})
    run(src, FakeEndpoint([httpx.Response(200, json=answer())]))
    assert src.new_state is None
    # Only an act inside the overlap window (created before the marker): the marker stays.
    src = source({STATE_KEY: "2026-11-20"})
    run(src, FakeEndpoint([httpx.Response(200, json=answer(act_rows(1, "2026-11-18")))]))
    assert src.new_state is None


@pytest.mark.parametrize(
    "failure",
    [
        httpx.Response(200, text="Virtuoso S1T00 Error SR171: Transaction timed out"),
        httpx.Response(200, json={"error": "Virtuoso 42000 Error The query was killed"}),
        httpx.Response(200, text="<html><body>Service unavailable</body></html>"),
        httpx.Response(
            200,
            json=answer(act_rows(9, "2026-11-25")),
            headers={"X-SQL-State": "S1TAT", "X-SQL-Message": "RC...: Returning incomplete results"},
        ),
        httpx.Response(503, text="Service Temporarily Unavailable"),
    ],
    ids=["timeout-text-200", "error-json-200", "html-200", "anytime-partial-200", "http-503"],
)
def test_an_error_on_a_later_page_fails_the_run_and_keeps_the_marker(failure):
    fake = FakeEndpoint(
        [httpx.Response(200, json=answer(act_rows(1, "2026-11-21"), act_rows(2, "2026-11-22"))), failure]
    )
    src = source({STATE_KEY: "2026-11-20"}, page_size=2)
    with pytest.raises((FetchError, ParseError)):
        run(src, fake)
    assert src.new_state is None, "a failed run must not move the marker"


def test_a_partial_anytime_answer_is_named_as_such():
    fetched = Fetched(
        url=ENDPOINT,
        content=json.dumps(answer(act_rows(1, "2026-11-21"))).encode(),
        headers={"x-sql-state": "S1TAT", "x-sql-message": "Returning incomplete results"},
    )
    with pytest.raises(FetchError, match="ofullständigt"):
        check_answer(fetched)


# --- conformance: real Cellar answers (../shared/fixtures/eurlex/) ------------------------------------


@pytest.mark.conformance
def test_real_sparql_json_envelope_is_read():
    """The captured answer selects only ?work: read as SPARQL JSON, each work left out for want of CELEX."""
    path = shared_fixture("eurlex", "cellar-sparql-results.json")
    fetched = Fetched(url=ENDPOINT, content=path.read_bytes())
    rows = check_answer(fetched)
    assert len(rows) == 14 and all(r["work"]["type"] == "uri" for r in rows)
    page = parse_answer(fetched, "cellar")
    assert page.items == [] and page.rows == 14 and page.dropped == 14
    assert all("saknar CELEX" in w for w in page.warnings)
    assert all(re.search(r"/cellar/[0-9a-f-]{36}:", w) for w in page.warnings)


@pytest.mark.conformance
def test_real_work_types_and_eurovoc_subjects():
    """Real query output (CSV): every work class maps to a kind or is knowingly none; EuroVoc ids are URIs."""
    path = shared_fixture("eurlex", "cellar-sparql-eurovoc-subjects.first300.csv")
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 300
    kinds = {row["workTypes"]: work_class_kind(row["workTypes"]) for row in rows}
    assert kinds.get("http://publications.europa.eu/ontology/cdm#directive") == "directive"
    assert kinds.get("http://publications.europa.eu/ontology/cdm#regulation") == "regulation"
    assert kinds.get("http://publications.europa.eu/ontology/cdm#act_preparatory") == "proposal"
    unknown = {t for t, k in kinds.items() if k is None}
    assert all(t.startswith("http://publications.europa.eu/ontology/cdm#") for t in unknown)
    for row in rows:
        uris = row["subject_ids"].split("|")
        labels = row["subjects"].split("|")
        assert len(uris) == len(labels)
        assert all(re.fullmatch(r"http://eurovoc\.europa\.eu/\d+", u) for u in uris), row["subject_ids"]
