"""Dispatch rule conditions and component owners as data, and the checks they pass before import.

A rule's conditions all have to hold for a case to match; a condition left empty holds for
every case. Checks collect every problem of a whole file (the rule's index, name, field and
what is wrong) before refusing it, so that an administrator fixes a file in one go: unknown
category codes (national or the city's local ones), majors, departments and areas, malformed
time windows, duplicate names, and area conditions that contradict each other.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, model_validator
from sqlalchemy.orm import Session

from cityloop.cases.workflow import SOURCES
from cityloop.cities import division_code_problem, get_city, is_within
from cityloop.dispatch.errors import InvalidComponentOwners, InvalidRules
from cityloop.geo import area_code_problem, area_codes
from cityloop.org import list_departments
from cityloop.taxonomy import STANDARD_2026, category_keys, major_keys

_HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")

#: Area condition fields, coarse to fine, with the level of the codes they hold.
AREA_FIELDS = {"districts": "district", "streets": "street", "communities": "community", "grids": "grid"}


def minutes_of(value: str) -> int:
    """Minutes after midnight of a 24-hour "HH:MM"; ValueError naming the value otherwise."""
    match = _HHMM.match(value)
    if match is None:
        raise ValueError(f"time {value!r} must be HH:MM between 00:00 and 23:59")
    return int(match.group(1)) * 60 + int(match.group(2))


def _hhmm(value: str) -> str:
    minutes_of(value)
    return value


def _digits(length: int, what: str) -> AfterValidator:
    def check(value: str) -> str:
        if not (len(value) == length and value.isascii() and value.isdigit()):
            raise ValueError(f"{what} {value!r} must be exactly {length} digits")
        return value

    return AfterValidator(check)


def _major(value: str) -> str:
    if value == "00":
        raise ValueError("major 00 does not exist")
    return value


def _area(level: str) -> AfterValidator:
    def check(value: str) -> str:
        problem = area_code_problem(level, value)
        if problem:
            raise ValueError(problem)
        return value

    return AfterValidator(check)


def _source(value: str) -> str:
    if value not in SOURCES:
        raise ValueError(f"unknown source {value!r}; expected one of {', '.join(SOURCES)}")
    return value


def _weekday(value: int) -> int:
    if not 1 <= value <= 7:
        raise ValueError(f"weekday {value} must be 1 (Monday) to 7 (Sunday)")
    return value


CategoryCode = Annotated[str, _digits(5, "category code")]
MajorCode = Annotated[str, _digits(2, "major"), AfterValidator(_major)]
HHMM = Annotated[str, AfterValidator(_hhmm)]


class TimeWindow(BaseModel):
    """A local time-of-day window [start, end); it runs past midnight when end is before start."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    start: HHMM
    end: HHMM

    @model_validator(mode="after")
    def _not_empty(self) -> TimeWindow:
        if self.start == self.end:
            raise ValueError(f"start and end are both {self.start}: the window would be empty")
        return self

    def covers(self, minute: int) -> bool:
        """True when `minute` (after local midnight) falls inside the window."""
        begin, finish = minutes_of(self.start), minutes_of(self.end)
        if begin < finish:
            return begin <= minute < finish
        return minute >= begin or minute < finish

    def __str__(self) -> str:
        return f"{self.start}–{self.end}"


class Conditions(BaseModel):
    """What a case must be for a rule to match; every field left empty matches any case."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    #: Classification codes (5 digits) of GB/T 47678.5-2026, national or the city's local ones.
    categories: list[CategoryCode] = Field(default_factory=list)
    #: Majors (2 digits): "09" matches every 09xxx code.
    majors: list[MajorCode] = Field(default_factory=list)
    kind: Literal["component", "matter"] | None = None
    districts: list[Annotated[str, _area("district")]] = Field(default_factory=list)
    streets: list[Annotated[str, _area("street")]] = Field(default_factory=list)
    communities: list[Annotated[str, _area("community")]] = Field(default_factory=list)
    grids: list[Annotated[str, _area("grid")]] = Field(default_factory=list)
    sources: list[Annotated[str, AfterValidator(_source)]] = Field(default_factory=list)
    urgency: Literal["normal", "urgent"] | None = None
    #: Local time of day in the city's time zone.
    time: TimeWindow | None = None
    #: ISO weekdays of the local calendar day: 1 = Monday … 7 = Sunday.
    weekdays: list[Annotated[int, AfterValidator(_weekday)]] = Field(default_factory=list)

    def stored(self) -> dict[str, Any]:
        """The conditions that are set, as plain JSON (what the database and exports hold)."""
        return self.model_dump(mode="json", exclude_defaults=True)

    def names(self) -> list[str]:
        """The names of the conditions that are set, in declaration order."""
        return list(self.stored())


class RuleItem(BaseModel):
    """One rule as a file or the API states it: the department by code, conditions as above."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=100)
    department: str = Field(min_length=1, max_length=32)
    conditions: Conditions = Field(default_factory=Conditions)
    enabled: bool = True
    note: str | None = None


