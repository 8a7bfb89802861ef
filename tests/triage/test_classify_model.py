"""The text classifier on a tiny fixture: training, top-k, save/load, evaluation and refusals."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from cityloop.core.clock import FrozenClock, use_clock
from cityloop.triage.classify import (
    ClassifierDataInvalid,
    Model,
    ModelFileInvalid,
    ModelFileMissing,
    clear_cache,
    evaluate,
    jieba_tokens,
    load,
    load_cached,
    normalise,
    save,
    sidecar_path,
    train,
)

FIXTURE = Path(__file__).parent / "fixtures" / "classify_small.csv"


def fixture_rows() -> tuple[list[str], list[str]]:
    with FIXTURE.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [f"{r['title']}\n{r['detail']}" for r in rows], [r["label"] for r in rows]


@pytest.fixture(scope="module")
def model() -> Model:
    texts, labels = fixture_rows()
    with use_clock(FrozenClock(datetime(2026, 3, 1, 8, 0, tzinfo=UTC))):
        return train(texts, labels)


def test_features_normalise_and_tokenise() -> None:
    assert normalise("A市A1区  文三路 12号 ABC") == "文三路 号 abc"
    assert jieba_tokens("饭店油烟 扰民") == ["饭店", "油烟", "扰民"]


def test_train_records_metadata(model: Model) -> None:
    assert model.classes == ("lamp", "manhole", "smoke")
    meta = model.metadata
    assert meta["created_at"] == "2026-03-01T08:00:00+00:00"
    assert meta["n_samples"] == 24
    assert meta["classes"] == ["lamp", "manhole", "smoke"]
    assert meta["class_counts"] == {"lamp": 8, "manhole": 8, "smoke": 8}
    assert meta["options"]["estimator"] == "svc"
    assert meta["options"]["calibration"] == "temperature"
    assert meta["options"]["words"] is False
    assert meta["options"]["char_ngrams"] == [1, 2]
    assert meta["options"]["head_chars"] == 60
    assert set(meta["versions"]) == {"sklearn", "jieba", "numpy", "python"}
    assert meta["versions"]["jieba"] == "0.42.1"


def test_predict_top_is_ordered_and_sums_at_most_one(model: Model) -> None:
    texts = ["人行道井盖没了", "路灯晚上不亮", "饭店油烟太大"]
    tops = model.predict_top(texts, 2)
    assert [top[0][0] for top in tops] == ["manhole", "lamp", "smoke"]
    for top in tops:
        assert len(top) == 2
        confidences = [c for _, c in top]
        assert confidences == sorted(confidences, reverse=True)
        assert sum(confidences) <= 1.0 + 1e-6
        assert all(0.0 <= c <= 1.0 for c in confidences)
    full = model.predict_top(["井盖"], 10)[0]
    assert len(full) == 3
    assert sum(c for _, c in full) == pytest.approx(1.0, abs=1e-5)
    assert model.predict_top([], 3) == []


def test_save_load_round_trip(model: Model, tmp_path: Path) -> None:
    path = save(model, tmp_path / "m" / "model.joblib")
    sidecar = json.loads(sidecar_path(path).read_text(encoding="utf-8"))
    assert sidecar_path(path).name == "model.joblib.json"
    assert sidecar["n_samples"] == 24
    assert sidecar["created_at"] == "2026-03-01T08:00:00+00:00"
    loaded = load(path)
    assert loaded.classes == model.classes
    assert loaded.metadata == model.metadata
    texts = ["井盖塌了", "路灯闪"]
    assert loaded.predict_top(texts, 3) == model.predict_top(texts, 3)


def test_load_cached_reads_once_per_file_version(model: Model, tmp_path: Path) -> None:
    clear_cache()
    path = save(model, tmp_path / "model.joblib")
    first = load_cached(path)
    assert load_cached(path) is first
    clear_cache()
    assert load_cached(path) is not first


def test_load_refuses_missing_and_foreign_files(tmp_path: Path) -> None:
    with pytest.raises(ModelFileMissing) as missing:
        load(tmp_path / "nope.joblib")
    assert missing.value.code == "triage.classify.model_missing"
    junk = tmp_path / "junk.joblib"
    junk.write_text("not a model", encoding="utf-8")
    with pytest.raises(ModelFileInvalid) as invalid:
        load(junk)
    assert invalid.value.code == "triage.classify.model_invalid"


def test_train_refuses_too_few_samples_per_class() -> None:
    texts, labels = fixture_rows()
    with pytest.raises(ClassifierDataInvalid) as exc:
        train([*texts, "垃圾没人收"], [*labels, "garbage"])
    assert exc.value.code == "triage.classify.invalid_data"
    assert "at least 3" in exc.value.message
    assert exc.value.details == [{"label": "garbage", "samples": 1}]
    with pytest.raises(ClassifierDataInvalid, match="at least 2 classes"):
        train(texts[:8], labels[:8])
    with pytest.raises(ClassifierDataInvalid, match="unknown training option"):
        train(texts, labels, colour="red")


def test_evaluate_a_model_and_cross_validate_a_factory(model: Model) -> None:
    texts, labels = fixture_rows()
    seen = evaluate(model, texts, labels)
    assert seen["accuracy"] == 1.0
    assert seen["macro_f1"] == 1.0
    assert seen["samples"] == 24
    assert seen["per_class"]["lamp"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "support": 8}
    assert seen["throughput_msgs_per_s"] > 0
    cv = evaluate(lambda t, y: train(t, y), texts, labels, folds=2)
    assert cv["folds"] == 2
    assert cv["samples"] == 24
    assert len(cv["fold_macro_f1"]) == 2
    assert sum(row["support"] for row in cv["per_class"].values()) == 24
    assert 0.5 <= cv["macro_f1"] <= 1.0


@pytest.mark.parametrize(
    "options",
    [
        {"calibration": "cv"},
        {"words": True, "head_chars": None},
        {"estimator": "lr", "class_weight": "none"},
        {"estimator": "sgd", "char_ngrams": [1, 3], "sublinear_tf": True, "max_chars": 40},
    ],
)
def test_other_configurations_still_train(options: dict[str, object]) -> None:
    texts, labels = fixture_rows()
    model = train(texts, labels, **options)
    tops = model.predict_top(["人行道井盖没了", "路灯晚上不亮", "饭店油烟太大"], 3)
    assert [top[0][0] for top in tops] == ["manhole", "lamp", "smoke"]
    assert all(sum(c for _, c in top) == pytest.approx(1.0, abs=1e-5) for top in tops)


def test_unknown_calibration_or_class_weight_is_refused() -> None:
    texts, labels = fixture_rows()
    with pytest.raises(ClassifierDataInvalid, match="unknown calibration"):
        train(texts, labels, calibration="isotonic")
    with pytest.raises(ClassifierDataInvalid, match="unknown class weight"):
        train(texts, labels, class_weight="heavy")
