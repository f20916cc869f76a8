"""The analyser (stems, compounds, phrases, concepts) and the TF-IDF matcher on calls in both languages."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
import scipy.sparse as sp
from matcher_areas import AREAS, GLOSSARY

import matchers.tfidf as tfidf
from matchers.eligibility import home_programme, municipal_programme, twinning_strand
from matchers.model import (
    AreaSpec,
    Context,
    Example,
    MatchInput,
    from_profile,
    match_input_from_call,
    match_input_from_row,
    profile_fingerprint,
)
from matchers.text import (
    Lexicon,
    bag_of_words,
    cross_border,
    detect_language,
    research_action,
    stem,
    swedish_form,
)
from matchers.tfidf import Matcher
from monitor.records import Call
from monitor.regions import Home

TOWN_TWINNING = MatchInput(
    "eu:CERV-TT",
    "Town-Twinning",
    "Town-twinning projects bring together citizens from towns and municipalities of at least two "
    "eligible countries to debate the future of Europe. Twinning partnerships are a way for local "
    "authorities to involve people who rarely take part in European projects. Who can apply: "
    "municipalities, town twinning committees and non-profit organisations representing local authorities.",
    keywords=["Town twinning", "Citizens' engagement", "Local authorities"],
    programme="Citizens, Equality, Rights and Values Programme (CERV)",
    lang="en",
)
UNGDOMSUTBYTE = MatchInput(
    "mucf:ungdomsutbyte",
    "Ungdomsutbyte",
    "Bidrag till ungdomsutbyten mellan ungdomsgrupper från olika länder i Europa. Utbytet ska ha ett tema "
    "och vara relevant för ungas vardag. Vem kan söka? Grupper av unga mellan 13 och 30 år, kommunala "
    "verksamheter och föreningar.",
    programme="Erasmus+ ungdom (MUCF)",
    lang="sv",
)
QUANTUM = MatchInput(
    "eu:HORIZON-CL4-QUANTUM",
    "Quantum software, algorithms and benchmarking for early fault-tolerant quantum computers (RIA)",
    "Expected Outcome: European leadership in software stacks, compilers and error-mitigation for quantum "
    "processors. Scope: benchmarking suites, verification of quantum algorithms on hardware.",
    keywords=["Quantum computing", "Software engineering"],
    programme="Horizon Europe (HORIZON)",
    lang="en",
)
OTHERS = [
    MatchInput(
        "eu:chips",
        "Beyond-silicon semiconductor materials for energy-efficient chips",
        "Wafer-scale processes for 2D materials compatible with CMOS back-end-of-line.",
        lang="en",
    ),
    MatchInput(
        "eu:ai",
        "Trustworthy foundation models for scientific discovery",
        "Open European foundation models trained on scientific data.",
        lang="en",
    ),
    MatchInput(
        "eu:life",
        "Climate governance and information",
        "Projects improve climate governance by supporting regional and local authorities.",
        lang="en",
    ),
    MatchInput(
        "eu:esc",
        "Volunteering projects in the European Solidarity Corps",
        "Young people aged 18–30 volunteer abroad in solidarity projects.",
        lang="en",
    ),
    MatchInput(
        "tvv:vg",
        "Kompetensförsörjning i Västsverige",
        "Kommuner, regioner och lärosäten kan söka medel för kompetensförsörjning i regionen.",
        lang="sv",
    ),
    MatchInput(
        "vinnova:ai",
        "Gemensamma AI-förmågor i kommuner",
        "Kommuner och civilsamhällesorganisationer utvecklar gemensamma resurser för AI.",
        lang="sv",
    ),
    MatchInput(
        "leader:service",
        "Lokala servicepunkter på landsbygden",
        "Stöd till byalag och föreningar som vill driva en servicepunkt.",
        lang="sv",
    ),
    MatchInput(
        "fyrbodal:utv",
        "Att söka utvecklingsmedel",
        "Fyrbodals kommunalförbund utlyser projektmedel för regional utveckling.",
        lang="sv",
    ),
]
CORPUS = [TOWN_TWINNING, UNGDOMSUTBYTE, QUANTUM, *OTHERS]
KEYS = [a.key for a in AREAS]


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return Lexicon.from_profile(AREAS, GLOSSARY)


@pytest.fixture(scope="module")
def fitted() -> tuple[Matcher, dict[str, tfidf.Result]]:
    matcher = Matcher(workers=1)
    results = matcher.fit_score(CORPUS, AREAS, GLOSSARY)
    return matcher, {r.id: r for r in results}


# --- words ----------------------------------------------------------------------------------------


def test_stemming_in_each_language():
    assert stem("ungdomar", "sv") == stem("ungdom", "sv")
    assert stem("marknaden", "sv") == stem("marknad", "sv")  # the second pass at work
    assert stem("utbytena", "sv") == stem("utbyte", "sv")
    assert stem("projektet", "sv") == stem("projekt", "sv")  # definite "-et"
    assert stem("towns", "en") == stem("town", "en")
    assert stem("authorities", "en") == stem("authority", "en")


def test_the_english_stemmer_keeps_international_apart_from_internal():
    # Snowball 3.1 (pyproject pins it, C or Python alike); 3.0 stemmed all three "intern", so an
    # "internal" audit call shared the strategy's most frequent word
    assert stem("international", "en") == stem("internationally", "en")
    assert stem("international", "en") != stem("internal", "en")
    assert stem("international", "en") != stem("intern", "en")


def test_stop_words_and_digits_give_no_tokens(lexicon):
    assert lexicon.analyze("och att för 2027", "sv") == []
    assert lexicon.analyze("the of and to 100", "en") == []


@pytest.mark.parametrize(
    ("word", "parts"),
    [
        ("ungdomsutbyte", ("ungdom", "utbyte")),
        ("vänortssamarbete", ("vänort", "samarbete")),
        ("kompetensutveckling", ("kompetens", "utveckling")),
        ("besöksnäring", ("besök", "näring")),
        ("föreningsliv", ("förening", "liv")),
        ("ungdomsutbytena", ("ungdom", "utbytena")),  # the last part may be inflected
    ],
)
def test_swedish_compounds_split_into_known_parts(lexicon, word, parts):
    assert lexicon.split_compound(word) == parts


@pytest.mark.parametrize("word", ["kommunikation", "regionen", "utveckling", "partnerskap"])
def test_words_that_are_no_compound_of_known_parts_stay_whole(lexicon, word):
    assert lexicon.split_compound(word) is None


def test_a_compound_keeps_its_whole_stem_and_gains_its_parts(lexicon):
    tokens = set(lexicon.analyze("ungdomsutbytet", "sv"))
    assert {stem("ungdomsutbyte", "sv"), stem("ungdom", "sv"), stem("utbyte", "sv")} <= tokens


def test_youth_exchange_and_ungdomsutbyte_share_a_concept(lexicon):
    swedish = {t for t in lexicon.analyze("ungdomsutbyten", "sv") if t.startswith("c:")}
    english = {t for t in lexicon.analyze("youth exchanges", "en") if t.startswith("c:")}
    assert "c:ungdomsutbyte" in swedish & english
    shared = set(lexicon.analyze("ungdomsutbyten", "sv")) & set(lexicon.analyze("youth exchanges", "en"))
    assert shared == swedish & english  # nothing else in common: the concepts are the bridge


def test_town_twinning_and_vanortssamarbete_share_a_concept(lexicon):
    assert "c:vanort" in lexicon.analyze("vänortssamarbetet", "sv")
    assert "c:vanort" in lexicon.analyze("Town-twinning", "en")
    assert "c:vanort" in lexicon.analyze("twin towns", "en")


def test_a_single_english_word_triggers_its_concept_only_in_its_own_forms():
    lexicon = Lexicon([], [], [("vänort", ["twinning"])])
    assert "c:vanort" in lexicon.analyze("twinning", "en")
    assert "c:vanort" not in lexicon.analyze("digital twins", "en")  # same stem, other word


def test_phrases_are_recognised_only_as_phrases(lexicon):
    assert "p:capac_build" in lexicon.analyze("capacity building for local authorities", "en")
    assert "p:capac_build" not in lexicon.analyze("building capacity", "en")
    # stop words between the words of a phrase do not break it, other words do
    assert "c:kunskapsutbyte" in lexicon.analyze("an exchange of experience", "en")
    assert "c:kunskapsutbyte" not in lexicon.analyze("an exchange of staff experience", "en")


def test_an_english_programme_name_in_a_swedish_text_is_found(lexicon):
    assert "c:volontar" in lexicon.analyze("Ansök via European Solidarity Corps", "sv")


def test_counting_gives_the_same_tokens_as_the_token_list(lexicon):
    for item in CORPUS:
        assert lexicon.count_input(item, 3) == Counter(lexicon.analyze_input(item, 3))
    title_only = lexicon.count_input(MatchInput("t", "Town twinning"), 3)
    assert title_only["c:vanort"] == 3  # the title counts three times


def test_language_detection():
    assert detect_language("Bidrag till ungdomsutbyten mellan grupper och föreningar") == "sv"
    assert detect_language("Projects should bring together citizens of the towns") == "en"


def test_cross_border_and_research_signals():
    assert cross_border("Utbyten med unga i andra länder", "sv")
    assert not cross_border("Kompetensförsörjning i Västsverige med medel från Europeiska socialfonden", "sv")
    assert cross_border("Partners from at least two eligible countries", "en")
    assert research_action("Quantum algorithms (RIA)")
    assert not research_action("Town twinning")
    assert research_action(
        "Syftet med projektbidraget är att du som forskare ska få lösa en forskningsuppgift."
    )


def test_a_research_programme_is_known_by_type_of_action_programme_or_identifier():
    text = "Arts and cultural awareness in education and training"  # says nothing itself
    plain = MatchInput("eu-portal:X-1", "Topic", text)
    assert not research_action(text, plain)
    typed = MatchInput(
        "eu-portal:X-1", "Topic", text, action_types=["HORIZON-RIA HORIZON Research and Innovation Actions"]
    )
    assert research_action(text, typed)
    assert research_action(
        text, MatchInput("eu-portal:X-1", "Topic", text, programme="Horizon Europe (HORIZON)")
    )
    assert research_action(text, MatchInput("eu-portal:HORIZON-CL2-2027-01-08", "Topic", text))
    assert not research_action(text, MatchInput("eu-portal:CERV-2027-CITIZENS-TOWN-TT", "Topic", text))


def test_a_horizon_identifier_in_the_text_marks_research_but_a_mission_does_not():
    # pages other than the portal's (news, national contact points) name the topic in their text
    assert research_action("Cluster 2: Inclusiveness in times of change (HORIZON-CL2-2021-TRANSFORMATIONS)")
    assert research_action("Twinning (HORIZON-WIDERA-2026-02-WIDENING-01)")
    assert research_action("ERC Starting Grant 2022 (ERC-2022-StG)")
    assert not research_action("Living Labs in urban areas for healthy soils (HORIZON-MISS-2024-SOIL-01-02)")


def test_norwegian_and_danish_words_read_as_swedish(lexicon):
    assert swedish_form("arbeidsmarkedet") == "arbetsmarknad"
    assert swedish_form("grænseoverskridende") == "gränsöverskridande"
    assert swedish_form("kulturmøter") == "kulturmöter"  # not in the table: the letters only
    assert swedish_form("arbetsmarknad") == "arbetsmarknad"
    assert swedish_form("ungdomsudveksling") == "ungdomsutbyte"  # a compound ending in a table word
    assert swedish_form("projektstøtte") == "projektstöd"
    # twin towns under their Danish and Norwegian names (real calls: "tilskud til rejser til samarbejdsbyer")
    for twin in ("samarbejdsbyer", "samarbeidsby", "søsterbyer", "venskabsbyer", "vennskapskommuner"):
        assert swedish_form(twin) == "vänort"
    assert swedish_form("venskabsbysamarbejdet") == "vänortssamarbete"
    danish = lexicon.count_input(MatchInput("d", "Ungdomsudveksling", "", lang="da"))
    assert danish == lexicon.count_input(MatchInput("s", "Ungdomsutbyte", "", lang="sv")) and danish
    norwegian = lexicon.count_input(MatchInput("n", "Grenseoverskridende arbeidsmarked", "", lang="sv"))
    swedish = lexicon.count_input(MatchInput("s", "Gränsöverskridande arbetsmarknad", "", lang="sv"))
    assert norwegian == swedish and norwegian
    assert cross_border("Samarbeid over grensen: grenseoverskridende prosjekter", "sv")
    assert lexicon.language_of(MatchInput("n", "The", "the and of", lang="nb")) == "sv"  # given, not guessed
    assert lexicon.language_of(MatchInput("f", "Town twinning", "Citizens of the towns", lang="fr")) == "en"


def test_norwegian_and_danish_function_words_are_stop_words(lexicon):
    for text in (
        "og til fra ikke også skal være disse mellom gjennom etter",
        "af hvis bliver nogle uden gennem",
    ):
        assert lexicon.count_input(MatchInput("n", text, "", lang="sv")) == Counter()
    norwegian = lexicon.count_input(MatchInput("n", "Samarbeid mellom kommuner og skoler", "", lang="sv"))
    swedish = lexicon.count_input(MatchInput("s", "Samarbete mellan kommuner och skolor", "", lang="sv"))
    assert set(norwegian) == set(swedish) and norwegian


def test_a_side_theme_scores_below_the_same_words_as_a_main_theme():
    """Focus: the same knowledge-exchange words count less in a call whose main theme is another
    theme area; the funding area is left as it is."""
    text = (
        "Youth exchange for young people, volunteering and mobility of young people, "
        "with an exchange of experience between youth workers."
    )
    side = MatchInput("a", "Youth exchanges", text, lang="en")
    corpus = [side, *CORPUS]
    focused = Matcher().fit(corpus, AREAS, GLOSSARY).raw_scores([side])[0]
    unfocused = Matcher(focus_exponent=0).fit(corpus, AREAS, GLOSSARY).raw_scores([side])[0]
    keys = [a.key for a in AREAS]
    best = int(np.argmax(unfocused))
    theme = [i for i, a in enumerate(AREAS) if not a.funding]
    assert focused[best] == pytest.approx(unfocused[best])
    for i in theme:
        if i != best and unfocused[i] > 0:
            assert focused[i] < unfocused[i], keys[i]
    for i, area in enumerate(AREAS):
        if area.funding:
            assert focused[i] == pytest.approx(unfocused[i])


# --- records --------------------------------------------------------------------------------------


def test_match_input_from_call_and_from_row_agree():
    call = Call(
        source="eu-portal",
        key="CERV-TT",
        identifier="CERV-TT",
        title="Town-Twinning",
        url="https://example.org",
        call_title="Call for proposals for town-twinning",
        programme="CERV",
        description="Objective: twinning.",
        conditions="Eligible: municipalities.",
        keywords=["Town twinning"],
        language="en",
        deadlines=[datetime(2027, 3, 1, tzinfo=UTC)],
    )
    row = {
        "id": call.id,
        "title": call.title,
        "call_title": call.call_title,
        "description": call.description,
        "conditions": call.conditions,
        "keywords": '["Town twinning"]',
        "programme": "CERV",
        "language": "en",
    }
    from_call, from_row = match_input_from_call(call), match_input_from_row(row)
    assert from_call == from_row
    assert "town-twinning" in from_call.text and "municipalities" in from_call.text
    assert from_call.keywords == ["Town twinning"]


def test_funding_areas_are_known_by_name_unless_the_profile_says():
    assert AreaSpec("finansiering", "Extern finansiering").funding
    assert not AreaSpec("vanort", "Vänortssamarbete").funding
    assert AreaSpec("x", "Anything", kind="funding").funding
    assert not AreaSpec("finansiering", "Extern finansiering", kind="theme").funding


# --- the matcher ----------------------------------------------------------------------------------


def test_town_twinning_call_scores_highest_on_vanort(fitted):
    _, results = fitted
    result = results[TOWN_TWINNING.id]
    assert result.best_area == "vanort"
    assert result.scores["vanort"] >= 70
    assert result.scores["vanort"] > max(results[o.id].scores["vanort"] for o in OTHERS)


def test_swedish_ungdomsutbyte_call_scores_highest_on_ungdom(fitted):
    _, results = fitted
    result = results[UNGDOMSUTBYTE.id]
    assert result.best_area == "ungdom"
    assert result.scores["ungdom"] >= 70


def test_deep_tech_call_scores_low_everywhere(fitted):
    _, results = fitted
    scores = results[QUANTUM.id].scores
    assert max(scores.values()) < 20
    assert max(scores.values()) < results[TOWN_TWINNING.id].scores["vanort"] / 4


def test_why_lists_readable_words_in_the_calls_language(fitted):
    _, results = fitted
    english = results[TOWN_TWINNING.id].why["vanort"]
    assert "town twinning" in english
    swedish = results[UNGDOMSUTBYTE.id].why["ungdom"]
    assert "ungdomsutbyte" in swedish
    for labels in (english, swedish):
        assert 1 <= len(labels) <= tfidf.WHY_TERMS
        assert len(set(labels)) == len(labels)
        assert not any(label.startswith(("c:", "p:")) for label in labels)
    assert "twin" not in english  # a stem is never shown, its word is


def test_no_why_for_scores_below_the_floor_except_the_best_area(fitted):
    _, results = fitted
    for result in results.values():
        for key, score in result.scores.items():
            if score < tfidf.WHY_MIN and key != result.best_area:
                assert key not in result.why


def test_the_best_area_always_says_why(fitted):
    matcher, results = fitted
    low = MatchInput(
        "x:low",
        "Annual report on wafer-scale processes",
        "Wafer-scale processes for two-dimensional materials, CMOS back-end-of-line integration, "
        "lithography, etching, deposition, metrology and yield models for pilot lines in Europe; "
        "benchmarks of transistor variability, contact resistance and thermal budgets, with a short "
        "note on innovation.",
        lang="en",
    )
    (low_result,) = matcher.score([low], new=False)
    assert low_result.best_area is not None
    assert 0 < low_result.scores[low_result.best_area] < tfidf.WHY_MIN
    assert low_result.why[low_result.best_area]
    for result in [*results.values(), low_result]:
        if result.best_area is not None:
            assert result.why.get(result.best_area), result.id


def test_an_ineligible_call_is_ranked_down_and_says_why(fitted):
    matcher, _ = fitted
    companies_only = MatchInput(
        "x:tt-sme", TOWN_TWINNING.title, TOWN_TWINNING.text + " Only SMEs can apply.", lang="en"
    )
    plain = MatchInput("x:tt", TOWN_TWINNING.title, TOWN_TWINNING.text, lang="en")
    ineligible, eligible = matcher.score([companies_only, plain])
    assert not ineligible.eligible and ineligible.ineligible_reason == "kommun kan inte söka: endast företag"
    assert eligible.eligible and eligible.ineligible_reason is None
    raw = matcher.raw_scores([companies_only, plain])
    funding, theme = KEYS.index("finansiering"), KEYS.index("vanort")
    assert raw[0, funding] < raw[1, funding] and raw[0, theme] < raw[1, theme]
    # the municipality cannot apply: the funding area sinks furthest; its companies still could use
    # the call, so the theme areas sink less
    assert raw[0, funding] / raw[1, funding] < raw[0, theme] / raw[1, theme]


_INTERREG_TEXT = (
    "Interreg {} öppnar en ny utlysning för projekt där organisationer på båda sidor om gränsen "
    "samarbetar kring arbetsmarknad och näringsliv. Projektmedel kan sökas under hösten."
)
_TWINNING_TEXT = (
    "{} utlyser medel till projekt där kommuner från olika länder möts i partnerskap och "
    "diskuterar europeiska värden. Bidraget ges som ett klumpbelopp per deltagare."
)


@pytest.mark.parametrize(
    ("title", "text", "joinable", "other", "theme"),
    [
        # Spanien-Portugal is in no table, and names one country the pair rule knows
        ("Ny utlysning", _INTERREG_TEXT, "Sverige-Norge", "Spanien-Portugal", "sysselsattning"),
        # the same title: the text decides whether it is the EU's strand or a foundation's grant
        ("Vänortssamarbete 2026", _TWINNING_TEXT, "Ett Europa för medborgarna", "En stiftelse", "vanort"),
    ],
    ids=["interreg-covering-the-home", "eu-town-twinning-strand"],
)
def test_a_programme_the_municipality_joins_is_lifted_in_the_funding_areas(
    fitted, title, text, joinable, other, theme
):
    matcher, _ = fitted
    lifted = MatchInput("j", title, text.format(joinable), lang="sv")
    plain = MatchInput("o", title, text.format(other), lang="sv")
    raw = matcher.raw_scores([lifted, plain])
    funding, theme_area = KEYS.index("finansiering"), KEYS.index(theme)
    assert raw[0, funding] > 1.8 * raw[1, funding] > 0
    assert raw[0, theme_area] == pytest.approx(raw[1, theme_area], rel=0.1)  # the theme areas do not move


def test_home_programme_names_only_programmes_whose_area_covers_the_home():
    assert home_programme("Interreg Sverige-Norge: utlysning 11") == "Sverige-Norge"
    assert home_programme("Interreg Öresund-Kattegat-Skagerrak, ansøgningsrunde 2027") is not None
    assert home_programme("Interreg Europe: fifth call for project proposals") == "Interreg Europe"
    assert home_programme("Interreg Aurora: small-scale projects in Sápmi") is None  # the north only
    assert home_programme("Interreg Aurora and Interreg Sverige-Norge") == "Sverige-Norge"
    assert home_programme("North Sea offshore wind: research consortia") is None  # no Interreg named
    assert home_programme("Interreg Euro-MED call; apply in Jems, developed by Interact") is None
    assert (
        home_programme("Interreg NPA: zones Finland-Sweden-Norway; Ireland") is None
    )  # a zone, not the programme
    south = Home(nuts="SE224", names=("Skåne",))
    assert home_programme("Interreg Sverige-Norge: utlysning 11", south) is None


def test_the_eus_town_twinning_strands_are_partnerships_the_municipality_can_join():
    cerv = "Citizens, Equality, Rights and Values programme (CERV). Lump sums for bilateral events."
    assert twinning_strand("Call Town Twinning 2025 (CERV-2025-CITIZENS-TOWN-TT)", cerv) == "Town Twinning"
    assert twinning_strand("Networks of Towns", "Europe for Citizens, strand 2.") == "Networks of Towns"
    assert twinning_strand("EU-stöd till vänortssamarbete", "Ett Europa för medborgarna") is not None
    assert twinning_strand("Open calls for Town Twinning", "Exchanges between citizens.") == "Town Twinning"
    assert (
        twinning_strand("Sök stöd inom Europa för medborgarna", "• Vänortssamarbete.") == "Vänortssamarbete"
    )
    danish = "Nye indkaldelser under Europa for borgerne – venskabsbysamarbejde og netværk af venskabsbyer"
    assert twinning_strand(danish, "") == "venskabsbysamarbejde"
    assert twinning_strand("EU-Aufruf CERV 2022: Städtepartnerschaften und Netzwerke", "") is not None
    # a town's own twinning grant, or the strand named in passing: not the EU's strand
    assert twinning_strand("Tilskud til venskabsbysamarbejde – Albertslund Kommune", "Foreninger.") is None
    assert twinning_strand("Vänortssamarbete – bidrag från Höganäs kommun", "Föreningar kan söka.") is None
    assert twinning_strand("CERV: Children's rights", "Unlike Town Twinning, this strand …") is None


def test_programmes_written_for_municipalities_are_named():
    assert municipal_programme("Town Twinning 2027", "") == "Town Twinning"
    assert municipal_programme("Nordplus Junior – ansökningsomgång 2018", "Skolor kan söka.") == "Nordplus"
    assert municipal_programme("Nordplus högre utbildning", "Universitet och högskolor.") is None
    assert municipal_programme("Urban Agenda partnerships", "Cities cooperate on housing.") is None
    # tried and reverted (README, Matching): URBACT's calls for experts are no partnerships
    assert municipal_programme("Join the URBACT pool of experts", "Experts may apply.") is None


def test_danish_and_norwegian_spellings_name_the_home_programmes():
    assert home_programme("Vil ha ØKS-søknader i mars – Interreg IVA Øresund-Kattegat-Skagerrak") is not None
    assert home_programme("Interreg ØKS med ny heimeside") == "ØKS"
    assert home_programme("Interreg: Nordsjøprogrammet åpner ny utlysning") is not None
    assert home_programme("Interreg Østersøregionen: småprojekter") is not None


def test_a_domestic_call_ranks_below_the_same_call_with_a_cross_border_element(fitted):
    matcher, _ = fitted
    domestic = MatchInput("d", "Ungdomar", "Bidrag till ungdomar och deras föreningar.", lang="sv")
    abroad = MatchInput(
        "a", "Ungdomar", "Bidrag till ungdomar och deras föreningar i andra länder.", lang="sv"
    )
    scores = matcher.raw_scores([domestic, abroad])
    ungdom = KEYS.index("ungdom")
    assert scores[0, ungdom] < scores[1, ungdom]


def test_incremental_scoring_equals_batch_scoring(fitted):
    matcher, results = fitted
    new = [
        MatchInput(
            "new:1", "Networks of towns", "Municipalities work together in networks of towns.", lang="en"
        ),
        MatchInput(
            "new:2", "Vänortsutbyte", "Föreningar i vänorterna möts och utbyter erfarenheter.", lang="sv"
        ),
    ]
    one_by_one = [matcher.score([item])[0] for item in new]
    together = matcher.score([*CORPUS, *new])
    assert [r.scores for r in one_by_one] == [r.scores for r in together[-2:]]
    assert [r.why for r in one_by_one] == [r.why for r in together[-2:]]
    # and the corpus scored again on the fitted model gives what fit_score gave
    assert [r.scores for r in together[: len(CORPUS)]] == [results[i.id].scores for i in CORPUS]


def test_a_profile_word_no_call_had_still_counts_for_a_new_call():
    corpus = [QUANTUM, *OTHERS]  # nobody says "vänort" or "town twinning"
    matcher = Matcher(workers=1).fit(corpus, AREAS, GLOSSARY)
    (result,) = matcher.score([TOWN_TWINNING])
    assert result.best_area == "vanort"


def test_parallel_analysis_gives_the_same_scores(monkeypatch):
    monkeypatch.setattr(tfidf, "PARALLEL_MIN", 2)
    corpus = CORPUS * 3
    serial = Matcher(workers=1).fit_score(corpus, AREAS, GLOSSARY)
    parallel = Matcher(workers=2).fit_score(corpus, AREAS, GLOSSARY)
    assert [r.scores for r in serial] == [r.scores for r in parallel]
    assert [r.why for r in serial] == [r.why for r in parallel]
    # examples are analysed as a batch of their own beside the corpus: the same vectors either way
    taught = [Example(TOWN_TWINNING, {"vanort": 2}), Example(UNGDOMSUTBYTE, {"ungdom": 2})]
    serial = Matcher(workers=1).fit(corpus, AREAS, GLOSSARY, examples=taught)
    parallel = Matcher(workers=2).fit(corpus, AREAS, GLOSSARY, examples=taught)
    # (to the last bits: the columns are numbered slice after slice, so their order differs)
    np.testing.assert_allclose(serial.raw_scores(corpus), parallel.raw_scores(corpus), rtol=1e-12)
    assert not np.array_equal(serial._query, Matcher(workers=1).fit(corpus, AREAS, GLOSSARY)._query)


def test_marks_move_an_area_towards_relevant_and_away_from_not_relevant():
    matcher = Matcher(workers=1).fit(CORPUS, AREAS, GLOSSARY)
    leader, life = OTHERS[6], OTHERS[2]
    area = KEYS.index("levnadsvillkor")
    before = matcher.raw_scores([leader, life])[:, area]
    matcher.adjust("levnadsvillkor", relevant=[leader])
    after_relevant = matcher.raw_scores([leader, life])[:, area]
    assert after_relevant[0] > before[0]
    matcher.adjust("levnadsvillkor", relevant=[leader], not_relevant=[life])
    after_both = matcher.raw_scores([leader, life])[:, area]
    assert after_both[1] < after_relevant[1]
    assert after_both[0] > before[0]
    # marks start from the profile's vector: the same marks again give the same scores
    matcher.adjust("levnadsvillkor", relevant=[leader], not_relevant=[life])
    assert np.allclose(matcher.raw_scores([leader, life])[:, area], after_both)
    # other areas are untouched
    assert np.allclose(matcher._query[KEYS.index("vanort")], matcher._base[KEYS.index("vanort")])


def test_adjust_refuses_an_unknown_area():
    matcher = Matcher(workers=1).fit(CORPUS, AREAS, GLOSSARY)
    with pytest.raises(KeyError, match="unknown area"):
        matcher.adjust("nope", relevant=[TOWN_TWINNING])


def test_refit_is_advised_when_the_profile_or_the_corpus_has_moved():
    matcher = Matcher(workers=1)
    assert matcher.refit_reason() == "not fitted"
    matcher.fit(CORPUS, AREAS, GLOSSARY)
    assert matcher.refit_reason(matcher.fingerprint) is None
    assert matcher.refit_reason("another profile") == "the profile changed"
    matcher.score([TOWN_TWINNING])  # 1 of 11: under a fifth
    assert matcher.refit_reason() is None
    matcher.score([TOWN_TWINNING, UNGDOMSUTBYTE])
    assert "calls scored since the fit" in matcher.refit_reason()


def test_displayed_scores_keep_strong_matches_apart_below_100():
    raw = np.array([0.0, 10.0, 50.0, 50.001, 100.0, 150.0, 500.0, 2000.0, 1e6])
    shown = tfidf.displayed_scores(raw)
    assert np.array_equal(shown[:3], raw[:3])  # as they are up to the knee
    assert np.all(np.diff(shown) > 0) and shown.max() < 100  # the order is kept, 100 never reached
    assert shown[3] - shown[2] < 0.01  # no jump at the knee
    # the old cap gave 100, 150, 500 and 2,000 the same 100
    assert len(set(np.rint(shown[4:8]).astype(int))) == 4


def test_secondary_context_helps_but_never_makes_a_match():
    context = Context(terms_sv=["klimatanpassning"], terms_en=["climate governance"], weight=0.3)
    plain = Matcher(workers=1).fit(CORPUS, AREAS, GLOSSARY)
    with_context = Matcher(workers=1).fit(CORPUS, AREAS, GLOSSARY, context)
    climate = OTHERS[2]
    base, helped = plain.raw_scores([climate, QUANTUM]), with_context.raw_scores([climate, QUANTUM])
    assert (helped[0] >= base[0]).all() and (helped[0] > base[0]).any()
    # the context multiplies the cosine by at most 1 + scale · weight
    assert (helped[0] <= base[0] * (1 + tfidf.CONTEXT_SCALE * 0.3) ** tfidf.EXPONENT + 1e-9).all()
    assert np.array_equal(helped[1] == 0, base[1] == 0)  # no area score out of nothing


def test_scores_stay_within_100_and_raw_scores_keep_their_order(fitted):
    matcher, results = fitted
    raw = matcher.raw_scores(CORPUS)
    shown = np.array([[results[i.id].scores[k] for k in KEYS] for i in CORPUS])
    assert shown.max() <= 100 and shown.min() >= 0
    assert np.array_equal(np.rint(tfidf.displayed_scores(raw)).astype(int), shown)
    low = raw <= tfidf.SCORE_KNEE
    assert np.array_equal(np.rint(raw[low]).astype(int), shown[low])  # thresholds keep their meaning
    # the best area is the best before the display scale, so two strong areas do not tie
    for n, item in enumerate(CORPUS):
        if results[item.id].best_area is not None:
            assert results[item.id].best_area == KEYS[int(np.argmax(raw[n]))]


def test_areas_glossary_and_context_from_a_profile():
    area = SimpleNamespace(
        name="Vänortssamarbete", description="Vänorter.", terms_sv=("vänort",), terms_en=("town twinning",),
        threshold=45.0,
    )  # fmt: skip
    funding = SimpleNamespace(
        name="Extern finansiering", description="", terms_sv=(), terms_en=(), threshold=40
    )
    theme = SimpleNamespace(name="Agenda 2030", terms_sv=("globala målen",), terms_en=("SDGs",))
    profile = SimpleNamespace(
        areas={"vanort": area, "finansiering": funding},
        glossary={"vänort": ("town twinning",)},
        context=SimpleNamespace(themes={"agenda2030": theme}, weight=0.3),
    )
    areas, glossary, context = from_profile(profile)
    assert [a.key for a in areas] == ["vanort", "finansiering"]
    assert areas[0].threshold == 45 and areas[0].terms_en == ("town twinning",)
    assert [a.funding for a in areas] == [False, True]
    assert glossary == [("vänort", ["town twinning"])]
    assert context == Context(("globala målen",), ("SDGs",), 0.3)
    matcher = Matcher(workers=1).fit(CORPUS, areas, glossary, context)
    assert matcher.score([TOWN_TWINNING])[0].best_area == "vanort"


def test_count_many_counts_a_batch_as_count_and_flag_counts_each_call() -> None:
    import json
    from pathlib import Path

    from matchers.eligibility import FLAG_WORDS

    path = Path(__file__).parent / "fixtures" / "eval" / "calls.jsonl"
    items = [
        MatchInput(id=d["id"], title=d["title"], text=d["text"], lang=d["lang"], keywords=["youth exchange"])
        for d in map(json.loads, path.read_text(encoding="utf-8").splitlines())
    ]
    one = Lexicon.from_profile(AREAS, GLOSSARY, None, FLAG_WORDS)
    each = [one.count_and_flag(item, 3) for item in items]
    tokens, counts, flags, langs = Lexicon.from_profile(AREAS, GLOSSARY, None, FLAG_WORDS).count_many(
        items, 3
    )
    assert langs == [item.lang for item in items]
    phrases = 0
    for d, (expected, expected_flags) in enumerate(each):
        start, end = counts.indptr[d], counts.indptr[d + 1]
        row = {
            tokens[j]: v for j, v in zip(counts.indices[start:end], counts.data[start:end], strict=True) if v
        }
        assert row == dict(expected), items[d].id
        assert flags[d] == expected_flags, items[d].id
        phrases += sum(1 for t in row if t.startswith(("p:", "c:")))
    assert phrases > len(items)  # the phrase path did real work


def test_count_many_gives_a_batch_the_same_tokens_after_other_batches() -> None:
    """The pieces a lexicon numbered for earlier batches (slices) change no later batch's tokens,
    their order, counts or flags; pickling drops the tables."""
    import pickle

    from matchers.eligibility import FLAG_WORDS

    items = _eval_inputs()
    batches = [items[:60], items[60:100], items[100:]]
    warm = Lexicon.from_profile(AREAS, GLOSSARY, None, FLAG_WORDS)
    for batch in batches:
        fresh = Lexicon.from_profile(AREAS, GLOSSARY, None, FLAG_WORDS)
        want_tokens, want_counts, want_flags, want_langs = fresh.count_many(batch, 3)
        tokens, counts, flags, langs = warm.count_many(batch, 3)
        assert tokens == want_tokens
        assert (counts != want_counts).nnz == 0
        assert (flags, langs) == (want_flags, want_langs)
    assert warm._pieces["en"].ids and warm._token_ids
    copy = pickle.loads(pickle.dumps(warm))
    assert not copy._pieces["en"].ids and not copy._token_ids and not copy._stem_ids
    assert copy.count_many(batches[1], 3)[0] == warm.count_many(batches[1], 3)[0]


def test_a_word_of_an_english_phrase_alone_is_a_weak_match(fitted):
    matcher, _ = fitted
    twins = MatchInput(
        "x:twins",
        "Digital twins for manufacturing",
        "Digital twins of production lines: data platforms, sensors and simulation of industrial plants.",
        lang="en",
    )
    twins_raw, twinning_raw = matcher.raw_scores([twins, TOWN_TWINNING])[:, KEYS.index("vanort")]
    assert tfidf.PHRASE_PART_WEIGHT < tfidf.PART_WEIGHT
    assert twins_raw < twinning_raw / 4
    (twins_result,) = matcher.score([twins], new=False)
    assert twins_result.scores["vanort"] < 40  # below the threshold


def _eval_inputs() -> list[MatchInput]:
    import json
    from pathlib import Path

    path = Path(__file__).parent / "fixtures" / "eval" / "calls.jsonl"
    return [
        MatchInput(id=d["id"], title=d["title"], text=d["text"], lang=d["lang"])
        for d in map(json.loads, path.read_text(encoding="utf-8").splitlines())
    ]


def test_parallel_analysis_gives_identical_results_on_the_eval_set(monkeypatch) -> None:
    """Forked processes (with the parent taking its share) change nothing in any call's result."""
    import pickle

    monkeypatch.setattr(tfidf, "PARALLEL_MIN", 2)
    items = _eval_inputs()
    serial = Matcher(workers=1)
    expected = serial.fit_score(items, AREAS, GLOSSARY)
    for workers in (2, 3):
        matcher = Matcher(workers=workers)
        results = matcher.fit_score(items, AREAS, GLOSSARY)
        assert len(results) == len(items)
        for want, got in zip(expected, results, strict=True):
            assert (got.id, got.scores, got.best_area, got.why, got.eligible, got.ineligible_reason) == (
                want.id,
                want.scores,
                want.best_area,
                want.why,
                want.eligible,
                want.ineligible_reason,
            ), want.id
        assert matcher.score(items, new=False) == expected
    # stored pickled: the analyser's caches stay out, and the copy scores as the original
    copy = pickle.loads(pickle.dumps(serial))
    assert not copy.lexicon._cache["en"] and not copy.lexicon._words["sv"]
    assert copy.score(items[:20], new=False) == expected[:20]


