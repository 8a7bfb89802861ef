"""The demo city's gazetteer, read from `geo` after importing the generated pack, on a check set."""

from __future__ import annotations

from sqlalchemy.orm import Session

from cityloop.flows.citypack import do_import_pack
from cityloop.geo import point_in_city
from cityloop.sim.democity import build_demo_pack
from cityloop.triage.locate import Gazetteer, locate_text

CITY = "330100"

# Address strings as citizens and operators write them, with the kind they should be read as.
CHECK_SET = (
    ("文三路与学院路交叉口", "intersection"),
    ("文三路学院路口", "intersection"),
    ("文三路和教工路交叉口", "intersection"),
    ("学院路与文一路路口", "intersection"),
    ("浙江省杭州市西湖区古翠路与文一路交叉口东北角", "intersection"),
    ("西湖区文三路学院路口往东50米", "intersection"),
    ("Wensan Rd and Xueyuan Rd", "intersection"),
    ("Tianmushan Road & Gucui Road", "intersection"),
    ("corner of Wen'er Rd and Jiaogong Rd", "intersection"),
    ("Xueyuan Rd / Wenyi Rd intersection", "intersection"),
    ("文三璐与学院路", "intersection"),
    ("丰谭路与文二路交叉口", "intersection"),
    ("Jiaogong Raod & Wensan Rd", "intersection"),
    ("地铁文三路站附近", "poi"),
    ("杭州市西湖区文三路农贸市场旁边", "poi"),
    ("文三路菜场门口", "poi"),
    ("文三路农贸市常", "poi"),
    ("学军中学对面", "poi"),
    ("浙大西溪校区东侧", "poi"),
    ("西溪湿地", "poi"),
    ("同德医院北门", "poi"),
    ("印象城购物中心停车场出口", "poi"),
    ("学院路地铁站B口", "poi"),
    ("Xixi Wetland Park", "poi"),
    ("near Wensan Road Metro Station", "poi"),
    ("Huaxing Times Sq", "poi"),
    ("Wenxin Metro Stn", "poi"),
    ("古荡菜场附近", "poi"),
    ("文三路478号", "road_number"),
    ("教工路 88 号", "road_number"),
    ("478 Wensan Rd", "road_number"),
    ("保俶北路100号", "road_number"),
    ("学院路", "road"),
    ("示范市文二路", "road"),
    ("Tianmushan Rd", "road"),
    ("丰潭路旁边", "road"),
    ("文一西路", "road"),
    ("蒋村花园社区", "community"),
    ("翠苑二区", "community"),
    ("古荡街道", "street"),
    ("西湖区", "district"),
    ("Gongshu District", "district"),
    ("今天天气很好", None),
    ("hello world", None),
    ("文四路", None),
)


def test_demo_city_addresses(session: Session) -> None:
    do_import_pack(session, build_demo_pack(CITY).to_city_pack(), password="demo-password")
    gazetteer = Gazetteer.from_session(session, CITY)
    assert Gazetteer.from_session(session, CITY) is gazetteer  # cached per geo revision
    assert (len(gazetteer.roads), len(gazetteer.pois), len(gazetteer.intersections)) == (15, 52, 44)

    required = {
        "文三路与学院路交叉口": ("intersection", "文三路与学院路交叉口"),
        "地铁文三路站附近": ("poi", "地铁文三路站"),
        "学院路": ("road", "学院路"),
        "Wensan Rd and Xueyuan Rd": ("intersection", "文三路与学院路交叉口"),
        "杭州市西湖区文三路农贸市场旁边": ("poi", "文三路农贸市场"),
        "文三璐与学院路": ("intersection", "文三路与学院路交叉口"),
    }
    for text, (kind, name) in required.items():
        found = locate_text(gazetteer, text)
        assert found is not None, text
        assert (found.kind, found.name) == (kind, name), text
        assert point_in_city(session, CITY, found.lon, found.lat), text
    assert locate_text(gazetteer, "asdf qwerty 无意义的文字") is None

    hits = 0
    for text, kind in CHECK_SET:
        found = locate_text(gazetteer, text)
        got = found.kind if found else None
        hits += got == kind
        if found is not None:
            assert point_in_city(session, CITY, found.lon, found.lat), text
    assert (hits, len(CHECK_SET)) == (45, 45)
