"""`cityloop sweep`: mark overdue tasks of a city, escalate them and record it on the timeline."""

from __future__ import annotations

import typer

from cityloop.cli._common import console, db_session, print_json


def register(app: typer.Typer) -> None:
    @app.command("sweep")
    def sweep(
        city: str = typer.Option(..., "--city", help="Division code of the city."),
        as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    ) -> None:
        """Run the deadline sweep once now: overdue tasks are marked, escalated and put on the timeline."""
        from cityloop.core.clock import get_clock
        from cityloop.flows.sweep import do_sweep, escalation_for

        with db_session() as session:
            result = do_sweep(session, city_code=city, now=get_clock().now())
        if as_json:
            print_json(result.to_dict())
            return
        if not result.total:
            console.print(f"city {city}: no task newly overdue at {result.at.isoformat(timespec='seconds')}")
            return
        console.print(
            f"city {city}: {result.total} overdue task(s) on {result.cases} case(s) marked at "
            f"{result.at.isoformat(timespec='seconds')}"
        )
        for kind, n in sorted(result.marked.items()):
            console.print(f"  {kind:<16} {n:>6}  → {escalation_for(kind)}", highlight=False)
