"""Online de-duplication of reports: candidates by H3 cell and address, scored by distance, time, text.

Optionally with a category calibration or a learned model (`cityloop dedupe train`) from a
city's labelled history.
"""

from cityloop.triage.dedupe.calibrate import Calibration, fit_calibration
from cityloop.triage.dedupe.config import DEFAULT_RULES, CategoryRule, DedupeConfig
from cityloop.triage.dedupe.engine import Deduplicator
from cityloop.triage.dedupe.errors import DedupeModelInvalid, TrainingFailed
from cityloop.triage.dedupe.evaluate import (
    Metrics,
    baseline,
    learn_calibration,
    metrics,
    replay,
    tune_thresholds,
)
from cityloop.triage.dedupe.learned import DedupeModel, load_model
from cityloop.triage.dedupe.model import Decision, Report, Suggestion
from cityloop.triage.dedupe.scoring import haversine_m, text_similarity
from cityloop.triage.dedupe.training import train_model

__all__ = [
    "DEFAULT_RULES",
    "Calibration",
    "CategoryRule",
    "Decision",
    "DedupeConfig",
    "DedupeModel",
    "DedupeModelInvalid",
    "Deduplicator",
    "Metrics",
    "Report",
    "Suggestion",
    "TrainingFailed",
    "baseline",
    "fit_calibration",
    "haversine_m",
    "learn_calibration",
    "load_model",
    "metrics",
    "replay",
    "text_similarity",
    "train_model",
    "tune_thresholds",
]
