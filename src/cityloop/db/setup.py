"""Bring a database to the current schema, and seed the national reference data once."""

from __future__ import annotations

import importlib
from collections.abc import Callable

from sqlalchemy import Engine, inspect

from cityloop.db.migrate import upgrade
from cityloop.db.session import make_session_factory

# Seeders of shared (not tenant-owned) reference data, by module path, called after migrating.
# Each takes a session and is idempotent. Named here so the kernel imports nothing above it.
SEEDERS = ("cityloop.taxonomy.actions:do_seed_standards",)

_ready: set[str] = set()


def _seeder(path: str) -> Callable[..., object]:
    module, _, name = path.partition(":")
    fn: Callable[..., object] = getattr(importlib.import_module(module), name)
    return fn


def ensure_database(engine: Engine, *, force: bool = False) -> None:
    """Migrate `engine`'s database to head and run the seeders (once per process per URL)."""
    key = engine.url.render_as_string()
    if key in _ready and not force:
        return
    upgrade(engine)
    factory = make_session_factory(engine)
    with factory() as session:
        for path in SEEDERS:
            _seeder(path)(session)
        session.commit()
    _ready.add(key)


def table_names(engine: Engine) -> list[str]:
    return sorted(inspect(engine).get_table_names())
