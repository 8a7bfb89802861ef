"""`cityloop serve`: run the HTTP API (and the periodic deadline sweeper beside it)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve(
        host: str = typer.Option("127.0.0.1", help="Address to listen on."),
        port: int = typer.Option(8000, help="Port to listen on."),
        sweep_interval: float = typer.Option(
            60.0,
            "--sweep-interval",
            min=0,
            metavar="SECONDS",
            help="Sweep every city for overdue tasks this often (0 disables the sweeper).",
        ),
    ) -> None:
        """Serve the API (health, cities, areas, taxonomy, departments) with OpenAPI docs at /docs."""
        import uvicorn

        from cityloop.app import create_app
        from cityloop.cli._common import console, engine
        from cityloop.flows.sweeper import Sweeper

        eng = engine()
        application = create_app(eng)
        sweeper = Sweeper(eng, interval=sweep_interval) if sweep_interval > 0 else None
        console.print(f"CityLoop on http://{host}:{port}  (API docs: http://{host}:{port}/docs)")
        if sweeper is not None:
            console.print(f"deadline sweeper: every {sweep_interval:g} s")
            sweeper.start()
        try:
            uvicorn.run(application, host=host, port=port, log_level="info")
        finally:
            if sweeper is not None:
                sweeper.stop()
