"""profile.yaml: the municipality, its six priority areas, its förvaltningar and a glossary.

The profile is what the matcher (matchers/) scores calls against, and it tells monitor.regions where
the municipality is (`Profile.home()`). A municipality edits the file, not the code.

It is validated whole, the way sources.yaml is (monitor.config): every problem is reported at once,
each naming the file, the line, the key path (``areas.vanort.threshold``) and what to do about it.
Unknown keys are errors, with a suggestion when one is close.
"""

from __future__ import annotations

import dataclasses
import os
import re
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from monitor.areas import AREA_KEYS
from monitor.config import LineDict, _coerce, _suggest, load_yaml
from monitor.errors import ConfigError
from monitor.regions import Home

PROFILE_ENV = "EUMONITOR_PROFILE"
DEFAULT_PROFILE_FILE = "profile.yaml"

DEFAULT_THRESHOLD = 40.0
DEFAULT_CONTEXT_WEIGHT = 0.3

KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
NUTS3_PATTERN = re.compile(r"^[A-Z]{2}[0-9A-Z]{3}$")
COUNTRY_PATTERN = re.compile(r"^[A-Z]{2}$")
LANGUAGE_PATTERN = re.compile(r"^[a-z]{2}$")
NUTS_COUNTRY = {"GR": "EL", "GB": "UK"}  # NUTS writes Greece EL (and wrote the United Kingdom UK)


def _m(help: str, **checks: Any) -> dict[str, Any]:
    """A field's metadata: what to write in it (for messages) and what the reader checks."""
    return {"help": help, **checks}


@dataclass(frozen=True)
class Municipality:
    """Who the profile is for, and where it is."""

    name: str = field(metadata=_m("kommunens namn, t.ex. 'Åmåls kommun'"))
    country: str = field(metadata=_m("landskoden med två versaler, t.ex. SE"))
    region: str = field(metadata=_m("länet eller regionen, t.ex. 'Västra Götaland'"))
    nuts: str = field(metadata=_m("kommunens NUTS 3-kod, t.ex. SE232 (Västra Götalands län)"))
    languages: tuple[str, ...] = field(metadata=_m("språken utlysningar läses på, t.ex. [sv, en]"))
    region_names: tuple[str, ...] = field(
        metadata=_m(
            "namn som en utlysning kan använda för ett område som omfattar kommunen, "
            "t.ex. [Dalsland, Sverige]"
        )
    )

    def check(self) -> list[tuple[str, str]]:
        problems = []
        if not COUNTRY_PATTERN.match(self.country):
            problems.append(("country", f"'{self.country}' är ingen landskod; skriv två versaler, t.ex. SE."))
        if not NUTS3_PATTERN.match(self.nuts):
            problems.append(
                (
                    "nuts",
                    f"'{self.nuts}' är ingen NUTS 3-kod; skriv landskoden och tre tecken med versaler, "
                    "t.ex. SE232 för Västra Götalands län (se eurostat.ec.europa.eu, NUTS).",
                )
            )
        elif COUNTRY_PATTERN.match(self.country):
            country = NUTS_COUNTRY.get(self.country, self.country)
            if not self.nuts.startswith(country):
                problems.append(
                    (
                        "nuts",
                        f"'{self.nuts}' ligger inte i landet '{self.country}'; en NUTS-kod börjar med "
                        f"landskoden ({country}…). Rätta 'nuts' eller 'country'.",
                    )
                )
        for language in self.languages:
            if not LANGUAGE_PATTERN.match(language):
                problems.append(
                    (
                        "languages",
                        f"'{language}' är ingen språkkod; skriv två gemena bokstäver (ISO 639-1), "
                        "t.ex. sv, en.",
                    )
                )
        return problems


@dataclass(frozen=True)
class Area:
    """One priority area: what it is, the words that show it, and the score a call needs."""

    name: str = field(metadata=_m("områdets svenska namn"))
    description: str = field(metadata=_m("vad området är, med strategins egna ord"))
    terms_sv: tuple[str, ...] = field(metadata=_m("svenska söktermer, t.ex. [vänort, vänortssamarbete]"))
    terms_en: tuple[str, ...] = field(metadata=_m("engelska söktermer, t.ex. [town twinning, twin towns]"))
    threshold: float = field(
        default=DEFAULT_THRESHOLD, metadata=_m("poängen 0–100 som en utlysning behöver", range=(0, 100))
    )


