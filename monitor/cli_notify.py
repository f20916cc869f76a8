"""The `eumonitor` commands that tell people: digest, remind, export, status, schedule.

Registered on monitor.cli's group when that module is imported. Same rules as there: one
function per command, an example in each docstring, our errors as one-line messages.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import click

from monitor.areas import AREA_KEYS
from monitor.cli import EXIT_SOURCE_FAILED, Context, _console, _now, fail, main

OUTCOME_SV = {
    "sent": "skickat",
    "failed": "MISSLYCKADES",
    "skipped": "redan skickat",
    "empty": "inget nytt, skickas inte",
    "preview": "förhandsvisning",
}


def _mode(preview: str | None, send: bool) -> Path | None:
    if bool(preview) == send:
        fail("ange antingen --preview MAPP (inget skickas) eller --send")
    return Path(preview) if preview else None


def _smtp_sender() -> tuple[Any, str]:
    """The thin send function and the From address, from EUMONITOR_SMTP_* (never printing the password)."""
    from notifications import smtp

    settings = smtp.SmtpSettings.from_env()
    return (lambda message: smtp.send(settings, message)), settings.sender


def _preview_sender() -> str:
    from notifications.jobs import PREVIEW_SENDER

    return os.environ.get("EUMONITOR_SMTP_FROM") or PREVIEW_SENDER


def _report(deliveries: list, title: str, quiet: bool) -> None:
    from rich.table import Table
    from rich.text import Text

    failed = [d for d in deliveries if d.outcome == "failed"]
    if quiet:
        for delivery in failed:
            click.echo(f"eumonitor: {delivery.key}: {delivery.detail}", err=True)
        return
    if not deliveries:
        click.echo(f"{title}: inget att skicka.")
        return
    table = Table(title=title, title_justify="left")
    for header in ("Mottagare", "Ämne", "Resultat", "Fil eller fel"):
        table.add_column(header, overflow="fold")
    for delivery in deliveries:
        table.add_row(
            Text(delivery.recipient),
            Text(delivery.subject),
            OUTCOME_SV.get(delivery.outcome, delivery.outcome),
            Text(str(delivery.path) if delivery.path else delivery.detail),
        )
    _console().print(table)


def _sources_for_health(state: Context) -> list:
    """The sources whose health is watched: sources.yaml's enabled ones, else those the store ran."""
    from types import SimpleNamespace

    from monitor.config import sources_path

    if state.sources_option or os.environ.get("EUMONITOR_SOURCES") or sources_path(None).exists():
        return state.sources().select([])
    return [SimpleNamespace(id=run["source"], name=None) for run in state.store().last_runs()]


# --- the weekly digest ------------------------------------------------------------------------


