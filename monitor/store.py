"""The SQLite store: schema by migrations, calls with their history, and the runs of each source.

Instants are kept as UTC text (`2027-04-08T15:00:00Z`), which sorts as time does, so SQL can decide
status and deadlines at query time. What a call's status *is* depends on the clock, so queries
compute it; the stored `status` is what it was at the last collection, kept to notice changes.

Nothing a source once listed is ever deleted. A call that leaves the source's listing is marked
closed only after a run that succeeded and returned calls.
"""

from __future__ import annotations

import json
import logging
import re
import sqlite3
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import sqlite_utils

from monitor.errors import StoreError
from monitor.records import CLOSED, STOCKHOLM, Call, Listing, decide_status, from_utc_text, to_utc_text

log = logging.getLogger(__name__)


# --- migrations -------------------------------------------------------------------------------


def _m001_initial(db: sqlite_utils.Database) -> None:
    db["calls"].create(
        {
            "id": str,
            "source": str,
            "key": str,
            "identifier": str,
            "title": str,
            "url": str,
            "call_type": str,
            "call_identifier": str,
            "call_title": str,
            "programme_id": str,
            "programme": str,
            "opening": str,
            "deadlines": str,
            "last_deadline": str,
            "deadline_model": str,
            "source_status": str,
            "status": str,
            "description": str,
            "conditions": str,
            "keywords": str,
            "budget": str,
            "language": str,
            "types_of_action": str,
            "listed": int,
            "content_hash": str,
            "first_seen": str,
            "last_seen": str,
            "last_changed": str,
        },
        pk="id",
        not_null={"source", "key", "identifier", "title", "listed", "first_seen"},
    )
    db["calls"].create_index(["source", "key"], unique=True)
    db["calls"].create_index(["last_deadline"])
    db["source_runs"].create(
        {
            "id": int,
            "source": str,
            "started": str,
            "finished": str,
            "outcome": str,
            "items": int,
            "new": int,
            "changed": int,
            "closed": int,
            "pages": int,
            "message": str,
        },
        pk="id",
    )
    db["source_runs"].create_index(["source", "started"])
    db["call_events"].create(
        {"id": int, "call_id": str, "run_id": int, "at": str, "event": str, "detail": str},
        pk="id",
        foreign_keys=[("call_id", "calls", "id"), ("run_id", "source_runs", "id")],
    )
    db["call_events"].create_index(["call_id", "at"])


def _m002_source_digest(db: sqlite_utils.Database) -> None:
    # A digest of the source's raw answer and how full that answer was: an unchanged re-run
    # compares digests and never parses a call again.
    db["calls"].add_column("source_digest", str)
    db["calls"].add_column("completeness", str)


def _m003_regions_precision_groups(db: sqlite_utils.Database) -> None:
    calls = db["calls"]
    calls.add_column("opening_precision", str)
    calls.add_column("deadline_precision", str)
    calls.add_column("regions", str)
    calls.add_column("official_ids", str)
    # The id of the record that stands for the call when several sources list it (see regroup).
    calls.add_column("group_id", str)
    db.execute("UPDATE calls SET group_id = id, regions = '[]', official_ids = json_array(identifier)")
    db.execute("UPDATE calls SET opening_precision = 'day', deadline_precision = 'minute'")
    calls.create_index(["group_id"])


def _m004_source_state(db: sqlite_utils.Database) -> None:
    # What a source keeps between runs (an incremental source's "changed since" marker).
    db["source_state"].create(
        {"source": str, "name": str, "value": str, "updated": str}, pk=("source", "name")
    )


def _m005_scores_marks(db: sqlite_utils.Database) -> None:
    # The matcher's verdict on each call record: scores per area (JSON), the best area, the words
    # behind each score, and whether the municipality can apply. `scored_hash` is the content hash
    # the scores were computed from: a call whose content changed is scored again.
    db["call_scores"].create(
        {
            "call_id": str,
            "scores": str,
            "best_area": str,
            "best_score": int,
            "why": str,
            "eligible": int,
            "ineligible_reason": str,
            "scored_hash": str,
            "model": str,
            "scored_at": str,
        },
        pk="call_id",
        foreign_keys=[("call_id", "calls", "id")],
    )
    db["call_scores"].create_index(["best_score"])
    # Marks are history: the newest mark of a call (per area, or for the call as a whole) counts.
    db["marks"].create(
        {"id": int, "call_id": str, "mark": str, "area": str, "note": str, "who": str, "at": str},
        pk="id",
        foreign_keys=[("call_id", "calls", "id")],
    )
    db["marks"].create_index(["call_id"])
    # The fitted matcher (pickled), so that `match` scores new calls without fitting again.
    db["matcher_model"].create(
        {
            "name": str,
            "fingerprint": str,
            "marks_digest": str,
            "fitted_at": str,
            "fitted_size": int,
            "model": bytes,
        },
        pk="name",
    )


