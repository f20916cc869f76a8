"""The helpers that make the analyser's and eligibility's scans cheaper find exactly what the plain
scans find (matchers.text and matchers.eligibility)."""

from __future__ import annotations

import random

import matchers.eligibility as eligibility
from matchers.text import (
    _CROSS_BORDER,
    _CROSS_BORDER_GROUPS,
    _DOMESTIC_EU_FUNDS,
    _RESEARCH_ACTIONS,
    _RESEARCH_GROUPS,
    DOMESTIC_FUND_MARKS,
    contains_any,
    numbering,
    substring_groups,
)


def _texts(fragments: list[str], count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    separators = [" ", "", ". ", "? ", "! ", "; ", ".\n", "\n", "-", ", "]
    return [
        "".join(rng.choice(fragments) + rng.choice(separators) for _ in range(rng.randint(0, 12)))
        for _ in range(count)
    ]


def test_contains_any_finds_what_any_substring_test_finds() -> None:
    cases = [
        (_RESEARCH_ACTIONS, _RESEARCH_GROUPS),
        *((_CROSS_BORDER[lang], _CROSS_BORDER_GROUPS[lang]) for lang in _CROSS_BORDER),
    ]
    rng = random.Random(3)
    letters = "abcde"
    for _ in range(200):
        keys = tuple(
            "".join(rng.choice(letters) for _ in range(rng.randint(1, 4))) for _ in range(rng.randint(1, 8))
        )
        guards = tuple(
            "".join(rng.choice(letters) for _ in range(rng.randint(1, 2))) for _ in range(rng.randint(0, 3))
        )
        cases.append((keys, substring_groups(keys, guards)))
    for keys, groups in cases:
        fragments = [*keys, *(key[1:] for key in keys), *(key[:-1] for key in keys), "x", "a", "(", "-"]
        for text in _texts(fragments, 300, len(keys)):
            assert contains_any(text, groups) == any(key in text for key in keys), (text, keys)


def test_substring_groups_keep_every_key_that_no_other_key_covers() -> None:
    groups = substring_groups(
        ("innovation action", "research and innovation action", "(ria)", "(ia)"), ("(",)
    )
    assert groups == (("innovation action", ()), ("(", ("(ria)", "(ia)")))


def test_every_domestic_fund_has_one_of_the_marks_the_scan_looks_for_first() -> None:
    assert all(any(mark in fund for mark in DOMESTIC_FUND_MARKS) for fund in _DOMESTIC_EU_FUNDS)


def test_find_all_finds_what_a_find_loop_finds() -> None:
    def find_loop(low: str, anchor: str) -> list[int]:
        places, at = [], low.find(anchor)
        while at != -1:
            places.append(at)
            at = low.find(anchor, at + len(anchor))
        return places

    anchors = [*eligibility._ROOT, "applicants", "eligible eligible", "medmed"]
    fragments = [*anchors, "eligible", "med", "not", "stödberättigade", "x", "eligibl"]
    for text in _texts(fragments, 2000, 7):
        low = text.lower()
        shared: dict[str, list[int]] = {}
        for anchor in anchors:
            assert eligibility._find_all(low, anchor, shared) == find_loop(low, anchor), (low, anchor)


def test_named_places_are_the_places_names_finds() -> None:
    cases = [
        (eligibility._SWEDISH_REGIONS, eligibility._REGION_FORMS),
        (list(eligibility._COUNTRIES), eligibility._COUNTRY_FORMS),
    ]
    for places, forms in cases:
        fragments = [*places, *(p + "s" for p in places), "sverige", "län", "x"]
        for text in _texts(fragments, 500, len(places)):
            folded = eligibility._fold(text)
            words = {eligibility._fold(w) for w in eligibility._PLACE_WORD.findall(text)}
            want = [p for p in places if eligibility._names(words, folded, p)]
            assert eligibility._named_places(places, forms, words, folded) == want, text


def test_numbering_numbers_keys_in_order_of_first_look_up() -> None:
    numbers = numbering()
    assert [numbers[key] for key in ("b", "a", "b", "c")] == [0, 1, 0, 2]
    numbers["d"] = len(numbers)
    assert (
        numbers["e"] == 4
        and numbers.get("f") is None
        and dict(numbers) == {"b": 0, "a": 1, "c": 2, "d": 3, "e": 4}
    )