@main.command("digest")
@click.option(
    "--preview", metavar="DIR", help="Skriv varje mottagares brev som .eml och .html i DIR; skicka inget."
)
@click.option("--send", is_flag=True, help="Skicka med SMTP-inställningarna i EUMONITOR_SMTP_*.")
@click.option("--period", metavar="ÅÅÅÅ-Www", help="ISO-veckan, t.ex. 2026-W48 (standard: denna vecka).")
@click.option(
    "--recipient", "recipients", multiple=True, metavar="ID", help="Bara denna mottagare (kan upprepas)."
)
@click.pass_obj
def digest_command(
    state: Context, preview: str | None, send: bool, period: str | None, recipients: tuple[str, ...]
) -> None:
    """Bygg veckobrevet för varje mottagare i profilen och skicka det, eller förhandsvisa det.

    Varje brev skickas en gång: en ny körning samma vecka skickar inget igen, och en
    mottagare vars server inte svarade får sitt brev vid nästa körning. En mottagare
    utan något nytt får inget (notifications.send_empty i profilen ändrar det).

    \b
    Exempel:
      eumonitor digest --preview veckobrev/
      eumonitor digest --send
      eumonitor digest --send --period 2026-W48 --recipient kansliet
    """
    from notifications import dates
    from notifications.jobs import open_incident_notices, run_digests

    folder = _mode(preview, send)
    profile = state.profile()
    known = [r.id for r in profile.recipients]
    if not known:
        fail(f"{profile.path} har inga mottagare; lägg till 'recipients:' (se README)")
    for wanted in recipients:
        if wanted not in known:
            fail(f"okänd mottagare '{wanted}'; profilens mottagare: {', '.join(known)}")
    if period:
        dates.parse_period(period)  # a bad period is a usage error before anything is read
    sender, from_address = _smtp_sender() if send else (None, _preview_sender())
    store = state.store()
    now = _now()
    with state.lock("digest"):
        deliveries = run_digests(
            store, profile, now, period=period, send=sender, preview=folder, sender=from_address,
            only=recipients, health_notices=open_incident_notices(store),
        )  # fmt: skip
    _report(deliveries, f"Veckobrev {period or dates.period_of(now)}", state.verbosity < 0)
    if folder is not None and state.verbosity >= 0:
        html = sorted(folder.glob("veckobrev-*.html"))
        if html:
            click.echo(f"Öppna i en webbläsare: {html[0].resolve()}")
    if any(d.outcome == "failed" for d in deliveries):
        sys.exit(EXIT_SOURCE_FAILED)


# --- reminders and source health --------------------------------------------------------------


@main.command("remind")
@click.option("--preview", metavar="DIR", help="Skriv breven som .eml och .html i DIR; skicka inget.")
@click.option("--send", is_flag=True, help="Skicka med SMTP-inställningarna i EUMONITOR_SMTP_*.")
@click.pass_obj
def remind_command(state: Context, preview: str | None, send: bool) -> None:
    """Påminnelser före sista ansökningsdag och besked om källor som slutat fungera.

    Utlysningar markerade intressanta ('eumonitor mark ID interesting') påminns om
    30, 14, 7 och 1 dag före sista dag (notifications.reminder_days i profilen) till
    enheten och förvaltningen som markerade; varje påminnelse en gång. En källa som
    fallerat 3 körningar i rad, eller plötsligt ger noll utlysningar, rapporteras en
    gång, och en gång till när den fungerar igen.

    \b
    Exempel:
      eumonitor remind --preview paminnelser/
      eumonitor remind --send
    """
    from notifications.jobs import run_health, run_reminders

    folder = _mode(preview, send)
    profile = state.profile()
    sender, from_address = _smtp_sender() if send else (None, _preview_sender())
    sources = _sources_for_health(state)
    store = state.store()
    now = _now()
    with state.lock("remind"):
        deliveries = run_reminders(store, profile, now, send=sender, preview=folder, sender=from_address)
        deliveries += run_health(
            store, profile, sources, now, send=sender, preview=folder, sender=from_address
        )
    _report(deliveries, "Påminnelser och källornas hälsa", state.verbosity < 0)
    if any(d.outcome == "failed" for d in deliveries):
        sys.exit(EXIT_SOURCE_FAILED)


# --- exports ----------------------------------------------------------------------------------


@main.group("export")
def export_group() -> None:
    """Exportera utlysningar: kalender (ics) eller kalkylblad (csv).

    \b
    Exempel:
      eumonitor export ics --marked --output eu-deadlines.ics
      eumonitor export csv --area ungdom --output ungdom.csv
    """


def _export_calls(state: Context, area: str | None, marked: bool) -> tuple[list, Any]:
    from notifications.jobs import digest_calls

    profile = state.profile()
    store = state.store()
    now = _now()
    calls = digest_calls(store, profile, now)
    if area:
        threshold = profile.areas[area].threshold
        calls = [c for c in calls if c.scores.get(area, 0) >= threshold]
    if marked:
        chosen = {m["call_id"] for m in store.current_marks() if m["mark"] in ("relevant", "interesting")}
        calls = [c for c in calls if c.id in chosen]
    return calls, profile


