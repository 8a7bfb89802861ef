"""The numpy character n-gram TF-IDF and the temperature calibration, on texts written here."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC

from cityloop.triage.classify import CharNgramTfidf, TemperatureCalibrated
from cityloop.triage.classify.calibrate import fit_scale

TRAIN = ["井盖没了 很危险", "路灯不亮", "饭店油烟大，油烟呛人", "路灯闪烁 路灯坏了", "", "a"]
OTHER = ["井盖碎了", "油烟", "完全不同的字", "", "路灯😀不亮"]


@pytest.mark.parametrize("ngrams", [(1, 1), (1, 2), (1, 3), (2, 3)])
@pytest.mark.parametrize("sublinear", [False, True])
def test_weights_equal_sklearn_char_tfidf(ngrams: tuple[int, int], sublinear: bool) -> None:
    ours = CharNgramTfidf(ngrams, sublinear_tf=sublinear).fit(TRAIN)
    theirs = TfidfVectorizer(
        analyzer="char", ngram_range=ngrams, sublinear_tf=sublinear, lowercase=False, dtype=np.float32
    ).fit(TRAIN)
    names = list(ours.get_feature_names_out())
    assert sorted(names) == sorted(theirs.vocabulary_)
    order = [theirs.vocabulary_[name] for name in names]
    for texts in (TRAIN, OTHER):
        expected = theirs.transform(texts)[:, order].toarray()
        np.testing.assert_allclose(ours.transform(texts).toarray(), expected, atol=1e-6)


def test_truncation_min_df_and_edge_cases() -> None:
    head = CharNgramTfidf((1, 2), max_chars=2).fit(["路灯不亮", "路灯坏了"])
    assert sorted(head.get_feature_names_out()) == ["灯", "路", "路灯"]
    common = CharNgramTfidf((1, 1), min_df=2).fit(["路灯", "路口", "灯"])
    assert sorted(common.get_feature_names_out()) == ["灯", "路"]
    row = common.transform(["路路路灯口"]).toarray()[0]
    assert row == pytest.approx(np.array([1.0, 3.0]) / np.sqrt(10.0))  # equal idf: counts 1 and 3
    assert common.transform([]).shape == (0, 2)
    assert common.transform(["", "x"]).nnz == 0
    with pytest.raises(ValueError, match="ngram_range"):
        CharNgramTfidf((1, 4)).fit(["路灯"])


def test_preprocessor_runs_before_truncation() -> None:
    vectorizer = CharNgramTfidf((1, 1), preprocessor=str.upper, max_chars=1).fit(["ab", "cd"])
    assert list(vectorizer.get_feature_names_out()) == ["A", "C"]


def test_fit_scale_recovers_a_known_temperature() -> None:
    rng = np.random.default_rng(0)
    scores = rng.normal(size=(4000, 3))
    true_scale = 2.5
    logits = scores * true_scale
    proba = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    targets = np.array([rng.choice(3, p=p) for p in proba])
    assert fit_scale(scores, targets) == pytest.approx(true_scale, rel=0.1)


def test_temperature_calibrated_keeps_the_ranking_and_sums_to_one() -> None:
    x = (
        CharNgramTfidf((1, 2))
        .fit(TRAIN * 3)
        .transform(
            [
                "井盖没了",
                "井盖丢了",
                "井盖坏了",
                "路灯不亮",
                "路灯坏了",
                "路灯闪",
                "油烟大",
                "油烟呛人",
                "饭店油烟",
            ]
        )
    )
    y = np.array(["manhole"] * 3 + ["lamp"] * 3 + ["smoke"] * 3)
    model = TemperatureCalibrated(LinearSVC(C=1.0), folds=3).fit(x, y)
    assert list(model.classes_) == ["lamp", "manhole", "smoke"]
    assert model.scale_ > 0
    proba = model.predict_proba(x)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, atol=1e-9)
    assert (proba.argmax(axis=1) == model.decision_function(x).argmax(axis=1)).all()
    assert list(model.predict(x)) == list(y)


def test_temperature_calibrated_two_classes() -> None:
    x = CharNgramTfidf((1, 1)).fit(["路灯", "油烟"]).transform(["路灯", "路", "灯", "油烟", "油", "烟"])
    y = np.array(["lamp"] * 3 + ["smoke"] * 3)
    model = TemperatureCalibrated(LinearSVC(), folds=3).fit(x, y)
    proba = model.predict_proba(x)
    assert proba.shape == (6, 2)
    assert list(model.predict(x)) == list(y)
