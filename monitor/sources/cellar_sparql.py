"""The Publications Office's Cellar SPARQL endpoint (kind `cellar_sparql`): new EU acts with their metadata.

Protocol (../shared/SOURCES.md, Virtuoso behind https://publications.europa.eu/webapi/rdf/sparql):
- ``POST <url>`` with the form fields ``query`` and ``format=application/sparql-results+json`` (or the
  same as GET parameters, `method: GET`), ``Accept: application/sparql-results+json``;
- the answer is SPARQL 1.1 JSON results: ``head.vars`` and ``results.bindings``, one binding per row,
  each value ``{"type": "uri"|"literal"|"typed-literal", "value": …, "datatype"?, "xml:lang"?}``;
- queries are slow: minutes are normal, hence a long default timeout.

The query (build_query) asks for works of the configured resource types (directives: DIR, DIR_IMPL,
DIR_DEL; regulations: REG, REG_IMPL, REG_DEL, REG_FINANC; decisions: DEC, DEC_IMPL, DEC_DEL; proposals:
PROP_DIR, PROP_REG, PROP_DEC; the proposal types are from the resource-type authority table, not yet
seen in a captured answer) that have a CELEX number and were created in Cellar on or after a date, with
- `cdm:work_date_document` (the act's date), `cdm:work_date_creation` (entered Cellar),
  `cdm:resource_legal_in-force`;
- Swedish and English titles: `cdm:expression_title` of the expressions in SWE and ENG;
- EuroVoc subjects: `cdm:work_is_about_concept_eurovoc` with their `skos:prefLabel` in sv and en;
- transposition deadlines: `cdm:directive_date_transposition` (several possible) and, for older acts,
  `cdm:resource_legal_date_deadline`.

Every combination of subject, title and deadline is its own row, so one act comes as many rows;
parse_results groups them by work into one LegalItem. Paging is over works, not rows: the works are
chosen, ordered and cut with LIMIT/OFFSET in a subquery, so an act never straddles two pages, and a
page with fewer works than `page_size` is the last.

Errors as HTTP 200 (Virtuoso answers many failures with status 200): a text or HTML body such as
``Virtuoso S1T00 Error SR171: Transaction timed out`` or ``Virtuoso 37000 Error SP030: SPARQL
compiler …``, a JSON object with an ``error`` and no ``results``, or a valid answer cut short by the
"anytime query" limit (header ``X-SQL-State: S1TAT``). Each is a failed run (FetchError, or ParseError
for a body that is no SPARQL answer at all), never an empty result.

Incremental: the marker `created_since` (a date) in Source.state is the newest creation date seen.
A run asks from the marker minus `overlap_days` (an act can reach the endpoint a while after its
creation date), the first run from `since` or `since_days` back. Works come oldest first, so even a
run cut short by `max_pages` leaves a marker from which the next run goes on. The new marker is stored
by the runner only after a successful run; it never moves back.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import httpx

from monitor.errors import FetchError, ParseError
from monitor.http import Fetched, request
from monitor.legal import LegalItem, LegalPage, Subject, celex_kind, normalize_celex
from monitor.records import STOCKHOLM
from monitor.sources import HttpSettings, Source, register

log = logging.getLogger(__name__)

STATE_KEY = "created_since"
RESULTS_JSON = "application/sparql-results+json"
RESOURCE_TYPE = "http://publications.europa.eu/resource/authority/resource-type/"
LANGUAGE = "http://publications.europa.eu/resource/authority/language/"
CDM = "http://publications.europa.eu/ontology/cdm#"

# What `include:` may name, and the Cellar resource types each stands for.
RESOURCE_TYPES: dict[str, tuple[str, ...]] = {
    "directive": ("DIR", "DIR_IMPL", "DIR_DEL"),
    "regulation": ("REG", "REG_IMPL", "REG_DEL", "REG_FINANC"),
    "decision": ("DEC", "DEC_IMPL", "DEC_DEL"),
    "proposal": ("PROP_DIR", "PROP_REG", "PROP_DEC"),
}
_TYPE_KIND = {code: kind for kind, codes in RESOURCE_TYPES.items() for code in codes}
# The ontology's work classes, as other queries return them (`…/cdm#directive`).
_WORK_CLASS_KIND = {
    "directive": "directive",
    "regulation": "regulation",
    "decision": "decision",
    "act_preparatory": "proposal",
    "proposal_act": "proposal",
}

VARIABLES = (
    "work",
    "celex",
    "type",
    "date",
    "created",
    "in_force",
    "title_sv",
    "title_en",
    "subject",
    "subject_sv",
    "subject_en",
    "transposition",
    "deadline",
)

_VIRTUOSO_ERROR = re.compile(r"Virtuoso\s+\w+\s+Error[^\n]*", re.I)
_TIMED_OUT = re.compile(r"[^\n]*\btimed?\s*out\b[^\n]*", re.I)
_DAY = re.compile(r"^(\d{4}-\d{2}-\d{2})")


@dataclass
class CellarSettings(HttpSettings):
    timeout: float = field(
        default=300.0, metadata={"help": "tidsgräns per anrop i sekunder (frågorna är långsamma)"}
    )
    include: list[str] = field(
        default_factory=lambda: ["directive"],
        metadata={"help": "vilka rättsakter: directive, regulation, decision, proposal"},
    )
    since: str | None = field(
        default=None, metadata={"help": "första körningen: akter skapade sedan detta datum (ÅÅÅÅ-MM-DD)"}
    )
    since_days: int = field(
        default=365, metadata={"help": "första körningen utan 'since': så många dagar bakåt"}
    )
    overlap_days: int = field(
        default=3, metadata={"help": "dagar före markören som frågas om igen (sen indexering)"}
    )
    page_size: int = field(default=100, metadata={"help": "akter per fråga (LIMIT)"})
    max_pages: int = field(default=50, metadata={"help": "högst så många frågor per körning"})
    method: str = field(default="POST", metadata={"help": "POST eller GET"})

    def check(self) -> list[tuple[str, str]]:
        problems = super().check()
        unknown = [k for k in self.include if k not in RESOURCE_TYPES]
        if unknown or not self.include:
            problems.append(
                ("include", f"måste vara en lista av {', '.join(RESOURCE_TYPES)}, inte {self.include!r}.")
            )
        if self.since is not None:
            try:
                date.fromisoformat(self.since)
            except ValueError:
                problems.append(("since", f"måste vara ett datum som 2026-01-31, inte {self.since!r}."))
        if self.since_days < 1:
            problems.append(("since_days", "måste vara minst 1."))
        if not 0 <= self.overlap_days <= 60:
            problems.append(("overlap_days", "måste vara mellan 0 och 60."))
        if not 1 <= self.page_size <= 10_000:
            problems.append(("page_size", "måste vara mellan 1 och 10000."))
        if not 1 <= self.max_pages <= 1000:
            problems.append(("max_pages", "måste vara mellan 1 och 1000."))
        if self.method.upper() not in ("POST", "GET"):
            problems.append(("method", f"måste vara POST eller GET, inte {self.method!r}."))
        return problems

    def resource_types(self) -> list[str]:
        return [code for kind in self.include for code in RESOURCE_TYPES.get(kind, ())]


# --- the query ---------------------------------------------------------------------------------


def build_query(resource_types: list[str], since: date, limit: int, offset: int = 0) -> str:
    """The SPARQL query for one page: works of these types created on or after `since`."""
    types = " ".join(f"<{RESOURCE_TYPE}{code}>" for code in resource_types)
    return f"""PREFIX cdm: <{CDM}>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?{" ?".join(VARIABLES)}
