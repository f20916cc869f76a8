"""iCalendar feeds of calls (kind `ical`): interreg.no's calendar of Interreg calls.

interreg.no (WordPress, The Events Calendar) exports its category "utlysninger" as
`…/kalender/kategori/utlysninger/?ical=1`: one VEVENT per call, spanning the application period,
in `TZID=Europe/Oslo` with a VTIMEZONE block, `SUMMARY` prefixed with the programme
("Europe: Third call for projects"), `DESCRIPTION` as plain text, `URL`, and a `UID` such as
`18098-1710921600-1717675200@interreg.no`: the post number, then the event's start and end as
epoch seconds. The dates in it change when the event is moved, so the key is the post number alone.

Read through the `icalendar` library, TZID honoured:
- DTSTART is the opening, DTEND the deadline (the event is the period a call is open);
- a date-time keeps minute precision in its own zone; a time with no zone ("floating") is read in
  the calendar's X-WR-TIMEZONE, else in `zone` (Europe/Oslo);
- an all-day event (VALUE=DATE) has day precision: it opens at the start of its first day and
  closes at the end of its last, which is the day *before* DTEND (RFC 5545: DTEND is exclusive);
- without DTEND, DURATION decides the end; with neither, RFC 5545 says the event ends when it
  starts (a date-time) or lasts its one day (a date);
- the programme is read from the SUMMARY's prefix before ':' and gives the regions the call is open
  to (PROGRAMMES below); the title is what follows the prefix.

Where the export falls short: the captured interreg.no event for Interreg Europe's third call ends at
6 June 12:00 while its text says the call closes 7 June; the calendar's end is what we keep (the
earlier of the two, so no one is told to apply too late).
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import httpx
import icalendar

from monitor import dates
from monitor.errors import ParseError
from monitor.http import Fetched, request
from monitor.records import Call
from monitor.sources import HttpSettings, Listing, ParsedPage, Source, register
from monitor.text import html_to_text

log = logging.getLogger(__name__)

ACCEPT = "text/calendar, */*;q=0.5"


@dataclass(frozen=True)
class Programme:
    name: str
    regions: tuple[str, ...]


# SUMMARY prefixes as interreg.no writes them (Norwegian), and their Swedish, Danish and English
# forms → the programme and the regions it is open to, in the names monitor.regions knows.
# Interreg Europe, URBACT, ESPON and Interact cover the whole EU. Aurora, NPA (Northern Periphery
# and Arctic) and Kolarctic cover only the north of Sweden, so Åmål's profile hides them.
_EU = ("EU",)
PROGRAMMES: dict[str, Programme] = {}
for _names, _programme in (
    (("Europe", "Interreg Europe"), Programme("Interreg Europe", _EU)),
    (
        ("Sverige-Norge", "Norge-Sverige", "Interreg Sverige-Norge", "Sweden-Norway"),
        Programme("Interreg Sverige-Norge", ("Sverige-Norge",)),
    ),
    (
        (
            "ØKS",
            "ÖKS",
            "Öresund-Kattegat-Skagerrak",
            "Øresund-Kattegat-Skagerrak",
            "Interreg ØKS",
            "Interreg ÖKS",
            "Interreg Öresund-Kattegat-Skagerrak",
        ),
        Programme("Interreg Öresund-Kattegat-Skagerrak", ("Öresund-Kattegat-Skagerrak",)),
    ),
    (
        ("Nordsjøen", "Nordsjön", "Nordsøen", "North Sea", "Interreg Nordsjøen", "Interreg North Sea"),
        Programme("Interreg North Sea", ("North Sea",)),
    ),
    (
        (
            "Østersjøen",
            "Östersjön",
            "Østersøen",
            "Baltic Sea",
            "Baltic Sea Region",
            "Interreg Østersjøen",
            "Interreg Baltic Sea Region",
        ),
        Programme("Interreg Baltic Sea Region", ("Baltic Sea Region",)),
    ),
    (("URBACT",), Programme("URBACT", _EU)),
    (("ESPON",), Programme("ESPON", _EU)),
    (("Interact",), Programme("Interact", _EU)),
    (("Aurora", "Interreg Aurora"), Programme("Interreg Aurora", ("Aurora",))),
    (
        ("NPA", "Northern Periphery and Arctic", "Interreg NPA"),
        Programme("Interreg Northern Periphery and Arctic", ("Northern Periphery and Arctic",)),
    ),
    (("Kolarctic", "Interreg Kolarctic"), Programme("Kolarctic", ("Kolarctic",))),
):
    for _name in _names:
        PROGRAMMES[" ".join(unicodedata.normalize("NFC", _name).casefold().split())] = _programme

# The Events Calendar's UID: <post number>-<start epoch>-<end epoch>@<host>.
EVENTS_CALENDAR_UID = re.compile(r"^(\d+)-\d+-\d+@([\w.-]+)$")
_DASHES = str.maketrans({"–": "-", "—": "-", "‐": "-", "‑": "-"})


@dataclass
class IcalSettings(HttpSettings):
    zone: str = field(
        default="Europe/Oslo",
        metadata={"help": "tidszon för tider utan zon och för heldagshändelser (interreg.no: Europe/Oslo)"},
    )

    def check(self) -> list[tuple[str, str]]:
        problems = super().check()
        try:
            ZoneInfo(self.zone)
        except (ZoneInfoNotFoundError, ValueError):
            problems.append(("zone", f"'{self.zone}' är ingen känd tidszon (t.ex. Europe/Oslo)."))
        return problems


@register("ical")
class IcalSource(Source):
    """iCalendar-flöde med utlysningar (interreg.no): öppnar vid DTSTART, stänger vid DTEND."""

    Settings = IcalSettings

    def fetch(self, client: httpx.Client) -> Iterator[Fetched]:
        s = self.settings
        yield request(
            client, "GET", self.config.url, s.policy(), headers={"Accept": ACCEPT}, timeout=s.timeout
        )

    def parse(self, fetched: Fetched) -> ParsedPage:
        return parse_calendar(fetched, self.config.id, self.settings)


# --- pure ------------------------------------------------------------------------------------


def parse_calendar(fetched: Fetched, source_id: str, settings: IcalSettings | None = None) -> ParsedPage:
    """One fetched calendar → one listing per VEVENT. Pure."""
    settings = settings or IcalSettings()
    try:
        calendar = icalendar.Calendar.from_ical(fetched.content)
    except (ValueError, IndexError, KeyError) as exc:
        status = f" (HTTP {fetched.status})" if fetched.status != 200 else ""
        raise ParseError(f"{fetched.url}{status}: ingen läsbar iCalendar-kalender ({exc})") from None
    if calendar.name != "VCALENDAR":
        raise ParseError(f"{fetched.url}: svaret är ingen VCALENDAR utan {calendar.name}")
    zone = _calendar_zone(calendar, settings.zone)
    fallback_url = str(calendar.get("X-ORIGINAL-URL") or "") or fetched.url
    events = calendar.walk("VEVENT")

    best: dict[str, Listing] = {}
    dropped = 0
    warnings: list[str] = []
    for position, event in enumerate(events, start=1):
        try:
            call = call_from_event(event, source_id, zone, fallback_url)
        except (ValueError, TypeError, KeyError) as exc:
            summary = str(event.get("SUMMARY") or "utan rubrik")
            warnings.append(f"händelse {position} ({summary}): {exc}")
            continue
        listing = Listing.of(call, (int(bool(call.description)), len(call.deadlines)))
        kept = best.get(listing.id)
        if kept is None or listing.completeness > kept.completeness:
            dropped += kept is not None
            best[listing.id] = listing
        else:
            dropped += 1
    return ParsedPage(listings=list(best.values()), rows=len(events), dropped=dropped, warnings=warnings)


def call_from_event(event: icalendar.Event, source_id: str, zone: ZoneInfo, fallback_url: str) -> Call:
    """One VEVENT → a Call. ValueError when it has no UID or no DTSTART."""
    uid = str(event.get("UID") or "").strip()
    if not uid:
        raise ValueError("saknar UID och hoppas över")
    start_prop = event.get("DTSTART")
    if start_prop is None:
        raise ValueError("saknar DTSTART och hoppas över")
    start = start_prop.dt
    end = _end(event, start)

    opening, opening_precision = _opening(start, zone)
    deadline, deadline_precision = _deadline(end, start, zone)

    summary = " ".join(str(event.get("SUMMARY") or "").split())
    programme, title = split_summary(summary)
    programme_name = programme.name if programme else None
    if programme is None:
        programme_name, title = _unknown_programme(summary)
    key = stable_uid(uid)
    return Call(
        source=source_id,
        key=key,
        identifier=key,
        title=title or summary or key,
        url=str(event.get("URL") or "").strip() or fallback_url,
        programme=programme_name,
        opening=opening,
        deadlines=[deadline] if deadline else [],
        description=html_to_text(str(event.get("DESCRIPTION") or "")),
        opening_precision=opening_precision,
        deadline_precision=deadline_precision,
        regions=list(programme.regions) if programme else [],
        official_ids=[key],
    )


def stable_uid(uid: str) -> str:
    """A UID that survives the event being moved: `18098-1710921600-1717675200@interreg.no` →
    `interreg.no:18098`; any other UID as it is."""
    match = EVENTS_CALENDAR_UID.match(uid)
    return f"{match.group(2).lower()}:{match.group(1)}" if match else uid


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).translate(_DASHES).casefold().split())


def split_summary(summary: str) -> tuple[Programme | None, str]:
    """(the programme a SUMMARY starts with, the rest) or (None, the whole SUMMARY)."""
    prefix, colon, rest = summary.partition(":")
    if not colon:
        return None, summary
    programme = PROGRAMMES.get(_fold(prefix))
    return (programme, rest.strip()) if programme else (None, summary)


def _unknown_programme(summary: str) -> tuple[str | None, str]:
    """(programme, title) for a prefix not in PROGRAMMES: taken as the programme's name when it is
    short enough to be one (interreg.no prefixes every call so), else no programme and the whole SUMMARY."""
    prefix, colon, rest = summary.partition(":")
    prefix, rest = prefix.strip(), rest.strip()
    if colon and prefix and rest and len(prefix.split()) <= 4:
        return prefix, rest
    return None, summary


def _calendar_zone(calendar: icalendar.Calendar, default: str) -> ZoneInfo:
    named = str(calendar.get("X-WR-TIMEZONE") or "").strip()
    for name in (named, default):
        if name:
            try:
                return ZoneInfo(name)
            except (ZoneInfoNotFoundError, ValueError):
                continue
    return ZoneInfo("Europe/Oslo")


def _end(event: icalendar.Event, start: date | datetime) -> date | datetime:
    end_prop = event.get("DTEND")
    if end_prop is not None:
        return end_prop.dt
    duration = event.get("DURATION")
    if duration is not None:
        return start + duration.dt
    if isinstance(start, datetime):
        return start
    return start + timedelta(days=1)


def _aware(moment: datetime, zone: ZoneInfo) -> datetime:
    return moment.replace(tzinfo=zone) if moment.tzinfo is None else moment


def _opening(start: date | datetime, zone: ZoneInfo) -> tuple[datetime, str]:
    if isinstance(start, datetime):
        return _aware(start, zone), dates.MINUTE
    return datetime.combine(start, time(0, 0), tzinfo=zone), dates.DAY


def _deadline(end: date | datetime, start: date | datetime, zone: ZoneInfo) -> tuple[datetime, str]:
    if isinstance(end, datetime):
        return _aware(end, zone), dates.MINUTE
    # DTEND of an all-day event is the day after its last; some exporters write the last day itself
    # for a one-day event, which must not end before it starts.
    first_day = start.date() if isinstance(start, datetime) else start
    last_day = max(end - timedelta(days=1), first_day)
    day = dates.FuzzyDate(datetime.combine(last_day, time(0, 0), tzinfo=zone), dates.DAY)
    return day.latest, dates.DAY
