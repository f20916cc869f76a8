"""The `eumonitor` command. One function per command; each docstring carries an example.

Exit codes: 0 all well, 1 some source failed, 2 bad usage or configuration.
Query commands import only the store: no httpx, no scikit-learn, so they start fast.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from monitor import __version__
from monitor.areas import AREA_KEYS
from monitor.errors import ConfigError, EumonitorError

if TYPE_CHECKING:
    from monitor.config import SourcesFile
    from monitor.profile import Profile
    from monitor.runner import SourceResult
    from monitor.store import Store

DB_ENV = "EUMONITOR_DB"
EXIT_SOURCE_FAILED = 1  # also: a message could not be delivered
EXIT_USAGE = 2
EXIT_LOCKED = 3  # another run holds the database's lock (monitor.lock)


def default_db_path() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("eumonitor", appauthor=False)) / "eumonitor.db"


class Context:
    def __init__(
        self, sources: str | None, db: str | None, verbosity: int, profile: str | None = None
    ) -> None:
        self.sources_option = sources
        self.db_option = db
        self.profile_option = profile
        self.verbosity = verbosity
        self._store: Store | None = None

    @property
    def db_path(self) -> Path:
        return Path(self.db_option) if self.db_option else default_db_path()

    def store(self) -> Store:
        if self._store is None:
            from monitor.store import Store

            self._store = Store.open(self.db_path)
        return self._store

    def sources(self) -> SourcesFile:
        from monitor.config import load_sources, sources_path

        return load_sources(sources_path(self.sources_option))

    def profile(self) -> Profile:
        from monitor.profile import load_profile, profile_path

        return load_profile(profile_path(self.profile_option))

    def profile_if_any(self) -> Profile | None:
        """The profile, or None when none was named and ./profile.yaml does not exist.

        A profile that was named (option, environment) but is missing or invalid is an error."""
        from monitor.profile import PROFILE_ENV, profile_path

        if not self.profile_option and not os.environ.get(PROFILE_ENV) and not profile_path(None).exists():
            return None
        return self.profile()

    def close(self) -> None:
        if self._store is not None:
            self._store.close()

    def lock(self, job: str):
        """The database's run lock (monitor.lock): one collect, match or send at a time."""
        from monitor.lock import run_lock

        return run_lock(self.db_path, job)


def fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    click.echo(f"eumonitor: {message}", err=True)
    sys.exit(code)


def _config_failure(error: ConfigError) -> NoReturn:
    for problem in error.problems:
        click.echo(f"fel: {problem}", err=True)
    count = len(error.problems)
    click.echo(f"{count} fel i konfigurationen; inget kördes." if count > 1 else "Inget kördes.", err=True)
    sys.exit(EXIT_USAGE)


class EumonitorGroup(click.Group):
    """Turns our own errors into one-line messages and exit codes, never tracebacks."""

    def invoke(self, ctx: click.Context) -> object:
        from monitor.lock import LockBusy

        try:
            return super().invoke(ctx)
        except ConfigError as error:
            _config_failure(error)
        except LockBusy as error:
            fail(str(error), EXIT_LOCKED)
        except EumonitorError as error:
            fail(str(error))


@click.group(cls=EumonitorGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--sources",
    "sources",
    envvar="EUMONITOR_SOURCES",
    metavar="FILE",
    help="Källfilen (standard: ./sources.yaml). Miljövariabel EUMONITOR_SOURCES.",
)
@click.option(
    "--db",
    "db",
    envvar=DB_ENV,
    metavar="PATH",
    help="SQLite-databasen (standard: en fil i användarens datakatalog). Miljövariabel EUMONITOR_DB.",
)
@click.option(
    "--profile",
    "profile",
    envvar="EUMONITOR_PROFILE",
    metavar="FILE",
    help="Kommunens profil (standard: ./profile.yaml). Miljövariabel EUMONITOR_PROFILE.",
)
@click.option("-v", "--verbose", count=True, help="Mer utskrift (-vv för felsökning).")
@click.option("-q", "--quiet", is_flag=True, help="Bara fel skrivs ut.")
@click.version_option(__version__, prog_name="eumonitor")
@click.pass_context
def main(
    ctx: click.Context, sources: str | None, db: str | None, profile: str | None, verbose: int, quiet: bool
) -> None:
    """eumonitor – bevakning av EU-utlysningar och EU-direktiv för kommuner.

    \b
    Exempel:
      eumonitor check-config
      eumonitor check-profile
      eumonitor collect
      eumonitor calls --deadline-within 60
    """
    verbosity = -1 if quiet else verbose
    level = {-1: logging.ERROR, 0: logging.WARNING, 1: logging.INFO}.get(verbosity, logging.DEBUG)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    logging.getLogger("httpx").setLevel(logging.DEBUG if verbosity >= 2 else logging.WARNING)
    state = Context(sources, db, verbosity, profile)
    ctx.obj = state
    ctx.call_on_close(state.close)


