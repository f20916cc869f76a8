"""Words of a call as the matchers count them, in Swedish and English.

`Lexicon.analyze(text, lang)` turns a text into tokens:

- lower-cased words (letters only; hyphens and punctuation split words, so "town-twinning" is two);
- stop words of both languages left out;
- Snowball stems, Swedish or English by the text's language ("ungdomar" → "ungdom", "towns" → "town");
- Swedish compounds split into the parts the profile cares about, in addition to the whole word:
  "ungdomsutbyten" → "ungdomsutbyt" + "ungdom" + "utbyt", "vänortssamarbete" → … + "vänort" +
  "samarbet" (a greedy longest-first split against a vocabulary of the profile's and glossary's
  Swedish words and a small list of common parts, with the linking "s" allowed between parts);
- phrases of the profile recognised as one more token ("capacity building" → "p:capac_build");
- concepts of the glossary: every Swedish term and its English equivalents give one shared token, so
  "vänortssamarbete" and "town twinning" both yield "c:vanort", "ungdomsutbyte" and "youth exchange"
  both "c:ungdomsutbyte".

Words are matched by concept in one language's stems only: a single English glossary word triggers
its concept in its own singular and plural ("twinning", "twinnings"), not in every word of its stem
("digital twins"); a phrase is matched in both languages' stems, because Swedish calls name English
programmes ("European Solidarity Corps").

`cross_border()` and `research_action()` read the two signals of a call's text that the matcher
weighs besides its words: whether it crosses a border, and whether it is a research action.

Speed, because 20,000 calls must be analysed in a few seconds: the text is split on white space
(C speed) and every distinct piece is analysed once per lexicon and cached, so the per-word cost
of a call is a dictionary look-up and a C-level count (`count_and_flag`; `count_many` does a whole
batch with array operations, no Python loop per word). Snowball in pure Python
costs ~15 µs (Swedish) to ~45 µs (English) a word, and a corpus of 20,000 calls has tens of
thousands of distinct words, so only words whose first letters some profile word shares are
stemmed; the others are kept as written. They can never match an area (no area token starts like
them), so all they change is a call's length (its vector norm), and that only by counting
"computer" and "computers" as two words.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from functools import lru_cache
from itertools import chain, compress, count, repeat
from typing import TYPE_CHECKING

import numpy as np
import snowballstemmer

if TYPE_CHECKING:
    import scipy.sparse as sp

from matchers.model import AreaSpec, Context, Glossary, MatchInput

SV = "sv"
EN = "en"
LANGS = (SV, EN)

STOP_SV = frozenset(
    """
    alla allt andra att av bara blev bli blir blivit de dem den denna deras dess dessa det detta dig din
    dina ditt du där då efter eller en er era ert ett ej från för ha hade han hans har har hennes henne
    hon honom hur här i icke ingen inom inte jag ju kan kunde man med mellan men mig min mina mitt mot
    mycket ni nu när någon något några och om oss på samma sedan sig sin sina sitt själv skall ska
    skulle som så sådan sådana till under upp ut utan vad var vara varför varit varje vars vart vem vi
    vid vilka vilken vilket vår våra vårt än är åt över även också samt bland genom dock där därför
    """.split()  # noqa: SIM905
)
STOP_EN = frozenset(
    """
    a about above after again against all also am an and any are as at be because been before being
    below between both but by can could did do does doing down during each either etc few for from
    further had has have having he her here hers herself him himself his how however i if in into is it
    its itself just may me might more most must my myself no nor not of off on once only or other our
    ours ourselves out over own per same shall she should so some such than that the their theirs them
    themselves then there these they this those through thus to too under until up upon us very via was
    we were what when where whether which while who whom whose why will with within without would you
    your yours co non pre re sub
    """.split()  # noqa: SIM905
)
STOP_WORDS = STOP_SV | STOP_EN

# Words that only one of the languages uses often: enough to tell a text's language.
_SV_MARKERS = frozenset(
    (
        "och",
        "att",
        "för",
        "med",
        "som",
        "av",
        "på",
        "det",
        "är",
        "till",
        "en",
        "ett",
        "om",
        "kan",
        "ska",
        "eller",
        "inte",
        "de",
    )
)
_EN_MARKERS = frozenset(
    (
        "the",
        "and",
        "of",
        "to",
        "for",
        "with",
        "is",
        "are",
        "be",
        "this",
        "that",
        "on",
        "by",
        "will",
        "should",
        "from",
    )
)

# Common parts of Swedish compounds in calls and in municipal work. The profile's and glossary's
# Swedish words are added to these; a split is only made when every part is known.
BASE_PARTS_SV = """
    arbete barn besök bostad bygd demokrati digital elev energi erfarenhet europa fond förening företag
    hälsa idrott ideell innovation integration internationell invånare klimat kommun kompetens kultur
    kunskap landsbygd lärande lärare liv lokal marknad medel miljö nätverk näring omsorg organisation
    ort partner partnerskap personal plats praktik program projekt region rörlighet samarbete samhälle
    samverkan service skola social språk stad stipendium stöd studie resa tillväxt tjänst turism turist
    ungdom ung utbildning utbyte utveckling verksamhet volontär vänort
