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


def _options(estimator: str | None, c: float | None) -> dict[str, Any]:
    """Training options given on the command line; the rest are `DEFAULT_OPTIONS`."""
    options: dict[str, Any] = {}
    if estimator is not None:
        options["estimator"] = estimator
    if c is not None:
        options["c"] = c
    return options


ESTIMATOR_HELP = "svc (linear SVM, temperature-calibrated; the default), lr or sgd."
C_HELP = "Inverse regularisation strength (default: that of the default configuration)."


@app.command("train")
def train_command(
    data: Path = typer.Option(..., "--data", help=DATA_HELP),
    text_column: str = typer.Option(..., "--text-column", help=TEXT_HELP),
    label_column: str = typer.Option(..., "--label-column", help=LABEL_HELP),
    out: Path | None = typer.Option(
        None, "--out", help="Where to write the model (joblib; metadata in <out>.json)."
    ),
    city: str | None = typer.Option(
        None, "--city", help="Install the model as the city's next version and make it current."
    ),
    estimator: str | None = typer.Option(None, "--estimator", help=ESTIMATOR_HELP),
    c: float | None = typer.Option(None, "--c", help=C_HELP),
    cv: int = typer.Option(0, "--cv", help="Also run K-fold CV first and keep its figures in the metadata."),
) -> None:
    """Train a classifier on a labelled CSV; save it (--out) and/or install it for a city (--city)."""
    from cityloop.triage.classify import install, save, train
    from cityloop.triage.classify.registry import city_dir

    if out is None and city is None:
        fail("give --out PATH, --city CODE or both: where the model goes", code="usage")
    with _clean_errors():
        if city is not None:
            city_dir(city)  # refuse a bad city code before the work, not after
    texts, labels = read_labelled_csv(data, text_column, label_column)
    options = _options(estimator, c)
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
        installed = install(model, city) if city is not None else None
        if out is not None:
            save(model, out)
    counts = ", ".join(f"{k} {v}" for k, v in model.metadata["class_counts"].items())
    console.print(f"trained on [bold]{len(texts)}[/] texts, {len(model.classes)} classes ({counts})")
    if cv_result is not None:
        console.print(
            f"{cv}-fold CV: accuracy {cv_result['accuracy']:.4f}, macro-F1 {cv_result['macro_f1']:.4f}"
        )
    if out is not None:
        console.print(f"model written to {out} (metadata in {out}.json)")
    if installed is not None:
        console.print(
            f"installed as model v{installed.version} of city {city}, now current ({installed.path})"
        )
        _warn_unusable(model)


def _warn_unusable(model: Any) -> None:
    """Say so when `categorise` will not use a city model: its labels are not national matter codes."""
    from cityloop.triage.categorise import usable_model

    if not usable_model(model):
        err_console.print(
            "[yellow]note[/]: the labels are not all GB/T 47678.5-2026 matter codes, so report "
            "categorisation keeps using the cold-start knowledge for this city",
            highlight=False,
        )


