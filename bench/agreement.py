"""How far two labellers agree on a labelled set, and where the matcher stands between them.

    .venv/bin/python bench/agreement.py A.jsonl B.jsonl            # A: `eumonitor evaluate`'s format
    .venv/bin/python bench/agreement.py A.jsonl B.jsonl --json

A is a labelled set as `eumonitor evaluate` reads it (id, title, text, lang, labels). B holds a
second labeller's labels for the same calls: one JSON object per line with at least "id" and
"labels" (the same ids as A, each once). Per area it prints:

- how often the two give the same label;
- nDCG@k of ranking the calls by B's labels, measured on A's labels, and the other way round
  (`matchers.metrics.expected_ndcg_at_k`: labels tie a lot, so every order of a tie counts equally);
- the matcher's and BM25's nDCG@k on each labeller's labels (`matchers.metrics.evaluate`, the shipped
  profile, its examples with an id in A left out, as `eumonitor evaluate` does).

A labeller's labels used as a ranking are what a reader who agrees with that labeller would put
first: the figures say how high any matcher can expect to score against another person's labels.
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

from matchers.metrics import evaluate, expected_ndcg_at_k  # noqa: E402
from monitor.errors import ConfigError  # noqa: E402
from monitor.evaluation import profile_examples, read_labelled  # noqa: E402


def read_second_labels(path: Path, ids: list[str], keys: list[str]) -> np.ndarray:
    """B's labels as calls × areas, in the order of `ids`. Each line is checked as `eumonitor
    evaluate` checks its own (file:line, only the id required); then B must label exactly A's calls."""
    found = {str(line["id"]): line["labels"] for line in read_labelled(path, keys, required=("id",))}
    missing = [call for call in ids if call not in found]
    extra = sorted(set(found) - set(ids))
    problems = []
    if missing:
        problems.append(f"{path}: no labels for {len(missing)} calls of the set, e.g. {missing[:3]}")
    if extra:
        problems.append(f"{path}: {len(extra)} ids not in the set, e.g. {extra[:3]}")
    if problems:
        raise ConfigError(problems)
    rows = [[int(found[call].get(key, 0)) for key in keys] for call in ids]
    return np.array(rows, dtype=int).reshape(len(ids), len(keys))


def agreement(first: np.ndarray, second: np.ndarray, keys: list[str], k: int) -> dict[str, Any]:
    """Per area: same label share, nDCG of B's ranking on A's labels and of A's on B's; their means
    over the areas where the measured labeller has a relevant call."""
    result: dict[str, Any] = {}
    means: dict[str, list[float]] = {"b_on_a": [], "a_on_b": []}
    for a, key in enumerate(keys):
        b_on_a = expected_ndcg_at_k(second[:, a].tolist(), first[:, a].tolist(), k)
        a_on_b = expected_ndcg_at_k(first[:, a].tolist(), second[:, a].tolist(), k)
        result[key] = {
            "same": float((first[:, a] == second[:, a]).mean()),
            "b_on_a": b_on_a,
            "a_on_b": a_on_b,
        }
        if first[:, a].any():
            means["b_on_a"].append(b_on_a)
        if second[:, a].any():
            means["a_on_b"].append(a_on_b)
    result["mean"] = {name: float(np.mean(values)) if values else 0.0 for name, values in means.items()}
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("first", type=Path, help="labelled set A (eumonitor evaluate's format)")
    parser.add_argument("second", type=Path, help="labeller B's labels for the same ids")
    add_options(parser)
    args = parser.parse_args()
    try:
        labelled = read_set(args.first, args.profile)
        ids = [str(line["id"]) for line in labelled.lines]
        second = read_second_labels(args.second, ids, labelled.keys)
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
    profile, areas, glossary, context = labelled.profile, labelled.areas, labelled.glossary, labelled.context
    keys, lines, first = labelled.keys, labelled.lines, labelled.labels
    examples = profile_examples(profile, measured=[(str(line["id"]), line["title"]) for line in lines])
    relabelled = [
        {**line, "labels": dict(zip(keys, row, strict=True))}
        for line, row in zip(lines, second.tolist(), strict=True)
    ]
    systems = {
        "A": evaluate(lines, areas, glossary, args.k, context, examples),
        "B": evaluate(relabelled, areas, glossary, args.k, context, examples),
    }
    result = {"agreement": agreement(first, second, keys, args.k), "systems": systems}
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    agree = result["agreement"]
    print(f"{len(ids)} calls; nDCG@{args.k}")
    columns = ("B on A", "A on B", "match A", "match B", "BM25 A", "BM25 B")
    print(f"{'area':16} {'same':>5} " + " ".join(f"{name:>8}" for name in columns))
    for key in keys:
        cells = [agree[key]["b_on_a"], agree[key]["a_on_b"]]
        cells += [systems[who][system][key]["ndcg"] for system in ("matcher", "bm25") for who in ("A", "B")]
        print(f"{key:16} {agree[key]['same']:5.2f} " + " ".join(f"{cell:8.3f}" for cell in cells))
    cells = [agree["mean"]["b_on_a"], agree["mean"]["a_on_b"]]
    cells += [systems[who][system]["mean_ndcg"] for system in ("matcher", "bm25") for who in ("A", "B")]
    print(f"{'mean':16} {'':5} " + " ".join(f"{cell:8.3f}" for cell in cells))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
