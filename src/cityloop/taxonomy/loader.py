"""Read the packaged classification tables into typed rows.

The CSVs under `data/` are package data (read through importlib.resources, never from the
source tree): the GB/T 47678.5-2026 directory, its English names (written for CityLoop, blank
where no accurate rendering was found), the legacy 4-digit table, and the default registration
conditions of DOMAIN.md §4. Everything here is pure and cached.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from cityloop.core.timeunits import TIME_UNITS as TIME_UNITS  # re-exported: the units conditions may use
from cityloop.taxonomy.schemas import TimeLimits
from cityloop.taxonomy.standards import LEGACY, STANDARD_2026, STANDARDS, Kind, check_kind

FILE_2026 = "gbt47678.5-2026-taxonomy.csv"
FILE_2026_EN = "gbt47678.5-2026-en.csv"
FILE_LEGACY = "legacy-taxonomy.csv"
FILE_CONDITIONS = "registration-conditions.csv"

URGENCIES = ("urgent", "normal")


@dataclass(frozen=True)
class CategoryRow:
    """One national row of a packaged table."""

    standard: str
    kind: Kind
    code: str
    major_code: str
    major_name: str
    major_name_en: str | None
    name: str
    name_en: str | None
    note: str | None = None


@dataclass(frozen=True)
class ConditionRow:
    """One default registration condition (立案条件) with its disposal limits per urgency."""

    standard: str
    kind: Kind
    code: str
    name: str
    situation: str
    situation_en: str | None
    area_class: str | None
    limits: dict[str, Any]
    note: str
    source: str


def read_data(filename: str) -> str:
    """The text of one packaged data file."""
    return (
        resources.files("cityloop.taxonomy").joinpath("data").joinpath(filename).read_text(encoding="utf-8")
    )


def _records(filename: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(read_data(filename))))


def _check_code(row: CategoryRow) -> None:
    digits = STANDARDS[row.standard].code_digits
    if not (len(row.code) == digits and row.code.isdigit() and row.code.startswith(row.major_code)):
        raise ValueError(f"packaged table {row.standard}: malformed code {row.code!r} ({row.kind})")


@cache
def english_names() -> dict[tuple[str, str], str]:
    """English names of the 2026 table by (kind, code); 2-digit codes are majors."""
    return {(r["kind"], r["code"]): r["name_en"] for r in _records(FILE_2026_EN) if r["name_en"].strip()}


@cache
def rows_2026() -> tuple[CategoryRow, ...]:
    """The 403 rows of GB/T 47678.5-2026 (153 components, 250 matters) with English names."""
    en = english_names()
    rows = []
    for r in _records(FILE_2026):
        kind = check_kind(r["kind"])
        row = CategoryRow(
            standard=STANDARD_2026,
            kind=kind,
            code=r["code"],
            major_code=r["major_code"],
            major_name=r["major_name"],
            major_name_en=en.get((kind, r["major_code"])),
            name=r["name"],
            name_en=en.get((kind, r["code"])),
        )
        _check_code(row)
        rows.append(row)
    return tuple(rows)


@cache
def rows_legacy() -> tuple[CategoryRow, ...]:
    """The legacy 4-digit table; its `edition` column becomes each row's note."""
    rows = []
    for r in _records(FILE_LEGACY):
        row = CategoryRow(
            standard=LEGACY,
            kind=check_kind(r["kind"]),
            code=r["code"],
            major_code=r["major_code"],
            major_name=r["major_name"],
            major_name_en=None,
            name=r["name"],
            name_en=None,
            note=r["edition"] or None,
        )
        _check_code(row)
        rows.append(row)
    return tuple(rows)


def national_rows() -> tuple[CategoryRow, ...]:
    """Every packaged national row, of every edition."""
    return rows_2026() + rows_legacy()


@cache
def default_conditions() -> tuple[ConditionRow, ...]:
    """The default registration conditions (DOMAIN.md §4) that each city is seeded with."""
    rows = []
    for r in _records(FILE_CONDITIONS):
        limits = TimeLimits.model_validate(
            {
                urgency: {"amount": r[f"{urgency}_amount"], "unit": r[f"{urgency}_unit"]}
                for urgency in URGENCIES
                if r[f"{urgency}_unit"]
            }
        ).model_dump(exclude_none=True)
        rows.append(
            ConditionRow(
                standard=r["standard"],
                kind=check_kind(r["kind"]),
                code=r["code"],
                name=r["name"],
                situation=r["situation"],
                situation_en=r["situation_en"] or None,
                area_class=r["area_class"] or None,
                limits=limits,
                note=r["note"],
                source=r["source"],
            )
        )
    return tuple(rows)
