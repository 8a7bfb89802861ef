"""The boston311 and nyc311 readers: fields, aware times, duplicate labels, time ordering, errors."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from cityloop.triage.importers import ImportFailed, read_boston311, read_nyc311, read_records
from cityloop.triage.importers.boston311 import duplicate_label
from cityloop.triage.importers.nyc311 import is_duplicate_resolution

FIXTURES = Path(__file__).parent / "fixtures"


def test_boston_fields_and_labels() -> None:
    records = {r.id: r for r in read_boston311(FIXTURES / "boston311_tiny.csv")}
    dup = records["101001241334"]
    assert dup.is_duplicate is True
    assert dup.duplicate_of == "101001241331"
    assert dup.category == "Graffiti Removal"
    assert dup.address == "394 Riverway  Boston  MA  02115"
    assert (dup.lat, dup.lon) == (42.3322, -71.1124)
    assert dup.opened_at.astimezone(UTC) == datetime(2015, 1, 2, 18, 20, 11, tzinfo=UTC)
    assert records["101001240866"].duplicate_of == "101001240827"
    assert records["101001241331"].is_duplicate is False
    hall = records["101001240734"]
    assert (hall.lat, hall.lon, hall.closed_at) == (None, None, None)


def test_boston_duplicate_label_without_master() -> None:
    assert duplicate_label("Case Closed Duplicate of Existing Case duplicate", "101001241572") == (True, None)
    assert duplicate_label("Case Closed Case Resolved", "1") == (False, None)


def test_nyc_fields_and_labels() -> None:
    records = {r.id: r for r in read_nyc311(FIXTURES / "nyc311_tiny.csv")}
    assert records["64446441"].is_duplicate is True
    assert records["64446441"].duplicate_of is None
    assert records["64440001"].is_duplicate is False
    assert records["64446441"].text == "ENTIRE BUILDING RESIDENTIAL BUILDING"
    assert records["64446441"].opened_at.astimezone(UTC) == datetime(2025, 3, 24, 5, 22, 11, tzinfo=UTC)
    noise = records["64453126"]
    assert (noise.address, noise.lat, noise.closed_at) == ("EAST 31 STREET & MADISON AVENUE", None, None)
    assert is_duplicate_resolution("…is a duplicate of a previously filed complaint.") is True
    assert is_duplicate_resolution("Violations were previously issued for these conditions.") is False


def test_read_records_sorts_by_opening_time() -> None:
    ids = [r.id for r in read_records("nyc311", [FIXTURES / "nyc311_tiny.csv"])]
    assert ids == ["64440001", "64446441", "64453126"]


def test_errors_name_the_file(tmp_path: Path) -> None:
    with pytest.raises(ImportFailed, match="no such file"):
        read_boston311(tmp_path / "missing.csv")
    with pytest.raises(ImportFailed, match="missing column"):
        read_boston311(FIXTURES / "nyc311_tiny.csv")
    with pytest.raises(ImportFailed, match="unknown format"):
        read_records("chicago311", [])
    bad = tmp_path / "bad.csv"
    bad.write_text((FIXTURES / "nyc311_tiny.csv").read_text().replace("03/24/2025 01:22:11 AM", "yesterday"))
    with pytest.raises(ImportFailed, match=r"bad.csv:2: Created Date 'yesterday'"):
        read_nyc311(bad)
