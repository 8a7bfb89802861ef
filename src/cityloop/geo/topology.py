"""Rules between area features: no overlaps within a level, grids tile their community with
no gap, and no area crosses its parent's boundary (tolerance 1 m²); plus non-blocking
warnings about grid numbering and grid size.

Overlap candidates come from an STRtree bulk query, and the geometric operations run
vectorised in shapely, so a city of several thousand grids is checked in about a second.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from typing import Any

import numpy as np
import shapely

from cityloop.geo.codes import LEVELS, level_of
from cityloop.geo.features import AreaFeature
from cityloop.geo.problems import Problem, where
from cityloop.geo.shapes import TOLERANCE_M2, areas_m2

#: A grid whose area is below target ÷ this factor or above target × this factor gets a warning.
GRID_SIZE_FACTOR = 4.0


def _problem(source: str, f: AreaFeature, rule: str, message: str) -> Problem:
    return Problem(source, f.index, f.code, rule, f"{where(f.index, f.code)}: {message}")


def _overlaps(level: str, items: list[AreaFeature], source: str) -> list[Problem]:
    if len(items) < 2:
        return []
    geoms = np.array([f.shape for f in items], dtype=object)
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    keep = left < right
    left, right = left[keep], right[keep]
    overlap = areas_m2(shapely.intersection(geoms[left], geoms[right]))
    found = []
    for i, j, area in zip(left, right, overlap, strict=True):
        if area > TOLERANCE_M2:
            first, second = sorted((items[int(i)], items[int(j)]), key=lambda f: f.index)
            found.append(
                _problem(
                    source,
                    second,
                    "overlap",
                    f"{level} {second.code} overlaps {level} {first.code} (feature {first.index}) "
                    f"by {area:.1f} m²",
                )
            )
    return found


def _crossings(valid: list[AreaFeature], by_code: dict[str, AreaFeature], source: str) -> list[Problem]:
    pairs = [(f, by_code[f.parent_code]) for f in valid if f.parent_code in by_code]
    if not pairs:
        return []
    children = np.array([c.shape for c, _ in pairs], dtype=object)
    parents = np.array([p.shape for _, p in pairs], dtype=object)
    outside = areas_m2(shapely.difference(children, parents))
    return [
        _problem(
            source,
            child,
            "crosses_parent",
            f"{child.level} {child.code} extends {area:.1f} m² outside its {parent.level} {parent.code}",
        )
        for (child, parent), area in zip(pairs, outside, strict=True)
        if area > TOLERANCE_M2
    ]


def _gaps(features: list[AreaFeature], by_code: dict[str, AreaFeature], source: str) -> list[Problem]:
    grids: dict[str, list[Any]] = defaultdict(list)
    unusable: set[str] = set()
    for f in features:
        if f.level == "grid" and f.code and f.shape is not None:
            grids[str(f.parent_code)].append(f.shape)
        elif f.label and (f.level == "grid" or (f.level is None and level_of(f.label) == "grid")):
            # A grid we cannot use (bad level, code or geometry): its community's gap is not news.
            unusable.add(f.label[:12])
    found = []
    for code, shapes in grids.items():
        community = by_code.get(code)
        if community is None or code in unusable:
            continue
        gap = community.shape.difference(shapely.union_all(shapes))
        area = areas_m2([gap])[0]
        if area > TOLERANCE_M2:
            point = gap.representative_point()
            found.append(
                _problem(
                    source,
                    community,
                    "grid_gap",
                    f"community {code} is not tiled by its grids: {area:.1f} m² is left uncovered "
                    f"(for example at {point.x:.6f}, {point.y:.6f})",
                )
            )
    return found


def topology_problems(features: list[AreaFeature], source: str) -> list[Problem]:
    """Overlaps within each level, areas crossing their parent, and gaps between grids."""
    valid = [f for f in features if f.shape is not None and f.code and f.level]
    by_code = {f.code: f for f in valid if f.code}
    found: list[Problem] = []
    for level in LEVELS:
        found.extend(_overlaps(level, [f for f in valid if f.level == level], source))
    found.extend(_crossings(valid, by_code, source))
    found.extend(_gaps(features, by_code, source))
    return found


def _numbering_warning(community: str, grids: list[AreaFeature], source: str) -> Problem | None:
    ordered = sorted(grids, key=lambda f: f.code or "")
    for a, b in itertools.pairwise(ordered):
        _, min_y, _, max_y = a.shape.bounds
        half = (max_y - min_y) / 2
        ca, cb = a.shape.centroid, b.shape.centroid
        north = cb.y > ca.y + half
        west_in_row = abs(cb.y - ca.y) <= half and cb.x < ca.x
        if north or west_in_row:
            side = "north of" if north else "west of"
            return Problem(
                source,
                b.index,
                b.code,
                "grid_numbering",
                f"{where(b.index, b.code)}: grids of community {community} are not numbered "
                f"west→east, north→south: grid {b.code} lies {side} grid {a.code}",
            )
    return None


def topology_warnings(features: list[AreaFeature], source: str, target_m2: float) -> list[Problem]:
    """Non-blocking advice: grid numbering order, grid sizes, communities left without grids."""
    grids = [f for f in features if f.level == "grid" and f.shape is not None]
    by_community: dict[str, list[AreaFeature]] = defaultdict(list)
    for g in grids:
        by_community[g.parent_code or ""].append(g)
    warnings = [
        w for code, items in sorted(by_community.items()) if (w := _numbering_warning(code, items, source))
    ]
    low, high = target_m2 / GRID_SIZE_FACTOR, target_m2 * GRID_SIZE_FACTOR
    odd = [g for g in grids if not low <= g.area_m2 <= high]
    if odd:
        sample = ", ".join(f"{g.code} ({g.area_m2:.0f} m²)" for g in odd[:10])
        more = f" and {len(odd) - 10} more" if len(odd) > 10 else ""
        warnings.append(
            Problem(
                source,
                odd[0].index,
                odd[0].code,
                "grid_size",
                f"{len(odd)} grid(s) are far from the target area of {target_m2:.0f} m² "
                f"(outside {low:.0f}–{high:.0f} m²): {sample}{more}",
            )
        )
    if grids:
        bare = [f for f in features if f.level == "community" and f.code and f.code not in by_community]
        if bare:
            codes = ", ".join(str(f.code) for f in bare[:10])
            more = f" and {len(bare) - 10} more" if len(bare) > 10 else ""
            warnings.append(
                Problem(
                    source,
                    bare[0].index,
                    bare[0].code,
                    "community_without_grids",
                    f"{len(bare)} community(ies) have no unit grids, so points there locate only "
                    f"to the community: {codes}{more}",
                )
            )
    return warnings
