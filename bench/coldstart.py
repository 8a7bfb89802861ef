"""Cold-start classification: top-1/top-3 accuracy and speed on the everyday-words check set.

    python bench/coldstart.py [--checks CSV] [--repeat N] [--json]

The check set (`tests/triage/fixtures/coldstart_checks.csv`, text + expected_code) was written
separately from the knowledge file; the scorer's rules were tuned while looking at its misses,
so the accuracy is somewhat optimistic for reports it has never seen.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from pathlib import Path

from cityloop.triage.knowledge import ColdStart

CHECKS = Path(__file__).resolve().parents[1] / "tests" / "triage" / "fixtures" / "coldstart_checks.csv"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--checks", type=Path, default=CHECKS, help="CSV with text and expected_code columns")
    parser.add_argument("--repeat", type=int, default=20, help="passes over the texts for the speed figure")
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args()
    with args.checks.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    scorer = ColdStart.load()
    top1 = top3 = 0
    for row in rows:
        codes = [p.code for p in scorer.predict_top(row["text"], k=3)]
        top1 += codes[:1] == [row["expected_code"]]
        top3 += row["expected_code"] in codes
    started = time.perf_counter()
    for _ in range(args.repeat):
        for row in rows:
            scorer.predict_top(row["text"], k=3)
    seconds = time.perf_counter() - started
    figures = {
        "checks": len(rows),
        "top1": round(top1 / len(rows), 3),
        "top3": round(top3 / len(rows), 3),
        "texts_per_s": round(args.repeat * len(rows) / seconds),
    }
    if args.json:
        sys.stdout.write(json.dumps(figures) + "\n")
    else:
        for key, value in figures.items():
            print(f"{key:<12} {value}")


if __name__ == "__main__":
    main()
