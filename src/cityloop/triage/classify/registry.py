"""Versioned models per city: `<models dir>/<city>/v<N>.joblib` (+ `.json` sidecar) and a
`CURRENT` file naming the version in use.

Installing never overwrites: a new model becomes the next version and the pointer moves to
it, so a bad model is rolled back by pointing at an older version. The models directory is
`CITYLOOP_MODELS_DIR`, by default `models/` under the var directory (`CITYLOOP_VAR_DIR`,
default `./var`). Reading a city's current model goes through `store.load_cached`: the file
is unpickled once per process and version, and a newly installed version is picked up on
the next call without a restart.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cityloop.core.clock import get_clock
from cityloop.settings import load_settings
from cityloop.triage.classify.errors import CityCodeInvalid, ModelVersionMissing

if TYPE_CHECKING:
    from cityloop.triage.classify.model import Model

MODELS_DIR_ENV = "CITYLOOP_MODELS_DIR"
POINTER = "CURRENT"
_CITY = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
_VERSION_FILE = re.compile(r"v(\d+)\.joblib")


@dataclass(frozen=True)
class ModelVersion:
    """One installed model of a city, described from its sidecar (nothing is unpickled)."""

    city_code: str
    version: int
    path: Path
    current: bool
    metadata: dict[str, Any]


def models_dir() -> Path:
    """Where city models live: `CITYLOOP_MODELS_DIR`, else `<var dir>/models`."""
    configured = os.environ.get(MODELS_DIR_ENV)
    if configured:
        return Path(configured).resolve()
    return load_settings().var_dir / "models"


def city_dir(city_code: str, root: Path | None = None) -> Path:
    """The models directory of one city; refuses codes that could escape the models directory."""
    if not _CITY.fullmatch(city_code) or city_code.startswith(".") or ".." in city_code:
        raise CityCodeInvalid(
            f"city code {city_code!r} is not usable: letters, digits, '_', '-' or '.' (at most 64)"
        )
    return (root or models_dir()) / city_code


def _version_paths(directory: Path) -> dict[int, Path]:
    if not directory.is_dir():
        return {}
    found = {}
    for path in directory.iterdir():
        match = _VERSION_FILE.fullmatch(path.name)
        if match:
            found[int(match.group(1))] = path
    return found


def current_version(city_code: str, root: Path | None = None) -> int | None:
    """The version the city's pointer names, or None when the city has no model in use."""
    pointer = city_dir(city_code, root) / POINTER
    try:
        text = pointer.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    match = _VERSION_FILE.fullmatch(text)
    return int(match.group(1)) if match else None


def current_path(city_code: str, root: Path | None = None) -> Path | None:
    """The file of the city's current model, or None (no pointer, or it names a missing file)."""
    version = current_version(city_code, root)
    if version is None:
        return None
    path = city_dir(city_code, root) / f"v{version}.joblib"
    return path if path.is_file() else None


def load_current(city_code: str, root: Path | None = None) -> Model | None:
    """The city's current model (read once per process and version), or None without one."""
    path = current_path(city_code, root)
    if path is None:
        return None
    from cityloop.triage.classify.store import load_cached  # scikit-learn only when a model exists

    return load_cached(path)


def _write_pointer(directory: Path, version: int) -> None:
    """Point at `v<version>.joblib` atomically (write aside, then rename over)."""
    temporary = directory / f".{POINTER}.{os.getpid()}"
    temporary.write_text(f"v{version}.joblib\n", encoding="utf-8")
    os.replace(temporary, directory / POINTER)


def _reserve(directory: Path) -> tuple[int, Path]:
    """Claim the next free version number by creating its file exclusively."""
    directory.mkdir(parents=True, exist_ok=True)
    version = max(_version_paths(directory), default=0) + 1
    while True:
        path = directory / f"v{version}.joblib"
        try:
            with path.open("xb"):
                return version, path
        except FileExistsError:
            version += 1


def install(model: Model, city_code: str, root: Path | None = None) -> ModelVersion:
    """Save `model` as the city's next version and make it the current one."""
    from cityloop.triage.classify.store import save

    directory = city_dir(city_code, root)
    version, path = _reserve(directory)
    model.metadata["city"] = {
        "code": city_code,
        "version": version,
        "installed_at": get_clock().now().isoformat(),
    }
    try:
        save(model, path)
    except BaseException:
        path.unlink(missing_ok=True)
        _sidecar_path(path).unlink(missing_ok=True)
        raise
    _write_pointer(directory, version)
    return ModelVersion(city_code, version, path, True, dict(model.metadata))


def use_version(city_code: str, version: int, root: Path | None = None) -> ModelVersion:
    """Make an installed version the current one again (a roll-back, or forward)."""
    directory = city_dir(city_code, root)
    path = _version_paths(directory).get(version)
    if path is None:
        raise ModelVersionMissing(f"city {city_code} has no model version {version}")
    _write_pointer(directory, version)
    return ModelVersion(city_code, version, path, True, _sidecar(path))


def _sidecar_path(path: Path) -> Path:
    return path.with_name(path.name + ".json")  # as store.sidecar_path, without importing joblib


def _sidecar(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(_sidecar_path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def list_versions(city_code: str, root: Path | None = None) -> list[ModelVersion]:
    """Every installed model of the city, oldest first, the current one flagged."""
    directory = city_dir(city_code, root)
    current = current_version(city_code, root)
    return [
        ModelVersion(city_code, version, path, version == current, _sidecar(path))
        for version, path in sorted(_version_paths(directory).items())
    ]