def test_sentences_around_anchors_end_where_the_sentence_pattern_says() -> None:
    import re

    from matchers.eligibility import _sentences

    def reference(text: str, low: str, anchors: tuple[str, ...]) -> list[str]:
        ends = [(m.start(), m.end()) for m in re.finditer(r"[.?!;] |\.\n|\n", low)]
        spans = set()
        for anchor in anchors:
            for hit in re.finditer(re.escape(anchor), low):
                start = max([b for _, b in ends if b <= hit.start()], default=0)
                end = min([a + 1 for a, _ in ends if a >= hit.start()], default=len(text))
                spans.add((start, end))
        return [text[a:b] for a, b in sorted(spans)]

    texts = [
        "Who can apply? Only SMEs.\nEligible: companies only; not municipalities! Applicants must be SMEs.",
        "Endast företag kan söka.\n\nKommuner kan inte söka.Only SMEs",
        "only",
        "x.\nonly SMEs;only. only! ?only\n.only",
        *(f"{item.title}.\n{item.text}" for item in _eval_inputs()),
    ]
    anchors = ("only", "endast", "kan inte", "applicants", "eligible", "kommuner")
    for text in texts:
        assert _sentences(text, text.lower(), anchors) == reference(text, text.lower(), anchors), text


def test_examples_teach_an_area_how_its_calls_are_written():
    """Examples labelled 2 move an area's vector towards their words, as marks do: a call in the
    examples' wording scores higher, and the fingerprint (refit) depends on them."""
    example = Example(
        MatchInput(
            "ex", "Peer review visits", "Peer review visits between small town administrations.", lang="en"
        ),
        {"kompetens": 2},
    )
    call = MatchInput(
        "c", "Peer review visits", "Peer review visits for administrations of towns.", lang="en"
    )
    corpus = [call, *CORPUS]
    kompetens = [a.key for a in AREAS].index("kompetens")
    plain = Matcher().fit(corpus, AREAS, GLOSSARY).raw_scores([call])[0][kompetens]
    taught = Matcher().fit(corpus, AREAS, GLOSSARY, examples=[example]).raw_scores([call])[0][kompetens]
    assert taught > plain
    # Labelled 1 elsewhere teaches nothing: the same as an example with no labels (which still adds
    # its words to the vocabulary and idf).
    not_for_it = Example(example.call, {"vanort": 1})

    def kompetens_score(examples: list[Example]) -> float:
        return Matcher().fit(corpus, AREAS, GLOSSARY, examples=examples).raw_scores([call])[0][kompetens]

    assert kompetens_score([not_for_it]) == pytest.approx(kompetens_score([Example(example.call, {})]))
    # why names the profile's own words first ("training" of a term), the examples' words after
    audit = Example(
        MatchInput("ex", "Audit missions", "Audit missions between councils.", lang="en"), {"kompetens": 2}
    )
    trained = MatchInput("t", "Audit missions", "Audit missions and training.", lang="en")
    matcher = Matcher().fit([trained, *CORPUS], AREAS, GLOSSARY, examples=[audit])
    why = matcher.score([trained])[0].why["kompetens"]
    assert why[0] == "training" and "audit" in why, why
    with_example = profile_fingerprint(AREAS, GLOSSARY, None, [example])
    assert with_example != profile_fingerprint(AREAS, GLOSSARY, None)


