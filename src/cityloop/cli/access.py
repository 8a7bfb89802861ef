"""`cityloop access ...`: sign a staff member in from the terminal, manage API keys of systems."""

from __future__ import annotations

from datetime import timedelta

import typer

from cityloop.cli._common import console, db_session, print_json

app = typer.Typer(help="Access: staff tokens and API keys.", no_args_is_help=True)


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


@app.command("api-key")
def api_key(
    city: str = typer.Option(..., "--city", help="Division code of the city."),
    name: str = typer.Option(..., "--name", help="What the key is for, e.g. 'camera platform'."),
    role: list[str] = typer.Option(..., "--role", help="A role the system acts with (repeatable)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Create an API key for a system (send it as `X-API-Key`); the secret is shown only once."""
    from cityloop.access import do_create_api_key

    with db_session() as session:
        row, secret = do_create_api_key(session, city_code=city, name=name, roles=role)
        key_id, prefix = row.id, row.prefix
    if as_json:
        print_json({"id": key_id, "prefix": prefix, "key": secret})
    else:
        console.print(f"API key {key_id} ({prefix}…) — store it now, it is not shown again:")
        console.print(secret, highlight=False, soft_wrap=True)


@app.command("revoke-key")
def revoke_key(
    city: str = typer.Option(..., "--city", help="Division code of the city."),
    key_id: int = typer.Argument(..., help="The id printed when the key was created."),
) -> None:
    """Revoke an API key at once."""
    from cityloop.access import do_revoke_api_key

    with db_session() as session:
        do_revoke_api_key(session, city_code=city, key_id=key_id)
    console.print(f"API key {key_id} revoked")
