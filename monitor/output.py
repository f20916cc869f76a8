"""How calls look to people and to programs: JSON objects, CSV rows, tables and the `show` page.

Pure functions of stored rows and the clock. Everything a person reads is Swedish; dates are shown
in Europe/Stockholm.
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import datetime
from typing import Any

from monitor.areas import AREA_SHORT
from monitor.records import (
    CLOSED,
    MONTHS_SV,
    STOCKHOLM,
    decide_status,
    from_utc_text,
    local_iso,
    next_deadline,
)
from monitor.regions import open_to

STATUS_SV = {"open": "öppen", "forthcoming": "kommande", "closed": "stängd"}
TYPE_SV = {"grant": "bidrag", "cascade_funding": "kaskadfinansiering", "external_action": "externt bistånd"}
EVENT_SV = {
    "new": "ny",
    "deadline_changed": "deadline ändrad",
    "status_changed": "status ändrad",
    "closed": "stängd",
    "reappeared": "tillbaka i listan",
    "page_changed": "sidan ändrad",
}
MARK_SV = {"relevant": "relevant", "not-relevant": "inte relevant", "interesting": "intressant"}


def _dates(row: dict) -> tuple[datetime | None, list[datetime]]:
    opening = from_utc_text(row.get("opening"))
    deadlines = [d for d in (from_utc_text(t) for t in json.loads(row.get("deadlines") or "[]")) if d]
    return opening, deadlines


def current_status(row: dict, now: datetime) -> str:
    """The status now: closed when the source no longer lists it, else decided from its dates."""
    if not row.get("listed"):
        return CLOSED
    opening, deadlines = _dates(row)
    return decide_status(opening, deadlines, now, row.get("source_status"))


def regions_of(row: dict) -> list[str]:
    return json.loads(row.get("regions") or "[]")


def call_json(row: dict, now: datetime, members: list[dict] | None = None) -> dict[str, Any]:
    """The JSON object of one call (the format the README documents).

    `members` are the records of every source that lists the call (Store.members_by_group).
    """
    opening, deadlines = _dates(row)
    regions = regions_of(row)
    is_open_here, region_note = open_to(regions)
    members = members or [{"id": row["id"], "source": row["source"], "url": row["url"]}]
    return {
        "id": row["id"],
        "source": row["source"],
        "identifier": row["identifier"],
        "title": row["title"],
        "url": row["url"],
        "programme": row["programme"],
        "programme_id": row["programme_id"],
        "type": row["call_type"],
        "call_identifier": row["call_identifier"],
        "call_title": row["call_title"],
        "status": current_status(row, now),
        "source_status": row["source_status"],
        "opening_date": local_iso(opening),
        "deadlines": [local_iso(d) for d in deadlines],
        "next_deadline": local_iso(next_deadline(deadlines, now)),
        "deadline_model": row["deadline_model"],
        "description": row["description"] or "",
        "conditions": row["conditions"] or "",
        "keywords": json.loads(row["keywords"] or "[]"),
        "budget": json.loads(row["budget"]) if row["budget"] else None,
        "language": row["language"],
        "types_of_action": json.loads(row["types_of_action"] or "[]"),
        "listed": bool(row["listed"]),
        "opening_precision": row.get("opening_precision") or "day",
        "deadline_precision": row.get("deadline_precision") or "minute",
        "regions": regions,
        "open_to_municipality": is_open_here,
        "region_note": region_note,
        "official_ids": json.loads(row.get("official_ids") or "[]"),
        "sources": [{"source": m["source"], "id": m["id"], "url": m["url"]} for m in members],
        "first_seen": local_iso(from_utc_text(row["first_seen"])),
        "last_seen": local_iso(from_utc_text(row["last_seen"])),
        "last_changed": local_iso(from_utc_text(row["last_changed"])),
        **score_json(row),
    }


def score_json(row: dict) -> dict[str, Any]:
    """The matcher's verdict on a call (None throughout when it has not been scored yet)."""
    scored = row.get("scores") is not None
    return {
        "scores": json.loads(row["scores"]) if scored else None,
        "best_area": row.get("best_area") if scored else None,
        "best_score": row.get("best_score") if scored else None,
        "why": json.loads(row.get("why") or "{}") if scored else None,
        "eligible": bool(row["eligible"]) if scored and row.get("eligible") is not None else None,
        "ineligible_reason": row.get("ineligible_reason") if scored else None,
    }


