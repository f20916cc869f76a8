"""Source kinds: one registry keyed by `kind`, filled by explicit registration.

Each kind is a class with
- a one-line docstring (listed by `eumonitor kinds`),
- ``Settings``: a dataclass of its own keys in sources.yaml (unknown keys are rejected),
- ``fetch(client)``: the I/O, yielding one Fetched answer at a time,
- ``parse(fetched)``: pure, from recorded bytes to a ParsedPage of records.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

from monitor.records import Listing

if TYPE_CHECKING:
    import httpx

    from monitor.config import SourceConfig
    from monitor.http import Fetched
    from monitor.records import Call


@dataclass
class ParsedPage:
    """What one fetched answer held."""

    listings: list[Listing]
    total: int | None = None  # items the source says it has in all, when it says so
    rows: int = 0  # rows in this answer before deduplication
    dropped: int = 0  # rows left out on purpose (stale copies, duplicates, other record types)
    warnings: list[str] = field(default_factory=list)

    @property
    def calls(self) -> list[Call]:
        """Every record built (for tests and `test-source`; collection builds only what changed)."""
        return [listing.call() for listing in self.listings]


class Source:
    """Base of every source kind."""

    kind: ClassVar[str]
    Settings: ClassVar[type]

    def __init__(self, config: SourceConfig) -> None:
        self.config = config
        self.settings = config.settings

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


def make_source(config: SourceConfig) -> Source:
    return KINDS[config.kind](config)


# Explicit registration: each kind's module is imported here by name, never discovered.
from monitor.sources import sedia  # noqa: E402, F401
