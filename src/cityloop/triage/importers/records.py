"""The common 311 record and the format dispatcher."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cityloop.triage.importers.errors import ImportFailed


@dataclass(frozen=True, slots=True)
class ServiceRecord:
    """One 311 request as both formats can describe it.

    `is_duplicate` / `duplicate_of` are the ground truth written at closure: evaluation only.
    """

    id: str
    opened_at: datetime
    closed_at: datetime | None
    category: str
    lat: float | None
    lon: float | None
    address: str
    text: str
    channel: str = ""
    is_duplicate: bool = False
    duplicate_of: str | None = None


def open_rows(path: Path, required: Sequence[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row) of a CSV file that must exist and carry `required` columns."""
    if not path.is_file():
        raise ImportFailed(f"{path}: no such file", details={"file": str(path)})
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in required if c not in (reader.fieldnames or [])]
        if missing:
            raise ImportFailed(
                f"{path}: missing column(s) {', '.join(missing)} — is this the right format?",
                details={"file": str(path), "missing": missing},
            )
        for row in reader:
            yield reader.line_num, row


def parse_float(value: str) -> float | None:
    """A float or None for an empty / unparsable cell."""
    try:
        return float(value) if value.strip() else None
    except ValueError:
        return None


def _readers() -> dict[str, Callable[[Path], list[ServiceRecord]]]:
    from cityloop.triage.importers.boston311 import read_boston311
    from cityloop.triage.importers.nyc311 import read_nyc311

    return {"boston311": read_boston311, "nyc311": read_nyc311}


FORMATS = ("boston311", "nyc311")


def read_records(fmt: str, paths: Iterable[Path]) -> list[ServiceRecord]:
    """All records of `paths` in format `fmt`, sorted by opening time (then id) for replay."""
    readers = _readers()
    if fmt not in readers:
        raise ImportFailed(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    records: list[ServiceRecord] = []
    for path in paths:
        records.extend(readers[fmt](Path(path)))
    records.sort(key=lambda r: (r.opened_at, r.id))
    return records
