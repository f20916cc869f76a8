"""Eligibility: texts that show a municipality cannot apply, and near misses that must stay eligible."""

from __future__ import annotations

import re

import pytest
from matcher_areas import AREAS, GLOSSARY

from matchers.eligibility import FLAG_WORDS, PREFIX, check
from matchers.model import MatchInput
from matchers.text import Lexicon
from monitor.regions import Home

INELIGIBLE = [
    # (title, text, rule, words the reason must contain)
    ("Exportstöd", "Stödet kan endast sökas av företag.", "companies", "endast företag"),
    ("Innovation vouchers", "This call is open only to SMEs.", "companies", "endast företag"),
    ("Scale-up", "Small and medium-sized enterprises only.", "companies", "endast företag"),
    ("Export", "Vem kan söka? Företag med verksamhet i Sverige.", "companies", "endast företag"),
    (
        "Forskning",
        "Utlysningen är endast öppen för universitet och forskningsinstitut.",
        "research",
        "universitet och forskningsinstitut",
    ),
    ("Research", "Research organisations only.", "research", "universitet"),
    (
        "Twinning",
        "Eligibility: The coordinator must be a research organisation or university established in a "
        "widening country.",
        "research",
        "universitet",
    ),
    (
        "Besöksnäring",
        "Insatser för besöksnäringen. Bara projekt i Hallands län kan få stöd.",
        "other_region",
        "Halland",
    ),
    ("Norrbotten", "Stödet är endast för Norrbotten.", "other_region", "Norrbotten"),
    (
        "Mittnorden",
        "Programområdet omfattar Jämtlands, Västernorrlands och Gävleborgs län.",
        "other_region",
        "Jämtland",
    ),
    (
        "Resebidrag",
        "Vem kan söka? Ideella föreningar och ungdomsgrupper med säte i Skåne.",
        "other_region",
        "Skåne",
    ),
    (
        "Kompetens",
        "Vem kan söka? Kommuner och regioner i Dalarnas, Gävleborgs och Värmlands län.",
        "other_region",
        "Dalarna",
    ),
    (
        "Regional fund",
        "The programme funds only applicants established in Bavaria.",
        "other_region",
        "Bayern",
    ),
    (
        "Partnerships",
        "Who can apply: German municipalities, districts and municipal associations only.",
        "other_country",
        "Tyskland",
    ),
    ("Bilateral", "The call is open only to Danish municipalities.", "other_country", "Danmark"),
    (
        "Alpine",
        "Eligible area: Alpine regions of Austria, France, Germany, Italy and Slovenia.",
        "other_country",
        "Österrike",
    ),
    (
        "Vänortsbidrag",
        "Bidrag kan utgå till skolklasser och föreningar med säte i Hofors kommun.",
        "other_region",
        "endast för Hofors kommun",
    ),
    ("Resestipendium", "Är du under 20 år och bosatt i Lindesbergs kommun?", "other_region", "Lindesbergs"),
    (
        "Internationale besøg",
        "Foreninger og skoler hjemmehørende i Ballerup Kommune kan søge om tilskud.",
        "other_region",
        "Ballerup Kommune",
    ),
    (
        "Vänortsbidrag",
        "Föreningar registrerade i Eskilstuna kommuns föreningsregister kan ansöka.",
        "other_region",
        "endast för Eskilstuna kommun",
    ),
    ("Call for tenders: evaluation of the programme", "", "tender", "upphandling"),
    ("Upphandling av utvärdering", "", "tender", "upphandling"),
    ("Negotiated procedure for a middle value contract – fundamental rights training", "", "tender", "anbud"),
    ("Malta-Valletta: Framework Contract(s) for the Provision of Interpretation", "", "tender", "anbud"),
    ("DG Competition – calls for tenders (COMP/2023/OP/0006)", "", "tender", "anbud"),
    ("Contract notice – Technical assistance and support services", "", "tender", "anbud"),
    (
        "Study on the role of the robust study summary",
        "The European Chemicals Agency envisages to award a service contract for a study.",
        "tender",
        "upphandling",
    ),
    ("Utvärdering", "Lämna anbud senast den 3 mars.", "tender", "anbud"),
    ("Folkhälsa", "Kommuner, myndigheter och företag kan inte söka.", "excluded", "kommuner får inte söka"),
    ("Promotion", "Public bodies and local authorities are not eligible.", "excluded", "kommuner"),
    ("Green capital", "Eligibility: cities with more than 100 000 inhabitants.", "population", "100 000"),
]

