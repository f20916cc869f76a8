"""What the matchers read: priority areas, the bilingual glossary, and calls reduced to their text.

Plain records without behaviour, so that the profile loader (monitor/profile.py) can build them from
profile.yaml and the store's rows and the sources' `Call`s can be turned into them without the
matchers knowing about either.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

# (Swedish term, [English equivalents]): one concept each, e.g. ("vänort", ["town twinning", "twin town"]).
Glossary = list[tuple[str, list[str]]]


@dataclass(frozen=True)
class AreaSpec:
    """One priority area of the profile: what a call must be about to matter for it."""

    key: str  # e.g. "vanort"
    name: str  # Swedish name, e.g. "Vänortssamarbete och kommunala partnerskap"
    description: str = ""  # drawn from the strategy, Swedish
    terms_sv: Sequence[str] = ()
    terms_en: Sequence[str] = ()
    threshold: int = 40  # score from which a call counts as a match for the area
    # "theme": the area is a subject of international work (domestic calls rank lower, calls only
    # the municipality's companies or associations can use stay up); "funding": the area is about
    # the municipality itself applying or partnering (domestic calls count fully, calls it cannot
    # apply to sink). None: "funding" when the key or name says so (finansiering, funding), else "theme".
    kind: str | None = None

    @property
    def funding(self) -> bool:
        if self.kind is not None:
            return self.kind == "funding"
        text = f"{self.key} {self.name}".lower()
        return any(word in text for word in ("finansiering", "funding", "financing"))


@dataclass(frozen=True)
class Context:
    """Secondary context of every area (Agenda 2030, the regional strategy): terms that count less."""

    terms_sv: Sequence[str] = ()
    terms_en: Sequence[str] = ()
    weight: float = 0.2  # against an area's own terms (1)


@dataclass(frozen=True)
class MatchInput:
    """A call as the matchers see it: an id, a title, one text, keywords, the programme, a language."""

    id: str
    title: str
    text: str = ""
    keywords: Sequence[str] = ()
    programme: str | None = None
    lang: str | None = None  # "sv", "en", or None to let the analyser decide
    action_types: Sequence[str] = ()  # the portal's types of action ("HORIZON-RIA HORIZON Research …")


@dataclass(frozen=True)
class Example:
    """A labelled call: how the municipality rates it per area (0, 1, 2; a missing area is 0)."""

    call: MatchInput
    labels: Mapping[str, int]


def match_input_from_call(call: Any) -> MatchInput:
    """A `monitor.records.Call` (or anything with its attributes) as matcher input.

    The text is the call title (the call a topic belongs to says what the topic is for: "Call for
    proposals for town-twinning and networks of towns"), the description and the conditions.
    """
    return MatchInput(
        id=call.id,
        title=call.title or "",
        text=_join(getattr(call, "call_title", None), call.description, call.conditions),
        keywords=list(call.keywords or []),
        programme=call.programme,
        lang=call.language,
        action_types=list(getattr(call, "types_of_action", None) or []),
    )


def match_input_from_row(row: Mapping[str, Any]) -> MatchInput:
    """A row of the store's `calls` table (keywords as JSON text) as matcher input."""
    keywords = _json_list(row.get("keywords"))
    return MatchInput(
        id=row["id"],
        title=row.get("title") or "",
        text=_join(row.get("call_title"), row.get("description"), row.get("conditions")),
        keywords=keywords,
        programme=row.get("programme"),
        lang=row.get("language"),
        action_types=_json_list(row.get("types_of_action")),
    )


def match_input_from_labelled(line: Mapping[str, Any]) -> MatchInput:
    """A line of a labelled set (`{"id", "title", "text", "lang", "labels"}`, `eumonitor evaluate`'s
    format) as matcher input."""
    return MatchInput(
        id=str(line["id"]), title=line.get("title") or "", text=line.get("text") or "", lang=line.get("lang")
    )


def from_profile(profile: Any) -> tuple[list[AreaSpec], Glossary, Context | None]:
    """Areas, glossary and context from a loaded profile.yaml (`monitor.profile.Profile`).

    Read by attribute, so that the matchers need not import the profile's loader: `areas` maps keys
    to objects with name, description, terms_sv, terms_en, threshold (and optionally kind);
    `glossary` maps Swedish terms to English ones; `context` has `themes` (with terms_sv, terms_en)
    and `weight`.
    """
    areas = [
        AreaSpec(
            key=key,
            name=area.name,
            description=area.description or "",
            terms_sv=tuple(area.terms_sv),
            terms_en=tuple(area.terms_en),
            threshold=round(area.threshold),
            kind=getattr(area, "kind", None),
        )
        for key, area in profile.areas.items()
    ]
    glossary: Glossary = [(sv, list(en)) for sv, en in (profile.glossary or {}).items()]
    context = None
    source = getattr(profile, "context", None)
    if source is not None and source.themes:
        themes = list(source.themes.values())
        context = Context(
            terms_sv=tuple(t for theme in themes for t in theme.terms_sv),
            terms_en=tuple(t for theme in themes for t in theme.terms_en),
            weight=float(source.weight),
        )
    return areas, glossary, context


def profile_fingerprint(
    areas: Iterable[AreaSpec],
    glossary: Glossary,
    context: Context | None = None,
    examples: Sequence[Example] = (),
) -> str:
    """A digest of everything in the profile the matcher depends on: a change means refit."""
    payload = json.dumps(
        {
            "examples": [
                [e.call.id, e.call.title, e.call.text, e.call.lang, dict(e.labels)] for e in examples
            ]
            or None,
            "areas": [
                [a.key, a.name, a.description, list(a.terms_sv), list(a.terms_en), a.funding] for a in areas
            ],
            "glossary": [[sv, list(en)] for sv, en in glossary],
            "context": [list(context.terms_sv), list(context.terms_en), context.weight] if context else None,
        },
        ensure_ascii=False,
        sort_keys=True,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


def _join(*parts: str | None) -> str:
    return "\n".join(p for p in parts if p)


def _json_list(value: Any) -> list[str]:
    """A list column of the store (JSON text), or a list already; a bare string is one item."""
    if isinstance(value, str):
        try:
            value = json.loads(value) if value.strip() else []
        except ValueError:
            value = [value]
    if not isinstance(value, list):
        value = [value] if value else []
    return [str(v) for v in value if v]
