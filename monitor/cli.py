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
from monitor.errors import ConfigError, EumonitorError

if TYPE_CHECKING:
    from monitor.config import SourcesFile
    from monitor.profile import Profile
    from monitor.runner import SourceResult
    from monitor.store import Store

DB_ENV = "EUMONITOR_DB"
EXIT_SOURCE_FAILED = 1
EXIT_USAGE = 2


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

    def close(self) -> None:
        if self._store is not None:
            self._store.close()


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
        try:
            return super().invoke(ctx)
        except ConfigError as error:
            _config_failure(error)
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
    selected = sources_file.select(source_ids)
    if not selected:
        fail("inga aktiva källor i " + sources_file.path + " (sätt enabled: true eller ange --source ID)")
    results = run_collect(selected, state.store(), sources_file.contact, state.verbosity < 0)
    _summary(results, state.verbosity < 0)
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
    rows: list[dict], fmt: str, now, members: dict[str, list[dict]] | None = None, title: str | None = None
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
    for header in output.TABLE_HEADERS:
        if header == "Titel":
            table.add_column(header, ratio=1, overflow="fold")
        else:
            table.add_column(header, no_wrap=header != "Källor")
    for cells in output.table_rows(rows, now, members):
        table.add_row(*(Text(cell) for cell in cells))  # titles may hold "[...]": not markup
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
    "--sort", type=click.Choice(["deadline", "new", "title"]), default="deadline", show_default=True
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
    sort: str,
    limit: int | None,
    all_regions: bool,
    fmt: str,
) -> None:
    """Lista utlysningar ur databasen.

    \b
    Exempel:
      eumonitor calls
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
    )
    now = _now()
    rows, members = _select_calls(state.store(), query, now, all_regions)
    _print_calls(rows, fmt, now, members)


@main.command("show")
@click.argument("call_id", metavar="ID")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_obj
def show(state: Context, call_id: str, fmt: str) -> None:
    """Visa allt om en utlysning, med dess historik.

    ID är id:t (källa:nyckel) eller utlysningens identifierare.

    \b
    Exempel:
      eumonitor show CERV-2027-CITIZENS-TOWN-TT
      eumonitor show eu-portal:CERV-2027-CITIZENS-TOWN-TT --format json
    """
    from monitor import output

    store = state.store()
    row = store.get_call(call_id)
    if row is None:
        fail(f"ingen utlysning med id eller identifierare '{call_id}' (se 'eumonitor calls --status all')")
    now = _now()
    events = store.events(row["id"])
    members = store.group_members(row["group_id"] or row["id"])
    if fmt == "json":
        item = output.call_json(row, now, members)
        item["history"] = [output.event_json(e) for e in events]
        click.echo(json.dumps(item, ensure_ascii=False, indent=2))
    else:
        click.echo(output.show_text(row, events, now, members))


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
    from monitor.demo import demo_sources_text, prepare_demo, sample_servers

    quiet = state.verbosity < 0
    folder = Path(directory)
    if live:
        live_sources = state.sources()
        paths = prepare_demo(folder, None)
        if not quiet:
            click.echo(f"Demo mot de riktiga källorna i {live_sources.path}\nDatabas: {paths.db}\n")
        results = _demo_run(paths.db, live_sources.select(), live_sources.contact, quiet)
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
        results = _demo_run(paths.db, load_sources(paths.sources).sources, None, quiet)
    _demo_end(paths.db, results, quiet)


def _demo_run(db: Path, sources: list, contact: str | None, quiet: bool) -> list[SourceResult]:
    """The real collect into the demo database, then its open calls."""
    from monitor.records import utc_now
    from monitor.store import CallQuery, Store

    store = Store.open(db)
    try:
        results = run_collect(sources, store, contact, quiet)
        _summary(results, quiet)
        now = utc_now()
        rows, members = _select_calls(store, CallQuery(statuses=("open",)), now, all_regions=False)
        click.echo("")
        _print_calls(rows, "table", now, members, title="Öppna utlysningar")
    finally:
        store.close()
    return results


def _demo_end(db: Path, results: list[SourceResult], quiet: bool) -> None:
    if not quiet:
        click.echo(
            f"\nFortsätt utforska:\n  eumonitor --db {db} calls --status all\n"
            f"  eumonitor --db {db} show CERV-2027-CITIZENS-TOWN-TT"
        )
    if any(r.outcome == "error" for r in results):
        sys.exit(EXIT_SOURCE_FAILED)


def entry() -> None:  # pragma: no cover - console script shim
    main(prog_name=os.path.basename(sys.argv[0]) or "eumonitor")