# --- configuration ----------------------------------------------------------------------------


@main.command("check-config")
@click.pass_obj
def check_config(state: Context) -> None:
    """Kontrollera källfilen och gör inget annat.

    \b
    Exempel:
      eumonitor --sources sources.yaml check-config
    """
    sources = state.sources()
    enabled = sum(1 for s in sources.sources if s.enabled)
    if state.verbosity >= 0:
        click.echo(f"{sources.path}: OK – {len(sources.sources)} källor, {enabled} aktiva.")


@main.command("check-profile")
@click.pass_obj
def check_profile(state: Context) -> None:
    """Kontrollera kommunens profil (profile.yaml) och visa en sammanfattning.

    \b
    Exempel:
      eumonitor check-profile
      eumonitor --profile /etc/eumonitor/profile.yaml check-profile
    """
    profile = state.profile()
    if state.verbosity < 0:
        return
    for line in profile_summary(profile):
        click.echo(line)


def _number(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def profile_summary(profile: Profile) -> list[str]:
    """A short Swedish summary of a valid profile, for check-profile."""
    m = profile.municipality
    lines = [
        f"{profile.path}: OK – {m.name} ({m.region}, NUTS {m.nuts}, {m.country}); "
        f"språk: {', '.join(m.languages)}; {len(m.region_names)} regionnamn.",
        f"Prioriterade områden ({len(profile.areas)}), termer sv/en och tröskel:",
    ]
    width = max(len(key) for key in profile.areas)
    name_width = max(len(area.name) for area in profile.areas.values())
    for key, area in profile.areas.items():
        lines.append(
            f"  {key:<{width}}  {area.name:<{name_width}}  {len(area.terms_sv):>3}/{len(area.terms_en):<3}"
            f"  tröskel {_number(area.threshold)}"
        )
    lines.append(f"Förvaltningar ({len(profile.forvaltningar)}) och deras områden:")
    width = max(len(key) for key in profile.forvaltningar)
    name_width = max(len(f.name) for f in profile.forvaltningar.values())
    for key, forvaltning in profile.forvaltningar.items():
        subjects = len(forvaltning.subjects.sv) + len(forvaltning.subjects.en)
        lines.append(
            f"  {key:<{width}}  {forvaltning.name:<{name_width}}  {', '.join(forvaltning.areas)}"
            f" ({subjects} ämnesord)"
        )
    themes = profile.context.themes
    context_terms = sum(len(t.terms_sv) + len(t.terms_en) for t in themes.values())
    lines.append(
        f"Sammanhang: {len(themes)} teman ({', '.join(themes) or 'inga'}), {context_terms} termer, "
        f"vikt {_number(profile.context.weight)}."
    )
    equivalents = sum(len(v) for v in profile.glossary.values())
    lines.append(f"Ordlista: {len(profile.glossary)} svenska termer, {equivalents} engelska motsvarigheter.")
    if profile.examples:
        from monitor.evaluation import profile_examples

        examples = profile_examples(profile)
        taught = sum(1 for e in examples if 2 in e.labels.values())
        lines.append(
            f"Exempel: {len(examples)} märkta utlysningar i {', '.join(profile.examples)}, "
            f"{taught} med 2 i något område lär matchningen."
        )
    lines.append(f"Mottagare av veckobrevet ({len(profile.recipients)}):")
    width = max((len(r.id) for r in profile.recipients), default=0)
    for recipient in profile.recipients:
        areas = "alla områden" if set(recipient.areas) == set(profile.areas) else ", ".join(recipient.areas)
        extra = ", källornas hälsa" if recipient.health else ""
        lines.append(
            f"  {recipient.id:<{width}}  {recipient.name}: {', '.join(recipient.emails)} – {areas}{extra}, "
            f"minst {_number(recipient.min_score)} poäng"
        )
    if not profile.recipients:
        lines.append("  (inga: lägg till 'recipients:' för att skicka veckobrev)")
    schedule = profile.schedule
    lines.append(
        f"Schema ({schedule.timezone}): insamling '{schedule.collect}', veckobrev '{schedule.digest}', "
        f"påminnelser '{schedule.reminders}'."
    )
    return lines


@main.command("kinds")
@click.option("--keys", is_flag=True, help="Visa också varje typs egna nycklar.")
def kinds(keys: bool) -> None:
    """Lista källtyperna (kind) som sources.yaml kan använda.

    \b
    Exempel:
      eumonitor kinds --keys
    """
    from monitor.config import field_help
    from monitor.sources import KINDS, describe

    for kind in sorted(KINDS):
        click.echo(f"{kind:<14} {describe(kind)}")
        if keys:
            for key, default, text in field_help(KINDS[kind].Settings):
                click.echo(f"    {key:<14} {text} (standard {default})")


def _console():
    """A rich console; wide when writing to a file or pipe, so tables are not folded to 80 columns."""
    from rich.console import Console

    return Console() if sys.stdout.isatty() else Console(width=200)


# --- collection -------------------------------------------------------------------------------


def _summary(results: list[SourceResult], quiet: bool) -> None:
    from rich.table import Table
    from rich.text import Text

    if quiet:
        # "Only errors are printed": a failed source is one (cron mails whatever is printed).
        for r in results:
            if r.outcome == "error":
                click.echo(f"eumonitor: {r.source}: {r.message}", err=True)
        return
    outcome_sv = {"ok": "ok", "unchanged": "oförändrad", "error": "FEL"}
    table = Table(title="Insamling", title_justify="left")
    for header in ("Källa", "Resultat", "Utlysningar", "Nya", "Ändrade", "Stängda", "Sidor", "Sekunder"):
        table.add_column(header, justify="left" if header in ("Källa", "Resultat") else "right")
    for r in results:
        table.add_row(
            Text(r.source),
            outcome_sv.get(r.outcome, r.outcome),
            str(r.items),
            str(r.new),
            str(r.changed),
            str(r.closed),
            str(r.pages),
            f"{r.seconds:.1f}",
        )
    console = _console()
    console.print(table)
    for r in results:
        if r.message:
            # Text, not markup: a message may hold brackets ("[Errno 111]", a server's own text).
            console.print(Text.assemble((r.source, "bold"), f": {r.message}"), highlight=False)


def run_collect(sources: list, store: Store, contact: str | None, quiet: bool) -> list[SourceResult]:
    """Collect with a progress bar on a terminal (none when output goes to a file or pipe)."""
    from monitor.http import make_client
    from monitor.runner import collect

    show_progress = not quiet and sys.stderr.isatty()
    with make_client(contact) as client:
        if not show_progress:
            return collect(sources, store, client)
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            transient=True,
            console=Console(stderr=True),
        ) as progress:
            tasks: dict[str, int] = {}

            def update(source_id: str, done: int, total: int | None) -> None:
                if source_id not in tasks:
                    tasks[source_id] = progress.add_task(source_id, total=total)
                progress.update(tasks[source_id], completed=done, total=total)

            return collect(sources, store, client, progress=update)


