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