WHERE {{
  {{
    SELECT DISTINCT ?work ?created WHERE {{
      VALUES ?type {{ {types} }}
      ?work cdm:work_has_resource-type ?type ;
            cdm:resource_legal_id_celex ?any_celex ;
            cdm:work_date_creation ?created .
      FILTER(STR(?created) >= "{since.isoformat()}")
    }}
    ORDER BY ?created ?work
    LIMIT {limit}
    OFFSET {offset}
  }}
  VALUES ?type {{ {types} }}
  ?work cdm:work_has_resource-type ?type ;
        cdm:resource_legal_id_celex ?celex .
  OPTIONAL {{ ?work cdm:work_date_document ?date }}
  OPTIONAL {{ ?work cdm:resource_legal_in-force ?in_force }}
  OPTIONAL {{
    ?expression_sv cdm:expression_belongs_to_work ?work ;
                   cdm:expression_uses_language <{LANGUAGE}SWE> ;
                   cdm:expression_title ?title_sv .
  }}
  OPTIONAL {{
    ?expression_en cdm:expression_belongs_to_work ?work ;
                   cdm:expression_uses_language <{LANGUAGE}ENG> ;
                   cdm:expression_title ?title_en .
  }}
  OPTIONAL {{
    ?work cdm:work_is_about_concept_eurovoc ?subject .
    OPTIONAL {{ ?subject skos:prefLabel ?subject_sv FILTER(LANG(?subject_sv) = "sv") }}
    OPTIONAL {{ ?subject skos:prefLabel ?subject_en FILTER(LANG(?subject_en) = "en") }}
  }}
  OPTIONAL {{ ?work cdm:directive_date_transposition ?transposition }}
  OPTIONAL {{ ?work cdm:resource_legal_date_deadline ?deadline }}
}}
ORDER BY ?created ?work
"""


def since_date(state: dict[str, str], settings: CellarSettings, today: date) -> date:
    """The creation date a run asks from: the marker minus the overlap, else `since`, else since_days back."""
    marker = state.get(STATE_KEY)
    if marker:
        try:
            return date.fromisoformat(marker) - timedelta(days=settings.overlap_days)
        except ValueError:
            log.warning("ogiltig markör %s=%r; börjar om från 'since'", STATE_KEY, marker)
    if settings.since:
        return date.fromisoformat(settings.since)
    return today - timedelta(days=settings.since_days)


# --- the source ---------------------------------------------------------------------------------


@register("cellar_sparql")
class CellarSparqlSource(Source):
    """Publikationsbyråns SPARQL-tjänst (Cellar): nya direktiv m.m. med CELEX, titlar, ämnen och frister."""

    Settings = CellarSettings

    def fetch(self, client: httpx.Client) -> Iterator[Fetched]:
        s = self.settings
        policy = s.policy()
        since = since_date(self.state, s, datetime.now(STOCKHOLM).date())
        types = s.resource_types()
        newest = self.state.get(STATE_KEY)
        for number in range(s.max_pages):
            if number and s.delay:
                time.sleep(s.delay)
            query = build_query(types, since, s.page_size, number * s.page_size)
            fields = {"query": query, "format": RESULTS_JSON}
            headers = {"Accept": f"{RESULTS_JSON}, application/json;q=0.9"}
            if s.method.upper() == "GET":
                fetched = request(
                    client, "GET", self.config.url, policy, page=number + 1,
                    params=fields, headers=headers, timeout=s.timeout,
                )  # fmt: skip
            else:
                fetched = request(
                    client, "POST", self.config.url, policy, page=number + 1,
                    data=fields, headers=headers, timeout=s.timeout,
                )  # fmt: skip
            bindings = check_answer(fetched)
            works = {row["work"]["value"] for row in bindings if "work" in row}
            for row in bindings:
                created = _day_text(row.get("created"))
                if created and (newest is None or created > newest):
                    newest = created
            yield fetched
            if len(works) < s.page_size:
                break
        else:
            log.warning(
                "%s: max_pages (%d) nåddes; nästa körning fortsätter från %s",
                self.config.id,
                s.max_pages,
                newest,
            )
        log.info("%s: akter skapade sedan %s hämtade", self.config.id, since)
        # Set only once every page has been read; the runner stores it only if the run succeeded.
        if newest and newest != self.state.get(STATE_KEY):
            self.new_state = {STATE_KEY: newest}

    def parse(self, fetched: Fetched) -> LegalPage:  # type: ignore[override]
        return parse_answer(fetched, self.config.id)


# --- checking the answer --------------------------------------------------------------------------


def _header(fetched: Fetched, name: str) -> str | None:
    return next((v for k, v in fetched.headers.items() if k.lower() == name), None)


def _endpoint_error(text: str) -> str | None:
    """The endpoint's own error message in a body, if it holds one."""
    found = _VIRTUOSO_ERROR.search(text) or _TIMED_OUT.search(text)
    return " ".join(found.group(0).split())[:300] if found else None


