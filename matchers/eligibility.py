"""Can the municipality take part? Text patterns that say it cannot, with the reason in Swedish.

`check(title, text)` reads a call's title, description and conditions (Swedish or English) and
returns an `Eligibility`: whether the municipality itself can apply, and if not, why, in Swedish
("kommun kan inte söka: endast företag"), and whether others in the municipality (its companies,
associations or young people) can still use the call.

| rule            | the text says, e.g.                                                | others can use it |
|-----------------|--------------------------------------------------------------------|-------------------|
| `tender`        | "Call for tenders", "Upphandling av …", "lämna anbud"               | no                |
| `excluded`      | "Kommuner, myndigheter och företag kan inte söka", "municipalities  | yes               |
|                 | are not eligible"                                                  |                   |
| `companies`     | "endast företag", "only SMEs", "SMEs only", "Vem kan söka? Företag  | yes               |
|                 | med verksamhet i Sverige", "applicants must be SMEs"                |                   |
| `research`      | "endast universitet och forskningsinstitut", "Vem kan söka? Forskare | no                |
|                 | vid universitet …", "the coordinator must be a research organisation"|                  |
| `associations`  | "Vem kan söka? Ideella föreningar …" (no public body named)          | yes               |
| `individuals`   | "Who can apply: young people aged 18–30" (no organisation named)     | yes               |
| `other_region`  | "endast för Norrbotten", "med säte i Skåne", "delområdet omfattar    | no                |
|                 | Jämtlands län …", "only applicants established in Bavaria", "bosatt |                   |
|                 | i Lindesbergs kommun" (another municipality's own grant)            |                   |
| `other_country` | "Who can apply: German municipalities", "open only to Danish         | no                |
|                 | organisations", "Eligible area: Alpine regions of Austria …"        |                   |
| `population`    | "cities with at least 50 000 inhabitants" (the municipality has fewer)| no               |
|                 | "20 000 to 250 000 inhabitants"; not when another size category fits |                   |

Conservative on purpose: a wrongly excluded call is never seen, a wrongly included one costs a
glance. An actor-type restriction only counts when the words say it is one ("only", "endast",
"must be", "Vem kan söka?", "Who can apply:", "Eligibility:") *and* the clause names no public body
and no open category the municipality belongs to ("kommuner", "municipalities", "local
authorities", "public bodies", "schools", "organisations", "legal entities"): "companies and
municipalities", "endast företag och kommuner" and "only SMEs, while municipalities may join as
partners" are all eligible. Places are read where a text says where applicants must be (who can
apply, eligible or programme area, "omfattar", "med säte i", "established in"); a list of Swedish
counties must name the home region (Västra Götaland, Dalsland, Fyrbodal …, from
`monitor.regions.Home`), a list of countries Sweden or the EU as a whole.

An eligible call also says whether the part naming who can apply names the municipality or a public
body (`municipality_named`): the matcher's funding areas lean on it.

Speed: the rules read only the sentences around literal anchors ("only", "endast", "Vem kan
söka", "applicant" …), found with `str.find`; a text's sentence ends are found once, by one
regular expression, and only when some anchor is there; a caller that already knows a text's words (the
matcher's analyser) passes them as `words`, and anchors whose first word is not among them are not
even searched for.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache

from matchers.model import MatchInput
from monitor.regions import AMAL, Home

PREFIX = "kommun kan inte söka: "
AMAL_POPULATION = 12_000


@dataclass(frozen=True)
class Eligibility:
    eligible: bool  # the municipality itself can apply, as far as the text says
    reason: str | None = None  # Swedish, for people: "kommun kan inte söka: endast företag"
    rule: str | None = None  # see the table in the module docstring
    evidence: str | None = None  # the words that decided it
    others_can_use: bool = False  # the municipality's companies, associations or young people can
    # Does the part that says who can apply name municipalities or public bodies ("Vem kan söka?
    # Kommuner, regioner …")? None when the call has no such part or names only open categories.
    municipality_named: bool | None = None


ELIGIBLE = Eligibility(True, others_can_use=True)


def _ineligible(reason: str, rule: str, evidence: str, others: bool = False) -> Eligibility:
    return Eligibility(False, PREFIX + reason, rule, " ".join(evidence.split())[:200], others)


# --- actor types ----------------------------------------------------------------------------------

# Bodies the municipality is, or open categories it belongs to: their presence lifts a restriction.
_OPEN = re.compile(
    r"\b(?:kommun\w*|municipalit\w*|local (?:and regional )?(?:authorit\w*|governments?)|"
    r"regional authorit\w*|urban authorit\w*|public (?:bod(?:y|ies)|authorit\w*|entit\w*|sector|"
    r"administrations?|organi[sz]ations?|actors?)|offentlig\w*|myndighet\w*|public-sector|cities|towns|"
    r"skol\w*|schools?|huvudmän|"
    # "organisations" of any kind, but not of the kinds that are no municipality
    r"(?<!ideella )(?<!non-profit )(?<!non-governmental )(?<!civil society )(?<!research )"
    r"organi[sz]ation(?:er|s)?|"
    r"aktörer|juridiska personer|legal entit\w*|any organi[sz]ation|all organi[sz]ations)\b",
    re.I,
)
# The municipality itself, by name or kind.
_MUNICIPAL = re.compile(
    r"\b(?:kommun\w*|municipalit\w*|local (?:and regional )?(?:authorit\w*|governments?)|"
    r"public (?:bod(?:y|ies)|authorit\w*|entit\w*|sector|administrations?)|offentliga (?:aktörer|"
    r"organisationer|verksamheter)|public-sector|urban authorit\w*|skolor|schools|skolhuvudmän|huvudmän)\b",
    re.I,
)
_COMPANY = (
    r"(?:små och medelstora företag|småföretag\w*|smf|sm[eé]s?|företag\w*|bolag\w*|aktiebolag\w*|"
    r"näringsidkare|\w*producent\w*|(?:micro,? )?(?:small and medium[- ]sized )?enterprises?|"
    r"compan(?:y|ies)|businesses|start-?ups?|firms|for-profit (?:entities|organi[sz]ations)|"
    r"industrial (?:partners?|companies)|operators|manufacturers)"
)
_RESEARCH = (
    r"(?:universitet\w*|högskol\w*|lärosäte\w*|forskningsinstitut\w*|forskningsorganisation\w*|"
    r"forskare|forskande|medelsförvaltare|research (?:organi[sz]ations?|institut\w+|centres?|centers?|"
    r"performing organi[sz]ations?|infrastructures?|networks?)|universities|university|"
    r"higher education institutions?|researchers?|academic (?:institutions?|organi[sz]ations?)|"
    r"university colleges?|university hospitals?)"
)
_ASSOCIATION = (
    r"(?:ideella (?:föreningar|organisationer)|föreningar|förening|civilsamhällesorganisationer|"
    r"trossamfund|ngos?|non-governmental organi[sz]ations?|non-profit organi[sz]ations?|"
    r"civil society organi[sz]ations?|associations)"
)
_INDIVIDUAL = (
    r"(?:privatpersoner|enskilda personer|individuals|young people|unga(?: yrkesverksamma)?|ungdomar|"
    r"students?|studenter|entrepreneurs|konstnärer|artists)"
)
_KINDS = re.compile(
    rf"(?P<company>\b{_COMPANY}\b)|(?P<research>\b{_RESEARCH}\b)|(?P<association>\b{_ASSOCIATION}\b)|"
    rf"(?P<individual>\b{_INDIVIDUAL}\b)",
    re.I,
)
_REASONS = {
    "company": ("endast företag", "companies", True),
    "research": ("endast universitet och forskningsinstitut", "research", False),
    "association": ("endast föreningar och ideella organisationer", "associations", True),
    "individual": ("endast privatpersoner", "individuals", True),
}

# "only …", "endast …": words that may stand between the restriction and the category.
_LEAD = (
    r"(?:[\s,]+(?:open|available|eligible|for|to|the|a|an|by|from|swedish|small|medium-sized|micro|"
    r"individual|single|"
    r"and|or|private|registered|innovative|young|established|existing|för|till|av|öppen|öppet|öppna|"
    r"sökbar|sökbart|svenska|små|och|eller|medelstora|mindre|privata|registrerade|innovativa|enskilda|"
    r"befintliga|nya|unga|ett|en|be|granted|awarded|given|apply|sökas|beviljas|ges|lämnas)\b)*"
)
_ONLY = (
    r"(?:only|exclusively|solely|endast|enbart|bara|uteslutande|enkom|limited to|restricted to|reserved for)"
)
_RESTRICTED = re.compile(rf"\b{_ONLY}\b|open to|available to|öppen för", re.I)
_NOT_BEFORE = re.compile(r"(?:\bnot|\binte|\bej|\bicke)\s*$", re.I)
_CATEGORY = rf"(?:{_COMPANY}|{_RESEARCH})"
# Substrings one of which every _CATEGORY match contains: a cheap test before the patterns.
_CATEGORY_STEMS = (
    "företag",
    "smf",
    "sme",
    "enterprise",
    "compan",
    "business",
    "start",
    "firm",
    "profit",
    "bolag",
    "näringsidkare",
    "producent",
    "industrial",
    "operator",
    "manufactur",
    "universit",
    "högskol",
    "lärosäte",
    "forsk",
    "research",
    "higher education",
    "academic",
    "medelsförvaltare",
)
_ONLY_CATEGORY = re.compile(rf"\b{_ONLY}{_LEAD}[\s,]+(?P<cat>{_CATEGORY})\b", re.I)
_CATEGORY_ONLY = re.compile(
    rf"\b(?P<cat>{_CATEGORY})(?:\s+(?:and|or|och|eller)\s+{_CATEGORY})?\s+(?:only|exclusively|endast|enbart)\b",
    re.I,
)
_MUST_BE = re.compile(
    r"\b(?:(?:eligible applicants|eligible beneficiaries|applicants?|beneficiaries|"
    r"lead (?:partner|applicant)s?|(?:the )?coordinators?|behöriga sökande|stödberättigade(?: sökande)?|"
    r"sökande|huvudsökande|stödmottagare)\s+"
    r"(?:must be|shall be|are|is|can be|may be|ska vara|måste vara|skall vara|kan vara|är)"
    r"|riktar sig till|vänder sig till|is open to|are open to|är öppen för|är öppet för)"
    rf"{_LEAD}[\s,]+(?P<cat>{_CATEGORY})\b",
    re.I,
)

# The part of a call that says who may apply: from its heading to the end of the sentence after it.
_APPLICANTS = re.compile(
    r"(?:\bvem kan söka[^?.:]{0,30}[?:]|\bvilka kan söka[^?.:]{0,30}[?:]|\bwho can apply\??:?|"
    r"\beligible (?:applicants|beneficiaries|organi[sz]ations|entities|intermediaries)(?: are|:)|"
    r"\beligibility:|\bbehöriga sökande(?: är|:)|\bstödberättigade sökande(?: är|:))"
    r"(?P<clause>[^.?!]{3,400}[.?!]?)",
    re.I,
)
_NEXT_SENTENCE = re.compile(r"\s*([^.?!]{3,300}[.?!]?)")
_ACTION_TYPE = re.compile(r"^\s*(?:[\w-]+\s+){0,4}(?:action|call|topic|grant)s?\b[^.]{0,80}\.\s*$", re.I)

# The EU agencies' procurement notices say it in many ways ("Negotiated procedure for a middle value
# contract", "Framework Contract(s) for the Provision of …", "Contract notice", "DG Competition – calls
# for tenders"): on 855 real calls labelled blind, eleven slipped through "call for tenders" alone.
_TENDER_TITLE = re.compile(
    r"^\s*(?:upphandling\b|anbudsförfrågan|call for tenders?|invitation to tender|request for tenders?|"
    r"tender\b|open tender)|\bupphandling(?:en)? av\b|\bcalls? for tenders?\b|"
    r"\bnegotiated procedure\b|\b(?:low|middle|high)[- ]value (?:contracts?|procurement|negotiated)\b|"
    r"\bframework (?:service )?contracts?\b|\bcontract notice\b",
    re.I,
)
# One of them is in every _TENDER_TITLE match.
_TENDER_WORDS = ("tender", "upphandling", "anbudsförfrågan", "contract", "negotiated")
_TENDER_TEXT = re.compile(
    r"\b(?:call for tenders?|invitation to tender|tender specifications|tenders? must be submitted|"
    r"tenderers?|lämna anbud|anbudsgivare|anbudet|anbuden|anbudsförfrågan|anbudsunderlag\w*|"
    r"sista dag för anbud|upphandlingsdokument\w*|denna upphandling|den här upphandlingen|"
    r"upphandlingen avser|contract notice|negotiated procedure|(?:low|middle|high)[- ]value contracts?|"
    r"framework (?:service )?contracts?|(?:award|conclude) an? (?:service|supply|works) contract)\b",
    re.I,
)
_EXCLUDED = re.compile(
    r"\b(?:kommuner\b[^.?!]{0,80}?\b(?:kan|får|ska)\s+inte\s+(?:söka|ansöka|delta|vara\s+"
    r"(?:sökande|stödmottagare|huvudsökande))(?!\s+(?:ensam\w*|själv\w*|direkt|som\s+\w+|utan|på egen))"
    r"|(?:kan|får)\s+inte\s+sökas\s+av\s+(?:kommuner|offentliga)"
    r"|(?:municipalities|local authorities|public (?:bodies|authorities|entities))\b[^.?!]{0,60}?"
    r"\b(?:are not eligible|are ineligible|cannot apply|can not apply|may not apply|are excluded|"
    r"cannot take part)(?!\s+(?:alone|directly|as (?:coordinators?|lead)|on their own))"
    r"|neither are\b[^.?!]{0,40}\b(?:municipalities|local authorities|public bodies))",
    re.I,
)
_NUMBER = r"\d{1,3}(?:[\s\u00a0\u202f,.]\d{3})+|\d+"
_POPULATION = re.compile(
    r"\b(?:(?P<op>at least|more than|over|above|minimum(?: of)?|minst|över|fler än|mer än|between|mellan|"
    r"fewer than|less than|under|below|up to|högst|färre än|upp till)\s+"
    rf"(?P<n>{_NUMBER})(?:\s+(?:and|och)\s+(?P<m>{_NUMBER}))?"
    # a range without "between": "a population of 20,000 and up to 99,999 inhabitants", "5 000–20 000"
    rf"|(?P<low>{_NUMBER})\s*(?:and up to|och upp till|to|till|–|-)\s*(?P<high>{_NUMBER}))"
    r"\s+(?:inhabitants|invånare|residents|population)",
    re.I,
)

# --- places ---------------------------------------------------------------------------------------

_SWEDISH_REGIONS = [
    *"""
    blekinge bohuslän dalarna gotland gävleborg gästrikland göteborg göteborgsregionen halland
    hälsingland härjedalen jämtland jönköping kalmar kronoberg lappland luleå malmö medelpad
    norrbotten norrland närke sjuhärad skaraborg skåne småland stockholm södermanland umeå uppland
    uppsala värmland västerbotten västergötland västernorrland västmanland ångermanland örebro öland
    östergötland dalsland fyrbodal åmål
    """.split(),  # noqa: SIM905
    "västra götaland",
]
_COUNTRIES = {
    "denmark": "Danmark", "danmark": "Danmark", "norway": "Norge", "norge": "Norge", "finland": "Finland",
    "germany": "Tyskland", "tyskland": "Tyskland", "france": "Frankrike", "frankrike": "Frankrike",
    "netherlands": "Nederländerna", "poland": "Polen", "polen": "Polen", "estonia": "Estland",
    "estland": "Estland", "latvia": "Lettland", "lettland": "Lettland", "lithuania": "Litauen",
    "litauen": "Litauen", "iceland": "Island", "island": "Island", "austria": "Österrike",
    "belgium": "Belgien", "italy": "Italien", "spain": "Spanien", "ireland": "Irland", "irland": "Irland",
    "bavaria": "Bayern", "scotland": "Skottland", "greece": "Grekland", "hungary": "Ungern",
    "czechia": "Tjeckien", "switzerland": "Schweiz", "portugal": "Portugal", "slovenia": "Slovenien",
    "croatia": "Kroatien", "ukraina": "Ukraina", "ukraine": "Ukraina", "moldavien": "Moldavien",
    "georgien": "Georgien", "armenien": "Armenien", "åland": "Åland", "united kingdom": "Storbritannien",
}  # fmt: skip
_NATIONALITIES = {
    "danish": "Danmark", "danska": "Danmark", "norwegian": "Norge", "norska": "Norge",
    "finnish": "Finland", "finska": "Finland", "finlandssvenska": "Finland", "german": "Tyskland",
    "tyska": "Tyskland", "french": "Frankrike", "franska": "Frankrike", "dutch": "Nederländerna",
    "polish": "Polen", "polska": "Polen", "estonian": "Estland", "estniska": "Estland",
    "latvian": "Lettland", "lettiska": "Lettland", "lithuanian": "Litauen", "litauiska": "Litauen",
    "icelandic": "Island", "isländska": "Island", "austrian": "Österrike", "belgian": "Belgien",
    "italian": "Italien", "spanish": "Spanien", "portuguese": "Portugal", "irish": "Irland",
    "czech": "Tjeckien", "slovak": "Slovakien", "slovenian": "Slovenien", "croatian": "Kroatien",
    "hungarian": "Ungern", "romanian": "Rumänien", "bulgarian": "Bulgarien", "greek": "Grekland",
    "british": "Storbritannien", "swiss": "Schweiz", "åländska": "Åland",
}  # fmt: skip
_NATIONAL = re.compile(
    rf"\b(?P<nat>{'|'.join(_NATIONALITIES)})\s+(?:[\w-]+\s+){{0,2}}?"
    r"(?:applicants?|organi[sz]ations?|entities|municipalities|companies|institutions|partners|bodies|"
    r"authorities|residents|citizens|universities|kommuner|organisationer|aktörer|sökande|företag|"
    r"myndigheter|föreningar|ungdomsgrupper|skolor)\b",
    re.I,
)
_NATIONAL_WORDS = tuple(_NATIONALITIES)
# Words that put a restriction on places: it must then leave the home region in.
_NEGATION = re.compile(r"\b(?:inte|ej|icke|not|cannot|excluded|except)\b", re.I)
_AREA_WORDS = re.compile(
    r"\b(?:eligible area|programme area|program area|programområde\w*|delområde\w*|omfattar|covers|"
    r"med säte i|med verksamhet i|verksamma i|bosatta? i|folkbokförda? i|registrerade? i|hemmahörande i|"
    r"hjemmehørende i|bosat i|located in|based in|"
    r"established in|registered in|situated in|resident in|must be located)\b",
    re.I,
)
# The words after "omfattar" / "covers" where the places of an area are read (`_check_area`).
_COVERS_REACH = re.compile(r"(?:\W+[\w-]+){0,6}")
_INCLUDES = re.compile(
    r"\b(?:inkluderer|inkluderar|includes|including|inklusive|herunder|bland annat|blandt andet|"
    r"such as|for example|till exempel|for eksempel)\b",
    re.I,
)
# Home words at the level of the country (a Swedish municipality is in any of these).
_HOME_COUNTRY = re.compile(
    r"\b(?:sverige|sweden|hela landet|nordic|norden|nordiska länder\w*|eu(?:[- ]?2[78])?|european union|"
    r"europe|europa|"
    r"member states?|medlemsstat\w*|medlemsländer\w*|eea|ees|programme countries|participating countries|"
    r"eligible countries|associated countries|(?:swedish|svenska) (?:applicants|organisations|"
    r"municipalities|partners?|kommuner|organisationer|aktörer|föreningar|sökande|parter?))\b",
    re.I,
)
_PROGRAMMES = ("interreg", "sverige-norge", "sweden-norway", "urbact", "north sea", "nordsjön", "baltic sea",
               "östersjö", "öresund-kattegat-skagerrak")  # fmt: skip
# Interreg programmes (2021–2027, and the 2014–2020 names still on many pages) and the NUTS regions
# each covers, Sweden's in full and other countries' as the country: a call of a programme whose
# area leaves the home out is closed to it, though pages rarely list the regions ("Interreg Aurora
# Call 4: small-scale projects … the sub-area Sápmi"). Pan-European programmes (Interreg Europe,
# URBACT, ESPON, Interact) and the Baltic Sea Region cover all of Sweden.
_INTERREG_AREAS: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = tuple(
    (re.compile(pattern, re.I), areas)
    for pattern, areas in (
        (r"\binterreg\s+aurora\b|\baurora programme\b|\binterreg\s+nord\b", ("SE33", "FI", "NO")),
        (r"\bbotnia-atlantica\b", ("SE331", "SE322", "SE313", "FI", "NO")),
        (r"\bcentral baltic\b|\bcentrala östersjö", ("SE11", "SE121", "SE122", "SE123", "SE125", "SE214",
                                                    "SE313", "FI", "EE", "LV")),
        (r"\bsouth baltic\b|\bsödra östersjö", ("SE221", "SE224", "SE212", "SE213", "DK", "DE", "PL", "LT")),
        (r"\bnorthern periphery\b", ("SE33", "SE32", "FI", "NO", "IE", "IS", "FO", "GL")),
        (r"\binterreg\s+npa\b", ("SE33", "SE32", "FI", "NO", "IE", "IS", "FO", "GL")),  # its short name
        # programmes far from the Nordic countries, named without two countries
        (r"\bmeuse-rhine\b|\bmaas-rhein\b|\bpeaceplus\b|\bpeace plus\b|\bblack sea basin\b|"
         r"\binterreg\s+mac\b|\bmadeira[-–]azores\b|\bcara[iï]bes\b|\binterreg\s+caribbean\b",
         ("BE", "NL", "DE", "IE", "UK", "RO", "BG", "EL", "TR", "UA", "MD", "PT", "ES", "FR")),
        (r"\balpine space\b|\beuro-?med\b|\bdanube\b|\badrion\b|\batlantic area\b|"
         r"\bnorth-west europe\b|\bnorth west europe\b|\binterreg central europe\b|\bnext med\b",
         ("AT", "FR", "IT", "DE", "SI", "CH", "ES", "PT", "GR", "HR", "CY", "MT", "BE", "NL", "LU", "IE",
          "CZ", "SK", "HU", "PL", "RO", "BG")),
        # not a part of a longer list ("Finland-Sweden-Norway", a zone of Northern Periphery)
        (r"(?<![-–])\b(?:sverige|sweden)[-–](?:norge|norway)\b(?![-–])",
         ("SE232", "SE311", "SE312", "SE321", "SE322", "SE331", "NO")),
        (r"\b[öø]resund-kattegat-skagerrak\b|\b[öø]ks\b", ("SE224", "SE231", "SE232", "DK", "NO")),
        (r"\bnorth sea\b|\bnords(?:jö|jø|ø)",
         ("SE224", "SE231", "SE232", "DK", "NO", "DE", "NL", "BE", "FR")),
        # Interact only as the programme: most Interreg calls say that Jems, their application
        # system, was "developed by Interact"
        (r"\bbaltic sea region\b|\b[öø]sters(?:jö|jø|ø)regionen\b|\binterreg europe\b|\burbact\b|\bespon\b|"
         r"\binterreg\s+interact\b|\binteract\s+(?:programme|program|iv)\b", ("SE",)),
    )
)  # fmt: skip
_COUNTRY_LEVEL_HOME = {"sverige", "sweden", "hela sverige", "hela landet", "nationell", "eu", "europe",
                       "europa", "alla"}  # fmt: skip
_ONLY_PLACE = re.compile(
    r"\b(?:only|exclusively|solely|endast|enbart|bara|uteslutande)\b[^.;!?]{0,40}?\b(?:in|i|från|from|för|inom)\s+",
    re.I,
)
_PLACE_WORD = re.compile(r"\b[\wåäöÅÄÖ-]+", re.U)
# One municipality named as the place applicants must be in: "med säte i Höganäs kommun", "bosatt i
# Lindesbergs kommun", "hjemmehørende i Ballerup Kommune". Many municipalities' own grants (for
# their own associations, schools and young people) read like any call; one that is not the home
# municipality is closed to it. Only a capitalised name counts, and not the determiners that begin
# a sentence ("Varje kommun", "Hver kommune").
_MUNICIPALITY = re.compile(
    r"\b(?P<name>[A-ZÅÄÖÆØ][\w-]+(?:[ -][A-ZÅÄÖÆØ][\w-]+)?) (?:[Kk]ommuns?|[Kk]ommunes?)\b"
)
_GENITIVE = re.compile(r"(ommune?)s$")
_NOT_NAMES = frozenset(
    """
    varje din er ert vår vårt den denna detta samma annan annat egen eget vilken en ett hver denne
    dette vores jeres samme anden andet enhver hvilken hvilket each any your the one
    """.split()  # noqa: SIM905
)


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


# Literal anchors, searched in the lower-cased text at C speed; only the sentences around them are
# read with the (slower) patterns. Each family of rules has its own.
_EXCLUDED_ANCHORS = (
    "kan inte",
    "får inte",
    "ska inte",
    "not eligible",
    "ineligible",
    "cannot",
    "can not",
    "may not",
    "excluded",
    "not allowed",
    "neither are",
)
_ONLY_ANCHORS = (
    "only",
    "exclusively",
    "solely",
    "endast",
    "enbart",
    "bara ",
    "uteslutande",
    "enkom",
    "limited to",
    "restricted to",
    "reserved for",
)
_SUBJECT_ANCHORS = (
    "applicant",
    "beneficiar",
    "coordinator",
    "lead partner",
    "sökande",
    "stödberättigade",
    "stödmottagare",
    "riktar sig till",
    "vänder sig till",
    "open to",
    "öppen för",
    "öppet för",
)
_POPULATION_ANCHORS = ("inhabitants", "invånare", "residents", "population")
_AREA_ANCHORS = (
    "eligible area",
    "programme area",
    "program area",
    "programområde",
    "delområde",
    "omfattar",
    "covers",
    "med säte i",
    "med verksamhet i",
    "verksamma i",
    "bosatta i",
    "folkbokförda i",
    "folkbokförd i",
    "bosatt i",
    "registrerade i",
    "registrerad i",
    "hemmahörande i",
    "hjemmehørende i",
    "bosat i",
    "located in",
    "based in",
    "established in",
    "registered in",
    "situated in",
    "resident in",
)
_HEADINGS = (
    "vem kan söka",
    "vilka kan söka",
    "who can apply",
    "eligible applicants",
    "eligible beneficiaries",
    "eligible organisations",
    "eligible organizations",
    "eligible entities",
    "eligible intermediaries",
    "eligibility:",
    "behöriga sökande",
    "stödberättigade sökande",
)
_TENDER_ANCHORS = (
    "tender",
    "anbud",
    "upphandling",
    "contract notice",
    "negotiated procedure",
    "value contract",
    "framework contract",
    "framework service contract",
    "service contract",
    "supply contract",
    "works contract",
)
# Finnish public bodies named in Swedish: a Swedish-language call from Finland (for Finnish
# municipalities, "samkommuner", through the ministry or a regional state agency) reads like a
# Swedish one but is closed to a Swedish municipality.
_FINNISH_ANCHORS = (
    "samkommun", "regionförvaltningsverk", "regionalförvaltningsverk", "ntm-central",
    "undervisnings- och kulturministeriet", "utbildningsstyrelsen", "landskapsförbund", "fastlandsfinland",
)  # fmt: skip
_FAMILIES = (
    _EXCLUDED_ANCHORS,
    _ONLY_ANCHORS,
    _SUBJECT_ANCHORS,
    _POPULATION_ANCHORS,
    _AREA_ANCHORS,
    _HEADINGS,
    _TENDER_ANCHORS,
    _FINNISH_ANCHORS,
)
_ROOT = {anchor: re.findall(r"[^\W\d_]+", anchor)[0] for family in _FAMILIES for anchor in family}
# The first word of every anchor: a caller that knows which words a text has (the matcher's
# analyser, `Lexicon(flag_words=FLAG_WORDS)`) passes them as `words`, and anchors whose first word
# the text lacks are not searched for.
FLAG_WORDS = frozenset(_ROOT.values())
# Each family's first words, so that a text none of whose `words` begins an anchor of a family skips
# it with one set operation (most texts, for most families).
_FAMILY_ROOTS = {family: frozenset(_ROOT[anchor] for anchor in family) for family in _FAMILIES}
# First words that begin several anchors ("eligible" seven): searched for once per text, and each of
# their anchors compared only where the word is (`_find_all`), instead of one scan per anchor.
_SHARED_ROOTS = frozenset(root for root in FLAG_WORDS if sum(1 for r in _ROOT.values() if r == root) > 1)
_CLAUSE = re.compile(r"(?:[^?.:\n]{0,30}?[?:]|\s+(?:are|är)\b|)\s*(?P<clause>[^.?!]{3,400}[.?!]?)", re.I)
# Where a sentence ends: ". ", "? ", "! ", "; ", ".\n" or a line break.
_STOP = re.compile(r"[.?!;] |\.\n|\n")
_STOP_PAIRS = (". ", "? ", "! ", "; ")  # `_STOP`'s ends of two characters but ".\n"


def check(
    title: str,
    text: str = "",
    home: Home = AMAL,
    population: int = AMAL_POPULATION,
    words: Collection[str] | None = None,
) -> Eligibility:
    """Whether the municipality can apply, from the call's title and text (description and conditions).

    `words`, when given, are the FLAG_WORDS the text contains (a shortcut; the result is the same).
    """
    title = title or ""
    text = text or ""
    whole = f"{title}.\n{text}"
    low = whole.lower()

    shared: dict[str, list[int]] = {}  # `_find_all`'s places of shared first words in `low`

    def sentences(anchors: tuple[str, ...]) -> list[str]:
        if words is not None:
            if _FAMILY_ROOTS[anchors].isdisjoint(words):
                return []
            anchors = tuple(a for a in anchors if _ROOT[a] in words)
        return _sentences(whole, low, anchors, shared) if anchors else []

    if _may_match(title, _TENDER_WORDS) and _TENDER_TITLE.search(title):
        return _ineligible("upphandling (anbud), inte bidrag", "tender", title)
    for sentence in sentences(_TENDER_ANCHORS):
        found = _TENDER_TEXT.search(sentence)
        if found:
            return _ineligible("upphandling (anbud), inte bidrag", "tender", found.group(0))
    regional_home = _regional_home(home)
    clauses = _applicant_clauses(whole, low, words, shared)
    for clause in clauses:
        result = _check_applicants(clause, regional_home)
        if result is not None:
            return result
    for sentence in sentences(_EXCLUDED_ANCHORS):
        found = _EXCLUDED.search(sentence)
        if found:
            return _ineligible("kommuner får inte söka", "excluded", found.group(0), others=True)
    only = sentences(_ONLY_ANCHORS)
    subject = sentences(_SUBJECT_ANCHORS)
    restricted = sorted(set(only) | set(subject), key=whole.find) if only or subject else []
    for sentence in restricted:
        result = _check_category(sentence)
        if result is not None:
            return result
    for sentence in restricted:
        result = _check_nationality(sentence)
        if result is not None:
            return result
    finnish = sentences(_FINNISH_ANCHORS)
    if finnish and not _HOME_COUNTRY.search(whole):
        return _ineligible("endast för sökande i Finland", "other_country", finnish[0])
    result = _population_limits(sentences(_POPULATION_ANCHORS), population)
    if result is not None:
        return result
    area_sentences = sentences(_AREA_ANCHORS)
    # A programme described sub-area by sub-area ("Delområde Nordens Gröna Bälte: Jämtland …;
    # delområde Gränslöst samarbete: Fyrbodal …") covers the home when any of its areas does.
    covered = (
        _fold(sentence) for sentence in area_sentences if not _NEGATION.search(sentence)
    )  # "Aktörer i delområdet Gränslös samverkan kan inte söka" names the home to leave it out
    if not any(name in folded for folded in covered for name in regional_home):
        for sentence in area_sentences:
            result = _check_area(sentence, regional_home)
            if result is not None:
                return result
    outside = _outside_interreg(whole, low, home)
    if outside is not None:
        return outside
    for sentence in only:
        found = _ONLY_PLACE.search(sentence)
        if found and not _NOT_BEFORE.search(sentence[: found.start()]):
            result = _places_without_home(sentence[found.start() :], regional_home, anywhere=True)
            if result is not None:
                return result
    if not clauses:
        return ELIGIBLE
    if any(_MUNICIPAL.search(clause) for clause in clauses):
        return Eligibility(True, others_can_use=True, municipality_named=True)
    if any(_OPEN.search(clause) for clause in clauses):
        return ELIGIBLE
    return Eligibility(True, others_can_use=True, municipality_named=False)


def check_input(
    item: MatchInput,
    home: Home = AMAL,
    population: int = AMAL_POPULATION,
    words: Collection[str] | None = None,
) -> Eligibility:
    """`check` on a matcher input (keywords and programme say nothing about eligibility)."""
    return check(item.title, item.text, home, population, words)


@lru_cache(maxsize=8)
def _regional_home(home: Home) -> tuple[str, ...]:
    """The home's names below the country, without programme names: "Interreg Sverige-Norge"
    includes the municipality as a whole, but not each of its sub-areas."""
    return tuple(
        _fold(n)
        for n in (*home.names, *home.extra)
        if _fold(n) not in _COUNTRY_LEVEL_HOME and len(n) > 2 and not any(p in _fold(n) for p in _PROGRAMMES)
    )


def _sentences(
    text: str, low: str, anchors: tuple[str, ...], shared: dict[str, list[int]] | None = None
) -> list[str]:
    """The sentences of `text` that contain one of the anchors (in `low`, its lower-cased copy).

    The anchors are found with `str.find` (`_find_all`; `shared` as there), and each hit's sentence
    by searching only around it for the nearest ends (`_STOP`: ". ", "? ", "! ", "; ", ".\n" or a
    line break) before and after: a pass of `_STOP` over the whole text cost more than the rest of
    `check` together. Every anchor begins with a letter, so a hit is never inside a sentence end.
    """
    if shared is None:
        shared = {}
    hits = []
    for anchor in anchors:
        hits += _find_all(low, anchor, shared)
    if not hits:
        return []
    spans = {_sentence_span(low, at, len(text)) for at in hits}
    return [text[a:b] for a, b in sorted(spans)]


def _find_all(low: str, anchor: str, shared: dict[str, list[int]]) -> list[int]:
    """Where `anchor` is in `low`, as a `str.find` loop that resumes after each hit finds it (hits
    do not overlap).

    An anchor whose first word begins other anchors too (`_SHARED_ROOTS`) is compared only where
    that word is: its places are found once per text and kept in `shared`, a dictionary that lives
    as long as one text is being read."""
    root = _ROOT.get(anchor)
    places = []
    if root not in _SHARED_ROOTS:
        at = low.find(anchor)
        while at != -1:
            places.append(at)
            at = low.find(anchor, at + len(anchor))
        return places
    at_root = shared.get(root)
    if at_root is None:
        at_root = shared[root] = []
        at = low.find(root)
        while at != -1:
            at_root.append(at)
            at = low.find(root, at + 1)
    after = 0
    for at in at_root:
        if at >= after and low.startswith(anchor, at):
            places.append(at)
            after = at + len(anchor)
    return places


def _sentence_span(low: str, at: int, size: int) -> tuple[int, int]:
    """(start, end) of the sentence around position `at`: after the last end of a sentence (as
    `_STOP` finds them) before it, up to and including the first character of the next one."""
    start = low.rfind("\n", 0, at) + 1
    for stop in _STOP_PAIRS:
        # Only an end that begins at start - 1 or later moves the start: searching back from `at`
        # no further than that finds the same one, without scanning the text before it for a "? ".
        found = low.rfind(stop, max(start - 1, 0), at)
        if found != -1 and found + 2 > start:
            start = found + 2
    end = -1
    line = low.find("\n", at)
    if line != -1:
        end = line - 1 if low[line - 1] == "." else line
    for stop in _STOP_PAIRS:
        found = low.find(stop, at, end + 1 if end != -1 else size)
        if found != -1 and (end == -1 or found < end):
            end = found
    return start, (end + 1 if end != -1 else size)


def _applicant_clauses(
    text: str, low: str, words: Collection[str] | None = None, shared: dict[str, list[int]] | None = None
) -> list[str]:
    """The sentences after "Vem kan söka?", "Who can apply:", "Eligibility:" … (two when the first
    only names the type of action, "Research and Innovation Action."). `shared` as `_find_all`'s."""
    if words is not None and _FAMILY_ROOTS[_HEADINGS].isdisjoint(words):
        return []
    if shared is None:
        shared = {}
    clauses = []
    for heading in _HEADINGS:
        if words is not None and _ROOT[heading] not in words:
            continue
        for at in _find_all(low, heading, shared):
            found = _CLAUSE.match(text, at + len(heading))
            if found:
                clause = found.group("clause")
                if _ACTION_TYPE.match(clause):
                    following = _NEXT_SENTENCE.match(text, found.end())
                    if following:
                        clause = following.group(1)
                clauses.append(clause)
    return clauses


