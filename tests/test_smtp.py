"""SMTP settings from the environment, and sending to a real SMTP server (aiosmtpd) on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from zoneinfo import ZoneInfo

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, Envelope, LoginPassword
from helpers import free_port

from notifications.digest import build_digest, select_for_recipient
from notifications.errors import NotifyError
from notifications.model import AreaInfo, DigestCall, Recipient
from notifications.smtp import SmtpSettings, delivery_key, send

PASSWORD = "hemligt-L0sen-42"
NOW = datetime(2026, 11, 23, 7, 0, tzinfo=ZoneInfo("Europe/Stockholm"))
BASE = {"EUMONITOR_SMTP_HOST": "smtp.amal.se", "EUMONITOR_SMTP_FROM": "EU-bevakning <eu@amal.se>"}


# --- settings ----------------------------------------------------------------------------------


def test_settings_from_env_with_defaults() -> None:
    settings = SmtpSettings.from_env(BASE)
    assert (settings.host, settings.port, settings.security) == ("smtp.amal.se", 587, "starttls")
    assert settings.sender == "EU-bevakning <eu@amal.se>"
    assert (settings.user, settings.password) == (None, None)
    assert SmtpSettings.from_env({**BASE, "EUMONITOR_SMTP_SECURITY": "SSL"}).port == 465
    assert SmtpSettings.from_env({**BASE, "EUMONITOR_SMTP_SECURITY": "none"}).port == 25


def test_settings_with_login_never_show_the_password() -> None:
    env = {
        **BASE,
        "EUMONITOR_SMTP_PORT": "2525",
        "EUMONITOR_SMTP_USER": "eu-bevakning",
        "EUMONITOR_SMTP_PASSWORD": PASSWORD,
    }
    settings = SmtpSettings.from_env(env)
    assert (settings.port, settings.user, settings.password) == (2525, "eu-bevakning", PASSWORD)
    for shown in (repr(settings), str(settings), f"{settings}", f"{settings!r}"):
        assert PASSWORD not in shown
        assert "***" in shown


def test_settings_read_os_environ_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in BASE.items():
        monkeypatch.setenv(key, value)
    assert SmtpSettings.from_env().host == "smtp.amal.se"


@pytest.mark.parametrize(
    ("env", "names"),
    [
        ({"EUMONITOR_SMTP_FROM": "eu@amal.se"}, "EUMONITOR_SMTP_HOST saknas"),
        ({**BASE, "EUMONITOR_SMTP_FROM": ""}, "EUMONITOR_SMTP_FROM saknas"),
        ({**BASE, "EUMONITOR_SMTP_FROM": "inte en adress"}, "EUMONITOR_SMTP_FROM='inte en adress' är ingen"),
        ({**BASE, "EUMONITOR_SMTP_PORT": "smtp"}, "EUMONITOR_SMTP_PORT='smtp' är ogiltig"),
        ({**BASE, "EUMONITOR_SMTP_PORT": "70000"}, "EUMONITOR_SMTP_PORT='70000' är ogiltig"),
        ({**BASE, "EUMONITOR_SMTP_SECURITY": "tls"}, "EUMONITOR_SMTP_SECURITY='tls' är ogiltig"),
        ({**BASE, "EUMONITOR_SMTP_USER": "eu"}, "EUMONITOR_SMTP_PASSWORD saknas"),
        ({**BASE, "EUMONITOR_SMTP_PASSWORD": PASSWORD}, "EUMONITOR_SMTP_USER saknas"),
        (
            {**BASE, "EUMONITOR_SMTP_USER": "eu", "EUMONITOR_SMTP_PASSWORD": "Lösen" + PASSWORD},
            "EUMONITOR_SMTP_PASSWORD innehåller tecken utanför ASCII",
        ),
    ],
)
def test_bad_settings_name_the_variable(env: dict[str, str], names: str) -> None:
    with pytest.raises(NotifyError) as caught:
        SmtpSettings.from_env(env)
    assert names in str(caught.value)
    assert PASSWORD not in str(caught.value)


def test_delivery_key() -> None:
    assert delivery_key("digest", "ksf", "2026-W48") == "digest:ksf:2026-W48"
    assert delivery_key("reminder", "enheten", "sedia:TT/7/2026-12-11T16:00:00Z").count(":") >= 2
    with pytest.raises(ValueError):
        delivery_key("digest", "a:b", "2026-W48")


# --- sending -----------------------------------------------------------------------------------


class Inbox:
    """aiosmtpd handler that keeps what it receives."""

    def __init__(self) -> None:
        self.envelopes: list[Envelope] = []

    async def handle_DATA(self, server: object, session: object, envelope: Envelope) -> str:
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


def authenticate(
    server: object, session: object, envelope: object, mechanism: str, auth_data: object
) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
        b"eu-bevakning",
        PASSWORD.encode(),
    )
    # handled=False: let aiosmtpd answer 535 itself on a failure.
    return AuthResult(success=ok, handled=False)


@pytest.fixture
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(
        inbox, hostname="127.0.0.1", port=port, authenticator=authenticate, auth_require_tls=False
    )
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def settings_for(port: int, **overrides: str) -> SmtpSettings:
    env = {
        **BASE,
        "EUMONITOR_SMTP_HOST": "127.0.0.1",
        "EUMONITOR_SMTP_PORT": str(port),
        "EUMONITOR_SMTP_SECURITY": "none",
        **overrides,
    }
    settings = SmtpSettings.from_env(env)
    return SmtpSettings(**{**settings.__dict__, "timeout": 5.0})


def digest_message() -> EmailMessage:
    areas = [AreaInfo("vanort", "Vänortssamarbete och kommunala partnerskap")]
    call = DigestCall(
        id="sedia:TT",
        title="Town twinning <script>x</script>\r\nBcc: x@example.org",
        url="https://example.org/tt",
        score=90,
        best_area="vanort",
        why=["town twinning"],
        first_seen=NOW,
    )
    recipient = Recipient("ksf", "Kommunstyrelseförvaltningen", ["ksf@amal.se", "chef@amal.se"], "all", 40)
    digest = select_for_recipient([call], recipient, None, NOW, areas=areas)
    return build_digest(digest, municipality_name="Åmåls kommun", sender="EU-bevakning <eu@amal.se>", now=NOW)


def test_send_delivers_both_parts(smtp_server: tuple[Inbox, int]) -> None:
    inbox, port = smtp_server
    send(settings_for(port), digest_message())
    (envelope,) = inbox.envelopes
    assert envelope.mail_from == "eu@amal.se"
    # Only the recipient's own addresses: the scraped "Bcc:" reached nobody.
    assert sorted(envelope.rcpt_tos) == ["chef@amal.se", "ksf@amal.se"]
    received = message_from_bytes(envelope.original_content, policy=policy.default)
    assert received["Subject"] == "EU-bevakning v. 48: 1 ny utlysning"
    assert received["Bcc"] is None
    assert [p.get_content_type() for p in received.iter_parts()] == ["text/plain", "text/html"]
    assert (
        "Town twinning <script>x</script> Bcc: x@example.org" in received.get_body(("plain",)).get_content()
    )
    assert "&lt;script&gt;" in received.get_body(("html",)).get_content()
    assert "Vänortssamarbete" in received.get_body(("html",)).get_content()


def test_send_logs_in_when_a_user_is_set(smtp_server: tuple[Inbox, int]) -> None:
    inbox, port = smtp_server
    send(
        settings_for(port, EUMONITOR_SMTP_USER="eu-bevakning", EUMONITOR_SMTP_PASSWORD=PASSWORD),
        digest_message(),
    )
    assert len(inbox.envelopes) == 1


def test_a_refused_login_is_a_notify_error_without_the_password(smtp_server: tuple[Inbox, int]) -> None:
    inbox, port = smtp_server
    wrong = "fel-" + PASSWORD
    with pytest.raises(NotifyError) as caught:
        send(
            settings_for(port, EUMONITOR_SMTP_USER="eu-bevakning", EUMONITOR_SMTP_PASSWORD=wrong),
            digest_message(),
        )
    assert "Kunde inte skicka e-post via 127.0.0.1" in str(caught.value)
    assert "SMTPAuthenticationError" in str(caught.value)
    assert wrong not in str(caught.value)
    assert caught.value.__cause__ is None
    assert inbox.envelopes == []


def test_nothing_listening_is_a_notify_error_without_the_password() -> None:
    port = free_port()
    settings = settings_for(port, EUMONITOR_SMTP_USER="eu-bevakning", EUMONITOR_SMTP_PASSWORD=PASSWORD)
    with pytest.raises(NotifyError) as caught:
        send(settings, digest_message())
    text = str(caught.value)
    assert f"127.0.0.1:{port}" in text
    assert "ConnectionRefusedError" in text
    assert PASSWORD not in text
    assert PASSWORD not in repr(caught.value)
