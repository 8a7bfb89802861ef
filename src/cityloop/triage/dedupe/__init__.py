"""Online de-duplication of reports: candidates by H3 cell and address, scored by distance, time, text."""

from cityloop.triage.dedupe.calibrate import Calibration, fit_calibration
from cityloop.triage.dedupe.config import DEFAULT_RULES, CategoryRule, DedupeConfig
from cityloop.triage.dedupe.engine import Deduplicator
from cityloop.triage.dedupe.evaluate import (
    Metrics,
    baseline,
    learn_calibration,
    metrics,
    replay,
    tune_thresholds,
)
from cityloop.triage.dedupe.model import Decision, Report, Suggestion
from cityloop.triage.dedupe.scoring import haversine_m, text_similarity

__all__ = [
    "DEFAULT_RULES",
    "Calibration",
    "CategoryRule",
    "Decision",
    "DedupeConfig",
    "Deduplicator",
    "Metrics",
    "Report",
    "Suggestion",
    "baseline",
    "fit_calibration",
    "haversine_m",
    "learn_calibration",
    "metrics",
    "replay",
    "text_similarity",
    "tune_thresholds",
]
