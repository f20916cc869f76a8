"""Source health: decide when people hear about a source (pure), and tell them in Swedish.

A run is *bad* when it failed (outcome "error") or when it yielded nothing although the source
yielded calls before (a changed page, not "everything closed"). After `threshold` bad runs in a
row (default 3) an incident opens and one notice goes out; while it lasts nothing more; the first
good run closes it with one "recovered" notice. The caller keeps the incident between runs.

    decision = assess(history, incident, now=now)
    decision.notice      → SourceHealthNotice | None, for the digest or build_health_notice()
    decision.incident    → Incident | None, to store for the next run
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage

from notifications import dates, render
from notifications.model import SourceHealthNotice

ERROR = "error"
UNCHANGED = "unchanged"
THRESHOLD = 3


@dataclass(frozen=True)
class Run:
    """One collect of one source: outcome "ok" | "unchanged" | "error", items yielded when known."""

    at: datetime
    outcome: str
    items: int | None = None
    message: str = ""


@dataclass(frozen=True)
class SourceHistory:
    """A source's recent runs, oldest first, newest last."""

    source_id: str
    source_name: str
    runs: Sequence[Run] = field(default_factory=tuple)


@dataclass(frozen=True)
class Incident:
    """An open incident: what went wrong and since when. Stored by the caller between runs."""

    source_id: str
    kind: str  # "failing" | "empty"
    since: datetime
    notified_at: datetime


@dataclass(frozen=True)
class Decision:
    notice: SourceHealthNotice | None
    incident: Incident | None


def _bad_streak(runs: Sequence[Run]) -> list[Run]:
    """The bad runs at the end of the history, oldest first.

    "unchanged" (HTTP 304) repeats the state of the content it confirms: bad after an empty
    yield, good otherwise.
    """
    flags: list[bool] = []
    yielded = empty = False
    for run in runs:
        if run.outcome == ERROR:
            flags.append(True)
        elif run.outcome == UNCHANGED:
            flags.append(empty)
        else:
            empty = run.items == 0 and yielded
            yielded = yielded or bool(run.items)
            flags.append(empty)
    streak: list[Run] = []
    for run, bad in zip(reversed(runs), reversed(flags), strict=True):
        if not bad:
            break
        streak.append(run)
    streak.reverse()
    return streak


def _last_yield(runs: Sequence[Run]) -> int | None:
    for run in reversed(runs):
        if run.outcome not in (ERROR, UNCHANGED) and run.items:
            return run.items
    return None


def assess(
    history: SourceHistory, incident: Incident | None, *, now: datetime, threshold: int = THRESHOLD
) -> Decision:
    """The notice due after the latest run (at most one) and the incident to keep."""
    runs = list(history.runs)
    if not runs:
        return Decision(None, incident)
    streak = _bad_streak(runs)
    if len(streak) >= threshold:
        if incident is not None:
            return Decision(None, incident)  # once per incident
        failing = any(run.outcome == ERROR for run in streak)
        kind = "failing" if failing else "empty"
        message = next((r.message for r in reversed(streak) if r.message), "")
        notice = SourceHealthNotice(
            source_id=history.source_id,
            source_name=history.source_name,
            kind=kind,
            failures_in_row=len(streak),
            since=streak[0].at,
            message=message,
            last_items=_last_yield(runs[: len(runs) - len(streak)]),
            at=runs[-1].at,
        )
        return Decision(notice, Incident(history.source_id, kind, streak[0].at, now))
    if incident is not None and not streak:
        # A good run ends the incident; a streak that is still short but ongoing does not.
        last = runs[-1]
        notice = SourceHealthNotice(
            source_id=history.source_id,
            source_name=history.source_name,
            kind="recovered",
            since=incident.since,
            last_items=last.items,
            at=last.at,
        )
        return Decision(notice, None)
    return Decision(None, incident)


def assess_all(
    histories: Iterable[SourceHistory],
    incidents: Mapping[str, Incident],
    *,
    now: datetime,
    threshold: int = THRESHOLD,
) -> tuple[list[SourceHealthNotice], dict[str, Incident]]:
    """assess() for every source: the notices to send and the incidents to keep, by source id."""
    notices: list[SourceHealthNotice] = []
    kept: dict[str, Incident] = {}
    seen: set[str] = set()
    for history in histories:
        seen.add(history.source_id)
        decision = assess(history, incidents.get(history.source_id), now=now, threshold=threshold)
        if decision.notice:
            notices.append(decision.notice)
        if decision.incident:
            kept[history.source_id] = decision.incident
    # A source without runs this time (removed from sources.yaml, say) keeps its incident as it was.
    kept.update({key: value for key, value in incidents.items() if key not in seen})
    return notices, kept


def notice_text(notice: SourceHealthNotice) -> str:
    """One Swedish paragraph for the notice (source names and messages cleaned, never headers)."""
    name = render.clean(notice.source_name) or notice.source_id
    since = f" sedan {dates.format_deadline(notice.since)}" if notice.since else ""
    if notice.kind == "failing":
        text = f"Källan {name} har misslyckats {notice.failures_in_row} körningar i rad{since}."
        message = render.clean(notice.message)
        if message:
            text += f" Senaste fel: {message[:300]}"
        return text + " Utlysningar från källan kan saknas tills den fungerar igen."
    if notice.kind == "empty":
        before = f" (tidigare {notice.last_items})" if notice.last_items else ""
        return (
            f"Källan {name} har inte gett några utlysningar de senaste {notice.failures_in_row} "
            f"körningarna{since}, men gjorde det tidigare{before}. Sidan kan ha ändrats; "
            "kontrollera den och källans inställningar i sources.yaml."
        )
    items = f" och gav {notice.last_items} utlysningar" if notice.last_items is not None else ""
    when = f" ({dates.format_deadline(notice.at)})" if notice.at else ""
    return f"Källan {name} fungerar igen: senaste körningen lyckades{when}{items}."


def subject(notices: Sequence[SourceHealthNotice]) -> str:
    """Counts only: "EU-bevakning: 2 källor fungerar inte, 1 fungerar igen"."""
    broken = sum(1 for n in notices if n.kind != "recovered")
    recovered = len(notices) - broken
    parts = []
    if broken:
        parts.append(f"{render.plural(broken, 'källa', 'källor')} fungerar inte")
    if recovered:
        parts.append(f"{render.plural(recovered, 'källa', 'källor')} fungerar igen")
    return "EU-bevakning: " + ", ".join(parts or ["källornas hälsa"])


def build_health_notice(
    notices: Sequence[SourceHealthNotice],
    *,
    municipality_name: str,
    sender: str,
    to: Sequence[str],
    to_name: str = "",
    now: datetime,
) -> EmailMessage:
    """A separate e-mail with the notices, for when the enheten should not wait for Monday."""
    ctx = {
        "subject": subject(notices),
        "municipality": render.clean(municipality_name),
        "notices": [{"kind": n.kind, "text": notice_text(n)} for n in notices],
    }
    key = "health:" + ",".join(sorted(f"{n.source_id}/{n.kind}" for n in notices))
    return render.assemble(
        subject=ctx["subject"],
        text=render.render("health.txt.j2", **ctx),
        html=render.render("health.html.j2", **ctx),
        sender=sender,
        to=to,
        to_name=to_name,
        now=now,
        key=key,
    )
