"""Deadline reminders for calls marked interesting: which are due (pure), and the e-mail (pure).

A reminder is keyed (call id, offset in days, deadline as UTC text): the caller stores the keys it
has sent. Rules:
- the reminder for offset N is due from the day N days before the deadline (Stockholm days);
- when several offsets have come due (the service was down), only the nearest one is sent —
  one timely reminder, not four stale ones;
- a moved deadline has new keys, so its reminders are due afresh;
- nothing is sent for a deadline that has passed, is unknown, or is still further off than the
  largest offset.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage

from monitor.records import to_utc_text
from notifications import dates, render
from notifications.model import DigestCall

OFFSETS = (30, 14, 7, 1)

ReminderKey = tuple[str, int, str]


@dataclass(frozen=True)
class Reminder:
    call: DigestCall
    offset: int  # the offset this reminder stands for
    days_left: int  # calendar days left today

    @property
    def key(self) -> ReminderKey:
        return reminder_key(self.call.id, self.offset, self.call.deadline)


def reminder_key(call_id: str, offset: int, deadline: datetime | None) -> ReminderKey:
    """(call id, offset, deadline in UTC text): what the delivery log stores per reminder."""
    return (call_id, offset, to_utc_text(deadline) or "")


def due_reminders(
    calls: Iterable[DigestCall],
    sent: Collection[ReminderKey],
    now: datetime,
    offsets: Sequence[int] = OFFSETS,
) -> list[Reminder]:
    """The reminders to send now, soonest deadline first (at most one per call)."""
    due: list[Reminder] = []
    for call in calls:
        if call.deadline is None or call.deadline_precision == "unknown" or call.deadline < now:
            continue
        left = dates.days_left(call.deadline, now)
        reached = [offset for offset in offsets if offset >= left]
        if not reached:
            continue
        nearest = min(reached)
        # Only the nearest offset counts: larger ones that came due while nobody ran are stale.
        if reminder_key(call.id, nearest, call.deadline) in sent:
            continue
        due.append(Reminder(call, nearest, left))
    return sorted(due, key=lambda r: (r.call.deadline, r.call.title))


def subject(reminders: Sequence[Reminder]) -> str:
    """Counts only, never a title: "EU-bevakning: sista ansökningsdag om 7 dagar"."""
    if len(reminders) == 1:
        only = reminders[0]
        return f"EU-bevakning: sista ansökningsdag {_when(only.days_left)} för en bevakad utlysning"
    return f"EU-bevakning: sista ansökningsdag snart för {len(reminders)} bevakade utlysningar"


def _when(days: int) -> str:
    if days <= 0:
        return "i dag"
    if days == 1:
        return "i morgon"
    return f"om {days} dagar"


def _offsets_text(offsets: Sequence[int]) -> str:
    """(30, 14, 7, 1) → "30, 14, 7 och 1 dag"."""
    ordered = [str(o) for o in sorted(set(offsets), reverse=True)]
    joined = ordered[0] if len(ordered) == 1 else ", ".join(ordered[:-1]) + " och " + ordered[-1]
    return f"{joined} {'dag' if ordered[-1] == '1' else 'dagar'}"


def build_reminder(
    reminders: Sequence[Reminder],
    *,
    municipality_name: str,
    sender: str,
    to: Sequence[str],
    to_name: str = "",
    now: datetime,
    key: str | None = None,
    offsets: Sequence[int] = OFFSETS,
) -> EmailMessage:
    """One e-mail with the due reminders for one recipient."""
    if not reminders:
        raise ValueError("no reminders to build")
    ctx = {
        "subject": subject(reminders),
        "municipality": render.clean(municipality_name),
        "recipient": render.clean(to_name),
        "today": dates.format_day(dates.local(now).date()),
        "calls": [render.call_view(r.call, now) for r in reminders],
        "offsets": _offsets_text(offsets),
    }
    key = key or "reminder:" + ",".join("/".join(map(str, r.key)) for r in reminders)
    return render.assemble(
        subject=ctx["subject"],
        text=render.render("reminder.txt.j2", **ctx),
        html=render.render("reminder.html.j2", **ctx),
        sender=sender,
        to=to,
        to_name=to_name,
        now=now,
        key=key,
    )
