"""`cityloop openapi`: print the OpenAPI document of the HTTP API (committed as docs/openapi.json)."""

from __future__ import annotations

import json
import sys

import typer


def register(app: typer.Typer) -> None:
    @app.command("openapi")
    def openapi() -> None:
        """Print the OpenAPI document of the API as JSON (no database needed)."""
        from cityloop.app import create_app
        from cityloop.db.session import create_engine_for

        document = create_app(create_engine_for("sqlite://")).openapi()
        sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
