"""A list page whose calls are found by CSS selectors (kind `html_list`).

sources.yaml names the selectors, e.g. for Tillväxtverket's Sitevision list:

    selectors:
      item: li.sv-channel-item           # one element per call (required)
      title: h2 a                        # required
      link: a.read-more                  # optional; default: the title's own link, else the item's first
      deadline: li.status                # optional: "Stängd 12 september 2023", "Sista ansökningsdag: …"
      opening: li.opening                # optional: "Öppnar 12 augusti 2024"
      summary: p.lead                    # optional
      regions: li.region                 # optional: one region name per element (or comma-separated)
    detail:                              # optional: the same keys (but item and link) on the linked page
      deadline: .application-period li
    regions: [Västra Götaland]           # regions of calls whose item names none
    programme: Regionalfonden Västsverige

Selectors are matched within the item (`:scope` means the item itself). A detail page is fetched
only for a call that lacks something the `detail:` selectors could give, that is not closed already,
and that lives on the list's own site; at most `max_details` of them, `delay` seconds apart, through
the same client, retries and size cap. The list wins where both say something: the detail page fills
in what the list lacks. A detail page that answers 404/410 (a broken link on the list) leaves its
call with what the list says, with a warning; any other failure fails the run, so that a passing
outage does not store calls without their deadlines (and report them changed twice).

Dates go through monitor.dates: cue words decide what a date is ("Öppnar", "Stängd", "Sista
ansökningsdag", "–" ranges); a date without a cue in the `deadline` element is a deadline, in the
`opening` element an opening. Each element the `deadline` selector matches can add a deadline
(several application rounds). A `<time datetime>` is used when the visible text holds no date.

Year-less dates need to know when the page speaks from: parse() is pure, so that is the day of the
response's `Date` header (a server sends it with every answer, RFC 9110), else of `Last-Modified`,
else None (monitor.dates' own default). Nothing is added to Fetched for it, and a recorded fixture
states its day in its headers.

Identity: the key of a call is its resolved link (stable across runs), else its title.
`official_ids` carry what names the call elsewhere, for one record across sources: Tillväxtverket's
number (`…/<slug>.<id>.html` → `tillvaxtverket:<id>`) and EU topic ids found in the title or summary.

A list whose `item` selector matches nothing is a ParseError naming the selector (a changed page
layout must not look like "no calls"), unless the page shows `none_text` ("Inga utlysningar just nu");
so is a `title` selector that matches in none of the items.
"""

from __future__ import annotations

import email.utils
import logging
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime
from datetime import time as clock
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx
import soupsieve
from bs4 import BeautifulSoup, Tag

from monitor import dates
from monitor.errors import FetchError, ParseError
from monitor.http import Fetched, request
from monitor.identifiers import official_ids
from monitor.records import STOCKHOLM, Call
from monitor.sources import HttpSettings, Listing, ParsedPage, Source, register
from monitor.text import decode_markup, html_to_text

log = logging.getLogger(__name__)


# --- settings ---------------------------------------------------------------------------------


def _selector_problems(settings: Any) -> list[tuple[str, str]]:
    problems = []
    for f in fields(settings):
        value = getattr(settings, f.name)
        if value is None:
            continue
        if not value.strip():
            problems.append((f.name, "får inte vara tom; ta bort nyckeln i stället."))
            continue
        if value.strip() == ":scope":
            continue
        try:
            soupsieve.compile(value)
        except soupsieve.SelectorSyntaxError as exc:
            first = str(exc).splitlines()[0]
            problems.append((f.name, f"'{value}' är ingen giltig CSS-selektor ({first})."))
    return problems


@dataclass
class ListSelectors:
    """`selectors:` of an html_list source."""

    item: str = field(metadata={"help": "ett element per utlysning"})
    title: str = field(metadata={"help": "titeln, inom elementet"})
    link: str | None = field(default=None, metadata={"help": "länken (href); standard: titelns länk"})
    deadline: str | None = None
    opening: str | None = None
    summary: str | None = None
    regions: str | None = None

    def check(self) -> list[tuple[str, str]]:
        return _selector_problems(self)


@dataclass
class DetailSelectors:
    """`detail:` of an html_list source: what to read on each call's own page."""

    title: str | None = None
    deadline: str | None = None
    opening: str | None = None
    summary: str | None = None
    regions: str | None = None

    def check(self) -> list[tuple[str, str]]:
        problems = _selector_problems(self)
        if not any(getattr(self, f.name) for f in fields(self)):
            problems.append(("title", "ange minst en selektor under 'detail' (eller ta bort 'detail')."))
        return problems


