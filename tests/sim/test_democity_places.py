"""The demo city's places: roads on lattice lines that cross, points of interest inside grids."""

from __future__ import annotations

import pytest
from shapely import STRtree
from shapely.geometry import LineString, Point, shape
from shapely.ops import unary_union

from cityloop.sim.democity import DemoPack
from sim.helpers import Areas

pytestmark = pytest.mark.slow

POI_KINDS = {
    "market",
    "school",
    "station",
    "hospital",
    "park",
    "construction",
    "residential",
    "office",
    "mall",
}


def _roads(demo: DemoPack) -> dict[str, LineString]:
    return {
        f["properties"]["name"]: shape(f["geometry"])
        for f in demo.places["features"]
        if f["properties"]["kind"] == "road"
    }


def test_roads_are_named_straight_and_inside_the_city(demo: DemoPack, areas: Areas) -> None:
    roads = [f for f in demo.places["features"] if f["properties"]["kind"] == "road"]
    assert [f["properties"]["name"] for f in roads] == [
        "余杭塘路", "文一路", "文二路", "文三路", "天目山路", "西溪路",
        "紫金港路", "古墩路", "丰潭路", "古翠路", "学院路", "黄姑山路", "教工路", "保俶路", "莫干山路",
    ]  # fmt: skip
    wensan = next(f["properties"] for f in roads if f["properties"]["name"] == "文三路")
    assert wensan == {"kind": "road", "name": "文三路", "name_en": "Wensan Road", "aliases": ["文三"]}
    city = unary_union(list(areas.geometries("district").values()))
    east_west = north_south = 0
    for feature in roads:
        assert feature["geometry"]["type"] == "LineString"
        assert feature["properties"]["name_en"].endswith(" Road") and feature["properties"]["aliases"]
        coords = feature["geometry"]["coordinates"]
        if len({lat for _, lat in coords}) == 1:
            east_west += 1
        else:
            assert len({lon for lon, _ in coords}) == 1, feature["properties"]["name"]
            north_south += 1
        line = shape(feature["geometry"])
        assert line.length > 0.005 and line.covered_by(city)
    assert (east_west, north_south) == (6, 9)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("文三路", "学院路"),
        ("文三路", "教工路"),
        ("天目山路", "古墩路"),
        ("文一路", "莫干山路"),
        ("文三路", "黄姑山路"),
    ],
)
def test_roads_intersect(demo: DemoPack, areas: Areas, first: str, second: str) -> None:
    roads = _roads(demo)
    crossing = roads[first].intersection(roads[second])
    assert crossing.geom_type == "Point"
    assert unary_union(list(areas.geometries("district").values())).covers(crossing)


def test_road_vertices_include_every_crossing(demo: DemoPack) -> None:
    roads = _roads(demo)
    for name, road in roads.items():
        vertices = {tuple(c) for c in road.coords}
        for other in roads.values():
            crossing = road.intersection(other)
            if other is not road and crossing.geom_type == "Point":
                assert (crossing.x, crossing.y) in vertices, name


def test_points_of_interest_lie_strictly_inside_a_grid(demo: DemoPack, areas: Areas) -> None:
    pois = [f for f in demo.places["features"] if f["properties"]["kind"] == "poi"]
    assert len(pois) == 52
    assert {f["properties"]["poi_kind"] for f in pois} == POI_KINDS
    names = [f["properties"]["name"] for f in pois]
    assert len(names) == len(set(names))
    assert {"文三路农贸市场", "学军中学", "地铁文三路站"} <= set(names)
    grids = list(areas.geometries("grid").values())
    tree = STRtree(grids)
    for feature in pois:
        assert feature["geometry"]["type"] == "Point"
        assert feature["properties"]["name_en"] and isinstance(feature["properties"]["aliases"], list)
        where = Point(feature["geometry"]["coordinates"])
        holding = tree.query(where, predicate="within")  # grids holding the point in their interior
        assert len(holding) == 1, feature["properties"]["name"]
        assert where.distance(grids[holding[0]].boundary) > 0.0001
    with_aliases = [f for f in pois if f["properties"]["aliases"]]
    assert len(with_aliases) >= 30
    station = next(f["properties"] for f in pois if f["properties"]["name"] == "地铁文三路站")
    assert station["aliases"] == ["文三路站", "文三路地铁站"] and station["poi_kind"] == "station"
