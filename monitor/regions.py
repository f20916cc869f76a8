"""Which regions a call is open to, and whether that includes the municipality.

A source says it in names ("Västra Götaland", "Halland", "Hela Sverige") or NUTS codes ("SE232").
Åmål is in Dalsland, Västra Götaland (NUTS SE232, in SE23 Västsverige, SE2 Södra Sverige, SE).
A municipality says where it is in profile.yaml (`municipality:`); `Profile.home()` builds a Home from
it. AMAL below is the default when no profile is given, and matches the shipped profile.yaml.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Home:
    """Where the municipality is: its NUTS code and the names that include it."""

    nuts: str = "SE232"
    names: tuple[str, ...] = (
        "västra götaland",
        "västra götalands län",
        "västra götalandsregionen",
        "västsverige",
        "dalsland",
        "fyrbodal",
        "åmål",
        "åmåls kommun",
        "sverige",
        "hela sverige",
        "sweden",
        "nationell",
        "hela landet",
        "eu",
        "europe",
        "europa",
        "alla",
        "sverige-norge",
        "interreg sverige-norge",
        "sweden-norway",
        "interreg sweden-norway",
        "centrala skandinavien",
        "öresund-kattegat-skagerrak",
        "north sea",
        "nordsjön",
        "baltic sea region",
        "östersjöregionen",
        "interreg europe",
        "urbact",
    )
    extra: tuple[str, ...] = field(default_factory=tuple)


AMAL = Home()
_NUTS = re.compile(r"^[A-Z]{2}[0-9A-Z]{0,3}$")


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def open_to(regions: list[str], home: Home = AMAL) -> tuple[bool, str]:
    """(open to home?, the reason in Swedish). No regions named means open: the source did not limit it."""
    if not regions:
        return True, "källan anger ingen regionsbegränsning"
    names = {_fold(n) for n in (*home.names, *home.extra)}
    for region in regions:
        code = region.strip().upper()
        if _NUTS.match(code) and home.nuts.startswith(code):
            return True, f"öppen för {region} (omfattar {home.nuts})"
        if _fold(region) in names:
            return True, f"öppen för {region}"
    return False, "bara öppen för " + ", ".join(regions)