def _m006_deliveries_incidents(db: sqlite_utils.Database) -> None:
    # The delivery log that makes every message go out once: one row per message ever due, keyed
    # by what it is ("digest:kansliet:2026-W48", "reminder:buf:<call>:<deadline>:14"). A row is
    # written 'sending' before the SMTP conversation and 'sent' after it; a failure leaves 'failed'
    # with the error, and the next run tries again. `cutoff` is up to when a digest covered calls.
    db["deliveries"].create(
        {
            "key": str,
            "kind": str,
            "recipient": str,
            "period": str,
            "status": str,
            "attempts": int,
            "error": str,
            "message_id": str,
            "subject": str,
            "items": str,
            "cutoff": str,
            "created": str,
            "updated": str,
            "sent_at": str,
        },
        pk="key",
    )
    db["deliveries"].create_index(["kind", "recipient", "status"])
    # An open incident per source (failing N runs in a row, or suddenly empty): notified once, and
    # once more on recovery (then the row is closed).
    db["source_incidents"].create(
        {
            "id": int,
            "source": str,
            "kind": str,
            "since": str,
            "notified_at": str,
            "recovered_at": str,
            "recovery_notified_at": str,
            "message": str,
        },
        pk="id",
    )
    db["source_incidents"].create_index(["source", "recovered_at"])


def _m007_mark_forvaltning(db: sqlite_utils.Database) -> None:
    # The förvaltning a mark was made for: its recipients get the deadline reminders.
    db["marks"].add_column("forvaltning", str)


def _m008_legal(db: sqlite_utils.Database) -> None:
    # Legal items (directives, regulations, proposals, consultations): one row per act, merged
    # across the sources that list it (`data` is the whole item as JSON), with history as calls have.
    db["legal_items"].create(
        {
            "id": str,
            "kind": str,
            "celex": str,
            "title_sv": str,
            "title_en": str,
            "date": str,
            "next_transposition": str,
            "feedback_end": str,
            "sources": str,
            "data": str,
            "content_hash": str,
            "first_seen": str,
            "last_seen": str,
            "last_changed": str,
        },
        pk="id",
    )
    db["legal_items"].create_index(["celex"])
    db["legal_items"].create_index(["first_seen"])
    db["legal_events"].create(
        {"id": int, "item_id": str, "run_id": int, "at": str, "event": str, "detail": str},
        pk="id",
        foreign_keys=[("item_id", "legal_items", "id"), ("run_id", "source_runs", "id")],
    )
    db["legal_events"].create_index(["item_id", "at"])
    # Which förvaltningar an item concerns: scores per förvaltning, those routed to, and why.
    db["legal_routes"].create(
        {
            "item_id": str,
            "scores": str,
            "routed_to": str,
            "why": str,
            "scored_hash": str,
            "model": str,
            "scored_at": str,
        },
        pk="item_id",
        foreign_keys=[("item_id", "legal_items", "id")],
    )


MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [
    _m001_initial,
    _m002_source_digest,
    _m003_regions_precision_groups,
    _m004_source_state,
    _m005_scores_marks,
    _m006_deliveries_incidents,
    _m007_mark_forvaltning,
    _m008_legal,
]


def fold(text: str) -> str:
    """Text for case-insensitive comparison: NFC first, so a decomposed 'ä' (a + U+0308) matches 'Ä'."""
    return unicodedata.normalize("NFC", text).casefold()


def normalised_title(title: str | None) -> str:
    """A title as compared between sources: case, punctuation and spacing left out."""
    if not title:
        return ""
    words = re.findall(r"\w+", fold(title) or "")
    return " ".join(words)


def _deadline_days(deadlines_json: str | None) -> list[str]:
    days = []
    for text in json.loads(deadlines_json or "[]"):
        moment = from_utc_text(text)
        if moment is not None:
            days.append(moment.astimezone(STOCKHOLM).date().isoformat())
    return days


def _casefold(value: str | None) -> str | None:
    return fold(value) if value is not None else None


