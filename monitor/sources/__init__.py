"""Source kinds: one registry keyed by `kind`, filled by explicit registration.

Each kind is a class with
- a one-line docstring (listed by `eumonitor kinds`),
- ``Settings``: a dataclass of its own keys in sources.yaml (unknown keys are rejected),
- ``fetch(client)``: the I/O, yielding one Fetched answer at a time,
- ``parse(fetched)``: pure, from recorded bytes to a ParsedPage of records.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

from monitor.records import Listing

if TYPE_CHECKING:
    import httpx

    from monitor.config import SourceConfig
    from monitor.http import Fetched, RetryPolicy
    from monitor.records import Call


@dataclass
class ParsedPage:
    """What one fetched answer held."""

    listings: list[Listing]
    total: int | None = None  # items the source says it has in all, when it says so
    rows: int = 0  # rows in this answer before deduplication
    dropped: int = 0  # rows left out on purpose (stale copies, duplicates, other record types)
    warnings: list[str] = field(default_factory=list)
    # False when the answer lists only part of the source's calls (an incremental "changed since"
    # fetch): calls missing from such a run are not closed, and an empty run is not a failure.
    complete: bool = True

    @property
    def calls(self) -> list[Call]:
        """Every record built (for tests and `test-source`; collection builds only what changed)."""
        return [listing.call() for listing in self.listings]


@dataclass
class HttpSettings:
    """The keys every kind that fetches over HTTP has (a kind's Settings inherits these)."""

    delay: float = field(default=1.0, metadata={"help": "paus i sekunder mellan anrop"})
    retries: int = field(default=3, metadata={"help": "nya försök per anrop vid tidsgräns, 5xx och 429"})
    backoff: float = field(default=2.0, metadata={"help": "väntan före första nya försöket, fördubblas"})
    timeout: float = field(default=60.0, metadata={"help": "tidsgräns per anrop i sekunder"})
    max_duration: float = field(default=1800.0, metadata={"help": "tidsgräns för hela källan i sekunder"})
    max_bytes: int = field(default=50_000_000, metadata={"help": "största svar i byte (läses strömmande)"})

    def check(self) -> list[tuple[str, str]]:
        problems = []
        if self.delay < 0:
            problems.append(("delay", "får inte vara negativ."))
        if not 0 <= self.retries <= 10:
            problems.append(("retries", "måste vara mellan 0 och 10."))
        if self.backoff < 0:
            problems.append(("backoff", "får inte vara negativ."))
        if self.timeout <= 0:
            problems.append(("timeout", "måste vara större än 0."))
        if self.max_duration <= 0:
            problems.append(("max_duration", "måste vara större än 0."))
        if self.max_bytes < 1024:
            problems.append(("max_bytes", "måste vara minst 1024."))
        return problems

    def policy(self) -> RetryPolicy:
        """Retries, size cap and the overall time bound, starting now."""
        from monitor.http import RetryPolicy

        return RetryPolicy(
            retries=self.retries,
            backoff=self.backoff,
            deadline=time.monotonic() + self.max_duration,
            max_bytes=self.max_bytes,
        )


class Source:
    """Base of every source kind.

    `state` holds what the source kept from its last successful run (e.g. Vinnova's "changed
    since" date); a kind sets `new_state` during fetch, and the runner stores it only when the
    run succeeded, so an outage loses nothing.
    """

    kind: ClassVar[str]
    Settings: ClassVar[type]

    def __init__(self, config: SourceConfig, state: dict[str, str] | None = None) -> None:
        self.config = config
        self.settings = config.settings
        self.state: dict[str, str] = dict(state or {})
        self.new_state: dict[str, str] | None = None

    def fetch(self, client: httpx.Client) -> Iterator[Fetched]:  # pragma: no cover - interface
        raise NotImplementedError

    def parse(self, fetched: Fetched) -> ParsedPage:  # pragma: no cover - interface
        raise NotImplementedError


KINDS: dict[str, type[Source]] = {}


def register(kind: str) -> Callable[[type[Source]], type[Source]]:
    """Class decorator: make a source kind known under `kind`."""

    def add(cls: type[Source]) -> type[Source]:
        if kind in KINDS:
            raise RuntimeError(f"source kind {kind!r} registered twice")
        if not (cls.__doc__ or "").strip():
            raise RuntimeError(f"source kind {kind!r} needs a one-line docstring")
        cls.kind = kind
        KINDS[kind] = cls
        return cls

    return add


def describe(kind: str) -> str:
    return (KINDS[kind].__doc__ or "").strip().splitlines()[0]


def make_source(config: SourceConfig, state: dict[str, str] | None = None) -> Source:
    return KINDS[config.kind](config, state)


# Explicit registration: each kind's module is imported here by name, never discovered.
from monitor.sources import (  # noqa: E402, F401
    cellar_sparql,
    eurlex_rss,
    have_your_say,
    html_list,
    ical,
    interreg,
    page_watch,
    rss,
    sedia,
    vinnova,
)
