"""Patrol zones and staff of the demo city: one inspector per community, desks, field workers."""

from __future__ import annotations

from random import Random
from typing import Any

from cityloop.sim.democity.geometry import Layout
from cityloop.sim.democity.lattice import Cell, centroid, point
from cityloop.sim.democity.names import person_names
from cityloop.sim.democity.organisation import SKILLS, STREET_OFFICE_SKILLS, street_office_code

CENTRE = "ZX"
HOME_RADIUS = 6  # cells (~600 m) around a department's depot or a street office
WORKERS = {"CG": 6, "HW": 8, "SZ": 7, "YL": 5, "JJ": 4, "GPS": 4, "RQ": 3}
WORKERS_PER_STREET_OFFICE = 2
# Evening shifts exist where work goes on after dark: sanitation, enforcement, traffic, street offices.
EVENING_DEPARTMENTS = ("CG", "HW", "JJ", "JD")

_WEEKDAYS = [1, 2, 3, 4, 5]
DAY = [{"weekdays": _WEEKDAYS, "start": "08:30", "end": "17:30"}]
WEEKEND = [{"weekdays": [3, 4, 5, 6, 7], "start": "08:30", "end": "17:30"}]
EVENING = [{"weekdays": _WEEKDAYS, "start": "16:00", "end": "23:00"}]


def patrol_zones(layout: Layout) -> list[dict[str, Any]]:
    """patrol_zones.yaml: one zone per community, so the zones cover every grid exactly once."""
    return [
        {"code": f"PZ{n:03d}", "name": f"{c.name}巡查责任区", "grids": [code for code, _ in c.grids]}
        for n, c in enumerate(layout.communities, start=1)
    ]


def _shifts(department: str, index: int) -> list[dict[str, Any]]:
    """Most work weekday days; one in five works Wednesday to Sunday; one in five works evenings where needed."""
    if index % 5 == 2:
        pattern = WEEKEND
    elif index % 5 == 4 and department.startswith(EVENING_DEPARTMENTS):
        pattern = EVENING
    else:
        pattern = DAY
    return [{**shift, "weekdays": list(shift["weekdays"])} for shift in pattern]


def _home(area: list[Cell], depot: Cell, rng: Random) -> list[float]:
    """A home base in a cell of `area` near the depot, never on a grid edge."""
    near = [cell for cell in area if max(abs(cell[0] - depot[0]), abs(cell[1] - depot[1])) <= HOME_RADIUS]
    r, c = rng.choice(near or area)
    return point(r + rng.uniform(0.2, 0.8), c + rng.uniform(0.2, 0.8))


def _worker_plan(layout: Layout, rng: Random) -> list[tuple[str, tuple[str, ...], list[Cell], Cell]]:
    """(department, skill options, area, depot) for every field worker, in username order."""
    city = sorted(layout.cells)
    plan: list[tuple[str, tuple[str, ...], list[Cell], Cell]] = []
    for department, count in WORKERS.items():
        depot = rng.choice(city)
        plan.extend((department, SKILLS[department], city, depot) for _ in range(count))
    for n, street in enumerate(layout.streets, start=1):
        area = sorted(street.cells)
        middle = centroid(area)
        office = min(
            area, key=lambda cell: (abs(cell[0] + 0.5 - middle[0]) + abs(cell[1] + 0.5 - middle[1]), cell)
        )
        plan.extend(
            (street_office_code(n), STREET_OFFICE_SKILLS, area, office)
            for _ in range(WORKERS_PER_STREET_OFFICE)
        )
    return plan


def staff(layout: Layout, department_codes: list[str], rng: Random) -> list[dict[str, Any]]:
    """staff.yaml: every role of the centre, a desk per department, and the field workers."""
    zones = patrol_zones(layout)
    people: list[tuple[str, list[str], str | None, str | None]] = [("admin", ["admin"], None, None)]
    people += [(f"leader{n:02d}", ["leader"], None, None) for n in (1, 2)]
    people += [("auditor01", ["auditor"], None, None)]
    people += [(f"shiftleader{n:02d}", ["shift_leader"], CENTRE, None) for n in (1, 2)]
    people += [(f"operator{n:02d}", ["operator"], CENTRE, None) for n in range(1, 5)]
    people += [(f"dispatcher{n:02d}", ["dispatcher"], CENTRE, None) for n in range(1, 4)]
    people += [
        (f"inspector{n:02d}", ["inspector"], CENTRE, zone["code"]) for n, zone in enumerate(zones, start=1)
    ]
    people += [(f"dept_{code.lower()}", ["department"], code, None) for code in department_codes]
    plan = _worker_plan(layout, rng)
    names = person_names(len(people) + len(plan), rng)
    found: list[dict[str, Any]] = []
    for n, (username, roles, department, zone) in enumerate(people, start=1):
        member: dict[str, Any] = {
            "username": username,
            "name": names[n - 1],
            "roles": roles,
            "department": department,
        }
        if zone is not None:
            member["patrol_zone"] = zone
        member["phone"] = f"1380000{n:04d}"
        found.append(member)
    for k, (department, options, area, depot) in enumerate(plan, start=1):
        picked = set(rng.sample(options, rng.randint(1, min(2, len(options)))))
        n = len(people) + k
        found.append({
            "username": f"worker{k:02d}", "name": names[n - 1], "roles": ["field_worker"],
            "department": department, "phone": f"1380000{n:04d}",
            "worker": {
                "home": _home(area, depot, rng),
                "skills": [skill for skill in options if skill in picked],
                "shifts": _shifts(department, k - 1),
            },
        })  # fmt: skip
    return found
