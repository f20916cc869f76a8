"""Fixtures: isolated environment, SEDIA servers on 127.0.0.1, and the CLI driven in-process."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

sys.path.insert(0, str(Path(__file__).parent))  # `import helpers`, whether or not tests/ is a package

from monitor.cli import main
from monitor.demo.sedia_server import Fault, SediaServer


@pytest.fixture(autouse=True)
def _no_user_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never read a developer's sources.yaml or profile.yaml, or write into their data folder."""
    monkeypatch.setenv("EUMONITOR_DB", str(tmp_path / "env-default.db"))
    monkeypatch.setenv("EUMONITOR_SOURCES", str(tmp_path / "env-default-sources.yaml"))
    monkeypatch.setenv("EUMONITOR_PROFILE", str(tmp_path / "env-default-profile.yaml"))


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
