"""What every message shares: the Jinja environment, the view of one call, and assembly of the e-mail.

Scraped text (titles, programmes, reasons, error messages) only ever reaches the body: the HTML
template escapes it (autoescape), the text part gets it with line breaks folded to spaces, and
headers are made from our own words, counts and the profile's addresses only.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import jinja2

from notifications import dates
from notifications.errors import NotifyError
from notifications.model import DigestCall

TEMPLATES = Path(__file__).parent / "templates"
# A deadline this close gets the red badge.
SOON_DAYS = 14

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]+")
_SPACES = re.compile(r"\s+")


@cache
def environment() -> jinja2.Environment:
    """Autoescape for *.html.j2 only: the text part must not get &amp; in it."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=lambda name: bool(name) and name.endswith(".html.j2"),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render(template: str, **context: object) -> str:
    return environment().get_template(template).render(**context)


def clean(text: str | None) -> str:
    """Scraped text on one line: control characters and runs of space folded to one space."""
    if not text:
        return ""
    return _SPACES.sub(" ", _CONTROL.sub(" ", text)).strip()


def safe_url(url: str | None) -> str | None:
    """The URL if it is http(s), else None: a scraped "javascript:" link is not a link."""
    url = clean(url)
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def plural(count: int, one: str, many: str) -> str:
    """ "1 ny utlysning", "5 nya utlysningar" """
    return f"{count} {one if count == 1 else many}"


@dataclass(frozen=True)
class CallView:
    """One call as the templates show it: every string already Swedish and cleaned."""

    title: str
    url: str | None
    programme: str
    deadline: str
    days_left: str
    soon: bool
    passed: bool
    score: int
    why: str
    sources: str
    ineligible: str | None
    change: str | None


def call_view(call: DigestCall, now: datetime, area: str | None = None) -> CallView:
    """The call's view; `area` picks the score shown (the section's area), else its best score."""
    days = dates.days_left(call.deadline, now) if call.deadline else None
    passed = call.deadline is not None and call.deadline < now
    ineligible = None
    if not call.eligible:
        ineligible = clean(call.ineligible_reason) or "villkoren utesluter kommuner"
    return CallView(
        title=clean(call.title) or "(utlysning utan titel)",
        url=safe_url(call.url),
        programme=clean(call.programme),
        deadline=dates.format_deadline(call.deadline, call.deadline_precision),
        days_left=dates.days_left_text(call.deadline, now)
        if call.deadline and call.deadline_precision != "unknown"
        else "",
        soon=days is not None and not passed and days <= SOON_DAYS,
        passed=passed,
        score=call.score_in(area) if area else call.score,
        why=", ".join(w for w in (clean(w) for w in _why(call, area)) if w),
        sources=", ".join(s for s in (clean(s) for s in call.sources) if s),
        ineligible=ineligible,
        change=change_text(call),
    )


def _why(call: DigestCall, area: str | None) -> list[str]:
    if area and area in call.why_by_area:
        return call.why_by_area[area]
    return call.why


def change_text(call: DigestCall) -> str | None:
    """ "Sista ansökningsdag flyttad från … till …" or "Öppen igen"."""
    if call.change == "deadline_moved":
        old = dates.format_deadline(call.old_deadline, call.old_deadline_precision)
        new = dates.format_deadline(call.deadline, call.deadline_precision)
        return f"Sista ansökningsdag flyttad från {old} till {new}"
    if call.change == "reopened":
        return "Öppen för ansökningar igen"
    return None


def _address(text: str, name: str = "") -> Address:
    """An address from the profile or the environment; refused if it could smuggle a header."""
    if _CONTROL.search(text) or _CONTROL.search(name):
        raise NotifyError(f"Ogiltig e-postadress {text!r} (invalid e-mail address)")
    display, spec = parseaddr(text)
    if "@" not in spec or spec != spec.strip() or " " in spec:
        raise NotifyError(f"Ogiltig e-postadress {text!r} (invalid e-mail address)")
    username, domain = spec.rsplit("@", 1)
    return Address(display_name=name or display, username=username, domain=domain)


def message_id(key: str, now: datetime, sender: str) -> str:
    """Deterministic for one delivery key and time: a retried send carries the same Message-ID."""
    domain = _address(sender).domain or "eumonitor.invalid"
    stamp = now.astimezone(UTC).strftime("%Y%m%d%H%M%S")
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
    return f"<eumonitor.{stamp}.{digest}@{domain}>"


def assemble(
    *,
    subject: str,
    text: str,
    html: str,
    sender: str,
    to: Iterable[str],
    to_name: str = "",
    now: datetime,
    key: str,
) -> EmailMessage:
    """A multipart/alternative message (text/plain, then text/html), both UTF-8.

    `subject` must be our own words: callers build it from counts and the week only.
    """
    recipients = [_address(address, clean(to_name)) for address in to]
    if not recipients:
        raise NotifyError("Mottagaren saknar e-postadress (recipient has no e-mail address)")
    message = EmailMessage()
    # EmailMessage refuses CR/LF in a header value, a second guard after `clean`.
    message["Subject"] = clean(subject)
    message["From"] = _address(sender)
    message["To"] = recipients
    message["Date"] = format_datetime(now.astimezone(UTC))
    message["Message-ID"] = message_id(key, now, sender)
    message["Auto-Submitted"] = "auto-generated"
    # Quoted-printable keeps lines short and the bytes 7-bit, whatever the server supports.
    message.set_content(text, subtype="plain", charset="utf-8", cte="quoted-printable")
    message.add_alternative(html, subtype="html", charset="utf-8", cte="quoted-printable")
    return message


def views(calls: Sequence[DigestCall], now: datetime, area: str | None = None) -> list[CallView]:
    return [call_view(call, now, area) for call in calls]