@main.command("collect")
@click.option("--source", "source_ids", multiple=True, metavar="ID", help="Bara denna källa (kan upprepas).")
@click.pass_obj
def collect_command(state: Context, source_ids: tuple[str, ...]) -> None:
    """Hämta utlysningar från alla aktiva källor och spara dem.

    En källa som fallerar stoppar aldrig de andra. Slutkod 0 om alla gick bra,
    1 om någon källa fallerade, 2 vid fel i konfigurationen.

    \b
    Exempel:
      eumonitor collect
      eumonitor collect --source eu-portal
    """
    sources_file = state.sources()
    profile = state.profile_if_any()  # validated before anything is fetched
    selected = sources_file.select(source_ids)
    if not selected:
        fail("inga aktiva källor i " + sources_file.path + " (sätt enabled: true eller ange --source ID)")
    store = state.store()
    with state.lock("collect"):
        results = run_collect(selected, store, sources_file.contact, state.verbosity < 0)
        _summary(results, state.verbosity < 0)
        if profile is not None:
            run_match(state, store, profile)
    if profile is None and state.verbosity >= 0:
        click.echo("Ingen profile.yaml: utlysningarna poängsattes inte (ange --profile FILE).", err=True)
    if any(r.outcome == "error" for r in results):
        sys.exit(EXIT_SOURCE_FAILED)


