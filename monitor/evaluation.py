"""`eumonitor evaluate`: a labelled JSONL file read and checked line by line, then measured.

The measuring itself is matchers.metrics.evaluate (the matcher and the BM25 baseline, nDCG@k and
precision@k per area). This module reads the file the way the configuration is read: every problem
at once, each with the file, the line and what to do.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection
from pathlib import Path
from typing import TYPE_CHECKING, Any

from monitor.errors import ConfigError
from monitor.profile import Profile

if TYPE_CHECKING:
    from matchers.model import Example, MatchInput
    from matchers.tfidf import Matcher

LABELS = (0, 1, 2)
# sv and en are analysed as given, Norwegian and Danish as Swedish, any other code detected
LANG_CODE = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")
# matchers.text.words' letters, for comparing titles (`_title_key`): not imported from there,
# because check-profile counts the examples through profile_examples and must not load numpy.
_TITLE_WORD = re.compile(r"[^\W\d_]+")


def read_labelled(
    path: Path, area_keys: list[str], required: tuple[str, ...] = ("id", "title")
) -> list[dict[str, Any]]:
    """The lines of a labelled set; ConfigError listing every bad line. `required`: the keys every
    line must have (a second person's labels for a set, `bench/agreement.py`, need only the id)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError([f"{path}: filen finns inte; ange en befintlig JSONL-fil"]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError([f"{path}: kan inte läsas: {exc}"]) from None
    problems: list[str] = []
    lines: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        where = f"{path}:{number}"
        try:
            line = json.loads(raw)
        except ValueError as exc:
            problems.append(f"{where}: ingen giltig JSON ({exc.msg}, kolumn {exc.colno})")
            continue
        if not isinstance(line, dict):
            problems.append(f"{where}: raden ska vara ett JSON-objekt med id, title, text, lang och labels")
            continue
        for key in required:
            if not line.get(key):
                problems.append(f"{where}: nyckeln '{key}' saknas eller är tom")
        if "text" in line and not isinstance(line["text"], str):
            problems.append(f"{where}: 'text' ska vara en sträng")
        lang = line.get("lang")
        if lang is not None and not (isinstance(lang, str) and LANG_CODE.match(lang)):
            problems.append(f"{where}: 'lang' ska vara en språkkod som sv, en eller no, inte {lang!r}")
        labels = line.get("labels")
        if not isinstance(labels, dict):
            problems.append(f'{where}: \'labels\' saknas; skriv t.ex. {{"vanort": 2, "ungdom": 1}}')
        else:
            for key, value in labels.items():
                if key not in area_keys:
                    problems.append(
                        f"{where}: labels: okänt område '{key}'; profilens områden: {', '.join(area_keys)}"
                    )
                elif value not in LABELS or isinstance(value, bool):
                    problems.append(f"{where}: labels.{key}: {value!r} ska vara 0, 1 eller 2")
        identifier = str(line.get("id"))
        if identifier in seen:
            problems.append(f"{where}: id '{identifier}' finns redan på rad {seen[identifier]}")
        seen.setdefault(identifier, number)
        lines.append(line)
    if not lines and not problems:
        problems.append(f"{path}: filen har inga rader")
    if problems:
        raise ConfigError(problems)
    return lines


def profile_examples(profile: Profile, measured: Collection[tuple[str, str]] = ()) -> list[Example]:
    """The profile's labelled examples (`examples:`, all its files), or none. `measured`: (id,
    title) of the calls being measured, whose examples are left out so that the matcher never
    learns from the answers it is measured on; by title too, because the same call may stand in an
    examples file under another id (the shipped real examples carry their set's name)."""
    from matchers.model import Example, match_input_from_labelled

    ids = {call_id for call_id, _ in measured}
    titles = {_title_key(title) for _, title in measured}
    examples: dict[str, Example] = {}  # by id: a call in two files counts once, as the last says
    for path in profile.examples_paths():
        for line in read_labelled(path, list(profile.areas)):
            call = match_input_from_labelled(line)
            labels = {key: int(value) for key, value in (line.get("labels") or {}).items()}
            examples[call.id] = Example(call, labels)
    return [
        example
        for call_id, example in examples.items()
        if call_id not in ids and _title_key(example.call.title) not in titles
    ]


def _title_key(title: str) -> str:
    """A title as compared for leaving out: its words in lower case, letters only."""
    return " ".join(_TITLE_WORD.findall(title.lower()))


def labelled_matcher(lines: list[dict[str, Any]], profile: Profile) -> tuple[Matcher, list[MatchInput]]:
    """A matcher fitted on a labelled set's calls, taught by the profile's examples but those in the
    set (as `evaluate_file` teaches it), and the calls as its inputs: for the bench scripts."""
    from matchers.model import from_profile, match_input_from_labelled
    from matchers.tfidf import Matcher

    areas, glossary, context = from_profile(profile)
    inputs = [match_input_from_labelled(line) for line in lines]
    examples = profile_examples(profile, measured=[(call.id, call.title) for call in inputs])
    return Matcher().fit(inputs, areas, glossary, context, examples), inputs


def evaluate_file(path: Path, profile: Profile, k: int = 10) -> dict[str, dict[str, Any]]:
    """{"matcher": {area: {"ndcg", "precision"}, …, "mean_ndcg"}, "bm25": {…}} for the file.

    The profile's examples whose id is in the file are left out: the matcher never learns from the
    answers it is measured on (measured on the examples file itself, it uses none)."""
    from matchers.metrics import evaluate
    from matchers.model import from_profile

    areas, glossary, context = from_profile(profile)
    lines = read_labelled(path, [a.key for a in areas])
    examples = profile_examples(profile, measured=[(str(line["id"]), line["title"]) for line in lines])
    return evaluate(lines, areas, glossary, k, context, examples)


def evaluation_table(result: dict[str, dict[str, Any]], area_names: dict[str, str], k: int) -> list[str]:
    """The figures side by side, in Swedish, with the better mean named."""
    width = max(len(name) for name in area_names.values()) if area_names else 20
    header = (
        f"{'Område':<{width}}  {'nDCG@' + str(k):>9} {'P@' + str(k):>6}   {'BM25 nDCG':>9} {'P@' + str(k):>6}"
    )
    lines = [header, "-" * len(header)]
    matcher, bm25 = result["matcher"], result["bm25"]
    for key, name in area_names.items():
        ours, theirs = matcher.get(key), bm25.get(key)
        if ours is None or theirs is None:
            continue
        lines.append(
            f"{name:<{width}}  {_num(ours['ndcg']):>9} {_num(ours['precision']):>6}   "
            f"{_num(theirs['ndcg']):>9} {_num(theirs['precision']):>6}"
        )
    lines.append("-" * len(header))
    lines.append(
        f"{'Medel-nDCG':<{width}}  {_num(matcher['mean_ndcg']):>9} {'':>6}   {_num(bm25['mean_ndcg']):>9}"
    )
    verdict = "bättre än" if matcher["mean_ndcg"] > bm25["mean_ndcg"] else "inte bättre än"
    lines.append(f"Matchningen är {verdict} BM25 på denna mängd.")
    return lines


def _num(value: float) -> str:
    return f"{value:.3f}".replace(".", ",")