@dataclass(frozen=True)
class Theme:
    """One part of the secondary context (Agenda 2030, the regional strategy …)."""

    name: str = field(metadata=_m("temats namn, t.ex. 'Agenda 2030'"))
    terms_sv: tuple[str, ...] = field(metadata=_m("svenska termer"))
    terms_en: tuple[str, ...] = field(metadata=_m("engelska termer"))


@dataclass(frozen=True)
class Context:
    """Secondary context: themes whose terms count less than an area's own."""

    themes: dict[str, Theme] = field(
        metadata=_m("teman med name, terms_sv och terms_en, t.ex. 'agenda2030:'", keyed=True)
    )
    weight: float = field(
        default=DEFAULT_CONTEXT_WEIGHT,
        metadata=_m("hur mycket sammanhangets termer väger mot ett områdes egna, 0–1", range=(0, 1)),
    )


@dataclass(frozen=True)
class Subjects:
    """What a förvaltning works with, in both languages."""

    sv: tuple[str, ...] = field(metadata=_m("svenska ämnesord, t.ex. [dricksvatten, avlopp]"))
    en: tuple[str, ...] = field(metadata=_m("engelska ämnesord, t.ex. [drinking water, waste water]"))


@dataclass(frozen=True)
class Forvaltning:
    """One förvaltning (administration): which areas and subjects concern it."""

    name: str = field(metadata=_m("förvaltningens namn"))
    areas: tuple[str, ...] = field(
        metadata=_m("områdena som berör förvaltningen, t.ex. [ungdom, kompetens]", choices=AREA_KEYS)
    )
    subjects: Subjects = field(metadata=_m("ämnen med 'sv:' och 'en:'"))


EMAIL_PATTERN = re.compile(r"^[^@\s<>,;\"]+@[^@\s<>,;\"]+\.[^@\s<>,;\"]+$")
ALL_AREAS = "all"


@dataclass(frozen=True)
class Recipient:
    """Who gets the weekly digest: an address list, the areas it follows and the score they need."""

    id: str = field(metadata=_m("mottagarens id, t.ex. 'kansliet' eller 'buf'", key=True))
    name: str = field(metadata=_m("mottagarens namn, t.ex. 'Kansli- och utredningsenheten'"))
    emails: tuple[str, ...] = field(metadata=_m("e-postadresser, t.ex. [kansliet@amal.se]"))
    areas: tuple[str, ...] = field(
        metadata=_m("områdena mottagaren följer, t.ex. [ungdom, kompetens], eller all", choices=AREA_KEYS,
                    all_ok=True)
    )  # fmt: skip
    min_score: float = field(
        default=DEFAULT_THRESHOLD,
        metadata=_m("lägsta poäng 0–100 för att en utlysning ska komma med", range=(0, 100)),
    )
    health: bool = field(
        default=False, metadata=_m("true om mottagaren också ska få besked när en källa slutat fungera")
    )
    forvaltning: str | None = field(
        default=None, metadata=_m("förvaltningens nyckel, t.ex. buf (för direktiv och påminnelser)")
    )

    def check(self) -> list[tuple[str, str]]:
        return [
            ("emails", f"'{email}' är ingen e-postadress; skriv t.ex. namn@amal.se.")
            for email in self.emails
            if not EMAIL_PATTERN.match(email)
        ]


@dataclass(frozen=True)
class Notifications:
    """How the digest, reminders and source-health notices behave."""

    send_empty: bool = field(
        default=False, metadata=_m("true för att skicka veckobrevet även när inget nytt finns")
    )
    upcoming_days: float = field(
        default=30,
        metadata=_m("hur många dagar framåt veckobrevet visar sista ansökningsdagar", range=(1, 365)),
    )
    reminder_days: tuple[str, ...] = field(
        default=("30", "14", "7", "1"),
        metadata=_m("dagar före sista dag som påminnelser skickas, t.ex. [30, 14, 7, 1]", integers=(1, 365)),
    )
    failures_before_notice: float = field(
        default=3, metadata=_m("misslyckade körningar i rad innan en källa rapporteras", range=(1, 100))
    )


