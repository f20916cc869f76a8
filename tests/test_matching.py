"""Matching stored calls: scores in the store, incremental runs, refits, marks, and the CLI on top."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import Result
from helpers import make_call, utc

from matchers.model import match_input_from_row
from monitor.evaluation import evaluate_file
from monitor.matching import match_calls
from monitor.profile import Profile, load_profile
from monitor.records import Call
from monitor.sources.sedia import completeness
from monitor.store import CallQuery, Store

Invoke = Callable[..., Result]
REPO = Path(__file__).resolve().parent.parent
EVAL_SET = REPO / "tests" / "fixtures" / "eval" / "calls.jsonl"
DAY1 = utc(2026, 11, 20, 6)
DAY2 = utc(2026, 11, 21, 6)

TWINNING = make_call(
    "CERV-2027-CITIZENS-TOWN-TT",
    "Town-Twinning",
    description=(
        "Town twinning projects bring together citizens from twinned towns. Municipalities and their "
        "twin towns organise citizens' meetings on European values and civic engagement."
    ),
)
NETWORKS = make_call(
    "CERV-2027-CITIZENS-TOWN-NT",
    "Networks of Towns",
    description=(
        "Networks of towns: municipalities and local authorities that twinned or partnered work together "
        "on common themes, with citizens' engagement across borders."
    ),
)
YOUTH = make_call(
    "ERASMUS-YOUTH-2027-EXCHANGES",
    "Youth exchanges",
    programme="Erasmus+ (ERASMUS+)",
    programme_id="43353764",
    description=(
        "Youth exchanges let groups of young people from different countries meet, live together and "
        "learn about each other. Youth organisations and municipalities may apply."
    ),
)
CHIPS = make_call(
    "HORIZON-CL4-2027-DIGITAL-EMERGING-07",
    "Beyond-silicon semiconductor materials for energy-efficient chips (RIA)",
    programme="Horizon Europe (HORIZON)",
    programme_id="43108390",
    description=(
        "Research and innovation action on wide-bandgap semiconductor materials, heterogeneous "
        "integration and packaging for energy-efficient chips. Consortia of research organisations."
    ),
)
CALLS = [TWINNING, NETWORKS, YOUTH, CHIPS]


def collect(store: Store, now, calls: list[Call], source: str = "eu-portal") -> None:
    """One collection as the runner does it: begin, save, finish."""
    run_id = store.begin_run(source, now)
    writer = store.writer(run_id, source, now)
    writer.save_page(calls, completeness)
    writer.finish(None)
    store.regroup()


@pytest.fixture(scope="module")
def profile() -> Profile:
    return load_profile(REPO / "profile.yaml")


def scores(store: Store, key: str) -> dict:
    found = store.scores_of(f"eu-portal:{key}")
    assert found is not None, key
    return {**found, "scores": json.loads(found["scores"]), "why": json.loads(found["why"])}


def raw_score(store: Store, key: str, area: str) -> float:
    """The stored model's uncapped score of a stored call: marks move it even above 100."""
    model = pickle.loads(store.db.execute("SELECT model FROM matcher_model").fetchone()[0])
    row = store.db.execute("SELECT * FROM calls WHERE id = ?", [f"eu-portal:{key}"]).fetchone()
    columns = [c[0] for c in store.db.execute("SELECT * FROM calls LIMIT 0").description]
    raw = model.raw_scores([match_input_from_row(dict(zip(columns, row, strict=True)))])[0]
    return float(raw[[a.key for a in model.areas].index(area)])


def test_match_scores_every_call_per_area_with_why(store: Store, profile: Profile) -> None:
    collect(store, DAY1, CALLS)
    report = match_calls(store, profile, now=DAY1)
    assert report.scored == report.total == 4 and report.refit_reason == "ingen sparad modell"
    twinning = scores(store, TWINNING.key)
    assert set(twinning["scores"]) == set(profile.areas)
    assert twinning["best_area"] == "vanort"
    assert twinning["best_score"] == twinning["scores"]["vanort"] >= profile.areas["vanort"].threshold
    assert any("twin" in term for term in twinning["why"]["vanort"]), twinning["why"]
    assert scores(store, YOUTH.key)["best_area"] == "ungdom"
    chips = scores(store, CHIPS.key)
    assert chips["best_score"] < 20 < twinning["best_score"]
    assert twinning["scored_hash"] == store.get_call(f"eu-portal:{TWINNING.key}")["content_hash"]


