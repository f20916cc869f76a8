"""The EU Funding & Tenders Portal through its SEDIA search API (kind `eu_portal`).

Protocol, as the real API wants it (see ../shared/SOURCES.md):
POST <url>?apiKey=SEDIA&text=***&pageSize=100&pageNumber=N with multipart parts `query`, `languages`
and `sort`, each a *file* part of type application/json (plain form fields get HTTP 500). At most 100
results come back a page, so we page to the end, sorted on the identifier for stable paging.

Traps handled in parse():
- every metadata value is a list of strings;
- the portal's status is stale, so status is decided from the deadlines (monitor.records);
- `SEDIA_PRD_CENTRICITY` rows are stale copies left by the portal's earlier system, and one
  identifier can come back several times: one call per identifier, the fullest row wins;
- a cascade-funding call (type 8) carries the identifier of the EU topic that pays for it, shared
  with its siblings: its own number is `callccm2Id`;
- deadlines say midnight (an index artefact): the real cut-off is 17:00 Brussels time;
- `keywords` is a list on current rows, a JSON string on stale ones; `budgetOverview` is JSON inside a
  string and may arrive cut short.
"""

from __future__ import annotations

import functools
import itertools
import json
import logging
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

import httpx

from monitor.errors import FetchError, ParseError
from monitor.http import Fetched, request
from monitor.records import BRUSSELS, Budget, Call, brussels_cutoff, digest, start_of_day
from monitor.sources import HttpSettings, Listing, ParsedPage, Source, register
from monitor.text import html_to_text

log = logging.getLogger(__name__)

PORTAL = "https://ec.europa.eu/info/funding-tenders/opportunities/portal/screen/opportunities"
MAX_PAGE_SIZE = 100
STALE_DATASOURCE = "SEDIA_PRD_CENTRICITY"

TYPE_NAMES = {"1": "grant", "2": "external_action", "8": "cascade_funding"}
STATUS_CODES = {"31094501": "forthcoming", "31094502": "open", "31094503": "closed"}
FORTHCOMING_AND_OPEN = ["31094501", "31094502"]

# frameworkProgramme ids → names, from the portal's own code table.
PROGRAMMES = {
    "43108390": "Horizon Europe (HORIZON)",
    "43152860": "Digital Europe Programme (DIGITAL)",
    "43252405": "Programme for the Environment and Climate Action (LIFE)",
    "43332642": "EU4Health Programme (EU4H)",
    "43353764": "Erasmus+ (ERASMUS+)",
    "43251567": "Connecting Europe Facility (CEF)",
    "43251814": "Creative Europe Programme (CREA)",
    "43251589": "Citizens, Equality, Rights and Values Programme (CERV)",
    "43252476": "Single Market Programme (SMP)",
    "44181033": "European Defence Fund (EDF)",
    "43254019": "European Social Fund+ (ESF+)",
    "43392145": "European Maritime, Fisheries and Aquaculture Fund (EMFAF)",
    "43089234": "Innovation Fund (INNOVFUND)",
    "43298664": "Promotion of Agricultural Products (AGRIP)",
    "43254037": "European Solidarity Corps (ESC)",
    "43251447": "Asylum, Migration and Integration Fund (AMIF)",
    "43251530": "Border Management and Visa Instrument (BMVI)",
    "43252368": "Internal Security Fund (ISF)",
    "43252386": "Justice Programme (JUST)",
    "43298203": "Union Civil Protection Mechanism (UCPM)",
    "43298916": "Euratom Research and Training Programme (EURATOM)",
    "43252449": "Research Fund for Coal & Steel (RFCS)",
    "43251842": "Union Anti-Fraud Programme (EUAF)",
    "43251882": "Information measures for the common agricultural policy (IMCAP)",
    "43637601": "Pilot Projects & Preparatory Actions (PPPA)",
    "44416173": "Interregional Innovation Investments Instrument (I3)",
    "44773066": "Just Transition Mechanism (JTM)",
    "44773133": "Information Measures for the EU Cohesion policy (IMREG)",
    "45532249": "EU Bodies and Agencies (EUBA)",
    "45876777": "Neighbourhood, Development and International Cooperation Instrument – Global Europe (NDICI)",
    "47376280": "EU External Action (RELEX)",
    "111111": "EU External Action – Prospect (RELEX-PROSPECT)",
}
# When a row names no programme id we know, its identifier's prefix usually does.
PROGRAMME_PREFIXES = {
    "HORIZON": "43108390",
    "DIGITAL": "43152860",
    "LIFE": "43252405",
    "EU4H": "43332642",
    "ERASMUS": "43353764",
    "CEF": "43251567",
    "CREA": "43251814",
    "CERV": "43251589",
    "SMP": "43252476",
    "EDF": "44181033",
    "ESF": "43254019",
    "SOCPL": "43254019",
    "EMFAF": "43392145",
    "INNOVFUND": "43089234",
    "AGRIP": "43298664",
    "ESC": "43254037",
    "AMIF": "43251447",
    "JUST": "43252386",
    "UCPM": "43298203",
    "EURATOM": "43298916",
    "RFCS": "43252449",
    "I3": "44416173",
}


