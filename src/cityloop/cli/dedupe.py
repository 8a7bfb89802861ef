"""`cityloop dedupe ...`: measure the de-duplicator on labelled 311 exports (no database)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Annotated, Any

import typer

from cityloop.cli._common import console, fail, print_json
from cityloop.core.errors import CityLoopError
from cityloop.triage.dedupe import DedupeConfig, baseline, learn_calibration, metrics, replay
from cityloop.triage.importers import FORMATS, read_records

app = typer.Typer(help="De-duplication of reports: evaluate on real 311 data.", no_args_is_help=True)


@app.command("evaluate")
def evaluate_command(
    fmt: Annotated[str, typer.Option("--format", help="Export format: boston311 or nyc311.")],
    data: Annotated[list[Path], typer.Option("--data", help="CSV file (repeat for several).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    predictions_out: Annotated[
        Path | None,
        typer.Option("--predictions-out", help="Write id,is_duplicate,duplicate_of,score per input."),
    ] = None,
    merge_threshold: Annotated[
        float | None, typer.Option(help="Override the merge threshold (0..1).")
    ] = None,
    suggest_threshold: Annotated[
        float | None, typer.Option(help="Override the suggest threshold (0..1).")
    ] = None,
    calibrate_on: Annotated[
        list[Path] | None,
        typer.Option(
            "--calibrate-on",
            help="Labelled CSV of an EARLIER period (same format): learn each category's duplicate rate "
            "by score band and the merge cut-off there, then score --data with it.",
        ),
    ] = None,
) -> None:
    """Replay the rows in time order; print precision, recall, F1 and the naive baseline's.

    Thresholds default to those chosen on Boston 2015 H1; with --calibrate-on they are learned on
    the given files, which must not overlap --data.
    """
    if fmt not in FORMATS:
        fail(f"--format {fmt!r} is not one of {', '.join(FORMATS)}", code="triage.unknown_format")
    try:
        records = read_records(fmt, data)
        history = read_records(fmt, calibrate_on) if calibrate_on else []
    except CityLoopError as exc:
        fail(exc.message, code=exc.code, details=exc.details)
    config = DedupeConfig()
    if merge_threshold is not None or suggest_threshold is not None:
        merge = config.merge_threshold if merge_threshold is None else merge_threshold
        config = config.with_thresholds(
            merge, config.suggest_threshold if suggest_threshold is None else suggest_threshold
        )
    calibration = learn_calibration(history, config) if history else None
    run = replay(records, config, calibration)
    truth = [r.is_duplicate for r in records]
    ours = metrics(truth, [d.is_duplicate for d in run.decisions])
    naive = metrics(truth, baseline(records, config))
    payload: dict[str, Any] = {
        "format": fmt,
        **ours.as_dict(),
        "suggested": sum(1 for d in run.decisions if d.suggestions),
        "calibrated_on": [str(p) for p in calibrate_on or []],
        "merge_threshold": calibration.merge_threshold if calibration else config.merge_threshold,
        "suggest_threshold": calibration.suggest_threshold if calibration else config.suggest_threshold,
        "reports_per_s": round(run.reports_per_s, 1),
        "baseline": {"rule": "same type and same address within the category window", **naive.as_dict()},
    }
    if predictions_out is not None:
        with predictions_out.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["id", "is_duplicate", "duplicate_of", "score"])
            for decision in run.decisions:
                writer.writerow(
                    [
                        decision.report_id,
                        int(decision.is_duplicate),
                        decision.master_id or "",
                        f"{decision.score:.4f}",
                    ]
                )
    if as_json:
        print_json(payload)
        return
    console.print(
        f"{payload['reports']} reports, {payload['labelled_duplicates']} labelled duplicates: "
        f"precision {ours.precision:.3f} recall {ours.recall:.3f} F1 {ours.f1:.3f} "
        f"(baseline F1 {naive.f1:.3f}) at {run.reports_per_s:.0f} reports/s"
    )