ELIGIBLE = [
    "Open to companies and municipalities.",
    "Only companies and municipalities may apply.",
    "Only SMEs may receive funding, while municipalities can join as partners.",
    "Utlysningen riktar sig till företag, kommuner och regioner.",
    "Endast företag och kommuner i Västra Götaland kan söka.",
    "Not only SMEs but also NGOs can apply.",
    "Submissions only in English.",
    "Only one proposal per applicant.",
    "Kommuner kan inte söka ensamma, utan tillsammans med en förening.",
    "Only legal entities established in EU Member States are eligible.",
    "The programme area covers the EU27, Norway and Switzerland.",
    "The call is open to Danish and Swedish organisations.",
    "Eligible area: Västra Götaland, Halland and Skåne in Sweden, and Østfold in Norway.",
    "Vem kan söka? Kommuner, föreningar och organisationer i Dalsland och Värmland.",
    "Stöd till innovationsupphandling: kommuner kan söka stöd för att förbereda en upphandling.",
    "SMARTSMALL funds municipalities with fewer than 50 000 inhabitants.",
    "The Contracting Authority will award a grant contract to each selected applicant.",
    "Samarbetsprogrammet omfattar också en kunskapsenhet vid Nordens välfärdscenter i Stockholm.",
    "Socialfonden har öppnat en transnationell utlysning (programområde 2.3) – via Region Värmland.",
    "Framework Partnership Agreements are signed with networks of towns for four years.",
    "Vem kan söka? Föreningar med säte i Åmåls kommun.",
    "Vem kan söka? Varje kommun i Sverige.",
    "Föreningar med säte i en kommun i Västra Götaland kan söka.",
    "Sökande ska vara verksamma i Dalsland, till exempel i Bengtsfors kommun eller Åmåls kommun.",
    "Vem kan söka? Kommuner; Fyrbodals kommunalförbund samordnar ansökan.",
    "Ansøgere skal være juridiske enheder i programområdet, som inkluderer hele Danmark.",
    "Applicants must be legal entities in the programme area, including all of Denmark and Norway.",
]


@pytest.mark.parametrize(("title", "text", "rule", "reason"), INELIGIBLE)
def test_ineligible_texts_say_why_in_swedish(title, text, rule, reason):
    result = check(title, text)
    assert not result.eligible
    assert result.rule == rule
    assert result.reason.startswith(PREFIX)
    assert reason in result.reason


@pytest.mark.parametrize("text", ELIGIBLE)
def test_near_misses_stay_eligible(text):
    result = check("Utlysning", text)
    assert result.eligible, result.reason
    assert result.reason is None


def test_companies_only_leaves_the_municipalitys_companies_a_use():
    assert check("Export", "Endast företag kan söka.").others_can_use
    assert not check("Forskning", "Endast universitet och forskningsinstitut kan söka.").others_can_use
    assert not check("Anbud", "Lämna anbud senast i mars.").others_can_use


def test_who_can_apply_naming_municipalities_is_recorded():
    named = check("Utvecklingsmedel", "Vem kan söka? Kommuner, regioner och föreningar.")
    assert named.eligible and named.municipality_named is True
    unnamed = check("Projects", "Who can apply: organisations holding a quality label for humanitarian aid.")
    assert unnamed.eligible and unnamed.municipality_named is None
    silent = check("Projects", "Applicants must be Member States or international organisations.")
    assert silent.eligible and silent.municipality_named is None
    others = check("Projects", "Eligibility: Consortia must include at least two border guard authorities.")
    assert others.eligible and others.municipality_named is False


def test_population_threshold_depends_on_the_municipalitys_size():
    text = "Eligibility: towns with at least 20 000 inhabitants."
    assert not check("Award", text, population=12_000).eligible
    assert check("Award", text, population=25_000).eligible


def test_an_award_in_size_categories_is_open_when_one_category_fits():
    # The European Capitals of Inclusion and Diversity Award's page, in two categories
    text = (
        "The award is given in two main categories:\n"
        "• local authorities with less than 50 000 inhabitants\n"
        "• local authorities with more than 50 000 inhabitants"
    )
    assert check("Award", text, population=12_000).eligible
    assert check("Award", text, population=80_000).eligible
    only_large = "Categories: cities with more than 50 000 inhabitants; cities with over 250 000 inhabitants."
    assert (
        check("Award", only_large, population=12_000).reason
        == "kommun kan inte söka: kräver minst 50 000 invånare"
    )