@dataclass(frozen=True)
class Schedule:
    """When `eumonitor schedule` runs each job (crontab lines, Europe/Stockholm)."""

    collect: str = field(default="0 6 * * *", metadata=_m("insamling och matchning, t.ex. '0 6 * * *'"))
    digest: str = field(default="0 7 * * mon", metadata=_m("veckobrevet, t.ex. '0 7 * * mon'"))
    reminders: str = field(
        default="30 7 * * *", metadata=_m("påminnelser, källbesked och direktivlarm, t.ex. '30 7 * * *'")
    )
    timezone: str = field(default="Europe/Stockholm", metadata=_m("tidszon, t.ex. Europe/Stockholm"))
    misfire_grace_minutes: float = field(
        default=120, metadata=_m("hur sent ett missat jobb ännu får köras, i minuter", range=(1, 1440))
    )

    def check(self) -> list[tuple[str, str]]:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        problems = []
        for key in ("collect", "digest", "reminders"):
            error = cron_problem(getattr(self, key), self.timezone)
            if error:
                problems.append((key, error))
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            problems.append(
                ("timezone", f"'{self.timezone}' är ingen känd tidszon; skriv t.ex. Europe/Stockholm.")
            )
        return problems


def cron_problem(line: str, timezone: str = "Europe/Stockholm") -> str | None:
    """Why a crontab line cannot be used, in Swedish, or None."""
    if len(line.split()) != 5:
        return (
            f"'{line}' är ingen crontab-rad; skriv fem fält: minut timme dag månad veckodag, "
            "t.ex. '0 7 * * mon' (måndagar kl. 7.00)."
        )
    from apscheduler.triggers.cron import CronTrigger

    try:
        CronTrigger.from_crontab(line, timezone="UTC")
    except ValueError as exc:
        return f"'{line}' kan inte tolkas ({exc}); skriv t.ex. '0 7 * * mon'."
    return None


@dataclass(frozen=True)
class Profile:
    """A validated profile.yaml."""

    municipality: Municipality = field(
        metadata=_m("kommunen: name, country, region, nuts, languages, region_names")
    )
    areas: dict[str, Area] = field(
        metadata=_m(f"de sex prioriterade områdena ({', '.join(AREA_KEYS)})", keys=AREA_KEYS, keyed=True)
    )
    forvaltningar: dict[str, Forvaltning] = field(
        metadata=_m("förvaltningarna, t.ex. 'ksf:' med name, areas och subjects", keyed=True)
    )
    context: Context = field(
        default_factory=lambda: Context(themes={}, weight=DEFAULT_CONTEXT_WEIGHT),
        metadata=_m("sammanhanget: weight och themes"),
    )
    glossary: dict[str, tuple[str, ...]] = field(
        default_factory=dict,
        metadata=_m(
            "svenska termer med sina engelska motsvarigheter, t.ex. 'vänort: [town twinning]'",
            item_help="engelska motsvarigheter, t.ex. [town twinning, twin towns]",
        ),
    )
    examples: tuple[str, ...] = field(
        default=(),
        metadata=_m(
            "märkta exempelutlysningar som visar matchningen hur områdenas utlysningar brukar låta: "
            "en JSONL-fil (eller en lista av filer) i samma format som eumonitor evaluate, sökvägen "
            "relativ till profilen",
            one_ok=True,
        ),
    )
    recipients: tuple[Recipient, ...] = field(
        default=(),
        metadata=_m("mottagarna av veckobrevet, en lista med id, name, emails, areas och min_score"),
    )
    notifications: Notifications = field(
        default_factory=Notifications,
        metadata=_m(
            "veckobrev och påminnelser: send_empty, upcoming_days, reminder_days, failures_before_notice"
        ),
    )
    schedule: Schedule = field(
        default_factory=Schedule,
        metadata=_m("när jobben körs: collect, digest, reminders (crontab-rader), timezone"),
    )
    path: str = field(default="", metadata={"yaml": False})

    def check(self) -> list[tuple[str, str]]:
        problems = []
        for recipient in self.recipients:
            if recipient.forvaltning and recipient.forvaltning not in self.forvaltningar:
                problems.append(
                    (
                        "recipients",
                        f"mottagaren '{recipient.id}': förvaltningen '{recipient.forvaltning}' finns "
                        f"inte under forvaltningar ({', '.join(self.forvaltningar)}).",
                    )
                )
        return problems

    def examples_paths(self) -> list[Path]:
        """The examples files, relative to the profile's own folder."""
        # resolved: the demo reads the shipped profile through a symbolic link
        folder = Path(self.path).resolve().parent if self.path else Path()
        return [folder / name for name in self.examples]

    def recipient(self, recipient_id: str) -> Recipient | None:
        return next((r for r in self.recipients if r.id == recipient_id), None)

    def home(self) -> Home:
        """Where the municipality is, for monitor.regions.open_to."""
        m = self.municipality
        return Home(nuts=m.nuts, names=m.region_names, extra=(m.name, m.region))


