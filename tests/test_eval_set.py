"""tests/fixtures/eval/calls.jsonl: the labelled set `eumonitor evaluate` is measured on.

Data-integrity checks only (no matcher involved), and the form of the shipped real examples.
`problems()` lists everything wrong with a set of lines; the real file must have none, and each rule is
shown to fire on a deliberately broken copy so the checks cannot pass vacuously.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from matchers.text import bag_of_words

EVAL_DIR = Path(__file__).parent / "fixtures" / "eval"
CALLS = EVAL_DIR / "calls.jsonl"
README = EVAL_DIR / "README.md"

AREAS = ("sysselsattning", "kompetens", "levnadsvillkor", "ungdom", "vanort", "finansiering")
LANGS = ("sv", "en")
REQUIRED_KEYS = {"id", "title", "text", "lang", "labels"}
MIN_CALLS = 80
MIN_PER_LANG = 30
MIN_TWOS = 6  # per area: calls labelled 2
MIN_RELEVANT = 8  # per area: calls labelled >= 1
MIN_NEARLY_ZERO_SHARE = 0.60  # calls with no 2 and at most one 1
MIN_WORDS = 40


def nearly_zero(labels: dict) -> bool:
    values = list(labels.values())
    return max(values) <= 1 and sum(values) <= 1


def problems(lines: list[str]) -> list[str]:
    """Everything wrong with the eval set given as its lines (without line endings)."""
    found: list[str] = []
    records: list[dict] = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            found.append(f"line {n}: blank line")
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            found.append(f"line {n}: not JSON ({exc.msg})")
            continue
        if not isinstance(rec, dict):
            found.append(f"line {n}: not a JSON object")
            continue
        missing = REQUIRED_KEYS - rec.keys()
        if missing:
            found.append(f"line {n}: missing keys {sorted(missing)}")
            continue
        for key in ("id", "title", "text"):
            if not isinstance(rec[key], str) or not rec[key].strip():
                found.append(f"line {n}: empty or non-string {key}")
        if isinstance(rec["text"], str) and 0 < len(rec["text"].split()) < MIN_WORDS:
            found.append(f"line {n}: text shorter than {MIN_WORDS} words")
        if rec["lang"] not in LANGS:
            found.append(f"line {n}: lang {rec['lang']!r} not in {LANGS}")
        labels = rec["labels"]
        if not isinstance(labels, dict) or set(labels) != set(AREAS):
            found.append(f"line {n}: labels must have exactly the keys {AREAS}")
            continue
        bad = {k: v for k, v in labels.items() if type(v) is not int or v not in (0, 1, 2)}
        if bad:
            found.append(f"line {n}: labels not 0/1/2: {bad}")
            continue
        records.append(rec)

    ids = Counter(r["id"] for r in records if isinstance(r["id"], str))
    found += [f"duplicate id {i!r} ({c} times)" for i, c in ids.items() if c > 1]

    if len(lines) < MIN_CALLS:
        found.append(f"only {len(lines)} lines, need at least {MIN_CALLS}")
    per_lang = Counter(r["lang"] for r in records)
    for lang in LANGS:
        if per_lang[lang] < MIN_PER_LANG:
            found.append(f"only {per_lang[lang]} {lang} calls, need at least {MIN_PER_LANG}")
    for area in AREAS:
        twos = sum(r["labels"][area] == 2 for r in records)
        relevant = sum(r["labels"][area] >= 1 for r in records)
        if twos < MIN_TWOS:
            found.append(f"{area}: {twos} calls labelled 2, need at least {MIN_TWOS}")
        if relevant < MIN_RELEVANT:
            found.append(f"{area}: {relevant} calls labelled >= 1, need at least {MIN_RELEVANT}")
    if records:
        share = sum(nearly_zero(r["labels"]) for r in records) / len(records)
        if share < MIN_NEARLY_ZERO_SHARE:
            found.append(f"only {share:.0%} of calls are (nearly) all-zero, need {MIN_NEARLY_ZERO_SHARE:.0%}")
    return found


def read_lines() -> list[str]:
    text = CALLS.read_text(encoding="utf-8")
    assert text.endswith("\n"), "calls.jsonl must end with a newline"
    return text[:-1].split("\n")


def test_eval_set_is_valid() -> None:
    assert problems(read_lines()) == []


def assert_distribution_table(records: list[dict], text: str) -> None:
    """The first label table in `text` (a row `| `area` | n0 | n1 | n2 |` per area) counts `records`."""
    for area in AREAS:
        counts = Counter(r["labels"][area] for r in records)
        row = re.search(rf"^\| `{area}` \| (\d+) \| (\d+) \| (\d+) \|$", text, re.M)
        assert row, f"no distribution row for {area}"
        assert tuple(map(int, row.groups())) == (counts[0], counts[1], counts[2]), area


def test_readme_distribution_matches_file() -> None:
    records = [json.loads(line) for line in read_lines()]
    readme = README.read_text(encoding="utf-8")
    assert f"{len(records)} calls" in readme
    assert_distribution_table(records, readme)


def test_readme_documents_the_examples_file() -> None:
    """The README's section on examples.jsonl gives its size and label table as the file has them."""
    text = (EVAL_DIR / "examples.jsonl").read_text(encoding="utf-8")
    records = [json.loads(line) for line in text.splitlines()]
    section = README.read_text(encoding="utf-8").split("# Third file: written examples", 1)[1]
    assert f"holds {len(records)} more" in section
    assert_distribution_table(records, section)
    langs = Counter(r["lang"] for r in records)
    shown = f"{langs['en']} English, {langs['sv']} Swedish, {langs['no']} Norwegian and {langs['da']} Danish"
    assert shown in section


