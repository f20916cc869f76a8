"""Deadline reminders: each once, the nearest one after a pause, afresh when the deadline moves."""

from __future__ import annotations

from datetime import datetime, timedelta
from email import message_from_bytes, policy
from zoneinfo import ZoneInfo

from notifications.model import DigestCall
from notifications.reminders import build_reminder, due_reminders, reminder_key

STOCKHOLM = ZoneInfo("Europe/Stockholm")
DEADLINE = datetime(2026, 12, 11, 17, 0, tzinfo=STOCKHOLM)


def marked(ident: str = "sedia:TT", deadline: datetime | None = DEADLINE, **fields: object) -> DigestCall:
    values: dict = {
        "id": ident,
        "title": f"Utlysning {ident}",
        "url": "https://example.org/call",
        "programme": "CERV",
        "deadline": deadline,
        "score": 80,
        "why": ["town twinning"],
        "sources": ["EU:s portal"],
    }
    return DigestCall(**{**values, **fields})


def morning(days_before: int) -> datetime:
    """07:30 on the day `days_before` days before the deadline."""
    day = DEADLINE.date() - timedelta(days=days_before)
    return datetime(day.year, day.month, day.day, 7, 30, tzinfo=STOCKHOLM)


def run_daily(call: DigestCall, first: int, last: int, sent: set) -> list[tuple[int, int]]:
    """Run the reminder job each morning from `first` to `last` days before; (day, offset) sent."""
    out = []
    for days_before in range(first, last - 1, -1):
        for reminder in due_reminders([call], sent, morning(days_before)):
            sent.add(reminder.key)
            out.append((days_before, reminder.offset))
    return out


def test_each_offset_is_sent_once_on_its_day() -> None:
    sent: set = set()
    assert run_daily(marked(), 40, 0, sent) == [(30, 30), (14, 14), (7, 7), (1, 1)]
    assert len(sent) == 4
    # Run again the same morning: nothing twice.
    assert due_reminders([marked()], sent, morning(1)) == []


def test_after_a_pause_only_the_nearest_reminder_is_sent() -> None:
    sent = {reminder_key("sedia:TT", 30, DEADLINE)}
    # Down from 29 days before until 6 days before: 14 and 7 came due meanwhile; only 7 goes out.
    due = due_reminders([marked()], sent, morning(6))
    assert [(r.offset, r.days_left) for r in due] == [(7, 6)]
    sent |= {r.key for r in due}
    assert due_reminders([marked()], sent, morning(5)) == []
    assert [r.offset for r in due_reminders([marked()], sent, morning(1))] == [1]


def test_a_call_marked_late_gets_one_reminder() -> None:
    assert [r.offset for r in due_reminders([marked()], set(), morning(3))] == [7]


def test_on_the_deadline_day_the_last_reminder_still_goes_if_missed() -> None:
    due = due_reminders([marked()], set(), DEADLINE - timedelta(hours=2))
    assert [(r.offset, r.days_left) for r in due] == [(1, 0)]


def test_nothing_after_the_deadline_or_without_one() -> None:
    assert due_reminders([marked()], set(), DEADLINE + timedelta(minutes=1)) == []
    assert due_reminders([marked(deadline=None)], set(), morning(7)) == []
    assert due_reminders([marked(deadline_precision="unknown")], set(), morning(7)) == []
    assert due_reminders([marked()], set(), morning(31)) == []


def test_a_moved_deadline_makes_its_reminders_due_again() -> None:
    sent: set = set()
    run_daily(marked(), 40, 7, sent)  # 30, 14 and 7 sent
    later = DEADLINE + timedelta(days=21)
    moved = marked(deadline=later)
    # On the morning 7 days before the old deadline, the new one is 28 days off: its 30 is due.
    due = due_reminders([moved], sent, morning(6))
    assert [(r.offset, r.days_left) for r in due] == [(30, 27)]
    assert due[0].key == ("sedia:TT", 30, "2027-01-01T16:00:00Z")


def test_custom_offsets_and_order() -> None:
    early = marked("a", deadline=DEADLINE - timedelta(days=2))
    late = marked("b")
    due = due_reminders([late, early], set(), morning(3), offsets=(3, 2))
    assert [(r.call.id, r.offset) for r in due] == [("a", 2), ("b", 3)]


def test_the_reminder_mail_is_swedish_and_keeps_titles_out_of_headers() -> None:
    hostile = marked(title="Viktig <b>utlysning</b>\r\nBcc: x@example.org")
    due = due_reminders([hostile], set(), morning(7))
    message = build_reminder(
        due,
        municipality_name="Åmåls kommun",
        sender="EU-bevakning <eu@amal.se>",
        to=["kansli@amal.se"],
        to_name="Kansli- och utredningsenheten",
        now=morning(7),
    )
    back = message_from_bytes(message.as_bytes(), policy=policy.default)
    assert back["Subject"] == "EU-bevakning: sista ansökningsdag om 7 dagar för en bevakad utlysning"
    assert back["Bcc"] is None
    assert [part.get_content_type() for part in back.iter_parts()] == ["text/plain", "text/html"]
    html = back.get_body(("html",)).get_content()
    text = back.get_body(("plain",)).get_content()
    assert "Påminnelse om sista ansökningsdag" in html
    assert "Viktig &lt;b&gt;utlysning&lt;/b&gt; Bcc: x@example.org" in html
    assert "fredag 11 december 2026 kl. 17.00 (om 7 dagar)" in text
    assert "En utlysning som ni har markerat som intressant närmar sig sista ansökningsdag." in text
    assert "Påminnelser skickas 30, 14, 7 och 1 dag före" in text


def test_several_reminders_in_one_mail() -> None:
    due = due_reminders([marked("a"), marked("b")], set(), morning(14))
    message = build_reminder(
        due, municipality_name="Åmåls kommun", sender="eu@amal.se", to=["kansli@amal.se"], now=morning(14)
    )
    assert message["Subject"] == "EU-bevakning: sista ansökningsdag snart för 2 bevakade utlysningar"
    assert "2 utlysningar som ni har markerat som intressanta" in message.get_body(("plain",)).get_content()
