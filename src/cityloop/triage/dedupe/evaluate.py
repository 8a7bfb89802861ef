"""Replaying labelled 311 records through the de-duplicator, the naive baseline, and threshold tuning.

Labels (`is_duplicate`) are only compared with decisions, never given to the de-duplicator.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from cityloop.triage.dedupe.calibrate import Calibration, fit_calibration
from cityloop.triage.dedupe.config import DedupeConfig
from cityloop.triage.dedupe.engine import Deduplicator
from cityloop.triage.dedupe.learned import DedupeModel
from cityloop.triage.dedupe.model import Decision, Report
from cityloop.triage.dedupe.scoring import normalise_address
from cityloop.triage.importers.records import ServiceRecord


@dataclass(frozen=True, slots=True)
class Metrics:
    """Binary duplicate detection figures."""

    tp: int
    fp: int
    fn: int
    tn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        """precision, recall, f1 (4 decimals) and the counts."""
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "true_positives": self.tp,
            "false_positives": self.fp,
            "false_negatives": self.fn,
            "true_negatives": self.tn,
            "labelled_duplicates": self.tp + self.fn,
            "predicted_duplicates": self.tp + self.fp,
            "reports": self.tp + self.fp + self.fn + self.tn,
        }


def metrics(truth: Iterable[bool], predicted: Iterable[bool]) -> Metrics:
    """Counts of a binary prediction against the labels."""
    tp = fp = fn = tn = 0
    for label, guess in zip(truth, predicted, strict=True):
        if guess and label:
            tp += 1
        elif guess:
            fp += 1
        elif label:
            fn += 1
        else:
            tn += 1
    return Metrics(tp, fp, fn, tn)


def to_report(record: ServiceRecord) -> Report:
    """The label-free view of a record that the de-duplicator may see."""
    return Report(
        id=record.id,
        category=record.category,
        opened_at=record.opened_at,
        lat=record.lat,
        lon=record.lon,
        address=record.address,
        text=record.text,
        channel=record.channel,
        closed_at=record.closed_at,  # read only for earlier cases, once it lies in their past
    )


@dataclass(frozen=True, slots=True)
class Replay:
    """Decisions in input order and how long deciding took."""

    decisions: list[Decision]
    seconds: float

    @property
    def reports_per_s(self) -> float:
        return len(self.decisions) / self.seconds if self.seconds > 0 else 0.0


def replay(
    records: Sequence[ServiceRecord],
    config: DedupeConfig | None = None,
    calibration: Calibration | None = None,
    model: DedupeModel | None = None,
    *,
    history: Sequence[ServiceRecord] = (),
) -> Replay:
    """Run records (already in time order) through a fresh de-duplicator.

    `history` (earlier records, e.g. the previous half-year) is remembered first without
    deciding on it, as a city's case base would be: possible masters, never labels.
    """
    dedupe = Deduplicator(config, calibration, model)
    for record in history:
        dedupe.add(to_report(record))
    reports = [to_report(r) for r in records]
    start = time.perf_counter()
    decisions = [dedupe.observe(report) for report in reports]
    return Replay(decisions, time.perf_counter() - start)


def baseline(records: Sequence[ServiceRecord], config: DedupeConfig | None = None) -> list[bool]:
    """The naive rule: a duplicate when the same type was reported at the same address within the window."""
    cfg = config or DedupeConfig()
    last: dict[tuple[str, str], datetime] = {}
    out: list[bool] = []
    for record in records:
        address = normalise_address(record.address)
        key = (record.category.lower(), address)
        window = timedelta(hours=cfg.rule_for(record.category).window_hours)
        before = last.get(key) if address else None
        out.append(before is not None and record.opened_at - before <= window)
        if address:
            last[key] = record.opened_at
    return out


def tune_thresholds(
    records: Sequence[ServiceRecord], config: DedupeConfig | None = None
) -> tuple[float, float, Metrics]:
    """(merge, suggest, metrics) with the merge threshold that maximises F1 on `records`.

    The suggest threshold is set 0.15 below it. Use on a tuning part of the data only.
    """
    cfg = config or DedupeConfig()
    scores = [d.score for d in replay(records, cfg).decisions]
    merge, metric = _best_cut([r.is_duplicate for r in records], scores, range(30, 100))
    return merge, max(0.0, merge - 0.15), metric


def learn_calibration(records: Sequence[ServiceRecord], config: DedupeConfig | None = None) -> Calibration:
    """Category duplicate rates by score band learned from labelled history, merge cut-off at best F1.

    Fit on a past period only; evaluate on a later one.
    """
    cfg = config or DedupeConfig()
    scores = [d.score for d in replay(records, cfg).decisions]
    truth = [r.is_duplicate for r in records]
    table = fit_calibration([r.category for r in records], scores, truth, merge=1.0, suggest=1.0)
    probabilities = [table.probability(r.category, s) for r, s in zip(records, scores, strict=True)]
    merge, _ = _best_cut(truth, probabilities, range(2, 100))
    return replace(table, merge_threshold=merge, suggest_threshold=merge / 2)


def _best_cut(truth: Sequence[bool], scores: Sequence[float], steps: range) -> tuple[float, Metrics]:
    by_step: dict[float, Metrics] = {}
    for step in steps:
        cut = step / 100
        by_step[cut] = metrics(truth, [s >= cut for s in scores])
    best = max(by_step, key=lambda m: (by_step[m].f1, m))
    return best, by_step[best]
