"""`cityloop apikey ...`: API keys for systems (camera platforms, hotlines, sensor gateways).

The secret is printed once, at creation; the database keeps only its SHA-256. Without
`--role` a key gets the `operator` role: what a system needs to register the public reports
it receives (camera, sensor, hotline sources), and the smallest existing role that allows it.
"""

from __future__ import annotations

from typing import Any

import typer

from cityloop.cli._common import console, db_session, print_json

app = typer.Typer(help="API keys of systems: create (secret shown once), list, revoke.", no_args_is_help=True)

DEFAULT_ROLES = ("operator",)


@app.command("create")
def create(
    city: str = typer.Option(..., "--city", help="Division code of the city."),
    name: str = typer.Option(..., "--name", help="What the key is for, e.g. 'camera platform'."),
    role: list[str] | None = typer.Option(
        None, "--role", help="A role the system acts with (repeatable; default: operator)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Create an API key (send it as `X-API-Key`); the secret is shown now and never again."""
    from cityloop.access import do_create_api_key

    roles = list(role or DEFAULT_ROLES)
    with db_session() as session:
        row, secret = do_create_api_key(session, city_code=city, name=name, roles=roles)
        key_id, prefix, granted = row.id, row.prefix, list(row.roles)
    if as_json:
        print_json({"id": key_id, "prefix": prefix, "roles": granted, "key": secret})
    else:
        console.print(
            f"API key {key_id} ({prefix}…, roles {', '.join(granted)}) — store it now, it is not shown again:"
        )
        console.print(secret, highlight=False, soft_wrap=True)


@app.command("revoke")
def revoke(
    key_id: int = typer.Argument(..., help="The id printed when the key was created."),
    city: str = typer.Option(..., "--city", help="Division code of the city."),
) -> None:
    """Revoke an API key at once (revoking twice keeps the first time)."""
    from cityloop.access import do_revoke_api_key

    with db_session() as session:
        row = do_revoke_api_key(session, city_code=city, key_id=key_id)
        when = row.revoked_at.isoformat() if row.revoked_at else ""
    console.print(f"API key {key_id} revoked ({when})")


@app.command("list")
def list_keys(
    city: str = typer.Option(..., "--city", help="Division code of the city."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """The city's API keys, oldest first, without their secrets."""
    from sqlalchemy import select

    from cityloop.access.models import ApiKey
    from cityloop.cities import get_city

    def iso(value: object) -> str | None:
        return value.isoformat() if hasattr(value, "isoformat") else None

    with db_session() as session:
        get_city(session, city)
        keys: list[dict[str, Any]] = [
            {
                "id": k.id,
                "name": k.name,
                "prefix": k.prefix,
                "roles": list(k.roles),
                "created_at": iso(k.created_at),
                "last_used_at": iso(k.last_used_at),
                "expires_at": iso(k.expires_at),
                "revoked_at": iso(k.revoked_at),
            }
            for k in session.scalars(select(ApiKey).where(ApiKey.city_id == city).order_by(ApiKey.id))
        ]
    if as_json:
        print_json(keys)
        return
    if not keys:
        console.print(f"city {city} has no API keys")
    for k in keys:
        status = f"revoked {k['revoked_at']}" if k["revoked_at"] else "active"
        console.print(
            f"{k['id']:>4}  {k['prefix']}…  {k['name']}  roles: {', '.join(k['roles'])}  {status}",
            highlight=False,
        )
