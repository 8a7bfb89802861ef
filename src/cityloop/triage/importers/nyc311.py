"""NYC 311 (NYC Open Data "311 Service Requests" export) → ServiceRecord.

Category is the Complaint Type; the text is Descriptor + Location Type. A request whose
Resolution Description says it is a duplicate of an earlier complaint / condition is a duplicate
(the export never names the master).
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from cityloop.triage.importers.errors import ImportFailed
from cityloop.triage.importers.records import ServiceRecord, open_rows, parse_float

NEW_YORK = ZoneInfo("America/New_York")
REQUIRED = (
    "Unique Key",
    "Created Date",
    "Closed Date",
    "Complaint Type",
    "Descriptor",
    "Resolution Description",
)
_DUPLICATE = re.compile(
    r"\bduplicate of (?:a|an|the)?\s*(?:previously filed|earlier|existing|building-wide)", re.I
)


def _time(value: str, path: Path, line: int, column: str) -> datetime | None:
    if not value.strip():
        return None
    try:
        return datetime.strptime(value.strip(), "%m/%d/%Y %I:%M:%S %p").replace(tzinfo=NEW_YORK)
    except ValueError as exc:
        raise ImportFailed(
            f"{path}:{line}: {column} {value!r} is not MM/DD/YYYY hh:mm:ss AM",
            details={"file": str(path), "line": line, "field": column},
        ) from exc


def is_duplicate_resolution(text: str) -> bool:
    """True when an NYC resolution description says the request duplicates an earlier one."""
    return bool(_DUPLICATE.search(text))


def read_nyc311(path: Path) -> list[ServiceRecord]:
    """Every request of one NYC 311 CSV, in file order."""
    records: list[ServiceRecord] = []
    for line, row in open_rows(path, REQUIRED):
        opened = _time(row["Created Date"], path, line, "Created Date")
        if opened is None:
            raise ImportFailed(
                f"{path}:{line}: Created Date is empty",
                details={"file": str(path), "line": line, "field": "Created Date"},
            )
        address = " ".join(row.get("Incident Address", "").split())
        if not address and row.get("Intersection Street 1"):
            address = f"{row['Intersection Street 1']} & {row.get('Intersection Street 2', '')}".strip()
        text = " ".join(p for p in (row["Descriptor"].strip(), row.get("Location Type", "").strip()) if p)
        records.append(
            ServiceRecord(
                id=row["Unique Key"].strip(),
                opened_at=opened,
                closed_at=_time(row["Closed Date"], path, line, "Closed Date"),
                category=row["Complaint Type"].strip(),
                lat=parse_float(row.get("Latitude", "")),
                lon=parse_float(row.get("Longitude", "")),
                address=address,
                text=text,
                channel=row.get("Open Data Channel Type", "").strip(),
                is_duplicate=is_duplicate_resolution(row["Resolution Description"]),
            )
        )
    return records
