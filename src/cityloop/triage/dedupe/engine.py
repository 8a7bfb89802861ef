"""The online de-duplicator: each report against the recent ones of its own and sibling categories."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import timedelta

from cityloop.triage.dedupe.calibrate import Calibration
from cityloop.triage.dedupe.config import CategoryRule, DedupeConfig
from cityloop.triage.dedupe.features import features
from cityloop.triage.dedupe.index import RecentIndex
from cityloop.triage.dedupe.learned import DedupeModel
from cityloop.triage.dedupe.model import Decision, Report, Suggestion
from cityloop.triage.dedupe.scoring import Score, Weights, haversine_m, normalise_address, score_pair

Scored = tuple[Report, Score]


class Deduplicator:
    """Decides, for reports arriving in time order, whether each repeats an earlier one.

    `observe` = `decide` then `add`. Every report is kept as a possible master, duplicates too
    (a tenant may repeat a neighbour's repeat). Three ways to turn the evidence into a score:
    the configured weights (no history needed); with a `calibration` learned from the city's
    history, the duplicate rate of such repeats in the category; with a learned `model`, its
    probability given the best candidate and the reports around it (candidates are then sought
    within the model's radius and window, which it was trained with). The thresholds of the
    calibration or model apply instead of the configuration's. A category the model never saw
    in its history is scored by it too, without the category's own rate: the city's general
    practice is a better guess than none.
    """

    def __init__(
        self,
        config: DedupeConfig | None = None,
        calibration: Calibration | None = None,
        model: DedupeModel | None = None,
    ) -> None:
        self.config = cfg = config or DedupeConfig()
        self.calibration = calibration
        self.model = model
        source: DedupeConfig | Calibration | DedupeModel = model or calibration or cfg
        self.merge_threshold, self.suggest_threshold = source.merge_threshold, source.suggest_threshold
        windows = [r.window_hours for r in (cfg.default_rule, *cfg.rules.values())]
        if model is not None:
            windows.append(model.window_hours)
        self.index = RecentIndex(cfg.h3_resolution, timedelta(hours=max(windows)))
        self.weights = Weights(cfg.weight_distance, cfg.weight_time, cfg.weight_text, cfg.closed_factor)
        self._rules: dict[str, CategoryRule] = {}

    def rule_for(self, category: str) -> CategoryRule:
        """The category's rule; with a model, its radius and window are the model's."""
        key = category.lower()
        rule = self._rules.get(key)
        if rule is None:
            rule = self.config.rule_for(category)
            if self.model is not None:
                rule = replace(rule, radius_m=self.model.radius_m, window_hours=self.model.window_hours)
            self._rules[key] = rule
        return rule

    def candidates(self, report: Report) -> list[Scored]:
        """Earlier reports that may be the master of `report`, best score first."""
        rule = self.rule_for(report.category)
        address = normalise_address(report.address)
        seen: set[str] = set()
        scored: list[Scored] = []
        for old in self.index.near(report, self.config.related(report.category), rule.radius_m):
            if old.id in seen or old.id == report.id:
                continue
            seen.add(old.id)
            distance = None
            if (
                report.lat is not None
                and report.lon is not None
                and old.lat is not None
                and old.lon is not None
            ):
                distance = haversine_m(report.lat, report.lon, old.lat, old.lon)
            same_address = bool(address) and address == normalise_address(old.address)
            score = score_pair(
                report, old, rule, self.weights, distance_m=distance, same_address=same_address
            )
            if score is not None:
                scored.append((old, score))
        scored.sort(key=lambda item: (-item[1].value, -item[0].opened_at.timestamp()))
        return scored

    def _scorer(self, report: Report, scored: Sequence[Scored]) -> tuple[Callable[[Scored], float], str]:
        """How a candidate's final score is computed for `report`, and the words for it."""
        model, calibration, category = self.model, self.calibration, report.category
        if model is not None:
            logit, code = model.category_logit(category), model.category_code(category)
            history = (
                f"a category duplicate rate of {1.0 / (1.0 + math.exp(-logit)):.3f} in its history"
                if model.knows(category)
                else "a category it never saw"
            )
            return (
                lambda item: model.probability(features(report, scored, item, logit, code)),
                f"learned model: P(duplicate) {{value:.2f}} given {len(scored)} earlier report(s) nearby "
                f"and {history}",
            )
        if calibration is not None:
            return (
                lambda item: calibration.probability(category, item[1].value),
                "raw score {raw:.2f}, duplicate rate of such repeats {value:.2f}",
            )
        return (lambda item: item[1].value), ""

    def decide(self, report: Report) -> Decision:
        """Merge, suggest or new — without remembering `report`."""
        scored = self.candidates(report)
        if not scored:
            score = 0.0
            if self.calibration is not None and self.model is None:
                score = self.calibration.probability(report.category, 0.0)
            return Decision(report.id, False, None, score, "no earlier report nearby in the window")
        final, how = self._scorer(report, scored)
        merge_threshold, suggest_threshold = self.merge_threshold, self.suggest_threshold
        best, best_score = scored[0]
        value = final(scored[0])
        reason = best_score.reason(report.category)
        if how:
            reason += "; " + how.format(raw=best_score.value, value=value)
        if value >= merge_threshold:
            return Decision(
                report.id,
                True,
                best.id,
                value,
                f"duplicate of {best.id} (score {value:.2f} ≥ {merge_threshold:.2f}): {reason}",
            )
        suggestions = tuple(
            Suggestion(old.id, score_value, score.reason(report.category))
            for i, (old, score) in enumerate(scored[: self.config.max_suggestions])
            if (score_value := value if i == 0 else final((old, score))) >= suggest_threshold
        )
        verdict = "suggested to the operator" if suggestions else "new"
        return Decision(
            report.id,
            False,
            None,
            value,
            f"{verdict}: best {best.id} scores {value:.2f} < {merge_threshold:.2f}: {reason}",
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
