"""The Commission's "Have your say" portal (kind `have_your_say`): initiatives open for public feedback.

Protocol (undocumented JSON; ../shared/SOURCES.md and other projects' clients):
- ``GET <url>?language=EN&page=N&size=100`` where url is
  ``https://ec.europa.eu/info/law/better-regulation/brpapi/searchInitiatives``; without `language` or
  `page` the API answers 500. ``feedbackStatus=OPEN`` asks for open initiatives only (clients
  disagree on whether the server honours it, so the status is checked here as well);
- the answer: ``{"initiativeResultDtoPage": {"content": [...], "totalElements", "totalPages",
  "number", "size", "last", …}}`` (a Spring page). The server gives at most 100 a page whatever
  `size` says, but computes totalPages from the size asked for, so paging stops on totalElements
  (or an empty or short page), never on totalPages;
- an initiative: ``id`` (a number, sometimes sent as 14858.0), ``reference``, ``shortTitle``,
  ``initiativeStatus``, ``foreseenActType``, ``topics`` (``code``, ``label``), ``currentStatuses``
  (``receivingFeedbackStatus`` OPEN | CLOSED | UPCOMING | DISABLED, ``feedbackStartDate``,
  ``feedbackEndDate``, ``frontEndStage``, ``isCurrent``), and, in the answers one client describes,
  ``initiativeTranslations`` (``language``, ``field`` such as SHORT_TITLE, ``value``): the Swedish
  title when there is one;
- dates look like ``2026/08/31 08:24:00``, without zone: Brussels time.

One open feedback period is one LegalItem of kind "consultation", keyed ``hys:<id>``. Its status and
both dates come from the same period (the open one, else the current one): mixing them served closed
consultations as open in another project. With `only_open` (the default) an initiative without an
open period is dropped (counted, not warned about). The answer lists only what is open now, so the
page is incomplete: an initiative that leaves it has closed, which its end date already says.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

import httpx

from monitor.errors import ParseError
from monitor.http import Fetched, request
from monitor.legal import LegalItem, LegalPage, Subject
from monitor.records import BRUSSELS
from monitor.sources import HttpSettings, Source, register

log = logging.getLogger(__name__)

DEFAULT_PAGE_URL = "https://ec.europa.eu/info/law/better-regulation/have-your-say/initiatives/{id}"
MAX_PAGE_SIZE = 100
OPEN = "OPEN"
_MOMENT = re.compile(r"^(\d{4})[/-](\d{2})[/-](\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?")


@dataclass
class HaveYourSaySettings(HttpSettings):
    language: str = field(default="EN", metadata={"help": "språket API:t svarar på (EN; krävs av API:t)"})
    page_size: int = field(default=100, metadata={"help": "initiativ per sida (högst 100)"})
    max_pages: int = field(default=60, metadata={"help": "högst så många sidor per körning"})
    only_open: bool = field(
        default=True, metadata={"help": "bara initiativ som tar emot synpunkter nu (feedbackStatus=OPEN)"}
    )
    page_url: str = field(
        default=DEFAULT_PAGE_URL, metadata={"help": "adress till initiativets sida; {id} ersätts"}
    )

    def check(self) -> list[tuple[str, str]]:
        problems = super().check()
        if not re.fullmatch(r"[A-Za-z]{2}", self.language):
            problems.append(("language", f"måste vara en språkkod som EN, inte {self.language!r}."))
        if not 1 <= self.page_size <= MAX_PAGE_SIZE:
            problems.append(("page_size", f"måste vara mellan 1 och {MAX_PAGE_SIZE}."))
        if not 1 <= self.max_pages <= 1000:
            problems.append(("max_pages", "måste vara mellan 1 och 1000."))
        if "{id}" not in self.page_url or not self.page_url.startswith(("http://", "https://")):
            problems.append(("page_url", "måste vara en http(s)-adress som innehåller {id}."))
        return problems


@register("have_your_say")
class HaveYourSaySource(Source):
    """Kommissionens "Have your say": initiativ som är öppna för synpunkter, med sista dag."""

    Settings = HaveYourSaySettings

    def fetch(self, client: httpx.Client) -> Iterator[Fetched]:
        s = self.settings
        policy = s.policy()
        seen = 0
        for number in range(s.max_pages):
            if number and s.delay:
                time.sleep(s.delay)
            params: dict[str, str | int] = {
                "language": s.language.upper(),
                "page": number,
                "size": s.page_size,
            }
            if s.only_open:
                params["feedbackStatus"] = OPEN
            fetched = request(
                client, "GET", self.config.url, policy, page=number + 1,
                params=params, headers={"Accept": "application/json"}, timeout=s.timeout,
            )  # fmt: skip
            page = _page(fetched)
            content = page["content"]
            seen += len(content)
            yield fetched
            total = _int(page.get("totalElements"))
            if not content or page.get("last") is True:
                break
            if total is not None and seen >= total:
                break
            if total is None and len(content) < s.page_size:
                break
        else:
            log.warning(
                "%s: max_pages (%d) nåddes; resten av initiativen lästes inte", self.config.id, s.max_pages
            )

    def parse(self, fetched: Fetched) -> LegalPage:  # type: ignore[override]
        s = self.settings
        return parse_page(fetched, self.config.id, only_open=s.only_open, page_url=s.page_url)


def _page(fetched: Fetched) -> dict:
    """The answer's page object; ParseError for anything else (an error object, HTML …)."""
    document = fetched.json()
    page = document.get("initiativeResultDtoPage") if isinstance(document, dict) else None
    if not isinstance(page, dict) or not isinstance(page.get("content"), list):
        detail = ""
        if isinstance(document, dict):
            message = document.get("message") or document.get("error")
            detail = f" ({message})" if message else f" (nycklar: {', '.join(list(document)[:5])})"
        raise ParseError(f"{fetched.url}: svaret saknar 'initiativeResultDtoPage.content'{detail}")
    return page


