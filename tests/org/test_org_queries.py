from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.orm import Session

from cityloop.cities.errors import CityNotFound
from cityloop.cities.models import City
from cityloop.org import (
    do_import_departments,
    do_import_staff,
    list_departments,
    responsible_departments,
    workers_on_shift,
)
from cityloop.org.roles import StaffRole
from cityloop.org.shifts import local_time, parse_hhmm, shift_covers

SHANGHAI = "Asia/Shanghai"


def _codes(session: Session, city: City, kind: str, code: str, areas: list[str]) -> list[str]:
    return [
        d.code for d in responsible_departments(session, city.code, kind=kind, code=code, area_codes=areas)
    ]


def test_roles_have_labels_and_descriptions() -> None:
    assert [r.value for r in StaffRole] == [
        "inspector",
        "operator",
        "shift_leader",
        "dispatcher",
        "department",
        "field_worker",
        "leader",
        "auditor",
        "admin",
    ]
    assert StaffRole.SHIFT_LEADER.label.get("zh-CN") == "值班长"
    assert StaffRole.SHIFT_LEADER.label.get("en") == "Shift leader"
    assert all(role.description and "\n" not in role.description for role in StaffRole)


def test_most_specific_department_first(session: Session, org_city: City, known: Any) -> None:
    chain = [known.grid, known.grid[:12], known.street, known.street[:6]]
    assert _codes(session, org_city, "matter", "06001", [known.grid]) == ["CG-HW", "CG"]
    assert _codes(session, org_city, "matter", "06002", [known.grid]) == ["CG"]
    assert _codes(session, org_city, "matter", "09001", chain) == ["JD-01", "CG"]
    # The street covers the grids inside it, so the grid code alone is enough.
    assert _codes(session, org_city, "matter", "09001", [known.grid]) == ["JD-01", "CG"]
    assert _codes(session, org_city, "matter", "09001", ["330106001001001"]) == ["CG"]
    assert _codes(session, org_city, "component", "09001", [known.grid]) == ["JD-01"]
    assert _codes(session, org_city, "component", "06001", [known.grid]) == []
    assert _codes(session, org_city, "matter", "07001", [known.grid]) == []


def test_responsibility_filters_by_standard_when_asked(session: Session, org_city: City, known: Any) -> None:
    found = responsible_departments(
        session,
        org_city.code,
        kind="matter",
        code="06001",
        area_codes=[known.grid],
        standard="GB/T 30428.2-2013",
    )
    assert found == []


def test_inactive_and_other_city_departments_are_not_responsible(
    session: Session, org_city: City, make_city: Any, departments: list[dict[str, Any]], known: Any
) -> None:
    other = make_city("110100", "北京")
    do_import_departments(session, city_code=other.code, items=departments)
    do_import_departments(session, city_code=org_city.code, items=departments[:1])
    assert _codes(session, org_city, "matter", "06001", [known.grid]) == ["CG"]
    assert _codes(session, other, "matter", "06001", [known.grid]) == ["CG-HW", "CG"]


def test_list_departments_of_unknown_city(session: Session) -> None:
    with pytest.raises(CityNotFound):
        list_departments(session, "990100")


def _at(local_text: str) -> datetime:
    """A Shanghai wall-clock time as an aware UTC instant (Shanghai is UTC+8, no DST)."""
    return (datetime.fromisoformat(local_text) - timedelta(hours=8)).replace(tzinfo=UTC)


@pytest.mark.parametrize(
    ("local", "on_shift"),
    [
        ("2026-11-02 08:29", []),  # Monday
        ("2026-11-02 08:30", ["worker01"]),
        ("2026-11-02 09:00", ["worker01"]),
        ("2026-11-02 17:30", []),
        ("2026-11-02 05:00", []),  # the night from Sunday is not a shift
        ("2026-11-02 22:00", ["worker02"]),
        ("2026-11-02 23:59", ["worker02"]),
        ("2026-11-03 05:59", ["worker02"]),  # Tuesday morning, Monday's night shift
        ("2026-11-03 06:00", []),  # not yet worker01 (08:30)
        ("2026-11-03 12:00", ["worker01"]),
        ("2026-11-04 03:00", []),  # Tuesday night is not a shift
        ("2026-11-05 03:00", ["worker02"]),  # Wednesday's night shift
        ("2026-11-07 10:00", []),  # Saturday
    ],
)
def test_workers_on_shift_in_local_time(
    session: Session, org_city: City, local: str, on_shift: list[str]
) -> None:
    found = workers_on_shift(session, org_city.code, "CG-HW", _at(local), SHANGHAI)
    assert [s.username for s in found] == on_shift


def test_workers_on_shift_uses_the_given_zone(session: Session, org_city: City, clock: Any) -> None:
    now = clock.now()  # Monday 09:00 in Shanghai, 01:00 UTC
    assert [s.username for s in workers_on_shift(session, org_city.code, "CG-HW", now, SHANGHAI)] == [
        "worker01"
    ]
    assert workers_on_shift(session, org_city.code, "CG-HW", now, "UTC") == []
    assert workers_on_shift(session, org_city.code, "CG", now, SHANGHAI) == []


def test_inactive_workers_are_never_on_shift(
    session: Session, org_city: City, staff_items: list[dict[str, Any]], clock: Any
) -> None:
    do_import_staff(
        session, city_code=org_city.code, items=[i for i in staff_items if i["username"] != "worker01"]
    )
    assert workers_on_shift(session, org_city.code, "CG-HW", clock.now(), SHANGHAI) == []


def test_shift_arithmetic() -> None:
    assert parse_hhmm("00:00") == 0
    assert parse_hhmm("23:59") == 1439
    for bad in ("24:00", "7:00", "07:60", "0700", ""):
        with pytest.raises(ValueError, match="HH:MM"):
            parse_hhmm(bad)
    sunday_night = [7]
    monday_3am = datetime(2026, 11, 2, 3, 0)
    assert shift_covers(sunday_night, "22:00", "06:00", monday_3am)
    assert not shift_covers([1], "22:00", "06:00", monday_3am)
    assert (
        local_time(datetime(2026, 11, 1, 19, 0, tzinfo=UTC), SHANGHAI).isoformat()
        == "2026-11-02T03:00:00+08:00"
    )
    with pytest.raises(ValueError, match="naive"):
        local_time(datetime(2026, 11, 2), SHANGHAI)
