"""Directive alerts for a förvaltning: what it is told (pure), and the e-mail (pure).

The caller routes each legal item (monitor.legal.LegalItem) to the förvaltningar it concerns and
fills an AlertItem (`alert_item` does the copying); then

    select_alerts(items, "sbf", since, now, sent=keys) → Alert
    build_alert(alert, municipality_name=…, forvaltning_name=…, sender=…, to=…, now=…) → EmailMessage
    is_empty(alert) → nothing to send
    directive_section(items, now, …) → the directive section of the enheten's weekly digest

An Alert holds
- new: items routed to the förvaltning and first seen in (since, now], best score first
  (a consultation whose feedback period has ended is no news);
- deadlines: transposition deadlines that reached a milestone (12, 6 and 3 months ahead), soonest
  first. A milestone is keyed (item id, months, deadline as ISO date) and told once; when several
  came due while nobody ran, only the nearest is told; a moved deadline has new keys;
- closing: open consultations whose feedback period ends within 14 days, keyed (item id, 0,
  feedback end as UTC text), told once. A new consultation that closes that soon is told among the
  new items only, and its key is spent with it.
`Alert.keys` are what the caller stores once the message was sent.

The subject holds counts, our own words and the förvaltning's name from profile.yaml, never a
title: scraped text reaches only the body (escaped in HTML, folded to one line in text).
"""

from __future__ import annotations

import calendar
import hashlib
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from email.message import EmailMessage
from typing import Literal

from monitor.legal import LegalItem, celex_url
from monitor.records import to_utc_text
from notifications import dates, render

MILESTONES = (12, 6, 3)
CLOSING_DAYS = 14
# A transposition deadline this close gets the red badge; one within SOON_MONTHS the amber one.
URGENT_MONTHS = 3
SOON_MONTHS = 6
# The key's "months" for a consultation's closing reminder.
CLOSING = 0

KIND_SV = {
    "directive": "direktiv",
    "regulation": "förordning",
    "decision": "beslut",
    "proposal": "kommissionens förslag",
    "consultation": "offentligt samråd",
    "referral": "remiss",
}
ACT_KINDS = ("directive", "regulation", "decision")

AlertKey = tuple[str, int, str]


@dataclass
class AlertItem:
    """One legal item as an alert shows it, with its routing (already scored per förvaltning)."""

    id: str
    kind: str  # one of monitor.legal.KINDS
    title: str  # Swedish when there is one, else English
    url: str | None = None  # the Swedish EUR-Lex page for acts
    celex: str | None = None
    title_en: str | None = None
    date: date | None = None  # the document's date
    transposition_deadline: date | None = None  # the next one
    feedback_end: datetime | None = None  # consultations
    score: int = 0  # the best score; `scores` per förvaltning
    why: list[str] = field(default_factory=list)
    subjects: list[str] = field(default_factory=list)  # labels, Swedish first
    change: Literal["new"] | None = None
    # Routing: the förvaltningar the item is routed to, with their score and the words behind it.
    scores: dict[str, int] = field(default_factory=dict)
    why_by_forvaltning: dict[str, list[str]] = field(default_factory=dict)
    # When the store first saw the item: "new since the last alert" is decided on it.
    first_seen: datetime | None = None

    def routed_to(self, forvaltning: str, min_score: int = 0) -> bool:
        return forvaltning in self.scores and self.scores[forvaltning] >= min_score

    def for_forvaltning(self, forvaltning: str) -> AlertItem:
        """The item with that förvaltning's score and words as its own."""
        return replace(
            self,
            score=self.scores.get(forvaltning, self.score),
            why=list(self.why_by_forvaltning.get(forvaltning, self.why)),
        )


def alert_item(
    item: LegalItem,
    now: datetime,
    *,
    scores: Mapping[str, int] | None = None,
    why_by_forvaltning: Mapping[str, Sequence[str]] | None = None,
    first_seen: datetime | None = None,
) -> AlertItem:
    """A LegalItem as an AlertItem: its next transposition deadline from `now` (else its last one)."""
    today = dates.local(now).date()
    coming = [d for d in item.transposition_deadlines if d >= today]
    deadline = min(coming) if coming else max(item.transposition_deadlines, default=None)
    scores = dict(scores or {})
    why_by = {key: list(words) for key, words in (why_by_forvaltning or {}).items()}
    best = max(scores, key=lambda k: scores[k], default=None)
    subjects: list[str] = []
    for subject in item.subjects:
        label = subject.label_sv or subject.label_en
        if label and label not in subjects:
            subjects.append(label)
    url = item.url or (celex_url(item.celex) if item.celex else None)
    return AlertItem(
        id=item.id,
        kind=item.kind,
        title=item.title_sv or item.title_en or item.id,
        url=url,
        celex=item.celex,
        title_en=item.title_en,
        date=item.date,
        transposition_deadline=deadline,
        feedback_end=item.feedback_end,
        score=scores[best] if best else 0,
        why=why_by.get(best, []) if best else [],
        subjects=subjects,
        scores=scores,
        why_by_forvaltning=why_by,
        first_seen=first_seen,
    )