def score_cell(row: dict, area: str | None = None) -> tuple[str, str]:
    """The table's score and why cells: '72', 'town twinning, medborgarengagemang'.

    With `area`, that area's score; otherwise the best area's. A call the municipality cannot apply
    to says so in the why cell."""
    if row.get("scores") is None:
        return "", ""
    scores = json.loads(row["scores"])
    key = area or row.get("best_area")
    if not key:
        return "0", ""
    why = json.loads(row.get("why") or "{}").get(key, [])
    text = ", ".join(why)
    if row.get("eligible") == 0 and row.get("ineligible_reason"):
        text = f"{text} ({row['ineligible_reason']})" if text else row["ineligible_reason"]
    return str(scores.get(key, 0)), text


def mark_json(row: dict) -> dict[str, Any]:
    return {
        "call_id": row["call_id"],
        "mark": row["mark"],
        "area": row["area"],
        "note": row["note"],
        "who": row["who"],
        "at": local_iso(from_utc_text(row["at"])),
    }


def event_json(row: dict) -> dict[str, Any]:
    return {
        "at": local_iso(from_utc_text(row["at"])),
        "event": row["event"],
        "detail": json.loads(row["detail"] or "{}"),
        "run_id": row["run_id"],
    }


def short_time(moment: datetime | None) -> str:
    """2027-04-08 17:00 in Stockholm time ('' for none)."""
    return moment.astimezone(STOCKHOLM).strftime("%Y-%m-%d %H:%M") if moment else ""


def swedish_date(moment: datetime | None, precision: str = "minute") -> str:
    """8 april 2027 kl. 17.00, as Swedes write it; as precise as the source was."""
    if moment is None or precision == "unknown":
        return "–" if moment is None else "ej bestämt"
    local = moment.astimezone(STOCKHOLM)
    if precision == "month":
        return f"{MONTHS_SV[local.month - 1]} {local.year}"
    text = f"{local.day} {MONTHS_SV[local.month - 1]} {local.year}"
    if precision == "minute" and (local.hour, local.minute) != (0, 0):
        text += f" kl. {local.hour:02d}.{local.minute:02d}"
    return text


def days_left(moment: datetime | None, now: datetime) -> str:
    if moment is None:
        return ""
    days = (moment.astimezone(STOCKHOLM).date() - now.astimezone(STOCKHOLM).date()).days
    return str(days)


def programme_short(programme: str | None) -> str:
    """'Erasmus+ (ERASMUS+)' → 'ERASMUS+'."""
    if not programme:
        return ""
    found = re.search(r"\(([^()]+)\)\s*$", programme)
    return found.group(1) if found else programme


CSV_COLUMNS = [
    "id",
    "source",
    "identifier",
    "title",
    "programme",
    "type",
    "status",
    "opening_date",
    "next_deadline",
    "deadlines",
    "url",
    "regions",
    "sources",
    "first_seen",
    "last_changed",
    "best_area",
    "best_score",
]


def calls_csv(rows: list[dict], now: datetime, members: dict[str, list[dict]] | None = None) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        item = call_json(row, now, (members or {}).get(row["id"]))
        item["deadlines"] = "; ".join(item["deadlines"])
        item["regions"] = "; ".join(item["regions"])
        item["sources"] = "; ".join(m["source"] for m in item["sources"])
        writer.writerow([item[c] if item[c] is not None else "" for c in CSV_COLUMNS])
    return buffer.getvalue()


