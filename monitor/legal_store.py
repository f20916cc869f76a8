"""Legal items in the store: one row per act across its sources, with history, and their routing.

The schema is the store's (migration 8 in monitor.store); this module writes and reads it. An act
listed by EUR-Lex's feed and by the Cellar SPARQL endpoint is one row (its id is `celex:<CELEX>`):
the fuller copy wins and the other fills its gaps, so a bare feed item never overwrites what SPARQL
said. Nothing is ever closed or deleted: legal sources list what is new, not what still holds.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import fields, replace
from datetime import date, datetime
from typing import Any

from monitor.legal import LegalItem, Subject
from monitor.records import to_utc_text
from monitor.store import RunCounts, Store

# The kinds whose parse() gives LegalPage (items), not ParsedPage (calls).
LEGAL_KINDS = frozenset({"cellar_sparql", "eurlex_rss", "have_your_say"})

_DATES = ("date", "published", "created")
_TIMES = ("feedback_start", "feedback_end")


def item_from_dict(data: dict[str, Any]) -> LegalItem:
    """The item back from its stored JSON (LegalItem.to_dict)."""
    values = dict(data)
    for name in _DATES:
        values[name] = date.fromisoformat(values[name]) if values.get(name) else None
    for name in _TIMES:
        values[name] = datetime.fromisoformat(values[name]) if values.get(name) else None
    values["transposition_deadlines"] = [
        date.fromisoformat(d) for d in values.get("transposition_deadlines") or []
    ]
    values["subjects"] = [Subject(**s) for s in values.get("subjects") or []]
    known = {f.name for f in fields(LegalItem)}
    return LegalItem(**{k: v for k, v in values.items() if k in known})


def content_hash(item: LegalItem) -> str:
    """What the act says, whichever source said it (the source is left out)."""
    data = item.to_dict()
    data.pop("source", None)
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def _merge(stored: LegalItem | None, new: LegalItem) -> LegalItem:
    if stored is None:
        return new
    fuller, other = (new, stored) if new.completeness() > stored.completeness() else (stored, new)
    merged = fuller.merged_with(other)
    # The first source stays the item's own; the others are listed in `sources`.
    return merged if merged.source == stored.source else replace(merged, source=stored.source)


class LegalWriter:
    """Saves one legal source's run: new items, changed ones (with events), the run's outcome."""

    def __init__(self, store: Store, run_id: int, source: str, now: datetime) -> None:
        self.store = store
        self.db = store.db
        self.run_id = run_id
        self.source = source
        self.now_text = to_utc_text(now)
        self.counts = RunCounts()

    def save_items(self, items: list[LegalItem]) -> None:
        events: list[tuple[str, str, dict]] = []
        with self.db.conn:
            for item in items:
                self.counts.items += 1
                row = next(self.db.query("SELECT * FROM legal_items WHERE id = ?", [item.id]), None)
                stored = item_from_dict(json.loads(row["data"])) if row else None
                merged = _merge(stored, item)
                digest = content_hash(merged)
                sources = json.loads(row["sources"]) if row else []
                if self.source not in sources:
                    sources.append(self.source)
                values = {
                    "id": merged.id,
                    "kind": merged.kind,
                    "celex": merged.celex,
                    "title_sv": merged.title_sv,
                    "title_en": merged.title_en,
                    "date": merged.date.isoformat() if merged.date else None,
                    "next_transposition": (
                        merged.next_transposition.isoformat() if merged.next_transposition else None
                    ),
                    "feedback_end": to_utc_text(merged.feedback_end),
                    "sources": json.dumps(sources),
                    "data": json.dumps(merged.to_dict(), ensure_ascii=False, sort_keys=True),
                    "content_hash": digest,
                    "last_seen": self.now_text,
                }
                if row is None:
                    values.update(first_seen=self.now_text, last_changed=self.now_text)
                    self.db["legal_items"].insert(values)
                    events.append((merged.id, "new", {"kind": merged.kind}))
                    self.counts.new += 1
                    continue
                if digest != row["content_hash"]:
                    values["last_changed"] = self.now_text
                    self.counts.changed += 1
                    old_deadlines = [d.isoformat() for d in stored.transposition_deadlines] if stored else []
                    new_deadlines = [d.isoformat() for d in merged.transposition_deadlines]
                    if old_deadlines != new_deadlines:
                        events.append(
                            (merged.id, "deadline_changed", {"old": old_deadlines, "new": new_deadlines})
                        )
                    else:
                        events.append((merged.id, "changed", {}))
                self.db["legal_items"].update(merged.id, values)
            self.db.conn.executemany(
                "INSERT INTO legal_events (item_id, run_id, at, event, detail) VALUES (?, ?, ?, ?, ?)",
                [(i, self.run_id, self.now_text, e, json.dumps(d, ensure_ascii=False)) for i, e, d in events],
            )
            self.counts.pages += 1
            self._update_run("running", None)

    def _update_run(self, outcome: str, message: str | None, finished: bool = False) -> None:
        self.store.update_run(self.run_id, self.counts, outcome, message, finished)

    def finish(self, error: str | None = None, complete: bool = False) -> tuple[str, str | None]:
        """The run's outcome. What was saved stays saved even when a later page failed (each page
        is its own transaction), but an error is an error: the source's marker does not move."""
        with self.db.conn:
            if error is not None:
                self._update_run("error", error, finished=True)
                return "error", error
            outcome = "ok" if (self.counts.new or self.counts.changed) else "unchanged"
            self._update_run(outcome, None, finished=True)
        return outcome, None


# --- reading --------------------------------------------------------------------------------


_SELECT = (
    "SELECT legal_items.*, r.scores AS route_scores, r.routed_to AS routed_to, r.why AS route_why "
    "FROM legal_items LEFT JOIN legal_routes AS r ON r.item_id = legal_items.id"
)


def legal_rows(store: Store) -> list[dict]:
    """Every legal item with its routing, newest first."""
    return list(
        store.db.query(
            f"{_SELECT} ORDER BY legal_items.first_seen DESC, COALESCE(legal_items.date, '') DESC, "
            "legal_items.id"
        )
    )


def get_legal(store: Store, wanted: str) -> dict | None:
    """An item by its id (`celex:32020L2184`, `hys:…`) or its CELEX number."""
    for key in (wanted, f"celex:{wanted.strip().upper()}"):
        row = next(
            store.db.query(f"{_SELECT} WHERE legal_items.id = ?", [key]),
            None,
        )
        if row is not None:
            return row
    return None


def legal_events(store: Store, item_id: str) -> list[dict]:
    return list(store.db.query("SELECT * FROM legal_events WHERE item_id = ? ORDER BY id", [item_id]))


def items_to_route(store: Store, model: str, everything: bool = False) -> list[dict]:
    """Items without routing, changed since, or routed with another profile (`model`)."""
    where = (
        ""
        if everything
        else (
            " WHERE r.item_id IS NULL OR r.scored_hash IS NOT legal_items.content_hash "
            "OR r.model IS NOT :model"
        )
    )
    return list(
        store.db.query(
            "SELECT legal_items.* FROM legal_items LEFT JOIN legal_routes AS r ON r.item_id = legal_items.id"
            f"{where} ORDER BY legal_items.id",
            {"model": model},
        )
    )


def save_routes(store: Store, rows: list[dict[str, Any]]) -> None:
    with store.db.conn:
        store.db["legal_routes"].upsert_all(rows, pk="item_id")
