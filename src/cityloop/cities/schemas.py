"""Input and output shapes of the cities package."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator

from cityloop.cities.divisions import division_code_problem
from cityloop.core.i18n import LOCALES


class CityIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str
    name_zh: str = Field(min_length=1, max_length=100)
    name_en: str | None = Field(default=None, max_length=100)
    timezone: str = "Asia/Shanghai"
    locale: str = "zh-CN"

    @field_validator("code")
    @classmethod
    def _code(cls, value: str) -> str:
        problem = division_code_problem(value)
        if problem:
            raise ValueError(problem)
        return value

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @field_validator("locale")
    @classmethod
    def _locale(cls, value: str) -> str:
        if value not in LOCALES:
            raise ValueError(f"locale must be one of {', '.join(LOCALES)}")
        return value


class CityOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str
    name_zh: str
    name_en: str | None
    timezone: str
    locale: str
