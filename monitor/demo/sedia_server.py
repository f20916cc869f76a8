"""A local server that speaks the SEDIA search protocol, for the demo, the tests and the benchmark.

It answers as the real API does (see ../shared/SOURCES.md): POST with `query`, `languages` and
`sort` as JSON *file* parts, paging by `pageNumber`/`pageSize` (at most 100), `terms` filters on
metadata, and HTTP 500 when the parts are plain form fields. `fault` lets a test make a page fail.
"""

from __future__ import annotations

import email.parser
import email.policy
import json
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

SEARCH_PATH = "/search-api/prod/rest/search"
MAX_PAGE_SIZE = 100


@dataclass
class Reply:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


# fault(page_number, attempt_number_for_that_page) → a Reply to send instead, or None
Fault = Callable[[int, int], Reply | None]


@dataclass
class SeenRequest:
    page: int
    page_size: int
    params: dict[str, str]
    parts: dict[str, tuple[str | None, str, str]]  # name → (filename, content type, text)


def _parse_multipart(content_type: str, body: bytes) -> dict[str, tuple[str | None, str, str]]:
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + body
    )
    parts = {}
    if not message.is_multipart():
        return parts
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if name is None:
            continue
        filename = part.get_filename()
        payload = part.get_payload(decode=True) or b""
        parts[str(name)] = (filename, part.get_content_type(), payload.decode("utf-8", "replace"))
    return parts


def _matches(metadata: dict, query: dict) -> bool:
    for clause in query.get("bool", {}).get("must", []):
        terms = clause.get("terms")
        if not terms:
            continue
        for key, allowed in terms.items():
            values = metadata.get(key) or []
            if not set(map(str, values)) & set(map(str, allowed)):
                return False
    return True


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that hangs up early (e.g. one refusing an answer over its size cap) is not news.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


class SediaServer:
    """Serve `results` (SEDIA result objects) on 127.0.0.1 until stopped."""

    def __init__(self, results: list[dict], fault: Fault | None = None, host: str = "127.0.0.1") -> None:
        self._lock = threading.Lock()
        self._cache: dict[str, list[dict]] = {}
        self.results = results
        self.fault = fault
        self.requests: list[SeenRequest] = []
        self.attempts: dict[int, int] = {}
        self._server = _Server((host, 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)

    @property
    def results(self) -> list[dict]:
        return self._results

    @results.setter
    def results(self, results: list[dict]) -> None:
        """Serve other results from now on (a later run sees the source changed)."""
        with self._lock:
            self._results = results
            self._cache.clear()

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}{SEARCH_PATH}"

    def __enter__(self) -> SediaServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    # --- answering ---------------------------------------------------------------------------

    def _selected(self, query: dict, sort: dict | None) -> list[dict]:
        key = json.dumps([query, sort], sort_keys=True)
        with self._lock:
            if key not in self._cache:
                rows = [r for r in self.results if _matches(r.get("metadata", {}), query)]
                if sort and sort.get("field"):
                    name = sort["field"]
                    rows.sort(
                        key=lambda r: (r.get("metadata", {}).get(name) or [""])[0],
                        reverse=str(sort.get("order", "ASC")).upper() == "DESC",
                    )
                self._cache[key] = rows
            return self._cache[key]

    def answer(self, params: dict[str, str], content_type: str, body: bytes) -> Reply:
        if params.get("apiKey") != "SEDIA":
            return _error(401, "apiKey missing or unknown")
        try:
            page = int(params.get("pageNumber", "1") or 1)
            page_size = min(int(params.get("pageSize", "50") or 50), MAX_PAGE_SIZE)
        except ValueError:
            return _error(400, "pageNumber and pageSize must be whole numbers")
        multipart = "multipart/form-data" in content_type
        parts = _parse_multipart(content_type, body) if multipart else {}
        self.requests.append(SeenRequest(page, page_size, params, parts))
        with self._lock:
            attempt = self.attempts[page] = self.attempts.get(page, 0) + 1
        if self.fault:
            reply = self.fault(page, attempt)
            if reply is not None:
                return reply
        # The real API answers 500 unless query/languages/sort are JSON file parts; a form sent
        # urlencoded (httpx `data=` without `files=`) is plain fields too.
        if body and not multipart:
            return _error(500, f"body must be multipart/form-data with JSON file parts, not {content_type!r}")
        for name in ("query", "languages", "sort"):
            if name in parts:
                filename, ctype, _ = parts[name]
                if filename is None or ctype != "application/json":
                    return _error(500, f"part '{name}' must be a file part of type application/json")
        try:
            query = json.loads(parts["query"][2]) if "query" in parts else {}
            sort = json.loads(parts["sort"][2]) if "sort" in parts else None
            json.loads(parts["languages"][2]) if "languages" in parts else None
        except ValueError:
            return _error(500, "invalid JSON in a part")
        rows = self._selected(query, sort)
        start = (page - 1) * page_size
        document: dict[str, Any] = {
            "apiVersion": "2.151",
            "terms": params.get("text", "***"),
            "responseTime": 12,
            "totalResults": len(rows),
            "pageNumber": page,
            "pageSize": page_size,
            "sort": "relevance" if not sort else f"{sort.get('field')}:{sort.get('order', 'ASC')}",
            "groupByField": "sortStatus",
            "queryLanguage": {"language": "en", "probability": 0.0},
            "bestBets": 0,
            "warnings": 0,
            "results": rows[start : start + page_size],
        }
        return Reply(200, json.dumps(document).encode(), {"Content-Type": "application/json"})

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                split = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                if split.path != SEARCH_PATH:
                    reply = _error(404, "not found")
                else:
                    params = {k: v[0] for k, v in parse_qs(split.query, keep_blank_values=True).items()}
                    reply = server.answer(params, self.headers.get("Content-Type", ""), body)
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body)

            def do_GET(self) -> None:
                # The real endpoint only takes POST; a GET gets its 405.
                reply = _error(405, "Request method 'GET' not supported")
                self.send_response(reply.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body)

        return Handler


def _error(status: int, message: str) -> Reply:
    body = json.dumps({"status": status, "message": message}).encode()
    return Reply(status, body, {"Content-Type": "application/json"})
