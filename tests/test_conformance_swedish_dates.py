"""Conformance: monitor.dates on the visible text of real Swedish, Norwegian and Danish funders' pages.

The pages live outside the repository, in ../shared/fixtures/swedish/pages-text/ (their addresses
are in SOURCES.tsv there); EUMONITOR_SHARED_FIXTURES may point at another copy of the shared
`fixtures` folder. When it is absent these tests are skipped, never failed.

Every fact asserted here was read from the page itself by a person. Where a page writes a date
without its year, the test passes the reference a source kind would pass (the page's date where
the page gives it away) and says why.

Not in any page: "Öppnar: Maj 2023 / Stänger: Ej bestämt" appears only in ../shared/SOURCES.md
(in its list of Swedish dates seen), so that is where it is checked; tests/test_dates.py has more.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from helpers import shared_fixtures

from monitor.dates import (
    DAY,
    MINUTE,
    MONTH,
    OSLO,
    UNKNOWN,
    FuzzyDate,
    find_dates,
    opening_and_deadline,
    parse_date,
)
from monitor.records import BRUSSELS, STOCKHOLM

pytestmark = pytest.mark.conformance

TODAY = date(2026, 11, 27)


PAGES = shared_fixtures() / "swedish" / "pages-text"
PAGE_NAMES = sorted(p.name for p in PAGES.glob("*.txt")) if PAGES.is_dir() else []


def read(path: Path) -> str:
    if not path.is_file():
        pytest.skip(f"shared fixture {path} is absent (EUMONITOR_SHARED_FIXTURES names the fixtures folder)")
    return path.read_text(encoding="utf-8")


def page(name: str) -> str:
    return read(PAGES / name)


def at(y: int, m: int, d: int, hh: int = 0, mm: int = 0, zone=STOCKHOLM) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=zone)


def shape(found: FuzzyDate | None) -> tuple[datetime | None, str] | None:
    return None if found is None else (found.start, found.precision)


# --- Tillväxtverket --------------------------------------------------------------------------


def test_tillvaxtverket_closed_call_with_a_moved_opening() -> None:
    # " • Stängd 19 mars 2024" under the title; later "Utlysning uppdaterad 2023-12-21,
    # öppningsdatum ändrat till 13 februari." — an opening moved to February 2024.
    text = page("tillvaxtverket_utlysning_5711_vastsverige.txt")
    # The update's own date lends the opening its year, even read on its own.
    assert [d.start for d in find_dates(text, reference=TODAY)] == [
        at(2024, 3, 19),
        at(2023, 12, 21),
        at(2024, 2, 13),
    ]
    opening, deadline = opening_and_deadline(text, reference=TODAY)
    assert shape(deadline) == (at(2024, 3, 19), DAY)
    assert deadline.latest == at(2024, 3, 19, 23, 59)  # type: ignore[union-attr]
    assert deadline.latest.utcoffset().total_seconds() == 3600  # type: ignore[union-attr]
    assert shape(opening) == (at(2024, 2, 13), DAY)


def test_tillvaxtverket_closed_call() -> None:
    # " • Stängd 12 september 2023"
    opening, deadline = opening_and_deadline(
        page("tillvaxtverket_utlysning_4708_vastsverige.txt"), reference=TODAY
    )
    assert opening is None
    assert shape(deadline) == (at(2023, 9, 12), DAY)
    assert "12 september 2023" in deadline.text  # type: ignore[union-attr]


def test_tillvaxtverket_call_that_opens() -> None:
    # " • Öppnar 12 augusti 2024": an opening, and no deadline said.
    opening, deadline = opening_and_deadline(
        page("tillvaxtverket_utlysning_7085_oppnar_exempel.txt"), reference=TODAY
    )
    assert shape(opening) == (at(2024, 8, 12), DAY)
    assert opening.earliest == at(2024, 8, 12)  # type: ignore[union-attr]
    assert deadline is None


def test_tillvaxtverket_planned_call_without_years() -> None:
    # "Från 15 januari kan regionala aktörer ansöka … Sista dagen för att ansöka kommer att vara
    # 28 februari." The page speaks of "regeringens budgetproposition för 2022": autumn 2021.
    text = page("tillvaxtverket_planerad_utlysning_forstudie_vastsverige.txt")
    opening, deadline = opening_and_deadline(text, reference=date(2021, 11, 1))
    assert shape(opening) == (at(2022, 1, 15), DAY)
    assert shape(deadline) == (at(2022, 2, 28), DAY)


# --- MUCF ------------------------------------------------------------------------------------


def test_mucf_youth_exchange_deadline_at_noon() -> None:
    # "Ansökningstider \n\n4 oktober 2023 klockan 12.00"
    opening, deadline = opening_and_deadline(page("mucf_bidrag_ungdomsutbyte-0.txt"), reference=TODAY)
    assert opening is None
    assert shape(deadline) == (at(2023, 10, 4, 12, 0), MINUTE)
    assert deadline.zone is STOCKHOLM  # type: ignore[union-attr]
    assert deadline.latest.astimezone(UTC) == datetime(2023, 10, 4, 10, 0, tzinfo=UTC)  # type: ignore[union-attr]


def test_mucf_participation_projects_open_soon_close_at_noon() -> None:
    # "Ansökningarna öppnar inom kort och stänger 1 oktober 2024 klockan 12.00."
    text = page("mucf_bidrag_projekt_att_oka_ungas_delaktighet.txt")
    opening, deadline = opening_and_deadline(text, reference=TODAY)
    assert opening is None
    assert shape(deadline) == (at(2024, 10, 1, 12, 0), MINUTE)
    assert deadline.text == "1 oktober 2024 klockan 12.00"  # type: ignore[union-attr]


def test_mucf_2020_table_of_rounds() -> None:
    # Three rows "1 maj – 30 september 2020 5 februari 2020, 12.00 (svensk tid)": a period in
    # which projects start, then the last day to apply, at noon Swedish time.
    found = find_dates(page("mucf_bidrag_ungdomsutbyte_2020_old_url.txt"), reference=TODAY)
    assert [d.start for d in found if d.precision == MINUTE] == [
        at(2020, 2, 5, 12),
        at(2020, 5, 7, 12),
        at(2020, 10, 1, 12),
    ]
    # The periods' first days take the year of their last: "1 januari – 31 maj 2021".
    assert [d.start for d in found if d.precision == DAY] == [
        at(2020, 5, 1),
        at(2020, 9, 30),
        at(2020, 8, 1),
        at(2020, 12, 31),
        at(2021, 1, 1),
        at(2021, 5, 31),
    ]
    # A table is not a sentence: its header labels no cell, so nothing is claimed from it.
    assert opening_and_deadline(page("mucf_bidrag_ungdomsutbyte_2020_old_url.txt"), reference=TODAY) == (
        None,
        None,
    )


# --- Nordplus, Svenska institutet, euro-access, URBACT ---------------------------------------


def test_nordplus_first_of_february_every_year() -> None:
    # "Deadline for applications: 1 February every year" … "before midnight – 23:59 CET".
    text = page("nordplus_application_rounds.txt")
    assert "23:59 CET" in text
    _, deadline = opening_and_deadline(text, reference=TODAY)
    assert shape(deadline) == (at(2027, 2, 1), DAY)  # the next one after 27 November 2026
    # The day's last minute in Stockholm is 23:59 CET: the same instant as Nordplus's own.
    assert deadline.latest == datetime(2027, 2, 1, 23, 59, tzinfo=BRUSSELS)  # type: ignore[union-attr]
    _, deadline = opening_and_deadline(text, reference=date(2026, 1, 10))
    assert shape(deadline) == (at(2026, 2, 1), DAY)


def test_nordplus_phrase_with_its_time() -> None:
    # SOURCES.md: "Nordplus (fixed rounds: 1 February 23:59 CET)".
    found = parse_date("1 February 23:59 CET", reference=TODAY)
    assert shape(found) == (datetime(2027, 2, 1, 23, 59, tzinfo=BRUSSELS), MINUTE)


@pytest.mark.parametrize("reference", [date(2023, 11, 1), TODAY])
def test_svenska_institutet_deadline_written_twice(reference: date) -> None:
    # "Öppen för ansökningar till 15 februari" … "Utlysningen stänger 15 februari 2024." …
    # "(Utlysningen gällande såddfinansiering stängde 20 september 2023.)"
    text = page("si_baltic_sea_neighbourhood_programme.txt")
    _, deadline = opening_and_deadline(text, reference=reference)
    assert shape(deadline) == (at(2024, 2, 15), DAY)
    assert [d.start for d in find_dates(text, reference=reference)] == [
        at(2024, 2, 15),
        at(2024, 2, 15),
        at(2023, 9, 20),
    ]


@pytest.mark.parametrize(
    ("name", "start"),
    [
        ("euro-access_calls_1811_interreg_bsr_small_projects.txt", at(2025, 6, 5, 23, 59)),
        ("euro-access_calls_1237_town_twinning.txt", at(2024, 9, 19, 17, 0)),
    ],
)
def test_euro_access_numeric_deadlines(name: str, start: datetime) -> None:
    # "05.06.2025 23:59" and "19.09.2024 17:00": day first; amounts like "€ 4,000,000.00" aren't dates.
    assert [shape(d) for d in find_dates(page(name), reference=TODAY)] == [(start, MINUTE)]


def test_urbact_call_period() -> None:
    # "Edited on 09/04/2026"; "URBACT call for Networks is open, 17 March - 17 June 2026";
    # "Open until 17 June 2026"; the networks then run "between 1 November 2026 and 30 April 2029".
    text = page("urbact_call_action_networks_2026.txt")
    opening, deadline = opening_and_deadline(text, reference=TODAY)
    assert (shape(opening), shape(deadline)) == ((at(2026, 3, 17), DAY), (at(2026, 6, 17), DAY))
    found = find_dates(text, reference=TODAY)
    assert found[0].start == at(2026, 4, 9)
    assert found[-2:] == [
        FuzzyDate(at(2026, 11, 1), DAY, "1 November 2026"),
        FuzzyDate(at(2029, 4, 30), DAY, "30 April 2029"),
    ]


# --- Interreg (Norwegian and Danish pages, interreg.no's iCalendar) ---------------------------


def test_interreg_no_opening_date_and_frist() -> None:
    # "Opening date\n\n15. januar 2018\n\nFrist\n\n15. februar 2018", Oslo time.
    opening, deadline = opening_and_deadline(
        page("interreg_no_utlysninger_interreg-sverige-norge-2.txt"), zone=OSLO, reference=TODAY
    )
    assert shape(opening) == (datetime(2018, 1, 15, tzinfo=OSLO), DAY)
    assert shape(deadline) == (datetime(2018, 2, 15, tzinfo=OSLO), DAY)
    assert deadline.latest == datetime(2018, 2, 15, 23, 59, tzinfo=OSLO)  # type: ignore[union-attr]
    assert deadline.zone is OSLO  # type: ignore[union-attr]


def test_interreg_oks_danish_round() -> None:
    # "Fra den 13. januar til den 14. februar 2025 tager Interreg Öresund-Kattegat-Skagerrak i mod
    # ansøgninger" … "I december 2024 beslutter …" … "I maj-juni 2025 træffer …"
    text = page("interreg_oks_ansogningsrunde_2025-1.txt")
    opening, deadline = opening_and_deadline(text, zone=OSLO, reference=TODAY)
    assert shape(opening) == (datetime(2025, 1, 13, tzinfo=OSLO), DAY)
    assert shape(deadline) == (datetime(2025, 2, 14, tzinfo=OSLO), DAY)
    months = [d.start for d in find_dates(text, zone=OSLO, reference=TODAY) if d.precision == MONTH]
    assert months == [
        datetime(2024, 12, 1, tzinfo=OSLO),
        datetime(2025, 5, 1, tzinfo=OSLO),
        datetime(2025, 6, 1, tzinfo=OSLO),
    ]


def test_interreg_no_icalendar() -> None:
    # DTSTART;TZID=Europe/Oslo:20240320T080000 / DTEND;TZID=Europe/Oslo:20240606T120000, and in
    # the description "open from 20 March to 7 June 2024 (12:00 noon CEST – Paris time)".
    # (The event ends on 6 June while the text says 7 June: both are read as written.)
    text = page("interreg_no_kalender_2024-05-21_outlook-ical.ics.txt")
    found = {d.text: d for d in find_dates(text, zone=OSLO, reference=TODAY)}
    assert found["20240320T080000"].start == datetime(2024, 3, 20, 8, 0, tzinfo=OSLO)
    assert found["20240606T120000"].start.astimezone(UTC) == datetime(2024, 6, 6, 10, 0, tzinfo=UTC)  # type: ignore[union-attr]
    assert found["20240321T155557Z"].start == datetime(2024, 3, 21, 15, 55, tzinfo=UTC)
    opening, deadline = opening_and_deadline(text, zone=OSLO, reference=TODAY)
    assert shape(opening) == (datetime(2024, 3, 20, tzinfo=OSLO), DAY)
    assert shape(deadline) == (datetime(2024, 6, 7, 12, 0, tzinfo=BRUSSELS), MINUTE)
    assert deadline.start.astimezone(UTC) == datetime(2024, 6, 7, 10, 0, tzinfo=UTC)  # type: ignore[union-attr]


def test_interreg_sverige_norge_next_call_and_decision_month() -> None:
    # "Beslut kommer att tas i maj 2024." … "Nästa utlysning öppnar 15 augusti." …
    # "(2014–2020)". Read with a reference in spring 2024, before that decision.
    text = page("interreg_sverige_norge_utlysning5_sv.txt")
    found = find_dates(text, reference=date(2024, 3, 1))
    assert [shape(d) for d in found] == [(at(2024, 5, 1), MONTH), (at(2024, 8, 15), DAY)]
    assert found[0].latest == at(2024, 5, 31, 23, 59)
    opening, deadline = opening_and_deadline(text, reference=date(2024, 3, 1))
    assert (shape(opening), deadline) == ((at(2024, 8, 15), DAY), None)


@pytest.mark.parametrize("reference", [date(2023, 4, 14), date(2024, 1, 15)])
def test_interreg_north_sea_weekday_fixes_the_year(reference: date) -> None:
    # "A guidance note for Call 3 … will be published on Monday, 17 April." 17 April was a Monday
    # in 2023 (and in 2017 and 2028), the year of Call 3; in 2024 it was a Wednesday.
    found = find_dates(page("interregnorthsea_important_update_call3.txt"), reference=reference)
    monday = [d for d in found if d.text.startswith("Monday")]
    assert [d.start for d in monday] == [at(2023, 4, 17)]
    assert monday[0].start.weekday() == 0  # type: ignore[union-attr]


# --- VGR, Fyrbodal, Leader, ESF, Vinnova -----------------------------------------------------


@pytest.mark.parametrize("reference", [date(2020, 12, 1), TODAY])
def test_vgr_call_opens_and_closes_at_four(reference: date) -> None:
    # "Utlysningen öppnar den 15 januari och stänger den 15 mars 2021 kl. 16.00."
    text = page("motesplatssteneby_vgr_utlyser_hallbar_platsutveckling.txt")
    assert [d.start for d in find_dates(text, reference=reference)] == [at(2021, 1, 15), at(2021, 3, 15, 16)]
    opening, deadline = opening_and_deadline(text, reference=reference)
    assert shape(opening) == (at(2021, 1, 15), DAY)
    assert shape(deadline) == (at(2021, 3, 15, 16, 0), MINUTE)
    assert deadline.start.utcoffset().total_seconds() == 3600  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "name", ["fyrbodal_projektsida_att_soka.txt", "fyrbodal_nyhet_arets_utlysning_oppen.txt"]
)
def test_fyrbodal_call_without_a_year(name: str) -> None:
    # "Under perioden den 20 maj – den 23 augusti öppnar Fyrbodals kommunalförbund …" and
    # "Idag, den 20 maj, öppnar … Utlysningen är öppen fram till den 23 augusti." The news item was
    # published that day: the reference is 20 May 2024 (the "Verksamhetsplan 2024-2026" year).
    text = page(name)
    opening, deadline = opening_and_deadline(text, reference=date(2024, 5, 20))
    assert shape(opening) == (at(2024, 5, 20), DAY)
    assert shape(deadline) == (at(2024, 8, 23), DAY)
    assert deadline.latest == at(2024, 8, 23, 23, 59)  # type: ignore[union-attr]
    # "2024-2026", "2021-2030", "2024-2027", "projektmedel för 2025": periods and years, not dates.
    assert len(find_dates(text, reference=date(2024, 5, 20))) == 2


def test_esf_news_date_and_months() -> None:
    # "8 juli 2022" under the title; "ESF+ 2021–2027"; "Beräknad projektstart är januari/februari 2023".
    found = find_dates(page("esf_nyheter_forsta_utlysningarna_esf_plus_2022.txt"), reference=TODAY)
    assert [shape(d) for d in found] == [
        (at(2022, 7, 8), DAY),
        (at(2023, 1, 1), MONTH),
        (at(2023, 2, 1), MONTH),
    ]


def test_amal_page_date_beside_a_phone_number() -> None:
    # "Telefon: 0532-170 20" … "Sidan uppdaterades 2022-10-24"
    assert [shape(d) for d in find_dates(page("amal_lokalt_ledd_utveckling_leader.txt"))] == [
        (at(2022, 10, 24), DAY)
    ]


@pytest.mark.parametrize(
    "name",
    [
        # opening hours "Vardagar 10-16.30 (lunchstängt 12-13)", "031 368 33 65", "412 56 Göteborg"
        "vgr_europa_direkt_vastra_gotaland.txt",
        # "upp till 2 mkr", "10 mkr", "minst 3 behovsägarorganisationer"
        "vinnova_e_gemensamma-ai-formagor-i-kommuner-2023-01699.txt",
        # "Regional utvecklingsstrategi för Västra Götaland 2021-2030", "2022–2025"
        "vgr_vg2030_kraftsamlingar.txt",
        # "Interreg Sverige-Norge 2021–2027"
        "wangen_fakta_interreg_sverige_norge_delomraden.txt",
        # "Budgetansökan är öppen en gång per år, oftast med deadline i februari": no day, no year
        "uhr_erasmus_ackreditering_skola.txt",
    ],
)
def test_pages_without_dates(name: str) -> None:
    text = page(name)
    assert find_dates(text, reference=TODAY) == []
    assert opening_and_deadline(text, reference=TODAY) == (None, None)


def test_vinnova_rendered_api_output() -> None:
    # Diarienummer such as 2017-02942 and 2016-02752, cut values like "2022-1…", phone numbers
    # "08-473 31 61": none is a date. The one date is in "utlysningstext (reviderad 2017-09-18)".
    text = read(shared_fixtures() / "swedish" / "vinnova" / "vinnova-api-output-as-rendered.md")
    assert "2017-02942" in text and "2022-1…" in text
    assert [shape(d) for d in find_dates(text, reference=TODAY)] == [(at(2017, 9, 18), DAY)]


# --- SOURCES.md's list of Swedish dates seen -------------------------------------------------


def test_the_phrasings_listed_in_sources_md() -> None:
    text = read(shared_fixtures().parent / "SOURCES.md")
    line = next(x for x in text.splitlines() if "Swedish dates seen" in x)
    following = text[text.index(line) :].split("\n- ")[0]
    quoted = re.findall(r"`([^`]+)`", following)
    assert "Öppnar: Maj 2023 / Stänger: Ej bestämt" in quoted
    opening, deadline = opening_and_deadline("Öppnar: Maj 2023 / Stänger: Ej bestämt", reference=TODAY)
    assert shape(opening) == (at(2023, 5, 1), MONTH)
    assert deadline == FuzzyDate(None, UNKNOWN, "Ej bestämt")
    read_as = {q: parse_date(q, reference=date(2025, 6, 1)) for q in quoted}
    assert shape(read_as["15 mars 2026"]) == (at(2026, 3, 15), DAY)
    assert shape(read_as["19 dec. 2025"]) == (at(2025, 12, 19), DAY)
    assert shape(read_as["2023-12-21"]) == (at(2023, 12, 21), DAY)
    assert shape(read_as["den 20 maj – den 23 augusti"]) == (at(2025, 5, 20), DAY)
    assert read_as["kl. 16.00"] is None and read_as["klockan 12.00"] is None  # a time alone


# --- every page ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", PAGE_NAMES or ["(pages-text absent)"])
def test_every_date_found_is_sane(name: str) -> None:
    """Every date read from every page is from 2015–2030, as written there, and in a known zone."""
    if not PAGE_NAMES:
        pytest.skip(f"{PAGES} is absent (EUMONITOR_SHARED_FIXTURES names the fixtures folder)")
    text = page(name)
    zone = OSLO if name.startswith("interreg_no_") else STOCKHOLM
    for found in find_dates(text, zone=zone, reference=TODAY):
        assert found.start is not None and 2015 <= found.start.year <= 2030, (found, name)
        assert found.precision in (MINUTE, DAY, MONTH)
        assert found.text in text
        assert found.earliest <= found.latest  # type: ignore[operator]
        assert str(found.zone) in ("Europe/Stockholm", "Europe/Oslo", "Europe/Brussels", "UTC")


def test_the_pages_are_there_to_check() -> None:
    if not PAGE_NAMES:
        pytest.skip(f"{PAGES} is absent (EUMONITOR_SHARED_FIXTURES names the fixtures folder)")
    assert len(PAGE_NAMES) == 38  # as ../shared/fixtures/README.md says
