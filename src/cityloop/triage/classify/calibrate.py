"""Cheap calibrated probabilities for a margin classifier: one temperature.

`CalibratedClassifierCV(cv=3)` keeps three SVMs and averages them at prediction time. Here the
final model is one SVM trained on all the data, and its scores become probabilities through a
softmax with a single temperature, fitted on out-of-fold scores of an inner split (models that
never saw those texts), so the confidence of the top-k means what it says. One parameter
cannot overfit a small training set, and a temperature never changes the ranking of labels.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy.optimize import minimize_scalar
from scipy.special import log_softmax, softmax
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.model_selection import StratifiedKFold

_LOG_SCALE_BOUNDS = (-4.0, 6.0)
"""Search range of ln(1/temperature): scores multiplied by between 0.02 and 400."""
_MISSING_MARGIN = 10.0
"""Score given to a class an inner model never saw (it had too few samples for the split)."""


def _scores(estimator: Any, x: Any) -> np.ndarray:
    """Decision scores with one column per class, also for two classes (then ±d/2)."""
    raw = np.asarray(estimator.decision_function(x), dtype=np.float64)
    if raw.ndim == 1:
        return np.column_stack([-raw / 2.0, raw / 2.0])
    return raw


def fit_scale(scores: np.ndarray, targets: np.ndarray) -> float:
    """The factor s (1/temperature) minimising the log-loss of softmax(s · scores) at `targets`."""

    def loss(log_scale: float) -> float:
        logp = log_softmax(scores * np.exp(log_scale), axis=1)
        return float(-logp[np.arange(len(targets)), targets].mean())

    found = minimize_scalar(loss, bounds=_LOG_SCALE_BOUNDS, method="bounded")
    return float(np.exp(found.x))


class TemperatureCalibrated(BaseEstimator, ClassifierMixin):  # type: ignore[misc]
    """A margin classifier (LinearSVC, SGD…) whose softmax-scaled scores are probabilities.

    `folds` inner stratified folds give out-of-fold scores for fitting the temperature; the
    model kept is `estimator` refitted on all the data. Every class needs `folds` samples.
    """

    def __init__(self, estimator: Any, *, folds: int = 3, seed: int = 0) -> None:
        self.estimator = estimator
        self.folds = folds
        self.seed = seed

    def fit(self, x: Any, y: Any) -> TemperatureCalibrated:
        """Fit the temperature on inner out-of-fold scores, then the model on everything."""
        labels = np.asarray(y)
        self.classes_, targets = np.unique(labels, return_inverse=True)
        splitter = StratifiedKFold(n_splits=self.folds, shuffle=True, random_state=self.seed)
        held_out = np.zeros((len(labels), len(self.classes_)), dtype=np.float64)
        for train_idx, test_idx in splitter.split(np.zeros(len(labels)), targets):
            inner = clone(self.estimator).fit(x[train_idx], labels[train_idx])
            columns = np.searchsorted(self.classes_, inner.classes_)
            held_out[test_idx] = -_MISSING_MARGIN
            held_out[np.ix_(test_idx, columns)] = _scores(inner, x[test_idx])
        self.scale_: float = fit_scale(held_out, targets)
        self.estimator_ = clone(self.estimator).fit(x, labels)
        return self

    def decision_function(self, x: Any) -> np.ndarray:
        """The uncalibrated scores of the final model, one column per class."""
        return _scores(self.estimator_, x)

    def predict_proba(self, x: Any) -> np.ndarray:
        """Calibrated probabilities, one row per sample, columns in `classes_` order."""
        proba: np.ndarray = softmax(self.decision_function(x) * self.scale_, axis=1)
        return proba

    def predict(self, x: Any) -> np.ndarray:
        """The most likely class of each sample."""
        result: np.ndarray = self.classes_[np.argmax(self.decision_function(x), axis=1)]
        return result