@dataclass
class HtmlListSettings(HttpSettings):
    # Optional in the dataclass only so that `eumonitor kinds --keys` can show a default; check()
    # requires it.
    selectors: ListSelectors | None = field(
        default=None, metadata={"help": "CSS-selektorer: item, title (krävs), link, deadline, opening, …"}
    )
    detail: DetailSelectors | None = field(
        default=None, metadata={"help": "selektorer på varje utlysnings egen sida, för det listan saknar"}
    )
    max_details: int = field(default=50, metadata={"help": "högst så många detaljsidor per körning"})
    regions: list[str] = field(
        default_factory=list, metadata={"help": "regioner för utlysningar vars post inte anger några"}
    )
    programme: str | None = field(default=None, metadata={"help": "program eller finansiär"})
    none_text: str | None = field(
        default=None, metadata={"help": "text som sidan visar när inga utlysningar finns"}
    )

    def check(self) -> list[tuple[str, str]]:
        problems = super().check()
        if self.selectors is None:
            problems.append(("selectors", "saknas men krävs (minst 'item' och 'title')."))
        if not 0 <= self.max_details <= 1000:
            problems.append(("max_details", "måste vara mellan 0 och 1000."))
        if any(not r.strip() for r in self.regions):
            problems.append(("regions", "får inte innehålla tomma namn."))
        return problems


# --- the kind ---------------------------------------------------------------------------------


@register("html_list")
class HtmlListSource(Source):
    """En listsida med utlysningar, läst med CSS-selektorer (Tillväxtverket, MUCF, Leader …)."""

    Settings = HtmlListSettings

    def fetch(self, client: httpx.Client) -> Iterator[Fetched]:
        s: HtmlListSettings = self.settings
        policy = s.policy()
        page = request(client, "GET", self.config.url, policy, timeout=s.timeout)
        for link in detail_plan(page, s).fetch:
            if s.delay:
                time.sleep(s.delay)
            try:
                page.related[link] = request(client, "GET", link, policy, timeout=s.timeout)
            except FetchError as exc:
                if not _gone(exc):
                    raise  # a passing failure: fail this run rather than store the call without its details
                log.warning("%s: %s; listans uppgifter används", self.config.id, exc)
        yield page

    def parse(self, fetched: Fetched) -> ParsedPage:
        return parse_list(fetched, self.config.id, self.settings)


def _gone(exc: FetchError) -> bool:
    """A detail page that is not there (404/410): a broken link on the list, not a passing failure."""
    return exc.status in (404, 410)


# --- pure parsing -----------------------------------------------------------------------------


@dataclass
class Found:
    """What one list item (or its detail page) says, before dates are read."""

    title: str = ""
    link: str | None = None
    deadline: list[tuple[str, str | None]] = field(default_factory=list)  # (text, <time datetime>)
    opening: list[tuple[str, str | None]] = field(default_factory=list)
    summary: str = ""
    regions: list[str] = field(default_factory=list)


@dataclass
class Dates:
    opening: dates.FuzzyDate | None = None
    deadlines: list[dates.FuzzyDate] = field(default_factory=list)
    status: str | None = None  # what the page's own words say: open / forthcoming / closed


@dataclass
class Plan:
    """Which detail pages to fetch; the same answer in fetch() and parse(), both from the list page."""

    fetch: list[str] = field(default_factory=list)
    over_cap: int = 0


def reference_day(fetched: Fetched) -> date | None:
    """The day the page speaks from: its Date header, else Last-Modified (in Stockholm), else None."""
    headers = {k.lower(): v for k, v in fetched.headers.items()}
    for name in ("date", "last-modified"):
        value = headers.get(name)
        if not value:
            continue
        try:
            moment = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            continue
        if moment.tzinfo is None:  # "-0000": UTC, local zone unknown (RFC 5322)
            moment = moment.replace(tzinfo=UTC)
        return moment.astimezone(STOCKHOLM).date()
    return None


def soup_of(fetched: Fetched) -> BeautifulSoup:
    return BeautifulSoup(decode_markup(fetched.content, fetched.headers), "html.parser")


def page_base(soup: BeautifulSoup, url: str) -> str:
    """What relative links on the page are resolved against: <base href> when given, else the page."""
    base = soup.find("base", href=True)
    return urljoin(url, str(base["href"]).strip()) if isinstance(base, Tag) else url


def page_language(soup: BeautifulSoup) -> str | None:
    html = soup.find("html")
    lang = str(html.get("lang") or "").strip() if isinstance(html, Tag) else ""
    return lang.split("-")[0].lower() or None


def _select(element: Tag, selector: str | None) -> list[Tag]:
    if not selector:
        return []
    if selector.strip() == ":scope":
        return [element]
    return element.select(selector)


