"""Address text → point on a small gazetteer built in memory (no database)."""

from __future__ import annotations

import pytest

from cityloop.triage.locate import AreaEntry, Gazetteer, LocateResult, PoiEntry, RoadEntry, locate_text
from cityloop.triage.locate.parse import canonical, residual_chunks

WENSAN = RoadEntry("文三路", ((120.10, 30.28), (120.16, 30.28)), "Wensan Road", ("文三",), numbers=(1, 601))
XUEYUAN = RoadEntry("学院路", ((120.13, 30.26), (120.13, 30.30)), "Xueyuan Road")
WENER = RoadEntry("文二路", ((120.10, 30.29), (120.16, 30.29)), "Wen'er Road")
JIAOGONG = RoadEntry("教工路", ((120.15, 30.28), (120.15, 30.30)), "Jiaogong Road")  # ends on 文三路
# Drawn 0.0001° short of 文二路: still meets it (MEET_TOLERANCE).
HUANGGU = RoadEntry("黄姑山路", ((120.14, 30.2899), (120.14, 30.27)), "Huangushan Road")
MARKET = PoiEntry("文三路农贸市场", 120.145, 30.281, "Wensan Road Farmers' Market", ("文三路菜场",), "market")
STATION = PoiEntry("地铁文三路站", 120.1301, 30.2799, "Wensan Road Metro Station", ("文三路站",), "station")
AREAS = (
    AreaEntry("district", "330106", "西湖区", 120.12, 30.27, "Xihu District"),
    AreaEntry("street", "330106001", "翠苑街道", 120.125, 30.275, "Cuiyuan Subdistrict"),
    AreaEntry("community", "330106001001", "翠苑一区社区", 120.126, 30.276, "Cuiyuan Yiqu Community"),
)


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer(
        roads=(WENSAN, XUEYUAN, WENER, JIAOGONG, HUANGGU),
        pois=(MARKET, STATION),
        areas=AREAS,
        city_names=("示范市", "Demo City"),
    )


def where(result: LocateResult | None) -> tuple[str, str, float, float, float]:
    assert result is not None
    return (result.kind, result.name, result.lon, result.lat, result.confidence)


def test_intersections_are_computed_from_road_geometry(gaz: Gazetteer) -> None:
    assert gaz.intersections == {
        (0, 1): (120.13, 30.28),  # 文三路 × 学院路: crossing
        (0, 3): (120.15, 30.28),  # 文三路 × 教工路: T-junction
        (0, 4): (120.14, 30.28),  # 文三路 × 黄姑山路
        (1, 2): (120.13, 30.29),  # 学院路 × 文二路
        (2, 3): (120.15, 30.29),  # 文二路 × 教工路
        (2, 4): (120.14, 30.28995),  # 文二路 × 黄姑山路: 11 m apart, met in the middle
    }
    assert gaz.crossing(1, 0) == (120.13, 30.28)
    assert gaz.crossing(0, 2) is None  # parallel roads


@pytest.mark.parametrize(
    "text",
    [
        "文三路与学院路交叉口",
        "文三路学院路口",
        "文三路和学院路",
        "Wensan Rd & Xueyuan Rd",
        "wensan road and xueyuan rd.",
    ],
)
def test_intersections(gaz: Gazetteer, text: str) -> None:
    assert where(locate_text(gaz, text)) == ("intersection", "文三路与学院路交叉口", 120.13, 30.28, 0.9)


def test_intersection_reason_names_the_roads_and_how_they_were_read(gaz: Gazetteer) -> None:
    found = locate_text(gaz, "Wensan Rd & Xueyuan Rd intersection")
    assert found is not None
    assert found.reason == (
        "intersection of 文三路 (as name_en 'wensan road') and 学院路 (as name_en 'xueyuan road'); "
        "modifier intersection"
    )
    assert found.matched == ("文三路", "学院路")
    assert found.confidence == 0.9  # "intersection" is expected there, not a loss of precision


def test_pois_with_prefixes_modifiers_and_aliases(gaz: Gazetteer) -> None:
    assert where(locate_text(gaz, "杭州市西湖区文三路农贸市场旁边")) == (
        "poi",
        "文三路农贸市场",
        120.145,
        30.281,
        0.902,  # 0.95 × 0.95 for 旁边
    )
    assert where(locate_text(gaz, "文三路菜场")) == ("poi", "文三路农贸市场", 120.145, 30.281, 0.902)
    assert where(locate_text(gaz, "near Wensan Road Metro Station")) == (
        "poi",
        "地铁文三路站",
        120.1301,
        30.2799,
        0.902,
    )
    found = locate_text(gaz, "地铁文三路站对面")
    assert found is not None and found.modifiers == ("对面",)


