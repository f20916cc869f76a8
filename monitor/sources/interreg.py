"""Interreg calls through interreg.eu's public search index (kind `interreg`).

interreg.eu searches with Algolia from the browser, with a public front-end key:
``POST https://2e032drcns-dsn.algolia.net/1/indexes/*/queries`` with the headers
X-Algolia-Application-Id / X-Algolia-API-Key and the body
``{"requests": [{"indexName": "prod_en-us_content", "params": "filters=…&hitsPerPage=…&page=N"}]}``.
The answer is ``{"results": [{"hits": […], "nbHits": …, "page": N, "nbPages": …, …}]}``; pages count
from 0 and we read them all. The key can rotate: a 403 says so, with what to do about it.

Each hit is one call page (fields as in ../shared/fixtures/swedish/interreg/): `objectID`, `title`,
`contentUrl` (relative to interreg.eu), `associatedProgrammes`, `callStatus` (Open / Forthcoming),
`callOpenDate`, `callDeadlineDate`, `callEligibleCountryNuts`, `callEligibleRegionNuts`, `callThemes`,
`targetAudience`, `callExternalUrl`.

Decisions:
- Only calls open to the municipality are kept, the rest counted as `dropped`: a hit whose NUTS codes
  include the home region or a level above it (SE232, SE23, SE2, SE), or whose programme is one of
  `programmes` (matched case- and accent-insensitively as whole words, so "North Sea" matches
  "Interreg North Sea" and "Interreg Europe" does not match "Interreg Central Europe"). Region codes
  are used when the hit has them; country codes only when it has none (a programme that lists Swedish
  regions other than ours must not pass on the country code "SE").
- A call kept for its programme records the hit's own codes as its regions, so a call limited to
  another part of the programme area (a Sverige-Norge sub-area) is kept but hidden by default, with the
  reason shown. Without codes, the `programmes` entries the hit matched (as written in sources.yaml,
  e.g. "URBACT") stand for the programme area, else the hit's own programme names.
- Dates: the index holds dates as midnight UTC (`2026-09-30T00:00:00Z`), an artefact of a date field,
  not a cut-off at 01:00/02:00 Swedish time. Midnight UTC is read as the date alone, in Central
  European time (every programme open to Åmål runs on it): an opening at 00:00, a deadline at 23:59,
  precision "day". Any other time is taken as the instant it says (precision "minute").
"""

from __future__ import annotations

import logging
import re
import time
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from datetime import time as clock
from urllib.parse import urlencode, urljoin

import httpx

from monitor.errors import FetchError, ParseError
from monitor.http import Fetched, request
from monitor.records import BRUSSELS, Call, Listing
from monitor.sources import HttpSettings, ParsedPage, Source, register
from monitor.text import html_to_text

log = logging.getLogger(__name__)

SITE = "https://www.interreg.eu"
CALLS_PAGE = "https://www.interreg.eu/calls-for-projects/"
INDEX = "prod_en-us_content"
FILTERS = "contentType:callForProjectsPage AND (callStatus:Open OR callStatus:Forthcoming)"
CONTENT_TYPE = "callForProjectsPage"
STATUSES = {"open": "open", "forthcoming": "forthcoming"}
DEFAULT_PROGRAMMES = [
    "Interreg Sverige-Norge",
    "Interreg Sweden-Norway",
    "Öresund-Kattegat-Skagerrak",
    "North Sea",
    "Baltic Sea Region",
    "Interreg Europe",
    "URBACT",
]
_NUTS = re.compile(r"^[A-Z]{2}[0-9A-Z]{0,3}$")


