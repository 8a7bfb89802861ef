"""Boston 311 request types → GB/T 47678.5-2026 matter codes, and where each matter happens.

The mapping is by meaning, one type at a time: a Boston type maps to the matter that names the
same problem in the national table (Street Light Outages → 01037 路灯异常; Space Savers, the
chairs Bostonians put out to keep a parking space, → 06040 私设地锁、阻车桩). Types that are not
a street problem of urban management (housing, food safety, enquiries, requests for new
things, internal work orders) or that have no matter of their own are left out; the
scenario draws only mapped types, re-weighted among themselves (the calibration reports the share of the
Boston volume they cover as `mapped_share`).

`HOT_SPOTS` says where each matter tends to happen: with probability `share` near a point of
interest of the given kinds (weights), otherwise anywhere in the city (a uniform background).
"""

from __future__ import annotations

from dataclasses import dataclass

#: Boston type → (matter code, why). Only types we can map by meaning.
BOSTON_TO_GBT: dict[str, tuple[str, str]] = {
    "Street Light Outages": ("01037", "street lamp out → 路灯异常"),
    "Street Light Knock Downs": ("01037", "lamp post knocked down → 路灯异常"),
    "Knockdown Replacement": ("01037", "replacing a knocked-down lamp post → 路灯异常"),
    "Pothole Repair (Internal)": ("06013", "pothole → 道路破损"),
    "BWSC Pothole": ("06013", "pothole left by water works → 道路破损"),
    "Roadway Repair": ("06013", "damaged roadway → 道路破损"),
    "Sidewalk Repair (Make Safe)": ("06013", "broken pavement (人行道破损 is part of 道路破损)"),
    "Sidewalk Repair": ("06013", "broken pavement → 道路破损"),
    "Sidewalk Repair (Internal)": ("06013", "broken pavement → 道路破损"),
    "Sign Repair": ("02010", "damaged traffic sign → 交通标志牌及标线异常"),
    "Missing Sign": ("02010", "missing traffic sign → 交通标志牌及标线异常"),
    "Pavement Marking Maintenance": ("06016", "faded road markings → 交通标线不清晰"),
    "Traffic Signal Repair": ("02014", "broken traffic light → 交通信号灯异常"),
    "Traffic Signal Inspection": ("02014", "traffic light to inspect → 交通信号灯异常"),
    "Graffiti Removal": ("06004", "graffiti on a wall → 建筑物外立面污损"),
    "PWD Graffiti": ("06004", "graffiti → 建筑物外立面污损"),
    "Tree Maintenance Requests": ("04002", "street tree to prune or fix → 行道树异常"),
    "Tree Emergencies": ("04002", "fallen or dangerous street tree → 行道树异常"),
    "Empty Litter Basket": ("06042", "full litter basket → 垃圾站（箱）满溢"),
    "Overflowing or Un-kept Dumpster": ("06042", "overflowing dumpster → 垃圾站（箱）满溢"),
    "Litter Basket Maintenance": ("03005", "damaged litter basket → 垃圾箱异常"),
    "CE Collection": ("06010", "rubbish put out improperly (code enforcement) → 暴露垃圾"),
    "Improper Storage of Trash (Barrels)": ("06010", "rubbish left out → 暴露垃圾"),
    "Trash on Vacant Lot": ("06011", "rubbish piling up on a lot → 积存垃圾渣土"),
    "Illegal Dumping": ("06036", "dumped junk → 乱堆杂物"),
    "Construction Debris": ("08005", "construction debris → 施工废弃料"),
    "Abandoned Vehicles": ("06034", "abandoned car → 废弃车辆"),
    "Abandoned Bicycle": ("06034", "abandoned bicycle (废弃自行车 is part of 废弃车辆)"),
    "Pick up Dead Animal": ("06037", "dead animal → 动物尸体"),
    "Needle Pickup": ("06033", "discarded syringes → 乱丢弃医疗废物"),
    "Catchbasin": ("01004", "blocked or broken catch basin → 雨水箅子异常"),
    "Fire Hydrant": ("01013", "broken fire hydrant → 消防设施异常"),
    "Utility Casting Repair": ("01023", "broken utility cover or frame → 不明井盖异常"),
    "Space Savers": ("06040", "objects keeping a parking space → 私设地锁、阻车桩"),
    "Misc. Snow Complaint": ("10001", "snow or ice → 道路积雪、结冰"),
    "Snow Removal": ("10001", "snow to clear → 道路积雪、结冰"),
    "Unshoveled Sidewalk": ("10001", "unshovelled pavement → 道路积雪、结冰"),
    "Request for Snow Plowing (Emergency Responder)": ("10001", "road to plough → 道路积雪、结冰"),
    "Work Hours-Loud Noise Complaints": ("08001", "construction noise out of hours → 施工扰民"),
    "Undefined Noise Disturbance": ("06028", "noise → 噪声扰民"),
    "Public Events Noise Disturbances": ("06028", "noise from an event → 噪声扰民"),
    "Dumpster & Loading Noise Disturbances": ("06028", "noise from loading → 噪声扰民"),
    "Parking Meter Repairs": ("02003", "broken parking meter → 停车计费设备异常"),
    "Downed Wire": ("10002", "fallen overhead wire → 架空线缆脱落"),
    "Ground Maintenance": ("06017", "untidy park grounds → 绿地脏乱"),
    "Illegal Posting of Signs": ("07001", "illegal posters → 非法小广告"),
}


