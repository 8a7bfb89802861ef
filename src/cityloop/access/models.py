"""API keys (for systems) and bearer tokens (for staff). Only SHA-256 digests of secrets are stored."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from cityloop.core.clock import get_clock
from cityloop.db.base import Base, CityOwned
from cityloop.db.types import JSONType, UTCDateTime


def _now() -> datetime:
    return get_clock().now()


class ApiKey(CityOwned, Base):
    """A credential for a system (camera platform, hotline, sensor gateway) acting in one city."""

    __tablename__ = "access_api_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(100))
    #: The first 8 characters of the secret, shown to people so they can tell keys apart.
    prefix: Mapped[str] = mapped_column(String(8))
    secret_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    #: Roles or scopes granted to the system.
    roles: Mapped[list[str]] = mapped_column(JSONType(), default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=_now)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class StaffToken(CityOwned, Base):
    """A bearer token issued to a staff member when they sign in with their password."""

    __tablename__ = "access_staff_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("org_staff.id", ondelete="CASCADE"), index=True)
    secret_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=_now)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
