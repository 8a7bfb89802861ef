"""Identifiers: sortable random ids (ULID) and small helpers for numeric codes."""

from __future__ import annotations

import os
import secrets

from cityloop.core.clock import get_clock

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_ulid() -> str:
    """A 26-character ULID: 48 bits of milliseconds then 80 random bits, sortable by time."""
    millis = int(get_clock().now().timestamp() * 1000)
    value = (millis << 80) | int.from_bytes(os.urandom(10), "big")
    chars = []
    for _ in range(26):
        value, rem = divmod(value, 32)
        chars.append(_CROCKFORD[rem])
    return "".join(reversed(chars))


def new_token(nbytes: int = 32) -> str:
    """A URL-safe secret for API keys and bearer tokens."""
    return secrets.token_urlsafe(nbytes)


def is_digits(value: str, length: int) -> bool:
    return len(value) == length and value.isascii() and value.isdigit()
