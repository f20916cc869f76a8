"""Directive alerts: what a förvaltning is told about EU law, and the e-mail that carries it."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from html import unescape
from zoneinfo import ZoneInfo

import pytest

from monitor.legal import LegalItem, Subject
from notifications import render
from notifications.alerts import (
    Alert,
    AlertItem,
    add_months,
    alert_item,
    build_alert,
    directive_section,
    is_empty,
    left_text,
    milestone_key,
    select_alerts,
    subject,
)
from notifications.digest import context as digest_context
from notifications.digest import select_for_recipient
from notifications.model import AreaInfo, Recipient

STOCKHOLM = ZoneInfo("Europe/Stockholm")
BRUSSELS = ZoneInfo("Europe/Brussels")
NOW = datetime(2026, 7, 17, 7, 30, tzinfo=STOCKHOLM)
SINCE = NOW - timedelta(days=1)
SENDER = "EU-bevakning <eu@amal.se>"
SBF = "Samhällsbyggnadsförvaltningen"
DRINKING_TITLE = (
    "Europaparlamentets och rådets direktiv (EU) 2020/2184 av den 16 december 2020 om kvaliteten på "
    "dricksvatten (omarbetning)"
)
DRINKING_EN = "Directive (EU) 2020/2184 on the quality of water intended for human consumption (recast)"
DRINKING_URL = "https://eur-lex.europa.eu/legal-content/SV/TXT/?uri=CELEX:32020L2184"


def item(ident: str = "celex:32020L2184", **fields: object) -> AlertItem:
    values: dict = {
        "id": ident,
        "kind": "directive",
        "title": DRINKING_TITLE,
        "title_en": DRINKING_EN,
        "celex": "32020L2184",
        "url": DRINKING_URL,
        "date": date(2020, 12, 16),
        "subjects": ["dricksvatten", "vattenkvalitet"],
        "scores": {"sbf": 88},
        "why_by_forvaltning": {"sbf": ["dricksvatten", "vattenförsörjning"]},
        "first_seen": NOW - timedelta(hours=3),
    }
    values.update(fields)
    return AlertItem(**values)


def old(ident: str, deadline: date, **fields: object) -> AlertItem:
    """An item told long ago, with a transposition deadline."""
    return item(ident, first_seen=NOW - timedelta(days=900), transposition_deadline=deadline, **fields)


def consultation(ident: str, end: datetime, **fields: object) -> AlertItem:
    values: dict = {
        "kind": "consultation",
        "title": "Vattenresiliens – översyn av reglerna om grundvatten",
        "title_en": "Water resilience – review of the groundwater rules",
        "celex": None,
        "date": None,
        "url": f"https://ec.europa.eu/info/law/better-regulation/have-your-say/initiatives/{ident}",
        "feedback_end": end,
        "first_seen": NOW - timedelta(days=30),
        "subjects": ["Environment"],
    }
    values.update(fields)
    return item(f"hys:{ident}", **values)


def parsed(message: EmailMessage) -> EmailMessage:
    return message_from_bytes(message.as_bytes(), policy=policy.default)


def html_of(message: EmailMessage) -> str:
    return parsed(message).get_body(("html",)).get_content()


def text_of(message: EmailMessage) -> str:
    return parsed(message).get_body(("plain",)).get_content()


def visible(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split()).replace(" :", ":")


def build(alert: Alert, now: datetime = NOW) -> EmailMessage:
    return build_alert(
        alert,
        municipality_name="Åmåls kommun",
        forvaltning_name=SBF,
        sender=SENDER,
        to=["sbf@amal.se", "va@amal.se"],
        now=now,
    )


# --- from the store's record ----------------------------------------------------------------------


def test_a_legal_item_becomes_an_alert_item_with_its_swedish_title_and_next_deadline() -> None:
    legal = LegalItem.for_act(
        "32020L2184",
        "directive",
        "cellar",
        title_sv=DRINKING_TITLE,
        title_en=DRINKING_EN,
        date=date(2020, 12, 16),
        transposition_deadlines=[date(2029, 1, 12), date(2023, 1, 12), date(2027, 1, 17)],
        subjects=[
            Subject(label_sv="dricksvatten", label_en="drinking water"),
            Subject(label_en="water policy"),
        ],
    )
    made = alert_item(
        legal,
        NOW,
        scores={"sbf": 88, "ksf": 41},
        why_by_forvaltning={"sbf": ["dricksvatten"]},
        first_seen=NOW,
    )
    assert made.title == DRINKING_TITLE
    assert made.title_en == DRINKING_EN
    assert made.url == DRINKING_URL
    assert made.transposition_deadline == date(2027, 1, 17)  # the passed 2023 one is not "next"
    assert made.subjects == ["dricksvatten", "water policy"]
    assert (made.score, made.why) == (88, ["dricksvatten"])
    english_only = LegalItem.for_act("32026L0001", "directive", "eurlex", title_en="Directive on X")
    assert alert_item(english_only, NOW).title == "Directive on X"
    all_passed = LegalItem.for_act("32019L0001", "directive", "x", transposition_deadlines=[date(2021, 1, 1)])
    assert alert_item(all_passed, NOW).transposition_deadline == date(2021, 1, 1)


# --- selection ------------------------------------------------------------------------------------


def test_new_items_routed_to_the_forvaltning_since_the_last_alert() -> None:
    items = [
        item("celex:new", scores={"sbf": 70}),
        item("celex:best", scores={"sbf": 90}),
        item("celex:other", scores={"buf": 95}),  # routed elsewhere
        item("celex:told", first_seen=SINCE),  # told last time
        item("celex:future", first_seen=NOW + timedelta(minutes=1)),
        item("celex:weak", scores={"sbf": 10}),
    ]
    alert = select_alerts(items, "sbf", SINCE, NOW, min_score=20)
    assert [i.id for i in alert.new] == ["celex:best", "celex:new"]
    assert all(i.change == "new" for i in alert.new)
    assert alert.new[0].why == ["dricksvatten", "vattenförsörjning"]
    first = select_alerts(items, "sbf", None, NOW)
    assert {i.id for i in first.new} == {"celex:new", "celex:best", "celex:told", "celex:weak"}


def test_each_milestone_is_told_once_12_6_and_3_months_ahead() -> None:
    deadline = date(2027, 1, 17)
    sent: set = set()
    told: list[tuple[date, int]] = []
    day = datetime(2025, 12, 1, 7, 30, tzinfo=STOCKHOLM)
    while day.date() <= date(2027, 2, 1):
        alert = select_alerts([old("celex:dw", deadline)], "sbf", day - timedelta(days=1), day, sent=sent)
        told += [(day.date(), m.months) for m in alert.deadlines]
        sent.update(alert.keys)
        day += timedelta(days=1)
    assert told == [(date(2026, 1, 17), 12), (date(2026, 7, 17), 6), (date(2026, 10, 17), 3)]
    assert sent == {("celex:dw", m, "2027-01-17") for m in (12, 6, 3)}


def test_after_an_outage_only_the_nearest_milestone_is_told() -> None:
    deadline = date(2027, 1, 17)
    # Nobody ran for a year: 12 and 6 months have both come due, 6 is told.
    late = datetime(2026, 9, 1, 7, 30, tzinfo=STOCKHOLM)
    alert = select_alerts([old("celex:dw", deadline)], "sbf", None, late)
    assert [(m.months, m.deadline) for m in alert.deadlines] == [(6, deadline)]
    assert alert.keys == [milestone_key("celex:dw", 6, deadline)]
    # Told: the next run is quiet, and the stale 12 months is never told afterwards.
    again = select_alerts([old("celex:dw", deadline)], "sbf", late, late + timedelta(days=1), sent=alert.keys)
    assert is_empty(again)


def test_a_moved_transposition_deadline_gets_new_keys() -> None:
    sent = {milestone_key("celex:dw", 6, date(2027, 1, 17))}
    moved = old("celex:dw", date(2027, 4, 30))
    alert = select_alerts([moved], "sbf", SINCE, NOW, sent=sent)
    assert [m.key for m in alert.deadlines] == [("celex:dw", 12, "2027-04-30")]
    unmoved = select_alerts([old("celex:dw", date(2027, 1, 17))], "sbf", SINCE, NOW, sent=sent)
    assert is_empty(unmoved)


def test_no_milestone_for_a_passed_or_far_deadline() -> None:
    items = [old("celex:passed", NOW.date() - timedelta(days=1)), old("celex:far", date(2028, 1, 1))]
    assert is_empty(select_alerts(items, "sbf", SINCE, NOW))


def test_a_consultation_closing_within_14_days_is_told_once() -> None:
    items = [
        consultation("1", NOW + timedelta(days=10)),
        consultation("2", NOW + timedelta(days=15)),  # not yet
        consultation("3", NOW - timedelta(hours=1)),  # closed
        consultation("4", NOW + timedelta(days=3), scores={"buf": 80}),  # another förvaltning's
    ]
    alert = select_alerts(items, "sbf", SINCE, NOW)
    assert [i.id for i in alert.closing] == ["hys:1"]
    assert not alert.new
    later = NOW + timedelta(hours=12)
    assert is_empty(select_alerts(items, "sbf", NOW, later, sent=alert.keys))
    # The next one comes into the fourteen days a day later; the first is not told again.
    next_day = select_alerts(items, "sbf", NOW, NOW + timedelta(days=1), sent=alert.keys)
    assert [i.id for i in next_day.closing] == ["hys:2"]


def test_a_new_consultation_closing_soon_is_told_among_the_new_once() -> None:
    fresh = consultation("9", NOW + timedelta(days=5), first_seen=NOW - timedelta(hours=2))
    closed = consultation("8", NOW - timedelta(days=1), first_seen=NOW - timedelta(hours=2))
    alert = select_alerts([fresh, closed], "sbf", SINCE, NOW)
    assert [i.id for i in alert.new] == ["hys:9"]
    assert alert.closing == []
    assert len(alert.keys) == 1
    assert is_empty(select_alerts([fresh], "sbf", NOW, NOW + timedelta(days=1), sent=alert.keys))


def test_months_on_the_calendar() -> None:
    assert add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert add_months(date(2027, 1, 17), -12) == date(2026, 1, 17)
    today = date(2026, 7, 17)
    assert left_text(date(2027, 1, 17), today) == "om 6 månader"
    assert left_text(date(2027, 1, 16), today) == "om 5 månader"
    assert left_text(date(2026, 8, 17), today) == "om 1 månad"
    assert left_text(date(2026, 7, 29), today) == "om 12 dagar"
    assert left_text(date(2026, 7, 18), today) == "i morgon"
    assert left_text(today, today) == "i dag"
    assert left_text(date(2026, 7, 16), today) == "passerad"
    assert left_text(date(2029, 1, 12), today) == "om 2 år"


# --- the e-mail -----------------------------------------------------------------------------------


def sample() -> Alert:
    """New drinking-water directive, waste-water recast 5 months off, a consultation closing soon."""
    items = [
        item(transposition_deadline=date(2027, 1, 17)),
        old(
            "celex:32024L3019",
            date(2026, 12, 31),
            title="Direktiv (EU) 2024/3019 om rening av avloppsvatten från tätbebyggelse (omarbetning)",
            celex="32024L3019",
            url="https://eur-lex.europa.eu/legal-content/SV/TXT/?uri=CELEX:32024L3019",
        ),
        consultation("14567", datetime(2026, 7, 26, 23, 59, tzinfo=BRUSSELS)),
    ]
    return select_alerts(items, "sbf", SINCE, NOW)


def test_the_alert_is_in_swedish_with_every_detail() -> None:
    alert = sample()
    message = build(alert)
    html, text = html_of(message), text_of(message)
    assert f'<a href="{DRINKING_URL}"' in html
    assert f">{DRINKING_TITLE}</a>" in html
    for content in (visible(html), text):
        assert "Nytt sedan förra utskicket" in content
        assert DRINKING_EN in content
        assert "CELEX 32020L2184" in content
        assert "16 december 2020" in content
        assert "Varför: dricksvatten, vattenförsörjning" in content
        assert "Ämnen: dricksvatten, vattenkvalitet" in content
        assert "Genomförandefrister de kommande 12 månaderna" in content
        assert "31 december 2026" in content
        assert "om 5 månader" in content
        assert "Samrådet stänger 26 juli 2026" in content
        assert "om 9 dagar" in content
        assert "Samråd som stänger inom 14 dagar" in content
        assert "Åmåls kommun" in content
        assert SBF in content
    assert "Ska vara genomfört senast 17 januari 2027 (om 6 månader)" in text
    assert "Ska vara genomfört senast 17 januari 2027 om 6 månader" in visible(html)
    assert "Direktiv, CELEX 32020L2184, 16 december 2020" in text
    assert "Offentligt samråd" in visible(html)


@pytest.mark.parametrize(
    ("kind", "label"),
    [
        ("directive", "Direktiv"),
        ("regulation", "Förordning"),
        ("decision", "Beslut"),
        ("proposal", "Kommissionens förslag"),
        ("consultation", "Offentligt samråd"),
        ("referral", "Remiss"),
    ],
)
def test_kinds_in_swedish(kind: str, label: str) -> None:
    alert = select_alerts([item(kind=kind)], "sbf", SINCE, NOW)
    assert label in text_of(build(alert))


def test_the_subject_is_counts_and_our_own_words() -> None:
    alert = sample()
    # The new directive's deadline is 6 months off: it is among the deadlines too.
    assert [m.item.id for m in alert.deadlines] == ["celex:32024L3019", "celex:32020L2184"]
    assert subject(alert, SBF) == (
        "EU-direktiv för Samhällsbyggnadsförvaltningen: 1 ny rättsakt, 2 genomförandefrister "
        "och 1 samråd som stänger snart"
    )
    assert parsed(build(alert))["Subject"] == subject(alert, SBF)
    two = select_alerts([item("celex:a"), item("celex:b")], "sbf", SINCE, NOW)
    assert subject(two, SBF) == "EU-direktiv för Samhällsbyggnadsförvaltningen: 2 nya rättsakter"
    mixed = select_alerts([item("celex:a"), item("com:b", kind="proposal")], "sbf", SINCE, NOW)
    assert subject(mixed, SBF) == "EU-direktiv för Samhällsbyggnadsförvaltningen: 2 nya ärenden"


def test_both_parts_are_present_with_the_usual_headers() -> None:
    message = parsed(build(sample()))
    assert message.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in message.iter_parts()] == ["text/plain", "text/html"]
    assert all(p.get_content_charset() == "utf-8" for p in message.iter_parts())
    assert [a.addr_spec for a in message["To"].addresses] == ["sbf@amal.se", "va@amal.se"]
    assert message["To"].addresses[0].display_name == SBF
    assert message["From"].addresses[0].addr_spec == "eu@amal.se"
    assert message["Date"].datetime == NOW
    # A retry builds the same message id.
    assert parsed(build(sample()))["Message-ID"] == message["Message-ID"]


def test_html_is_self_contained_and_fit_for_outlook() -> None:
    html = html_of(build(sample()))
    for banned in ("<script", "<link", "<img", "<style"):
        assert banned not in html.lower()
    assert 'role="presentation"' in html
    assert "max-width:680px" in html
    assert 'lang="sv"' in html


def test_scraped_html_is_escaped() -> None:
    hostile = item(
        title='<script>alert("x")</script> & <b>fet</b>',
        title_en="<img src=x onerror=alert(1)>",
        subjects=["<i>ämne</i>"],
        why_by_forvaltning={"sbf": ["<style>body{display:none}</style>"]},
    )
    message = build(select_alerts([hostile], "sbf", SINCE, NOW))
    html = html_of(message)
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;b&gt;fet&lt;/b&gt;" in html
    for raw in ("<script", "<img", "<i>", "<b>", "<style"):
        assert raw not in html
    assert '<script>alert("x")</script> & <b>fet</b>' in text_of(message)


def test_a_scraped_title_cannot_add_a_header() -> None:
    hostile = item(title="Direktiv\r\nBcc: x@example.org", title_en="X\nX-Injected: yes", celex="3\r\nY: z")
    raw = build(select_alerts([hostile], "sbf", SINCE, NOW)).as_bytes()
    message = message_from_bytes(raw, policy=policy.default)
    assert message["Bcc"] is None
    assert message["X-Injected"] is None
    assert set(message.keys()) == {
        "Subject",
        "From",
        "To",
        "Date",
        "Message-ID",
        "Auto-Submitted",
        "MIME-Version",
        "Content-Type",
    }
    assert b"x@example.org" not in raw.split(b"\n\n", 1)[0]
    assert message["Subject"] == "EU-direktiv för Samhällsbyggnadsförvaltningen: 1 ny rättsakt"
    body = message.get_body(("plain",)).get_content()
    assert "Direktiv Bcc: x@example.org" in body


def test_a_scraped_javascript_link_is_not_a_link() -> None:
    message = build(select_alerts([item(url="javascript:alert(1)")], "sbf", SINCE, NOW))
    assert "javascript:" not in html_of(message)
    assert "javascript:" not in text_of(message)
    assert f"<strong>{DRINKING_TITLE}</strong>" in html_of(message)


def test_an_empty_alert_is_not_built() -> None:
    alert = select_alerts([item(scores={"buf": 90})], "sbf", SINCE, NOW)
    assert is_empty(alert)
    assert alert.keys == []
    with pytest.raises(ValueError):
        build(alert)


# --- the weekly digest's directive section --------------------------------------------------------

AREAS = [AreaInfo("vanort", "Vänortssamarbete och kommunala partnerskap")]
ENHETEN = Recipient("enheten", "Kansli- och utredningsenheten", ["kansli@amal.se"], "all", 40, True)
NAMES = {"sbf": SBF, "ksf": "Kommunstyrelseförvaltningen"}


def digest_with(directives: object) -> tuple[str, str]:
    digest = select_for_recipient([], ENHETEN, SINCE, NOW, areas=AREAS)
    ctx = digest_context(digest, municipality_name="Åmåls kommun", now=NOW)
    ctx["directives"] = directives
    return render.render("digest.html.j2", **ctx), render.render("digest.txt.j2", **ctx)


def test_the_digest_gets_a_directive_section() -> None:
    items = [
        item(scores={"sbf": 88, "ksf": 30}, change="new", transposition_deadline=date(2027, 1, 17)),
        old("celex:32024L3019", date(2026, 12, 31), title="Avloppsdirektivet", scores={"sbf": 80}),
        old("celex:far", date(2029, 1, 1), title="Långt borta"),
        consultation("5", NOW + timedelta(days=4), title="Ett samråd om <grundvatten>"),
    ]
    section = directive_section(items, NOW, forvaltning_names=NAMES)
    assert section is not None
    html, text = digest_with(section)
    for content in (visible(html), text):
        assert "EU-lagstiftning" in content
        assert DRINKING_TITLE in content
        assert "Ska vara genomfört senast 17 januari 2027" in content
        assert "Samhällsbyggnadsförvaltningen, Kommunstyrelseförvaltningen" in content
        assert "Genomförandefrister de kommande 12 månaderna" in content
        assert "31 december 2026" in content
        assert "Avloppsdirektivet" in content
        assert "Långt borta" not in content
        assert "Samråd som stänger inom 14 dagar" in content
    assert "Ett samråd om &lt;grundvatten&gt;" in html
    assert "Ett samråd om <grundvatten>" in text


def test_new_in_the_digest_is_decided_on_since_when_given() -> None:
    section = directive_section([item("celex:a"), old("celex:b", date(2030, 1, 1))], NOW, since=SINCE)
    assert section is not None
    assert [a.title for a in section["new"]] == [DRINKING_TITLE]  # type: ignore[index]


def test_the_digest_without_directives_has_no_section() -> None:
    assert directive_section([old("celex:far", date(2030, 1, 1))], NOW) is None
    html, text = digest_with(None)
    assert "EU-lagstiftning" not in html
    assert "EU-lagstiftning" not in text
