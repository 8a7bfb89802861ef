"""The `cityloop` command line. Each command group lives in its own module of this package."""

from __future__ import annotations

import importlib

import typer

app = typer.Typer(
    name="cityloop",
    help="CityLoop: a city's closed problem-solving loop (智慧城管). Set CITYLOOP_DATABASE_URL to "
    "choose the database (default: SQLite at var/cityloop.db).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

# (module, group name or None for top-level commands registered by the module itself)
_GROUPS = (
    ("cityloop.cli.db", None),
    ("cityloop.cli.city", "city"),
    ("cityloop.cli.grid", "grid"),
    ("cityloop.cli.taxonomy", "taxonomy"),
    ("cityloop.cli.access", "access"),
    ("cityloop.cli.apikey", "apikey"),
    ("cityloop.cli.serve", None),
    ("cityloop.cli.openapi", None),
    ("cityloop.cli.audit", "audit"),
    ("cityloop.cli.sweep", None),
    ("cityloop.cli.dedupe", "dedupe"),
    ("cityloop.cli.classify", "classify"),
    ("cityloop.cli.simulate", None),
    ("cityloop.cli.evaluate", None),
    ("cityloop.cli.forecast", "forecast"),
    ("cityloop.cli.analytics", "analytics"),
    ("cityloop.cli.report", "report"),
)

for _module_name, _group in _GROUPS:
    try:
        _module = importlib.import_module(_module_name)
    except ModuleNotFoundError as _exc:  # a command group still being written
        if _exc.name != _module_name:
            raise
        continue
    if _group is None:
        _module.register(app)
    else:
        app.add_typer(_module.app, name=_group)


def main() -> None:
    app()
