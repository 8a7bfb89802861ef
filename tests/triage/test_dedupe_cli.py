"""`cityloop dedupe evaluate`: figures, predictions CSV and error paths."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from typer.testing import CliRunner

from cityloop.cli import app

FIXTURES = Path(__file__).parent / "fixtures"
runner = CliRunner()


def test_evaluate_boston_writes_predictions(tmp_path: Path) -> None:
    out = tmp_path / "pred.csv"
    result = runner.invoke(
        app,
        [
            "dedupe",
            "evaluate",
            "--format",
            "boston311",
            "--data",
            str(FIXTURES / "boston311_tiny.csv"),
            "--json",
            "--predictions-out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert (payload["precision"], payload["recall"], payload["f1"]) == (1.0, 0.5, 0.6667)
    assert (payload["true_positives"], payload["false_negatives"], payload["reports"]) == (1, 1, 4)
    assert payload["baseline"]["true_positives"] == 1
    with out.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["id"], r["is_duplicate"], r["duplicate_of"]) for r in rows] == [
        ("101001240734", "0", ""),
        ("101001240866", "0", ""),
        ("101001241331", "0", ""),
        ("101001241334", "1", "101001241331"),
    ]


def test_evaluate_nyc_merges_the_building_wide_repeat() -> None:
    result = runner.invoke(
        app,
        ["dedupe", "evaluate", "--format", "nyc311", "--data", str(FIXTURES / "nyc311_tiny.csv"), "--json"],
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert (payload["true_positives"], payload["false_positives"], payload["f1"]) == (1, 0, 1.0)


def test_evaluate_error_paths(tmp_path: Path) -> None:
    missing = runner.invoke(
        app, ["dedupe", "evaluate", "--format", "nyc311", "--data", str(tmp_path / "none.csv"), "--json"]
    )
    assert missing.exit_code == 1
    assert "no such file" in missing.output
    wrong = runner.invoke(
        app, ["dedupe", "evaluate", "--format", "boston311", "--data", str(FIXTURES / "nyc311_tiny.csv")]
    )
    assert wrong.exit_code == 1
    assert "missing column" in wrong.output
    unknown = runner.invoke(
        app, ["dedupe", "evaluate", "--format", "sf311", "--data", str(FIXTURES / "nyc311_tiny.csv")]
    )
    assert unknown.exit_code == 1
    assert "is not one of boston311, nyc311" in unknown.output
    assert not (tmp_path / "pred.csv").exists()


def test_evaluate_with_calibration_from_an_earlier_file() -> None:
    result = runner.invoke(
        app,
        [
            "dedupe",
            "evaluate",
            "--format",
            "nyc311",
            "--data",
            str(FIXTURES / "nyc311_tiny.csv"),
            "--calibrate-on",
            str(FIXTURES / "nyc311_tiny.csv"),
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["calibrated_on"] == [str(FIXTURES / "nyc311_tiny.csv")]
    assert (payload["true_positives"], payload["false_positives"], payload["merge_threshold"]) == (1, 0, 0.77)
