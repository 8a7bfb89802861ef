"""Per-category radius, window and behaviour, sibling categories and the two thresholds."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType


@dataclass(frozen=True, slots=True)
class CategoryRule:
    """How one category behaves: reports within `radius_m` and `window_hours` are candidates.

    `building_wide`: one problem per address (heat outage for a whole building); the same address
    is then near-certain evidence, a different address is not. `point_like`: many distinct
    problems can sit metres apart (potholes, sidewalk defects); distance weighs more.
    """

    radius_m: float = 100.0
    window_hours: float = 24.0 * 14
    building_wide: bool = False
    point_like: bool = False


def _frozen(data: Mapping[str, CategoryRule]) -> Mapping[str, CategoryRule]:
    return MappingProxyType(dict(data))


#: Categories known to behave differently, keyed by lower-cased category name.
DEFAULT_RULES: Mapping[str, CategoryRule] = _frozen(
    {
        # NYC: a building-wide condition is reported by many tenants of the same building.
        "heat/hot water": CategoryRule(radius_m=30.0, window_hours=24.0 * 7, building_wide=True),
        "noise": CategoryRule(radius_m=250.0, window_hours=12.0),
        # Boston: defects that come in clusters a few metres apart; ask for closeness.
        "sidewalk repair": CategoryRule(radius_m=40.0, window_hours=24.0 * 60, point_like=True),
        "sidewalk repair (make safe)": CategoryRule(radius_m=40.0, window_hours=24.0 * 60, point_like=True),
        "pothole repair (internal)": CategoryRule(radius_m=25.0, window_hours=24.0 * 14, point_like=True),
        "request for pothole repair": CategoryRule(radius_m=25.0, window_hours=24.0 * 14, point_like=True),
        "street light outages": CategoryRule(radius_m=60.0, window_hours=24.0 * 21),
        "abandoned vehicles": CategoryRule(radius_m=60.0, window_hours=24.0 * 30),
        "graffiti removal": CategoryRule(radius_m=60.0, window_hours=24.0 * 60),
    }
)


@dataclass(frozen=True, slots=True)
class DedupeConfig:
    """Everything the de-duplicator is tuned by; thresholds are on a 0..1 score.

    The default thresholds were chosen on Boston 2015 H1 only (see bench/dedupe.py).
    """

    merge_threshold: float = 0.90
    suggest_threshold: float = 0.75
    default_rule: CategoryRule = field(default_factory=CategoryRule)
    rules: Mapping[str, CategoryRule] = field(default_factory=lambda: DEFAULT_RULES)
    #: category → categories it may duplicate (lower-cased); symmetric use is up to the table.
    siblings: Mapping[str, frozenset[str]] = field(default_factory=lambda: MappingProxyType({}))
    h3_resolution: int = 10
    max_suggestions: int = 3
    weight_distance: float = 0.45
    weight_time: float = 0.25
    weight_text: float = 0.30
    closed_factor: float = 0.6

    def rule_for(self, category: str) -> CategoryRule:
        """The rule of `category` (case-insensitive), else the default."""
        return self.rules.get(category.lower(), self.default_rule)

    def related(self, category: str) -> frozenset[str]:
        """The lower-cased categories a report of `category` may duplicate (itself included)."""
        key = category.lower()
        return self.siblings.get(key, frozenset()) | {key}

    def with_thresholds(self, merge: float, suggest: float) -> DedupeConfig:
        """A copy with other thresholds (suggest is capped at merge)."""
        return replace(self, merge_threshold=merge, suggest_threshold=min(suggest, merge))
