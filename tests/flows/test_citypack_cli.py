"""The city pack end to end through the CLI: the demo city, lookups, round trips and bad packs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from cityloop.access import do_issue_token
from cityloop.cities.models import City
from cityloop.cli import app
from cityloop.db.session import create_engine_for
from cityloop.db.setup import ensure_database
from cityloop.geo.models import Area
from geo.factories import square_grid_collection

runner = CliRunner()


def run(db_url: str, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env={"CITYLOOP_DATABASE_URL": db_url, "COLUMNS": "200"})
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def count(db_url: str, model: type, **where: str) -> int:
    engine = create_engine_for(db_url)
    try:
        ensure_database(engine, force=True)  # a pack refused before any database work leaves none
        with Session(engine) as session:
            stmt = select(func.count()).select_from(model).filter_by(**where)
            return int(session.scalar(stmt) or 0)
    finally:
        engine.dispose()


@pytest.mark.slow
def test_demo_city_end_to_end(fresh_db_url: str, tmp_path: Path) -> None:
    code, out, err = run(fresh_db_url, "city", "create-demo", "--code", "330100", "--json")
    assert code == 0, err
    first = json.loads(out)
    assert (
        first["areas"]["grid"] >= 2000 and first["areas"]["community"] >= 20 and first["areas"]["street"] >= 4
    )
    assert first["departments"] >= 8 and first["staff"] >= 70 and first["warnings"] == []

    # The issue's acceptance check: the point lies in a grid of the demo city.
    code, out, err = run(fresh_db_url, "grid", "locate", "--city", "330100", "--json", "120.13", "30.26")
    assert code == 0, err
    located = json.loads(out)
    assert len(located["grid"]["code"]) == 15 and located["grid"]["code"].startswith("330106")
    assert located["community"]["code"] == located["grid"]["code"][:12]
    assert located["street"]["code"] == located["grid"]["code"][:9]
    assert located["district"] == {"code": "330106", "name": "西湖区"}

    # Idempotent: a second run changes nothing.
    areas_before = count(fresh_db_url, Area, city_id="330100")
    code, out, _ = run(fresh_db_url, "city", "create-demo", "--json")
    assert code == 0 and json.loads(out)["areas"] == first["areas"]
    assert count(fresh_db_url, Area, city_id="330100") == areas_before

    # The demo accounts sign in with the demo password.
    engine = create_engine_for(fresh_db_url)
    with Session(engine) as session:
        from cityloop.core.clock import get_clock

        _, secret = do_issue_token(
            session,
            city_code="330100",
            username="dispatcher01",
            password="cityloop-demo",
            now=get_clock().now(),
        )
        assert secret.startswith("clt_")
    engine.dispose()

    # Export → import → export is a round trip.
    first_dir, second_dir = tmp_path / "one", tmp_path / "two"
    assert run(fresh_db_url, "city", "export", "--city", "330100", str(first_dir))[0] == 0
    code, _, err = run(fresh_db_url, "city", "import", str(first_dir))
    assert code == 0, err
    assert run(fresh_db_url, "city", "export", "--city", "330100", str(second_dir))[0] == 0
    for path in sorted(first_dir.iterdir()):
        assert path.read_text(encoding="utf-8") == (second_dir / path.name).read_text(encoding="utf-8"), (
            path.name
        )


def test_taxonomy_list_prints_403_rows(fresh_db_url: str) -> None:
    code, out, err = run(
        fresh_db_url, "taxonomy", "list", "--standard", "GB/T 47678.5-2026", "--format", "csv"
    )
    assert code == 0, err
    lines = out.strip().splitlines()
    assert lines[0] == "standard,kind,major_code,major_name,code,name,name_en"
    assert len(lines) == 404


def test_locate_outside_the_city_fails_clearly(fresh_db_url: str, tmp_path: Path) -> None:
    pack = _small_pack(tmp_path)
    assert run(fresh_db_url, "city", "import", str(pack))[0] == 0
    code, out, err = run(fresh_db_url, "grid", "locate", "--city", "110100", "--json", "0", "0")
    assert code == 1 and out == ""
    assert "110100" in err


def _small_pack(tmp_path: Path, city: str = "110100") -> Path:
    pack = tmp_path / f"pack-{city}"
    pack.mkdir()
    (pack / "city.yaml").write_text(
        yaml.safe_dump({"code": city, "name_zh": "小城", "name_en": "Small City"}, allow_unicode=True),
        encoding="utf-8",
    )
    areas = square_grid_collection(city=city, origin=(116.40, 39.90))
    (pack / "areas.geojson").write_text(json.dumps(areas, ensure_ascii=False), encoding="utf-8")
    return pack


@pytest.mark.parametrize(
    ("breakage", "expected"),
    [
        ("yaml", "city.yaml:3: not valid YAML"),
        ("city_code", "city.yaml: code"),
        ("open_ring", "ring"),
        ("department_category", "departments.yaml"),
        ("parameter", "road_factor"),
    ],
)
def test_a_bad_pack_imports_nothing(fresh_db_url: str, tmp_path: Path, breakage: str, expected: str) -> None:
    pack = _small_pack(tmp_path)
    if breakage == "yaml":
        (pack / "city.yaml").write_text("code: '110100'\nname_zh: [unclosed\n", encoding="utf-8")
    elif breakage == "city_code":
        (pack / "city.yaml").write_text("code: '1101'\nname_zh: 小城\n", encoding="utf-8")
    elif breakage == "open_ring":
        areas = json.loads((pack / "areas.geojson").read_text(encoding="utf-8"))
        grid = next(f for f in areas["features"] if f["properties"]["level"] == "grid")
        grid["geometry"]["coordinates"][0].pop()
        (pack / "areas.geojson").write_text(json.dumps(areas), encoding="utf-8")
    elif breakage == "department_category":
        depts = [
            {
                "code": "CG",
                "name_zh": "城管",
                "kind": "professional",
                "responsibilities": [{"categories": ["99"]}],
            }
        ]
        (pack / "departments.yaml").write_text(yaml.safe_dump(depts, allow_unicode=True), encoding="utf-8")
    elif breakage == "parameter":
        (pack / "city.yaml").write_text(
            "code: '110100'\nname_zh: 小城\nparameters:\n  road_factor: 9\n", encoding="utf-8"
        )
    code, out, err = run(fresh_db_url, "city", "import", str(pack))
    assert code == 1, out
    assert expected in " ".join(err.split()), err
    # Nothing was written: not even the city.
    assert count(fresh_db_url, City) == 0
    assert count(fresh_db_url, Area) == 0


def test_import_of_a_missing_folder_fails_clearly(fresh_db_url: str, tmp_path: Path) -> None:
    code, _, err = run(fresh_db_url, "city", "import", str(tmp_path / "nowhere"))
    assert code == 1 and "not a folder" in err


def test_staff_token_and_api_key_from_the_cli(fresh_db_url: str, tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from cityloop.app import create_app

    pack = _small_pack(tmp_path)
    staff = [{"username": "admin", "name": "管理员", "roles": ["admin"]}]
    (pack / "staff.yaml").write_text(yaml.safe_dump(staff, allow_unicode=True), encoding="utf-8")
    assert run(fresh_db_url, "city", "import", str(pack), "--password", "small-city-pw")[0] == 0

    code, _, err = run(
        fresh_db_url, "access", "token", "--city", "110100", "--username", "admin", "--password", "nope-nope"
    )
    assert code == 1 and "access.invalid_credentials" in err
    code, out, err = run(
        fresh_db_url,
        "access",
        "token",
        "--city",
        "110100",
        "--username",
        "admin",
        "--password",
        "small-city-pw",
        "--json",
    )
    assert code == 0, err
    token = json.loads(out)["token"]
    code, out, err = run(
        fresh_db_url,
        "apikey",
        "create",
        "--city",
        "110100",
        "--name",
        "cameras",
        "--role",
        "camera",
        "--json",
    )
    assert code == 0, err
    key = json.loads(out)

    engine = create_engine_for(fresh_db_url)
    with TestClient(create_app(engine)) as client:
        staff_list = client.get("/api/v1/cities/110100/staff", headers={"Authorization": f"Bearer {token}"})
        assert staff_list.status_code == 200 and staff_list.json()["total"] == 1
        assert client.get("/api/v1/cities/110100/staff").status_code == 401
        assert run(fresh_db_url, "apikey", "revoke", "--city", "110100", str(key["id"]))[0] == 0
        refused = client.get("/api/v1/cities/110100/departments", headers={"X-API-Key": key["key"]})
        assert (refused.status_code, refused.json()["error"]["code"]) == (401, "access.invalid_token")
    engine.dispose()
