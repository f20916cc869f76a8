"""A page without a list, watched for change (kind `page_watch`).

Västra Götalandsregionen has no list of calls: project support is applied for continuously and
one-off calls appear on pages of their own. Such a page is kept as ONE record (call_type "page"):
key = the configured address, title from <h1> (else <title>), description = the page's main text.
A change of that text is news; monitor.text.summarize_change tells what changed.

The main text is the `content` element (a CSS selector) when given, else <main>, else <article>,
else [role=main], else <body> without its navigation, header, footer and asides. Scripts, styles
and forms never count, nor anything `exclude` names (a cookie banner, a "Senast uppdaterad" line,
a news teaser that changes every week). Whitespace is normalised, so a reflowed paragraph or a new
blank line is no change.

Dates: none unless the text states them with a cue ("Sista ansökningsdag 15 mars 2027",
"Öppnar 1 februari"), read by monitor.dates.opening_and_deadline with the page's day (its Date
header) as reference, as in html_list.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import httpx
import soupsieve
from bs4 import BeautifulSoup, Tag

from monitor import dates
from monitor.errors import ParseError
from monitor.http import Fetched, request
from monitor.records import STOCKHOLM, Call
from monitor.sources import HttpSettings, Listing, ParsedPage, Source, register
from monitor.sources.html_list import block_text, one_line, page_language, reference_day, soup_of

DEFAULT_CONTENT = ("main", "article", "[role=main]")
NEVER_TEXT = ("script", "style", "noscript", "template", "svg", "iframe", "form", "button")
OUTSIDE_MAIN = (
    "nav",
    "header",
    "footer",
    "aside",
    "[role=navigation]",
    "[role=banner]",
    "[role=contentinfo]",
)


@dataclass
class PageWatchSettings(HttpSettings):
    content: str | None = field(
        default=None, metadata={"help": "CSS-selektor för sidans huvudtext (standard main/article/body)"}
    )
    exclude: list[str] = field(
        default_factory=list, metadata={"help": "CSS-selektorer för delar som inte räknas (banners, datum)"}
    )
    regions: list[str] = field(default_factory=list, metadata={"help": "regioner som sidan gäller"})
    programme: str | None = field(default=None, metadata={"help": "program eller finansiär"})

    def check(self) -> list[tuple[str, str]]:
        problems = super().check()
        named = [("content", self.content)] if self.content else []
        for key, selector in named + [("exclude", s) for s in self.exclude]:
            try:
                soupsieve.compile(selector)
            except soupsieve.SelectorSyntaxError as exc:
                first = str(exc).splitlines()[0]
                problems.append((key, f"'{selector}' är ingen giltig CSS-selektor ({first})."))
        return problems


@register("page_watch")
class PageWatchSource(Source):
    """En sida utan lista (VGR:s projektstöd): texten sparas och en ändring blir en nyhet."""

    Settings = PageWatchSettings

    def fetch(self, client: httpx.Client) -> Iterator[Fetched]:
        s: PageWatchSettings = self.settings
        yield request(client, "GET", self.config.url, s.policy(), timeout=s.timeout)

    def parse(self, fetched: Fetched) -> ParsedPage:
        return parse_page(fetched, self.config.id, self.config.url, self.settings)


def main_element(soup: BeautifulSoup, settings: PageWatchSettings, url: str) -> Tag:
    """The element whose text is watched; ParseError when the `content` selector finds nothing."""
    for tag in soup.select(", ".join(NEVER_TEXT)):
        tag.decompose()
    for selector in settings.exclude:
        for tag in soup.select(selector):
            tag.decompose()
    if settings.content:
        found = soup.select_one(settings.content)
        if found is None:
            raise ParseError(
                f"{url}: selektorn content '{settings.content}' hittade inget på sidan "
                "(har sidan fått ny layout?)"
            )
        return found
    for selector in DEFAULT_CONTENT:
        found = soup.select_one(selector)
        if found is not None:
            return found
    body = soup.body or soup
    for tag in body.select(", ".join(OUTSIDE_MAIN)):
        tag.decompose()
    return body


def page_title(soup: BeautifulSoup, main: Tag) -> str:
    for candidate in (main.find("h1"), soup.find("h1"), soup.find("title")):
        if isinstance(candidate, Tag):
            text = one_line(candidate)
            if text:
                return text
    return ""


def parse_page(fetched: Fetched, source_id: str, url: str, settings: PageWatchSettings) -> ParsedPage:
    """The watched page → one record of call_type "page". Pure."""
    soup = soup_of(fetched)
    language = page_language(soup)
    title_soup = soup_of(fetched)  # the title may sit in a header that is no part of the main text
    main = main_element(soup, settings, fetched.url)
    text = block_text(main)
    if not text:
        raise ParseError(f"{fetched.url}: sidan har ingen text att bevaka (content: {settings.content})")
    title = page_title(title_soup, main) or url
    opening, deadline = dates.opening_and_deadline(text, STOCKHOLM, reference_day(fetched))
    call = Call(
        source=source_id,
        key=url,
        identifier=url,
        title=title,
        url=fetched.url,
        call_type="page",
        programme=settings.programme,
        opening=opening.earliest if opening else None,
        deadlines=[deadline.latest] if deadline and deadline.latest else [],
        description=text,
        language=language,
        regions=list(settings.regions),
    )
    if opening is not None:
        call.opening_precision = opening.precision
    if deadline is not None:
        call.deadline_precision = deadline.precision
    return ParsedPage(listings=[Listing.of(call, (1,))], rows=1)


__all__ = ["PageWatchSettings", "PageWatchSource", "parse_page"]
