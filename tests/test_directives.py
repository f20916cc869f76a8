"""The directive monitor through the CLI: legal items collected from a local server, routed to the
förvaltningar, listed by `directives`, shown by `show`, and alerted per förvaltning exactly once."""

from __future__ import annotations

import json
from collections.abc import Callable
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from click.testing import Result
from test_delivery import MailServer, mail, smtp_env  # noqa: F401 - the mail fixture
from test_integration_legal import CONSULTATIONS, FEED, SPARQL, sources_file

from monitor.demo.static_server import StaticServer
from monitor.profile import load_profile

Invoke = Callable[..., Result]
REPO = Path(__file__).resolve().parent.parent
SHIPPED = REPO / "profile.yaml"

DRINKING_WATER, NIS2, EARLY_CHILDHOOD = "celex:32020L2184", "celex:32022L2555", "celex:32026L0415"
FISHERIES = "hys:15301"


@pytest.fixture
def legal_db(cli: Invoke, tmp_path: Path) -> list[str]:
    """A database with the recorded legal answers collected (and routed) through the real CLI."""
    routes = {"/sparql*": SPARQL, "/eurlex/legislation-sv.xml": FEED, "/hys/initiatives*": CONSULTATIONS}
    with StaticServer(routes) as server:
        args = ["--db", str(tmp_path / "legal.db"), "--profile", str(SHIPPED),
                "--sources", str(sources_file(tmp_path, server.base_url))]  # fmt: skip
        result = cli(*args, "collect")
    assert result.exit_code == 0, result.output
    assert "Rättsakter: " in result.stdout and "fördelades på förvaltningarna" in result.stdout
    return args


def by_id(cli: Invoke, args: list[str], *options: str) -> dict[str, dict]:
    result = cli(*args, "directives", "--format", "json", *options)
    assert result.exit_code == 0, result.output
    return {item["id"]: item for item in json.loads(result.stdout)}


def test_directives_route_each_act_to_the_forvaltning_it_concerns(cli: Invoke, legal_db: list[str]) -> None:
    items = by_id(cli, legal_db)
    assert items[DRINKING_WATER]["routed_to"] == ["sbf"]
    assert items[NIS2]["routed_to"] == ["ksf"]
    assert items[EARLY_CHILDHOOD]["routed_to"] == ["buf"]
    assert items[FISHERIES]["routed_to"] == []
    water = items[DRINKING_WATER]
    assert "dricksvatten" in water["why"]["sbf"]
    assert water["kind"] == "directive" and water["celex"] == "32020L2184"
    assert water["url"] == "https://eur-lex.europa.eu/legal-content/SV/TXT/?uri=CELEX:32020L2184"
    assert water["transposition_deadlines"] == ["2023-01-12"] and water["title"].startswith(
        "Europaparlamentets"
    )
    assert set(water["scores"]) == set(load_profile(SHIPPED).forvaltningar)


def test_directives_filters_by_forvaltning_and_date(cli: Invoke, legal_db: list[str]) -> None:
    sbf = by_id(cli, legal_db, "--forvaltning", "sbf")
    assert DRINKING_WATER in sbf and all("sbf" in item["routed_to"] for item in sbf.values())
    recent = by_id(cli, legal_db, "--since", "2026-01-01")
    assert EARLY_CHILDHOOD in recent and DRINKING_WATER not in recent
    unknown = cli(*legal_db, "directives", "--forvaltning", "kultur")
    assert unknown.exit_code == 2 and "okänd förvaltning 'kultur'" in unknown.stderr
    bad = cli(*legal_db, "directives", "--since", "igår")
    assert bad.exit_code == 2 and "ÅÅÅÅ-MM-DD" in bad.stderr
    table = cli(*legal_db, "directives")
    assert "direktiv" in table.stdout and "offentligt samråd" in table.stdout and "Berör" in table.stdout
    sheet = cli(*legal_db, "directives", "--format", "csv").stdout_bytes
    assert sheet.startswith(b"\xef\xbb\xbf") and b"Typ;CELEX/id;Titel" in sheet


def test_show_gives_an_act_in_swedish(cli: Invoke, legal_db: list[str]) -> None:
    shown = cli(*legal_db, "show", "32020L2184")
    assert shown.exit_code == 0, shown.output
    for text in (
        "Typ:",
        "direktiv",
        "Genomförs senast:",
        "2023-01-12",
        "Berör:",
        "Samhällsbyggnadsförvaltningen",
    ):
        assert text in shown.stdout
    as_json = json.loads(cli(*legal_db, "show", DRINKING_WATER, "--format", "json").stdout)
    assert as_json["routed_to"] == ["sbf"] and as_json["history"][0]["event"] == "new"


def test_alerts_preview_one_swedish_letter_per_forvaltning(
    cli: Invoke, legal_db: list[str], tmp_path: Path
) -> None:
    folder = tmp_path / "larm"
    result = cli(*legal_db, "alerts", "--preview", str(folder))
    assert result.exit_code == 0, result.output
    letters = {path.name.split("-")[1]: path for path in folder.glob("direktivlarm-*.html")}
    assert set(letters) == {"ksf", "buf", "sbf"}  # sof: nothing concerns it
    sbf = letters["sbf"].read_text(encoding="utf-8")
    assert "Nytt om EU-lagstiftning" in sbf and "Samhällsbyggnadsförvaltningen" in sbf
    assert "dricksvatten" in sbf and "Ska vara genomfört senast" in sbf
    eml = message_from_bytes(letters["sbf"].with_suffix(".eml").read_bytes(), policy=policy.default)
    assert eml["Subject"].startswith("EU-direktiv för Samhällsbyggnadsförvaltningen: ")


def test_alerts_are_sent_once_per_forvaltning(
    cli: Invoke,
    legal_db: list[str],
    mail: Callable[..., MailServer],  # noqa: F811
) -> None:
    server = mail()
    first = cli(*legal_db, "alerts", "--send", env=smtp_env(server.port))
    assert first.exit_code == 0, first.output
    profile = load_profile(SHIPPED)
    for key in ("ksf", "buf", "sbf"):
        (recipient,) = [r for r in profile.recipients if r.forvaltning == key]
        (message,) = server.to(recipient.emails[0])
        assert message.get_body(("plain",)) is not None and message.get_body(("html",)) is not None
    count = len(server.received)
    again = cli(*legal_db, "alerts", "--send", env=smtp_env(server.port))
    assert again.exit_code == 0 and len(server.received) == count


def test_the_enhetens_digest_has_a_section_on_eu_law(
    cli: Invoke, legal_db: list[str], tmp_path: Path
) -> None:
    folder = tmp_path / "veckobrev"
    result = cli(*legal_db, "digest", "--preview", str(folder), "--recipient", "kansliet")
    assert result.exit_code == 0, result.output
    (html,) = folder.glob("veckobrev-*-kansliet.html")
    text = html.read_text(encoding="utf-8")
    assert "EU-lagstiftning" in text and "dricksvatten" in text
