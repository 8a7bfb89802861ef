"""`cityloop audit verify`: recompute a city's hash-chained timeline and report the first break."""

from __future__ import annotations

from typing import Any

import typer

from cityloop.cli._common import console, db_session, fail, print_json

app = typer.Typer(help="Audit: check that the timeline was not altered.", no_args_is_help=True)


@app.command("verify")
def verify(
    city: str = typer.Option(..., "--city", help="Division code of the city."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON (also when the check fails)."),
) -> None:
    """Recompute every event hash of the city; exit 1 naming the first broken case and event."""
    from cityloop.cases import verify_city
    from cityloop.cities import get_city

    with db_session() as session:
        get_city(session, city)
        report = verify_city(session, city)
    breaks = [
        {"case": b.case, "seq": b.seq, "city_seq": b.city_seq, "problem": b.problem} for b in report.breaks
    ]
    summary: dict[str, Any] = {
        "city": city,
        "ok": report.ok,
        "cases": report.cases,
        "events": report.events,
        "breaks": breaks,
    }
    if as_json:
        print_json(summary)
    if report.ok:
        if not as_json:
            console.print(f"city {city}: timeline intact — {report.events} events on {report.cases} cases")
        return
    first = report.breaks[0]
    where = (
        f"case {first.case} event {first.seq}"
        if first.case is not None
        else f"the city chain head (event {first.city_seq})"
    )
    fail(
        f"city {city}: timeline broken at {where}: {first.problem}",
        code="audit.chain_broken",
        details=breaks,
    )