def parse_page(
    fetched: Fetched, source_id: str, *, only_open: bool = True, page_url: str = DEFAULT_PAGE_URL
) -> LegalPage:
    """One page of initiatives → one consultation per initiative (with an open period when only_open)."""
    page = _page(fetched)
    content = page["content"]
    if not content and fetched.page == 1:
        # The Commission always has consultations open: an empty first page is a changed API or
        # filter, and counting it as "nothing open" would hide that.
        raise ParseError(
            f"{fetched.url}: svaret listar inga initiativ alls (totalElements {page.get('totalElements')})"
        )
    items: dict[str, LegalItem] = {}
    warnings: list[str] = []
    dropped = 0
    for position, record in enumerate(content, start=1):
        if not isinstance(record, dict):
            warnings.append(f"initiativ {position} är inget objekt")
            continue
        try:
            item = consultation(record, source_id, page_url)
        except ValueError as exc:
            warnings.append(f"initiativ {position}: {exc}")
            continue
        if only_open and item.stage_status != OPEN:
            dropped += 1
            continue
        if item.item.id in items:
            dropped += 1
            continue
        items[item.item.id] = item.item
    return LegalPage(
        items=list(items.values()),
        total=_int(page.get("totalElements")),
        rows=len(content),
        dropped=dropped,
        warnings=warnings,
        complete=False,
    )


def parse_consultations(
    content: bytes, source_id: str = "have-your-say", only_open: bool = True
) -> list[LegalItem]:
    """The consultations in one answer's bytes (pure)."""
    return parse_page(Fetched(url="have-your-say", content=content), source_id, only_open=only_open).items


@dataclass
class _Parsed:
    item: LegalItem
    stage_status: str | None


def _period(record: dict) -> dict:
    """The feedback period that speaks for the initiative: an open one, else the current one, else none."""
    periods = [p for p in record.get("currentStatuses") or [] if isinstance(p, dict)]
    return (
        next((p for p in periods if p.get("receivingFeedbackStatus") == OPEN), None)
        or next((p for p in periods if p.get("isCurrent")), None)
        or {}
    )


def consultation(record: dict, source_id: str, page_url: str = DEFAULT_PAGE_URL) -> _Parsed:
    """One initiative → a consultation item and its period's status. ValueError without a usable id."""
    number = _int(record.get("id"))
    if number is None:
        raise ValueError(f"saknar id ({record.get('id')!r}) och hoppas över")
    period = _period(record)
    title_en = _text(record.get("shortTitle")) or _translation(record, "EN")
    title_sv = _translation(record, "SV")
    subjects = [
        Subject(label_en=label)
        for topic in record.get("topics") or []
        if isinstance(topic, dict) and (label := _text(topic.get("label")))
    ]
    start = parse_moment(period.get("feedbackStartDate"))
    end = parse_moment(period.get("feedbackEndDate"))
    url = page_url.format(id=number)
    item = LegalItem(
        id=f"hys:{number}",
        kind="consultation",
        source=source_id,
        other_id=_text(record.get("reference")),
        act_type=_text(record.get("foreseenActType")),
        title_sv=title_sv,
        title_en=title_en or f"Initiativ {number}",
        published=start.date() if start else None,
        created=start.date() if start else None,
        subjects=subjects,
        url=url,
        url_en=url,
        feedback_start=start,
        feedback_end=end,
        stage=_text(period.get("frontEndStage")),
        summary=_text(record.get("dossierSummary")) or "",
    )
    return _Parsed(item, _text(period.get("receivingFeedbackStatus")))


def parse_moment(value: object) -> datetime | None:
    """`2026/08/31 08:24:00` → that minute in Brussels; a bare date → its start; anything else → None."""
    if not isinstance(value, str):
        return None
    match = _MOMENT.match(value.strip())
    if not match:
        return None
    year, month, day, hour, minute, second = (int(g) if g else 0 for g in match.groups())
    try:
        return datetime(year, month, day, hour, minute, second, tzinfo=BRUSSELS)
    except ValueError:
        return None


def _translation(record: dict, language: str) -> str | None:
    for entry in record.get("initiativeTranslations") or []:
        if (
            isinstance(entry, dict)
            and str(entry.get("language", "")).upper() == language
            and entry.get("field", "SHORT_TITLE") == "SHORT_TITLE"
        ):
            text = _text(entry.get("value"))
            if text:
                return text
    return None


def _text(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    return " ".join(value.split()) or None


def _int(value: object) -> int | None:
    """14858, 14858.0 or "14858.0" → 14858; anything else → None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return int(number) if number.is_integer() else None


__all__ = [
    "DEFAULT_PAGE_URL",
    "HaveYourSaySettings",
    "HaveYourSaySource",
    "consultation",
    "parse_consultations",
    "parse_moment",
    "parse_page",
]
