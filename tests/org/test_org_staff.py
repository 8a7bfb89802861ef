from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cityloop.access.errors import WeakPassword
from cityloop.cities.models import City
from cityloop.core.passwords import verify_password
from cityloop.org import (
    do_import_departments,
    do_import_staff,
    export_staff,
    get_staff,
    list_staff,
)
from cityloop.org.errors import OrgImportFailed, StaffNotFound
from cityloop.org.models import Shift, Staff, WorkerProfile


@pytest.fixture
def dept_city(session: Session, city: City, departments: list[dict[str, Any]]) -> City:
    do_import_departments(session, city_code=city.code, items=departments)
    return city


def _counts(session: Session) -> tuple[int, int, int]:
    return (
        session.scalar(select(func.count()).select_from(Staff)) or 0,
        session.scalar(select(func.count()).select_from(WorkerProfile)) or 0,
        session.scalar(select(func.count()).select_from(Shift)) or 0,
    )


def test_import_creates_staff_workers_and_shifts(session: Session, org_city: City) -> None:
    worker = get_staff(session, org_city.code, "worker01")
    assert (worker.name, worker.roles, worker.department.code if worker.department else None) == (
        "李强",
        ["field_worker"],
        "CG-HW",
    )
    assert worker.worker is not None
    assert (worker.worker.home_lon, worker.worker.home_lat, worker.worker.skills) == (
        120.13,
        30.26,
        ["cleaning", "road"],
    )
    assert [(s.weekdays, s.start, s.end) for s in worker.worker.shifts] == [
        ([1, 2, 3, 4, 5], "08:30", "17:30")
    ]
    inspector = get_staff(session, org_city.code, "inspector01")
    assert (inspector.patrol_zone_code, inspector.worker) == ("PZ001", None)
    assert inspector.password_hash is not None
    assert verify_password(inspector.password_hash, "secret-pass")
    assert _counts(session) == (5, 2, 2)


def test_export_round_trips(session: Session, org_city: City, staff_items: list[dict[str, Any]]) -> None:
    exported = export_staff(session, org_city.code)
    assert exported == staff_items
    assert all("password" not in item and "password_hash" not in item for item in exported)
    do_import_staff(session, city_code=org_city.code, items=exported)
    assert export_staff(session, org_city.code) == exported


def test_reimport_updates_in_place_keeps_passwords_and_deactivates(
    session: Session, org_city: City, staff_items: list[dict[str, Any]]
) -> None:
    before = {s.username: (s.id, s.password_hash) for s in session.scalars(select(Staff))}
    staff_items[3]["worker"]["shifts"] = [
        {"weekdays": [6, 7], "start": "09:00", "end": "18:00"},
        {"weekdays": [1], "start": "20:00", "end": "23:00"},
    ]
    staff_items[4]["roles"] = ["department"]
    staff_items[4]["worker"] = None
    del staff_items[1]  # inspector01 leaves
    staff_items.append({"username": "operator01", "name": "新人", "roles": ["operator"]})
    do_import_staff(session, city_code=org_city.code, items=staff_items, password="another-pass")

    after = {s.username: (s.id, s.password_hash) for s in session.scalars(select(Staff))}
    for username in ("admin", "leader", "worker01", "worker02", "inspector01"):
        assert after[username] == before[username]
    new_hash = after["operator01"][1]
    assert new_hash is not None and verify_password(new_hash, "another-pass")
    assert get_staff(session, org_city.code, "inspector01").active is False
    w1 = get_staff(session, org_city.code, "worker01").worker
    assert w1 is not None
    assert [(s.weekdays, s.start, s.end) for s in w1.shifts] == [
        ([6, 7], "09:00", "18:00"),
        ([1], "20:00", "23:00"),
    ]
    assert get_staff(session, org_city.code, "worker02").worker is None
    assert _counts(session) == (6, 1, 2)
    assert [s.username for s in session.scalars(list_staff(session, org_city.code))] == [
        "admin",
        "leader",
        "operator01",
        "worker01",
        "worker02",
    ]


def test_password_only_for_accounts_without_one(session: Session, dept_city: City) -> None:
    items = [{"username": "a", "name": "甲", "roles": ["operator"]}]
    (staff,) = do_import_staff(session, city_code=dept_city.code, items=items)
    assert staff.password_hash is None
    do_import_staff(session, city_code=dept_city.code, items=items, password="first-pass")
    first = staff.password_hash
    assert first is not None and verify_password(first, "first-pass")
    do_import_staff(session, city_code=dept_city.code, items=items, password="second-pass")
    assert staff.password_hash == first


def test_weak_password_is_refused_before_anything_is_written(session: Session, dept_city: City) -> None:
    with pytest.raises(WeakPassword) as err:
        do_import_staff(
            session,
            city_code=dept_city.code,
            items=[{"username": "a", "name": "甲", "roles": ["operator"]}],
            password="short",
        )
    assert (err.value.code, err.value.status) == ("access.weak_password", 422)
    assert _counts(session) == (0, 0, 0)


