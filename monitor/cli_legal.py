"""The `eumonitor` commands for legal items: `directives` and `alerts` (and `show` for an act).

Registered on monitor.cli's group when that module is imported.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

import click

from monitor.cli import EXIT_SOURCE_FAILED, Context, _console, _now, fail, main
from monitor.cli_notify import _mode, _preview_sender, _report, _smtp_sender
from notifications.alerts import KIND_SV

EVENT_SV = {"new": "ny", "changed": "ändrad", "deadline_changed": "genomförandefrist ändrad"}


def legal_json(row: dict) -> dict[str, Any]:
    """The JSON object of one legal item (the format the README documents)."""
    from monitor.records import from_utc_text, local_iso

    data = json.loads(row["data"])
    routed = row.get("routed_to")
    return {
        "id": row["id"],
        "kind": row["kind"],
        "celex": row["celex"],
        "act_type": data.get("act_type"),
        "title": data.get("title_sv") or data.get("title_en") or row["id"],
        "title_sv": data.get("title_sv"),
        "title_en": data.get("title_en"),
        "date": data.get("date"),
        "transposition_deadlines": data.get("transposition_deadlines") or [],
        "next_transposition": row["next_transposition"],
        "feedback_end": local_iso(from_utc_text(row["feedback_end"])),
        "subjects": [
            s.get("label_sv") or s.get("label_en") or s.get("uri") for s in data.get("subjects") or []
        ],
        "url": data.get("url"),
        "url_en": data.get("url_en"),
        "summary": data.get("summary") or "",
        "sources": json.loads(row["sources"] or "[]"),
        "routed_to": json.loads(routed) if routed is not None else None,
        "scores": json.loads(row["route_scores"]) if row.get("route_scores") else None,
        "why": json.loads(row["route_why"]) if row.get("route_why") else None,
        "first_seen": local_iso(from_utc_text(row["first_seen"])),
        "last_changed": local_iso(from_utc_text(row["last_changed"])),
    }


def legal_show_text(item: dict, events: list[dict], names: dict[str, str]) -> str:
    from monitor.output import short_time
    from monitor.records import from_utc_text

    lines = [item["title"], "=" * min(len(item["title"]), 100), ""]

    def add(label: str, value: Any) -> None:
        if value not in (None, "", []):
            lines.append(f"{label + ':':<22} {value}")

    add("Id", item["id"])
    add("Typ", KIND_SV.get(item["kind"], item["kind"]))
    add("CELEX", item["celex"])
    add("Datum", item["date"])
    add("Genomförs senast", ", ".join(item["transposition_deadlines"]))
    add("Synpunkter senast", item["feedback_end"])
    add("Engelsk titel", item["title_en"] if item["title_en"] != item["title"] else None)
    add("Ämnen", ", ".join(item["subjects"]))
    add("Länk", item["url"])
    add("Källor", ", ".join(item["sources"]))
    if item["routed_to"] is None:
        add("Berör", "inte fördelad än (kör 'eumonitor match')")
    else:
        add("Berör", ", ".join(names.get(k, k) for k in item["routed_to"]) or "ingen förvaltning")
        for key, score in sorted((item["scores"] or {}).items(), key=lambda kv: -kv[1]):
            why = (item["why"] or {}).get(key)
            lines.append(f"  {score:>3}  {names.get(key, key)}" + (f" – {', '.join(why)}" if why else ""))
    if item["summary"]:
        lines += ["", item["summary"]]
    lines += ["", "Historik", "--------"]
    for event in events:
        lines.append(
            f"{short_time(from_utc_text(event['at']))}  {EVENT_SV.get(event['event'], event['event'])}"
        )
    return "\n".join(lines)


def _since_day(since: str) -> date:
    try:
        return date.fromisoformat(since)
    except ValueError:
        fail(f"--since {since!r} är inget datum; skriv ÅÅÅÅ-MM-DD, t.ex. 2026-01-01")


def _route_if_needed(state: Context) -> None:
    """Route items that have not been routed with the current profile (cheap: no scikit-learn)."""
    from monitor.matching import route_legal

    profile = state.profile_if_any()
    if profile is not None:
        route_legal(state.store(), profile)


@main.command("directives")
@click.option("--forvaltning", metavar="KEY", help="Bara det som berör denna förvaltning (t.ex. sbf).")
@click.option("--since", metavar="DATE", help="Bara rättsakter från detta datum (ÅÅÅÅ-MM-DD; aktens datum).")
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True
)
@click.pass_obj
def directives_command(state: Context, forvaltning: str | None, since: str | None, fmt: str) -> None:
    """Lista EU-rättsakter, förslag och samråd, och vilka förvaltningar de berör.

    \b
    Exempel:
      eumonitor directives
      eumonitor directives --forvaltning sbf --since 2026-01-01
      eumonitor directives --format json
    """
    from monitor.legal_store import legal_rows

    names: dict[str, str] = {}
    profile = state.profile_if_any()
    if profile is not None:
        names = {key: f.name for key, f in profile.forvaltningar.items()}
        if forvaltning and forvaltning not in names:
            fail(f"okänd förvaltning '{forvaltning}'; profilens förvaltningar: {', '.join(names)}")
    _route_if_needed(state)
    items = [legal_json(row) for row in legal_rows(state.store())]
    if since:
        floor = _since_day(since).isoformat()
        items = [i for i in items if (i["date"] or i["first_seen"][:10]) >= floor]
    if forvaltning:
        items = [i for i in items if forvaltning in (i["routed_to"] or [])]
    if fmt == "json":
        click.echo(json.dumps(items, ensure_ascii=False, indent=2))
        return
    rows = [
        [
            KIND_SV.get(i["kind"], i["kind"]),
            i["celex"] or i["id"],
            i["title"],
            i["date"] or "",
            i["next_transposition"] or (i["feedback_end"] or "")[:10],
            ", ".join(i["routed_to"] or []) or "–",
            ", ".join(_why_of(i)),
        ]
        for i in items
    ]
    headers = ["Typ", "CELEX/id", "Titel", "Datum", "Frist", "Berör", "Varför"]
    if fmt == "csv":
        from notifications.exports import csv_table

        sys.stdout.buffer.write(csv_table(headers, rows))
        return
    if not rows:
        click.echo("Inga rättsakter" + (f" för {forvaltning}." if forvaltning else "."))
        return
    from rich.table import Table
    from rich.text import Text

    table = Table(title="EU-rättsakter och samråd", title_justify="left")
    for header in headers:
        table.add_column(header, overflow="fold", ratio=1 if header in ("Titel", "Varför") else None)
    for row in rows:
        table.add_row(*(Text(cell) for cell in row))
    _console().print(table)
    click.echo(f"{len(rows)} rättsakter och samråd.")


def _why_of(item: dict) -> list[str]:
    routed = item["routed_to"] or []
    return (item["why"] or {}).get(routed[0], []) if routed else []


def show_legal(state: Context, wanted: str, fmt: str) -> bool:
    """`eumonitor show` for a legal item; False when there is none by that id or CELEX."""
    from monitor.legal_store import get_legal, legal_events

    _route_if_needed(state)
    row = get_legal(state.store(), wanted)
    if row is None:
        return False
    item = legal_json(row)
    events = legal_events(state.store(), row["id"])
    if fmt == "json":
        item["history"] = [{"at": e["at"], "event": e["event"], "detail": json.loads(e["detail"] or "{}")}
                           for e in events]  # fmt: skip
        click.echo(json.dumps(item, ensure_ascii=False, indent=2))
    else:
        profile = state.profile_if_any()
        names = {k: f.name for k, f in profile.forvaltningar.items()} if profile else {}
        click.echo(legal_show_text(item, events, names))
    return True


# --- alerts -----------------------------------------------------------------------------------


@main.command("alerts")
@click.option(
    "--preview", metavar="DIR", help="Skriv varje förvaltnings brev som .eml och .html i DIR; skicka inget."
)
@click.option("--send", is_flag=True, help="Skicka med SMTP-inställningarna i EUMONITOR_SMTP_*.")
@click.pass_obj
def alerts_command(state: Context, preview: str | None, send: bool) -> None:
    """Direktivlarm: varje förvaltning får nya rättsakter som berör den och kommande genomförandefrister.

    Fristerna påminns 12, 6 och 3 månader före, samråd 14 dagar innan de stänger; varje
    sak en gång, med samma leveransgaranti som veckobrevet. Breven går till mottagarna i
    profilen som har 'forvaltning:' satt.

    \b
    Exempel:
      eumonitor alerts --preview larm/
      eumonitor alerts --send
    """
    from notifications.jobs import run_alerts

    folder = _mode(preview, send)
    profile = state.profile()
    sender, from_address = _smtp_sender() if send else (None, _preview_sender())
    store = state.store()
    with state.lock("alerts"):
        _route_if_needed(state)
        deliveries = run_alerts(store, profile, _now(), send=sender, preview=folder, sender=from_address)
    _report(deliveries, "Direktivlarm", state.verbosity < 0)
    if folder is not None and state.verbosity >= 0:
        html = sorted(Path(folder).glob("direktivlarm-*.html"))
        if html:
            click.echo(f"Öppna i en webbläsare: {html[0].resolve()}")
    if any(d.outcome == "failed" for d in deliveries):
        sys.exit(EXIT_SOURCE_FAILED)
