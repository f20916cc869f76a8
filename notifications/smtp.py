"""Sending, thinly: SMTP settings from the environment and one function that hands a message over.

    EUMONITOR_SMTP_HOST       required
    EUMONITOR_SMTP_PORT       default 587 (starttls), 465 (ssl), 25 (none)
    EUMONITOR_SMTP_SECURITY   starttls (default) | ssl | none
    EUMONITOR_SMTP_USER       optional; with it EUMONITOR_SMTP_PASSWORD is required
    EUMONITOR_SMTP_PASSWORD
    EUMONITOR_SMTP_FROM       required, e.g. "EU-bevakning <eu@amal.se>"

The password is never in a repr, a log line or an error message. What was delivered is the
store's delivery log's business; `delivery_key()` names one delivery for it.
"""

from __future__ import annotations

import logging
import os
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import parseaddr

from notifications.errors import NotifyError

log = logging.getLogger(__name__)

SECURITIES = ("starttls", "ssl", "none")
DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}
PREFIX = "EUMONITOR_SMTP_"


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    security: str
    sender: str
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    timeout: float = 30.0

    def __repr__(self) -> str:
        # Spelled out rather than trusting field(repr=False) alone: this is the one promise to keep.
        secret = "***" if self.password else None
        return (
            f"SmtpSettings(host={self.host!r}, port={self.port}, security={self.security!r}, "
            f"sender={self.sender!r}, user={self.user!r}, password={secret!r}, timeout={self.timeout})"
        )

    __str__ = __repr__

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> SmtpSettings:
        """Read and check the EUMONITOR_SMTP_* variables; NotifyError names the first bad one."""
        env = os.environ if env is None else env

        def get(name: str) -> str:
            return (env.get(PREFIX + name) or "").strip()

        host = get("HOST")
        if not host:
            raise NotifyError(
                f"{PREFIX}HOST saknas: ange e-postserverns namn, t.ex. smtp.example.se "
                f"({PREFIX}HOST is not set)"
            )
        security = (get("SECURITY") or "starttls").lower()
        if security not in SECURITIES:
            raise NotifyError(
                f"{PREFIX}SECURITY={security!r} är ogiltig: välj starttls, ssl eller none "
                f"({PREFIX}SECURITY must be starttls, ssl or none)"
            )
        port_text = get("PORT")
        if port_text:
            try:
                port = int(port_text)
            except ValueError:
                port = 0
            if not 0 < port < 65536:
                raise NotifyError(
                    f"{PREFIX}PORT={port_text!r} är ogiltig: ange ett portnummer 1–65535 "
                    f"({PREFIX}PORT must be a number from 1 to 65535)"
                )
        else:
            port = DEFAULT_PORTS[security]
        sender = get("FROM")
        _, address = parseaddr(sender)
        if not sender:
            raise NotifyError(
                f'{PREFIX}FROM saknas: ange avsändaradressen, t.ex. "EU-bevakning <eu@amal.se>" '
                f"({PREFIX}FROM is not set)"
            )
        if "@" not in address or any(c in sender for c in "\r\n"):
            raise NotifyError(
                f"{PREFIX}FROM={sender!r} är ingen e-postadress ({PREFIX}FROM is not an e-mail address)"
            )
        user = get("USER") or None
        # The password is taken as written: spaces can be part of it.
        password = env.get(PREFIX + "PASSWORD") or None
        if user and not password:
            raise NotifyError(
                f"{PREFIX}PASSWORD saknas fast {PREFIX}USER är satt ({PREFIX}PASSWORD is not set but "
                f"{PREFIX}USER is)"
            )
        if password and not user:
            raise NotifyError(
                f"{PREFIX}USER saknas fast {PREFIX}PASSWORD är satt ({PREFIX}USER is not set but "
                f"{PREFIX}PASSWORD is)"
            )
        # smtplib sends AUTH as ASCII only; say so here rather than fail at the first send.
        for name, value in (("USER", user), ("PASSWORD", password)):
            if value and not value.isascii():
                raise NotifyError(
                    f"{PREFIX}{name} innehåller tecken utanför ASCII (å, ä, ö …), som SMTP-inloggningen "
                    f"inte kan skicka ({PREFIX}{name} must be ASCII)"
                )
        return cls(host=host, port=port, security=security, sender=sender, user=user, password=password)


def delivery_key(kind: str, recipient_id: str, period_or_key: str) -> str:
    """The delivery log's key for one message: "digest:ksf:2026-W48". Sent once per key."""
    for part in (kind, recipient_id):
        if not part or ":" in part:
            raise ValueError(f"delivery key part must be non-empty and without ':': {part!r}")
    return f"{kind}:{recipient_id}:{period_or_key}"


def _scrub(text: str, settings: SmtpSettings) -> str:
    if settings.password:
        text = text.replace(settings.password, "***")
    return text


def send(settings: SmtpSettings, message: EmailMessage) -> None:
    """Hand the message to the SMTP server; NotifyError (without the password) when that fails."""
    context = ssl.create_default_context()
    try:
        if settings.security == "ssl":
            client: smtplib.SMTP = smtplib.SMTP_SSL(
                settings.host, settings.port, timeout=settings.timeout, context=context
            )
        else:
            client = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
        with client:
            if settings.security == "starttls":
                client.starttls(context=context)
            if settings.user and settings.password:
                client.login(settings.user, settings.password)
            refused = client.send_message(message, from_addr=parseaddr(settings.sender)[1])
    except (smtplib.SMTPException, OSError, UnicodeError) as error:
        detail = _scrub(f"{type(error).__name__}: {error}", settings)
        # `from None`: the original exception's args are not ours to vouch for.
        raise NotifyError(
            f"Kunde inte skicka e-post via {settings.host}:{settings.port} ({detail})"
        ) from None
    if refused:
        # Some addresses accepted: the message went out; say which ones did not get it.
        log.warning("SMTP server refused %d recipient(s): %s", len(refused), ", ".join(sorted(refused)))