@pytest.mark.parametrize(
    ("text", "population", "reason"),
    [
        (
            "Towns with a population of 20,000 and up to 99,999 inhabitants can apply.",
            12_000,
            "kräver minst 20 000",
        ),
        (
            "Towns with a population of 20,000 and up to 99,999 inhabitants can apply.",
            150_000,
            "under 99 999",
        ),
        ("Demonstrations in cities with 20 000 to 250 000 inhabitants.", 12_000, "kräver minst 20 000"),
        ("Kommuner med 5 000–20 000 invånare kan söka.", 25_000, "under 20 000"),
        ("Kommuner med mellan 5 000 och 20 000 invånare kan söka.", 25_000, "under 20 000"),
        ("Kommuner med 5 000–20 000 invånare kan söka.", 12_000, None),
    ],
)
def test_a_population_range_admits_only_the_sizes_inside_it(text, population, reason):
    result = check("Stöd", text, population=population)
    assert result.eligible is (reason is None)
    assert reason is None or reason in result.reason


@pytest.mark.parametrize(
    ("title", "programme"),
    [
        ("Interreg Italy-Croatia – 2nd Call for Proposals", "Italy-Croatia"),
        ("4th call for proposals – Interreg V-A Lithuania-Poland", "Lithuania-Poland"),
        ("Interreg VI-A IPA Croatia – Bosnia and Herzegovina – Montenegro: second call", "Croatia"),
        ("Interreg France-Wallonie-Vlaanderen – third call for projects", "France-Wallonie-Vlaanderen)"),
        ("Dit projekt – sådan fungerer Interreg Deutschland-Danmark", "Deutschland-Danmark"),
        ("Interreg NPA – Arctic Project Clustering Call", "Interreg NPA"),
        ("New People to People funding available (Interreg Euregio Meuse-Rhine)", "Meuse-Rhine"),
        ("Interreg Black Sea Basin programme: apply to the calls", "Black Sea Basin"),
    ],
)
def test_a_cross_border_programme_is_known_by_the_countries_of_its_name(title, programme):
    result = check(title, "Projects of cross-border cooperation. Lead partners submit the application.")
    assert result.rule == "other_region"
    assert result.reason.startswith("kommun kan inte söka: utanför programområdet (")
    assert programme in result.reason


def test_a_cross_border_programme_naming_the_home_country_or_no_two_countries_stays_open():
    assert check("Interreg Sverige-Norge: utlysning 11", "Projekt över gränsen.").eligible
    assert check("Interreg VI-A NEXT Programme: call for projects", "Small projects.").eligible
    # a page naming a home programme beside another: the home programme decides
    assert check("Interreg Sverige-Norge och Interreg Deutschland-Danmark", "Nya utlysningar.").eligible


def test_the_home_region_decides_what_other_regions_are():
    text = "Stödet är endast för Norrbotten."
    assert not check("Stöd", text).eligible
    luleå = Home(nuts="SE332", names=("norrbotten", "sverige"))
    assert check("Stöd", text, home=luleå).eligible


def test_another_municipalitys_own_grant_is_closed_but_not_the_homes():
    text = "Vem kan söka? Föreningar med säte i Höganäs kommun."
    assert check("Vänortsarbete", text).reason == "kommun kan inte söka: endast för Höganäs kommun"
    höganäs = Home(nuts="SE224", names=("skåne", "höganäs", "sverige"))
    assert check("Vänortsarbete", text, home=höganäs).eligible


def test_a_programme_told_sub_area_by_sub_area_covers_the_home_when_one_does():
    # interreg.no writes a Sverige-Norge call this way (in Norwegian): the first sub-area alone
    # would shut Åmål out, the last one names Fyrbodal.
    text = (
        "Programmet består av tre delområder. I delområde Nordens Grønne Belte deltar Nord-Trøndelag, "
        "Jämtland og Västernorrland. Delområde Grenseløst Samarbeid dekker Follo, ytre Østfold og Fyrbodal."
    )
    assert check("Interreg Sverige-Norge", text).eligible
    only_north = text.rsplit(" Delområde", 1)[0]
    assert not check("Interreg Sverige-Norge", only_north).eligible
    # naming the home to leave it out is no cover
    excluded = only_north + " Aktörer i delområdet Gränslös samverkan och i Fyrbodal kan inte söka."
    assert not check("Interreg Sverige-Norge", excluded).eligible