_WHITESPACE = re.compile(r"\s+")


def visible_text(element: Tag) -> str:
    """An element's text as a browser shows it: a line break where a block ends, and nowhere else.

    Line breaks in the HTML source are spaces (as browsers render them), so re-indented or reflowed
    markup gives the same text.
    """
    return html_to_text(_WHITESPACE.sub(" ", str(element)))


def one_line(element: Tag) -> str:
    """An element's visible text on one line (list bullets left out)."""
    return " ".join(visible_text(element).replace("•", " ").split())


def block_text(element: Tag) -> str:
    """An element's visible text, one paragraph a line, whitespace normalised, list bullets left out."""
    lines = (" ".join(line.replace("•", " ").split()) for line in visible_text(element).splitlines())
    return "\n".join(line for line in lines if line)


def _href(element: Tag) -> str | None:
    anchor = element if element.name == "a" and element.get("href") else element.find("a", href=True)
    if not isinstance(anchor, Tag):
        return None
    href = str(anchor.get("href") or "").strip()
    if not href or href.startswith("#") or href.lower().startswith(("javascript:", "mailto:", "tel:")):
        return None
    return href


def _link(item: Tag, title: Tag | None, selector: str | None, base: str) -> str | None:
    """The call's own link: the `link` element's href; by default the title's link, else the item's first."""
    href = None
    if selector:
        found = _select(item, selector)
        href = _href(found[0]) if found else None
    else:
        if title is not None:
            href = _href(title)
            parent = title.find_parent("a", href=True) if href is None else None
            if isinstance(parent, Tag):
                href = _href(parent)
        if href is None:
            href = _href(item)
    return urljoin(base, href) if href else None


def _date_texts(elements: list[Tag]) -> list[tuple[str, str | None]]:
    out = []
    for element in elements:
        stamp = element if element.name == "time" else element.find("time", attrs={"datetime": True})
        machine = str(stamp.get("datetime")) if isinstance(stamp, Tag) and stamp.get("datetime") else None
        text = one_line(element)
        if text or machine:
            out.append((text, machine))
    return out


_REGION_SPLIT = re.compile(r"\s*(?:[,;|•\n]|\s/\s)\s*")


def _regions(elements: list[Tag]) -> list[str]:
    names: list[str] = []
    for element in elements:
        for name in _REGION_SPLIT.split(visible_text(element)):
            name = " ".join(name.split()).strip(" .")
            if name and name.casefold() not in {n.casefold() for n in names}:
                names.append(name)
    return names


def read_item(element: Tag, selectors: ListSelectors | DetailSelectors, base: str) -> Found:
    """What the selectors find in one item (or, with DetailSelectors, on one detail page)."""
    titles = _select(element, selectors.title)
    title = titles[0] if titles else None
    found = Found(title=one_line(title) if title is not None else "")
    if isinstance(selectors, ListSelectors):
        found.link = _link(element, title, selectors.link, base)
    found.deadline = _date_texts(_select(element, selectors.deadline))
    found.opening = _date_texts(_select(element, selectors.opening))
    found.summary = "\n".join(t for t in (block_text(e) for e in _select(element, selectors.summary)) if t)
    found.regions = _regions(_select(element, selectors.regions))
    return found


def _machine_date(value: str | None) -> dates.FuzzyDate | None:
    """A <time datetime="…"> value: a day, or a minute when it names a time other than midnight."""
    if not value:
        return None
    text = value.strip()
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    moment = moment.replace(tzinfo=STOCKHOLM) if moment.tzinfo is None else moment.astimezone(STOCKHOLM)
    if len(text) <= 10 or (moment.hour, moment.minute) == (0, 0):
        # Sitevision writes midnight for a date without a time: a day, not a cut-off at 00:00.
        day = datetime.combine(moment.date(), clock(0, 0), tzinfo=STOCKHOLM)
        return dates.FuzzyDate(day, dates.DAY, text)
    return dates.FuzzyDate(moment.replace(second=0, microsecond=0), dates.MINUTE, text)


_STATUS_WORDS = (
    (("stängd", "stängt", "avslutad", "avslutat", "stängde"), "closed"),
    (("öppnar", "planerad", "planerade", "kommande", "kommer att öppna"), "forthcoming"),
    (("öppen", "öppet", "stänger", "pågår", "pågående", "sök nu", "ansök nu"), "open"),
)


def _status_word(text: str) -> str | None:
    start = text.casefold().lstrip(" •-–:")
    for words, status in _STATUS_WORDS:
        if start.startswith(words):
            return status
    return None


