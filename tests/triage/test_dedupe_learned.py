"""The learned model's parts: features, tree walking, export from scikit-learn, JSON, and the engine using it."""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from sklearn.ensemble import HistGradientBoostingClassifier

from cityloop.triage.dedupe import (
    DedupeModel,
    DedupeModelInvalid,
    Deduplicator,
    Report,
    load_model,
    text_similarity,
)
from cityloop.triage.dedupe.features import CATEGORY_COLUMN, FEATURES, channel_kind, features
from cityloop.triage.dedupe.learned import Tree
from cityloop.triage.dedupe.training import BOOSTING, export_trees

T0 = datetime(2015, 7, 1, 9, 0, tzinfo=UTC)
LAT, LON = 42.3322, -71.1124
M = 1 / 111_195  # degrees of latitude per metre
COL = {name: i for i, name in enumerate(FEATURES)}


def report(rid: str, *, dm: float = 0.0, hours: float = 0.0, **kw: object) -> Report:
    fields: dict[str, object] = {"category": "Graffiti Removal", "address": "394 Riverway"} | kw
    return Report(rid, opened_at=T0 + timedelta(hours=hours), lat=LAT + dm * M, lon=LON, **fields)  # type: ignore[arg-type]


def test_channel_kinds_of_three_systems() -> None:
    kinds = {
        name: channel_kind(name)
        for name in (
            "Citizens Connect App",
            "City Worker App",
            "Employee Generated",
            "Constituent Call",
            "Self Service",
            "MOBILE",
            "PHONE",
            "ONLINE",
            "UNKNOWN",
            "inspector",
            "hotline",
        )
    }
    assert kinds == {
        "Citizens Connect App": "app",
        "City Worker App": "staff",
        "Employee Generated": "staff",
        "Constituent Call": "phone",
        "Self Service": "web",
        "MOBILE": "app",
        "PHONE": "phone",
        "ONLINE": "web",
        "UNKNOWN": None,
        "inspector": "staff",
        "hotline": "phone",
    }


def test_feature_row_describes_the_report_its_best_candidate_and_the_crowd() -> None:
    dedupe = Deduplicator()
    dedupe.add(report("old", channel="Citizens Connect App", text="Graffiti Removal"))
    dedupe.add(report("far", dm=55, hours=1, address="1 Other St", closed_at=T0 + timedelta(hours=2)))
    new = report("new", dm=10, hours=3, channel="Constituent Call", text="tag on the door")
    scored = dedupe.candidates(new)
    assert [old.id for old, _ in scored] == ["old", "far"]
    row = features(new, scored, scored[0], -2.5, 7.0)
    assert len(row) == len(FEATURES) and COL["category"] == CATEGORY_COLUMN
    values = {name: row[i] for name, i in COL.items()}
    assert values["category_log_odds"] == -2.5 and values["category"] == 7.0
    assert [values[f"channel_{k}"] for k in ("app", "phone", "web", "staff")] == [0.0, 1.0, 0.0, 0.0]
    assert [values[f"best_channel_{k}"] for k in ("app", "phone", "web", "staff")] == [1.0, 0.0, 0.0, 0.0]
    assert (values["has_point"], values["has_address"], values["intersection"], values["generic_text"]) == (
        1.0,
        1.0,
        0.0,
        0.0,
    )
    assert values["candidates"] == pytest.approx(math.log1p(2))
    assert values["candidates_open"] == pytest.approx(math.log1p(1))  # "far" closed an hour before
    assert values["candidates_same_address"] == pytest.approx(math.log1p(1))
    assert values["candidates_close"] == pytest.approx(math.log1p(2))  # "far" is 45 m from the new one
    assert (values["best_same_address"], values["best_open"]) == (1.0, 1.0)
    assert values["best_text"] == text_similarity("tag on the door", "Graffiti Removal")
    assert values["best_distance"] == pytest.approx(math.log1p(10.0), abs=1e-3)
    assert values["best_hours"] == pytest.approx(math.log1p(3.0))
    assert math.isnan(values["best_hours_since_closed"])
    assert values["nearest_open_distance"] == pytest.approx(math.log1p(10.0), abs=1e-3)
    assert values["latest_close_hours"] == pytest.approx(math.log1p(2.0))  # "far", 2 h earlier
    far = features(new, scored, scored[1], 0.0)
    assert far[COL["best_hours_since_closed"]] == pytest.approx(math.log1p(1.0))
    assert math.isnan(far[CATEGORY_COLUMN])


def _tree() -> Tree:
    # 0: best_same_address <= 0.5 ? 1 : 2 (missing → 2); 1: leaf -3;
    # 2: category in {1, 3} ? 3 : 4 (missing → 4); 3: leaf +2; 4: leaf -1
    return Tree(
        feature=(COL["best_same_address"], -1, CATEGORY_COLUMN, -1, -1),
        threshold=(0.5, 0.0, 0.0, 0.0, 0.0),
        left=(1, 0, 3, 0, 0),
        right=(2, 0, 4, 0, 0),
        missing_left=(False, False, False, False, False),
        value=(0.0, -3.0, 0.0, 2.0, -1.0),
        left_categories={2: frozenset({1, 3})},
    )


def _row(same_address: float, category: float) -> list[float]:
    row = [0.0] * len(FEATURES)
    row[COL["best_same_address"]], row[CATEGORY_COLUMN] = same_address, category
    return row


