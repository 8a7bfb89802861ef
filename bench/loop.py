"""The closed loop benchmark: N cases through the whole happy path, through the actions layer.

    python bench/loop.py [--cases N] [--json] [--database-url URL | --keep PATH] [--seed S]

Builds a temporary SQLite database (or uses --database-url, e.g. an empty PostgreSQL
database), migrates it, imports the demo city 330100, then drives N cases, one transaction
per case, on a virtual clock that advances a few minutes per step:

    inspector report → accept → file → dispatch → sign → feedback → send_check → check_ok → close

Every third case is instead a citizen's hotline report registered by an operator with a
reporter reference: it is first sent for verification and confirmed on site, and after
closing the operator calls the citizen back (回访). The acting staff are the demo city's
accounts (the inspector of the grid's patrol zone, operator01, shiftleader01, dispatcher01,
the responsible department's desk `dept_<code>`). At the end the city's timeline is verified.

Prints {"cases", "cases_per_s", "events", "seconds", "database", "audit_ok", ...}; only the
case loop is timed (not the migration or the import). The machine is shared and noisy:
compare figures of one run, not across runs.

With --keep PATH the SQLite database is written to PATH and kept, so that the audit can be
run on it, and fails once an event is altered:

    python bench/loop.py --cases 300 --keep var/loop.db
    CITYLOOP_DATABASE_URL=sqlite:///var/loop.db cityloop audit verify --city 330100
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from shapely.geometry import shape
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from cityloop.cases import Actor, Case, do_create_case, do_transition, verify_city
from cityloop.core.clock import FrozenClock, use_clock
from cityloop.db.session import create_engine_for, make_session_factory
from cityloop.db.setup import ensure_database
from cityloop.flows.citypack import do_import_pack
from cityloop.org import get_staff
from cityloop.org.queries import responsible_departments
from cityloop.sim.democity import DemoPack, build_demo_pack

CITY = "330100"
#: Monday 2 November 2026, 09:00 in the demo city (Asia/Shanghai).
START = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)
#: Matters reported in the benchmark, with the department that handles them in the demo city
#: as a fallback when no responsibility matches the case's area.
CATEGORIES = {"09001": "CG", "09002": "CG", "06010": "HW", "06013": "SZ", "06017": "YL", "06001": "CG"}
STAFF_STEPS = [
    ("accept", "operator"),
    ("file", "shift_leader"),
    ("dispatch", "dispatcher"),
    ("sign", "department"),
    ("feedback", "department"),
    ("send_check", "operator"),
    ("check_ok", "inspector"),
    ("close", "shift_leader"),
]


class Staff:
    """The demo city's accounts as actors, built once from their staff rows."""

    def __init__(self, session: Session, demo: DemoPack) -> None:
        self.session = session
        self._actors: dict[str, Actor] = {}
        # One inspector per patrol zone, and one zone per community (see sim/democity/staff.py).
        self.inspector_of_grid = {
            grid: f"inspector{n:02d}"
            for n, zone in enumerate(demo.patrol_zones, start=1)
            for grid in zone["grids"]
        }

    def actor(self, username: str) -> Actor:
        if username not in self._actors:
            self._actors[username] = Actor.from_staff(get_staff(self.session, CITY, username))
        return self._actors[username]

    def load_all(self, demo: DemoPack) -> None:
        """Build every account's actor now and end the read, so that no open transaction of this
        session holds SQLite's write lock while the cases are written by other sessions."""
        for person in demo.staff:
            self.actor(person["username"])
        self.session.rollback()


def _import_demo(engine: Engine) -> DemoPack:
    demo = build_demo_pack(CITY)
    pack = demo.to_city_pack()
    with Session(engine) as session:
        do_import_pack(session, pack, password="bench-password")
        session.commit()
    return demo


def _grid_centres(demo: DemoPack) -> list[tuple[str, float, float]]:
    found = []
    for feature in demo.areas["features"]:
        if feature["properties"]["level"] == "grid":
            point = shape(feature["geometry"]).representative_point()
            found.append((feature["properties"]["code"], point.x, point.y))
    return found


def _department(session: Session, case: Case) -> str:
    codes = [c for c in (case.grid_code, case.community_code, case.street_code, case.district_code) if c]
    found = responsible_departments(session, CITY, kind=case.kind, code=case.category_code, area_codes=codes)
    return found[0].code if found else CATEGORIES[case.category_code]