def _check_applicants(clause: str, regional_home: tuple[str, ...]) -> Eligibility | None:
    """Who may apply, by nationality, place and kind of actor."""
    found = _national(clause)
    if found and not _HOME_COUNTRY.search(clause):
        country = _NATIONALITIES[found.group("nat").lower()]
        return _ineligible(f"endast för sökande i {country}", "other_country", found.group(0))
    place = _places_without_home(clause, regional_home, anywhere=True)
    if place is not None:
        return place
    if _OPEN.search(clause) or _EXCLUDED.search(clause):
        return None
    kinds = {k for m in _KINDS.finditer(clause) for k, v in m.groupdict().items() if v}
    if not kinds:
        return None
    for kind in ("research", "company", "association", "individual"):
        if kind in kinds:
            reason, rule, others = _REASONS[kind]
            if kind == "research" and "company" in kinds:
                reason, others = "endast forskningsorganisationer och företag", True
            return _ineligible(reason, rule, clause, others)
    return None


def _check_category(sentence: str) -> Eligibility | None:
    """ "only SMEs", "endast företag", "applicants must be research organisations" (no public body named)."""
    low = sentence.lower()
    if not any(map(low.__contains__, _CATEGORY_STEMS)) or _OPEN.search(sentence):
        return None
    for pattern in (_ONLY_CATEGORY, _CATEGORY_ONLY, _MUST_BE):
        for found in pattern.finditer(sentence):
            if _NOT_BEFORE.search(sentence[: found.start()]):
                continue
            kinds = {
                k for m in _KINDS.finditer(sentence[found.start() :]) for k, v in m.groupdict().items() if v
            }
            if "research" in kinds:
                reason = "endast universitet och forskningsinstitut"
                if "company" in kinds:
                    reason = "endast forskningsorganisationer och företag"
                return _ineligible(reason, "research", found.group(0), "company" in kinds)
            return _ineligible("endast företag", "companies", found.group(0), others=True)
    return None


