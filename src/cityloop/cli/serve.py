"""`cityloop serve`: run the HTTP API."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve(
        host: str = typer.Option("127.0.0.1", help="Address to listen on."),
        port: int = typer.Option(8000, help="Port to listen on."),
    ) -> None:
        """Serve the API (health, cities, areas, taxonomy, departments) with OpenAPI docs at /docs."""
        import uvicorn

        from cityloop.app import create_app
        from cityloop.cli._common import console, engine

        application = create_app(engine())
        console.print(f"CityLoop on http://{host}:{port}  (API docs: http://{host}:{port}/docs)")
        uvicorn.run(application, host=host, port=port, log_level="info")
