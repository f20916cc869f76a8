"""The notification jobs: read the store and the profile, build (pure), send (thin), log each delivery.

    results = run_digests(store, profile, now, send=sender)        # eumonitor digest --send
    results = run_digests(store, profile, now, preview=Path("ut"))  # eumonitor digest --preview ut
    results = run_reminders(store, profile, sources, now, send=sender)  # eumonitor remind

**Exactly once.** Every message has a key in the store's `deliveries` log ("digest:buf:2026-W48",
"reminder:kansliet:<call>:<deadline>:14", "health:kansliet:<source>:failing:<since>"). A key that
was sent is never sent again. The row is written 'sending' before the SMTP conversation and 'sent'
after it; when the server fails, it says 'failed' and the next run tries that message again, built
anew, while the recipients that got theirs are left alone. (A process killed in the middle of the
SMTP conversation leaves 'sending'; that message is tried again, so it can arrive twice: the one
case where a duplicate is preferred to silence.)

**What a digest covers.** New calls since the recipient's last delivered digest (its `cutoff`), or
the last seven days for the first one; calls whose deadline moved or that reopened in that time;
deadlines in the next `upcoming_days`. Calls not open to the municipality's region and calls
marked not relevant (for the area, or as a whole) never come in a digest.

Preview writes each message as `.eml` and its HTML as `.html` and touches neither the log nor
the network.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from monitor.output import current_status, regions_of
from monitor.records import from_utc_text, next_deadline, to_utc_text
from monitor.regions import open_to
from monitor.store import SCORED_CALLS_SQL, Store
from notifications import dates, digest, health, reminders
from notifications.errors import NotifyError
from notifications.model import AreaInfo, DigestCall, Recipient, SourceHealthNotice

log = logging.getLogger(__name__)

Sender = Callable[[EmailMessage], None]
FIRST_DIGEST_DAYS = 7
PREVIEW_SENDER = "EU-bevakning <eu-bevakning@kommunen.invalid>"


@dataclass
class Delivery:
    """What happened to one message of a run."""

    key: str
    recipient: str
    subject: str
    outcome: str  # sent | failed | skipped (already sent) | empty | preview
    detail: str = ""
    path: Path | None = None


# --- reading the store ----------------------------------------------------------------------------


def _json(text: str | None, default: Any) -> Any:
    return json.loads(text) if text else default


def digest_calls(store: Store, profile: Any, now: datetime) -> list[DigestCall]:
    """Every call (one per group) as the notifications see it: scored, its sources, its last change.

    Calls closed, not open to the municipality, or marked not relevant as a whole are left out;
    a call marked not relevant for an area scores 0 there."""
    home = profile.home()
    not_relevant: dict[str, set[str | None]] = {}
    for mark in store.current_marks():
        if mark["mark"] == "not-relevant":
            not_relevant.setdefault(mark["call_id"], set()).add(mark["area"])
    rows = list(
        store.db.query(
            f"{SCORED_CALLS_SQL} WHERE (calls.group_id IS NULL OR calls.group_id = calls.id) "
            "AND calls.listed = 1"
        )
    )
    members = store.members_by_group([row["id"] for row in rows])
    changes = _changes(store)
    calls = []
    for row in rows:
        excluded = not_relevant.get(row["id"], set())
        if None in excluded or not open_to(regions_of(row), home)[0]:
            continue
        status = current_status(row, now)
        if status == "closed":
            continue
        calls.append(
            _digest_call(row, status, now, members.get(row["id"], []), excluded, changes.get(row["id"]))
        )
    return calls


def _changes(store: Store) -> dict[str, dict]:
    """The latest deadline change or reopening of each call (from its history)."""
    found: dict[str, dict] = {}
    for event in store.db.query(
        "SELECT call_id, event, at, detail FROM call_events "
        "WHERE event IN ('deadline_changed', 'reappeared', 'status_changed') ORDER BY id"
    ):
        detail = _json(event["detail"], {})
        if event["event"] == "status_changed" and not (
            detail.get("old") == "closed" and detail.get("new") != "closed"
        ):
            continue
        found[event["call_id"]] = {**event, "detail": detail}
    return found


def _digest_call(
    row: dict, status: str, now: datetime, members: list[dict], excluded: set, change: dict | None
) -> DigestCall:
    deadlines = [d for d in (from_utc_text(t) for t in _json(row["deadlines"], [])) if d]
    deadline = next_deadline(deadlines, now)
    scores = {key: (0 if key in excluded else value) for key, value in _json(row.get("scores"), {}).items()}
    best_area = max(scores, key=lambda key: scores[key]) if scores else ""
    why = _json(row.get("why"), {})
    call = DigestCall(
        id=row["id"],
        title=row["title"],
        url=row["url"],
        programme=row["programme"],
        deadline=deadline,
        deadline_precision=row.get("deadline_precision") or "minute",
        opening=from_utc_text(row["opening"]),
        status=status,
        score=scores.get(best_area, 0),
        best_area=best_area,
        scores=scores,
        why=list(why.get(best_area, [])),
        why_by_area={key: list(words) for key, words in why.items()},
        sources=[m["source"] for m in members] or [row["source"]],
        eligible=row.get("eligible") != 0,
        ineligible_reason=row.get("ineligible_reason"),
        first_seen=from_utc_text(row["first_seen"]),
    )
    if change is not None:
        at = from_utc_text(change["at"])
        if change["event"] == "deadline_changed":
            old = [d for d in (from_utc_text(t) for t in change["detail"].get("old", [])) if d]
            call = replace(call, change="deadline_moved", changed_at=at, old_deadline=next_deadline(old, at))
        else:
            call = replace(call, change="reopened", changed_at=at)
    return call


def area_infos(profile: Any) -> list[AreaInfo]:
    return [AreaInfo(key, area.name) for key, area in profile.areas.items()]


def recipient_of(profile_recipient: Any) -> Recipient:
    return Recipient(
        id=profile_recipient.id,
        name=profile_recipient.name,
        emails=list(profile_recipient.emails),
        areas=list(profile_recipient.areas),
        min_score=round(profile_recipient.min_score),
        health=profile_recipient.health,
    )


# --- delivering -------------------------------------------------------------------------------


def _deliver(
    store: Store,
    message: EmailMessage,
    *,
    key: str,
    kind: str,
    recipient: str,
    period: str | None,
    items: Sequence[str],
    cutoff: str | None,
    now: datetime,
    send: Sender | None,
    preview: Path | None,
    name: str,
) -> Delivery:
    subject = str(message["Subject"])
    if preview is not None:
        preview.mkdir(parents=True, exist_ok=True)
        eml = preview / f"{name}.eml"
        eml.write_bytes(bytes(message))
        html = message.get_body(("html",))
        if html is not None:
            (preview / f"{name}.html").write_text(html.get_content(), encoding="utf-8")
        return Delivery(key, recipient, subject, "preview", path=eml)
    assert send is not None
    store.begin_delivery(
        {
            "key": key,
            "kind": kind,
            "recipient": recipient,
            "period": period,
            "message_id": str(message["Message-ID"]),
            "subject": subject,
            "items": list(items),
            "cutoff": cutoff,
        },
        now,
    )
    try:
        send(message)
    except NotifyError as error:
        store.finish_delivery(key, str(error), now)
        log.warning("%s: %s", key, error)
        return Delivery(key, recipient, subject, "failed", str(error))
    store.finish_delivery(key, None, now)
    return Delivery(key, recipient, subject, "sent")


def _log_told(
    store: Store,
    kind: str,
    recipient: str,
    told: Sequence[tuple],
    message: EmailMessage,
    delivered: Delivery,
    now: datetime,
) -> None:
    """One log row per thing a message told (a reminder, a milestone), with the message's outcome."""
    for key in told:
        period = json.dumps(list(key))
        row_key = f"{kind}:{recipient}:{period}"
        store.begin_delivery(
            {"key": row_key, "kind": kind, "recipient": recipient, "period": period,
             "message_id": str(message["Message-ID"]), "subject": str(message["Subject"]), "items": [key[0]]},
            now,
        )  # fmt: skip
        store.finish_delivery(row_key, None if delivered.outcome == "sent" else delivered.detail, now)


