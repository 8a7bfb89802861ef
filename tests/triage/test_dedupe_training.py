"""Training a duplicate model on labelled history, and the `train` / `evaluate --model` commands.

The history is a small synthetic Boston export written here: graffiti reported again at the same
place within hours is closed as a duplicate, a pothole crew's second pothole at the same place
is not (two holes), so only what the model learns about categories separates them.
"""

from __future__ import annotations

import csv
import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cityloop.cli import app
from cityloop.triage.dedupe import Deduplicator, Report, TrainingFailed, metrics, replay, train_model
from cityloop.triage.importers import read_boston311

FIXTURES = Path(__file__).parent / "fixtures"
#: The export's columns, as in the small fixture.
COLUMNS = (FIXTURES / "boston311_tiny.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
runner = CliRunner()


def write_history(path: Path, *, start: datetime, seed: int, sites: int = 240) -> Path:
    """A Boston-format export: one report per site, repeated at the same place 60 % of the time."""
    rng = random.Random(seed)
    rows: list[dict[str, str]] = []

    def add(number: int, at: datetime, category: str, site: int, closure: str) -> str:
        case_id = f"1010{seed:02d}{number:06d}"
        staff = category.startswith("Pothole")
        rows.append(
            dict.fromkeys(COLUMNS, "")
            | {
                "case_enquiry_id": case_id,
                "open_dt": at.strftime("%Y-%m-%d %H:%M:%S"),
                "closed_dt": (at + timedelta(days=4)).strftime("%Y-%m-%d %H:%M:%S"),
                "closure_reason": closure,
                "case_title": category,
                "type": category,
                "location": f"{site + 1} Test St  Boston  MA  02115",
                "latitude": f"{42.30 + (site % 20) * 0.0025:.4f}",
                "longitude": f"{-71.10 + (site // 20) * 0.003:.4f}",
                "source": "Employee Generated" if staff else "Citizens Connect App",
            }
        )
        return case_id

    number = 0
    for site in range(sites):
        category = "Graffiti Removal" if site % 2 else "Pothole Repair (Internal)"
        at = start + timedelta(hours=5 * site)
        master = add(number := number + 1, at, category, site, "Case Closed Case Resolved")
        if rng.random() < 0.6:
            again = at + timedelta(minutes=rng.randint(5, 240))
            duplicate = category.startswith("Graffiti") and rng.random() < 0.95
            closure = (
                f"Case Closed Duplicate of Existing Case {master}"
                if duplicate
                else "Case Closed Case Resolved"
            )
            add(number := number + 1, again, category, site, closure)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(sorted(rows, key=lambda r: r["open_dt"]))
    return path


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("boston")
    earlier = write_history(folder / "h1.csv", start=datetime(2015, 1, 1, 8), seed=1)
    later = write_history(folder / "h2.csv", start=datetime(2015, 7, 1, 8), seed=2)
    return earlier, later


def test_model_learns_which_categories_repeat_as_duplicates(exports: tuple[Path, Path]) -> None:
    earlier, later = exports
    history = sorted(read_boston311(earlier), key=lambda r: r.opened_at)
    model = train_model(history, sources=[earlier.name])
    held = model.provenance["held_out"]
    assert held["f1"] >= 0.9
    assert model.provenance["trained_on"] == ["h1.csv"]
    assert model.provenance["reports"] == len(history)
    assert 0.02 <= model.merge_threshold < 1.0 and model.suggest_threshold == pytest.approx(
        model.merge_threshold / 2
    )
    assert set(model.categories) == {"graffiti removal", "pothole repair (internal)"}
    dedupe = Deduplicator(model=model)
    at = datetime(2016, 1, 4, 9, tzinfo=UTC)
    for category, place in (("Graffiti Removal", "1 New St"), ("Pothole Repair (Internal)", "2 New St")):
        lat = 42.25 if category.startswith("Graffiti") else 42.26
        dedupe.add(Report(f"first {category}", category, at, lat, -71.0, place, category))
    graffiti = dedupe.decide(
        Report("g", "Graffiti Removal", at + timedelta(hours=1), 42.25, -71.0, "1 New St")
    )
    pothole = dedupe.decide(
        Report("p", "Pothole Repair (Internal)", at + timedelta(hours=1), 42.26, -71.0, "2 New St")
    )
    assert (graffiti.is_duplicate, graffiti.master_id) == (True, "first Graffiti Removal")
    assert pothole.is_duplicate is False and pothole.score < 0.2
    recorded = sorted(read_boston311(later), key=lambda r: r.opened_at)
    run = replay(recorded, model=model)
    assert metrics([r.is_duplicate for r in recorded], [d.is_duplicate for d in run.decisions]).f1 >= 0.9


def test_too_little_history_is_refused() -> None:
    with pytest.raises(TrainingFailed, match="too little history"):
        train_model(read_boston311(FIXTURES / "boston311_tiny.csv"))


def test_train_and_evaluate_commands(exports: tuple[Path, Path], tmp_path: Path) -> None:
    earlier, later = exports
    out = tmp_path / "model.json"
    trained = runner.invoke(
        app, ["dedupe", "train", "--format", "boston311", "--data", str(earlier), "--out", str(out), "--json"]
    )
    assert trained.exit_code == 0, trained.output
    summary = json.loads(trained.stdout)
    assert summary["model"] == str(out) and summary["bytes"] == out.stat().st_size
    assert summary["held_out"]["f1"] >= 0.9 and summary["rows_with_candidates"] > 100
    assert json.loads(out.read_text())["provenance"]["trained_on"] == [str(earlier)]
    predictions = tmp_path / "pred.csv"
    evaluated = runner.invoke(
        app,
        [
            "dedupe", "evaluate", "--format", "boston311", "--data", str(later), "--model", str(out),
            "--history", str(earlier), "--json", "--predictions-out", str(predictions),
        ],
    )  # fmt: skip
    assert evaluated.exit_code == 0, evaluated.output
    payload = json.loads(evaluated.stdout)
    assert payload["f1"] >= 0.9 and payload["model"] == str(out) and payload["history"] == [str(earlier)]
    assert payload["merge_threshold"] == summary["merge_threshold"]
    with predictions.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == payload["reports"]
    assert all(r["duplicate_of"] for r in rows if r["is_duplicate"] == "1")


def test_command_errors(tmp_path: Path) -> None:
    tiny = str(FIXTURES / "boston311_tiny.csv")
    refused = runner.invoke(
        app, ["dedupe", "train", "--format", "boston311", "--data", tiny, "--out", str(tmp_path / "m.json")]
    )
    assert refused.exit_code == 1 and "too little history" in refused.output
    assert not (tmp_path / "m.json").exists()
    missing = runner.invoke(
        app,
        [
            "dedupe",
            "evaluate",
            "--format",
            "boston311",
            "--data",
            tiny,
            "--model",
            str(tmp_path / "none.json"),
        ],
    )
    assert missing.exit_code == 1 and "no such model file" in missing.output