def check_answer(fetched: Fetched) -> list[dict]:
    """The answer's rows; FetchError or ParseError for every kind of error the endpoint sends as 200."""
    where = f"{fetched.url} (sida {fetched.page})"
    state = _header(fetched, "x-sql-state")
    if state:
        message = _header(fetched, "x-sql-message") or ""
        raise FetchError(
            f"{where}: SPARQL-tjänsten gav ett ofullständigt svar ({state} {message}); "
            "minska page_size eller försök senare",
            status=fetched.status,
        )
    text = fetched.content.decode("utf-8", "replace")
    stripped = text.lstrip("\ufeff \t\r\n")
    if not stripped.startswith("{"):
        problem = _endpoint_error(stripped)
        if problem:
            raise FetchError(
                f"{where}: SPARQL-tjänsten svarade med ett fel: {problem}", status=fetched.status
            )
        snippet = " ".join(stripped[:120].split()) or "tomt svar"
        raise ParseError(f"{where}: svaret är inget SPARQL-JSON-resultat ({snippet})")
    try:
        document = json.loads(stripped)
    except ValueError as exc:
        problem = _endpoint_error(stripped)
        if problem:
            raise FetchError(f"{where}: SPARQL-tjänsten svarade med ett fel: {problem}") from None
        raise ParseError(f"{where}: svaret är trasig JSON ({exc})") from None
    if not isinstance(document, dict) or not isinstance(document.get("results"), dict):
        detail = ""
        if isinstance(document, dict):
            message = document.get("error") or document.get("message") or document.get("detail")
            if message:
                problem = _endpoint_error(str(message)) or " ".join(str(message).split())[:300]
                raise FetchError(f"{where}: SPARQL-tjänsten svarade med ett fel: {problem}")
            detail = f" (nycklar: {', '.join(list(document)[:5])})"
        raise ParseError(f"{where}: svaret saknar 'results'{detail}")
    bindings = document["results"].get("bindings")
    if not isinstance(bindings, list):
        raise ParseError(f"{where}: 'results.bindings' är ingen lista")
    return [row for row in bindings if isinstance(row, dict)]