def _check_nationality(sentence: str) -> Eligibility | None:
    """Restrictions by nationality: "open only to Danish municipalities" (and no Swedish ones)."""
    found = _national(sentence)
    if (
        found
        and _RESTRICTED.search(sentence)
        and not _HOME_COUNTRY.search(sentence)
        and not _NOT_BEFORE.search(sentence[: found.start()])
    ):
        country = _NATIONALITIES[found.group("nat").lower()]
        return _ineligible(f"endast för sökande i {country}", "other_country", found.group(0))
    return None


def _outside_interreg(text: str, low: str, home: Home) -> Eligibility | None:
    """A call of Interreg programmes none of which covers the home (see _INTERREG_AREAS), or None.
    `low` is the text lower-cased, as `check` has it. A cross-border programme not in the table is
    known by the countries of its name ("Interreg V-A Slovakia-Hungary", "Interreg Deutschland-
    Danmark"): it covers the home only when one of them is the home's country."""
    if "interreg" not in low:
        return None
    named = [(found.group(0), areas) for pattern, areas in _INTERREG_AREAS if (found := pattern.search(text))]
    named += _interreg_pairs(text)
    if not named or any(home.nuts.startswith(area) for _, areas in named for area in areas):
        return None
    return _ineligible(f"utanför programområdet ({named[0][0]})", "other_region", named[0][0])


