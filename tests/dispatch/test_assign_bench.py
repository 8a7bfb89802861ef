"""bench/dispatch.py times greedy and batch assignment and prints its figures as JSON."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_bench_dispatch_prints_its_figures() -> None:
    args = ["--workers", "5", "--tasks", "12", "--single", "30", "--rounds", "3", "--seed", "7", "--json"]
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "dispatch.py"), *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout)
    assert (figures["workers"], figures["seed"]) == (5, 7)
    single, batch = figures["single"], figures["batch"]
    assert single["decisions"] == 30 and 0 < single["assigned"] <= 30 and single["decisions_per_s"] > 0
    assert (batch["rounds"], batch["tasks_per_round"]) == (3, 12)
    assert 0 < batch["assigned"] <= 36 and batch["decisions_per_s"] > 0
    # The batch keeps the cheaper of its plan and greedy one by one, so it never costs more.
    assert 0 < batch["cost_vs_greedy_best"] <= batch["cost_vs_greedy_mean"] <= 1.0
    west, east = figures["extent"]["lon"]
    assert 120.0 < west < east < 120.2