def _prefix(value: str) -> str:
    if not (8 <= len(value) <= 17 and value.isascii() and value.isdigit()):
        raise ValueError(
            f"prefix {value!r} must be 8 to 17 digits (6 division + 2 major [+ 3 minor [+ sequence]])"
        )
    problem = division_code_problem(value[:6])
    if problem:
        raise ValueError(f"prefix {value!r}: {problem}")
    if value[6:8] == "00":
        raise ValueError(f"prefix {value!r}: the major (digits 7-8) is 00")
    if len(value) >= 11 and value[8:11] == "000":
        raise ValueError(f"prefix {value!r}: the minor (digits 9-11) is 000")
    return value


class ComponentOwnerItem(BaseModel):
    """Components whose 17-digit ID starts with `prefix` are owned by `owner`, kept up by `maintainer`."""

    model_config = ConfigDict(extra="forbid")

    prefix: Annotated[str, AfterValidator(_prefix)]
    owner: str = Field(min_length=1, max_length=32)
    maintainer: str | None = Field(default=None, min_length=1, max_length=32)
    note: str | None = None


@dataclass(frozen=True)
class Catalogue:
    """What the city's rules may refer to: departments (code → active), categories, majors, areas."""

    city_code: str
    departments: dict[str, bool]
    categories: frozenset[tuple[str, str]]
    majors: frozenset[tuple[str, str]]
    areas: frozenset[str]


def load_catalogue(session: Session, city_code: str) -> Catalogue:
    """The city's referable codes, read once for a whole file (raises when the city does not exist)."""
    get_city(session, city_code)
    departments = {
        d.code: d.active for d in session.scalars(list_departments(session, city_code, include_inactive=True))
    }
    return Catalogue(
        city_code=city_code,
        departments=departments,
        categories=frozenset(category_keys(session, city_code=city_code, standard=STANDARD_2026)),
        majors=frozenset(major_keys(session, city_code=city_code, standard=STANDARD_2026)),
        areas=frozenset(area_codes(session, city_code)),
    )


@dataclass
class Problems:
    """Every problem of one file: the item's index, its key (rule name or prefix), the field, what is wrong."""

    items: list[dict[str, Any]] = field(default_factory=list)

    def add(self, index: int, key: str | None, field_name: str, message: str) -> None:
        self.items.append({"index": index, "key": key, "field": field_name, "message": message})

    def add_validation(self, index: int, key: str | None, exc: ValidationError) -> None:
        for error in exc.errors():
            path = ""
            for part in error["loc"]:
                path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
            kind = error["type"]
            if kind == "extra_forbidden":
                message = "unknown key"
            elif kind == "missing":
                message = "required key missing"
            else:
                message = str(error["msg"]).removeprefix("Value error, ")
            self.add(index, key, path or "(item)", message)

    def summary(self, what: str) -> str:
        first = self.items[0]
        who = f" ({first['key']})" if first["key"] else ""
        return (
            f"{what}: {len(self.items)} problem(s), nothing imported; first: "
            f"item {first['index']}{who}, {first['field']}: {first['message']}"
        )


def _key(raw: Any, name: str) -> str | None:
    value = raw.get(name) if isinstance(raw, dict) else None
    return value if isinstance(value, str) and value else None


def _parse(
    rows: Iterable[Any], model: type[RuleItem] | type[ComponentOwnerItem], key: str, problems: Problems
) -> list[tuple[int, dict[str, Any], Any]]:
    """Parse every row, noting malformed ones and duplicate keys.

    Returns (index, raw row, parsed item or None) for every row that is a mapping: reference
    checks then read the raw row, so that one malformed field does not hide the other problems.
    """
    found: list[tuple[int, dict[str, Any], Any]] = []
    seen: dict[str, int] = {}
    for index, raw in enumerate(rows):
        name = _key(raw, key)
        if name is not None:
            if name in seen:
                problems.add(index, name, key, f"duplicate {key}, already used by item {seen[name]}")
            else:
                seen[name] = index
        if not isinstance(raw, dict):
            problems.add(index, None, "(item)", "each item must be a mapping of keys to values")
            continue
        try:
            found.append((index, raw, model.model_validate(raw)))
        except ValidationError as exc:
            problems.add_validation(index, name, exc)
            found.append((index, raw, None))
    return found


def _check_department(
    problems: Problems, index: int, key: str | None, field_name: str, code: Any, catalogue: Catalogue
) -> None:
    if not isinstance(code, str):
        return  # malformed: reported by the parse
    active = catalogue.departments.get(code)
    if active is None:
        problems.add(index, key, field_name, f"unknown department {code!r} in city {catalogue.city_code}")
    elif not active:
        problems.add(index, key, field_name, f"department {code} is not active")


def _well_formed(
    raw: dict[str, Any], field_name: str, problem: Callable[[str], str | None]
) -> list[tuple[int, str]]:
    """(index, value) of the entries of list `field_name` that are well formed (the rest are reported already)."""
    values = raw.get(field_name)
    if not isinstance(values, list):
        return []
    return [(i, v) for i, v in enumerate(values) if isinstance(v, str) and problem(v) is None]


