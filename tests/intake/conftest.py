"""Intake over HTTP: the loop city (and another) on a fresh migrated database, staff tokens,
API keys, images; the media store lives in the test's own var dir.
"""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from httpx import Response
from PIL import Image
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from cityloop.access.actions import do_create_api_key
from cityloop.app import create_app
from cityloop.core.clock import FrozenClock
from cityloop.core.passwords import use_hasher
from cityloop.db.session import create_engine_for, session_scope
from cityloop.db.setup import ensure_database
from cityloop.flows.citypack import do_import_pack
from geo.factories import center_of
from loopcity import CITY, OTHER_CITY, loop_pack

PASSWORD = "loop-password"


def chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return len(data).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims `width`×`height` pixels with a tiny IDAT: a decompression bomb if decoded."""
    ihdr = struct.pack(">II", width, height) + bytes([8, 2, 0, 0, 0])
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 16))
        + chunk(b"IEND", b"")
    )


def image_bytes(
    fmt: str = "PNG", size: tuple[int, int] = (8, 6), color: tuple[int, int, int] = (200, 30, 30), **save: Any
) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, fmt, **save)
    return buffer.getvalue()


@dataclass
class Api:
    """A test client for the intake routes, signing staff in once; counts rows in the database."""

    client: TestClient
    engine: Engine
    var: Path
    points: list[tuple[float, float]]
    keys: dict[str, str]
    tokens: dict[tuple[str, str], str] = field(default_factory=dict)

    def headers(self, who: str | None, city: str = CITY) -> dict[str, str]:
        if who is None:
            return {}
        if who == "key":
            return {"X-API-Key": self.keys[city]}
        if (city, who) not in self.tokens:
            resp = self.client.post(
                "/api/v1/auth/token", json={"city": city, "username": who, "password": PASSWORD}
            )
            assert resp.status_code == 200, resp.text
            self.tokens[(city, who)] = resp.json()["token"]
        return {"Authorization": f"Bearer {self.tokens[(city, who)]}"}

    def upload(
        self, content: bytes, who: str | None = None, *, name: str = "photo.jpg", city: str = CITY
    ) -> Response:
        return self.client.post(
            f"/api/v1/cities/{city}/media",
            headers=self.headers(who, city),
            files={"file": (name, content, "image/jpeg")},
        )

    def report(
        self, channel: str, body: Any, who: str | None = None, *, key: str | None = None, city: str = CITY
    ) -> Response:
        headers = self.headers(who, city)
        if key is not None:
            headers["Idempotency-Key"] = key
        return self.client.post(f"/api/v1/cities/{city}/reports/{channel}", headers=headers, json=body)

    def get(self, path: str, who: str | None = None, city: str = CITY, **params: Any) -> Response:
        return self.client.get(f"/api/v1/cities/{city}{path}", headers=self.headers(who, city), params=params)

    def count(self, model: type) -> int:
        with Session(self.engine) as session:
            return int(session.scalar(select(func.count()).select_from(model)) or 0)


@pytest.fixture
def api(
    fresh_db_url: str, clock: FrozenClock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Api]:
    monkeypatch.setenv("CITYLOOP_VAR_DIR", str(tmp_path / "var"))
    previous = use_hasher(PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    engine = create_engine_for(fresh_db_url)
    ensure_database(engine, force=True)  # migrations, and the national taxonomy
    pack = loop_pack()
    keys = {}
    with session_scope(engine) as session:
        do_import_pack(session, pack, password=PASSWORD)
        do_import_pack(session, loop_pack(OTHER_CITY, origin=(116.40, 39.90)), password=PASSWORD)
        for city in (CITY, OTHER_CITY):
            keys[city] = do_create_api_key(session, city_code=city, name="devices", roles=["system"])[1]
    features: list[dict[str, Any]] = pack.areas["features"]  # type: ignore[assignment]
    grids = sorted(f["properties"]["code"] for f in features if f["properties"]["level"] == "grid")
    points = [center_of(pack.areas, code) for code in grids]  # type: ignore[arg-type]
    try:
        with TestClient(create_app(engine)) as client:
            yield Api(client=client, engine=engine, var=tmp_path / "var", points=points, keys=keys)
    finally:
        engine.dispose()
        use_hasher(previous)
