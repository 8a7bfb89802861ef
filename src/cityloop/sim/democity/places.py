"""places.geojson of the demo city: its roads and points of interest near their intersections."""

from __future__ import annotations

from random import Random
from typing import Any

from cityloop.sim.democity.geometry import Layout
from cityloop.sim.democity.lattice import point
from cityloop.sim.democity.roads import Road, road_by_name

# name, English name, poi_kind, aliases, east-west road, north-south road, and the cell offset from
# their crossing: rows south (negative: north), columns east (negative: west); (0, 0) is the south-east corner.
_POIS: tuple[tuple[str, str, str, tuple[str, ...], str, str, int, int], ...] = (
    ("文三路农贸市场", "Wensan Road Farmers' Market", "market", ("文三路菜场",), "文三路", "教工路", -2, -3),
    ("翠苑农贸市场", "Cuiyuan Farmers' Market", "market", ("翠苑菜市场",), "文二路", "学院路", 2, -3),
    ("古荡农贸市场", "Gudang Farmers' Market", "market", ("古荡菜场",), "天目山路", "古翠路", -3, 2),
    ("蒋村农贸市场", "Jiangcun Farmers' Market", "market", (), "文一路", "紫金港路", 3, 1),
    ("文新农贸市场", "Wenxin Farmers' Market", "market", ("文新菜场",), "文二路", "丰潭路", 1, -2),
    ("和睦农贸市场", "Hemu Farmers' Market", "market", (), "余杭塘路", "莫干山路", -2, -3),
    ("学军中学", "Xuejun High School", "school", ("学军",), "文三路", "学院路", -2, 1),
    ("文三街小学", "Wensanjie Primary School", "school", ("文三街小",), "文三路", "黄姑山路", 1, 1),
    ("保俶塔实验学校", "Baochuta Experimental School", "school", ("保俶塔学校",), "天目山路", "保俶路", 2, 1),
    ("翠苑第一小学", "Cuiyuan No. 1 Primary School", "school", ("翠苑一小",), "文二路", "学院路", 1, -6),
    ("浙江大学西溪校区", "Zhejiang University Xixi Campus", "school", ("浙大西溪校区", "西溪校区"),
     "天目山路", "学院路", 3, 2),
    ("求是小学", "Qiushi Primary School", "school", (), "西溪路", "学院路", -3, -2),
    ("文新中学", "Wenxin Middle School", "school", (), "文一路", "丰潭路", 2, 2),
    ("地铁文三路站", "Wensan Road Metro Station", "station", ("文三路站", "文三路地铁站"), "文三路", "学院路", 0, 0),
    ("地铁学院路站", "Xueyuan Road Metro Station", "station", ("学院路站", "学院路地铁站"), "文一路", "学院路", 0, -1),
    ("地铁古翠路站", "Gucui Road Metro Station", "station", ("古翠路站",), "文一路", "古翠路", -1, 0),
    ("地铁丰潭路站", "Fengtan Road Metro Station", "station", ("丰潭路站",), "文一路", "丰潭路", 0, 0),
    ("地铁文新站", "Wenxin Metro Station", "station", ("文新站",), "文一路", "古墩路", -1, 1),
    ("地铁三坝站", "Sanba Metro Station", "station", ("三坝站",), "文一路", "紫金港路", -1, -1),
    ("地铁古荡站", "Gudang Metro Station", "station", ("古荡站",), "天目山路", "古翠路", 0, 0),
    ("学院路文三路口公交站", "Xueyuan–Wensan Road Bus Stop", "station", ("文三路学院路公交站",),
     "文三路", "学院路", -1, -1),
    ("浙江省立同德医院", "Tongde Hospital of Zhejiang Province", "hospital", ("同德医院",), "文三路", "古翠路", 2, -2),
    ("杭州市西溪医院", "Xixi Hospital", "hospital", ("西溪医院",), "西溪路", "古墩路", 2, 2),
    ("古荡街道社区卫生服务中心", "Gudang Community Health Centre", "hospital", ("古荡卫生服务中心",),
     "余杭塘路", "古翠路", 2, 2),
    ("翠苑街道社区卫生服务中心", "Cuiyuan Community Health Centre", "hospital", ("翠苑卫生服务中心",),
     "文二路", "教工路", 2, -2),
    ("文新街道社区卫生服务中心", "Wenxin Community Health Centre", "hospital", (), "余杭塘路", "丰潭路", 1, -2),
    ("西溪湿地公园", "Xixi Wetland Park", "park", ("西溪湿地",), "天目山路", "紫金港路", 4, -2),
    ("翠苑公园", "Cuiyuan Park", "park", (), "文三路", "学院路", -3, -5),
    ("文新公园", "Wenxin Park", "park", (), "文二路", "古墩路", 2, 3),
    ("古荡湾公园", "Gudangwan Park", "park", ("古荡湾",), "西溪路", "古翠路", -3, 3),
    ("黄龙公园", "Huanglong Park", "park", (), "天目山路", "教工路", 4, 1),
    ("丰潭公园", "Fengtan Park", "park", (), "西溪路", "丰潭路", 3, 1),
    ("地铁十号线学院路站施工工地", "Metro Line 10 Xueyuan Road Station Site", "construction", ("学院路地铁工地",),
     "文二路", "学院路", 0, 1),
    ("文一路隧道施工工地", "Wenyi Road Tunnel Site", "construction", ("文一路隧道工地",), "文一路", "教工路", 0, 2),
    ("古墩路综合管廊施工工地", "Gudun Road Utility Tunnel Site", "construction", (), "天目山路", "古墩路", 1, -1),
    ("天目山路道路改造工地", "Tianmushan Road Reconstruction Site", "construction", (), "天目山路", "丰潭路", -1, 3),
    ("翠苑一区", "Cuiyuan Residential Area 1", "residential", ("翠苑一区小区",), "文三路", "学院路", 2, -3),
    ("古荡新村", "Gudang New Village", "residential", (), "余杭塘路", "古翠路", -2, -3),
    ("嘉绿苑", "Jialüyuan Residences", "residential", ("嘉绿苑小区",), "天目山路", "古翠路", -2, -3),
    ("文鼎苑", "Wendingyuan Residences", "residential", (), "文二路", "丰潭路", -2, 2),
    ("桂花城", "Osmanthus Town", "residential", ("桂花城小区",), "文一路", "古墩路", 2, -3),
    ("德加公寓", "Dejia Apartments", "residential", (), "余杭塘路", "紫金港路", 2, 2),
    ("府苑新村", "Fuyuan New Village", "residential", (), "西溪路", "教工路", 2, -2),
    ("华星时代广场", "Huaxing Times Square", "office", ("华星时代",), "文三路", "教工路", 0, 1),
    ("东部软件园", "Eastcom Software Park", "office", ("东软园",), "文三路", "教工路", -1, 3),
    ("数源科技大厦", "Soyea Technology Building", "office", ("数源大厦",), "文二路", "教工路", -2, 1),
    ("浙大科技园", "Zhejiang University Science Park", "office", (), "天目山路", "学院路", -2, 3),
    ("颐高数码广场", "Yiigoo Digital Plaza", "mall", ("颐高数码",), "文三路", "教工路", 1, -1),
    ("西城广场", "West City Plaza", "mall", ("西城",), "文二路", "古墩路", -1, -2),
    ("印象城购物中心", "Impression City Mall", "mall", ("印象城",), "余杭塘路", "古墩路", 1, 1),
    ("物美大卖场文三店", "Wumart Hypermarket Wensan", "mall", ("物美",), "文三路", "学院路", 1, 3),
    ("万塘汇", "Wantanghui Mall", "mall", (), "天目山路", "保俶路", -2, -2),
)  # fmt: skip


