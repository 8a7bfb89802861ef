"""The online de-duplicator: each report against the recent ones of its own and sibling categories."""

from __future__ import annotations

from datetime import timedelta

from cityloop.triage.dedupe.calibrate import Calibration
from cityloop.triage.dedupe.config import DedupeConfig
from cityloop.triage.dedupe.index import RecentIndex
from cityloop.triage.dedupe.model import Decision, Report, Suggestion
from cityloop.triage.dedupe.scoring import Score, Weights, haversine_m, normalise_address, score_pair


class Deduplicator:
    """Decides, for reports arriving in time order, whether each repeats an earlier one.

    `observe` = `decide` then `add`. Every report is kept as a possible master, duplicates too
    (a tenant may repeat a neighbour's repeat). With a `calibration` learned from the city's
    history, the score is the probability that such a repeat of this category is a duplicate, and
    the calibration's thresholds apply instead of the configuration's.
    """

    def __init__(self, config: DedupeConfig | None = None, calibration: Calibration | None = None) -> None:
        self.config = cfg = config or DedupeConfig()
        self.calibration = calibration
        if calibration is None:
            self.merge_threshold, self.suggest_threshold = cfg.merge_threshold, cfg.suggest_threshold
        else:
            self.merge_threshold, self.suggest_threshold = (
                calibration.merge_threshold,
                calibration.suggest_threshold,
            )
        rules = [self.config.default_rule, *self.config.rules.values()]
        horizon = timedelta(hours=max(r.window_hours for r in rules))
        self.index = RecentIndex(self.config.h3_resolution, horizon)
        self.weights = Weights(cfg.weight_distance, cfg.weight_time, cfg.weight_text, cfg.closed_factor)

    def candidates(self, report: Report) -> list[tuple[Report, Score]]:
        """Earlier reports that may be the master of `report`, best score first."""
        rule = self.config.rule_for(report.category)
        address = normalise_address(report.address)
        seen: set[str] = set()
        scored: list[tuple[Report, Score]] = []
        for old in self.index.near(report, self.config.related(report.category), rule.radius_m):
            if old.id in seen or old.id == report.id:
                continue
            seen.add(old.id)
            distance = None
            if None not in (report.lat, report.lon, old.lat, old.lon):
                distance = haversine_m(report.lat, report.lon, old.lat, old.lon)  # type: ignore[arg-type]
            same_address = bool(address) and address == normalise_address(old.address)
            score = score_pair(
                report, old, rule, self.weights, distance_m=distance, same_address=same_address
            )
            if score is not None:
                scored.append((old, score))
        scored.sort(key=lambda item: (-item[1].value, -item[0].opened_at.timestamp()))
        return scored

    def _final(self, category: str, raw: float) -> float:
        return raw if self.calibration is None else self.calibration.probability(category, raw)

    def decide(self, report: Report) -> Decision:
        """Merge, suggest or new — without remembering `report`."""
        scored = self.candidates(report)
        if not scored:
            score = self._final(report.category, 0.0)
            return Decision(report.id, False, None, score, "no earlier report nearby in the window")
        best, best_score = scored[0]
        value = self._final(report.category, best_score.value)
        reason = best_score.reason(report.category)
        if self.calibration is not None:
            reason += f"; raw score {best_score.value:.2f}, duplicate rate of such repeats {value:.2f}"
        if value >= self.merge_threshold:
            return Decision(
                report.id,
                True,
                best.id,
                value,
                f"duplicate of {best.id} (score {value:.2f} ≥ {self.merge_threshold:.2f}): {reason}",
            )
        suggestions = tuple(
            Suggestion(old.id, final, score.reason(report.category))
            for old, score in scored[: self.config.max_suggestions]
            if (final := self._final(report.category, score.value)) >= self.suggest_threshold
        )
        verdict = "suggested to the operator" if suggestions else "new"
        return Decision(
            report.id,
            False,
            None,
            value,
            f"{verdict}: best {best.id} scores {value:.2f} < {self.merge_threshold:.2f}: {reason}",
            suggestions,
        )

    def add(self, report: Report) -> None:
        """Keep `report` as a possible master for later reports."""
        self.index.add(report)

    def observe(self, report: Report) -> Decision:
        """Decide on `report`, then remember it."""
        decision = self.decide(report)
        self.add(report)
        return decision