def _write(data: bytes, output: str | None, what: str, count: int, quiet: bool) -> None:
    if output in (None, "-"):
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    Path(output).write_bytes(data)
    if not quiet:
        click.echo(f"{what}: {count} i {output}", err=True)


_AREA = click.option("--area", type=click.Choice(AREA_KEYS), help="Bara utlysningar över områdets tröskel.")
_MARKED = click.option(
    "--marked", is_flag=True, help="Bara utlysningar markerade relevanta eller intressanta."
)
_OUTPUT = click.option("--output", "-o", metavar="FILE", help="Filen att skriva (standard: standard ut).")


@export_group.command("ics")
@_AREA
@_MARKED
@_OUTPUT
@click.option(
    "--alarm-days",
    type=click.IntRange(0, 60),
    default=7,
    show_default=True,
    help="Påminnelse så många dagar före (0: ingen).",
)
@click.pass_obj
def export_ics(state: Context, area: str | None, marked: bool, output: str | None, alarm_days: int) -> None:
    """En iCalendar-fil med en händelse per sista ansökningsdag.

    Händelserna har stabila UID: importeras filen igen efter att en deadline flyttats
    uppdateras händelsen i stället för att en ny läggs till.

    \b
    Exempel:
      eumonitor export ics --marked --output eu-deadlines.ics
    """
    from monitor.records import from_utc_text
    from notifications.exports import build_ics
    from notifications.model import DeadlineEvent

    calls, profile = _export_calls(state, area, marked)
    store = state.store()
    events = []
    for call in calls:
        row = store.get_call(call.id)
        deadlines = [d for d in (from_utc_text(t) for t in json.loads(row["deadlines"] or "[]")) if d]
        moved = sum(1 for e in store.events(call.id) if e["event"] == "deadline_changed")
        for index, deadline in enumerate(deadlines):
            events.append(
                DeadlineEvent(
                    call_id=call.id, index=index, title=call.title, url=call.url, deadline=deadline,
                    deadline_precision=call.deadline_precision, programme=call.programme,
                    score=call.score if call.scores else None, why=tuple(call.why), sequence=moved,
                )
            )  # fmt: skip
    data = build_ics(
        events, _now(), calname=f"EU-bevakning {profile.municipality.name}", alarm_days=alarm_days or None
    )
    _write(data, output, "Sista ansökningsdagar", len(events), state.verbosity < 0)


@export_group.command("csv")
@_AREA
@_MARKED
@_OUTPUT
@click.pass_obj
def export_csv(state: Context, area: str | None, marked: bool, output: str | None) -> None:
    """Utlysningarna som kalkylblad för svenska Excel (UTF-8 med BOM, semikolon, svenska datum).

    \b
    Exempel:
      eumonitor export csv --output utlysningar.csv
    """
    from notifications.exports import build_csv
    from notifications.jobs import area_infos

    calls, profile = _export_calls(state, area, marked)
    calls.sort(key=lambda c: (-(c.scores.get(area, 0) if area else c.score), c.title))
    data = build_csv(calls, _now(), area_infos(profile))
    _write(data, output, "Utlysningar", len(calls), state.verbosity < 0)


# --- status -----------------------------------------------------------------------------------


def source_status(store) -> list[dict[str, Any]]:
    """Per source: the last run, its outcome, failures in a row, items, the last success, incident."""
    rows = []
    for last in store.last_runs():
        runs = store.runs(last["source"], limit=200)
        failures = 0
        for run in runs:
            if run["outcome"] != "error":
                break
            failures += 1
        success = next((r for r in runs if r["outcome"] in ("ok", "unchanged")), None)
        incident = store.open_incident(last["source"])
        rows.append(
            {
                "source": last["source"],
                "last_run": last["started"],
                "outcome": last["outcome"],
                "failures_in_row": failures,
                "items": last["items"],
                "last_success": success["started"] if success else None,
                "message": last["message"],
                "incident": incident["kind"] if incident else None,
            }
        )
    return rows


