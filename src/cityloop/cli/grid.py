"""`cityloop grid ...`: unit grid commands (locate a point in a city)."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table
from sqlalchemy.orm import Session

from cityloop.cli._common import console, db_session, print_json
from cityloop.core.i18n import translate
from cityloop.geo.lookup import get_location

app = typer.Typer(
    help="Unit grids (单元网格): find the grid, community, street and district of a point.",
    no_args_is_help=True,
)

LEVELS_UP = ("grid", "community", "street", "district")


def locate_payload(session: Session, city_code: str, lon: float, lat: float) -> dict[str, Any]:
    """What `grid locate --json` prints: {level: {code, name} or null} for grid … district.

    Raises CityNotFound for an unknown city and NotLocated (geo.not_located) outside every area.
    """
    found = get_location(session, city_code, lon, lat)
    refs = (found.grid, found.community, found.street, found.district)
    return {
        level: ({"code": ref.code, "name": ref.name} if ref else None)
        for level, ref in zip(LEVELS_UP, refs, strict=True)
    }


@app.command(
    "locate",
    context_settings={"ignore_unknown_options": True},  # lets "-71.0" through as a number
)
def locate_command(
    lon: Annotated[
        float, typer.Argument(help="Longitude (WGS 84); negative values work as they are or after `--`.")
    ],
    lat: Annotated[float, typer.Argument(help="Latitude (WGS 84).")],
    city: Annotated[str, typer.Option("--city", help="6-digit division code of the city.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object, not a table.")] = False,
) -> None:
    """Print the unit grid of a point with its community, street and district (exit 1 outside)."""
    with db_session() as session:
        payload = locate_payload(session, city, lon, lat)
    if as_json:
        print_json(payload)
        return
    table = Table(title=f"{city}  ({lon}, {lat})")
    table.add_column("level")
    table.add_column("code")
    table.add_column("name")
    for level in LEVELS_UP:
        ref = payload[level]
        label = f"{translate(level, 'zh-CN')} {translate(level, 'en')}"
        table.add_row(label, ref["code"] if ref else "-", (ref["name"] or "") if ref else "-")
    console.print(table)
