"""Alembic environment: runs migrations on the engine handed over by `cityloop.db.migrate`."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

from cityloop.db.base import import_models
from cityloop.db.session import create_engine_for

config = context.config
target_metadata = import_models()


def run_migrations_online() -> None:
    engine = config.attributes.get("engine")
    if not isinstance(engine, Engine):
        engine = create_engine_for(config.get_main_option("sqlalchemy.url") or "")
    with engine.begin() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            compare_type=True,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        context.run_migrations()


run_migrations_online()
