"""`cityloop taxonomy ...` on a fresh database, through Typer's runner.

Until the lead's first migration exists, the schema is made with create_all before the
command runs (Alembic then finds nothing to do); afterwards the command migrates it itself.
"""

from __future__ import annotations

import csv
import io
import json
from importlib import resources

import pytest
from typer.testing import CliRunner

from cityloop.cities.models import City
from cityloop.cli.taxonomy import app
from cityloop.db.base import import_models
from cityloop.db.session import get_engine, session_scope
from cityloop.taxonomy import do_import_local_codes, do_seed_registration_conditions, do_seed_standards

HAS_MIGRATIONS = any(
    p.name.endswith(".py") for p in resources.files("cityloop.db.migrations").joinpath("versions").iterdir()
)

runner = CliRunner()


@pytest.fixture
def db(fresh_db_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("CITYLOOP_DATABASE_URL", fresh_db_url)
    if not HAS_MIGRATIONS:
        import_models().create_all(get_engine(fresh_db_url))
    return fresh_db_url


@pytest.fixture
def db_with_city(db: str) -> str:
    """The fresh database, migrated and seeded by a first command, plus city 330100 and its data."""
    assert runner.invoke(app, ["list", "--format", "json", "--major", "10"]).exit_code == 0
    with session_scope(get_engine(db)) as session:
        do_seed_standards(session)
        session.add(City(code="330100", name_zh="示范市"))
        session.flush()
        do_seed_registration_conditions(session, city_code="330100")
        do_import_local_codes(
            session,
            city_code="330100",
            csv_text="kind,major_code,code,name,name_en,note\nmatter,09,09901,占道晾晒,,\n",
        )
    return db


def test_list_csv_gives_exactly_403_rows(db: str) -> None:
    result = runner.invoke(app, ["list", "--standard", "GB/T 47678.5-2026", "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["standard", "kind", "major_code", "major_name", "code", "name", "name_en"]
    assert len(rows) == 1 + 403
    assert rows[1] == [
        "GB/T 47678.5-2026",
        "component",
        "01",
        "市政公用设施",
        "01001",
        "供水井盖",
        "Water supply manhole cover",
    ]
    assert rows[-1] == [
        "GB/T 47678.5-2026",
        "matter",
        "10",
        "其他事项类",
        "10002",
        "架空线缆脱落",
        "Fallen overhead cable",
    ]


def test_list_json_and_table(db: str) -> None:
    result = runner.invoke(app, ["list", "--kind", "matter", "--major", "10", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert [(r["code"], r["name"]) for r in json.loads(result.stdout)] == [
        ("10001", "道路积雪、结冰"),
        ("10002", "架空线缆脱落"),
    ]
    result = runner.invoke(app, ["list", "--standard", "legacy", "--kind", "matter", "--major", "04"])
    assert result.exit_code == 0, result.output
    assert "legacy: 10" in result.stdout
    assert "0401" in result.stdout and "路面塌陷" in result.stdout


def test_list_with_city_includes_its_local_codes(db_with_city: str) -> None:
    result = runner.invoke(app, ["list", "--city", "330100", "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) == 1 + 404


def test_unknown_standard_fails_on_stderr(db: str) -> None:
    result = runner.invoke(app, ["list", "--standard", "GB/T 30428.2-2013", "--format", "csv"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "taxonomy.unknown_standard" in result.stderr
    assert "GB/T 30428.2-2013" in result.stderr


def test_show_with_crosswalk_and_conditions(db_with_city: str) -> None:
    result = runner.invoke(app, ["show", "06010", "--city", "330100"])
    assert result.exit_code == 0, result.output
    assert "06010 暴露垃圾" in result.stdout
    assert "crosswalk: legacy 0102 暴露垃圾 [same_name]" in result.stdout
    assert "立案条件 公共区域有暴露垃圾: normal 4 working hours, urgent 2 working hours" in result.stdout
    result = runner.invoke(app, ["show", "06001", "--city", "330100", "--json"])
    body = json.loads(result.stdout)
    assert [c["limits"]["normal"]["amount"] for c in body[0]["registration_conditions"]] == [4, 7, 20]
    assert body[0]["crosswalk"][0]["rule"] == "major_plus_5"


def test_show_a_code_of_both_kinds_shows_both(db: str) -> None:
    result = runner.invoke(app, ["show", "01037", "--json"])
    assert result.exit_code == 0, result.output
    assert [(r["kind"], r["name"]) for r in json.loads(result.stdout)] == [
        ("component", "路灯"),
        ("matter", "路灯异常"),
    ]


def test_show_unknown_code_fails(db: str) -> None:
    result = runner.invoke(app, ["show", "06031"])
    assert result.exit_code == 1
    assert "taxonomy.unknown_category" in result.stderr


def test_show_legacy_unmapped(db: str) -> None:
    result = runner.invoke(app, ["show", "0401", "--standard", "legacy", "--kind", "matter"])
    assert result.exit_code == 0, result.output
    assert "crosswalk: none: major_plus_5 gives 09001 无照经营游商" in result.stdout


def test_crosswalk_command() -> None:
    result = runner.invoke(app, ["crosswalk", "--json"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["counts"] == {"mapped": 86, "major_plus_5": 3, "same_name": 83, "unmapped": 48}
    assert len(body["mapped"]) == 86 and len(body["unmapped"]) == 48
    text = runner.invoke(app, ["crosswalk"])
    assert text.exit_code == 0
    assert "mapped 86 (major_plus_5 3, same_name 83), unmapped 48" in text.stdout
