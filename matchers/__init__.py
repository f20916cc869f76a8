"""Scoring of calls against the municipality's profile (issue 4): pure functions over records.

    from matchers import from_profile, match_input_from_row
    from matchers.tfidf import Matcher                      # imports scikit-learn

    areas, glossary, context = from_profile(load_profile(path))
    corpus = [match_input_from_row(row) for row in rows]
    matcher = Matcher().fit(corpus, areas, glossary, context)
    for result in matcher.score(new_calls):
        result.scores, result.best_area, result.why, result.eligible, result.ineligible_reason

The modules, in the order data flows through them:

- `model`: what the matchers read (`AreaSpec`, `Glossary`, `Context`, `MatchInput`), how a loaded
  profile.yaml becomes them (`from_profile`) and a `Call` or a stored row a `MatchInput`;
- `text`: words in two languages: stems, stop words, Swedish compounds, phrases, and the glossary's
  shared concept tokens ("vänortssamarbete" and "town twinning" both give "c:vanort");
- `eligibility`: can the municipality apply at all ("kommun kan inte söka: endast företag");
- `tfidf`: the matcher: a score 0–100 per area, the best area, why, marks (Rocchio), refitting;
- `bm25`: the naive baseline the matcher is measured against;
- `metrics`: nDCG@k and precision@k, and `evaluate()` of both on a labelled set.

Nothing here touches the network, the database or the CLI, and only `tfidf` and `metrics.evaluate`
import scikit-learn, so query commands that only read stored scores never load it.
"""

from matchers.model import (
    AreaSpec,
    Context,
    Glossary,
    MatchInput,
    from_profile,
    match_input_from_call,
    match_input_from_row,
    profile_fingerprint,
)

__all__ = [
    "AreaSpec",
    "Context",
    "Glossary",
    "MatchInput",
    "from_profile",
    "match_input_from_call",
    "match_input_from_row",
    "profile_fingerprint",
]
