"""Saving and loading models: a joblib file plus a JSON sidecar with the training metadata.

The sidecar (`<path>.json`) lets people and tools read what a model is without unpickling
it. Load only model files you made or trust: joblib files are pickles.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import joblib

from cityloop.triage.classify.errors import ModelFileInvalid, ModelFileMissing
from cityloop.triage.classify.model import Model

FORMAT = "cityloop.triage.classify/1"

_cache: dict[tuple[str, int], Model] = {}
_cache_lock = threading.Lock()


def sidecar_path(path: str | Path) -> Path:
    """Where the JSON metadata of the model at `path` lives."""
    p = Path(path)
    return p.with_name(p.name + ".json")


def save(model: Model, path: str | Path) -> Path:
    """Write the model to `path` (joblib) and its metadata to `<path>.json`; return `path`."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "format": FORMAT,
        "pipeline": model.pipeline,
        "classes": list(model.classes),
        "metadata": model.metadata,
    }
    joblib.dump(payload, p, compress=3)
    sidecar_path(p).write_text(
        json.dumps(model.metadata, ensure_ascii=False, indent=2, default=str) + "\n",
        encoding="utf-8",
    )
    return p


def load(path: str | Path) -> Model:
    """Read a model written by `save`; clear errors for a missing or foreign file."""
    p = Path(path)
    if not p.is_file():
        raise ModelFileMissing(f"model file {str(p)!r} does not exist")
    try:
        payload: Any = joblib.load(p)
    except Exception as exc:  # a truncated file, a foreign pickle, not a pickle at all
        raise ModelFileInvalid(
            f"model file {str(p)!r} could not be read as a classifier model: {exc}"
        ) from exc
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise ModelFileInvalid(f"model file {str(p)!r} is not a {FORMAT} model")
    return Model(
        pipeline=payload["pipeline"],
        classes=tuple(payload["classes"]),
        metadata=dict(payload["metadata"]),
    )


def load_cached(path: str | Path) -> Model:
    """`load` once per process and file version (a rewritten file is read again)."""
    p = Path(path).resolve()
    if not p.is_file():
        raise ModelFileMissing(f"model file {str(p)!r} does not exist")
    key = (str(p), p.stat().st_mtime_ns)
    with _cache_lock:
        model = _cache.get(key)
        if model is None:
            model = load(p)
            for stale in [k for k in _cache if k[0] == key[0]]:
                del _cache[stale]
            _cache[key] = model
        return model


def clear_cache() -> None:
    """Forget every cached model (tests, or after replacing models in bulk)."""
    with _cache_lock:
        _cache.clear()