def test_the_examples_model_chooses_each_areas_penalty_by_leave_one_out():
    """The ridge penalty is chosen per area from the examples themselves: labels the words explain
    (kompetens here) get a light penalty, labels that follow no word (vanort, given at random) the
    heaviest, so that a municipality's own examples, few or many, set how far they are followed."""
    import matchers.tfidf as tfidf

    staff = ["Peer learning for municipal staff", "Study visits for civil servants", "Job shadowing abroad"]
    labs = ["Training of laboratory researchers", "Synchrotron facility courses", "Clinical trial biobanks"]
    examples = []
    for n in range(24):
        main = n % 2 == 0
        title = (staff if main else labs)[n % 3]
        examples.append(
            Example(
                MatchInput(f"ex{n}", f"{title} {n}", f"{title}. Call number {n}.", lang="en"),
                {"kompetens": 2 if main else 0, "vanort": 2 if n % 4 in (1, 2) else 0},
            )
        )
    matcher = Matcher().fit(CORPUS, AREAS, GLOSSARY, examples=examples)
    chosen = matcher.learned_alphas
    assert set(chosen) == {"kompetens", "vanort"}  # only areas with examples labelled 2 and 0 learn
    assert chosen["vanort"] == max(tfidf.LEARNED_ALPHAS)
    assert chosen["kompetens"] < chosen["vanort"]
    assert Matcher().fit(CORPUS, AREAS, GLOSSARY).learned_alphas == {}