# --- parse -----------------------------------------------------------------------------------------


def parse_results(content: bytes, source_id: str = "cellar") -> list[LegalItem]:
    """SPARQL JSON results → one LegalItem per act (pure; raises as check_answer does)."""
    return parse_answer(Fetched(url="sparql", content=content), source_id).items


def parse_answer(fetched: Fetched, source_id: str) -> LegalPage:
    """One answer → a LegalPage: the rows grouped by work, acts without CELEX or kind left out."""
    rows = check_answer(fetched)
    groups: dict[str, list[dict]] = {}
    for row in rows:
        key = _value(row.get("work")) or _value(row.get("celex")) or ""
        groups.setdefault(key, []).append(row)
    items: dict[str, LegalItem] = {}
    warnings: list[str] = []
    dropped = 0
    for work, group in groups.items():
        try:
            item = item_from_rows(work, group, source_id)
        except ValueError as exc:
            dropped += 1
            warnings.append(f"{work or 'okänt verk'}: {exc}")
            continue
        if item.id in items:  # one CELEX on two works (should not happen): keep the fuller
            dropped += 1
            if item.completeness() <= items[item.id].completeness():
                continue
        items[item.id] = item
    return LegalPage(
        items=list(items.values()), rows=len(rows), dropped=dropped, warnings=warnings, complete=False
    )


