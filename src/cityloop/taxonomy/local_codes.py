"""A city's local extension codes (`taxonomy_local.csv` of a city pack, docs/city-pack.md).

Local codes extend national majors of GB/T 47678.5-2026 with 5-digit codes that do not clash
with the national table, e.g. `matter,09,09901,占道晾晒,Drying laundry on the street,`.
An import validates the whole file first and writes nothing if any line breaks a rule;
otherwise the file replaces the city's local codes. Export writes the same format back.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cityloop.cities import get_city
from cityloop.taxonomy.errors import TaxonomyImportFailed
from cityloop.taxonomy.models import Category
from cityloop.taxonomy.standards import KINDS, STANDARD_2026

COLUMNS = ("kind", "major_code", "code", "name", "name_en", "note")
NAME_MAX = 200


@dataclass(frozen=True)
class LocalCode:
    kind: str
    major_code: str
    code: str
    name: str
    name_en: str | None
    note: str | None


def _problem(source: str, line: int, field: str, rule: str, message: str) -> dict[str, Any]:
    return {"file": source, "line": line, "field": field, "rule": rule, "message": message}


def _national(session: Session) -> tuple[dict[tuple[str, str], tuple[str, str | None]], set[tuple[str, str]]]:
    """National majors by (kind, major) → (name, name_en), and national (kind, code) keys."""
    stmt = select(
        Category.kind, Category.code, Category.major_code, Category.major_name, Category.major_name_en
    )
    stmt = stmt.where(Category.standard == STANDARD_2026, Category.city_id.is_(None))
    majors: dict[tuple[str, str], tuple[str, str | None]] = {}
    codes: set[tuple[str, str]] = set()
    for kind, code, major, major_name, major_name_en in session.execute(stmt):
        majors[(kind, major)] = (major_name, major_name_en)
        codes.add((kind, code))
    return majors, codes


def check_local_codes(
    session: Session, csv_text: str, *, source: str = "taxonomy_local.csv"
) -> list[LocalCode]:
    """Parse and validate a local codes file; raise TaxonomyImportFailed listing every problem."""
    majors, national_codes = _national(session)
    problems: list[dict[str, Any]] = []
    reader = csv.reader(io.StringIO(csv_text.lstrip("\ufeff")))
    header = next(reader, None)
    if header is None or tuple(h.strip() for h in header) != COLUMNS:
        got = ",".join(header) if header else "nothing"
        problems.append(
            _problem(source, 1, "header", "header", f"the header must be {','.join(COLUMNS)}; got {got}")
        )
        raise _failed(source, problems)
    parsed: list[LocalCode] = []
    seen: dict[tuple[str, str], int] = {}
    for values in reader:
        line = reader.line_num
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(COLUMNS):
            problems.append(
                _problem(
                    source, line, "*", "columns", f"expected {len(COLUMNS)} columns, found {len(values)}"
                )
            )
            continue
        kind, major, code, name, name_en, note = (v.strip() for v in values)
        found = _check_line(source, line, kind, major, code, name, majors, national_codes, seen)
        problems.extend(found)
        seen.setdefault((kind, code), line)
        if not found:
            parsed.append(LocalCode(kind, major, code, name, name_en or None, note or None))
    if problems:
        raise _failed(source, problems)
    return parsed


def _check_line(
    source: str,
    line: int,
    kind: str,
    major: str,
    code: str,
    name: str,
    majors: dict[tuple[str, str], tuple[str, str | None]],
    national_codes: set[tuple[str, str]],
    seen: dict[tuple[str, str], int],
) -> list[dict[str, Any]]:
    out = []

    def add(field: str, rule: str, message: str) -> None:
        out.append(_problem(source, line, field, rule, message))

    if kind not in KINDS:
        add("kind", "kind", f"kind {kind!r} must be 'component' or 'matter'")
    major_ok = len(major) == 2 and major.isascii() and major.isdigit()
    if not major_ok:
        add("major_code", "major_format", f"major_code {major!r} must be 2 digits")
    elif kind in KINDS and (kind, major) not in majors:
        add("major_code", "major_exists", f"there is no national {kind} major {major} in {STANDARD_2026}")
    if not (len(code) == 5 and code.isascii() and code.isdigit()):
        add("code", "code_format", f"code {code!r} must be 5 digits (2-digit major + 3-digit minor)")
    elif major_ok and code[:2] != major:
        add("code", "code_major", f"code {code} must start with its major_code {major}")
    elif (kind, code) in national_codes:
        add("code", "national_clash", f"{kind} {code} is already a national code of {STANDARD_2026}")
    if (kind, code) in seen:
        add("code", "duplicate", f"{kind} {code} already appears on line {seen[(kind, code)]}")
    if not name:
        add("name", "name_required", "a local code needs a Chinese name")
    elif len(name) > NAME_MAX:
        add("name", "name_length", f"the name is longer than {NAME_MAX} characters")
    return out


def _failed(source: str, problems: list[dict[str, Any]]) -> TaxonomyImportFailed:
    first = problems[0]
    return TaxonomyImportFailed(
        f"{source}: {len(problems)} problem(s) in the local taxonomy codes, nothing imported; "
        f"first: line {first['line']}, {first['field']}: {first['message']}",
        details=problems,
    )


def do_import_local_codes(
    session: Session, *, city_code: str, csv_text: str, source: str = "taxonomy_local.csv"
) -> int:
    """Replace the city's local codes with the file's, after validating all of it; return the count.

    Codes kept from one import to the next keep their row (and id); codes no longer listed
    are removed.
    """
    get_city(session, city_code)
    parsed = check_local_codes(session, csv_text, source=source)
    majors, _ = _national(session)
    stmt = select(Category).where(Category.city_id == city_code, Category.standard == STANDARD_2026)
    existing = {(c.kind, c.code): c for c in session.scalars(stmt)}
    for item in parsed:
        major_name, major_name_en = majors[(item.kind, item.major_code)]
        category = existing.pop((item.kind, item.code), None)
        if category is None:
            category = Category(standard=STANDARD_2026, kind=item.kind, code=item.code, city_id=city_code)
            session.add(category)
        category.major_code = item.major_code
        category.major_name = major_name
        category.major_name_en = major_name_en
        category.name = item.name
        category.name_en = item.name_en
        category.note = item.note
        category.active = True
    for gone in existing.values():
        session.delete(gone)
    session.flush()
    return len(parsed)


def export_local_codes(session: Session, city_code: str) -> str:
    """The city's local codes as `taxonomy_local.csv` text (the format the import reads)."""
    get_city(session, city_code)
    stmt = (
        select(Category)
        .where(Category.city_id == city_code, Category.standard == STANDARD_2026)
        .order_by(Category.kind, Category.code)
    )
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for c in session.scalars(stmt):
        writer.writerow([c.kind, c.major_code, c.code, c.name, c.name_en or "", c.note or ""])
    return out.getvalue()
