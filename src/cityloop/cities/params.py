"""Typed runtime parameters per city (NetBox-style: stored in the database, validated here).

Each parameter has a type, a default and a description. A city stores only what it changes;
reading merges the stored values over the plugin's defaults over the declared defaults.
Later packages add their parameters to `CityParameters`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from cityloop.cities.errors import InvalidParameter


class DuplicateRule(BaseModel):
    """How far and how long an earlier case of one category counts as the same problem."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    radius_m: float = Field(default=100.0, gt=0, le=5000)
    window_hours: float = Field(default=24.0 * 14, gt=0, le=24.0 * 365)
    building_wide: bool = False
    point_like: bool = False


#: Defaults: point-like defects ask for closeness; nuisances spread over a block; a lamp or a
#: manhole is one thing at one place.
DEFAULT_DUPLICATE_RULES: dict[str, DuplicateRule] = {
    "default": DuplicateRule(),
    "06013": DuplicateRule(radius_m=30, window_hours=24 * 30, point_like=True),  # 道路破损
    "01023": DuplicateRule(radius_m=30, window_hours=24 * 14),  # 不明井盖异常: one lid, GPS error
    "01037": DuplicateRule(radius_m=40, window_hours=24 * 21),  # 路灯异常
    "06027": DuplicateRule(radius_m=150, window_hours=24 * 3),  # 油烟污染
    "06028": DuplicateRule(radius_m=250, window_hours=12),  # 噪声扰民
    "08001": DuplicateRule(radius_m=250, window_hours=24 * 2),  # 施工扰民
    "08004": DuplicateRule(radius_m=300, window_hours=24 * 2),  # 工地扬尘
    "09001": DuplicateRule(radius_m=80, window_hours=6),  # 无照经营游商: it moves on
    "09006": DuplicateRule(radius_m=60, window_hours=24),  # 占道经营
    "09009": DuplicateRule(radius_m=30, window_hours=12),  # 机动车乱停放
}


#: Indicator weights per kind of entity (DOMAIN.md §7), each summing to 100.
DEFAULT_EVALUATION_WEIGHTS: dict[str, dict[str, float]] = {
    "inspector": {"valid_report_rate": 40, "missed_report_rate": 20, "on_time_verify_rate": 20,
                  "on_time_check_rate": 20},
    "operator": {"accepted": 25, "on_time_verify_dispatch_rate": 40, "on_time_check_dispatch_rate": 35},
    "shift_leader": {"on_time_file_rate": 25, "accurate_file_rate": 40, "on_time_close_rate": 35},
    "dispatcher": {"dispatched": 20, "on_time_dispatch_rate": 40, "accurate_dispatch_rate": 40},
    "department": {"dispatched": 10, "close_rate": 30, "on_time_disposal_rate": 30, "rework_rate": 30},
    "area": {"public_report_rate": 20, "filed_density": 20, "close_rate": 30, "on_time_close_rate": 30},
}  # fmt: skip

#: Count bands per 30 days: [minimum count, score] steps, the highest minimum reached gives the score.
#: `filed_density` (cases filed per 10,000 m² of area) is lower-is-better, per area class.
DEFAULT_EVALUATION_BANDS: dict[str, list[tuple[float, float]]] = {
    "operator.accepted": [(0, 0), (1, 60), (100, 80), (300, 90), (600, 100)],
    "dispatcher.dispatched": [(0, 0), (1, 60), (100, 80), (300, 90), (600, 100)],
    "department.dispatched": [(0, 0), (1, 60), (20, 80), (50, 90), (100, 100)],
    "area.filed_density.urban": [(0, 100), (2, 90), (5, 75), (10, 60), (20, 40)],
    "area.filed_density.rural": [(0, 100), (1, 90), (2.5, 75), (5, 60), (10, 40)],
}