""".split()  # noqa: SIM905

# Norwegian and Danish words of funding calls, read as their Swedish equivalents. Åmål lies in
# two Interreg programmes with Norway and Denmark (Sverige-Norge, Öresund-Kattegat-Skagerrak), and
# their calls are often written in Norwegian (interreg.no) or Danish: without this a call on
# "grenseoverskridende arbeidsmarked" shares no word with "gränsöverskridande arbetsmarknad".
# Stems with the inflections added at import; a word found here is analysed as the Swedish word.
_NORDIC_STEMS = {
    "arbeidsmarked": "arbetsmarknad", "arbejdsmarked": "arbetsmarknad", "arbeidsplass": "arbetstillfälle",
    "arbejdsplads": "arbetstillfälle", "sysselsetting": "sysselsättning", "beskæftigelse": "sysselsättning",
    "samarbeid": "samarbete", "samarbejd": "samarbete", "samarbejde": "samarbete",
    "grenseoverskridende": "gränsöverskridande", "grænseoverskridende": "gränsöverskridande",
    "grenseregion": "gränsregion", "grænseregion": "gränsregion", "grenseløs": "gränslös",
    "grænseløs": "gränslös", "næringsliv": "näringsliv", "erhvervsliv": "näringsliv",
    "bedriftsutvikling": "företagsutveckling", "virksomhedsudvikling": "företagsutveckling",
    "bedrift": "företag", "virksomhed": "företag", "entreprenørskap": "entreprenörskap",
    "entreprenørskab": "entreprenörskap", "kommune": "kommun", "søknad": "ansökan",
    "ansøgning": "ansökan", "ansøgningsrunde": "ansökningsomgång", "støtte": "stöd", "tilskudd": "bidrag",
    "tilskud": "bidrag", "bærekraftig": "hållbar",
    "bæredygtig": "hållbar", "bærekraft": "hållbarhet", "bæredygtighed": "hållbarhet",
    "omstilling": "omställning", "grønn": "grön", "grøn": "grön", "innovasjon": "innovation",
    "utveksling": "utbyte", "udveksling": "utbyte", "vennskapsby": "vänort", "venskabsby": "vänort",
    "ungdommer": "ungdomar", "reiseliv": "besöksnäring", "turisme": "turism", "kompetanse": "kompetens",
    "kompetence": "kompetens", "kompetanseutvikling": "kompetensutveckling",
    "kompetenceudvikling": "kompetensutveckling", "utdanning": "utbildning", "uddannelse": "utbildning",
    "opplæring": "utbildning", "skole": "skola", "forening": "förening", "folkehelse": "folkhälsa",
    "levekår": "levnadsvillkor", "prosjekt": "projekt", "prosjektmidler": "projektmedel",
    "projektmidler": "projektmedel", "frivillighet": "ideell verksamhet", "sivilsamfunn": "civilsamhälle",
    "civilsamfund": "civilsamhälle", "integrering": "integration", "konkurranseevne": "konkurrenskraft",
    "konkurrenceevne": "konkurrenskraft", "landdistrikt": "landsbygd", "myndighed": "myndighet",
    "arbeid": "arbete", "arbejde": "arbete", "utvikling": "utveckling", "udvikling": "utveckling",
    "organisasjon": "organisation", "samfunn": "samhälle", "samfund": "samhälle",
    "lokalsamfunn": "lokalsamhälle", "lokalsamfund": "lokalsamhälle", "deltakelse": "delaktighet",
    "deltagelse": "delaktighet", "mangfold": "mångfald", "likestilling": "jämställdhet",
    "ligestilling": "jämställdhet", "helse": "hälsa", "sundhed": "hälsa",
    "kommunesamarbeid": "kommunsamarbete", "vennskapskommune": "vänort", "venskabskommune": "vänort",
    "samarbeidsby": "vänort", "samarbejdsby": "vänort", "søsterby": "vänort",
    "vennskapsbysamarbeid": "vänortssamarbete", "venskabsbysamarbejde": "vänortssamarbete",
    "utdannelse": "utbildning", "læring": "lärande", "lærer": "lärare",
}  # fmt: skip
_NORDIC_ENDINGS = ("", "e", "en", "et", "er", "ene", "erne", "ne", "s", "r", "n", "t", "ens", "ets")
_NORDIC_WORDS = {
    stem_ + ending: swedish for stem_, swedish in _NORDIC_STEMS.items() for ending in _NORDIC_ENDINGS
}
# Norwegian and Danish function words, read as the Swedish stop words they are: without them
# "og", "til", "ikke" and "skal" would be the commonest content words of a Norwegian call. Swedish
# words that look alike but carry meaning in a Swedish call ("nå", "må", "dog") are left out,
# because this table is read for Swedish text too.
_NORDIC_STOP_WORDS = {
    "og": "och", "til": "till", "fra": "från", "frå": "från", "af": "av", "ikke": "inte", "ikkje": "inte",
    "også": "också", "ogsaa": "också", "være": "vara", "været": "varit", "bliver": "blir",
    "skal": "ska", "vil": "ska", "kunne": "kunde", "ville": "skulle", "hadde": "hade", "havde": "hade",
    "et": "ett", "ei": "en", "ein": "en", "eit": "ett", "hvis": "om", "hvor": "var", "hva": "vad",
    "hvad": "vad", "kva": "vad", "hvordan": "hur", "korleis": "hur", "hvorfor": "varför", "hvem": "vem",
    "hvilke": "vilka", "hvilken": "vilken", "hvilket": "vilket", "disse": "dessa", "denne": "denna",
    "dette": "detta", "alle": "alla", "andre": "andra", "mod": "mot", "etter": "efter", "når": "när",
    "enn": "än", "end": "än", "bare": "bara", "kun": "bara", "mellom": "mellan", "mellem": "mellan",
    "uten": "utan", "uden": "utan", "gjennom": "genom", "gennem": "genom", "noen": "några",
    "nogle": "några", "noe": "något", "noget": "något", "ved": "vid", "deres": "deras", "dere": "ni",
    "seg": "sig", "sine": "sina", "våre": "våra", "vores": "våra", "vor": "vår",
    "hendes": "hennes", "hun": "hon", "jeg": "jag", "meg": "mig", "deg": "dig", "dens": "dess",
    "samme": "samma", "slik": "sådan", "blant": "bland", "blandt": "bland", "innen": "inom",
    "inden": "inom", "over": "över", "op": "upp", "opp": "upp", "ud": "ut", "da": "då",
}  # fmt: skip
# Compounds end in a table word more often than they are in it ("ungdomsudveksling",
# "projektstøtte"): the head is read as Swedish and the first part kept, so that the Swedish
# compound splitting finds the parts. Only heads of six letters or more, read as one word.
_NORDIC_HEADS = {
    word: swedish for word, swedish in _NORDIC_WORDS.items() if len(word) >= 6 and " " not in swedish
}
_NORDIC_WORDS.update(_NORDIC_STOP_WORDS)
_READ_AS_SWEDISH = frozenset({"no", "nb", "nn", "nor", "da", "dan", "sv", "swe"})
_NORDIC_LETTERS = str.maketrans({"æ": "ä", "ø": "ö"})


def swedish_form(word: str) -> str:
    """A Norwegian or Danish word as Swedish analysis reads it: the Swedish word where the table has
    one, a compound ending in one with its head read so ("ungdomsudveksling" → "ungdomsutbyte"),
    else æ and ø as ä and ö ("kulturmøter" → "kulturmöter"); any other word as it is."""
    found = _NORDIC_WORDS.get(word)
    if found is not None:
        return found
    for start in range(3, len(word) - 5):
        head = _NORDIC_HEADS.get(word[start:])
        if head is not None:
            return word[:start].translate(_NORDIC_LETTERS) + head
    if "æ" in word or "ø" in word:
        return word.translate(_NORDIC_LETTERS)
    return word


_WORD = re.compile(r"[^\W\d_]+")
_ASCII = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e", "ü": "u", "ø": "o", "æ": "ae"})

# snowballstemmer hands out PyStemmer's C stemmers when it is installed (a dependency: the Python
# ones took a tenth of a cold match of 20,000 calls); both are pinned to Snowball 3.1, whose English
# keeps "international" apart from "internal" (3.0 stems both "intern"), as the figures were measured.
_STEMMERS = {SV: snowballstemmer.stemmer("swedish"), EN: snowballstemmer.stemmer("english")}


def normalise(text: str) -> str:
    """Lower case in NFC, so a decomposed 'ä' (a + U+0308) is the same letter as 'ä'."""
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    return text.lower()


def words(text: str) -> list[str]:
    """The lower-cased words of a text: letters only."""
    return _WORD.findall(normalise(text))


def bag_of_words(text: str) -> str:
    """The text's words (`words`) sorted, space-separated, stop words left out: every word count the
    matcher reads, but not the text. The profile's phrases ("youth exchange") need their words in
    order and are lost, bar the odd pair that sorts next to each other. The stop words, which the
    analyser drops, were a third of the real examples' words and of the time spent reading them.
    bench/bag_examples.py writes examples so."""
    return " ".join(sorted(w for w in words(text) if w not in STOP_WORDS))


def stem(word: str, lang: str) -> str:
    """The Snowball stem of one lower-cased word.

    Swedish is stemmed twice: the Swedish algorithm strips one suffix, so "marknad" → "markn" but
    "marknaden" → "marknad", and "utbyte" → "utbyt" but "utbytena" → "utbyten"; a second pass brings
    the inflected forms to the same stem. The definite "-et" it never strips ("projektet",
    "utbytet"), so a stem ending in it is stemmed once more without it.
    """
    if lang == SV:
        stemmer = _STEMMERS[SV]
        s = stemmer.stemWord(stemmer.stemWord(word))
        if len(s) >= 6 and s.endswith("et"):
            s = stemmer.stemWord(s[:-2])
        return s
    return _STEMMERS[EN].stemWord(word)


def concept_id(term: str) -> str:
    """The token for a glossary concept, from its Swedish term: "vänort" → "c:vanort"."""
    return "c:" + "_".join(words(term)).translate(_ASCII)


def detect_language(text: str) -> str:
    """ "sv" or "en" from the share of each language's commonest words (Norwegian and Danish count as sv)."""
    sample = normalise(text[:2000]).split()
    sv = sum(1 for w in sample if w in _SV_MARKERS)
    en = sum(1 for w in sample if w in _EN_MARKERS)
    if sv == en:
        return SV if any(ch in text for ch in "åäöÅÄÖ") else EN
    return SV if sv > en else EN


