"""A trainable text classifier for reports: jieba words + character n-grams, TF-IDF, calibrated
linear model; top-k labels with confidence, saved with its training metadata."""

from cityloop.triage.classify.errors import (
    ClassifierDataInvalid,
    ModelFileInvalid,
    ModelFileMissing,
)
from cityloop.triage.classify.evaluate import evaluate, scores
from cityloop.triage.classify.features import build_features, jieba_tokens, normalise
from cityloop.triage.classify.model import (
    DEFAULT_OPTIONS,
    Model,
    check_training_data,
    min_samples_for_cv,
    min_samples_per_class,
    train,
)
from cityloop.triage.classify.store import clear_cache, load, load_cached, save, sidecar_path

__all__ = [
    "DEFAULT_OPTIONS",
    "ClassifierDataInvalid",
    "Model",
    "ModelFileInvalid",
    "ModelFileMissing",
    "build_features",
    "check_training_data",
    "clear_cache",
    "evaluate",
    "jieba_tokens",
    "load",
    "load_cached",
    "min_samples_for_cv",
    "min_samples_per_class",
    "normalise",
    "save",
    "scores",
    "sidecar_path",
    "train",
]
