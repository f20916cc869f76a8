"""Which förvaltning a legal item concerns: a score 0–100 per förvaltning, where it goes, and why.

    from matchers.routing import Router, route, specs_from_profile, glossary_from_profile

    specs = specs_from_profile(profile)                  # ksf, buf, sof, sbf … from profile.yaml
    for r in route(items, specs, glossary_from_profile(profile)):
        r.item_id, r.scores, r.routed_to, r.why          # {"sbf": 100, …}, ["sbf"], {"sbf": ["dricksvatten"]}

An item is anything with `id`, `title_sv`, `title_en`, `summary` and `subjects` (objects with `uri`,
`label_sv`, `label_en`): a `monitor.legal.LegalItem`, read by attribute so that this module does not
import the sources' records.

**Words.** The matcher's own analyser (`matchers.text.Lexicon`) is built from the förvaltningar's
subject terms and the profile's glossary: stems of both languages, phrases, Swedish compounds and the
glossary's concepts ("dricksvatten" and "drinking water" both give c:dricksvatten). Two additions for
the Swedish of EU law, which builds long compounds:
- a word that *begins* with a one-word subject term of at least PREFIX_MIN letters counts as that
  term: compounds ("dricksvattenförsörjningssystem", "förskoleundervisning", "dataskyddsförordningen";
  the first part of a Swedish compound says what it is about) and inflections Snowball leaves alone
  ("förskolan"). Not shorter terms, so "val" does not find "valuta". A definite "-an" that Snowball
  keeps ("skolan") is read as the profile word it inflects ("skola");
- the later parts of a compound count PART_WEIGHT only: "arbetsmiljö" is about work, not about
  miljö, "fiskeförvaltning" about fish, not about (e-)förvaltning.
The legal formulae of titles are dropped first ("Europaparlamentets och rådets direktiv (EU)
2020/2184 av den 16 december 2020 om", "amending Regulation (EU) No 910/2014", "(recast)"): they say
what kind of act it is, not what it is about, and would only dilute the vectors.

**Vectors.** An item is its titles (both languages, TITLE_WEIGHT times), its summary, and its
EuroVoc labels (both languages, SUBJECT_LABEL_WEIGHT times), counted with sublinear tf. A
förvaltning is a query vector as the call matcher builds an area's: its terms (1, phrases and
concepts 1.5), the words inside a phrase or compound (PART_WEIGHT), the glossary's words for each
concept its terms name (GLOSSARY_WEIGHT), square root of the sum per token.

**Why idf comes from the förvaltningar, not from the items.** Routing runs on a handful of new
items at a time (a day's acts, one feed page). An idf fitted on five items is noise: a word in two of
them counts half as much as a word in one, by chance, and an item's score would change with whatever
else arrived in the same batch; an alert, once sent, could not be reproduced. So the "documents" of
the idf are the förvaltningar's own subject texts: idf(t) = ln((1 + F) / (1 + df(t))) + 1, F the
number of förvaltningar, df(t) how many of them name token t. A word only one förvaltning uses
("dricksvatten") separates them best and counts most; a word several share ("digitalisering": ksf and
buf) counts less. An item's scores then depend on the item and the profile only, never on the batch.

**Score.** Two parts, added and capped at 100:
- text: the dot product of the item (unit length) and the förvaltning's query scaled so that its
  largest weight is 1, as `100 · (dot / REFERENCE) ^ EXPONENT`. Scaled by its largest weight, not
  by its length as a cosine would: a förvaltning is a list of alternatives, and an act about one of
  them concerns it fully, so adding a term to the profile must not lower every other match (with
  unit-length queries the förvaltning with sixty terms scored lower than the one with forty for the
  same match). Calibrated on the fixtures and the unseen items of tests/test_routing.py: an act whose
  title names one whole term is at 0.4 or more (64 points), text with only parts of terms in it
  ("water" of "unionens vatten", "civil" of "civil protection") at 0.3 or less (36 points);
- subjects: each EuroVoc subject whose label matches a förvaltning's term (in either language) or
  whose concept is in its `eurovoc` list. The term must be in the label (one of its tokens, or all
  its words in any order: "disabled person" is "persons with disabilities"), and the match has a
  strength, the square of the share of the label's words the term covers: "drinking water" ↔
  "drinking water" 1, "air transport" ↔ "transport" 0.25 (an act on air transport is not the
  municipality's roads). The strongest subject adds SUBJECT_POINTS · strength, every further one
  SUBJECT_EXTRA · strength. Terms written with "e-" ("e-hälsa", "e-health") match only with the "e":
  the analyser drops single letters, and "health" alone is every "public health".
An item goes to every förvaltning at the threshold (default 40) or above, best first; an item that
concerns nobody (fishing quotas in the Baltic for an inland municipality) goes to nobody.

**Why.** Per förvaltning scoring at least WHY_MIN: the profile's terms that matched a EuroVoc
subject (or the EuroVoc label of a concept listed by id), then the whole terms behind the largest
contributions to the dot product (their parts only when no whole term is there), in Swedish where
the profile has it, each concept once ("dricksvatten", not also "drinking water"), at most WHY_TERMS.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from matchers.model import Glossary
from matchers.text import EN, STOP_WORDS, SV, Lexicon, add_label, concept_id, stem, words

DEFAULT_THRESHOLD = 40
TITLE_WEIGHT = 3
SUBJECT_LABEL_WEIGHT = 2
SUMMARY_WEIGHT = 1
TERM_WEIGHT = 1.0
GLOSSARY_WEIGHT = 0.5
CONCEPT_BOOST = 1.5
PART_WEIGHT = 0.35
REFERENCE = 0.5
EXPONENT = 2.0
SUBJECT_POINTS = 50
SUBJECT_EXTRA = 15
PREFIX_MIN = 6  # letters of a term that may begin a compound ("avfall" yes, "miljö" no)
PREFIX_TAIL = 1  # letters after it: a compound's rest or an inflection ("förskolan")
WHY_TERMS = 4
WHY_MIN = 20

# Parts of Swedish compounds common in EU law, so that "dricksvattenförsörjning" can be split
# (the Lexicon only splits when every part is known); never verbs, which split wrongly.
LEGAL_PARTS_SV = """
    avgift bedömning behörighet bestånd byggnad data direktiv drift fisk fiske flyg förordning
    försörjning förvaltning hantering hav information kontroll krav kvalitet kvot lön medel nivå
    omsorg pedagogik person plan prestanda rapport risk rening skydd system säkerhet tillsyn
    tjänst trafik undervisning uppgift vatten vård
