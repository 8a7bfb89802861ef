"""`cityloop taxonomy`: list and show classification codes, and print the legacy crosswalk."""

from __future__ import annotations

import csv
import sys
from enum import StrEnum
from typing import Any

import typer
from rich import box
from rich.console import Console
from rich.table import Table

from cityloop.cli._common import console, db_session, print_json
from cityloop.taxonomy import (
    STANDARD_2026,
    AmbiguousCategory,
    crosswalk,
    get_category,
    list_categories,
    list_registration_conditions,
)
from cityloop.taxonomy.models import Category, RegistrationCondition
from cityloop.taxonomy.schemas import CategoryDetailOut, CategoryOut, RegistrationConditionOut
from cityloop.taxonomy.views import CSV_HEADER, category_csv_row, category_detail

app = typer.Typer(help="Classification codes of components (部件) and matters (事项).", no_args_is_help=True)


class OutputFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


def _table_console() -> Console:
    """The shared console on a terminal; a wide one when piped, so rows are never cut."""
    return console if sys.stdout.isatty() else Console(width=200, color_system=None)


@app.command("list")
def list_command(
    standard: str = typer.Option(
        STANDARD_2026, "--standard", help="Edition: 'GB/T 47678.5-2026' or 'legacy'."
    ),
    kind: str | None = typer.Option(None, "--kind", help="component or matter (default both)."),
    city: str | None = typer.Option(None, "--city", help="Also list this city's local codes."),
    major: str | None = typer.Option(None, "--major", help="Only this 2-digit major."),
    search: str | None = typer.Option(None, "--search", help="A fragment of the code or name."),
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", help="table, csv or json."),
) -> None:
    """List the categories of an edition, by kind then code."""
    with db_session() as session:
        stmt = list_categories(
            session, standard=standard, kind=kind, city_code=city, major=major, search=search
        )
        rows = list(session.scalars(stmt))
    if fmt is OutputFormat.csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(CSV_HEADER)
        writer.writerows(category_csv_row(row) for row in rows)
    elif fmt is OutputFormat.json:
        print_json([CategoryOut.model_validate(row).model_dump() for row in rows])
    else:
        _table_console().print(_category_table(standard, rows))


def _category_table(standard: str, rows: list[Category]) -> Table:
    table = Table(title=f"{standard}: {len(rows)}", box=box.SIMPLE_HEAD, title_justify="left")
    with_local = any(row.city_id for row in rows)
    for name in ("kind", "code", "name", "name_en", "major", "local")[: 6 if with_local else 5]:
        table.add_column(name, no_wrap=True, overflow="ellipsis" if name == "name_en" else "fold")
    for i, row in enumerate(rows):
        following = rows[i + 1] if i + 1 < len(rows) else None
        last_of_major = following is None or (following.kind, following.major_code) != (
            row.kind,
            row.major_code,
        )
        table.add_row(
            row.kind,
            row.code,
            row.name,
            row.name_en or "",
            f"{row.major_code} {row.major_name}",
            *([row.city_id or ""] if with_local else []),
            end_section=last_of_major,
        )
    return table