# The name of a cross-border Interreg programme: "Interreg", its strand ("V-A", "VI-A", "IPA",
# "NEXT"), then two or more countries joined by dashes ("Italy-Croatia", "Croatia – Bosnia and
# Herzegovina – Montenegro").
_INTERREG_NAME = re.compile(
    r"\binterreg(?:\s+(?:[ivx]+-?[abc]|ipa|next|cbc|programme))*\s+(?P<name>[^\W\d_][\w ]*?"
    r"(?:\s*[-–]\s*[^\W\d_][\w]*(?:\s+and\s+[^\W\d_][\w]*)?)+)",
    re.I,
)
# Countries (and the regions some programmes are named after) in the languages of the programmes'
# names, as the NUTS country code each lies in.
_PROGRAMME_COUNTRIES = {
    "sweden": "SE", "sverige": "SE", "norway": "NO", "norge": "NO", "denmark": "DK", "danmark": "DK",
    "finland": "FI", "suomi": "FI", "germany": "DE", "deutschland": "DE", "france": "FR",
    "belgium": "BE", "wallonie": "BE", "vlaanderen": "BE", "netherlands": "NL", "nederland": "NL",
    "luxembourg": "LU", "italy": "IT", "italia": "IT", "austria": "AT", "österreich": "AT",
    "slovenia": "SI", "croatia": "HR", "hungary": "HU", "slovakia": "SK", "czechia": "CZ", "czech": "CZ",
    "poland": "PL", "polska": "PL", "lithuania": "LT", "latvia": "LV", "estonia": "EE", "romania": "RO",
    "bulgaria": "BG", "greece": "EL", "cyprus": "CY", "malta": "MT", "spain": "ES", "españa": "ES",
    "portugal": "PT", "ireland": "IE", "switzerland": "CH", "serbia": "RS", "montenegro": "ME",
    "bosnia": "BA", "herzegovina": "BA", "albania": "AL", "macedonia": "MK", "ukraine": "UA",
    "moldova": "MD", "belarus": "BY", "russia": "RU", "türkiye": "TR", "turkey": "TR",
}  # fmt: skip
_WORD = re.compile(r"[^\W\d_]+")


