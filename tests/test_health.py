"""Source health: a notice once per incident, and once when the source recovers."""

from __future__ import annotations

from datetime import datetime, timedelta
from email import message_from_bytes, policy
from zoneinfo import ZoneInfo

import pytest

from notifications.health import (
    Incident,
    Run,
    SourceHistory,
    assess,
    assess_all,
    build_health_notice,
    notice_text,
)
from notifications.model import SourceHealthNotice

STOCKHOLM = ZoneInfo("Europe/Stockholm")
START = datetime(2026, 11, 16, 6, 0, tzinfo=STOCKHOLM)


def runs(*outcomes: str | int) -> list[Run]:
    """Daily runs: an int is an ok run with that many items, "error" a failure, "304" unchanged."""
    out = []
    for day, outcome in enumerate(outcomes):
        at = START + timedelta(days=day)
        if outcome == "error":
            out.append(Run(at, "error", None, f"HTTP 503 dag {day}"))
        elif outcome == "304":
            out.append(Run(at, "unchanged", None))
        else:
            out.append(Run(at, "ok", int(outcome)))
    return out


def replay(*outcomes: str | int, threshold: int = 3) -> list[tuple[int, str]]:
    """Assess after every run as the daily job would: (run index, notice kind) for each notice."""
    incident = None
    told = []
    history = runs(*outcomes)
    for index in range(len(history)):
        seen = SourceHistory("tvv", "Tillväxtverket", history[: index + 1])
        decision = assess(seen, incident, now=history[index].at, threshold=threshold)
        incident = decision.incident
        if decision.notice:
            told.append((index, decision.notice.kind))
    return told


def test_three_failures_in_a_row_tell_once_and_recovery_once() -> None:
    assert replay(10, "error", "error", "error", "error", "error", 12, 12) == [
        (3, "failing"),
        (6, "recovered"),
    ]


def test_fewer_failures_than_the_threshold_are_quiet() -> None:
    assert replay(10, "error", "error", 10, "error", "error", 11) == []


def test_threshold_is_configurable() -> None:
    assert replay(10, "error", threshold=1) == [(1, "failing")]


def test_a_source_that_suddenly_yields_nothing_is_an_incident() -> None:
    assert replay(14, 15, 0, 0, 0, 0, 13) == [(4, "empty"), (6, "recovered")]


def test_unchanged_after_an_empty_yield_is_still_empty() -> None:
    assert replay(14, 0, "304", "304") == [(3, "empty")]
    # ... and after a good yield it is good.
    assert replay(14, "304", "304", "304") == []


def test_a_source_that_never_yielded_is_quiet_not_broken() -> None:
    assert replay(0, 0, 0, 0, 0) == []


def test_errors_and_empty_runs_add_up_to_a_failing_incident() -> None:
    assert replay(5, 0, "error", "error") == [(3, "failing")]


def test_a_second_incident_after_recovery_is_told_again() -> None:
    told = replay(5, "error", "error", "error", 5, "error", "error", "error")
    assert told == [(3, "failing"), (4, "recovered"), (7, "failing")]


def test_the_notice_carries_what_the_text_needs() -> None:
    history = SourceHistory("tvv", "Tillväxtverket", runs(9, "error", "error", "error"))
    decision = assess(history, None, now=START + timedelta(days=3))
    notice = decision.notice
    assert notice is not None
    assert (notice.kind, notice.failures_in_row, notice.since) == ("failing", 3, START + timedelta(days=1))
    assert notice.message == "HTTP 503 dag 3"
    assert decision.incident == Incident(
        "tvv", "failing", START + timedelta(days=1), START + timedelta(days=3)
    )


def test_assess_all_keeps_incidents_by_source() -> None:
    broken = SourceHistory("tvv", "Tillväxtverket", runs(9, "error", "error", "error"))
    fine = SourceHistory("mucf", "MUCF", runs(3, 4, 5))
    old = Incident("removed", "failing", START, START)
    notices, kept = assess_all([broken, fine], {"removed": old}, now=START + timedelta(days=3))
    assert [(n.source_id, n.kind) for n in notices] == [("tvv", "failing")]
    assert set(kept) == {"tvv", "removed"}
    notices, kept = assess_all([broken], kept, now=START + timedelta(days=4))
    assert notices == []


@pytest.mark.parametrize(
    ("notice", "expected"),
    [
        (
            SourceHealthNotice(
                "tvv", "Tillväxtverket", "failing", 3, START, "HTTP 503\r\nBcc: x@example.org"
            ),
            "Källan Tillväxtverket har misslyckats 3 körningar i rad sedan måndag 16 november 2026 kl. 06.00."
            " Senaste fel: HTTP 503 Bcc: x@example.org",
        ),
        (
            SourceHealthNotice("vr", "Vinnova", "empty", 3, START, last_items=42),
            "Källan Vinnova har inte gett några utlysningar de senaste 3 körningarna sedan måndag 16 "
            "november 2026 kl. 06.00, men gjorde det tidigare (tidigare 42).",
        ),
        (
            SourceHealthNotice("mucf", "MUCF", "recovered", since=START, last_items=12, at=START),
            "Källan MUCF fungerar igen: senaste körningen lyckades (måndag 16 november 2026 kl. 06.00) "
            "och gav 12 utlysningar.",
        ),
    ],
)
def test_notice_text_is_swedish(notice: SourceHealthNotice, expected: str) -> None:
    assert notice_text(notice).startswith(expected)


def test_the_health_mail() -> None:
    notices = [
        SourceHealthNotice("tvv", "<b>Tillväxtverket</b>", "failing", 3, START, "HTTP 503"),
        SourceHealthNotice("mucf", "MUCF", "recovered", since=START, last_items=12, at=START),
    ]
    message = build_health_notice(
        notices,
        municipality_name="Åmåls kommun",
        sender="EU-bevakning <eu@amal.se>",
        to=["kansli@amal.se"],
        now=START,
    )
    back = message_from_bytes(message.as_bytes(), policy=policy.default)
    assert back["Subject"] == "EU-bevakning: 1 källa fungerar inte, 1 källa fungerar igen"
    html = back.get_body(("html",)).get_content()
    assert "Källan &lt;b&gt;Tillväxtverket&lt;/b&gt; har misslyckats 3 körningar i rad" in html
    assert "Källan MUCF fungerar igen" in back.get_body(("plain",)).get_content()
