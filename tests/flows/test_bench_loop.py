"""bench/loop.py drives cases through the whole loop and prints its figures as JSON."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_bench_loop_prints_its_figures(tmp_path: Path) -> None:
    kept = tmp_path / "loop.db"
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "loop.py"), "--cases", "5", "--json", "--keep", str(kept)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout)
    assert {"cases", "cases_per_s", "events", "seconds", "database", "audit_ok"} <= set(figures)
    # 5 cases: 4 inspector reports of 9 events and 1 hotline report of 12 (verification, callback).
    assert (figures["cases"], figures["events"], figures["database"], figures["audit_ok"]) == (
        5,
        48,
        "sqlite",
        True,
    )
    assert figures["cases_per_s"] > 0 and figures["seconds"] > 0
    assert kept.exists() and figures["kept"] == str(kept)
