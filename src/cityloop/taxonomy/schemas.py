"""Input and output shapes of the taxonomy package."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from cityloop.core.timeunits import TimeUnit


class StandardOut(BaseModel):
    name: str
    title_zh: str
    title_en: str
    code_digits: int
    in_force: str | None
    current: bool
    note: str
    components: int = Field(description="National component rows stored for this edition.")
    matters: int = Field(description="National matter rows stored for this edition.")


class CategoryOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    standard: str
    kind: str
    code: str
    major_code: str
    major_name: str
    major_name_en: str | None
    name: str
    name_en: str | None
    city_id: str | None = Field(description="NULL for a national row, else the city of a local code.")
    active: bool
    note: str | None


class CrosswalkLinkOut(BaseModel):
    """A legacy ↔ 2026 pair as seen from one side, with the rule that made it."""

    standard: str
    kind: str
    code: str
    name: str
    rule: str
    note: str | None


class CategoryDetailOut(CategoryOut):
    crosswalk: list[CrosswalkLinkOut] = Field(default_factory=list)
    unmapped_reason: str | None = None


class TimeLimit(BaseModel):
    model_config = ConfigDict(extra="forbid")

    amount: int = Field(ge=1)
    unit: TimeUnit


class TimeLimits(BaseModel):
    """Disposal limits per urgency of one registration condition."""

    model_config = ConfigDict(extra="forbid")

    urgent: TimeLimit | None = None
    normal: TimeLimit


class RegistrationConditionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    city_id: str
    standard: str
    kind: str
    code: str
    situation: str
    situation_en: str | None
    area_class: Literal["urban", "rural"] | None
    limits: TimeLimits
    note: str | None
    source: str | None
