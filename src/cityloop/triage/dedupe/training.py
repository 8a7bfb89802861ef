"""Training a learned duplicate model on a labelled past period (e.g. Boston 2015 H1).

The labelled records are replayed in time order, exactly as the de-duplicator will see reports
later; every report with at least one earlier candidate becomes one row (its features against
its best candidate) labelled with whether the city closed it as a duplicate. A gradient-boosted
tree model (scikit-learn) learns P(duplicate | row); its merge threshold is the one with the
best F1 on time blocks of the history that each fit did not see, so neither the threshold nor
the category rates it uses were chosen on the rows they are judged on. Apply the model to a
later period only.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import Any

from cityloop.core.clock import get_clock
from cityloop.triage.dedupe.config import CategoryRule, DedupeConfig
from cityloop.triage.dedupe.engine import Deduplicator
from cityloop.triage.dedupe.errors import TrainingFailed
from cityloop.triage.dedupe.evaluate import Metrics, metrics, to_report
from cityloop.triage.dedupe.features import CATEGORY_COLUMN, FEATURES, NAN, features
from cityloop.triage.dedupe.learned import DedupeModel, Tree
from cityloop.triage.importers.records import ServiceRecord

#: Pseudo-count pulling a rare category's duplicate rate towards the overall rate.
CATEGORY_PRIOR_WEIGHT = 20.0
#: The category column knows this many categories (scikit-learn's limit is 255); rarer ones are unknown.
MAX_CATEGORIES = 250
#: Contiguous time blocks of the history for held-out category rates and the threshold.
BLOCKS = 4
#: Boosting settings: small trees, slow learning, strong leaves (the labels are noisy).
BOOSTING: dict[str, Any] = {
    "max_iter": 200,
    "learning_rate": 0.05,
    "max_leaf_nodes": 15,
    "min_samples_leaf": 40,
    "l2_regularization": 1.0,
    "early_stopping": False,
    "random_state": 0,
}


@dataclass(frozen=True, slots=True)
class Rows:
    """The training rows: features (category column to be filled), labels, categories, time blocks."""

    x: list[list[float]]
    y: list[bool]
    categories: list[str]
    blocks: list[int]
    #: position of each row's record in the history
    positions: list[int]


def collect_rows(
    records: Sequence[ServiceRecord], config: DedupeConfig, *, radius_m: float, window_hours: float
) -> Rows:
    """Replay `records` (in time order) and keep one row per report that has a candidate.

    Every category is searched with `radius_m` and `window_hours`, as the model will search the
    categories it knows.
    """
    dedupe = Deduplicator(_searching(config, radius_m, window_hours))
    rows = Rows([], [], [], [], [])
    size = max(1, math.ceil(len(records) / BLOCKS))
    for position, record in enumerate(records):
        report = to_report(record)
        scored = dedupe.candidates(report)
        if scored:
            rows.x.append(features(report, scored, scored[0], 0.0))
            rows.y.append(record.is_duplicate)
            rows.categories.append(record.category.lower())
            rows.blocks.append(position // size)
            rows.positions.append(position)
        dedupe.add(report)
    return rows


def _searching(config: DedupeConfig, radius_m: float, window_hours: float) -> DedupeConfig:
    """`config` with every category's radius and window set to the model's."""

    def widen(rule: CategoryRule) -> CategoryRule:
        return replace(rule, radius_m=radius_m, window_hours=window_hours)

    rules = MappingProxyType({k: widen(r) for k, r in config.rules.items()})
    return replace(config, default_rule=widen(config.default_rule), rules=rules)


def category_log_odds(categories: Sequence[str], labels: Sequence[bool]) -> tuple[dict[str, float], float]:
    """Smoothed duplicate log-odds per category, and the overall log-odds for unseen ones."""
    counts: dict[str, list[int]] = {}
    for category, label in zip(categories, labels, strict=True):
        cell = counts.setdefault(category, [0, 0])
        cell[0] += int(label)
        cell[1] += 1
    total = len(labels)
    prior = (sum(labels) + 0.5) / (total + 1.0)
    table = {
        c: _logit((d + CATEGORY_PRIOR_WEIGHT * prior) / (n + CATEGORY_PRIOR_WEIGHT))
        for c, (d, n) in counts.items()
    }
    return table, _logit(prior)


def _logit(p: float) -> float:
    return math.log(p / (1.0 - p))


def vocabulary(categories: Sequence[str]) -> tuple[str, ...]:
    """The most frequent categories (at most MAX_CATEGORIES), most frequent first."""
    counts = Counter(categories)
    return tuple(c for c, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_CATEGORIES])


def _codes(rows: Rows, vocab: Sequence[str]) -> list[float]:
    index = {c: float(i) for i, c in enumerate(vocab)}
    return [index.get(c, NAN) for c in rows.categories]


def _encode(rows: Rows, fit: Sequence[int], apply: Sequence[int]) -> dict[int, float]:
    """Category log-odds learned on rows `fit`, for rows `apply`."""
    table, prior = category_log_odds([rows.categories[i] for i in fit], [rows.y[i] for i in fit])
    return {i: table.get(rows.categories[i], prior) for i in apply}


def _matrix(
    rows: Rows, members: Sequence[int], logits: dict[int, float], codes: Sequence[float]
) -> list[list[float]]:
    """Rows `members` with their category log-odds and code filled in."""
    return [[logits[i], *rows.x[i][1:CATEGORY_COLUMN], codes[i]] for i in members]


def _held_out_encoding(rows: Rows, members: Sequence[int], codes: Sequence[float]) -> list[list[float]]:
    """Rows `members`, each one's category log-odds learned on the other blocks among `members`."""
    by_block: dict[int, list[int]] = {}
    for i in members:
        by_block.setdefault(rows.blocks[i], []).append(i)
    encoded: dict[int, float] = {}
    for block, inside in by_block.items():
        encoded.update(_encode(rows, [i for i in members if rows.blocks[i] != block], inside))
    return _matrix(rows, members, encoded, codes)


