"""sources.yaml: loading and whole-file validation.

Everything is checked before anything runs, and every problem is reported at once, each naming the
file, the line, the source id and the key, with what to do about it. Unknown keys are errors: a typo
such as ``timout:`` must not be dropped without a word.
"""

from __future__ import annotations

import dataclasses
import datetime
import difflib
import os
import re
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from monitor.errors import ConfigError

SOURCES_ENV = "EUMONITOR_SOURCES"
DEFAULT_SOURCES_FILE = "sources.yaml"

COMMON_KEYS = ("id", "kind", "url", "enabled", "name")
TOP_LEVEL_KEYS = ("sources", "contact")
SOURCE_ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")


@dataclass(frozen=True)
class SourceConfig:
    """One validated entry of sources.yaml."""

    id: str
    kind: str
    url: str
    enabled: bool
    name: str
    settings: Any
    file: str = ""
    line: int = 0


@dataclass(frozen=True)
class SourcesFile:
    """A validated sources.yaml."""

    path: str
    sources: list[SourceConfig]
    contact: str | None = None

    def select(self, ids: tuple[str, ...] | list[str] = ()) -> list[SourceConfig]:
        """The sources to run: the named ones (enabled or not), else every enabled one."""
        if not ids:
            return [s for s in self.sources if s.enabled]
        by_id = {s.id: s for s in self.sources}
        unknown = [i for i in ids if i not in by_id]
        if unknown:
            known = ", ".join(sorted(by_id)) or "(inga)"
            raise ConfigError(
                [f"{self.path}: okänd källa {', '.join(map(repr, unknown))}; källor i filen: {known}"]
            )
        return [by_id[i] for i in ids]


# --- YAML with line numbers -------------------------------------------------------------------


class LineDict(dict):
    """A mapping from YAML that remembers on which line it and each of its keys stood."""

    line: int = 0
    key_lines: dict[str, int]
    duplicate_keys: list[tuple[str, int]]


class _LineLoader(yaml.SafeLoader):
    pass


def _construct_line_mapping(loader: _LineLoader, node: yaml.MappingNode):
    data = LineDict()
    data.line = node.start_mark.line + 1
    data.key_lines = {}
    data.duplicate_keys = []
    yield data
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if isinstance(key, str):
            if key in data.key_lines:
                data.duplicate_keys.append((key, line))
            data.key_lines[key] = line
        data[key] = loader.construct_object(value_node, deep=True)


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_line_mapping)