@dataclass
class InterregSettings(HttpSettings):
    app_id: str = field(default="2E032DRCNS", metadata={"help": "Algolias applikations-id för interreg.eu"})
    api_key: str = field(
        default="", metadata={"help": "interreg.eu:s publika söknyckel (står i sidans källkod; byts ibland)"}
    )
    index: str = field(default=INDEX, metadata={"help": "sökindexet"})
    filters: str = field(
        default=FILTERS, metadata={"help": "Algolia-filtret: öppna och kommande utlysningar"}
    )
    hits_per_page: int = field(default=100, metadata={"help": "träffar per sida (högst 1000)"})
    max_pages: int = field(default=50, metadata={"help": "säkerhetsgräns för antal sidor"})
    nuts: list[str] = field(
        default_factory=lambda: ["SE232"],
        metadata={"help": "hemmets NUTS-koder: träffar för dem eller en nivå över dem behålls"},
    )
    programmes: list[str] = field(
        default_factory=lambda: list(DEFAULT_PROGRAMMES),
        metadata={"help": "program vars utlysningar alltid behålls (ord i programnamnet, versalokänsligt)"},
    )
    site: str = field(default=SITE, metadata={"help": "webbplatsen som träffarnas contentUrl utgår från"})

    def check(self) -> list[tuple[str, str]]:
        problems = super().check()
        if not self.api_key.strip():
            problems.append(
                (
                    "api_key",
                    "saknas; ange interreg.eu:s publika Algolia-nyckel (x-algolia-api-key i "
                    f"sidans källkod på {CALLS_PAGE}).",
                )
            )
        if not self.app_id.strip():
            problems.append(("app_id", "får inte vara tom."))
        if not 1 <= self.hits_per_page <= 1000:
            problems.append(("hits_per_page", "måste vara mellan 1 och 1000."))
        if self.max_pages < 1:
            problems.append(("max_pages", "måste vara minst 1."))
        bad = [code for code in self.nuts if not _NUTS.match(code.strip().upper())]
        if bad or not self.nuts:
            problems.append(
                ("nuts", f"måste vara NUTS-koder som SE232 (fel: {', '.join(bad) or 'tom lista'}).")
            )
        if not self.site.startswith(("http://", "https://")):
            problems.append(("site", "måste vara en http(s)-adress."))
        return problems


def key_rotated_message(url: str, source_id: str) -> str:
    return (
        f"{url}: HTTP 403 – interreg.eu:s publika söknyckel (Algolia) har bytts ut och den gamla gäller "
        f"inte längre. Öppna {CALLS_PAGE} i en webbläsare, leta upp den nya nyckeln i sidans källkod "
        "(x-algolia-api-key, eller Algolia-anropet i utvecklarverktygens nätverksflik) och skriv in den som "
        f"api_key (och app_id om också det har ändrats) för källan '{source_id}' i sources.yaml."
    )


@register("interreg")
class InterregSource(Source):
    """Interreg (interreg.eu:s sökindex): öppna och kommande utlysningar i program som omfattar kommunen."""

    Settings = InterregSettings

    # --- I/O -------------------------------------------------------------------------------

    def body(self, page: int) -> dict:
        s = self.settings
        params = {"query": "", "filters": s.filters, "hitsPerPage": s.hits_per_page, "page": page}
        return {"requests": [{"indexName": s.index, "params": urlencode(params)}]}

    def headers(self) -> dict[str, str]:
        s = self.settings
        return {"X-Algolia-Application-Id": s.app_id.strip(), "X-Algolia-API-Key": s.api_key.strip()}

    def fetch(self, client: httpx.Client) -> Iterator[Fetched]:
        s = self.settings
        policy = s.policy()
        url = self.config.url
        page = 0
        while True:
            try:
                fetched = request(
                    client,
                    "POST",
                    url,
                    policy,
                    page=page + 1,
                    json=self.body(page),
                    headers=self.headers(),
                    timeout=s.timeout,
                )
            except FetchError as exc:
                if exc.status == 403:
                    raise FetchError(key_rotated_message(url, self.config.id)) from None
                raise
            result = _result(fetched)
            yield fetched
            pages = result.get("nbPages")
            if not result.get("hits") or not isinstance(pages, int) or page + 1 >= pages:
                return
            if page + 1 >= s.max_pages:
                raise FetchError(f"{url}: slutade efter {page + 1} sidor (max_pages) av {pages}")
            page += 1
            if s.delay:
                time.sleep(s.delay)

    # --- pure ------------------------------------------------------------------------------

    def parse(self, fetched: Fetched) -> ParsedPage:
        s = self.settings
        return parse_page(fetched, self.config.id, nuts=s.nuts, programmes=s.programmes, site=s.site)