@main.command("status")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.pass_obj
def status_command(state: Context, fmt: str) -> None:
    """Källornas hälsa: senaste körning, resultat, fel i rad, antal utlysningar, senaste lyckade.

    \b
    Exempel:
      eumonitor status
      eumonitor status --format json
    """
    from monitor.output import short_time
    from monitor.records import from_utc_text, local_iso

    rows = source_status(state.store())
    if fmt == "json":
        for row in rows:
            row["last_run"] = local_iso(from_utc_text(row["last_run"]))
            row["last_success"] = local_iso(from_utc_text(row["last_success"]))
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo("Inga körningar än; kör 'eumonitor collect'.")
        return
    from rich.table import Table
    from rich.text import Text

    outcome_sv = {"ok": "ok", "unchanged": "oförändrad", "error": "FEL", "running": "pågår"}
    table = Table(title="Källor", title_justify="left")
    for header in (
        "Källa",
        "Senaste körning",
        "Resultat",
        "Fel i rad",
        "Utlysningar",
        "Senast lyckad",
        "Meddelande",
    ):
        table.add_column(header, overflow="fold")
    for row in rows:
        flag = " (rapporterad)" if row["incident"] else ""
        table.add_row(
            Text(row["source"]),
            short_time(from_utc_text(row["last_run"])),
            outcome_sv.get(row["outcome"], row["outcome"]) + flag,
            str(row["failures_in_row"]),
            str(row["items"]),
            short_time(from_utc_text(row["last_success"])) or "aldrig",
            Text(row["message"] or ""),
        )
    _console().print(table)


# --- the schedule -----------------------------------------------------------------------------


@main.command("schedule")
@click.pass_obj
@click.pass_context
def schedule_command(ctx: click.Context, state: Context) -> None:
    """Kör jobben enligt profilens schema i förgrunden (tills SIGTERM eller Ctrl-C).

    Standard (Europe/Stockholm): insamling och matchning dagligen 06.00, veckobrevet
    måndagar 07.00, påminnelser och källbesked dagligen 07.30. Missade körningar slås
    ihop till en; ett jobb körs aldrig två gånger samtidigt, och aldrig samtidigt som en
    körning från cron (de delar databasens lås).

    \b
    Exempel:
      eumonitor schedule
      eumonitor --db /var/lib/eumonitor/eumonitor.db schedule
    """
    import signal

    from monitor.lock import run_lock
    from monitor.records import utc_now
    from monitor.scheduler import build_scheduler, next_runs

    profile = state.profile()
    state.sources()  # validated before anything runs
    options = ctx.parent.params if ctx.parent else {}
    forwarded = [
        *(["--db", str(state.db_path)]),
        *(["--sources", options["sources"]] if options.get("sources") else []),
        *(["--profile", options["profile"]] if options.get("profile") else []),
        *(["-q"] if state.verbosity < 0 else []),
    ]

    def run(args) -> int:
        try:
            main.main([*forwarded, *args], prog_name="eumonitor", standalone_mode=False)
        except SystemExit as exit:
            return int(exit.code or 0)
        return 0

    scheduler = build_scheduler(profile.schedule, run)
    with run_lock(Path(f"{state.db_path}.schedule"), "schedule"):

        def stop(signum, _frame) -> None:
            click.echo("Avslutar schemat (ett pågående jobb får bli klart) …", err=True)
            scheduler.shutdown(wait=True)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        if state.verbosity >= 0:
            from monitor.output import short_time

            click.echo(f"Schemat startat ({profile.schedule.timezone}); nästa körningar:")
            for job_id, when in next_runs(scheduler, utc_now()).items():
                click.echo(f"  {job_id:<10} {short_time(when)}")
            sys.stdout.flush()
        scheduler.start()
    if state.verbosity >= 0:
        click.echo("Schemat stoppat.")
