"""`cityloop evaluate` on a committed database: JSON lines, the table, and clear errors."""

from __future__ import annotations

import json
from typing import Any

import pytest
import typer
from sqlalchemy import Engine
from typer.testing import CliRunner

from cityloop.cli.evaluate import register

runner = CliRunner()


def _app() -> typer.Typer:
    """The command as `cli/__init__.py` registers it (a group, so that `evaluate` is a subcommand)."""
    app = typer.Typer()
    register(app)

    @app.callback()
    def main() -> None: ...

    return app


def run(url: str, monkeypatch: pytest.MonkeyPatch, *args: str) -> Any:
    monkeypatch.setenv("CITYLOOP_DATABASE_URL", url)
    return runner.invoke(_app(), ["evaluate", *args])


def test_json_lines_one_object_per_entity(
    month_db: tuple[str, Engine, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, _, _ = month_db
    result = run(url, monkeypatch, "--city", "330100", "--from", "2026-11-01", "--to", "2026-11-30",
                 "--kind", "department", "--json")  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["kind"], r["id"], r["name"], r["composite"], r["grade"], r["tier"]) for r in rows] == [
        ("department", "CG", "城管", 84.0, "B", "normal"),
        ("department", "HW", "环卫", 60.0, "C", "supervision"),
    ]
    assert rows[0]["indicators"]["due"] == 5 and "cases" not in rows[0]


def test_default_period_all_kinds_and_the_table(
    month_db: tuple[str, Engine, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, _, numbers = month_db
    result = run(url, monkeypatch, "--city", "330100", "--json", "--cases")
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert rows[0]["period"] == {"from": "2026-10-22", "to": "2026-11-20"}  # 30 days to the clock's today
    inspector = next(r for r in rows if r["id"] == "inspector01")
    assert inspector["cases"]["valid_report_rate"] == [numbers["F"]]
    table = run(url, monkeypatch, "--city", "330100", "--kind", "inspector", "--kind", "dispatcher")
    assert table.exit_code == 0, table.output
    assert "85.33" in table.stdout and "86.28" in table.stdout  # inspector01, dispatcher01


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["--city", "330100", "--from", "2026-11-31"], "evaluation.invalid_period"),
        (["--city", "330100", "--from", "2026-11-20", "--to", "2026-11-01"], "evaluation.invalid_period"),
        (["--city", "330100", "--kind", "mayor"], "evaluation.unknown_kind"),
        (["--city", "999999"], "cities.not_found"),
    ],
)
def test_clear_errors(month_db: tuple[str, Engine, dict[str, str]], monkeypatch: pytest.MonkeyPatch,
                      args: list[str], code: str) -> None:  # fmt: skip
    result = run(month_db[0], monkeypatch, *args)
    assert result.exit_code == 1
    assert code in result.stderr and result.stdout == ""