""".split()  # noqa: SIM905

# The formulae of act titles: the kind of act, the institutions, cited acts and dates.
_FORMULAE = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"\b(?:communication|report) from the commission\b",
        r"\bto the european parliament,? (?:the council|and the council)"
        r"(?:,? the european economic and social committee)?(?:,? and the committee of the regions)?",
        r"\b(?:meddelande|rapport) från kommissionen\b",
        r"\btill europaparlamentet,? (?:rådet|och rådet)(?:,? europeiska ekonomiska och sociala kommittén)?"
        r"(?:,? och regionkommittén)?",
        r"\bof the european parliament and of the council\b",
        r"\beuropaparlamentets och rådets\b",
        # a cited act: "Directive (EU) 2020/2184", "Regulation (EU) No 910/2014", "direktiv 98/83/EG"
        r"\b[\wåäö]*(?:directive|regulation|decision|direktiv(?:et)?|förordning(?:en)?|beslut(?:et)?)\s*"
        r"(?:\((?:eu|eg|eeg|ec|eec|euratom)\))?\s*(?:nr|no)?\.?\s*\d+/\d+(?:/[a-z]+)?",
        r"\b(?:of|av den)\s+\d{1,2}\s+\w+\s+\d{4}\b",
    )
]
_FORMULA_WORDS = frozenset(
    """
    directive directives regulation regulations decision decisions proposal proposals
    commission council parliament european union implementing delegated amending amendment amendments
    repealing recast corrigendum laying down rules certain measures regards establishing application
    supplementing provisions framework act
    direktiv direktivet förordning förordningen beslut beslutet förslag rådet rådets kommissionen
    kommissionens europaparlamentet europaparlamentets unionen genomförandeförordning
    genomförandedirektiv genomförandebeslut delegerad delegerade ändring ändringar
    upphävande omarbetning rättelse fastställande tillämpningsföreskrifter åtgärder vissa gäller
    avseende införande regler bestämmelser
    """.split()  # noqa: SIM905
)


_DEFINITE = re.compile(r"\b[^\W\d_]{3,}an\b")
_FORMULA_WORD = re.compile(r"\b(?:" + "|".join(sorted(_FORMULA_WORDS, key=len, reverse=True)) + r")\b", re.I)


class RoutableItem(Protocol):
    """What routing reads of an item (`monitor.legal.LegalItem` has it all)."""

    id: str
    title_sv: str | None
    title_en: str | None
    summary: str
    subjects: Sequence[Any]


@dataclass(frozen=True)
class ForvaltningSpec:
    """One förvaltning as routing sees it: its subject terms, and EuroVoc concepts (URIs or ids)."""

    key: str  # e.g. "sbf"
    name: str  # e.g. "Samhällsbyggnadsförvaltningen"
    terms_sv: Sequence[str] = ()
    terms_en: Sequence[str] = ()
    eurovoc: Sequence[str] = ()  # "http://eurovoc.europa.eu/1853", "1853" or "eurovoc:1853"


@dataclass
class Routing:
    """One item's scores per förvaltning, the förvaltningar it goes to (best first), and why."""

    item_id: str
    scores: dict[str, int]
    routed_to: list[str]
    why: dict[str, list[str]] = field(default_factory=dict)


