"""What a labelled set's nDCG@k rewards: the matcher against rankings that know part of the answer.

    .venv/bin/python bench/ceiling.py FILE.jsonl [--k 10] [--json]    # `eumonitor evaluate`'s format

Per area it prints how many calls carry each label and these nDCG@k (gains 2^label − 1, so a 2
is worth three 1s; ties counted at their expected value, `matchers.metrics.expected_ndcg_at_k`):

- `matcher`: the shipped profile's matcher, its examples with an id in FILE left out (as `eumonitor
  evaluate` does, but with ties at their expected value instead of pessimistically broken);
- `relevant`: a ranking that knows exactly which calls are relevant (label ≥ 1) and nothing more:
  all of them first, 2s and 1s in any order. It is what a perfect "is this about the area?" gives;
- `no 0s`: the matcher's order with every 0 moved below every relevant call;
- `2s first`: the matcher's order with the 2s moved to the top.

On real sets labelled for Åmål (80–95 calls, most areas with one to five 2s among 10–35 1s),
`relevant` lies below the matcher and `2s first` far above it: the figure is decided by telling the
few calls whose main purpose is the area from the many that touch it (see the README, *Matching*).
Not a test: nothing runs it in CI.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from labelled import add_options, read_set  # noqa: E402

from matchers.metrics import expected_ndcg_at_k  # noqa: E402
from monitor.errors import ConfigError  # noqa: E402
from monitor.evaluation import labelled_matcher  # noqa: E402

RANKINGS = ("matcher", "relevant", "no 0s", "2s first")


def ceilings(scores: np.ndarray, labels: np.ndarray, keys: list[str], k: int) -> dict[str, Any]:
    """Per area the label counts and the nDCG@k of each of RANKINGS; their means over the areas
    with a relevant call (as `matchers.metrics.area_metrics` counts them). Pure: calls × areas in."""
    # The matcher's order as ranks in [0, 1): added to a step, it orders the calls within the step.
    order = np.argsort(np.argsort(scores, axis=0, kind="stable"), axis=0) / max(len(scores), 1)
    rankings = {
        "matcher": scores,
        "relevant": (labels >= 1).astype(float),
        "no 0s": (labels >= 1) + order,
        "2s first": (labels == 2) + order,
    }
    result: dict[str, Any] = {}
    means: dict[str, list[float]] = {name: [] for name in RANKINGS}
    for a, key in enumerate(keys):
        column = labels[:, a].tolist()
        row: dict[str, Any] = {f"label_{n}": column.count(n) for n in (2, 1, 0)}
        for name in RANKINGS:
            row[name] = expected_ndcg_at_k(rankings[name][:, a].tolist(), column, k)
            if any(column):
                means[name].append(row[name])
        result[key] = row
    result["mean"] = {name: float(np.mean(values)) if values else 0.0 for name, values in means.items()}
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", type=Path, help="a labelled set (eumonitor evaluate's format)")
    add_options(parser)
    args = parser.parse_args()
    try:
        labelled = read_set(args.file, args.profile)
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
    matcher, inputs = labelled_matcher(labelled.lines, labelled.profile)  # scikit-learn from here
    keys = labelled.keys
    result = ceilings(matcher.raw_scores(inputs), labelled.labels, keys, args.k)
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"{len(labelled.lines)} calls; nDCG@{args.k}")
    print(f"{'area':16} {'2s':>4} {'1s':>4} {'0s':>4} " + " ".join(f"{name:>9}" for name in RANKINGS))
    for key in keys:
        row = result[key]
        counts = " ".join(f"{row[f'label_{n}']:>4}" for n in (2, 1, 0))
        print(f"{key:16} {counts} " + " ".join(f"{row[name]:9.3f}" for name in RANKINGS))
    print(f"{'mean':16} {'':14} " + " ".join(f"{result['mean'][name]:9.3f}" for name in RANKINGS))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
