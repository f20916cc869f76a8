"""The weekly digest: what each recipient is told, and the e-mail that carries it."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from html import unescape
from zoneinfo import ZoneInfo

import pytest

from notifications.digest import build_digest, is_empty, select_for_recipient, subject
from notifications.errors import NotifyError
from notifications.model import AreaInfo, Digest, DigestCall, Recipient, SourceHealthNotice

STOCKHOLM = ZoneInfo("Europe/Stockholm")
NOW = datetime(2026, 11, 23, 7, 0, tzinfo=STOCKHOLM)  # Monday of week 48
SINCE = NOW - timedelta(days=7)
SEEN = NOW - timedelta(days=2)
SENDER = "EU-bevakning <eu@amal.se>"
AREAS = [
    AreaInfo("sysselsattning", "Sysselsättning och hållbar tillväxt"),
    AreaInfo("kompetens", "Kunskapsutbyte och kompetensutveckling"),
    AreaInfo("ungdom", "Öka ungdomars möjlighet till internationell rörlighet"),
    AreaInfo("vanort", "Vänortssamarbete och kommunala partnerskap"),
]
ENHETEN = Recipient("enheten", "Kansli- och utredningsenheten", ["kansli@amal.se"], "all", 40, True)
BUF = Recipient(
    "buf", "Barn- och utbildningsförvaltningen", ["buf@amal.se", "rektor@amal.se"], ["ungdom"], 50
)


def call(ident: str, score: int, area: str, **fields: object) -> DigestCall:
    values: dict = {
        "id": ident,
        "title": f"Utlysning {ident}",
        "url": f"https://example.org/{ident}",
        "programme": "CERV",
        "deadline": NOW + timedelta(days=60),
        "score": score,
        "best_area": area,
        "why": ["town twinning", "medborgarengagemang"],
        "sources": ["EU:s portal"],
        "first_seen": SEEN,
    }
    values.update(fields)
    return DigestCall(**values)


def parsed(message: EmailMessage) -> EmailMessage:
    """The message as a mail client would read it back from the wire."""
    return message_from_bytes(message.as_bytes(), policy=policy.default)


def html_of(message: EmailMessage) -> str:
    return parsed(message).get_body(("html",)).get_content()


def visible(html: str) -> str:
    """The HTML as a reader sees it: tags dropped, entities read, spaces folded."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split()).replace(" :", ":")


def text_of(message: EmailMessage) -> str:
    return parsed(message).get_body(("plain",)).get_content()


def build(digest: Digest) -> EmailMessage:
    return build_digest(digest, municipality_name="Åmåls kommun", sender=SENDER, now=NOW)


# --- selection ---------------------------------------------------------------------------------


def test_new_calls_are_grouped_by_area_in_profile_order_and_sorted_by_score() -> None:
    calls = [
        call("a", 55, "vanort"),
        call("b", 90, "vanort"),
        call("c", 70, "sysselsattning"),
        call("d", 60, "ungdom"),
        call("low", 39, "kompetens"),
    ]
    digest = select_for_recipient(calls, ENHETEN, SINCE, NOW, areas=AREAS)
    assert [s.area.key for s in digest.sections] == ["sysselsattning", "ungdom", "vanort"]
    assert [[c.id for c in s.calls] for s in digest.sections] == [["c"], ["d"], ["b", "a"]]
    assert digest.new_count == 4
    assert digest.period == "2026-W48"


def test_a_recipient_sees_only_its_areas_at_its_threshold() -> None:
    calls = [
        call("youth", 80, "ungdom"),
        call("weak-youth", 45, "ungdom"),  # above the enheten's 40, below buf's 50
        call("twinning", 95, "vanort"),
        # Best in twinning, but good enough in youth for buf: shown under youth with that score.
        call("both", 90, "vanort", scores={"vanort": 90, "ungdom": 65}),
    ]
    digest = select_for_recipient(calls, BUF, SINCE, NOW, areas=AREAS)
    assert [s.area.key for s in digest.sections] == ["ungdom"]
    assert [c.id for c in digest.sections[0].calls] == ["youth", "both"]
    html = html_of(build(digest))
    assert "65/100" in html
    assert "Vänortssamarbete" not in html


