"""Vinnova's open data API, data.vinnova.se (kind `vinnova`): calls and their application rounds.

Protocol (no key; see ../shared/SOURCES.md and the KTH-Library/vinnova client):
- ``GET <url>/utlysningar/<YYYY-MM-DD>``: every call (utlysning) changed since that date, a JSON array;
- ``GET <url>/ansokningsomgangar/<YYYY-MM-DD>``: every application round changed since that date;
- ``GET <url>/utlysningar/<Dnr>,<Dnr>,…`` and ``…/ansokningsomgangar/<Dnr>,…``: by case number, at most
  20 a request, joined with commas (the rendered README only shows date requests; the same package's
  R/api.R joins ids with "," and refuses more than 20).

A call's deadlines live in its rounds (`AnsokningsomgangDnrLista` → `Oppningsdatum`, `Stangningsdatum`),
so one run asks, in this order: calls changed since the marker; rounds changed since the marker (a
deadline can move without the call changing); the calls of those rounds that the first answer lacks;
then every round of those calls that no answer has yet. fetch() yields a single Fetched: the calls
answer, with every other answer in `related` by request URL. parse() joins them and touches nothing else.

Incremental: the marker `changed_since` (a date) is kept in Source.state. A run asks from the marker
minus `overlap_days` (the API counts whole days, and a change made late on the marker's day must not
slip through); the first run from `since`, or `since_days` back. The run's start date becomes the new
marker, stored by the runner only when the run succeeded. Such an answer lists only what changed, so
the page is incomplete: nothing is closed for being absent, and an empty answer is no failure.

Decisions:
- placeholders (`x`, `xx`, `-`, empty) are missing values; `1900-01-01` (any year up to 1900) is no date;
- times carry no zone and are Stockholm time; midnight (or no time) means the date alone: a deadline
  is then the day's last minute with precision "day", otherwise the minute itself;
- `Publik: 0` (or false) is not public: such a call is dropped, such a round gives no dates. A call
  with no public round left is dropped as well: nobody can apply to it until a round is added, and
  that change brings it back in a later run;
- `Webbsida` is a number (a flag) in the real answers, not an address; the page for people is
  `page_url` with the round's case number (vinnova.se/e/<Dnr>/ is the short form Vinnova's own tools
  link to; unverified from here, hence a setting). A `Webbsida` that is an http(s) address is used as is.
- regions: national, ["Sverige"]; official ids: the call's and each round's case number.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as clock

import httpx

from monitor.errors import ParseError
from monitor.http import Fetched, request
from monitor.records import STOCKHOLM, Call, Listing
from monitor.sources import HttpSettings, ParsedPage, Source, register
from monitor.text import html_to_text

log = logging.getLogger(__name__)

CALLS = "utlysningar"
ROUNDS = "ansokningsomgangar"
MAX_IDS = 20  # case numbers per request, the API's limit
STATE_KEY = "changed_since"
DEFAULT_PAGE_URL = "https://www.vinnova.se/e/{dnr}/"

_PLACEHOLDER = re.compile(r"^(?:x+|-+|–|—)?$", re.I)
_TIMESTAMP = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$"
)


@dataclass
class VinnovaSettings(HttpSettings):
    since: str | None = field(
        default=None, metadata={"help": "första körningen: ändringar sedan detta datum (ÅÅÅÅ-MM-DD)"}
    )
    since_days: int = field(
        default=365, metadata={"help": "första körningen utan 'since': så många dagar bakåt"}
    )
    overlap_days: int = field(
        default=3, metadata={"help": "dagar före förra körningens datum som frågas om igen"}
    )
    page_url: str = field(
        default=DEFAULT_PAGE_URL,
        metadata={"help": "adress till utlysningens sida; {dnr} ersätts med diarienumret"},
    )

    def check(self) -> list[tuple[str, str]]:
        problems = super().check()
        if self.since is not None:
            try:
                date.fromisoformat(self.since)
            except ValueError:
                problems.append(("since", f"måste vara ett datum som 2026-01-31, inte {self.since!r}."))
        if self.since_days < 1:
            problems.append(("since_days", "måste vara minst 1."))
        if not 0 <= self.overlap_days <= 60:
            problems.append(("overlap_days", "måste vara mellan 0 och 60."))
        if "{dnr}" not in self.page_url or not self.page_url.startswith(("http://", "https://")):
            problems.append(("page_url", "måste vara en http(s)-adress som innehåller {dnr}."))
        return problems


def since_date(state: dict[str, str], settings: VinnovaSettings, today: date) -> date:
    """The date a run asks from: the stored marker minus the overlap, else `since`, else since_days back."""
    marker = state.get(STATE_KEY)
    if marker:
        try:
            return date.fromisoformat(marker) - timedelta(days=settings.overlap_days)
        except ValueError:
            log.warning("ogiltig markör %s=%r; börjar om från 'since'", STATE_KEY, marker)
    if settings.since:
        return date.fromisoformat(settings.since)
    return today - timedelta(days=settings.since_days)


def today_in_stockholm() -> date:
    return datetime.now(STOCKHOLM).date()


@register("vinnova")
class VinnovaSource(Source):
    """Vinnova (data.vinnova.se): utlysningar med ansökningsomgångar, hämtade stegvis efter datum."""

    Settings = VinnovaSettings

    # --- I/O -------------------------------------------------------------------------------

    def endpoint(self, kind: str, what: str) -> str:
        return f"{self.config.url.rstrip('/')}/{kind}/{what}"

    def fetch(self, client: httpx.Client) -> Iterator[Fetched]:
        s = self.settings
        policy = s.policy()
        today = today_in_stockholm()
        since = since_date(self.state, s, today).isoformat()
        # Stored by the runner only if this run succeeds: an outage keeps the old marker.
        self.new_state = {STATE_KEY: today.isoformat()}
        requests = 0

        def get(url: str) -> Fetched:
            nonlocal requests
            if requests and s.delay:
                time.sleep(s.delay)
            requests += 1
            return request(client, "GET", url, policy, timeout=s.timeout)

        calls_answer = get(self.endpoint(CALLS, since))
        related: dict[str, Fetched] = {}
        calls = _array(calls_answer, CALLS)
        rounds_url = self.endpoint(ROUNDS, since)
        related[rounds_url] = get(rounds_url)
        rounds = _array(related[rounds_url], ROUNDS)

        have_calls = {_text(c.get("Diarienummer")) for c in calls}
        wanted_calls = sorted(
            {d for r in rounds if (d := _text(r.get("DiarienummerUtlysning"))) and d not in have_calls}
        )
        for batch in _batches(wanted_calls):
            url = self.endpoint(CALLS, ",".join(batch))
            related[url] = get(url)
            calls.extend(_array(related[url], CALLS))

        have_rounds = {_text(r.get("Diarienummer")) for r in rounds}
        wanted_rounds = sorted({d for c in calls for d in round_numbers(c) if d not in have_rounds})
        for batch in _batches(wanted_rounds):
            url = self.endpoint(ROUNDS, ",".join(batch))
            related[url] = get(url)
        log.info("%s: %d anrop sedan %s", self.config.id, requests, since)
        calls_answer.related = related
        yield calls_answer

    # --- pure ------------------------------------------------------------------------------

    def parse(self, fetched: Fetched) -> ParsedPage:
        return parse_answers(fetched, self.config.id, self.settings.page_url)


def _batches(numbers: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(numbers), MAX_IDS):
        yield numbers[start : start + MAX_IDS]


def _array(fetched: Fetched, kind: str) -> list[dict]:
    """The answer as a list of records; ParseError for anything else (an error object, HTML, …)."""
    document = fetched.json()
    if not isinstance(document, list):
        detail = ""
        if isinstance(document, dict):
            message = document.get("Message") or document.get("message")
            detail = (
                f" ({message})" if message else f" (ett objekt med nycklarna {', '.join(list(document)[:5])})"
            )
        raise ParseError(f"{fetched.url}: svaret är ingen lista av {kind}{detail}")
    return [item for item in document if isinstance(item, dict)]


def _kind_of(url: str) -> str:
    """`utlysningar` or `ansokningsomgangar`, from the request URL's next-to-last path segment."""
    parts = httpx.URL(url).path.rstrip("/").split("/")
    return parts[-2] if len(parts) >= 2 else ""