def test_tree_walks_numeric_categorical_and_missing_splits() -> None:
    tree = _tree()
    assert tree.predict(_row(0.0, 1.0)) == -3.0
    assert tree.predict(_row(1.0, 3.0)) == 2.0
    assert tree.predict(_row(1.0, 2.0)) == -1.0
    assert tree.predict(_row(1.0, float("nan"))) == -1.0  # unknown category: the missing side
    assert tree.predict(_row(float("nan"), 2.0)) == -1.0


def _model(**kw: object) -> DedupeModel:
    fields: dict[str, object] = {
        "trees": (_tree(),),
        "baseline": 0.5,
        "category_log_odds": {"graffiti removal": -1.0},
        "prior_log_odds": -3.0,
        "merge_threshold": 0.8,
        "suggest_threshold": 0.3,
        "radius_m": 100.0,
        "window_hours": 48.0,
        "categories": ("pothole", "graffiti removal"),
        "provenance": {"trained_on": ["test"]},
    } | kw
    return DedupeModel(**fields)  # type: ignore[arg-type]


def test_model_probability_json_round_trip_and_bad_files(tmp_path: Path) -> None:
    model = _model()
    assert model.probability(_row(1.0, 1.0)) == pytest.approx(1 / (1 + math.exp(-2.5)))
    assert (model.category_code("Graffiti Removal"), model.category_logit("GRAFFITI REMOVAL")) == (1.0, -1.0)
    assert math.isnan(model.category_code("Noise")) and model.category_logit("Noise") == -3.0
    assert model.knows("graffiti removal") and not model.knows("noise")
    loaded = load_model(model.save(tmp_path / "m.json"))
    assert loaded.as_dict() == model.as_dict()
    assert loaded.probability(_row(1.0, 3.0)) == model.probability(_row(1.0, 3.0))
    document = json.loads((tmp_path / "m.json").read_text())
    cases = {
        "missing.json": None,
        "text.json": "not json",
        "format.json": json.dumps(document | {"format": "other/1"}),
        "features.json": json.dumps(document | {"features": ["a", "b"]}),
        "tree.json": json.dumps(document | {"trees": [document["trees"][0] | {"left": [9, 0, 3, 0, 0]}]}),
    }
    for name, content in cases.items():
        path = tmp_path / name
        if content is not None:
            path.write_text(content)
        with pytest.raises(DedupeModelInvalid) as caught:
            load_model(path)
        assert caught.value.code == "triage.dedupe_model_invalid"
        assert str(path) in caught.value.message


def test_export_matches_scikit_learn_exactly() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(2000, len(FEATURES)))
    x[:, CATEGORY_COLUMN] = rng.integers(0, 12, 2000) * 2  # gaps: codes are not 0..n-1
    x[rng.random(2000) < 0.1, 3] = np.nan
    y = (x[:, 1] + (x[:, CATEGORY_COLUMN] % 3 == 0) + rng.normal(size=2000) * 0.5) > 0.8
    categorical = [i == CATEGORY_COLUMN for i in range(len(FEATURES))]
    estimator = HistGradientBoostingClassifier(**BOOSTING, categorical_features=categorical).fit(x, y)
    trees, baseline = export_trees(estimator)
    assert any(t.left_categories for t in trees)
    model = _model(trees=trees, baseline=baseline)
    ours = np.array([model.probability(list(r)) for r in x[:300]])
    assert np.abs(ours - estimator.predict_proba(x[:300])[:, 1]).max() < 1e-9


def test_engine_with_a_model_merges_suggests_and_explains() -> None:
    dedupe = Deduplicator(model=_model())
    assert (dedupe.merge_threshold, dedupe.suggest_threshold) == (0.8, 0.3)
    assert dedupe.rule_for("Graffiti Removal").radius_m == 100.0  # the model's, not the configuration's 60 m
    dedupe.add(report("a", text="tag"))
    dedupe.add(report("b", dm=80, hours=1, address="2 Other St", category="Pothole"))
    same = dedupe.decide(report("c", dm=5, hours=2, text="tag"))
    # category 1 (graffiti) at the same address: tree +2 → P = sigmoid(0.5 + 2) ≈ 0.92
    assert (same.is_duplicate, same.master_id) == (True, "a")
    assert same.score == pytest.approx(1 / (1 + math.exp(-2.5)))
    assert same.reason == (
        "duplicate of a (score 0.92 ≥ 0.80): Graffiti Removal: same address, 5 m apart, 2.0 h earlier "
        "(still open), text 1.00; learned model: P(duplicate) 0.92 given 1 earlier report(s) nearby "
        "and a category duplicate rate of 0.269 in its history"
    )
    pothole = dedupe.decide(report("d", dm=85, hours=2, address="3 Far St", category="Pothole"))
    assert (pothole.is_duplicate, pothole.score) == (False, pytest.approx(1 / (1 + math.exp(2.5))))
    assert pothole.suggestions == ()
    noise = Deduplicator(model=_model())
    noise.add(report("e", category="Noise"))
    decision = noise.decide(report("f", hours=1, category="Noise"))
    assert decision.score == pytest.approx(1 / (1 + math.exp(0.5)))  # same address, unknown category
    assert (decision.is_duplicate, [s.case_id for s in decision.suggestions]) == (False, ["e"])
    assert decision.reason.startswith("suggested to the operator: best e scores 0.38 < 0.80")
    assert decision.reason.endswith("and a category it never saw")
    far = noise.decide(report("g", dm=150, hours=1, address="9 Far St", category="Noise"))
    assert (far.is_duplicate, far.score, far.reason) == (False, 0.0, "no earlier report nearby in the window")
