"""Builders shared by the tests: SEDIA results in the real shape, sources files, calls, servers."""

from __future__ import annotations

import os
import socket
import textwrap
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from monitor.records import Call

OPEN = "31094502"
FORTHCOMING = "31094501"
CLOSED = "31094503"
CERV = "43251589"
ERASMUS = "43353764"


def sedia_result(
    identifier: str,
    title: str | None = None,
    *,
    status: str = OPEN,
    call_type: str = "1",
    programme: str = CERV,
    start: str = "2026-09-01T00:00:00.000+0000",
    deadlines: tuple[str, ...] = ("2035-04-08T00:00:00.000+0000",),
    description: str | None = None,
    datasource: str = "SEDIA",
) -> dict[str, Any]:
    """One SEDIA search result as the API sends it: every metadata value a list of strings."""
    title = title or f"Topic {identifier}"
    call_identifier = identifier.rsplit("-", 1)[0]
    return {
        "apiVersion": "2.151",
        "reference": f"{identifier}COMPETITIVE_CALLen",
        "url": f"https://ec.europa.eu/info/funding-tenders/opportunities/data/topicDetails/{identifier.lower()}.json",
        "title": None,
        "contentType": "text/html",
        "language": "en",
        "databaseLabel": "SEDIA",
        "database": "SEDIA",
        "summary": title,
        "content": title,
        "metadata": {
            "identifier": [identifier],
            "title": [title],
            "type": [call_type],
            "status": [status],
            "DATASOURCE": [datasource],
            "frameworkProgramme": [programme],
            "callIdentifier": [call_identifier],
            "callTitle": [f"Call {call_identifier}"],
            "startDate": [start],
            "deadlineDate": list(deadlines),
            "deadlineModel": ["single-stage"],
            "descriptionByte": [description or f"<p>About <strong>{title}</strong> &amp; more.</p>"],
            "language": ["en"],
        },
    }


def many_results(count: int, prefix: str = "CERV-2027-CITIZENS-TOWN") -> list[dict[str, Any]]:
    return [sedia_result(f"{prefix}-{n:04d}") for n in range(count)]


def write_sources(path: Path, *sources: dict[str, Any], contact: str | None = None) -> Path:
    """A sources.yaml with eu_portal sources; delay 0 and a tiny backoff unless a source says otherwise."""
    lines = [f"contact: {contact}"] if contact else []
    lines.append("sources:")
    for source in sources:
        entry = {"kind": "eu_portal", "delay": 0, "backoff": 0.01, **source}
        lines.append(f"  - id: {entry.pop('id')}")
        lines += [f"    {key}: {value}" for key, value in entry.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_yaml(path: Path, text: str) -> Path:
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


DEFAULT_DEADLINE = datetime(2030, 4, 8, 15, tzinfo=UTC)
DEFAULT_OPENING = datetime(2026, 9, 1, tzinfo=UTC)


def make_call(
    key: str,
    title: str | None = None,
    *,
    source: str = "eu-portal",
    deadlines: tuple[datetime, ...] = (DEFAULT_DEADLINE,),
    opening: datetime | None = DEFAULT_OPENING,
    programme: str | None = "Citizens, Equality, Rights and Values Programme (CERV)",
    programme_id: str | None = CERV,
    description: str = "",
    source_status: str | None = "open",
) -> Call:
    """A Call as a source's parse() gives it, with explicit dates."""
    return Call(
        source=source,
        key=key,
        identifier=key,
        title=title or f"Topic {key}",
        url=f"https://ec.europa.eu/info/funding-tenders/opportunities/portal/screen/opportunities/topic-details/{key}",
        call_identifier=key.rsplit("-", 1)[0],
        call_title=f"Call {key.rsplit('-', 1)[0]}",
        programme_id=programme_id,
        programme=programme,
        opening=opening,
        deadlines=list(deadlines),
        source_status=source_status,
        description=description,
        language="en",
    )


def free_port() -> int:
    """A port nothing listens on (bound, then released): connections to it are refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def streaming_server(size: int, chunk: int = 4096) -> Iterator[str]:
    """A server on 127.0.0.1 that answers any request with `size` bytes, chunked, no Content-Length."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Transfer-Encoding", "chunked")
            self.send_header("Connection", "close")
            self.end_headers()
            sent = 0
            try:
                while sent < size:
                    piece = b"x" * min(chunk, size - sent)
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
                    sent += len(piece)
                self.wfile.write(b"0\r\n\r\n")
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client stopped reading: what the size cap is for

        do_GET = _answer
        do_POST = _answer

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/search"
    finally:
        server.shutdown()
        server.server_close()


# --- the shared, captured fixtures (../shared/fixtures): read-only, maybe absent ----------------

SHARED_ENV = "EUMONITOR_SHARED_FIXTURES"


def shared_fixtures() -> Path:
    """../shared/fixtures beside the repository, or the folder EUMONITOR_SHARED_FIXTURES names."""
    override = os.environ.get(SHARED_ENV)
    return Path(override) if override else Path(__file__).resolve().parents[2] / "shared" / "fixtures"


def shared_fixture(folder: str, name: str) -> Path:
    """A captured file, or the test is skipped with the reason.

    EUMONITOR_SHARED_FIXTURES may name the fixtures folder or the folder that holds the file.
    """
    base = shared_fixtures()
    path = base / name if (base / name).is_file() else base / folder / name
    if not path.is_file():
        pytest.skip(reason=f"shared fixture {path} is absent (set {SHARED_ENV} to its folder)")
    return path
