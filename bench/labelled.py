"""What the bench scripts that measure one labelled set share: their common options, and the set read
against a profile (every problem named by file and line, as `eumonitor evaluate` names it)."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from matchers.metrics import label_matrix
from matchers.model import AreaSpec, Context, Glossary, from_profile
from monitor.evaluation import read_labelled
from monitor.profile import Profile, load_profile

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class LabelledSet:
    profile: Profile
    areas: list[AreaSpec]
    glossary: Glossary
    context: Context | None
    keys: list[str]
    lines: list[dict[str, Any]]
    labels: np.ndarray  # calls × areas


def add_options(parser: argparse.ArgumentParser) -> None:
    """--k, --profile and --json."""
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--profile", type=Path, default=ROOT / "profile.yaml")
    parser.add_argument("--json", action="store_true")


def read_set(path: Path, profile_path: Path) -> LabelledSet:
    """The labelled set at `path`, read against the profile's areas; ConfigError on bad input."""
    profile = load_profile(profile_path)
    areas, glossary, context = from_profile(profile)
    keys = [area.key for area in areas]
    lines = read_labelled(path, keys)
    return LabelledSet(profile, list(areas), glossary, context, keys, lines, label_matrix(lines, keys))
