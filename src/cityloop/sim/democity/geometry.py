"""The demo city's areas: districts, streets, communities and unit grids on one lattice.

Every unit grid is a lattice cell; a community is a simple region of cells, a street a union
of communities, a district a union of streets. Streets are cut along roads where possible.
"""

from __future__ import annotations

from dataclasses import dataclass
from random import Random
from typing import Any

from cityloop.sim.democity.blobs import Edge, city_blocks, is_simple, jitter, partition
from cityloop.sim.democity.lattice import Cell, cell_geometry, centroid, city_cells, union_geometry
from cityloop.sim.democity.names import DISTRICTS, STREETS_EN, VILLAGES, community_names
from cityloop.sim.democity.roads import Road, city_roads, road_edges

GRIDS_PER_COMMUNITY = 95  # aim: about 1 km² per community
RURAL_COMMUNITIES = 2
# Extra cost of growing a region across a road: streets keep to roads, communities mostly do.
STREET_ROAD_PENALTY = 8.0
COMMUNITY_ROAD_PENALTY = 2.5


@dataclass(frozen=True)
class Community:
    code: str
    name: str
    name_en: str
    area_class: str
    cells: tuple[Cell, ...]  # north to south, then west to east: the order of the grid numbers

    @property
    def grids(self) -> list[tuple[str, Cell]]:
        """(15-digit grid code, cell) of every unit grid, numbered 001… west→east, north→south."""
        return [(f"{self.code}{i:03d}", cell) for i, cell in enumerate(self.cells, start=1)]


@dataclass(frozen=True)
class Street:
    code: str
    name: str
    name_en: str
    communities: tuple[Community, ...]

    @property
    def cells(self) -> frozenset[Cell]:
        return frozenset(cell for community in self.communities for cell in community.cells)


@dataclass(frozen=True)
class District:
    code: str
    name: str
    name_en: str
    streets: tuple[Street, ...]

    @property
    def cells(self) -> frozenset[Cell]:
        return frozenset(cell for street in self.streets for cell in street.cells)


@dataclass(frozen=True)
class Layout:
    """The whole area tree of the demo city, plus its roads."""

    cells: frozenset[Cell]
    roads: tuple[Road, ...]
    districts: tuple[District, ...]

    @property
    def streets(self) -> list[Street]:
        return [street for district in self.districts for street in district.streets]

    @property
    def communities(self) -> list[Community]:
        return [community for street in self.streets for community in street.communities]


def _in_gongshu(cell: Cell) -> bool:
    """The north-east corner, north of 文二路 east of 学院路 and north of 天目山路 east of 教工路."""
    r, c = cell
    return (c >= 41 and r < 12) or (c >= 51 and r < 24)


def _reading_order(region: frozenset[Cell] | set[Cell]) -> tuple[int, float]:
    """Sort key: bands of 8 rows from the north, then west to east."""
    row, col = centroid(region)
    return int(row // 8), col


def _communities(
    street_code: str,
    street: str,
    blocks: list[frozenset[Cell]],
    rural: bool,
    rng: Random,
    edges: frozenset[Edge],
) -> tuple[Community, ...]:
    """Cut a street into communities, numbered in reading order; on the rural edge the westernmost are villages."""
    size = sum(len(b) for b in blocks)
    names = community_names(street)
    count = max(3, min(len(names), round(size / GRIDS_PER_COMMUNITY)))
    cut = [
        set(part) for part in partition(blocks, count, rng, roads=edges, road_penalty=COMMUNITY_ROAD_PENALTY)
    ]
    jitter(cut, rng, moves=2 * count, min_size=size // (2 * count))
    cut.sort(key=_reading_order)
    westernmost = sorted(range(len(cut)), key=lambda i: centroid(cut[i])[1])
    villages = set(westernmost[:RURAL_COMMUNITIES]) if rural else set()
    urban_names, village_names = iter(names), iter(VILLAGES)
    communities = []
    for i, part in enumerate(cut):
        name, name_en = next(village_names) if i in villages else next(urban_names)
        area_class = "rural" if i in villages else "urban"
        communities.append(
            Community(f"{street_code}{i + 1:03d}", name, name_en, area_class, tuple(sorted(part)))
        )
    return tuple(communities)


def build_layout(city_code: str, rng: Random) -> Layout:
    """Cut the city's lattice into districts, streets and communities (deterministic for a given `rng`)."""
    cells = city_cells()
    roads = city_roads(cells)
    edges = road_edges(roads)
    blocks = city_blocks(cells)
    districts = []
    for index, (suffix, name, name_en, street_names) in enumerate(DISTRICTS):
        in_district = [b for b in blocks if _in_gongshu(min(b)) == (index == 1)]
        if any(_in_gongshu(cell) != (index == 1) for b in in_district for cell in b):
            raise ValueError(f"a city block straddles the border of {name}")
        district_code = city_code[:4] + suffix
        parts = partition(in_district, len(street_names), rng, roads=edges, road_penalty=STREET_ROAD_PENALTY)
        parts = sorted(parts, key=lambda part: centroid(part)[1])
        streets = []
        for k, (part, street) in enumerate(zip(parts, street_names, strict=True), start=1):
            street_code = f"{district_code}{k:03d}"
            street_blocks = [b for b in in_district if b <= part]
            rural = index == 0 and k == 1
            communities = _communities(street_code, street, street_blocks, rural, rng, edges)
            streets.append(
                Street(street_code, f"{street}街道", f"{STREETS_EN[street]} Subdistrict", communities)
            )
        districts.append(District(district_code, name, name_en, tuple(streets)))
    layout = Layout(cells, tuple(roads), tuple(districts))
    regions: list[District | Street] = [*layout.districts, *layout.streets]
    for region in regions:
        if not is_simple(region.cells):
            raise ValueError(f"{region.name} is not one polygon without holes")
    return layout


def _area_feature(level: str, area: District | Street | Community, area_class: str) -> dict[str, Any]:
    properties = {
        "level": level,
        "code": area.code,
        "name": area.name,
        "name_en": area.name_en,
        "area_class": area_class,
    }
    return {"type": "Feature", "properties": properties, "geometry": union_geometry(area.cells)}


def area_features(layout: Layout) -> dict[str, Any]:
    """areas.geojson: districts, streets, communities, then unit grids."""
    features = [_area_feature("district", d, "urban") for d in layout.districts]
    features += [_area_feature("street", s, "urban") for s in layout.streets]
    features += [_area_feature("community", c, c.area_class) for c in layout.communities]
    features += [
        {"type": "Feature", "properties": {"level": "grid", "code": code}, "geometry": cell_geometry(cell)}
        for c in layout.communities
        for code, cell in c.grids
    ]
    return {"type": "FeatureCollection", "features": features}