def item_from_rows(work: str, rows: list[dict], source_id: str) -> LegalItem:
    """All rows of one work → a LegalItem. ValueError when it has no usable CELEX or no known kind."""
    celexes = sorted({c for row in rows if (c := normalize_celex(_value(row.get("celex"))))})
    if not celexes:
        raise ValueError("saknar CELEX-nummer och hoppas över")
    # A work can carry its corrigenda's numbers too: the shortest is the act's own.
    celex = min(celexes, key=lambda c: (len(c), c))
    type_code = _first(rows, "type", lambda v: v.rsplit("/", 1)[-1])
    kind = _TYPE_KIND.get(type_code or "") or celex_kind(celex)
    if kind is None:
        raise ValueError(f"CELEX {celex} är ingen rättsakt som bevakas (typ {type_code or 'okänd'})")

    subjects: dict[str, Subject] = {}
    for row in rows:
        uri = _value(row.get("subject"))
        if not uri:
            continue
        known = subjects.get(uri) or Subject(uri=uri)
        subjects[uri] = Subject(
            uri=uri,
            label_sv=known.label_sv or _value(row.get("subject_sv")),
            label_en=known.label_en or _value(row.get("subject_en")),
        )
    deadlines = sorted(
        {d for row in rows for name in ("transposition", "deadline") if (d := _day(row.get(name)))}
    )
    in_force = _first(rows, "in_force", lambda v: v.strip().lower() in ("true", "1"))
    return LegalItem.for_act(
        celex,
        kind,
        source_id,
        other_id=f"cellar:{work.rsplit('/', 1)[-1]}" if "/cellar/" in work else None,
        act_type=type_code,
        title_sv=_first(rows, "title_sv", _clean),
        title_en=_first(rows, "title_en", _clean),
        date=_first_day(rows, "date"),
        created=_first_day(rows, "created"),
        in_force=in_force,
        transposition_deadlines=deadlines if kind == "directive" else [],
        subjects=sorted(subjects.values(), key=lambda s: (s.label_en or s.label_sv or "", s.uri or "")),
    )


def work_class_kind(uri: str | None) -> str | None:
    """The kind a cdm work class names (`…/cdm#directive` → "directive"), or None."""
    if not uri or "#" not in uri:
        return None
    return _WORK_CLASS_KIND.get(uri.rsplit("#", 1)[-1])


def _value(binding: object) -> str | None:
    if not isinstance(binding, dict):
        return None
    value = binding.get("value")
    return value if isinstance(value, str) and value.strip() else None


def _clean(value: str) -> str:
    return " ".join(value.split())


def _first(rows: list[dict], name: str, convert):
    """The first value of a variable over the rows, sorted: the result does not depend on row order."""
    values = sorted({v for row in rows if (v := _value(row.get(name)))})
    return convert(values[0]) if values else None


def _day_text(binding: object) -> str | None:
    """`2026-10-23`, `2026-10-23T08:15:00`, `2026-10-23+02:00` → "2026-10-23"; None for anything else."""
    value = _value(binding)
    match = _DAY.match(value.strip()) if value else None
    if not match:
        return None
    try:
        return date.fromisoformat(match.group(1)).isoformat()
    except ValueError:
        return None


def _day(binding: object) -> date | None:
    text = _day_text(binding)
    return date.fromisoformat(text) if text else None


def _first_day(rows: list[dict], name: str) -> date | None:
    days = sorted({d for row in rows if (d := _day(row.get(name)))})
    return days[0] if days else None


__all__ = [
    "RESOURCE_TYPES",
    "STATE_KEY",
    "CellarSettings",
    "CellarSparqlSource",
    "build_query",
    "check_answer",
    "item_from_rows",
    "parse_answer",
    "parse_results",
    "since_date",
    "work_class_kind",
]
