"""How good a ranking is: nDCG@k and precision@k on labelled calls, matcher against BM25.

Definitions (labels 0, 1, 2 per call and area; a ranking is a list of labels, best-scored first):

    DCG@k  = Σ_{i=1..k} (2^rel_i − 1) / log2(i + 1)
    nDCG@k = DCG@k of the ranking / DCG@k of the ideal ranking (all labels sorted high to low)
    P@k    = (number of the first k with label ≥ 1) / k

- nDCG is 0 when nothing is relevant (the ideal DCG is 0): there is nothing to rank well. Such areas
  are left out of `mean_ndcg`, as trec_eval leaves out queries without relevant documents: any
  ranking is as good as any other there, and counting them would only pull every system's mean down.
- With fewer than k calls, P@k divides by the number of calls.
- Ties in score are broken pessimistically, the lowest label first: a system gets no credit for
  luck in the order of the input.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from matchers.bm25 import bm25_scores
from matchers.model import AreaSpec, Context, Example, Glossary, match_input_from_labelled


def dcg_at_k(ranked_labels: Sequence[int], k: int) -> float:
    """Discounted cumulative gain of the first k labels (gain 2^rel − 1, discount log2(rank + 1))."""
    return sum((2**rel - 1) / math.log2(rank + 2) for rank, rel in enumerate(ranked_labels[:k]))


def ndcg_at_k(ranked_labels: Sequence[int], k: int, all_labels: Iterable[int] | None = None) -> float:
    """DCG@k over the ideal DCG@k of all labels (default: the ranked ones); 0 when nothing is relevant."""
    ideal = sorted(ranked_labels if all_labels is None else all_labels, reverse=True)
    best = dcg_at_k(ideal, k)
    return dcg_at_k(ranked_labels, k) / best if best > 0 else 0.0


def precision_at_k(ranked_labels: Sequence[int], k: int) -> float:
    """Share of the first k with label ≥ 1 (of all of them when there are fewer than k)."""
    top = ranked_labels[:k]
    return sum(1 for rel in top if rel >= 1) / len(top) if top else 0.0


def rank_labels(scores: Sequence[float], labels: Sequence[int]) -> list[int]:
    """Labels in the order of descending score, ties broken pessimistically (lowest label first)."""
    order = sorted(range(len(scores)), key=lambda i: (-scores[i], labels[i]))
    return [labels[i] for i in order]


def expected_ndcg_at_k(scores: Sequence[float], labels: Sequence[int], k: int) -> float:
    """nDCG@k expected over every order of tied scores, exactly: a group of calls tied on one
    score and holding ranks r … r+m−1 gives each of those ranks its mean gain.

    For rankings with many ties, such as one labeller's labels used as scores (`bench/agreement.py`),
    where breaking them pessimistically would make any ranking by labels look poor and breaking them
    by input order would reward luck."""
    ideal = dcg_at_k(sorted(labels, reverse=True), k)
    if ideal == 0:
        return 0.0
    groups: dict[float, list[int]] = {}
    for score, label in zip(scores, labels, strict=True):
        groups.setdefault(score, []).append(2**label - 1)
    dcg, rank = 0.0, 0
    for score in sorted(groups, reverse=True):
        gains = groups[score]
        mean = sum(gains) / len(gains)
        for place in range(rank, min(rank + len(gains), k)):
            dcg += mean / math.log2(place + 2)
        rank += len(gains)
        if rank >= k:
            break
    return dcg / ideal


def area_metrics(score_matrix: np.ndarray, labels: np.ndarray, keys: Sequence[str], k: int) -> dict[str, Any]:
    """{"<area>": {"ndcg", "precision"}, …, "mean_ndcg"} for a calls × areas score matrix."""
    result: dict[str, Any] = {}
    means = []
    for a, key in enumerate(keys):
        column = labels[:, a].tolist()
        ranked = rank_labels(score_matrix[:, a].tolist(), column)
        ndcg = ndcg_at_k(ranked, k, column)
        result[key] = {"ndcg": round(ndcg, 4), "precision": round(precision_at_k(ranked, k), 4)}
        if any(column):
            means.append(ndcg)
    result["mean_ndcg"] = round(sum(means) / len(means), 4) if means else 0.0
    return result


def label_matrix(lines: Sequence[Mapping[str, Any]], keys: Sequence[str]) -> np.ndarray:
    """The lines' labels as calls × areas (a missing label is 0)."""
    rows = [[int(line.get("labels", {}).get(key, 0)) for key in keys] for line in lines]
    return np.array(rows, dtype=int).reshape(len(lines), len(keys))


def evaluate(
    lines: Sequence[Mapping[str, Any]],
    areas: Sequence[AreaSpec],
    glossary: Glossary = (),
    k: int = 10,
    context: Context | None = None,
    examples: Sequence[Example] = (),
) -> dict[str, dict[str, Any]]:
    """nDCG@k and P@k per area for the matcher and for BM25; the lines are the corpus.

    Each line: {"id", "title", "text", "lang", "labels": {"<area>": 0|1|2, …}} (a missing label is 0).
    """
    from matchers.tfidf import Matcher  # scikit-learn only when evaluating

    inputs = [match_input_from_labelled(line) for line in lines]
    keys = [a.key for a in areas]
    labels = label_matrix(lines, keys)
    matcher = Matcher().fit(inputs, areas, glossary, context, examples)
    return {
        "matcher": area_metrics(matcher.raw_scores(inputs), labels, keys, k),
        "bm25": area_metrics(bm25_scores(inputs, areas), labels, keys, k),
    }
