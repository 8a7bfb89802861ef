"""The committed OpenAPI document (docs/openapi.json) matches the app; `make openapi` rewrites it."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from cityloop.cli import app

COMMITTED = Path(__file__).resolve().parents[1] / "docs" / "openapi.json"


def test_committed_openapi_matches_the_app() -> None:
    result = CliRunner().invoke(app, ["openapi"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == json.loads(COMMITTED.read_text(encoding="utf-8")), (
        "docs/openapi.json is out of date: run `make openapi`"
    )