def _interreg_pairs(text: str) -> list[tuple[str, tuple[str, ...]]]:
    """The cross-border programmes named by their countries (`_INTERREG_NAME`), each with those
    countries' codes; a name with fewer than two known countries ("Meuse-Rhine") is left out."""
    found_names = []
    for found in _INTERREG_NAME.finditer(text):
        name = found.group("name")
        words = [(word, _PROGRAMME_COUNTRIES.get(word.group(0).lower())) for word in _WORD.finditer(name)]
        countries = tuple(dict.fromkeys(code for _, code in words if code))
        if len(countries) >= 2:  # named up to its last country: "France-Wallonie-Vlaanderen – third call"
            last = max(word.end() for word, code in words if code)
            found_names.append((name[:last].strip(), countries))
    return found_names


def home_programme(text: str, home: Home = AMAL, low: str | None = None) -> str | None:
    """An Interreg programme the text names whose area covers the home ("Sverige-Norge" for Åmål;
    the first such in _INTERREG_AREAS' order), or None. The pages of a programme the municipality
    can join rarely say "kommuner" where it can be read; naming the programme says it
    (`matchers.tfidf` lifts such calls in the funding areas). Only looked for in a text that says
    "Interreg", because "North Sea" means other things elsewhere. `low`: `text.lower()`, when the
    caller has it."""
    if "interreg" not in (text.lower() if low is None else low):
        return None
    for pattern, areas in _INTERREG_AREAS:
        found = pattern.search(text)
        if found and any(home.nuts.startswith(area) for area in areas):
            return found.group(0)
    return None


