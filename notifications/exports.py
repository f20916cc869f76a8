"""Exports for the tools people already use: a calendar (.ics) and a sheet for Swedish Excel (.csv).

``build_ics(events, now)``: one VEVENT per deadline. The UID comes from the call id and the deadline's
index, never from the date, so re-importing after a deadline moved updates the event (SEQUENCE
counts the store's changes). Minute deadlines are timed in Europe/Stockholm with its VTIMEZONE;
day and month precision become all-day events. A VALARM fires 7 days before (configurable).

``build_csv(calls, now)`` / ``csv_table(header, rows)``: UTF-8 with BOM, ";" and CRLF (what Excel
with Swedish settings opens without an import dialog), Stockholm dates "2026-12-12 17:00", decimal
comma, and cells that Excel would run as a formula (= + - @, tab, CR) prefixed with "'".
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta

import icalendar

from notifications import dates, render
from notifications.model import AreaInfo, DeadlineEvent, DigestCall

CALNAME = "EU-bevakning Åmål"
ALARM_DAYS = 7
PRODID = "-//eumonitor//EU-bevakning//SV"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

Cell = str | int | float | date | datetime | None


def event_uid(call_id: str, index: int) -> str:
    """Stable per call and deadline slot: the date is left out on purpose."""
    digest = hashlib.sha256(call_id.encode("utf-8")).hexdigest()[:24]
    return f"{digest}-{index}@eumonitor"


def _description(event: DeadlineEvent) -> str:
    lines = [f"Sista ansökningsdag: {dates.format_deadline(event.deadline, event.deadline_precision)}"]
    if event.programme:
        lines.append(f"Program: {render.clean(event.programme)}")
    if event.score is not None:
        lines.append(f"Poäng: {event.score}/100")
    why = ", ".join(render.clean(w) for w in event.why if render.clean(w))
    if why:
        lines.append(f"Varför: {why}")
    url = render.safe_url(event.url)
    if url:
        lines.append(url)
    return "\n".join(lines)


def build_ics(
    events: Iterable[DeadlineEvent],
    now: datetime,
    calname: str = CALNAME,
    alarm_days: int | None = ALARM_DAYS,
) -> bytes:
    """An iCalendar file with one event per deadline; `alarm_days=None` leaves the alarms out."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", calname)
    calendar.add("x-wr-timezone", "Europe/Stockholm")
    stamp = now.astimezone(UTC)
    for event in events:
        if event.deadline_precision == "unknown":
            continue
        title = render.clean(event.title) or "(utlysning utan titel)"
        vevent = icalendar.Event()
        vevent.add("uid", event_uid(event.call_id, event.index))
        vevent.add("dtstamp", stamp)
        vevent.add("sequence", event.sequence)
        vevent.add("summary", f"Sista dag: {title}")
        vevent.add("description", _description(event))
        url = render.safe_url(event.url)
        if url:
            vevent.add("url", url)
        local = dates.local(event.deadline)
        if event.deadline_precision == "minute":
            # No DTEND: RFC 5545 wants DTEND after DTSTART, and a deadline is an instant.
            vevent.add("dtstart", local)
        else:
            # A day or a month: an all-day event on the last day it allows.
            vevent.add("dtstart", local.date())
            vevent.add("dtend", local.date() + timedelta(days=1))
        vevent.add("transp", "TRANSPARENT")  # a deadline does not make anyone busy
        if alarm_days is not None:
            alarm = icalendar.Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", f"Sista ansökningsdag om {alarm_days} dagar: {title}")
            alarm.add("trigger", timedelta(days=-alarm_days))
            vevent.add_component(alarm)
        calendar.add_component(vevent)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def _cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, datetime):
        return dates.format_short(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        # Swedish Excel reads "3,5" as a number and "3.5" as text.
        return f"{value:.10g}".replace(".", ",")
    text = render.clean(value)
    if text.startswith(_FORMULA_START):
        text = "'" + text
    return text


def csv_table(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> bytes:
    """Any table as CSV bytes for Swedish Excel; strings are neutralised against formulas."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([_cell(h) for h in header])
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


def build_csv(calls: Iterable[DigestCall], now: datetime, areas: Sequence[AreaInfo] = ()) -> bytes:
    """The calls as a sheet, one row each; with `areas`, one score column per area."""
    header = [
        "Titel",
        "Program",
        "Status",
        "Öppnar",
        "Sista ansökningsdag",
        "Dagar kvar",
        "Poäng",
        "Bästa område",
        "Varför",
        "Kommunen kan söka",
        "Skäl om inte",
        "Källor",
        "Länk",
        "Id",
        *(f"Poäng: {a.name}" for a in areas),
    ]
    names = {a.key: a.name for a in areas}
    statuses = {"open": "öppen", "forthcoming": "kommande", "closed": "stängd"}
    rows = []
    for call in calls:
        left = (
            dates.days_left(call.deadline, now)
            if call.deadline and call.deadline_precision != "unknown" and call.deadline >= now
            else None
        )
        rows.append(
            [
                call.title,
                call.programme,
                statuses.get(call.status, call.status),
                dates.format_short(call.opening, "day") if call.opening else None,
                dates.format_short(call.deadline, call.deadline_precision),
                left,
                call.score,
                names.get(call.best_area, call.best_area),
                ", ".join(call.why),
                call.eligible,
                None if call.eligible else call.ineligible_reason,
                ", ".join(call.sources),
                call.url,
                call.id,
                *(call.score_in(a.key) for a in areas),
            ]
        )
    return csv_table(header, rows)
