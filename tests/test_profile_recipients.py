"""profile.yaml's recipients, notifications and schedule sections: read, defaulted, and checked."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_profile import MINIMAL, SHIPPED, write

from monitor.areas import AREA_KEYS
from monitor.errors import ConfigError
from monitor.profile import load_profile

RECIPIENTS = """\
recipients:
  - id: kansliet
    name: Kansli- och utredningsenheten
    emails: [kansliet@amal.se]
    areas: all
    health: true
  - id: buf
    name: Barn- och utbildningsförvaltningen
    emails: [buf@amal.se, rektor@amal.se]
    areas: [ungdom, kompetens]
    min_score: 55
    forvaltning: buf
"""


def problems(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_profile(write(tmp_path, text))
    return caught.value.problems


def test_recipients_are_read_with_their_defaults(tmp_path: Path) -> None:
    profile = load_profile(write(tmp_path, MINIMAL + RECIPIENTS))
    kansliet, buf = profile.recipients
    assert kansliet.areas == AREA_KEYS and kansliet.health and kansliet.forvaltning is None
    assert kansliet.min_score == 40
    assert buf.areas == ("ungdom", "kompetens") and buf.emails == ("buf@amal.se", "rektor@amal.se")
    assert buf.min_score == 55 and not buf.health and buf.forvaltning == "buf"
    assert profile.recipient("buf") is buf and profile.recipient("nobody") is None
    # Nothing said: defaults for the digest and the schedule.
    assert profile.notifications.reminder_days == ("30", "14", "7", "1")
    assert not profile.notifications.send_empty and profile.notifications.failures_before_notice == 3
    assert (profile.schedule.collect, profile.schedule.digest) == ("0 6 * * *", "0 7 * * mon")


def test_a_profile_without_recipients_is_valid() -> None:
    assert load_profile(SHIPPED).recipients  # the shipped one has them
    # MINIMAL has none: a municipality can start with the matcher and add the digest later.


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("[kansliet@amal.se]", "[kansliet.amal.se]"), "'kansliet.amal.se' är ingen e-postadress"),
        (("[ungdom, kompetens]", "[ungdom, fiske]"), "okänt område 'fiske'"),
        (("id: buf", "id: kansliet"), "'kansliet' står två gånger"),
        (("id: buf", "id: Buf-2"), "ogiltigt id"),
        (("min_score: 55", "min_score: 120"), "måste vara mellan 0 och 100"),
        (("health: true", "health: ja"), "måste vara true eller false"),
        (("forvaltning: buf", "forvaltning: kultur"), "förvaltningen 'kultur' finns inte"),
        (("    min_score: 55", "    min_score: 55\n    phone: 123"), "okänd nyckel 'recipients[buf].phone'"),
    ],
)
def test_bad_recipients_are_named_with_line_and_key(
    tmp_path: Path, change: tuple[str, str], expected: str
) -> None:
    text = MINIMAL + RECIPIENTS.replace(*change)
    found = problems(tmp_path, text)
    assert any(expected in problem for problem in found), found
    assert all(problem.startswith(f"{tmp_path / 'profile.yaml'}:") for problem in found)


@pytest.mark.parametrize(
    ("section", "expected"),
    [
        ('schedule:\n  digest: "7 * * mon"\n', "ingen crontab-rad"),
        ('schedule:\n  collect: "0 25 * * *"\n', "kan inte tolkas"),
        ("schedule:\n  timezone: Europe/Åmål\n", "ingen känd tidszon"),
        ("notifications:\n  reminder_days: [30, 0]\n", "ska vara ett heltal 1–365"),
        ("notifications:\n  send_empty: 1\n", "måste vara true eller false"),
    ],
)
def test_bad_schedule_and_notification_settings(tmp_path: Path, section: str, expected: str) -> None:
    found = problems(tmp_path, MINIMAL + section)
    assert any(expected in problem for problem in found), found