# --- reading ----------------------------------------------------------------------------------


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "…"


def _yaml_fields(cls: type) -> list[dataclasses.Field]:
    return [f for f in dataclasses.fields(cls) if f.metadata.get("yaml", True)]


def _required(f: dataclasses.Field) -> bool:
    return f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING


class _Reader:
    """Walks the YAML along the dataclasses above, collecting (line, message) problems."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[tuple[int, str]] = []

    def problem(self, line: int, key: str, message: str) -> None:
        self.problems.append((line, f"{self.path}:{line}: nyckel '{key}': {message}"))

    def duplicates(self, data: LineDict, prefix: str) -> None:
        for key, line in data.duplicate_keys:
            self.problems.append(
                (line, f"{self.path}:{line}: nyckeln '{prefix}{key}' står två gånger; ta bort den ena.")
            )

    def unknown(self, line: int, key: str, parent: str, known: list[str]) -> None:
        where = f"under '{parent}'" if parent else "på översta nivån"
        self.problems.append(
            (
                line,
                f"{self.path}:{line}: okänd nyckel '{_join(parent, key)}' (tillåtna {where}: "
                f"{', '.join(known)}).{_suggest(str(key), known)}",
            )
        )

    def obj(self, cls: type, data: Any, keypath: str, line: int) -> Any:
        """A dataclass from a mapping, or None when anything in it is wrong."""
        fields = _yaml_fields(cls)
        known = [f.name for f in fields]
        if not isinstance(data, LineDict):
            self.problem(line, keypath, f"måste vara en mappning med nycklarna {', '.join(known)}.")
            return None
        prefix = f"{keypath}." if keypath else ""
        self.duplicates(data, prefix)
        for key in data:
            if key not in known:
                self.unknown(data.key_lines.get(key, data.line), str(key), keypath, known)
        before = len(self.problems)
        hints = typing.get_type_hints(cls)
        values: dict[str, Any] = {}
        for f in fields:
            if f.name not in data:
                if _required(f):
                    self.problem(line, prefix + f.name, f"saknas; lägg till {f.metadata['help']}.")
                continue
            value = self.value(
                hints[f.name], data[f.name], prefix + f.name, data.key_lines.get(f.name, line), f.metadata
            )
            if value is not None:
                values[f.name] = value
        if len(self.problems) > before:
            return None
        made = cls(**values)
        for key, message in made.check() if hasattr(made, "check") else []:
            self.problem(data.key_lines.get(key, line), prefix + key, message)
        return None if len(self.problems) > before else made

    def value(self, tp: Any, value: Any, keypath: str, line: int, meta: Any) -> Any:
        help_text = meta.get("help", "")
        if dataclasses.is_dataclass(tp):
            return self.obj(tp, value, keypath, line)
        if typing.get_origin(tp) is dict:
            return self.mapping(typing.get_args(tp)[1], value, keypath, line, meta)
        if tp == tuple[str, ...]:
            if meta.get("one_ok") and isinstance(value, str):
                value = [value]  # one file needs no list
            if meta.get("all_ok") and value == ALL_AREAS:
                return tuple(meta["choices"])
            if meta.get("integers"):
                return self.integers(value, keypath, line, help_text, meta["integers"])
            return self.terms(value, keypath, line, help_text, meta.get("choices"))
        if typing.get_origin(tp) is tuple and dataclasses.is_dataclass(typing.get_args(tp)[0]):
            return self.objects(typing.get_args(tp)[0], value, keypath, line, help_text)
        if tp is bool:
            if not isinstance(value, bool):
                self.problem(line, keypath, f"måste vara true eller false, inte {_short(value)}.")
                return None
            return value
        if tp == str | None:
            if value is None:
                return None
            return self.value(str, value, keypath, line, meta)
        if tp is str:
            if value is None or (isinstance(value, str) and not value.strip()):
                self.problem(line, keypath, f"är tom; skriv {help_text}.")
                return None
            if not isinstance(value, str):
                self.problem(line, keypath, f"måste vara en text, inte {_short(value)}; skriv {help_text}.")
                return None
            return value.strip()
        if tp is float:
            ok, number = _coerce(value, float)
            low, high = meta["range"]
            if not ok:
                self.problem(line, keypath, f"måste vara ett tal {low}–{high}, inte {_short(value)}.")
                return None
            if not low <= number <= high:
                self.problem(
                    line, keypath, f"måste vara mellan {low} och {high}, inte {value}; skriv {help_text}."
                )
                return None
            return number
        raise TypeError(f"profile field of unsupported type {tp}")  # a programming error, not the user's

    def terms(
        self, value: Any, keypath: str, line: int, help_text: str, choices: tuple[str, ...] | None
    ) -> tuple[str, ...] | None:
        if value is None or value == []:
            self.problem(line, keypath, f"listan är tom; lägg till {help_text}.")
            return None
        if not isinstance(value, list):
            self.problem(
                line,
                keypath,
                f"måste vara en lista, inte {_short(value)}; skriv {help_text} (med [ ] eller '- ').",
            )
            return None
        terms: list[str] = []
        ok = True
        for index, item in enumerate(value, start=1):
            if isinstance(item, str) and item.strip():
                terms.append(item.strip())
            elif isinstance(item, str) or item is None:
                self.problem(line, keypath, f"post {index} är tom; ta bort den eller skriv en term.")
                ok = False
            else:
                self.problem(
                    line,
                    keypath,
                    f'post {index} ({_short(item)}) är ingen text; sätt citattecken runt den: "{item}".',
                )
                ok = False
        for term in terms if choices else []:
            if term not in choices:
                self.problem(
                    line,
                    keypath,
                    f"okänt område '{term}'; områdena är {', '.join(choices)}."
                    f"{_suggest(term, list(choices))}",
                )
                ok = False
        return tuple(terms) if ok else None

    def integers(
        self, value: Any, keypath: str, line: int, help_text: str, bounds: tuple[int, int]
    ) -> tuple[str, ...] | None:
        """A list of whole numbers (kept as text, like terms), each within bounds."""
        if not isinstance(value, list) or not value:
            self.problem(line, keypath, f"måste vara en lista med heltal; skriv {help_text}.")
            return None
        low, high = bounds
        numbers = []
        for index, item in enumerate(value, start=1):
            if isinstance(item, bool) or not isinstance(item, int) or not low <= item <= high:
                self.problem(
                    line, keypath, f"post {index} ({_short(item)}) ska vara ett heltal {low}–{high}."
                )
                return None
            numbers.append(str(item))
        return tuple(numbers)

    def objects(self, cls: type, value: Any, keypath: str, line: int, help_text: str) -> tuple | None:
        """A list of mappings, each one `cls`, with unique ids (the field marked key=True)."""
        if value is None or value == []:
            return ()
        if not isinstance(value, list):
            self.problem(line, keypath, f"måste vara en lista ('- id: …'); skriv {help_text}.")
            return None
        id_field = next(f.name for f in _yaml_fields(cls) if f.metadata.get("key"))
        before = len(self.problems)
        made: list[Any] = []
        seen: set[str] = set()
        for index, item in enumerate(value, start=1):
            item_line = item.line if isinstance(item, LineDict) else line
            item_id = item.get(id_field) if isinstance(item, LineDict) else None
            where = f"{keypath}[{item_id}]" if isinstance(item_id, str) else f"{keypath}[{index}]"
            if isinstance(item_id, str):
                if not KEY_PATTERN.match(item_id):
                    self.problem(
                        item_line,
                        f"{where}.{id_field}",
                        "ogiltigt id; använd små bokstäver a–z, siffror och '_', t.ex. 'kansliet'.",
                    )
                elif item_id in seen:
                    self.problem(
                        item_line,
                        f"{where}.{id_field}",
                        f"'{item_id}' står två gånger; ge varje ett eget id.",
                    )
                seen.add(item_id)
            obj = self.obj(cls, item, where, item_line)
            if obj is not None:
                made.append(obj)
        return None if len(self.problems) > before else tuple(made)

    def mapping(self, item_type: Any, value: Any, keypath: str, line: int, meta: Any) -> dict | None:
        help_text = meta["help"]
        if value is None or value == {}:
            self.problem(line, keypath, f"är tom; lägg till {help_text}.")
            return None
        if not isinstance(value, LineDict):
            self.problem(
                line,
                keypath,
                f"måste vara en mappning (nyckel: värde), inte {_short(value)}; skriv {help_text}.",
            )
            return None
        self.duplicates(value, f"{keypath}.")
        fixed: tuple[str, ...] | None = meta.get("keys")
        before = len(self.problems)
        items: dict[str, Any] = {}
        for key, item in value.items():
            key_line = value.key_lines.get(key, value.line) if isinstance(key, str) else value.line
            if fixed is not None and key not in fixed:
                self.problems.append(
                    (
                        key_line,
                        f"{self.path}:{key_line}: okänd nyckel '{keypath}.{key}': områdena är "
                        f"{', '.join(fixed)}; byt namn på nyckeln till ett av dem."
                        f"{_suggest(str(key), list(fixed))}",
                    )
                )
                continue
            if not isinstance(key, str) or not key.strip():
                self.problem(
                    key_line, f"{keypath}.{key}", "nyckeln måste vara en text; sätt citattecken runt den."
                )
                continue
            if meta.get("keyed") and not KEY_PATTERN.match(key):
                self.problem(
                    key_line,
                    f"{keypath}.{key}",
                    "ogiltig nyckel; använd små bokstäver a–z, siffror och '_' (t.ex. 'sbf'), "
                    "högst 40 tecken.",
                )
                continue
            item_meta = {"help": meta.get("item_help", help_text)}
            made = self.value(item_type, item, f"{keypath}.{key}", key_line, item_meta)
            if made is not None:
                items[key] = made
        for key in fixed or ():
            if key not in value:
                self.problem(
                    line,
                    f"{keypath}.{key}",
                    f"saknas; alla sex områden krävs ({', '.join(fixed)}). Lägg till '{key}:' med "
                    "name, description, terms_sv och terms_en.",
                )
        if len(self.problems) > before:
            return None
        if fixed is not None:
            items = {key: items[key] for key in fixed}
        return items


def _join(parent: str, key: str) -> str:
    return f"{parent}.{key}" if parent else key


def parse_profile(data: Any, path: str) -> Profile:
    """Validate loaded YAML data as a profile. Raises ConfigError listing every problem."""
    if not isinstance(data, LineDict):
        keys = ", ".join(f.name for f in _yaml_fields(Profile))
        raise ConfigError([f"{path}: filen måste vara en YAML-mappning med nycklarna {keys}."])
    reader = _Reader(path)
    profile = reader.obj(Profile, data, "", data.line)
    if reader.problems:
        # In the order of the file; a problem without a line (none yet) would come first.
        raise ConfigError([message for _, message in sorted(reader.problems, key=lambda p: p[0])])
    profile = dataclasses.replace(profile, path=path)
    from monitor.evaluation import read_labelled  # an examples file is read as `evaluate` reads one

    problems = []
    for examples in profile.examples_paths():
        try:
            read_labelled(examples, list(profile.areas))
        except ConfigError as exc:
            line = data.key_lines.get("examples", data.line)
            problems.append(f"{path}:{line}: examples: exempelfilen {examples} går inte att använda:")
            problems += exc.problems
    if problems:
        raise ConfigError(problems)
    return profile


def profile_path(option: str | None) -> Path:
    """The profile to use: --profile, else $EUMONITOR_PROFILE, else ./profile.yaml."""
    return Path(option or os.environ.get(PROFILE_ENV) or DEFAULT_PROFILE_FILE)


def load_profile(path: Path | str) -> Profile:
    """Load and validate a profile; ConfigError with every problem found."""
    path = Path(path)
    return parse_profile(load_yaml(path, option="--profile", env=PROFILE_ENV), str(path))


__all__ = [
    "AREA_KEYS",
    "Area",
    "Context",
    "Forvaltning",
    "Municipality",
    "Profile",
    "Subjects",
    "Theme",
    "load_profile",
    "parse_profile",
    "profile_path",
]