def _fit(x: list[list[float]], y: list[bool]) -> Any:
    import numpy as np
    from sklearn.ensemble import HistGradientBoostingClassifier
    from threadpoolctl import threadpool_limits

    matrix = np.asarray(x, dtype=float)
    # A column missing on every row cannot be split on; scikit-learn fails on it, so make it constant.
    matrix[:, np.isnan(matrix).all(axis=0)] = 0.0
    categorical = [i == CATEGORY_COLUMN for i in range(len(FEATURES))]
    # One thread: OpenMP threads on a busy shared machine are many times slower, not faster.
    with threadpool_limits(1):
        return HistGradientBoostingClassifier(**BOOSTING, categorical_features=categorical).fit(
            matrix, np.asarray(y, dtype=bool)
        )


def _column_maps(estimator: Any) -> tuple[list[int], list[list[int]]]:
    """Where each tree column comes from, and each categorical column's raw codes by encoded value.

    With categorical features scikit-learn puts them first and ordinal-encodes their values.
    """
    n = estimator.n_features_in_
    categorical = [
        bool(c) for c in (estimator.is_categorical_ if estimator.is_categorical_ is not None else [])
    ]
    if not any(categorical):
        return list(range(n)), []
    order = [i for i in range(n) if categorical[i]] + [i for i in range(n) if not categorical[i]]
    encoder = estimator._preprocessor.named_transformers_["encoder"]
    raw = [[int(v) for v in values if v == v] for values in encoder.categories_]
    return order, raw