def test_full_width_text_is_folded(gaz: Gazetteer) -> None:
    assert where(locate_text(gaz, "文三路　１２１号")) == ("road_number", "文三路121号", 120.112, 30.28, 0.85)


def test_house_number_along_a_road_with_a_range(gaz: Gazetteer) -> None:
    # 文三路 has numbers 1–601 from its west end: 301 is the middle, 601 the east end.
    assert where(locate_text(gaz, "文三路301号")) == ("road_number", "文三路301号", 120.13, 30.28, 0.85)
    assert where(locate_text(gaz, "601 Wensan Rd")) == ("road_number", "文三路601号", 120.16, 30.28, 0.85)


def test_house_number_on_a_road_without_range_is_its_middle(gaz: Gazetteer) -> None:
    found = locate_text(gaz, "学院路 88 号")
    assert where(found) == ("road_number", "学院路88号", 120.13, 30.28, 0.6)
    assert found is not None and found.reason == "number 88 on 学院路, which has no number range: its middle"


def test_roads_and_areas(gaz: Gazetteer) -> None:
    assert where(locate_text(gaz, "学院路")) == ("road", "学院路", 120.13, 30.28, 0.5)
    assert where(locate_text(gaz, "示范市 Xueyuan Road")) == ("road", "学院路", 120.13, 30.28, 0.5)
    assert where(locate_text(gaz, "翠苑一区")) == ("community", "翠苑一区社区", 120.126, 30.276, 0.54)
    assert where(locate_text(gaz, "翠苑街道")) == ("street", "翠苑街道", 120.125, 30.275, 0.35)
    assert where(locate_text(gaz, "Xihu District")) == ("district", "西湖区", 120.12, 30.27, 0.2)


def test_roads_that_do_not_meet_give_the_first_road(gaz: Gazetteer) -> None:
    found = locate_text(gaz, "文三路与文二路之间")
    assert where(found) == ("road", "文三路", 120.13, 30.28, 0.4)
    assert found is not None and found.reason == "middle of 文三路 (roads 文三路, 文二路 do not meet)"


def test_small_typos(gaz: Gazetteer) -> None:
    found = locate_text(gaz, "文三路与学阮路交叉口")
    assert where(found) == ("intersection", "文三路与学院路交叉口", 120.13, 30.28, 0.72)
    assert found is not None and found.reason == (
        "intersection of 文三路 and 学院路 (misspelt '学阮路'); modifier 交叉口"
    )
    assert where(locate_text(gaz, "文三路农贸市常")) == ("poi", "文三路农贸市场", 120.145, 30.281, 0.76)
    assert where(locate_text(gaz, "Xueyaun Road")) == ("road", "学院路", 120.13, 30.28, 0.4)


def test_ambiguous_typo_and_nonsense_give_none(gaz: Gazetteer) -> None:
    assert locate_text(gaz, "文四路") is None  # one edit from 文三路 and from 文二路
    assert locate_text(gaz, "今天天气很好") is None
    assert locate_text(gaz, "hello world") is None
    assert locate_text(gaz, "12345") is None
    assert locate_text(gaz, "   ") is None


def test_empty_gazetteer_locates_nothing() -> None:
    assert locate_text(Gazetteer(), "文三路与学院路交叉口") is None


def test_parsing_helpers() -> None:
    assert canonical("Ｗｅｎ’er Rd., No.5") == "wener road no 5"
    assert residual_chunks("浙江省杭州市西湖区农贸市常附近") == [("农贸市常", "浙江省杭州市西湖区农贸市常")]
    assert residual_chunks("农贸市常") == [("农贸市常",)]  # "农贸市" + 1 character is too short for a name
    assert residual_chunks("hangzhou wensan raod 5号") == [("wensan raod",)]


def test_result_as_dict(gaz: Gazetteer) -> None:
    found = locate_text(gaz, "学院路")
    assert found is not None
    assert found.as_dict() == {
        "kind": "road",
        "name": "学院路",
        "lon": 120.13,
        "lat": 30.28,
        "confidence": 0.5,
        "reason": "middle of 学院路",
        "matched": ["学院路"],
        "modifiers": [],
    }