def specs_from_profile(profile: Any) -> list[ForvaltningSpec]:
    """The förvaltningar of a loaded profile.yaml (`monitor.profile.Profile`), read by attribute.

    `forvaltningar` maps keys to objects with `name` and `subjects` (`sv`, `en`, and optionally
    `eurovoc`; an `eurovoc` on the förvaltning itself is read too), so that a profile without EuroVoc
    concepts, or with them added later, reads the same way.
    """
    specs = []
    for key, forvaltning in (getattr(profile, "forvaltningar", None) or {}).items():
        subjects = getattr(forvaltning, "subjects", None)
        eurovoc = getattr(subjects, "eurovoc", None) or getattr(forvaltning, "eurovoc", None) or ()
        specs.append(
            ForvaltningSpec(
                key=key,
                name=getattr(forvaltning, "name", key),
                terms_sv=tuple(getattr(subjects, "sv", None) or ()),
                terms_en=tuple(getattr(subjects, "en", None) or ()),
                eurovoc=tuple(str(e) for e in eurovoc),
            )
        )
    return specs


def glossary_from_profile(profile: Any) -> Glossary:
    """The profile's glossary (Swedish term → English terms) as the matchers read it."""
    return [(sv, list(en)) for sv, en in (getattr(profile, "glossary", None) or {}).items()]


def eurovoc_id(value: str | None) -> str | None:
    """A EuroVoc concept's id: "http://eurovoc.europa.eu/1853", "eurovoc:1853", "1853" → "1853"."""
    if not value:
        return None
    text = value.strip().rstrip("/")
    text = text.rsplit("/", 1)[-1].rsplit(":", 1)[-1]
    return text or None


def route(
    items: Iterable[RoutableItem],
    specs: Sequence[ForvaltningSpec],
    glossary: Glossary = (),
    *,
    threshold: int = DEFAULT_THRESHOLD,
) -> list[Routing]:
    """Route items to förvaltningar (see the module docstring); build a `Router` to route many batches."""
    router = Router(specs, glossary, threshold=threshold)
    return [router.route(item) for item in items]


@dataclass(frozen=True)
class _Term:
    """A förvaltning's term as subject matching needs it."""

    surface: str  # the profile's own words, for why
    lang: str
    named: frozenset[str]  # the tokens the term names (its stem, phrase, concepts)
    stems: frozenset[str]  # its content words' stems
    covers: frozenset[str]  # stems a label word may have and still be this term (concept forms too)