def table_cells(
    row: dict, now: datetime, members: dict[str, list[dict]] | None = None, area: str | None = None
) -> dict[str, str]:
    """One call's cells for the `calls` table, keyed by the Swedish column header."""
    opening, deadlines = _dates(row)
    upcoming = next_deadline(deadlines, now)
    precision = row.get("deadline_precision") or "minute"
    sources = [m["source"] for m in (members or {}).get(row["id"], [])] or [row["source"]]
    score, why = score_cell(row, area)
    return {
        "Identifierare": row["identifier"] if row["call_type"] != "cascade_funding" else row["key"],
        "Titel": row["title"],
        "Program": programme_short(row["programme"]),
        "Status": STATUS_SV[current_status(row, now)],
        "Öppnar": opening.astimezone(STOCKHOLM).strftime("%Y-%m-%d") if opening else "",
        "Nästa deadline": short_time(upcoming) if precision == "minute" else _short_day(upcoming, precision),
        "Dagar kvar": days_left(upcoming, now) if upcoming and upcoming >= now else "",
        "Källor": ", ".join(sources),
        "Poäng": score,
        "Område": AREA_SHORT.get(area or row.get("best_area") or "", "") if score else "",
        "Varför": why,
    }


def _short_day(moment: datetime | None, precision: str) -> str:
    if moment is None or precision == "unknown":
        return "ej bestämt" if precision == "unknown" else ""
    local = moment.astimezone(STOCKHOLM)
    return local.strftime("%Y-%m") if precision == "month" else local.strftime("%Y-%m-%d")


TABLE_HEADERS = [
    "Identifierare",
    "Titel",
    "Program",
    "Status",
    "Öppnar",
    "Nästa deadline",
    "Dagar kvar",
    "Källor",
]
SCORE_HEADERS = ["Poäng", "Område", "Varför"]
# The demo: what a strategist looks at first (the best matches, their deadline and why).
DEMO_HEADERS = ["Identifierare", "Titel", "Nästa deadline", "Dagar kvar", "Källor", *SCORE_HEADERS]


def score_lines(item: dict, area_names: dict[str, str]) -> list[str]:
    """The matcher's verdict for `show`: each area's score, best first, with why."""
    if item["scores"] is None:
        return [f"{'Poäng:':<18} inte poängsatt än (kör 'eumonitor match')"]
    best = item["best_area"]
    lines = [f"{'Bästa område:':<18} {area_names.get(best, best) if best else 'inget'}"]
    if item["eligible"] is False:
        lines.append(f"{'Kan kommunen söka:':<18} nej – {item['ineligible_reason']}")
    lines.append("Poäng per område:")
    for key, value in sorted(item["scores"].items(), key=lambda kv: -kv[1]):
        why = item["why"].get(key)
        lines.append(f"  {value:>3}  {area_names.get(key, key)}" + (f" – {', '.join(why)}" if why else ""))
    return lines


