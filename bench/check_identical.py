"""Check that the matcher's results are bit-identical to a saved reference (for speed work).

    .venv/bin/python bench/check_identical.py --save     # the reference, from the code as it is
    .venv/bin/python bench/check_identical.py --check    # the code now against it; exit 1 on a difference

What is compared, exactly (floats equal, lists equal):
- the benchmark corpus (bench/match.py's Generator, its seed, 20,000 calls): every `Result` of
  `Matcher(workers=N).fit_score(…)` for N = 1, 2, 3, taught by the shipped profile's examples as the
  benchmark is, the fitted vocabulary, `raw_scores` of the first calls, `score()` of the 100 new calls
  the benchmark scores incrementally, and the ridge penalties chosen;
- the labelled evaluation set (tests/fixtures/eval/calls.jsonl) with profile.yaml's areas, glossary,
  context and examples (those with an id in the set left out), built as `eumonitor evaluate` builds
  them: `fit` and `raw_scores` (what the evaluation measures), and every `Result` of `fit_score`.
  (Until 2026-11-29 neither part used the examples, so the examples' model was not compared.)

Results do not depend on Python's hash seed (the profile's tokens that no call has join the
vocabulary sorted; tests/test_matchers.py checks it), so the reference holds from one process to
the next. The reference is a pickle under bench/out/ (git-ignored). The workers' results are also compared
with each other, so a speed-up that only holds with one process shows.
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from match import Generator, examples  # noqa: E402
from matcher_areas import AREAS, GLOSSARY  # noqa: E402

from matchers.model import from_profile  # noqa: E402
from monitor.evaluation import labelled_matcher, profile_examples  # noqa: E402
from monitor.profile import load_profile  # noqa: E402

OUT = Path(__file__).resolve().parent / "out"
REFERENCE = OUT / "identical-reference.pkl"
EVAL = ROOT / "tests" / "fixtures" / "eval" / "calls.jsonl"
WORKERS = (1, 2, 3)


def _results(results: list) -> list[tuple]:
    return [(r.id, r.scores, r.best_area, r.why, r.eligible, r.ineligible_reason) for r in results]


def bench_outputs(calls: int, workers: int) -> dict[str, Any]:
    from matchers.tfidf import Matcher

    generator = Generator()
    corpus = [generator.call(n) for n in range(calls)]
    new = [generator.call(calls + n) for n in range(100)]
    started = time.perf_counter()
    matcher = Matcher(workers=workers)
    results = matcher.fit_score(corpus, AREAS, GLOSSARY, examples=examples())
    print(f"  bench, workers={workers}: fit_score {time.perf_counter() - started:.2f} s", flush=True)
    return {
        "results": _results(results),
        "vocabulary": list(matcher.vocabulary.items()),
        "raw": matcher.raw_scores(corpus[:500]).tolist(),
        "incremental": _results(matcher.score(new)),
        "learned_alphas": matcher.learned_alphas,
    }


def eval_outputs() -> dict[str, Any]:
    from matchers.tfidf import Matcher

    profile = load_profile(ROOT / "profile.yaml")
    areas, glossary, context = from_profile(profile)
    lines = [json.loads(raw) for raw in EVAL.read_text(encoding="utf-8").splitlines() if raw.strip()]
    matcher, inputs = labelled_matcher(lines, profile)
    raw = matcher.raw_scores(inputs).tolist()
    taught = profile_examples(profile, measured=[(item.id, item.title) for item in inputs])
    scored = Matcher()
    results = scored.fit_score(inputs, areas, glossary, context, taught)
    return {
        "raw": raw,
        "vocabulary": list(matcher.vocabulary.items()),
        "results": _results(results),
        "fit_score_vocabulary": list(scored.vocabulary.items()),
    }


def outputs(calls: int) -> dict[str, Any]:
    print(f"computing (bench: {calls} calls, workers {WORKERS}; eval set)", flush=True)
    return {
        "calls": calls,
        "bench": {n: bench_outputs(calls, n) for n in WORKERS},
        "eval": eval_outputs(),
    }


def differences(name: str, want: Any, got: Any, limit: int = 5) -> list[str]:
    """The first `limit` places where two nested values differ (exactly: floats too)."""
    found: list[str] = []

    def walk(path: str, a: Any, b: Any) -> None:
        if len(found) >= limit:
            return
        if type(a) is not type(b):
            found.append(f"{path}: type {type(a).__name__} != {type(b).__name__}")
        elif isinstance(a, dict):
            if list(a) != list(b):
                found.append(f"{path}: keys {list(a)} != {list(b)}")
                return
            for key in a:
                walk(f"{path}[{key!r}]", a[key], b[key])
        elif isinstance(a, (list, tuple)):
            if len(a) != len(b):
                found.append(f"{path}: length {len(a)} != {len(b)}")
            for n, (x, y) in enumerate(zip(a, b, strict=False)):
                walk(f"{path}[{n}]", x, y)
        elif a != b:
            found.append(f"{path}: {a!r} != {b!r}")

    if want != got:  # the fast path: a deep == first
        walk(name, want, got)
        if not found:
            found.append(f"{name}: differs (not located)")
    return found


def across_workers(one: dict[str, Any], other: dict[str, Any], n: int) -> list[str]:
    """Differences between workers=1 and workers=n. The vocabulary's columns are numbered in order
    of first appearance slice after slice, so they depend on the slicing: compared as a set here
    (and exactly, per number of workers, against the reference). The order of the columns is the
    order in which sparse products add, so the raw float scores may differ in their last bit
    between worker counts (they did before any speed work). The examples' model is solved by
    conjugate gradients to a tolerance of 1e-6 (`_examples_model`), whose iterations follow the
    columns' order too, so raw scores differ by up to about 2e-6 relative between worker counts:
    compared to 1e-5 relative here, exactly against the reference. The results (rounded scores,
    best areas, why) are compared exactly."""
    problems = []
    for part in one:
        if part == "raw":
            import numpy as np

            a, b = np.array(one[part]), np.array(other[part])
            if not np.allclose(a, b, rtol=1e-5, atol=0):
                worst = float(np.max(np.abs(a - b) / np.maximum(np.abs(a), 1e-300)))
                problems.append(f"bench workers={n} vs 1: raw differ over 1e-5 relative ({worst:.2e})")
        elif part == "vocabulary":
            tokens = sorted(t for t, _ in one[part]), sorted(t for t, _ in other[part])
            problems += differences(f"bench workers={n} vs 1: {part} (as a set)", *tokens)
        else:
            problems += differences(f"bench workers={n} vs 1: {part}", one[part], other[part])
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--save", action="store_true", help="write the reference from the current code")
    mode.add_argument("--check", action="store_true", help="compare the current code with the reference")
    parser.add_argument("--calls", type=int, default=20_000)
    args = parser.parse_args()

    now = outputs(args.calls)
    problems: list[str] = []
    for n in WORKERS[1:]:
        problems += across_workers(now["bench"][1], now["bench"][n], n)
    if args.save:
        if problems:
            print("\n".join(["NOT saved: the workers disagree", *problems]))
            return 1
        OUT.mkdir(exist_ok=True)
        REFERENCE.write_bytes(pickle.dumps(now, protocol=pickle.HIGHEST_PROTOCOL))
        print(f"saved {REFERENCE}")
        return 0
    reference = pickle.loads(REFERENCE.read_bytes())
    if reference["calls"] != args.calls:
        print(f"the reference has {reference['calls']} calls; run with --calls {reference['calls']}")
        return 1
    for n in WORKERS:
        for part, value in reference["bench"][n].items():
            problems += differences(f"bench workers={n} {part}", value, now["bench"][n][part])
    for part, value in reference["eval"].items():
        problems += differences(f"eval {part}", value, now["eval"][part])
    if problems:
        print("\n".join(["DIFFERENT:", *problems]))
        return 1
    bench = now["bench"][1]
    print(f"IDENTICAL: bench {len(bench['results'])} results × workers {WORKERS}, "
          f"{len(bench['vocabulary'])} tokens; eval {len(now['eval']['results'])} results")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