@dataclass
class EuPortalSettings(HttpSettings):
    page_size: int = field(default=100, metadata={"help": "träffar per sida (API:t ger högst 100)"})
    max_pages: int = field(default=500, metadata={"help": "säkerhetsgräns för antal sidor"})
    types: list[int] = field(
        default_factory=lambda: [1, 2, 8],
        metadata={"help": "1 ämnen (topics), 2 externa utlysningar, 8 kaskadfinansiering"},
    )

    def check(self) -> list[tuple[str, str]]:
        problems = super().check()
        if not 1 <= self.page_size <= MAX_PAGE_SIZE:
            problems.append(("page_size", f"måste vara mellan 1 och {MAX_PAGE_SIZE}."))
        if self.max_pages < 1:
            problems.append(("max_pages", "måste vara minst 1."))
        bad = [t for t in self.types if str(t) not in TYPE_NAMES]
        if bad or not self.types:
            problems.append(("types", "får bara innehålla 1, 2 och 8 (och minst en av dem)."))
        return problems


@register("eu_portal")
class EuPortalSource(Source):
    """EU:s Funding & Tenders Portal (SEDIA-sök-API:t): öppna och kommande EU-utlysningar."""

    Settings = EuPortalSettings

    # --- I/O -------------------------------------------------------------------------------

    def request_parts(self) -> dict[str, tuple[str, bytes, str]]:
        """The multipart body: JSON *file* parts, as the API requires."""
        query = {
            "bool": {
                "must": [
                    {"terms": {"type": [str(t) for t in self.settings.types]}},
                    {"terms": {"status": FORTHCOMING_AND_OPEN}},
                ]
            }
        }
        sort = {"order": "ASC", "field": "identifier"}
        return {
            "query": ("blob", json.dumps(query).encode(), "application/json"),
            "languages": ("blob", b'["en"]', "application/json"),
            "sort": ("blob", json.dumps(sort).encode(), "application/json"),
        }

    def page_url(self, page: int) -> httpx.URL:
        base = httpx.URL(self.config.url)
        params = dict(base.params)
        params.setdefault("apiKey", "SEDIA")
        params.setdefault("text", "***")
        params["pageSize"] = str(self.settings.page_size)
        params["pageNumber"] = str(page)
        return base.copy_with(params=params)

    def fetch(self, client: httpx.Client) -> Iterator[Fetched]:
        s = self.settings
        policy = s.policy()
        read = 0
        page = 1
        while True:
            fetched = request(
                client,
                "POST",
                str(self.page_url(page)),
                policy,
                page=page,
                files=self.request_parts(),
                timeout=s.timeout,
            )
            total, results = _envelope(fetched)
            yield fetched
            read += len(results)
            if not results or read >= total or len(results) < s.page_size:
                return
            if page >= s.max_pages:
                raise FetchError(
                    f"{self.config.url}: slutade efter {page} sidor (max_pages) med {read} av {total} träffar"
                )
            page += 1
            if s.delay:
                time.sleep(s.delay)

    # --- pure ------------------------------------------------------------------------------

    def parse(self, fetched: Fetched) -> ParsedPage:
        return parse_page(fetched, self.config.id)


def _envelope(fetched: Fetched) -> tuple[int, list]:
    document = fetched.json()
    if not isinstance(document, dict) or not isinstance(document.get("results"), list):
        detail = document.get("message") if isinstance(document, dict) else None
        raise ParseError(
            f"{fetched.url}: svaret är inget SEDIA-sökresultat"
            + (f" ({detail})" if detail else " (nyckeln 'results' saknas)")
        )
    total = document.get("totalResults")
    if not isinstance(total, int) or total < 0:
        raise ParseError(f"{fetched.url}: 'totalResults' saknas eller är ogiltig")
    return total, document["results"]


# Part of every digest: bump it when parsing changes, so stored calls are parsed anew once.
PARSER_VERSION = "sedia-2"


