"""Digests, reminders and source-health notices delivered through a real SMTP server (aiosmtpd) on
127.0.0.1, exactly once; exports, status, the run lock and the schedule — all through the real CLI."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import icalendar
import pytest
from aiosmtpd.controller import Controller
from click.testing import Result
from helpers import free_port, make_call, write_sources
from test_matching import NETWORKS, TWINNING, YOUTH

from monitor.lock import run_lock
from monitor.matching import match_calls
from monitor.profile import load_profile
from monitor.records import Call, utc_now
from monitor.scheduler import build_scheduler, next_runs
from monitor.sources.sedia import completeness
from monitor.store import Store

Invoke = Callable[..., Result]
REPO = Path(__file__).resolve().parent.parent
SHIPPED = REPO / "profile.yaml"
HOSTILE = "Town twinning <script>alert(1)</script>\r\nBcc: evil@example.org"


@dataclass
class MailServer:
    """aiosmtpd on 127.0.0.1 keeping what it received; `refuse` addresses get 550 at RCPT."""

    port: int
    refuse: set[str] = field(default_factory=set)
    received: list[tuple[list[str], EmailMessage]] = field(default_factory=list)
    controller: Controller | None = None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=policy.default)
        self.received.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def start(self) -> MailServer:
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def to(self, address: str) -> list[EmailMessage]:
        return [message for rcpts, message in self.received if address in rcpts]


@pytest.fixture
def mail() -> Iterator[Callable[..., MailServer]]:
    started: list[MailServer] = []

    def make(port: int | None = None, start: bool = True) -> MailServer:
        server = MailServer(port or free_port())
        started.append(server)
        return server.start() if start else server

    yield make
    for server in started:
        server.stop()


def smtp_env(port: int) -> dict[str, str]:
    return {
        "EUMONITOR_SMTP_HOST": "127.0.0.1",
        "EUMONITOR_SMTP_PORT": str(port),
        "EUMONITOR_SMTP_SECURITY": "none",
        "EUMONITOR_SMTP_FROM": "EU-bevakning <eu-bevakning@amal.se>",
    }


def collect(
    store: Store, now: datetime, calls: list[Call], source: str = "eu-portal", error: str | None = None
):
    run_id = store.begin_run(source, now)
    writer = store.writer(run_id, source, now)
    if error is None:
        writer.save_page(calls, completeness)
    writer.finish(error)
    store.regroup()


@dataclass
class Setup:
    db: Path
    sources: Path
    args: list[str]


@pytest.fixture
def world(tmp_path: Path) -> Setup:
    """A store with scored calls first seen today (one hostile title), the shipped profile."""
    db = tmp_path / "eumonitor.db"
    now = utc_now()
    soon = now + timedelta(days=10)
    hostile = make_call(
        "CERV-2027-CITIZENS-TOWN-XX", HOSTILE, description=TWINNING.description, deadlines=(soon,)
    )
    store = Store.open(db)
    collect(store, now - timedelta(hours=1), [TWINNING, NETWORKS, YOUTH, hostile])
    match_calls(store, load_profile(SHIPPED), now=now)
    store.close()
    sources = write_sources(
        tmp_path / "sources.yaml", {"id": "eu-portal", "url": "http://127.0.0.1:9/search"}
    )
    return Setup(db, sources, ["--db", str(db), "--profile", str(SHIPPED), "--sources", str(sources)])


def emails_of(recipient_id: str) -> list[str]:
    return list(load_profile(SHIPPED).recipient(recipient_id).emails)


def test_digest_is_sent_once_per_recipient_multipart_and_swedish(
    cli: Invoke, world: Setup, mail: Callable[..., MailServer]
) -> None:
    server = mail()
    first = cli(*world.args, "digest", "--send", env=smtp_env(server.port))
    assert first.exit_code == 0, first.output
    addressed = {address for rcpts, _ in server.received for address in rcpts}
    for recipient in ("kansliet", "ksf", "buf"):
        (message,) = server.to(emails_of(recipient)[0])  # exactly one each
        assert re.match(r"EU-bevakning v\. \d+: \d+ (ny utlysning|nya utlysningar)", message["Subject"])
        assert message.get_content_type() == "multipart/alternative"
        plain, html = message.get_body(("plain",)), message.get_body(("html",))
        assert plain is not None and html is not None
        assert "Varför:" in plain.get_content() and "Sista ansökningsdag" in html.get_content()
    # The hostile title stays in the body: no extra header, no extra recipient, escaped in HTML.
    assert "evil@example.org" not in addressed
    (kansliet,) = server.to(emails_of("kansliet")[0])
    assert kansliet["Bcc"] is None and "evil@example.org" not in str(kansliet["To"])
    assert "&lt;script&gt;" in kansliet.get_body(("html",)).get_content()
    assert "<script>" not in kansliet.get_body(("html",)).get_content()
    count = len(server.received)
    second = cli(*world.args, "digest", "--send", env=smtp_env(server.port))
    assert second.exit_code == 0 and len(server.received) == count  # nothing twice
    assert "redan skickat" in second.stdout


def test_server_down_then_up_delivers_each_digest_once(
    cli: Invoke, world: Setup, mail: Callable[..., MailServer]
) -> None:
    server = mail(start=False)
    down = cli(*world.args, "digest", "--send", env=smtp_env(server.port))
    assert down.exit_code == 1 and "MISSLYCKADES" in down.stdout
    server.start()
    up = cli(*world.args, "digest", "--send", env=smtp_env(server.port))
    assert up.exit_code == 0, up.output
    per_recipient = [len(server.to(emails_of(r)[0])) for r in ("kansliet", "ksf", "buf")]
    assert per_recipient == [1, 1, 1]
    total = len(server.received)
    cli(*world.args, "digest", "--send", env=smtp_env(server.port))
    assert len(server.received) == total


def test_one_refused_recipient_is_retried_alone(
    cli: Invoke, world: Setup, mail: Callable[..., MailServer]
) -> None:
    server = mail()
    buf = emails_of("buf")[0]
    server.refuse.add(buf)
    first = cli(*world.args, "digest", "--send", env=smtp_env(server.port))
    assert first.exit_code == 1
    others = len(server.received)
    assert others >= 2 and server.to(buf) == []
    server.refuse.clear()
    second = cli(*world.args, "digest", "--send", env=smtp_env(server.port))
    assert second.exit_code == 0
    assert len(server.to(buf)) == 1 and len(server.received) == others + 1  # only buf's


def test_preview_writes_eml_and_html_and_sends_nothing(cli: Invoke, world: Setup, tmp_path: Path) -> None:
    folder = tmp_path / "preview"
    result = cli(*world.args, "digest", "--preview", str(folder))
    assert result.exit_code == 0, result.output
    html = folder / f"veckobrev-{result.stdout.split('Veckobrev ')[1][:8]}-kansliet.html"
    assert html.exists() and "Town-Twinning" in html.read_text(encoding="utf-8")
    eml = message_from_bytes(html.with_suffix(".eml").read_bytes(), policy=policy.default)
    assert eml.get_content_type() == "multipart/alternative"
    assert Store.open(world.db).deliveries() == []  # a preview is not a delivery


def test_digest_refuses_bad_usage(cli: Invoke, world: Setup) -> None:
    neither = cli(*world.args, "digest")
    assert neither.exit_code == 2 and "--preview" in neither.stderr
    period = cli(*world.args, "digest", "--preview", "x", "--period", "2026-48")
    assert period.exit_code == 2 and "2026-W48" in period.stderr
    unknown = cli(*world.args, "digest", "--preview", "x", "--recipient", "nobody")
    assert unknown.exit_code == 2 and "okänd mottagare 'nobody'" in unknown.stderr
    no_smtp = cli(*world.args, "digest", "--send", env={"EUMONITOR_SMTP_HOST": ""})
    assert no_smtp.exit_code == 2 and "EUMONITOR_SMTP_HOST saknas" in no_smtp.stderr


def test_reminders_go_once_to_the_enheten_and_the_marking_forvaltning(
    cli: Invoke, world: Setup, mail: Callable[..., MailServer]
) -> None:
    server = mail()
    marked = cli(*world.args, "mark", "CERV-2027-CITIZENS-TOWN-XX", "interesting", "--forvaltning", "buf")
    assert marked.exit_code == 0, marked.output
    first = cli(*world.args, "remind", "--send", env=smtp_env(server.port))
    assert first.exit_code == 0, first.output
    for recipient in ("kansliet", "buf"):
        (message,) = server.to(emails_of(recipient)[0])
        assert "sista ansökningsdag" in message["Subject"].lower()
        assert message.get_body(("plain",)) is not None and message.get_body(("html",)) is not None
    assert server.to(emails_of("sof")[0]) == []
    count = len(server.received)
    again = cli(*world.args, "remind", "--send", env=smtp_env(server.port))
    assert again.exit_code == 0 and len(server.received) == count


def test_a_failing_source_is_told_once_and_once_more_on_recovery(
    cli: Invoke, world: Setup, mail: Callable[..., MailServer]
) -> None:
    server = mail()
    kansliet = emails_of("kansliet")[0]
    store = Store.open(world.db)
    now = utc_now()
    for hours in (3, 2):
        collect(store, now - timedelta(hours=hours), [], error="HTTP 503 från servern")
    cli(*world.args, "remind", "--send", env=smtp_env(server.port))
    assert server.to(kansliet) == []  # two failures: not yet
    collect(store, now - timedelta(hours=1), [], error="HTTP 503 från servern")
    cli(*world.args, "remind", "--send", env=smtp_env(server.port))
    (notice,) = server.to(kansliet)
    assert "HTTP 503" in notice.get_body(("plain",)).get_content()
    status = json.loads(cli(*world.args, "status", "--format", "json").stdout)
    (row,) = status
    assert (row["failures_in_row"], row["outcome"], row["incident"]) == (3, "error", "failing")
    collect(store, now - timedelta(minutes=30), [], error="HTTP 503 från servern")
    cli(*world.args, "remind", "--send", env=smtp_env(server.port))
    assert len(server.to(kansliet)) == 1  # still the same incident
    collect(store, now, [TWINNING, NETWORKS, YOUTH])
    cli(*world.args, "remind", "--send", env=smtp_env(server.port))
    assert len(server.to(kansliet)) == 2
    assert "fungerar igen" in server.to(kansliet)[1].get_body(("plain",)).get_content()
    cli(*world.args, "remind", "--send", env=smtp_env(server.port))
    assert len(server.to(kansliet)) == 2
    assert server.to(emails_of("buf")[0]) == []  # health goes to the enheten only
    store.close()


def test_export_ics_keeps_uids_when_a_deadline_moves(cli: Invoke, world: Setup, tmp_path: Path) -> None:
    path = tmp_path / "deadlines.ics"
    assert cli(*world.args, "export", "ics", "--output", str(path)).exit_code == 0
    first = {str(e["UID"]): e for e in icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")}
    assert first and all(str(e["SUMMARY"]).startswith("Sista dag: ") for e in first.values())
    assert all(e.walk("VALARM") for e in first.values())
    store = Store.open(world.db)
    moved = make_call(TWINNING.key, TWINNING.title, description=TWINNING.description,
                      deadlines=(utc_now() + timedelta(days=40),))  # fmt: skip
    collect(store, utc_now(), [moved, NETWORKS, YOUTH])
    store.close()
    assert cli(*world.args, "export", "ics", "--output", str(path)).exit_code == 0
    second = {str(e["UID"]): e for e in icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")}
    twinning = [uid for uid, e in second.items() if str(e["SUMMARY"]) == "Sista dag: Town-Twinning"]
    (uid,) = twinning
    assert uid in first and second[uid]["DTSTART"].dt != first[uid]["DTSTART"].dt
    assert int(second[uid]["SEQUENCE"]) > int(first[uid].get("SEQUENCE", 0))


def test_export_csv_opens_in_swedish_excel(cli: Invoke, world: Setup, tmp_path: Path) -> None:
    path = tmp_path / "calls.csv"
    assert cli(*world.args, "export", "csv", "--area", "vanort", "--output", str(path)).exit_code == 0
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    header, *rows = data.decode("utf-8-sig").splitlines()
    assert header.split(";")[:2] == ["Titel", "Program"]
    titles = [row.split(";")[0] for row in rows]
    assert "Town-Twinning" in titles and "Youth exchanges" not in titles  # vanort only


def test_a_second_run_while_one_holds_the_lock_says_so_and_exits(cli: Invoke, world: Setup) -> None:
    with run_lock(world.db, "collect"):
        result = cli(*world.args, "match")
    assert result.exit_code == 3
    assert "en annan körning av eumonitor använder databasen (collect, pid" in result.stderr
    assert cli(*world.args, "match").exit_code == 0  # released


def test_the_scheduler_is_wired_to_the_commands_at_their_times() -> None:
    calls: list[list[str]] = []
    scheduler = build_scheduler(load_profile(SHIPPED).schedule, lambda args: calls.append(list(args)) or 0)
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert set(jobs) == {"collect", "digest", "reminders"}
    for job in jobs.values():
        assert job.coalesce is True and job.max_instances == 1 and job.misfire_grace_time == 7200
    friday = datetime.fromisoformat("2026-11-27T12:00:00+01:00")
    upcoming = {key: when.isoformat() for key, when in next_runs(scheduler, friday).items()}
    assert upcoming == {
        "collect": "2026-11-28T06:00:00+01:00",
        "digest": "2026-11-30T07:00:00+01:00",  # Monday
        "reminders": "2026-11-28T07:30:00+01:00",
    }
    for job in jobs.values():
        job.func(*job.args)
    assert calls == [["collect"], ["digest", "--send"], ["remind", "--send"], ["alerts", "--send"]]


def test_schedule_runs_in_the_foreground_and_stops_on_sigterm(world: Setup) -> None:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    command = [sys.executable, "-c", "from monitor.cli import entry; entry()", *world.args, "schedule"]
    daemon = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        line = daemon.stdout.readline()
        assert line.startswith("Schemat startat (Europe/Stockholm)"), line + daemon.stderr.read()
        # A second scheduler on the same database says so and ends.
        second = subprocess.run(command, capture_output=True, text=True, timeout=60, env=env)
        assert second.returncode == 3 and "en annan körning" in second.stderr
        time.sleep(0.2)
        daemon.send_signal(signal.SIGTERM)
        out, err = daemon.communicate(timeout=30)
    finally:
        if daemon.poll() is None:
            daemon.kill()
    assert daemon.returncode == 0, err
    assert "Schemat stoppat." in out and "Avslutar schemat" in err


def test_a_call_marked_not_relevant_never_comes_in_a_digest(
    cli: Invoke, world: Setup, tmp_path: Path
) -> None:
    folder = tmp_path / "preview"
    assert cli(*world.args, "digest", "--preview", str(folder), "--recipient", "kansliet").exit_code == 0
    (before,) = folder.glob("*-kansliet.html")
    assert "Youth exchanges" in before.read_text(encoding="utf-8")
    marked = cli(*world.args, "mark", YOUTH.key, "not-relevant", "--note", "inte för oss")
    assert marked.exit_code == 0, marked.output
    assert cli(*world.args, "digest", "--preview", str(folder), "--recipient", "kansliet").exit_code == 0
    assert "Youth exchanges" not in before.read_text(encoding="utf-8")
    assert "Town-Twinning" in before.read_text(encoding="utf-8")  # the others stay