def test_a_second_run_scores_only_new_and_changed_calls(store: Store, profile: Profile) -> None:
    collect(store, DAY1, CALLS)
    match_calls(store, profile, now=DAY1)
    first = scores(store, TWINNING.key)
    again = match_calls(store, profile, now=DAY1)
    assert again.scored == 0 and again.refit_reason is None
    changed = replace(YOUTH, description=YOUTH.description + " Volunteering projects are welcome too.")
    added = make_call("CERV-2027-CITIZENS-REM", "European remembrance", description="Remembrance of history.")
    collect(store, DAY2, [TWINNING, NETWORKS, changed, CHIPS, added])
    report = match_calls(store, profile, now=DAY2)
    assert report.refit_reason is None  # 2 of 4: below the share that calls for a refit… of a corpus of 4?
    assert report.scored == 2
    assert scores(store, TWINNING.key)["scored_at"] == first["scored_at"]  # untouched
    assert scores(store, "CERV-2027-CITIZENS-REM")["scored_at"] != first["scored_at"]


def test_refit_when_the_profile_changes_or_everything_is_asked(store: Store, profile: Profile) -> None:
    collect(store, DAY1, CALLS)
    match_calls(store, profile, now=DAY1)
    vanort = profile.areas["vanort"]
    youth_only = replace(
        vanort,
        name="Ungdomsutbyte",
        description="",
        terms_sv=("ungdomsutbyte",),
        terms_en=("youth exchange",),
    )
    # without examples too: those labelled for vanort would still teach it twinning
    changed = replace(profile, areas={**profile.areas, "vanort": youth_only}, examples=())
    report = match_calls(store, changed, now=DAY2)
    assert report.scored == 4 and "profilens" in report.refit_reason
    assert scores(store, TWINNING.key)["scores"]["vanort"] < 40  # the area no longer names twinning
    forced = match_calls(store, changed, everything=True, now=DAY2)
    assert forced.scored == 4 and "--all" in forced.refit_reason


def test_an_unreadable_model_is_refitted_not_fatal(store: Store, profile: Profile) -> None:
    collect(store, DAY1, CALLS)
    match_calls(store, profile, now=DAY1)
    store.db.execute("UPDATE matcher_model SET model = ?", [b"not a pickle"])
    store.db.conn.commit()
    report = match_calls(store, profile, now=DAY2)
    assert report.refit_reason == "den sparade modellen kunde inte läsas" and report.scored == 4


def test_a_model_of_another_matcher_version_is_refitted(store: Store, profile: Profile) -> None:
    collect(store, DAY1, CALLS)
    match_calls(store, profile, now=DAY1)
    row = store.db.execute("SELECT model FROM matcher_model").fetchone()
    old = pickle.loads(row[0])
    old.model_version = 1  # as pickled before the version was raised
    store.db.execute("UPDATE matcher_model SET model = ?", [pickle.dumps(old)])
    store.db.conn.commit()
    report = match_calls(store, profile, now=DAY2)
    assert "ny version" in report.refit_reason and report.scored == 4
    assert match_calls(store, profile, now=DAY2).refit_reason is None


def test_marks_move_the_area_and_refit(store: Store, profile: Profile) -> None:
    collect(store, DAY1, CALLS)
    match_calls(store, profile, now=DAY1)
    before = raw_score(store, NETWORKS.key, "vanort")
    store.add_mark(f"eu-portal:{TWINNING.key}", "not-relevant", "vanort", "inte för oss", "anna", DAY2)
    report = match_calls(store, profile, now=DAY2)
    assert report.refit_reason == "markeringarna har ändrats" and report.marks == 1
    after = raw_score(store, NETWORKS.key, "vanort")
    assert after < before  # the area moved away from what the twinning call shares with networks
    assert match_calls(store, profile, now=DAY2).scored == 0  # the same marks: nothing to do
    # The newest mark counts: relevant again moves the area towards the call.
    store.add_mark(f"eu-portal:{TWINNING.key}", "relevant", "vanort", None, "anna", DAY2)
    match_calls(store, profile, now=DAY2)
    assert raw_score(store, NETWORKS.key, "vanort") > after
    assert [m["mark"] for m in store.current_marks()] == ["relevant"]


