"""A trainable text classifier for reports: character n-gram TF-IDF and a linear model with
calibrated probabilities; top-k labels with confidence, saved with its training metadata and
versioned per city.

The names below load on first use (PEP 562): scikit-learn and SciPy take about a second to
import, and a process that only asks whether a city has a model (cities without history are
served by the cold-start knowledge) should not pay for them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cityloop.triage.classify.calibrate import TemperatureCalibrated
    from cityloop.triage.classify.errors import (
        CityCodeInvalid,
        ClassifierDataInvalid,
        ModelFileInvalid,
        ModelFileMissing,
        ModelVersionMissing,
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
    from cityloop.triage.classify.ngrams import CharNgramTfidf
    from cityloop.triage.classify.registry import (
        MODELS_DIR_ENV,
        ModelVersion,
        current_path,
        current_version,
        install,
        list_versions,
        load_current,
        models_dir,
        use_version,
    )
    from cityloop.triage.classify.store import clear_cache, load, load_cached, save, sidecar_path

_HOMES = {
    "calibrate": ("TemperatureCalibrated",),
    "errors": (
        "CityCodeInvalid",
        "ClassifierDataInvalid",
        "ModelFileInvalid",
        "ModelFileMissing",
        "ModelVersionMissing",
    ),
    "evaluate": ("evaluate", "scores"),
    "features": ("build_features", "jieba_tokens", "normalise"),
    "model": (
        "DEFAULT_OPTIONS",
        "Model",
        "check_training_data",
        "min_samples_for_cv",
        "min_samples_per_class",
        "train",
    ),
    "ngrams": ("CharNgramTfidf",),
    "registry": (
        "MODELS_DIR_ENV",
        "ModelVersion",
        "current_path",
        "current_version",
        "install",
        "list_versions",
        "load_current",
        "models_dir",
        "use_version",
    ),
    "store": ("clear_cache", "load", "load_cached", "save", "sidecar_path"),
}
_MODULE_OF = {name: module for module, names in _HOMES.items() for name in names}

__all__ = [
    "DEFAULT_OPTIONS",
    "MODELS_DIR_ENV",
    "CharNgramTfidf",
    "CityCodeInvalid",
    "ClassifierDataInvalid",
    "Model",
    "ModelFileInvalid",
    "ModelFileMissing",
    "ModelVersion",
    "ModelVersionMissing",
    "TemperatureCalibrated",
    "build_features",
    "check_training_data",
    "clear_cache",
    "current_path",
    "current_version",
    "evaluate",
    "install",
    "jieba_tokens",
    "list_versions",
    "load",
    "load_cached",
    "load_current",
    "min_samples_for_cv",
    "min_samples_per_class",
    "models_dir",
    "normalise",
    "save",
    "scores",
    "sidecar_path",
    "train",
    "use_version",
]

if sorted(__all__) != sorted(_MODULE_OF):  # pragma: no cover - a maintenance slip
    raise ImportError("cityloop.triage.classify: __all__ and _HOMES disagree")


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
