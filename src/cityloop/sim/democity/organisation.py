"""Departments of the demo city and what each handles, in GB/T 47678.5-2026 categories.

Professional departments own components (部件) and matters (事项) by exact 5-digit code or by
major; every street office is the territorial fallback for everything in its own street.
"""

from __future__ import annotations

import copy
from typing import Any

from cityloop.sim.democity.geometry import Layout

STANDARD = "GB/T 47678.5-2026"
ALL_MAJORS = ("01", "02", "03", "04", "05", "06", "07", "08", "09", "10")


def _codes(text: str) -> list[str]:
    return text.split()


def _duty(categories: list[str], kind: str | None, areas: list[str] | None = None) -> dict[str, Any]:
    return {"categories": categories, "standard": STANDARD, "kind": kind, "areas": areas or []}


def _both(components: str, extra_matters: str = "") -> list[dict[str, Any]]:
    """A department that owns these components and therefore their abnormal-component matters, plus more matters."""
    return [
        _duty(_codes(components), "component"),
        _duty(_codes(components) + _codes(extra_matters), "matter"),
    ]


# Components, with the matter of the same code ("… 异常") handled by the same department.
_SANITATION = "03001 03002 03003 03004 03005 03014 03015 03016"
_SANITATION_MATTERS = (
    "06010 06011 06012 06014 06015 06020 06025 06032 06033 06035 06036 06037 06041 06042 10001"
)
_MUNICIPAL = (
    "01006 01026 01037 01038 01039 01060 01077 02006 02007 02008 02009 02012 02013 02017 02020 02021 "
    "02024 02034 02043 02044"
)
_MUNICIPAL_MATTERS = "06013 06023 06048 06049 06050 06051 06052"
_TRAFFIC = "01015 01050 02010 02011 02014 02015 02016 02018 02019 02022 02023 02033"
_TRAFFIC_MATTERS = "06016 09009 09018"
_WATER = "01001 01002 01003 01004 01018 01019 01024 01025 01063 01068 01072 01073"
_GAS = "01011 01021 01036 01049 01057"
_ENFORCEMENT_COMPONENTS = "01040 01044 02001 02003 03006 03007 03008"
_ENFORCEMENT_MATTERS = (
    "06001 06002 06003 06004 06005 06006 06007 06008 06009 06019 06027 06028 06029 06034 06038 06039 "
    "06040 06043 06044"
)
_GREENING_MATTERS = "01014 06017 06018 06021 06022 06045 06047"

# code, Chinese name without the city, English name, kind, parent, responsibilities
_DEPARTMENTS: tuple[tuple[str, str, str, str, str | None, list[dict[str, Any]]], ...] = (
    ("CG", "城市管理局", "Urban Management Bureau", "professional", None, [
        _duty(["07", "08", "09"], "matter"),
        *_both(_ENFORCEMENT_COMPONENTS, _ENFORCEMENT_MATTERS),
    ]),
    ("ZX", "城市运行管理中心", "City Operation Management Centre", "centre", None, []),
    ("HW", "环境卫生管理处", "Environmental Sanitation Division", "professional", "CG",
     _both(_SANITATION, _SANITATION_MATTERS)),
    ("SZ", "市政工程管理处", "Municipal Engineering Division", "professional", "CG",
     _both(_MUNICIPAL, _MUNICIPAL_MATTERS)),
    ("YL", "园林绿化管理处", "Landscaping and Greening Division", "professional", "CG", [
        _duty(["04", "01014"], "component"),
        _duty(["04", *_codes(_GREENING_MATTERS)], "matter"),
    ]),
    ("JJ", "交警大队", "Traffic Police Brigade", "professional", None, _both(_TRAFFIC, _TRAFFIC_MATTERS)),
    ("GPS", "供排水集团", "Water Supply and Drainage Group", "professional", None, _both(_WATER, "06030")),
    ("RQ", "燃气集团", "Gas Group", "professional", None, _both(_GAS)),
)  # fmt: skip

# What the field workers of each department are trained for (street offices: DEFAULT_SKILLS).
SKILLS = {
    "CG": ("enforcement", "advertising"),
    "HW": ("sanitation",),
    "SZ": ("road", "lighting", "drainage"),
    "YL": ("greening",),
    "JJ": ("traffic",),
    "GPS": ("drainage",),
    "RQ": ("gas",),
}
STREET_OFFICE_SKILLS = ("enforcement", "sanitation", "greening", "road")


def street_office_code(index: int) -> str:
    """The department code of the street office of the `index`-th street (1-based)."""
    return f"JD{index:03d}"


def departments(layout: Layout, city_name: str) -> list[dict[str, Any]]:
    """departments.yaml: the professional departments, the centre, then one street office per street."""
    found: list[dict[str, Any]] = []
    for n, (code, name, name_en, kind, parent, duties) in enumerate(_DEPARTMENTS, start=1):
        found.append({
            "code": code, "name_zh": f"{city_name}{name}", "name_en": name_en, "kind": kind, "parent": parent,
            "street": None, "phone": f"0571-8880{n:04d}", "responsibilities": copy.deepcopy(duties),
        })  # fmt: skip
    for n, street in enumerate(layout.streets, start=1):
        found.append({
            "code": street_office_code(n), "name_zh": f"{street.name}办事处",
            "name_en": f"{street.name_en} Office", "kind": "street_office", "parent": None,
            "street": street.code, "phone": f"0571-8881{n:04d}",
            "responsibilities": [_duty(list(ALL_MAJORS), None, [street.code])],
        })  # fmt: skip
    return found
