"""Authentication: resolve a bearer token to a staff principal and an API key to a system principal."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from cityloop.access.credentials import digest
from cityloop.access.errors import InvalidToken
from cityloop.access.models import ApiKey, StaffToken
from cityloop.core.principal import ANONYMOUS, Principal
from cityloop.org.models import Staff


def _bearer_secret(authorization: str) -> str:
    scheme, _, secret = authorization.strip().partition(" ")
    secret = secret.strip()
    if scheme.lower() != "bearer" or not secret:
        raise InvalidToken("Authorization header must be 'Bearer <token>'")
    return secret


def authenticate(
    session: Session, *, authorization: str | None, api_key: str | None, now: datetime
) -> Principal:
    """Resolve the request's credentials: a bearer token → staff, an X-API-Key → system, none → anonymous.

    A credential that is malformed, unknown, expired or revoked (or whose staff member is
    inactive) raises access.invalid_token: a wrong credential never silently becomes anonymous.
    """
    if authorization and api_key:
        raise InvalidToken("send either an Authorization bearer token or an X-API-Key, not both")
    if authorization:
        return _staff_principal(session, _bearer_secret(authorization), now)
    if api_key:
        return _system_principal(session, api_key.strip(), now)
    return ANONYMOUS


def _staff_principal(session: Session, secret: str, now: datetime) -> Principal:
    token = session.scalar(select(StaffToken).where(StaffToken.secret_sha256 == digest(secret)))
    if token is None or token.revoked_at is not None or token.expires_at <= now:
        raise InvalidToken("bearer token is unknown, expired or revoked")
    staff = session.scalar(
        select(Staff)
        .where(Staff.id == token.staff_id, Staff.city_id == token.city_id)
        .options(selectinload(Staff.department))
    )
    if staff is None or not staff.active:
        raise InvalidToken("bearer token belongs to an inactive account")
    token.last_used_at = now
    return Principal(
        kind="staff",
        city_code=token.city_id,
        staff_id=staff.id,
        username=staff.username,
        roles=frozenset(staff.roles),
        department_code=staff.department.code if staff.department else None,
    )


def _system_principal(session: Session, secret: str, now: datetime) -> Principal:
    key = session.scalar(select(ApiKey).where(ApiKey.secret_sha256 == digest(secret)))
    if key is None or key.revoked_at is not None or (key.expires_at is not None and key.expires_at <= now):
        raise InvalidToken("API key is unknown, expired or revoked")
    key.last_used_at = now
    return Principal(kind="system", city_code=key.city_id, roles=frozenset(key.roles), api_key_id=key.id)
