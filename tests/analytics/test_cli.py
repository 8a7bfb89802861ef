"""`cityloop forecast backtest` on a tiny Boston-format CSV; `analytics text-hotspots` on a tiny export."""

from __future__ import annotations

import csv
import json
import random
from datetime import datetime, timedelta
from pathlib import Path

import typer
from typer.testing import CliRunner

from cityloop.cli import analytics as analytics_cli
from cityloop.cli import forecast as forecast_cli

COLUMNS = [
    "case_enquiry_id",
    "open_dt",
    "target_dt",
    "closed_dt",
    "ontime_status",
    "case_status",
    "closure_reason",
    "case_title",
    "subject",
    "reason",
    "type",
    "queue",
    "department",
    "submittedphoto",
    "closedphoto",
    "location",
    "neighborhood",
    "ward",
    "precinct",
    "city_council_district",
    "police_district",
    "location_zipcode",
    "latitude",
    "longitude",
    "source",
]


def cli() -> typer.Typer:
    root = typer.Typer()
    root.add_typer(forecast_cli.app, name="forecast")
    root.add_typer(analytics_cli.app, name="analytics")
    return root


def boston_csv(path: Path, weeks: int = 10) -> Path:
    rnd = random.Random(5)
    start = datetime(2015, 1, 5)
    rows, n = [], 101001000000
    for hour in range(weeks * 168):
        at = start + timedelta(hours=hour)
        busy = 8 <= at.hour < 18 and at.weekday() < 5
        for _ in range(sum(rnd.random() < (0.5 if busy else 0.05) for _ in range(4))):
            n += 1
            hood, subject = rnd.choice(
                [("Dorchester", "Public Works Department"), ("Roxbury", "Transportation")]
            )
            row = dict.fromkeys(COLUMNS, "")
            row.update(
                case_enquiry_id=str(n),
                open_dt=f"{at:%Y-%m-%d %H}:{rnd.randrange(60):02d}:00",
                closure_reason="Case Resolved",
                case_title="Pothole",
                type="Pothole",
                subject=subject,
                location="1 Main St",
                neighborhood=hood,
                latitude="42.3",
                longitude="-71.1",
                source="Constituent Call",
            )
            rows.append(row)
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_backtest_command_prints_mape_and_naive(tmp_path: Path) -> None:
    data = boston_csv(tmp_path / "b.csv")
    result = CliRunner().invoke(
        cli(), ["forecast", "backtest", "--format", "boston311", "--data", str(data), "--json"]
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["series"] == 2 and out["origins"] == 4
    assert 0 < out["mape"] < out["naive_mape"]


def test_backtest_refuses_too_little_history(tmp_path: Path) -> None:
    data = boston_csv(tmp_path / "b.csv", weeks=3)
    result = CliRunner().invoke(cli(), ["forecast", "backtest", "--format", "boston311", "--data", str(data)])
    assert result.exit_code == 1 and "analytics.not_enough_history" in result.output


def test_text_hotspots_group_the_same_issue(tmp_path: Path) -> None:
    messages = [
        ("1", "U1", "魅力之城小区油烟噪音扰民", "2019-08-01 10:00:00", 5),
        ("2", "U2", "魅力之城小区临街餐饮油烟扰民", "2019-08-02 10:00:00", 12),
        ("3", "U3", "投诉魅力之城小区油烟扰民", "2019-08-03 10:00:00", 0),
        ("4", "U4", "经济学院强制学生实习", "2019-07-01 10:00:00", 1),
        ("5", "U5", "经济学院强制学生去实习", "2019-07-02 10:00:00", 0),
        ("6", "U6", "咨询公积金贷款额度", "2019-08-03 11:00:00", 100),
        ("7", "U7", "建议增设公交线路站点", "2019-08-03 12:00:00", 0),
    ]
    path = tmp_path / "m.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["message_id", "user_id", "title", "posted_at", "detail", "likes", "dislikes"])
        for mid, user, title, at, likes in messages:
            writer.writerow([mid, user, title, at, title, likes, 0])
    result = CliRunner().invoke(
        cli(),
        ["analytics", "text-hotspots", "--data", str(path), "--json", "--top", "10", "--similarity", "0.3"],
    )
    assert result.exit_code == 0, result.output
    issues = json.loads(result.stdout)["issues"]
    assert [sorted(i["message_ids"]) for i in issues] == [["1", "2", "3"], ["4", "5"]]
    assert issues[0]["likes"] == 17 and issues[0]["users"] == 3