def test_the_real_examples_keep_words_not_the_publishers_text() -> None:
    """real-examples.jsonl: every text is a bag of words (its words sorted, as bench/bag_examples.py writes);
    ids are unique and each names its set; the README's section gives its size and label table."""
    records = [
        json.loads(line)
        for line in (EVAL_DIR / "real-examples.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    for record in records:
        assert bag_of_words(record["text"]) == record["text"], record["id"]  # already a bag
        assert re.fullmatch(r"blind\d+-[a-z]\d+", record["id"]), record["id"]
        assert set(record["labels"]) == set(AREAS) and set(record["labels"].values()) <= {0, 1, 2}
        assert record["source"].startswith("http")
    assert len({record["id"] for record in records}) == len(records)
    section = README.read_text(encoding="utf-8").split("# Fourth file: real calls as bags of words", 1)[1]
    assert f"holds **{len(records)} real calls**" in section
    assert_distribution_table(records, section)


def _bag_examples_script():
    """bench/bag_examples.py, imported from its file (bench/ is scripts, not a package)."""
    import importlib.util

    path = Path(__file__).parent.parent / "bench" / "bag_examples.py"
    spec = importlib.util.spec_from_file_location("bag_examples", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_words_only_one_example_has_are_left_out_of_the_bags() -> None:
    """`bag_examples.py --min-examples 2` drops from each bag the words no other example has, keeps the
    titles whole and every other word as often as it was; the shipped file was written so."""
    drop_rare_words = _bag_examples_script().drop_rare_words
    lines = [
        {"id": "a", "title": "Unique Title", "text": "exchange exchange twinning zebra"},
        {"id": "b", "title": "Other", "text": "exchange twinning youth"},
        {"id": "c", "title": "Third", "text": "youth quokka"},
    ]
    kept = drop_rare_words(lines, 2)
    texts = [line["text"] for line in kept]
    assert texts == ["exchange exchange twinning", "exchange twinning youth", "youth"]
    assert [line["title"] for line in kept] == ["Unique Title", "Other", "Third"]
    assert drop_rare_words(lines, 1) == lines
    shipped = (EVAL_DIR / "real-examples.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in shipped]
    examples_with = Counter(word for record in records for word in set(record["text"].split()))
    assert min(examples_with.values()) >= 2


# --- the checks can fail: each mutation of the real file must be reported ----------------------------


def _mutate(lines: list[str], index: int, **changes) -> list[str]:
    out = list(lines)
    rec = json.loads(out[index])
    for key, value in changes.items():
        if key.startswith("label_"):
            rec["labels"][key.removeprefix("label_")] = value
        elif value is None:
            rec.pop(key)
        else:
            rec[key] = value
    out[index] = json.dumps(rec, ensure_ascii=False)
    return out


def _drop_area_relevance(lines: list[str], area: str, keep: int) -> list[str]:
    """Zero `area` on all but the first `keep` calls labelled 2 there."""
    out, seen = [], 0
    for line in lines:
        rec = json.loads(line)
        if rec["labels"][area] == 2:
            seen += 1
            if seen > keep:
                rec["labels"][area] = 0
        out.append(json.dumps(rec, ensure_ascii=False))
    return out


def _drop_key(lines: list[str]) -> list[str]:
    rec = json.loads(lines[0])
    del rec["labels"]["vanort"]
    return [json.dumps(rec, ensure_ascii=False), *lines[1:]]


def _all_relevant(lines: list[str]) -> list[str]:
    out = []
    for line in lines:
        rec = json.loads(line)
        rec["labels"]["finansiering"] = 2
        out.append(json.dumps(rec, ensure_ascii=False))
    return out


BREAKAGES = {
    "unparsable line": (lambda ls: [*ls[:-1], ls[-1][:-5]], "not JSON"),
    "blank line": (lambda ls: [*ls[:3], "", *ls[3:]], "blank line"),
    "duplicate id": (lambda ls: _mutate(ls, 1, id=json.loads(ls[0])["id"]), "duplicate id"),
    "bad lang": (lambda ls: _mutate(ls, 0, lang="no"), "lang 'no'"),
    "missing area": (_drop_key, "exactly the keys"),
    "label 3": (lambda ls: _mutate(ls, 0, label_ungdom=3), "not 0/1/2"),
    "label as string": (lambda ls: _mutate(ls, 0, label_ungdom="2"), "not 0/1/2"),
    "label as bool": (lambda ls: _mutate(ls, 0, label_ungdom=True), "not 0/1/2"),
    "empty text": (lambda ls: _mutate(ls, 0, text="  "), "empty or non-string text"),
    "stub text": (lambda ls: _mutate(ls, 0, text="Town twinning call."), "shorter than"),
    "missing title": (lambda ls: _mutate(ls, 0, title=None), "missing keys"),
    "too few lines": (lambda ls: ls[:79], "need at least 80"),
    "too few English": (lambda ls: [x for x in ls if json.loads(x)["lang"] == "sv"], "en calls"),
    "too few twos": (lambda ls: _drop_area_relevance(ls, "vanort", 5), "vanort: 5 calls labelled 2"),
    "too many relevant calls": (lambda ls: _all_relevant(ls), "(nearly) all-zero"),
}


@pytest.mark.parametrize("name", sorted(BREAKAGES))
def test_checks_catch_broken_copies(name: str) -> None:
    breaker, expected = BREAKAGES[name]
    found = problems(breaker(read_lines()))
    assert any(expected in p for p in found), found


def test_too_few_relevant_per_area_is_caught() -> None:
    lines = read_lines()
    out = []
    for line in lines:
        rec = json.loads(line)
        rec["labels"]["ungdom"] = 0
        out.append(json.dumps(rec, ensure_ascii=False))
    out = _mutate(out, 0, label_ungdom=1)
    found = problems(out)
    assert "ungdom: 1 calls labelled >= 1, need at least 8" in found
    assert "ungdom: 0 calls labelled 2, need at least 6" in found
