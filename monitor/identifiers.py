"""Identifiers that name one call on several sites, so that it becomes one record (Store.regroup).

- an EU topic id found in a title or text (CERV-2027-CITIZENS-TOWN-TT);
- Tillväxtverket's own number, the stable part of its call pages' addresses
  (`…/<slug>.7085.html` → "tillvaxtverket:7085").
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from monitor.sources.sedia import PROGRAMME_PREFIXES

_EXTRA_PREFIXES = ("BMVI", "ISF", "EUAF", "IMCAP", "PPPA", "EUBA", "JTM", "IMREG")
# An upper-case programme prefix, more parts, a year, more parts (parts may mix case, as in
# HORIZON-JU-CBE-2026-IAFlag-02 or …-two-stage): CERV-2027-CITIZENS-TOWN-TT.
EU_TOPIC = re.compile(
    r"(?<![\w-])(?:"
    + "|".join(sorted({*PROGRAMME_PREFIXES, *_EXTRA_PREFIXES}, key=len, reverse=True))
    + r")(?:-[A-Za-z0-9]+)*-20\d\d(?:-[A-Za-z0-9]+)+(?![\w-])"
)
_TILLVAXTVERKET_PAGE = re.compile(r"/[^/]+\.(\d+)\.html?$")


def official_ids(link: str | None, *texts: str) -> list[str]:
    """Identifiers that name this call elsewhere, in the order found, without repeats.

    An EU call id that is the beginning of a topic id also found (CERV-2027-CITIZENS-TOWN beside
    CERV-2027-CITIZENS-TOWN-TT) is left out: it names several topics, not this one.
    """
    ids: list[str] = []
    if link:
        parts = urlsplit(link)
        host = (parts.hostname or "").casefold()
        number = _TILLVAXTVERKET_PAGE.search(parts.path)
        if number and (host == "tillvaxtverket.se" or host.endswith(".tillvaxtverket.se")):
            ids.append(f"tillvaxtverket:{number.group(1)}")
    topics: list[str] = []
    for text in texts:
        for match in EU_TOPIC.finditer(text or ""):
            if match.group(0).casefold() not in {t.casefold() for t in topics}:
                topics.append(match.group(0))
    ids += [t for t in topics if not any(o != t and o.startswith(t + "-") for o in topics)]
    return ids
