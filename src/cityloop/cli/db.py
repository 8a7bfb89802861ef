"""`cityloop init` / `cityloop migrate`: create or migrate the database."""

from __future__ import annotations

import typer

from cityloop.cli._common import console
from cityloop.db.session import get_engine
from cityloop.db.setup import ensure_database, table_names


def register(app: typer.Typer) -> None:
    @app.command("init")
    def init() -> None:
        """Create or migrate the database (CITYLOOP_DATABASE_URL) and load the national taxonomy."""
        engine = get_engine()
        ensure_database(engine, force=True)
        url = engine.url.render_as_string(hide_password=True)
        console.print(f"database ready: {url} ({len(table_names(engine))} tables)")

    @app.command("migrate")
    def migrate() -> None:
        """Apply pending migrations (the same as init)."""
        init()
