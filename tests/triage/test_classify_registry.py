"""City model versions: install, pointer, listing, switching, refusals and the models directory."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from cityloop.core.clock import FrozenClock, use_clock
from cityloop.triage.classify import (
    MODELS_DIR_ENV,
    CityCodeInvalid,
    Model,
    ModelVersionMissing,
    clear_cache,
    current_path,
    current_version,
    install,
    list_versions,
    load_current,
    models_dir,
    train,
    use_version,
)

TEXTS = ["路灯不亮", "路灯坏了", "路灯闪烁", "油烟太大", "饭店油烟", "油烟呛人"]
LABELS = ["01037"] * 3 + ["06027"] * 3


@pytest.fixture(scope="module")
def model() -> Model:
    return train(TEXTS, LABELS)


def test_models_dir_from_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(MODELS_DIR_ENV, str(tmp_path / "m"))
    assert models_dir() == (tmp_path / "m").resolve()
    monkeypatch.delenv(MODELS_DIR_ENV)
    monkeypatch.setenv("CITYLOOP_VAR_DIR", str(tmp_path / "var"))
    assert models_dir() == (tmp_path / "var").resolve() / "models"


def test_install_makes_versions_and_moves_the_pointer(model: Model, tmp_path: Path) -> None:
    assert current_path("330100", tmp_path) is None
    assert load_current("330100", tmp_path) is None
    assert list_versions("330100", tmp_path) == []
    with use_clock(FrozenClock(datetime(2026, 11, 2, 1, 0, tzinfo=UTC))):
        first = install(model, "330100", tmp_path)
        second = install(model, "330100", tmp_path)
    assert (first.version, second.version) == (1, 2)
    assert second.path == tmp_path / "330100" / "v2.joblib"
    assert (tmp_path / "330100" / "v2.joblib.json").is_file()
    assert (tmp_path / "330100" / "CURRENT").read_text(encoding="utf-8") == "v2.joblib\n"
    assert current_version("330100", tmp_path) == 2
    assert second.metadata["city"] == {
        "code": "330100",
        "version": 2,
        "installed_at": "2026-11-02T01:00:00+00:00",
    }
    listed = list_versions("330100", tmp_path)
    assert [(v.version, v.current) for v in listed] == [(1, False), (2, True)]
    assert listed[0].metadata["n_samples"] == 6
    assert listed[0].metadata["city"]["version"] == 1
    assert list_versions("310100", tmp_path) == []


def test_load_current_reads_once_and_follows_the_pointer(model: Model, tmp_path: Path) -> None:
    clear_cache()
    install(model, "330100", tmp_path)
    install(model, "330100", tmp_path)
    current = load_current("330100", tmp_path)
    assert current is not None
    assert current.metadata["city"]["version"] == 2
    assert load_current("330100", tmp_path) is current
    back = use_version("330100", 1, tmp_path)
    assert (back.version, back.current) == (1, True)
    older = load_current("330100", tmp_path)
    assert older is not None and older is not current
    assert older.metadata["city"]["version"] == 1
    assert [v.current for v in list_versions("330100", tmp_path)] == [True, False]
    with pytest.raises(ModelVersionMissing) as missing:
        use_version("330100", 7, tmp_path)
    assert missing.value.code == "triage.classify.version_missing"
    assert current_version("330100", tmp_path) == 1


def test_a_pointer_to_a_missing_file_means_no_model(model: Model, tmp_path: Path) -> None:
    install(model, "330100", tmp_path)
    (tmp_path / "330100" / "v1.joblib").unlink()
    assert current_path("330100", tmp_path) is None
    assert load_current("330100", tmp_path) is None


@pytest.mark.parametrize("code", ["", "..", "../x", "a/b", ".hidden", "330 100", "x" * 65])
def test_city_codes_that_could_escape_are_refused(code: str, tmp_path: Path) -> None:
    with pytest.raises(CityCodeInvalid) as exc:
        list_versions(code, tmp_path)
    assert exc.value.code == "triage.classify.invalid_city"
    assert list(tmp_path.iterdir()) == []