# The EU's strands for twinned towns (Europe for Citizens 2014–2020, CERV since 2021): the
# municipality is the applicant they are written for, though their pages seldom say so in a
# sentence the rules read. "Vänortssamarbete" alone also names many a town's own grant.
_TWINNING_STRAND = re.compile(r"\btown[- ]twinning\b|\bnetworks? of towns\b", re.I)
# and in the Nordic languages and German ("venskabsbysamarbejde", "Städtepartnerschaften")
_TWINNING_STRAND_SV = re.compile(
    r"\bvänorts(?:samarbete|möten)\b|\bvenskabsby\w*|\bvennskapsby\w*|\bstädtepartnerschaft\w*", re.I
)
_CITIZENS_PROGRAMME = re.compile(
    r"europe for citizens|europa för medborgarna|europa for borger|europa für bürger", re.I
)
_TWINNING_PROGRAMME = re.compile(
    rf"\bcerv\b|citizens,? equality,? rights and values|{_CITIZENS_PROGRAMME.pattern}", re.I
)


def twinning_strand(title: str, text: str) -> str | None:
    """The EU town-twinning strand a call is of, or None: like a home programme (`home_programme`),
    a partnership the municipality can join. Its title names the strand ("Town Twinning", "Networks
    of Towns"; "vänortssamarbete" when the text names CERV or Europe for Citizens), or names Europe
    for Citizens and its text the strand ("Second deadline 2018 of Europe for Citizens calls")."""
    if found := _TWINNING_STRAND.search(title):
        return found.group(0)
    whole = f"{title}\n{text}"
    if (found := _TWINNING_STRAND_SV.search(title)) and _TWINNING_PROGRAMME.search(whole):
        return found.group(0)
    if _CITIZENS_PROGRAMME.search(title) and (
        found := _TWINNING_STRAND.search(text) or _TWINNING_STRAND_SV.search(text)
    ):
        return found.group(0)
    return None