def show_text(
    row: dict,
    events: list[dict],
    now: datetime,
    members: list[dict] | None = None,
    area_names: dict[str, str] | None = None,
    marks: list[dict] | None = None,
) -> str:
    """Everything about one call, in Swedish, for `eumonitor show`."""
    item = call_json(row, now, members)
    opening_precision, deadline_precision = item["opening_precision"], item["deadline_precision"]
    opening, deadlines = _dates(row)
    upcoming = next_deadline(deadlines, now)
    lines = [item["title"], "=" * min(len(item["title"]), 100), ""]

    def add(label: str, value: Any) -> None:
        if value not in (None, "", []):
            lines.append(f"{label + ':':<18} {value}")

    add("Id", item["id"])
    add("Identifierare", item["identifier"])
    add("Utlysning", " – ".join(x for x in (item["call_identifier"], item["call_title"]) if x))
    add("Program", item["programme"] or item["programme_id"])
    add("Typ", TYPE_SV.get(item["type"], item["type"]))
    status = STATUS_SV[item["status"]]
    if item["source_status"] and item["source_status"] != item["status"]:
        status += f" (källan säger {STATUS_SV.get(item['source_status'], item['source_status'])})"
    if not item["listed"]:
        status += " – finns inte längre i källans lista"
    add("Status", status)
    add("Öppnar", swedish_date(opening, opening_precision))
    if deadlines:
        add("Deadlines", ", ".join(swedish_date(d, deadline_precision) for d in deadlines))
        if upcoming and upcoming >= now:
            left = days_left(upcoming, now)
            add("Nästa deadline", f"{swedish_date(upcoming, deadline_precision)} ({left} dagar kvar)")
    elif deadline_precision == "unknown":
        add("Deadlines", "ej bestämt")
    add("Ansökningsmodell", item["deadline_model"])
    add("Insatstyp", ", ".join(item["types_of_action"]))
    if item["budget"]:
        add("Budget", _budget_text(item["budget"]))
    add("Regioner", ", ".join(item["regions"]) or "anges inte")
    add("Öppen för kommunen", ("ja – " if item["open_to_municipality"] else "nej – ") + item["region_note"])
    add("Länk", item["url"])
    if len(item["sources"]) > 1:
        add("Källor", ", ".join(m["source"] for m in item["sources"]))
        for member in item["sources"][1:]:
            add(f"  {member['source']}", member["url"])
    else:
        add("Källa", item["source"])
    add("Språk", item["language"])
    lines += score_lines(item, area_names or {})
    add("Först sedd", short_time(from_utc_text(row["first_seen"])))
    add("Senast sedd", short_time(from_utc_text(row["last_seen"])))
    add("Senast ändrad", short_time(from_utc_text(row["last_changed"])))
    if item["keywords"]:
        lines += ["", "Nyckelord: " + ", ".join(item["keywords"])]
    if item["description"]:
        lines += ["", "Beskrivning", "-----------", item["description"]]
    if item["conditions"]:
        lines += ["", "Villkor", "-------", item["conditions"]]
    if marks:
        lines += ["", "Markeringar", "-----------"]
        for mark in marks:
            area = f" ({area_names.get(mark['area'], mark['area']) if area_names else mark['area']})"
            lines.append(
                f"{short_time(from_utc_text(mark['at']))}  {MARK_SV.get(mark['mark'], mark['mark'])}"
                f"{area if mark['area'] else ''} av {mark['who']}"
                + (f": {mark['note']}" if mark["note"] else "")
            )
    lines += ["", "Historik", "--------"]
    for event in events:
        detail = json.loads(event["detail"] or "{}")
        lines.append(
            f"{short_time(from_utc_text(event['at']))}  {EVENT_SV.get(event['event'], event['event'])}"
            f"{_event_detail(event['event'], detail)}"
        )
    if not events:
        lines.append("(ingen)")
    return "\n".join(lines)


def _budget_text(budget: dict) -> str:
    def eur(value: float | None) -> str:
        return f"{value:,.0f} €".replace(",", " ") if value is not None else ""

    parts = []
    if budget.get("total_eur") is not None:
        parts.append(f"totalt {eur(budget['total_eur'])}")
    if budget.get("min_grant_eur") is not None or budget.get("max_grant_eur") is not None:
        low, high = budget.get("min_grant_eur"), budget.get("max_grant_eur")
        parts.append(f"per projekt {eur(low)}" if low == high else f"per projekt {eur(low)}–{eur(high)}")
    if budget.get("expected_grants"):
        parts.append(f"{budget['expected_grants']} projekt väntas")
    return ", ".join(parts)


def _event_detail(kind: str, detail: dict) -> str:
    if kind == "deadline_changed":
        old = ", ".join(swedish_date(from_utc_text(t)) for t in detail.get("old", []))
        new = ", ".join(swedish_date(from_utc_text(t)) for t in detail.get("new", []))
        return f": {old or '–'} → {new or '–'}"
    if kind in ("status_changed", "closed") and "old" in detail:
        text = (
            f": {STATUS_SV.get(detail['old'], detail['old'])} → {STATUS_SV.get(detail['new'], detail['new'])}"
        )
        if detail.get("reason") == "unlisted":
            text += " (finns inte längre i källans lista)"
        return text
    if kind == "page_changed" and detail.get("summary"):
        return f": {detail['summary']}"
    if kind == "new" and detail.get("status"):
        return f" ({STATUS_SV.get(detail['status'], detail['status'])})"
    return ""