def _result(fetched: Fetched) -> dict:
    document = fetched.json()
    results = document.get("results") if isinstance(document, dict) else None
    if not isinstance(results, list) or not results or not isinstance(results[0], dict):
        detail = document.get("message") if isinstance(document, dict) else None
        raise ParseError(
            f"{fetched.url}: svaret är inget Algolia-sökresultat"
            + (f" ({detail})" if detail else " (nyckeln 'results' saknas)")
        )
    result = results[0]
    if not isinstance(result.get("hits"), list):
        raise ParseError(f"{fetched.url}: sökresultatet saknar listan 'hits'")
    return result


# --- eligibility -----------------------------------------------------------------------------


def fold(text: str) -> str:
    """Lower case, accents off, punctuation as spaces: "Öresund–Kattegat" → "oresund kattegat"."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^0-9a-z]+", " ", plain).split())


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        return []
    out: list[str] = []
    for item in value:
        if isinstance(item, str) and item.strip() and item.strip() not in out:
            out.append(item.strip())
    return out


def nuts_codes(hit: dict) -> list[str]:
    """The hit's region codes, or its country codes when it has no region codes (deduplicated)."""
    regions = [c.upper() for c in _strings(hit.get("callEligibleRegionNuts"))]
    codes = regions or [c.upper() for c in _strings(hit.get("callEligibleCountryNuts"))]
    return list(dict.fromkeys(codes))


def covers(codes: list[str], home: list[str]) -> bool:
    """Whether one of `codes` is a home code or a level above it (SE, SE2, SE23 all cover SE232)."""
    homes = [h.strip().upper() for h in home]
    return any(_NUTS.match(code) and any(h.startswith(code) for h in homes) for code in codes)


def matching_programmes(programmes: list[str], wanted: list[str]) -> list[str]:
    """The entries of `wanted` found as whole words in one of the hit's programme names."""
    names = [f" {fold(p)} " for p in programmes]
    return [w for w in wanted if fold(w) and any(f" {fold(w)} " in name for name in names)]


def is_open_to_home(hit: dict, nuts: list[str], programmes: list[str]) -> bool:
    named = _strings(hit.get("associatedProgrammes"))
    return covers(nuts_codes(hit), nuts) or bool(matching_programmes(named, programmes))


# --- dates --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndexDate:
    at: datetime  # aware
    day_only: bool