def _already_sent(store: Store, key: str) -> bool:
    found = store.delivery(key)
    return found is not None and found["status"] == "sent"


# --- the weekly digest ------------------------------------------------------------------------


def run_digests(
    store: Store,
    profile: Any,
    now: datetime,
    *,
    period: str | None = None,
    send: Sender | None = None,
    preview: Path | None = None,
    sender: str = PREVIEW_SENDER,
    only: Sequence[str] = (),
    health_notices: Sequence[SourceHealthNotice] = (),
) -> list[Delivery]:
    """Build each recipient's digest for the period and send it (or write it to `preview`)."""
    period = period or dates.period_of(now)
    start, end = dates.parse_period(period)
    until = min(now, end)
    areas = area_infos(profile)
    calls = digest_calls(store, profile, until)
    settings = profile.notifications
    results = []
    for configured in profile.recipients:
        if only and configured.id not in only:
            continue
        recipient = recipient_of(configured)
        key = f"digest:{recipient.id}:{period}"
        if preview is None and _already_sent(store, key):
            results.append(Delivery(key, recipient.id, "", "skipped"))
            continue
        last = store.last_cutoff("digest", recipient.id)
        since = from_utc_text(last) if last else min(start, until - timedelta(days=FIRST_DIGEST_DAYS))
        built = digest.select_for_recipient(
            calls,
            recipient,
            since,
            until,
            areas=areas,
            period=period,
            health=health_notices,
            upcoming_days=round(settings.upcoming_days),
        )
        directives = directives_for_digest(store, profile, since, until) if configured.health else None
        if digest.is_empty(built) and directives is None and not settings.send_empty:
            results.append(Delivery(key, recipient.id, digest.subject(built), "empty", "inget nytt"))
            continue
        message = digest.build_digest(
            built, municipality_name=profile.municipality.name, sender=sender, now=now, directives=directives
        )
        items = [c.id for section in built.sections for c in section.calls] + [c.id for c in built.changed]
        results.append(
            _deliver(
                store,
                message,
                key=key,
                kind="digest",
                recipient=recipient.id,
                period=period,
                items=items,
                cutoff=to_utc_text(until),
                now=now,
                send=send,
                preview=preview,
                name=f"veckobrev-{period}-{recipient.id}",
            )
        )
    return results


