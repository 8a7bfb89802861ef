"""`cityloop audit verify` and `cityloop sweep` on a committed database, through the CLI."""

from __future__ import annotations

import json

from sqlalchemy import select, text
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from cityloop.cases import Case, TimelineEvent, do_create_case, do_transition
from cityloop.cli import app
from cityloop.core.clock import FrozenClock, get_clock
from cityloop.db.session import create_engine_for
from cityloop.db.setup import ensure_database
from cityloop.flows.citypack import do_import_pack
from loopcity import CITY, actor_for, loop_pack

runner = CliRunner()

STEPS = [
    ("accept", "operator01", None),
    ("file", "leader01", None),
    ("dispatch", "dispatcher01", {"department": "CG"}),
]


def build_loop_database(url: str, *, cases: int = 1, steps: int = 0) -> str:
    """Migrate `url`, import the loop city and commit `cases` inspector reports taken `steps` steps on.

    Returns the number of the last case.
    """
    engine = create_engine_for(url)
    ensure_database(engine, force=True)
    pack = loop_pack()
    grid = next(f for f in pack.areas["features"] if f["properties"]["level"] == "grid")  # type: ignore[index]
    ring = grid["geometry"]["coordinates"][0]
    lon, lat = sum(p[0] for p in ring[:4]) / 4, sum(p[1] for p in ring[:4]) / 4
    with Session(engine) as session:
        do_import_pack(session, pack, password="loop-password")
        actors = {
            u: actor_for(session, CITY, u) for u in ("inspector01", "operator01", "leader01", "dispatcher01")
        }
        number = ""
        for _ in range(cases):
            case = do_create_case(
                session,
                city_code=CITY,
                actor=actors["inspector01"],
                source="inspector",
                category_code="09001",
                lon=lon,
                lat=lat,
                now=get_clock().now(),
            )
            number = case.number
            for action, who, data in STEPS[:steps]:
                do_transition(
                    session, city_code=CITY, number=number, action=action, actor=actors[who], data=data
                )
        session.commit()
    engine.dispose()
    return number


def run(db_url: str, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env={"CITYLOOP_DATABASE_URL": db_url, "COLUMNS": "200"})
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def alter(db_url: str, number: str, seq: int, sql: str) -> None:
    engine = create_engine_for(db_url)
    with Session(engine) as session:
        case_id = session.scalars(select(Case.id).where(Case.number == number)).one()
        session.execute(text(sql), {"case": case_id, "seq": seq})
        session.commit()
    engine.dispose()


def test_audit_passes_on_an_intact_timeline(fresh_db_url: str, clock: FrozenClock) -> None:
    build_loop_database(fresh_db_url, cases=3, steps=3)
    code, out, err = run(fresh_db_url, "audit", "verify", "--city", CITY)
    assert (code, err) == (0, "")
    assert out.strip() == f"city {CITY}: timeline intact — 12 events on 3 cases"
    code, out, _ = run(fresh_db_url, "audit", "verify", "--city", CITY, "--json")
    assert code == 0
    assert json.loads(out) == {"city": CITY, "ok": True, "cases": 3, "events": 12, "breaks": []}


def test_audit_names_the_case_and_event_of_an_altered_row(fresh_db_url: str, clock: FrozenClock) -> None:
    build_loop_database(fresh_db_url, cases=3, steps=3)
    second = f"{CITY}-20261102-00002"
    alter(
        fresh_db_url,
        second,
        3,
        "UPDATE case_events SET reason = 'changed afterwards' WHERE case_id = :case AND seq = :seq",
    )
    code, out, err = run(fresh_db_url, "audit", "verify", "--city", CITY)
    assert (code, out) == (1, "")
    first_line = err.splitlines()[0]
    assert first_line == (
        f"error (audit.chain_broken): city {CITY}: timeline broken at case {second} event 3: "
        "content does not match its hash (altered)"
    )
    code, out, _ = run(fresh_db_url, "audit", "verify", "--city", CITY, "--json")
    assert code == 1
    assert json.loads(out) == {
        "city": CITY,
        "ok": False,
        "cases": 3,
        "events": 12,
        "breaks": [
            {"case": second, "seq": 3, "city_seq": 7, "problem": "content does not match its hash (altered)"}
        ],
    }


def test_audit_notices_a_deleted_event(fresh_db_url: str, clock: FrozenClock) -> None:
    last = build_loop_database(fresh_db_url, cases=2, steps=2)
    alter(fresh_db_url, last, 3, "DELETE FROM case_events WHERE case_id = :case AND seq = :seq")
    code, _, err = run(fresh_db_url, "audit", "verify", "--city", CITY)
    assert code == 1
    assert err.splitlines()[0] == (
        f"error (audit.chain_broken): city {CITY}: timeline broken at the city chain head (event 6): "
        "city head says 6 events, 5 found (deleted)"
    )


def test_audit_of_an_unknown_city_fails(fresh_db_url: str) -> None:
    code, out, err = run(fresh_db_url, "audit", "verify", "--city", "999900")
    assert (code, out) == (1, "")
    assert err.splitlines()[0] == "error (cities.not_found): city 999900 does not exist"


def test_sweep_command_marks_and_is_idempotent(fresh_db_url: str, clock: FrozenClock) -> None:
    number = build_loop_database(fresh_db_url, cases=2, steps=1)  # accept done: file tasks due 09:30
    clock.advance(minutes=45)
    code, out, err = run(fresh_db_url, "sweep", "--city", CITY, "--json")
    assert (code, err) == (0, "")
    assert json.loads(out) == {
        "city": CITY,
        "at": "2026-11-02T01:45:00+00:00",
        "marked": {"file": 2},
        "total": 2,
        "cases": 2,
    }
    code, out, _ = run(fresh_db_url, "sweep", "--city", CITY)
    assert (code, out.strip()) == (0, f"city {CITY}: no task newly overdue at 2026-11-02T01:45:00+00:00")
    clock.advance(days=2)
    code, out, _ = run(fresh_db_url, "sweep", "--city", CITY)
    assert code == 0 and out.splitlines()[0].startswith(f"city {CITY}: ")  # nothing else became due
    engine = create_engine_for(fresh_db_url)
    with Session(engine) as session:
        actions = session.scalars(
            select(TimelineEvent.action)
            .join(Case, Case.id == TimelineEvent.case_id)
            .where(Case.number == number)
            .order_by(TimelineEvent.seq)
        ).all()
        assert actions == ["report", "accept", "overdue"]
    engine.dispose()
    code, out, _ = run(fresh_db_url, "audit", "verify", "--city", CITY)
    assert (code, out.strip()) == (0, f"city {CITY}: timeline intact — 6 events on 2 cases")