def _digits_problem(length: int) -> Callable[[str], str | None]:
    """Well formed as the parse sees it (major 00 is refused there, so it is not looked up again)."""
    return lambda v: None if len(v) == length and v.isascii() and v.isdigit() and v != "00" else "bad"


def _area_problem(level: str) -> Callable[[str], str | None]:
    return lambda v: area_code_problem(level, v)


def _check_conditions(
    problems: Problems, index: int, name: str | None, raw: Any, catalogue: Catalogue
) -> None:
    if not isinstance(raw, dict):
        return
    kind = raw.get("kind") if raw.get("kind") in ("component", "matter") else None
    kinds = [kind] if kind else ["component", "matter"]
    what = f"{kind} " if kind else ""
    majors = _well_formed(raw, "majors", _digits_problem(2))
    for i, code in _well_formed(raw, "categories", _digits_problem(5)):
        where = f"conditions.categories[{i}]"
        if not any((k, code) in catalogue.categories for k in kinds):
            problems.add(index, name, where, f"unknown {what}category {code}")
        elif isinstance(raw.get("majors"), list) and raw["majors"] and code[:2] not in raw["majors"]:
            message = f"category {code} is in none of the majors listed: the rule could never match"
            problems.add(index, name, where, message)
    for i, major in majors:
        if not any((k, major) in catalogue.majors for k in kinds):
            problems.add(index, name, f"conditions.majors[{i}]", f"unknown {what}major {major}")
    coarser: list[tuple[str, list[str]]] = []
    for field_name, level in AREA_FIELDS.items():
        codes = _well_formed(raw, field_name, _area_problem(level))
        for i, code in codes:
            where = f"conditions.{field_name}[{i}]"
            if code not in catalogue.areas:
                problems.add(index, name, where, f"unknown {level} {code} in city {catalogue.city_code}")
                continue
            for outer_field, outer in coarser:
                if not any(code.startswith(o) for o in outer):
                    message = (
                        f"{level} {code} lies in none of the {outer_field} listed: the rule could never match"
                    )
                    problems.add(index, name, where, message)
        known = [code for _, code in codes if code in catalogue.areas]
        if known:  # unknown codes are reported once, not again as contradictions
            coarser.append((field_name, known))


def rule_problems(rows: list[Any], catalogue: Catalogue) -> tuple[list[RuleItem], list[dict[str, Any]]]:
    """Parse and check rule rows against the catalogue; (the parsed rules, every problem found)."""
    problems = Problems()
    found = _parse(rows, RuleItem, "name", problems)
    for index, raw, _rule in found:
        name = _key(raw, "name")
        _check_department(problems, index, name, "department", raw.get("department"), catalogue)
        _check_conditions(problems, index, name, raw.get("conditions"), catalogue)
    problems.items.sort(key=lambda p: p["index"])
    return [rule for _, _, rule in found if rule is not None], problems.items


def check_rules(rows: list[Any], catalogue: Catalogue) -> list[RuleItem]:
    """The parsed rules; InvalidRules listing every problem when there is any."""
    rules, found = rule_problems(rows, catalogue)
    if found:
        raise InvalidRules(Problems(found).summary("dispatch rules"), details=found)
    return rules


def _prefix_problem(value: str) -> str | None:
    try:
        _prefix(value)
    except ValueError as exc:
        return str(exc)
    return None


def owner_problems(
    rows: list[Any], catalogue: Catalogue
) -> tuple[list[ComponentOwnerItem], list[dict[str, Any]]]:
    """Parse and check component-owner rows; (the parsed items, every problem found)."""
    problems = Problems()
    found = _parse(rows, ComponentOwnerItem, "prefix", problems)
    for index, raw, _item in found:
        prefix = _key(raw, "prefix")
        if prefix is not None and _prefix_problem(prefix) is None:
            if not is_within(prefix[:6], catalogue.city_code):
                message = f"division {prefix[:6]} is not in city {catalogue.city_code}"
                problems.add(index, prefix, "prefix", message)
            if len(prefix) >= 11:
                if ("component", prefix[6:11]) not in catalogue.categories:
                    problems.add(index, prefix, "prefix", f"unknown component category {prefix[6:11]}")
            elif ("component", prefix[6:8]) not in catalogue.majors:
                problems.add(index, prefix, "prefix", f"unknown component major {prefix[6:8]}")
        _check_department(problems, index, prefix, "owner", raw.get("owner"), catalogue)
        _check_department(problems, index, prefix, "maintainer", raw.get("maintainer"), catalogue)
    problems.items.sort(key=lambda p: p["index"])
    return [item for _, _, item in found if item is not None], problems.items


def check_component_owners(rows: list[Any], catalogue: Catalogue) -> list[ComponentOwnerItem]:
    """The parsed component owners; InvalidComponentOwners listing every problem when there is any."""
    items, found = owner_problems(rows, catalogue)
    if found:
        raise InvalidComponentOwners(Problems(found).summary("component owners"), details=found)
    return items