@app.command("evaluate")
def evaluate_command(
    data: Path = typer.Option(..., "--data", help=DATA_HELP),
    text_column: str = typer.Option(..., "--text-column", help=TEXT_HELP),
    label_column: str = typer.Option(..., "--label-column", help=LABEL_HELP),
    model_path: Path | None = typer.Option(None, "--model", help="A saved model to score on the data."),
    cv: int = typer.Option(
        0, "--cv", help="Without --model: K-fold CV training fresh models (honest figure)."
    ),
    estimator: str | None = typer.Option(None, "--estimator", help=f"With --cv: {ESTIMATOR_HELP}"),
    c: float | None = typer.Option(None, "--c", help=f"With --cv: {C_HELP}"),
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
            result = _cross_validate(texts, labels, cv, _options(estimator, c))
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


def _read_stdin_texts() -> list[str]:
    """Non-blank lines of stdin, stripped; refuses input that is not UTF-8 or has no text."""
    stream = sys.stdin
    raw = stream.buffer.read() if hasattr(stream, "buffer") else stream.read().encode("utf-8")
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        fail(
            f"stdin is not UTF-8 text (byte {exc.start}): {exc.reason}", code="triage.classify.invalid_input"
        )
    texts = [line.strip() for line in content.split("\n") if line.strip()]
    if not texts:
        fail("no text on stdin: give one report text per line", code="triage.classify.invalid_input")
    return texts


def _model_predictions(model_path: Path, texts: list[str], top: int) -> list[list[dict[str, Any]]]:
    from cityloop.triage.classify import load_cached

    with _clean_errors():
        model = load_cached(model_path)
    return [
        [{**describe_label(label), "confidence": confidence, "reason": f"model {model_path.name}"}
         for label, confidence in predictions]
        for predictions in model.predict_top(texts, top)
    ]  # fmt: skip


def _city_predictions(city: str, texts: list[str], top: int) -> list[list[dict[str, Any]]]:
    from cityloop.triage.categorise import categorise_many

    with _clean_errors():
        batches = categorise_many(city, texts, top)
    return [[candidate.as_dict() for candidate in batch] for batch in batches]


PREDICTION_KEYS = ("code", "standard", "name", "confidence")


@app.command("predict")
def predict_command(
    model_path: Path | None = typer.Option(None, "--model", help="A saved model."),
    city: str | None = typer.Option(
        None, "--city", help="A city: its current model with the cold-start knowledge, or cold start alone."
    ),
    top: int = typer.Option(3, "--top", min=1, help="How many labels per text."),
    as_json: bool = typer.Option(False, "--json", help="One JSON line per text (default: a table)."),
) -> None:
    """Classify one text per line of stdin (blank lines are skipped) with --model or --city."""
    if (model_path is None) == (city is None):
        fail("give exactly one of --model PATH and --city CODE", code="usage")
    texts = _read_stdin_texts()
    if model_path is not None:
        results = _model_predictions(model_path, texts, top)
    else:
        results = _city_predictions(str(city), texts, top)
    if as_json:
        for text, predictions in zip(texts, results, strict=True):
            print_json(
                {"text": text, "predictions": [{k: p[k] for k in PREDICTION_KEYS} for p in predictions]}
            )
        return
    table = Table(box=box.SIMPLE)
    table.add_column("text")
    table.add_column("predictions")
    for text, predictions in zip(texts, results, strict=True):
        lines = [f"{p['code']} {p['name']} {p['confidence']:.2f} — {p['reason']}" for p in predictions]
        table.add_row(text[:60], "\n".join(lines) or "(nothing found)")
    console.print(table)


@app.command("models")
def models_command(
    city: str = typer.Option(..., "--city", help="The city whose installed models to list."),
    use: int | None = typer.Option(None, "--use", help="Make this installed version the current one."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """List a city's model versions (the current one marked); --use N switches to version N."""
    from cityloop.triage.classify import list_versions, models_dir, use_version

    with _clean_errors():
        if use is not None:
            use_version(city, use)
        versions = list_versions(city)
    rows = [
        {
            "version": v.version,
            "current": v.current,
            "path": str(v.path),
            "created_at": v.metadata.get("created_at"),
            "n_samples": v.metadata.get("n_samples"),
            "classes": len(v.metadata.get("classes") or []),
            "cv_macro_f1": (v.metadata.get("cv") or {}).get("macro_f1"),
            "data": (v.metadata.get("data") or {}).get("file"),
        }
        for v in versions
    ]
    if as_json:
        print_json({"city": city, "models_dir": str(models_dir()), "versions": rows})
        return
    if not rows:
        console.print(f"city {city} has no installed model (models directory {models_dir()})")
        return
    table = Table(title=f"models of city {city}", box=box.SIMPLE)
    for name in ("", "version", "created_at", "n_samples", "classes", "cv_macro_f1", "data"):
        table.add_column(name)
    for row in rows:
        table.add_row(
            "*" if row["current"] else "",
            f"v{row['version']}",
            *(str(row[k]) if row[k] is not None else "-" for k in
              ("created_at", "n_samples", "classes", "cv_macro_f1", "data")),
        )  # fmt: skip
    console.print(table)