# Programmes written for municipalities' schools and adult education: Nordplus (but its higher
# education part). URBACT, the European City Facility and ICLD were tried here and reverted: over
# eight fresh label sets they lost 0.005 (URBACT's calls for experts and good practices, ICLD named
# in passing).
_MUNICIPAL_PROGRAMME = re.compile(r"\bnordplus\b", re.I)
_MUNICIPAL_PROGRAMME_WORDS = ("nordplus",)
_HIGHER_EDUCATION = re.compile(
    r"högre utbildning|higher education|høyere utdanning|højere uddannelse|videregående uddannelse", re.I
)


def municipal_programme(title: str, text: str, low: str | None = None) -> str | None:
    """A programme written for municipalities or their schools that the call is of, or None: the EU's
    town-twinning strands (`twinning_strand`), Nordplus. Like a home Interreg programme
    (`home_programme`), a partnership the municipality can join whatever its page says of who may
    apply. `low`: title and text as `f"{title}\\n{text}".lower()`, when the caller has it."""
    if strand := twinning_strand(title, text):
        return strand
    whole = f"{title}\n{text}"
    if not _may_match(whole, _MUNICIPAL_PROGRAMME_WORDS, low):  # most texts: no search at all
        return None
    found = _MUNICIPAL_PROGRAMME.search(whole)
    if found is None or _HIGHER_EDUCATION.search(title):
        return None
    return found.group(0)