# --- months on the calendar -----------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier), the month's last day when it has no such day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_left(today: date, deadline: date) -> int:
    """Whole calendar months from today to the deadline (0 when less than one is left)."""
    months = (deadline.year - today.year) * 12 + deadline.month - today.month
    while months > 0 and add_months(today, months) > deadline:
        months -= 1
    return max(months, 0)


def day_text(day: date) -> str:
    """ "17 januari 2027" """
    return f"{day.day} {dates.MONTHS[day.month - 1]} {day.year}"


def left_text(deadline: date, today: date) -> str:
    """ "om 6 månader", "om 1 månad", "om 12 dagar", "i morgon", "i dag", "passerad"."""
    if deadline < today:
        return "passerad"
    months = months_left(today, deadline)
    if months >= 24:
        return f"om {months // 12} år"
    if months >= 1:
        return f"om {render.plural(months, 'månad', 'månader')}"
    days = (deadline - today).days
    if days == 0:
        return "i dag"
    if days == 1:
        return "i morgon"
    return f"om {days} dagar"


# --- selection ------------------------------------------------------------------------------------


def milestone_key(item_id: str, months: int, deadline: date) -> AlertKey:
    """(item id, months ahead, deadline as ISO date): what the delivery log stores per milestone."""
    return (item_id, months, deadline.isoformat())


def closing_key(item_id: str, feedback_end: datetime) -> AlertKey:
    """(item id, 0, feedback end as UTC text): the consultation's one closing reminder."""
    return (item_id, CLOSING, to_utc_text(feedback_end) or "")


@dataclass(frozen=True)
class Milestone:
    """A transposition deadline that has come within `months` months."""

    item: AlertItem
    months: int
    deadline: date

    @property
    def key(self) -> AlertKey:
        return milestone_key(self.item.id, self.months, self.deadline)


@dataclass
class Alert:
    """What one förvaltning is told now; `build_alert` turns it into an e-mail."""

    forvaltning: str
    now: datetime
    new: list[AlertItem] = field(default_factory=list)
    deadlines: list[Milestone] = field(default_factory=list)
    closing: list[AlertItem] = field(default_factory=list)
    months: tuple[int, ...] = MILESTONES
    # Closing reminders told among the new items: spent, though not listed under `closing`.
    spent: list[AlertKey] = field(default_factory=list)

    @property
    def keys(self) -> list[AlertKey]:
        """The milestone and closing keys this alert tells: store them once it was sent."""
        keys = [m.key for m in self.deadlines]
        keys += [closing_key(i.id, i.feedback_end) for i in self.closing if i.feedback_end]
        return keys + [k for k in self.spent if k not in keys]

    @property
    def delivery_key(self) -> str:
        """ "alert:sbf:<hash>": the same content gives the same key (and Message-ID) on a retry."""
        parts = sorted([f"new/{i.id}" for i in self.new] + ["/".join(map(str, k)) for k in self.keys])
        digest = hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:16]
        return f"alert:{self.forvaltning}:{dates.local(self.now).date().isoformat()}:{digest}"


def _within(moment: datetime | None, since: datetime | None, now: datetime) -> bool:
    return moment is not None and (since is None or moment > since) and moment <= now


def _ended(item: AlertItem, now: datetime) -> bool:
    """A consultation whose feedback period is over: no longer news."""
    return item.kind == "consultation" and item.feedback_end is not None and item.feedback_end < now


def _closing_soon(item: AlertItem, now: datetime, days: int) -> bool:
    end = item.feedback_end
    return item.kind == "consultation" and end is not None and now <= end <= now + timedelta(days=days)


def due_milestone(
    item: AlertItem, today: date, sent: Collection[AlertKey], months: Sequence[int] = MILESTONES
) -> Milestone | None:
    """The item's nearest milestone reached by today, unless it was told or the deadline passed."""
    deadline = item.transposition_deadline
    if deadline is None or deadline < today:
        return None
    reached = [m for m in months if add_months(today, m) >= deadline]
    if not reached:
        return None
    # Only the nearest counts: larger milestones that came due while nobody ran are stale.
    nearest = min(reached)
    if milestone_key(item.id, nearest, deadline) in sent:
        return None
    return Milestone(item, nearest, deadline)


