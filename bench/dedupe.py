"""The de-duplication benchmark on real 311 data.

    python bench/dedupe.py [--data-dir DIR] [--json]

Boston 2015: everything learned is learned on H1 (Jan–Jun) and reported on H2 (Jul–Dec), which
it never saw: (a) "raw": one merge threshold on the raw score, chosen for the best H1 F1;
(b) "calibrated": each category's duplicate rate by raw-score band, and the cut-off on it, from H1;
(c) "model": a gradient-boosted model of P(duplicate | report, best earlier candidate, the reports
around it, its category), trained on H1 (`cityloop dedupe train`), threshold from held-out H1
blocks; also replayed with H1 remembered as earlier cases (unlabelled), as a live case base would be.
NYC (one day, 235 requests, 16 labelled duplicates): (d) the default engine with the raw H1
threshold — no NYC tuning; (d') the Boston H1 model as is: Boston's behaviour does not transfer
(none of NYC's complaint types is known to it and its probabilities stay far below its cut-off);
(e) a time split of the day: each category's duplicate rate learned on the requests opened
before noon, measured on those opened from noon on (the whole day is replayed, so morning
requests can be masters). The naive baseline
flags a report when the same type was reported at the same address within the category window.
Throughput is the replay of H2 (reports/s, one core, in memory).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

from cityloop.triage.dedupe import (
    DedupeConfig,
    baseline,
    learn_calibration,
    metrics,
    replay,
    train_model,
    tune_thresholds,
)
from cityloop.triage.importers import ServiceRecord, read_records

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
NOON = 12


def _score(records: list[ServiceRecord], decisions: list[Any]) -> dict[str, Any]:
    return metrics([r.is_duplicate for r in records], [d.is_duplicate for d in decisions]).as_dict()


def _learned(
    h1: list[ServiceRecord], h2: list[ServiceRecord], nyc: list[ServiceRecord], config: DedupeConfig
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    calibration = learn_calibration(h1, config)
    run = replay(h2, config, calibration)
    out["boston_h2_calibrated"] = _score(h2, run.decisions)
    out["calibrated_merge_threshold"] = calibration.merge_threshold
    out["boston_h2_calibrated_reports_per_s"] = round(run.reports_per_s, 1)
    start = time.perf_counter()
    model = train_model(h1, config, sources=["boston311_2015_H1.csv"])
    out["model_train_seconds"] = round(time.perf_counter() - start, 1)
    out["model_merge_threshold"] = model.merge_threshold
    out["model_h1_held_out"] = model.provenance["held_out"]
    run = replay(h2, config, model=model)
    out["boston_h2_model"] = _score(h2, run.decisions)
    out["boston_h2_model_reports_per_s"] = round(run.reports_per_s, 1)
    run = replay(h2, config, model=model, history=h1)
    out["boston_h2_model_h1_history"] = _score(h2, run.decisions)
    out["nyc_day_boston_model"] = _score(nyc, replay(nyc, config, model=model).decisions)
    return out


def _nyc_split(nyc: list[ServiceRecord], config: DedupeConfig) -> dict[str, Any]:
    morning = [r for r in nyc if r.opened_at.hour < NOON]
    later = [i for i, r in enumerate(nyc) if r.opened_at.hour >= NOON]
    calibration = learn_calibration(morning, config)
    out: dict[str, Any] = {
        "nyc_split_hour": NOON,
        "nyc_morning_duplicates": sum(r.is_duplicate for r in morning),
    }
    for name, cal in (("nyc_afternoon", None), ("nyc_afternoon_calibrated_on_morning", calibration)):
        decisions = replay(nyc, config, cal).decisions
        out[name] = _score([nyc[i] for i in later], [decisions[i] for i in later])
    out["nyc_morning_merge_threshold"] = calibration.merge_threshold
    return out


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
        out[name] = _score(records, run.decisions)
        out[f"{name}_baseline"] = metrics(
            [r.is_duplicate for r in records], baseline(records, config)
        ).as_dict()
        out[f"{name}_reports_per_s"] = round(run.reports_per_s, 1)
    out.update(_learned(h1, h2, nyc, config))
    out.update(_nyc_split(nyc, config))
    out["reports_per_s"] = out["boston_h2_reports_per_s"]
    if args.json:
        print(json.dumps(out))
        return
    _print(out, merge, suggest)


def _print(out: dict[str, Any], merge: float, suggest: float) -> None:
    for name, base in (
        ("boston_h2", "boston_h2"),
        ("boston_h2_calibrated", "boston_h2"),
        ("boston_h2_model", "boston_h2"),
        ("boston_h2_model_h1_history", "boston_h2"),
        ("nyc_day", "nyc_day"),
        ("nyc_day_boston_model", "nyc_day"),
        ("nyc_afternoon", None),
        ("nyc_afternoon_calibrated_on_morning", None),
    ):
        ours = out[name]
        naive = f" (baseline F1 {out[f'{base}_baseline']['f1']:.3f})" if base else ""
        print(
            f"{name}: P {ours['precision']:.3f} R {ours['recall']:.3f} F1 {ours['f1']:.3f} "
            f"[{ours['true_positives']} of {ours['labelled_duplicates']} found, {ours['false_positives']} false]{naive}"
        )
    held = out["model_h1_held_out"]
    print(
        f"thresholds from Boston H1: raw merge {merge:.2f}, suggest {suggest:.2f}; calibrated "
        f"{out['calibrated_merge_threshold']:.2f}; model {out['model_merge_threshold']:.2f} "
        f"(held-out H1 blocks F1 {held['f1']:.3f}, trained in {out['model_train_seconds']:.0f} s)"
    )
    print(
        f"NYC split at {out['nyc_split_hour']}:00, {out['nyc_morning_duplicates']} duplicates before; "
        f"replay {out['reports_per_s']:.0f} reports/s (raw), {out['boston_h2_model_reports_per_s']:.0f} (model)"
    )


if __name__ == "__main__":
    main()