# --- reminders --------------------------------------------------------------------------------


def run_reminders(
    store: Store,
    profile: Any,
    now: datetime,
    *,
    send: Sender | None = None,
    preview: Path | None = None,
    sender: str = PREVIEW_SENDER,
) -> list[Delivery]:
    """Deadline reminders for calls marked interesting: to the enheten (recipients with `health`)
    and to the recipients of the förvaltning that marked the call, each reminder once."""
    offsets = tuple(int(days) for days in profile.notifications.reminder_days)
    interesting = {m["call_id"]: m for m in store.current_marks() if m["mark"] == "interesting"}
    calls = [c for c in digest_calls(store, profile, now) if c.id in interesting]
    results = []
    for configured in profile.recipients:
        wanted = [
            c
            for c in calls
            if configured.health
            or (configured.forvaltning and interesting[c.id].get("forvaltning") == configured.forvaltning)
        ]
        if not wanted:
            continue
        sent = {
            tuple(json.loads(row["period"]))
            for row in store.deliveries("reminder", configured.id)
            if row["status"] == "sent" and row["period"]
        }
        due = reminders.due_reminders(wanted, sent, now, offsets)
        if not due:
            continue
        keys = [json.dumps(list(r.key)) for r in due]
        key = f"reminder:{configured.id}:" + "|".join(f"{r.call.id}:{r.key[2]}:{r.offset}" for r in due)
        message = reminders.build_reminder(
            due,
            municipality_name=profile.municipality.name,
            sender=sender,
            to=list(configured.emails),
            to_name=configured.name,
            now=now,
            key=key,
            offsets=offsets,
        )
        # One log row per reminder (its key as `period`), so that each is known as sent on its own:
        # the message is logged under the first, the others follow its outcome.
        delivered = _deliver(
            store, message, key=f"reminder:{configured.id}:{keys[0]}", kind="reminder",
            recipient=configured.id, period=keys[0], items=[due[0].call.id], cutoff=None, now=now,
            send=send, preview=preview, name=f"paminnelse-{configured.id}-{now:%Y-%m-%d}",
        )  # fmt: skip
        if preview is None:
            _log_told(store, "reminder", configured.id, [r.key for r in due[1:]], message, delivered, now)
        results.append(replace(delivered, key=key))
    return results


