"""EUR-Lex RSS feeds (kind `eurlex_rss`): new legislation and Commission proposals as EUR-Lex lists them.

Feeds: ``https://eur-lex.europa.eu/<LANG>/display-feed.rss?rssId=N`` (162 all Parliament and Council
legislation, 161 Commission proposals, 222 OJ L acts, 221 OJ C). No captured answer exists (see
../shared/fixtures/README.md), so the item shape is the documented one (../shared/SOURCES.md):
- title ``CELEX:32026L1472: Directive (EU) 2026/1472 of the European Parliament and of the Council of
  14 October 2026 on …``;
- link ``https://eur-lex.europa.eu/legal-content/AUTO/?uri=CELEX:32026L1472``;
- guid with the Cellar id; an empty description; pubDate in RFC 822.
A Swedish feed (`/SV/`) is assumed to differ only in its titles ("Europaparlamentets och rådets
direktiv (EU) 2026/1472 av den 14 oktober 2026 om …"); unverified.

One item is one act: CELEX from the link, else the guid, else the title; its kind from the CELEX
(monitor.legal.celex_kind), the act type (DIR_IMPL, PROP_REG …, the Cellar codes) from the title's
words; the act's date from the title ("of 14 October 2026", "av den 14 oktober 2026"); `published`
from pubDate. The title goes to title_sv or title_en by the feed's language (the setting, else `/SV/`
in the address, else the channel's language, else English). An item whose CELEX names nothing the
monitor follows (case law, a national measure) is dropped; one without CELEX gives a warning.

The bot check: EUR-Lex sits behind AWS WAF, which answers a client it does not trust with HTTP 202 and
a small HTML page that runs a JavaScript challenge (`gokuProps`, `challenge.js`, header
`x-amzn-waf-action: challenge`). That is a failed fetch (FetchError), never a feed without news: both
fetch() and parse() check for it. feedparser reads the bytes only after monitor.xmlsafe's check.
"""

from __future__ import annotations

import calendar
import email.utils
import io
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import feedparser
import httpx

from monitor.errors import FetchError, ParseError
from monitor.http import Fetched, request
from monitor.legal import CELEX_IN_TEXT, LegalItem, LegalPage, celex_kind, normalize_celex
from monitor.records import MONTHS_SV
from monitor.sources import HttpSettings, Source, register
from monitor.xmlsafe import check_xml

log = logging.getLogger(__name__)

ACCEPT = "application/rss+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
_CHARSET = re.compile(r"""charset\s*=\s*["']?([\w.:-]+)""", re.I)
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)
_TITLE_PREFIX = re.compile(r"^\s*CELEX(?::|%3A)\s*\S+?\s*:\s*", re.I)
_BARE_CELEX = re.compile(r"(?<![\w(])([0-9CE]\d{4}[A-Z]{1,2}\d{4,5}(?:R\(\d+\))?)(?![\w)])")
# What AWS WAF's challenge page holds; a feed never does.
_CHALLENGE_MARKERS = (b"gokuProps", b"awsWafCookieDomainList", b"challenge.js", b"AwsWafIntegration")
_UNFILLED_TEMPLATE = re.compile(r"^\$\{?item\.", re.I)

_MONTHS = {
    "en": [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ],
    "sv": list(MONTHS_SV),
}
_MONTH_NUMBER = {name: number for names in _MONTHS.values() for number, name in enumerate(names, start=1)}
_ACT_DATE = re.compile(
    r"\b(?:of|av den|av)\s+(\d{1,2})\s+(" + "|".join(_MONTH_NUMBER) + r")\s+(\d{4})\b", re.I
)
# Words that name the act's form, most specific first, English and Swedish; → the Cellar type code.
_FORMS = (
    (r"implementing directive|genomförandedirektiv", "DIR_IMPL"),
    (r"delegated directive|delegerade direktiv|delegerat direktiv", "DIR_DEL"),
    (r"directive|direktiv", "DIR"),
    (r"implementing regulation|genomförandeförordning", "REG_IMPL"),
    (r"delegated regulation|delegerade förordning|delegerad förordning", "REG_DEL"),
    (r"regulation|förordning", "REG"),
    (r"implementing decision|genomförandebeslut", "DEC_IMPL"),
    (r"delegated decision|delegerade beslut|delegerat beslut", "DEC_DEL"),
    (r"decision|beslut", "DEC"),
)
_PROPOSAL = re.compile(r"\b(?:proposal for|förslag till)\b", re.I)
_KIND_CODE = {"directive": "DIR", "regulation": "REG", "decision": "DEC"}


