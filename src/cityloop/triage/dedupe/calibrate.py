"""Category behaviour learned from history: P(duplicate | category, score band).

A city's past decisions (cases voided as 重复上报, or 311 cases closed as duplicates) say how often
a close repeat of each category really is the same problem: ten tenants reporting one heat outage
are, two potholes a few metres apart are not. The table is fitted on one period and applied to a
later one; the labels of the reports being decided are never read.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

#: Lower edges of the raw-score bands (the first band holds "no candidate at all").
BANDS = (0.0, 0.01, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95)
#: Pseudo-count pulling a rare category towards the all-category rate of its band.
PRIOR_WEIGHT = 10.0


def band_of(score: float) -> int:
    """Index of the band holding a raw score."""
    return max(0, bisect_right(BANDS, score) - 1)


@dataclass(frozen=True, slots=True)
class Calibration:
    """Duplicate rates by band (all categories) and by (category, band), with merge / suggest cut-offs."""

    overall: tuple[float, ...]
    by_category: Mapping[tuple[str, int], tuple[int, int]]
    merge_threshold: float = 0.5
    suggest_threshold: float = 0.3

    def probability(self, category: str, score: float) -> float:
        """Smoothed share of duplicates among past reports of `category` scoring in the same band."""
        band = band_of(score)
        prior = self.overall[band]
        dups, total = self.by_category.get((category.lower(), band), (0, 0))
        return (dups + PRIOR_WEIGHT * prior) / (total + PRIOR_WEIGHT)


def fit_calibration(
    categories: Sequence[str],
    scores: Sequence[float],
    labels: Sequence[bool],
    *,
    merge: float,
    suggest: float,
) -> Calibration:
    """The rate table from past (category, best raw score, was it a duplicate) rows."""
    band_counts = [[0, 0] for _ in BANDS]
    by_category: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0, 0])
    for category, score, label in zip(categories, scores, labels, strict=True):
        band = band_of(score)
        for cell in (band_counts[band], by_category[(category.lower(), band)]):
            cell[0] += int(label)
            cell[1] += 1
    overall = tuple((d + 0.5) / (n + 1.0) for d, n in band_counts)
    table = {key: (v[0], v[1]) for key, v in by_category.items()}
    return Calibration(overall, table, merge_threshold=merge, suggest_threshold=min(suggest, merge))
