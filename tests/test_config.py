"""sources.yaml validation: every problem found at once, each naming file, line, source id and key."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import write_yaml

from monitor.config import load_sources, parse_sources, sources_path
from monitor.errors import ConfigError
from monitor.sources.sedia import EuPortalSettings

REPO = Path(__file__).resolve().parents[1]


def problems_of(path: Path) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_sources(path)
    assert caught.value.problems, "a ConfigError must say what is wrong"
    return caught.value.problems


def only_problem(path: Path) -> str:
    problems = problems_of(path)
    assert len(problems) == 1, problems
    return problems[0]


def test_valid_file_loads_with_defaults_and_settings(tmp_path: Path) -> None:
    path = write_yaml(
        tmp_path / "sources.yaml",
        """
        contact: eu@example.se
        sources:
          - id: eu-portal
            kind: eu_portal
            name: EU-portalen
            url: " https://api.example.org/search-api/prod/rest/search "
            delay: 0
            backoff: 0.5
            page_size: 50
            types: [1, 8]
          - id: eu-portal-off
            kind: eu_portal
            url: https://api.example.org/search
            enabled: false
        """,
    )
    loaded = load_sources(path)
    assert loaded.contact == "eu@example.se"
    first, second = loaded.sources
    assert (first.id, first.kind, first.name, first.enabled) == (
        "eu-portal",
        "eu_portal",
        "EU-portalen",
        True,
    )
    assert first.url == "https://api.example.org/search-api/prod/rest/search"
    assert first.line == 3 and first.file == str(path)
    assert first.settings == EuPortalSettings(delay=0.0, backoff=0.5, page_size=50, types=[1, 8])
    assert isinstance(first.settings.delay, float)
    assert second.name == "eu-portal-off" and second.enabled is False
    assert second.settings == EuPortalSettings()
    assert [s.id for s in loaded.select()] == ["eu-portal"]
    assert [s.id for s in loaded.select(["eu-portal-off"])] == ["eu-portal-off"]


def test_repository_sources_file_is_valid() -> None:
    loaded = load_sources(REPO / "sources.yaml")
    assert any(s.kind == "eu_portal" and s.enabled for s in loaded.sources)


def test_select_unknown_source_names_the_known_ones(tmp_path: Path) -> None:
    path = write_yaml(
        tmp_path / "s.yaml",
        """
        sources:
          - id: eu-portal
            kind: eu_portal
            url: https://api.example.org/search
        """,
    )
    with pytest.raises(ConfigError) as caught:
        load_sources(path).select(["eu-portlal"])
    (message,) = caught.value.problems
    assert "'eu-portlal'" in message and "eu-portal" in message and str(path) in message


def test_unknown_top_level_key(tmp_path: Path) -> None:
    path = write_yaml(
        tmp_path / "s.yaml",
        """
        sources:
          - id: eu-portal
            kind: eu_portal
            url: https://api.example.org/search
        contakt: a@example.se
        """,
    )
    message = only_problem(path)
    assert message.startswith(f"{path}:5: ")
    assert "'contakt'" in message and "Menade du 'contact'?" in message


def test_unknown_source_key_suggests_the_right_one(tmp_path: Path) -> None:
    path = write_yaml(
        tmp_path / "s.yaml",
        """
        sources:
          - id: eu-portal
            kind: eu_portal
            url: https://api.example.org/search
            timout: 30
        """,
    )
    message = only_problem(path)
    assert message.startswith(f"{path}:5: ")
    assert "källa 'eu-portal'" in message
    assert "okänd nyckel 'timout'" in message
    assert "Menade du 'timeout'?" in message


def test_unknown_kind_suggests_and_does_not_flag_the_kinds_own_keys(tmp_path: Path) -> None:
    path = write_yaml(
        tmp_path / "s.yaml",
        """
        sources:
          - id: eu-portal
            kind: eu_portl
            url: https://api.example.org/search
            delay: 0
            timout: 3
        """,
    )
    problems = problems_of(path)
    assert len(problems) == 2, problems
    kind_problem, key_problem = problems
    assert kind_problem.startswith(f"{path}:3: källa 'eu-portal', nyckel 'kind': 'eu_portl' är okänd")
    assert "eu_portal" in kind_problem and "Menade du 'eu_portal'?" in kind_problem
    # `delay` belongs to eu_portal and is not reported; a key no kind knows still is.
    assert key_problem.startswith(f"{path}:6: ") and "'timout'" in key_problem
    assert "Menade du 'timeout'?" in key_problem


def test_missing_kind(tmp_path: Path) -> None:
    path = write_yaml(
        tmp_path / "s.yaml",
        """
        sources:
          - id: eu-portal
            url: https://api.example.org/search
        """,
    )
    message = only_problem(path)
    assert message.startswith(f"{path}:2: källa 'eu-portal', nyckel 'kind': saknas")


def test_duplicate_ids_name_both_lines(tmp_path: Path) -> None:
    path = write_yaml(
        tmp_path / "s.yaml",
        """
        sources:
          - id: eu-portal
            kind: eu_portal
            url: https://api.example.org/search
          - id: eu-portal
            kind: eu_portal
            url: https://api.example.org/other
        """,
    )
    message = only_problem(path)
    assert message.startswith(f"{path}:5: källa 'eu-portal', nyckel 'id': ")
    assert "rad 2" in message


def test_missing_url(tmp_path: Path) -> None:
    path = write_yaml(
        tmp_path / "s.yaml",
        """
        sources:
          - id: eu-portal
            kind: eu_portal
        """,
    )
    message = only_problem(path)
    assert message.startswith(f"{path}:2: källa 'eu-portal', nyckel 'url': saknas")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("ftp://api.example.org/search", "ingen http(s)-adress"),
        ("https://", "saknar värdnamn"),
        ("api.example.org/search", "ingen http(s)-adress"),
        ("42", "måste vara en webbadress"),
        ("[https://api.example.org]", "måste vara en webbadress"),
        ('""', "måste vara en webbadress"),
        ("https://api.example.org/a b", "mellanslag"),
    ],
)
def test_bad_url(tmp_path: Path, value: str, expected: str) -> None:
    path = write_yaml(
        tmp_path / "s.yaml",
        f"""
        sources:
          - id: eu-portal
            kind: eu_portal
            url: {value}
        """,
    )
    message = only_problem(path)
    assert message.startswith(f"{path}:4: källa 'eu-portal', nyckel 'url': ")
    assert expected in message


@pytest.mark.parametrize(
    ("line", "key", "expected"),
    [
        ('delay: "fast"', "delay", "måste vara ett tal, inte 'fast'"),
        ('enabled: "yes"', "enabled", "måste vara true eller false"),
        ("retries: 2.5", "retries", "måste vara ett heltal"),
        ("retries: true", "retries", "måste vara ett heltal"),
        ("types: 1", "types", "måste vara en lista av heltal"),
        ("types: [1, x]", "types", "måste vara en lista av heltal"),
        ("name: [a]", "name", "måste vara en text"),
        ("page_size: 0", "page_size", "mellan 1 och 100"),
        ("page_size: 101", "page_size", "mellan 1 och 100"),
        ("delay: -1", "delay", "negativ"),
        ("types: [3]", "types", "1, 2 och 8"),
        ("max_bytes: 10", "max_bytes", "minst 1024"),
        ("timeout: 0", "timeout", "större än 0"),
    ],
)
def test_wrong_type_or_range(tmp_path: Path, line: str, key: str, expected: str) -> None:
    path = write_yaml(
        tmp_path / "s.yaml",
        f"""
        sources:
          - id: eu-portal
            kind: eu_portal
            url: https://api.example.org/search
            {line}
        """,
    )
    message = only_problem(path)
    assert message.startswith(f"{path}:5: källa 'eu-portal', nyckel '{key}': ")
    assert expected in message


def test_bad_id_is_named_by_position(tmp_path: Path) -> None:
    path = write_yaml(
        tmp_path / "s.yaml",
        """
        sources:
          - id: EU Portal
            kind: eu_portal
            url: https://api.example.org/search
        """,
    )
    message = only_problem(path)
    assert message.startswith(f"{path}:2: källa 'EU Portal', nyckel 'id': ")


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = write_yaml(
        tmp_path / "s.yaml",
        """
        sources:
          - id: eu-portal
           kind: eu_portal
        """,
    )
    message = only_problem(path)
    assert message.startswith(f"{path}:3: ogiltig YAML")


def test_duplicate_yaml_key(tmp_path: Path) -> None:
    path = write_yaml(
        tmp_path / "s.yaml",
        """
        sources:
          - id: eu-portal
            kind: eu_portal
            url: https://api.example.org/search
            delay: 1
            delay: 2
        """,
    )
    message = only_problem(path)
    assert message.startswith(f"{path}:6: källa 'eu-portal': nyckeln 'delay' står två gånger")


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.yaml"
    message = only_problem(path)
    assert message.startswith(f"{path}: filen finns inte")
    assert "--sources" in message


@pytest.mark.parametrize("text", ["", "# only a comment\n", "- a list\n"])
def test_empty_or_not_a_mapping(tmp_path: Path, text: str) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    message = only_problem(path)
    assert message.startswith(f"{path}: ") and "'sources:'" in message


def test_sources_missing_or_not_a_list(tmp_path: Path) -> None:
    missing = only_problem(write_yaml(tmp_path / "a.yaml", "contact: a@example.se\n"))
    assert "'sources:' saknas" in missing
    not_list = only_problem(write_yaml(tmp_path / "b.yaml", "sources: eu-portal\n"))
    assert not_list.startswith(f"{tmp_path / 'b.yaml'}:1: ") and "lista" in not_list


def test_several_problems_reported_together(tmp_path: Path) -> None:
    path = write_yaml(
        tmp_path / "s.yaml",
        """
        sources:
          - id: eu-portal
            kind: eu_portal
            url: ftp://api.example.org/search
            timout: 30
            delay: fast
          - id: cerv
            kind: eu_portal
            enabled: "yes"
            page_size: 500
        extra: 1
        """,
    )
    problems = problems_of(path)
    expected = [
        (4, "eu-portal", "url"),
        (5, "eu-portal", "timout"),
        (6, "eu-portal", "delay"),
        (7, "cerv", "url"),
        (9, "cerv", "enabled"),
        (10, "cerv", "page_size"),
        (11, None, "extra"),
    ]
    assert len(problems) == len(expected), problems
    for (line, source, key), message in zip(expected, sorted(problems, key=_line_of), strict=True):
        assert message.startswith(f"{path}:{line}: "), message
        if source:
            assert f"källa '{source}'" in message, message
        assert f"'{key}'" in message, message


def _line_of(message: str) -> int:
    return int(message.split(":")[1])


def test_parse_sources_rejects_plain_data() -> None:
    with pytest.raises(ConfigError) as caught:
        parse_sources({"sources": []}, "x.yaml")
    assert caught.value.problems[0].startswith("x.yaml: ")


def test_sources_path_prefers_option_then_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EUMONITOR_SOURCES", "/env/sources.yaml")
    assert sources_path("given.yaml") == Path("given.yaml")
    assert sources_path(None) == Path("/env/sources.yaml")
    monkeypatch.delenv("EUMONITOR_SOURCES")
    assert sources_path(None) == Path("sources.yaml")
