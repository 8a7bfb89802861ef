"""The de-duplication benchmark on real 311 data.

    python bench/dedupe.py [--data-dir DIR] [--json]

Boston 2015: everything learned is learned on H1 (Jan–Jun) and reported on H2 (Jul–Dec), which
it never saw: (a) "raw": one merge threshold on the raw score, chosen for the best H1 F1;
(b) "calibrated": each category's duplicate rate by raw-score band, and the cut-off on it, from H1.
NYC (one day, 235 requests) uses the raw H1 threshold: no NYC tuning, and no NYC history to
calibrate on (Boston's category rates do not transfer to NYC complaint types). The naive baseline flags a report when the same type was reported at the same address
within the category window. Throughput is the replay of H2 (reports/s, one core, in memory).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from cityloop.triage.dedupe import DedupeConfig, baseline, learn_calibration, metrics, replay, tune_thresholds
from cityloop.triage.importers import read_records

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    boston = args.data_dir / "boston311_2015"
    h1 = read_records("boston311", [boston / "boston311_2015_H1.csv"])
    h2 = read_records("boston311", [boston / "boston311_2015_H2.csv"])
    nyc = read_records("nyc311", sorted((args.data_dir / "nyc311_sample_2025-03-24").glob("*.csv")))
    merge, suggest, tuned = tune_thresholds(h1, DedupeConfig())
    config = DedupeConfig().with_thresholds(merge, suggest)
    out: dict[str, Any] = {
        "merge_threshold": merge,
        "suggest_threshold": suggest,
        "boston_h1_tuning": tuned.as_dict(),
    }
    for name, records in (("boston_h2", h2), ("nyc_day", nyc)):
        run = replay(records, config)
        truth = [r.is_duplicate for r in records]
        out[name] = metrics(truth, [d.is_duplicate for d in run.decisions]).as_dict()
        out[f"{name}_baseline"] = metrics(truth, baseline(records, config)).as_dict()
        out[f"{name}_reports_per_s"] = round(run.reports_per_s, 1)
    calibration = learn_calibration(h1, config)
    run = replay(h2, config, calibration)
    out["boston_h2_calibrated"] = metrics(
        [r.is_duplicate for r in h2], [d.is_duplicate for d in run.decisions]
    ).as_dict()
    out["calibrated_merge_threshold"] = calibration.merge_threshold
    out["boston_h2_calibrated_reports_per_s"] = round(run.reports_per_s, 1)
    out["reports_per_s"] = out["boston_h2_reports_per_s"]
    if args.json:
        print(json.dumps(out))
        return
    for name, base in (
        ("boston_h2", "boston_h2"),
        ("boston_h2_calibrated", "boston_h2"),
        ("nyc_day", "nyc_day"),
    ):
        ours, naive = out[name], out[f"{base}_baseline"]
        print(
            f"{name}: P {ours['precision']:.3f} R {ours['recall']:.3f} F1 {ours['f1']:.3f} "
            f"(baseline F1 {naive['f1']:.3f})"
        )
    print(
        f"thresholds from Boston H1: merge {merge:.2f}, suggest {suggest:.2f}; {out['reports_per_s']:.0f} reports/s"
    )


if __name__ == "__main__":
    main()