def kompetens_examples(*rows: tuple[str, str, int]) -> list[Example]:
    """English examples labelled for kompetens alone: (title, text, label) each."""
    return [
        Example(MatchInput(f"ex{n}", title, text, lang="en"), {"kompetens": label})
        for n, (title, text, label) in enumerate(rows, 1)
    ]


def test_examples_of_both_kinds_teach_a_model_that_tells_main_purpose_from_a_word_in_passing():
    """With examples labelled 2 and 0 for an area, a regression on them lifts calls written like the
    2s and lowers calls written like the 0s, where the profile's words alone cannot tell them apart."""
    kompetens = [a.key for a in AREAS].index("kompetens")

    examples = kompetens_examples(
        ("Peer learning for municipal staff", "Study visits, job shadowing for civil servants.", 2),
        ("Staff exchange between councils", "Job shadowing and peer learning for officials.", 2),
        ("Study visits for elected members", "Peer learning visits for councillors abroad.", 2),
        ("Training of laboratory researchers", "Doctoral networks in molecular biology labs.", 0),
        ("Research infrastructure training", "Laboratory staff of synchrotron facilities.", 0),
        ("Clinical trial training", "Researchers in hospital laboratories and biobanks.", 0),
    )
    staff = MatchInput(
        "s", "Training", "Training through job shadowing and peer learning for civil servants.", lang="en"
    )
    lab = MatchInput("l", "Training", "Training for researchers in laboratories and biobanks.", lang="en")
    corpus = [staff, lab, *CORPUS]

    def kompetens_scores(taught_by: list[Example]) -> np.ndarray:
        return (
            Matcher().fit(corpus, AREAS, GLOSSARY, examples=taught_by).raw_scores([staff, lab])[:, kompetens]
        )

    plain, taught = kompetens_scores([]), kompetens_scores(examples)
    # the 2s alone only move the area's vector (Rocchio): no model without counter-examples
    moved = kompetens_scores(examples[:3])
    assert taught[0] > taught[1]
    assert taught[0] / max(taught[1], 1e-9) > 2 * moved[0] / max(moved[1], 1e-9)
    assert moved[0] / max(moved[1], 1e-9) >= plain[0] / max(plain[1], 1e-9)


