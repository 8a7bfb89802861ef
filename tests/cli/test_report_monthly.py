"""`cityloop report monthly` on a committed loop city: files, figures recomputed by hand, CSV rows, PDF, errors.

The city gets a handful of cases around November 2026 (Shanghai time): one closed on time, one
closed late, one left being handled past its due, one voided, one reported at 23:30 on
30 November (in the month) and one at 00:10 on 1 December and one in October (both outside).
"""

from __future__ import annotations

import csv
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from statistics import mean
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from cityloop.cases import Actor, Case, Task, do_create_case, do_transition
from cityloop.cli.report import app
from cityloop.core.clock import FrozenClock
from cityloop.db.session import create_engine_for
from cityloop.db.setup import ensure_database
from cityloop.evaluation import evaluate
from cityloop.flows.citypack import do_import_pack
from loopcity import CITY, STAFF, actor_for, loop_pack

SHANGHAI = ZoneInfo("Asia/Shanghai")
STEM = f"monthly-{CITY}-2026-11"
TABLES = ("summary", "sources", "daily", "categories", "streets", "departments", "hot_grids", "clusters",
          "recurrence")  # fmt: skip
TO_SIGN = [("accept", "operator01", None), ("file", "leader01", None)]
runner = CliRunner()


def local(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=SHANGHAI).astimezone(UTC)


class Builder:
    def __init__(self, session: Session, clock: FrozenClock, point: tuple[float, float]) -> None:
        self.session, self.clock, self.point = session, clock, point
        self.actors: dict[str, Actor] = {u: actor_for(session, CITY, u) for u, _, _ in STAFF}

    def report(self, at: datetime, category: str = "09001") -> str:
        self.clock.set(at)
        case = do_create_case(
            self.session, city_code=CITY, actor=self.actors["inspector01"], source="inspector",
            category_code=category, lon=self.point[0], lat=self.point[1], description="测试",
        )  # fmt: skip
        return case.number

    def act(
        self, number: str, *steps: tuple[str, str, dict[str, Any] | None], reason: str | None = None
    ) -> None:
        for action, who, data in steps:
            self.clock.advance(minutes=5)
            do_transition(
                self.session, city_code=CITY, number=number, action=action, actor=self.actors[who],
                data=data, reason=reason,
            )  # fmt: skip


def dispatch_to(department: str, signer: str) -> list[tuple[str, str, dict[str, Any] | None]]:
    return [*TO_SIGN, ("dispatch", "dispatcher01", {"department": department}), ("sign", signer, None)]


AFTER_SIGN = [("feedback", "cgworker01", None), ("send_check", "operator01", None),
              ("check_ok", "inspector01", None), ("close", "leader01", None)]  # fmt: skip


@pytest.fixture
def city_url(fresh_db_url: str, clock: FrozenClock) -> str:
    engine = create_engine_for(fresh_db_url)
    ensure_database(engine, force=True)
    pack = loop_pack()
    grid = next(f for f in pack.areas["features"] if f["properties"]["level"] == "grid")  # type: ignore[index]
    ring = grid["geometry"]["coordinates"][0]
    point = (sum(p[0] for p in ring[:4]) / 4, sum(p[1] for p in ring[:4]) / 4)
    with Session(engine) as session:
        do_import_pack(session, pack, password="loop-password")
        b = Builder(session, clock, point)
        b.report(local(10, 30, 10))  # October: outside the month
        a = b.report(local(11, 2, 9))
        b.act(a, *dispatch_to("CG", "cg01"), *AFTER_SIGN)
        late = b.report(local(11, 3, 10))
        b.act(late, *dispatch_to("CG", "cg01"))
        still_open = b.report(local(11, 4, 10), category="06010")
        b.act(still_open, *dispatch_to("HW", "hw01"))
        void = b.report(local(11, 5, 10))
        b.act(void, ("request_void", "operator01", None), ("approve_void", "leader01", None), reason="误报")
        clock.set(local(11, 13, 10))
        b.act(late, *AFTER_SIGN)
        b.report(local(11, 30, 23, 30))  # last half hour of the month, local time
        b.report(local(12, 1, 0, 10))  # first minutes of December: outside
        session.commit()
    engine.dispose()
    clock.set(local(12, 5, 9))
    return fresh_db_url