class EvaluationParameters(BaseModel):
    """综合评价 (DOMAIN.md §7): weights, count bands, grade thresholds and budget tiers."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    weights: dict[str, dict[str, float]] = Field(
        default_factory=lambda: {k: dict(v) for k, v in DEFAULT_EVALUATION_WEIGHTS.items()},
        description="Per entity kind (inspector, operator, shift_leader, dispatcher, department, area): "
        "indicator → weight in the composite. Indicators without data leave it and the rest are rescaled.",
    )
    bands: dict[str, list[tuple[float, float]]] = Field(
        default_factory=lambda: {k: list(v) for k, v in DEFAULT_EVALUATION_BANDS.items()},
        description="Count → score steps per `kind.indicator` (areas: `area.filed_density.<area class>`), "
        "for a 30-day period; counts of other periods are scaled to 30 days first.",
    )
    grade_a: float = Field(default=90, ge=0, le=100, description="Composite from which the grade is A.")
    grade_b: float = Field(default=75, ge=0, le=100, description="Composite from which the grade is B.")
    grade_c: float = Field(default=60, ge=0, le=100, description="Composite from which the grade is C.")
    reward_from: float = Field(
        default=90, ge=0, le=100, description="Composite from which budget linkage rewards (tier reward)."
    )
    supervision_below: float = Field(
        default=70, ge=0, le=100, description="Composite below which the entity is put under supervision."
    )
    public_sources: list[str] = Field(
        default=["citizen", "hotline", "sms", "open311"],
        description="Sources that are reports by the public (监督举报, and 漏报 against the grid's inspector).",
    )


class CityParameters(BaseModel):
    #: Frozen: one validated instance is shared by every reader of a session (never mutate its
    #: lists or dicts either; change parameters through `do_set_parameters`).
    model_config = ConfigDict(extra="forbid", frozen=True)

    languages: list[str] = Field(
        default=["zh-CN", "en"], description="Interface languages offered, the first is the default."
    )
    grid_target_area_m2: float = Field(
        default=10_000, gt=0, description="Target area of a unit grid (DOMAIN.md §5), for import warnings."
    )
    h3_resolution: int = Field(
        default=9, ge=5, le=12, description="H3 resolution used for proximity (9 ≈ 0.1 km² cells)."
    )
    road_factor: float = Field(
        default=1.3, ge=1.0, le=3.0, description="Road distance ÷ straight-line distance, for travel times."
    )
    check_limit_minutes_urban: int = Field(
        default=60, gt=0, description="核查 time limit in urban areas (DOMAIN.md §4)."
    )
    check_limit_minutes_rural: int = Field(
        default=120, gt=0, description="核查 time limit in rural areas (DOMAIN.md §4)."
    )
    auto_accept_confidence: float = Field(
        default=0.85,
        ge=0,
        le=1,
        description="Classification confidence above which a report is accepted without a person.",
    )
    public_page_size: int = Field(default=20, ge=1, le=200, description="Rows per page on public lists.")
    category_confidence_threshold: float = Field(
        default=0.5,
        ge=0,
        le=1,
        description="A report without a chosen category is categorised automatically when the best guess "
        "reaches this confidence; below it, a person chooses from the top three.",
    )
    locate_confidence_threshold: float = Field(
        default=0.7,
        ge=0,
        le=1,
        description="An address matched by the gazetteer with less confidence waits for a person to place it "
        "(0.7 accepts points of interest, intersections and numbered addresses, not a bare road).",
    )
    duplicate_merge_threshold: float = Field(
        default=0.9,
        ge=0,
        le=1,
        description="A new report whose best earlier case scores at least this is merged into it "
        "(void as 重复上报, the reporter follows the earlier case).",
    )
    duplicate_suggest_threshold: float = Field(
        default=0.6,
        ge=0,
        le=1,
        description="Earlier cases scoring at least this (and below the merge threshold) are suggested "
        "to the operator as possible duplicates.",
    )
    duplicate_rules: dict[str, DuplicateRule] = Field(
        default_factory=lambda: dict(DEFAULT_DUPLICATE_RULES),
        description="Per matter code: the radius (m) and window (hours) within which an earlier case is a "
        "candidate, and whether one address means one problem (building_wide) or problems sit metres "
        "apart (point_like). Other codes use the entry `default`.",
    )
    auto_verify_dispatch: bool = Field(
        default=False,
        description="Public reports awaiting verification are sent to the grid's patrol inspector (or the "
        "nearest on duty) by the system instead of an operator.",
    )
    auto_accept_sources: list[str] = Field(
        default=[],
        description="Sources whose reported cases the system accepts (受理) when the category confidence "
        "reaches auto_accept_confidence; other cases wait for an operator.",
    )
    auto_file: bool = Field(
        default=False,
        description="Accepted cases are filed (立案) by the system with the standard time limit.",
    )
    auto_dispatch: bool = Field(
        default=False,
        description="Filed cases are dispatched by the system (routing rules, then the best worker) when the "
        "category confidence reaches auto_dispatch_confidence; otherwise a dispatcher decides.",
    )
    auto_dispatch_confidence: float = Field(
        default=0.7, ge=0, le=1, description="Category confidence needed for automatic dispatch."
    )
    auto_dispatch_excluded: list[Annotated[str, StringConstraints(pattern=r"^\d{2}(\d{3})?$")]] = Field(
        default=[],
        description="Matter codes (or 2-digit majors) that a dispatcher always dispatches by hand.",
    )
    auto_send_check: bool = Field(
        default=False,
        description="Handled cases are sent for checking (核查) to the grid's inspector by the system.",
    )
    dispatch_policy: Literal["nearest", "least-loaded", "optimised"] = Field(
        default="optimised",
        description="How the worker is chosen: nearest (least travel), least-loaded, or optimised "
        "(expected completion, lateness and fairness; pending tasks of a department assigned together).",
    )
    dispatch_speed_kmh: float = Field(
        default=15.0, gt=0, le=120, description="Field workers' travel speed (an e-bike in city traffic)."
    )
    dispatch_handling_minutes: dict[str, float] = Field(
        default={},
        description="Expected minutes on site per matter code or 2-digit major, over the built-in table.",
    )
    dispatch_skills: dict[str, str] = Field(
        default={},
        description="Matter code or 2-digit major → the skill a worker needs; categories not listed need none.",
    )
    map_tile_url: (
        Annotated[
            str,
            StringConstraints(
                pattern=r"^https://[^\s\"'<>]*\{z\}[^\s\"'<>]*\{x\}[^\s\"'<>]*\{y\}[^\s\"'<>]*$"
            ),
        ]
        | None
    ) = Field(
        default=None,
        description="A tile server for the pages' maps (https, with {z}, {x}, {y}; {s} for subdomains), for "
        "deployments that have one. Without it the maps draw the city's own polygons only.",
    )
    map_tile_attribution: str = Field(
        default="", max_length=300, description="The attribution the tile server asks for (plain text)."
    )
    trusted_sources: list[str] = Field(
        default=[],
        description="Public channels whose reports skip on-site verification (e.g. camera, hotline).",
    )
    camera_confidence_threshold: float = Field(
        default=0.8, ge=0, le=1, description="Camera alarms below this confidence go to human verification."
    )
    camera_classes: dict[str, str] = Field(
        default={
            "street_vendor": "09001",
            "occupying_road": "09006",
            "garbage_exposed": "06010",
            "bin_overflow": "06042",
            "illegal_parking": "09009",
            "outdoor_barbecue": "06029",
            "road_damage": "06013",
            "construction_dust": "08004",
        },
        description="AI camera algorithm class → matter code of GB/T 47678.5-2026.",
    )
    sensor_thresholds: dict[str, dict[str, Any]] = Field(
        default={
            "manhole_tilt": {"metric": "tilt_deg", "high": 15.0, "clear": 5.0, "category": "01023"},
            "water_level": {"metric": "level_cm", "high": 20.0, "clear": 10.0, "category": "01003"},
            "pm10": {"metric": "pm10_ugm3", "high": 150.0, "clear": 100.0, "category": "08004"},
            "noise": {"metric": "noise_db", "high": 70.0, "clear": 60.0, "category": "06028"},
        },
        description="Per device type: the metric, the alarm threshold, the lower value that clears the "
        "alarm (hysteresis), and the matter code of the alarm case.",
    )
    open311_services: list[Annotated[str, StringConstraints(pattern=r"^C?\d{5}$")]] = Field(
        default=[
            "01023",
            "01037",
            "06010",
            "06012",
            "06013",
            "06027",
            "06028",
            "06029",
            "06036",
            "06037",
            "06042",
            "07001",
            "08001",
            "08004",
            "09001",
            "09005",
            "09006",
            "09009",
            "09010",
            "09012",
        ],
        description="Categories offered as Open311 services: a matter code (09001), or C and a "
        "component code (C01001).",
    )
    evaluation: EvaluationParameters = Field(
        default_factory=EvaluationParameters,
        description="综合评价: indicator weights, count bands, grade thresholds (A/B/C) and budget tiers.",
    )


PARAMETER_NAMES = frozenset(CityParameters.model_fields)


def describe_parameters() -> list[dict[str, Any]]:
    """Every parameter with its type, default and description, for help text and the admin page."""
    rows = []
    defaults = CityParameters().model_dump(mode="json")
    for name, field in CityParameters.model_fields.items():
        rows.append(
            {
                "key": name,
                "type": getattr(field.annotation, "__name__", str(field.annotation)),
                "default": defaults[name],
                "description": field.description or "",
            }
        )
    return rows


def validate_parameters(values: dict[str, Any], *, base: dict[str, Any] | None = None) -> CityParameters:
    """Validate `values` (over `base`) into typed parameters, naming the key that is wrong."""
    unknown = sorted(set(values) - PARAMETER_NAMES)
    if unknown:
        raise InvalidParameter(
            f"unknown city parameter(s): {', '.join(unknown)}", details={"unknown": unknown}
        )
    try:
        return CityParameters(**{**(base or {}), **values})
    except ValidationError as exc:
        problems = [
            {"key": ".".join(str(p) for p in err["loc"]), "message": err["msg"]} for err in exc.errors()
        ]
        first = problems[0]
        raise InvalidParameter(
            f"city parameter {first['key']}: {first['message']}", details=problems
        ) from exc
