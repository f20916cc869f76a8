"""monitor.legal: CELEX numbers, the LegalItem record and its digest."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest

from monitor.legal import (
    KINDS,
    LegalItem,
    LegalPage,
    Subject,
    celex_kind,
    celex_url,
    normalize_celex,
)
from monitor.records import BRUSSELS


@pytest.mark.parametrize(
    ("celex", "kind"),
    [
        ("32022L2555", "directive"),  # NIS2
        ("32020L2184", "directive"),  # drinking water
        ("31998L0083", "directive"),
        ("32016R0679", "regulation"),  # GDPR
        ("32026R2101", "regulation"),
        ("32026D1999", "decision"),
        ("52026PC0388", "proposal"),
        ("52026DC0470", "proposal"),
        ("32020L2184R(03)", "directive"),  # a corrigendum: the act's kind
        ("02020L2184-20240112", "directive"),  # a consolidated version
        ("62024CC0286", None),  # case law
        ("72022L2555SWE_123", None),  # a national transposition measure
        ("12012E/TXT", None),  # a treaty
        ("52026SC0123", None),  # a staff working document
        ("32019H0605", None),  # a recommendation
        ("not a celex", None),
        ("", None),
        (None, None),
    ],
)
def test_celex_kind(celex, kind):
    assert celex_kind(celex) == kind


@pytest.mark.parametrize(
    ("text", "celex"),
    [
        ("32022L2555", "32022L2555"),
        (" celex:32022l2555 ", "32022L2555"),
        ("CELEX%3A32022L2555", "32022L2555"),
        ("CELEX:32020L2184R(01)", "32020L2184R(01)"),
        ("Directive 2022/2555", None),
        (None, None),
    ],
)
def test_normalize_celex(text, celex):
    assert normalize_celex(text) == celex


def drinking_water(**changes) -> LegalItem:
    item = LegalItem.for_act(
        "32020L2184",
        "directive",
        "cellar",
        title_sv="Europaparlamentets och rådets direktiv (EU) 2020/2184 om kvaliteten på dricksvatten",
        title_en="Directive (EU) 2020/2184 on the quality of water intended for human consumption",
        date=date(2020, 12, 16),
        transposition_deadlines=[date(2023, 1, 12)],
        subjects=[Subject("http://eurovoc.europa.eu/1365", "dricksvatten", "drinking water")],
    )
    return replace(item, **changes) if changes else item


def test_an_act_is_keyed_by_celex_and_links_to_the_swedish_page():
    item = drinking_water()
    assert item.id == "celex:32020L2184"
    assert item.url == "https://eur-lex.europa.eu/legal-content/SV/TXT/?uri=CELEX:32020L2184"
    assert item.url_en == celex_url("32020L2184", "en")
    assert item.title.startswith("Europaparlamentets")
    assert item.subject_labels == ["dricksvatten", "drinking water"]
    assert item.next_transposition == date(2023, 1, 12)


def test_title_falls_back_to_english_then_the_id():
    assert drinking_water(title_sv=None).title.startswith("Directive")
    assert drinking_water(title_sv=None, title_en=None).title == "celex:32020L2184"


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="okänd typ"):
        LegalItem(id="x:1", kind="communication", source="s")
    assert set(KINDS) >= {"directive", "regulation", "decision", "proposal", "consultation", "referral"}


def test_digest_is_stable_and_sees_every_change():
    item = drinking_water()
    assert item.digest() == drinking_water().digest()
    changed = [
        drinking_water(transposition_deadlines=[date(2023, 1, 13)]),
        drinking_water(title_sv="Ny titel"),
        drinking_water(subjects=[Subject("http://eurovoc.europa.eu/1365", "dricksvatten", None)]),
        drinking_water(in_force=True),
        drinking_water(feedback_end=datetime(2027, 1, 1, tzinfo=BRUSSELS)),
    ]
    digests = {item.digest(), *(c.digest() for c in changed)}
    assert len(digests) == len(changed) + 1


def test_merged_with_fills_only_what_is_missing():
    from_feed = LegalItem.for_act(
        "32020L2184",
        "directive",
        "eurlex",
        title_en="Directive (EU) 2020/2184 …",
        published=date(2020, 12, 23),
    )
    full = drinking_water()
    merged = from_feed.merged_with(full)
    assert merged.title_en == "Directive (EU) 2020/2184 …"  # kept
    assert merged.published == date(2020, 12, 23)
    assert merged.title_sv == full.title_sv and merged.subjects == full.subjects
    assert merged.transposition_deadlines == [date(2023, 1, 12)]
    assert full.completeness() > from_feed.completeness()
    with pytest.raises(ValueError):
        from_feed.merged_with(LegalItem.for_act("32022L2555", "directive", "cellar"))


def test_to_dict_gives_iso_text():
    data = drinking_water(feedback_end=datetime(2027, 1, 1, 23, 59, tzinfo=BRUSSELS)).to_dict()
    assert data["date"] == "2020-12-16"
    assert data["transposition_deadlines"] == ["2023-01-12"]
    assert data["feedback_end"] == "2027-01-01T23:59:00+01:00"
    assert data["subjects"] == [
        {"uri": "http://eurovoc.europa.eu/1365", "label_sv": "dricksvatten", "label_en": "drinking water"}
    ]


def test_a_legal_page_reads_like_a_parsed_page():
    page = LegalPage(items=[drinking_water()], rows=3)
    assert page.listings == [] and page.complete is False and page.warnings == []


# --- expectations in tests/fixtures/<legal source>/<case>.expected.json -----------------------------


def check_item(item: LegalItem, want: dict) -> None:
    """Compare an item with one expected entry; only the keys the entry names are compared.

    Plain keys compare with the item's to_dict() value (dates as ISO text); `<field>_contains` is a
    substring; `subject_uris` and `subject_labels` are exact lists, `subject_labels_include` a subset.
    """
    data = item.to_dict()
    for key, expected in want.items():
        if key.startswith("_"):
            continue
        if key.endswith("_contains"):
            name = key.removesuffix("_contains")
            assert name in data, f"unknown expectation key {key}"
            assert expected in (data[name] or ""), f"{item.id}: {name} lacks {expected!r}"
        elif key == "subject_uris":
            assert [s.uri for s in item.subjects] == expected, item.id
        elif key == "subject_labels":
            assert item.subject_labels == expected, item.id
        elif key == "subject_labels_include":
            missing = set(expected) - set(item.subject_labels)
            assert not missing, f"{item.id}: subjects lack {missing}"
        else:
            assert key in data, f"unknown expectation key {key}"
            assert data[key] == expected, f"{item.id}: {key}"


def check_page(page: LegalPage, want: dict) -> None:
    """rows, dropped, warnings (a count), warnings_contain, total and the items, in order."""
    assert page.rows == want["rows"]
    assert page.dropped == want["dropped"]
    assert len(page.warnings) == want["warnings"], page.warnings
    for text in want.get("warnings_contain", []):
        assert any(text in w for w in page.warnings), text
    if "total" in want:
        assert page.total == want["total"]
    assert page.complete is False
    assert [i.id for i in page.items] == [w["id"] for w in want["items"]]
    for item, expected in zip(page.items, want["items"], strict=True):
        check_item(item, expected)