def read_dates(found: Found, reference: date | None) -> Dates:
    """Opening and deadlines from an item's date elements (see the module docstring for the rules)."""
    result = Dates()
    openings: list[dates.FuzzyDate] = []
    for role, texts in (("deadline", found.deadline), ("opening", found.opening)):
        for text, machine in texts:
            result.status = result.status or _status_word(text)
            opening, deadline = (
                dates.opening_and_deadline(text, STOCKHOLM, reference) if text else (None, None)
            )
            if opening is not None:
                openings.append(opening)
            if deadline is not None:
                result.deadlines.append(deadline)
            if opening is not None or deadline is not None:
                continue
            plain = dates.find_dates(text, STOCKHOLM, reference) if text else []
            if not plain:
                machine_date = _machine_date(machine)
                plain = [machine_date] if machine_date else []
            if role == "deadline":
                result.deadlines.extend(plain)
            elif plain:
                openings.append(plain[0])
    known = [o for o in openings if o.earliest is not None]
    if known:
        result.opening = min(known, key=lambda o: o.earliest)  # type: ignore[arg-type, return-value]
    elif openings:
        result.opening = openings[0]
    return result


def _same_site(a: str, b: str) -> bool:
    def host(url: str) -> str:
        return (urlsplit(url).hostname or "").removeprefix("www.")

    return host(a) == host(b)


def _lacks(found: Found, found_dates: Dates, detail: DetailSelectors) -> bool:
    """Whether the detail page could add something the list item does not say."""
    return bool(
        (detail.title and not found.title)
        or (detail.deadline and not found_dates.deadlines)
        or (detail.opening and found_dates.opening is None)
        or (detail.summary and not found.summary)
        or (detail.regions and not found.regions)
    )


def _closed(found_dates: Dates, reference: date | None) -> bool:
    if found_dates.status == "closed":
        return True
    latest = [d.latest for d in found_dates.deadlines if d.latest is not None]
    return bool(reference and latest and max(latest).astimezone(STOCKHOLM).date() < reference)


@dataclass
class _Item:
    found: Found
    dates: Dates


def _items(fetched: Fetched, settings: HtmlListSettings) -> tuple[BeautifulSoup, list[_Item], int]:
    """The page's items (found and dated); ParseError when `item` matches nothing on a page of calls."""
    selectors = settings.selectors
    if selectors is None:  # check() prevents this; parse() may be called on hand-built settings
        raise ParseError("html_list: 'selectors' saknas")
    soup = soup_of(fetched)
    base = page_base(soup, fetched.url)
    elements = soup.select(selectors.item)
    if not elements:
        visible = " ".join(soup.get_text(" ").split()).casefold()
        if settings.none_text and " ".join(settings.none_text.split()).casefold() in visible:
            return soup, [], 0
        raise ParseError(
            f"{fetched.url}: selektorn item '{selectors.item}' hittade inga element på sidan "
            "(har sidan fått ny layout?)"
        )
    reference = reference_day(fetched)
    items = []
    for element in elements:
        found = read_item(element, selectors, base)
        items.append(_Item(found, read_dates(found, reference)))
    return soup, items, len(elements)


def detail_plan(fetched: Fetched, settings: HtmlListSettings) -> Plan:
    """The detail pages worth fetching: of calls that lack what `detail:` gives, still open, on this site."""
    plan = Plan()
    if settings.detail is None:
        return plan
    _, items, _ = _items(fetched, settings)
    reference = reference_day(fetched)
    wanted: list[str] = []
    for item in items:
        link = item.found.link
        if (
            link
            and link not in wanted
            and _same_site(link, fetched.url)
            and _lacks(item.found, item.dates, settings.detail)
            and not _closed(item.dates, reference)
        ):
            wanted.append(link)
    plan.fetch = wanted[: settings.max_details]
    plan.over_cap = len(wanted) - len(plan.fetch)
    return plan


def _fill(found: Found, found_dates: Dates, detail: Found, detail_dates: Dates) -> None:
    """The list wins; the detail page fills in what the list lacks."""
    found.title = found.title or detail.title
    found.summary = found.summary or detail.summary
    found.regions = found.regions or detail.regions
    if not found_dates.deadlines:
        found_dates.deadlines = detail_dates.deadlines
    if found_dates.opening is None:
        found_dates.opening = detail_dates.opening
    found_dates.status = found_dates.status or detail_dates.status


# --- records ----------------------------------------------------------------------------------

_PRECISION_ORDER = (dates.MINUTE, dates.DAY, dates.MONTH, dates.UNKNOWN)


def _rank(precision: str) -> int:
    return _PRECISION_ORDER.index(precision) if precision in _PRECISION_ORDER else 0