@main.command("test-source")
@click.argument("source_id", metavar="ID")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.pass_obj
def test_source(state: Context, source_id: str, fmt: str) -> None:
    """Hämta och tolka en källa och visa vad som hittades, utan att spara något.

    Till för att pröva nya källor och CSS-selektorer mot den riktiga sidan. Slutkod 1 om
    källan inte kunde hämtas eller tolkas, eller om den inte gav några utlysningar.

    \b
    Exempel:
      eumonitor test-source tillvaxtverket-vastsverige
      eumonitor test-source eu-portal --format json
    """
    from monitor.errors import SourceError
    from monitor.http import make_client
    from monitor.records import decide_status, utc_now
    from monitor.sources import make_source
    from monitor.store import call_row

    sources_file = state.sources()
    (config,) = sources_file.select([source_id])
    source = make_source(config)
    now = utc_now()
    found: list = []
    warnings: list[str] = []
    complete = True
    try:
        with make_client(sources_file.contact) as client:
            for fetched in source.fetch(client):
                page = source.parse(fetched)
                found.extend(page.calls)
                warnings.extend(page.warnings)
                complete = complete and page.complete
    except SourceError as error:
        fail(f"{source_id}: {error}", EXIT_SOURCE_FAILED)
    for warning in warnings:
        click.echo(f"varning: {warning}", err=True)
    rows = [
        call_row(call, decide_status(call.opening, call.deadlines, now, call.source_status), None)
        for call in found
    ]
    if fmt == "json":
        from monitor import output

        click.echo(json.dumps([output.call_json(r, now) for r in rows], ensure_ascii=False, indent=2))
    else:
        _print_calls(rows, "table", now, title=f"{source_id}: {len(rows)} utlysningar (inget sparades)")
    if not found and complete:
        fail(
            f"{source_id}: källan gav inga utlysningar; kontrollera adress och selektorer", EXIT_SOURCE_FAILED
        )


# --- queries ----------------------------------------------------------------------------------


def _now():
    from monitor.records import utc_now

    return utc_now()


def _select_calls(store: Store, query, now, all_regions: bool) -> tuple[list[dict], dict[str, list[dict]]]:
    """Rows of one call each, without those not open to the municipality unless asked, and their sources."""
    from monitor.output import regions_of
    from monitor.regions import open_to

    limit, query.limit = query.limit, None
    rows = store.query_calls(query, now)
    if not all_regions:
        rows = [row for row in rows if open_to(regions_of(row))[0]]
    if limit is not None:
        rows = rows[:limit]
    return rows, store.members_by_group([row["id"] for row in rows])


def _print_calls(
    rows: list[dict],
    fmt: str,
    now,
    members: dict[str, list[dict]] | None = None,
    title: str | None = None,
    area: str | None = None,
    headers: list[str] | None = None,
) -> None:
    from monitor import output

    members = members or {}
    if fmt == "json":
        items = [output.call_json(r, now, members.get(r["id"])) for r in rows]
        click.echo(json.dumps(items, ensure_ascii=False, indent=2))
        return
    if fmt == "csv":
        click.echo(output.calls_csv(rows, now, members), nl=False)
        return
    from rich.table import Table
    from rich.text import Text

    console = _console()
    if not rows:
        console.print("Inga utlysningar matchar.")
        return
    table = Table(title=title, title_justify="left", show_lines=False)
    if headers is None:
        scored = any(row.get("scores") is not None for row in rows)
        headers = output.TABLE_HEADERS + (output.SCORE_HEADERS if scored else [])
    for header in headers:
        if header in ("Titel", "Varför"):
            table.add_column(header, ratio=1, overflow="fold")
        else:
            table.add_column(header, no_wrap=header not in ("Källor", "Område"), overflow="fold")
    for row in rows:
        cells = output.table_cells(row, now, members, area)
        table.add_row(*(Text(cells[h]) for h in headers))  # titles may hold "[...]": not markup
    console.print(table)
    console.print(f"{len(rows)} utlysningar.", highlight=False)