def _english_forms(word: str) -> set[str]:
    """A noun's singular and plural: "city" → {"city", "cities"}, "citizens" → {"citizens", "citizen"}."""
    forms = {word}
    if word.endswith("ies"):
        forms.add(word[:-3] + "y")
    elif word.endswith("s") and not word.endswith("ss"):
        forms.add(word[:-1])
    elif word.endswith("y") and len(word) > 3 and word[-2] not in "aeiou":
        forms.add(word[:-1] + "ies")
    elif word.endswith(("s", "x", "ch", "sh")):
        forms.add(word + "es")
    else:
        forms.add(word + "s")
    return forms


# EU funds that Swedish authorities hand out at home: naming them is no cross-border element.
_DOMESTIC_EU_FUNDS = (
    "europeiska socialfonden", "europeiska regionala utvecklingsfonden", "europeiska jordbruksfonden",
    "europeiska havs- och fiskerifonden", "eu-medel", "eu-finansiering", "regionalfond", "socialfond",
    "esf-rådet",
)  # fmt: skip
# Every fund's name has one of these: a text with neither names no fund, which two quick scans tell
# (the hyphen's at memchr speed) instead of one scan per fund. tests/test_scan_helpers.py checks them.
DOMESTIC_FUND_MARKS = ("-", "fond")
# Substrings (of lower-cased text) that show a cross-border element, the language's own first so
# that a call with one stops early. Plain substring tests, because they run on every call:
# "europe" also finds "european", "internationell" "internationella".
_CROSS_BORDER_EN = (
    "europe", "member state", "international", "transnational", "cross-border", "abroad", "other countries",
    "participating countries", "eligible countries", "twinning", "twin town", "partner countries",
    "two countries", "three countries", "four countries", "overseas", "interregional",
)  # fmt: skip
_CROSS_BORDER_SV = (
    "internationell", "utland", "utomlands", "andra länder", "annat land", "annat eu-land", "i ett land",
    "europeiskt land", "flera länder", "olika länder", "två länder", "tre länder", "fyra länder",
    "utanför europa", "utanför sverige", "utanför eu", "samarbetsland", "partnerland", "partnerskol",
    "gränsöverskridande", "gränsregion", "transnationell", "vänort", "norden", "nordisk", "i europa",
    "europeiska länder", "eu-länder", "bilateral", "solidaritetskåren", "över gränsen", "afrika", "asien",
    "latinamerika", "östeuropa",
    # Norwegian and Danish (Interreg Sverige-Norge and Öresund-Kattegat-Skagerrak calls)
    "grenseoverskrid", "grænseoverskrid", "grenseregion", "grænseregion", "internasjonal", "utlandet",
    "udlandet", "andre land",
)  # fmt: skip
_CROSS_BORDER_BOTH = ("erasmus", "interreg", "nordplus")
_CROSS_BORDER = {
    EN: _CROSS_BORDER_EN + _CROSS_BORDER_BOTH + _CROSS_BORDER_SV,
    SV: _CROSS_BORDER_SV + _CROSS_BORDER_BOTH + _CROSS_BORDER_EN,
}
_RESEARCH_ACTIONS = ("research and innovation action", "innovation action", "(ria)", "(ia)", "horizon-ria",
                     "horizon-ia",
                     # Swedish research grants are addressed to researchers, not to organisations
                     "du som forskare", "doktorsexamen", "disputerad forskare",
                     # A Horizon Europe topic named by its identifier on a page that is not the portal's
                     # ("Cluster 2: Inclusiveness in times of change (HORIZON-CL2-2021-…)"): the
                     # clusters, widening, research infrastructures, EIC and ERC; not the missions
                     # (HORIZON-MISS), which cities and regions take part in.
                     "horizon-cl", "horizon-widera", "horizon-infra", "horizon-eic", "horizon-hlth",
                     "horizon-msca", "horizon-erc", "(erc-20")  # fmt: skip


_RESEARCH_PROGRAMMES = ("horizon europe", "euratom")
_RESEARCH_PREFIXES = ("horizon-", "euratom-", "erc-")


