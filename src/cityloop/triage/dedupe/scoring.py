"""Pure scoring of a report against one earlier candidate: distance, time, text, category."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from cityloop.core.geodesy import distance_m
from cityloop.triage.dedupe.config import CategoryRule
from cityloop.triage.dedupe.model import Report

_SPACES = re.compile(r"[^0-9a-z\u4e00-\u9fff]+")


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres between two WGS 84 points given as (lat, lon)."""
    return distance_m(lon1, lat1, lon2, lat2)


def normalise_address(address: str) -> str:
    """Lower-case, punctuation and repeated spaces removed: the key for "same address"."""
    return _SPACES.sub(" ", address.lower()).strip()


def text_similarity(a: str, b: str) -> float:
    """0..1 token-set similarity (rapidfuzz); two empty texts say nothing (0.5)."""
    if not a.strip() or not b.strip():
        return 0.5
    return float(fuzz.token_set_ratio(a.lower(), b.lower())) / 100.0


@dataclass(frozen=True, slots=True)
class Weights:
    """Relative weight of each evidence; they are normalised to sum to one."""

    distance: float
    time: float
    text: float
    #: factor on the score when the earlier case was already closed when the new one came in
    closed_factor: float = 0.6


@dataclass(frozen=True, slots=True)
class Score:
    """A candidate's score and the evidence behind it."""

    value: float
    distance_m: float | None
    hours: float
    same_address: bool
    text: float
    still_open: bool = True

    def reason(self, category: str) -> str:
        """The evidence in words, for the timeline."""
        where = "same address" if self.same_address else ""
        if self.distance_m is not None:
            where = f"{where}, {self.distance_m:.0f} m" if where else f"{self.distance_m:.0f} m"
        state = "still open" if self.still_open else "already closed"
        return f"{category}: {where or 'no location'} apart, {self.hours:.1f} h earlier ({state}), text {self.text:.2f}"


def score_pair(
    new: Report,
    old: Report,
    rule: CategoryRule,
    weights: Weights,
    *,
    distance_m: float | None,
    same_address: bool,
) -> Score | None:
    """Score `new` against the earlier `old` (0..1), or None when it is no candidate at all.

    Closer in space and time and more similar in text always scores at least as high.
    """
    hours = (new.opened_at - old.opened_at).total_seconds() / 3600.0
    if hours < 0 or hours > rule.window_hours:
        return None
    if new.component and old.component and new.component != old.component:
        return None
    if distance_m is not None and distance_m > rule.radius_m and not same_address:
        return None
    if distance_m is None and not same_address:
        return None
    if same_address:
        space = 1.0
    else:
        assert distance_m is not None
        closeness = 1.0 - distance_m / rule.radius_m
        space = closeness**2 if rule.point_like else closeness
        if rule.building_wide:
            space *= 0.5
    time = 1.0 - hours / rule.window_hours
    text = text_similarity(new.text, old.text)
    total = weights.distance + weights.time + weights.text
    value = (weights.distance * space + weights.time * time + weights.text * text) / total
    still_open = old.closed_at is None or old.closed_at > new.opened_at
    if not still_open:
        value *= weights.closed_factor
    return Score(
        value=value,
        distance_m=distance_m,
        hours=hours,
        same_address=same_address,
        text=text,
        still_open=still_open,
    )
