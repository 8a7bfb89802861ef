"""Named roads of the demo city, laid on lattice lines (real road names of the Hangzhou area)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cityloop.sim.democity.blobs import Edge
from cityloop.sim.democity.lattice import Cell


@dataclass(frozen=True)
class Road:
    """A straight road on lattice line `line`: east-west roads lie on a row line, north-south on a column line."""

    name: str
    name_en: str
    aliases: tuple[str, ...]
    east_west: bool
    line: int
    start: int  # first cell index along the road (column for east-west, row for north-south)
    end: int  # one past the last

    def sides(self, i: int) -> tuple[Cell, Cell]:
        """The two cells on either side of the road at position `i` along it."""
        if self.east_west:
            return (self.line - 1, i), (self.line, i)
        return (i, self.line - 1), (i, self.line)


# name, English name, extra aliases, east-west?, lattice line, nominal span along it
_TABLE: tuple[tuple[str, str, tuple[str, ...], bool, int, int, int], ...] = (
    ("余杭塘路", "Yuhangtang Road", (), True, 5, 0, 64),
    ("文一路", "Wenyi Road", ("文一西路",), True, 8, 0, 64),
    ("文二路", "Wen'er Road", (), True, 12, 10, 62),
    ("文三路", "Wensan Road", (), True, 17, 20, 62),
    ("天目山路", "Tianmushan Road", (), True, 24, 0, 64),
    ("西溪路", "Xixi Road", (), True, 36, 10, 56),
    ("紫金港路", "Zijingang Road", (), False, 5, 0, 48),
    ("古墩路", "Gudun Road", (), False, 10, 0, 48),
    ("丰潭路", "Fengtan Road", (), False, 20, 0, 40),
    ("古翠路", "Gucui Road", (), False, 30, 0, 36),
    ("学院路", "Xueyuan Road", (), False, 41, 0, 48),
    ("黄姑山路", "Huangushan Road", (), False, 46, 17, 24),
    ("教工路", "Jiaogong Road", (), False, 51, 0, 36),
    ("保俶路", "Baochu Road", ("保俶北路",), False, 56, 8, 48),
    ("莫干山路", "Moganshan Road", (), False, 62, 0, 40),
)


def _clip(road: Road, cells: frozenset[Cell]) -> Road:
    """The road cut to its longest stretch with city on both sides."""
    best = (0, road.start, road.start)
    run_start: int | None = None
    for i in range(road.start, road.end + 1):
        inside = i < road.end and all(side in cells for side in road.sides(i))
        if inside and run_start is None:
            run_start = i
        elif not inside and run_start is not None:
            best = max(best, (i - run_start, run_start, i), key=lambda b: b[0])
            run_start = None
    if best[0] == 0:
        raise ValueError(f"road {road.name} lies outside the city")
    return Road(road.name, road.name_en, road.aliases, road.east_west, road.line, best[1], best[2])


def city_roads(cells: frozenset[Cell]) -> list[Road]:
    """The demo city's roads, east-west ones first (north to south), then north-south (west to east)."""
    roads = []
    for name, name_en, extra, east_west, line, start, end in _TABLE:
        aliases = (name.removesuffix("路"), *extra)
        roads.append(_clip(Road(name, name_en, aliases, east_west, line, start, end), cells))
    return roads


def road_edges(roads: Sequence[Road]) -> frozenset[Edge]:
    """Every pair of neighbouring cells that a road separates."""
    return frozenset(road.sides(i) for road in roads for i in range(road.start, road.end))


def road_by_name(roads: Sequence[Road], name: str) -> Road:
    """The road called `name`."""
    for road in roads:
        if road.name == name:
            return road
    raise KeyError(name)
