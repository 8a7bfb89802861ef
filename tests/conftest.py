"""Shared fixtures: a real database (SQLite by default, PostgreSQL when
CITYLOOP_TEST_DATABASE_URL points at one), a session rolled back after each test, a frozen
clock, and small factories.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from cityloop.cities.models import City
from cityloop.core.clock import FrozenClock, use_clock
from cityloop.db.base import Base, import_models
from cityloop.db.session import create_engine_for

pytest_plugins = ["loopcity"]

PG_URL = os.environ.get("CITYLOOP_TEST_DATABASE_URL", "")


def pytest_report_header() -> str:
    return f"cityloop database: {'PostgreSQL ' + make_url(PG_URL).render_as_string() if PG_URL else 'SQLite'}"


@pytest.fixture(scope="session")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    url = PG_URL or f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    eng = create_engine_for(url)
    metadata = import_models()
    metadata.drop_all(eng)
    metadata.create_all(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session inside a transaction that is rolled back after the test, whatever it committed."""
    with engine.connect() as connection:
        outer = connection.begin()
        with Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False) as s:
            yield s
        outer.rollback()


_counter = itertools.count()


@pytest.fixture
def fresh_db_url(tmp_path: Path) -> Iterator[str]:
    """The URL of a new, empty database (for CLI and migration tests that commit)."""
    if not PG_URL:
        yield f"sqlite:///{tmp_path / 'fresh.db'}"
        return
    name = f"cityloop_fresh_{os.getpid()}_{next(_counter)}"
    admin = create_engine_for(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        from cityloop.db.session import _engine_for

        _engine_for.cache_clear()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def clock() -> Iterator[FrozenClock]:
    """Monday 2 November 2026, 09:00 in Shanghai (01:00 UTC), standing still until moved."""
    frozen = FrozenClock(datetime(2026, 11, 2, 1, 0, tzinfo=UTC))
    with use_clock(frozen):
        yield frozen


@pytest.fixture
def make_city(session: Session) -> Callable[..., City]:
    def make(code: str = "330100", name_zh: str = "示范市", name_en: str | None = "Demo City") -> City:
        city = City(code=code, name_zh=name_zh, name_en=name_en)
        session.add(city)
        session.flush()
        return city

    return make


@pytest.fixture
def city(make_city: Callable[..., City]) -> City:
    return make_city()


__all__ = ["Base"]
