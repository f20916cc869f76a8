"""Fixtures: isolated environment, a store on a temporary file, local servers on 127.0.0.1, the CLI."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

sys.path.insert(0, str(Path(__file__).parent))  # `import helpers`, whether or not tests/ is a package

from monitor.cli import main
from monitor.demo.sedia_server import Fault, Reply, SediaServer
from monitor.demo.static_server import StaticServer
from monitor.store import Store


@pytest.fixture(autouse=True)
def _no_user_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never read a developer's sources.yaml or profile.yaml, or write into their data folder."""
    monkeypatch.setenv("EUMONITOR_DB", str(tmp_path / "env-default.db"))
    monkeypatch.setenv("EUMONITOR_SOURCES", str(tmp_path / "env-default-sources.yaml"))
    # No profile unless a test names one: run from an empty folder, so ./profile.yaml is not there.
    monkeypatch.delenv("EUMONITOR_PROFILE", raising=False)
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def sedia() -> Iterator[Callable[..., SediaServer]]:
    """Start SediaServers on 127.0.0.1: `sedia(results, fault=None)`; all stopped after the test."""
    started: list[SediaServer] = []

    def start(results: list[dict], fault: Fault | None = None) -> SediaServer:
        server = SediaServer(results, fault=fault)
        server.start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def cli() -> Callable[..., Result]:
    """Run `eumonitor ARGS…` in-process; stdout and stderr kept apart."""
    runner = CliRunner()

    def invoke(*args: str, env: dict[str, str] | None = None) -> Result:
        return runner.invoke(main, list(args), env=env, catch_exceptions=False)

    return invoke


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """A fresh SQLite store on a temporary file."""
    opened = Store.open(tmp_path / "eumonitor.db")
    yield opened
    opened.close()


@pytest.fixture
def serve() -> Iterator[Callable[[dict[str, Reply]], StaticServer]]:
    """Start StaticServers on 127.0.0.1: `serve(routes)`; all stopped after the test."""
    started: list[StaticServer] = []

    def start(routes: dict[str, Reply]) -> StaticServer:
        server = StaticServer(routes)
        server.start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()