@dataclass
class EurlexRssSettings(HttpSettings):
    language: str | None = field(
        default=None,
        metadata={"help": "flödets språk, sv eller en; annars från adressen (/SV/) eller flödet"},
    )

    def check(self) -> list[tuple[str, str]]:
        problems = super().check()
        if self.language is not None and self.language.lower() not in ("sv", "en"):
            problems.append(("language", f"måste vara sv eller en, inte {self.language!r}."))
        return problems


@register("eurlex_rss")
class EurlexRssSource(Source):
    """EUR-Lex RSS (ny lagstiftning, kommissionens förslag): CELEX och typ av akt ur varje post."""

    Settings = EurlexRssSettings

    def fetch(self, client: httpx.Client) -> Iterator[Fetched]:
        s = self.settings
        fetched = request(
            client, "GET", self.config.url, s.policy(), headers={"Accept": ACCEPT}, timeout=s.timeout
        )
        check_challenge(fetched)
        yield fetched

    def parse(self, fetched: Fetched) -> LegalPage:  # type: ignore[override]
        return parse_feed(fetched, self.config.id, self.settings.language)


def check_challenge(fetched: Fetched) -> None:
    """FetchError when the answer is EUR-Lex's bot check instead of the feed."""
    action = next((v for k, v in fetched.headers.items() if k.lower() == "x-amzn-waf-action"), None)
    head = fetched.content[:20_000]
    marked = any(marker in head for marker in _CHALLENGE_MARKERS)
    if fetched.status == 202 or action or marked:
        what = f"HTTP {fetched.status}" + (f", x-amzn-waf-action: {action}" if action else "")
        raise FetchError(
            f"{fetched.url}: EUR-Lex svarade med sin robotkontroll ({what}) i stället för flödet; "
            "inga poster lästes. Försök senare eller använd källan cellar_sparql.",
            status=fetched.status,
        )


def feed_language(fetched: Fetched, feed: dict, setting: str | None) -> str:
    """ "sv" or "en": the setting, else the address's /SV/, else the channel's language, else English."""
    if setting:
        return setting.lower()
    if "/SV/" in fetched.url.upper():
        return "sv"
    channel = (feed.get("feed") or {}).get("language") or ""
    return "sv" if channel.lower().startswith("sv") else "en"


def parse_feed(fetched: Fetched, source_id: str, language: str | None = None) -> LegalPage:
    """One fetched feed → one LegalItem per item that names an act the monitor follows. Pure."""
    check_challenge(fetched)
    check_xml(fetched.content, fetched.url)
    feed = feedparser.parse(io.BytesIO(fetched.content), response_headers=_feed_headers(fetched))
    entries = feed.get("entries") or []
    if not entries:
        problem = feed.get("bozo_exception") if feed.get("bozo") else None
        detail = f" ({type(problem).__name__}: {problem})" if problem else ""
        raise ParseError(f"{fetched.url}: flödet innehåller inga poster{detail}")
    lang = feed_language(fetched, feed, language)
    warnings: list[str] = []
    if feed.get("bozo"):
        problem = feed.get("bozo_exception")
        warnings.append(
            f"flödet har fel ({type(problem).__name__}: {problem}); {len(entries)} poster lästes ändå"
        )
    items: dict[str, LegalItem] = {}
    dropped = 0
    for position, entry in enumerate(entries, start=1):
        try:
            item = item_from_entry(entry, source_id, lang)
        except ValueError as exc:
            warnings.append(f"post {position}: {exc}")
            continue
        if item is None or item.id in items:
            dropped += 1
            continue
        items[item.id] = item
    return LegalPage(
        items=list(items.values()), rows=len(entries), dropped=dropped, warnings=warnings, complete=False
    )


def parse_items(content: bytes, source_id: str = "eurlex", language: str = "en") -> list[LegalItem]:
    """The acts in a feed's bytes (pure)."""
    return parse_feed(Fetched(url="eurlex-feed", content=content), source_id, language).items


def entry_celex(entry: dict) -> str | None:
    """The item's CELEX: from the link, else the guid, else the title (prefixed or bare)."""
    title = _plain(entry.get("title"))
    for text in (entry.get("link"), entry.get("id"), title):
        if not text:
            continue
        found = CELEX_IN_TEXT.search(text)
        if found and (celex := normalize_celex(found.group(1))):
            return celex
    bare = _BARE_CELEX.search(title)
    return normalize_celex(bare.group(1)) if bare else None


