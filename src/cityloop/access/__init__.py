"""Identities and permissions: password hashing, API keys, staff tokens and principals."""

from cityloop.access.actions import do_create_api_key, do_issue_token, do_revoke_api_key, do_revoke_token
from cityloop.access.principal import authenticate
from cityloop.core.passwords import (
    MIN_PASSWORD_LENGTH,
    check_password_strength,
    hash_password,
    needs_rehash,
    use_hasher,
    verify_password,
)
from cityloop.core.principal import ANONYMOUS, Principal, check_city, check_role

__all__ = [
    "ANONYMOUS",
    "MIN_PASSWORD_LENGTH",
    "Principal",
    "authenticate",
    "check_city",
    "check_password_strength",
    "check_role",
    "do_create_api_key",
    "do_issue_token",
    "do_revoke_api_key",
    "do_revoke_token",
    "hash_password",
    "needs_rehash",
    "use_hasher",
    "verify_password",
]
