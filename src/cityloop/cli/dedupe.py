"""`cityloop dedupe ...`: train and measure the de-duplicator on labelled 311 exports (no database)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Annotated, Any

import typer

from cityloop.cli._common import console, fail, print_json
from cityloop.core.errors import CityLoopError
from cityloop.triage.dedupe import (
    DedupeConfig,
    DedupeModel,
    baseline,
    learn_calibration,
    load_model,
    metrics,
    replay,
    train_model,
)
from cityloop.triage.importers import FORMATS, ServiceRecord, read_records

app = typer.Typer(
    help="De-duplication of reports: train and evaluate on real 311 data.", no_args_is_help=True
)

FormatOption = Annotated[str, typer.Option("--format", help="Export format: boston311 or nyc311.")]
DataOption = Annotated[list[Path], typer.Option("--data", help="CSV file (repeat for several).")]


def _read(fmt: str, paths: list[Path]) -> list[ServiceRecord]:
    if fmt not in FORMATS:
        fail(f"--format {fmt!r} is not one of {', '.join(FORMATS)}", code="triage.unknown_format")
    try:
        return read_records(fmt, paths)
    except CityLoopError as exc:
        fail(exc.message, code=exc.code, details=exc.details)


@app.command("train")
def train_command(
    fmt: FormatOption,
    data: DataOption,
    out: Annotated[Path, typer.Option("--out", help="Where to write the model (JSON).")],
    radius_m: Annotated[
        float, typer.Option(help="Candidates within this distance (m) or at the same address.")
    ] = 200.0,
    window_days: Annotated[
        float, typer.Option(help="Candidates opened at most this many days earlier.")
    ] = 60.0,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Learn a duplicate model from labelled history (e.g. Boston 2015 H1); evaluate it on a LATER period.

    The held-out figures printed come from time blocks of the same history, each predicted by a
    fit on the others; they are not a test on new data.
    """
    records = _read(fmt, data)
    try:
        model = train_model(
            records, radius_m=radius_m, window_hours=24.0 * window_days, sources=[str(p) for p in data]
        )
    except CityLoopError as exc:
        fail(exc.message, code=exc.code, details=exc.details)
    model.save(out)
    payload: dict[str, Any] = {
        "model": str(out),
        "bytes": out.stat().st_size,
        "trees": len(model.trees),
        "categories": len(model.categories),
        "merge_threshold": model.merge_threshold,
        "suggest_threshold": model.suggest_threshold,
        **{k: model.provenance[k] for k in ("reports", "duplicates", "rows_with_candidates", "held_out")},
    }
    if as_json:
        print_json(payload)
        return
    held = model.provenance["held_out"]
    console.print(
        f"{payload['reports']} reports ({payload['duplicates']} duplicates) → {out} "
        f"({payload['bytes']} bytes, {payload['trees']} trees); merge threshold {model.merge_threshold:.2f}; "
        f"held-out blocks of the same history: precision {held['precision']:.3f} recall {held['recall']:.3f} "
        f"F1 {held['f1']:.3f}"
    )


def _load(path: Path) -> DedupeModel:
    try:
        return load_model(path)
    except CityLoopError as exc:
        fail(exc.message, code=exc.code, details=exc.details)


@app.command("evaluate")
def evaluate_command(
    fmt: FormatOption,
    data: DataOption,
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
    model_path: Annotated[
        Path | None,
        typer.Option("--model", help="A model from `cityloop dedupe train` on an EARLIER period."),
    ] = None,
    history: Annotated[
        list[Path] | None,
        typer.Option(
            "--history",
            help="CSV of the period just before --data (same format): remembered as earlier cases "
            "before the replay, as a live case base would be; never decided on, labels unused.",
        ),
    ] = None,
) -> None:
    """Replay the rows in time order; print precision, recall, F1 and the naive baseline's.

    Thresholds default to those chosen on Boston 2015 H1; with --calibrate-on or --model they
    are the ones learned on that earlier data, which must not overlap --data.
    """
    records = _read(fmt, data)
    earlier = _read(fmt, calibrate_on) if calibrate_on else []
    remembered = _read(fmt, history) if history else []
    model = _load(model_path) if model_path is not None else None
    config = DedupeConfig()
    if merge_threshold is not None or suggest_threshold is not None:
        merge = config.merge_threshold if merge_threshold is None else merge_threshold
        config = config.with_thresholds(
            merge, config.suggest_threshold if suggest_threshold is None else suggest_threshold
        )
        if model is not None:
            model = model.with_thresholds(
                model.merge_threshold if merge_threshold is None else merge_threshold, suggest_threshold
            )
    calibration = learn_calibration(earlier, config) if earlier else None
    run = replay(records, config, calibration, model, history=remembered)
    truth = [r.is_duplicate for r in records]
    ours = metrics(truth, [d.is_duplicate for d in run.decisions])
    naive = metrics(truth, baseline(records, config))
    source: Any = model or calibration or config
    payload: dict[str, Any] = {
        "format": fmt,
        **ours.as_dict(),
        "suggested": sum(1 for d in run.decisions if d.suggestions),
        "calibrated_on": [str(p) for p in calibrate_on or []],
        "model": str(model_path) if model_path is not None else None,
        "history": [str(p) for p in history or []],
        "merge_threshold": source.merge_threshold,
        "suggest_threshold": source.suggest_threshold,
        "reports_per_s": round(run.reports_per_s, 1),
        "baseline": {"rule": "same type and same address within the category window", **naive.as_dict()},
    }
    if predictions_out is not None:
        _write_predictions(predictions_out, run.decisions)
    if as_json:
        print_json(payload)
        return
    console.print(
        f"{payload['reports']} reports, {payload['labelled_duplicates']} labelled duplicates: "
        f"precision {ours.precision:.3f} recall {ours.recall:.3f} F1 {ours.f1:.3f} "
        f"(baseline F1 {naive.f1:.3f}) at {run.reports_per_s:.0f} reports/s"
    )


def _write_predictions(path: Path, decisions: list[Any]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "is_duplicate", "duplicate_of", "score"])
        for decision in decisions:
            writer.writerow(
                [
                    decision.report_id,
                    int(decision.is_duplicate),
                    decision.master_id or "",
                    f"{decision.score:.4f}",
                ]
            )
