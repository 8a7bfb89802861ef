from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

import pytest
from argon2 import PasswordHasher
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cityloop.access import (
    authenticate,
    do_create_api_key,
    do_issue_token,
    do_revoke_api_key,
    do_revoke_token,
    use_hasher,
    verify_password,
)
from cityloop.access.errors import InvalidApiKey, InvalidCredentials, InvalidToken
from cityloop.access.models import ApiKey, StaffToken
from cityloop.cities.models import City
from cityloop.core.clock import FrozenClock
from cityloop.org import do_import_staff, get_staff
from cityloop.org.models import Staff

PASSWORD = "secret-pass"


def _sha(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _tokens(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(StaffToken)) or 0


def test_issue_token_and_authenticate(session: Session, staffed_city: City, clock: FrozenClock) -> None:
    now = clock.now()
    token, secret = do_issue_token(
        session, city_code=staffed_city.code, username="hw", password=PASSWORD, now=now
    )
    assert secret.startswith("clt_") and len(secret) > 40
    assert (token.secret_sha256, token.created_at, token.expires_at) == (
        _sha(secret),
        now,
        now + timedelta(hours=12),
    )
    assert token.revoked_at is None and token.last_used_at is None

    clock.advance(minutes=5)
    principal = authenticate(session, authorization=f"Bearer {secret}", api_key=None, now=clock.now())
    staff = get_staff(session, staffed_city.code, "hw")
    assert principal.kind == "staff"
    assert (principal.city_code, principal.staff_id, principal.username) == ("330100", staff.id, "hw")
    assert (principal.roles, principal.department_code, principal.api_key_id) == (
        frozenset({"department"}),
        "HW",
        None,
    )
    assert token.last_used_at == clock.now()
    with pytest.raises(AttributeError):
        principal.city_code = "110100"  # type: ignore[misc]


def test_token_expires(session: Session, staffed_city: City, clock: FrozenClock) -> None:
    _, secret = do_issue_token(
        session,
        city_code=staffed_city.code,
        username="op",
        password=PASSWORD,
        ttl=timedelta(hours=1),
        now=clock.now(),
    )
    clock.advance(minutes=59, seconds=59)
    assert (
        authenticate(session, authorization=f"Bearer {secret}", api_key=None, now=clock.now()).username
        == "op"
    )
    clock.advance(seconds=1)
    with pytest.raises(InvalidToken) as err:
        authenticate(session, authorization=f"Bearer {secret}", api_key=None, now=clock.now())
    assert (err.value.code, err.value.status) == ("access.invalid_token", 401)


def test_revoked_token_is_refused(session: Session, staffed_city: City, clock: FrozenClock) -> None:
    token, secret = do_issue_token(
        session, city_code=staffed_city.code, username="op", password=PASSWORD, now=clock.now()
    )
    revoked = do_revoke_token(session, city_code=staffed_city.code, secret=secret, now=clock.now())
    assert revoked is token and token.revoked_at == clock.now()
    with pytest.raises(InvalidToken, match="unknown, expired or revoked"):
        authenticate(session, authorization=f"Bearer {secret}", api_key=None, now=clock.now())
    other, _ = do_issue_token(
        session, city_code=staffed_city.code, username="op", password=PASSWORD, now=clock.now()
    )
    do_revoke_token(session, city_code=staffed_city.code, token_id=other.id, now=clock.now())
    assert other.revoked_at == clock.now()


def test_token_of_a_deactivated_account_is_refused(
    session: Session, staffed_city: City, clock: FrozenClock
) -> None:
    _, secret = do_issue_token(
        session, city_code=staffed_city.code, username="op", password=PASSWORD, now=clock.now()
    )
    do_import_staff(
        session,
        city_code=staffed_city.code,
        items=[{"username": "admin", "name": "管理员", "roles": ["admin"]}],
    )
    with pytest.raises(InvalidToken, match="inactive account"):
        authenticate(session, authorization=f"Bearer {secret}", api_key=None, now=clock.now())


@pytest.mark.parametrize(
    ("city_code", "username", "password"),
    [("330100", "op", "wrong-pass"), ("330100", "nobody", PASSWORD), ("110100", "op", PASSWORD)],
)
def test_bad_credentials_give_one_answer(
    session: Session, staffed_city: City, clock: FrozenClock, city_code: str, username: str, password: str
) -> None:
    with pytest.raises(InvalidCredentials) as err:
        do_issue_token(session, city_code=city_code, username=username, password=password, now=clock.now())
    assert (err.value.code, err.value.status, err.value.message) == (
        "access.invalid_credentials",
        401,
        "unknown username or wrong password",
    )
    assert _tokens(session) == 0


def test_inactive_or_passwordless_accounts_cannot_sign_in(
    session: Session, staffed_city: City, clock: FrozenClock
) -> None:
    do_import_staff(
        session,
        city_code=staffed_city.code,
        items=[
            {"username": "admin", "name": "管理员", "roles": ["admin"]},
            {"username": "new", "name": "新", "roles": ["operator"]},
        ],
    )
    for username in ("op", "new"):
        with pytest.raises(InvalidCredentials, match="unknown username or wrong password"):
            do_issue_token(
                session, city_code=staffed_city.code, username=username, password=PASSWORD, now=clock.now()
            )
    assert _tokens(session) == 0


def test_old_hash_is_upgraded_at_sign_in(
    session: Session, staffed_city: City, clock: FrozenClock, fast_hasher: PasswordHasher
) -> None:
    staff = session.scalar(select(Staff).where(Staff.username == "op"))
    assert staff is not None and staff.password_hash is not None
    old = staff.password_hash
    use_hasher(PasswordHasher(time_cost=2, memory_cost=16, parallelism=1))
    do_issue_token(session, city_code=staffed_city.code, username="op", password=PASSWORD, now=clock.now())
    assert staff.password_hash != old
    assert "t=2" in staff.password_hash and "m=16" in staff.password_hash
    assert verify_password(staff.password_hash, PASSWORD)


@pytest.mark.parametrize("header", ["Bearer", "Basic abc", "clt_abc", "Bearer clt_unknown"])
def test_malformed_or_unknown_bearer_is_refused(
    session: Session, staffed_city: City, header: str, clock: Any
) -> None:
    with pytest.raises(InvalidToken) as err:
        authenticate(session, authorization=header, api_key=None, now=clock.now())
    assert err.value.code == "access.invalid_token"


def test_no_credentials_is_anonymous(session: Session, clock: FrozenClock) -> None:
    principal = authenticate(session, authorization=None, api_key=None, now=clock.now())
    assert (principal.kind, principal.city_code, principal.roles, principal.authenticated) == (
        "anonymous",
        None,
        frozenset(),
        False,
    )


def test_api_key_life_cycle(session: Session, staffed_city: City, clock: FrozenClock) -> None:
    key, secret = do_create_api_key(
        session, city_code=staffed_city.code, name="camera platform", roles=["inspector", "intake:write"]
    )
    assert secret.startswith("clk_")
    assert (key.prefix, key.secret_sha256, key.roles, key.created_at) == (
        secret[:8],
        _sha(secret),
        ["inspector", "intake:write"],
        clock.now(),
    )
    stored = session.scalar(select(ApiKey).where(ApiKey.id == key.id))
    assert stored is not None and secret not in (stored.prefix, stored.secret_sha256, stored.name)

    clock.advance(minutes=1)
    principal = authenticate(session, authorization=None, api_key=secret, now=clock.now())
    assert (principal.kind, principal.city_code, principal.staff_id, principal.username) == (
        "system",
        "330100",
        None,
        None,
    )
    assert (principal.roles, principal.api_key_id) == (frozenset({"inspector", "intake:write"}), key.id)
    assert key.last_used_at == clock.now()

    do_revoke_api_key(session, city_code=staffed_city.code, key_id=key.id, now=clock.now())
    assert key.revoked_at == clock.now()
    with pytest.raises(InvalidToken, match="API key is unknown, expired or revoked"):
        authenticate(session, authorization=None, api_key=secret, now=clock.now())


def test_api_key_expires(session: Session, staffed_city: City, clock: FrozenClock) -> None:
    _, secret = do_create_api_key(
        session,
        city_code=staffed_city.code,
        name="sensors",
        roles=["inspector"],
        expires_at=clock.now() + timedelta(days=1),
    )
    clock.advance(days=1)
    with pytest.raises(InvalidToken):
        authenticate(session, authorization=None, api_key=secret, now=clock.now())


def test_bad_api_keys_are_refused(session: Session, staffed_city: City, clock: FrozenClock) -> None:
    cases: list[tuple[dict[str, Any], str]] = [
        ({"name": " ", "roles": ["admin"]}, "name"),
        ({"name": "x", "roles": []}, "roles"),
        ({"name": "x", "roles": ["Admin Role"]}, "roles"),
        ({"name": "x", "roles": ["admin"], "expires_at": clock.now()}, "expire"),
    ]
    for kwargs, fragment in cases:
        with pytest.raises(InvalidApiKey, match=fragment) as err:
            do_create_api_key(session, city_code=staffed_city.code, **kwargs)
        assert err.value.code == "access.invalid_api_key"
    assert session.scalar(select(func.count()).select_from(ApiKey)) == 0


def test_both_headers_at_once_are_refused(session: Session, staffed_city: City, clock: FrozenClock) -> None:
    _, token = do_issue_token(
        session, city_code=staffed_city.code, username="op", password=PASSWORD, now=clock.now()
    )
    _, key = do_create_api_key(session, city_code=staffed_city.code, name="x", roles=["admin"])
    with pytest.raises(InvalidToken, match="not both"):
        authenticate(session, authorization=f"Bearer {token}", api_key=key, now=clock.now())