class Store:
    """One SQLite file."""

    def __init__(self, db: sqlite_utils.Database, path: str) -> None:
        self.db = db
        self.path = path

    @classmethod
    def open(cls, path: str | Path) -> Store:
        """Open (creating folders and file as needed) and bring the schema up to date."""
        path = Path(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(str(path), timeout=30)
            db = sqlite_utils.Database(conn)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA foreign_keys=ON")
            conn.create_function("casefold", 1, _casefold, deterministic=True)
            store = cls(db, str(path))
            store.migrate()
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"databasen {path} kan inte användas: {exc}") from None
        return store

    def close(self) -> None:
        self.db.conn.close()

    def migrate(self) -> None:
        with self.db.conn:
            if "migrations" not in self.db.table_names():
                self.db["migrations"].create({"version": int, "applied": str}, pk="version")
            done = {row["version"] for row in self.db["migrations"].rows}
            for version, migration in enumerate(MIGRATIONS, start=1):
                if version in done:
                    continue
                migration(self.db)
                self.db["migrations"].insert({"version": version, "applied": to_utc_text(_now())})
                log.debug("migration %d applied", version)

    @property
    def schema_version(self) -> int:
        return self.db.execute("SELECT MAX(version) FROM migrations").fetchone()[0] or 0

    # --- runs ----------------------------------------------------------------------------------

    def begin_run(self, source: str, started: datetime) -> int:
        with self.db.conn:
            # A run of this source still 'running' belongs to a process that died mid-run: say so.
            # (Done here, not on open, so that a query during a live collect leaves that run alone.)
            self.db.execute(
                "UPDATE source_runs SET outcome = 'error', message = 'avbröts innan körningen blev klar', "
                "finished = COALESCE(finished, started) WHERE outcome = 'running' AND source = ?",
                [source],
            )
            cursor = self.db.execute(
                "INSERT INTO source_runs (source, started, outcome, items, new, changed, closed, pages) "
                "VALUES (?, ?, 'running', 0, 0, 0, 0, 0)",
                [source, to_utc_text(started)],
            )
        return cursor.lastrowid

    def update_run(
        self, run_id: int, counts: RunCounts, outcome: str, message: str | None, finished: bool = False
    ) -> None:
        """A run's row as it stands (the caller holds the transaction)."""
        self.db.execute(
            "UPDATE source_runs SET outcome = ?, message = ?, items = ?, new = ?, changed = ?, closed = ?, "
            "pages = ?, finished = ? WHERE id = ?",
            [
                outcome,
                message,
                counts.items,
                counts.new,
                counts.changed,
                counts.closed,
                counts.pages,
                to_utc_text(_now()) if finished else None,
                run_id,
            ],
        )

    def source_state(self, source: str) -> dict[str, str]:
        return {
            row["name"]: row["value"]
            for row in self.db.query("SELECT name, value FROM source_state WHERE source = ?", [source])
        }

    def save_source_state(self, source: str, state: dict[str, str]) -> None:
        with self.db.conn:
            self.db.conn.executemany(
                "INSERT INTO source_state (source, name, value, updated) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (source, name) DO UPDATE SET value = excluded.value, updated = excluded.updated",
                [(source, name, value, to_utc_text(_now())) for name, value in state.items()],
            )

    def writer(self, run_id: int, source: str, now: datetime) -> CallWriter:
        return CallWriter(self, run_id, source, now)

    def last_runs(self) -> list[dict]:
        return list(
            self.db.query(
                "SELECT * FROM source_runs WHERE id IN (SELECT MAX(id) FROM source_runs GROUP BY source) "
                "ORDER BY source"
            )
        )

    def runs(self, source: str | None = None, limit: int = 50) -> list[dict]:
        where, params = ("WHERE source = ?", [source]) if source else ("", [])
        return list(
            self.db.query(f"SELECT * FROM source_runs {where} ORDER BY id DESC LIMIT {int(limit)}", params)
        )

    # --- reading calls -------------------------------------------------------------------------

    def query_calls(self, query: CallQuery, now: datetime) -> list[dict]:
        sql, params = query.to_sql(now)
        return list(self.db.query(sql, params))

    def get_call(self, wanted: str) -> dict | None:
        """A call by its id (`source:key`), or by an identifier that names exactly one call."""
        row = next(self.db.query("SELECT * FROM calls WHERE id = ?", [wanted]), None)
        if row is not None:
            return row
        rows = list(
            self.db.query(
                "SELECT * FROM calls WHERE casefold(identifier) = casefold(?) OR casefold(key) = casefold(?) "
                "LIMIT 20",
                [wanted, wanted],
            )
        )
        if len({row["group_id"] or row["id"] for row in rows}) != 1:
            return None  # none, or several different calls: the id is needed
        return next((row for row in rows if row["id"] == row["group_id"]), rows[0])

    def events(self, call_id: str) -> list[dict]:
        return list(self.db.query("SELECT * FROM call_events WHERE call_id = ? ORDER BY id", [call_id]))

    def count_calls(self, source: str | None = None) -> int:
        if source:
            return self.db.execute("SELECT COUNT(*) FROM calls WHERE source = ?", [source]).fetchone()[0]
        return self.db.execute("SELECT COUNT(*) FROM calls").fetchone()[0]

    def regroup(self) -> int:
        """Make one call of each call that several sources list; returns how many records moved.

        Two records are the same call when they share an official identifier, or else have the
        same normalised title and a deadline on the same day (Stockholm). Records of one source
        are never merged with each other: a source lists each of its calls once. The primary
        publisher's record stands for the group, else the one first seen.
        """
        # The primary publisher stands for the group: a record whose own identifier is one of its
        # official ones (the EU portal's topic, Vinnova's case number), before aggregators.
        rows = list(
            self.db.execute(
                "SELECT id, source, title, deadlines, official_ids, group_id FROM calls ORDER BY "
                "NOT EXISTS (SELECT 1 FROM json_each(calls.official_ids) WHERE value = calls.identifier), "
                "first_seen, id"
            )
        )
        group_of_key: dict[str, str] = {}
        sources_of_group: dict[str, set[str]] = {}
        assigned: dict[str, str] = {}
        for call_id, source, title, deadlines, official_ids, _ in rows:
            keys = [f"id:{fold(o)}" for o in json.loads(official_ids or "[]") if o]
            title_key = normalised_title(title)
            if title_key:
                keys += [f"title:{title_key}|{day}" for day in _deadline_days(deadlines)]
            group = next(
                (
                    group_of_key[k]
                    for k in keys
                    if k in group_of_key and source not in sources_of_group[group_of_key[k]]
                ),
                call_id,
            )
            assigned[call_id] = group
            sources_of_group.setdefault(group, set()).add(source)
            for k in keys:
                group_of_key.setdefault(k, group)
        moved = [(group, call_id) for call_id, _, _, _, _, old in rows if (group := assigned[call_id]) != old]
        if moved:
            with self.db.conn:
                self.db.conn.executemany("UPDATE calls SET group_id = ? WHERE id = ?", moved)
        return len(moved)

    def group_members(self, group_id: str) -> list[dict]:
        return list(
            self.db.query("SELECT * FROM calls WHERE group_id = ? ORDER BY first_seen, id", [group_id])
        )

    def members_by_group(self, group_ids: list[str]) -> dict[str, list[dict]]:
        """The sources and links of each group: {group id: [{id, source, url}, …]}."""
        found: dict[str, list[dict]] = {g: [] for g in group_ids}
        for start in range(0, len(group_ids), 500):
            chunk = group_ids[start : start + 500]
            marks = ", ".join("?" * len(chunk))
            for member in self.db.query(
                f"SELECT group_id, id, source, url FROM calls WHERE group_id IN ({marks}) "
                "ORDER BY first_seen, id",
                chunk,
            ):
                found[member.pop("group_id")].append(member)
        return found

    def count_events(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM call_events").fetchone()[0]

    # --- scores and marks ----------------------------------------------------------------------

    def calls_to_score(self, everything: bool = False) -> list[dict]:
        """Call records without scores, or whose content changed since they were scored."""
        where = "" if everything else (" WHERE s.call_id IS NULL OR s.scored_hash IS NOT calls.content_hash")
        return list(
            self.db.query(
                "SELECT calls.* FROM calls LEFT JOIN call_scores AS s ON s.call_id = calls.id"
                f"{where} ORDER BY calls.id"
            )
        )

    def all_calls(self) -> list[dict]:
        return list(self.db.query("SELECT * FROM calls ORDER BY id"))

    def save_scores(self, rows: Iterable[dict[str, Any]]) -> int:
        """Upsert scores (rows of `call_scores`); returns how many were written, in one transaction."""
        rows = list(rows)
        with self.db.conn:
            self.db["call_scores"].upsert_all(rows, pk="call_id")
        return len(rows)

    def count_scored(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM call_scores").fetchone()[0]

    def scores_of(self, call_id: str) -> dict | None:
        return next(self.db.query("SELECT * FROM call_scores WHERE call_id = ?", [call_id]), None)

    def add_mark(
        self,
        call_id: str,
        mark: str,
        area: str | None,
        note: str | None,
        who: str,
        at: datetime,
        forvaltning: str | None = None,
    ) -> int:
        with self.db.conn:
            cursor = self.db.execute(
                "INSERT INTO marks (call_id, mark, area, note, who, at, forvaltning) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [call_id, mark, area, note, who, to_utc_text(at), forvaltning],
            )
        return cursor.lastrowid

    def current_marks(self) -> list[dict]:
        """The newest mark of each call per area (area NULL: the call as a whole), oldest first,
        with the marked call's title and identifier."""
        return list(
            self.db.query(
                "SELECT marks.*, calls.title AS title, calls.identifier AS identifier FROM marks "
                "JOIN calls ON calls.id = marks.call_id WHERE marks.id = (SELECT MAX(m.id) FROM marks AS m "
                "WHERE m.call_id = marks.call_id AND m.area IS marks.area) ORDER BY marks.id"
            )
        )

    def mark_history(self, call_id: str) -> list[dict]:
        return list(self.db.query("SELECT * FROM marks WHERE call_id = ? ORDER BY id", [call_id]))

    # --- deliveries and incidents ----------------------------------------------------------------

    def delivery(self, key: str) -> dict | None:
        return next(self.db.query("SELECT * FROM deliveries WHERE key = ?", [key]), None)

    def begin_delivery(self, row: dict[str, Any], now: datetime) -> None:
        """Record that a message is about to be sent ('sending'), counting the attempt."""
        stamp = to_utc_text(now)
        with self.db.conn:
            self.db.execute(
                "INSERT INTO deliveries (key, kind, recipient, period, status, attempts, message_id, "
                "subject, items, cutoff, created, updated) VALUES (:key, :kind, :recipient, :period, "
                "'sending', 1, :message_id, :subject, :items, :cutoff, :now, :now) "
                "ON CONFLICT (key) DO UPDATE SET status = 'sending', attempts = attempts + 1, "
                "message_id = excluded.message_id, "
                "subject = excluded.subject, items = excluded.items, cutoff = excluded.cutoff, "
                "error = NULL, updated = excluded.updated",
                {
                    "key": row["key"],
                    "kind": row["kind"],
                    "recipient": row["recipient"],
                    "period": row.get("period"),
                    "message_id": row.get("message_id"),
                    "subject": row.get("subject"),
                    "items": json.dumps(row.get("items") or [], ensure_ascii=False),
                    "cutoff": row.get("cutoff"),
                    "now": stamp,
                },
            )

    def finish_delivery(self, key: str, error: str | None, now: datetime) -> None:
        stamp = to_utc_text(now)
        with self.db.conn:
            if error is None:
                self.db.execute(
                    "UPDATE deliveries SET status = 'sent', error = NULL, sent_at = ?, updated = ? "
                    "WHERE key = ?",
                    [stamp, stamp, key],
                )
            else:
                self.db.execute(
                    "UPDATE deliveries SET status = 'failed', error = ?, updated = ? WHERE key = ?",
                    [error, stamp, key],
                )

    def deliveries(self, kind: str | None = None, recipient: str | None = None) -> list[dict]:
        where, params = [], []
        if kind:
            where.append("kind = ?")
            params.append(kind)
        if recipient:
            where.append("recipient = ?")
            params.append(recipient)
        sql = "SELECT * FROM deliveries" + (" WHERE " + " AND ".join(where) if where else "")
        return list(self.db.query(sql + " ORDER BY created, key", params))

    def last_cutoff(self, kind: str, recipient: str) -> str | None:
        """Up to when the last delivered message of this kind covered calls, for this recipient."""
        return self.db.execute(
            "SELECT MAX(cutoff) FROM deliveries WHERE kind = ? AND recipient = ? AND status = 'sent'",
            [kind, recipient],
        ).fetchone()[0]

    def open_incident(self, source: str) -> dict | None:
        return next(
            self.db.query(
                "SELECT * FROM source_incidents WHERE source = ? AND recovery_notified_at IS NULL "
                "ORDER BY id DESC LIMIT 1",
                [source],
            ),
            None,
        )

    def open_incidents(self) -> list[dict]:
        return list(
            self.db.query("SELECT * FROM source_incidents WHERE recovered_at IS NULL ORDER BY source, id")
        )

    def save_incident(self, row: dict[str, Any]) -> int:
        with self.db.conn:
            if row.get("id"):
                self.db["source_incidents"].update(row["id"], row)
                return row["id"]
            return self.db["source_incidents"].insert(row).last_pk

    def load_model(self, name: str = "tfidf") -> dict | None:
        return next(self.db.query("SELECT * FROM matcher_model WHERE name = ?", [name]), None)

    def save_model(self, row: dict[str, Any]) -> None:
        with self.db.conn:
            self.db["matcher_model"].upsert(row, pk="name")


def _now() -> datetime:
    from monitor.records import utc_now

    return utc_now()


# --- writing one run --------------------------------------------------------------------------


@dataclass
class _Known:
    """What the store holds of a call, as far as a run needs it to tell what changed."""

    content_hash: str
    source_digest: str | None
    completeness: tuple
    status: str
    listed: int
    deadlines: str


@dataclass
class _Batch:
    """The writes of one page, done together in one transaction."""

    inserts: list[dict] = field(default_factory=list)
    updates: list[dict] = field(default_factory=list)
    status_updates: list[tuple] = field(default_factory=list)
    touches: list[tuple] = field(default_factory=list)
    events: list[tuple] = field(default_factory=list)


@dataclass
class RunCounts:
    items: int = 0
    new: int = 0
    changed: int = 0
    closed: int = 0
    pages: int = 0


CALL_COLUMNS = [
    "id",
    "source",
    "key",
    "identifier",
    "title",
    "url",
    "call_type",
    "call_identifier",
    "call_title",
    "programme_id",
    "programme",
    "opening",
    "deadlines",
    "last_deadline",
    "deadline_model",
    "source_status",
    "status",
    "description",
    "conditions",
    "keywords",
    "budget",
    "language",
    "types_of_action",
    "listed",
    "content_hash",
    "source_digest",
    "completeness",
    "opening_precision",
    "deadline_precision",
    "regions",
    "official_ids",
    "group_id",
    "first_seen",
    "last_seen",
    "last_changed",
]
_UPDATED_COLUMNS = [c for c in CALL_COLUMNS if c not in ("id", "source", "key", "first_seen", "group_id")]


def call_row(
    call: Call,
    status: str,
    now_text: str | None,
    content_hash: str = "",
    source_digest: str = "",
    completeness: tuple = (),
) -> dict[str, Any]:
    """The `calls` row of a record (also what `test-source` prints, without storing it)."""
    deadlines = [to_utc_text(d) for d in call.deadlines]
    return {
        "id": call.id,
        "source": call.source,
        "key": call.key,
        "identifier": call.identifier,
        "title": call.title,
        "url": call.url,
        "call_type": call.call_type,
        "call_identifier": call.call_identifier,
        "call_title": call.call_title,
        "programme_id": call.programme_id,
        "programme": call.programme,
        "opening": to_utc_text(call.opening),
        "deadlines": json.dumps(deadlines),
        "last_deadline": max(deadlines) if deadlines else None,
        "deadline_model": call.deadline_model,
        "source_status": call.source_status,
        "status": status,
        "description": call.description,
        "conditions": call.conditions,
        "keywords": json.dumps(call.keywords, ensure_ascii=False),
        "budget": json.dumps(asdict(call.budget)) if call.budget else None,
        "language": call.language,
        "types_of_action": json.dumps(call.types_of_action, ensure_ascii=False),
        "listed": 1,
        "content_hash": content_hash,
        "source_digest": source_digest,
        "completeness": json.dumps(list(completeness)),
        "opening_precision": call.opening_precision,
        "deadline_precision": call.deadline_precision,
        "regions": json.dumps(call.regions, ensure_ascii=False),
        "official_ids": json.dumps(call.official_ids, ensure_ascii=False),
        "group_id": call.id,
        "first_seen": now_text,
        "last_seen": now_text,
        "last_changed": now_text,
    }


class CallWriter:
    """Saves one run of one source, page by page, each page in its own transaction.

    Pages are written as they arrive so memory stays flat; a failure half-way leaves what was
    written correct (new calls are new, changes are changes) and closes nothing.

    Change is noticed in two steps: a listing whose digest (of what the source said) equals the
    stored one is unchanged, and its full record is never built; otherwise the record is built and
    its content hash compared, so that a change the record does not keep writes no event.
    """

    def __init__(self, store: Store, run_id: int, source: str, now: datetime) -> None:
        self.store = store
        self.db = store.db
        self.run_id = run_id
        self.source = source
        self.now = now
        self.now_text = to_utc_text(now)
        self.counts = RunCounts()
        self.seen: dict[str, tuple] = {}  # id → completeness of the row kept in this run
        # A poorer copy of a stored call, held back in case the full row comes later in the run.
        self.held: dict[str, Listing] = {}
        self.changed: set[str] = set()  # ids counted as new or changed in this run
        self.known: dict[str, _Known] = {
            row[0]: _Known(row[1], row[2], tuple(json.loads(row[3] or "[]")), row[4], row[5], row[6])
            for row in self.db.execute(
                "SELECT id, content_hash, source_digest, completeness, status, listed, deadlines "
                "FROM calls WHERE source = ?",
                [source],
            )
        }
        self.listed_before = sum(1 for k in self.known.values() if k.listed)

    def _row(self, listing: Listing, call: Call, status: str, content_hash: str) -> dict[str, Any]:
        return call_row(call, status, self.now_text, content_hash, listing.digest, listing.completeness)

    def save_page(
        self,
        items: Iterable[Listing | Call],
        completeness: Callable[[Call], tuple] | None = None,
    ) -> None:
        """Write one page: inserts, updates and events; unchanged calls only get last_seen.

        Items are listings, or built calls (wrapped here, measured with `completeness`).
        """
        self.counts.pages += 1
        batch = _Batch()
        for item in items:
            listing = (
                item
                if isinstance(item, Listing)
                else Listing.of(item, completeness(item) if completeness else ())
            )
            self._take(listing, batch)
        self._write(batch)

    def _take(self, listing: Listing, batch: _Batch, final: bool = False) -> None:
        lid = listing.id
        kept = self.seen.get(lid)
        if kept is not None and kept >= listing.completeness:
            return  # a duplicate row of a call this run already has, and no fuller
        if kept is None:
            self.counts.items += 1
        self.seen[lid] = listing.completeness
        known = self.known.get(lid)
        if known is not None and kept is None and not final and listing.completeness < known.completeness:
            self.held[lid] = listing  # the stored row is fuller: wait for it until the run ends
            return
        self.held.pop(lid, None)
        status = decide_status(listing.opening, listing.deadlines, self.now, listing.source_status)

        if known is None:
            call = listing.call()
            row = self._row(listing, call, status, call.content_hash())
            batch.inserts.append(row)
            batch.events.append((lid, "new", {"status": status}))
            self.counts.new += 1
            self.changed.add(lid)  # new in this run: a fuller row later on is no change
            self.known[lid] = _Known(
                row["content_hash"], listing.digest, listing.completeness, status, 1, row["deadlines"]
            )
            return

        events = []
        if not known.listed:
            events.append(("reappeared", {}))
        if known.status != status:
            events.append(
                ("closed" if status == CLOSED else "status_changed", {"old": known.status, "new": status})
            )

        if known.source_digest == listing.digest:
            if not events:
                batch.touches.append((self.now_text, lid))
                return
            # Nothing the source said changed: only the clock moved the status, or it came back.
            batch.status_updates.append((status, self.now_text, lid))
        else:
            call = listing.call()
            row = self._row(listing, call, status, call.content_hash())
            if row["content_hash"] == known.content_hash:
                row["last_changed"] = None  # the source's answer changed in nothing we keep
            else:
                if known.deadlines != row["deadlines"]:
                    events.insert(
                        0,
                        (
                            "deadline_changed",
                            {"old": json.loads(known.deadlines), "new": json.loads(row["deadlines"])},
                        ),
                    )
                if call.call_type == "page":
                    change = self._page_change(lid, call.description)
                    if change:
                        events.insert(0, ("page_changed", {"summary": change}))
            batch.updates.append(row)
            known.content_hash, known.deadlines = row["content_hash"], row["deadlines"]
            known.source_digest, known.completeness = listing.digest, listing.completeness
            if row["last_changed"] is None and not events:
                return
        known.status, known.listed = status, 1
        batch.events.extend((lid, kind, detail) for kind, detail in events)
        if lid not in self.changed:
            self.changed.add(lid)
            self.counts.changed += 1

    def _page_change(self, call_id: str, new_text: str) -> str | None:
        """A watched page's change as news: a short summary of what was added and removed."""
        from monitor.text import summarize_change

        found = self.db.execute("SELECT description FROM calls WHERE id = ?", [call_id]).fetchone()
        old_text = (found[0] if found else "") or ""
        return summarize_change(old_text, new_text) if old_text != new_text else None

    def _write(self, batch: _Batch) -> None:
        with self.db.conn:
            if batch.inserts:
                placeholders = ", ".join("?" * len(CALL_COLUMNS))
                self.db.conn.executemany(
                    f"INSERT INTO calls ({', '.join(CALL_COLUMNS)}) VALUES ({placeholders})",
                    [[row[c] for c in CALL_COLUMNS] for row in batch.inserts],
                )
            for row in batch.updates:
                columns = [c for c in _UPDATED_COLUMNS if not (c == "last_changed" and row[c] is None)]
                self.db.execute(
                    f"UPDATE calls SET {', '.join(f'{c} = ?' for c in columns)} WHERE id = ?",
                    [row[c] for c in columns] + [row["id"]],
                )
            if batch.status_updates:
                self.db.conn.executemany(
                    "UPDATE calls SET status = ?, listed = 1, last_seen = ? WHERE id = ?",
                    batch.status_updates,
                )
            if batch.touches:
                self.db.conn.executemany("UPDATE calls SET last_seen = ? WHERE id = ?", batch.touches)
            self._write_events(batch.events)
            self._update_run("running", None)

    def _write_events(self, events: list[tuple[str, str, dict]]) -> None:
        if events:
            self.db.conn.executemany(
                "INSERT INTO call_events (call_id, run_id, at, event, detail) VALUES (?, ?, ?, ?, ?)",
                [
                    (call_id, self.run_id, self.now_text, kind, json.dumps(detail, ensure_ascii=False))
                    for call_id, kind, detail in events
                ],
            )

    def _update_run(self, outcome: str, message: str | None, finished: bool = False) -> None:
        self.store.update_run(self.run_id, self.counts, outcome, message, finished)

    def finish(self, error: str | None = None, complete: bool = True) -> tuple[str, str | None]:
        """Record the run's outcome; close calls no longer listed only after a complete, non-empty run.

        `complete` is False for a run that by design lists only part of the source (an incremental
        fetch): then nothing is closed and an empty answer is no failure.
        """
        if self.held:
            # The fuller row never came: the poorer copy is what the source lists now.
            batch = _Batch()
            for listing in list(self.held.values()):
                del self.seen[listing.id]
                self.counts.items -= 1
                self._take(listing, batch, final=True)
            self.held.clear()
            self._write(batch)
        message = error
        if error is None and complete and self.counts.items == 0 and self.listed_before > 0:
            message = (
                f"källan gav inga utlysningar men listade {self.listed_before} förra gången; "
                "räknas som fel, inget stängdes"
            )
        if message is not None:
            with self.db.conn:
                self._update_run("error", message, finished=True)
            return "error", message
        gone = [cid for cid, k in self.known.items() if k.listed and cid not in self.seen] if complete else []
        with self.db.conn:
            if gone:
                self.db.conn.executemany(
                    "UPDATE calls SET listed = 0, status = ?, last_changed = ? WHERE id = ?",
                    [(CLOSED, self.now_text, cid) for cid in gone],
                )
                self._write_events(
                    [
                        (cid, "closed", {"old": self.known[cid].status, "new": CLOSED, "reason": "unlisted"})
                        for cid in gone
                    ]
                )
                self.counts.closed = len(gone)
            c = self.counts
            outcome = "ok" if (c.new or c.changed or c.closed) else "unchanged"
            self._update_run(outcome, None, finished=True)
        return outcome, None


# --- queries ----------------------------------------------------------------------------------

SORTS = ("deadline", "new", "title")
_CLOSED_SQL = "(listed = 0 OR (last_deadline IS NOT NULL AND last_deadline < :now))"
# The same rule as records.decide_status, in SQL.
_AHEAD_SQL = (  # never NULL: NOT NULL would hide a row from both open and forthcoming
    "((opening IS NOT NULL AND opening > :now) "
    "OR (opening IS NULL AND COALESCE(source_status, '') = 'forthcoming'))"
)
STATUS_SQL = {
    "closed": _CLOSED_SQL,
    "forthcoming": f"(NOT {_CLOSED_SQL} AND {_AHEAD_SQL})",
    "open": f"(NOT {_CLOSED_SQL} AND NOT {_AHEAD_SQL})",
}
# Every call with the matcher's verdict on it (NULLs before it is scored).
SCORED_CALLS_SQL = (
    "SELECT calls.*, scores.scores AS scores, scores.best_area AS best_area, "
    "scores.best_score AS best_score, scores.why AS why, scores.eligible AS eligible, "
    "scores.ineligible_reason AS ineligible_reason FROM calls "
    "LEFT JOIN call_scores AS scores ON scores.call_id = calls.id"
)
_NEXT_DEADLINE_SQL = (
    "COALESCE((SELECT MIN(value) FROM json_each(calls.deadlines) WHERE value >= :now), last_deadline)"
)


@dataclass
class CallQuery:
    """The filters of `eumonitor calls`."""

    statuses: tuple[str, ...] = ("open", "forthcoming")
    deadline_within_days: int | None = None
    programme: str | None = None
    sources: tuple[str, ...] = ()
    search: str | None = None
    sort: str = "deadline"  # deadline | new | title | score
    limit: int | None = None
    area: str | None = None  # with min_score and sort "score": that area's score, else the best one
    min_score: int | None = None
    extra_where: list[str] = field(default_factory=list)

    def to_sql(self, now: datetime) -> tuple[str, dict[str, Any]]:
        params: dict[str, Any] = {"now": to_utc_text(now)}
        where: list[str] = []
        if self.statuses and set(self.statuses) != set(STATUS_SQL):
            where.append("(" + " OR ".join(STATUS_SQL[s] for s in self.statuses) + ")")
        if self.deadline_within_days is not None:
            params["until"] = to_utc_text(now + timedelta(days=self.deadline_within_days))
            where.append(
                "EXISTS (SELECT 1 FROM json_each(calls.deadlines) WHERE value >= :now AND value <= :until)"
            )
        if self.programme:
            params["programme"] = fold(self.programme)
            where.append(
                "instr(casefold(COALESCE(programme, '') || ' ' || COALESCE(programme_id, '') || ' ' || "
                "identifier), :programme) > 0"
            )
        # One row per call: the record that stands for its group (see Store.regroup).
        where.append("(group_id IS NULL OR group_id = id)")
        if self.sources:
            names = {f"source{i}": s for i, s in enumerate(self.sources)}
            params.update(names)
            where.append(
                "EXISTS (SELECT 1 FROM calls AS member WHERE member.group_id = calls.id "
                f"AND member.source IN ({', '.join(':' + n for n in names)}))"
            )
        if self.search:
            params["search"] = fold(self.search)
            where.append("instr(casefold(title || ' ' || COALESCE(description, '')), :search) > 0")
        # A call not scored yet has no score: it passes no --min-score and sorts last by score.
        score = "scores.best_score"
        if self.area:
            params["area_path"] = f"$.{self.area}"
            score = "json_extract(scores.scores, :area_path)"
        if self.min_score is not None:
            params["min_score"] = int(self.min_score)
            where.append(f"{score} >= :min_score")
        where.extend(self.extra_where)
        order = {
            "deadline": f"{_NEXT_DEADLINE_SQL} IS NULL, {_NEXT_DEADLINE_SQL}, casefold(title)",
            "new": "first_seen DESC, casefold(title)",
            "title": "casefold(title), id",
            "score": f"{score} IS NULL, {score} DESC, {_NEXT_DEADLINE_SQL} IS NULL, {_NEXT_DEADLINE_SQL}, "
            "casefold(title)",
        }[self.sort]
        sql = SCORED_CALLS_SQL
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += f" ORDER BY {order}"
        if self.limit is not None:
            sql += f" LIMIT {int(self.limit)}"
        return sql, params
