"""Secrets of API keys ("clk_…") and staff tokens ("clt_…"), and the digest that is stored."""

from __future__ import annotations

import hashlib

from cityloop.core.ids import new_token

API_KEY_PREFIX = "clk_"
TOKEN_PREFIX = "clt_"


def new_secret(prefix: str) -> str:
    """A fresh random secret carrying its kind in its first characters."""
    return prefix + new_token()


def digest(secret: str) -> str:
    """The hex SHA-256 of a secret: what the database keeps instead of the secret."""
    return hashlib.sha256(secret.encode()).hexdigest()
