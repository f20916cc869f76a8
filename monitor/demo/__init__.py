"""`eumonitor demo`: the production code path against bundled sample answers on 127.0.0.1.

The samples in samples/ are SEDIA search answers in the real format, written for this project
(see their `_about` notes). The server pages them as the real API does.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from monitor.demo.sedia_server import SediaServer

SAMPLE_FILES = ("eu-portal-search.json",)
DEMO_PAGE_SIZE = 5  # small pages, so the demo pages through the samples like a real run


def sample_results() -> list[dict]:
    """Every result of the bundled SEDIA answers."""
    results: list[dict] = []
    folder = resources.files("monitor.demo") / "samples"
    for name in SAMPLE_FILES:
        document = json.loads((folder / name).read_text(encoding="utf-8"))
        results.extend(document["results"])
    return results


def sample_server() -> SediaServer:
    return SediaServer(sample_results())


@dataclass
class DemoPaths:
    folder: Path
    sources: Path
    db: Path


def prepare_demo(folder: Path, search_url: str | None) -> DemoPaths:
    """A fresh demo folder: no old database, and (given a URL) a sources file pointing at it."""
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "demo.db"
    for stale in (db, db.with_name("demo.db-wal"), db.with_name("demo.db-shm")):
        stale.unlink(missing_ok=True)
    sources = folder / "sources.yaml"
    if search_url is None:
        return DemoPaths(folder=folder, sources=sources, db=db)
    sources.write_text(
        "# Written by `eumonitor demo`: the EU portal source, pointed at the local sample server.\n"
        "sources:\n"
        "  - id: eu-portal\n"
        "    kind: eu_portal\n"
        "    name: EU Funding & Tenders Portal (exempel)\n"
        f"    url: {search_url}\n"
        "    delay: 0\n"
        "    backoff: 0.2\n"
        f"    page_size: {DEMO_PAGE_SIZE}\n",
        encoding="utf-8",
    )
    return DemoPaths(folder=folder, sources=sources, db=db)
