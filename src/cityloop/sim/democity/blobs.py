"""Irregular, contiguous, hole-free regions of lattice cells ("blobs") and how to cut them.

A region is simple when its cells are edge-connected and so is everything outside it: then
its outline is one polygon with no hole and no pinch (two cells touching only at a corner).
Regions are grown from seeds over city blocks (the rectangles between roads and lanes), so
boundaries mostly follow roads, and then jittered a little at the cell level.
"""

from __future__ import annotations

import heapq
import itertools
import math
from collections import deque
from collections.abc import Iterable, Sequence
from random import Random

from cityloop.sim.democity.lattice import COLS, ROWS, Cell, centroid, neighbours

# Lattice lines between city blocks: every road lies on one, plus lanes at most 5 cells apart.
ROW_CUTS = (0, 5, 8, 12, 17, 20, 24, 28, 32, 36, 40, 44, 48)
COL_CUTS = (0, 5, 10, 15, 20, 25, 30, 35, 41, 46, 51, 56, 62, 64)
Edge = tuple[Cell, Cell]  # two edge-adjacent cells, the smaller first


def components(cells: Iterable[Cell]) -> list[frozenset[Cell]]:
    """The edge-connected components of a set of cells, largest first (ties: northwest first)."""
    todo = set(cells)
    found: list[frozenset[Cell]] = []
    while todo:
        start = min(todo)
        todo.discard(start)
        part = {start}
        queue = deque([start])
        while queue:
            for nb in neighbours(queue.popleft()):
                if nb in todo:
                    todo.discard(nb)
                    part.add(nb)
                    queue.append(nb)
        found.append(frozenset(part))
    return sorted(found, key=lambda p: (-len(p), min(p)))


def is_simple(cells: frozenset[Cell] | set[Cell]) -> bool:
    """True when the cells form one polygon without holes or pinches."""
    if not cells or len(components(cells)) != 1:
        return False
    rows = [r for r, _ in cells]
    cols = [c for _, c in cells]
    top, bottom, left, right = min(rows) - 1, max(rows) + 1, min(cols) - 1, max(cols) + 1
    outside_total = (bottom - top + 1) * (right - left + 1) - len(cells)
    start = (top, left)
    seen = {start}
    queue = deque([start])
    while queue:
        for nb in neighbours(queue.popleft()):
            r, c = nb
            if top <= r <= bottom and left <= c <= right and nb not in cells and nb not in seen:
                seen.add(nb)
                queue.append(nb)
    return len(seen) == outside_total


def city_blocks(cells: frozenset[Cell]) -> list[frozenset[Cell]]:
    """The city's blocks: each rectangle between consecutive cuts, clipped to the city, split if needed."""
    blocks: list[frozenset[Cell]] = []
    for top, bottom in itertools.pairwise(ROW_CUTS):
        for left, right in itertools.pairwise(COL_CUTS):
            rect = {(r, c) for r in range(top, bottom) for c in range(left, right)} & cells
            blocks.extend(components(rect))
    assert ROW_CUTS[-1] == ROWS and COL_CUTS[-1] == COLS
    return blocks


def _adjacency(blocks: Sequence[frozenset[Cell]], roads: frozenset[Edge]) -> list[dict[int, bool]]:
    """For each block, its neighbour blocks and whether a road runs between them."""
    owner = {cell: i for i, block in enumerate(blocks) for cell in block}
    adjacent: list[dict[int, bool]] = [{} for _ in blocks]
    for cell, i in owner.items():
        for nb in neighbours(cell):
            j = owner.get(nb)
            if j is None or j == i:
                continue
            edge = (min(cell, nb), max(cell, nb))
            adjacent[i][j] = adjacent[i].get(j, False) or edge in roads
    return adjacent


def _seeds(centres: Sequence[tuple[float, float]], n: int, rng: Random) -> list[int]:
    """Well spread seed blocks: each new seed is one of the three blocks farthest from the chosen ones."""
    chosen = [rng.randrange(len(centres))]
    while len(chosen) < n:
        spread = sorted(
            (-min(math.dist(centres[i], centres[j]) for j in chosen), i)
            for i in range(len(centres))
            if i not in chosen
        )
        chosen.append(spread[rng.randrange(min(3, len(spread)))][1])
    return chosen


def partition(
    blocks: Sequence[frozenset[Cell]],
    n: int,
    rng: Random,
    *,
    roads: frozenset[Edge],
    road_penalty: float,
    attempts: int = 400,
) -> list[frozenset[Cell]]:
    """Cut a region made of blocks into `n` simple regions of similar size, preferring roads as borders."""
    total = sum(len(b) for b in blocks)
    low, high = 0.6 * total / n, 1.5 * total / n
    centres = [centroid(b) for b in blocks]
    adjacent = _adjacency(blocks, roads)
    for _ in range(attempts):
        seeds = _seeds(centres, n, rng)
        noise = [0.6 + 0.8 * rng.random() for _ in blocks]
        owner: dict[int, int] = {}
        order = itertools.count(n)
        heap = [(0.0, k, seed, k) for k, seed in enumerate(seeds)]
        while heap:
            cost, _, block, region = heapq.heappop(heap)
            if block in owner:
                continue
            owner[block] = region
            for nb, crosses_road in sorted(adjacent[block].items()):
                if nb not in owner:
                    step = math.dist(centres[block], centres[nb]) * noise[nb]
                    step += road_penalty if crosses_road else 0.0
                    heapq.heappush(heap, (cost + step, next(order), nb, region))
        regions = [frozenset(c for b, r in owner.items() if r == k for c in blocks[b]) for k in range(n)]
        if all(low <= len(region) <= high and is_simple(region) for region in regions):
            return regions
    raise RuntimeError(f"could not cut {total} cells into {n} simple regions")


def jitter(regions: list[set[Cell]], rng: Random, *, moves: int, min_size: int) -> None:
    """Move small strips of cells across borders between regions, keeping every region simple."""
    owner = {cell: k for k, region in enumerate(regions) for cell in region}
    done = 0
    for _ in range(moves * 30):
        if done == moves:
            return
        border = sorted(
            (cell, nb) for cell, k in owner.items() for nb in neighbours(cell) if owner.get(nb, k) != k
        )
        if not border:
            return
        cell, nb = border[rng.randrange(len(border))]
        giver, taker = owner[cell], owner[nb]
        dr, dc = cell[0] - nb[0], cell[1] - nb[1]  # pointing into the giver
        length, depth = rng.randint(1, 4), rng.randint(1, 2)
        strip = {
            (cell[0] + k * dc + j * dr, cell[1] + k * dr + j * dc)
            for k in range(length)
            for j in range(depth)
        }
        if any(owner.get(s) != giver for s in strip) or len(regions[giver]) - len(strip) < min_size:
            continue
        regions[giver] -= strip
        regions[taker] |= strip
        if is_simple(regions[giver]) and is_simple(regions[taker]):
            owner.update(dict.fromkeys(strip, taker))
            done += 1
        else:
            regions[giver] |= strip
            regions[taker] -= strip
