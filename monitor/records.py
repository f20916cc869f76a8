"""Records that sources produce, and the rules that are the same for every source.

A call's status is decided here from its dates, never taken from the source: the EU portal keeps
calls "open" for years after their last deadline.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

STOCKHOLM = ZoneInfo("Europe/Stockholm")
BRUSSELS = ZoneInfo("Europe/Brussels")
# Swedish month names, for everything a municipal employee reads (and for reading Swedish feeds).
MONTHS_SV = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)

OPEN = "open"
FORTHCOMING = "forthcoming"
CLOSED = "closed"
STATUSES = (OPEN, FORTHCOMING, CLOSED)

# "page" is a watched page without a list (page_watch): its text is kept and a change is news.
CALL_TYPES = ("grant", "cascade_funding", "external_action", "page")


@dataclass
class Budget:
    """What one call (topic) can give, as far as the source says it."""

    total_eur: float | None = None
    min_grant_eur: float | None = None
    max_grant_eur: float | None = None
    expected_grants: int | None = None


@dataclass
class Call:
    """One call for proposals as a source lists it. Times are aware datetimes."""

    source: str
    key: str  # unique within the source
    identifier: str
    title: str
    url: str
    call_type: str = "grant"
    call_identifier: str | None = None
    call_title: str | None = None
    programme_id: str | None = None
    programme: str | None = None
    opening: datetime | None = None
    deadlines: list[datetime] = field(default_factory=list)
    deadline_model: str | None = None
    source_status: str | None = None
    description: str = ""
    conditions: str = ""
    keywords: list[str] = field(default_factory=list)
    budget: Budget | None = None
    language: str | None = None
    types_of_action: list[str] = field(default_factory=list)
    # How exact the dates are: "minute", "day", "month" or "unknown" (monitor.dates). A day or
    # month is stored as its last minute for deadlines and its first for openings.
    opening_precision: str = "day"
    deadline_precision: str = "minute"
    # The regions the call is open to, as the source names them (NUTS codes or names); empty when
    # the source does not say. See monitor.regions.
    regions: list[str] = field(default_factory=list)
    # Identifiers that name this same call on other sites (an EU topic id, a funder's own number
    # such as "tillvaxtverket:7085"): one call seen on several sources becomes one record.
    official_ids: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        return f"{self.source}:{self.key}"

    def content_hash(self) -> str:
        """A digest of everything the record holds; equal digests mean nothing changed."""
        return digest(
            value if isinstance(value, str) else "\x00" if value is None else repr(value)
            for value in (getattr(self, f.name) for f in fields(self))
        )


def digest(parts: Iterable[str]) -> str:
    """A stable digest of a sequence of texts.

    Texts joined and hashed with SHA-256 (hardware-accelerated on current CPUs, so faster than
    blake2b here): on a cold collect of 20,000 calls JSON or repr() of whole records cost more than
    all the SQL (bench/collect.py).
    """
    return hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:32]


def decide_status(
    opening: datetime | None, deadlines: list[datetime], now: datetime, source_status: str | None = None
) -> str:
    """open / forthcoming / closed from the dates; the source's own word only where dates are missing.

    Closed once the last deadline has passed; forthcoming before the opening date, or when there
    is no opening date and the source calls it forthcoming; open otherwise (a call without
    deadlines is a rolling one and stays open while the source lists it).
    """
    if deadlines and max(deadlines) < now:
        return CLOSED
    if opening is not None:
        return FORTHCOMING if opening > now else OPEN
    return FORTHCOMING if source_status == FORTHCOMING else OPEN


def next_deadline(deadlines: list[datetime], now: datetime) -> datetime | None:
    """The first deadline still to come, or the last one once all have passed."""
    if not deadlines:
        return None
    upcoming = [d for d in deadlines if d >= now]
    return min(upcoming) if upcoming else max(deadlines)


def to_utc_text(moment: datetime | None) -> str | None:
    """UTC ISO text that sorts as time does: how the store keeps instants."""
    if moment is None:
        return None
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def from_utc_text(text: str | None) -> datetime | None:
    if not text:
        return None
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def local_iso(moment: datetime | None) -> str | None:
    """ISO 8601 with the Europe/Stockholm offset: what users and JSON consumers see."""
    if moment is None:
        return None
    return moment.astimezone(STOCKHOLM).isoformat(timespec="seconds")


def brussels_cutoff(day: date, hour: int = 17) -> datetime:
    """The EU's usual cut-off on a day: 17:00 Brussels time."""
    return datetime.combine(day, time(hour, 0), tzinfo=BRUSSELS)


def start_of_day(day: date, zone: ZoneInfo = BRUSSELS) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=zone)


def utc_now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


@dataclass
class Listing:
    """One call as an answer lists it. The full record is built only when the store needs it.

    `digest` changes whenever what the source said about the call changes (kinds that parse
    cheaply use the record's own content hash); an unchanged re-run compares digests and never
    builds the record, which is what makes it cheap. `opening` and `deadlines` are read eagerly
    because status depends on the clock even when nothing changed.
    """

    id: str
    digest: str
    completeness: tuple
    opening: datetime | None
    deadlines: list[datetime]
    build: Callable[[], Call] = field(repr=False)
    source_status: str | None = None
    _call: Call | None = field(default=None, repr=False)

    def call(self) -> Call:
        if self._call is None:
            self._call = self.build()
        return self._call

    @classmethod
    def of(cls, call: Call, completeness: tuple = ()) -> Listing:
        """A listing of a record that is already built."""
        return cls(
            call.id,
            call.content_hash(),
            completeness,
            call.opening,
            call.deadlines,
            lambda: call,
            call.source_status,
            call,
        )
