"""Scoring stored calls against the profile: the step between the store and the notifications.

    report = match_calls(store, profile)                # new and changed calls
    report = match_calls(store, profile, everything=True)  # `eumonitor match --all`

The fitted matcher (matchers.tfidf.Matcher) is kept pickled in the store's `matcher_model` table, so
a run only analyses the calls it scores. It is refitted on every stored call, and every call is
scored again, when:

- there is no model yet, or it cannot be read (another version of eumonitor or scikit-learn);
- the profile's areas, glossary or context changed (its fingerprint);
- the marks changed: marks move the areas' vectors, so every score moves with them;
- the matcher says so (`Matcher.refit_reason`): more than 20 % new calls scored since the fit, or
  their words mostly unknown to the vocabulary, so the idf has drifted;
- `--all` was asked for.

Otherwise only calls without scores, or whose content changed since they were scored, are scored,
with the model as it is. A failure leaves the stored scores as they were: scores and the model are
written only after scoring succeeded.

**Marks** (`eumonitor mark`) teach the matcher: for each area, the calls marked `relevant` or
`interesting` for it (or, marked without an area, whose best area it is) pull the area's vector
towards them, those marked `not-relevant` push it away (Rocchio, see matchers.tfidf). The newest
mark of a call per area counts. This module imports scikit-learn (through matchers.tfidf); the query
commands never import it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import pickle
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from matchers.model import from_profile, match_input_from_row, profile_fingerprint
from monitor.evaluation import profile_examples
from monitor.profile import Profile
from monitor.records import to_utc_text, utc_now
from monitor.store import Store

log = logging.getLogger(__name__)

MODEL_NAME = "tfidf"
MARKS = ("relevant", "not-relevant", "interesting")
POSITIVE_MARKS = ("relevant", "interesting")

# (what is being done, in Swedish) — called before each step of a long run.
StepCallback = Callable[[str], None]


@dataclass
class MatchReport:
    """What a `match` run did."""

    scored: int
    total: int
    refit_reason: str | None  # Swedish; None when the stored model was used as it is
    marks: int
    seconds: float


def marks_digest(marks: list[dict]) -> str:
    """A digest of the marks that move the vectors: a change means every score moves."""
    payload = sorted((m["call_id"], m["area"] or "", m["mark"]) for m in marks)
    return hashlib.sha256(json.dumps(payload).encode("utf-8")).hexdigest()[:16]


def model_version() -> int:
    from matchers.tfidf import MODEL_VERSION  # scikit-learn only where matching happens

    return MODEL_VERSION


def _load(row: dict | None) -> Any:
    if row is None or row.get("model") is None:
        return None
    try:
        return pickle.loads(row["model"])
    except Exception as exc:  # a model pickled by another version: refit, never fail
        log.info("the stored matcher model cannot be read (%s); refitting", exc)
        return None


def _refit_reason(
    model: Any, model_row: dict | None, fingerprint: str, digest: str, everything: bool
) -> str | None:
    if everything:
        return "alla utlysningar poängsätts om (--all)"
    if model is None:
        return "ingen sparad modell" if model_row is None else "den sparade modellen kunde inte läsas"
    if getattr(model, "model_version", 1) != model_version():
        return "matchningen har ändrats sedan modellen anpassades (ny version av eumonitor)"
    if model_row["fingerprint"] != fingerprint:
        return "profilens områden, ordlista eller sammanhang har ändrats"
    if model_row["marks_digest"] != digest:
        return "markeringarna har ändrats"
    reason = model.refit_reason(fingerprint)
    # The matcher's own reasons (many new calls, unknown words) are for the log; say them in Swedish.
    return None if reason is None else f"många nya eller okända ord sedan modellen anpassades ({reason})"


def apply_marks(
    matcher: Any, marks: list[dict], rows_by_id: dict[str, dict], best_area: dict[str, str]
) -> int:
    """Move each area's vector by the marks (Rocchio). Returns how many marks were used."""
    keys = [area.key for area in matcher.areas]
    relevant: dict[str, list] = {key: [] for key in keys}
    not_relevant: dict[str, list] = {key: [] for key in keys}
    used = 0
    for mark in marks:
        row = rows_by_id.get(mark["call_id"])
        area = mark["area"] or best_area.get(mark["call_id"])
        if row is None or area not in relevant:
            continue
        target = relevant if mark["mark"] in POSITIVE_MARKS else not_relevant
        target[area].append(match_input_from_row(row))
        used += 1
    for key in keys:
        if relevant[key] or not_relevant[key]:
            matcher.adjust(key, relevant[key], not_relevant[key])
    return used