def test_all_areas_may_be_written_as_a_list() -> None:
    everyone = Recipient("e", "E", ["e@amal.se"], ["all"], 40)
    assert everyone.area_keys(AREAS) == [a.key for a in AREAS]


def test_only_calls_first_seen_since_the_last_digest_are_new() -> None:
    calls = [
        call("old", 80, "vanort", first_seen=SINCE - timedelta(minutes=1)),
        call("edge", 80, "vanort", first_seen=SINCE),  # told last time
        call("fresh", 80, "vanort", first_seen=SINCE + timedelta(minutes=1)),
        call("future", 80, "vanort", first_seen=NOW + timedelta(minutes=1)),
        call("unknown", 80, "vanort", first_seen=None),
    ]
    digest = select_for_recipient(calls, ENHETEN, SINCE, NOW, areas=AREAS)
    assert [c.id for s in digest.sections for c in s.calls] == ["fresh"]
    first_digest = select_for_recipient(calls, ENHETEN, None, NOW, areas=AREAS)
    assert {c.id for s in first_digest.sections for c in s.calls} == {"old", "edge", "fresh"}


def test_closed_calls_are_not_news() -> None:
    calls = [call("closed", 90, "vanort", status="closed", deadline=NOW - timedelta(days=1))]
    digest = select_for_recipient(calls, ENHETEN, SINCE, NOW, areas=AREAS)
    assert is_empty(digest)


def test_changed_calls_are_listed_once_with_what_changed() -> None:
    moved = call(
        "moved",
        70,
        "vanort",
        first_seen=NOW - timedelta(days=40),
        change="deadline_moved",
        changed_at=NOW - timedelta(days=1),
        deadline=datetime(2026, 12, 11, 17, 0, tzinfo=STOCKHOLM),
        old_deadline=datetime(2026, 11, 30, 17, 0, tzinfo=STOCKHOLM),
    )
    reopened = call("reopened", 60, "vanort", first_seen=NOW - timedelta(days=90), change="reopened")
    stale = call(
        "stale",
        60,
        "vanort",
        first_seen=NOW - timedelta(days=90),
        change="reopened",
        changed_at=SINCE - timedelta(days=1),
    )
    # New and changed in the same week: it is new, not listed twice.
    new_and_moved = call("fresh", 65, "vanort", change="deadline_moved", old_deadline=NOW)
    digest = select_for_recipient([moved, reopened, stale, new_and_moved], ENHETEN, SINCE, NOW, areas=AREAS)
    assert [c.id for c in digest.changed] == ["moved", "reopened"]
    assert [c.id for s in digest.sections for c in s.calls] == ["fresh"]
    text = text_of(build(digest))
    assert (
        "Sista ansökningsdag flyttad från måndag 30 november 2026 kl. 17.00 till "
        "fredag 11 december 2026 kl. 17.00" in text
    )
    assert "Öppen för ansökningar igen" in text
    assert "== Ändrade utlysningar ==" in text


def test_upcoming_deadlines_are_the_next_30_days_soonest_first() -> None:
    calls = [
        call("later", 60, "vanort", first_seen=SINCE - timedelta(days=30), deadline=NOW + timedelta(days=20)),
        call("soon", 60, "vanort", first_seen=SINCE - timedelta(days=30), deadline=NOW + timedelta(days=3)),
        call("far", 60, "vanort", first_seen=SINCE - timedelta(days=30), deadline=NOW + timedelta(days=31)),
        call("weak", 10, "vanort", first_seen=SINCE - timedelta(days=30), deadline=NOW + timedelta(days=2)),
    ]
    digest = select_for_recipient(calls, ENHETEN, SINCE, NOW, areas=AREAS)
    assert [c.id for c in digest.upcoming] == ["soon", "later"]
    # Deadlines that were already told are no reason to send a mail ...
    assert is_empty(digest)
    # ... unless the caller wants them to be.
    assert not is_empty(digest, count_upcoming=True)