def cellar_id(text: str | None) -> str | None:
    """`cellar:55b240bf-…_2026-09-15T00:05:50` or `…/resource/cellar/55b240bf-…` → "cellar:55b240bf-…"."""
    found = _UUID.search(text or "")
    return f"cellar:{found.group(0).lower()}" if found else None


def act_type(title: str, kind: str) -> str | None:
    """The Cellar type code of the act the title names (DIR_IMPL, PROP_REG …), or None.

    The form named first counts ("Regulation … amending Directive …" is a regulation), and only a
    form that agrees with the CELEX's kind: the kind's plain form (DIR, REG, DEC) when none does.
    """
    text = title.lower()
    proposal = kind == "proposal" or bool(_PROPOSAL.search(text))
    if proposal:
        found = _PROPOSAL.search(text)  # the proposed act's form follows "proposal for a"
        text = text[found.end() :] if found else text
    wanted = _KIND_CODE.get(kind)
    best: tuple[int, int, str] | None = None
    for rank, (pattern, code) in enumerate(_FORMS):
        if wanted and not code.startswith(wanted):
            continue
        found = re.search(r"\b(?:" + pattern + r")", text)
        if found and (best is None or (found.start(), rank) < best[:2]):
            best = (found.start(), rank, code)
    if best is None:
        return wanted
    return "PROP_" + best[2].split("_", 1)[0] if proposal else best[2]


def act_date(title: str) -> date | None:
    """The act's own date in its title: "… of 14 October 2026 on …", "… av den 14 oktober 2026 om …"."""
    found = _ACT_DATE.search(title)
    if not found:
        return None
    try:
        return date(int(found.group(3)), _MONTH_NUMBER[found.group(2).lower()], int(found.group(1)))
    except ValueError:
        return None


def item_from_entry(entry: dict, source_id: str, language: str = "en") -> LegalItem | None:
    """One feed item → a LegalItem; None for an act the monitor does not follow; ValueError without CELEX."""
    raw_title = _plain(entry.get("title"))
    if _UNFILLED_TEMPLATE.match(raw_title):
        raw_title = ""  # the server's template was never filled in ($item.title)
    celex = entry_celex(entry)
    if celex is None:
        raise ValueError(f"inget CELEX-nummer i länk, guid eller titel ({raw_title[:80] or 'utan titel'})")
    kind = celex_kind(celex)
    if kind is None:
        return None
    title = _TITLE_PREFIX.sub("", raw_title).strip() or None
    published = _entry_day(entry)
    return LegalItem.for_act(
        celex,
        kind,
        source_id,
        other_id=cellar_id(entry.get("id")),
        act_type=act_type(title or "", kind),
        title_sv=title if language == "sv" else None,
        title_en=title if language != "sv" else None,
        date=act_date(title or ""),
        published=published,
        summary=_plain(entry.get("summary")),
    )


def _plain(value: object) -> str:
    return " ".join(value.split()) if isinstance(value, str) else ""


def _entry_day(entry: dict) -> date | None:
    """The day of pubDate as written (its own offset), else as feedparser read it (UTC)."""
    for name in ("published", "updated"):
        text = entry.get(name)
        if isinstance(text, str) and text.strip():
            try:
                return email.utils.parsedate_to_datetime(text).date()
            except (TypeError, ValueError):
                pass
    for name in ("published_parsed", "updated_parsed"):
        parsed = entry.get(name)
        if parsed:
            return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC).date()
    return None


def _feed_headers(fetched: Fetched) -> dict[str, str]:
    """Our URL and the server's charset under an XML media type (as monitor.sources.rss does, and why)."""
    content_type = next((v for k, v in fetched.headers.items() if k.lower() == "content-type"), "")
    charset = _CHARSET.search(content_type)
    given = "application/xml" + (f"; charset={charset.group(1)}" if charset else "")
    return {"content-location": fetched.url, "content-type": given}


__all__ = [
    "EurlexRssSettings",
    "EurlexRssSource",
    "act_date",
    "act_type",
    "cellar_id",
    "check_challenge",
    "entry_celex",
    "feed_language",
    "item_from_entry",
    "parse_feed",
    "parse_items",
]