def test_scores_do_not_depend_on_the_hash_seed():
    """Bit for bit: the vocabulary's order (and with it the last bit of a score) must not follow
    the order of a set, which changes from one Python process to the next."""
    program = (
        "import hashlib, sys; sys.path[:0] = ['tests', '.']\n"
        "from matcher_areas import AREAS, GLOSSARY\n"
        "from test_matchers import CORPUS\n"
        "from matchers.tfidf import Matcher\n"
        "scores = Matcher().fit(CORPUS, AREAS, GLOSSARY).raw_scores(CORPUS)\n"
        "print(hashlib.sha256(scores.tobytes()).hexdigest())"
    )
    root = Path(__file__).resolve().parents[1]
    digests = set()
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run(
            [sys.executable, "-c", program], cwd=root, env=env, capture_output=True, text=True
        )
        assert run.returncode == 0, run.stderr
        digests.add(run.stdout)
    assert len(digests) == 1, digests


def test_split_rows_gives_the_same_rows_as_slicing() -> None:
    import scipy.sparse as sp

    from matchers.tfidf import _split_rows

    matrix = sp.csr_array(sp.random(40, 30, density=0.2, format="csr", random_state=3))
    for n in (0, 1, 17, 40):
        first, rest = _split_rows(matrix, n)
        assert (first != matrix[:n]).nnz == 0 and first.shape == (n, 30)
        assert (rest != matrix[n:]).nnz == 0 and rest.shape == (40 - n, 30)


