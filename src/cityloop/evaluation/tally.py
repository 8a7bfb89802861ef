"""Counting per entity: figures, and the case numbers behind each bad figure."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field


@dataclass
class Tally:
    """Per entity key: named counts (floats for sums of hours) and, per indicator, the cases behind it."""

    counts: dict[str, dict[str, float]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(float))
    )
    cases: dict[str, dict[str, list[str]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(list))
    )

    def add(self, key: str, name: str, amount: float = 1) -> None:
        self.counts[key][name] += amount

    def blame(self, key: str, indicator: str, number: str) -> None:
        """Record case `number` as one behind a bad figure of `indicator`."""
        self.cases[key][indicator].append(number)

    def get(self, key: str, name: str) -> float:
        return self.counts.get(key, {}).get(name, 0.0)


def rate(numerator: float, denominator: float) -> float | None:
    """A percentage with two decimals; None when nothing was due (no denominator)."""
    return None if denominator <= 0 else round(100.0 * numerator / denominator, 2)