@main.command("calls")
@click.option(
    "--status",
    type=click.Choice(["open", "forthcoming", "closed", "all"]),
    multiple=True,
    help="Status (kan upprepas; standard: open och forthcoming).",
)
@click.option(
    "--deadline-within",
    "deadline_within",
    type=click.IntRange(min=0),
    metavar="DAYS",
    help="Bara med en deadline inom så många dagar.",
)
@click.option("--programme", metavar="TEXT", help="Program, t.ex. 'Erasmus+', 'CERV' eller 'Horizon'.")
@click.option("--source", "source_ids", multiple=True, metavar="ID", help="Bara från denna källa.")
@click.option("--search", metavar="TEXT", help="Sök i titel och beskrivning (skiftlägesokänsligt).")
@click.option(
    "--area",
    type=click.Choice(AREA_KEYS),
    help="Poäng för detta prioriterade område (med --min-score och --sort score).",
)
@click.option(
    "--min-score",
    "min_score",
    type=click.IntRange(0, 100),
    metavar="N",
    help="Bara utlysningar med minst N poäng (i --area, annars i sitt bästa område).",
)
@click.option(
    "--sort",
    type=click.Choice(["deadline", "new", "title", "score"]),
    default="deadline",
    show_default=True,
    help="Ordning; score: högst poäng först.",
)
@click.option("--limit", type=click.IntRange(min=1), metavar="N", help="Högst N utlysningar.")
@click.option(
    "--all-regions",
    is_flag=True,
    help="Visa också utlysningar som inte är öppna för kommunens region (dolda annars).",
)
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True
)
@click.pass_obj
def calls(
    state: Context,
    status: tuple[str, ...],
    deadline_within: int | None,
    programme: str | None,
    source_ids: tuple[str, ...],
    search: str | None,
    area: str | None,
    min_score: int | None,
    sort: str,
    limit: int | None,
    all_regions: bool,
    fmt: str,
) -> None:
    """Lista utlysningar ur databasen.

    \b
    Exempel:
      eumonitor calls
      eumonitor calls --area vanort --min-score 40 --sort score
      eumonitor calls --programme CERV --deadline-within 90
      eumonitor calls --search vänort --format json
      eumonitor calls --status all --sort new --limit 20 --format csv
      eumonitor calls --all-regions
    """
    from monitor.store import CallQuery

    statuses = ("open", "forthcoming", "closed") if "all" in status else (status or ("open", "forthcoming"))
    query = CallQuery(
        statuses=tuple(statuses),
        deadline_within_days=deadline_within,
        programme=programme,
        sources=source_ids,
        search=search,
        sort=sort,
        limit=limit,
        area=area,
        min_score=min_score,
    )
    now = _now()
    rows, members = _select_calls(state.store(), query, now, all_regions)
    _print_calls(rows, fmt, now, members, area=area)


@main.command("show")
@click.argument("call_id", metavar="ID")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_obj
def show(state: Context, call_id: str, fmt: str) -> None:
    """Visa allt om en utlysning, med dess historik.

    ID är id:t (källa:nyckel) eller utlysningens identifierare; för en rättsakt dess
    CELEX-nummer (32020L2184) eller id (celex:32020L2184, hys:14858).

    \b
    Exempel:
      eumonitor show CERV-2027-CITIZENS-TOWN-TT
      eumonitor show eu-portal:CERV-2027-CITIZENS-TOWN-TT --format json
    """
    from monitor import output

    store = state.store()
    row = store.get_call(call_id)
    if row is None:
        from monitor.cli_legal import show_legal

        if show_legal(state, call_id, fmt):
            return
        fail(
            f"ingen utlysning eller rättsakt med id, identifierare eller CELEX '{call_id}' "
            "(se 'eumonitor calls --status all' och 'eumonitor directives')"
        )
    now = _now()
    row = {**row, **(store.scores_of(row["id"]) or {})}
    events = store.events(row["id"])
    members = store.group_members(row["group_id"] or row["id"])
    marks = store.mark_history(row["id"])
    if fmt == "json":
        item = output.call_json(row, now, members)
        item["marks"] = [output.mark_json(m) for m in marks]
        item["history"] = [output.event_json(e) for e in events]
        click.echo(json.dumps(item, ensure_ascii=False, indent=2))
    else:
        click.echo(output.show_text(row, events, now, members, _area_names(state), marks))


def _area_names(state: Context) -> dict[str, str]:
    """The areas' Swedish names from the profile, for what people read; keys if it cannot be read."""
    try:
        return {key: area.name for key, area in state.profile().areas.items()}
    except EumonitorError:
        return {}


# --- matching ---------------------------------------------------------------------------------


