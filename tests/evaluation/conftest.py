"""A committed database holding the hand-built month, for the CLI and the API."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from cityloop.core.clock import FrozenClock
from cityloop.db.session import create_engine_for
from cityloop.db.setup import ensure_database
from cityloop.flows.citypack import do_import_pack
from evaluation.month import build_month
from geo.factories import center_of
from loopcity import CITY, OTHER_CITY, STAFF, LoopCity, actor_for, loop_pack

PASSWORD = "loop-password"


@pytest.fixture
def month_db(fresh_db_url: str, clock: FrozenClock) -> Iterator[tuple[str, Engine, dict[str, str]]]:
    """(url, engine, case numbers by letter): the loop city with November played, and a second city."""
    engine = create_engine_for(fresh_db_url)
    ensure_database(engine, force=True)
    pack = loop_pack()
    with Session(engine, expire_on_commit=False) as session:
        do_import_pack(session, pack, password=PASSWORD)
        do_import_pack(session, loop_pack(OTHER_CITY, origin=(116.40, 39.90)), password=PASSWORD)
        grid = next(f for f in pack.areas["features"] if f["properties"]["level"] == "grid")
        point = center_of(pack.areas, grid["properties"]["code"])  # type: ignore[arg-type]
        actors = {u: actor_for(session, CITY, u) for u, _, _ in STAFF}
        cases = build_month(LoopCity(session=session, code=CITY, point=point, actors=actors, clock=clock))
        session.commit()
        numbers = {k: v.number for k, v in cases.items()}
    yield fresh_db_url, engine, numbers
    engine.dispose()