# --- values ---------------------------------------------------------------------------------------


def _text(value: object) -> str | None:
    """A string value, or None for a placeholder (`x`, `xx`, `-`, empty) or a non-string."""
    if not isinstance(value, str):
        return None
    stripped = value.strip()
    if _PLACEHOLDER.match(stripped):
        return None
    return stripped


def is_public(record: dict) -> bool:
    """`Publik` is 1/0 in the real answers (true/false accepted); missing means public."""
    value = record.get("Publik")
    if value is None:
        return True
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value != 0
    return str(value).strip().lower() not in ("0", "false", "nej", "no")


def round_numbers(call: dict) -> list[str]:
    """The case numbers of a call's rounds (`AnsokningsomgangDnrLista`: objects or plain strings)."""
    out: list[str] = []
    for item in call.get("AnsokningsomgangDnrLista") or []:
        number = _text(item.get("DiarienummerAnsokningsomgang")) if isinstance(item, dict) else _text(item)
        if number and number not in out:
            out.append(number)
    return out


@dataclass(frozen=True)
class Moment:
    """A Vinnova timestamp: the Stockholm instant and whether a time of day was given."""

    at: datetime
    timed: bool


def parse_moment(value: object) -> Moment | None:
    """`2027-03-12T14:00:00` → 14:00 Stockholm; a date or midnight → the date alone; placeholders → None."""
    text = _text(value)
    if text is None:
        return None
    match = _TIMESTAMP.match(text)
    if not match:
        return None
    year, month, day = int(match.group(1)), int(match.group(2)), int(match.group(3))
    if year <= 1900:  # the register's "no date"
        return None
    try:
        hour, minute = int(match.group(4) or 0), int(match.group(5) or 0)
        moment = datetime(year, month, day, hour, minute)
    except ValueError:
        return None
    zone = match.group(7)
    if zone:  # not seen in Vinnova's answers, but honoured if it comes
        offset = "+00:00" if zone == "Z" else zone[:3] + ":" + zone[-2:]
        aware = datetime.fromisoformat(moment.isoformat() + offset).astimezone(STOCKHOLM)
    else:
        aware = moment.replace(tzinfo=STOCKHOLM)
    return Moment(aware, timed=(aware.hour, aware.minute) != (0, 0))