def run_match(state: Context, store: Store, profile: Profile, everything: bool = False) -> None:
    """Score calls, saying what is done on a terminal (fitting 20,000 calls takes seconds)."""
    from monitor.matching import match_calls, route_legal

    quiet = state.verbosity < 0
    routed = route_legal(store, profile, everything=everything)
    if routed and not quiet:
        click.echo(f"Rättsakter: {routed} fördelades på förvaltningarna.")
    if quiet or not sys.stderr.isatty():
        report = match_calls(store, profile, everything=everything)
    else:
        from rich.console import Console

        console = Console(stderr=True)
        with console.status("Poängsätter…") as status:
            report = match_calls(store, profile, everything=everything, step=lambda text: status.update(text))
    if quiet or report.total == 0:
        return
    if report.scored == 0:
        click.echo(f"Poäng: alla {report.total} utlysningar har redan aktuella poäng.")
        return
    how = f" Modellen anpassades: {report.refit_reason}." if report.refit_reason else ""
    marks = f", {report.marks} markeringar" if report.marks else ""
    click.echo(
        f"Poäng: {report.scored} av {report.total} utlysningar poängsattes på {report.seconds:.1f} s"
        f"{marks}.{how}"
    )


@main.command("match")
@click.option("--all", "everything", is_flag=True, help="Anpassa modellen på nytt och poängsätt allt.")
@click.pass_obj
def match_command(state: Context, everything: bool) -> None:
    """Poängsätt nya och ändrade utlysningar mot profilens prioriterade områden.

    Modellen anpassas på nytt av sig själv när profilen eller markeringarna ändrats
    eller många nya utlysningar kommit; --all gör det alltid. (collect gör detta själv.)

    \b
    Exempel:
      eumonitor match
      eumonitor match --all
    """
    profile = state.profile()
    with state.lock("match"):
        run_match(state, state.store(), profile, everything)


@main.command("mark")
@click.argument("call_id", metavar="ID")
@click.argument("mark", type=click.Choice(["relevant", "not-relevant", "interesting"]))
@click.option(
    "--area", type=click.Choice(AREA_KEYS), help="Området markeringen gäller (standard: hela utlysningen)."
)
@click.option("--note", metavar="TEXT", help="En anteckning, t.ex. varför.")
@click.option(
    "--forvaltning",
    metavar="KEY",
    help="Förvaltningen markeringen görs för (t.ex. buf): dess mottagare får påminnelserna.",
)
@click.option(
    "--who",
    envvar="EUMONITOR_USER",
    metavar="NAME",
    help="Vem som markerar (standard: inloggad användare). Miljövariabel EUMONITOR_USER.",
)
@click.pass_obj
def mark_command(
    state: Context,
    call_id: str,
    mark: str,
    area: str | None,
    note: str | None,
    forvaltning: str | None,
    who: str | None,
) -> None:
    """Markera en utlysning som relevant, inte relevant eller intressant.

    Matchningen lär sig av markeringarna vid nästa 'eumonitor match' (eller collect).
    En utlysning markerad inte relevant kommer aldrig med i ett veckobrev; en intressant
    får påminnelser före sista dagen. Den senaste markeringen gäller.

    \b
    Exempel:
      eumonitor mark CERV-2027-CITIZENS-TOWN-TT interesting --area vanort --note "Vänorten i Estland?"
      eumonitor mark eu-portal:HORIZON-WIDERA-2027-TWIN not-relevant
    """
    import getpass

    from monitor.output import MARK_SV

    if forvaltning:
        known = list(state.profile().forvaltningar)
        if forvaltning not in known:
            fail(f"okänd förvaltning '{forvaltning}'; profilens förvaltningar: {', '.join(known)}")
    store = state.store()
    row = store.get_call(call_id)
    if row is None:
        fail(f"ingen utlysning med id eller identifierare '{call_id}' (se 'eumonitor calls --status all')")
    target = row["group_id"] or row["id"]  # the record that stands for the call
    try:
        fallback_who = getpass.getuser()
    except (KeyError, OSError):
        fallback_who = "okänd"
    who = who or fallback_who
    store.add_mark(target, mark, area, note, who, _now(), forvaltning)
    if state.verbosity >= 0:
        scope = f" för området {area}" if area else ""
        click.echo(f"{target}: markerad {MARK_SV[mark]}{scope} av {who}.")


