from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from cityloop.access import hash_password, needs_rehash, use_hasher, verify_password
from cityloop.access.errors import WeakPassword
from cityloop.core.passwords import MIN_PASSWORD_LENGTH


def test_hash_round_trip() -> None:
    hashed = hash_password("correct horse")
    assert hashed.startswith("$argon2id$")
    assert "correct horse" not in hashed
    assert verify_password(hashed, "correct horse") is True
    assert hash_password("correct horse") != hashed  # salted


def test_wrong_password_and_malformed_hash() -> None:
    hashed = hash_password("correct horse")
    assert verify_password(hashed, "correct hors") is False
    assert verify_password("not a hash", "correct horse") is False


def test_short_password_is_refused() -> None:
    assert MIN_PASSWORD_LENGTH == 8
    hash_password("12345678")
    with pytest.raises(WeakPassword) as err:
        hash_password("1234567")
    assert (err.value.code, err.value.status) == ("access.weak_password", 422)
    assert err.value.message == "password is too short: 7 characters, at least 8 are required"


def test_needs_rehash_when_parameters_change(fast_hasher: PasswordHasher) -> None:
    cheap = hash_password("correct horse")
    assert needs_rehash(cheap) is False
    previous = use_hasher(None)  # the production defaults
    try:
        assert previous is fast_hasher
        assert needs_rehash(cheap) is True
        assert verify_password(cheap, "correct horse") is True  # old hashes still verify
    finally:
        use_hasher(previous)


def test_production_defaults_are_argon2_recommended() -> None:
    previous = use_hasher(None)
    try:
        default = use_hasher(None)
        assert (default.time_cost, default.memory_cost, default.parallelism) == (
            PasswordHasher().time_cost,
            PasswordHasher().memory_cost,
            PasswordHasher().parallelism,
        )
        assert default.memory_cost >= 19 * 1024
    finally:
        use_hasher(previous)
