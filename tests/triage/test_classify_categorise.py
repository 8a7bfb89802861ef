"""`categorise`: cold start alone, a city model mixed in by its training size, and the reasons."""

from __future__ import annotations

from pathlib import Path

import pytest

from cityloop.triage import Candidate, categorise, categorise_many
from cityloop.triage.categorise import HALF_WEIGHT_SAMPLES, blend, model_weight
from cityloop.triage.classify import MODELS_DIR_ENV, Model, clear_cache, install, train
from cityloop.triage.knowledge import ColdStart, Prediction

STANDARD = "GB/T 47678.5-2026"
# Reports written for this test, labelled with real matter codes: 01037 路灯异常, 06027 油烟污染,
# 09006 占道经营. Several use words the cold-start knowledge does not know (黑漆漆, 熏, 铺子).
REPORTS = {
    "01037": [
        "小区门口的路灯不亮了",
        "这条街晚上黑漆漆一片，灯杆上的灯一直没修",
        "路灯一闪一闪的",
        "灯杆歪了，灯罩掉下来",
        "晚上回家那段路黑漆漆的，灯坏了好久",
        "路灯白天还亮着，浪费电",
        "人行道旁边的灯杆灯不亮",
        "黑漆漆的巷子，灯泡烧了",
    ],
    "06027": [
        "楼下饭店油烟太大",
        "烧烤店熏得我们家窗户都黑了",
        "餐馆排烟管对着住户窗户",
        "油烟呛得人喘不过气",
        "楼下新开的铺子天天熏，一股油味",
        "饭店没装油烟净化器",
        "炒菜的烟味熏到楼上",
        "夜宵摊熏得整栋楼都是味",
    ],
    "09006": [
        "店家把货摆到人行道上",
        "水果铺子占了半条路",
        "门口摊位占道经营",
        "商铺把桌子摆到马路上卖东西",
        "铺子门前堆满货物，行人过不去",
        "修车铺在人行道上修车",
        "早市的摊子占满了路面",
        "饭店把桌椅摆到人行道上",
    ],
}


def fixture_data() -> tuple[list[str], list[str]]:
    texts = [text for texts in REPORTS.values() for text in texts]
    labels = [code for code, texts in REPORTS.items() for _ in texts]
    return texts, labels


@pytest.fixture(scope="module")
def matter_model() -> Model:
    return train(*fixture_data())