def test_real_phrasings_of_who_may_apply():
    eic = "Target group Only individual SMEs based in an EU Member State are eligible."
    assert check("EIC Accelerator", eic).reason == "kommun kan inte söka: endast företag"
    finland = (
        "Den sökande kan vara en kommun, samkommun, stiftelse eller förening. Understöd för regionala "
        "projekt söks från regionförvaltningsverket."
    )
    assert check("Specialunderstöd", finland).reason == "kommun kan inte söka: endast för sökande i Finland"
    nordic = finland + " Projektet ska ha partner i Sverige."
    assert check("Specialunderstöd", nordic).eligible  # a Finnish call open to Sweden is not closed
    lexicon = Lexicon.from_profile(AREAS, GLOSSARY, None, FLAG_WORDS)
    for title, text in (("EIC Accelerator", eic), ("Specialunderstöd", finland), ("Stöd", nordic)):
        _, words = lexicon.count_and_flag(MatchInput("x", title, text, lang="sv"))
        assert check(title, text, words=words) == check(title, text), text


def test_an_interreg_programme_whose_area_leaves_the_home_out_is_closed():
    aurora = "Interreg Aurora Call 4: small-scale projects. Applications for the sub-area Sápmi are welcome."
    closed = "kommun kan inte söka: utanför programområdet (Interreg Aurora)"
    assert check("Interreg Aurora", aurora).reason == closed
    assert check("Interreg Sverige-Norge", "Interreg Sverige-Norge öppnar en utlysning.").eligible
    assert check("Interreg Europe", "Interreg Europe: interregional cooperation projects.").eligible
    # another municipality's home decides: Luleå (SE332) is in Aurora's area
    luleå = Home(nuts="SE332", names=("norrbotten", "sverige"))
    assert check("Interreg Aurora", aurora, home=luleå).eligible
    # a zone of Northern Periphery named "Finland-Sweden-Norway" is not the Sweden-Norway programme
    npa = (
        "The Interreg Northern Periphery and Arctic (NPA) Programme funds regions working together. "
        "Partnerships include at least 2 of the 3 zones of the programme area: "
        "Finland-Sweden-Norway; Ireland."
    )
    assert (
        check("Interreg NPA – 6th call", npa).reason
        == "kommun kan inte söka: utanför programområdet (Northern Periphery)"
    )
    assert check("Interreg Sverige–Norge", "Interreg Sverige–Norge, utlysning 11.").eligible
    # "Interact" as the maker of Jems, the application system, is not the Interact programme
    euromed = "Interreg Euro-MED 4th open call. Applications are submitted in Jems, developed by Interact."
    assert check("Interreg Euro-MED: thematic projects", euromed).reason == (
        "kommun kan inte söka: utanför programområdet (Euro-MED)"
    )
    assert check("Interact IV", "Interreg Interact offers training to programme bodies.").eligible


def test_flag_words_from_the_analyser_give_the_same_verdicts():
    lexicon = Lexicon.from_profile(AREAS, GLOSSARY, None, FLAG_WORDS)
    texts = [(title, text) for title, text, _, _ in INELIGIBLE] + [("Utlysning", t) for t in ELIGIBLE]
    for title, text in texts:
        _, words = lexicon.count_and_flag(MatchInput("x", title, text))
        assert check(title, text, words=words) == check(title, text), text


def test_the_substring_shortcut_sees_every_letter_re_i_matches():
    # `_may_match` skips a pattern when the lower-cased text lacks its words; that holds only if
    # every character that re.I matches to one of the words' letters lower-cases to that letter,
    # but for the ones it sends to the pattern anyway.
    from matchers.eligibility import _NATIONAL_WORDS, _TENDER_WORDS

    letters = {ch for word in (*_NATIONAL_WORDS, *_TENDER_WORDS) for ch in word}
    any_letter = re.compile("[" + re.escape("".join(sorted(letters))) + "]", re.I)
    every_character = "".join(map(chr, range(0x110000)))
    matched = {found.group(0) for found in any_letter.finditer(every_character)}
    assert {ch for ch in matched if ch.lower() not in letters} == set("ıİſ")


def test_nationality_and_tender_shortcuts_give_the_patterns_answers():
    from matchers.eligibility import _NATIONAL, _national

    texts = [
        "Open only to DANISH organisations.", "open only to danısh companies", "Only poliſh companies",
        "only POLİSH companies", "Endast för ÅLÄNDSKA organisationer", "Only Finnish municipalities",
        "Irish firms", "Organisations in the Member States",
    ]  # fmt: skip
    for text in texts:
        found, want = _national(text), _NATIONAL.search(text)
        assert (found and found.group(0)) == (want and want.group(0)), text
    for title in ("CALL FOR TENDERS: studies", "Upphandlıng av konsulter", "Anbudsförfrågan", "Grants"):
        assert check(title).rule == ("tender" if title != "Grants" else None), title
