"""Plain records that the notifications package builds messages from.

The lead's wiring fills them from the store and profile.yaml; nothing here knows SQLite or click.
Times are aware datetimes; they are shown in Europe/Stockholm.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

Precision = Literal["minute", "day", "month", "unknown"]
Change = Literal["deadline_moved", "reopened"]
HealthKind = Literal["failing", "recovered", "empty"]

ALL = "all"


@dataclass(frozen=True)
class AreaInfo:
    """One of the profile's areas: its fixed key and its Swedish name."""

    key: str
    name: str


@dataclass
class DigestCall:
    """One call as a digest, reminder or export shows it (already scored and checked)."""

    id: str
    title: str
    url: str
    programme: str | None = None
    deadline: datetime | None = None
    deadline_precision: Precision = "minute"
    opening: datetime | None = None
    status: str = "open"
    score: int = 0
    best_area: str = ""
    scores: dict[str, int] = field(default_factory=dict)
    why: list[str] = field(default_factory=list)
    # The words behind each area's score, when known: a digest section shows its own area's.
    why_by_area: dict[str, list[str]] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)
    eligible: bool = True
    ineligible_reason: str | None = None
    # When the store first saw the call: "new since the last digest" is decided on it.
    first_seen: datetime | None = None
    change: Change | None = None
    # When the change was seen; None means the caller has already decided the change is recent.
    changed_at: datetime | None = None
    old_deadline: datetime | None = None
    old_deadline_precision: Precision = "minute"

    def score_in(self, area: str) -> int:
        """The call's score in one area; the best area's score when only that is known."""
        if area in self.scores:
            return self.scores[area]
        return self.score if area == self.best_area else 0


@dataclass(frozen=True)
class Recipient:
    """Who gets a digest: the enheten (all areas, source health) or a förvaltning (its areas)."""

    id: str
    name: str
    emails: Sequence[str]
    # Area keys, or "all".
    areas: Sequence[str] = ALL
    min_score: int = 0
    health: bool = False

    def area_keys(self, areas: Sequence[AreaInfo]) -> list[str]:
        """The recipient's areas in the profile's order."""
        if self.areas == ALL or list(self.areas) == [ALL]:
            return [a.key for a in areas]
        return [a.key for a in areas if a.key in self.areas]


@dataclass(frozen=True)
class SourceHealthNotice:
    """A source that broke, went quiet, or works again; told once per incident."""

    source_id: str
    source_name: str
    kind: HealthKind
    failures_in_row: int = 0
    since: datetime | None = None
    message: str = ""
    # The last run (recovered) or the last run that yielded calls (empty), for the text.
    last_items: int | None = None
    at: datetime | None = None


@dataclass
class AreaSection:
    """New calls of one area, best first."""

    area: AreaInfo
    calls: list[DigestCall]


@dataclass
class Digest:
    """What one recipient is told for one period; `build_digest` turns it into an e-mail."""

    recipient: Recipient
    period: str  # ISO week, "2026-W48"
    sections: list[AreaSection] = field(default_factory=list)
    changed: list[DigestCall] = field(default_factory=list)
    upcoming: list[DigestCall] = field(default_factory=list)
    health: list[SourceHealthNotice] = field(default_factory=list)

    @property
    def new_count(self) -> int:
        return sum(len(s.calls) for s in self.sections)


@dataclass(frozen=True)
class DeadlineEvent:
    """One deadline of a call, for the calendar export.

    `index` is the deadline's place among the call's deadlines (0 for the only one), so that the
    event keeps its UID when the date moves; `sequence` counts the changes the store has seen.
    """

    call_id: str
    index: int
    title: str
    url: str
    deadline: datetime
    deadline_precision: Precision = "minute"
    programme: str | None = None
    score: int | None = None
    why: tuple[str, ...] = ()
    sequence: int = 0