@pytest.fixture
def models_root(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    clear_cache()
    monkeypatch.setenv(MODELS_DIR_ENV, str(tmp_path))
    return tmp_path


def cold(code: str, name: str, confidence: float, reason: str) -> Prediction:
    return Prediction(code=code, name=name, confidence=confidence, reason=reason)


def test_model_weight_grows_with_training_size() -> None:
    assert model_weight(0) == 0.0
    assert model_weight(HALF_WEIGHT_SAMPLES) == 0.5
    assert model_weight(2700) == pytest.approx(0.9)
    assert model_weight(100) < model_weight(1000) < model_weight(10000) < 1.0


def test_blend_cold_start_alone_keeps_its_confidence_and_reason() -> None:
    found = [
        cold("01037", "路灯异常", 0.8, 'synonym "路灯" found in the text'),
        cold("01023", "不明井盖异常", 0.1, "close"),
    ]
    assert blend(None, found, weight=0.9, k=3) == [
        Candidate(
            "01037", "路灯异常", "matter", STANDARD, 0.8,
            'cold-start knowledge 0.80 (synonym "路灯" found in the text)',
        ),
        Candidate("01023", "不明井盖异常", "matter", STANDARD, 0.1, "cold-start knowledge 0.10 (close)"),
    ]  # fmt: skip
    assert blend(None, [], weight=0.5) == []
    assert blend(None, found, weight=0.0, k=0) == []


def test_blend_mixes_by_weight_and_names_every_source() -> None:
    model = {"01037": 0.7, "06027": 0.25, "09006": 0.05}
    found = [
        cold("06027", "油烟污染", 0.9, 'phrase "油烟" found in the text'),
        cold("06028", "噪声扰民", 0.05, "close"),
    ]
    top = blend(model, found, weight=0.25, model_label="city model v3 (100 reports)", k=3)
    assert [(c.code, c.confidence) for c in top] == [
        ("06027", round(0.25 * 0.25 + 0.75 * 0.9, 4)),
        ("01037", round(0.25 * 0.7, 4)),
        ("06028", round(0.75 * 0.05, 4)),
    ]
    assert top[0].reason == (
        'city model v3 (100 reports) 0.25 (weight 0.25); cold-start knowledge 0.90 (phrase "油烟" '
        "found in the text) (weight 0.75)"
    )
    assert top[1].reason == (
        "city model v3 (100 reports) 0.70 (weight 0.25); cold-start knowledge found nothing for it"
    )
    assert top[1].name == "路灯异常"  # the national name, also for codes only the model proposed
    assert top[2].reason.startswith("city model v3 (100 reports) 0.00 (weight 0.25); cold-start")
    assert sum(c.confidence for c in blend(model, found, weight=0.25, k=10)) <= 1.0
    assert [c.code for c in blend(model, [], weight=0.9, k=2)] == ["01037", "06027"]


def test_city_without_a_model_gets_the_cold_start(models_root: Path) -> None:
    text = "马路上井盖不见了，晚上很危险"
    expected = ColdStart.load().predict_top(text, 3)
    got = categorise("330100", text)
    assert [(c.code, c.name, c.confidence) for c in got] == [(p.code, p.name, p.confidence) for p in expected]
    assert all(c.kind == "matter" and c.standard == STANDARD for c in got)
    assert got[0].reason == f"cold-start knowledge {expected[0].confidence:.2f} ({expected[0].reason})"
    assert categorise("330100", "今天天气不错") == []
    assert categorise_many("330100", []) == []


def test_city_model_is_mixed_in_by_its_size(models_root: Path, matter_model: Model) -> None:
    install(matter_model, "330100")
    weight = model_weight(24)
    # Words the cold start does not know: only the model speaks, at its weight.
    text = "巷子里黑漆漆的"
    assert ColdStart.load().predict_top(text, 10) == []
    proba = dict(zip(matter_model.classes, matter_model.predict_proba([text])[0], strict=True))
    got = categorise("330100", text, k=2)
    assert [c.code for c in got] == sorted(proba, key=lambda code: -proba[code])[:2]
    assert got[0].code == "01037"
    assert got[0].confidence == round(weight * float(proba["01037"]), 4)
    assert got[0].reason.startswith(f"city model v1 (24 reports) {proba['01037']:.2f} (weight {weight:.2f})")
    assert got[0].reason.endswith("cold-start knowledge found nothing for it")
    # Both speak: the mix of the two, with both reasons.
    text = "楼下饭店油烟太大"
    proba = dict(zip(matter_model.classes, matter_model.predict_proba([text])[0], strict=True))
    cold_top = {p.code: p.confidence for p in ColdStart.load().predict_top(text, 10)}
    best = categorise("330100", text)[0]
    assert best.code == "06027"
    assert best.confidence == round(weight * float(proba["06027"]) + (1 - weight) * cold_top["06027"], 4)
    assert "city model v1 (24 reports)" in best.reason and "cold-start knowledge" in best.reason
    assert categorise_many("330100", ["巷子里黑漆漆的", " ", text], k=1) == [
        categorise("330100", "巷子里黑漆漆的", k=1),
        [],
        categorise("330100", text, k=1),
    ]
    assert categorise("330100", "  \n") == []


def test_a_model_with_other_labels_is_not_used(models_root: Path) -> None:
    texts, labels = fixture_data()
    own = train(texts, [{"01037": "lamp", "06027": "smoke", "09006": "stall"}[label] for label in labels])
    install(own, "330100")
    text = "楼下饭店油烟太大"
    assert categorise("330100", text) == categorise("310100", text)
    assert "city model" not in categorise("330100", text)[0].reason
