"""`eumonitor demo`: the production code path against bundled sample answers on 127.0.0.1.

The samples in samples/ are answers in the real formats, written for this project (not captured):
a SEDIA search answer (served by SediaServer, which pages it as the real API does) and, served by
StaticServer: Swedish funders' pages (samples/html, with their html_list/page_watch entries in
samples/html/sources.yaml), Tillväxtverket's RSS, interreg.no's calendar, Vinnova's API and
interreg.eu's search index.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from monitor.demo.sedia_server import Reply, SediaServer
from monitor.demo.static_server import StaticServer

SAMPLE_FILES = ("eu-portal-search.json",)
DEMO_PAGE_SIZE = 5  # small pages, so the demo pages through the samples like a real run

HTML = "text/html; charset=utf-8"


def _samples() -> Traversable:
    return resources.files("monitor.demo") / "samples"


def _demo_profile() -> Path:
    return Path(str(_samples() / "profile.yaml"))


# The repository's profile.yaml (a link to it in the package, so a wheel carries a copy): the demo's
# profile when no other is named and ./profile.yaml does not exist.
DEMO_PROFILE = _demo_profile()


def sample_results() -> list[dict]:
    """Every result of the bundled SEDIA answers."""
    results: list[dict] = []
    for name in SAMPLE_FILES:
        document = json.loads((_samples() / name).read_text(encoding="utf-8"))
        results.extend(document["results"])
    return results


def sample_server() -> SediaServer:
    return SediaServer(sample_results())


def sample_routes() -> dict[str, Reply]:
    """What the static server answers: each sample at the path its demo source asks for."""
    folder = _samples()
    routes = {
        f"/{page.name}": Reply(200, page.read_bytes(), {"Content-Type": HTML})
        for page in (folder / "html").iterdir()
        if page.name.endswith(".html")
    }

    def add(path: str, sample: str, content_type: str) -> None:
        routes[path] = Reply(200, (folder / sample).read_bytes(), {"Content-Type": content_type})

    add("/rss/tillvaxtverket.xml", "rss/tillvaxtverket.xml", "application/rss+xml; charset=utf-8")
    add("/ical/interreg-no.ics", "ical/interreg-no.ics", "text/calendar; charset=utf-8")
    # Vinnova's API takes the "changed since" date in the path: any date gets the sample.
    add("/vinnova/api/utlysningar/*", "vinnova/utlysningar.json", "application/json")
    add("/vinnova/api/ansokningsomgangar/*", "vinnova/ansokningsomgangar.json", "application/json")
    add("/1/indexes/*/queries", "interreg/interreg-search.json", "application/json")
    # EU law: the SPARQL endpoint (any query gets the sample), EUR-Lex's feed, Have your say, Regeringen.
    add("/sparql*", "legal/cellar-sparql.json", "application/sparql-results+json")
    add("/eurlex/display-feed.rss*", "legal/eurlex-legislation.xml", "application/rss+xml")
    add("/brpapi/searchInitiatives*", "legal/have-your-say.json", "application/json")
    add("/regeringen/rss.xml", "legal/regeringen-lagradsremisser.xml", "application/rss+xml; charset=utf-8")
    return routes


def demo_sources_text(base: str, search_url: str) -> str:
    """The demo's sources.yaml: every kind, each pointed at the local servers."""
    html_entries = (_samples() / "html" / "sources.yaml").read_text(encoding="utf-8")
    html_entries = html_entries.split("\nsources:\n", 1)[1].replace("{base}", base)
    return f"""# Written by `eumonitor demo`: every source pointed at the local sample servers.
sources:
  - id: eu-portal
    kind: eu_portal
    name: EU Funding & Tenders Portal (exempel)
    url: {search_url}
    delay: 0
    backoff: 0.2
    page_size: {DEMO_PAGE_SIZE}

  - id: tillvaxtverket-rss
    kind: rss
    name: Tillväxtverket – utlysningar, RSS (exempel)
    url: {base}/rss/tillvaxtverket.xml
    delay: 0
    programme: Tillväxtverket

  - id: interreg-no
    kind: ical
    name: Interreg-utlysningar, interreg.no (exempel)
    url: {base}/ical/interreg-no.ics
    delay: 0

  - id: interreg
    kind: interreg
    name: Interreg, interreg.eu (exempel)
    url: {base}/1/indexes/*/queries
    api_key: demo
    delay: 0

  - id: vinnova
    kind: vinnova
    name: Vinnova (exempel)
    url: {base}/vinnova/api
    since: "2026-01-01"
    delay: 0

{html_entries}
  - id: cellar
    kind: cellar_sparql
    name: Publikationsbyrån, Cellar SPARQL (exempel)
    url: {base}/sparql
    since: "2020-01-01"
    delay: 0

  - id: eurlex-lagstiftning
    kind: eurlex_rss
    name: EUR-Lex – ny lagstiftning (exempel)
    url: {base}/eurlex/display-feed.rss?rssId=162
    delay: 0

  - id: have-your-say
    kind: have_your_say
    name: Have your say – öppna samråd (exempel)
    url: {base}/brpapi/searchInitiatives
    delay: 0

  - id: regeringen-lagradsremisser
    kind: rss
    name: Regeringen.se – lagrådsremisser (exempel)
    url: {base}/regeringen/rss.xml
    records: referrals
    complete: false
    delay: 0
"""


@dataclass
class DemoPaths:
    folder: Path
    sources: Path
    db: Path


@contextmanager
def sample_servers() -> Iterator[tuple[SediaServer, StaticServer]]:
    """Both sample servers, running on 127.0.0.1 for as long as the block lasts."""
    with sample_server() as portal, StaticServer(sample_routes()) as pages:
        yield portal, pages


def prepare_demo(folder: Path, sources_text: str | None) -> DemoPaths:
    """A fresh demo folder: no old database, and (given its text) the demo's sources file."""
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "demo.db"
    for stale in (db, db.with_name("demo.db-wal"), db.with_name("demo.db-shm")):
        stale.unlink(missing_ok=True)
    sources = folder / "sources.yaml"
    if sources_text is not None:
        sources.write_text(sources_text, encoding="utf-8")
    return DemoPaths(folder=folder, sources=sources, db=db)
