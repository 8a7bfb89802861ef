"""Shapes of departments.yaml and staff.yaml items (docs/city-pack.md), and API output.

The item schemas check what one item can say about itself; rules that need other items,
the database or the caller's known codes live in `org.actions`.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, field_validator, model_validator

from cityloop.core.ids import is_digits
from cityloop.org.models import DEFAULT_STANDARD
from cityloop.org.roles import ROLE_VALUES
from cityloop.org.shifts import parse_hhmm

Code = Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{1,32}$")]
Username = Annotated[str, Field(pattern=r"^[A-Za-z0-9._-]{1,64}$")]
Name = Annotated[str, Field(min_length=1, max_length=100)]
Phone = Annotated[str, Field(min_length=1, max_length=40)]

_AREA_CODE_LENGTHS = (6, 9, 12, 15)


def _no_duplicates(values: list[str] | list[int], what: str) -> None:
    seen: set[object] = set()
    for value in values:
        if value in seen:
            raise ValueError(f"{what} {value!r} is listed twice")
        seen.add(value)


class _Item(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ResponsibilityItem(_Item):
    categories: list[str] = Field(min_length=1)
    standard: str = Field(default=DEFAULT_STANDARD, min_length=1, max_length=40)
    kind: Literal["component", "matter"] | None = None
    areas: list[str] = Field(default_factory=list)

    @field_validator("categories")
    @classmethod
    def _categories(cls, values: list[str]) -> list[str]:
        for value in values:
            if not (is_digits(value, 2) or is_digits(value, 5)):
                raise ValueError(f"category {value!r} must be a 2-digit major or a 5-digit code")
        _no_duplicates(values, "category")
        return values

    @field_validator("areas")
    @classmethod
    def _areas(cls, values: list[str]) -> list[str]:
        for value in values:
            if not any(is_digits(value, n) for n in _AREA_CODE_LENGTHS):
                raise ValueError(f"area {value!r} must be an area code of 6, 9, 12 or 15 digits")
        _no_duplicates(values, "area")
        return values


class DepartmentItem(_Item):
    code: Code
    name_zh: Name
    name_en: Name | None = None
    kind: Literal["professional", "street_office", "centre"]
    parent: str | None = None
    street: str | None = None
    phone: Phone | None = None
    responsibilities: list[ResponsibilityItem] = Field(default_factory=list)

    @field_validator("street")
    @classmethod
    def _street(cls, value: str | None) -> str | None:
        if value is not None and not is_digits(value, 9):
            raise ValueError(f"street {value!r} must be a 9-digit street code")
        return value


class ShiftItem(_Item):
    weekdays: list[StrictInt] = Field(min_length=1)
    start: str
    end: str

    @field_validator("weekdays")
    @classmethod
    def _weekdays(cls, values: list[int]) -> list[int]:
        for value in values:
            if not 1 <= value <= 7:
                raise ValueError(f"weekday {value} must be 1 (Monday) to 7 (Sunday)")
        _no_duplicates(values, "weekday")
        return values

    @field_validator("start", "end")
    @classmethod
    def _time(cls, value: str) -> str:
        parse_hhmm(value)
        return value

    @model_validator(mode="after")
    def _not_empty(self) -> ShiftItem:
        if self.start == self.end:
            raise ValueError(f"shift starts and ends at {self.start}; a shift must last some time")
        return self


class WorkerItem(_Item):
    home: tuple[float, float]
    skills: list[Annotated[str, Field(min_length=1, max_length=50)]] = Field(default_factory=list)
    shifts: list[ShiftItem] = Field(default_factory=list)

    @field_validator("home")
    @classmethod
    def _home(cls, value: tuple[float, float]) -> tuple[float, float]:
        lon, lat = value
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise ValueError(f"home [{lon}, {lat}] must be [longitude, latitude] within ±180 and ±90")
        return value

    @field_validator("skills")
    @classmethod
    def _skills(cls, values: list[str]) -> list[str]:
        _no_duplicates(values, "skill")
        return values


class StaffItem(_Item):
    username: Username
    name: Name
    roles: list[str] = Field(min_length=1)
    department: str | None = None
    patrol_zone: str | None = None
    phone: Phone | None = None
    worker: WorkerItem | None = None

    @field_validator("roles")
    @classmethod
    def _roles(cls, values: list[str]) -> list[str]:
        for value in values:
            if value == "citizen":
                raise ValueError("citizen is not a staff role: citizens are not staff")
            if value not in ROLE_VALUES:
                raise ValueError(f"unknown role {value!r}; roles are {', '.join(sorted(ROLE_VALUES))}")
        _no_duplicates(values, "role")
        return values


# --- API output ---------------------------------------------------------------------------


class ResponsibilityOut(BaseModel):
    standard: str
    kind: str | None
    categories: list[str]
    areas: list[str]


class DepartmentOut(BaseModel):
    code: str
    name_zh: str
    name_en: str | None
    kind: str
    parent: str | None
    street: str | None
    phone: str | None
    active: bool


class DepartmentDetailOut(DepartmentOut):
    responsibilities: list[ResponsibilityOut]


class StaffOut(BaseModel):
    """A staff member as the staff list shows them; `phone` is present for admins only."""

    username: str
    name: str
    roles: list[str]
    department: str | None
    patrol_zone: str | None
    active: bool
    phone: str | None = None