def test_queries_filter_and_sort_by_score(store: Store, profile: Profile) -> None:
    collect(store, DAY1, CALLS)
    assert [r["best_score"] for r in store.query_calls(CallQuery(sort="score"), DAY1)] == [None] * 4
    match_calls(store, profile, now=DAY1)
    ranked = store.query_calls(CallQuery(sort="score"), DAY1)
    assert [r["best_score"] for r in ranked] == sorted((r["best_score"] for r in ranked), reverse=True)
    vanort = store.query_calls(CallQuery(area="vanort", min_score=40, sort="score"), DAY1)
    assert TWINNING.key in {r["key"] for r in vanort[:2]}
    assert all(json.loads(r["scores"])["vanort"] >= 40 for r in vanort)
    assert CHIPS.key not in {r["key"] for r in vanort}
    assert store.query_calls(CallQuery(min_score=101), DAY1) == []


# --- the CLI --------------------------------------------------------------------------------------


@pytest.fixture
def scored_db(tmp_path: Path, profile: Profile) -> Path:
    path = tmp_path / "scored.db"
    opened = Store.open(path)
    collect(opened, DAY1, CALLS)
    match_calls(opened, profile, now=DAY1)
    opened.close()
    return path


def test_calls_json_has_scores_best_area_why_and_eligibility(cli: Invoke, scored_db: Path) -> None:
    result = cli("--db", str(scored_db), "calls", "--area", "vanort", "--min-score", "40", "--sort", "score",
                 "--format", "json")  # fmt: skip
    assert result.exit_code == 0, result.output
    items = json.loads(result.stdout)
    first = next(item for item in items if item["identifier"] == TWINNING.key)
    assert items.index(first) < 2
    assert first["best_area"] == "vanort" and first["scores"]["vanort"] >= 40
    assert first["why"]["vanort"] and first["eligible"] is True and first["ineligible_reason"] is None
    table = cli("--db", str(scored_db), "calls", "--sort", "score")
    assert "Poäng" in table.stdout and "Varför" in table.stdout and "Vänorter" in table.stdout


def test_show_gives_each_area_with_why_and_the_marks(cli: Invoke, scored_db: Path) -> None:
    marked = cli("--db", str(scored_db), "mark", TWINNING.key, "interesting", "--area", "vanort",
                 "--note", "Vänorten i Estland?", "--who", "kansliet")  # fmt: skip
    assert marked.exit_code == 0, marked.output
    assert "markerad intressant för området vanort av kansliet" in marked.stdout
    shown = cli("--db", str(scored_db), "--profile", str(REPO / "profile.yaml"), "show", TWINNING.key)
    assert "Bästa område:" in shown.stdout and "Poäng per område:" in shown.stdout
    assert "Vänortssamarbete och kommunala partnerskap – " in shown.stdout
    assert "intressant (Vänortssamarbete och kommunala partnerskap) av kansliet: Vänorten i Estland?" in (
        shown.stdout
    )
    as_json = json.loads(cli("--db", str(scored_db), "show", TWINNING.key, "--format", "json").stdout)
    assert as_json["marks"][0]["mark"] == "interesting" and as_json["marks"][0]["who"] == "kansliet"


def test_marks_lists_the_current_marks(cli: Invoke, scored_db: Path) -> None:
    db = str(scored_db)
    assert cli("--db", db, "marks").stdout.strip() == "Inga markeringar."
    cli("--db", db, "mark", CHIPS.key, "relevant", env={"EUMONITOR_USER": "anna"})
    cli("--db", db, "mark", CHIPS.key, "not-relevant", "--note", "forskning", env={"EUMONITOR_USER": "anna"})
    marks = json.loads(cli("--db", db, "marks", "--format", "json").stdout)
    assert [(m["mark"], m["who"], m["note"], m["area"]) for m in marks] == [
        ("not-relevant", "anna", "forskning", None)
    ]
    assert "inte relevant" in cli("--db", db, "marks").stdout


def test_mark_refuses_unknown_calls_and_areas(cli: Invoke, scored_db: Path) -> None:
    unknown = cli("--db", str(scored_db), "mark", "NOPE-1", "relevant")
    assert unknown.exit_code == 2 and "ingen utlysning med id" in unknown.stderr
    bad_area = cli("--db", str(scored_db), "mark", TWINNING.key, "relevant", "--area", "fiske")
    assert bad_area.exit_code == 2 and "fiske" in bad_area.stderr


def test_match_command_reports_and_is_incremental(cli: Invoke, tmp_path: Path) -> None:
    db = tmp_path / "m.db"
    opened = Store.open(db)
    collect(opened, DAY1, CALLS)
    opened.close()
    profile_option = ("--profile", str(REPO / "profile.yaml"))
    first = cli("--db", str(db), *profile_option, "match")
    assert first.exit_code == 0, first.output
    assert "Poäng: 4 av 4 utlysningar poängsattes" in first.stdout and "ingen sparad modell" in first.stdout
    second = cli("--db", str(db), *profile_option, "match")
    assert "alla 4 utlysningar har redan aktuella poäng" in second.stdout
    again = cli("--db", str(db), *profile_option, "match", "--all")
    assert "Poäng: 4 av 4" in again.stdout and "--all" in again.stdout