def parse_page(fetched: Fetched, source_id: str) -> ParsedPage:
    """One SEDIA search answer → listings, one per key, stale copies and other record types dropped.

    Pure. What is needed to recognise a call and decide its status (key, dates, a digest of the raw
    result) is read at once; the rest (text out of HTML, keywords, budget) only when the store asks.
    """
    total, results = _envelope(fetched)
    best: dict[str, Listing] = {}
    dropped = 0
    warnings: list[str] = []
    for position, result in enumerate(results):
        metadata = result.get("metadata") if isinstance(result, dict) else None
        if not isinstance(metadata, dict):
            warnings.append(f"träff {position + 1} saknar metadata")
            continue
        if STALE_DATASOURCE in _values(metadata, "DATASOURCE"):
            dropped += 1
            continue
        if (_first(metadata, "type") or "1") not in TYPE_NAMES:
            # A tender (type 0) or other record that is no call for proposals: a server that
            # ignores the query's type filter must not turn it into a grant.
            dropped += 1
            continue
        try:
            listing = _listing(result, metadata, source_id)
        except (ValueError, TypeError) as exc:
            warnings.append(f"träff {position + 1} ({_first(metadata, 'identifier')}): {exc}")
            continue
        if listing is None:
            warnings.append(f"träff {position + 1} saknar identifierare")
            continue
        kept = best.get(listing.id)
        if kept is None or listing.completeness > kept.completeness:
            if kept is not None:
                dropped += 1
            best[listing.id] = listing
        else:
            dropped += 1
    return ParsedPage(
        listings=list(best.values()), total=total, rows=len(results), dropped=dropped, warnings=warnings
    )


def _listing(result: dict, metadata: dict, source_id: str) -> Listing | None:
    identity = _identity(result, metadata)
    if identity is None:
        return None
    key = identity[0]
    opening_day = _day(_first(metadata, "startDate"))
    deadlines = sorted({d for d in (_deadline(v) for v in _values(metadata, "deadlineDate")) if d})
    parts = [PARSER_VERSION, *(str(result.get(k)) for k in ("reference", "url", "language", "summary"))]
    for name, values in metadata.items():
        parts.append("\x1e" + name)
        if isinstance(values, list):
            parts.extend(v if isinstance(v, str) else repr(v) for v in values)
        else:
            parts.append(repr(values))
    fullness = (
        int(_first(metadata, "status") in STATUS_CODES),
        int(bool(_first(metadata, "descriptionByte") or _first(metadata, "description"))),
        int(bool(_first(metadata, "topicConditions"))),
        len(deadlines),
    )
    return Listing(
        id=f"{source_id}:{key}",
        digest=digest(parts),
        completeness=fullness,
        opening=start_of_day(opening_day) if opening_day else None,
        deadlines=deadlines,
        build=functools.partial(call_from_result, result, metadata, source_id),
        source_status=STATUS_CODES.get(_first(metadata, "status") or ""),
    )


def completeness(call: Call) -> tuple[int, int, int, int]:
    """How full a built record is (the same measure _listing takes of a raw row)."""
    return (
        int(bool(call.source_status)),
        int(bool(call.description)),
        int(bool(call.conditions)),
        len(call.deadlines),
    )


def _values(metadata: dict, key: str) -> list[str]:
    value = metadata.get(key)
    if value is None:
        return []
    if isinstance(value, list):
        return [v if isinstance(v, str) else json.dumps(v) for v in value if v is not None]
    return [value if isinstance(value, str) else json.dumps(value)]


def _first(metadata: dict, key: str) -> str | None:
    values = _values(metadata, key)
    return values[0].strip() if values and values[0].strip() else None


def _identity(result: dict, metadata: dict) -> tuple[str, str, str, str] | None:
    """(key, identifier, call type, link for people), or None without an identifier."""
    identifier = _first(metadata, "identifier") or _first(metadata, "callIdentifier")
    if not identifier:
        return None
    call_type = TYPE_NAMES.get(_first(metadata, "type") or "1", "grant")
    call_number = _first(metadata, "callccm2Id")
    reference = result.get("reference") or _first(metadata, "reference")
    if call_type == "cascade_funding":
        # The identifier belongs to the paying topic and is shared: the call's own number decides.
        own = call_number or reference or identifier
        key = f"{identifier}/{own}"
        url = f"{PORTAL}/competitive-calls-cs/{own}"
    elif call_type == "external_action":
        key = identifier
        given = result.get("url") or _first(metadata, "url") or ""
        url = given if "/portal/screen/" in given else f"{PORTAL}/prospect-details/{reference or identifier}"
    else:
        key = identifier
        url = f"{PORTAL}/topic-details/{identifier}"

    return key, identifier, call_type, url


