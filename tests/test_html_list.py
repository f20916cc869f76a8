"""The html_list kind: recorded pages with their expectations beside them, and collection end to end.

Each `tests/fixtures/html_list/<case>.expected.json` names its page (`<case>.html`), the address it
was served from, the response headers (the Date header is the day year-less dates speak from), the
settings as sources.yaml would give them, detail pages by address, and what parse() must make of it.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

import monitor.sources.html_list  # noqa: F401  (registers the kind)
from monitor.config import SourceConfig, load_sources
from monitor.demo.sedia_server import Reply
from monitor.errors import ConfigError, ParseError
from monitor.http import Fetched, make_client
from monitor.records import STOCKHOLM, Call
from monitor.runner import collect
from monitor.sources import make_source
from monitor.sources.html_list import official_ids, reference_day
from monitor.store import Store

FIXTURES = Path(__file__).parent / "fixtures" / "html_list"
CASES = sorted(FIXTURES.glob("*.expected.json"))
SOURCE_ID = "case"


def write_config(folder: Path, url: str, settings: dict[str, Any], source_id: str = SOURCE_ID) -> Path:
    """A sources.yaml with one html_list source: the real loader reads it, as in production."""
    entry = {"id": source_id, "kind": "html_list", "url": url, "delay": 0, "backoff": 0.01, **settings}
    path = folder / f"{source_id}.sources.yaml"
    path.write_text(yaml.safe_dump({"sources": [entry]}, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def config_for(folder: Path, url: str, settings: dict[str, Any]) -> SourceConfig:
    (config,) = load_sources(write_config(folder, url, settings)).sources
    return config


def local(moment: datetime | None) -> str | None:
    return moment.astimezone(STOCKHOLM).isoformat() if moment else None


def check_call(call: Call, want: dict[str, Any]) -> None:
    plain = (
        "key",
        "identifier",
        "title",
        "url",
        "call_type",
        "regions",
        "official_ids",
        "source_status",
        "programme",
        "language",
        "description",
        "opening_precision",
        "deadline_precision",
    )
    known = {*plain, "opening", "deadlines", "description_contains", "description_excludes"}
    assert not set(want) - known, f"unknown expectation keys {set(want) - known}"
    for name in plain:
        if name in want:
            assert getattr(call, name) == want[name], f"{call.key}: {name}"
    if "opening" in want:
        assert local(call.opening) == want["opening"], f"{call.key}: opening"
    if "deadlines" in want:
        assert [local(d) for d in call.deadlines] == want["deadlines"], f"{call.key}: deadlines"
    for text in want.get("description_contains", []):
        assert text in call.description, f"{call.key}: description lacks {text!r}"
    for text in want.get("description_excludes", []):
        assert text not in call.description, f"{call.key}: description has {text!r}"


def test_every_page_has_its_expectations() -> None:
    pages = {p.name.split(".")[0] for p in FIXTURES.glob("*.html")}
    cases = {p.name.removesuffix(".expected.json") for p in CASES}
    assert len(cases) >= 8
    assert pages == cases, "each page is a case or a case's detail page (<case>.detail-<name>.html)"


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name.removesuffix(".expected.json"))
def test_recorded_page(case: Path, tmp_path: Path) -> None:
    want = json.loads(case.read_text(encoding="utf-8"))
    name = case.name.removesuffix(".expected.json")
    headers = want["headers"]
    related = {
        url: Fetched(url=url, content=(FIXTURES / file).read_bytes(), headers=headers)
        for url, file in want.get("related", {}).items()
    }
    fetched = Fetched(
        url=want["url"], content=(FIXTURES / f"{name}.html").read_bytes(), headers=headers, related=related
    )
    source = make_source(config_for(tmp_path, want["url"], want["settings"]))

    if "error" in want:
        with pytest.raises(ParseError) as raised:
            source.parse(fetched)
        for text in want["error"]:
            assert text in str(raised.value)
        return

    page = source.parse(fetched)
    assert (page.rows, page.dropped) == (want["rows"], want["dropped"])
    assert len(page.warnings) == len(want["warnings"]), page.warnings
    for text, warning in zip(want["warnings"], page.warnings, strict=True):
        assert text in warning
    calls = {call.key: call for call in page.calls}
    assert sorted(calls) == sorted(c["key"] for c in want["calls"])
    for expected in want["calls"]:
        call = calls[expected["key"]]
        assert call.source == SOURCE_ID and call.id == f"{SOURCE_ID}:{expected['key']}"
        check_call(call, expected)


# --- single rules -----------------------------------------------------------------------------


def test_official_ids_from_tillvaxtverket_links_only() -> None:
    link = "https://tillvaxtverket.se/tillvaxtverket/sokfinansiering/utlysningar/utlysningar/x.7085.html"
    assert official_ids(link) == ["tillvaxtverket:7085"]
    assert official_ids(link.replace("https://", "https://www.")) == ["tillvaxtverket:7085"]
    # Another Sitevision site numbers its pages the same way: those numbers name nothing elsewhere.
    assert official_ids("https://www.vgregion.se/utlysningar/stod.4708.html") == []
    # A planned call's page has a node id, not a call number.
    planned = "https://tillvaxtverket.se/varatjanster/utlysningar/planeradeutlysningar/forstudie.5.a9fb3aa17ce4b6615c6417.html"
    assert official_ids(planned) == []


def test_official_ids_from_eu_topic_ids_in_text() -> None:
    text = (
        "Utlysning CERV-2027-CITIZENS-TOWN, ämnena CERV-2027-CITIZENS-TOWN-TT och CERV-2027-CITIZENS-TOWN-NT."
    )
    assert official_ids(None, text) == ["CERV-2027-CITIZENS-TOWN-TT", "CERV-2027-CITIZENS-TOWN-NT"]
    assert official_ids(None, "Horizon: HORIZON-CL4-2027-02-DIGITAL-EMERGING-03 (RIA)") == [
        "HORIZON-CL4-2027-02-DIGITAL-EMERGING-03"
    ]
    # Not topic ids: a programme name, a year span, a Vinnova diarienummer, lower case.
    assert official_ids(None, "CERV 2021-2027, dnr 2023-01699, cerv-2027-citizens-town-tt") == []


def test_reference_day_is_the_date_header_in_stockholm() -> None:
    late = Fetched(url="https://x.se/", content=b"", headers={"Date": "Sun, 31 Jan 2027 23:30:00 GMT"})
    assert str(reference_day(late)) == "2027-02-01"  # already 1 February in Stockholm
    modified = Fetched(
        url="https://x.se/", content=b"", headers={"last-modified": "Tue, 20 May 2025 10:00:00 GMT"}
    )
    assert str(reference_day(modified)) == "2025-05-20"
    assert reference_day(Fetched(url="https://x.se/", content=b"", headers={"Date": "igår"})) is None


def test_year_less_dates_take_their_year_from_the_date_header(tmp_path: Path) -> None:
    page = (
        '<html><body><ul><li class="c"><a href="/a">Utvecklingsmedel</a>'
        "<span>Stänger 23 augusti</span></li></ul></body></html>"
    ).encode()
    settings = {"selectors": {"item": "li.c", "title": "a", "deadline": "span"}}
    source = make_source(config_for(tmp_path, "https://www.fyrbodal.se/", settings))

    def deadline(date_header: str) -> str | None:
        fetched = Fetched(url="https://www.fyrbodal.se/", content=page, headers={"Date": date_header})
        (call,) = source.parse(fetched).calls
        return local(call.deadlines[0])

    assert deadline("Tue, 20 May 2025 06:00:00 GMT") == "2025-08-23T23:59:00+02:00"
    assert deadline("Wed, 20 May 2026 06:00:00 GMT") == "2026-08-23T23:59:00+02:00"


def test_machine_readable_time_is_used_when_the_text_has_no_date(tmp_path: Path) -> None:
    items = [
        (
            "/a",
            "Med tid",
            'Sista dag: <time datetime="2027-03-15T16:00:00+01:00">se ansökningsportalen</time>',
        ),
        ("/b", "Midnatt", '<time datetime="2027-04-01T00:00:00">snart</time>'),
        ("/c", "Text vinner", 'Stänger 2 maj 2027 <time datetime="2027-05-01">1/5</time>'),
    ]
    page = "".join(
        f'<li class="c"><a href="{href}">{title}</a><span class="d">{dated}</span></li>'
        for href, title, dated in items
    ).encode()
    settings = {"selectors": {"item": "li.c", "title": "a", "deadline": ".d"}}
    source = make_source(config_for(tmp_path, "https://x.se/", settings))
    fetched = Fetched(url="https://x.se/", content=page, headers={"Date": "Fri, 27 Nov 2026 08:00:00 GMT"})
    calls = {call.title: call for call in source.parse(fetched).calls}

    assert [local(d) for d in calls["Med tid"].deadlines] == ["2027-03-15T16:00:00+01:00"]
    assert calls["Med tid"].deadline_precision == "minute"
    # Midnight in a datetime attribute is a day without a time, not a cut-off at 00:00.
    assert [local(d) for d in calls["Midnatt"].deadlines] == ["2027-04-01T23:59:00+02:00"]
    assert calls["Midnatt"].deadline_precision == "day"
    assert [local(d) for d in calls["Text vinner"].deadlines] == ["2027-05-02T23:59:00+02:00"]


def test_zero_items_without_none_text_is_an_error(tmp_path: Path) -> None:
    settings = {"selectors": {"item": ".call-list article.call", "title": "h2"}}
    source = make_source(config_for(tmp_path, "https://www.esf.se/utlysningar/", settings))
    page = Fetched(
        url="https://www.esf.se/utlysningar/", content=(FIXTURES / "esf-inga-utlysningar.html").read_bytes()
    )
    with pytest.raises(ParseError, match=r"selektorn item '\.call-list article\.call'"):
        source.parse(page)


def test_two_calls_behind_one_link_are_kept_apart_by_title(tmp_path: Path) -> None:
    page = """<div class="c"><h3>Town-Twinning</h3><a href="/eu#cerv">Läs mer</a></div>
              <div class="c"><h3>Networks of Towns</h3><a href="/eu#cerv">Läs mer</a></div>
              <div class="c"><h3>LIFE</h3><a href="/life">Läs mer</a></div>""".encode()
    source = make_source(
        config_for(tmp_path, "https://x.se/lista", {"selectors": {"item": ".c", "title": "h3"}})
    )
    keys = sorted(call.key for call in source.parse(Fetched(url="https://x.se/lista", content=page)).calls)
    assert keys == [
        "https://x.se/eu#cerv#Networks of Towns",
        "https://x.se/eu#cerv#Town-Twinning",
        "https://x.se/life",
    ]


# --- configuration ----------------------------------------------------------------------------


def config_problems(tmp_path: Path, settings: dict[str, Any]) -> str:
    with pytest.raises(ConfigError) as raised:
        load_sources(write_config(tmp_path, "https://x.se/", settings))
    return str(raised.value)


def test_selectors_are_required(tmp_path: Path) -> None:
    assert "nyckel 'selectors': saknas men krävs" in config_problems(tmp_path, {})
    problems = config_problems(tmp_path, {"selectors": {"item": "li"}})
    assert "nyckel 'selectors.title': saknas men krävs" in problems


def test_bad_selectors_are_named_at_load(tmp_path: Path) -> None:
    problems = config_problems(tmp_path, {"selectors": {"item": "li[", "title": "h2", "dedline": "p"}})
    assert "okänd nyckel 'selectors.dedline'" in problems and "Menade du 'deadline'?" in problems
    problems = config_problems(tmp_path, {"selectors": {"item": "li[", "title": "h2"}})
    assert "nyckel 'selectors.item': 'li[' är ingen giltig CSS-selektor" in problems
    problems = config_problems(
        tmp_path, {"selectors": {"item": "li", "title": "h2"}, "detail": {"item": "x"}}
    )
    assert "okänd nyckel 'detail.item'" in problems


def test_settings_are_read_into_their_types(tmp_path: Path) -> None:
    settings = {
        "selectors": {"item": "li", "title": ":scope"},
        "detail": {"deadline": ".period li"},
        "max_details": 5,
        "regions": ["Västra Götaland"],
        "programme": "VGR",
    }
    config = config_for(tmp_path, "https://x.se/", settings)
    assert config.settings.selectors.item == "li" and config.settings.selectors.link is None
    assert config.settings.detail.deadline == ".period li"
    assert (config.settings.max_details, config.settings.regions) == (5, ["Västra Götaland"])


# --- end to end: sources.yaml → StaticServer → parse → SQLite ------------------------------------

HTML = {"Content-Type": "text/html; charset=utf-8"}
MUCF_SETTINGS = json.loads((FIXTURES / "mucf-erasmus-ungdom.expected.json").read_text("utf-8"))["settings"]


def fixture_reply(name: str, headers: dict[str, str] | None = None) -> Reply:
    return Reply(200, (FIXTURES / name).read_bytes(), headers if headers is not None else HTML)


def run(tmp_path: Path, store: Store, url: str, settings: dict[str, Any], source_id: str = "mucf"):
    path = write_config(tmp_path, url, settings, source_id)
    with make_client(timeout=10) as client:
        (result,) = collect(load_sources(path).sources, store, client)
    return result


def stored(store: Store, source: str) -> dict[str, dict]:
    return {row["key"]: row for row in store.db.query("SELECT * FROM calls WHERE source = ?", [source])}


def mucf_routes() -> dict[str, Reply]:
    return {
        "/bidrag": fixture_reply("mucf-erasmus-ungdom.html"),
        "/bidrag/ungdomsutbyte-0": fixture_reply("mucf-erasmus-ungdom.detail-ungdomsutbyte.html"),
        "/bidrag/solidaritetsprojekt": fixture_reply("mucf-erasmus-ungdom.detail-solidaritetsprojekt.html"),
        # /bidrag/deltagandeprojekt is not served: 404
    }


def test_list_and_detail_pages_are_collected(tmp_path: Path, store: Store, serve) -> None:
    server = serve(mucf_routes())

    result = run(tmp_path, store, server.url("/bidrag"), MUCF_SETTINGS)

    assert (result.outcome, result.items, result.new, result.warnings) == ("ok", 4, 4, 1)
    paths = [path for _, path, _, _ in server.requests]
    assert paths == [
        "/bidrag",
        "/bidrag/ungdomsutbyte-0",
        "/bidrag/solidaritetsprojekt",
        "/bidrag/deltagandeprojekt",
    ]
    assert all(headers["User-Agent"].startswith("eumonitor/") for _, _, headers, _ in server.requests)
    rows = stored(store, "mucf")
    youth = rows[server.url("/bidrag/ungdomsutbyte-0")]
    # 12.00 Stockholm time: 10:00 UTC in October (summer time), 11:00 UTC in February.
    assert json.loads(youth["deadlines"]) == ["2026-10-04T10:00:00Z", "2027-02-19T11:00:00Z"]
    assert youth["deadline_precision"] == "minute"
    assert json.loads(youth["regions"]) == ["Sverige"]
    assert json.loads(rows[server.url("/bidrag/solidaritetsprojekt")]["deadlines"]) == [
        "2026-10-04T10:00:00Z"
    ]
    # The detail page that answered 404 leaves its call with what the list says.
    assert json.loads(rows[server.url("/bidrag/deltagandeprojekt")]["deadlines"]) == []
    assert rows["https://youth.europa.eu/solidarity/organisations_sv"]["title"] == (
        "Volontärgrupper på högprioriterade områden"
    )


def test_an_unchanged_second_run_writes_no_events(tmp_path: Path, store: Store, serve) -> None:
    server = serve(mucf_routes())
    run(tmp_path, store, server.url("/bidrag"), MUCF_SETTINGS)
    events = store.count_events()
    before = stored(store, "mucf")

    again = run(tmp_path, store, server.url("/bidrag"), MUCF_SETTINGS)

    assert (again.outcome, again.new, again.changed, again.closed) == ("unchanged", 0, 0, 0)
    assert store.count_events() == events
    after = stored(store, "mucf")
    assert {k: r["last_changed"] for k, r in after.items()} == {
        k: r["last_changed"] for k, r in before.items()
    }


def test_a_changed_detail_page_is_a_deadline_change(tmp_path: Path, store: Store, serve) -> None:
    server = serve(mucf_routes())
    run(tmp_path, store, server.url("/bidrag"), MUCF_SETTINGS)
    moved = (FIXTURES / "mucf-erasmus-ungdom.detail-solidaritetsprojekt.html").read_bytes()
    moved = moved.replace(b"4 oktober 2026 klockan 12.00", b"3 mars 2027 klockan 12.00")
    server.routes["/bidrag/solidaritetsprojekt"] = Reply(200, moved, HTML)

    again = run(tmp_path, store, server.url("/bidrag"), MUCF_SETTINGS)

    assert (again.outcome, again.changed) == ("ok", 1)
    call_id = "mucf:" + server.url("/bidrag/solidaritetsprojekt")
    (event,) = [e for e in store.events(call_id) if e["event"] == "deadline_changed"]
    assert json.loads(event["detail"]) == {"old": ["2026-10-04T10:00:00Z"], "new": ["2027-03-03T11:00:00Z"]}


def test_a_page_whose_items_vanished_is_an_error_and_changes_nothing(
    tmp_path: Path, store: Store, serve
) -> None:
    server = serve(mucf_routes())
    run(tmp_path, store, server.url("/bidrag"), MUCF_SETTINGS)
    before = stored(store, "mucf")
    events = store.count_events()
    server.routes["/bidrag"] = fixture_reply("tillvaxtverket-new-layout.html")

    failed = run(tmp_path, store, server.url("/bidrag"), MUCF_SETTINGS)

    assert failed.outcome == "error"
    assert "selektorn item '.view-grants .views-row' hittade inga element" in (failed.message or "")
    assert store.runs("mucf")[0]["outcome"] == "error"
    assert store.count_events() == events
    assert stored(store, "mucf") == before  # nothing closed, nothing touched


def test_a_detail_page_that_keeps_failing_fails_the_run(tmp_path: Path, store: Store, serve) -> None:
    server = serve(mucf_routes())
    run(tmp_path, store, server.url("/bidrag"), MUCF_SETTINGS)
    before = stored(store, "mucf")
    server.routes["/bidrag/solidaritetsprojekt"] = Reply(503, b"busy", {"Retry-After": "0"})

    failed = run(tmp_path, store, server.url("/bidrag"), {**MUCF_SETTINGS, "retries": 1})

    # Stored without its deadline it would look changed now and changed back next time.
    assert failed.outcome == "error" and "HTTP 503" in (failed.message or "")
    assert server.attempts["/bidrag/solidaritetsprojekt"] == 1 + 2
    assert stored(store, "mucf") == before


def test_latin1_page_is_decoded_end_to_end(tmp_path: Path, store: Store, serve) -> None:
    latin1 = (FIXTURES / "latin1-fyrbodal.html").read_bytes()
    undeclared = latin1.replace(
        b'<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">', b""
    )
    assert undeclared != latin1
    server = serve(
        {
            "/meta": Reply(200, latin1, {"Content-Type": "text/html"}),
            "/header": Reply(200, undeclared, {"Content-Type": "text/html; charset=ISO-8859-1"}),
        }
    )
    settings = {"selectors": {"item": "tr.utlysning", "title": "td:first-child > a", "deadline": "td.tid"}}
    for path in ("/meta", "/header"):
        result = run(tmp_path, store, server.url(path), settings, source_id=f"fyrbodal{path.strip('/')}")
        assert (result.outcome, result.new) == ("ok", 2)
        titles = sorted(row["title"] for row in stored(store, f"fyrbodal{path.strip('/')}").values())
        assert titles == [
            "Kompetensförsörjning i norra Bohuslän och Dalsland",
            "Utvecklingsmedel för samverkansprojekt 2027 – åtgärder för Åmål, Bengtsfors och hela Fyrbodal",
        ]


def test_oversized_pages_are_refused(tmp_path: Path, store: Store, serve) -> None:
    big = fixture_reply("tillvaxtverket-vastsverige.html")
    assert len(big.body) > 4096
    routes = {
        "/big": big,
        "/bidrag": fixture_reply("mucf-erasmus-ungdom.html"),
        "/bidrag/ungdomsutbyte-0": Reply(200, b"<p>" + b"x" * 5000 + b"</p>", HTML),
    }
    server = serve(routes)
    settings = {"selectors": {"item": "li.sv-channel-item", "title": "h2"}, "max_bytes": 4096}

    refused = run(tmp_path, store, server.url("/big"), settings, source_id="tvv")
    assert refused.outcome == "error" and "max_bytes" in (refused.message or "")
    assert store.count_calls("tvv") == 0

    # The cap holds for every detail page too.
    detail = run(tmp_path, store, server.url("/bidrag"), {**MUCF_SETTINGS, "max_bytes": 4096})
    assert detail.outcome == "error" and "max_bytes" in (detail.message or "")
    assert "/bidrag/ungdomsutbyte-0" in (detail.message or "")


def test_details_are_capped_by_max_details(tmp_path: Path, store: Store, serve) -> None:
    server = serve(mucf_routes())

    result = run(tmp_path, store, server.url("/bidrag"), {**MUCF_SETTINGS, "max_details": 1})

    assert result.outcome == "ok" and result.warnings == 1
    assert [path for _, path, _, _ in server.requests] == ["/bidrag", "/bidrag/ungdomsutbyte-0"]


# --- the demo's Swedish samples ---------------------------------------------------------------

SAMPLES = Path(__file__).resolve().parents[1] / "monitor" / "demo" / "samples" / "html"


def test_demo_samples_collect_together_with_the_eu_portal(tmp_path: Path, store: Store, serve) -> None:
    import monitor.sources.page_watch  # noqa: F401
    from monitor.demo import sample_server
    from monitor.output import regions_of
    from monitor.regions import open_to

    pages = serve({f"/{p.name}": Reply(200, p.read_bytes(), HTML) for p in SAMPLES.glob("*.html")})
    portal = sample_server()
    portal.start()
    try:
        template = (SAMPLES / "sources.yaml").read_text(encoding="utf-8")
        text = template.replace("{base}", pages.base_url)
        text += f"  - id: eu-portal\n    kind: eu_portal\n    url: {portal.url}\n    delay: 0\n"
        path = tmp_path / "demo-sources.yaml"
        path.write_text(text, encoding="utf-8")
        with make_client(timeout=10) as client:
            results = collect(load_sources(path).sources, store, client)
    finally:
        portal.stop()

    assert {r.source: r.outcome for r in results} == dict.fromkeys(
        [
            "tillvaxtverket-vastsverige",
            "mucf-erasmus-ungdom",
            "fyrbodal-utvecklingsmedel",
            "leader-dalsland",
            "vgr-projektstod",
            "europa-direkt-eu",
            "eu-portal",
        ],
        "ok",
    )
    assert {r.source: r.items for r in results if r.source != "eu-portal"} == {
        "tillvaxtverket-vastsverige": 4,
        "mucf-erasmus-ungdom": 2,
        "fyrbodal-utvecklingsmedel": 1,
        "leader-dalsland": 3,
        "vgr-projektstod": 1,
        "europa-direkt-eu": 2,
    }
    assert sum(r.warnings for r in results) == 0
    rows = {row["id"]: row for row in store.db["calls"].rows}

    # Every Swedish sample call is open or forthcoming for about a year from 2026-11-27.
    for row in rows.values():
        if row["source"] != "eu-portal" and row["last_deadline"]:
            assert "2027-01-01" < row["last_deadline"] < "2028-01-01", row["id"]

    halland = rows[
        "tillvaxtverket-vastsverige:https://tillvaxtverket.se/tillvaxtverket/sokfinansiering/utlysningar/"
        "utlysningar/hallbarbesoksnaringihalland.9244.html"
    ]
    assert open_to(regions_of(halland)) == (False, "bara öppen för Halland")
    hidden = [r["id"] for r in rows.values() if not open_to(regions_of(r))[0]]
    assert hidden == [halland["id"]]

    youth = rows[f"mucf-erasmus-ungdom:{pages.url('/mucf-ungdomsutbyte.html')}"]
    assert json.loads(youth["deadlines"]) == ["2027-02-19T11:00:00Z", "2027-10-01T10:00:00Z"]
    fyrbodal = rows[f"fyrbodal-utvecklingsmedel:{pages.url('/fyrbodal-att-soka.html')}"]
    assert (fyrbodal["call_type"], fyrbodal["opening"], json.loads(fyrbodal["deadlines"])) == (
        "page",
        "2027-02-28T23:00:00Z",
        ["2027-05-31T21:59:00Z"],
    )

    # The town-twinning topic from the aggregator and from the EU portal is one call, two sources.
    twinning = [
        r for r in rows.values() if "CERV-2027-CITIZENS-TOWN-TT" in json.loads(r["official_ids"] or "[]")
    ]
    assert sorted(r["source"] for r in twinning) == ["eu-portal", "europa-direkt-eu"]
    assert len({r["group_id"] for r in twinning}) == 1
    assert twinning[0]["group_id"] in {r["id"] for r in twinning}
    aggregator = next(r for r in twinning if r["source"] == "europa-direkt-eu")
    assert json.loads(aggregator["deadlines"]) == ["2027-03-04T16:00:00Z"]  # 17.00 in Stockholm
    # The other aggregator call names a topic the portal sample does not have: a group of its own.
    creative = next(r for r in rows.values() if r["identifier"] == "CREA-CULT-2027-COOP-1")
    assert creative["group_id"] == creative["id"]