@app.command("show")
def show_command(
    code: str = typer.Argument(..., help="The category code, e.g. 06010 (or 0102 in the legacy table)."),
    standard: str = typer.Option(
        STANDARD_2026, "--standard", help="Edition: 'GB/T 47678.5-2026' or 'legacy'."
    ),
    kind: str | None = typer.Option(None, "--kind", help="component or matter, when the code is both."),
    city: str | None = typer.Option(None, "--city", help="Include this city's local codes and conditions."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Show one category, its crosswalk counterpart and (with --city) its registration conditions."""
    with db_session() as session:
        try:
            found = [get_category(session, code=code, standard=standard, kind=kind, city_code=city)]
        except AmbiguousCategory as exc:  # a bare code that is both kinds: show both
            found = [
                get_category(session, code=code, standard=standard, kind=k, city_code=city)
                for k in exc.details["kinds"]
            ]
        shown = []
        for category in found:
            conditions = (
                list_registration_conditions(
                    session, city, code=category.code, kind=category.kind, standard=category.standard
                )
                if city
                else []
            )
            shown.append((category_detail(category), conditions))
    if as_json:
        print_json([_detail_json(detail, conditions, city) for detail, conditions in shown])
        return
    for i, (detail, conditions) in enumerate(shown):
        if i:
            console.print()
        _print_detail(detail, conditions, city)


def _detail_json(
    detail: CategoryDetailOut, conditions: list[RegistrationCondition], city: str | None
) -> dict[str, Any]:
    data = detail.model_dump()
    if city:
        data["registration_conditions"] = [
            RegistrationConditionOut.model_validate(c).model_dump() for c in conditions
        ]
    return data


def _limit(limits: dict[str, Any], urgency: str) -> str:
    value = limits.get(urgency)
    return f"{value['amount']} {value['unit'].replace('_', ' ')}" if value else "—"


def _print_detail(
    detail: CategoryDetailOut, conditions: list[RegistrationCondition], city: str | None
) -> None:
    scope = f"local code of city {detail.city_id}" if detail.city_id else "national"
    console.print(f"[bold]{detail.code} {detail.name}[/]  {detail.name_en or ''}", highlight=False)
    console.print(f"  standard: {detail.standard}  kind: {detail.kind}  ({scope})", highlight=False)
    console.print(
        f"  major:    {detail.major_code} {detail.major_name}  {detail.major_name_en or ''}", highlight=False
    )
    if detail.note:
        console.print(f"  note:     {detail.note}", highlight=False)
    for link in detail.crosswalk:
        note = f"  ({link.note})" if link.note else ""
        console.print(
            f"  crosswalk: {link.standard} {link.code} {link.name} [{link.rule}]{note}",
            highlight=False,
            markup=False,
        )
    if detail.unmapped_reason:
        console.print(f"  crosswalk: none: {detail.unmapped_reason}", highlight=False)
    if city:
        if not conditions:
            console.print(f"  registration conditions of {city}: none", highlight=False)
        for c in conditions:
            area = f" [{c.area_class}]" if c.area_class else ""
            console.print(
                f"  立案条件 {c.situation}{area}: normal {_limit(c.limits, 'normal')}, "
                f"urgent {_limit(c.limits, 'urgent')}",
                highlight=False,
                markup=False,
            )


@app.command("crosswalk")
def crosswalk_command(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """The legacy → GB/T 47678.5-2026 crosswalk: mapped pairs with their rule, unmapped with why."""
    walk = crosswalk()
    counts = walk.counts()
    if as_json:
        print_json(
            {
                "counts": {"mapped": len(walk.mapped), **counts},
                "mapped": [vars(p) for p in walk.mapped],
                "unmapped": [vars(u) for u in walk.unmapped],
            }
        )
        return
    out = _table_console()
    out.print(
        f"mapped {len(walk.mapped)} (major_plus_5 {counts['major_plus_5']}, "
        f"same_name {counts['same_name']}), unmapped {counts['unmapped']}",
        highlight=False,
    )
    mapped = Table(title="mapped", box=box.SIMPLE_HEAD, title_justify="left")
    for name in ("kind", "legacy", "name", "2026", "name ", "rule", "note"):
        mapped.add_column(name, no_wrap=name != "note")
    for p in walk.mapped:
        mapped.add_row(p.kind, p.legacy_code, p.legacy_name, p.code, p.name, p.rule, p.note or "")
    out.print(mapped)
    unmapped = Table(title="unmapped", box=box.SIMPLE_HEAD, title_justify="left")
    for name in ("kind", "legacy", "name", "reason"):
        unmapped.add_column(name, no_wrap=name != "reason")
    for u in walk.unmapped:
        unmapped.add_row(u.kind, u.legacy_code, u.legacy_name, u.reason)
    out.print(unmapped)
