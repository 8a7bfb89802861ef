"""What a learned de-duplication model sees of a report and its earlier candidates (no labels).

One row per report that has at least one candidate: the category and how it behaved in the
training history (its smoothed duplicate log-odds, the only thing learned from labels, and only
from the training period), how the report came in, and the evidence of its best candidate and of
the crowd around it (how many earlier reports nearby, still open, at the same address).
Everything is known when the report arrives: earlier cases count as closed only once their
closing time lies before the new report.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from cityloop.triage.dedupe.model import Report
from cityloop.triage.dedupe.scoring import Score, normalise_address

#: Channel kinds shared by Boston, NYC and CityLoop's own channels (anything else: none of them).
CHANNEL_KINDS = ("app", "phone", "web", "staff")
_CHANNEL_WORDS = (
    ("staff", ("employee", "worker", "staff", "inspector", "maximo", "camera", "sensor", "internal")),
    ("app", ("app", "mobile", "citizen", "wechat", "miniprogram")),
    ("phone", ("call", "phone", "hotline", "12345", "sms")),
    ("web", ("self service", "online", "web", "open311", "twitter", "email")),
)
#: A candidate this close (m) is "close" for the crowd counts, as is one at the same address.
CLOSE_M = 50.0
#: …and this recent (hours).
CLOSE_HOURS = 24.0 * 7

FEATURES: tuple[str, ...] = (
    "category_log_odds",
    *(f"channel_{k}" for k in CHANNEL_KINDS),
    "has_point",
    "has_address",
    "intersection",
    "generic_text",
    "candidates",
    "candidates_open",
    "candidates_same_address",
    "candidates_close",
    "best_distance",
    "best_hours",
    "best_same_address",
    "best_open",
    "best_text",
    "best_raw_score",
    *(f"best_channel_{k}" for k in CHANNEL_KINDS),
    "best_hours_since_closed",
    "nearest_open_distance",
    "latest_close_hours",
    "category",
)
#: The column holding the category itself (an index into the model's vocabulary, NaN if unknown).
CATEGORY_COLUMN = FEATURES.index("category")
NAN = float("nan")


def channel_kind(channel: str) -> str | None:
    """app, phone, web or staff for a channel name of any of the three systems, else None."""
    name = channel.lower()
    for kind, words in _CHANNEL_WORDS:
        if any(word in name for word in words):
            return kind
    return None


def _one_hot(channel: str) -> list[float]:
    kind = channel_kind(channel)
    return [1.0 if kind == k else 0.0 for k in CHANNEL_KINDS]


def _log(value: float | None) -> float:
    return NAN if value is None else math.log1p(max(0.0, value))


def _distance(score: Score) -> float | None:
    """Metres apart; the same address without coordinates counts as 0."""
    if score.distance_m is not None:
        return score.distance_m
    return 0.0 if score.same_address else None


def _is_close(score: Score) -> bool:
    distance = _distance(score)
    return distance is not None and distance <= CLOSE_M


def report_row(report: Report) -> list[float]:
    """The features of the report alone (after the category log-odds)."""
    address = normalise_address(report.address)
    text = normalise_address(report.text)
    return [
        *_one_hot(report.channel),
        float(report.lat is not None and report.lon is not None),
        float(bool(address)),
        float("intersection" in address or "&" in report.address),
        float(not text or text == normalise_address(report.category)),
    ]


def candidate_row(report: Report, best: tuple[Report, Score]) -> list[float]:
    """The features of one candidate master (the "best" columns)."""
    old, score = best
    since_closed = None
    if not score.still_open and old.closed_at is not None:
        since_closed = (report.opened_at - old.closed_at).total_seconds() / 3600.0
    return [
        _log(_distance(score)),
        _log(score.hours),
        float(score.same_address),
        float(score.still_open),
        score.text,
        score.value,
        *_one_hot(old.channel),
        _log(since_closed),
    ]


def crowd_row(scored: Sequence[tuple[Report, Score]]) -> list[float]:
    """How many earlier reports surround this one: all, still open, at the same address, close and recent."""
    close = [s for _, s in scored if _is_close(s)]
    return [
        _log(len(scored)),
        _log(sum(1 for _, s in scored if s.still_open)),
        _log(sum(1 for _, s in scored if s.same_address)),
        _log(sum(1 for s in close if s.hours <= CLOSE_HOURS)),
    ]


def features(
    report: Report,
    scored: Sequence[tuple[Report, Score]],
    best: tuple[Report, Score],
    category_log_odds: float,
    category_code: float = NAN,
) -> list[float]:
    """The row of `report` with `best` as the candidate master, in the order of FEATURES.

    `category_code` is the category's index in the model's vocabulary (NaN when unknown).
    """
    open_distances = [d for _, s in scored if s.still_open and (d := _distance(s)) is not None]
    close_hours = [s.hours for _, s in scored if _is_close(s)]
    return [
        category_log_odds,
        *report_row(report),
        *crowd_row(scored),
        *candidate_row(report, best),
        _log(min(open_distances)) if open_distances else NAN,
        _log(min(close_hours)) if close_hours else NAN,
        category_code,
    ]
