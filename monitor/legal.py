"""Legal items: the records of the directive monitor (EU acts, proposals, consultations, Swedish referrals).

One item is one act or one consultation, whichever source saw it. Acts are keyed by CELEX
(`celex:32022L2555`), so an act that both the EUR-Lex feed and the Cellar SPARQL endpoint list is one
record; a Have your say initiative is keyed `hys:<id>`, a Swedish referral `regeringen:<guid>`.

CELEX (see ../shared/SOURCES.md): sector digit, year, type letter(s), number, maybe a suffix:
- sector 3 (legislation): `L` directive, `R` regulation, `D` decision (`32022L2555` is NIS2);
- sector 0: a consolidated version of a sector-3 act (`02020L2184-20240112`), same kind;
- sector 5 (preparatory acts): `PC` Commission proposals for legislation, `DC` other COM documents
  (communications, reports) that the monitor treats as proposals too;
- a corrigendum carries the act's own CELEX with `R(01)` appended (`32020L2184R(03)`), same kind;
- anything else (case law 6…, national measures 7…, treaties 1…) has no kind here: celex_kind → None.

Dates: `date` is the document's own date (adoption, or the Commission's for a proposal), `published`
when the source published it (OJ, feed), `created` when it entered the source (Cellar ingestion, a
consultation's opening). A transposition deadline is a date without time: the directive's own wording
("by 17 October 2024") names a day.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import date, datetime
from typing import Any
from urllib.parse import unquote

from monitor.records import digest as _digest

KINDS = ("directive", "regulation", "decision", "proposal", "consultation", "referral")

EURLEX_PAGE = "https://eur-lex.europa.eu/legal-content/{lang}/TXT/?uri=CELEX:{celex}"

# Sector, year, type (one or two letters), number, then whatever follows (corrigendum, version date).
CELEX = re.compile(r"^([0-9CE])(\d{4})([A-Z]{1,2})(\d{1,5})(.*)$")
# A CELEX inside a longer text: "CELEX:32026L1472: Directive …", "?uri=CELEX%3A32026L1472&…".
CELEX_IN_TEXT = re.compile(r"CELEX(?::|%3A)\s*([0-9CE]\d{4}[A-Z]{1,2}\d{1,5}(?:R\(\d+\)|-\d{8})?)", re.I)
_SECTOR3_KINDS = {"L": "directive", "R": "regulation", "D": "decision"}
_SECTOR5_KINDS = {"PC": "proposal", "DC": "proposal"}


def normalize_celex(text: str | None) -> str | None:
    """`celex:32022l2555`, `CELEX%3A32022L2555`, ` 32022L2555 ` → `32022L2555`; None when it is no CELEX."""
    if not text:
        return None
    value = unquote(text).strip()
    if value.lower().startswith("celex:"):
        value = value[6:].strip()
    value = value.upper()
    return value if CELEX.match(value) else None


def celex_kind(celex: str | None) -> str | None:
    """The kind of act a CELEX number names, or None when it is none the monitor follows."""
    value = normalize_celex(celex)
    if value is None:
        return None
    sector, _year, letters, _number, _rest = CELEX.match(value).groups()  # type: ignore[union-attr]
    if sector in ("3", "0"):
        return _SECTOR3_KINDS.get(letters)
    if sector == "5":
        return _SECTOR5_KINDS.get(letters)
    return None


def celex_url(celex: str, lang: str = "SV") -> str:
    """The EUR-Lex page of an act in a language (SV for people in Åmål, EN as the fallback)."""
    return EURLEX_PAGE.format(lang=lang.upper(), celex=celex)


@dataclass(frozen=True)
class Subject:
    """A subject an item is about: a EuroVoc concept (uri, Swedish and English labels) or a source's topic."""

    uri: str | None = None
    label_sv: str | None = None
    label_en: str | None = None

    @property
    def labels(self) -> list[str]:
        return [label for label in (self.label_sv, self.label_en) if label]