# --- source health ----------------------------------------------------------------------------


def source_histories(store: Store, sources: Iterable[Any], limit: int = 20) -> list[health.SourceHistory]:
    histories = []
    for source in sources:
        runs = [
            health.Run(
                at=from_utc_text(run["started"]),
                outcome=run["outcome"],
                items=run["items"],
                message=run["message"] or "",
            )
            for run in reversed(store.runs(source.id, limit=limit))
            if run["outcome"] != "running"
        ]
        histories.append(health.SourceHistory(source.id, getattr(source, "name", None) or source.id, runs))
    return histories


def _incident(row: dict | None) -> health.Incident | None:
    if row is None:
        return None
    return health.Incident(
        row["source"], row["kind"], from_utc_text(row["since"]), from_utc_text(row["notified_at"])
    )


def run_health(
    store: Store,
    profile: Any,
    sources: Iterable[Any],
    now: datetime,
    *,
    send: Sender | None = None,
    preview: Path | None = None,
    sender: str = PREVIEW_SENDER,
) -> list[Delivery]:
    """Tell the recipients with `health: true` about sources that broke or recovered, once each.

    An incident is stored (or closed) only when every such recipient got its notice, so a
    recipient whose server failed gets the same notice on the next run, the others nothing more."""
    threshold = round(profile.notifications.failures_before_notice)
    watchers = [r for r in profile.recipients if r.health]
    results: list[Delivery] = []
    for history in source_histories(store, sources):
        stored = store.open_incident(history.source_id)
        decision = health.assess(history, _incident(stored), now=now, threshold=threshold)
        notice = decision.notice
        if notice is None:
            continue
        since = to_utc_text(notice.since) or ""
        all_sent = True
        for configured in watchers:
            key = f"health:{configured.id}:{history.source_id}:{notice.kind}:{since}"
            if preview is None and _already_sent(store, key):
                continue
            message = health.build_health_notice(
                [notice],
                municipality_name=profile.municipality.name,
                sender=sender,
                to=list(configured.emails),
                to_name=configured.name,
                now=now,
            )
            delivered = _deliver(
                store, message, key=key, kind="health", recipient=configured.id, period=None,
                items=[history.source_id], cutoff=None, now=now, send=send, preview=preview,
                name=f"kallhalsa-{configured.id}-{history.source_id}-{notice.kind}",
            )  # fmt: skip
            all_sent = all_sent and delivered.outcome in ("sent", "preview")
            results.append(delivered)
        if preview is not None or not all_sent:
            continue
        if notice.kind == "recovered" and stored is not None:
            stamp = to_utc_text(now)
            store.save_incident({**stored, "recovered_at": stamp, "recovery_notified_at": stamp})
        elif decision.incident is not None:
            incident = decision.incident
            store.save_incident(
                {
                    "source": incident.source_id,
                    "kind": incident.kind,
                    "since": to_utc_text(incident.since),
                    "notified_at": to_utc_text(now),
                    "message": notice.message,
                }
            )
    return results


