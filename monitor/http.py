"""The one HTTP client factory and the request loop every source uses.

Sources receive an httpx.Client and never build their own, so tests can hand them one that talks to
a server on 127.0.0.1. All httpx errors become FetchError here.
"""

from __future__ import annotations

import email.utils
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx

from monitor import __version__
from monitor.errors import FetchError

log = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 50_000_000
RETRYABLE_STATUS = frozenset({429, 500, 502, 503, 504})


def make_client(contact: str | None = None, timeout: float = 60.0) -> httpx.Client:
    """An httpx client with our User-Agent, timeouts and no redirects to other schemes."""
    agent = f"eumonitor/{__version__} (EU funding monitor for Swedish municipalities"
    agent += f"; contact {contact})" if contact else ")"
    return httpx.Client(
        headers={"User-Agent": agent},
        timeout=httpx.Timeout(timeout, connect=min(timeout, 20.0)),
        follow_redirects=True,
    )


@dataclass
class Fetched:
    """One answer as received: what parse() gets. Built from recorded bytes in tests."""

    url: str
    content: bytes
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    page: int = 1
    # Further answers parse() needs together with this one (html_list's detail pages), by URL.
    related: dict[str, Fetched] = field(default_factory=dict)
    _document: Any = field(default=None, repr=False)

    def json(self) -> Any:
        """The body decoded as JSON, decoded once however often it is asked for."""
        if self._document is None:
            import json

            from monitor.errors import ParseError

            try:
                self._document = json.loads(self.content)
            except ValueError as exc:
                raise ParseError(f"svaret från {self.url} är inte JSON ({exc})") from None
        return self._document


@dataclass
class RetryPolicy:
    """How hard to try one request."""

    retries: int = 3
    backoff: float = 2.0  # seconds before the first retry; doubles each time
    max_retry_after: float = 120.0
    deadline: float | None = None  # time.monotonic() after which no new attempt starts
    max_bytes: int = DEFAULT_MAX_BYTES
    sleep: Callable[[float], None] = time.sleep


def _retry_after_seconds(value: str | None) -> float | None:
    """Retry-After as seconds: either a number or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _read_capped(response: httpx.Response, max_bytes: int) -> bytes:
    """The body, refused as soon as it grows past max_bytes (never read whole)."""
    declared = response.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise FetchError(
            f"{response.url}: svaret är {int(declared):,} byte, större än gränsen {max_bytes:,} (max_bytes)"
        )
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(f"{response.url}: svaret är större än gränsen {max_bytes:,} byte (max_bytes)")
        chunks.append(chunk)
    return b"".join(chunks)


def request(
    client: httpx.Client,
    method: str,
    url: str,
    policy: RetryPolicy,
    *,
    page: int = 1,
    **kwargs: Any,
) -> Fetched:
    """One request with retries on timeouts, connection errors, 5xx and 429 (Retry-After honoured).

    Raises FetchError when every attempt failed, when the answer is a client error, too large,
    or when the overall deadline is reached.
    """
    attempt = 0
    last_status: int | None = None
    while True:
        if policy.deadline is not None and time.monotonic() > policy.deadline:
            raise FetchError(f"{url}: tidsgränsen för källan (max_duration) nåddes")
        wait: float | None = None
        if policy.deadline is not None and "timeout" in kwargs:
            # No single attempt may outlast the source's overall time bound.
            kwargs["timeout"] = max(0.1, min(kwargs["timeout"], policy.deadline - time.monotonic()))
        try:
            with client.stream(method, url, **kwargs) as response:
                if response.status_code in RETRYABLE_STATUS:
                    problem = f"HTTP {response.status_code}"
                    last_status = response.status_code
                    wait = _retry_after_seconds(response.headers.get("retry-after"))
                    if wait is not None:
                        wait = min(wait, policy.max_retry_after)
                elif response.status_code >= 400:
                    raise FetchError(
                        f"{url}: HTTP {response.status_code} {response.reason_phrase}",
                        status=response.status_code,
                    )
                else:
                    content = _read_capped(response, policy.max_bytes)
                    return Fetched(
                        url=str(response.url),
                        content=content,
                        status=response.status_code,
                        headers=dict(response.headers),
                        page=page,
                    )
        except httpx.TimeoutException as exc:
            problem, last_status = f"tidsgräns överskriden ({type(exc).__name__})", None
        except httpx.TransportError as exc:
            problem, last_status = f"anslutningsfel ({type(exc).__name__}: {exc})", None
        except httpx.InvalidURL as exc:
            raise FetchError(f"{url}: ogiltig adress ({exc})") from None
        except httpx.HTTPError as exc:
            raise FetchError(f"{url}: {type(exc).__name__}: {exc}") from None

        attempt += 1
        if attempt > policy.retries:
            raise FetchError(f"{url}: {problem}; gav upp efter {attempt} försök", status=last_status)
        if wait is None:
            wait = policy.backoff * (2 ** (attempt - 1))
        if policy.deadline is not None and time.monotonic() + wait > policy.deadline:
            raise FetchError(f"{url}: {problem}; tidsgränsen (max_duration) räcker inte för ett nytt försök")
        log.info("%s: %s, försök %d av %d om %.1f s", url, problem, attempt + 1, policy.retries + 1, wait)
        policy.sleep(wait)
