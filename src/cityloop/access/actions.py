"""Writes of the access package: API keys and staff tokens. Plain secrets are returned once."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from cityloop.access.credentials import API_KEY_PREFIX, TOKEN_PREFIX, digest, new_secret
from cityloop.access.errors import ApiKeyNotFound, InvalidApiKey, InvalidCredentials, TokenNotFound
from cityloop.access.models import ApiKey, StaffToken
from cityloop.cities import get_city
from cityloop.core.clock import get_clock
from cityloop.core.passwords import needs_rehash, rehash_password, verify_password
from cityloop.org.models import Staff

_ROLE = re.compile(r"^[a-z][a-z0-9_.:-]{0,63}$")
_BAD_CREDENTIALS = "unknown username or wrong password"
# Verified against when the username is unknown, so that both failures take the same time.
_DUMMY_PASSWORD = "not-a-real-password"
_dummy_hash: str | None = None


def do_create_api_key(
    session: Session,
    *,
    city_code: str,
    name: str,
    roles: Sequence[str],
    expires_at: datetime | None = None,
    now: datetime | None = None,
) -> tuple[ApiKey, str]:
    """Create an API key for a system of the city; the plain secret is returned here and never again."""
    get_city(session, city_code)
    name = name.strip()
    if not 1 <= len(name) <= 100:
        raise InvalidApiKey("API key name must be 1 to 100 characters", details={"field": "name"})
    bad = [role for role in roles if not _ROLE.match(role)]
    if bad or not roles:
        raise InvalidApiKey(
            f"API key roles must be a non-empty list of lower-case words; refused: {bad}",
            details={"field": "roles", "refused": bad},
        )
    now = now or get_clock().now()
    if expires_at is not None and expires_at <= now:
        raise InvalidApiKey("API key would expire before it is created", details={"field": "expires_at"})
    secret = new_secret(API_KEY_PREFIX)
    key = ApiKey(
        city_id=city_code,
        name=name,
        prefix=secret[:8],
        secret_sha256=digest(secret),
        roles=list(dict.fromkeys(roles)),
        created_at=now,
        expires_at=expires_at,
    )
    session.add(key)
    session.flush()
    return key, secret


def do_revoke_api_key(
    session: Session, *, city_code: str, key_id: int, now: datetime | None = None
) -> ApiKey:
    """Revoke the city's API key `key_id` from `now` on (revoking twice keeps the first time)."""
    key = session.scalar(select(ApiKey).where(ApiKey.city_id == city_code, ApiKey.id == key_id))
    if key is None:
        raise ApiKeyNotFound(
            f"API key {key_id} does not exist in city {city_code}", details={"key_id": key_id}
        )
    if key.revoked_at is None:
        key.revoked_at = now or get_clock().now()
        session.flush()
    return key


def _dummy() -> str:
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = rehash_password(_DUMMY_PASSWORD)
    return _dummy_hash


def do_issue_token(
    session: Session,
    *,
    city_code: str,
    username: str,
    password: str,
    ttl: timedelta = timedelta(hours=12),
    now: datetime,
) -> tuple[StaffToken, str]:
    """Sign a staff member in: check the password and issue a bearer token valid for `ttl`.

    Unknown user, wrong password, no password and inactive account all raise the same
    access.invalid_credentials, so that the answer reveals nothing. An old-parameter hash is
    upgraded on the way.
    """
    staff = session.scalar(select(Staff).where(Staff.city_id == city_code, Staff.username == username))
    if staff is None or staff.password_hash is None:
        verify_password(_dummy(), password)
        raise InvalidCredentials(_BAD_CREDENTIALS)
    if not verify_password(staff.password_hash, password) or not staff.active:
        raise InvalidCredentials(_BAD_CREDENTIALS)
    if needs_rehash(staff.password_hash):
        staff.password_hash = rehash_password(password)
    secret = new_secret(TOKEN_PREFIX)
    token = StaffToken(
        city_id=city_code,
        staff_id=staff.id,
        secret_sha256=digest(secret),
        created_at=now,
        expires_at=now + ttl,
    )
    session.add(token)
    session.flush()
    return token, secret


def do_revoke_token(
    session: Session,
    *,
    city_code: str,
    token_id: int | None = None,
    secret: str | None = None,
    now: datetime | None = None,
) -> StaffToken:
    """Revoke a staff token of the city, named by id or by its plain secret (sign-out)."""
    if (token_id is None) == (secret is None):
        raise ValueError("name the token by token_id or by secret, not both")
    stmt = select(StaffToken).where(StaffToken.city_id == city_code)
    if token_id is not None:
        stmt = stmt.where(StaffToken.id == token_id)
    else:
        stmt = stmt.where(StaffToken.secret_sha256 == digest(secret or ""))
    token = session.scalar(stmt)
    if token is None:
        raise TokenNotFound(f"token does not exist in city {city_code}", details={"token_id": token_id})
    if token.revoked_at is None:
        token.revoked_at = now or get_clock().now()
        session.flush()
    return token
