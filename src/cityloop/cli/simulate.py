"""`cityloop simulate`: run the city on virtual time through the real flows; `simulate calibrate`.

    cityloop simulate --city 330100 --days 3 --seed 1 --policy all --json
    cityloop simulate --city 330100 --days 7 --realtime 60          # a living demo city
    cityloop simulate calibrate --data H1.csv --data H2.csv --out boston311_2015.json

A single policy keeps its cases (committed at the end, or as it goes with --realtime) unless
--no-keep; `--policy all` runs every policy from the same starting state, each in a
transaction rolled back afterwards, and prints the figures side by side.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from cityloop.cli._common import console, engine, err_console, fail, print_json

HEADLINE = (
    "cases", "auto_dispatch_rate", "auto_dispatch_accuracy", "on_time_rate", "mean_closure_hours",
    "p90_closure_hours", "travel_km_per_case", "hindsight_travel_km_per_case", "worker_utilisation",
    "duplicates_in_scenario", "duplicates_merged", "open_cases", "seconds",
)  # fmt: skip


def _progress(label: str) -> Progress:
    return Progress(
        TextColumn("{task.description}"), BarColumn(), TextColumn("{task.fields[at]}"), TimeElapsedColumn(),
        console=err_console, transient=True,
    )  # fmt: skip


def _hooks(progress: Progress, task: Any, start: datetime, realtime: float | None, session: Any) -> Any:
    from cityloop.sim.engine import Hooks

    wall0 = time.monotonic()
    last = [-1]

    def before(at: datetime) -> None:
        hours = (at - start).total_seconds() / 3600
        if realtime:
            wait = wall0 + hours * 3600 / realtime - time.monotonic()
            if wait > 0:
                time.sleep(wait)
        if int(hours) != last[0]:
            last[0] = int(hours)
            progress.update(task, completed=hours, at=at.isoformat(timespec="minutes"))

    def after(at: datetime) -> None:
        if realtime:
            session.commit()

    return Hooks(before_event=before, after_event=after)


def _simulate(session: Any, config: Any, realtime: float | None) -> dict[str, Any]:
    """One run in `session`, with a progress bar (and real-time pacing and commits when asked)."""
    from dataclasses import replace

    from cityloop.cities import get_city
    from cityloop.sim.engine import simulate
    from cityloop.sim.engine.simulate import default_start

    start = config.start or default_start(get_city(session, config.city_code).timezone)
    config = replace(config, start=start)
    with _progress(config.policy) as progress:
        task = progress.add_task(
            f"simulating {config.policy}", total=config.days * 24 + config.drain_hours, at=""
        )
        return simulate(session, config, hooks=_hooks(progress, task, start, realtime, session))


def _run(config: Any, *, keep: bool, realtime: float | None) -> dict[str, Any]:
    """Run one policy: committed as it goes (real time), at the end (keep), or rolled back."""
    from sqlalchemy.orm import Session

    eng = engine()
    started = time.perf_counter()
    if realtime:
        with Session(eng, expire_on_commit=False) as session:
            figures = _simulate(session, config, realtime)
            session.commit()
    else:
        with eng.connect() as connection:
            outer = connection.begin()
            with Session(
                bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
            ) as session:
                figures = _simulate(session, config, None)
                if keep:
                    session.commit()  # releases the session's savepoint into the outer transaction
            if keep:
                outer.commit()
            else:
                outer.rollback()
    figures["seconds"] = round(time.perf_counter() - started, 1)
    figures["kept"] = bool(realtime or keep)
    return figures


def _table(figures: dict[str, Any], policies: list[str]) -> Table:
    table = Table(title=f"city {figures['city']} · {figures['days']} day(s) · seed {figures['seed']}")
    table.add_column("figure")
    for policy in policies:
        table.add_column(policy, justify="right")
    rows = figures["policies"] if "policies" in figures else {policies[0]: figures}
    for key in HEADLINE:
        table.add_row(key, *(str(rows[p].get(key)) for p in policies))
    return table


def register(app: typer.Typer) -> None:
    simulate_app = typer.Typer(help="Simulate the city on virtual time through the real flows.")

    @simulate_app.callback(invoke_without_command=True)
    def simulate_command(
        ctx: typer.Context,
        city: str | None = typer.Option(
            None, "--city", help="Division code of an existing city (e.g. 330100)."
        ),
        days: float = typer.Option(3.0, "--days", help="Days of arrivals."),
        seed: int = typer.Option(1, "--seed", help="Seed: the same seed gives the same run."),
        policy: str = typer.Option("optimised", "--policy", help="nearest | least-loaded | optimised | all."),
        as_json: bool = typer.Option(False, "--json", help="Print the figures as JSON on stdout."),
        realtime: float | None = typer.Option(
            None,
            "--realtime",
            help="Run virtual time this many times faster than the clock, committing as it goes.",
        ),
        keep: bool = typer.Option(True, "--keep/--no-keep", help="Keep the run's cases (one policy only)."),
        rate: float = typer.Option(120.0, "--rate", help="People's reports per day (devices come on top)."),
        start: datetime | None = typer.Option(
            None,
            "--start",
            help="First instant (ISO; default: Monday 2026-11-02 00:00 local, or now with --realtime).",
        ),
        drain_hours: float | None = typer.Option(
            None,
            "--drain-hours",
            help="Hours the city works on after the last arrival (default 48; 0 with --realtime).",
        ),
        calibration: Path | None = typer.Option(
            None, "--calibration", help="A calibration JSON (default: Boston 2015)."
        ),
    ) -> None:
        """Run the city for N days; print auto-dispatch, on-time, closure, travel and utilisation figures."""
        if ctx.invoked_subcommand is not None:
            return
        from cityloop.core.errors import CityLoopError
        from cityloop.sim.engine import POLICIES, SimConfig

        if city is None:
            fail(
                "give the city: --city CODE (e.g. 330100, made by `cityloop city create-demo`)",
                code="sim.no_city",
            )
        if policy not in (*POLICIES, "all"):
            fail(
                f"unknown policy {policy!r}; expected one of {', '.join((*POLICIES, 'all'))}",
                code="sim.unknown_policy",
            )
        if days <= 0 or rate <= 0 or (realtime is not None and realtime <= 0):
            fail("--days, --rate and --realtime must be positive", code="sim.invalid_option")
        if realtime and (policy == "all" or not keep):
            fail(
                "--realtime runs one policy and keeps its cases (no --policy all, no --no-keep)",
                code="sim.invalid_option",
            )
        if start is not None and start.tzinfo is None:
            fail("--start needs a time zone (e.g. 2026-11-02T00:00+08:00)", code="sim.invalid_option")
        if realtime and start is None:
            start = datetime.now(UTC).replace(second=0, microsecond=0)
        policies = list(POLICIES) if policy == "all" else [policy]
        drain = drain_hours if drain_hours is not None else (0.0 if realtime else 48.0)
        results: dict[str, dict[str, Any]] = {}
        try:
            for name in policies:
                config = SimConfig(
                    city_code=city, days=days, seed=seed, policy=name, start=start, reports_per_day=rate,
                    drain_hours=drain, calibration=calibration,
                )  # fmt: skip
                results[name] = _run(config, keep=keep and len(policies) == 1, realtime=realtime)
        except CityLoopError as exc:
            fail(exc.message, code=exc.code, details=exc.details)
        except KeyboardInterrupt:
            fail("stopped by the user; what was committed stays", code="sim.interrupted", exit_code=130)
        if len(policies) == 1:
            output = results[policies[0]]
        else:
            first = results[policies[0]]
            output = {key: first[key] for key in ("city", "days", "seed", "start", "end")}
            output["policies"] = results
        if as_json:
            print_json(output)
        else:
            console.print(_table(output, policies))

    @simulate_app.command("calibrate")
    def calibrate_command(
        data: list[Path] = typer.Option(..., "--data", help="A Boston 311 CSV (repeat for several files)."),
        out: Path = typer.Option(..., "--out", help="Where to write the calibration JSON."),
        as_json: bool = typer.Option(False, "--json", help="Print a summary as JSON."),
    ) -> None:
        """Derive the scenario's aggregate figures (no records) from Boston 311 CSV files."""
        from cityloop.core.errors import CityLoopError
        from cityloop.sim.scenario import calibrate, write_calibration

        try:
            figures = calibrate(data)
        except CityLoopError as exc:
            fail(exc.message, code=exc.code, details=exc.details)
        except ValueError as exc:
            fail(str(exc), code="sim.calibration_failed")
        write_calibration(figures, out)
        summary = {
            "out": str(out),
            "records": figures["records"],
            "mapped_share": figures["mapped_share"],
            "channels": figures["channels"],
            "duplicate_share": figures["duplicates"]["share"],
            "types": len(figures["types"]),
        }
        if as_json:
            print_json(summary)
        else:
            console.print(
                f"{summary['records']} records → {out} ({summary['types']} types, "
                f"{summary['mapped_share']:.1%} of them in mapped types)"
            )

    app.add_typer(simulate_app, name="simulate")
