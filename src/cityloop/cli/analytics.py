"""`cityloop analytics ...`: text hot spots from a message export, and the city's analyses from the database."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Annotated, Any

import typer

from cityloop.analytics.queries import emerging_of, forecast_of, hotspots_of, patterns_of, recurrence_of
from cityloop.analytics.texthot import read_messages, text_hotspots
from cityloop.cli._common import console, db_session, fail, print_json
from cityloop.core.clock import get_clock, utc
from cityloop.core.errors import CityLoopError

app = typer.Typer(help="Hot spots, recurrence, patterns, emerging issues, forecasts.", no_args_is_help=True)

CityOption = Annotated[str, typer.Option("--city", help="City division code.")]
FromOption = Annotated[str | None, typer.Option("--from", help="Start date/time (ISO; default 30 days ago).")]
ToOption = Annotated[str | None, typer.Option("--to", help="End date/time, exclusive (ISO; default now).")]


def _period(start: str | None, end: str | None) -> tuple[datetime, datetime]:
    try:
        stop = utc(datetime.fromisoformat(end)) if end else get_clock().now()
        return (utc(datetime.fromisoformat(start)) if start else stop - timedelta(days=30)), stop
    except ValueError as exc:
        fail(str(exc), code="analytics.invalid_period")


def _show(result: Any) -> None:
    print_json(result)


@app.command("text-hotspots")
def text_hotspots_command(
    data: Annotated[Path, typer.Option("--data", help="Messages CSV (TipDM format).")],
    top: Annotated[int, typer.Option(help="How many issues.")] = 10,
    similarity: Annotated[float, typer.Option(help="Cosine similarity of neighbouring titles.")] = 0.5,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Group messages about the same issue and rank the issues by heat (messages, likes, recency)."""
    try:
        issues = text_hotspots(read_messages(data), similarity=similarity, top=top)
    except CityLoopError as exc:
        fail(exc.message, code=exc.code, details=exc.details)
    if as_json:
        print_json({"issues": issues})
        return
    for issue in issues:
        console.print(
            f"{issue['rank']:>2}. heat {issue['heat']:.1f}  {issue['messages']} msgs / {issue['users']} users / "
            f"{issue['likes']} likes  {issue['title']}",
            highlight=False,
            soft_wrap=True,
        )


@app.command("hotspots")
def hotspots_command(
    city: CityOption, start: FromOption = None, end: ToOption = None, category: str | None = None
) -> None:
    """H3 cells and density clusters of the period (JSON)."""
    a, b = _period(start, end)
    with db_session() as session:
        _show(hotspots_of(session, city, a, b, category=category))


@app.command("recurrence")
def recurrence_command(
    city: CityOption,
    start: FromOption = None,
    end: ToOption = None,
    within_days: float = 30.0,
    place: str = "cell",
) -> None:
    """The recurrence rate and problem spots of the period (JSON)."""
    a, b = _period(start, end)
    with db_session() as session:
        _show(recurrence_of(session, city, a, b, within_days=within_days, place=place))


@app.command("patterns")
def patterns_command(city: CityOption, start: FromOption = None, end: ToOption = None) -> None:
    """Hour × weekday and weekly trend of the period (JSON)."""
    a, b = _period(start, end)
    with db_session() as session:
        _show(patterns_of(session, city, a, b))


@app.command("emerging")
def emerging_command(
    city: CityOption, end: ToOption = None, window_days: float = 7.0, by: str = "grid"
) -> None:
    """Emerging place × category pairs in the window ending at --to (JSON)."""
    _a, b = _period(None, end)
    with db_session() as session:
        _show(emerging_of(session, city, b, window_days=window_days, by=by))


@app.command("forecast")
def forecast_command(city: CityOption, weeks: int = 12) -> None:
    """Next 48 hours per street × major category (JSON)."""
    with db_session() as session:
        _show(forecast_of(session, city, get_clock().now(), weeks=weeks))