def substring_groups(keys: Sequence[str], guards: Sequence[str]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """`keys` arranged for `contains_any`: under the first of `guards` each key contains, a guard
    that is looked for once for all its keys (a key with no guard is its own); a key that contains
    another key is left out, because the other is found wherever it is."""
    kept = [key for key in keys if not any(other != key and other in key for other in keys)]
    groups: dict[str, list[str]] = {}
    for key in kept:
        groups.setdefault(next((g for g in guards if g in key), key), []).append(key)
    return tuple((guard, tuple(k for k in members if k != guard)) for guard, members in groups.items())


def contains_any(text: str, groups: tuple[tuple[str, tuple[str, ...]], ...]) -> bool:
    """`any(key in text for key in keys)` for `groups = substring_groups(keys, guards)`: each scan of a
    long text costs about a microsecond, and a missing guard saves the scans of all its keys."""
    return any(guard in text and (not keys or any(key in text for key in keys)) for guard, keys in groups)


# A call's text is searched for all of these (most calls have none): five scans instead of nine.
_RESEARCH_GROUPS = substring_groups(_RESEARCH_ACTIONS, ("(", "horizon-", "forskare"))
# A domestic call has none of the 63: 27 scans instead.
_CROSS_BORDER_GUARDS = (
    "countr", "länder", "land", "utanför", "gräns", "grens", "græns", "nord", "inter", "trans", "partner",
)  # fmt: skip
_CROSS_BORDER_GROUPS = {
    lang: substring_groups(keys, _CROSS_BORDER_GUARDS) for lang, keys in _CROSS_BORDER.items()
}


def cross_border(text: str, lang: str = SV) -> bool:
    """Whether a call has a cross-border element: other countries, international exchange, EU-wide.

    The strategy is about international work; a domestic call ("Kompetensförsörjning i
    Västsverige", financed by the regional fund) is at most a side match for its themes.
    """
    low = text.lower()
    if lang != EN and any(mark in low for mark in DOMESTIC_FUND_MARKS):
        for fund in _DOMESTIC_EU_FUNDS:
            if fund in low:
                low = low.replace(fund, " ")
    return contains_any(low, _CROSS_BORDER_GROUPS[EN if lang == EN else SV])


def research_action(text: str, item: MatchInput | None = None) -> bool:
    """Whether a call is a research or innovation action (Horizon RIA/IA) or belongs to a research
    programme (Horizon Europe, Euratom): a consortium of research organisations and industry, where a
    small municipality could at most be a marginal partner. Read from the text, and from the call's
    types of action, programme and portal identifier ("HORIZON-CL2-2027-…") when `item` has them:
    a portal topic often says what it is only there."""
    if contains_any(text.lower(), _RESEARCH_GROUPS):
        return True
    if item is None:
        return False
    typed = " ".join(item.action_types).lower()
    if typed and any(key in typed for key in (*_RESEARCH_ACTIONS, "research and innovation")):
        return True
    programme = (item.programme or "").lower()
    if any(name in programme for name in _RESEARCH_PROGRAMMES):
        return True
    identifier = item.id.rsplit(":", 1)[-1].lower()
    return identifier.startswith(_RESEARCH_PREFIXES)


class _Pieces:
    """Pieces of text of one language by id (`ids`), each with its tokens, flags and stems: ids in
    flat arrays, piece n's in `[ptr[n] : ptr[n + 1]]`."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.token_ptr = self.flag_ptr = self.stem_ptr = np.zeros(1, dtype=np.int64)
        self.token_ids = self.flag_ids = self.stem_ids = np.zeros(0, dtype=np.int64)

    def extend(
        self,
        tokens: tuple[np.ndarray, np.ndarray],
        flags: tuple[np.ndarray, np.ndarray],
        stems: tuple[np.ndarray, np.ndarray],
    ) -> None:
        """New pieces at the end: for each of tokens, flags and stems, (their ids one piece after
        another, how many each piece has)."""
        self.token_ptr = np.concatenate([self.token_ptr, self.token_ptr[-1] + np.cumsum(tokens[1])])
        self.flag_ptr = np.concatenate([self.flag_ptr, self.flag_ptr[-1] + np.cumsum(flags[1])])
        self.stem_ptr = np.concatenate([self.stem_ptr, self.stem_ptr[-1] + np.cumsum(stems[1])])
        self.token_ids = np.concatenate([self.token_ids, tokens[0]])
        self.flag_ids = np.concatenate([self.flag_ids, flags[0]])
        self.stem_ids = np.concatenate([self.stem_ids, stems[0]])


def numbering() -> defaultdict[str, int]:
    """A dictionary that numbers its keys 0, 1, 2 … as they come: `numbers[key]` of a new key adds
    it with the next number (its length), at C speed. Keys added with `numbers[key] = len(numbers)`
    are numbered alike."""
    numbers: defaultdict[str, int] = defaultdict()
    numbers.default_factory = numbers.__len__
    return numbers


def _flat_ids(numbers: dict, groups: list[tuple[str, ...]]) -> tuple[np.ndarray, np.ndarray]:
    """The numbers of all the groups' members, one group after another, and each group's size."""
    sizes = np.fromiter(map(len, groups), np.int64, len(groups))
    flat = np.fromiter(map(numbers.__getitem__, chain.from_iterable(groups)), np.int64, int(sizes.sum()))
    return flat, sizes


def _gather(ptr: np.ndarray, flat: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The values of `rows` (a CSR-like `ptr`/`flat`) one after another, and how many each row has."""
    starts = ptr[rows]
    lengths = ptr[rows + 1] - starts
    offsets = np.arange(int(lengths.sum()), dtype=np.int64) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    return flat[np.repeat(starts, lengths) + offsets], lengths


class Lexicon:
    """What the analyser knows of the profile: compound parts, phrases, concepts and readable labels.

    Built once from the areas and the glossary (`Lexicon.from_profile`). Analysing text with it is
    deterministic for a given lexicon; a lexicon built from another profile gives other tokens, which
    is one reason a matcher must be refitted when the profile changes.
    """

    def __init__(
        self,
        terms_sv: Iterable[str] = (),
        terms_en: Iterable[str] = (),
        glossary: Glossary = (),
        extra_sv: Iterable[str] = (),
        prose: Iterable[str] = (),
        flag_words: Iterable[str] = (),
    ) -> None:
        self.glossary: Glossary = [(sv, list(en)) for sv, en in glossary]
        # Words whose presence `count_and_flag` reports (by prefix: "applicant" flags "applicants"),
        # so that eligibility reads only the sentences that can matter.
        self._flag_roots = tuple(sorted({w.lower() for w in flag_words if w}))
        self._flag_tokens = tuple("!" + root for root in self._flag_roots)
        self._flag_set = frozenset(self._flag_roots)
        self._flag_lengths = sorted({len(root) for root in self._flag_roots})
        self._flag_starts = frozenset(root[:2] for root in self._flag_roots)
        self._flags_of: dict[str, tuple[str, ...]] = {}
        terms_sv, terms_en, extra_sv = list(terms_sv), list(terms_en), list(extra_sv)
        # Compound parts: the surface words and their stems (a stem lets "arbets" be "arbet" + "s").
        self._parts: set[str] = set()
        self._part_stems: set[str] = set()
        for text in chain(BASE_PARTS_SV, terms_sv, (sv for sv, _ in self.glossary), extra_sv):
            for w in words(text):
                if len(w) >= 3 and w not in STOP_WORDS:
                    self._parts.add(w)
                    self._part_stems.add(stem(w, SV))
        # What may begin a compound: a part, its stem, or a part without its final vowel
        # ("samarbete" → "samarbets-", "skola" → "skolutveckling").
        self._heads = self._parts | self._part_stems
        self._heads.update(p[:-1] for p in self._parts if len(p) >= 5 and p[-1] in "ae")
        self._split_cache: dict[str, tuple[str, ...] | None] = {}
        # Which word stems are worth stemming at all: first letters of every stem the profile uses.
        self._prefixes: set[str] = set()
        for lang, texts in (
            (SV, chain(BASE_PARTS_SV, terms_sv, extra_sv, (sv for sv, _ in self.glossary))),
            (EN, chain(terms_en, (e for _, en in self.glossary for e in en))),
            *((detect_language(text), (text,)) for text in prose),
        ):
            for text in texts:
                for w in words(text):
                    self._add_prefixes(w)
                    self._add_prefixes(stem(w, lang))
                    # English phrases turn up in Swedish texts ("European Solidarity Corps")
                    self._add_prefixes(stem(w, SV if lang == EN else EN))
        for part in self._parts:
            self._add_prefixes(part)
        # Concepts (glossary) and phrases (any term of several words): stems → token, per language.
        self._triggers: dict[str, dict[str, set[str]]] = {SV: {}, EN: {}}
        # first stem → [(stems, token, the other stems)]
        self._phrases: dict[str, dict[str, list[tuple[tuple[str, ...], str, frozenset[str]]]]] = {
            SV: {},
            EN: {},
        }
        self._labels: dict[str, dict[str, tuple[int, str]]] = {}
        self._concept_forms: dict[str, list[tuple[str, str, frozenset[str]]]] = {}
        self._words: dict[str, dict[str, tuple[str | None, tuple[str, ...]]]] = {SV: {}, EN: {}}
        self._cache: dict[str, dict[str, tuple[str, ...]]] = {SV: {}, EN: {}}
        self._prims: dict[str, dict[str, tuple[str, ...]]] = {SV: {}, EN: {}}
        for sv, en in self.glossary:
            concept = concept_id(sv)
            self._add_trigger(sv, SV, concept)
            self._label(concept, SV, sv, 0)
            for i, equivalent in enumerate(en):
                self._add_trigger(equivalent, EN, concept)
                self._label(concept, EN, equivalent, 0 if i == 0 else 1)
        for lang, terms in ((SV, terms_sv), (EN, terms_en)):
            for term in terms:
                if len(self._content_words(term)) > 1:
                    self._add_trigger(term, lang, None)
        self._phrase_firsts = {lang: frozenset(self._phrases[lang]) for lang in LANGS}
        self._first_keys: dict[str, set[str]] = {SV: set(), EN: set()}  # pieces that may begin a phrase
        # `count_many`'s tables of the pieces of text analysed so far in this process, so that a
        # batch (a slice of a large corpus) reads only the pieces no earlier batch had in Python.
        self._pieces: dict[str, _Pieces] = {SV: _Pieces(), EN: _Pieces()}
        self._token_ids = numbering()  # the pieces' tokens, numbered in this process
        self._stem_ids = numbering()  # and their stems

    # Caches of what analysing text found, rebuilt as text is analysed again: not pickled (the
    # matcher is stored pickled, and after a fit on 20,000 calls they are most of the lexicon).
    _CACHES = (
        "_split_cache", "_flags_of", "_concept_forms", "_words", "_cache", "_prims", "_first_keys", "_pieces",
        "_token_ids", "_stem_ids",
    )  # fmt: skip

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        for name in self._CACHES:
            state.pop(name, None)
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        for name in ("_split_cache", "_flags_of", "_concept_forms"):
            self.__dict__.setdefault(name, {})
        for name in ("_words", "_cache", "_prims"):
            self.__dict__.setdefault(name, {SV: {}, EN: {}})
        self.__dict__.setdefault("_first_keys", {SV: set(), EN: set()})
        self.__dict__.setdefault("_pieces", {SV: _Pieces(), EN: _Pieces()})
        for name in ("_token_ids", "_stem_ids"):
            self.__dict__.setdefault(name, numbering())

    @classmethod
    def from_profile(
        cls,
        areas: Sequence[AreaSpec],
        glossary: Glossary = (),
        context: Context | None = None,
        flag_words: Iterable[str] = (),
    ) -> Lexicon:
        """A lexicon for these areas. Area names add compound parts; descriptions and context (prose)
        only words worth stemming: their verbs would split compounds wrongly ("skapa" would make
        "partnerskap" partner + skap)."""
        return cls(
            [t for a in areas for t in a.terms_sv],
            [t for a in areas for t in a.terms_en],
            glossary,
            [a.name for a in areas],
            [a.description for a in areas if a.description]
            + (list(context.terms_sv) + list(context.terms_en) if context else []),
            flag_words,
        )

    # --- analysis -----------------------------------------------------------------------------

    def analyze(self, text: str, lang: str | None = None) -> list[str]:
        """The tokens of a text: stems, compound parts, phrase and concept tokens."""
        if not text:
            return []
        if lang not in LANGS:
            lang = detect_language(text)
        keys = normalise(text).split()
        tokens = [t for t in chain.from_iterable(self._entries(keys, lang)) if t[0] != "!"]
        tokens.extend(self._phrase_tokens(keys, lang, tokens))
        return tokens

    def analyze_input(self, item: MatchInput, title_weight: int = 3) -> list[str]:
        """A call's tokens: the title `title_weight` times, then text, keywords and programme."""
        lang = self.language_of(item)
        tokens = self.analyze(item.title, lang) * title_weight
        tokens += self.analyze(item.text, lang)
        if item.keywords:
            tokens += self.analyze(" ; ".join(item.keywords), lang)
        if item.programme:
            tokens += self.analyze(item.programme, lang)
        return tokens

    def count_input(self, item: MatchInput, title_weight: int = 3) -> Counter[str]:
        """`analyze_input` as counts: the same tokens, counted without building the token list."""
        return self.count_and_flag(item, title_weight)[0]

    def count_and_flag(self, item: MatchInput, title_weight: int = 3) -> tuple[Counter[str], frozenset[str]]:
        """A call's token counts, and which of the lexicon's flag words it contains.

        The matcher's hot path: every distinct piece of text was analysed once for the whole
        corpus, so a call costs a split, a dictionary look-up per word and a C-level count.
        """
        lang = self.language_of(item)
        title_keys = normalise(item.title).split() if item.title else []
        body = item.text
        if item.keywords:
            body = f"{body}\n" + " ; ".join(item.keywords)
        if item.programme:
            body = f"{body}\n{item.programme}"
        body_keys = normalise(body).split() if body else []
        title_entries = self._entries(title_keys, lang)
        counts = Counter(
            chain(chain.from_iterable(title_entries * title_weight), *self._entries(body_keys, lang))
        )
        candidates = self._phrase_candidates(lang, counts.keys()) if counts else None
        if candidates:
            for token in self._find_phrases(title_keys, lang, candidates):
                counts[token] += title_weight
            for token in self._find_phrases(body_keys, lang, candidates):
                counts[token] += 1
        flags = []
        for flag in self._flag_tokens:
            if flag in counts:
                del counts[flag]
                flags.append(flag[1:])
        return counts, frozenset(flags)

    def count_many(
        self, items: Sequence[MatchInput], title_weight: int = 3
    ) -> tuple[list[str], sp.csr_array, list[frozenset[str]], list[str]]:
        """`count_and_flag` of many calls at once: (tokens, calls × tokens counts, flags, languages).

        The same counts, computed for the whole batch with array operations instead of a Python
        loop per word: every piece of text gets an id in one pass of C-level dictionary look-ups,
        calls × pieces times pieces × tokens gives the counts, and phrases are found in the stream of
        the pieces' stems, with only the places where a phrase's first two stems meet read in Python.
        Each piece's tokens and stems are numbered once per process (`_table`), so that a batch
        after the first (the slices of a large corpus) reads in Python only the pieces new to it;
        the tokens are still numbered in order of first appearance in the batch.
        """
        import scipy.sparse as sp  # only where many calls are counted: query commands never need it

        langs = [self.language_of(item) for item in items]
        tokens: dict[str, int] = {}
        parts: list[tuple[np.ndarray, sp.csr_array]] = []
        flags: list[frozenset[str]] = [frozenset()] * len(items)
        for lang in LANGS:
            docs = [d for d, found in enumerate(langs) if found == lang]
            if docs:
                matrix, doc_flags = self._count_lang([items[d] for d in docs], lang, title_weight, tokens)
                parts.append((np.array(docs, dtype=np.int64), matrix))
                for d, found in zip(docs, doc_flags, strict=True):
                    flags[d] = found
        if not parts:
            return [], sp.csr_array((len(items), 0)), flags, langs
        for _, matrix in parts:
            matrix.resize((matrix.shape[0], len(tokens)))
        stacked = sp.vstack([m for _, m in parts], format="csr")
        order = np.argsort(np.concatenate([d for d, _ in parts]), kind="stable")
        return list(tokens), sp.csr_array(stacked[order]), flags, langs

    def _count_lang(
        self, items: Sequence[MatchInput], lang: str, title_weight: int, tokens: dict[str, int]
    ) -> tuple[sp.csr_array, list[frozenset[str]]]:
        import scipy.sparse as sp

        # Ids by first occurrence, a C-level look-up per piece: a piece not seen before gets the
        # next number. Each call's pieces are looked up as soon as they are split, while they are
        # in the CPU's cache, and freed with it: a list of all the batch's pieces (a million
        # strings) cost more, and so did `setdefault` with a running count (a new int per piece).
        first: defaultdict[str, int] = defaultdict(count().__next__)
        to_id = first.__getitem__
        raw = array("q")
        lengths: list[int] = []  # per segment: a call's title, then its body
        for item in items:
            before = len(raw)
            if item.title:
                raw.extend(map(to_id, normalise(item.title).split()))
            middle = len(raw)
            body = item.text
            if item.keywords:
                body = f"{body}\n" + " ; ".join(item.keywords)
            if item.programme:
                body = f"{body}\n{item.programme}"
            if body:
                raw.extend(map(to_id, normalise(body).split()))
            lengths += (middle - before, len(raw) - middle)
        unique = list(first)
        kids = np.frombuffer(raw, dtype=np.int64)
        del first
        table, pieces_of = self._table(unique, lang)
        # pieces × tokens (flags apart), the tokens numbered in order of first appearance in this
        # batch, after those `tokens` has (as a `tokens.setdefault` per token would number them)
        token_ids = self._token_ids
        for token in tokens:
            if token not in token_ids:
                token_ids[token] = len(token_ids)
        local = np.full(len(token_ids), -1, dtype=np.int64)
        local[np.fromiter(map(token_ids.__getitem__, tokens), np.int64, len(tokens))] = np.arange(len(tokens))
        found_tokens, per_piece = _gather(table.token_ptr, table.token_ids, pieces_of)
        rows = np.repeat(np.arange(len(unique), dtype=np.int64), per_piece)
        new = found_tokens[local[found_tokens] < 0]
        if len(new):
            new, first_seen = np.unique(new, return_index=True)
            new = new[np.argsort(first_seen)]
            local[new] = np.arange(len(tokens), len(tokens) + len(new))
            names = list(token_ids)
            numbers = range(len(tokens), len(tokens) + len(new))
            tokens.update(zip(map(names.__getitem__, new.tolist()), numbers, strict=True))
        columns = local[found_tokens]
        flag_columns, per_piece = _gather(table.flag_ptr, table.flag_ids, pieces_of)
        flag_rows = np.repeat(np.arange(len(unique), dtype=np.int64), per_piece)
        flag_index = {flag: n for n, flag in enumerate(self._flag_tokens)}
        segments = np.repeat(np.arange(len(lengths), dtype=np.int64), lengths)
        weights = np.where(segments % 2 == 0, float(title_weight), 1.0)
        indptr = np.zeros(len(items) + 1, dtype=np.int64)
        per_call = np.add.reduceat(np.array(lengths, dtype=np.int64), np.arange(0, len(lengths), 2))
        np.cumsum(per_call, out=indptr[1:])
        pieces = sp.csr_array((weights, kids, indptr), shape=(len(items), len(unique)))
        to_tokens = sp.csr_array(
            (np.ones(len(rows)), (rows, columns)),
            shape=(len(unique), len(tokens)),
        )
        counts = pieces @ to_tokens
        doc_flags: list[frozenset[str]] = [frozenset()] * len(items)
        if len(flag_rows):
            to_flags = sp.csr_array(
                (np.ones(len(flag_rows)), (flag_rows, flag_columns)),
                shape=(len(unique), len(flag_index)),
            )
            present = sp.csr_array(pieces @ to_flags)
            present.eliminate_zeros()
            roots = self._flag_roots
            for d in range(len(items)):
                found = present.indices[present.indptr[d] : present.indptr[d + 1]]
                if len(found):
                    doc_flags[d] = frozenset(roots[f] for f in found.tolist())
        stems, per_piece = _gather(table.stem_ptr, table.stem_ids, pieces_of)
        found = self._stream_phrases(stems, per_piece, kids, segments, lang)
        if found:
            docs, seg_of, phrase_tokens = zip(*found, strict=True)
            extra = sp.csr_array(
                (
                    np.where(np.array(seg_of) % 2 == 0, float(title_weight), 1.0),
                    (np.array(docs), np.array([tokens.setdefault(t, len(tokens)) for t in phrase_tokens])),
                ),
                shape=(len(items), len(tokens)),
            )
            counts = sp.csr_array(counts)
            counts.resize((len(items), len(tokens)))
            counts = counts + extra
        counts = sp.csr_array(counts)
        counts.sum_duplicates()
        return counts, doc_flags

    def _stream_phrases(
        self, flat: np.ndarray, per_piece: np.ndarray, kids: np.ndarray, segments: np.ndarray, lang: str
    ) -> list[tuple[int, int, str]]:
        """(call, segment, token) of every profile phrase in the pieces' stems, in order.

        `flat` holds the stems (ids in `_stem_ids`) of every piece, `per_piece` how many each has."""
        phrases = self._phrases[lang]
        stem_ids = self._stem_ids
        by_pair: dict[int, list[tuple[list[int], str]]] = {}
        size = len(stem_ids) + 1
        for entries in phrases.values():
            for seq, token, _ in entries:
                ids = [stem_ids.get(s, -1) for s in seq]
                if -1 not in ids:
                    by_pair.setdefault(ids[0] * size + ids[1], []).append((ids, token))
        if not by_pair:
            return []
        starts = np.zeros(len(per_piece) + 1, dtype=np.int64)
        np.cumsum(per_piece, out=starts[1:])
        # the stream of stems: piece k contributes flat[starts[k] : starts[k + 1]]
        if per_piece.max(initial=0) <= 1:
            # A piece is nearly always one word, with one stem or none (a stop word): the stream is
            # then the stems of the pieces that have one, without expanding every piece.
            has_stem = (per_piece > 0)[kids]
            stream = flat[starts[kids[has_stem]]]
            seg = segments[has_stem]
        else:
            lengths = per_piece[kids]
            offsets = np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths, lengths)
            stream = flat[np.repeat(starts[kids], lengths) + offsets]
            seg = np.repeat(segments, lengths)
        if len(stream) < 2:
            return []
        firsts = np.zeros(size, dtype=bool)
        firsts[[code // size for code in by_pair]] = True
        # where a phrase's first stem is (few places), then which of them go on in the same segment
        at = np.flatnonzero(firsts[stream[:-1]])
        at = at[seg[at] == seg[at + 1]]
        at = at[np.isin(stream[at] * size + stream[at + 1], np.fromiter(by_pair, np.int64, len(by_pair)))]
        found = []
        longest = max(len(ids) for pairs in by_pair.values() for ids, _ in pairs)
        for i in at.tolist():
            window = stream[i : i + longest].tolist()
            window_seg = seg[i : i + longest].tolist()
            for ids, token in by_pair[window[0] * size + window[1]]:
                n = len(ids)
                if window[:n] == ids and window_seg[n - 1 : n] == [window_seg[0]]:
                    found.append((window_seg[0] // 2, window_seg[0], token))
        return found

    def _table(self, unique: list[str], lang: str) -> tuple[_Pieces, np.ndarray]:
        """The language's table of pieces, with those of `unique` it lacks added (analysed when new),
        and the ids of `unique` in it.

        One look-up per piece in the table (large: every piece the process has seen, so each look-up
        is a few cache misses), which tells the new pieces too; they are numbered in order."""
        table = self._pieces[lang]
        known = table.ids
        ids = np.fromiter(map(known.get, unique, repeat(-1)), np.int64, len(unique))
        missing = np.flatnonzero(ids < 0)
        if not len(missing):
            return table, ids
        fresh = list(map(unique.__getitem__, missing.tolist()))
        ids[missing] = np.arange(len(known), len(known) + len(fresh))
        known.update(zip(fresh, range(len(known), len(known) + len(fresh)), strict=True))
        cache, prims_of = self._cache[lang], self._prims[lang]
        # each new piece's tokens, flags and stems, numbered afterwards all at once
        tokens: list[tuple[str, ...]] = []
        flags: list[tuple[str, ...]] = []
        stems: list[tuple[str, ...]] = []
        word_of, flags_of, firsts = self._words[lang], self._flags_of, self._phrase_firsts[lang]
        flagging, flag_starts = bool(self._flag_roots), self._flag_starts
        for key in fresh:
            entry = cache.get(key)
            if entry is None and key.isalpha():
                # `_key_entry` of a piece that is one word (most new pieces), inlined
                word = word_of.get(key) or self._word(key, lang)
                found_flags = ()
                if flagging:
                    found_flags = flags_of.get(key)
                    if found_flags is None:
                        # `_flags_for`'s first test inlined: most words begin as no flag word does
                        found_flags = self._flags_for(key) if key[:2] in flag_starts else ()
                cache[key] = word[1] + found_flags
                prims = prims_of[key] = (word[0],) if word[0] else ()
                if word[0] and word[0] in firsts:
                    self._first_keys[lang].add(key)
                tokens.append(word[1])
                flags.append(found_flags)
            else:
                if entry is None:
                    entry = self._key_entry(key, lang)
                prims = prims_of[key]
                tokens.append(tuple(token for token in entry if token[0] != "!"))
                flags.append(tuple(token for token in entry if token[0] == "!"))
            stems.append(prims)
        flag_index = {flag: n for n, flag in enumerate(self._flag_tokens)}
        table.extend(
            _flat_ids(self._token_ids, tokens), _flat_ids(flag_index, flags), _flat_ids(self._stem_ids, stems)
        )
        return table, ids

    def _entries(self, keys: list[str], lang: str) -> list[tuple[str, ...]]:
        """The cached tokens of each piece of text; pieces not seen before are analysed once."""
        cache = self._cache[lang]
        entries = list(map(cache.get, keys))
        at = -1
        while True:
            try:
                at = entries.index(None, at + 1)  # C speed: new pieces are few
            except ValueError:
                return entries
            known = cache.get(keys[at])
            entries[at] = known if known is not None else self._key_entry(keys[at], lang)

    def language_of(self, item: MatchInput) -> str:
        """The analysis language: sv or en as given; Norwegian and Danish read as Swedish (see
        `swedish_form`); anything else (or nothing) detected from the text."""
        if item.lang in LANGS:
            return item.lang
        if item.lang and item.lang.lower().split("-")[0] in _READ_AS_SWEDISH:
            return SV
        return detect_language(f"{item.title}\n{item.text}")

    def split_compound(self, word: str) -> tuple[str, ...] | None:
        """The known parts of a Swedish compound ("ungdomsutbyte" → ("ungdom", "utbyte")), or None."""
        if word in self._split_cache:
            return self._split_cache[word]
        parts = self._split(word, top=True) if len(word) >= 6 else None
        self._split_cache[word] = parts
        return parts

    def surfaces(self, text: str, lang: str, skip: set[tuple[str, str]] | None = None) -> dict[str, str]:
        """Each token of a text with a word that produced it (the first seen): labels for learnt terms.
        `skip`: (word, language) pairs to pass over, to which this text's words are added."""
        found: dict[str, str] = {}
        # each word once, in order of first appearance: a repeated word would only repeat its tokens
        for w in dict.fromkeys(words(text)):
            if skip is not None:
                if (w, lang) in skip:
                    continue
                skip.add((w, lang))
            for token in self._word(w, lang)[1]:
                found.setdefault(token, w)
        return found

    def term_tokens(self, term: str, lang: str) -> tuple[set[str], set[str]]:
        """A profile term's tokens as (what it names, its parts).

        A one-word term names its stem and its concepts ("vänortssamarbete": the stem and c:vanort);
        its compound parts are parts. A phrase names its phrase and concept tokens ("youth exchange":
        c:ungdomsutbyte); its words are parts, and concepts of single words inside it are dropped:
        "job shadowing" is not about jobs.
        """
        content = self._content_words(term)
        if len(content) == 1:
            prim, tokens = self._word(content[0], lang)
            parts = {stem(p, SV) for p in self.split_compound(content[0]) or ()} if lang == SV else set()
            named = {t for t in tokens if t not in parts or t == prim}
            return named, parts - named
        word_level: set[str] = set()
        stems: set[str] = set()
        for w in content:
            prim, tokens = self._word(w, lang)
            word_level.update(tokens)
            if prim:
                stems.add(prim)
                if lang == SV:
                    stems.update(stem(p, SV) for p in self.split_compound(w) or ())
        named = set(self.analyze(term, lang)) - word_level
        return named, stems - named

    # --- labels -------------------------------------------------------------------------------

    def learn_labels(self, text: str, lang: str, rank: int) -> None:
        """Remember the words of a profile text as the labels of the tokens they give (lower rank wins).

        A one-word term labels its stem with itself ("ungdomsutbyte"), its compound parts with the
        parts ("ungdom"); a phrase's token gets the phrase ("capacity building"). Concepts keep the
        glossary's own words.
        """
        content = self._content_words(text)
        for w in content:
            prim = self._word(w, lang)[0]
            if prim is None:
                continue
            self._label(prim, lang, text.strip() if len(content) == 1 else w, rank)
            if lang == SV:
                for part in self.split_compound(w) or ():
                    self._label(stem(part, SV), lang, part, rank + 1)
        if len(content) > 1:
            for token in self.analyze(text, lang):
                if token.startswith("p:"):
                    self._label(token, lang, text.strip(), rank)

    def label(self, token: str, lang: str) -> str:
        """Readable words for a token, in the given language where the profile has them."""
        known = self._labels.get(token)
        if not known:
            return token[2:].replace("_", " ") if token.startswith(("c:", "p:")) else token
        if lang in known:
            return known[lang][1]
        return min(known.values())[1]

    def concept_forms(self, concept: str) -> list[tuple[str, str, frozenset[str]]]:
        """A glossary concept's words as (language, words, the tokens they give): to name, for a
        call, the words it actually used ("twinning", not "town twinning", for a research Twinning)."""
        forms = self._concept_forms.get(concept)
        if forms is None:
            forms = []
            for sv, en in self.glossary:
                if concept_id(sv) == concept:
                    for lang, surface in ((SV, sv), *((EN, e) for e in en)):
                        needed = frozenset(t for t in self.analyze(surface, lang) if not t.startswith("c:"))
                        forms.append((lang, surface, needed))
            self._concept_forms[concept] = forms
        return forms

    def set_label(self, token: str, lang: str, surface: str) -> None:
        """A label for a token learnt from a call (marks), unless the profile already has a better one."""
        self._label(token, lang, surface, 9)

    # --- internals ----------------------------------------------------------------------------

    def _add_prefixes(self, w: str) -> None:
        if len(w) >= 4:
            self._prefixes.add(w[:4])
            if w[3] == "i":  # English "citi" (cities) and "city"
                self._prefixes.add(w[:3] + "y")
        elif len(w) >= 2:
            self._prefixes.add(w)

    def _relevant(self, w: str) -> bool:
        p = self._prefixes
        return w[:4] in p or w[:3] in p or w[:2] in p

    def _content_words(self, text: str) -> list[str]:
        return [w for w in words(text) if w not in STOP_WORDS and len(w) >= 2]

    def _stems(self, text: str, lang: str) -> tuple[str, ...]:
        return tuple(stem(w, lang) for w in self._content_words(text))

    def _add_trigger(self, term: str, lang: str, concept: str | None) -> None:
        """Make `term` produce `concept` (or its own phrase token when concept is None).

        A single English word triggers its concept only in its own noun forms ("twinning",
        "twinnings"), not in every word of its stem: "twinning" and "digital twins" share the
        stem "twin", "training" and "train" the stem "train". Swedish words go by their stem.
        """
        stems = self._stems(term, lang)
        if not stems:
            return
        if len(stems) == 1:
            if concept is not None and lang == EN:
                for form in _english_forms(self._content_words(term)[0]):
                    self._triggers[EN].setdefault(form, set()).add(concept)
            elif concept is not None:
                self._triggers[lang].setdefault(stems[0], set()).add(concept)
            return
        token = concept or "p:" + "_".join(stems).translate(_ASCII)
        if concept is None:
            self._label(token, lang, term.strip(), 0)
        # A phrase is recognised in both languages' stems: Swedish calls name English programmes.
        for target in LANGS:
            seq = stems if target == lang else self._stems(term, target)
            entries = self._phrases[target].setdefault(seq[0], [])
            if all(known[:2] != (seq, token) for known in entries):
                entries.append((seq, token, frozenset(seq[1:])))

    def _label(self, token: str, lang: str, surface: str, rank: int) -> None:
        known = self._labels.setdefault(token, {})
        if lang not in known or rank < known[lang][0]:
            known[lang] = (rank, surface)

    def _key_entry(self, key: str, lang: str) -> tuple[str, ...]:
        """Tokens for one white-space separated piece of text (a word with its punctuation)."""
        pieces = [key] if key.isalpha() else _WORD.findall(key)
        if len(pieces) == 1:
            prim, tokens = self._word(pieces[0], lang)
            prims: tuple[str, ...] = (prim,) if prim else ()
        else:
            found = [self._word(p, lang) for p in pieces]
            prims = tuple(prim for prim, _ in found if prim)
            tokens = tuple(chain.from_iterable(t for _, t in found))
        if self._flag_roots:
            tokens = tokens + tuple(chain.from_iterable(map(self._flags_for, pieces)))
        self._cache[lang][key] = tokens
        self._prims[lang][key] = prims
        if not self._phrase_firsts[lang].isdisjoint(prims):
            self._first_keys[lang].add(key)
        return tokens

    def _flags_for(self, w: str) -> tuple[str, ...]:
        known = self._flags_of.get(w)
        if known is None:
            roots = self._flag_set
            if w[:2] in self._flag_starts:
                known = tuple("!" + w[:n] for n in self._flag_lengths if w[:n] in roots)
            else:
                known = ()
            self._flags_of[w] = known
        return known

    def _word(self, w: str, lang: str) -> tuple[str | None, tuple[str, ...]]:
        """(the word's stem for phrase matching, all its tokens); stop words give (None, ())."""
        known = self._words[lang].get(w)
        if known is not None:
            return known
        if lang == SV:
            read = swedish_form(w)
            if read != w:
                # analysed as the Swedish word (a phrase of it too), remembered under its own
                result = self._nordic(read)
                self._words[lang][w] = result
                return result
        if w in STOP_WORDS or len(w) < 2:
            result: tuple[str | None, tuple[str, ...]] = (None, ())
        elif not self._relevant(w):
            result = (w, (w,))
        else:
            s = stem(w, lang)
            tokens = [s, *self._triggers[lang].get(s if lang == SV else w, ())]
            if lang == SV:
                for part in self.split_compound(w) or ():
                    ps = stem(part, SV)
                    tokens.append(ps)
                    tokens.extend(self._triggers[SV].get(ps, ()))
            result = (s, tuple(dict.fromkeys(tokens)))
        self._words[lang][w] = result
        return result

    def _nordic(self, swedish: str) -> tuple[str | None, tuple[str, ...]]:
        """(stem, tokens) of the Swedish reading of a Norwegian or Danish word: one word, or the
        tokens of all words of a reading of several ("frivillighet" → "ideell verksamhet")."""
        found = [self._word(w, SV) for w in swedish.split()]
        stems = [prim for prim, _ in found if prim]
        return (stems[-1] if stems else None), tuple(dict.fromkeys(chain.from_iterable(t for _, t in found)))

    def _phrase_tokens(self, keys: list[str], lang: str, tokens) -> list[str]:
        """Phrase and concept tokens of the profile's multi-word terms found in these words."""
        present = tokens.keys() if isinstance(tokens, dict) else set(tokens)
        candidates = self._phrase_candidates(lang, present)
        return self._find_phrases(keys, lang, candidates) if candidates else []

    def _phrase_candidates(self, lang: str, present) -> list[tuple[tuple[str, ...], str]]:
        """The phrases all of whose stems are among `present`: the only ones whose order is checked."""
        phrases = self._phrases[lang]
        return [
            (seq, token)
            for first in self._phrase_firsts[lang]
            if first in present
            for seq, token, rest in phrases[first]
            if rest <= present
        ]

    def _find_phrases(self, keys: list[str], lang: str, candidates) -> list[str]:
        """Occurrences of the candidate phrases in these words (stop words between them skipped).

        Only the words that can begin a phrase are looked at, and only their neighbours are read:
        on the benchmark a pass over every word's stems cost twice as much.
        """
        by_first: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for seq, token in candidates:
            by_first.setdefault(seq[0], []).append((seq[1:], token))
        longest = {first: max(len(rest) for rest, _ in pairs) for first, pairs in by_first.items()}
        prims_of, first_keys = self._prims[lang], self._first_keys[lang]
        found = []
        size = len(keys)
        for i in compress(range(size), map(first_keys.__contains__, keys)):
            prims = prims_of[keys[i]]
            for offset, prim in enumerate(prims):
                pairs = by_first.get(prim)
                if pairs is None:
                    continue
                # the stems that follow, skipping stop words, as far as the longest phrase needs
                following = list(prims[offset + 1 :])
                need, j = longest[prim], i + 1
                while len(following) < need and j < size:
                    following.extend(prims_of[keys[j]])
                    j += 1
                for rest, token in pairs:
                    if tuple(following[: len(rest)]) == rest:
                        found.append(token)
        return found

    def _split(self, word: str, top: bool) -> tuple[str, ...] | None:
        """Longest known prefix first; the rest is a known word (maybe inflected) or splits again."""
        n = len(word)
        for cut in range(n - 3, 2, -1):
            head = word[:cut]
            if head not in self._heads:
                continue
            rest = word[cut:]
            for tail in (rest[1:], rest) if rest.startswith("s") and len(rest) >= 4 else (rest,):
                if len(tail) < 3:
                    continue
                if tail in self._parts or stem(tail, SV) in self._part_stems:
                    return (head, tail)
                deeper = self._split(tail, top=False) if len(tail) >= 6 else None
                if deeper:
                    return (head, *deeper)
        return None


def add_label(labels: list[str], label: str) -> None:
    """Add a label unless one already says it; a longer label replaces a shorter one it contains.

    Compared by word stems of both languages, so "local authority" repeats "local authorities" and
    "ungdom" is part of "ungdomsutbyte".
    """
    key = label_key(label)
    for n, existing in enumerate(labels):
        other = label_key(existing)
        if key in other:
            return
        if other in key:
            labels[n] = label
            return
    labels.append(label)


@lru_cache(maxsize=65536)
def label_key(label: str) -> str:
    return " ".join(stem(stem(w, EN), SV) for w in words(label))