@dataclass
class _Label:
    """A EuroVoc label: per content word, the tokens that say what the word is about."""

    lang: str
    words: list[frozenset[str]]
    tokens: frozenset[str]  # phrase and concept tokens of the whole label, and every word's own
    stems: frozenset[str]
    begun: frozenset[str] = frozenset()  # tokens only a compound's beginning gives ("energi…")


class Router:
    """Scores legal items against förvaltningar; built once per profile, then pure per item."""

    def __init__(
        self,
        specs: Sequence[ForvaltningSpec],
        glossary: Glossary = (),
        *,
        threshold: int = DEFAULT_THRESHOLD,
        reference: float = REFERENCE,
        exponent: float = EXPONENT,
    ) -> None:
        keys = [s.key for s in specs]
        if len(set(keys)) != len(keys):
            raise ValueError(
                f"förvaltningar named twice: {', '.join(sorted(k for k in keys if keys.count(k) > 1))}"
            )
        self.specs = list(specs)
        self.threshold = threshold
        self.reference = reference
        self.exponent = exponent
        self.glossary: Glossary = [(sv, list(en)) for sv, en in glossary]
        terms_sv = [t for s in self.specs for t in s.terms_sv]
        terms_en = [t for s in self.specs for t in s.terms_en]
        self.lexicon = Lexicon(terms_sv, terms_en, self.glossary, extra_sv=LEGAL_PARTS_SV)
        self._sv_words: dict[str, tuple[frozenset[str], frozenset[str], frozenset[str]]] = {}
        self._prefixes = self._prefix_terms(terms_sv)
        weights = [self._query_weights(s) for s in self.specs]
        df: Counter[str] = Counter(t for w in weights for t in w)
        self._idf_default = math.log(1 + len(self.specs)) + 1
        self._idf = {t: math.log((1 + len(self.specs)) / (1 + n)) + 1 for t, n in df.items()}
        self._known = frozenset(df)
        self._queries = [_scaled_to_one({t: w * self._idf[t] for t, w in q.items()}) for q in weights]
        self._terms = [self._subject_terms(s) for s in self.specs]
        self._named = [frozenset(t for term in terms for t in term.named) for terms in self._terms]
        self._eurovoc = [{eurovoc_id(e) for e in s.eurovoc} - {None} for s in self.specs]

    # --- building -----------------------------------------------------------------------------

    def _prefix_terms(self, terms_sv: Sequence[str]) -> dict[str, frozenset[str]]:
        """Beginnings of compounds that stand for a one-word Swedish term: its stem, and its word
        without the final vowel ("förskola" → "förskol", as in "förskoleundervisning")."""
        found: dict[str, set[str]] = defaultdict(set)
        for term in terms_sv:
            content = [w for w in words(term) if w not in STOP_WORDS and len(w) >= 2]
            if len(content) != 1:
                continue
            word = content[0]
            named, _ = self.lexicon.term_tokens(term, SV)
            for head in {stem(word, SV), word[:-1] if word[-1] in "aeiouyåäö" else word}:
                if len(head) >= PREFIX_MIN:
                    found[head] |= named
        return {head: frozenset(tokens) for head, tokens in found.items()}

    def _query_weights(self, spec: ForvaltningSpec) -> dict[str, float]:
        """Token → weight of a förvaltning's query before idf (as the call matcher's areas)."""
        weights: dict[str, float] = defaultdict(float)

        def add(text: str, lang: str, weight: float) -> set[str]:
            named, parts = self.lexicon.term_tokens(text, lang)
            for token in named:
                weights[token] += weight * (CONCEPT_BOOST if token.startswith(("c:", "p:")) else 1.0)
            for token in parts:
                weights[token] += weight * PART_WEIGHT
            self.lexicon.learn_labels(text, lang, 1)
            return named

        named: set[str] = set()
        for term in spec.terms_sv:
            named |= add(term, SV, TERM_WEIGHT)
        for term in spec.terms_en:
            named |= add(term, EN, TERM_WEIGHT)
        for sv, en in self.glossary:
            if concept_id(sv) in named:
                add(sv, SV, GLOSSARY_WEIGHT)
                for equivalent in en:
                    add(equivalent, EN, GLOSSARY_WEIGHT)
        return {token: weight**0.5 for token, weight in weights.items()}

    def _subject_terms(self, spec: ForvaltningSpec) -> list[_Term]:
        terms = []
        for lang, texts in ((SV, spec.terms_sv), (EN, spec.terms_en)):
            for text in texts:
                named, _ = self.lexicon.term_tokens(text, lang)
                stems = frozenset(stem(w, lang) for w in _content(text, short=True))
                if not stems:
                    continue
                if len(stems) > len(_content(text)):
                    # "e-hälsa", "e-health": the analyser drops the "e", and "health" alone is
                    # public health, so such a term matches a label only with all its words
                    named = frozenset()
                covers = set(stems)
                for concept in (t for t in named if t.startswith("c:")):
                    for form_lang, surface, _ in self.lexicon.concept_forms(concept):
                        covers.update(stem(w, form_lang) for w in _content(surface))
                terms.append(_Term(text.strip(), lang, frozenset(named), stems, frozenset(covers)))
        return terms

    # --- analysis -----------------------------------------------------------------------------

    def _sv_word(self, word: str) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
        """A Swedish word's (own tokens, tokens only its later compound parts give, tokens of a term
        it begins with)."""
        known = self._sv_words.get(word)
        if known is not None:
            return known
        tokens = set(self.lexicon.analyze(word, SV))
        parts = self.lexicon.split_compound(word) or ()
        later: set[str] = set()
        if len(parts) > 1:
            first = set(self.lexicon.analyze(parts[0], SV))
            for part in parts[1:]:
                later |= set(self.lexicon.analyze(part, SV))
            later -= first | {stem(word, SV)}
        begins: set[str] = set()
        for n in range(PREFIX_MIN, len(word) - PREFIX_TAIL + 1):
            begins |= self._prefixes.get(word[:n], frozenset())
        result = (frozenset(tokens - later), frozenset(later), frozenset(begins - tokens))
        self._sv_words[word] = result
        return result

    def _definite(self, text: str) -> str:
        """Swedish definite forms in "-an" that Snowball keeps whole ("förskolan", "skolan") written as
        the word they inflect, when that is a profile word; "planen" and "plan" are left alone."""

        def base(match: re.Match[str]) -> str:
            word = match.group(0)
            low = word.lower()
            if stem(low, SV) == low and stem(low[:-1], SV) in self._known:
                return word[:-1]
            return word

        return _DEFINITE.sub(base, text)

    def _counts(self, text: str, lang: str | None) -> dict[str, float]:
        """Token counts of a text without its formulae; later compound parts count PART_WEIGHT."""
        text = _strip_formulae(text)
        if not text.strip():
            return {}
        if lang not in (SV, EN):
            lang = self.lexicon.language_of(_Text(text))
        if lang == SV:
            text = self._definite(text)
        counts: dict[str, float] = defaultdict(float)
        for token in self.lexicon.analyze(text, lang):
            counts[token] += 1.0
        if lang == SV:
            for word in _content(text):
                _, later, begins = self._sv_word(word)
                for token in later:
                    if token in counts:
                        counts[token] -= 1.0 - PART_WEIGHT
                for token in begins:
                    counts[token] += 1.0
        return {t: c for t, c in counts.items() if c > 0}

    def _label(self, text: str, lang: str) -> _Label:
        text = _strip_formulae(text)
        if lang == SV:
            text = self._definite(text)
        content = _content(text)
        per_word = []
        begun: set[str] = set()
        for word in content:
            if lang == SV:
                own, _, begins = self._sv_word(word)
                per_word.append(own | begins | {stem(word, SV)})
                begun |= begins - own
            else:
                per_word.append(frozenset({stem(word, EN), *self.lexicon.analyze(word, EN)}))
        whole = {t for t in self.lexicon.analyze(text, lang) if t.startswith(("c:", "p:"))}
        tokens = frozenset(whole.union(*per_word)) if per_word else frozenset(whole)
        stems = frozenset(stem(w, lang) for w in _content(text, short=True))
        return _Label(lang, per_word, tokens, stems, frozenset(begun - whole))

    def item_vector(self, item: RoutableItem) -> dict[str, float]:
        """The item's weighted tokens, unit length (see the module docstring)."""
        counts: dict[str, float] = defaultdict(float)
        for text, lang, weight in _texts(item):
            for token, n in self._counts(text, lang).items():
                counts[token] += weight * n
        return _normalised(
            {t: _sublinear(n) * self._idf.get(t, self._idf_default) for t, n in counts.items()}
        )

    # --- scoring ------------------------------------------------------------------------------

    def route(self, item: RoutableItem) -> Routing:
        """One item's routing: scores, the förvaltningar at the threshold or above, and why."""
        vector = self.item_vector(item)
        labels = [
            (subject, [self._label(text, lang) for text, lang in _labels(subject)])
            for subject in getattr(item, "subjects", None) or ()
        ]
        scores: dict[str, int] = {}
        raw: dict[str, float] = {}
        why: dict[str, list[str]] = {}
        for n, spec in enumerate(self.specs):
            query = self._queries[n]
            contributions = {t: w * query[t] for t, w in vector.items() if t in query}
            cosine = sum(contributions.values())
            text_score = 100.0 * (cosine / self.reference) ** self.exponent if cosine > 0 else 0.0
            matches = self._subject_matches(n, labels)
            strengths = sorted((m[0] for m in matches), reverse=True)
            subject_score = (
                SUBJECT_POINTS * strengths[0] + SUBJECT_EXTRA * sum(strengths[1:]) if strengths else 0
            )
            raw[spec.key] = text_score + subject_score
            scores[spec.key] = round(min(100.0, raw[spec.key]))
            if scores[spec.key] >= WHY_MIN:
                why[spec.key] = self._why(n, matches, contributions, item)
        routed = sorted(
            (k for k, s in scores.items() if s >= self.threshold and s > 0), key=lambda k: -raw[k]
        )
        return Routing(item.id, scores, routed, why)

    def _subject_matches(
        self, n: int, labels: list[tuple[Any, list[_Label]]]
    ) -> list[tuple[float, str, frozenset[str]]]:
        """(strength, words for why, tokens those words say) of each subject of the item that
        matches förvaltning n."""
        found = []
        for subject, subject_labels in labels:
            if eurovoc_id(getattr(subject, "uri", None)) in self._eurovoc[n]:
                found.append((1.0, _first_label(subject), frozenset()))
                continue
            best: tuple[float, int, int, _Term] | None = None
            said: set[str] = set()  # every matching term's tokens: the other language says the same
            for label in subject_labels:
                for term in self._terms[n]:
                    strength = _strength(term, label)
                    if not strength:
                        continue
                    said |= term.named | term.covers | self._family(term.named)
                    # The term that is the label's own word before one that only begins it
                    # ("energy efficiency", not "energi", for "energieffektivitet"), then Swedish
                    # words for a Swedish reader.
                    exact = int(bool(term.named & (label.tokens - label.begun)) or term.stems <= label.stems)
                    key = (strength, exact, int(term.lang == SV))
                    if best is None or key > best[:3]:
                        best = (*key, term)
            if best is not None:
                found.append((best[0], best[3].surface, frozenset(said)))
        return found

    def _family(self, tokens: Iterable[str]) -> frozenset[str]:
        """The tokens that the glossary's words for these concepts give: what a concept already says."""
        said: set[str] = set()
        for token in tokens:
            if token.startswith("c:"):
                for _, _, needed in self.lexicon.concept_forms(token):
                    said |= needed
        return frozenset(said)

    def _why(
        self,
        n: int,
        matches: list[tuple[float, str, frozenset[str]]],
        contributions: dict[str, float],
        item: RoutableItem,
    ) -> list[str]:
        """The profile's words behind a score: subject matches first, then the largest contributions
        of the förvaltning's whole terms (their parts only when no whole term matched)."""
        chosen: list[str] = []
        said: set[str] = set()
        for _, surface, tokens in sorted(matches, key=lambda m: -m[0]):
            add_label(chosen, surface)
            said |= tokens
        lang = SV if getattr(item, "title_sv", None) else EN
        ranked = sorted(contributions.items(), key=lambda tc: -tc[1])
        named = [t for t, _ in ranked if t in self._named[n]]
        for token in named or [t for t, _ in ranked]:
            if len(chosen) >= WHY_TERMS:
                break
            if token in said:
                continue
            add_label(chosen, self.lexicon.label(token, SV if token.startswith("c:") else lang))
            said |= {token} | self._family([token])
        return chosen[:WHY_TERMS]


