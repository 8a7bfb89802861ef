"""The scenario's calibration from Boston 311 (a small CSV written here), the packaged figures,
the Boston → GB/T mapping, and the payloads the scenario sends."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cityloop.cli import app
from cityloop.intake import CHANNELS
from cityloop.sim.engine.behaviour import MAX_MINUTES, MIN_MINUTES, handling_minutes
from cityloop.sim.scenario import (
    BOSTON_TO_GBT,
    HOT_SPOTS,
    Arrival,
    calibrate,
    code_mix,
    load_calibration,
    payload_of,
)
from cityloop.sim.scenario.calibration import Calibration
from cityloop.sim.scenario.texts import PHRASES
from cityloop.taxonomy.loader import rows_2026

COLUMNS = (
    "case_enquiry_id", "open_dt", "closed_dt", "closure_reason", "case_title", "type", "location",
    "latitude", "longitude", "source",
)  # fmt: skip
ROWS = (
    # Monday 2 March 2015 09:10, closed after 2 h, by phone.
    ("101000000001", "2015-03-02 09:10:00", "2015-03-02 11:10:00", "Case Resolved", "PRINTED",
     "Street Light Outages", "1 A St", "42.3500", "-71.0600", "Constituent Call"),
    # Its duplicate half an hour later through the app, at the same point, closed after 24 h.
    ("101000000002", "2015-03-02 09:40:00", "2015-03-03 09:40:00",
     "Case Closed Duplicate of Existing Case 101000000001", "PRINTED", "Street Light Outages", "1 A St",
     "42.3500", "-71.0600", "Citizens Connect App"),
    # Tuesday 14:05, a crew's pothole, 6 h.
    ("101000000003", "2015-03-03 14:05:00", "2015-03-03 20:05:00", "Case Resolved", "Pothole",
     "Pothole Repair (Internal)", "2 B St", "42.3400", "-71.0700", "City Worker App"),
    # Saturday 22:30, an unmapped notification, still open.
    ("101000000004", "2015-03-07 22:30:00", "", "", "Notification", "Notification", "3 C St", "", "",
     "Constituent Call"),
    # The next Monday 09:15, an employee's street light, 4 h.
    ("101000000005", "2015-03-09 09:15:00", "2015-03-09 13:15:00", "Case Resolved", "PRINTED",
     "Street Light Outages", "4 D St", "42.3600", "-71.0500", "Employee Generated"),
)  # fmt: skip


@pytest.fixture
def boston_csv(tmp_path: Path) -> Path:
    path = tmp_path / "boston_small.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        writer.writerows(ROWS)
    return path


def test_calibration_reads_the_aggregates(boston_csv: Path) -> None:
    figures = calibrate([boston_csv])
    assert (figures["records"], figures["first"], figures["last"]) == (5, "2015-03-02", "2015-03-09")
    assert figures["channels"] == {"citizen": 0.2, "hotline": 0.4, "inspector": 0.4}
    assert figures["mapped_share"] == 0.8  # only the notification has no GB/T matter
    lights = figures["types"]["Street Light Outages"]
    assert lights == {
        "count": 3,
        "share": 0.6,
        "median_hours": 4.0,  # closed after 2, 24 and 4 hours
        "duplicate_share": 0.3333,
        "by_channel": {"citizen": 1, "hotline": 1, "inspector": 1},
    }
    assert figures["types"]["Notification"]["median_hours"] is None
    dup = figures["duplicates"]
    assert (dup["share"], dup["labelled"], dup["pairs"], dup["other_channel_share"]) == (0.2, 1, 1, 1.0)
    assert dup["gap_hours"]["p50"] == 0.5 and dup["distance_m"]["p50"] == 0.0
    table = figures["weekday_hour"]
    # Three reports in the 09:00 hour of two Mondays (1.5 an hour), one on Tuesday 14:00 and one
    # on Saturday 22:00: 3.5 reports in the week, so the mean hour is 3.5 / 168.
    assert table[0][9] == 72.0 and table[1][14] == 48.0 and table[5][22] == 48.0
    assert sum(map(sum, table)) == pytest.approx(168.0)
    inspector = figures["weekday_hour_by_channel"]["inspector"]  # one Monday report, one Tuesday report
    assert inspector[0][9] == 84.0 and inspector[1][14] == 84.0


def test_calibrate_command_writes_the_figures(boston_csv: Path, tmp_path: Path) -> None:
    out = tmp_path / "out" / "calibration.json"
    result = CliRunner().invoke(
        app, ["simulate", "calibrate", "--data", str(boston_csv), "--out", str(out), "--json"]
    )
    assert result.exit_code == 0, result.stderr
    summary = json.loads(result.stdout)
    assert (summary["records"], summary["types"], summary["mapped_share"]) == (5, 3, 0.8)
    assert json.loads(out.read_text(encoding="utf-8")) == calibrate([boston_csv])
    assert load_calibration(out).duplicate_share == 0.2


def test_calibrate_command_refuses_a_missing_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app,
        ["simulate", "calibrate", "--data", str(tmp_path / "nope.csv"), "--out", str(tmp_path / "o.json")],
    )
    assert result.exit_code == 1 and "no such file" in result.stderr
    assert not (tmp_path / "o.json").exists()


def test_packaged_calibration_is_the_boston_2015_aggregate() -> None:
    calibration = load_calibration()
    raw = calibration.raw
    assert (raw["records"], raw["first"], raw["last"]) == (121145, "2015-01-01", "2015-12-31")
    assert 0.5 < raw["mapped_share"] < 0.55
    assert sum(map(sum, raw["weekday_hour"])) == pytest.approx(168.0, abs=0.05)
    assert calibration.channels["hotline"] > calibration.channels["citizen"] > 0
    assert 0.01 < calibration.duplicate_share < 0.05
    assert "records" not in json.dumps(raw["types"])  # aggregates per type, no record


def test_mapping_names_real_matters_with_places_and_words() -> None:
    matters = {row.code for row in rows_2026() if row.kind == "matter"}
    codes = {code for code, _ in BOSTON_TO_GBT.values()}
    assert codes <= matters
    assert codes <= set(HOT_SPOTS) and codes <= set(PHRASES)
    calibration = load_calibration()
    for group in ("hotline", "citizen", "inspector"):
        mix = code_mix(calibration, group)
        assert set(mix) <= codes and sum(mix.values()) == pytest.approx(1.0)
    # Boston's crews mostly report potholes (Pothole Repair (Internal)); callers, traffic signals.
    assert max(code_mix(calibration, "inspector").items(), key=lambda item: item[1])[0] == "06013"
    assert max(code_mix(calibration, "hotline").items(), key=lambda item: item[1])[0] == "02014"


def test_handling_minutes_rank_categories_within_bounds() -> None:
    minutes = handling_minutes(load_calibration())
    assert set(minutes) == {code for code, _ in BOSTON_TO_GBT.values()}
    assert all(MIN_MINUTES <= m <= MAX_MINUTES for m in minutes.values())
    assert minutes["06011"] > minutes["06042"]  # clearing a rubbish heap takes longer than a full bin


def test_calibration_from_dict_falls_back_to_the_overall_profile() -> None:
    raw = load_calibration().raw
    calibration = Calibration.from_dict({k: v for k, v in raw.items() if k != "weekday_hour_by_channel"})
    assert calibration.profile("inspector") == raw["weekday_hour"]


AT = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("arrival", "expected"),
    [
        (Arrival(0, AT, "inspector", "06010", 120.1, 30.2, place="文三路", reporter="inspector01"),
         {"category_code": "06010", "client_id": "sim-t-0", "urgency": "normal"}),
        (Arrival(1, AT, "citizen", "01037", 120.1, 30.2, text="路灯不亮", reporter="13900000000", chosen=True),
         {"category_code": "01037", "phone": "13900000000"}),
        (Arrival(2, AT, "citizen", "01037", 120.1, 30.2, text="路灯不亮", reporter="13900000000"), {}),
        (Arrival(3, AT, "hotline", "06013", 120.1, 30.2, place="学军中学", text="路上有坑", reporter="13900000001"),
         {"order_no": "sim-t-3", "address": "学军中学", "content": "路上有坑"}),
        (Arrival(4, AT, "camera", "09001", 120.1, 30.2, device_id="CAM-M001", device_class="street_vendor",
                 value=0.9), {"algorithm_class": "street_vendor", "confidence": 0.9}),
        (Arrival(5, AT, "sensor", "06028", 120.1, 30.2, device_id="NOISE-001", device_class="noise_db",
                 value=75.0, unit="dB"), {"metric": "noise_db", "value": 75.0, "unit": "dB"}),
    ],
)  # fmt: skip
def test_payloads_are_what_each_channel_accepts(arrival: Arrival, expected: dict[str, object]) -> None:
    payload = payload_of(arrival, "t")
    CHANNELS[arrival.channel].schema.model_validate(payload)
    assert expected.items() <= payload.items()
    if arrival.channel == "citizen" and not arrival.chosen:
        assert "category_code" not in payload  # the pipeline classifies the text
    if arrival.channel == "hotline":
        assert "lon" not in payload  # address only: the gazetteer places it
