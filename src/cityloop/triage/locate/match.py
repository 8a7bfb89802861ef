"""Address text → a point, through a city's gazetteer.

Names are found exactly first (every name, alias, English name and short name, longest first),
then misspelt names in what is left (one wrong character in a Chinese name of 3–6 characters, two
from 7; rapidfuzz ratio ≥ 88 on English words). The most precise reading wins:

    poi > intersection (two named roads that meet) > road_number > road > community > street > district

House numbers: a road whose place has `house_numbers: [first, last]` in its properties places the
number linearly along its line; without a range (the demo city has none) the road's middle is
returned as `road_number` with a lower confidence than a ranged number, higher than a bare road.
Confidence is the kind's base (BASE) times how the names were found (VIA) — ×0.7 when a name fits
several places, ×0.95 with a modifier such as 附近 or 对面. No name found → None (the report goes
to the manual-location queue).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from cityloop.cities.plugins import plugin_for
from cityloop.triage.locate.gazetteer import Entry, Gazetteer
from cityloop.triage.locate.parse import (
    CROSSING_WORDS,
    canonical,
    modifiers,
    number_after,
    number_before,
    residual_chunks,
)

KINDS = ("poi", "intersection", "road_number", "road", "community", "street", "district")
BASE = {
    "poi": 0.95,
    "intersection": 0.9,
    "road_number_ranged": 0.85,
    "road_number": 0.6,
    "road": 0.5,
    "community": 0.6,
    "street": 0.35,
    "district": 0.2,
}
VIA = {"name": 1.0, "name_en": 1.0, "alias": 0.95, "short": 0.9, "fuzzy": 0.8}
AMBIGUOUS = 0.7
MODIFIED = 0.95
NOT_MEETING = 0.8
#: rapidfuzz ratio (0–100) an English name must reach against the words of the text.
ENGLISH_RATIO = 88.0
_PRIORITY = {"poi": 0, "road": 1, "community": 2, "street": 3, "district": 4}


@dataclass(frozen=True)
class LocateResult:
    """Where an address points: the reading chosen, its point, a confidence in 0–1 and why."""

    kind: str
    name: str
    lon: float
    lat: float
    confidence: float
    reason: str
    #: The gazetteer names the reading used (one POI, two roads, ...).
    matched: tuple[str, ...]
    modifiers: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "name": self.name,
            "lon": self.lon,
            "lat": self.lat,
            "confidence": self.confidence,
            "reason": self.reason,
            "matched": list(self.matched),
            "modifiers": list(self.modifiers),
        }


@dataclass(frozen=True)
class Hit:
    """A name found in the text: where, under which key, and the entry it was read as."""

    start: int
    end: int
    key: str
    entry: Entry
    ambiguous: bool
    fuzzy: bool = False
    #: The text as written, when it was misspelt.
    seen: str = ""

    @property
    def via(self) -> str:
        return "fuzzy" if self.fuzzy else self.entry.via

    def factor(self) -> float:
        return VIA[self.via] * (AMBIGUOUS if self.ambiguous else 1.0)


def locate_text(gazetteer: Gazetteer, text: str) -> LocateResult | None:
    """The most precise place an address names in the city, or None when it names none."""
    plugin = plugin_for(gazetteer.city_code) if gazetteer.city_code else None
    folded = plugin.normalise_address(text) if plugin is not None else text
    clean = canonical(folded, folded=plugin is not None)
    if not clean:
        return None
    hits = find_names(gazetteer, clean)
    if not hits:
        return None
    return _resolve(gazetteer, clean, hits, tuple(modifiers(clean)))


def find_names(gazetteer: Gazetteer, clean: str) -> list[Hit]:
    """Every name in a canonical text, in text order: exact names, then misspelt ones in the rest."""
    hits = [_hit(gazetteer, m.start(), m.end(), m.group()) for m in gazetteer.pattern.finditer(clean)]
    rest = list(clean)
    for hit in hits:
        rest[hit.start : hit.end] = " " * (hit.end - hit.start)
    for readings in residual_chunks("".join(rest)):
        for chunk in readings:
            at = clean.find(chunk)
            before = next((h for h in hits if not h.fuzzy and h.end == at), None)
            longer = (
                _extended(gazetteer, clean, before, at + len(chunk))
                if before and not chunk.isascii()
                else None
            )
            if before is not None and longer is not None:
                hits[hits.index(before)] = longer
                break
            found = _fuzzy_hits(gazetteer, clean, chunk)
            if found:
                hits.extend(found)
                break
    return sorted(hits, key=lambda h: (h.start, h.end))


def _extended(gazetteer: Gazetteer, clean: str, before: Hit, end: int) -> Hit | None:
    """A longer, misspelt name that starts with an exact one: 文三路 + 农贸市常 → 文三路农贸市场."""
    best = _best_chinese(gazetteer, clean[before.start : end], longer_than=len(before.key))
    if best is None or not best[1].startswith(before.key):
        return None
    return _hit(gazetteer, before.start, before.start + len(best[1]), best[0], seen=best[1])


def _hit(gazetteer: Gazetteer, start: int, end: int, key: str, *, seen: str = "") -> Hit:
    best = _target(gazetteer, key)
    same = {e.index for e in gazetteer.keys[key] if e.kind == best.kind}
    return Hit(start, end, key, best, ambiguous=len(same) > 1, fuzzy=bool(seen), seen=seen)


def _target(gazetteer: Gazetteer, key: str) -> Entry:
    """What a key names first: a POI before a road before a community, street, district."""
    return min(gazetteer.keys[key], key=lambda e: _PRIORITY[e.kind])


def _fuzzy_hits(gazetteer: Gazetteer, clean: str, chunk: str) -> list[Hit]:
    """Misspelt names in one unmatched chunk, each only when a single place fits best."""
    found: list[Hit] = []
    latin = chunk.isascii()
    for _ in range(3):
        best = _best_english(gazetteer, chunk) if latin else _best_chinese(gazetteer, chunk)
        if best is None:
            break
        key, window = best
        at = clean.find(window)
        found.append(_hit(gazetteer, at, at + len(window), key, seen=window))
        chunk = chunk.replace(window, " ", 1)
    return found


def _best_chinese(gazetteer: Gazetteer, chunk: str, *, longer_than: int = 0) -> tuple[str, str] | None:
    """The key one edit away (two from 7 characters) from a window of the chunk, if unique."""
    scored: list[tuple[int, int, int, str, str]] = []
    for key in gazetteer.fuzzy_keys_zh:
        n = len(key)
        if n <= longer_than:
            continue
        allowed = 1 if n < 7 else 2
        widths = (n,) if n == 3 else (n - 1, n, n + 1)
        for width in widths:
            for i in range(len(chunk) - width + 1):
                window = chunk[i : i + width]
                distance = Levenshtein.distance(window, key, score_cutoff=allowed)
                if distance <= allowed:
                    scored.append((distance, -n, abs(width - n), key, window))
    return _unique(gazetteer, scored)


def _best_english(gazetteer: Gazetteer, chunk: str) -> tuple[str, str] | None:
    """The English key closest (ratio ≥ ENGLISH_RATIO) to a run of words of the chunk, if unique."""
    words = chunk.split()
    scored: list[tuple[int, int, int, str, str]] = []
    for key in gazetteer.fuzzy_keys_en:
        size = key.count(" ") + 1
        for i in range(len(words) - size + 1):
            window = " ".join(words[i : i + size])
            ratio = fuzz.ratio(window, key, score_cutoff=ENGLISH_RATIO)
            if ratio:
                scored.append((-round(ratio), -len(key), 0, key, window))
    return _unique(gazetteer, scored)


def _unique(gazetteer: Gazetteer, scored: list[tuple[int, int, int, str, str]]) -> tuple[str, str] | None:
    if not scored:
        return None
    scored.sort()
    top = [s for s in scored if s[:2] == scored[0][:2]]
    targets = {(_target(gazetteer, s[3]).kind, _target(gazetteer, s[3]).index) for s in top}
    if len(targets) > 1:
        return None
    return scored[0][3], scored[0][4]


def _resolve(gazetteer: Gazetteer, clean: str, hits: list[Hit], mods: tuple[str, ...]) -> LocateResult:
    note = f"; modifier {', '.join(mods)}" if mods else ""

    def result(
        kind: str, name: str, point: tuple[float, float], conf: float, reason: str, used: list[str]
    ) -> LocateResult:
        loose = [m for m in mods if not (kind == "intersection" and m in CROSSING_WORDS)]
        modifier = MODIFIED if loose else 1.0
        return LocateResult(
            kind,
            name,
            point[0],
            point[1],
            round(min(conf * modifier, 1.0), 3),
            reason + note,
            tuple(used),
            mods,
        )

    pois = [h for h in hits if h.entry.kind == "poi"]
    if pois:
        hit = max(pois, key=lambda h: (h.end - h.start, h.factor(), -h.start))
        name = gazetteer.name_of(hit.entry)
        conf = BASE["poi"] * hit.factor()
        return result(
            "poi", name, gazetteer.point_of(hit.entry), conf, f"point of interest {_how(hit, name)}", [name]
        )

    roads: list[Hit] = []
    for hit in hits:
        if hit.entry.kind == "road" and all(r.entry.index != hit.entry.index for r in roads):
            roads.append(hit)
    for i, first in enumerate(roads):
        for second in roads[i + 1 :]:
            where = gazetteer.crossing(first.entry.index, second.entry.index)
            if where is not None:
                a, b = gazetteer.name_of(first.entry), gazetteer.name_of(second.entry)
                conf = BASE["intersection"] * first.factor() * second.factor()
                reason = f"intersection of {_how(first, a)} and {_how(second, b)}"
                return result("intersection", f"{a}与{b}交叉口", where, conf, reason, [a, b])
    if roads:
        hit = roads[0]
        name = gazetteer.name_of(hit.entry)
        extra = 1.0 if len(roads) == 1 else NOT_MEETING
        apart = (
            ""
            if len(roads) == 1
            else f" (roads {', '.join(gazetteer.name_of(r.entry) for r in roads)} do not meet)"
        )
        number = None if hit.fuzzy else _number(clean, hit)
        if number is not None:
            road = gazetteer.roads[hit.entry.index]
            if road.numbers is not None:
                first_no, last_no = road.numbers
                point = gazetteer.road_point(hit.entry.index, (number - first_no) / (last_no - first_no))
                conf = BASE["road_number_ranged"] * hit.factor() * extra
                reason = f"number {number} placed along {_how(hit, name)} by its range {first_no}–{last_no}"
            else:
                point = gazetteer.road_point(hit.entry.index, None)
                conf = BASE["road_number"] * hit.factor() * extra
                reason = f"number {number} on {_how(hit, name)}, which has no number range: its middle"
            return result("road_number", f"{name}{number}号", point, conf, reason + apart, [name])
        conf = BASE["road"] * hit.factor() * extra
        return result(
            "road", name, gazetteer.point_of(hit.entry), conf, f"middle of {_how(hit, name)}{apart}", [name]
        )

    for level in ("community", "street", "district"):
        found = [h for h in hits if h.entry.kind == level]
        if found:
            hit = max(found, key=lambda h: (h.factor(), h.end - h.start))
            name = gazetteer.name_of(hit.entry)
            conf = BASE[level] * hit.factor()
            return result(
                level, name, gazetteer.point_of(hit.entry), conf, f"inside {level} {_how(hit, name)}", [name]
            )
    raise AssertionError("find_names only returns indexed kinds")  # pragma: no cover


def _number(clean: str, hit: Hit) -> int | None:
    after = number_after(clean[hit.end :])
    if after is not None:
        return after
    return number_before(clean[: hit.start]) if hit.key.isascii() else None


def _how(hit: Hit, name: str) -> str:
    """文三路, or 文三路 (as 'wensan road', misspelt 'wensan roda', ambiguous)."""
    notes = []
    if hit.fuzzy or hit.key != canonical(name):
        notes.append(f"misspelt '{hit.seen}'" if hit.fuzzy else f"as {hit.entry.via} '{hit.key}'")
    if hit.ambiguous:
        notes.append("ambiguous: first of several")
    return f"{name} ({'; '.join(notes)})" if notes else name