def open_incident_notices(store: Store) -> list[SourceHealthNotice]:
    """Sources with an open incident, for the digest's health section (a weekly reminder of them)."""
    return [
        SourceHealthNotice(
            source_id=row["source"],
            source_name=row["source"],
            kind=row["kind"],
            since=from_utc_text(row["since"]),
            message=row["message"] or "",
        )
        for row in store.open_incidents()
    ]


# --- directive alerts -------------------------------------------------------------------------


def alert_items(store: Store, now: datetime) -> list:
    """Every stored legal item as the alerts see it: routed (scores only for the förvaltningar it
    was routed to), with its why per förvaltning and when eumonitor first saw it."""
    from monitor.legal_store import item_from_dict, legal_rows
    from notifications.alerts import alert_item

    items = []
    for row in legal_rows(store):
        routed = json.loads(row["routed_to"]) if row.get("routed_to") else []
        scores = _json(row.get("route_scores"), {})
        items.append(
            alert_item(
                item_from_dict(json.loads(row["data"])),
                now,
                scores={key: scores.get(key, 0) for key in routed},
                why_by_forvaltning=_json(row.get("route_why"), {}),
                first_seen=from_utc_text(row["first_seen"]),
            )
        )
    return items


def directives_for_digest(store: Store, profile: Any, since: datetime | None, now: datetime) -> dict | None:
    """The enheten's digest section on EU law (None when there is nothing to tell)."""
    from notifications.alerts import directive_section

    names = {key: f.name for key, f in profile.forvaltningar.items()}
    return directive_section(alert_items(store, now), now, since=since, forvaltning_names=names)


def run_alerts(
    store: Store,
    profile: Any,
    now: datetime,
    *,
    send: Sender | None = None,
    preview: Path | None = None,
    sender: str = PREVIEW_SENDER,
) -> list[Delivery]:
    """Each förvaltning's recipients get its new legal items, transposition deadlines 12, 6 and 3
    months ahead and consultations closing soon — each once (the delivery log, as for the digest)."""
    from notifications import alerts

    items = alert_items(store, now)
    results: list[Delivery] = []
    for configured in profile.recipients:
        key_of = configured.forvaltning
        if not key_of:
            continue
        name = profile.forvaltningar[key_of].name
        last = store.last_cutoff("alert", configured.id)
        sent = {
            tuple(json.loads(row["period"]))
            for row in store.deliveries("alert-key", configured.id)
            if row["status"] == "sent" and row["period"]
        }
        alert = alerts.select_alerts(items, key_of, from_utc_text(last) if last else None, now, sent=sent)
        key = f"{alert.delivery_key}:{configured.id}"
        if alerts.is_empty(alert):
            results.append(Delivery(key, configured.id, "", "empty", "inget nytt"))
            continue
        if preview is None and _already_sent(store, key):
            results.append(Delivery(key, configured.id, "", "skipped"))
            continue
        message = alerts.build_alert(
            alert,
            municipality_name=profile.municipality.name,
            forvaltning_name=name,
            sender=sender,
            to=list(configured.emails),
            to_name=configured.name,
            now=now,
        )
        delivered = _deliver(
            store, message, key=key, kind="alert", recipient=configured.id, period=None,
            items=[i.id for i in alert.new], cutoff=to_utc_text(now), now=now, send=send,
            preview=preview, name=f"direktivlarm-{configured.id}-{dates.local(now).date().isoformat()}",
        )  # fmt: skip
        results.append(delivered)
        if preview is None:
            # Each milestone and closing reminder told: kept apart so that it is never told again.
            _log_told(store, "alert-key", configured.id, alert.keys, message, delivered, now)
    return results
