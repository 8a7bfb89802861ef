"""Engine and session factory. The caller owns the transaction; actions never commit."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from cityloop.settings import load_settings


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin: the module's own
    # handling starts none before a SAVEPOINT, so releasing one would commit and rolling back
    # the outer transaction would not undo it.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def _sqlite_begin(connection: Any) -> None:
    # IMMEDIATE takes the write lock at the start, so two writers wait for each other (busy
    # timeout) instead of failing when one read before the other wrote.
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def create_engine_for(url: str, **kwargs: Any) -> Engine:
    """An engine for `url`; SQLite gets WAL, foreign keys and a busy timeout, and its folder."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


@lru_cache(maxsize=8)
def _engine_for(url: str) -> Engine:
    return create_engine_for(url)


def get_engine(url: str | None = None) -> Engine:
    """The process's engine for `url` (default: `CITYLOOP_DATABASE_URL`)."""
    return _engine_for(url or load_settings().database_url)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session from `factory` that commits when the block ends and rolls back if it raises."""
    with factory() as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


@contextmanager
def session_scope(engine: Engine | None = None) -> Iterator[Session]:
    """A committed-on-success session on `engine` (default: CITYLOOP_DATABASE_URL)."""
    with transaction(make_session_factory(engine or get_engine())) as session:
        yield session