@dataclass
class LegalItem:
    """One EU act, proposal or consultation, or one Swedish referral, as a source describes it."""

    id: str  # celex:<CELEX> for acts, hys:<id> for consultations, <source>:<key> otherwise
    kind: str  # one of KINDS
    source: str  # the source id in sources.yaml
    celex: str | None = None
    other_id: str | None = None  # Cellar work id, consultation reference, COM number …
    act_type: str | None = None  # the source's own type: "DIR_IMPL", "PROPOSAL_FOR_A_DIRECTIVE" …
    title_sv: str | None = None
    title_en: str | None = None
    date: date | None = None  # the document's date
    published: date | None = None  # when the source published it
    created: date | None = None  # when it entered the source (Cellar ingestion, consultation opening)
    in_force: bool | None = None
    transposition_deadlines: list[date] = field(default_factory=list)
    subjects: list[Subject] = field(default_factory=list)
    url: str | None = None  # Swedish EUR-Lex page for acts
    url_en: str | None = None
    feedback_start: datetime | None = None  # consultations: the current feedback period
    feedback_end: datetime | None = None
    stage: str | None = None  # consultations: the initiative's stage ("OPC_LAUNCHED" …)
    summary: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"okänd typ av rättsakt {self.kind!r} (kända: {', '.join(KINDS)})")

    @classmethod
    def for_act(cls, celex: str, kind: str, source: str, **values: Any) -> LegalItem:
        """An act keyed by its CELEX, with the Swedish and English EUR-Lex pages as links."""
        values.setdefault("url", celex_url(celex, "SV"))
        values.setdefault("url_en", celex_url(celex, "EN"))
        return cls(id=f"celex:{celex}", kind=kind, source=source, celex=celex, **values)

    @property
    def title(self) -> str:
        """The title to show a Swedish reader: Swedish when there is one, else English, else the id."""
        return self.title_sv or self.title_en or self.id

    @property
    def subject_labels(self) -> list[str]:
        """Every subject label, Swedish and English, without repeats (for matching)."""
        out: list[str] = []
        for subject in self.subjects:
            for label in subject.labels:
                if label not in out:
                    out.append(label)
        return out

    @property
    def next_transposition(self) -> date | None:
        return min(self.transposition_deadlines) if self.transposition_deadlines else None

    def digest(self) -> str:
        """A digest of everything the item holds; equal digests mean nothing changed."""
        return _digest(
            value if isinstance(value, str) else "\x00" if value is None else repr(value)
            for value in (getattr(self, f.name) for f in fields(self))
        )

    def completeness(self) -> tuple[int, ...]:
        """How much the item says, to prefer the fuller of two copies (SPARQL over a bare feed item)."""
        return (
            int(bool(self.title_sv)),
            len(self.subjects),
            len(self.transposition_deadlines),
            int(self.date is not None),
            int(bool(self.title_en)),
            len(self.summary),
        )

    def merged_with(self, other: LegalItem) -> LegalItem:
        """This item with its empty fields filled from `other` (another source's copy of the same act)."""
        if other.id != self.id:
            raise ValueError(f"{self.id} och {other.id} är inte samma rättsakt")
        changes: dict[str, Any] = {}
        for f in fields(self):
            mine, theirs = getattr(self, f.name), getattr(other, f.name)
            if mine in (None, "", []) and theirs not in (None, "", []):
                changes[f.name] = theirs
        return replace(self, **changes) if changes else self

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data: dates as ISO text, subjects as mappings."""
        data = asdict(self)
        for name, value in data.items():
            if isinstance(value, date | datetime):
                data[name] = value.isoformat()
        data["transposition_deadlines"] = [d.isoformat() for d in self.transposition_deadlines]
        return data


@dataclass
class LegalPage:
    """What one fetched answer of a legal source held: the counterpart of sources.ParsedPage.

    `listings` is always empty (there are no calls here); it is kept so that code written for
    ParsedPage (the runner's loop) reads a LegalPage without failing. The items are in `items`.
    """

    items: list[LegalItem]
    total: int | None = None
    rows: int = 0
    dropped: int = 0
    warnings: list[str] = field(default_factory=list)
    # False when the answer lists only part of what the source holds (new items since a marker,
    # a feed of the latest items): nothing is concluded from an item's absence.
    complete: bool = False
    listings: list = field(default_factory=list)


__all__ = [
    "CELEX",
    "CELEX_IN_TEXT",
    "KINDS",
    "LegalItem",
    "LegalPage",
    "Subject",
    "celex_kind",
    "celex_url",
    "normalize_celex",
]