@dataclass(frozen=True)
class _Text:
    """Just enough of a MatchInput for `Lexicon.language_of`."""

    text: str
    title: str = ""
    lang: str | None = None


def _strength(term: _Term, label: _Label) -> float:
    """How much of a EuroVoc label a term is: the share of the label's words it covers, or 0.

    The term must be in the label: one of the tokens it names (its stem, a compound the label word
    begins with, its phrase or concept), or all its words in any order ("disabled person" is
    "persons with disabilities")."""
    if not label.words:
        return 0.0
    if not (term.named & label.tokens) and not (len(term.stems) > 1 and term.stems <= label.stems):
        return 0.0
    wanted = term.named | term.covers
    covered = sum(1 for tokens in label.words if tokens & wanted)
    # squared: a term covering half a label ("transport" of "air transport") is a weak sign
    return (covered / len(label.words)) ** 2


def _texts(item: RoutableItem) -> list[tuple[str, str | None, float]]:
    texts: list[tuple[str, str | None, float]] = []
    if getattr(item, "title_sv", None):
        texts.append((item.title_sv or "", SV, TITLE_WEIGHT))
    if getattr(item, "title_en", None):
        texts.append((item.title_en or "", EN, TITLE_WEIGHT))
    if getattr(item, "summary", None):
        texts.append((item.summary, None, SUMMARY_WEIGHT))
    for subject in getattr(item, "subjects", None) or ():
        for text, lang in _labels(subject):
            texts.append((text, lang, SUBJECT_LABEL_WEIGHT))
    return texts