def load_yaml(path: Path, option: str = "--sources", env: str = SOURCES_ENV) -> Any:
    """Read a YAML file into plain data whose mappings are LineDicts; ConfigError when unreadable.

    `option` and `env` name the ways to give another file, for the message when it does not exist.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(
            [f"{path}: filen finns inte. Ange en annan fil med {option} FILE eller {env}."]
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError([f"{path}: kan inte läsas ({exc})."]) from None
    try:
        return yaml.load(text, Loader=_LineLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError([f"{where}: ogiltig YAML: {problem}. Kontrollera indrag och kolon."]) from None


# --- validation of kind settings --------------------------------------------------------------


def _type_name(tp: Any) -> str:
    names = {int: "ett heltal", float: "ett tal", bool: "true eller false", str: "en text"}
    if tp in names:
        return names[tp]
    if typing.get_origin(tp) is list:
        (inner,) = typing.get_args(tp)
        return f"en lista av {_type_name(inner).removeprefix('ett ').removeprefix('en ')}"
    if typing.get_origin(tp) is dict:
        return "en mappning (nyckel: värde)"
    if typing.get_origin(tp) in (types.UnionType, typing.Union):
        options = [a for a in typing.get_args(tp) if a is not type(None)]
        return _type_name(options[0])
    return str(tp)


def _nested_settings(tp: Any) -> type | None:
    """The dataclass a settings field holds (e.g. html_list's `selectors:`), or None."""
    if typing.get_origin(tp) in (types.UnionType, typing.Union):
        options = [a for a in typing.get_args(tp) if a is not type(None)]
        tp = options[0] if len(options) == 1 else None
    return tp if isinstance(tp, type) and dataclasses.is_dataclass(tp) else None


def _coerce(value: Any, tp: Any) -> tuple[bool, Any]:
    """Check one value against a settings field's type; ints are accepted where floats are."""
    origin = typing.get_origin(tp)
    if origin in (types.UnionType, typing.Union):
        options = [a for a in typing.get_args(tp) if a is not type(None)]
        if value is None:
            return True, None
        return _coerce(value, options[0])
    if tp is bool:
        return isinstance(value, bool), value
    if tp is int:
        return isinstance(value, int) and not isinstance(value, bool), value
    if tp is float:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        return ok, float(value) if ok else value
    if tp is str:
        if isinstance(value, datetime.date):  # YAML reads an unquoted 2026-01-01 as a date
            return True, value.isoformat()
        return isinstance(value, str), value
    if origin is dict:
        key_type, value_type = typing.get_args(tp)
        if not isinstance(value, dict):
            return False, value
        coerced_map = {}
        for key, item in value.items():
            ok_key, key = _coerce(key, key_type)
            ok_item, item = _coerce(item, value_type)
            if not (ok_key and ok_item):
                return False, value
            coerced_map[key] = item
        return True, coerced_map
    if origin is list:
        (inner,) = typing.get_args(tp)
        if not isinstance(value, list):
            return False, value
        coerced = []
        for item in value:
            ok, item = _coerce(item, inner)
            if not ok:
                return False, value
            coerced.append(item)
        return True, coerced
    return False, value


def settings_keys(settings_cls: type) -> list[str]:
    return [f.name for f in dataclasses.fields(settings_cls)]


def _build_settings(
    settings_cls: type, entry: LineDict, where: str, path: str, prefix: str = ""
) -> tuple[Any | None, list[str]]:
    """Typed settings from a mapping; a field that is itself a dataclass is read the same way, nested."""
    problems: list[str] = []
    hints = typing.get_type_hints(settings_cls)
    values: dict[str, Any] = {}
    known = settings_keys(settings_cls)
    if prefix:  # top-level keys are checked by parse_sources together with the common ones
        for key in entry:
            if key not in known:
                line = entry.key_lines.get(key, entry.line)
                problems.append(
                    f"{path}:{line}: {where}: okänd nyckel '{prefix}{key}' (tillåtna under "
                    f"'{prefix.rstrip('.')}': {', '.join(known)}).{_suggest(str(key), known)}"
                )
    for f in dataclasses.fields(settings_cls):
        name = prefix + f.name
        if f.name not in entry:
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                problems.append(f"{path}:{entry.line}: {where}, nyckel '{name}': saknas men krävs.")
            continue
        value = entry[f.name]
        line = entry.key_lines.get(f.name, entry.line)
        nested = _nested_settings(hints[f.name])
        if nested is not None and value is not None:
            if not isinstance(value, LineDict):
                problems.append(
                    f"{path}:{line}: {where}, nyckel '{name}': måste vara en mappning med nycklarna "
                    f"{', '.join(settings_keys(nested))}."
                )
                continue
            sub, sub_problems = _build_settings(nested, value, where, path, prefix=f"{name}.")
            problems.extend(sub_problems)
            values[f.name] = sub
            continue
        ok, value = _coerce(value, hints[f.name])
        if not ok:
            problems.append(
                f"{path}:{line}: {where}, nyckel '{name}': måste vara {_type_name(hints[f.name])}, "
                f"inte {entry[f.name]!r}."
            )
        else:
            values[f.name] = value
    if problems:
        return None, problems
    settings = settings_cls(**values)
    check = getattr(settings, "check", None)
    for key, message in check() if check else []:
        line = entry.key_lines.get(key.split(".")[0], entry.line)
        problems.append(f"{path}:{line}: {where}, nyckel '{prefix}{key}': {message}")
    return (None if problems else settings), problems


def _check_url(url: Any) -> str | None:
    """What is wrong with a source URL, or None."""
    if not isinstance(url, str) or not url.strip():
        return "måste vara en webbadress (http:// eller https://)"
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https"):
        return f"'{url}' är ingen http(s)-adress; skriv hela adressen med https://"
    if not parts.hostname:
        return f"'{url}' saknar värdnamn"
    if any(c.isspace() for c in url.strip()):
        return f"'{url}' innehåller mellanslag"
    return None


# --- the whole file ---------------------------------------------------------------------------


def _suggest(key: str, known: list[str]) -> str:
    close = difflib.get_close_matches(key, known, n=1)
    return f" Menade du '{close[0]}'?" if close else ""


def parse_sources(data: Any, path: str) -> SourcesFile:
    """Validate loaded YAML data as a sources file. Raises ConfigError listing every problem."""
    from monitor.sources import KINDS

    problems: list[str] = []
    if not isinstance(data, LineDict):
        raise ConfigError(
            [f"{path}: filen måste vara en YAML-mappning med nyckeln 'sources:' (en lista av källor)."]
        )
    for key, line in data.duplicate_keys:
        problems.append(f"{path}:{line}: nyckeln '{key}' står två gånger.")
    for key in data:
        if key not in TOP_LEVEL_KEYS:
            line = data.key_lines.get(key, data.line)
            problems.append(
                f"{path}:{line}: okänd nyckel '{key}' på översta nivån "
                f"(tillåtna: {', '.join(TOP_LEVEL_KEYS)}).{_suggest(str(key), list(TOP_LEVEL_KEYS))}"
            )
    contact = data.get("contact")
    if contact is not None and not isinstance(contact, str):
        problems.append(f"{path}:{data.key_lines.get('contact', 0)}: 'contact' måste vara en e-postadress.")
    entries = data.get("sources")
    if entries is None:
        problems.append(f"{path}:{data.line}: nyckeln 'sources:' saknas; den ska vara en lista av källor.")
        entries = []
    elif not isinstance(entries, list):
        line = data.key_lines.get("sources", data.line)
        problems.append(f"{path}:{line}: 'sources' måste vara en lista (varje källa börjar med '- id: ...').")
        entries = []

    sources: list[SourceConfig] = []
    seen_ids: dict[str, int] = {}
    for index, entry in enumerate(entries, start=1):
        if not isinstance(entry, LineDict):
            problems.append(f"{path}: källa nr {index} är ingen mappning med nycklar (id, kind, url, …).")
            continue
        source_id = entry.get("id")
        where = f"källa '{source_id}'" if isinstance(source_id, str) else f"källa nr {index}"
        for key, line in entry.duplicate_keys:
            problems.append(f"{path}:{line}: {where}: nyckeln '{key}' står två gånger.")

        if not isinstance(source_id, str) or not SOURCE_ID_PATTERN.match(source_id):
            line = entry.key_lines.get("id", entry.line)
            problems.append(
                f"{path}:{line}: {where}, nyckel 'id': saknas eller är ogiltig; använd små bokstäver, "
                "siffror, '-' och '_' (t.ex. 'eu-portal')."
            )
        elif source_id in seen_ids:
            problems.append(
                f"{path}:{entry.key_lines['id']}: {where}, nyckel 'id': id:t används redan på rad "
                f"{seen_ids[source_id]}; varje källa behöver ett eget id."
            )
        else:
            seen_ids[source_id] = entry.key_lines["id"]

        kind = entry.get("kind")
        kind_cls = KINDS.get(kind) if isinstance(kind, str) else None
        if kind_cls is None:
            line = entry.key_lines.get("kind", entry.line)
            shown = "saknas" if kind is None else f"'{kind}' är okänd"
            problems.append(
                f"{path}:{line}: {where}, nyckel 'kind': {shown}; kända typer: {', '.join(sorted(KINDS))} "
                f"(se 'eumonitor kinds').{_suggest(str(kind), sorted(KINDS))}"
            )

        if "url" not in entry:
            problems.append(f"{path}:{entry.line}: {where}, nyckel 'url': saknas; ange källans adress.")
        else:
            url_problem = _check_url(entry["url"])
            if url_problem:
                problems.append(f"{path}:{entry.key_lines['url']}: {where}, nyckel 'url': {url_problem}.")

        enabled = entry.get("enabled", True)
        if not isinstance(enabled, bool):
            line = entry.key_lines["enabled"]
            problems.append(f"{path}:{line}: {where}, nyckel 'enabled': måste vara true eller false.")
        name = entry.get("name", source_id if isinstance(source_id, str) else "")
        if not isinstance(name, str):
            problems.append(f"{path}:{entry.key_lines['name']}: {where}, nyckel 'name': måste vara en text.")

        if kind_cls is not None:
            known = list(COMMON_KEYS) + settings_keys(kind_cls.Settings)
        else:
            # Without a known kind its own keys are unknown too: flag only keys no kind has, so a
            # misspelt kind does not also make every setting look wrong.
            known = list(COMMON_KEYS) + sorted(
                {k for cls in KINDS.values() for k in settings_keys(cls.Settings)}
            )
        for key in entry:
            if key not in known:
                line = entry.key_lines.get(key, entry.line)
                hint = f"tillåtna för {kind}: {', '.join(known)}" if kind_cls else "kontrollera stavningen"
                problems.append(
                    f"{path}:{line}: {where}: okänd nyckel '{key}' ({hint}).{_suggest(str(key), known)}"
                )

        settings = None
        if kind_cls is not None:
            settings, setting_problems = _build_settings(kind_cls.Settings, entry, where, path)
            problems.extend(setting_problems)

        if not problems:
            sources.append(
                SourceConfig(
                    id=source_id,
                    kind=kind,
                    url=entry["url"].strip(),
                    enabled=enabled,
                    name=name,
                    settings=settings,
                    file=path,
                    line=entry.line,
                )
            )
    if problems:
        raise ConfigError(problems)
    return SourcesFile(path=path, sources=sources, contact=contact)


def sources_path(option: str | None) -> Path:
    """The sources file to use: --sources, else $EUMONITOR_SOURCES, else ./sources.yaml."""
    return Path(option or os.environ.get(SOURCES_ENV) or DEFAULT_SOURCES_FILE)


def load_sources(path: Path) -> SourcesFile:
    """Load and validate a sources file; ConfigError with every problem found."""
    return parse_sources(load_yaml(path), str(path))


def field_help(settings_cls: type) -> list[tuple[str, str, str]]:
    """(key, default, help) for each kind-specific key, for `eumonitor kinds --verbose` and the README."""
    rows = []
    for f in dataclasses.fields(settings_cls):
        default = f.default if f.default is not dataclasses.MISSING else f.default_factory()  # type: ignore[misc]
        rows.append((f.name, repr(default), f.metadata.get("help", "")))
    return rows


__all__ = [
    "SourceConfig",
    "SourcesFile",
    "field",
    "field_help",
    "load_sources",
    "parse_sources",
    "sources_path",
]
