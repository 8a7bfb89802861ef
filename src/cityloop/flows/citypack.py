"""Import and export a whole city pack across cities, taxonomy, geo and org, in one transaction.

Parts are imported in dependency order (city → calendar → local codes → areas → places → patrol zones →
departments → devices → staff → registration conditions); each part validates all of itself before it
writes, and the caller rolls the transaction back when any part fails, so a pack with any
error imports nothing. A file absent from the pack leaves that part of the city as it is.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from cityloop.cities.actions import do_set_parameters, do_upsert_city
from cityloop.cities.errors import InvalidParameter
from cityloop.cities.queries import get_city, stored_parameters
from cityloop.cities.schemas import CityIn
from cityloop.deadlines import do_import_calendar, export_calendar
from cityloop.dispatch import export_component_owners, export_rules, import_component_owners, import_rules
from cityloop.flows.citypack_files import CityPack
from cityloop.flows.errors import PackInvalid
from cityloop.geo import (
    area_codes,
    do_import_areas,
    do_import_patrol_zones,
    do_import_places,
    export_areas,
    export_patrol_zones,
    export_places,
)
from cityloop.intake.devices import do_import_devices, export_devices
from cityloop.org import do_import_departments, do_import_staff, export_departments, export_staff
from cityloop.taxonomy import (
    STANDARD_2026,
    category_keys,
    do_import_local_codes,
    do_seed_registration_conditions,
    do_seed_standards,
    export_local_codes,
    major_keys,
)

NATIONAL = STANDARD_2026

Progress = Callable[[str], None]


@dataclass
class PackSummary:
    city: str
    steps: dict[str, Any] = field(default_factory=dict)
    #: Findings that did not block the import (e.g. grids not numbered west→east), for the operator.
    warnings: list[dict[str, Any]] = field(default_factory=list)


def _city_in(pack: CityPack) -> CityIn:
    data = {k: v for k, v in pack.city.items() if k != "parameters"}
    try:
        return CityIn(**data)
    except ValidationError as exc:
        problems = [
            {
                "source": "city.yaml",
                "field": ".".join(str(p) for p in err["loc"]),
                "rule": err["type"],
                "message": err["msg"],
            }
            for err in exc.errors()
        ]
        first = problems[0]
        raise PackInvalid(f"city.yaml: {first['field']}: {first['message']}", details=problems) from exc


def _category_references(session: Session, city_code: str) -> set[str]:
    codes = {code for _kind, code in category_keys(session, city_code=city_code, standard=NATIONAL)}
    majors = {major for _kind, major in major_keys(session, city_code=city_code, standard=NATIONAL)}
    return codes | majors


def do_import_pack(
    session: Session, pack: CityPack, *, password: str | None = None, progress: Progress | None = None
) -> PackSummary:
    """Import every part of `pack`; raises the first failing part's error (the caller rolls back)."""
    step = progress or (lambda _name: None)
    city_in = _city_in(pack)
    code = city_in.code
    summary = PackSummary(city=code)

    step("taxonomy")
    do_seed_standards(session)
    step("city")
    do_upsert_city(session, city_in)
    parameters = pack.city.get("parameters") or {}
    if not isinstance(parameters, dict):
        raise PackInvalid("city.yaml: parameters must be a mapping", details=[{"source": "city.yaml"}])
    try:
        do_set_parameters(session, code, parameters)
    except InvalidParameter as exc:
        raise PackInvalid(f"city.yaml: {exc.message}", details=exc.details) from exc
    summary.steps["parameters"] = len(parameters)

    if pack.calendar is not None:
        step("calendar")
        do_import_calendar(session, city_code=code, data=pack.calendar)
        summary.steps["calendar"] = True
    if pack.taxonomy_local_csv is not None:
        step("local taxonomy")
        summary.steps["local_codes"] = do_import_local_codes(
            session, city_code=code, csv_text=pack.taxonomy_local_csv
        )
    if pack.areas is not None:
        step("areas")
        areas = do_import_areas(session, city_code=code, collection=pack.areas)
        summary.steps["areas"], summary.warnings = areas.counts, summary.warnings + areas.warnings
    if pack.places is not None:
        step("places")
        places = do_import_places(session, city_code=code, collection=pack.places)
        summary.steps["places"], summary.warnings = places.counts, summary.warnings + places.warnings
    if pack.patrol_zones is not None:
        step("patrol zones")
        zones_summary = do_import_patrol_zones(session, city_code=code, zones=pack.patrol_zones)
        summary.steps["patrol_zones"] = zones_summary.counts
        summary.warnings += zones_summary.warnings
    if pack.departments is not None:
        step("departments")
        summary.steps["departments"] = len(
            do_import_departments(
                session,
                city_code=code,
                items=pack.departments,
                known_areas=area_codes(session, code),
                known_categories=_category_references(session, code),
            )
        )
    if pack.devices is not None:
        step("devices")
        summary.steps["devices"] = len(
            do_import_devices(
                session,
                city_code=code,
                items=pack.devices,
                known_departments={d["code"] for d in export_departments(session, code)},
            )
        )
    if pack.staff is not None:
        step("staff")
        zones = {z["code"] for z in export_patrol_zones(session, code)}
        summary.steps["staff"] = len(
            do_import_staff(
                session, city_code=code, items=pack.staff, password=password, known_patrol_zones=zones
            )
        )
    if pack.component_owners is not None:
        step("component owners")
        summary.steps["component_owners"] = len(import_component_owners(session, code, pack.component_owners))
    if pack.dispatch_rules is not None:
        step("dispatch rules")
        summary.steps["dispatch_rules"] = len(import_rules(session, code, pack.dispatch_rules))
    step("registration conditions")
    summary.steps["registration_conditions"] = do_seed_registration_conditions(session, city_code=code)
    return summary


def export_pack(session: Session, city_code: str) -> CityPack:
    """The city as a pack, in exactly the format `do_import_pack` reads."""
    city = get_city(session, city_code)
    city_data: dict[str, Any] = {
        "code": city.code,
        "name_zh": city.name_zh,
        "name_en": city.name_en,
        "timezone": city.timezone,
        "locale": city.locale,
    }
    params = stored_parameters(session, city_code)
    if params:
        city_data["parameters"] = dict(sorted(params.items()))
    return CityPack(
        city=city_data,
        areas=export_areas(session, city_code),
        places=export_places(session, city_code),
        patrol_zones=export_patrol_zones(session, city_code),
        departments=export_departments(session, city_code),
        staff=export_staff(session, city_code),
        taxonomy_local_csv=export_local_codes(session, city_code),
        calendar=export_calendar(session, city_code),
        devices=export_devices(session, city_code),
        dispatch_rules=export_rules(session, city_code) or None,
        component_owners=export_component_owners(session, city_code) or None,
    )
