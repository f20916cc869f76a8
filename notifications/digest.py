"""The weekly digest: choose what one recipient is told (pure), then build the e-mail (pure).

``select_for_recipient(calls, recipient, since, now, areas=…)`` → Digest with
- sections: calls first seen in (since, now], open or forthcoming, scoring at least the recipient's
  min_score in one of its areas; grouped under the recipient's best-scoring area (profile order
  breaks ties), best score first;
- changed: calls whose deadline moved or that reopened, by the same rule, not already new;
- upcoming: relevant calls with a deadline in the next 30 days, soonest first;
- health: the notices passed in, for recipients with `health: true`.
``build_digest(digest, municipality_name=…, sender=…, now=…)`` → EmailMessage;
``is_empty(digest)`` says when there is nothing new to send.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from email.message import EmailMessage

from notifications import dates, render
from notifications.health import notice_text
from notifications.model import AreaInfo, AreaSection, Digest, DigestCall, Recipient, SourceHealthNotice

CLOSED = "closed"
UPCOMING_DAYS = 30


def _home_area(call: DigestCall, keys: Sequence[str], min_score: int) -> str | None:
    """The recipient's area the call scores best in, if it reaches the threshold there."""
    best: tuple[int, str] | None = None
    for key in keys:
        score = call.score_in(key)
        # Strictly greater: on a tie the area earlier in the profile keeps the call.
        if score >= min_score and (best is None or score > best[0]):
            best = (score, key)
    return best[1] if best else None


def _within(moment: datetime | None, since: datetime | None, now: datetime) -> bool:
    return moment is not None and (since is None or moment > since) and moment <= now


def select_for_recipient(
    calls: Iterable[DigestCall],
    recipient: Recipient,
    since: datetime | None,
    now: datetime,
    *,
    areas: Sequence[AreaInfo],
    period: str | None = None,
    health: Sequence[SourceHealthNotice] = (),
    upcoming_days: int = UPCOMING_DAYS,
) -> Digest:
    """What `recipient` is told for the period ending `now`; `since` is its last digest (None: ever)."""
    keys = recipient.area_keys(areas)
    by_key = {a.key: a for a in areas}
    grouped: dict[str, list[DigestCall]] = {key: [] for key in keys}
    changed: list[DigestCall] = []
    upcoming: list[DigestCall] = []
    horizon = now + timedelta(days=upcoming_days)
    for call in calls:
        home = _home_area(call, keys, recipient.min_score)
        if home is None or call.status == CLOSED:
            continue
        if _within(call.first_seen, since, now):
            grouped[home].append(call)
        elif call.change is not None and (call.changed_at is None or _within(call.changed_at, since, now)):
            changed.append(call)
        dated = call.deadline is not None and call.deadline_precision != "unknown"
        if dated and now <= call.deadline <= horizon:
            upcoming.append(call)

    sections = [
        AreaSection(
            by_key[key],
            sorted(grouped[key], key=lambda c, k=key: (-c.score_in(k), _deadline_order(c), c.title)),
        )
        for key in keys
        if grouped[key]
    ]
    return Digest(
        recipient=recipient,
        period=period or dates.period_of(now),
        sections=sections,
        changed=sorted(changed, key=lambda c: (-c.score, c.title)),
        upcoming=sorted(upcoming, key=lambda c: (_deadline_order(c), c.title)),
        health=list(health) if recipient.health else [],
    )


def _deadline_order(call: DigestCall) -> float:
    return call.deadline.timestamp() if call.deadline else float("inf")


def is_empty(digest: Digest, *, count_upcoming: bool = False) -> bool:
    """Nothing new: no new or changed calls and no health notice (upcoming deadlines alone were told)."""
    if digest.sections or digest.changed or digest.health:
        return False
    return not (count_upcoming and digest.upcoming)


def subject(digest: Digest) -> str:
    """ "EU-bevakning v. 48: 5 nya utlysningar, 1 ändrad": counts and the week, never scraped text."""
    week = dates.week_label(digest.period)
    count = digest.new_count
    parts = [render.plural(count, "ny utlysning", "nya utlysningar") if count else "inga nya utlysningar"]
    if digest.changed:
        parts.append(render.plural(len(digest.changed), "ändrad", "ändrade"))
    if digest.health:
        parts.append(render.plural(len(digest.health), "källa att se över", "källor att se över"))
    return f"EU-bevakning {week}: {', '.join(parts)}"


def context(
    digest: Digest, *, municipality_name: str, now: datetime, directives: dict | None = None
) -> dict[str, object]:
    """What the templates get; public so that a preview can render it without building a message."""
    return {
        "municipality": render.clean(municipality_name),
        "recipient": render.clean(digest.recipient.name),
        "week": dates.week_label(digest.period),
        "year": dates.parse_period(digest.period)[0].year,
        "span": dates.period_span_text(digest.period),
        "subject": subject(digest),
        "new_count": digest.new_count,
        "new_text": render.plural(digest.new_count, "ny utlysning", "nya utlysningar"),
        "sections": [
            {"name": render.clean(s.area.name), "calls": render.views(s.calls, now, s.area.key)}
            for s in digest.sections
        ],
        "changed": render.views(digest.changed, now),
        "upcoming": render.views(digest.upcoming, now),
        "upcoming_days": UPCOMING_DAYS,
        "health": [{"kind": n.kind, "text": notice_text(n)} for n in digest.health],
        "min_score": digest.recipient.min_score,
        # notifications.alerts.directive_section(…): EU law for the enheten, or None to leave it out
        "directives": directives,
    }


def build_digest(
    digest: Digest,
    *,
    municipality_name: str,
    sender: str,
    now: datetime,
    to: Sequence[str] | None = None,
    directives: dict | None = None,
) -> EmailMessage:
    """The digest as a multipart/alternative e-mail to the recipient's addresses (or `to`)."""
    ctx = context(digest, municipality_name=municipality_name, now=now, directives=directives)
    return render.assemble(
        subject=subject(digest),
        text=render.render("digest.txt.j2", **ctx),
        html=render.render("digest.html.j2", **ctx),
        sender=sender,
        to=to if to is not None else digest.recipient.emails,
        to_name=digest.recipient.name,
        now=now,
        key=f"digest:{digest.recipient.id}:{digest.period}",
    )