def _crossings(road: Road, roads: tuple[Road, ...]) -> list[int]:
    """Positions along `road` (lattice lines) where another road crosses or ends on it."""
    found = {road.start, road.end}
    for other in roads:
        crosses = road.start <= other.line <= road.end and other.start <= road.line <= other.end
        if other.east_west != road.east_west and crosses:
            found.add(other.line)
    return sorted(found)


def road_feature(road: Road, roads: tuple[Road, ...]) -> dict[str, Any]:
    """A road as a LineString along its lattice line, with a vertex at every crossing."""
    positions = _crossings(road, roads)
    coords = [point(road.line, i) if road.east_west else point(i, road.line) for i in positions]
    return {
        "type": "Feature",
        "properties": {
            "kind": "road",
            "name": road.name,
            "name_en": road.name_en,
            "aliases": list(road.aliases),
        },
        "geometry": {"type": "LineString", "coordinates": coords},
    }


def place_features(layout: Layout, rng: Random) -> dict[str, Any]:
    """places.geojson: every road, then the points of interest, each strictly inside a unit grid."""
    features = [road_feature(road, layout.roads) for road in layout.roads]
    for name, name_en, kind, aliases, east_west, north_south, rows, cols in _POIS:
        cell = (
            road_by_name(layout.roads, east_west).line + rows,
            road_by_name(layout.roads, north_south).line + cols,
        )
        if cell not in layout.cells:
            raise ValueError(f"point of interest {name} falls outside the city at cell {cell}")
        where = point(cell[0] + rng.uniform(0.2, 0.8), cell[1] + rng.uniform(0.2, 0.8))
        properties = {
            "kind": "poi",
            "name": name,
            "name_en": name_en,
            "aliases": list(aliases),
            "poi_kind": kind,
        }
        features.append(
            {"type": "Feature", "properties": properties, "geometry": {"type": "Point", "coordinates": where}}
        )
    return {"type": "FeatureCollection", "features": features}