def _one_case(
    session: Session, staff: Staff, clock: FrozenClock, rng: random.Random, index: int, centre: Any
) -> int:
    """Drive one case from report to close (and callback); returns the number of actions taken."""
    grid, lon, lat = centre
    inspector = staff.inspector_of_grid.get(grid, "inspector01")
    people = {
        "operator": "operator01",
        "shift_leader": "shiftleader01",
        "dispatcher": "dispatcher01",
        "inspector": inspector,
    }
    category = rng.choice(sorted(CATEGORIES))
    public = index % 3 == 2
    if public:
        case = do_create_case(
            session,
            city_code=CITY,
            actor=staff.actor("operator01"),
            source="hotline",
            category_code=category,
            lon=lon,
            lat=lat,
            description="市民来电反映",
            reporter_ref=f"citizen-{index:06d}",
            now=clock.now(),
        )
        steps = [("send_verify", "operator"), ("confirm", "inspector"), *STAFF_STEPS]
    else:
        case = do_create_case(
            session,
            city_code=CITY,
            actor=staff.actor(inspector),
            source="inspector",
            category_code=category,
            lon=lon,
            lat=lat,
            description="巡查发现",
            now=clock.now(),
        )
        steps = list(STAFF_STEPS)
    department = _department(session, case)
    people["department"] = f"dept_{department.lower()}"
    for action, role in steps:
        clock.advance(minutes=rng.randint(2, 6))
        data = {"department": department} if action == "dispatch" else None
        do_transition(
            session,
            city_code=CITY,
            number=case.number,
            action=action,
            actor=staff.actor(people[role]),
            data=data,
            now=clock.now(),
        )
    if public:
        clock.advance(minutes=rng.randint(2, 6))
        do_transition(
            session,
            city_code=CITY,
            number=case.number,
            action="callback",
            actor=staff.actor("operator01"),
            data={"rating": rng.choice(["满意", "满意", "基本满意"])},
            now=clock.now(),
        )
    return 1 + len(steps) + (1 if public else 0)


def run(cases: int, url: str, seed: int) -> dict[str, Any]:
    engine = create_engine_for(url)
    figures: dict[str, Any] = {"cases": cases, "database": engine.dialect.name}
    try:
        started = time.perf_counter()
        ensure_database(engine, force=True)
        demo = _import_demo(engine)
        figures["setup_s"] = time.perf_counter() - started
        centres = _grid_centres(demo)
        rng = random.Random(seed)
        clock = FrozenClock(START)
        factory = make_session_factory(engine)
        actions = 0
        with use_clock(clock), factory() as staff_session:
            staff = Staff(staff_session, demo)
            staff.load_all(demo)
            started = time.perf_counter()
            for index in range(cases):
                with factory() as session:
                    actions += _one_case(session, staff, clock, rng, index, rng.choice(centres))
                    session.commit()
            seconds = time.perf_counter() - started
        with factory() as session:
            report = verify_city(session, CITY)
        figures.update(
            cases_per_s=cases / seconds if seconds else 0.0,
            events=report.events,
            actions=actions,
            actions_per_s=actions / seconds if seconds else 0.0,
            seconds=seconds,
            audit_ok=report.ok,
        )
    finally:
        engine.dispose()
    return {k: round(v, 3) if isinstance(v, float) else v for k, v in figures.items()}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cases", type=int, default=300, help="cases to drive through the loop")
    parser.add_argument("--json", action="store_true", help="print JSON")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--database-url", help="database URL (default: a temporary SQLite file)")
    where.add_argument("--keep", type=Path, help="write the SQLite database to this file and keep it")
    parser.add_argument("--seed", type=int, default=7, help="seed of the random choices")
    args = parser.parse_args()
    if args.cases < 1:
        parser.error("--cases must be at least 1")

    with tempfile.TemporaryDirectory() as tmp:
        if args.database_url:
            url = args.database_url
        elif args.keep:
            args.keep.parent.mkdir(parents=True, exist_ok=True)
            url = f"sqlite:///{args.keep.resolve()}"
        else:
            url = f"sqlite:///{Path(tmp) / 'loop.db'}"
        figures = run(args.cases, url, args.seed)
    if args.keep:
        figures["kept"] = str(args.keep)
    if args.json:
        sys.stdout.write(json.dumps(figures, ensure_ascii=False) + "\n")
    else:
        width = max(map(len, figures))
        for key, value in figures.items():
            print(f"{key:<{width}}  {value}")
    if not figures["audit_ok"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
