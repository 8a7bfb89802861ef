"""`cityloop simulate` on a database with the demo city: errors, policies compared, kept or not."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from cityloop.cases import Case, verify_city
from cityloop.cli import app
from cityloop.db.session import create_engine_for
from cityloop.db.setup import ensure_database
from cityloop.flows.citypack import do_import_pack
from cityloop.sim.democity import build_demo_pack

CITY = "330100"
SHORT = (
    "--days",
    "0.25",
    "--rate",
    "24",
    "--drain-hours",
    "12",
    "--seed",
    "2",
    "--start",
    "2026-11-02T08:00+08:00",
)
runner = CliRunner()


def run(db_url: str, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["simulate", *args], env={"CITYLOOP_DATABASE_URL": db_url, "COLUMNS": "200"})
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def demo_url(fresh_db_url: str) -> str:
    engine = create_engine_for(fresh_db_url)
    try:
        ensure_database(engine, force=True)
        with Session(engine) as session:
            do_import_pack(session, build_demo_pack(CITY).to_city_pack())
            session.commit()
    finally:
        engine.dispose()
    return fresh_db_url


def cases_in(db_url: str) -> tuple[int, bool]:
    engine = create_engine_for(db_url)
    try:
        with Session(engine) as session:
            count = int(
                session.scalar(select(func.count()).select_from(Case).where(Case.city_id == CITY)) or 0
            )
            return count, verify_city(session, CITY).ok
    finally:
        engine.dispose()


@pytest.mark.slow
def test_errors_and_all_policies_from_the_same_start(demo_url: str) -> None:
    code, _, err = run(demo_url, "--city", "110100", "--json")
    assert code == 1 and "cities.not_found" in err and "110100" in err
    code, _, err = run(demo_url, "--city", CITY, "--policy", "fastest")
    assert code == 1 and "sim.unknown_policy" in err
    code, _, err = run(demo_url, "--policy", "nearest")
    assert code == 1 and "sim.no_city" in err
    code, _, err = run(demo_url, "--city", CITY, "--policy", "all", "--realtime", "60")
    assert code == 1 and "sim.invalid_option" in err
    code, _, err = run(demo_url, "--city", CITY, "--days", "0")
    assert code == 1 and "sim.invalid_option" in err

    code, out, err = run(demo_url, "--city", CITY, "--policy", "all", "--json", *SHORT)
    assert code == 0, err
    figures = json.loads(out)
    assert set(figures["policies"]) == {"nearest", "least-loaded", "optimised"}
    assert figures["city"] == CITY and figures["start"] == "2026-11-02T08:00:00+08:00"
    reports = {p: f["reports"] for p, f in figures["policies"].items()}
    assert len(set(reports.values())) == 1  # one scenario for every policy
    for policy, run_figures in figures["policies"].items():
        assert run_figures["policy"] == policy and run_figures["errors"] == {}
        assert run_figures["kept"] is False and run_figures["cases"] > 0
    assert cases_in(demo_url) == (0, True)  # each policy was rolled back


@pytest.mark.slow
def test_one_policy_keeps_its_cases_unless_told_not_to(demo_url: str) -> None:
    code, out, err = run(demo_url, "--city", CITY, "--policy", "nearest", "--no-keep", "--json", *SHORT)
    assert code == 0, err
    assert json.loads(out)["kept"] is False and cases_in(demo_url) == (0, True)

    code, out, err = run(demo_url, "--city", CITY, "--policy", "least-loaded", "--json", *SHORT)
    assert code == 0, err
    kept = json.loads(out)
    assert kept["kept"] is True and cases_in(demo_url) == (kept["cases"], True)

    # Real time, much accelerated: committed as it goes, on top of what was kept.
    code, out, err = run(
        demo_url, "--city", CITY, "--policy", "nearest", "--realtime", "1000000", "--days", "0.1", "--rate", "24",
        "--start", "2026-11-03T09:00+08:00", "--json",
    )  # fmt: skip
    assert code == 0, err
    live = json.loads(out)
    assert live["kept"] is True and live["stopped_at"] == live["end"]  # no drain in real time
    assert cases_in(demo_url) == (kept["cases"] + live["cases"], True)

    code, out, err = run(demo_url, "--city", CITY, "--policy", "optimised", "--no-keep", *SHORT)
    assert code == 0, err
    assert "travel_km_per_case" in out and "optimised" in out  # the table