def test_a_bag_of_words_gives_the_analyser_the_same_word_counts_but_not_the_phrases():
    """bench/bag_examples.py ships real calls as their words sorted, stop words left out: every stem,
    compound part and one-word concept is counted as in the text; a phrase of several words ("youth
    exchange") is not."""
    text = (
        "Youth exchange and town twinning: capacity building for municipalities and their youth, "
        "ungdomsutbyte i kommuner och vänorter."
    )
    lexicon = Lexicon.from_profile(AREAS, GLOSSARY, None, tfidf.FLAG_WORDS)
    calls = [MatchInput("text", "T", text, lang="en"), MatchInput("bag", "T", bag_of_words(text), lang="en")]
    tokens, counts, _, _ = lexicon.count_many(calls, 1)
    dense = counts.toarray()
    found = {token: (dense[0, n], dense[1, n]) for n, token in enumerate(tokens)}
    words_only = {token: pair for token, pair in found.items() if not token.startswith(("p:", "c:"))}
    assert words_only and all(in_text == in_bag for in_text, in_bag in words_only.values()), words_only
    assert found["youth"] == (2, 2)
    assert found["p:youth_exchang"] == (1, 0)
    assert not {"and", "for", "their", "i", "och"} & set(bag_of_words(text).split())


def test_examples_are_counted_but_not_judged(monkeypatch):
    """Who may apply and where are read from the calls scored only: the examples' words are all the
    fit uses, and a bag of words has no sentences to read. Alike in one process and in several."""
    monkeypatch.setattr(tfidf, "PARALLEL_MIN", 2)
    lexicon = Lexicon.from_profile(AREAS, GLOSSARY, None, tfidf.FLAG_WORDS)
    corpus = CORPUS * 3
    examples = [TOWN_TWINNING, UNGDOMSUTBYTE]
    for workers in (1, 2):
        parts = tfidf._analyse_all(lexicon, corpus, 3, Matcher().home, workers, examples)
        assert parts[-1].eligibility == [] and len(parts[-1].indptr) == len(examples) + 1
        assert sum(len(part.eligibility) for part in parts[:-1]) == len(corpus)


