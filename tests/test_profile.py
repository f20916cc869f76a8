"""profile.yaml: the shipped profile, whole-file validation with file:line and key path, check-profile."""

from __future__ import annotations

import subprocess
import sys
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from monitor.errors import ConfigError
from monitor.evaluation import profile_examples
from monitor.profile import AREA_KEYS, DEFAULT_THRESHOLD, load_profile, profile_path
from monitor.regions import AMAL, open_to

Invoke = Callable[..., Result]
REPO = Path(__file__).resolve().parents[1]
SHIPPED = REPO / "profile.yaml"

# A small valid profile; each bad case below changes one piece of it.
MINIMAL = """\
municipality:
  name: Åmåls kommun
  country: SE
  region: Västra Götaland
  nuts: SE232
  languages: [sv, en]
  region_names: [Västra Götaland, Dalsland, Sverige]
areas:
  sysselsattning:
    name: Sysselsättning och hållbar tillväxt
    description: Arbete och tillväxt i regionen.
    terms_sv: [sysselsättning, näringsliv]
    terms_en: [employment, business development]
  kompetens:
    name: Kunskapsutbyte och kompetensutveckling
    description: Kunskapsutbyte bland anställda.
    terms_sv: [kompetensutveckling]
    terms_en: [capacity building]
  levnadsvillkor:
    name: Goda levnadsvillkor
    description: En attraktiv kommun.
    terms_sv: [livskvalitet]
    terms_en: [quality of life]
  ungdom:
    name: Öka ungdomars möjlighet till internationell rörlighet
    description: Ungdomsutbyten och volontärtjänst.
    terms_sv: [ungdomsutbyte, volontär]
    terms_en: [youth exchange, volunteering]
  vanort:
    name: Vänortssamarbete och kommunala partnerskap
    description: Vänorter och partnerskap.
    terms_sv: [vänort, vänortssamarbete]
    terms_en: [town twinning]
    threshold: 55
  finansiering:
    name: Extern finansiering
    description: Partnerskap som ger extra resurser.
    terms_sv: [medfinansiering]
    terms_en: [co-financing]
forvaltningar:
  buf:
    name: Barn- och utbildningsförvaltningen
    areas: [kompetens, ungdom]
    subjects:
      sv: [skola, förskola]
      en: [school]
context:
  weight: 0.25
  themes:
    agenda2030:
      name: Agenda 2030
      terms_sv: [globala målen]
      terms_en: [Sustainable Development Goals]
glossary:
  vänort: [town twinning, twinning]
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "profile.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def changed(old: str, new: str) -> str:
    assert MINIMAL.count(old) == 1, f"{old!r} must occur once in MINIMAL"
    return MINIMAL.replace(old, new)


def line_of(text: str, marker: str) -> int:
    """The 1-based line of the first line holding marker."""
    for number, line in enumerate(text.splitlines(), start=1):
        if marker in line:
            return number
    raise AssertionError(f"{marker!r} not in text")


def problems_of(path: Path) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_profile(path)
    assert caught.value.problems, "a ConfigError must say what is wrong"
    return caught.value.problems


def only_problem(path: Path) -> str:
    problems = problems_of(path)
    assert len(problems) == 1, problems
    return problems[0]


def fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


# --- the shipped profile ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped():
    return load_profile(SHIPPED)


def test_shipped_profile_is_amal(shipped) -> None:
    m = shipped.municipality
    assert (m.name, m.country, m.region, m.nuts, m.languages) == (
        "Åmåls kommun",
        "SE",
        "Västra Götaland",
        "SE232",
        ("sv", "en"),
    )
    assert shipped.path == str(SHIPPED)


def test_shipped_profile_has_the_six_areas_in_order(shipped) -> None:
    assert tuple(shipped.areas) == AREA_KEYS
    names = {key: area.name for key, area in shipped.areas.items()}
    assert names == {
        "sysselsattning": "Sysselsättning och hållbar tillväxt",
        "kompetens": "Kunskapsutbyte och kompetensutveckling",
        "levnadsvillkor": "Goda levnadsvillkor",
        "ungdom": "Öka ungdomars möjlighet till internationell rörlighet",
        "vanort": "Vänortssamarbete och kommunala partnerskap",
        "finansiering": "Extern finansiering",
    }
    for key, area in shipped.areas.items():
        assert len(area.terms_sv) >= 20 and len(area.terms_en) >= 20, key
        assert 0 <= area.threshold <= 100, key
        assert len(area.description) > 100, key  # drawn from the strategy, not a placeholder


@pytest.mark.parametrize(
    ("area", "swedish", "english"),
    [
        (
            "vanort",
            {"vänort", "vänortssamarbete", "kommunala partnerskap"},
            {"town twinning", "twinned towns", "twin towns", "networks of towns", "municipal partnership"},
        ),
        (
            "ungdom",
            {"ungdomsutbyte", "volontär", "praktik", "utbytesstipendium"},
            {"youth exchange", "volunteering", "European Solidarity Corps", "traineeship", "mobility"},
        ),
        ("kompetens", {"kunskapsutbyte", "kompetensutveckling"}, {"capacity building", "peer learning"}),
        ("sysselsattning", {"sysselsättning", "hållbar tillväxt"}, {"employment", "sustainable growth"}),
        ("levnadsvillkor", {"levnadsvillkor", "civilsamhälle"}, {"quality of life", "civil society"}),
        ("finansiering", {"extern finansiering", "partnerskap"}, {"co-financing", "lead partner"}),
    ],
)
def test_shipped_areas_hold_the_key_terms(shipped, area: str, swedish: set, english: set) -> None:
    assert swedish <= set(shipped.areas[area].terms_sv)
    assert english <= set(shipped.areas[area].terms_en)


def test_shipped_vanort_has_no_bare_twinning(shipped) -> None:
    # Bare "twinning" is also Horizon's research Twinning and the EU's administrative Twinning;
    # only town twinning is the strategy's vänort.
    assert "twinning" not in {t.lower() for t in shipped.areas["vanort"].terms_en}
    assert all(en.lower() != "twinning" for ens in shipped.glossary.values() for en in ens)


def test_shipped_profile_has_the_four_forvaltningar(shipped) -> None:
    assert list(shipped.forvaltningar) == ["ksf", "buf", "sof", "sbf"]
    names = {key: f.name for key, f in shipped.forvaltningar.items()}
    assert names == {
        "ksf": "Kommunstyrelseförvaltningen",
        "buf": "Barn- och utbildningsförvaltningen",
        "sof": "Socialförvaltningen",
        "sbf": "Samhällsbyggnadsförvaltningen",
    }
    for key, forvaltning in shipped.forvaltningar.items():
        assert forvaltning.areas and set(forvaltning.areas) <= set(AREA_KEYS), key
    sbf = shipped.forvaltningar["sbf"].subjects
    assert {"dricksvatten", "avlopp", "avfall", "energieffektivisering", "planering", "bygglov"} <= set(
        sbf.sv
    )
    assert {"drinking water", "waste water"} <= set(sbf.en)
    assert {"cybersäkerhet", "upphandling", "dataskydd", "digitalisering"} <= set(
        shipped.forvaltningar["ksf"].subjects.sv
    )
    assert {"förskola", "skola"} <= set(shipped.forvaltningar["buf"].subjects.sv)
    assert {"äldreomsorg", "socialtjänst"} <= set(shipped.forvaltningar["sof"].subjects.sv)
    # Every area concerns at least one förvaltning.
    assert {a for f in shipped.forvaltningar.values() for a in f.areas} == set(AREA_KEYS)


def test_shipped_context_is_agenda_2030_and_the_regional_strategy(shipped) -> None:
    context = shipped.context
    assert 0 < context.weight < 1  # lower than an area's own terms
    terms = {t for theme in context.themes.values() for t in (*theme.terms_sv, *theme.terms_en)}
    assert {"Agenda 2030", "globala målen", "Sustainable Development Goals"} <= terms
    # RUS 2021–2030: the four focus areas and the kraftsamlingar.
    focus = {
        "stärka innovationskraften",
        "bygga kompetens",
        "öka inkluderingen",
        "knyta samman västra götaland",
    }
    assert focus <= {t.casefold() for t in terms}
    assert {"elektrifiering", "digitalisering", "cirkulära affärsmodeller", "fullföljda studier"} <= terms


def test_shipped_glossary_ties_swedish_terms_to_english(shipped) -> None:
    glossary = shipped.glossary
    assert len(glossary) >= 30
    assert "town twinning" in glossary["vänort"]
    assert "youth exchange" in glossary["ungdomsutbyte"]
    assert "volunteering" in glossary["volontär"]
    assert {"capacity building", "training"} <= set(glossary["kompetensutveckling"])
    assert all(equivalents for equivalents in glossary.values())


def test_shipped_home_matches_the_default(shipped) -> None:
    home = shipped.home()
    assert home.nuts == AMAL.nuts
    assert {fold(n) for n in (*home.names, *home.extra)} == {fold(n) for n in AMAL.names}
    for regions in (["SE232"], ["SE23"], ["Dalsland"], ["Hela Sverige"], ["Halland"], ["SE231"], ["NO"]):
        assert open_to(regions, home) == open_to(regions), regions


def test_home_from_another_municipality(tmp_path: Path) -> None:
    text = (
        changed("  name: Åmåls kommun\n", "  name: Ystads kommun\n")
        .replace("region: Västra Götaland", "region: Skåne")
        .replace("nuts: SE232", "nuts: SE224")
        .replace("[Västra Götaland, Dalsland, Sverige]", "[Skåne län, Sydsverige]")
    )
    home = load_profile(write(tmp_path, text)).home()
    assert home.nuts == "SE224"
    assert open_to(["Skåne"], home) == (True, "öppen för Skåne")  # the region itself always counts
    assert open_to(["Sydsverige"], home)[0] and open_to(["SE22"], home)[0]
    assert open_to(["Västra Götaland"], home) == (False, "bara öppen för Västra Götaland")
    assert not open_to(["SE232"], home)[0]


# --- a valid file -----------------------------------------------------------------------------


def test_minimal_profile_loads_with_defaults(tmp_path: Path) -> None:
    profile = load_profile(write(tmp_path, MINIMAL))
    assert profile.areas["vanort"].threshold == 55.0
    assert profile.areas["kompetens"].threshold == DEFAULT_THRESHOLD == 40.0
    assert profile.areas["ungdom"].terms_en == ("youth exchange", "volunteering")
    assert profile.forvaltningar["buf"].areas == ("kompetens", "ungdom")
    assert profile.forvaltningar["buf"].subjects.sv == ("skola", "förskola")
    assert profile.context.weight == 0.25 and list(profile.context.themes) == ["agenda2030"]
    assert profile.glossary == {"vänort": ("town twinning", "twinning")}


def test_context_and_glossary_are_optional(tmp_path: Path) -> None:
    text = MINIMAL[: MINIMAL.index("context:")]
    profile = load_profile(write(tmp_path, text))
    assert profile.context.themes == {} and profile.context.weight == 0.3
    assert profile.glossary == {}


def test_areas_in_another_order_come_back_in_the_strategys_order(tmp_path: Path) -> None:
    start, end = MINIMAL.index("  vanort:\n"), MINIMAL.index("  finansiering:\n")
    vanort = MINIMAL[start:end]
    text = MINIMAL[:start] + MINIMAL[end:]
    text = text.replace("areas:\n", "areas:\n" + vanort, 1)
    profile = load_profile(write(tmp_path, text))
    assert tuple(profile.areas) == AREA_KEYS


def test_terms_are_stripped_and_quoted_numbers_are_text(tmp_path: Path) -> None:
    text = changed("terms_sv: [globala målen]", 'terms_sv: ["  globala målen ", "2030"]')
    profile = load_profile(write(tmp_path, text))
    assert profile.context.themes["agenda2030"].terms_sv == ("globala målen", "2030")


# --- bad input: one problem each, with file:line, key path and what to do ------------------------

BAD = [
    # (case, old, new, marker of the reported line, key path, expected text)
    (
        "unknown area key",
        "    threshold: 55\n",
        "    treshold: 55\n",
        "treshold",
        "areas.vanort.treshold",
        "Menade du 'threshold'?",
    ),
    (
        "unknown municipality key",
        "  nuts: SE232\n",
        "  nuts: SE232\n  kommunkod: 1492\n",
        "kommunkod",
        "municipality.kommunkod",
        "tillåtna under 'municipality'",
    ),
    (
        "unknown top-level key",
        "glossary:\n",
        "glosary:\n",
        "glosary",
        "glosary",
        "Menade du 'glossary'?",
    ),
    (
        "seventh area",
        "forvaltningar:\n",
        "  miljo:\n    name: Miljö\nforvaltningar:\n",
        "miljo",
        "areas.miljo",
        "områdena är sysselsattning, kompetens, levnadsvillkor, ungdom, vanort, finansiering",
    ),
    (
        "missing terms_en",
        "    terms_en: [town twinning]\n",
        "",
        "  vanort:",
        "areas.vanort.terms_en",
        "saknas; lägg till engelska söktermer",
    ),
    (
        "missing area name",
        "    name: Goda levnadsvillkor\n",
        "",
        "  levnadsvillkor:",
        "areas.levnadsvillkor.name",
        "saknas",
    ),
    (
        "missing förvaltning subjects.en",
        "      en: [school]\n",
        "",
        "    subjects:",
        "forvaltningar.buf.subjects.en",
        "saknas",
    ),
    (
        "förvaltning names an unknown area",
        "areas: [kompetens, ungdom]",
        "areas: [kompetens, ungdomar]",
        "areas: [kompetens",
        "forvaltningar.buf.areas",
        "okänt område 'ungdomar'",
    ),
    (
        "threshold above 100",
        "threshold: 55",
        "threshold: 140",
        "threshold",
        "areas.vanort.threshold",
        "mellan 0 och 100, inte 140",
    ),
    (
        "threshold below 0",
        "threshold: 55",
        "threshold: -5",
        "threshold",
        "areas.vanort.threshold",
        "mellan 0 och 100, inte -5",
    ),
    (
        "threshold not a number",
        "threshold: 55",
        "threshold: hög",
        "threshold",
        "areas.vanort.threshold",
        "måste vara ett tal 0–100, inte 'hög'",
    ),
    (
        "threshold a boolean",
        "threshold: 55",
        "threshold: true",
        "threshold",
        "areas.vanort.threshold",
        "måste vara ett tal",
    ),
    (
        "context weight above 1",
        "weight: 0.25",
        "weight: 2",
        "weight",
        "context.weight",
        "mellan 0 och 1, inte 2",
    ),
    (
        "name is a list",
        "    name: Extern finansiering\n",
        "    name: [Extern, finansiering]\n",
        "[Extern",
        "areas.finansiering.name",
        "måste vara en text, inte ['Extern', 'finansiering']",
    ),
    (
        "empty description",
        "description: En attraktiv kommun.",
        'description: ""',
        'description: ""',
        "areas.levnadsvillkor.description",
        "är tom",
    ),
    (
        "terms a string, not a list",
        "terms_sv: [livskvalitet]",
        "terms_sv: livskvalitet",
        "terms_sv: livskvalitet",
        "areas.levnadsvillkor.terms_sv",
        "måste vara en lista, inte 'livskvalitet'",
    ),
    (
        "empty term list",
        "terms_sv: [medfinansiering]",
        "terms_sv: []",
        "terms_sv: []",
        "areas.finansiering.terms_sv",
        "listan är tom",
    ),
    (
        "term list with nothing after the colon",
        "terms_en: [co-financing]",
        "terms_en:  # tom",
        "# tom",
        "areas.finansiering.terms_en",
        "listan är tom",
    ),
    (
        "blank term",
        "terms_en: [capacity building]",
        'terms_en: [capacity building, " "]',
        "capacity building",
        "areas.kompetens.terms_en",
        "post 2 är tom",
    ),
    (
        "number as a term",
        "terms_sv: [globala målen]",
        "terms_sv: [globala målen, 2030]",
        "globala målen",
        "context.themes.agenda2030.terms_sv",
        'post 2 (2030) är ingen text; sätt citattecken runt den: "2030"',
    ),
    (
        "nuts too long",
        "nuts: SE232",
        "nuts: SE2320",
        "nuts:",
        "municipality.nuts",
        "'SE2320' är ingen NUTS 3-kod",
    ),
    (
        "nuts in lower case",
        "nuts: SE232",
        "nuts: se232",
        "nuts:",
        "municipality.nuts",
        "'se232' är ingen NUTS 3-kod",
    ),
    (
        "nuts of a region, not a municipality",
        "nuts: SE232",
        "nuts: SE23",
        "nuts:",
        "municipality.nuts",
        "t.ex. SE232",
    ),
    (
        "nuts in another country",
        "nuts: SE232",
        "nuts: NO081",
        "nuts:",
        "municipality.nuts",
        "ligger inte i landet 'SE'",
    ),
    (
        "nuts a number",
        "nuts: SE232",
        "nuts: 232",
        "nuts:",
        "municipality.nuts",
        "måste vara en text, inte 232",
    ),
    (
        "country not a code",
        "country: SE",
        "country: Sverige",
        "country:",
        "municipality.country",
        "'Sverige' är ingen landskod",
    ),
    (
        "language not a code",
        "languages: [sv, en]",
        "languages: [svenska, en]",
        "languages:",
        "municipality.languages",
        "'svenska' är ingen språkkod",
    ),
    (
        "languages a string",
        "languages: [sv, en]",
        "languages: sv",
        "languages:",
        "municipality.languages",
        "måste vara en lista",
    ),
    (
        "municipality not a mapping",
        MINIMAL[: MINIMAL.index("areas:")],
        "municipality: Åmål\n",
        "municipality:",
        "municipality",
        "måste vara en mappning med nycklarna name, country, region, nuts, languages, region_names",
    ),
    (
        "areas a list",
        MINIMAL[MINIMAL.index("areas:") : MINIMAL.index("forvaltningar:")],
        "areas: [vanort]\n",
        "areas:",
        "areas",
        "måste vara en mappning (nyckel: värde)",
    ),
    (
        "förvaltning key with spaces",
        "  buf:\n",
        "  Barn och utbildning:\n",
        "Barn och utbildning:",
        "forvaltningar.Barn och utbildning",
        "använd små bokstäver a–z",
    ),
    (
        "no förvaltningar",
        MINIMAL[MINIMAL.index("forvaltningar:") : MINIMAL.index("context:")],
        "forvaltningar: {}\n",
        "forvaltningar:",
        "forvaltningar",
        "är tom; lägg till förvaltningarna",
    ),
    (
        "glossary entry empty",
        "vänort: [town twinning, twinning]",
        "vänort: []",
        "vänort: []",
        "glossary.vänort",
        "listan är tom; lägg till engelska motsvarigheter",
    ),
    (
        "glossary entry a string",
        "vänort: [town twinning, twinning]",
        "vänort: town twinning",
        "vänort: town",
        "glossary.vänort",
        "måste vara en lista",
    ),
    (
        "duplicate key",
        "    threshold: 55\n",
        "    threshold: 55\n    threshold: 60\n",
        "threshold: 60",
        "areas.vanort.threshold",
        "står två gånger",
    ),
]


@pytest.mark.parametrize(
    ("old", "new", "marker", "key", "expected"), [c[1:] for c in BAD], ids=[c[0] for c in BAD]
)
def test_bad_input_names_line_key_and_remedy(
    tmp_path: Path, old: str, new: str, marker: str, key: str, expected: str
) -> None:
    text = changed(old, new)
    path = write(tmp_path, text)
    message = only_problem(path)
    assert message.startswith(f"{path}:{line_of(text, marker)}: "), message
    assert f"'{key}'" in message, message
    assert expected in message, message


def test_missing_area_is_named_at_the_areas_line(tmp_path: Path) -> None:
    start, end = MINIMAL.index("  ungdom:\n"), MINIMAL.index("  vanort:\n")
    text = MINIMAL[:start] + MINIMAL[end:]
    path = write(tmp_path, text)
    message = only_problem(path)
    assert message.startswith(f"{path}:{line_of(text, 'areas:')}: nyckel 'areas.ungdom': saknas")
    assert "alla sex områden krävs" in message and "Lägg till 'ungdom:'" in message


def test_misspelt_area_is_unknown_and_the_real_one_missing(tmp_path: Path) -> None:
    text = changed("  vanort:\n", "  vanorter:\n")
    path = write(tmp_path, text)
    missing, unknown = problems_of(path)
    assert missing.startswith(f"{path}:{line_of(text, 'areas:')}: nyckel 'areas.vanort': saknas")
    assert unknown.startswith(f"{path}:{line_of(text, 'vanorter:')}: okänd nyckel 'areas.vanorter'")
    assert "Menade du 'vanort'?" in unknown


def test_forvaltning_area_suggests_the_close_one(tmp_path: Path) -> None:
    message = only_problem(write(tmp_path, changed("[kompetens, ungdom]", "[kompetens, vänort]")))
    assert "okänt område 'vänort'" in message and "Menade du 'vanort'?" in message


def test_missing_top_level_sections(tmp_path: Path) -> None:
    text = MINIMAL[MINIMAL.index("areas:") :]
    path = write(tmp_path, text)
    message = only_problem(path)
    assert message.startswith(f"{path}:1: nyckel 'municipality': saknas; lägg till kommunen")
    text = MINIMAL[: MINIMAL.index("forvaltningar:")]
    message = only_problem(write(tmp_path, text))
    assert "nyckel 'forvaltningar': saknas" in message


def test_all_problems_are_reported_together_in_file_order(tmp_path: Path) -> None:
    text = (
        changed("nuts: SE232", "nuts: SE2320")
        .replace("terms_sv: [livskvalitet]", "terms_sv: []")
        .replace("    threshold: 55\n", "    threshold: 555\n    vikt: 1\n")
        .replace("[kompetens, ungdom]", "[kompetens, ungdomar]")
        .replace("weight: 0.25", "weight: mycket")
        .replace("vänort: [town twinning, twinning]", "vänort: [town twinning, 7]")
    )
    path = write(tmp_path, text)
    problems = problems_of(path)
    expected = [
        ("nuts:", "municipality.nuts"),
        ("terms_sv: []", "areas.levnadsvillkor.terms_sv"),
        ("threshold: 555", "areas.vanort.threshold"),
        ("vikt:", "areas.vanort.vikt"),
        ("[kompetens, ungdomar]", "forvaltningar.buf.areas"),
        ("weight: mycket", "context.weight"),
        ("vänort: [town", "glossary.vänort"),
    ]
    assert len(problems) == len(expected), problems
    for (marker, key), message in zip(expected, problems, strict=True):
        assert message.startswith(f"{path}:{line_of(text, marker)}: "), message
        assert f"'{key}'" in message, message


@pytest.mark.parametrize("text", ["", "# bara en kommentar\n", "- en lista\n", "just text\n"])
def test_empty_or_not_a_mapping(tmp_path: Path, text: str) -> None:
    path = write(tmp_path, text)
    message = only_problem(path)
    assert message == (
        f"{path}: filen måste vara en YAML-mappning med nycklarna "
        "municipality, areas, forvaltningar, context, glossary, examples, recipients, notifications, "
        "schedule."
    )


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    text = changed("  country: SE\n", "  country: SE\n   region: x\n")
    path = write(tmp_path, text)
    message = only_problem(path)
    assert message.startswith(f"{path}:{line_of(text, '   region: x')}: ogiltig YAML")


def test_missing_file_says_how_to_give_another(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.yaml"
    message = only_problem(path)
    assert (
        message == f"{path}: filen finns inte. Ange en annan fil med --profile FILE eller EUMONITOR_PROFILE."
    )


def test_profile_path_prefers_option_then_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EUMONITOR_PROFILE", "/env/profile.yaml")
    assert profile_path("given.yaml") == Path("given.yaml")
    assert profile_path(None) == Path("/env/profile.yaml")
    monkeypatch.delenv("EUMONITOR_PROFILE", raising=False)
    assert profile_path(None) == Path("profile.yaml")


# --- the command ------------------------------------------------------------------------------


def test_check_profile_prints_a_swedish_summary(cli: Invoke) -> None:
    result = cli("--profile", str(SHIPPED), "check-profile")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == (
        f"{SHIPPED}: OK – Åmåls kommun (Västra Götaland, NUTS SE232, SE); språk: sv, en; 29 regionnamn."
    )
    profile = load_profile(SHIPPED)
    for key, area in profile.areas.items():
        (line,) = [line for line in lines if line.strip().startswith(key + " ")]
        assert area.name in line
        assert f"{len(area.terms_sv)}/{len(area.terms_en)}" in line
        assert line.endswith(f"tröskel {area.threshold:g}")
    ksf = next(line for line in lines if line.strip().startswith("ksf "))
    assert "Kommunstyrelseförvaltningen" in ksf and "finansiering, vanort, sysselsattning, kompetens" in ksf
    assert "Förvaltningar (4) och deras områden:" in lines
    assert any(line.startswith("Sammanhang: 3 teman") and "vikt 0,3" in line for line in lines)
    assert any(line.startswith(f"Ordlista: {len(profile.glossary)} svenska termer") for line in lines)
    assert f"Mottagare av veckobrevet ({len(profile.recipients)}):" in lines
    kansliet = next(line for line in lines if line.strip().startswith("kansliet "))
    assert "Kansli- och utredningsenheten" in kansliet and "alla områden, källornas hälsa" in kansliet
    assert lines[-1].startswith("Schema (Europe/Stockholm): insamling '0 6 * * *', veckobrev '0 7 * * mon'")
    assert result.stderr == ""


def test_check_profile_quiet_prints_nothing(cli: Invoke) -> None:
    result = cli("-q", "--profile", str(SHIPPED), "check-profile")
    assert result.exit_code == 0 and result.stdout == ""


def test_check_profile_bad_exits_2_with_one_line_per_problem(cli: Invoke, tmp_path: Path) -> None:
    text = changed("threshold: 55", "threshold: 140").replace("    name: Goda levnadsvillkor\n", "")
    path = write(tmp_path, text)
    problems = problems_of(path)
    assert len(problems) == 2
    result = cli("--profile", str(path), "--db", str(tmp_path / "x.db"), "check-profile")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        *(f"fel: {p}" for p in problems),
        "2 fel i konfigurationen; inget kördes.",
    ]
    assert "areas.vanort.threshold" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "x.db").exists()


def test_check_profile_missing_file_is_one_line(cli: Invoke, tmp_path: Path) -> None:
    result = cli("--profile", str(tmp_path / "none.yaml"), "check-profile")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == (
        f"fel: {tmp_path / 'none.yaml'}: filen finns inte. Ange en annan fil med --profile FILE "
        "eller EUMONITOR_PROFILE."
    )


def test_check_profile_reads_the_environment(cli: Invoke, tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL)
    result = cli("check-profile", env={"EUMONITOR_PROFILE": str(path)})
    assert result.exit_code == 0 and result.stdout.startswith(f"{path}: OK – Åmåls kommun")
    assert "tröskel 55" in result.stdout  # the file from the environment, not the shipped one
    missing = tmp_path / "env-default-profile.yaml"
    default = cli("check-profile", env={"EUMONITOR_PROFILE": str(missing)})
    assert default.exit_code == 2 and "env-default-profile.yaml: filen finns inte" in default.stderr
    other = tmp_path / "other" / "profile.yaml"
    other.parent.mkdir()
    other.write_text(MINIMAL.replace("threshold: 55", "threshold: 65"), encoding="utf-8")
    wins = cli("--profile", str(other), "check-profile", env={"EUMONITOR_PROFILE": str(path)})
    assert wins.exit_code == 0 and "tröskel 65" in wins.stdout  # the option wins over the environment


def test_check_profile_defaults_to_the_working_directory(
    cli: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, MINIMAL)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("EUMONITOR_PROFILE", raising=False)
    result = cli("check-profile")
    assert result.exit_code == 0 and result.stdout.startswith("profile.yaml: OK – ")


def test_check_config_does_not_read_the_profile(cli: Invoke, tmp_path: Path) -> None:
    sources = tmp_path / "s.yaml"
    sources.write_text(
        "sources:\n  - id: eu-portal\n    kind: eu_portal\n    url: https://api.example.org/s\n",
        encoding="utf-8",
    )
    result = cli("--sources", str(sources), "--profile", str(write(tmp_path, "")), "check-config")
    assert result.exit_code == 0 and result.stdout == f"{sources}: OK – 1 källor, 1 aktiva.\n"


def test_query_commands_do_not_import_the_profile(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from monitor.cli import main\n"
        "try:\n"
        f"    main(['--db', {str(tmp_path / 'q.db')!r}, 'calls', '--format', 'json'])\n"
        "except SystemExit as exit:\n"
        "    assert not exit.code, exit.code\n"
        "print('PROFILE', 'monitor.profile' in sys.modules, file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "PROFILE False" in done.stderr and done.stdout.strip() == "[]"


def test_readme_documents_the_profile_and_shows_real_output(
    cli: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Configuration: `profile.yaml`") : readme.index("## Commands")]
    for key in ("municipality", "areas", "context", "forvaltningar", "glossary", "threshold", *AREA_KEYS):
        assert f"`{key}`" in section, key
    monkeypatch.chdir(REPO)
    monkeypatch.delenv("EUMONITOR_PROFILE", raising=False)
    output = cli("check-profile").stdout.splitlines()
    example = readme[readme.index("### `eumonitor check-profile`") :]
    example = example[: example.index("```\n", example.index("```sh") + 5)]
    shown = [line[2:] for line in example.splitlines() if line.startswith("# ") and "…" not in line]
    assert len(shown) >= 10
    for line in shown:
        assert line in output, line


def test_examples_are_read_relative_to_the_profile_and_checked_line_by_line(tmp_path: Path) -> None:
    good = (
        '{"id": "a", "title": "Town twinning", "text": "Citizens of twin towns.", "labels": {"vanort": 2}}\n'
    )
    (tmp_path / "examples.jsonl").write_text(good, encoding="utf-8")
    path = write(tmp_path, MINIMAL + "examples: examples.jsonl\n")
    profile = load_profile(path)
    assert profile.examples_paths() == [tmp_path / "examples.jsonl"]
    (tmp_path / "examples.jsonl").write_text(good + '{"id": "b", "title": "x", "labels": {"vänort": 2}}\n')
    problems = problems_of(path)
    assert problems[0].startswith(f"{path}:{line_of(MINIMAL + 'examples: x', 'examples:')}: examples: ")
    assert any(
        p.startswith(f"{tmp_path / 'examples.jsonl'}:2: labels: okänt område 'vänort'") for p in problems
    )
    missing = write(tmp_path, MINIMAL + "examples: saknas.jsonl\n")
    assert "saknas.jsonl" in problems_of(missing)[1]


def test_examples_may_be_a_list_of_files_each_checked(tmp_path: Path) -> None:
    first = '{"id": "a", "title": "Town twinning", "text": "Twin towns.", "labels": {"vanort": 2}}\n'
    (tmp_path / "one.jsonl").write_text(first, encoding="utf-8")
    (tmp_path / "two.jsonl").write_text(first.replace('"a"', '"b"'), encoding="utf-8")
    path = write(tmp_path, MINIMAL + "examples:\n  - one.jsonl\n  - two.jsonl\n")
    profile = load_profile(path)
    assert profile.examples_paths() == [tmp_path / "one.jsonl", tmp_path / "two.jsonl"]
    assert [e.call.id for e in profile_examples(profile)] == ["a", "b"]
    (tmp_path / "one.jsonl").write_text('{"id": "a", "labels": {"vanort": 2}}\n', encoding="utf-8")
    (tmp_path / "two.jsonl").write_text("nej\n", encoding="utf-8")
    problems = problems_of(path)
    assert any(p.startswith(f"{tmp_path / 'one.jsonl'}:1: nyckeln 'title'") for p in problems)
    assert any(p.startswith(f"{tmp_path / 'two.jsonl'}:1: ingen giltig JSON") for p in problems)
    assert sum("exempelfilen" in p for p in problems) == 2
