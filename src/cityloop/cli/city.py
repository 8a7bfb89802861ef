"""`cityloop city ...`: list, import, export and the demo city."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from cityloop.cli._common import console, db_session, err_console, fail, print_json

app = typer.Typer(
    help="Cities: list, import and export city packs, create the demo city.", no_args_is_help=True
)

DEMO_PASSWORD = "cityloop-demo"


def _import(pack: Any, password: str | None, label: str) -> dict[str, Any]:
    from cityloop.flows.citypack import do_import_pack

    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
    ) as progress:
        task = progress.add_task(label, total=None)

        def step(name: str) -> None:
            progress.update(task, description=f"{label}: {name}")

        with db_session() as session:
            summary = do_import_pack(session, pack, password=password, progress=step)
    return {"city": summary.city, **summary.steps, "warnings": summary.warnings}


def _report(result: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print_json(result)
        return
    table = Table(title=f"city {result['city']}", show_header=True)
    table.add_column("part")
    table.add_column("imported")
    for key, value in result.items():
        if key not in ("city", "warnings"):
            table.add_row(
                key, json.dumps(value, ensure_ascii=False) if not isinstance(value, int) else str(value)
            )
    console.print(table)
    warnings = result["warnings"]
    if warnings:
        console.print(f"[yellow]{len(warnings)} warning(s)[/] (they did not stop the import):")
        for item in warnings[:20]:
            console.print(f"  - {item.get('source', '')}: {item.get('message', item)}", highlight=False)
        if len(warnings) > 20:
            console.print(f"  … and {len(warnings) - 20} more (use --json to see all)")


@app.command("list")
def list_(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """The cities in the database."""
    from cityloop.cities.queries import list_cities

    with db_session() as session:
        rows = [
            {
                "code": c.code,
                "name_zh": c.name_zh,
                "name_en": c.name_en,
                "timezone": c.timezone,
                "locale": c.locale,
            }
            for c in list_cities(session)
        ]
    if as_json:
        print_json(rows)
        return
    table = Table("code", "name", "English", "time zone", "locale")
    for r in rows:
        table.add_row(r["code"], r["name_zh"], r["name_en"] or "", r["timezone"], r["locale"])
    console.print(table if rows else "no cities yet: try `cityloop city create-demo --code 330100`")


@app.command("create-demo")
def create_demo(
    code: str = typer.Option(
        "330100", help="Division code of the demo city (330100: the demo is built around it)."
    ),
    password: str = typer.Option(
        DEMO_PASSWORD, help="Password of the demo accounts (for a demo only; never use it in production)."
    ),
    seed: int = typer.Option(20261128, help="Seed of the generated geometry and staff."),
    as_json: bool = typer.Option(False, "--json", help="Print the import summary as JSON."),
) -> None:
    """Build (or rebuild, idempotently) the demo city 示范市 / Demo City with grids, departments and staff."""
    from cityloop.sim.democity import build_demo_pack

    if code != "330100":
        fail(f"the demo city is built around 330100 (Hangzhou's code); got {code}", code="cities.demo_code")
    demo = build_demo_pack(code=code, seed=seed)
    pack = demo.to_city_pack()
    _report(_import(pack, password, "demo city"), as_json)
    if not as_json:
        console.print(f"demo accounts (e.g. admin, operator01, dispatcher01) use the password {password!r}")


@app.command("import")
def import_(
    directory: Path = typer.Argument(..., help="Folder of the city pack (see docs/city-pack.md)."),
    password: str | None = typer.Option(None, help="Password for accounts created by this import."),
    as_json: bool = typer.Option(False, "--json", help="Print the import summary as JSON."),
) -> None:
    """Import a city pack; any error imports nothing and names the file, line or feature."""
    from cityloop.core.errors import CityLoopError
    from cityloop.flows.citypack_files import read_pack

    try:
        pack = read_pack(directory)
    except CityLoopError as exc:
        fail(exc.message, code=exc.code, details=exc.details)
    _report(_import(pack, password, f"import {directory}"), as_json)


@app.command("export")
def export(
    directory: Path = typer.Argument(..., help="Folder to write the city pack to (created if needed)."),
    city: str = typer.Option(..., "--city", help="Division code of the city to export."),
) -> None:
    """Export a city as a city pack (the format `city import` reads)."""
    from cityloop.flows.citypack import export_pack
    from cityloop.flows.citypack_files import write_pack

    with db_session() as session:
        pack = export_pack(session, city)
    for path in write_pack(pack, directory):
        console.print(f"wrote {path}")


@app.command("params")
def params(
    city: str = typer.Option(..., "--city", help="Division code of the city."),
    set_: list[str] = typer.Option([], "--set", help="KEY=VALUE (VALUE in JSON, e.g. 1.4 or '[\"zh-CN\"]')."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Show a city's runtime parameters, or change some with --set."""
    from cityloop.cities.actions import do_set_parameters
    from cityloop.cities.params import describe_parameters
    from cityloop.cities.queries import get_parameters

    changes: dict[str, Any] = {}
    for item in set_:
        key, sep, raw = item.partition("=")
        if not sep:
            fail(f"--set expects KEY=VALUE, got {item!r}", code="cli.usage")
        try:
            changes[key.strip()] = json.loads(raw)
        except json.JSONDecodeError:
            changes[key.strip()] = raw
    with db_session() as session:
        if changes:
            do_set_parameters(session, city, changes)
        values = get_parameters(session, city).model_dump()
    if as_json:
        print_json(values)
        return
    table = Table("parameter", "value", "default", "meaning")
    for row in describe_parameters():
        table.add_row(
            row["key"], json.dumps(values[row["key"]]), json.dumps(row["default"]), row["description"]
        )
    console.print(table)