def call_from_result(result: dict, metadata: dict, source_id: str) -> Call | None:
    """One search result → a Call (or None without an identifier)."""
    identity = _identity(result, metadata)
    if identity is None:
        return None
    key, identifier, call_type, url = identity

    programme_id = _first(metadata, "frameworkProgramme")
    if programme_id not in PROGRAMMES:
        prefix = identifier.split("-", 1)[0].upper()
        programme_id = PROGRAMME_PREFIXES.get(prefix, programme_id)
    programme = PROGRAMMES.get(programme_id or "")

    opening_day = _day(_first(metadata, "startDate"))
    deadlines = sorted({d for d in (_deadline(v) for v in _values(metadata, "deadlineDate")) if d})

    description = html_to_text(_first(metadata, "descriptionByte") or _first(metadata, "description"))
    conditions = html_to_text(_first(metadata, "topicConditions"))
    identifiers = {identifier.casefold(), (_first(metadata, "callIdentifier") or "").casefold()}
    keywords = [
        k
        for k in _unique(_keywords(metadata, "keywords") + _keywords(metadata, "tags"))
        if k.casefold() not in identifiers
    ]
    budget = parse_budget(_first(metadata, "budgetOverview"), identifier)
    if budget is None and call_type == "cascade_funding":
        budget = _plain_budget(_first(metadata, "budget"))

    title = _first(metadata, "title") or result.get("summary") or identifier
    return Call(
        source=source_id,
        key=key,
        identifier=identifier,
        title=html_to_text(title),
        url=url,
        call_type=call_type,
        call_identifier=_first(metadata, "callIdentifier"),
        call_title=html_to_text(_first(metadata, "callTitle")) or None,
        programme_id=programme_id,
        programme=programme,
        opening=start_of_day(opening_day) if opening_day else None,
        deadlines=deadlines,
        deadline_model=_first(metadata, "deadlineModel"),
        source_status=STATUS_CODES.get(_first(metadata, "status") or ""),
        description=description,
        conditions=conditions,
        keywords=keywords,
        budget=budget,
        language=result.get("language") or _first(metadata, "language"),
        types_of_action=[" ".join(t.split()) for t in _values(metadata, "typesOfAction")],
        regions=["EU"],
        # A cascade call's identifier is its paying topic's, shared with its siblings: not its own.
        official_ids=[] if call_type == "cascade_funding" else [identifier],
    )


# --- dates ------------------------------------------------------------------------------------

_TIMESTAMP = re.compile(
    r"^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$"
)


def _parse_timestamp(text: str | None) -> tuple[date, datetime | None] | None:
    """(the date as written, the instant when a time and zone are given)."""
    if not text:
        return None
    match = _TIMESTAMP.match(text.strip())
    if not match:
        if text.strip().isdigit():  # epoch milliseconds, as in grantsTenders.json
            moment = datetime.fromtimestamp(int(text.strip()) / 1000, tz=BRUSSELS)
            return moment.date(), moment
        return None
    day = date.fromisoformat(match.group(1))
    if match.group(2) is None:
        return day, None
    zone = match.group(5) or "Z"
    zone = "+00:00" if zone == "Z" else zone[:3] + ":" + zone[-2:]
    moment = datetime.fromisoformat(f"{match.group(1)}T{match.group(2)}:{match.group(3)}:00{zone}")
    return day, moment


def _day(text: str | None) -> date | None:
    parsed = _parse_timestamp(text)
    return parsed[0] if parsed else None


def _deadline(text: str | None) -> datetime | None:
    """A deadline as an instant. Midnight (and the old index's 17:00 UTC) means 17:00 in Brussels."""
    parsed = _parse_timestamp(text)
    if parsed is None:
        return None
    day, moment = parsed
    if moment is None:
        return brussels_cutoff(day)
    if (moment.hour, moment.minute) in ((0, 0), (17, 0)) or _is_1700_utc(moment):
        return brussels_cutoff(day)
    return moment.astimezone(BRUSSELS)


