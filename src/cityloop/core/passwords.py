"""Password hashing with argon2id, a pure helper kept in the kernel so that any package can hash
(argon2-cffi's recommended defaults in production).

The module holds one `PasswordHasher`. Tests may swap it for a cheaper one with
`use_hasher`; production code never changes it.
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from cityloop.core.errors import ValidationFailed

MIN_PASSWORD_LENGTH = 8


class WeakPassword(ValidationFailed):
    default_code = "access.weak_password"


_DEFAULT = PasswordHasher()
_hasher: PasswordHasher = _DEFAULT


def use_hasher(hasher: PasswordHasher | None) -> PasswordHasher:
    """Replace the module's hasher (None restores the production default); return the previous one."""
    global _hasher
    previous, _hasher = _hasher, hasher or _DEFAULT
    return previous


def check_password_strength(password: str) -> None:
    """Refuse passwords shorter than MIN_PASSWORD_LENGTH characters (access.weak_password)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise WeakPassword(
            f"password is too short: {len(password)} characters, at least {MIN_PASSWORD_LENGTH} are required",
            details={"min_length": MIN_PASSWORD_LENGTH},
        )


def hash_password(password: str) -> str:
    """An argon2id hash of `password`, after checking its strength."""
    check_password_strength(password)
    return _hasher.hash(password)


def rehash_password(password: str) -> str:
    """A new hash of an already accepted password (for parameter upgrades); no strength check."""
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True when `password` matches `password_hash`; False on mismatch or a malformed hash."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with other parameters than the current hasher's."""
    return _hasher.check_needs_rehash(password_hash)
