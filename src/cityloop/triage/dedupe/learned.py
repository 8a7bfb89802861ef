"""A learned duplicate model: boosted trees over the features of `features.py`, as plain JSON.

The trees are trained with scikit-learn (see `training.py`) and exported to lists of nodes, so a
model is a small readable file that loads without unpickling anything and is evaluated in pure
Python (a few hundred node visits per report). The file keeps its provenance: the data it was
learned on, when, with what, and how it scored on held-out months of that data.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from cityloop.triage.dedupe.errors import DedupeModelInvalid
from cityloop.triage.dedupe.features import FEATURES, NAN

FORMAT = "cityloop.dedupe.model/1"


#: (feature, threshold, left, right, missing_left, left categories or None, value); feature −1 = leaf.
Node = tuple[int, float, int, int, bool, frozenset[int] | None, float]


def _walk(nodes: Sequence[Node], row: Sequence[float]) -> float:
    """The leaf value reached by `row` (the hot loop: one tuple per node, no attribute lookups)."""
    node = nodes[0]
    while node[0] >= 0:
        x = row[node[0]]
        if x != x:  # NaN: the side chosen at training
            node = nodes[node[2] if node[4] else node[3]]
        elif node[5] is not None:
            node = nodes[node[2] if int(x) in node[5] else node[3]]
        else:
            node = nodes[node[2] if x <= node[1] else node[3]]
    return node[6]


@dataclass(frozen=True, slots=True)
class Tree:
    """One regression tree: node i splits on `feature[i]` (−1 for a leaf holding `value[i]`).

    A row goes left when its value is ≤ `threshold[i]`, or, on a categorical split (node in
    `left_categories`), when its category code is one of those listed; a missing value (NaN)
    goes left when `missing_left[i]`.
    """

    feature: tuple[int, ...]
    threshold: tuple[float, ...]
    left: tuple[int, ...]
    right: tuple[int, ...]
    missing_left: tuple[bool, ...]
    value: tuple[float, ...]
    left_categories: Mapping[int, frozenset[int]] = field(default_factory=lambda: MappingProxyType({}))

    def nodes(self) -> tuple[Node, ...]:
        """The nodes as tuples (feature, threshold, left, right, missing_left, left categories, value)."""
        cats = self.left_categories
        return tuple(
            zip(
                self.feature,
                self.threshold,
                self.left,
                self.right,
                self.missing_left,
                (cats.get(i) for i in range(len(self.feature))),
                self.value,
                strict=True,
            )
        )

    def predict(self, row: Sequence[float]) -> float:
        """The leaf value reached by `row`."""
        return _walk(self.nodes(), row)

    def as_dict(self) -> dict[str, Any]:
        return {
            "feature": list(self.feature),
            "threshold": list(self.threshold),
            "left": list(self.left),
            "right": list(self.right),
            "missing_left": [int(m) for m in self.missing_left],
            "value": list(self.value),
            "left_categories": {str(k): sorted(v) for k, v in sorted(self.left_categories.items())},
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Tree:
        tree = cls(
            feature=tuple(int(v) for v in data["feature"]),
            threshold=tuple(float(v) for v in data["threshold"]),
            left=tuple(int(v) for v in data["left"]),
            right=tuple(int(v) for v in data["right"]),
            missing_left=tuple(bool(v) for v in data["missing_left"]),
            value=tuple(float(v) for v in data["value"]),
            left_categories=MappingProxyType(
                {int(k): frozenset(int(c) for c in v) for k, v in data.get("left_categories", {}).items()}
            ),
        )
        n = len(tree.feature)
        if n == 0 or any(
            len(col) != n for col in (tree.threshold, tree.left, tree.right, tree.missing_left, tree.value)
        ):
            raise ValueError("tree columns differ in length")
        # Children come after their parent (so every walk ends) and split on a known feature.
        if any(
            f >= len(FEATURES) or (f >= 0 and not (i < tree.left[i] < n and i < tree.right[i] < n))
            for i, f in enumerate(tree.feature)
        ):
            raise ValueError("tree node with a child or feature out of range")
        return tree


@dataclass(frozen=True)
class DedupeModel:
    """P(duplicate | report, its best earlier candidate, the reports around it).

    Candidates are earlier reports of the same or a sibling category within `radius_m` (or at
    the same address) and `window_hours`. `category_log_odds` is the smoothed duplicate rate of
    each (lower-cased) category in the training history and `categories` the vocabulary of the
    category column; a category it never saw gets `prior_log_odds` and a missing code, so the
    model also runs, category-blind, on another city's categories.
    """

    trees: tuple[Tree, ...]
    baseline: float
    category_log_odds: Mapping[str, float]
    prior_log_odds: float
    merge_threshold: float
    suggest_threshold: float
    radius_m: float = 200.0
    window_hours: float = 24.0 * 60
    categories: tuple[str, ...] = ()
    features: tuple[str, ...] = FEATURES
    provenance: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    _codes: Mapping[str, int] = field(init=False, repr=False, compare=False)
    _nodes: tuple[tuple[Node, ...], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_codes", {c: i for i, c in enumerate(self.categories)})
        object.__setattr__(self, "_nodes", tuple(t.nodes() for t in self.trees))

    def knows(self, category: str) -> bool:
        """Whether the training history held reports of `category` with an earlier candidate."""
        return category.lower() in self.category_log_odds

    def category_logit(self, category: str) -> float:
        """The category's log-odds of being a duplicate in the training history (prior if unseen)."""
        return self.category_log_odds.get(category.lower(), self.prior_log_odds)

    def category_code(self, category: str) -> float:
        """The category's index in the vocabulary, NaN if the model never saw it."""
        code = self._codes.get(category.lower())
        return NAN if code is None else float(code)

    def probability(self, row: Sequence[float]) -> float:
        """P(duplicate) for one feature row (in the order of FEATURES)."""
        raw = self.baseline
        for nodes in self._nodes:
            raw += _walk(nodes, row)
        return 1.0 / (1.0 + math.exp(-raw)) if raw > -700 else 0.0

    def with_thresholds(self, merge: float, suggest: float | None = None) -> DedupeModel:
        """A copy with other cut-offs (suggest defaults to half the merge cut, and is capped at it)."""
        return replace(
            self,
            merge_threshold=merge,
            suggest_threshold=min(merge, merge / 2 if suggest is None else suggest),
        )

    def as_dict(self) -> dict[str, Any]:
        """The JSON document of the model."""
        return {
            "format": FORMAT,
            "features": list(self.features),
            "radius_m": self.radius_m,
            "window_hours": self.window_hours,
            "merge_threshold": self.merge_threshold,
            "suggest_threshold": self.suggest_threshold,
            "prior_log_odds": self.prior_log_odds,
            "category_log_odds": dict(sorted(self.category_log_odds.items())),
            "categories": list(self.categories),
            "provenance": dict(self.provenance),
            "baseline": self.baseline,
            "trees": [t.as_dict() for t in self.trees],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], source: str = "model") -> DedupeModel:
        """Check and load a model document; features must match this version's FEATURES."""
        if data.get("format") != FORMAT:
            raise DedupeModelInvalid(
                f"{source}: not a de-duplication model (format {data.get('format')!r}, expected {FORMAT!r})",
                details={"file": source},
            )
        if tuple(data.get("features", ())) != FEATURES:
            raise DedupeModelInvalid(
                f"{source}: the model was trained on other features than this version computes; retrain it",
                details={"file": source, "features": data.get("features")},
            )
        try:
            return cls(
                trees=tuple(Tree.from_dict(t) for t in data["trees"]),
                baseline=float(data["baseline"]),
                category_log_odds=MappingProxyType(
                    {str(k): float(v) for k, v in data["category_log_odds"].items()}
                ),
                prior_log_odds=float(data["prior_log_odds"]),
                merge_threshold=float(data["merge_threshold"]),
                suggest_threshold=float(data["suggest_threshold"]),
                radius_m=float(data["radius_m"]),
                window_hours=float(data["window_hours"]),
                categories=tuple(str(c) for c in data.get("categories", ())),
                provenance=MappingProxyType(dict(data.get("provenance", {}))),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise DedupeModelInvalid(
                f"{source}: broken model file ({exc})", details={"file": source}
            ) from exc

    def save(self, path: str | Path) -> Path:
        """Write the model as JSON to `path`."""
        p = Path(path)
        p.write_text(json.dumps(self.as_dict(), ensure_ascii=False, separators=(",", ":")) + "\n", "utf-8")
        return p


def load_model(path: str | Path) -> DedupeModel:
    """Read a model written by `DedupeModel.save` (or `cityloop dedupe train`)."""
    p = Path(path)
    try:
        data = json.loads(p.read_text("utf-8"))
    except FileNotFoundError as exc:
        raise DedupeModelInvalid(f"{p}: no such model file", details={"file": str(p)}) from exc
    except (OSError, ValueError) as exc:
        raise DedupeModelInvalid(f"{p}: not a JSON model file ({exc})", details={"file": str(p)}) from exc
    if not isinstance(data, dict):
        raise DedupeModelInvalid(f"{p}: not a de-duplication model", details={"file": str(p)})
    return DedupeModel.from_dict(data, str(p))
