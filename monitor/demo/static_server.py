"""A local server that answers GET (and POST) with recorded bytes by path: for the demo and tests.

Routes map a path (with its query string, if the source sends one) to a Reply; a route ending in
'*' answers every path that starts with it. `fault` lets a test make a path fail a number of
times, as a flaky site would.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from monitor.demo.sedia_server import Reply

# fault(path, attempt number for that path) → a Reply to send instead, or None
PathFault = Callable[[str, int], Reply | None]


class _Server(ThreadingHTTPServer):
    daemon_threads = True


class StaticServer:
    """Serve `routes` on 127.0.0.1 until stopped; `requests` records (method, path, headers, body)."""

    def __init__(self, routes: dict[str, Reply] | None = None, fault: PathFault | None = None) -> None:
        self.routes: dict[str, Reply] = dict(routes or {})
        self.fault = fault
        self.requests: list[tuple[str, str, dict[str, str], bytes]] = []
        self.attempts: dict[str, int] = {}
        self._lock = threading.Lock()
        self._server = _Server(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05})
        self._thread.daemon = True

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def __enter__(self) -> StaticServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def answer(self, method: str, path: str, headers: dict[str, str], body: bytes) -> Reply:
        with self._lock:
            self.requests.append((method, path, headers, body))
            attempt = self.attempts[path] = self.attempts.get(path, 0) + 1
        if self.fault:
            reply = self.fault(path, attempt)
            if reply is not None:
                return reply
        reply = self.routes.get(path) or self.routes.get(path.split("?", 1)[0])
        if reply is None:
            # A route ending in '*' answers every path that starts with it (an API path with a date).
            prefixes = [p for p in self.routes if p.endswith("*") and path.startswith(p[:-1])]
            reply = self.routes[max(prefixes, key=len)] if prefixes else None
        return reply or Reply(404, b"not found", {"Content-Type": "text/plain"})

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _reply(self, method: str) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                reply = server.answer(method, self.path, dict(self.headers), body)
                try:
                    self.send_response(reply.status)
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(reply.body)))
                    self.end_headers()
                    if method != "HEAD":
                        self.wfile.write(reply.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (e.g. over the size cap): nothing to tell it

            def do_GET(self) -> None:
                self._reply("GET")

            def do_POST(self) -> None:
                self._reply("POST")

            def do_HEAD(self) -> None:
                self._reply("HEAD")

        return Handler