def test_source_health_goes_only_to_recipients_who_asked_for_it() -> None:
    notice = SourceHealthNotice("tvv", "Tillväxtverket", "failing", 3, NOW - timedelta(days=3), "HTTP 503")
    for_enheten = select_for_recipient([], ENHETEN, SINCE, NOW, areas=AREAS, health=[notice])
    for_buf = select_for_recipient([], BUF, SINCE, NOW, areas=AREAS, health=[notice])
    assert for_enheten.health == [notice]
    assert not is_empty(for_enheten)
    assert for_buf.health == []
    assert is_empty(for_buf)
    html = html_of(build(for_enheten))
    assert "Källornas hälsa" in html
    assert "Källan Tillväxtverket har misslyckats 3 körningar i rad" in html


# --- subject -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (0, "EU-bevakning v. 48: inga nya utlysningar"),
        (1, "EU-bevakning v. 48: 1 ny utlysning"),
        (5, "EU-bevakning v. 48: 5 nya utlysningar"),
    ],
)
def test_subject_counts_in_swedish(count: int, expected: str) -> None:
    calls = [call(str(i), 80, "vanort") for i in range(count)]
    digest = select_for_recipient(calls, ENHETEN, SINCE, NOW, areas=AREAS)
    assert subject(digest) == expected
    assert parsed(build(digest))["Subject"] == expected


def test_subject_counts_changes_too() -> None:
    changed = call("c", 70, "vanort", first_seen=SINCE - timedelta(days=9), change="reopened")
    digest = select_for_recipient([call("n", 70, "vanort"), changed], ENHETEN, SINCE, NOW, areas=AREAS)
    assert subject(digest) == "EU-bevakning v. 48: 1 ny utlysning, 1 ändrad"


# --- the e-mail --------------------------------------------------------------------------------


def test_the_message_is_multipart_alternative_in_utf8_with_the_usual_headers() -> None:
    digest = select_for_recipient([call("a", 80, "vanort")], ENHETEN, SINCE, NOW, areas=AREAS)
    message = parsed(build(digest))
    assert message.get_content_type() == "multipart/alternative"
    parts = [part.get_content_type() for part in message.iter_parts()]
    assert parts == ["text/plain", "text/html"]
    assert all(part.get_content_charset() == "utf-8" for part in message.iter_parts())
    assert message["From"].addresses[0].addr_spec == "eu@amal.se"
    assert [a.addr_spec for a in message["To"].addresses] == ["kansli@amal.se"]
    assert message["To"].addresses[0].display_name == "Kansli- och utredningsenheten"
    assert message["Date"].datetime == NOW
    assert re.fullmatch(r"<eumonitor\.\d{14}\.[0-9a-f]{16}@amal\.se>", message["Message-ID"])
    # The same delivery gets the same Message-ID: a retried send is recognisably the same mail.
    assert parsed(build(digest))["Message-ID"] == message["Message-ID"]


def test_every_address_of_the_recipient_is_in_to() -> None:
    digest = select_for_recipient([call("y", 80, "ungdom")], BUF, SINCE, NOW, areas=AREAS)
    to = parsed(build(digest))["To"].addresses
    assert [a.addr_spec for a in to] == ["buf@amal.se", "rektor@amal.se"]


def test_each_call_shows_link_programme_deadline_score_why_and_sources() -> None:
    town = call(
        "cerv",
        91,
        "vanort",
        title="Town twinning",
        url="https://ec.europa.eu/topic/CERV-2026-TT",
        programme="Citizens, Equality, Rights and Values",
        deadline=datetime(2026, 12, 4, 17, 0, tzinfo=ZoneInfo("Europe/Brussels")),
        sources=["EU:s portal", "Europe for Citizens-kontoret"],
    )
    digest = select_for_recipient([town], ENHETEN, SINCE, NOW, areas=AREAS)
    message = build(digest)
    html, text = html_of(message), text_of(message)
    assert "Sista ansökningsdag: fredag 4 december 2026 kl. 17.00 om 11 dagar" in visible(html)
    assert '<a href="https://ec.europa.eu/topic/CERV-2026-TT"' in html
    assert ">Town twinning</a>" in html
    assert "Vänortssamarbete och kommunala partnerskap" in html
    for content in (visible(html), text):
        assert "Citizens, Equality, Rights and Values" in content
        assert "fredag 4 december 2026 kl. 17.00" in content
        assert "om 11 dagar" in content
        assert "91/100" in content
        assert "Varför: town twinning, medborgarengagemang" in content
        assert "Källor: EU:s portal, Europe for Citizens-kontoret" in content
        assert "Åmåls kommun" in content
    # Eleven days left: the red badge.
    assert "#fde2e1" in html


