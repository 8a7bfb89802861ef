"""`cityloop evaluate`: grade every department, person and area of a city over a period.

    cityloop evaluate --city 330100 --from 2026-11-01 --to 2026-11-30 --kind department --json

With --json the output is JSON lines: one object per entity (kind, id, name, period,
indicators, scores, composite, grade, tier), so that large cities stream and `jq -s` makes a
list. Without it, a table per kind.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from cityloop.cli._common import console, db_session, print_json

KIND_HELP = "department, inspector, operator, shift_leader, dispatcher, grid, community, street or district."


def register(app: typer.Typer) -> None:
    app.command("evaluate")(evaluate_command)


def evaluate_command(
    city: Annotated[str, typer.Option("--city", help="City code, e.g. 330100.")],
    first: Annotated[str | None, typer.Option("--from", help="First local day, YYYY-MM-DD.")] = None,
    last: Annotated[str | None, typer.Option("--to", help="Last local day (default today).")] = None,
    kind: Annotated[
        list[str] | None, typer.Option("--kind", help=f"Only this kind (repeatable): {KIND_HELP}")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON lines, one object per entity.")] = False,
    cases: Annotated[bool, typer.Option("--cases", help="Add the case numbers behind bad figures.")] = False,
) -> None:
    """Indicators, composite (0–100), grade (A/B/C/D) and budget tier of every entity (DOMAIN.md §7)."""
    from cityloop.evaluation import evaluate

    with db_session() as session:
        rows = evaluate(session, city, kinds=kind or None, first=first, last=last, include_cases=cases)
    if as_json:
        for row in rows:
            print_json(row)
        return
    _tables(rows)


def _fmt(value: Any) -> str:
    return "—" if value is None else f"{value:g}" if isinstance(value, float) else str(value)


def _tables(rows: list[dict[str, Any]]) -> None:
    kinds: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        kinds.setdefault(row["kind"], []).append(row)
    for kind, group in kinds.items():
        names = list(group[0]["scores"])
        period = group[0]["period"]
        table = Table(title=f"{kind} {period['from']} … {period['to']}")
        for column in ("id", "name", *names, "composite", "grade", "tier"):
            table.add_column(column, justify="left" if column in ("id", "name") else "right")
        for row in group:
            table.add_row(
                row["id"], row["name"], *(_fmt(row["indicators"].get(n)) for n in names),
                _fmt(row["composite"]), row["grade"] or "—", row["tier"] or "—",
            )  # fmt: skip
        console.print(table)
