"""Boston 311 (2015 open-data export, lower-cased columns) → ServiceRecord.

A case closed with "Duplicate of Existing Case" is a duplicate; the master id is taken from the
closure note when it names one (a 12-digit case id, or "%1240827" meaning 101001240827).
Un-geocoded cases carry the City Hall default point: they get no coordinates.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from cityloop.triage.importers.errors import ImportFailed
from cityloop.triage.importers.records import ServiceRecord, open_rows, parse_float

BOSTON = ZoneInfo("America/New_York")
CITY_HALL = (42.3594, -71.0587)
REQUIRED = ("case_enquiry_id", "open_dt", "closed_dt", "closure_reason", "case_title", "type", "location")
_DUPLICATE = "duplicate of existing case"
_FULL_ID = re.compile(r"\b(1010\d{8})\b")
_SHORT_ID = re.compile(r"%\s*(\d{7})\b")


def _time(value: str, path: Path, line: int, column: str) -> datetime | None:
    if not value.strip():
        return None
    try:
        return datetime.strptime(value.strip(), "%Y-%m-%d %H:%M:%S").replace(tzinfo=BOSTON)
    except ValueError as exc:
        raise ImportFailed(
            f"{path}:{line}: {column} {value!r} is not YYYY-MM-DD HH:MM:SS",
            details={"file": str(path), "line": line, "field": column},
        ) from exc


def duplicate_label(closure_reason: str, own_id: str) -> tuple[bool, str | None]:
    """(is_duplicate, master id or None) from a Boston closure note."""
    if _DUPLICATE not in closure_reason.lower():
        return False, None
    tail = closure_reason[closure_reason.lower().index(_DUPLICATE) + len(_DUPLICATE) :]
    full = _FULL_ID.search(tail)
    if full and full.group(1) != own_id:
        return True, full.group(1)
    short = _SHORT_ID.search(tail)
    if short:
        return True, "10100" + short.group(1)
    return True, None


def read_boston311(path: Path) -> list[ServiceRecord]:
    """Every case of one Boston 311 CSV, in file order."""
    records: list[ServiceRecord] = []
    for line, row in open_rows(path, REQUIRED):
        opened = _time(row["open_dt"], path, line, "open_dt")
        if opened is None:
            raise ImportFailed(
                f"{path}:{line}: open_dt is empty",
                details={"file": str(path), "line": line, "field": "open_dt"},
            )
        lat, lon = parse_float(row.get("latitude", "")), parse_float(row.get("longitude", ""))
        if lat is not None and lon is not None and (round(lat, 4), round(lon, 4)) == CITY_HALL:
            lat = lon = None
        case_id = row["case_enquiry_id"].strip()
        is_dup, master = duplicate_label(row["closure_reason"], case_id)
        title = row["case_title"].strip()
        records.append(
            ServiceRecord(
                id=case_id,
                opened_at=opened,
                closed_at=_time(row["closed_dt"], path, line, "closed_dt"),
                category=row["type"].strip(),
                lat=lat,
                lon=lon,
                address=row["location"].strip(),
                text=title,
                channel=row.get("source", "").strip(),
                is_duplicate=is_dup,
                duplicate_of=master,
            )
        )
    return records
