"""`cityloop classify`: train, evaluate and run the text classifier on CSV files and stdin."""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

import typer
from rich import box
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from cityloop.cli._common import console, err_console, fail, print_json
from cityloop.core.errors import CityLoopError

app = typer.Typer(help="Train, evaluate and run the report text classifier.", no_args_is_help=True)

DATA_HELP = "CSV file (UTF-8, header row)."
TEXT_HELP = "Text column; a comma list joins several columns (e.g. title,detail)."
LABEL_HELP = "Label column."


@contextmanager
def _clean_errors() -> Iterator[None]:
    """CityLoop errors become a one-line message on stderr and a non-zero exit."""
    try:
        yield
    except CityLoopError as exc:
        fail(exc.message, code=exc.code, details=exc.details)


def read_labelled_csv(path: Path, text_columns: str, label_column: str | None) -> tuple[list[str], list[str]]:
    """Texts (the named columns joined by a newline) and labels of a CSV; rows lacking either are skipped."""
    if not path.is_file():
        fail(f"data file {str(path)!r} does not exist", code="triage.classify.data_missing")
    columns = [c.strip() for c in text_columns.split(",") if c.strip()]
    if not columns:
        fail("--text-column names no column", code="triage.classify.invalid_data")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        wanted = columns + ([label_column] if label_column else [])
        missing = [c for c in wanted if c not in header]
        if missing:
            fail(
                f"column(s) {', '.join(missing)} not in {path.name}: "
                f"its columns are {', '.join(header) or '(none)'}",
                code="triage.classify.missing_column",
            )
        texts: list[str] = []
        labels: list[str] = []
        for row in reader:
            text = "\n".join(v for c in columns if (v := (row.get(c) or "").strip()))
            label = (row.get(label_column) or "").strip() if label_column else ""
            if text and (label or not label_column):
                texts.append(text)
                labels.append(label)
    if not texts:
        fail(f"{path.name} has no row with both text and label", code="triage.classify.invalid_data")
    return texts, labels


def _progress() -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
    )


def _cross_validate(
    texts: list[str], labels: list[str], folds: int, options: dict[str, Any]
) -> dict[str, Any]:
    from cityloop.triage.classify import (
        ClassifierDataInvalid,
        evaluate,
        min_samples_for_cv,
        train,
    )
    from cityloop.triage.classify.model import check_training_data

    if folds < 2:
        raise ClassifierDataInvalid(f"--cv needs at least 2 folds, not {folds}")
    check_training_data(texts, labels, min_per_class=min_samples_for_cv(folds, options))
    with _progress() as progress:
        task = progress.add_task(f"{folds}-fold cross-validation", total=folds)
        return evaluate(
            lambda t, y: train(t, y, **options),
            texts,
            labels,
            folds=folds,
            progress=lambda done, _total: progress.update(task, completed=done),
        )


def _print_scores(title: str, result: dict[str, Any]) -> None:
    table = Table(title=title, box=box.SIMPLE)
    for name in ("class", "precision", "recall", "f1", "support"):
        table.add_column(name, justify="left" if name == "class" else "right")
    for label, row in result["per_class"].items():
        table.add_row(label, *(f"{row[k]:.4f}" for k in ("precision", "recall", "f1")), str(row["support"]))
    console.print(table)
    console.print(
        f"accuracy [bold]{result['accuracy']:.4f}[/]  macro-F1 [bold]{result['macro_f1']:.4f}[/]  "
        f"throughput {result['throughput_msgs_per_s']} msgs/s  samples {result['samples']}"
    )