def score_rows(results: list, rows_by_id: dict[str, dict], fingerprint: str, now: datetime) -> list[dict]:
    """Rows of `call_scores` from the matcher's results."""
    scored_at = to_utc_text(now)
    out = []
    for result in results:
        best = result.best_area
        out.append(
            {
                "call_id": result.id,
                "scores": json.dumps(result.scores),
                "best_area": best,
                "best_score": result.scores.get(best, 0) if best else 0,
                "why": json.dumps(result.why, ensure_ascii=False),
                "eligible": int(bool(result.eligible)),
                "ineligible_reason": result.ineligible_reason,
                "scored_hash": rows_by_id[result.id].get("content_hash"),
                "model": fingerprint,
                "scored_at": scored_at,
            }
        )
    return out


def match_calls(
    store: Store,
    profile: Profile,
    *,
    everything: bool = False,
    now: datetime | None = None,
    step: StepCallback | None = None,
) -> MatchReport:
    """Score new and changed calls (or all of them, refitting, when needed or asked)."""
    from matchers.tfidf import Matcher  # scikit-learn: only when matching

    started = time.monotonic()
    now = now or utc_now()
    say = step or (lambda _text: None)
    areas, glossary, context = from_profile(profile)
    examples = profile_examples(profile)
    fingerprint = profile_fingerprint(areas, glossary, context, examples)
    marks = store.current_marks()
    digest = marks_digest(marks)
    model_row = store.load_model(MODEL_NAME)
    model = _load(model_row)
    reason = _refit_reason(model, model_row, fingerprint, digest, everything)
    total = store.count_calls()
    if reason is None:
        rows = store.calls_to_score()
        if not rows:
            return MatchReport(0, total, None, len(marks), time.monotonic() - started)
        say(f"Poängsätter {len(rows)} nya eller ändrade utlysningar")
        results = model.score([match_input_from_row(r) for r in rows])
        rows_by_id = {r["id"]: r for r in rows}
    else:
        rows = store.all_calls()
        rows_by_id = {r["id"]: r for r in rows}
        inputs = [match_input_from_row(r) for r in rows]
        say(f"Anpassar modellen till {len(rows)} utlysningar ({reason})")
        model = Matcher(home=profile.home())
        if marks and rows:
            # Marks without an area teach the call's best area as the profile alone scores it.
            model.fit(inputs, areas, glossary, context, examples)
            marked = [rows_by_id[m["call_id"]] for m in marks if m["call_id"] in rows_by_id]
            best = {
                r.id: r.best_area for r in model.score([match_input_from_row(r) for r in marked], new=False)
            }
            apply_marks(model, marks, rows_by_id, best)
            say(f"Poängsätter {len(rows)} utlysningar med {len(marks)} markeringar")
            results = model.score(inputs, new=False)
        elif rows:
            results = model.fit_score(inputs, areas, glossary, context, examples)
        else:
            results = []
    store.save_scores(score_rows(results, rows_by_id, fingerprint, now))
    if model is not None and model.transformer is not None:
        store.save_model(
            {
                "name": MODEL_NAME,
                "fingerprint": fingerprint,
                "marks_digest": digest,
                "fitted_at": to_utc_text(now) if reason else model_row["fitted_at"],
                "fitted_size": model.fitted_size,
                "model": pickle.dumps(model, protocol=pickle.HIGHEST_PROTOCOL),
            }
        )
    return MatchReport(len(results), total, reason, len(marks), time.monotonic() - started)


# --- legal items: routing to förvaltningar ------------------------------------------------------


def routing_fingerprint(specs: list, glossary: list, threshold: int) -> str:
    payload = json.dumps(
        [[s.key, list(s.terms_sv), list(s.terms_en), list(s.eurovoc)] for s in specs] + [glossary, threshold],
        ensure_ascii=False,
        sort_keys=True,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


def route_legal(
    store: Store, profile: Profile, *, everything: bool = False, now: datetime | None = None
) -> int:
    """Route new and changed legal items (all, when the förvaltningar's subjects changed) to the
    förvaltningar they concern (matchers.routing); returns how many were routed."""
    from matchers.routing import DEFAULT_THRESHOLD, Router, glossary_from_profile, specs_from_profile
    from monitor.legal_store import item_from_dict, items_to_route, save_routes

    specs = specs_from_profile(profile)
    glossary = glossary_from_profile(profile)
    model = routing_fingerprint(specs, [[sv, list(en)] for sv, en in glossary], DEFAULT_THRESHOLD)
    rows = items_to_route(store, model, everything)
    if not rows:
        return 0
    router = Router(specs, glossary)
    stamp = to_utc_text(now or utc_now())
    routes = []
    for row in rows:
        routing = router.route(item_from_dict(json.loads(row["data"])))
        routes.append(
            {
                "item_id": row["id"],
                "scores": json.dumps(routing.scores),
                "routed_to": json.dumps(routing.routed_to),
                "why": json.dumps(routing.why, ensure_ascii=False),
                "scored_hash": row["content_hash"],
                "model": model,
                "scored_at": stamp,
            }
        )
    save_routes(store, routes)
    return len(routes)
