"""The classifier benchmark: stratified K-fold CV on the TipDM 2020 labelled messages.

    python bench/classify.py [--data DIR] [--folds K] [--estimator svc|lr|sgd] [--c C]
                             [--holdout] [--json]

Reads `messages_labelled_dev.csv` of DIR (default: ../shared/data/tipdm2020_gov_messages
next to the repository, 2,231 messages, 7 level-1 labels; text = title + detail, label =
label_l1). Each fold trains a fresh model with `cityloop.triage.classify.train` and predicts
messages it never saw, so the figures are those of unseen messages. Throughput is the
single-thread prediction speed per CPU second (jieba, TF-IDF and the calibrated model) over the held-out
folds; training time is not counted.

The default options were chosen by 5-fold CV on 80 % of the messages only (a stratified split,
random_state 42); `--holdout` also trains on that 80 % and scores the 20 % never used for
tuning, the least optimistic figure (`holdout_accuracy`, `holdout_macro_f1`).

Prints {"accuracy", "macro_f1", "throughput_msgs_per_s", "folds", "samples", "model", ...}.
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

from cityloop.triage.classify import DEFAULT_OPTIONS, evaluate, train  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "tipdm2020_gov_messages"


def read(data: Path) -> tuple[list[str], list[str]]:
    with (data / "messages_labelled_dev.csv").open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["text"].strip() and r["label_l1"].strip()]
    return [r["text"] for r in rows], [r["label_l1"] for r in rows]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--estimator", default=DEFAULT_OPTIONS["estimator"])
    parser.add_argument("--c", type=float, default=DEFAULT_OPTIONS["c"])
    parser.add_argument("--holdout", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    texts, labels = read(args.data)
    options = {"estimator": args.estimator, "c": args.c}
    start = time.perf_counter()
    result = evaluate(lambda t, y: train(t, y, **options), texts, labels, folds=args.folds)
    options_used = {**DEFAULT_OPTIONS, **options}
    out = {
        "accuracy": result["accuracy"],
        "macro_f1": result["macro_f1"],
        "throughput_msgs_per_s": result["throughput_msgs_per_s"],
        "folds": args.folds,
        "samples": len(texts),
        "model": options_used,
        "fold_macro_f1": result["fold_macro_f1"],
        "per_class_f1": {k: v["f1"] for k, v in result["per_class"].items()},
        "seconds": round(time.perf_counter() - start, 1),
    }
    if args.holdout:
        from sklearn.model_selection import train_test_split

        x_dev, x_test, y_dev, y_test = train_test_split(
            texts, labels, test_size=0.2, stratify=labels, random_state=42
        )
        held = evaluate(train(x_dev, y_dev, **options), x_test, y_test)
        out["holdout_samples"] = len(x_test)
        out["holdout_accuracy"] = held["accuracy"]
        out["holdout_macro_f1"] = held["macro_f1"]
    if args.json:
        print(json.dumps(out, ensure_ascii=False))
        return
    for key, value in out.items():
        print(f"{key}: {value}")


if __name__ == "__main__":
    main()