def test_evaluate_beats_bm25_on_the_shipped_set(cli: Invoke) -> None:
    result = cli("--profile", str(REPO / "profile.yaml"), "evaluate", str(EVAL_SET), "--json")
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert set(figures) == {"matcher", "bm25"}
    for name in ("matcher", "bm25"):
        assert set(figures[name]) == {*load_profile(REPO / "profile.yaml").areas, "mean_ndcg"}
        assert all(0 <= v["ndcg"] <= 1 and 0 <= v["precision"] <= 1
                   for k, v in figures[name].items() if k != "mean_ndcg")  # fmt: skip
    assert figures["matcher"]["mean_ndcg"] > figures["bm25"]["mean_ndcg"]
    table = cli("--profile", str(REPO / "profile.yaml"), "evaluate", str(EVAL_SET), "--k", "5")
    assert "nDCG@5" in table.stdout and "Matchningen är bättre än BM25" in table.stdout


def test_evaluate_never_learns_from_the_calls_it_is_measured_on(tmp_path: Path) -> None:
    """Measured on the evaluation set, a profile whose only examples are that set uses none; on half
    of it, the other half teaches. The shipped profile also learns from two more files."""
    shipped = load_profile(REPO / "profile.yaml")
    folder = EVAL_SET.resolve().parent
    assert shipped.examples_paths() == [
        EVAL_SET.resolve(),
        folder / "examples.jsonl",
        folder / "real-examples.jsonl",
    ]
    profile = replace(shipped, examples=shipped.examples[:1])
    without = replace(profile, examples=())
    assert evaluate_file(EVAL_SET, profile) == evaluate_file(EVAL_SET, without)
    assert evaluate_file(EVAL_SET, shipped)["matcher"] != evaluate_file(EVAL_SET, without)["matcher"]
    half = tmp_path / "half.jsonl"
    half.write_text(
        "".join(EVAL_SET.read_text(encoding="utf-8").splitlines(keepends=True)[::2]), encoding="utf-8"
    )
    assert evaluate_file(half, profile)["matcher"] != evaluate_file(half, without)["matcher"]


def test_evaluate_leaves_out_the_same_call_standing_under_another_id(tmp_path: Path) -> None:
    """The shipped real examples carry their set's name in the id ("blind20-a01"): measured under
    its own ids, a set must still teach nothing about itself, so examples go by title too."""
    shipped = load_profile(REPO / "profile.yaml")
    lines = EVAL_SET.read_text(encoding="utf-8").splitlines()[:60]
    measured = tmp_path / "measured.jsonl"
    measured.write_text("\n".join(lines) + "\n", encoding="utf-8")
    renamed = tmp_path / "renamed.jsonl"
    renamed.write_text(
        "".join(
            json.dumps({**json.loads(line), "id": "copy-" + json.loads(line)["id"]}) + "\n" for line in lines
        ),
        encoding="utf-8",
    )
    copies = replace(shipped, examples=(str(renamed),))
    without = replace(shipped, examples=())
    assert evaluate_file(measured, copies) == evaluate_file(measured, without)
    # the same copies teach a set they are not in
    other = tmp_path / "other.jsonl"
    other.write_text(
        "\n".join(EVAL_SET.read_text(encoding="utf-8").splitlines()[60:]) + "\n", encoding="utf-8"
    )
    assert evaluate_file(other, copies)["matcher"] != evaluate_file(other, without)["matcher"]


