"""The six priority areas of the strategy "Åmål i världen", by key.

The matcher scores every call per area, so the keys are fixed; their names, descriptions, terms and
thresholds are the municipality's own (profile.yaml). Kept apart from monitor.profile so that query
commands can name the areas without loading the profile's reader.
"""

from __future__ import annotations

AREA_KEYS = ("sysselsattning", "kompetens", "levnadsvillkor", "ungdom", "vanort", "finansiering")

# Short Swedish names for narrow table columns (profile.yaml has the full ones).
AREA_SHORT = {
    "sysselsattning": "Sysselsättning",
    "kompetens": "Kompetens",
    "levnadsvillkor": "Levnadsvillkor",
    "ungdom": "Ungdomars rörlighet",
    "vanort": "Vänorter",
    "finansiering": "Extern finansiering",
}
