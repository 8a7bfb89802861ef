"""The demo city's dispatch rules and component owners, as rows that `cityloop.dispatch` imports.

The rules state what departments' responsibilities alone would not: illegal parking goes to
the traffic police at night and to urban management by day; a few everyday problems go to
the department that really handles them even where a broader responsibility would catch
them; and in 拱墅区, e-bike charging cables are the street office's job. Component owners map
the street lamps, manholes, litter bins and greening of both districts to their owners; in
拱墅区 the sanitation division maintains the greening under contract.
"""

from __future__ import annotations

from typing import Any

from cityloop.sim.democity.names import DISTRICTS
from cityloop.sim.democity.organisation import street_office_code

XIHU, GONGSHU = (suffix for suffix, *_ in DISTRICTS)


def _rule(name: str, department: str, note: str, **conditions: Any) -> dict[str, Any]:
    return {"name": name, "department": department, "conditions": conditions, "enabled": True, "note": note}


def demo_rules(city_code: str = "330100") -> list[dict[str, Any]]:
    """The demo city's rules in priority order (district and street codes follow `city_code`)."""
    gongshu = city_code[:4] + GONGSHU
    xihu_streets = len(DISTRICTS[0][3])
    return [
        _rule("夜间机动车乱停放", "JJ", "20:00 后城管不再上路，违停由交警夜巡处理",
              categories=["09009"], time={"start": "20:00", "end": "07:00"}),
        _rule("日间乱停放", "CG", "白天人行道和非机动车停放由城管执法",
              categories=["09009", "09010", "09011"]),
        _rule("占道经营与流动摊贩", "CG", "街面秩序类中最常见的几项，明确归城管",
              categories=["09001", "09005", "09006", "09021", "09022"]),
        _rule("垃圾与道路保洁", "HW", "含本市扩展的犬只粪便 06901",
              categories=["06010", "06011", "06012", "06014", "06041", "06042", "06901"]),
        _rule("道路破损与不明井盖", "SZ", "权属不明的井盖先由市政处置，再查权属",
              categories=["06013", "06048", "06049", "06050", "06051", "06052", "01022", "01023"]),
        _rule("树木与绿地", "YL", "古树名木、行道树、独立树及病虫害、伐树、毁绿",
              categories=["04001", "04002", "04003", "06021", "06022", "06045"]),
        *(
            _rule(f"拱墅区飞线充电（{n}）", street_office_code(xihu_streets + n), "由属地街道入户劝导",
                  categories=["09902"], streets=[f"{gongshu}{n:03d}"])
            for n in range(1, len(DISTRICTS[1][3]) + 1)
        ),
    ]  # fmt: skip


# (component code or major, owner)
_OWNED: tuple[tuple[str, str], ...] = (
    ("01001", "GPS"),  # 供水井盖
    ("01002", "GPS"),  # 污水井盖
    ("01003", "GPS"),  # 雨水井盖
    ("01011", "RQ"),  # 燃气井盖
    ("01037", "SZ"),  # 路灯
    ("01060", "SZ"),  # 路灯配电箱
    ("03005", "HW"),  # 垃圾箱
    ("04", "YL"),  # 园林绿化设施
)


def demo_component_owners(city_code: str = "330100") -> list[dict[str, Any]]:
    """Owners of the demo city's main components in both districts, by prefix."""
    rows: list[dict[str, Any]] = []
    for suffix in (XIHU, GONGSHU):
        district = city_code[:4] + suffix
        for code, owner in _OWNED:
            row: dict[str, Any] = {"prefix": f"{district}{code}", "owner": owner}
            if suffix == GONGSHU and code == "04":
                row["maintainer"] = "HW"
                row["note"] = "拱墅区绿化养护由环卫处承包"
            rows.append(row)
    return sorted(rows, key=lambda r: r["prefix"])