def select_alerts(
    items: Iterable[AlertItem],
    forvaltning_key: str,
    since: datetime | None,
    now: datetime,
    *,
    sent: Collection[AlertKey] = (),
    months: Sequence[int] = MILESTONES,
    closing_days: int = CLOSING_DAYS,
    min_score: int = 0,
) -> Alert:
    """What the förvaltning is told now; `since` is its last alert (None: ever), `sent` the told keys."""
    today = dates.local(now).date()
    new: list[AlertItem] = []
    deadlines: list[Milestone] = []
    closing: list[AlertItem] = []
    spent: list[AlertKey] = []
    for routed in items:
        if not routed.routed_to(forvaltning_key, min_score):
            continue
        item = routed.for_forvaltning(forvaltning_key)
        is_new = _within(item.first_seen, since, now) and not _ended(item, now)
        if is_new:
            item = replace(item, change="new")
            new.append(item)
        milestone = due_milestone(item, today, sent, months)
        if milestone:
            deadlines.append(milestone)
        if _closing_soon(item, now, closing_days) and item.feedback_end is not None:
            key = closing_key(item.id, item.feedback_end)
            if key in sent:
                continue
            if is_new:
                spent.append(key)
            else:
                closing.append(item)
    return Alert(
        forvaltning=forvaltning_key,
        now=now,
        new=sorted(new, key=lambda i: (-i.score, i.title)),
        deadlines=sorted(deadlines, key=lambda m: (m.deadline, m.item.title)),
        closing=sorted(closing, key=lambda i: (i.feedback_end, i.title)),
        months=tuple(sorted(set(months), reverse=True)),
        spent=spent,
    )


def is_empty(alert: Alert) -> bool:
    """Nothing to tell: no new item, no milestone, no consultation closing."""
    return not (alert.new or alert.deadlines or alert.closing)


# --- the e-mail -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AlertView:
    """One item as the templates show it: every string already Swedish and cleaned."""

    title: str
    title_en: str
    url: str | None
    kind: str  # "Direktiv", "Offentligt samråd" …
    celex: str
    date: str
    deadline: str  # "17 januari 2027"
    deadline_left: str  # "om 6 månader"
    deadline_urgent: bool
    deadline_soon: bool
    deadline_passed: bool
    closes: str  # "12 december 2026"
    closes_left: str
    closes_soon: bool
    closed: bool
    score: int
    why: str
    subjects: str
    new: bool
    forvaltningar: str  # for the enheten: "Samhällsbyggnadsförvaltningen, …"


def _words(words: Iterable[str]) -> str:
    seen: list[str] = []
    for word in (render.clean(w) for w in words):
        if word and word not in seen:
            seen.append(word)
    return ", ".join(seen)


def alert_view(
    item: AlertItem, now: datetime, forvaltning_names: Mapping[str, str] | None = None
) -> AlertView:
    today = dates.local(now).date()
    title = render.clean(item.title) or "(utan titel)"
    title_en = render.clean(item.title_en)
    kind = KIND_SV.get(item.kind, render.clean(item.kind))
    deadline = item.transposition_deadline
    end = item.feedback_end
    end_day = dates.local(end).date() if end else None
    left = months_left(today, deadline) if deadline and deadline >= today else None
    names = forvaltning_names or {}
    routed = [names.get(key, key) for key in sorted(item.scores, key=lambda k: -item.scores[k])]
    return AlertView(
        title=title,
        title_en=title_en if title_en and title_en != title else "",
        url=render.safe_url(item.url),
        kind=kind[:1].upper() + kind[1:],
        celex=render.clean(item.celex),
        date=day_text(item.date) if item.date else "",
        deadline=day_text(deadline) if deadline else "",
        deadline_left=left_text(deadline, today) if deadline else "",
        deadline_urgent=left is not None and left < URGENT_MONTHS,
        deadline_soon=left is not None and left < SOON_MONTHS,
        deadline_passed=deadline is not None and deadline < today,
        closes=day_text(end_day) if end_day else "",
        closes_left=dates.days_left_text(end, now) if end else "",
        closes_soon=end is not None and now <= end <= now + timedelta(days=CLOSING_DAYS),
        closed=end is not None and end < now,
        score=item.score,
        why=_words(item.why),
        subjects=_words(item.subjects),
        new=item.change == "new",
        forvaltningar=_words(routed),
    )