def _national(text: str) -> re.Match[str] | None:
    """`_NATIONAL.search(text)`, when a nationality can be there at all: Python's re tries the
    pattern's ~70 alternatives at every word (~15 µs a sentence), and most sentences name none."""
    return _NATIONAL.search(text) if _may_match(text, _NATIONAL_WORDS) else None


def _may_match(text: str, words: tuple[str, ...], low: str | None = None) -> bool:
    """False when no pattern with re.I can find one of these lower-case `words` in `text` (`low`:
    `text.lower()`, when the caller has it).

    A substring test on the lower-cased text sees what re.I sees: it matches a letter in its two
    cases only (the Kelvin and Ångström signs lower-case to "k" and "å" too), but for "i" (also
    "ı", "İ") and "s" (also "ſ"); text with those may always match."""
    if "ı" in text or "İ" in text or "ſ" in text:
        return True
    low = text.lower() if low is None else low
    return any(map(low.__contains__, words))


def _check_area(sentence: str, regional_home: tuple[str, ...]) -> Eligibility | None:
    """A sentence saying where applicants must be: "the programme area covers …", "med säte i …".

    "omfattar" and "covers" also mean "includes", so after them only places among the next few words
    count (`_COVERS_REACH`: "omfattar Jämtlands, Västernorrlands och Gävleborgs län"); "programområde
    2.3" is a priority, not a place. So "Samarbetsprogrammet omfattar också inrättandet av en enhet
    vid Nordens välfärdscenter i Stockholm" and "(programområde 2.3) – Europeiska socialfonden, via
    Region Värmland" say nothing of where applicants must be."""
    nationality = _check_nationality(sentence)
    if nationality is not None:
        return nationality
    for found in _AREA_WORDS.finditer(sentence):
        word = found.group(0).lower()
        if word.startswith("programområde") and sentence[found.end() :].lstrip()[:1].isdigit():
            continue
        if word not in ("omfattar", "covers"):
            # "programområdet, som inkluderer hele Danmark": the places after "includes" are a part
            included = _INCLUDES.search(sentence, found.end())
            return _places_without_home(sentence[: included.start()] if included else sentence, regional_home)
        reach = _COVERS_REACH.match(sentence, found.end())
        result = _places_without_home(sentence[found.start() : reach.end()], regional_home)
        if result is not None:
            return result
    return None


def _places_without_home(
    text: str, regional_home: tuple[str, ...], anywhere: bool = False
) -> Eligibility | None:
    """A restriction to named places that leaves the home region out, or None.

    Swedish counties or provinces named: one of the home's regional names must be among them
    (Sweden alone is not enough, "Norrbotten and Västerbotten in Sweden"). Only countries named:
    Sweden, the Nordic countries or the EU must be among them.
    """
    folded = _fold(text)
    if not anywhere and not _AREA_WORDS.search(text):
        return None
    words = {_fold(w) for w in _PLACE_WORD.findall(text)}
    regions = _named_places(_SWEDISH_REGIONS, _REGION_FORMS, words, folded)
    if any(name in folded for name in regional_home):
        return None
    if regions:
        named = ", ".join(r.title() for r in dict.fromkeys(regions))
        return _ineligible(f"endast för {named}", "other_region", text)
    municipalities = _other_municipalities(text)
    if municipalities:
        return _ineligible(f"endast för {', '.join(municipalities)}", "other_region", text)
    countries = _named_places(_COUNTRIES, _COUNTRY_FORMS, words, folded)
    if countries and not _HOME_COUNTRY.search(text):
        named = ", ".join(dict.fromkeys(_COUNTRIES[c] for c in countries))
        rule = "other_region" if countries == ["bavaria"] else "other_country"
        return _ineligible(f"endast för sökande i {named}", rule, text)
    return None


def _other_municipalities(text: str) -> list[str]:
    """The municipalities a text names ("Höganäs kommun"), or none. The caller has already kept a
    text that names the home open (`_places_without_home`), so every name here is another's."""
    if "ommun" not in text:
        return []
    named = (
        _GENITIVE.sub(r"\1", found.group(0))  # "Eskilstuna kommuns föreningsregister"
        for found in _MUNICIPALITY.finditer(text)
        if found.group("name").casefold() not in _NOT_NAMES
    )
    return list(dict.fromkeys(named))


def _named_places(places: Collection[str], forms: frozenset[str], words: set[str], folded: str) -> list[str]:
    """The places that a text names (`_names`), in the order of `places`; `forms` are the words that
    name one of them alone (`_place_forms`): most texts have none, and then only the places of
    several words are looked for."""
    if words.isdisjoint(forms):
        return [place for place in places if " " in place and _names(words, folded, place)]
    return [place for place in places if _names(words, folded, place)]


def _place_forms(places: Collection[str]) -> frozenset[str]:
    """The words that `_names` takes for a place of one word: the word and its genitive."""
    return frozenset(form for place in places if " " not in place for form in (place, place + "s"))


_REGION_FORMS = _place_forms(_SWEDISH_REGIONS)
_COUNTRY_FORMS = _place_forms(_COUNTRIES)


def _names(words: Collection[str], folded: str, place: str) -> bool:
    """Whether a text names a place, also in the genitive ("Hallands län", "Skånes Ess")."""
    if " " in place:
        return _place_pattern(place).search(folded) is not None
    return place in words or place + "s" in words


@lru_cache(maxsize=256)
def _place_pattern(place: str) -> re.Pattern[str]:
    return re.compile(rf"\b{re.escape(place)}s?\b")


def _population_limits(sentences: list[str], population: int) -> Eligibility | None:
    """The first size limit that shuts the home out, unless another admits it: an award "in two
    categories: local authorities with less than 50 000 inhabitants; with more than 50 000" is open."""
    shut_out: Eligibility | None = None
    for sentence in sentences:
        for found in _POPULATION.finditer(sentence):
            result = _population(found, population)
            if result is None:
                return None
            shut_out = shut_out or result
    return shut_out


def _population(found: re.Match, population: int) -> Eligibility | None:
    if found.group("low"):
        op, low, high = "between", _number(found.group("low")), _number(found.group("high"))
    else:
        op = found.group("op").lower()
        low = _number(found.group("n"))
        high = _number(found.group("m")) if found.group("m") else None
    if op in ("at least", "more than", "over", "above", "minimum", "minimum of", "minst", "över", "fler än",
              "mer än", "between", "mellan"):  # fmt: skip
        if low > population:
            return _ineligible(
                f"kräver minst {low:,} invånare".replace(",", " "), "population", found.group(0)
            )
        if high is not None and high < population:
            return _ineligible(
                f"för kommuner under {high:,} invånare".replace(",", " "), "population", found.group(0)
            )
    elif high is None and low < population and op not in ("up to", "upp till"):
        return _ineligible(
            f"för kommuner under {low:,} invånare".replace(",", " "), "population", found.group(0)
        )
    return None


def _number(text: str) -> int:
    return int(re.sub(r"\D", "", text))
