"""Legacy → GB/T 47678.5-2026 crosswalk, on the real packaged rows."""

from __future__ import annotations

from cityloop.taxonomy import crosswalk
from cityloop.taxonomy.crosswalk import RULE_MAJOR_PLUS_5, RULE_SAME_NAME, normalise_name
from cityloop.taxonomy.loader import rows_2026, rows_legacy

# Fourteen legacy → 2026 pairs, each checked by hand against the two CSVs (names agree).
EXAMPLES = [
    ("matter", "0101", "私搭乱建", "06001", RULE_MAJOR_PLUS_5),
    ("matter", "0201", "非法小广告", "07001", RULE_MAJOR_PLUS_5),
    ("matter", "0301", "施工扰民", "08001", RULE_MAJOR_PLUS_5),
    ("matter", "0501", "无照经营游商", "09001", RULE_SAME_NAME),
    ("matter", "0102", "暴露垃圾", "06010", RULE_SAME_NAME),
    ("matter", "0104", "道路不洁", "06012", RULE_SAME_NAME),
    ("matter", "0302", "工地扬尘", "08004", RULE_SAME_NAME),
    ("matter", "0407", "道路积雪结冰", "10001", RULE_SAME_NAME),
    ("matter", "0510", "露天烧烤", "06029", RULE_SAME_NAME),
    ("component", "0102", "污水井盖", "01002", RULE_SAME_NAME),
    ("component", "0116", "电力设施", "01028", RULE_SAME_NAME),
    ("component", "0134", "变压器(箱)", "01048", RULE_SAME_NAME),
    ("component", "0405", "绿地", "04013", RULE_SAME_NAME),
    ("component", "0501", "宣传栏", "03008", RULE_SAME_NAME),
]


def test_the_fourteen_checked_pairs_agree() -> None:
    walk = crosswalk()
    names_2026: dict[tuple[str, str], str] = {(r.kind, r.code): r.name for r in rows_2026()}
    for kind, legacy_code, legacy_name, code, rule in EXAMPLES:
        pair = walk.forward(kind, legacy_code)
        assert pair is not None, legacy_code
        assert (pair.legacy_name, pair.code, pair.rule) == (legacy_name, code, rule)
        assert normalise_name(names_2026[(kind, code)]) == normalise_name(legacy_name)


def test_counts_and_every_legacy_row_appears_once() -> None:
    walk = crosswalk()
    assert walk.counts() == {RULE_MAJOR_PLUS_5: 3, RULE_SAME_NAME: 83, "unmapped": 48}
    keys = [(p.kind, p.legacy_code) for p in walk.mapped] + [(u.kind, u.legacy_code) for u in walk.unmapped]
    assert sorted(keys) == sorted((r.kind, r.code) for r in rows_legacy())
    assert sum(1 for p in walk.mapped if p.kind == "component") == 60


def test_major_plus_5_holds_only_where_names_agree() -> None:
    walk = crosswalk()
    assert [(p.legacy_code, p.code) for p in walk.mapped if p.rule == RULE_MAJOR_PLUS_5] == [
        ("0101", "06001"),
        ("0201", "07001"),
        ("0301", "08001"),
    ]


def test_a_name_mismatch_under_major_plus_5_is_flagged() -> None:
    pair = crosswalk().forward("matter", "0102")
    assert pair is not None
    assert (pair.code, pair.rule, pair.note) == (
        "06010",
        RULE_SAME_NAME,
        "major_plus_5 gives 06002 店面无证装修, a different name",
    )
    moved = crosswalk().forward("matter", "0505")
    assert moved is not None
    assert (moved.code, moved.note) == ("09009", "major_plus_5 gives 10005, which is not in the 2026 table")


def test_components_map_by_name_only_never_by_code() -> None:
    walk = crosswalk()
    assert all(p.rule == RULE_SAME_NAME and p.note is None for p in walk.mapped if p.kind == "component")
    # 0101 上水井盖 would be 01001 供水井盖 by position; only the name counts, so it stays unmapped.
    assert walk.forward("component", "0101") is None
    assert walk.reason("component", "0101") == "no 2026 component has the same name"
    assert walk.forward("component", "0107") is None  # 通讯井盖 ≠ 通信井盖


def test_unmapped_matters_say_why() -> None:
    walk = crosswalk()
    assert walk.forward("matter", "0401") is None
    assert walk.reason("matter", "0401") == (
        "major_plus_5 gives 09001 无照经营游商, a different name; no 2026 matter has the same name"
    )
    assert walk.reason("matter", "0199") == (
        "major_plus_5 gives 06099, which is not in the 2026 table; no 2026 matter has the same name"
    )
    assert walk.reason("matter", "0101") is None


def test_backward_lookup() -> None:
    walk = crosswalk()
    assert [(p.kind, p.legacy_code) for p in walk.backward("matter", "09001")] == [("matter", "0501")]
    assert walk.backward("matter", "06002") == ()


def test_name_normalisation_folds_width_and_list_separators_only() -> None:
    assert normalise_name("输油(气)井盖") == normalise_name("输油（气）井盖")
    assert normalise_name("道路积雪结冰") == normalise_name("道路积雪、结冰")
    assert normalise_name("焚烧树叶，垃圾") != normalise_name("焚烧垃圾、树叶")


def test_crosswalk_is_cached() -> None:
    assert crosswalk() is crosswalk()