def test_evaluate_names_every_bad_line(cli: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(
        '{"id": "a", "title": "Town twinning", "text": "", "lang": "en", "labels": {"vanort": 2}}\n'
        "not json\n"
        '{"id": "a", "title": "Again", "labels": {"vanort": 3, "fiske": 1}}\n'
        '{"id": "c", "labels": {}}\n'
        '{"id": "d", "title": "Vennskapsby", "lang": "no", "labels": {"vanort": 2}}\n'
        '{"id": "e", "title": "Twinning", "lang": 7, "labels": {"vanort": 2}}\n',
        encoding="utf-8",
    )
    result = cli("--profile", str(REPO / "profile.yaml"), "evaluate", str(path))
    assert result.exit_code == 2
    assert f"{path}:5:" not in result.stderr  # Norwegian is a language the matcher reads
    assert f"{path}:6: 'lang' ska vara en språkkod" in result.stderr
    assert f"{path}:2: ingen giltig JSON" in result.stderr
    assert f"{path}:3: labels.vanort: 3 ska vara 0, 1 eller 2" in result.stderr
    assert f"{path}:3: labels: okänt område 'fiske'" in result.stderr
    assert f"{path}:3: id 'a' finns redan på rad 1" in result.stderr
    assert f"{path}:4: nyckeln 'title' saknas" in result.stderr
    assert "Traceback" not in result.output


def test_query_commands_on_scored_calls_never_import_scikit_learn(scored_db: Path) -> None:
    code = (
        "import sys\n"
        "from monitor.cli import main\n"
        "for args in (['calls', '--area', 'vanort', '--sort', 'score', '--format', 'json'],\n"
        "             ['show', 'CERV-2027-CITIZENS-TOWN-TT'], ['marks'],\n"
        "             ['--profile', 'profile.yaml', 'directives', '--format', 'json']):\n"
        "    try:\n"
        f"        main(['--db', {str(scored_db)!r}, *args])\n"
        "    except SystemExit as exit:\n"
        "        assert not exit.code, exit.code\n"
        # (numpy is no measure: sqlite-utils imports it when it is installed)
        "heavy = ('sklearn', 'scipy', 'httpx', 'matchers.tfidf')\n"
        "print('HEAVY', sorted(m for m in heavy if m in sys.modules), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=REPO)
    assert done.returncode == 0, done.stderr
    assert "HEAVY []" in done.stderr


@pytest.fixture(scope="module")
def shipped_matcher(profile: Profile):
    """The matcher as the shipped profile teaches it (its examples), fitted on the written set."""
    from matchers.model import from_profile, match_input_from_labelled
    from matchers.tfidf import Matcher
    from monitor.evaluation import profile_examples

    areas, glossary, context = from_profile(profile)
    corpus = [
        match_input_from_labelled(line) for line in map(json.loads, EVAL_SET.read_text("utf-8").splitlines())
    ]
    return Matcher(workers=1).fit(corpus, areas, glossary, context, profile_examples(profile))


def test_a_home_programme_page_listing_only_countries_reaches_the_funding_digest(
    shipped_matcher, profile: Profile
) -> None:
    """Interreg programme pages are often a list of countries and themes, like many calls the
    examples label 0: the examples' model must not bury a programme the municipality can join."""
    from matchers.model import MatchInput

    page = (
        "{}: fifth call for project proposals",
        "Teman: Smarter Europe, Greener Europe\nLänder: Austria, Belgium, Denmark, Estonia, Finland, "
        "France, Germany, Italy, Latvia, Lithuania, Netherlands, Poland, Portugal, Spain, Sweden, "
        "Norway, Switzerland\nMålgrupp: Local public authority, Regional public authority, Interest "
        "groups, including NGOs, Higher education and research organisations",
    )
    at_home = MatchInput("home", page[0].format("Interreg Europe"), page[1], lang="en")
    elsewhere = MatchInput("away", page[0].format("Interreg POCTEP"), page[1], lang="en")  # not in the table
    home_result, away_result = shipped_matcher.score([at_home, elsewhere])
    threshold = profile.areas["finansiering"].threshold
    assert home_result.scores["finansiering"] >= max(threshold, 40)
    assert home_result.best_area == "finansiering"
    assert away_result.scores["finansiering"] < threshold  # the same page of an unknown programme


def test_a_city_to_city_exchange_between_municipalities_reaches_the_twinning_digest(
    shipped_matcher, profile: Profile
) -> None:
    """The European Urban Initiative's peer visits between urban authorities are the municipal
    partnerships of the strategy, though their page never says "twinning" or "partnership". (Its
    best area may be knowledge exchange, which the visits are too: the examples' model rates that
    higher.)"""
    from matchers.model import MatchInput

    page = MatchInput(
        "c2c",
        "City-to-city exchanges: call for applications",
        "A city-to-city exchange brings together an urban authority facing a challenge in "
        "sustainable urban development and a peer urban authority from another Member State. "
        "City-to-city exchanges are short visits; the applicant chooses its peer and the format "
        "of each visit. Urban authorities of any size may apply.",
        lang="en",
    )
    (result,) = shipped_matcher.score([page])
    assert result.best_area in {"vanort", "kompetens"}, result.scores
    assert result.scores["vanort"] >= profile.areas["vanort"].threshold
    assert "city-to-city exchange" in result.why["vanort"]