def run(db_url: str, *args: str, chromium: str | None = None) -> tuple[int, str, str]:
    env = {"CITYLOOP_DATABASE_URL": db_url, "COLUMNS": "200"}
    if chromium is not None:
        env["CITYLOOP_CHROMIUM"] = chromium
    result = runner.invoke(app, ["monthly", *args], env=env)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def read_csv(out: Path, table: str) -> list[dict[str, str]]:
    with (out / f"{STEM}-{table}.csv").open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def by_hand(db_url: str) -> dict[str, Any]:
    """The month's figures recomputed in plain Python from the rows (no SQL aggregates)."""
    start, end = local(11, 1, 0), local(12, 1, 0)

    def aware(value: datetime) -> datetime:
        return value if value.tzinfo else value.replace(tzinfo=UTC)

    def hours(c: Case) -> float:
        assert c.closed_at is not None
        return (aware(c.closed_at) - aware(c.reported_at)).total_seconds() / 3600

    def inside(value: datetime | None) -> bool:
        return value is not None and start <= aware(value) < end

    engine = create_engine_for(db_url)
    with Session(engine) as session:
        cases = session.scalars(select(Case).where(Case.city_id == CITY)).all()
        tasks = session.scalars(select(Task).where(Task.city_id == CITY, Task.kind == "handle")).all()
        month = [c for c in cases if inside(c.reported_at)]
        closed = [c for c in cases if c.state == "CLOSED" and inside(c.closed_at)]
        handled = [t for t in tasks if t.status == "done" and inside(t.done_at)]
        overdue = [
            t for t in tasks
            if t.due_at is not None and inside(t.due_at) and (t.done_at is None or aware(t.done_at) > aware(t.due_at))
        ]  # fmt: skip
        figures = {
            "reported": len(month),
            "void": sum(c.state == "VOID" for c in month),
            "closed": len(closed),
            "closed_of_month": sum(c.state == "CLOSED" for c in month),
            "handled": len(handled),
            "handled_on_time": sum(bool(t.on_time) for t in handled),
            "overdue": len(overdue),
            "mean_hours": round(mean(hours(c) for c in closed), 2),
            "late_on_time": [t.on_time for t in tasks],
            "by_day": sorted(aware(c.reported_at).astimezone(SHANGHAI).day for c in month),
        }
    engine.dispose()
    return figures


def fig(html: str, name: str) -> str:
    match = re.search(rf'id="fig-{name}">([^<]*)<', html)
    assert match, name
    return match.group(1)