def _is_1700_utc(moment: datetime) -> bool:
    offset = moment.utcoffset()
    if offset is None:
        return False
    minutes = moment.hour * 60 + moment.minute - int(offset.total_seconds() // 60)
    return minutes % (24 * 60) == 17 * 60


# --- keywords and budget ----------------------------------------------------------------------

_QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"')


def _keywords(metadata: dict, key: str) -> list[str]:
    out: list[str] = []
    for value in _values(metadata, key):
        text = value.strip()
        if text.startswith("["):
            try:
                decoded = json.loads(text)
                out.extend(str(v).strip() for v in decoded if str(v).strip())
                continue
            except ValueError:
                # A stale row's JSON string cut short: take the complete quoted items, decoded.
                out.extend(k for k in (_json_string(m) for m in _QUOTED.findall(text)) if k)
                continue
        if text:
            out.append(text)
    return out


def _json_string(body: str) -> str:
    """The text of one JSON string literal's body (escapes such as \\u2019 and \\" decoded)."""
    try:
        return str(json.loads(f'"{body}"')).strip()
    except ValueError:
        return body.strip()


def _unique(items: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for item in items:
        folded = item.casefold()
        if folded not in seen:
            seen.add(folded)
            out.append(item)
    return out


def _number(value: object) -> float | None:
    try:
        number = float(str(value).replace(" ", "").replace(",", ""))
    except ValueError:
        return None
    return number if number >= 0 else None


def _plain_budget(text: str | None) -> Budget | None:
    amount = _number(text) if text else None
    return Budget(total_eur=amount) if amount is not None else None


_ACTION = re.compile(r'\{"action":"((?:[^"\\]|\\.)*)"')


def _budget_lines(overview: str) -> list[dict]:
    """The action lines of a budgetOverview, from whole JSON or, when cut short, from what is left."""
    try:
        table = json.loads(overview)
        lines = []
        for group in (table.get("budgetTopicActionMap") or {}).values():
            lines.extend(line for line in group if isinstance(line, dict))
        return lines
    except (ValueError, AttributeError, TypeError):
        pass
    starts = [m.start() for m in _ACTION.finditer(overview)] + [len(overview)]
    lines = []
    for begin, end in itertools.pairwise(starts):
        piece = overview[begin:end]
        line: dict = {"action": _ACTION.match(piece).group(1)}  # type: ignore[union-attr]
        for key in ("expectedGrants", "minContribution", "maxContribution"):
            # Only a number that ends (`,` or `}` follows) is whole: the string may be cut inside one.
            found = re.search(rf'"{key}":(-?[\d.]+)(?=[,}}])', piece)
            if found:
                line[key] = found.group(1)
        year_map = re.search(r'"budgetYearMap":\{([^}]*)\}', piece)
        if year_map:
            line["budgetYearMap"] = dict(re.findall(r'"(\d{4})":"?([\d.]+)"?', year_map.group(1)))
        lines.append(line)
    return lines


def _capacity(lines: list[dict]) -> float | None:
    """The most a topic's own lines can pay out: expected grants × largest grant, when every line says."""
    total = 0.0
    for line in lines:
        grants = _number(line.get("expectedGrants")) if line.get("expectedGrants") is not None else None
        largest = _number(line.get("maxContribution")) if line.get("maxContribution") is not None else None
        if grants is None or largest is None:
            return None
        total += grants * largest
    return total


def parse_budget(overview: str | None, identifier: str) -> Budget | None:
    """The topic's own budget lines; None when none can be read (a cut-short string included)."""
    if not overview:
        return None
    lines = _budget_lines(overview)
    prefix = identifier.casefold()
    own = [
        line for line in lines if str(line.get("action", "")).casefold().split(" - ", 1)[0].strip() == prefix
    ]
    if not own:
        return None
    totals = [
        sum(v for v in (_number(x) for x in (line.get("budgetYearMap") or {}).values()) if v is not None)
        for line in own
        if line.get("budgetYearMap")
    ]
    total = sum(totals) if totals else None
    grants = [int(_number(line.get("expectedGrants")) or 0) for line in own if line.get("expectedGrants")]
    mins = [v for v in (_number(line.get("minContribution")) for line in own) if v is not None]
    maxs = [v for v in (_number(line.get("maxContribution")) for line in own) if v is not None]
    # The portal sometimes repeats the whole call's pot on every line. An amount shared with other
    # topics' lines is the pot, not this topic's budget, unless the topic's own grants could take it
    # (two topics of one call often have the same budget, e.g. EUR 3 million each).
    if total is not None:
        others = [
            line.get("budgetYearMap") for line in lines if line not in own and line.get("budgetYearMap")
        ]
        if any(m == own[0].get("budgetYearMap") for m in others):
            capacity = _capacity(own)
            if capacity is None or total > capacity:
                total = None
    budget = Budget(
        total_eur=total,
        min_grant_eur=min(mins) if mins else None,
        max_grant_eur=max(maxs) if maxs else None,
        expected_grants=sum(grants) if grants else None,
    )
    if budget == Budget():
        return None
    return budget
