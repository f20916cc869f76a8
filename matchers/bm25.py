"""The naive baseline: Okapi BM25 of each call against each area's plain profile words.

What a matcher that "only counts shared words" would do, to measure the real matcher against:
lower-cased words and stop words left out, but no stemming, no compound splitting, no glossary, no
phrases, no eligibility. An area's query is the distinct words of its name and its Swedish and
English terms (not its description: those are the profile's terms, the description is prose).

    score(d, q) = Σ_{t ∈ q} idf(t) · tf(t, d) · (k1 + 1) / (tf(t, d) + k1 · (1 − b + b · |d| / avgdl))
    idf(t)      = ln(1 + (N − df(t) + 0.5) / (df(t) + 0.5))        (never negative)

with k1 = 1.5, b = 0.75, |d| the call's word count and avgdl the corpus mean. A call is its title,
text, keywords and programme, each once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np

from matchers.model import AreaSpec, MatchInput
from matchers.text import STOP_WORDS, words

K1 = 1.5
B = 0.75


def plain_tokens(text: str) -> list[str]:
    """Lower-cased words without stop words; nothing else."""
    return [w for w in words(text) if w not in STOP_WORDS and len(w) >= 2]


def area_query(area: AreaSpec) -> list[str]:
    """The distinct plain words of an area's name and terms."""
    texts = [area.name, *area.terms_sv, *area.terms_en]
    return list(dict.fromkeys(t for text in texts for t in plain_tokens(text)))


def bm25_scores(
    inputs: Sequence[MatchInput], areas: Sequence[AreaSpec], k1: float = K1, b: float = B
) -> np.ndarray:
    """BM25 scores, calls × areas, with the inputs themselves as the corpus."""
    docs = [
        Counter(plain_tokens(" ".join([i.title, i.text, *i.keywords, i.programme or ""]))) for i in inputs
    ]
    scores = np.zeros((len(docs), len(areas)))
    if not docs:
        return scores
    lengths = np.array([sum(d.values()) for d in docs], dtype=float)
    avgdl = lengths.mean() or 1.0
    norm = k1 * (1 - b + b * lengths / avgdl)
    n = len(docs)
    df: Counter[str] = Counter()
    for d in docs:
        df.update(d.keys())
    for a, area in enumerate(areas):
        for term in area_query(area):
            if not df[term]:
                continue
            idf = np.log(1 + (n - df[term] + 0.5) / (df[term] + 0.5))
            tf = np.array([d.get(term, 0) for d in docs], dtype=float)
            scores[:, a] += idf * tf * (k1 + 1) / (tf + norm)
    return scores
