"""The page_watch kind on recorded pages and end to end, and summarize_change on its own.

Each `tests/fixtures/page_watch/<case>.expected.json` names its page (`<case>.html`), where it was
served from, its headers, the settings, and either the record expected, an error, or `same_as`:
another case whose record this page must give unchanged (cosmetic differences only).
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

import monitor.sources.page_watch  # noqa: F401  (registers the kind)
from monitor.config import SourceConfig, load_sources
from monitor.demo.sedia_server import Reply
from monitor.errors import ConfigError, ParseError
from monitor.http import Fetched, make_client
from monitor.records import STOCKHOLM, Call
from monitor.runner import collect
from monitor.sources import make_source
from monitor.store import Store
from monitor.text import summarize_change

FIXTURES = Path(__file__).parent / "fixtures" / "page_watch"
CASES = sorted(FIXTURES.glob("*.expected.json"))
VGR = "https://www.vgregion.se/regional-utveckling/soka-stod/projektstod/ansok-om-projektstod/"


def write_config(folder: Path, url: str, settings: dict[str, Any], source_id: str = "page") -> Path:
    entry = {"id": source_id, "kind": "page_watch", "url": url, "delay": 0, "backoff": 0.01, **settings}
    path = folder / f"{source_id}.sources.yaml"
    path.write_text(yaml.safe_dump({"sources": [entry]}, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def config_for(folder: Path, url: str, settings: dict[str, Any]) -> SourceConfig:
    (config,) = load_sources(write_config(folder, url, settings)).sources
    return config


def local(moment: datetime | None) -> str | None:
    return moment.astimezone(STOCKHOLM).isoformat() if moment else None


def parse_case(name: str, folder: Path) -> Call:
    want = json.loads((FIXTURES / f"{name}.expected.json").read_text(encoding="utf-8"))
    fetched = Fetched(
        url=want["url"], content=(FIXTURES / f"{name}.html").read_bytes(), headers=want["headers"]
    )
    page = make_source(config_for(folder, want["url"], want["settings"])).parse(fetched)
    assert page.rows == 1 and len(page.listings) == 1
    (call,) = page.calls
    return call


def test_every_page_has_its_expectations() -> None:
    pages = {p.name.removesuffix(".html") for p in FIXTURES.glob("*.html")}
    assert pages == {p.name.removesuffix(".expected.json") for p in CASES}
    assert len(pages) >= 5


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name.removesuffix(".expected.json"))
def test_recorded_page(case: Path, tmp_path: Path) -> None:
    want = json.loads(case.read_text(encoding="utf-8"))
    name = case.name.removesuffix(".expected.json")
    if "error" in want:
        with pytest.raises(ParseError) as raised:
            parse_case(name, tmp_path)
        for text in want["error"]:
            assert text in str(raised.value)
        return
    call = parse_case(name, tmp_path)
    if "same_as" in want:
        other = parse_case(want["same_as"], tmp_path)
        assert call.description == other.description
        assert call.content_hash() == other.content_hash()
        return
    expected = want["call"]
    for name in ("key", "url", "call_type", "title", "regions", "programme", "language"):
        if name in expected:
            assert getattr(call, name) == expected[name], name
    for name in ("opening_precision", "deadline_precision"):
        if name in expected:
            assert getattr(call, name) == expected[name], name
    assert call.key == call.identifier == want["url"]
    assert local(call.opening) == expected["opening"]
    assert [local(d) for d in call.deadlines] == expected["deadlines"]
    assert call.official_ids == []  # a watched page is no call: it is never merged with one
    if "description_starts" in expected:
        assert call.description.startswith(expected["description_starts"])
    for text in expected.get("description_contains", []):
        assert text in call.description
    for text in expected.get("description_excludes", []):
        assert text not in call.description


def test_body_without_navigation_when_there_is_no_main(tmp_path: Path) -> None:
    page = """<html><head><title>Stöd till föreningar – Åmåls kommun</title></head><body>
      <header><a href="/">Åmåls kommun</a><nav><a href="/bo">Bo och leva</a></nav></header>
      <div class="content"><h2>Föreningsbidrag</h2><p>Ansök senast 1 mars 2027.</p></div>
      <aside>Mest besökt: Sophämtning</aside><footer>Kommunhuset, Åmål</footer>
      <script>track()</script></body></html>""".encode()
    source = make_source(config_for(tmp_path, "https://www.amal.se/stod/", {}))
    (call,) = source.parse(Fetched(url="https://www.amal.se/stod/", content=page)).calls

    assert call.description == "Föreningsbidrag\nAnsök senast 1 mars 2027."
    assert call.title == "Stöd till föreningar – Åmåls kommun"  # no <h1>: the <title>
    assert [local(d) for d in call.deadlines] == ["2027-03-01T23:59:00+01:00"]
    assert call.deadline_precision == "day"


def test_a_page_without_text_is_an_error(tmp_path: Path) -> None:
    source = make_source(config_for(tmp_path, "https://x.se/", {}))
    with pytest.raises(ParseError, match="ingen text"):
        source.parse(Fetched(url="https://x.se/", content=b"<main><script>x()</script> </main>"))


def test_bad_selectors_are_named_at_load(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as raised:
        load_sources(write_config(tmp_path, "https://x.se/", {"content": "main >", "exclude": ["ok", "[x"]}))
    problems = str(raised.value)
    assert "nyckel 'content': 'main >' är ingen giltig CSS-selektor" in problems
    assert "nyckel 'exclude': '[x' är ingen giltig CSS-selektor" in problems


# --- end to end -------------------------------------------------------------------------------

SETTINGS = {"exclude": [".page-meta", "aside.related"], "regions": ["Västra Götaland"]}


def version(name: str) -> Reply:
    return Reply(200, (FIXTURES / f"{name}.html").read_bytes(), {"Content-Type": "text/html; charset=utf-8"})


def run(tmp_path: Path, store: Store, url: str, settings: dict[str, Any] = SETTINGS):
    with make_client(timeout=10) as client:
        (result,) = collect(load_sources(write_config(tmp_path, url, settings, "vgr")).sources, store, client)
    return result


def the_row(store: Store) -> dict:
    (row,) = store.db.query("SELECT * FROM calls WHERE source = 'vgr'")
    return row


def test_a_watched_page_changes_only_when_its_text_does(tmp_path: Path, store: Store, serve) -> None:
    server = serve({"/projektstod": version("vgr-ansok-om-projektstod")})
    url = server.url("/projektstod")

    first = run(tmp_path, store, url)
    assert (first.outcome, first.items, first.new) == ("ok", 1, 1)
    row = the_row(store)
    assert (row["key"], row["call_type"], row["title"]) == (url, "page", "Ansök om projektstöd")
    assert json.loads(row["regions"]) == ["Västra Götaland"] and json.loads(row["deadlines"]) == []
    first_text = row["description"]

    server.routes["/projektstod"] = version("vgr-ansok-om-projektstod-omformaterad")
    events = store.count_events()
    cosmetic = run(tmp_path, store, url)
    assert (cosmetic.outcome, cosmetic.changed) == ("unchanged", 0)
    assert store.count_events() == events and the_row(store)["description"] == first_text

    server.routes["/projektstod"] = version("vgr-ansok-om-projektstod-utlysning")
    changed = run(tmp_path, store, url)
    assert (changed.outcome, changed.changed) == ("ok", 1)
    row = the_row(store)
    assert json.loads(row["deadlines"]) == ["2027-03-15T15:00:00Z"]  # 16.00 in Stockholm, winter time
    summary = summarize_change(first_text, row["description"])
    assert summary.startswith("Tillagt: ”Utlysning: Kompetensförsörjning i Fyrbodal 2027” ")
    assert "”Sista ansökningsdag är 15 mars 2027 kl. 16.00.”" in summary
    assert summary.endswith("; Ändrat: ”… institut, föreningar, …” → ”… institut, ideella föreningar, …”")
    assert "Borttaget" not in summary


def test_a_redesigned_page_is_an_error_and_keeps_the_record(tmp_path: Path, store: Store, serve) -> None:
    server = serve({"/projektstod": version("vgr-ansok-om-projektstod")})
    settings = {**SETTINGS, "content": "main article"}
    run(tmp_path, store, server.url("/projektstod"), settings)
    before = the_row(store)
    server.routes["/projektstod"] = version("vgr-ny-layout")

    failed = run(tmp_path, store, server.url("/projektstod"), settings)

    assert failed.outcome == "error" and "selektorn content 'main article'" in (failed.message or "")
    assert the_row(store) == before


def test_oversized_page_is_refused(tmp_path: Path, store: Store, serve) -> None:
    server = serve({"/projektstod": version("vgr-ansok-om-projektstod")})
    failed = run(tmp_path, store, server.url("/projektstod"), {**SETTINGS, "max_bytes": 1024})
    assert failed.outcome == "error" and "max_bytes" in (failed.message or "")
    assert store.count_calls("vgr") == 0


# --- summarize_change -------------------------------------------------------------------------

OLD = (
    "Ansök om projektstöd\n"
    "Vi tar som regel emot ansökningar om projektstöd löpande. Kontakta en handläggare innan du ansöker.\n"
    "Kommuner, högskolor och föreningar kan söka."
)


def test_no_change_and_whitespace_only_change_give_nothing() -> None:
    assert summarize_change(OLD, OLD) == ""
    reflowed = OLD.replace(". ", ".\n\n").replace("Vi tar", "  Vi   tar")
    assert summarize_change(OLD, reflowed) == ""


def test_an_added_sentence() -> None:
    new = OLD.replace("löpande.", "löpande. Just nu pågår en utlysning om kompetensförsörjning.")
    assert summarize_change(OLD, new) == "Tillagt: ”Just nu pågår en utlysning om kompetensförsörjning.”"


def test_a_removed_sentence() -> None:
    new = OLD.replace(" Kontakta en handläggare innan du ansöker.", "")
    assert summarize_change(OLD, new) == "Borttaget: ”Kontakta en handläggare innan du ansöker.”"


def test_a_few_changed_words_are_shown_in_context() -> None:
    old = (
        "Sista ansökningsdag för utlysningen om kompetensförsörjning i Fyrbodal är 15 mars 2027 kl. 16.00 "
        "och beslut fattas i juni."
    )
    new = old.replace("15 mars", "22 mars")
    assert summarize_change(old, new) == "Ändrat: ”… är 15 mars …” → ”… är 22 mars …”"


def test_a_rewritten_sentence_is_removed_and_added() -> None:
    new = OLD.replace("Kontakta en handläggare innan du ansöker.", "Blanketten finns i e-tjänsten.")
    assert summarize_change(OLD, new) == (
        "Tillagt: ”Blanketten finns i e-tjänsten.”; Borttaget: ”Kontakta en handläggare innan du ansöker.”"
    )


def test_moved_sentences_are_not_reported_as_added_and_removed() -> None:
    lines = OLD.splitlines()
    moved = "\n".join([lines[0], lines[2], lines[1]])
    assert summarize_change(OLD, moved) == "Samma text i ny ordning."
    moved_and_added = moved + "\nNy blankett från 1 januari."
    assert summarize_change(OLD, moved_and_added) == "Tillagt: ”Ny blankett från 1 januari.”"


def test_long_changes_are_cut_to_the_limit_and_both_sides_are_shown() -> None:
    added = " ".join(f"Ny mening nummer {n} om projektstöd i Västra Götaland." for n in range(30))
    new = OLD.replace("Kommuner, högskolor och föreningar kan söka.", added)
    for limit in (80, 160, 300):
        summary = summarize_change(OLD, new, limit=limit)
        assert len(summary) <= limit
        assert summary.startswith("Tillagt: ”Ny mening nummer 0")
        assert "; Borttaget: ”Kommuner" in summary
        assert "…" in summary
