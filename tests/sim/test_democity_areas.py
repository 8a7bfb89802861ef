"""The demo city's areas: counts, codes, numbering, exact tiling, valid rounded polygons."""

from __future__ import annotations

import pytest
from shapely import STRtree
from shapely.geometry import Point, Polygon
from shapely.ops import unary_union

from cityloop.sim.democity import DemoPack
from cityloop.sim.democity.pack import DEMO_PARAMETERS
from sim.helpers import SQ_M_PER_SQ_DEG, Areas

pytestmark = pytest.mark.slow

ONE_SQ_M = 1 / SQ_M_PER_SQ_DEG  # in square degrees


def test_city_and_counts(demo: DemoPack, areas: Areas) -> None:
    assert demo.city == {
        "code": "330100", "name_zh": "示范市", "name_en": "Demo City", "timezone": "Asia/Shanghai", "locale": "zh-CN",
        "parameters": DEMO_PARAMETERS,
    }  # fmt: skip
    assert DEMO_PARAMETERS["auto_dispatch"] is True
    assert list(areas.district) == ["330106", "330105"]
    assert [props["name"] for props, _ in areas.district.values()] == ["西湖区", "拱墅区"]
    assert len(areas.street) == 7
    assert len(areas.community) == 32
    assert len(areas.grid) == 2944
    levels = [feature["properties"]["level"] for feature in demo.areas["features"]]
    assert levels == sorted(levels, key=["district", "street", "community", "grid"].index)


def test_codes_are_well_formed_unique_and_under_their_parent(demo: DemoPack, areas: Areas) -> None:
    codes = [feature["properties"]["code"] for feature in demo.areas["features"]]
    assert len(codes) == len(set(codes))
    lengths = {"district": 6, "street": 9, "community": 12, "grid": 15}
    parent_level = {"street": "district", "community": "street", "grid": "community"}
    for level, length in lengths.items():
        for code in getattr(areas, level):
            assert code.isascii() and code.isdigit() and len(code) == length
            if level == "district":
                assert code.startswith("3301") and code != "330100"
            else:
                assert code[:-3] in getattr(areas, parent_level[level])
                assert code[-3:] != "000"
    assert [code[-3:] for code in areas.street if code.startswith("330106")] == [
        "001",
        "002",
        "003",
        "004",
        "005",
    ]
    assert [code[-3:] for code in areas.street if code.startswith("330105")] == ["001", "002"]


def test_names(areas: Areas) -> None:
    for props, _ in areas.street.values():
        assert props["name"].endswith("街道") and props["name_en"].endswith(" Subdistrict")
    classes = {}
    for code, (props, _) in areas.community.items():
        classes[code] = props["area_class"]
        suffix = "村" if props["area_class"] == "rural" else "社区"
        assert props["name"].endswith(suffix) and props["name_en"]
    assert sorted(classes.values()).count("rural") == 2
    assert {code for code, cls in classes.items() if cls == "rural"} <= {
        c for c in classes if c.startswith("330106001")
    }
    names = [props["name"] for props, _ in areas.community.values()]
    assert len(names) == len(set(names))


def test_anchor_point_is_strictly_inside_one_grid(areas: Areas) -> None:
    anchor = Point(120.13, 30.26)
    holding = [code for code, grid in areas.geometries("grid").items() if grid.intersects(anchor)]
    assert len(holding) == 1
    grid = areas.geometries("grid")[holding[0]]
    assert grid.contains(anchor)
    assert anchor.distance(grid.boundary) > 0.0004  # about half a cell from every edge


def test_grids_are_about_a_hectare(areas: Areas) -> None:
    sizes = [grid.area * SQ_M_PER_SQ_DEG for grid in areas.geometries("grid").values()]
    assert min(sizes) > 9950 and max(sizes) < 10050


def test_polygons_are_valid_closed_rounded_and_without_holes(demo: DemoPack) -> None:
    for feature in demo.areas["features"]:
        geometry = feature["geometry"]
        assert geometry["type"] == "Polygon"
        assert len(geometry["coordinates"]) == 1, feature["properties"]["code"]
        ring = geometry["coordinates"][0]
        assert ring[0] == ring[-1] and len(ring) >= 5
        assert all(round(x, 7) == x and round(y, 7) == y for x, y in ring)
        polygon = Polygon(ring)
        assert polygon.is_valid and polygon.exterior.is_ccw
        assert all(abs(x - 120.13) < 0.05 and abs(y - 30.26) < 0.05 for x, y in ring)


def test_grids_tile_every_community_exactly(areas: Areas) -> None:
    grids = areas.geometries("grid")
    for code, community in areas.geometries("community").items():
        own = [grid for grid_code, grid in grids.items() if grid_code.startswith(code)]
        union = unary_union(own)
        assert union.equals(community), code
        assert union.symmetric_difference(community).area < ONE_SQ_M
        assert sum(grid.area for grid in own) == pytest.approx(community.area, abs=ONE_SQ_M)


def test_no_two_grids_overlap(areas: Areas) -> None:
    grids = list(areas.geometries("grid").values())
    tree = STRtree(grids)
    pairs = tree.query(grids, predicate="intersects")
    overlaps = [
        (i, j) for i, j in zip(*pairs, strict=True) if i < j and grids[i].intersection(grids[j]).area > 0
    ]
    assert overlaps == []
    assert len(pairs[0]) > 8 * len(grids)  # neighbours share edges and corners: the check did run


def test_every_parent_is_the_union_of_its_children(areas: Areas) -> None:
    for parent_level, child_level in (("street", "community"), ("district", "street")):
        children = areas.geometries(child_level)
        for code, parent in areas.geometries(parent_level).items():
            union = unary_union(
                [child for child_code, child in children.items() if child_code.startswith(code)]
            )
            assert union.equals(parent), code


def test_grids_are_numbered_west_to_east_then_north_to_south(areas: Areas) -> None:
    grids = areas.geometries("grid")
    for code in areas.community:
        own = sorted((grid_code, grid) for grid_code, grid in grids.items() if grid_code.startswith(code))
        assert [grid_code[-3:] for grid_code, _ in own] == [f"{n:03d}" for n in range(1, len(own) + 1)]
        corners = [(-grid.bounds[3], grid.bounds[0]) for _, grid in own]  # (north edge descending, west edge)
        assert corners == sorted(corners)


def test_communities_are_not_all_rectangles(areas: Areas) -> None:
    vertices = [len(c.exterior.coords) - 1 for c in areas.geometries("community").values()]
    assert sum(1 for v in vertices if v > 4) >= len(vertices) * 3 // 4
    assert max(vertices) >= 12
