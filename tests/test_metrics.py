"""nDCG@k, precision@k and evaluate(): values computed by hand in the comments."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from matcher_areas import AREAS, GLOSSARY

from matchers.bm25 import bm25_scores
from matchers.metrics import (
    area_metrics,
    dcg_at_k,
    evaluate,
    expected_ndcg_at_k,
    ndcg_at_k,
    precision_at_k,
    rank_labels,
)
from matchers.model import AreaSpec, MatchInput

EVAL_SET = Path(__file__).parent / "fixtures" / "eval" / "calls.jsonl"


def test_dcg_by_hand():
    # ranking [2, 0, 1]: (2²−1)/log2(2) + 0/log2(3) + (2¹−1)/log2(4) = 3/1 + 0 + 1/2 = 3.5
    assert dcg_at_k([2, 0, 1], 3) == pytest.approx(3.5)
    # k = 1 keeps only the first: 3
    assert dcg_at_k([2, 0, 1], 1) == pytest.approx(3.0)


def test_ndcg_by_hand():
    # DCG [2, 0, 1] = 3.5 (above); ideal [2, 1, 0]: 3/1 + 1/log2(3) = 3 + 0.630930 = 3.630930
    # nDCG = 3.5 / 3.630930 = 0.963940
    assert ndcg_at_k([2, 0, 1], 3) == pytest.approx(0.963940, abs=1e-6)
    assert ndcg_at_k([2, 1, 0], 3) == pytest.approx(1.0)


def test_ndcg_ideal_comes_from_all_labels_not_only_the_top_k():
    # the top 2 are [1, 0], but a 2 exists further down: DCG = 1/log2(2) = 1,
    # ideal top 2 = [2, 1]: 3 + 1/log2(3) = 3.630930, nDCG = 1 / 3.630930 = 0.275412
    assert ndcg_at_k([1, 0], 2, all_labels=[1, 0, 2]) == pytest.approx(0.275412, abs=1e-6)
    # nothing relevant in the top k at all: 0
    assert ndcg_at_k([0, 0, 2], 2) == 0.0


def test_ndcg_is_zero_when_nothing_is_relevant():
    assert ndcg_at_k([0, 0, 0], 3) == 0.0


def test_precision_counts_label_one_and_two():
    # [2, 0, 1, 0]: first 2 hold one relevant → 1/2; all 4 hold two → 2/4
    assert precision_at_k([2, 0, 1, 0], 2) == 0.5
    assert precision_at_k([2, 0, 1, 0], 4) == 0.5
    assert precision_at_k([1, 1, 0], 2) == 1.0
    # fewer calls than k: divided by the number of calls
    assert precision_at_k([1], 10) == 1.0


def test_expected_ndcg_averages_over_the_orders_of_tied_scores():
    # scores 1, 1, 0 with labels 2, 0, 1 (k = 3): the two orders of the tie give rankings [2, 0, 1]
    # (DCG 3.5) and [0, 2, 1] (0 + 3/log2(3) + 1/2 = 2.392789); ideal [2, 1, 0] = 3.630930
    both = [ndcg_at_k([2, 0, 1], 3), ndcg_at_k([0, 2, 1], 3)]
    assert expected_ndcg_at_k([1, 1, 0], [2, 0, 1], 3) == pytest.approx(sum(both) / 2)
    assert expected_ndcg_at_k([1, 1, 0], [2, 0, 1], 3) == pytest.approx(
        (3.5 + 2.392789) / 2 / 3.630930, abs=1e-6
    )
    # without ties it is plain nDCG; a tie group cut by k counts only its ranks within k
    assert expected_ndcg_at_k([3, 2, 1], [0, 2, 1], 3) == pytest.approx(ndcg_at_k([0, 2, 1], 3))
    # k = 1, all tied: the first rank gets the mean gain (3 + 0 + 1) / 3 over the ideal 3
    assert expected_ndcg_at_k([5, 5, 5], [2, 0, 1], 1) == pytest.approx(4 / 9)
    assert expected_ndcg_at_k([1, 0], [0, 0], 2) == 0.0


def test_expected_ndcg_matches_the_mean_over_shuffles():
    rng = np.random.default_rng(7)
    labels = rng.integers(0, 3, 40).tolist()
    scores = rng.integers(0, 3, 40).tolist()  # heavily tied, like labels used as scores
    orders = []
    for _ in range(4000):
        jitter = rng.random(40) * 1e-3
        orders.append(ndcg_at_k(rank_labels((np.array(scores) + jitter).tolist(), labels), 10, labels))
    assert expected_ndcg_at_k(scores, labels, 10) == pytest.approx(np.mean(orders), abs=0.01)


def test_ties_are_broken_pessimistically():
    # scores 1, 1, 0.5 with labels 2, 0, 1: the tie puts the 0 first
    assert rank_labels([1.0, 1.0, 0.5], [2, 0, 1]) == [0, 2, 1]
    assert rank_labels([3.0, 1.0, 2.0], [0, 2, 1]) == [0, 1, 2]


def test_mean_leaves_out_areas_without_relevant_calls():
    scores = np.array([[0.9, 0.1], [0.5, 0.8], [0.1, 0.3]])
    labels = np.array([[2, 0], [0, 0], [1, 0]])
    result = area_metrics(scores, labels, ["a", "b"], k=2)
    # area a ranks [2, 0, 1]; at k = 2: DCG 3, ideal [2, 1]: 3.630930 → 0.826240
    assert result["a"]["ndcg"] == pytest.approx(0.8262, abs=1e-4)
    assert result["a"]["precision"] == 0.5
    assert result["b"] == {"ndcg": 0.0, "precision": 0.0}
    assert result["mean_ndcg"] == result["a"]["ndcg"]


def test_bm25_by_hand():
    # two calls: "youth exchange" (2 words) and "town twinning town" (3 words); query "youth".
    # N = 2, df = 1: idf = ln(1 + (2 − 1 + 0.5)/(1 + 0.5)) = ln 2 = 0.693147
    # avgdl = 2.5; call 1: tf 1, dl 2: K = 1.5·(1 − 0.75 + 0.75·2/2.5) = 1.275
    # score = 0.693147 · 1·2.5/(1 + 1.275) = 0.761700; call 2: 0
    inputs = [MatchInput("1", "youth exchange"), MatchInput("2", "town twinning town")]
    area = AreaSpec("ungdom", "Youth")
    scores = bm25_scores(inputs, [area])
    assert scores[0, 0] == pytest.approx(0.761700, abs=1e-6)
    assert scores[1, 0] == 0.0


def test_bm25_is_naive_about_inflections():
    # the baseline does not stem: "ungdomsutbyten" is not "ungdomsutbyte"
    inputs = [MatchInput("1", "Ungdomsutbyten i Europa"), MatchInput("2", "Ungdomsutbyte i Europa")]
    area = AreaSpec("ungdom", "Unga", terms_sv=["ungdomsutbyte"])
    scores = bm25_scores(inputs, [area])
    assert scores[0, 0] == 0.0 < scores[1, 0]


def test_evaluate_reports_both_systems_per_area():
    def line(id_: str, title: str, text: str, lang: str, labels: dict) -> dict:
        return {"id": id_, "title": title, "text": text, "lang": lang, "labels": labels}

    lines = [
        line(
            "tt",
            "Town twinning",
            "Town twinning brings citizens of twin towns together.",
            "en",
            {"vanort": 2},
        ),
        line("vo", "Vänortsbidrag", "Bidrag till vänortssamarbete mellan kommuner.", "sv", {"vanort": 2}),
        line("qc", "Quantum algorithms", "Quantum software for fault-tolerant computers.", "en", {}),
        line("ch", "Semiconductor chips", "Wafer-scale processes for 2D materials.", "en", {}),
    ]
    result = evaluate(lines, AREAS, GLOSSARY, k=2)
    assert set(result) == {"matcher", "bm25"}
    for system in result.values():
        assert set(system) == {a.key for a in AREAS} | {"mean_ndcg"}
        assert all(0.0 <= system[a.key]["ndcg"] <= 1.0 for a in AREAS)
    # only vanort has relevant calls, so the mean is vanort's; the matcher puts both first
    assert result["matcher"]["vanort"]["ndcg"] == pytest.approx(1.0)
    assert result["matcher"]["mean_ndcg"] == result["matcher"]["vanort"]["ndcg"]


@pytest.mark.skipif(not EVAL_SET.exists(), reason="the labelled set is not there")
def test_matcher_beats_bm25_on_the_labelled_set():
    lines = [json.loads(line) for line in EVAL_SET.read_text(encoding="utf-8").splitlines() if line.strip()]
    result = evaluate(lines, AREAS, GLOSSARY, k=10)
    assert result["matcher"]["mean_ndcg"] > result["bm25"]["mean_ndcg"] + 0.1
    assert not math.isnan(result["matcher"]["mean_ndcg"])