def parse_index_date(value: object) -> IndexDate | None:
    """`2026-09-30T00:00:00Z` → the date alone; another time → that instant; epoch ms → that instant."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return IndexDate(datetime.fromtimestamp(value / 1000, tz=UTC), day_only=False)
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        if len(text) == 10:
            return IndexDate(datetime.combine(date.fromisoformat(text), clock(0, 0), tzinfo=UTC), True)
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=BRUSSELS)
    utc = moment.astimezone(UTC)
    day_only = (utc.hour, utc.minute, utc.second) == (0, 0, 0)
    return IndexDate(utc, day_only)


def _opening(value: IndexDate) -> datetime:
    if value.day_only:
        return datetime.combine(value.at.date(), clock(0, 0), tzinfo=BRUSSELS)
    return value.at.astimezone(BRUSSELS)


def _deadline(value: IndexDate) -> datetime:
    if value.day_only:
        return datetime.combine(value.at.date(), clock(23, 59), tzinfo=BRUSSELS)
    return value.at.astimezone(BRUSSELS)


# --- parse --------------------------------------------------------------------------------------


def parse_page(
    fetched: Fetched,
    source_id: str,
    *,
    nuts: list[str] | None = None,
    programmes: list[str] | None = None,
    site: str = SITE,
) -> ParsedPage:
    """One Algolia answer → listings for the calls open to the home region; the others dropped."""
    nuts = ["SE232"] if nuts is None else nuts
    programmes = list(DEFAULT_PROGRAMMES) if programmes is None else programmes
    result = _result(fetched)
    hits = result["hits"]
    listings: dict[str, Listing] = {}
    warnings: list[str] = []
    dropped = 0
    for position, hit in enumerate(hits, start=1):
        if not isinstance(hit, dict):
            warnings.append(f"träff {position} är inget objekt")
            continue
        content_type = hit.get("contentType")
        status = str(hit.get("callStatus") or "").strip().lower()
        if (content_type and content_type != CONTENT_TYPE) or (status and status not in STATUSES):
            dropped += 1  # another page type or a closed call: the server ignored the filter
            continue
        if not is_open_to_home(hit, nuts, programmes):
            dropped += 1
            continue
        area = matching_programmes(_strings(hit.get("associatedProgrammes")), programmes)
        call = call_from_hit(hit, source_id, site, area)
        if call is None:
            warnings.append(f"träff {position} saknar objectID")
            continue
        if call.id in listings:
            dropped += 1
            continue
        listings[call.id] = Listing.of(call)
    total = result.get("nbHits")
    return ParsedPage(
        listings=list(listings.values()),
        total=total if isinstance(total, int) else None,
        rows=len(hits),
        dropped=dropped,
        warnings=warnings,
    )


def call_from_hit(hit: dict, source_id: str, site: str = SITE, area: list[str] | None = None) -> Call | None:
    """One search hit → a Call (None without an objectID). Pure; does not filter.

    `area` names the programme area for a hit without NUTS codes (the `programmes` entries it
    matched, as the municipality wrote them); without it, the hit's own programme names.
    """
    object_id = hit.get("objectID")
    if not isinstance(object_id, str) or not object_id.strip():
        return None
    object_id = object_id.strip()
    programmes = _strings(hit.get("associatedProgrammes"))
    title = html_to_text(hit.get("title") or hit.get("nodeName") or object_id)
    content_url = hit.get("contentUrl") or hit.get("url")
    external = hit.get("callExternalUrl") if isinstance(hit.get("callExternalUrl"), str) else None
    if isinstance(content_url, str) and content_url.strip():
        url = urljoin(site.rstrip("/") + "/", content_url.strip())
    else:
        url = external or site

    opened = parse_index_date(hit.get("callOpenDate"))
    closes = parse_index_date(hit.get("callDeadlineDate"))
    codes = nuts_codes(hit)
    themes = _strings(hit.get("callThemes")) or _strings(hit.get("themes"))
    audience = _strings(hit.get("targetAudience"))
    countries = _strings(hit.get("callEligibleCountryNames")) or _strings(hit.get("countries"))

    lines = [html_to_text(hit[k]) for k in ("description", "teaser") if isinstance(hit.get(k), str)]
    if themes:
        lines.append("Teman: " + ", ".join(themes))
    if countries:
        lines.append("Länder: " + ", ".join(countries))
    if external:
        lines.append(f"Programmets sida om utlysningen: {external}")
    status = str(hit.get("callStatus") or "").strip().lower()
    return Call(
        source=source_id,
        key=object_id,
        identifier=object_id,
        title=title,
        url=url,
        call_type="grant",
        programme=", ".join(programmes) or None,
        opening=_opening(opened) if opened else None,
        deadlines=[_deadline(closes)] if closes else [],
        source_status=STATUSES.get(status),
        description="\n".join(line for line in lines if line),
        conditions=("Målgrupp: " + ", ".join(audience)) if audience else "",
        keywords=themes,
        language="en",
        opening_precision=("day" if opened.day_only else "minute") if opened else "unknown",
        deadline_precision=("day" if closes.day_only else "minute") if closes else "unknown",
        regions=codes or area or programmes,
        official_ids=[f"interreg:{object_id}"],
    )


__all__ = [
    "DEFAULT_PROGRAMMES",
    "InterregSettings",
    "InterregSource",
    "call_from_hit",
    "covers",
    "is_open_to_home",
    "key_rotated_message",
    "matching_programmes",
    "parse_index_date",
    "parse_page",
]
