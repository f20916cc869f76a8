"""Regeringen.se's feeds of remisser and lagrådsremisser through the `rss` kind (records: referrals)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from helpers import shared_fixture

from monitor.config import parse_sources
from monitor.errors import ConfigError, ParseError
from monitor.http import Fetched
from monitor.profile import load_profile
from monitor.sources.rss import parse_referrals

FIXTURE = Path(__file__).parent / "fixtures" / "regeringen" / "remisser.xml"
REPO = Path(__file__).resolve().parent.parent


def fetched(path: Path) -> Fetched:
    return Fetched(url="https://www.regeringen.se/Filter/RssFeed", content=path.read_bytes())


def test_referrals_become_legal_items_with_their_categories_as_subjects() -> None:
    page = parse_referrals(fetched(FIXTURE), "regeringen")
    first, second = page.items
    assert first.kind == "referral" and first.id.startswith("regeringen:6c1f0e2a")
    assert first.title_sv == "Genomförande av det omarbetade avloppsdirektivet"
    assert first.date == date(2026, 10, 15)
    assert first.url.endswith("/genomforande-av-det-omarbetade-avloppsdirektivet/")
    labels = [s.label_sv for s in first.subjects]
    assert "Miljö och klimat" in labels and "Lagrådsremiss" in labels and "Regeringen" not in labels
    assert "avloppsvatten" in first.summary
    assert second.subjects[0].label_sv == "Barn- och ungdomsutbildning"


def test_referrals_are_routed_to_the_forvaltning_they_concern() -> None:
    from matchers.routing import Router, glossary_from_profile, specs_from_profile

    profile = load_profile(REPO / "profile.yaml")
    router = Router(specs_from_profile(profile), glossary_from_profile(profile))
    waste_water, preschool = parse_referrals(fetched(FIXTURE), "regeringen").items
    assert router.route(waste_water).routed_to[0] == "sbf"
    assert router.route(preschool).routed_to == ["buf"]


def test_an_empty_feed_is_an_error_and_records_is_checked(tmp_path: Path) -> None:
    empty = tmp_path / "empty.xml"
    empty.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>')
    with pytest.raises(ParseError):
        parse_referrals(fetched(empty), "regeringen")
    text = "sources:\n  - id: r\n    kind: rss\n    url: https://example.org/feed\n    records: remisser\n"
    from monitor.config import load_yaml

    path = tmp_path / "sources.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        parse_sources(load_yaml(path), str(path))
    assert "måste vara calls eller referrals" in str(caught.value)


@pytest.mark.conformance
def test_the_captured_regeringen_feed_reads_as_referrals() -> None:
    page = parse_referrals(
        fetched(shared_fixture("eurlex", "regeringen-lagradsremiss.rss.xml")), "regeringen"
    )
    assert len(page.items) == 3 and all(item.kind == "referral" for item in page.items)
    assert page.items[0].title_sv == "Skärpta villkor för friskolesektorn"
    assert "Barn- och ungdomsutbildning" in [s.label_sv for s in page.items[0].subjects]
