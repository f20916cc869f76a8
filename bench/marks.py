"""What marks teach the matcher: a coordinator who marks the top calls of each area, simulated.

    .venv/bin/python bench/marks.py                          # the shipped written set
    .venv/bin/python bench/marks.py FILE.jsonl [FILE …]      # any sets in `eumonitor evaluate`'s format
    .venv/bin/python bench/marks.py --top 10

For each set and each area: the matcher is fitted on the set (with the shipped profile's examples,
less those whose id is in the set, as `eumonitor evaluate` does) and ranks the calls; the coordinator
marks the `--top` (5) best-ranked calls with what their label says (2: relevant, 1: interesting,
0: not relevant), as `eumonitor mark ID … --area KEY` would; the matcher learns them (`adjust`, as
`eumonitor match` applies stored marks). The figure is the mean nDCG@10 of the calls the coordinator
did not mark, ranked before and after: what the marks teach about calls nobody marked. When
../shared/fixtures is there, the real-text set (tests/real_eval.py) is measured too.

A quality figure, not a test: it reads the profile and labelled sets as they are.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from matchers.metrics import label_matrix, ndcg_at_k, rank_labels  # noqa: E402
from monitor.evaluation import labelled_matcher, read_labelled  # noqa: E402
from monitor.profile import Profile, load_profile  # noqa: E402

WRITTEN = ROOT / "tests" / "fixtures" / "eval" / "calls.jsonl"
SHARED = ROOT.parent / "shared" / "fixtures"
K = 10


def simulate(lines: list[dict[str, Any]], profile: Profile, top: int) -> dict[str, tuple[float, float]]:
    """Per area with a relevant call left unmarked: (nDCG@10 of the unmarked calls before, after)."""
    keys = list(profile.areas)
    labels = label_matrix(lines, keys)
    matcher, inputs = labelled_matcher(lines, profile)
    before = matcher.raw_scores(inputs)
    out: dict[str, tuple[float, float]] = {}
    for column, key in enumerate(keys):
        marked = np.argsort(-before[:, column], kind="stable")[:top]
        by_label = {value: [inputs[i] for i in marked if labels[i, column] == value] for value in (0, 1, 2)}
        # `interesting` counts as relevant, as `eumonitor match` applies it
        matcher.adjust(key, relevant=by_label[2] + by_label[1], not_relevant=by_label[0])
        after = matcher.raw_scores(inputs)
        matcher.adjust(key)  # back to the profile's vector: each area is simulated on its own
        rest = np.setdiff1d(np.arange(len(lines)), marked)
        truth = labels[rest, column]
        if not truth.any():
            continue
        out[key] = (
            ndcg_at_k(rank_labels(before[rest, column], truth), K, truth),
            ndcg_at_k(rank_labels(after[rest, column], truth), K, truth),
        )
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("files", nargs="*", type=Path, help="labelled sets (default: the written set)")
    parser.add_argument("--top", type=int, default=5, help="calls marked per area (default 5)")
    parser.add_argument("--profile", type=Path, default=ROOT / "profile.yaml")
    args = parser.parse_args()
    profile = load_profile(args.profile)
    sets: dict[str, list[dict[str, Any]]] = {}
    for path in args.files or [WRITTEN]:
        sets[path.name] = read_labelled(path, list(profile.areas))
    if not args.files and SHARED.is_dir():
        import real_eval

        sets["real texts (../shared)"] = real_eval.real_lines(SHARED)
    print(f"top {args.top} calls per area marked with their labels; nDCG@{K} of the calls not marked")
    for name, lines in sets.items():
        result = simulate(lines, profile, args.top)
        print(f"\n{name}: {len(lines)} calls")
        for key, (was, now) in result.items():
            print(f"  {key:16s} {was:.3f} → {now:.3f}")
        was, now = (float(np.mean([pair[n] for pair in result.values()])) for n in (0, 1))
        print(f"  {'mean':16s} {was:.3f} → {now:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
