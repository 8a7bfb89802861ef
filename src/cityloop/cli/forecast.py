"""`cityloop forecast ...`: measure the 48-hour volume forecast on real 311 exports (no database)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from cityloop.analytics import SeasonalModel, backtest, boston_series
from cityloop.cli._common import console, fail, print_json
from cityloop.core.errors import CityLoopError

app = typer.Typer(help="Volume forecasts: backtest on real 311 data.", no_args_is_help=True)


@app.command("backtest")
def backtest_command(
    fmt: Annotated[str, typer.Option("--format", help="Export format (only boston311 carries the groups).")],
    data: Annotated[list[Path], typer.Option("--data", help="CSV file (repeat for several).")],
    step_hours: Annotated[int, typer.Option(help="Hours between forecast origins.")] = 84,
    first_origin_weeks: Annotated[int, typer.Option(help="Weeks of history before the first origin.")] = 8,
    after: Annotated[
        str | None, typer.Option(help="Only origins from this ISO date-time on (history still used).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Rolling-origin backtest of the next-48-hours forecast per neighbourhood × subject vs same-hour-last-week.

    `mape` is the weighted MAPE of each series' 48-hour total (Σ|F−A| / ΣA); the naive is measured the same way.
    """
    if fmt != "boston311":
        fail(f"--format {fmt!r}: the backtest reads boston311 exports", code="analytics.unknown_format")
    try:
        start = datetime.fromisoformat(after) if after else None
        if start is not None and start.tzinfo is None:
            fail(
                "--after needs a time zone, e.g. 2015-07-01T00:00:00-04:00", code="analytics.invalid_argument"
            )
        result = backtest(
            boston_series(data),
            model=SeasonalModel(),
            step_hours=step_hours,
            first_origin_weeks=first_origin_weeks,
            after=start,
        )
    except CityLoopError as exc:
        fail(exc.message, code=exc.code, details=exc.details)
    except ValueError as exc:
        fail(str(exc), code="analytics.invalid_argument")
    if as_json:
        print_json(result)
        return
    console.print(
        f"{result['series']} series, {result['origins']} origins, {result['cases_forecast']} cases: "
        f"MAPE {result['mape']:.1%} vs naive {result['naive_mape']:.1%} "
        f"({result['improvement_vs_naive']:.1%} better)"
    )