def test_a_call_the_municipality_cannot_apply_for_says_why() -> None:
    only_firms = call(
        "firms", 70, "sysselsattning", eligible=False, ineligible_reason="Endast företag kan söka."
    )
    digest = select_for_recipient([only_firms], ENHETEN, SINCE, NOW, areas=AREAS)
    message = build(digest)
    assert "Kommunen kan inte söka: Endast företag kan söka." in html_of(message)
    assert "Kommunen kan inte söka: Endast företag kan söka." in text_of(message)


def test_html_is_self_contained_and_fit_for_outlook() -> None:
    digest = select_for_recipient([call("a", 80, "vanort")], ENHETEN, SINCE, NOW, areas=AREAS)
    html = html_of(build(digest))
    assert "<script" not in html.lower()
    assert "<link" not in html.lower()
    assert "<img" not in html.lower()
    assert "<style" not in html.lower()  # inline styles only: Outlook drops <style> in places
    assert "max-width:680px" in html
    assert "Segoe UI" in html
    assert 'role="presentation"' in html
    assert 'lang="sv"' in html


# --- hostile input ------------------------------------------------------------------------------


def test_scraped_html_is_escaped() -> None:
    hostile = call(
        "x",
        80,
        "vanort",
        title='<script>alert("x")</script> & <b>bold</b>',
        programme="<img src=x onerror=alert(1)>",
        why=["<i>term</i>"],
        sources=["<a href='http://evil'>källa</a>"],
        eligible=False,
        ineligible_reason="<style>body{display:none}</style>",
    )
    digest = select_for_recipient([hostile], ENHETEN, SINCE, NOW, areas=AREAS)
    html = html_of(build(digest))
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "&lt;i&gt;term&lt;/i&gt;" in html
    assert "&lt;style&gt;" in html
    for raw in ("<script", "<img", "<i>", "<b>", "<style", "http://evil"):
        assert raw not in html.replace("&lt;", "").replace("&#39;http://evil", "")
    # The text part is not HTML: it shows the title as written, not entity-escaped.
    assert '<script>alert("x")</script> & <b>bold</b>' in text_of(build(digest))


def test_a_scraped_title_cannot_add_a_header() -> None:
    hostile = call(
        "bcc",
        80,
        "vanort",
        title="Utlysning\r\nBcc: x@example.org",
        programme="Program\nX-Injected: yes",
        sources=["Källa\r\n\r\n<html>"],
    )
    digest = select_for_recipient([hostile], ENHETEN, SINCE, NOW, areas=AREAS)
    raw = build(digest).as_bytes()
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
    for part in message.iter_parts():
        assert set(part.keys()) <= {"Content-Type", "Content-Transfer-Encoding", "MIME-Version"}
    # The text stays in the body, folded to one line.
    assert "Utlysning Bcc: x@example.org" in text_of(build(digest))
    assert "Utlysning Bcc: x@example.org" in html_of(build(digest))


def test_a_scraped_javascript_link_is_not_a_link() -> None:
    hostile = call("js", 80, "vanort", title="Klicka", url="javascript:alert(document.cookie)")
    digest = select_for_recipient([hostile], ENHETEN, SINCE, NOW, areas=AREAS)
    message = build(digest)
    assert "javascript:" not in html_of(message)
    assert "javascript:" not in text_of(message)
    assert "<strong>Klicka</strong>" in html_of(message)


def test_an_address_that_could_smuggle_a_header_is_refused() -> None:
    sneaky = Recipient("x", "X", ["a@amal.se\r\nBcc: x@example.org"], "all")
    digest = select_for_recipient([call("a", 80, "vanort")], sneaky, SINCE, NOW, areas=AREAS)
    with pytest.raises(NotifyError, match="Ogiltig e-postadress"):
        build(digest)


def test_a_recipient_without_addresses_is_an_error() -> None:
    nobody = Recipient("x", "X", [], "all")
    digest = select_for_recipient([call("a", 80, "vanort")], nobody, SINCE, NOW, areas=AREAS)
    with pytest.raises(NotifyError, match="saknar e-postadress"):
        build(digest)
