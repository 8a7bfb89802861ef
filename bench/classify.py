"""The classifier benchmark: the default configuration on the TipDM 2020 labelled messages.

    python bench/classify.py [--data DIR] [--folds K] [--estimator svc|lr|sgd] [--c C] [--json]

Reads `messages_labelled_dev.csv` of DIR (default: ../shared/data/tipdm2020_gov_messages
next to the repository, 2,231 messages, 7 level-1 labels; text = title + detail, label =
label_l1) and prints, for `cityloop.triage.classify.train` with its default options:

- `cv_macro_f1`, `cv_accuracy`: stratified K-fold CV over all messages; each fold trains a
  fresh model and predicts messages it never saw;
- `holdout_macro_f1`, `holdout_accuracy`: a model trained on 80 % of the messages (a stratified
  split, random_state 42) scored on the other 20 %. The default options were chosen by CV on
  that 80 % only, so this is the least optimistic figure; with it `holdout_top3_accuracy`,
  `holdout_mean_confidence` and `holdout_ece` (expected calibration error of the top-1
  confidence, 10 bins) say whether the confidences mean something;
- `throughput_msgs_per_s`: single-thread prediction speed per CPU second (features and
  calibrated model, one batch per fold) over the CV folds; training time is not counted.

The machine is shared and noisy: compare throughput of one run, not across runs.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from sklearn.model_selection import train_test_split  # noqa: E402

from cityloop.triage.classify import DEFAULT_OPTIONS, Model, evaluate, train  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "tipdm2020_gov_messages"


def read(data: Path) -> tuple[list[str], list[str]]:
    with (data / "messages_labelled_dev.csv").open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["text"].strip() and r["label_l1"].strip()]
    return [r["text"] for r in rows], [r["label_l1"] for r in rows]


def confidence_figures(model: Model, texts: list[str], labels: list[str]) -> dict[str, float]:
    """Top-3 hit rate, mean top-1 confidence and its expected calibration error (10 bins)."""
    tops = model.predict_top(texts, 3)
    hits = [label in [code for code, _ in top] for label, top in zip(labels, tops, strict=True)]
    firsts = [(top[0][1], top[0][0] == label) for label, top in zip(labels, tops, strict=True)]
    bins: dict[int, list[tuple[float, bool]]] = {}
    for confidence, right in firsts:
        bins.setdefault(min(int(confidence * 10), 9), []).append((confidence, right))
    ece = sum(
        abs(sum(c for c, _ in group) / len(group) - sum(r for _, r in group) / len(group)) * len(group)
        for group in bins.values()
    ) / len(firsts)
    return {
        "holdout_top3_accuracy": round(sum(hits) / len(hits), 4),
        "holdout_mean_confidence": round(sum(c for c, _ in firsts) / len(firsts), 4),
        "holdout_ece": round(ece, 4),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--estimator", default=DEFAULT_OPTIONS["estimator"])
    parser.add_argument("--c", type=float, default=DEFAULT_OPTIONS["c"])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    texts, labels = read(args.data)
    options = {"estimator": args.estimator, "c": args.c}
    start = time.perf_counter()
    result = evaluate(lambda t, y: train(t, y, **options), texts, labels, folds=args.folds)
    x_dev, x_test, y_dev, y_test = train_test_split(
        texts, labels, test_size=0.2, stratify=labels, random_state=42
    )
    model = train(x_dev, y_dev, **options)
    held = evaluate(model, x_test, y_test)
    out = {
        "cv_macro_f1": result["macro_f1"],
        "cv_accuracy": result["accuracy"],
        "holdout_macro_f1": held["macro_f1"],
        "holdout_accuracy": held["accuracy"],
        **confidence_figures(model, x_test, y_test),
        "throughput_msgs_per_s": result["throughput_msgs_per_s"],
        "holdout_throughput_msgs_per_s": held["throughput_msgs_per_s"],
        "folds": args.folds,
        "samples": len(texts),
        "holdout_samples": len(x_test),
        "model": {**DEFAULT_OPTIONS, **options},
        "fold_macro_f1": result["fold_macro_f1"],
        "per_class_f1": {k: v["f1"] for k, v in result["per_class"].items()},
        "seconds": round(time.perf_counter() - start, 1),
    }
    if args.json:
        print(json.dumps(out, ensure_ascii=False))
        return
    for key, value in out.items():
        print(f"{key}: {value}")


if __name__ == "__main__":
    main()
