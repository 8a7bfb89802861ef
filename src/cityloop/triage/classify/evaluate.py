"""Measuring a classifier: accuracy, macro-F1, per-class figures and prediction throughput.

Give a fitted `Model` to score it on the texts as they are (figures on seen messages flatter
it), or a factory `(texts, labels) -> Model` to run stratified K-fold cross-validation: each
fold trains a fresh model and is scored on messages it never saw — the honest figure.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

from sklearn.metrics import accuracy_score, f1_score, precision_recall_fscore_support
from sklearn.model_selection import StratifiedKFold
from threadpoolctl import threadpool_limits

from cityloop.triage.classify.errors import ClassifierDataInvalid
from cityloop.triage.classify.model import Model

Factory = Callable[[Sequence[str], Sequence[str]], Model]


def _timed_predict(model: Model, texts: Sequence[str]) -> tuple[list[str], float]:
    """Predictions of `texts` in one batch and the CPU seconds it took, on a single thread.

    CPU time of this process (not wall time) so that a busy shared machine does not count
    other processes' work against the classifier: it is the speed per core.
    """
    with threadpool_limits(limits=1):
        start = time.process_time()
        predicted = model.predict(texts)
        elapsed = time.process_time() - start
    return predicted, elapsed


def scores(labels: Sequence[str], predicted: Sequence[str]) -> dict[str, Any]:
    """Accuracy, macro-F1 and per-class precision/recall/f1/support of predictions."""
    classes = sorted(set(labels) | set(predicted))
    precision, recall, f1, support = precision_recall_fscore_support(
        labels, predicted, labels=classes, zero_division=0
    )
    return {
        "accuracy": round(float(accuracy_score(labels, predicted)), 4),
        "macro_f1": round(float(f1_score(labels, predicted, labels=sorted(set(labels)), average="macro")), 4),
        "per_class": {
            label: {
                "precision": round(float(p), 4),
                "recall": round(float(r), 4),
                "f1": round(float(f), 4),
                "support": int(s),
            }
            for label, p, r, f, s in zip(classes, precision, recall, f1, support, strict=True)
        },
    }


def evaluate(
    model_or_factory: Model | Factory,
    texts: Sequence[str],
    labels: Sequence[str],
    folds: int = 5,
    *,
    seed: int = 0,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Any]:
    """Score a model on the texts, or cross-validate a factory over `folds` stratified folds.

    `throughput_msgs_per_s` is the single-thread prediction speed per CPU second (features included) of the
    scored model over the evaluation texts; under CV, of each fold's model on its held-out fold.
    """
    texts, labels = list(texts), list(labels)
    if len(texts) != len(labels):
        raise ClassifierDataInvalid(f"{len(texts)} texts but {len(labels)} labels")
    if not texts:
        raise ClassifierDataInvalid("no texts to evaluate on")
    if isinstance(model_or_factory, Model):
        predicted, elapsed = _timed_predict(model_or_factory, texts)
        result = scores(labels, predicted)
        result.update(samples=len(texts), folds=None)
    else:
        if folds < 2:
            raise ClassifierDataInvalid(f"cross-validation needs at least 2 folds, not {folds}")
        splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
        predicted = [""] * len(texts)
        elapsed = 0.0
        fold_scores = []
        for i, (train_idx, test_idx) in enumerate(splitter.split(texts, labels)):
            model = model_or_factory([texts[j] for j in train_idx], [labels[j] for j in train_idx])
            fold_texts = [texts[j] for j in test_idx]
            fold_pred, seconds = _timed_predict(model, fold_texts)
            elapsed += seconds
            for j, label in zip(test_idx, fold_pred, strict=True):
                predicted[j] = label
            fold_labels = [labels[j] for j in test_idx]
            fold_scores.append(scores(fold_labels, fold_pred)["macro_f1"])
            if progress is not None:
                progress(i + 1, folds)
        result = scores(labels, predicted)
        result.update(samples=len(texts), folds=folds, fold_macro_f1=fold_scores)
    result["throughput_msgs_per_s"] = round(len(texts) / elapsed, 1) if elapsed > 0 else None
    return result