def _count_new(items: Sequence[AlertItem]) -> str:
    if all(i.kind in ACT_KINDS for i in items):
        return render.plural(len(items), "ny rättsakt", "nya rättsakter")
    return render.plural(len(items), "nytt ärende", "nya ärenden")


def _join(parts: Sequence[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " och " + parts[-1]


def summary(alert: Alert) -> str:
    """ "2 nya rättsakter, 1 genomförandefrist och 1 samråd som stänger snart" (counts only)."""
    parts = []
    if alert.new:
        parts.append(_count_new(alert.new))
    if alert.deadlines:
        parts.append(render.plural(len(alert.deadlines), "genomförandefrist", "genomförandefrister"))
    if alert.closing:
        parts.append(f"{len(alert.closing)} samråd som stänger snart")
    return _join(parts) if parts else "inget nytt"


def subject(alert: Alert, forvaltning_name: str) -> str:
    """ "EU-direktiv för Samhällsbyggnadsförvaltningen: 1 ny rättsakt och 1 genomförandefrist".

    The förvaltning's name is our own (profile.yaml); no item's title is ever in it."""
    name = render.clean(forvaltning_name) or alert.forvaltning
    return f"EU-direktiv för {name}: {summary(alert)}"


def context(
    alert: Alert, *, municipality_name: str, forvaltning_name: str, now: datetime
) -> dict[str, object]:
    """What the templates get; public so that a preview can render it without building a message."""
    return {
        "subject": subject(alert, forvaltning_name),
        "summary": summary(alert),
        "municipality": render.clean(municipality_name),
        "recipient": render.clean(forvaltning_name) or alert.forvaltning,
        "today": dates.format_day(dates.local(now).date()),
        "new": [alert_view(i, now) for i in alert.new],
        "deadlines": [{"months": m.months, "item": alert_view(m.item, now)} for m in alert.deadlines],
        "closing": [alert_view(i, now) for i in alert.closing],
        "horizon": max(alert.months, default=12),
        "milestones": _join([str(m) for m in alert.months]) + " månader" if alert.months else "",
        "closing_days": CLOSING_DAYS,
    }


def build_alert(
    alert: Alert,
    *,
    municipality_name: str,
    forvaltning_name: str,
    sender: str,
    to: Sequence[str],
    to_name: str = "",
    now: datetime,
) -> EmailMessage:
    """The alert as a multipart/alternative e-mail (text, then HTML) to the förvaltning's addresses."""
    if is_empty(alert):
        raise ValueError("nothing to alert")
    ctx = context(alert, municipality_name=municipality_name, forvaltning_name=forvaltning_name, now=now)
    return render.assemble(
        subject=str(ctx["subject"]),
        text=render.render("alert.txt.j2", **ctx),
        html=render.render("alert.html.j2", **ctx),
        sender=sender,
        to=to,
        to_name=to_name or forvaltning_name,
        now=now,
        key=alert.delivery_key,
    )


# --- the weekly digest's section ------------------------------------------------------------------


def directive_section(
    items: Iterable[AlertItem],
    now: datetime,
    *,
    since: datetime | None = None,
    forvaltning_names: Mapping[str, str] | None = None,
    months: int = max(MILESTONES),
    closing_days: int = CLOSING_DAYS,
) -> dict[str, object] | None:
    """The digest's `directives=`: new items, deadlines within `months`, consultations closing soon.

    New are those first seen in (since, now], or marked change="new" (with since=None, only
    those). Each item names the förvaltningar it was routed to. None when there is nothing to show,
    so that the template leaves the section out."""
    today = dates.local(now).date()
    horizon = add_months(today, months)
    new: list[AlertItem] = []
    deadlines: list[AlertItem] = []
    closing: list[AlertItem] = []
    for item in items:
        fresh = item.change == "new" or (since is not None and _within(item.first_seen, since, now))
        is_new = fresh and not _ended(item, now)
        if is_new:
            new.append(replace(item, change="new"))
        deadline = item.transposition_deadline
        if deadline is not None and today <= deadline <= horizon:
            deadlines.append(item)
        if not is_new and _closing_soon(item, now, closing_days):
            closing.append(item)
    if not (new or deadlines or closing):
        return None

    def views(chosen: Iterable[AlertItem]) -> list[AlertView]:
        return [alert_view(i, now, forvaltning_names) for i in chosen]

    return {
        "new": views(sorted(new, key=lambda i: (-i.score, i.title))),
        "deadlines": views(sorted(deadlines, key=lambda i: (i.transposition_deadline, i.title))),
        "closing": views(sorted(closing, key=lambda i: (i.feedback_end, i.title))),
        "months": months,
        "closing_days": closing_days,
    }
