"""Helpers shared by the CLI commands: database access, errors, JSON output."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

import typer
from rich.console import Console
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from cityloop.core.errors import CityLoopError
from cityloop.db.session import get_engine, session_scope

console = Console()
err_console = Console(stderr=True)


def fail(message: str, *, code: str = "error", exit_code: int = 1, details: Any = None) -> NoReturn:
    """Print a clear error to stderr (with its stable code and details) and exit non-zero."""
    err_console.print(f"[bold red]error[/] [dim]({code})[/]: {message}", highlight=False, soft_wrap=True)
    if details:
        items = details if isinstance(details, list) else [details]
        for item in items[:50]:
            err_console.print(f"  - {_detail_line(item)}", highlight=False, soft_wrap=True)
        if len(items) > 50:
            err_console.print(f"  … and {len(items) - 50} more", highlight=False)
    raise typer.Exit(exit_code)


def _detail_line(item: Any) -> str:
    if isinstance(item, dict):
        return ", ".join(f"{k}: {v}" for k, v in item.items())
    return str(item)


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, default=str) + "\n")


def engine() -> Engine:
    """The engine for CITYLOOP_DATABASE_URL, migrated to the latest schema."""
    from cityloop.db.setup import ensure_database

    eng = get_engine()
    ensure_database(eng)
    return eng


@contextmanager
def db_session() -> Iterator[Session]:
    """A committed-on-success session on a migrated database; CityLoop errors exit cleanly."""
    try:
        with session_scope(engine()) as session:
            yield session
    except CityLoopError as exc:
        fail(exc.message, code=exc.code, details=exc.details)
