"""Kind `rss`: recorded feeds in tests/fixtures/rss/, the real Regeringen feed, and collection over HTTP.

Each fixture `<case>.<ext>` has `<case>.expected.json` beside it, written from what the feed means
(a Swedish "Stänger 15 mars 2027 kl. 16.00" is 16:00 Stockholm time), not from the parser's output.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from helpers import shared_fixture, write_yaml

import monitor.sources.rss  # noqa: F401  (registers the kind)
from monitor.config import load_sources
from monitor.demo.sedia_server import Reply
from monitor.demo.static_server import StaticServer
from monitor.errors import ConfigError, ParseError
from monitor.http import Fetched, make_client
from monitor.records import decide_status
from monitor.regions import open_to
from monitor.runner import collect
from monitor.sources import KINDS, ParsedPage, describe
from monitor.sources.rss import RssSettings, official_ids, parse_feed, region_name
from monitor.store import Store

FIXTURES = Path(__file__).parent / "fixtures" / "rss"
CASES = sorted(p for p in FIXTURES.iterdir() if not p.name.endswith(".expected.json"))
SOURCE_ID = "feed"
SAMPLE = Path(__file__).parents[1] / "monitor" / "demo" / "samples" / "rss" / "tillvaxtverket.xml"
TODAY = datetime.fromisoformat("2026-11-27T12:00:00+01:00")

KNOWN_FIELDS = {
    "key",
    "identifier",
    "title",
    "url",
    "programme",
    "language",
    "opening",
    "opening_precision",
    "deadlines",
    "deadline_precision",
    "regions",
    "official_ids",
    "description_contains",
    "description_excludes",
    "status_at",
}


def expected_for(case: Path) -> dict:
    return json.loads(case.with_name(case.stem + ".expected.json").read_text(encoding="utf-8"))


def fetched_case(case: Path, want: dict) -> Fetched:
    return Fetched(
        url=want.get("url", f"https://example.se/{case.name}"),
        content=case.read_bytes(),
        headers=want.get("headers", {}),
    )


def instant(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def check_call(call, want: dict) -> None:
    unknown = {k for k in want if not k.startswith("_")} - KNOWN_FIELDS
    assert not unknown, f"unknown expectation keys {unknown}"
    for name in (
        "key",
        "identifier",
        "title",
        "url",
        "programme",
        "language",
        "opening_precision",
        "deadline_precision",
        "regions",
        "official_ids",
    ):
        if name in want:
            assert getattr(call, name) == want[name], name
    # Instants compared as instants: the zone they are written in is no part of their meaning.
    if "opening" in want:
        assert call.opening == instant(want["opening"]), "opening"
    if "deadlines" in want:
        assert call.deadlines == [instant(d) for d in want["deadlines"]], "deadlines"
    for text in want.get("description_contains", []):
        assert text in call.description
    for text in want.get("description_excludes", []):
        assert text not in call.description
    for moment, status in want.get("status_at", {}).items():
        assert decide_status(call.opening, call.deadlines, instant(moment)) == status, f"status at {moment}"


def test_every_case_has_its_expectations() -> None:
    assert len(CASES) >= 9
    missing = [c.name for c in CASES if not c.with_name(c.stem + ".expected.json").exists()]
    assert missing == []


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_parse_case(case: Path) -> None:
    want = expected_for(case)
    settings = RssSettings(**want.get("settings", {}))
    fetched = fetched_case(case, want)
    if "error" in want:
        assert want["error"] == "ParseError"
        with pytest.raises(ParseError) as raised:
            parse_feed(fetched, SOURCE_ID, settings)
        for text in want["message_contains"]:
            assert text in str(raised.value)
        return

    page = parse_feed(fetched, SOURCE_ID, settings)
    assert page.rows == want["rows"]
    assert page.dropped == want["dropped"]
    assert len(page.warnings) == want["warnings"], page.warnings
    for text in want.get("warnings_contain", []):
        assert any(text in w for w in page.warnings), (text, page.warnings)
    assert page.complete == want.get("complete", True)
    calls = {call.key: call for call in page.calls}
    assert len(calls) == len(page.calls), "two calls share a key"
    assert sorted(calls) == sorted(c["key"] for c in want["calls"])
    for expected_call in want["calls"]:
        check_call(calls[expected_call["key"]], expected_call)
    for call in page.calls:
        assert call.source == SOURCE_ID and call.call_type == "grant"


# --- encodings ------------------------------------------------------------------------------

LATIN1 = FIXTURES / "latin1-mucf.xml"
LATIN1_TITLE = "Ungdomsutbyte inom Erasmus+ – Åmål, Säffle och Bengtsfors"


@pytest.mark.parametrize(
    ("content_type", "warnings"),
    [
        (None, 0),
        ("application/rss+xml", 0),
        # RFC 3023 made charset-less text/xml US-ASCII; the XML declaration decides (RFC 7303).
        ("text/xml", 0),
        ("text/html", 0),
        ("application/xml; charset=ISO-8859-1", 0),
        # The server names the wrong charset: decoded by the declaration all the same, and said.
        ("text/xml; charset=utf-8", 1),
    ],
)
def test_latin1_feed_keeps_swedish_letters_whatever_the_server_says(
    content_type: str | None, warnings: int
) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    page = parse_feed(
        Fetched(url="https://www.mucf.se/bidrag.rss", content=LATIN1.read_bytes(), headers=headers), "f"
    )
    titles = [c.title for c in page.calls]
    assert titles[0] == LATIN1_TITLE
    assert "Ã" not in "".join(titles) + "".join(c.description for c in page.calls)
    assert len(page.warnings) == warnings, page.warnings
    if warnings:
        assert "utf-8" in page.warnings[0] and "iso-8859-1" in page.warnings[0]


def test_the_same_feed_in_utf8_gives_the_same_calls() -> None:
    latin = parse_feed(Fetched(url="u", content=LATIN1.read_bytes()), "f")
    utf8_bytes = (
        LATIN1.read_bytes()
        .decode("iso-8859-1")
        .replace('encoding="ISO-8859-1"', 'encoding="UTF-8"')
        .encode("utf-8")
    )
    utf8 = parse_feed(Fetched(url="u", content=utf8_bytes), "f")
    assert [c.content_hash() for c in latin.calls] == [c.content_hash() for c in utf8.calls]


# --- details ----------------------------------------------------------------------------------


def feed(*items: str, channel_extra: str = "") -> bytes:
    body = "".join(f"<item>{item}</item>" for item in items)
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>T</title>'
        f"<link>https://example.se/</link>{channel_extra}{body}</channel></rss>"
    ).encode()


def test_publication_date_is_no_deadline_and_no_opening() -> None:
    content = feed(
        "<title>Stöd till föreningar</title><link>https://example.se/a</link>"
        "<description>Ansökan är öppen löpande.</description>"
        "<pubDate>Thu, 10 Dec 2026 09:00:00 +0100</pubDate>"
    )
    (call,) = parse_feed(Fetched(url="u", content=content), "f").calls
    assert call.opening is None and call.deadlines == []
    assert (call.opening_precision, call.deadline_precision) == ("unknown", "unknown")
    assert decide_status(call.opening, call.deadlines, TODAY) == "open"


def test_year_less_deadline_takes_its_year_from_the_entry_not_from_today() -> None:
    # Published in February 2024: "28 februari" is 28 February 2024, whatever today is.
    content = feed(
        "<title>Förstudier</title><link>https://example.se/b</link>"
        "<description>Sista ansökningsdag 28 februari.</description>"
        "<pubDate>Mon, 05 Feb 2024 09:00:00 +0100</pubDate>"
    )
    (call,) = parse_feed(Fetched(url="u", content=content), "f").calls
    assert [d.date() for d in call.deadlines] == [date(2024, 2, 28)]


def test_year_less_date_without_publication_date_uses_the_response_date() -> None:
    content = feed(
        "<title>Förstudier</title><link>https://example.se/c</link>"
        "<description>Sista ansökningsdag 28 februari.</description>"
    )
    headers = {"date": "Mon, 05 Feb 2024 08:00:00 GMT"}
    (call,) = parse_feed(Fetched(url="u", content=content, headers=headers), "f").calls
    assert [d.date() for d in call.deadlines] == [date(2024, 2, 28)]


def test_guid_is_the_key_and_the_link_the_url() -> None:
    content = feed(
        '<title>A</title><link>https://example.se/a</link><guid isPermaLink="false">abc-1</guid>',
        "<title>B</title><link>https://example.se/b</link>",
    )
    calls = parse_feed(Fetched(url="u", content=content), "src").calls
    assert [(c.key, c.url, c.id) for c in calls] == [
        ("abc-1", "https://example.se/a", "src:abc-1"),
        ("https://example.se/b", "https://example.se/b", "src:https://example.se/b"),
    ]


def test_entry_without_link_points_to_the_feed_s_site() -> None:
    content = feed('<title>A</title><guid isPermaLink="false">a-1</guid>')
    (call,) = parse_feed(Fetched(url="https://example.se/rss.xml", content=content), "f").calls
    assert (call.key, call.url) == ("a-1", "https://example.se/")


def test_relative_links_resolve_against_the_feed_url() -> None:
    content = feed("<title>A</title><link>/tillvaxtverket/utlysningar/x.7777.html</link>")
    fetched = Fetched(url="https://tillvaxtverket.se/rss/utlysningar.xml", content=content)
    (call,) = parse_feed(fetched, "f").calls
    assert call.url == "https://tillvaxtverket.se/tillvaxtverket/utlysningar/x.7777.html"
    assert call.official_ids == ["tillvaxtverket:7777"]


@pytest.mark.parametrize(
    ("url", "text", "ids"),
    [
        ("https://tillvaxtverket.se/a/b/slug.7085.html", "", ["tillvaxtverket:7085"]),
        ("https://www.tillvaxtverket.se/a/slug.12.html", "", ["tillvaxtverket:12"]),
        # A Sitevision page id (planned calls) is no call number; another site's numbers are not ours.
        ("https://tillvaxtverket.se/x/slug.5.a9fb3aa17ce4b6615c6417.html", "", []),
        ("https://example.se/slug.7085.html", "", []),
        ("https://notillvaxtverket.se/slug.7085.html", "", []),
        (
            "",
            "Se CERV-2027-CITIZENS-TOWN-TT och CERV-2027-CITIZENS-TOWN-NT.",
            [
                "CERV-2027-CITIZENS-TOWN-TT",
                "CERV-2027-CITIZENS-TOWN-NT",
            ],
        ),
        (
            "",
            "HORIZON-JU-CBE-2026-IAFlag-02, igen: horizon-ju-cbe-2026-iaflag-02",
            ["HORIZON-JU-CBE-2026-IAFlag-02"],
        ),
        ("", "ERASMUS-EDU-2027-PCOOP-ENGO.", ["ERASMUS-EDU-2027-PCOOP-ENGO"]),
        # Not topic ids: no known programme, no year, part of a longer word.
        ("", "SFS-2027-12 och CERV-CITIZENS-TOWN och XCERV-2027-A-B", []),
    ],
)
def test_official_ids(url: str, text: str, ids: list[str]) -> None:
    assert official_ids(url, text) == ids


@pytest.mark.parametrize(
    ("term", "name"),
    [
        ("Västra Götaland", "Västra Götaland"),
        ("Västra Götalands län", "Västra Götaland"),
        ("Västra Götalandsregionen", "Västra Götaland"),
        ("Region Halland", "Halland"),
        ("HALLANDS LÄN", "Halland"),
        ("Dalarnas län", "Dalarna"),
        ("Jämtland-Härjedalen", "Jämtland Härjedalen"),
        ("Nationellt", "Hela Sverige"),
        ("Övre Norrland", "Övre Norrland"),
        ("Utbildningsdepartementet", None),
        ("Lagrådsremiss", None),
    ],
)
def test_region_names_from_categories(term: str, name: str | None) -> None:
    assert region_name(term) == name


def test_categories_that_are_no_regions_leave_the_settings_regions() -> None:
    content = feed("<title>A</title><link>https://example.se/a</link><category>Landsbygd</category>")
    settings = RssSettings(regions=["Västsverige"])
    (call,) = parse_feed(Fetched(url="u", content=content), "f", settings).calls
    assert call.regions == ["Västsverige"]


def test_html_title_is_text_and_plain_title_keeps_its_angle_brackets() -> None:
    atom = (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>'
        '<entry><id>1</id><title type="html">Bidrag &lt;em&gt;för&lt;/em&gt; unga</title>'
        '<link href="https://example.se/1"/></entry>'
        '<entry><id>2</id><title type="text">Unga &lt; 30 &amp; äldre</title>'
        '<link href="https://example.se/2"/></entry></feed>'
    ).encode()
    calls = parse_feed(Fetched(url="u", content=atom), "f").calls
    assert [c.title for c in calls] == ["Bidrag för unga", "Unga < 30 & äldre"]


def test_entry_without_title_is_named_from_its_text() -> None:
    content = feed(
        "<link>https://example.se/a</link><description>Bidrag till idrott. Mer text.</description>"
    )
    (call,) = parse_feed(Fetched(url="u", content=content), "f").calls
    assert call.title == "Bidrag till idrott. Mer text."


def test_keep_filter_is_case_insensitive_and_counts_what_it_drops() -> None:
    content = feed(
        "<title>UTLYSNING: idrott</title><link>https://example.se/a</link>",
        "<title>Nyhet om något annat</title><link>https://example.se/b</link>",
    )
    page = parse_feed(Fetched(url="u", content=content), "f", RssSettings(keep="utlysning"))
    assert [c.key for c in page.calls] == ["https://example.se/a"]
    assert (page.rows, page.dropped) == (2, 1)


def test_everything_filtered_out_is_no_parse_error_but_an_empty_page() -> None:
    content = feed("<title>Nyhet</title><link>https://example.se/b</link>")
    page = parse_feed(Fetched(url="u", content=content), "f", RssSettings(keep="utlysning"))
    assert page.calls == [] and page.rows == 1 and page.dropped == 1


def test_non_200_answer_without_feed_names_the_status() -> None:
    with pytest.raises(ParseError, match="HTTP 202"):
        parse_feed(
            Fetched(url="u", content=b"<html><body>checking your browser</body></html>", status=202), "f"
        )


def test_parse_never_touches_the_file_system(tmp_path: Path) -> None:
    # feedparser.parse(bytes) would try the bytes as a file name first: a file of that name is never read.
    name = tmp_path / "feed.xml"
    name.write_bytes(feed("<title>From the file</title><link>https://example.se/f</link>"))
    with pytest.raises(ParseError):
        parse_feed(Fetched(url="u", content=str(name).encode()), "f")


def test_kind_is_registered_with_a_one_line_description() -> None:
    assert KINDS["rss"].Settings is RssSettings
    assert describe("rss")


# --- settings in sources.yaml -----------------------------------------------------------------


def test_settings_from_sources_yaml(tmp_path: Path) -> None:
    path = write_yaml(
        tmp_path / "sources.yaml",
        """
        sources:
          - id: tillvaxtverket
            kind: rss
            url: https://tillvaxtverket.se/rss
            programme: Tillväxtverket
            regions: [Västsverige]
            keep: "utlysning|finansiering"
            complete: false
            delay: 0
        """,
    )
    (source,) = load_sources(path).sources
    assert source.settings == RssSettings(
        delay=0,
        programme="Tillväxtverket",
        regions=["Västsverige"],
        keep="utlysning|finansiering",
        complete=False,
    )


def test_bad_settings_are_named(tmp_path: Path) -> None:
    path = write_yaml(
        tmp_path / "sources.yaml",
        """
        sources:
          - id: feed
            kind: rss
            url: https://example.se/rss
            keep: "utlysning("
            regions: Västsverige
            programme: "  "
        """,
    )
    with pytest.raises(ConfigError) as raised:
        load_sources(path)
    text = str(raised.value)
    assert "'regions'" in text and "lista" in text
    path = write_yaml(
        tmp_path / "sources.yaml",
        """
        sources:
          - id: feed
            kind: rss
            url: https://example.se/rss
            keep: "utlysning("
            programme: "  "
        """,
    )
    with pytest.raises(ConfigError) as raised:
        load_sources(path)
    text = str(raised.value)
    assert "'keep'" in text and "reguljärt uttryck" in text
    assert "'programme'" in text


# --- conformance: the real Regeringen feed --------------------------------------------------

REGERINGEN = "regeringen-lagradsremiss.rss.xml"


@pytest.fixture(scope="module")
def regeringen() -> ParsedPage:
    path = shared_fixture("eurlex", REGERINGEN)
    return parse_feed(Fetched(url=path.as_uri(), content=path.read_bytes()), "regeringen")


@pytest.mark.conformance
def test_regeringen_feed_reads_cleanly(regeringen: ParsedPage) -> None:
    assert (regeringen.rows, regeringen.dropped, regeringen.warnings) == (3, 0, [])
    assert [c.key for c in regeringen.calls] == [
        "3488b70e-4c7d-498a-b442-d200ccf94cc9",
        "45f35249-0a64-4fb9-9a3f-cddee9615a26",
        "1add8335-1b64-4091-b167-55b88fd36fb3",
    ]
    first = regeringen.calls[0]
    assert first.title == "Skärpta villkor för friskolesektorn"
    assert first.url == (
        "https://www.regeringen.se/rattsliga-dokument/lagradsremiss/2026/05/skarpta-villkor-for-friskolesektorn/"
    )
    assert first.description.startswith(
        "Lagrådsremissen innehåller förslag till ändringar i skollagen (2010:800)"
    )


@pytest.mark.conformance
def test_regeringen_dates_and_categories_are_no_deadlines_or_regions(regeringen: ParsedPage) -> None:
    # pubDate / a10:updated are publication dates; the categories are departments and subjects.
    for call in regeringen.calls:
        assert call.deadlines == [] and call.opening is None
        assert call.regions == [] and call.official_ids == []


# --- demo sample ------------------------------------------------------------------------------


def test_demo_sample_has_current_calls_one_hidden_from_amal() -> None:
    page = parse_feed(
        Fetched(url="https://tillvaxtverket.se/rss", content=SAMPLE.read_bytes()),
        "tillvaxtverket",
        RssSettings(programme="Tillväxtverket", regions=["Västsverige"]),
    )
    assert page.warnings == [] and 3 <= len(page.calls) <= 5
    statuses = {c.title: decide_status(c.opening, c.deadlines, TODAY) for c in page.calls}
    assert set(statuses.values()) <= {"open", "forthcoming"}, statuses
    assert "open" in statuses.values() and "forthcoming" in statuses.values()
    for call in page.calls:
        assert call.deadlines, call.title
        assert max(call.deadlines) < datetime.fromisoformat("2028-01-01T00:00:00+01:00")
        assert call.official_ids and call.official_ids[0].startswith("tillvaxtverket:")
    hidden = [c.title for c in page.calls if not open_to(c.regions)[0]]
    assert len(hidden) == 1
    assert "Kompetensförsörjning i Västsverige" in statuses


# --- collection over HTTP -----------------------------------------------------------------------

FEED_TYPE = {"Content-Type": "application/rss+xml; charset=utf-8"}


@pytest.fixture
def server() -> Iterator[StaticServer]:
    with StaticServer() as running:
        yield running


def collect_from(tmp_path: Path, store: Store, yaml_text: str):
    path = write_yaml(tmp_path / "sources.yaml", yaml_text)
    with make_client(timeout=10) as client:
        return collect(load_sources(path).sources, store, client)


def rss_source(
    server: StaticServer, source_id: str = "tillvaxtverket", path: str = "/rss.xml", **extra
) -> str:
    lines = [
        f"  - id: {source_id}",
        "    kind: rss",
        f"    url: {server.url(path)}",
        "    delay: 0",
        "    backoff: 0.01",
        "    programme: Tillväxtverket",
    ]
    lines += [f"    {k}: {v}" for k, v in extra.items()]
    return "\n".join(lines) + "\n"


def stored(store: Store, source: str) -> dict[str, dict]:
    return {r["key"]: r for r in store.db.query("SELECT * FROM calls WHERE source = ?", [source])}


def test_collect_stores_calls_with_their_deadlines(
    tmp_path: Path, store: Store, server: StaticServer
) -> None:
    server.routes["/rss.xml"] = Reply(
        200, (FIXTURES / "tillvaxtverket-sitevision.xml").read_bytes(), FEED_TYPE
    )

    (result,) = collect_from(tmp_path, store, "sources:\n" + rss_source(server, regions="[Västsverige]"))

    assert (result.outcome, result.items, result.new, result.warnings) == ("ok", 5, 5, 0)
    method, path, headers, _ = server.requests[0]
    assert (method, path) == ("GET", "/rss.xml")
    assert "application/rss+xml" in headers["Accept"] and headers["User-Agent"].startswith("eumonitor/")
    rows = stored(store, "tillvaxtverket")
    competence = rows[
        "https://tillvaxtverket.se/tillvaxtverket/sokfinansiering/utlysningar/utlysningar/kompetensforsorjningivastsverige.7412.html"
    ]
    # 16:00 in Stockholm in March (UTC+1) is 15:00 UTC; the opening day starts at 00:00 in August (UTC+2).
    assert json.loads(competence["deadlines"]) == ["2027-03-15T15:00:00Z"]
    assert competence["opening"] == "2026-08-11T22:00:00Z"
    assert (competence["opening_precision"], competence["deadline_precision"]) == ("day", "minute")
    assert json.loads(competence["regions"]) == ["Halland", "Västra Götaland"]
    assert json.loads(competence["official_ids"]) == ["tillvaxtverket:7412"]
    assert competence["programme"] == "Tillväxtverket"
    halland = rows[
        "https://tillvaxtverket.se/tillvaxtverket/sokfinansiering/utlysningar/utlysningar/hallbarbesoksnaringihalland.7519.html"
    ]
    assert json.loads(halland["deadlines"]) == [
        "2027-04-30T21:59:00Z"
    ]  # end of the day, Stockholm summer time
    assert halland["deadline_precision"] == "day"


def test_oversized_feed_is_refused(tmp_path: Path, store: Store, server: StaticServer) -> None:
    big = feed(*[f"<title>Utlysning {n}</title><link>https://example.se/{n}</link>" for n in range(200)])
    assert len(big) > 4096
    server.routes["/rss.xml"] = Reply(200, big, FEED_TYPE)

    (result,) = collect_from(tmp_path, store, "sources:\n" + rss_source(server, max_bytes=4096))

    assert result.outcome == "error"
    assert "max_bytes" in (result.message or "")
    assert store.count_calls("tillvaxtverket") == 0


def test_feed_answering_500_is_an_error_while_another_source_is_fine(
    tmp_path: Path, store: Store, server: StaticServer
) -> None:
    server.routes["/broken.xml"] = Reply(500, b"Internal Server Error", {"Content-Type": "text/plain"})
    server.routes["/rss.xml"] = Reply(
        200, (FIXTURES / "latin1-mucf.xml").read_bytes(), {"Content-Type": "text/xml"}
    )
    yaml_text = (
        "sources:\n" + rss_source(server, "broken", "/broken.xml", retries=1) + rss_source(server, "mucf")
    )

    broken, fine = collect_from(tmp_path, store, yaml_text)

    assert (broken.source, broken.outcome) == ("broken", "error")
    assert "HTTP 500" in (broken.message or "")
    assert server.attempts["/broken.xml"] == 2  # one retry
    assert (fine.source, fine.outcome, fine.new) == ("mucf", "ok", 2)
    titles = {r["title"] for r in stored(store, "mucf").values()}
    assert "Ungdomsutbyte inom Erasmus+ – Åmål, Säffle och Bengtsfors" in titles


def test_unchanged_feed_writes_no_events_the_second_time(
    tmp_path: Path, store: Store, server: StaticServer
) -> None:
    server.routes["/rss.xml"] = Reply(
        200, (FIXTURES / "tillvaxtverket-sitevision.xml").read_bytes(), FEED_TYPE
    )
    yaml_text = "sources:\n" + rss_source(server)
    (first,) = collect_from(tmp_path, store, yaml_text)
    assert first.outcome == "ok"
    events = store.count_events()
    assert events == 5

    (second,) = collect_from(tmp_path, store, yaml_text)

    assert (second.outcome, second.new, second.changed, second.closed) == ("unchanged", 0, 0, 0)
    assert store.count_events() == events


def test_feed_that_suddenly_has_no_items_is_an_error_and_closes_nothing(
    tmp_path: Path, store: Store, server: StaticServer
) -> None:
    server.routes["/rss.xml"] = Reply(
        200, (FIXTURES / "tillvaxtverket-sitevision.xml").read_bytes(), FEED_TYPE
    )
    yaml_text = "sources:\n" + rss_source(server)
    collect_from(tmp_path, store, yaml_text)
    server.routes["/rss.xml"] = Reply(200, (FIXTURES / "empty-channel.xml").read_bytes(), FEED_TYPE)

    (result,) = collect_from(tmp_path, store, yaml_text)

    assert result.outcome == "error" and "inga poster" in (result.message or "")
    assert all(r["listed"] == 1 for r in stored(store, "tillvaxtverket").values())


def test_billion_laughs_over_http_is_an_error_for_that_source(
    tmp_path: Path, store: Store, server: StaticServer
) -> None:
    server.routes["/rss.xml"] = Reply(200, (FIXTURES / "billion-laughs.xml").read_bytes(), FEED_TYPE)

    (result,) = collect_from(tmp_path, store, "sources:\n" + rss_source(server))

    assert result.outcome == "error"
    assert "XML med entitetsdeklarationer avvisas" in (result.message or "")