@main.command("marks")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.pass_obj
def marks_command(state: Context, fmt: str) -> None:
    """Lista markeringarna som gäller (den senaste per utlysning och område).

    \b
    Exempel:
      eumonitor marks
      eumonitor marks --format json
    """
    from monitor import output

    marks = state.store().current_marks()
    if fmt == "json":
        items = [{**output.mark_json(m), "title": m["title"]} for m in marks]
        click.echo(json.dumps(items, ensure_ascii=False, indent=2))
        return
    if not marks:
        click.echo("Inga markeringar.")
        return
    from rich.table import Table
    from rich.text import Text

    table = Table(title="Markeringar", title_justify="left")
    for header in ("Utlysning", "Titel", "Markering", "Område", "Av", "När", "Anteckning"):
        table.add_column(header, overflow="fold")
    for m in marks:
        table.add_row(
            *(
                Text(cell or "")
                for cell in (
                    m["identifier"],
                    m["title"],
                    output.MARK_SV.get(m["mark"], m["mark"]),
                    m["area"] or "hela",
                    m["who"],
                    output.short_time(output.from_utc_text(m["at"])),
                    m["note"],
                )
            )
        )
    _console().print(table)


@main.command("evaluate")
@click.argument("path", metavar="FILE.jsonl", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--k", "k", type=click.IntRange(min=1), default=10, show_default=True, help="Rangordningens djup."
)
@click.option("--json", "as_json", is_flag=True, help="Skriv resultatet som JSON.")
@click.pass_obj
def evaluate_command(state: Context, path: str, k: int, as_json: bool) -> None:
    """Mät matchningen mot en märkt testmängd: nDCG@k och precision@k per område, mot BM25.

    Varje rad i filen: {"id", "title", "text", "lang", "labels": {"sysselsattning": 0|1|2, …}};
    raderna är hela korpusen. Etikett 1 eller 2 räknas som relevant för precision.

    \b
    Exempel:
      eumonitor evaluate tests/fixtures/eval/calls.jsonl
      eumonitor evaluate calls.jsonl --k 5 --json
    """
    from monitor.evaluation import evaluate_file, evaluation_table

    profile = state.profile()
    result = evaluate_file(Path(path), profile, k)
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        for line in evaluation_table(result, {key: a.name for key, a in profile.areas.items()}, k):
            click.echo(line)


# --- demo -------------------------------------------------------------------------------------


@main.command("demo")
@click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False),
    default="eumonitor-demo",
    show_default=True,
    help="Mapp för demots databas och källfil (skapas; en tidigare demo-databas ersätts).",
)
@click.option(
    "--live",
    is_flag=True,
    help="Försök först med de riktiga källorna i källfilen; nås ingen av dem används exempelsvaren.",
)
@click.pass_obj
def demo(state: Context, directory: str, live: bool) -> None:
    """Kör hela kedjan mot medföljande exempelsvar från lokala servrar.

    Startar servrar på 127.0.0.1 som svarar som EU-portalens sök-API, svenska
    finansiärers sidor, RSS, interreg.no:s kalender, Vinnovas API och interreg.eu:s
    sökindex; skriver en källfil som pekar dit, kör den vanliga insamlingen och visar
    öppna utlysningar – samma utlysning från flera källor som en rad.

    \b
    Exempel:
      eumonitor demo
      eumonitor demo --dir /tmp/eumonitor-demo
      eumonitor demo --live
    """
    from monitor.config import load_sources
    from monitor.demo import DEMO_PROFILE, demo_sources_text, prepare_demo, sample_servers
    from monitor.profile import load_profile

    quiet = state.verbosity < 0
    folder = Path(directory)
    profile = state.profile_if_any() or load_profile(DEMO_PROFILE)
    if live:
        live_sources = state.sources()
        paths = prepare_demo(folder, None)
        if not quiet:
            click.echo(f"Demo mot de riktiga källorna i {live_sources.path}\nDatabas: {paths.db}\n")
        results = _demo_run(state, paths.db, live_sources.select(), live_sources.contact, profile)
        if any(r.outcome != "error" for r in results):
            _demo_end(paths.db, results, quiet)
            return
        if not quiet:
            click.echo("\nIngen av de riktiga källorna kunde nås; demot använder exempelsvaren i stället.\n")
    with sample_servers() as (portal, pages):
        paths = prepare_demo(folder, demo_sources_text(pages.base_url, portal.url))
        if not quiet:
            click.echo(f"Demo: exempelsvar från {pages.base_url} och {portal.url}")
            click.echo(f"Källfil: {paths.sources}\nDatabas: {paths.db}\n")
        results = _demo_run(state, paths.db, load_sources(paths.sources).sources, None, profile)
    _demo_end(paths.db, results, quiet)