def test_the_report_shows_the_figures_of_the_month(city_url: str, tmp_path: Path) -> None:
    out = tmp_path / "reports"
    code, stdout, stderr = run(city_url, "--city", CITY, "--month", "2026-11", "--out", str(out), "--no-pdf")
    assert (code, stderr) == (0, ""), stderr
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted([f"{STEM}.html", *(f"{STEM}-{t}.csv" for t in TABLES)])
    assert f"city {CITY} · 2026-11: 5 cases, 2 closed" in stdout

    hand = by_hand(city_url)
    # The scenario is what it says: the late case was late, the open one is past its due.
    assert sorted(hand["late_on_time"], key=str) == [False, None, True]
    assert hand == {**hand, "reported": 5, "void": 1, "closed": 2, "closed_of_month": 2, "handled": 2,
                    "handled_on_time": 1, "overdue": 2, "by_day": [2, 3, 4, 5, 30]}  # fmt: skip

    html = (out / f"{STEM}.html").read_text(encoding="utf-8")
    assert fig(html, "reported") == "5"
    assert fig(html, "valid") == "4"
    assert fig(html, "closed") == "2"
    assert fig(html, "closure-rate") == "50.0%"
    assert fig(html, "on-time-rate") == "50.0%"
    assert fig(html, "overdue") == "2"
    assert fig(html, "mean-hours") == str(hand["mean_hours"])
    assert fig(html, "dispatched") == "3"
    assert fig(html, "auto-rate") == "0.0%"  # every dispatch was a person's
    assert fig(html, "auto-accuracy") == "—"
    # Both closed cases came back at the same grid with the same category within 30 days.
    assert fig(html, "recurrence-rate") == "100.0%"
    assert (
        html.count("<svg") == 4
        and "<script" not in html
        and "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    )

    summary = {r["figure"]: r["value"] for r in read_csv(out, "summary")}
    assert {k: summary[k] for k in ("reported", "void", "valid", "closed", "overdue", "on_time_rate")} == {
        "reported": "5", "void": "1", "valid": "4", "closed": "2", "overdue": "2", "on_time_rate": "0.5",
    }  # fmt: skip
    daily = read_csv(out, "daily")
    assert len(daily) == 30 and daily[0]["day"] == "2026-11-01" and daily[-1]["day"] == "2026-11-30"
    busy = {
        r["day"]: (int(r["reported"]), int(r["closed"]))
        for r in daily
        if r["reported"] != "0" or r["closed"] != "0"
    }
    assert busy == {"2026-11-02": (1, 1), "2026-11-03": (1, 0), "2026-11-04": (1, 0), "2026-11-05": (1, 0),
                    "2026-11-13": (0, 1), "2026-11-30": (1, 0)}  # fmt: skip
    assert read_csv(out, "sources") == [{"source": "inspector", "label": "巡查上报", "cases": "5"}]
    categories = [(r["code"], r["cases"], r["closed"]) for r in read_csv(out, "categories")]
    assert categories == [("09001", "4", "2"), ("06010", "1", "0")]
    recurrence = read_csv(out, "recurrence")
    assert [(r["category"], r["recurrences"]) for r in recurrence] == [("09001", "2")]


def test_departments_carry_the_evaluations_grade(city_url: str, tmp_path: Path) -> None:
    code, _, stderr = run(city_url, "--city", CITY, "--month", "2026-11", "--out", str(tmp_path), "--no-pdf")
    assert code == 0, stderr
    rows = {r["code"]: r for r in read_csv(tmp_path, "departments")}
    engine = create_engine_for(city_url)
    with Session(engine) as session:
        expected = evaluate(session, CITY, kinds=["department"], first="2026-11-01", last="2026-11-30")
    engine.dispose()
    graded = {r["id"]: r for r in expected if r["indicators"]["dispatched"] or r["indicators"]["due"]}
    assert set(rows) == set(graded) == {"CG", "HW"}
    for code_, row in rows.items():
        assert (float(row["composite"]), row["grade"]) == (graded[code_]["composite"], graded[code_]["grade"])
    assert rows["CG"]["dispatched"] == "2" and rows["HW"]["dispatched"] == "1"
    assert [r["rank"] for r in sorted(rows.values(), key=lambda r: -float(r["composite"]))] == ["1", "2"]
    html = (tmp_path / f"{STEM}.html").read_text(encoding="utf-8")
    assert "城管" in html and "环卫" in html


def test_bad_month_or_city_writes_nothing(city_url: str, tmp_path: Path) -> None:
    parent = tmp_path / "reports"
    parent.mkdir()
    out = parent / "nothing"
    for args, error in [
        (("--city", CITY, "--month", "2026-13"), "report.invalid_month"),
        (("--city", CITY, "--month", "Nov 2026"), "report.invalid_month"),
        (("--city", CITY, "--month", "2027-01"), "report.invalid_month"),  # not begun yet
        (("--city", "110100", "--month", "2026-11"), "cities.not_found"),
    ]:
        code, _, stderr = run(city_url, *args, "--out", str(out))
        assert code == 1 and error in stderr, (args, stderr)
    assert not out.exists()
    assert list(parent.iterdir()) == []  # no temporary directory left behind


def test_without_chromium_the_pdf_is_left_out_unless_demanded(city_url: str, tmp_path: Path) -> None:
    args = ("--city", CITY, "--month", "2026-11")
    code, _, stderr = run(city_url, *args, "--out", str(tmp_path / "a"), chromium="")
    assert code == 0 and "The PDF needs headless Chromium" in stderr.replace("\n", " ")
    assert (tmp_path / "a" / f"{STEM}.html").is_file() and not (tmp_path / "a" / f"{STEM}.pdf").exists()
    code, _, stderr = run(city_url, *args, "--out", str(tmp_path / "b"), "--pdf", chromium="/no/chromium")
    assert code == 1 and "report.pdf_failed" in stderr
    assert not (tmp_path / "b").exists()


@pytest.mark.skipif(not Path("/usr/bin/chromium").is_file(), reason="needs /usr/bin/chromium")
def test_the_pdf_is_printed_by_chromium(city_url: str, tmp_path: Path) -> None:
    code, _, stderr = run(city_url, "--city", CITY, "--month", "2026-11", "--out", str(tmp_path), "--pdf",
                          chromium="/usr/bin/chromium")  # fmt: skip
    assert code == 0, stderr
    pdf = (tmp_path / f"{STEM}.pdf").read_bytes()
    assert pdf.startswith(b"%PDF-") and len(pdf) > 10_000
    assert pdf.rstrip().endswith(b"%%EOF")


def test_month_bounds_follow_local_time() -> None:
    from cityloop.cli.report_builder import month_bounds

    first, start, end = month_bounds("2026-12", "Asia/Shanghai")
    assert (first.isoformat(), start, end) == (
        "2026-12-01",
        datetime(2026, 11, 30, 16, tzinfo=UTC),
        datetime(2026, 12, 31, 16, tzinfo=UTC),
    )
    assert end - start == timedelta(days=31)