def _synthetic_examples(n: int) -> tuple[sp.csr_array, np.ndarray]:
    """n examples × 400 words, sparse; two areas' labels 0–2, one following the words, one noisier."""
    rng = np.random.default_rng(7)
    matrix = sp.csr_array(sp.random(n, 400, density=0.03, random_state=7, format="csr"))
    weights = rng.normal(size=(400, 2))
    signal = matrix @ weights + rng.normal(scale=[0.05, 0.5], size=(n, 2))
    labels = np.digitize(signal, np.quantile(signal, [0.7, 0.9], axis=0).mean(axis=1)).astype(float)
    return matrix, labels


def test_the_examples_model_is_ridgecv_up_to_the_sample_size():
    from sklearn.linear_model import RidgeCV

    matrix, labels = _synthetic_examples(300)
    model = tfidf._examples_model(matrix, labels)
    reference = RidgeCV(alphas=list(tfidf.LEARNED_ALPHAS), alpha_per_target=True).fit(matrix, labels)
    assert list(model.alpha) == list(reference.alpha_)
    np.testing.assert_allclose(model.predict(matrix), reference.predict(matrix), atol=1e-4)


def test_with_many_examples_the_penalties_chosen_on_a_sample_fit_like_those_chosen_on_all(monkeypatch):
    """Above ALPHA_EXAMPLES the penalties are chosen on a sample (the leave-one-out's cost grows with
    the cube of the examples) and scaled to all of them; the model still predicts as one whose
    penalties were chosen on all."""
    from sklearn.linear_model import RidgeCV

    matrix, labels = _synthetic_examples(300)
    monkeypatch.setattr(tfidf, "ALPHA_EXAMPLES", 100)
    model = tfidf._examples_model(matrix, labels)
    assert all(any(np.isclose(alpha, 3 * a) for a in tfidf.LEARNED_ALPHAS) for alpha in model.alpha)
    reference = RidgeCV(alphas=list(tfidf.LEARNED_ALPHAS), alpha_per_target=True).fit(matrix, labels)
    for area in range(2):
        ours, theirs = model.predict(matrix)[:, area], reference.predict(matrix)[:, area]
        assert np.corrcoef(ours, theirs)[0, 1] > 0.95