def _left_categories(predictor: Any, raw: list[list[int]]) -> dict[int, frozenset[int]]:
    out: dict[int, frozenset[int]] = {}
    for i, node in enumerate(predictor.nodes):
        if node["is_leaf"] or not node["is_categorical"]:
            continue
        words = predictor.raw_left_cat_bitsets[node["bitset_idx"]]
        codes = raw[int(node["feature_idx"])]
        out[i] = frozenset(codes[c] for c in range(len(codes)) if (int(words[c // 32]) >> (c % 32)) & 1)
    return out


def export_trees(estimator: Any) -> tuple[tuple[Tree, ...], float]:
    """The trees and baseline of a fitted binary HistGradientBoostingClassifier, on the input columns."""
    order, raw = _column_maps(estimator)
    trees = []
    for (predictor,) in estimator._predictors:  # one tree per iteration for a binary target
        nodes = predictor.nodes
        trees.append(
            Tree(
                feature=tuple(
                    -1 if leaf else order[int(f)]
                    for f, leaf in zip(nodes["feature_idx"], nodes["is_leaf"], strict=True)
                ),
                threshold=tuple(float(t) for t in nodes["num_threshold"]),
                left=tuple(int(v) for v in nodes["left"]),
                right=tuple(int(v) for v in nodes["right"]),
                missing_left=tuple(bool(v) for v in nodes["missing_go_to_left"]),
                value=tuple(float(v) for v in nodes["value"]),
                left_categories=MappingProxyType(_left_categories(predictor, raw)),
            )
        )
    return tuple(trees), float(estimator._baseline_prediction.ravel()[0])


def best_threshold(truth: Sequence[bool], scores: Sequence[float]) -> tuple[float, Metrics]:
    """The cut-off (0.01 steps) with the best F1; of equally good cuts, the middle one (least fragile)."""
    by_cut = {step / 100: metrics(truth, [s >= step / 100 for s in scores]) for step in range(2, 100)}
    best = max(m.f1 for m in by_cut.values())
    ties = [c for c, m in by_cut.items() if m.f1 == best]
    cut = ties[len(ties) // 2]
    return cut, by_cut[cut]


def train_model(
    records: Sequence[ServiceRecord],
    config: DedupeConfig | None = None,
    *,
    radius_m: float = 200.0,
    window_hours: float = 24.0 * 60,
    sources: Sequence[str] = (),
) -> DedupeModel:
    """A model learned on labelled `records` (time order), with its held-out figures in the provenance."""
    rows = collect_rows(records, config or DedupeConfig(), radius_m=radius_m, window_hours=window_hours)
    return fit_model(records, rows, radius_m=radius_m, window_hours=window_hours, sources=sources)


def fit_model(
    records: Sequence[ServiceRecord],
    rows: Rows,
    *,
    radius_m: float,
    window_hours: float,
    sources: Sequence[str] = (),
) -> DedupeModel:
    """Fit on the rows collected from `records` with `radius_m` / `window_hours`; see `train_model`."""
    import numpy as np
    from threadpoolctl import threadpool_limits

    if len(rows.y) < 100 or not any(rows.y) or all(rows.y):
        raise TrainingFailed(
            f"{len(rows.y)} reports with an earlier candidate, {sum(rows.y)} of them duplicates: "
            "too little history to learn from (need ≥ 100 and both kinds)",
            details={"rows": len(rows.y), "duplicates": sum(rows.y)},
        )
    vocab = vocabulary(rows.categories)
    codes = _codes(rows, vocab)
    held_out = [0.0] * len(records)
    everyone = range(len(rows.y))
    for block in sorted(set(rows.blocks)):
        train = [i for i in everyone if rows.blocks[i] != block]
        test = [i for i in everyone if rows.blocks[i] == block]
        if not any(rows.y[i] for i in train):
            continue
        estimator = _fit(_held_out_encoding(rows, train, codes), [rows.y[i] for i in train])
        held = _matrix(rows, test, _encode(rows, train, test), codes)
        with threadpool_limits(1):
            probabilities = estimator.predict_proba(np.asarray(held, dtype=float))[:, 1]
        for i, p in zip(test, probabilities, strict=True):
            held_out[rows.positions[i]] = float(p)
    truth = [r.is_duplicate for r in records]
    merge, figures = best_threshold(truth, held_out)
    estimator = _fit(_held_out_encoding(rows, everyone, codes), rows.y)
    trees, baseline = export_trees(estimator)
    table, prior = category_log_odds(rows.categories, rows.y)
    return DedupeModel(
        trees=trees,
        baseline=baseline,
        category_log_odds=table,
        prior_log_odds=prior,
        merge_threshold=merge,
        suggest_threshold=round(merge / 2, 4),
        radius_m=radius_m,
        window_hours=window_hours,
        categories=vocab,
        provenance=_provenance(records, rows, sources, figures),
    )


def _provenance(
    records: Sequence[ServiceRecord], rows: Rows, sources: Sequence[str], held: Metrics
) -> dict[str, Any]:
    import sklearn

    return {
        "trained_on": list(sources),
        "period": [records[0].opened_at.isoformat(), records[-1].opened_at.isoformat()],
        "reports": len(records),
        "duplicates": sum(r.is_duplicate for r in records),
        "rows_with_candidates": len(rows.y),
        "trained_at": get_clock().now().isoformat(),
        "learner": f"scikit-learn {sklearn.__version__} HistGradientBoostingClassifier",
        "settings": dict(BOOSTING, category_prior_weight=CATEGORY_PRIOR_WEIGHT, blocks=BLOCKS),
        "held_out": {
            "method": f"{BLOCKS} time blocks, each predicted by a fit on the others",
            **held.as_dict(),
        },
    }
