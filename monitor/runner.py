"""Collection: every selected source fetched, parsed and saved; one failing source never stops the others."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from monitor.config import SourceConfig
from monitor.errors import SourceError
from monitor.legal_store import LEGAL_KINDS, LegalWriter
from monitor.records import utc_now
from monitor.sources import make_source
from monitor.store import Store

log = logging.getLogger(__name__)

# (source id, rows read so far, rows the source says it has or None)
ProgressCallback = Callable[[str, int, int | None], None]


@dataclass
class SourceResult:
    """What one source's run came to: the row `collect` prints in its summary."""

    source: str
    outcome: str  # ok | unchanged | error
    items: int = 0
    new: int = 0
    changed: int = 0
    closed: int = 0
    pages: int = 0
    seconds: float = 0.0
    message: str | None = None
    warnings: int = 0


def collect_source(
    config: SourceConfig,
    store: Store,
    client: httpx.Client,
    progress: ProgressCallback | None = None,
) -> SourceResult:
    """Run one source end to end and record the run. Never raises for the source's own failures."""
    started = time.monotonic()
    source = make_source(config, store.source_state(config.id))
    now = utc_now()
    run_id = store.begin_run(config.id, now)
    # Legal kinds, and an rss feed of Swedish referrals, give legal items, not calls.
    legal = config.kind in LEGAL_KINDS or getattr(config.settings, "records", "calls") == "referrals"
    writer = LegalWriter(store, run_id, config.id, now) if legal else store.writer(run_id, config.id, now)
    rows = 0
    warnings = 0
    complete = True
    error: str | None = None
    try:
        for fetched in source.fetch(client):
            page = source.parse(fetched)
            for warning in page.warnings:
                log.warning("%s: %s", config.id, warning)
            warnings += len(page.warnings)
            if legal:
                writer.save_items(page.items)
            else:
                writer.save_page(page.listings)
            complete = complete and page.complete
            rows += page.rows
            if progress:
                progress(config.id, rows, page.total)
    except SourceError as exc:
        error = str(exc)
    except Exception as exc:  # a bug in one kind must not stop the other sources
        log.debug("%s: unexpected error", config.id, exc_info=True)
        error = f"internt fel ({type(exc).__name__}: {exc}); kör med -v för detaljer"
    outcome, message = writer.finish(error, complete=complete)
    if outcome != "error" and source.new_state:
        store.save_source_state(config.id, source.new_state)  # only after success: an outage loses nothing
    if outcome == "error":
        log.warning("%s: %s", config.id, message)
    counts = writer.counts
    return SourceResult(
        source=config.id,
        outcome=outcome,
        items=counts.items,
        new=counts.new,
        changed=counts.changed,
        closed=counts.closed,
        pages=counts.pages,
        seconds=time.monotonic() - started,
        message=message,
        warnings=warnings,
    )


def collect(
    sources: list[SourceConfig],
    store: Store,
    client: httpx.Client,
    progress: ProgressCallback | None = None,
) -> list[SourceResult]:
    """Collect each source in turn, then make one call of a call that several sources list."""
    results = [collect_source(config, store, client, progress) for config in sources]
    moved = store.regroup()
    if moved:
        log.info("%d utlysningar grupperades om (samma utlysning i flera källor)", moved)
    return results
