"""The real-text labelled set: real calls captured from the sources (../shared/fixtures), our labels.

The labels file is in the repository (tests/fixtures/eval/real-labels.jsonl); the texts are not, so
the measuring tests skip with the reason when ../shared/fixtures is absent.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import shared_fixtures
from real_eval import LABELS, read_labels, real_lines

from matchers.metrics import evaluate
from matchers.model import from_profile
from monitor.profile import load_profile

AREAS = ("sysselsattning", "kompetens", "levnadsvillkor", "ungdom", "vanort", "finansiering")


def test_the_labels_file_is_well_formed():
    labels = read_labels()
    assert len(labels) >= 50
    sources = [label["source"] for label in labels]
    assert len(set(sources)) == len(sources) and sources == sorted(sources)
    for label in labels:
        assert set(label["labels"]) == set(AREAS), label["source"]
        assert all(value in (0, 1, 2) for value in label["labels"].values()), label["source"]
        assert label["lang"] in ("sv", "en"), label["source"]
    assert json.loads(LABELS.read_text(encoding="utf-8").splitlines()[0])["source"] == sources[0]


@pytest.fixture(scope="module")
def lines() -> list[dict]:
    shared = shared_fixtures()
    if not (shared / "swedish" / "pages-text").is_dir():
        pytest.skip(reason=f"shared fixtures {shared} are absent: the real texts are not in the repository")
    return real_lines(shared)


@pytest.mark.conformance
def test_every_label_has_its_text(lines: list[dict]):
    assert len(lines) == len(read_labels())
    assert all(line["title"] for line in lines)
    pages = [line for line in lines if line["id"].startswith("swedish/")]
    # pages are cut at ~2,000 characters; one is a short news item with its text in the heading
    assert sum(1 for line in pages if len(line["text"].split()) >= 40) >= len(pages) - 1
    ics = next(line for line in lines if line["id"].endswith(".ics.txt"))
    assert ics["title"] == "Europe: Third call for projects" and "BEGIN:" not in ics["text"]


@pytest.mark.conformance
def test_the_matcher_beats_bm25_on_real_calls(lines: list[dict]):
    areas, glossary, context = from_profile(
        load_profile(Path(__file__).resolve().parents[1] / "profile.yaml")
    )
    result = evaluate(lines, areas, glossary, 10, context)
    assert result["matcher"]["mean_ndcg"] > result["bm25"]["mean_ndcg"] + 0.05