def test_the_best_area_is_the_highest_shown_score_a_theme_before_funding_within_a_margin():
    funding = np.array([False, True, False])
    raw = np.array(
        [[10.0, 6000.0, 5000.0], [10.0, 90.0, 40.0], [3.0, 3.0, 1.0], [20.0, 1.0, 21.0], [10.0, 60.0, 56.0]]
    )
    shown = np.rint(tfidf.displayed_scores(raw)).astype(int)
    assert shown[0].tolist() == [10, 100, 100]  # both shown as 100: the twinning theme is the best
    assert shown[4, 1] - shown[4, 2] <= tfidf.THEME_MARGIN  # a theme just below the funding area
    assert tfidf._best_areas(raw, shown, funding).tolist() == [2, 1, 0, 2, 2]


def test_surfaces_pass_over_words_read_before_and_remember_the_new_ones():
    lexicon = Lexicon.from_profile(AREAS, GLOSSARY, None, tfidf.FLAG_WORDS)
    read: set[tuple[str, str]] = set()
    first = lexicon.surfaces("Peer learning visits", "en", read)
    second = lexicon.surfaces("Peer learning and audit missions", "en", read)
    assert set(first.values()) == {"peer", "learning", "visits"}
    assert "peer" not in second.values() and {"audit", "missions"} <= set(second.values())
    assert ("audit", "en") in read and ("peer", "sv") not in read
    assert lexicon.surfaces("Peer learning", "en") != {}  # without `read`, every word is read


def test_where_the_examples_teach_a_model_it_orders_the_calls_the_profile_finds(monkeypatch):
    """In an area with an examples' model, a call found by one profile word but written like the 2s
    goes above one full of the area's words but written like the 0s (LEARNED_FLOOR: over blind7–33
    and fresh sets, the model ranks better than the cosine's size); a call no profile word finds
    stays at 0."""
    kompetens = KEYS.index("kompetens")

    examples = kompetens_examples(
        ("Municipal officials visit councils abroad", "Civil servants host visiting officials.", 2),
        ("Civil servants between councils", "Councils abroad host municipal officials.", 2),
        ("Councils abroad host visiting officials", "Municipal civil servants travel.", 2),
        ("Doctoral networks", "Laboratory researchers in molecular biology.", 0),
        ("Research infrastructure", "Laboratory staff of synchrotron facilities.", 0),
        ("Clinical trials", "Researchers in hospital laboratories and biobanks.", 0),
    )
    councils = MatchInput(
        "c",
        "Councils abroad host municipal officials",
        "Civil servants visit councils; a training day.",
        lang="en",
    )
    laboratory = MatchInput(
        "l",
        "Training and capacity building",
        "Training, capacity building, peer learning, job shadowing and study visits for laboratory "
        "researchers from other countries.",
        lang="en",
    )
    unfound = MatchInput("u", "Synchrotron beamlines", "Beamline upgrades at synchrotrons.", lang="en")
    corpus = [councils, laboratory, unfound, *CORPUS]

    def scores() -> np.ndarray:
        matcher = Matcher(workers=1).fit(corpus, AREAS, GLOSSARY, examples=examples)
        return matcher.raw_scores([councils, laboratory, unfound])[:, kompetens]

    # Only the model, not the examples' pull on the area's vector (Rocchio), may lift the councils'
    # call, and only by a little (e^±1 instead of e^±4: six examples are a sure model).
    monkeypatch.setattr(tfidf, "EXAMPLE_BETA", 0.0)
    monkeypatch.setattr(tfidf, "LEARNED_SCALE", 1.0)
    floored = scores()
    monkeypatch.setattr(tfidf, "LEARNED_FLOOR", 0.0)
    cosine_first = scores()
    assert cosine_first[1] > cosine_first[0]  # by the cosine's size the laboratory's training leads
    assert floored[0] > floored[1]  # the model's word decides
    assert floored[2] == cosine_first[2] == 0.0