def test_every_problem_is_reported_and_nothing_written(session: Session, dept_city: City, known: Any) -> None:
    items: list[Any] = [
        {"username": "a", "name": "甲", "roles": ["operator"], "email": "a@x"},
        {"username": "b", "roles": ["citizen"]},
        {"username": "a", "name": "重复", "roles": ["operator"]},
        {"username": "c", "name": "丙", "roles": ["janitor", "operator", "operator"]},
        {"username": "d", "name": "丁", "roles": ["department"]},
        {"username": "e", "name": "戊", "roles": ["field_worker"], "department": "NOPE"},
        {"username": "f", "name": "己", "roles": ["inspector"], "patrol_zone": "PZ999"},
        {"username": "g", "name": "庚", "roles": ["operator"], "patrol_zone": "PZ001"},
        {"username": "h", "name": "辛", "roles": ["operator"], "worker": {"home": [120, 30]}},
        {
            "username": "i",
            "name": "壬",
            "roles": ["field_worker"],
            "department": "CG-HW",
            "worker": {
                "home": [200, 30],
                "shifts": [
                    {"weekdays": [0, 8], "start": "8:30", "end": "24:00"},
                    {"weekdays": [], "start": "09:00", "end": "09:00"},
                ],
            },
        },
        {"username": "bad name!", "name": "癸", "roles": []},
    ]
    with pytest.raises(OrgImportFailed) as err:
        do_import_staff(
            session,
            city_code=dept_city.code,
            items=items,
            password="good-pass",
            known_patrol_zones=known.zones,
        )
    assert err.value.code == "org.import_failed"
    problems = [(p["index"], p["key"], p["field"], p["rule"]) for p in err.value.details]
    assert problems == [
        (0, "a", "email", "unknown key"),
        (1, "b", "name", "required key missing"),
        (1, "b", "roles", "citizen is not a staff role: citizens are not staff"),
        (2, "a", "username", "duplicate username, already used by item 0"),
        (
            3,
            "c",
            "roles",
            "unknown role 'janitor'; roles are admin, auditor, department, dispatcher, field_worker, "
            "inspector, leader, operator, shift_leader",
        ),
        (9, "i", "worker.home", "home [200.0, 30.0] must be [longitude, latitude] within ±180 and ±90"),
        (9, "i", "worker.shifts[0].weekdays", "weekday 0 must be 1 (Monday) to 7 (Sunday)"),
        (9, "i", "worker.shifts[0].start", "time '8:30' must be HH:MM between 00:00 and 23:59"),
        (9, "i", "worker.shifts[0].end", "time '24:00' must be HH:MM between 00:00 and 23:59"),
        (9, "i", "worker.shifts[1].weekdays", "List should have at least 1 item after validation, not 0"),
        (
            10,
            "bad name!",
            "username",
            "String should match pattern '^[A-Za-z0-9._-]{1,64}$' (got 'bad name!')",
        ),
        (10, "bad name!", "roles", "List should have at least 1 item after validation, not 0"),
        (4, "d", "department", "role department requires a department"),
        (5, "e", "department", "unknown department 'NOPE' in this city"),
        (6, "f", "patrol_zone", "unknown patrol zone 'PZ999'"),
        (7, "g", "patrol_zone", "only inspectors have a patrol zone"),
        (8, "h", "worker", "only field workers have a worker block"),
    ]
    assert {p["file"] for p in err.value.details} == {"staff.yaml"}
    assert _counts(session) == (0, 0, 0)


def test_shift_of_no_length_and_duplicate_weekdays(session: Session, dept_city: City) -> None:
    worker = {
        "home": [120, 30],
        "shifts": [
            {"weekdays": [1, 1], "start": "09:00", "end": "17:00"},
            {"weekdays": [2], "start": "09:00", "end": "09:00"},
        ],
    }
    items = [{"username": "w", "name": "工", "roles": ["field_worker"], "department": "CG", "worker": worker}]
    with pytest.raises(OrgImportFailed) as err:
        do_import_staff(session, city_code=dept_city.code, items=items)
    assert [(p["field"], p["rule"]) for p in err.value.details] == [
        ("worker.shifts[0].weekdays", "weekday 1 is listed twice"),
        ("worker.shifts[1]", "shift starts and ends at 09:00; a shift must last some time"),
    ]


def test_staff_of_an_inactive_department_is_refused(
    session: Session, dept_city: City, departments: list[dict[str, Any]]
) -> None:
    do_import_departments(session, city_code=dept_city.code, items=departments[:1])
    items = [{"username": "w", "name": "工", "roles": ["department"], "department": "CG-HW"}]
    with pytest.raises(OrgImportFailed, match="unknown department 'CG-HW' in this city"):
        do_import_staff(session, city_code=dept_city.code, items=items)


def test_list_staff_filters_by_role_and_department(session: Session, org_city: City) -> None:
    def names(**kw: Any) -> list[str]:
        return [s.username for s in session.scalars(list_staff(session, org_city.code, **kw))]

    assert names(role="field_worker") == ["worker01", "worker02"]
    assert names(role="department") == ["worker02"]
    assert names(role="auditor") == ["leader"]
    assert names(department="CG-HW") == ["worker01", "worker02"]
    assert names(role="admin", department="CG-HW") == []


def test_staff_are_per_city(session: Session, org_city: City, make_city: Any) -> None:
    other = make_city("110100", "北京")
    with pytest.raises(StaffNotFound) as err:
        get_staff(session, other.code, "admin")
    assert (err.value.code, err.value.status) == ("org.staff_not_found", 404)
    assert list(session.scalars(list_staff(session, other.code))) == []
