"""`cityloop access token`: sign a staff member in from the terminal (API keys live in `cityloop apikey`)."""

from __future__ import annotations

from datetime import timedelta

import typer

from cityloop.cli._common import console, db_session, print_json

app = typer.Typer(help="Access: sign a staff member in (API keys: `cityloop apikey`).", no_args_is_help=True)


@app.command("token")
def token(
    city: str = typer.Option(..., "--city", help="Division code of the city."),
    username: str = typer.Option(..., "--username", help="The staff member's username."),
    password: str = typer.Option(
        ..., prompt=True, hide_input=True, help="The password (prompted if omitted)."
    ),
    hours: float = typer.Option(12, min=0.1, max=24 * 30, help="Hours until the token expires."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Issue a bearer token for a staff member (send it as `Authorization: Bearer <token>`)."""
    from cityloop.access import do_issue_token
    from cityloop.core.clock import get_clock

    with db_session() as session:
        row, secret = do_issue_token(
            session,
            city_code=city,
            username=username,
            password=password,
            ttl=timedelta(hours=hours),
            now=get_clock().now(),
        )
        expires = row.expires_at.isoformat()
    if as_json:
        print_json({"token": secret, "expires_at": expires})
    else:
        console.print(f"token (expires {expires}):")
        console.print(secret, highlight=False, soft_wrap=True)