def deadlines_of(found: list[dates.FuzzyDate]) -> tuple[list[datetime], str | None]:
    """Deadline instants and the precision they share (the coarsest: never claim more than known).

    A day that a more exact deadline falls within says nothing more ("19 februari 2027 klockan
    12.00" beside "stänger 19 februari"), so it is left out.
    """
    known = [d for d in found if d.latest is not None]
    kept = [
        d
        for d in known
        if not any(
            _rank(o.precision) < _rank(d.precision) and d.earliest <= o.latest <= d.latest  # type: ignore[operator]
            for o in known
        )
    ]
    if not kept:
        return [], (dates.UNKNOWN if found else None)
    instants = sorted({d.latest for d in kept})  # type: ignore[type-var]
    return instants, max((d.precision for d in kept), key=_rank)


def build_call(
    found: Found,
    found_dates: Dates,
    *,
    source_id: str,
    key: str,
    page_url: str,
    settings: HtmlListSettings,
    language: str | None,
) -> Call:
    deadlines, deadline_precision = deadlines_of(found_dates.deadlines)
    ids = official_ids(found.link, found.title, found.summary)
    call = Call(
        source=source_id,
        key=key,
        identifier=ids[0] if ids else key,
        title=found.title,
        url=found.link or page_url,
        programme=settings.programme,
        opening=found_dates.opening.earliest if found_dates.opening else None,
        deadlines=deadlines,
        source_status=found_dates.status,
        description=found.summary,
        language=language,
        regions=found.regions or list(settings.regions),
        official_ids=ids,
    )
    if found_dates.opening is not None:
        call.opening_precision = found_dates.opening.precision
    if deadline_precision is not None:
        call.deadline_precision = deadline_precision
    return call


def parse_list(fetched: Fetched, source_id: str, settings: HtmlListSettings) -> ParsedPage:
    """One list page (with its detail pages in `fetched.related`) → one listing per call. Pure."""
    soup, items, rows = _items(fetched, settings)
    if not items:
        return ParsedPage(listings=[], rows=0)
    selectors = settings.selectors
    assert selectors is not None
    reference = reference_day(fetched)
    language = page_language(soup)
    warnings: list[str] = []
    plan = detail_plan(fetched, settings)
    if plan.over_cap:
        warnings.append(
            f"{plan.over_cap} detaljsidor hämtades inte (max_details = {settings.max_details}); "
            "de utlysningarna har bara listans uppgifter"
        )
    for link in plan.fetch:
        if link not in fetched.related:
            warnings.append(f"detaljsidan {link} kunde inte hämtas; bara listans uppgifter används")
    if settings.detail is not None:
        for item in items:
            detail_page = fetched.related.get(item.found.link or "")
            if detail_page is None:
                continue
            detail_soup = soup_of(detail_page)
            detail = read_item(detail_soup, settings.detail, page_base(detail_soup, detail_page.url))
            _fill(item.found, item.dates, detail, read_dates(detail, reference_day(detail_page) or reference))

    untitled = [item for item in items if not item.found.title]
    for item in untitled:
        where = item.found.link or "utan länk"
        warnings.append(
            f"en post ({where}) saknar titel (selektorn title '{selectors.title}'); hoppades över"
        )
    titled = [item for item in items if item.found.title]
    if not titled:
        raise ParseError(
            f"{fetched.url}: selektorn title '{selectors.title}' hittade ingen titel i något av "
            f"{rows} element som item '{selectors.item}' hittade"
        )

    # The key is the link; two different calls behind one link (anchors on a shared page) are told
    # apart by their titles.
    titles_per_link: dict[str, set[str]] = {}
    for item in titled:
        if item.found.link:
            titles_per_link.setdefault(item.found.link, set()).add(item.found.title)
    best: dict[str, Listing] = {}
    dropped = len(untitled)
    for item in titled:
        link = item.found.link
        if link and len(titles_per_link[link]) == 1:
            key = link
        elif link:
            key = f"{link}#{item.found.title}"
        else:
            key = item.found.title
        call = build_call(
            item.found,
            item.dates,
            source_id=source_id,
            key=key,
            page_url=fetched.url,
            settings=settings,
            language=language,
        )
        completeness = (int(bool(call.deadlines)), int(call.opening is not None), int(bool(call.description)))
        listing = Listing.of(call, completeness)
        kept = best.get(listing.id)
        if kept is not None:
            dropped += 1
            if kept.completeness >= completeness:
                continue
        best[listing.id] = listing
    return ParsedPage(listings=list(best.values()), rows=rows, dropped=dropped, warnings=warnings)