def _labels(subject: Any) -> list[tuple[str, str]]:
    return [
        (text, lang)
        for text, lang in ((getattr(subject, "label_sv", None), SV), (getattr(subject, "label_en", None), EN))
        if text
    ]


def _first_label(subject: Any) -> str:
    return getattr(subject, "label_sv", None) or getattr(subject, "label_en", None) or str(subject.uri)


def _strip_formulae(text: str) -> str:
    for pattern in _FORMULAE:
        text = pattern.sub(" ", text)
    return _FORMULA_WORD.sub(" ", text)


def _content(text: str, short: bool = False) -> list[str]:
    """The words that say something: no stop words, no formulae, and (unless short) no single letters."""
    least = 1 if short else 2
    return [w for w in words(text) if w not in STOP_WORDS and w not in _FORMULA_WORDS and len(w) >= least]


def _sublinear(count: float) -> float:
    # 1 + ln(tf) as scikit-learn's sublinear_tf; a later compound part's fraction of a count stays as it is
    return 1.0 + math.log(count) if count >= 1 else count


def _scaled_to_one(vector: dict[str, float]) -> dict[str, float]:
    top = max(vector.values(), default=0.0)
    return {t: w / top for t, w in vector.items()} if top else {}


def _normalised(vector: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(w * w for w in vector.values()))
    return {t: w / norm for t, w in vector.items()} if norm else {}


__all__ = [
    "DEFAULT_THRESHOLD",
    "ForvaltningSpec",
    "Router",
    "Routing",
    "eurovoc_id",
    "glossary_from_profile",
    "route",
    "specs_from_profile",
]
