"""The second labelled set: real call texts captured from the sources, labelled for Åmål.

The texts stay in ../shared/fixtures/ (they may not be copied into the repository); the labels are
ours, in tests/fixtures/eval/real-labels.jsonl, one line per text with its `source` (a file under
../shared/fixtures/, or `file#identifier` for one topic of a portal answer). This module joins the
two into lines in `eumonitor evaluate`'s format:

    .venv/bin/python tests/real_eval.py /tmp/real.jsonl && .venv/bin/eumonitor evaluate /tmp/real.jsonl

The labels were given blind, from the strategy and the labelling rules in tests/fixtures/eval/README.md,
by someone who had not seen the matcher's scores on these texts (see that README).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from matchers.model import match_input_from_call  # noqa: E402
from monitor.sources.sedia import call_from_result  # noqa: E402

LABELS = HERE / "fixtures" / "eval" / "real-labels.jsonl"


def read_labels(path: Path = LABELS) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def real_lines(shared: Path) -> list[dict[str, Any]]:
    """Eval lines ({"id", "title", "text", "lang", "labels"}) for every labelled real text."""
    lines = []
    portal: dict[str, dict[str, Any]] = {}
    for label in read_labels():
        file, _, identifier = label["source"].partition("#")
        path = shared / file
        if identifier:
            if file not in portal:
                portal[file] = _portal_items(path)
            item = portal[file][identifier]
        else:
            item = _page_item(path)
        lang = "en" if label.get("lang") == "en" else "sv"  # Norwegian and Danish pages read as Swedish
        # A portal topic goes by its identifier, as the portal's calls do in any labelled set
        lines.append(
            {
                "id": identifier or label["source"],
                **item,
                "lang": item.get("lang") or lang,
                "labels": label["labels"],
            }
        )
    return lines


def _page_item(path: Path) -> dict[str, Any]:
    """A page's visible text: its first line is the heading. A calendar (cut, so no parser reads
    it whole) gives its event's SUMMARY and DESCRIPTION, as the ical source would."""
    text = path.read_text(encoding="utf-8", errors="replace").strip()
    if text.startswith("BEGIN:VCALENDAR"):
        unfolded = re.sub(r"\r?\n[ \t]", "", text)
        fields = dict(re.findall(r"^(SUMMARY|DESCRIPTION)[^:]*:(.*)$", unfolded, re.M))
        description = fields.get("DESCRIPTION", "").replace("\\n", "\n").replace("\\,", ",")
        return {"title": fields.get("SUMMARY", ""), "text": description.replace("\\;", ";")}
    title, _, body = text.partition("\n")
    return {"title": title.strip(), "text": body.strip()}


def _portal_items(path: Path) -> dict[str, dict[str, Any]]:
    """Topics of a SEDIA search answer or a grantsTenders.json extract, by identifier, as the
    matcher reads them (title; call title, description and conditions; keywords; programme)."""
    document = json.loads(path.read_text(encoding="utf-8"))
    items: dict[str, dict[str, Any]] = {}
    if "results" in document:
        for result in document["results"]:
            call = call_from_result(result, result["metadata"], "eu-portal")
            if call is None or call.identifier in items:
                continue
            found = match_input_from_call(call)
            items[call.identifier] = _item(found.title, found.text, found.keywords, found.programme)
        return items
    for topic in document["fundingData"]["GrantTenderObj"]:
        programme = (topic.get("frameworkProgramme") or {}).get("description")
        items[topic["identifier"]] = _item(
            topic.get("title") or "", topic.get("callTitle") or "", topic.get("tags") or [], programme
        )
    return items


def _item(title: str, text: str, keywords: Any, programme: str | None) -> dict[str, Any]:
    """The text with keywords and programme appended, as `Lexicon.count_and_flag` joins them."""
    body = text
    if keywords:
        body = f"{body}\n" + " ; ".join(keywords)
    if programme:
        body = f"{body}\n{programme}"
    return {"title": title, "text": body, "lang": "en"}


if __name__ == "__main__":
    from helpers import shared_fixtures

    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("real-eval.jsonl")
    found = real_lines(shared_fixtures())
    out.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in found), encoding="utf-8")
    print(f"{len(found)} lines → {out}")