def _opening(moment: Moment) -> datetime:
    return moment.at if moment.timed else datetime.combine(moment.at.date(), clock(0, 0), tzinfo=STOCKHOLM)


def _deadline(moment: Moment) -> datetime:
    return moment.at if moment.timed else datetime.combine(moment.at.date(), clock(23, 59), tzinfo=STOCKHOLM)


# --- parse --------------------------------------------------------------------------------------


def parse_answers(fetched: Fetched, source_id: str, page_url: str = DEFAULT_PAGE_URL) -> ParsedPage:
    """The calls answer and its related answers → one listing per public call with a public round.

    Pure: `fetched` is the calls-changed answer; `fetched.related` holds the other answers by request
    URL (calls or rounds, told apart by the URL's path).
    """
    calls = _array(fetched, CALLS)
    rows = len(calls)
    rounds: dict[str, dict] = {}
    for url, answer in sorted(fetched.related.items()):
        kind = _kind_of(url)
        if kind == CALLS:
            extra = _array(answer, CALLS)
            rows += len(extra)
            calls.extend(extra)
        elif kind == ROUNDS:
            for record in _array(answer, ROUNDS):
                number = _text(record.get("Diarienummer"))
                if number:
                    rounds.setdefault(number, record)
        else:
            raise ParseError(f"{url}: okänt svar (varken {CALLS} eller {ROUNDS})")

    by_call: dict[str, list[str]] = {}
    for number, record in rounds.items():
        owner = _text(record.get("DiarienummerUtlysning"))
        if owner:
            by_call.setdefault(owner, []).append(number)

    listings: dict[str, Listing] = {}
    warnings: list[str] = []
    dropped = 0
    for position, record in enumerate(calls, start=1):
        number = _text(record.get("Diarienummer"))
        if not number:
            warnings.append(f"utlysning {position} saknar diarienummer")
            continue
        if f"{source_id}:{number}" in listings:
            dropped += 1  # the same call in two answers
            continue
        if not is_public(record):
            dropped += 1
            continue
        listed = round_numbers(record)
        numbers = listed + sorted(n for n in by_call.get(number, []) if n not in listed)
        missing = [n for n in numbers if n not in rounds]
        if missing:
            warnings.append(f"utlysning {number}: ansökningsomgång {', '.join(missing)} saknas i svaren")
        public = [rounds[n] for n in numbers if n in rounds and is_public(rounds[n])]
        if not public:
            dropped += 1  # no round anyone can apply to (yet)
            continue
        call = call_from_records(record, public, source_id, page_url)
        listings[call.id] = Listing.of(call, (len(public),))
    return ParsedPage(
        listings=list(listings.values()),
        total=None,
        rows=rows,
        dropped=dropped,
        warnings=warnings,
        complete=False,
    )