@dataclass(frozen=True)
class HotSpot:
    """With probability `share` a problem of this matter is near a POI of these kinds (by weight)."""

    share: float
    kinds: dict[str, float]


_UNIFORM = HotSpot(0.0, {})

HOT_SPOTS: dict[str, HotSpot] = {
    "01037": _UNIFORM,
    "06013": HotSpot(0.2, {"construction": 1.0}),
    "02010": HotSpot(0.3, {"station": 2.0, "school": 1.0}),
    "02014": HotSpot(0.3, {"station": 1.0}),
    "06016": HotSpot(0.3, {"station": 1.0, "school": 1.0}),
    "06004": HotSpot(0.4, {"residential": 2.0, "office": 1.0, "mall": 1.0, "school": 1.0}),
    "04002": HotSpot(0.4, {"park": 3.0, "school": 1.0}),
    "06042": HotSpot(0.6, {"market": 2.0, "residential": 2.0, "station": 1.0}),
    "03005": HotSpot(0.4, {"park": 1.0, "station": 1.0}),
    "06010": HotSpot(0.6, {"market": 3.0, "residential": 2.0}),
    "06011": HotSpot(0.4, {"construction": 1.0, "residential": 1.0}),
    "06036": HotSpot(0.4, {"residential": 2.0, "construction": 1.0}),
    "08005": HotSpot(0.8, {"construction": 1.0}),
    "06034": HotSpot(0.5, {"residential": 2.0, "station": 1.0}),
    "06037": HotSpot(0.3, {"park": 1.0}),
    "06033": HotSpot(0.4, {"hospital": 2.0, "park": 1.0}),
    "01004": _UNIFORM,
    "01013": _UNIFORM,
    "01023": _UNIFORM,
    "06040": HotSpot(0.6, {"residential": 2.0, "market": 1.0}),
    "10001": HotSpot(0.3, {"school": 1.0, "station": 1.0, "hospital": 1.0}),
    "08001": HotSpot(0.9, {"construction": 1.0}),
    "06028": HotSpot(0.5, {"residential": 2.0, "mall": 1.0, "market": 1.0}),
    "02003": HotSpot(0.5, {"mall": 1.0, "office": 1.0}),
    "10002": _UNIFORM,
    "06017": HotSpot(0.8, {"park": 1.0}),
    "07001": HotSpot(0.5, {"residential": 2.0, "station": 1.0, "school": 1.0}),
}

#: Camera algorithm classes by the kind of place the camera watches (weights), for camera alarms.
CAMERA_CLASSES: dict[str, dict[str, float]] = {
    "market": {"street_vendor": 3.0, "occupying_road": 2.0, "garbage_exposed": 1.0},
    "station": {"illegal_parking": 3.0, "street_vendor": 1.0},
    "other": {"illegal_parking": 1.0, "garbage_exposed": 1.0},
}


def map_boston_type(boston_type: str) -> str | None:
    """The GB/T 47678.5-2026 matter code of a Boston type, or None when it has none."""
    found = BOSTON_TO_GBT.get(boston_type)
    return found[0] if found else None
