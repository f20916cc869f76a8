"""RSS 2.0 and Atom feeds of calls (kind `rss`): Tillväxtverket's Sitevision portlet, MUCF, UHR …

feedparser reads the bytes our client fetched, never a URL of its own (it would fetch it itself), and
only after monitor.xmlsafe has refused entity declarations. It is given the server's charset, if
any, and the feed's URL (relative links resolve against it); see _feed_headers for why not the
server's media type.

One entry is one call:
- key: the entry's guid / Atom id, else its link (an entry with neither is skipped with a warning);
- title and text: HTML turned into text when the feed says the field is HTML;
- opening and deadline: read from the title and text with monitor.dates ("Öppnar 12 augusti 2026",
  "Stänger 15 mars 2027 kl. 16.00"), in Stockholm time, precision kept. The feed's own dates
  (pubDate, updated) say when the entry was published: they are no deadline, only the reference
  year for dates written without one;
- regions: the entry's categories that name Swedish regions or programme areas, else the `regions`
  of sources.yaml, else none (the source does not limit the call);
- official ids: EU topic identifiers in the title or text (CERV-2027-CITIZENS-TOWN-TT) and
  Tillväxtverket's own number from its call URLs (`…/<slug>.7085.html` → "tillvaxtverket:7085").

A feed that parses with errors but yields entries gives a warning; one without entries is a ParseError.
"""

from __future__ import annotations

import calendar
import email.utils
import io
import logging
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import feedparser
import httpx

from monitor import dates
from monitor.errors import ParseError
from monitor.http import Fetched, request
from monitor.identifiers import official_ids
from monitor.legal import LegalItem, LegalPage, Subject
from monitor.records import STOCKHOLM, Call
from monitor.sources import HttpSettings, Listing, ParsedPage, Source, register
from monitor.text import html_to_text
from monitor.xmlsafe import check_xml

log = logging.getLogger(__name__)

ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
HTML_TYPES = ("text/html", "application/xhtml+xml")
_CHARSET = re.compile(r"""charset\s*=\s*["']?([\w.:-]+)""", re.I)

# Category names that say where a call is open: Sweden's 21 counties (regions), the Regional
# Development Fund's programme areas, and all of Sweden. A category is matched without case,
# "Region " or " län" (genitive too: "Hallands län"), and stored under the name given here, which
# is what monitor.regions compares with the municipality's own regions.
COUNTIES = (
    "Stockholm",
    "Uppsala",
    "Södermanland",
    "Östergötland",
    "Jönköping",
    "Kronoberg",
    "Kalmar",
    "Gotland",
    "Blekinge",
    "Skåne",
    "Halland",
    "Västra Götaland",
    "Värmland",
    "Örebro",
    "Västmanland",
    "Dalarna",
    "Gävleborg",
    "Västernorrland",
    "Jämtland Härjedalen",
    "Västerbotten",
    "Norrbotten",
)
PROGRAMME_AREAS = (
    "Västsverige",
    "Sydsverige",
    "Småland och öarna",
    "Östra Mellansverige",
    "Norra Mellansverige",
    "Mellersta Norrland",
    "Övre Norrland",
)
ALL_OF_SWEDEN = "Hela Sverige"
_REGION_ALIASES = {
    "jämtland": "Jämtland Härjedalen",
    "västra götalandsregionen": "Västra Götaland",
    "sverige": ALL_OF_SWEDEN,
    "nationell": ALL_OF_SWEDEN,
    "nationellt": ALL_OF_SWEDEN,
    "hela landet": ALL_OF_SWEDEN,
}


@dataclass
class RssSettings(HttpSettings):
    programme: str | None = field(
        default=None, metadata={"help": "program eller finansiär som utlysningarna får, t.ex. Tillväxtverket"}
    )
    regions: list[str] = field(
        default_factory=list,
        metadata={
            "help": "regioner utlysningarna är öppna för när flödet inte säger det (t.ex. Västsverige)"
        },
    )
    keep: str | None = field(
        default=None,
        metadata={
            "help": "reguljärt uttryck (skiftlägesokänsligt): bara poster vars titel matchar blir "
            "utlysningar; för nyhetsflöden som blandar utlysningar med annat"
        },
    )
    complete: bool = field(
        default=True,
        metadata={
            "help": "flödet listar alla aktuella utlysningar, så en som faller ur det är stängd; "
            "false för nyhetsflöden som bara visar de senaste posterna"
        },
    )
    records: str = field(
        default="calls",
        metadata={
            "help": "calls: posterna är utlysningar; referrals: posterna är svenska remisser och "
            "lagrådsremisser (Regeringen.se) och går till direktivbevakningen"
        },
    )

    def check(self) -> list[tuple[str, str]]:
        problems = super().check()
        if self.keep is not None:
            try:
                re.compile(self.keep)
            except re.error as exc:
                problems.append(("keep", f"är inget giltigt reguljärt uttryck ({exc})."))
        if any(not r.strip() for r in self.regions):
            problems.append(("regions", "får inte innehålla tomma namn."))
        if self.programme is not None and not self.programme.strip():
            problems.append(("programme", "får inte vara tom; ta bort nyckeln i stället."))
        if self.records not in ("calls", "referrals"):
            problems.append(("records", f"måste vara calls eller referrals, inte {self.records!r}."))
        return problems


