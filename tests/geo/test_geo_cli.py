"""`cityloop grid locate`: the function behind it on the test session, and the command itself
on a fresh migrated database (once the migrations exist)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from cityloop.cities.errors import CityNotFound
from cityloop.cities.models import City
from cityloop.cli.grid import locate_payload
from cityloop.db.migrate import MIGRATIONS_DIR
from cityloop.geo import do_import_areas
from cityloop.geo.errors import NotLocated
from geo.factories import square_grid_collection

C1 = "330102001001"
EXPECTED = {
    "grid": {"code": f"{C1}001", "name": None},
    "community": {"code": C1, "name": "第1-1社区"},
    "street": {"code": "330102001", "name": "第1街道"},
    "district": {"code": "330102", "name": "示范区"},
}


def test_locate_payload(session: Session, city: City, areas: dict[str, Any]) -> None:
    assert locate_payload(session, city.code, 120.1005, 30.2515) == EXPECTED
    with pytest.raises(NotLocated):
        locate_payload(session, city.code, -71.0, 42.3)
    with pytest.raises(CityNotFound):
        locate_payload(session, "110100", 120.1005, 30.2515)


def test_locate_payload_without_a_grid(session: Session, city: City) -> None:
    source = square_grid_collection()
    source["features"] = [f for f in source["features"] if f["properties"]["level"] != "grid"]
    do_import_areas(session, city_code=city.code, collection=source)
    assert locate_payload(session, city.code, 120.1005, 30.2515) == {**EXPECTED, "grid": None}


needs_migrations = pytest.mark.skipif(
    not any((MIGRATIONS_DIR / "versions").glob("*.py")), reason="the lead has not generated migrations yet"
)


@pytest.fixture
def cli_db(fresh_db_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """A fresh migrated database holding the factory city laid out around Boston (negative lon)."""
    from cityloop.db.session import get_engine, session_scope
    from cityloop.db.setup import ensure_database

    engine = get_engine(fresh_db_url)
    ensure_database(engine)
    with session_scope(engine) as session:
        session.add(City(code="330100", name_zh="示范市"))
        session.flush()
        do_import_areas(session, city_code="330100", collection=square_grid_collection(origin=(-71.0, 42.3)))
    monkeypatch.setenv("CITYLOOP_DATABASE_URL", fresh_db_url)
    return fresh_db_url


@needs_migrations
@pytest.mark.parametrize(
    "args",
    [
        ["--city", "330100", "--json", "--", "-70.9995", "42.3015"],
        ["--city", "330100", "--json", "-70.9995", "42.3015"],
        ["-70.9995", "42.3015", "--json", "--city", "330100"],
    ],
)
def test_cli_locate_json(cli_db: str, args: list[str]) -> None:
    from cityloop.cli import app

    result = CliRunner().invoke(app, ["grid", "locate", *args])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == EXPECTED


@needs_migrations
def test_cli_locate_table_and_outside(cli_db: str) -> None:
    from cityloop.cli import app

    table = CliRunner().invoke(app, ["grid", "locate", "--city", "330100", "--", "-70.9995", "42.3015"])
    assert table.exit_code == 0
    for text in (f"{C1}001", C1, "第1-1社区", "330102001", "第1街道", "330102", "示范区"):
        assert text in table.stdout
    outside = CliRunner().invoke(app, ["grid", "locate", "--city", "330100", "--", "-72.0", "42.3015"])
    assert outside.exit_code == 1
    assert outside.stdout == ""
    assert "geo.not_located" in outside.stderr
    assert "point (-72.0, 42.3015) lies outside every area of city 330100" in outside.stderr
