"""`cityloop classify train/evaluate/predict` on the tiny fixture, and their error paths."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cityloop.cli.classify import app, describe_label

FIXTURE = Path(__file__).parent / "fixtures" / "classify_small.csv"
runner = CliRunner()


@pytest.fixture(scope="module")
def model_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("classify") / "model.joblib"
    result = runner.invoke(
        app,
        [
            "train",
            "--data",
            str(FIXTURE),
            "--text-column",
            "title,detail",
            "--label-column",
            "label",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "trained on 24 texts, 3 classes (lamp 8, manhole 8, smoke 8)" in result.output
    return out


def test_train_writes_model_and_metadata(model_path: Path) -> None:
    meta = json.loads(Path(f"{model_path}.json").read_text(encoding="utf-8"))
    assert meta["n_samples"] == 24
    assert meta["data"] == {
        "file": "classify_small.csv",
        "text_column": "title,detail",
        "label_column": "label",
    }


def test_evaluate_saved_model_json(model_path: Path) -> None:
    result = runner.invoke(
        app,
        [
            "evaluate",
            "--model",
            str(model_path),
            "--data",
            str(FIXTURE),
            "--text-column",
            "title,detail",
            "--label-column",
            "label",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["accuracy"] == 1.0
    assert body["macro_f1"] == 1.0
    assert sorted(body["per_class"]) == ["lamp", "manhole", "smoke"]
    assert body["per_class"]["smoke"]["support"] == 8
    assert body["throughput_msgs_per_s"] > 0


def test_evaluate_cross_validation_json() -> None:
    result = runner.invoke(
        app,
        [
            "evaluate",
            "--cv",
            "2",
            "--data",
            str(FIXTURE),
            "--text-column",
            "detail",
            "--label-column",
            "label",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["folds"] == 2
    assert body["samples"] == 24
    assert 0.5 <= body["macro_f1"] <= 1.0


def test_predict_reads_stdin_and_prints_json_lines(model_path: Path) -> None:
    result = runner.invoke(
        app,
        ["predict", "--model", str(model_path), "--top", "2", "--json"],
        input="马路上井盖不见了\n\n烧烤摊油烟呛人\n",
    )
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["text"] for line in lines] == ["马路上井盖不见了", "烧烤摊油烟呛人"]
    first = lines[0]["predictions"]
    assert len(first) == 2
    assert {k: first[0][k] for k in ("code", "standard", "name")} == {
        "code": "manhole",
        "standard": None,
        "name": "manhole",
    }
    assert first[0]["confidence"] >= first[1]["confidence"]
    assert lines[1]["predictions"][0]["code"] == "smoke"


def test_taxonomy_codes_get_their_national_name() -> None:
    from cityloop.taxonomy.loader import rows_2026

    matter = next(r for r in rows_2026() if r.kind == "matter")
    assert describe_label(matter.code) == {
        "code": matter.code,
        "standard": matter.standard,
        "name": matter.name,
    }


def test_errors_exit_non_zero(tmp_path: Path, model_path: Path) -> None:
    base = ["--text-column", "detail", "--label-column", "label"]
    missing_file = runner.invoke(
        app, ["train", "--data", str(tmp_path / "none.csv"), *base, "--out", str(tmp_path / "m")]
    )
    assert missing_file.exit_code == 1
    assert "does not exist" in missing_file.output

    missing_column = runner.invoke(
        app,
        [
            "train",
            "--data",
            str(FIXTURE),
            "--text-column",
            "body",
            "--label-column",
            "label",
            "--out",
            str(tmp_path / "m"),
        ],
    )
    assert missing_column.exit_code == 1
    assert "body not in classify_small.csv" in missing_column.output

    few = tmp_path / "few.csv"
    few.write_text(
        "detail,label\n井盖没了,manhole\n井盖碎了,manhole\n路灯坏了,lamp\n路灯不亮,lamp\n路灯闪,lamp\n",
        encoding="utf-8",
    )
    too_few = runner.invoke(app, ["train", "--data", str(few), *base, "--out", str(tmp_path / "m")])
    assert too_few.exit_code == 1
    assert "too few samples per class" in too_few.output
    assert not (tmp_path / "m").exists()

    cv_too_few = runner.invoke(app, ["evaluate", "--data", str(FIXTURE), *base, "--cv", "9"])
    assert cv_too_few.exit_code == 1
    assert "at least 9" in cv_too_few.output

    no_model = runner.invoke(app, ["evaluate", "--data", str(FIXTURE), *base])
    assert no_model.exit_code == 1
    assert "--model" in no_model.output

    bad_model = runner.invoke(app, ["predict", "--model", str(tmp_path / "none.joblib")], input="x\n")
    assert bad_model.exit_code == 1
    assert "does not exist" in bad_model.output


MATTER_CSV = """detail,code
路灯不亮了,01037
巷子里黑漆漆的，灯坏了,01037
灯杆上的灯一直闪,01037
楼下饭店油烟太大,06027
烧烤店熏得窗户都黑了,06027
餐馆排烟对着住户,06027
"""


@pytest.fixture
def models_root(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    from cityloop.triage.classify import MODELS_DIR_ENV, clear_cache

    clear_cache()
    root = tmp_path / "models"
    monkeypatch.setenv(MODELS_DIR_ENV, str(root))
    return root


def test_predict_city_without_model_uses_the_cold_start(models_root: Path) -> None:
    result = runner.invoke(
        app,
        ["predict", "--city", "330100", "--top", "2", "--json"],
        input="马路上井盖不见了\n\n今天天气不错\n",
    )
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["text"] for line in lines] == ["马路上井盖不见了", "今天天气不错"]
    first = lines[0]["predictions"]
    assert len(first) == 2
    assert set(first[0]) == {"code", "standard", "name", "confidence"}
    assert {k: first[0][k] for k in ("code", "standard", "name")} == {
        "code": "01023",
        "standard": "GB/T 47678.5-2026",
        "name": "不明井盖异常",
    }
    assert first[0]["confidence"] > first[1]["confidence"] > 0
    assert lines[1]["predictions"] == []
    table = runner.invoke(app, ["predict", "--city", "330100"], input="马路上井盖不见了\n")
    assert table.exit_code == 0, table.output
    assert "cold-start knowledge" in table.output


def test_train_city_installs_versions_used_by_predict(models_root: Path, tmp_path: Path) -> None:
    data = tmp_path / "matters.csv"
    data.write_text(MATTER_CSV, encoding="utf-8")
    args = ["train", "--data", str(data), "--text-column", "detail", "--label-column", "code"]
    for version in (1, 2):
        result = runner.invoke(app, [*args, "--city", "330100"])
        assert result.exit_code == 0, result.output
        assert f"installed as model v{version} of city 330100, now current" in result.output
    assert (models_root / "330100" / "v2.joblib").is_file()
    listed = runner.invoke(app, ["models", "--city", "330100", "--json"])
    assert listed.exit_code == 0, listed.output
    body = json.loads(listed.stdout)
    assert [(v["version"], v["current"], v["n_samples"], v["classes"]) for v in body["versions"]] == [
        (1, False, 6, 2),
        (2, True, 6, 2),
    ]
    assert body["versions"][0]["data"] == "matters.csv"
    switched = runner.invoke(app, ["models", "--city", "330100", "--use", "1"])
    assert switched.exit_code == 0, switched.output
    assert "* " in switched.output and "v1" in switched.output
    # The cold start knows nothing of 黑漆漆; the city's model does.
    predicted = runner.invoke(app, ["predict", "--city", "330100", "--json"], input="巷子里黑漆漆的\n")
    assert predicted.exit_code == 0, predicted.output
    predictions = json.loads(predicted.stdout)["predictions"]
    assert predictions[0]["code"] == "01037"
    assert predictions[0]["name"] == "路灯异常"
    assert 0 < predictions[0]["confidence"] < 0.1  # a 6-report model weighs 6 / 306
    none = runner.invoke(app, ["models", "--city", "310100"])
    assert none.exit_code == 0
    assert "city 310100 has no installed model" in none.output


def test_train_city_with_own_labels_warns(models_root: Path) -> None:
    result = runner.invoke(
        app,
        ["train", "--data", str(FIXTURE), "--text-column", "detail", "--label-column", "label",
         "--city", "330100"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "keeps using the cold-start knowledge" in result.output


def test_predict_and_models_errors(models_root: Path, model_path: Path, tmp_path: Path) -> None:
    both = runner.invoke(app, ["predict", "--city", "330100", "--model", str(model_path)], input="x\n")
    assert both.exit_code == 1
    assert "exactly one of --model" in both.output
    neither = runner.invoke(app, ["predict"], input="x\n")
    assert neither.exit_code == 1
    empty = runner.invoke(app, ["predict", "--city", "330100"], input="\n  \n")
    assert empty.exit_code == 1
    assert "no text on stdin" in empty.output
    binary = runner.invoke(app, ["predict", "--city", "330100"], input=b"\xff\xfe abc\n")
    assert binary.exit_code == 1
    assert "stdin is not UTF-8 text" in binary.output
    bad_city = runner.invoke(app, ["predict", "--city", "../etc"], input="x\n")
    assert bad_city.exit_code == 1
    assert "triage.classify.invalid_city" in bad_city.output
    bad_top = runner.invoke(app, ["predict", "--city", "330100", "--top", "0"], input="x\n")
    assert bad_top.exit_code == 2
    nowhere = runner.invoke(
        app, ["train", "--data", str(FIXTURE), "--text-column", "detail", "--label-column", "label"]
    )
    assert nowhere.exit_code == 1
    assert "--out PATH, --city CODE or both" in nowhere.output
    bad_train_city = runner.invoke(
        app,
        ["train", "--data", str(FIXTURE), "--text-column", "detail", "--label-column", "label",
         "--city", "a/b"],
    )  # fmt: skip
    assert bad_train_city.exit_code == 1
    assert not models_root.exists()
    missing_version = runner.invoke(app, ["models", "--city", "330100", "--use", "3"])
    assert missing_version.exit_code == 1
    assert "has no model version 3" in missing_version.output