@register("rss")
class RssSource(Source):
    """RSS- eller Atom-flöde med utlysningar (Tillväxtverket, MUCF …): datum ur varje posts text."""

    Settings = RssSettings

    def fetch(self, client: httpx.Client) -> Iterator[Fetched]:
        s = self.settings
        yield request(
            client, "GET", self.config.url, s.policy(), headers={"Accept": ACCEPT}, timeout=s.timeout
        )

    def parse(self, fetched: Fetched) -> ParsedPage:
        if self.settings.records == "referrals":
            return parse_referrals(fetched, self.config.id)  # type: ignore[return-value]
        return parse_feed(fetched, self.config.id, self.settings)


# --- pure ------------------------------------------------------------------------------------


def parse_feed(fetched: Fetched, source_id: str, settings: RssSettings | None = None) -> ParsedPage:
    """One fetched feed → one listing per entry. Pure: the bytes and headers are all it reads."""
    settings = settings or RssSettings()
    check_xml(fetched.content, fetched.url)
    feed = feedparser.parse(io.BytesIO(fetched.content), response_headers=_feed_headers(fetched))
    entries = feed.get("entries") or []
    if not entries:
        raise ParseError(_no_entries_message(fetched, feed))

    warnings: list[str] = []
    if feed.get("bozo"):
        problem = feed.get("bozo_exception")
        warnings.append(
            f"flödet har fel ({type(problem).__name__}: {problem}); {len(entries)} poster lästes ändå"
        )
    keep = re.compile(settings.keep, re.I) if settings.keep else None
    channel = feed.get("feed") or {}
    language = channel.get("language") or None
    home = (channel.get("link") or "").strip() or fetched.url  # for an entry that links nowhere
    response_day = _http_date(fetched.headers)

    best: dict[str, Listing] = {}
    dropped = 0
    for position, entry in enumerate(entries, start=1):
        title = _text(entry, "title")
        if keep is not None and not keep.search(title):
            dropped += 1
            continue
        try:
            call = call_from_entry(entry, source_id, settings, language, response_day, home)
        except ValueError as exc:
            warnings.append(f"post {position} ({title or 'utan titel'}): {exc}")
            continue
        listing = Listing.of(call, (int(bool(call.description)), len(call.deadlines)))
        kept = best.get(listing.id)
        if kept is None or listing.completeness > kept.completeness:
            dropped += kept is not None
            best[listing.id] = listing
        else:
            dropped += 1
    return ParsedPage(
        listings=list(best.values()),
        rows=len(entries),
        dropped=dropped,
        warnings=warnings,
        complete=settings.complete,
    )


def parse_referrals(fetched: Fetched, source_id: str) -> LegalPage:
    """A Swedish government feed (Regeringen.se: remisser, lagrådsremisser) → referral legal items.

    Pure. The entry's categories (departement, policy area) become its subjects, for routing."""
    check_xml(fetched.content, fetched.url)
    feed = feedparser.parse(io.BytesIO(fetched.content), response_headers=_feed_headers(fetched))
    entries = feed.get("entries") or []
    if not entries:
        raise ParseError(_no_entries_message(fetched, feed))
    items: dict[str, LegalItem] = {}
    warnings: list[str] = []
    for position, entry in enumerate(entries, start=1):
        link = (entry.get("link") or "").strip()
        key = (entry.get("id") or "").strip() or link
        title = _text(entry, "title")
        if not key or not title:
            warnings.append(f"post {position}: saknar id/länk eller titel och hoppas över")
            continue
        subjects = [
            Subject(label_sv=term)
            for term in dict.fromkeys((tag.get("term") or "").strip() for tag in entry.get("tags") or [])
            if term and term not in ("Regeringen", "Rättsliga dokument")
        ]
        items[key] = LegalItem(
            id=f"{source_id}:{key}",
            kind="referral",
            source=source_id,
            other_id=key,
            title_sv=title,
            date=_entry_day(entry),
            subjects=subjects,
            url=link or None,
            summary=_description(entry),
        )
    return LegalPage(items=list(items.values()), rows=len(entries), dropped=len(entries) - len(items),
                     warnings=warnings)  # fmt: skip