def _page(round_record: dict, page_url: str, number: str) -> str:
    given = round_record.get("Webbsida")
    if isinstance(given, str) and given.strip().startswith(("http://", "https://")):
        return given.strip()
    return page_url.format(dnr=number)


def call_from_records(call: dict, rounds: list[dict], source_id: str, page_url: str) -> Call:
    """One call and its public rounds → a Call. Dates come from the rounds only."""
    number = _text(call["Diarienummer"]) or ""
    openings = [m for m in (parse_moment(r.get("Oppningsdatum")) for r in rounds) if m]
    closings = [(m, r) for r in rounds if (m := parse_moment(r.get("Stangningsdatum")))]
    opening = min(openings, key=lambda m: m.at) if openings else None
    deadlines = sorted({_deadline(m) for m, _ in closings})
    if not closings:
        deadline_precision = "unknown"
    elif all(m.timed for m, _ in closings):
        deadline_precision = "minute"
    else:
        deadline_precision = "day"

    # The page of the round that closes last (the current offer); without closings, the first round.
    chosen = max(closings, key=lambda pair: pair[0].at)[1] if closings else rounds[0]
    chosen_number = _text(chosen.get("Diarienummer")) or number
    round_numbers_ = [n for r in rounds if (n := _text(r.get("Diarienummer")))]

    title = (
        _text(call.get("Titel"))
        or _text(call.get("TitelEngelska"))
        or _text(chosen.get("Titel"))
        or _text(chosen.get("TitelEngelska"))
        or number
    )
    description = _description(call, rounds)
    return Call(
        source=source_id,
        key=number,
        identifier=number,
        title=html_to_text(title),
        url=_page(chosen, page_url, chosen_number),
        call_type="grant",
        programme_id=_text(call.get("DiarienummerProgram")),
        programme="Vinnova",
        opening=_opening(opening) if opening else None,
        deadlines=deadlines,
        description=description,
        language="sv",
        opening_precision=("minute" if opening.timed else "day") if opening else "unknown",
        deadline_precision=deadline_precision,
        regions=["Sverige"],
        official_ids=[f"vinnova:{number}", *(f"vinnova:{n}" for n in round_numbers_ if n != number)],
    )


def _description(call: dict, rounds: Iterable[dict]) -> str:
    """The call's text (Swedish, else English), then each round's own title and text where they differ."""
    parts: list[str] = []
    main = html_to_text(_text(call.get("Beskrivning")) or _text(call.get("BeskrivningEngelska")))
    if main:
        parts.append(main)
    for record in rounds:
        text = html_to_text(_text(record.get("Beskrivning")) or _text(record.get("BeskrivningEngelska")))
        heading = html_to_text(_text(record.get("Titel")) or _text(record.get("TitelEngelska")))
        if text and text not in parts:
            parts.append(f"{heading}: {text}" if heading and heading not in text else text)
    return "\n\n".join(parts)


__all__ = [
    "MAX_IDS",
    "STATE_KEY",
    "VinnovaSettings",
    "VinnovaSource",
    "call_from_records",
    "parse_answers",
    "parse_moment",
    "since_date",
]
