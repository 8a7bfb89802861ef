"""From indicators to scores, the weighted composite, the grade and the budget tier (DOMAIN.md §7).

Rates score as themselves (0–100); bad rates (漏报率, 返工率, 监督举报率, …) as 100 − rate;
counts through the city's bands, after scaling the count to 30 days. The composite is the
weighted mean of the scores that have data: an indicator with nothing due (no denominator)
leaves the composite and the other weights are rescaled, so that an idle week does not read
as a failure or as a success.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from cityloop.cities.params import EvaluationParameters

#: Rates where more is worse.
BAD_RATES = frozenset(
    {"missed_report_rate", "rework_rate", "public_report_rate", "extension_rate", "evasion_rate"}
)
#: Counts scored through a band (`kind.indicator` in the bands parameter).
BANDED = frozenset({"accepted", "dispatched", "filed_density"})
BAND_DAYS = 30


def band_score(steps: Sequence[Sequence[float]], value: float) -> float:
    """The score of the highest step whose minimum `value` reaches (0 below every step)."""
    score = 0.0
    for minimum, points in sorted(steps, key=lambda s: s[0]):
        if value >= minimum:
            score = float(points)
    return score


def weight_group(kind: str) -> str:
    return "area" if kind in ("grid", "community", "street", "district") else kind


def scores_of(
    kind: str,
    indicators: dict[str, Any],
    params: EvaluationParameters,
    *,
    days: int,
    area_class: str = "urban",
) -> dict[str, float | None]:
    """The 0–100 score of every weighted indicator of `kind` (None when it has no data)."""
    group = weight_group(kind)
    out: dict[str, float | None] = {}
    for name in params.weights.get(group, {}):
        value = indicators.get(name)
        if value is None:
            out[name] = None
        elif name in BANDED:
            key = f"{group}.{name}" + (f".{area_class}" if name == "filed_density" else "")
            steps = params.bands.get(key) or params.bands.get(f"{group}.{name}.urban", [])
            out[name] = band_score(steps, float(value) * BAND_DAYS / max(days, 1))
        elif name in BAD_RATES:
            out[name] = round(100.0 - float(value), 2)
        else:
            out[name] = round(float(value), 2)
    return out


def composite_of(kind: str, scores: dict[str, float | None], params: EvaluationParameters) -> float | None:
    """The weighted mean of the scores with data; None when no weighted indicator has data."""
    weights = params.weights.get(weight_group(kind), {})
    used = {name: w for name, w in weights.items() if scores.get(name) is not None and w > 0}
    total = sum(used.values())
    if total <= 0:
        return None
    return round(sum(w * float(scores[name] or 0.0) for name, w in used.items()) / total, 2)


def grade_of(composite: float | None, params: EvaluationParameters) -> str | None:
    if composite is None:
        return None
    if composite >= params.grade_a:
        return "A"
    if composite >= params.grade_b:
        return "B"
    return "C" if composite >= params.grade_c else "D"


def tier_of(composite: float | None, params: EvaluationParameters) -> str | None:
    """Budget linkage: `reward` from reward_from, `supervision` below supervision_below, else `normal`."""
    if composite is None:
        return None
    if composite >= params.reward_from:
        return "reward"
    return "supervision" if composite < params.supervision_below else "normal"


def strongest_weakest(scores: dict[str, float | None]) -> tuple[str | None, str | None]:
    """The indicators with the highest and the lowest score (ties: the first listed)."""
    have = [(name, s) for name, s in scores.items() if s is not None]
    if not have:
        return None, None
    return max(have, key=lambda p: p[1])[0], min(have, key=lambda p: p[1])[0]
