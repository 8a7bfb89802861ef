"""The Alembic migrations build exactly the schema the models declare, on both databases."""

from __future__ import annotations

from sqlalchemy import inspect

from cityloop.db.migrate import model_differences, upgrade
from cityloop.db.session import create_engine_for
from cityloop.db.setup import ensure_database


def test_migrations_match_models(fresh_db_url: str) -> None:
    engine = create_engine_for(fresh_db_url)
    try:
        upgrade(engine)
        assert model_differences(engine) == []
        tables = set(inspect(engine).get_table_names())
        assert {"cities", "city_parameters", "alembic_version"} <= tables
    finally:
        engine.dispose()


def test_ensure_database_is_idempotent_and_seeds(fresh_db_url: str) -> None:
    from sqlalchemy import func, select
    from sqlalchemy.orm import Session

    from cityloop.taxonomy.models import Category

    engine = create_engine_for(fresh_db_url)
    try:
        ensure_database(engine, force=True)
        ensure_database(engine, force=True)
        with Session(engine) as session:
            national = session.scalar(
                select(func.count()).select_from(Category).where(Category.standard == "GB/T 47678.5-2026")
            )
        assert national == 403
    finally:
        engine.dispose()