def call_from_entry(
    entry: dict,
    source_id: str,
    settings: RssSettings,
    language: str | None = None,
    response_day: date | None = None,
    home: str = "",
) -> Call:
    """One feed entry → a Call. ValueError when the entry can be neither identified nor linked to."""
    link = (entry.get("link") or "").strip()
    key = (entry.get("id") or "").strip() or link
    if not key:
        raise ValueError("har varken guid/id eller länk och hoppas över")
    title = _text(entry, "title")
    description = _description(entry)
    if not title:
        title = description.split("\n", 1)[0][:120] or link or key
    url = link or (key if key.startswith(("http://", "https://")) else home)

    published = _entry_day(entry)
    reference = published or response_day
    opening, deadline = dates.opening_and_deadline(f"{title}\n{description}", STOCKHOLM, reference)
    opening_at = opening.earliest if opening else None
    deadline_at = deadline.latest if deadline else None

    ids = official_ids(url, f"{title}\n{description}")
    return Call(
        source=source_id,
        key=key,
        identifier=ids[0] if ids else key,
        title=title,
        url=url,
        programme=settings.programme,
        opening=opening_at,
        deadlines=[deadline_at] if deadline_at else [],
        description=description,
        language=language,
        opening_precision=opening.precision if opening_at else dates.UNKNOWN,
        deadline_precision=deadline.precision if deadline_at else dates.UNKNOWN,
        regions=_regions(entry) or list(settings.regions),
        official_ids=ids,
    )


def _feed_headers(fetched: Fetched) -> dict[str, str]:
    """The headers feedparser gets: our URL, and the server's charset under an XML media type.

    The media type the server names is left out: servers send feeds as text/html, text/plain or
    text/xml, and feedparser would flag each (RFC 3023 even made charset-less text/xml US-ASCII,
    overruling the XML declaration; RFC 7303 withdrew that). Whether the bytes are a feed is
    decided by what feedparser finds in them. A charset in the header still rules, as HTTP says,
    and when it is wrong feedparser decodes by the XML declaration and says so (a warning).
    """
    content_type = next((v for k, v in fetched.headers.items() if k.lower() == "content-type"), "")
    charset = _CHARSET.search(content_type)
    given = "application/xml" + (f"; charset={charset.group(1)}" if charset else "")
    return {"content-location": fetched.url, "content-type": given}


def _no_entries_message(fetched: Fetched, feed: dict) -> str:
    status = f" (HTTP {fetched.status})" if fetched.status != 200 else ""
    if feed.get("bozo"):
        problem = feed.get("bozo_exception")
        return (
            f"{fetched.url}{status}: inget läsbart RSS/Atom-flöde och inga poster "
            f"({type(problem).__name__}: {problem})"
        )
    return f"{fetched.url}{status}: flödet innehåller inga poster"


def _text(entry: dict, name: str) -> str:
    """A field as plain text: HTML stripped only when the feed says the field is HTML."""
    value = entry.get(name) or ""
    detail = entry.get(f"{name}_detail") or {}
    if detail.get("type") in HTML_TYPES:
        return html_to_text(value)
    return " ".join(value.split())


def _description(entry: dict) -> str:
    """The entry's full text: Atom content when given (often fuller), else the summary."""
    for content in entry.get("content") or []:
        value = content.get("value") or ""
        if value.strip():
            return html_to_text(value) if content.get("type") in HTML_TYPES else value.strip()
    summary = entry.get("summary") or ""
    detail = entry.get("summary_detail") or {}
    return html_to_text(summary) if detail.get("type") in HTML_TYPES else summary.strip()


def _entry_day(entry: dict) -> date | None:
    """The day (in Stockholm) the entry was published or last updated: the reference for year-less dates."""
    for name in ("published_parsed", "updated_parsed"):
        parsed = entry.get(name)
        if parsed:
            return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC).astimezone(STOCKHOLM).date()
    return None


def _http_date(headers: dict[str, str]) -> date | None:
    value = next((v for k, v in headers.items() if k.lower() == "date"), None)
    if not value:
        return None
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(STOCKHOLM).date()


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().replace("-", " ").split())


REGION_NAMES: dict[str, str] = {
    **{_fold(name): name for name in (*COUNTIES, *PROGRAMME_AREAS, ALL_OF_SWEDEN)},
    **_REGION_ALIASES,
}


def region_name(term: str) -> str | None:
    """The region a category names (e.g. "Hallands län" → "Halland"), or None."""
    folded = _fold(term).removeprefix("region ")
    candidates = [folded]
    if folded.endswith((" län", " lan")):
        stem = folded[:-4]
        candidates += [stem, stem[:-1]] if stem.endswith("s") else [stem]
    return next((REGION_NAMES[c] for c in candidates if c in REGION_NAMES), None)


def _regions(entry: dict) -> list[str]:
    """The regions the entry's categories name."""
    found: list[str] = []
    for tag in entry.get("tags") or []:
        name = region_name(tag.get("term") or "")
        if name and name not in found:
            found.append(name)
    return found