def _demo_run(
    state: Context, db: Path, sources: list, contact: str | None, profile: Profile
) -> list[SourceResult]:
    """The real collect and match into the demo database, then its open calls, best matches first."""
    from monitor import output
    from monitor.records import utc_now
    from monitor.store import CallQuery, Store

    store = Store.open(db)
    try:
        quiet = state.verbosity < 0
        results = run_collect(sources, store, contact, quiet)
        _summary(results, quiet)
        run_match(state, store, profile)
        now = utc_now()
        query = CallQuery(statuses=("open",), sort="score")
        rows, members = _select_calls(store, query, now, all_regions=False)
        click.echo("")
        _print_calls(
            rows,
            "table",
            now,
            members,
            title="Öppna utlysningar, bäst matchade först (poäng 0–100 i bästa området)",
            headers=output.DEMO_HEADERS,
        )
        _demo_digest(store, profile, db.parent / "veckobrev", now, quiet)
    finally:
        store.close()
    return results


def _demo_digest(store: Store, profile: Profile, folder: Path, now, quiet: bool) -> None:
    """The weekly digest of each recipient, previewed (written, not sent)."""
    from notifications.jobs import open_incident_notices, run_digests

    if not profile.recipients:
        return
    deliveries = run_digests(store, profile, now, preview=folder, health_notices=open_incident_notices(store))
    if quiet:
        return
    click.echo(f"\nVeckobrevet, förhandsvisat för {len(profile.recipients)} mottagare (inget skickades):")
    for delivery in deliveries:
        shown = delivery.path.with_suffix(".html") if delivery.path else delivery.detail
        click.echo(f"  {delivery.recipient:<10} {delivery.subject}  →  {shown}")
    first = next((d.path for d in deliveries if d.path), None)
    if first is not None:
        click.echo(f"Öppna i en webbläsare: {first.with_suffix('.html').resolve().as_uri()}")
    _demo_alerts(store, profile, folder.parent / "direktivlarm", now)


def _demo_alerts(store: Store, profile: Profile, folder: Path, now) -> None:
    """EU law routed to the förvaltningar, and each förvaltning's alert, previewed."""
    from monitor.cli_legal import KIND_SV, legal_json
    from monitor.legal_store import legal_rows
    from notifications.jobs import run_alerts

    items = [legal_json(row) for row in legal_rows(store)]
    if not items:
        return
    names = {key: f.name for key, f in profile.forvaltningar.items()}
    click.echo(f"\nEU-rättsakter och samråd ({len(items)}), fördelade på förvaltningarna:")
    for item in sorted(items, key=lambda i: (not i["routed_to"], i["routed_to"] or [], i["id"])):
        routed = ", ".join(item["routed_to"] or []) or "–"
        why = ", ".join((item["why"] or {}).get((item["routed_to"] or [""])[0], []))
        title = item["title"] if len(item["title"]) <= 70 else item["title"][:69] + "…"
        click.echo(
            f"  {routed:<5} {KIND_SV.get(item['kind'], item['kind']):<18} {title}"
            + (f"  ({why})" if why else "")
        )
    deliveries = [d for d in run_alerts(store, profile, now, preview=folder) if d.path]
    if deliveries:
        click.echo("Direktivlarm, förhandsvisade (inget skickades):")
        for delivery in deliveries:
            name = names.get(delivery.recipient, delivery.recipient)
            click.echo(f"  {name:<36} →  {delivery.path.with_suffix('.html')}")


def _demo_end(db: Path, results: list[SourceResult], quiet: bool) -> None:
    if not quiet:
        click.echo(
            f"\nFortsätt utforska:\n  eumonitor --db {db} calls --status all\n"
            f"  eumonitor --db {db} show CERV-2027-CITIZENS-TOWN-TT\n"
            f"  eumonitor --db {db} directives --forvaltning sbf\n"
            f"  eumonitor --db {db} show 32020L2184"
        )
    if any(r.outcome == "error" for r in results):
        sys.exit(EXIT_SOURCE_FAILED)


from monitor import cli_legal, cli_notify  # noqa: E402, F401 - register their commands


def entry() -> None:  # pragma: no cover - console script shim
    main(prog_name=os.path.basename(sys.argv[0]) or "eumonitor")