@app.command("train")
def train_command(
    data: Path = typer.Option(..., "--data", help=DATA_HELP),
    text_column: str = typer.Option(..., "--text-column", help=TEXT_HELP),
    label_column: str = typer.Option(..., "--label-column", help=LABEL_HELP),
    out: Path = typer.Option(..., "--out", help="Where to write the model (joblib; metadata in <out>.json)."),
    estimator: str = typer.Option("svc", "--estimator", help="svc (calibrated linear SVM), lr or sgd."),
    c: float = typer.Option(3.0, "--c", help="Inverse regularisation strength."),
    cv: int = typer.Option(0, "--cv", help="Also run K-fold CV first and keep its figures in the metadata."),
) -> None:
    """Train a classifier on a labelled CSV and save it with its metadata."""
    from cityloop.triage.classify import save, train

    texts, labels = read_labelled_csv(data, text_column, label_column)
    options: dict[str, Any] = {"estimator": estimator, "c": c}
    with _clean_errors():
        cv_result = _cross_validate(texts, labels, cv, options) if cv else None
        with _progress() as progress:
            task = progress.add_task(f"training on {len(texts)} texts", total=1)
            model = train(texts, labels, **options)
            progress.update(task, completed=1)
        model.metadata["data"] = {"file": data.name, "text_column": text_column, "label_column": label_column}
        if cv_result is not None:
            model.metadata["cv"] = {
                k: cv_result[k] for k in ("folds", "accuracy", "macro_f1", "throughput_msgs_per_s")
            }
        save(model, out)
    counts = ", ".join(f"{k} {v}" for k, v in model.metadata["class_counts"].items())
    console.print(f"trained on [bold]{len(texts)}[/] texts, {len(model.classes)} classes ({counts})")
    if cv_result is not None:
        console.print(
            f"{cv}-fold CV: accuracy {cv_result['accuracy']:.4f}, macro-F1 {cv_result['macro_f1']:.4f}"
        )
    console.print(f"model written to {out} (metadata in {out}.json)")


@app.command("evaluate")
def evaluate_command(
    data: Path = typer.Option(..., "--data", help=DATA_HELP),
    text_column: str = typer.Option(..., "--text-column", help=TEXT_HELP),
    label_column: str = typer.Option(..., "--label-column", help=LABEL_HELP),
    model_path: Path | None = typer.Option(None, "--model", help="A saved model to score on the data."),
    cv: int = typer.Option(
        0, "--cv", help="Without --model: K-fold CV training fresh models (honest figure)."
    ),
    estimator: str = typer.Option("svc", "--estimator", help="With --cv: svc, lr or sgd."),
    c: float = typer.Option(3.0, "--c", help="With --cv: inverse regularisation strength."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Score a saved model on a labelled CSV, or cross-validate fresh models on it."""
    from cityloop.triage.classify import evaluate, load

    if model_path is None and not cv:
        fail("give --model PATH, or --cv K to cross-validate fresh models", code="usage")
    if model_path is not None and cv:
        fail("--model and --cv exclude each other: a saved model has seen its training data", code="usage")
    texts, labels = read_labelled_csv(data, text_column, label_column)
    with _clean_errors():
        if model_path is not None:
            result = evaluate(load(model_path), texts, labels)
            result["model"] = str(model_path)
        else:
            result = _cross_validate(texts, labels, cv, {"estimator": estimator, "c": c})
    if as_json:
        print_json(result)
    else:
        what = f"model {model_path}" if model_path else f"{cv}-fold cross-validation"
        _print_scores(f"{what} on {data.name}", result)


@lru_cache(maxsize=1)
def _taxonomy_names() -> dict[str, tuple[str, str]]:
    """Code → (standard, name) of GB/T 47678.5-2026; matters win over components of the same code."""
    from cityloop.taxonomy.loader import rows_2026

    rows = sorted(rows_2026(), key=lambda r: r.kind == "matter")
    return {r.code: (r.standard, r.name) for r in rows}


def describe_label(label: str) -> dict[str, str | None]:
    """A label as `{code, standard, name}`: taxonomy codes get their national name, others are their own name."""
    found = _taxonomy_names().get(label)
    if found is None:
        return {"code": label, "standard": None, "name": label}
    return {"code": label, "standard": found[0], "name": found[1]}


@app.command("predict")
def predict_command(
    model_path: Path = typer.Option(..., "--model", help="A saved model."),
    top: int = typer.Option(3, "--top", min=1, help="How many labels per text."),
    as_json: bool = typer.Option(False, "--json", help="One JSON line per text (default: a table)."),
) -> None:
    """Classify one text per line of stdin; blank lines are skipped."""
    from cityloop.triage.classify import load_cached

    with _clean_errors():
        model = load_cached(model_path)
    texts = [line.strip() for line in sys.stdin if line.strip()]
    results = model.predict_top(texts, top)
    if as_json:
        for text, predictions in zip(texts, results, strict=True):
            print_json(
                {
                    "text": text,
                    "predictions": [
                        {**describe_label(label), "confidence": confidence}
                        for label, confidence in predictions
                    ],
                }
            )
        return
    table = Table(box=box.SIMPLE)
    table.add_column("text")
    table.add_column("predictions")
    for text, predictions in zip(texts, results, strict=True):
        table.add_row(text[:60], ", ".join(f"{label} {conf:.2f}" for label, conf in predictions))
    console.print(table)
