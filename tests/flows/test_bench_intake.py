"""bench/intake.py sends citizen reports in-process and over HTTP and prints its figures as JSON."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_bench_intake_prints_its_figures() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "intake.py"), "--json",
         "--reports", "20", "--http-reports", "6", "--clients", "1"],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout)
    assert {
        "reports_per_s", "http_reports_per_s", "http_p50_ms", "http_p99_ms",
        "reports", "http_reports", "http_failed", "database", "seconds", "statuses",
    } <= set(figures)  # fmt: skip
    assert (figures["database"], figures["reports"], figures["http_reports"]) == ("sqlite", 20, 6)
    assert sum(figures["statuses"].values()) == 20
    # One client at a time: every request is answered, each a new case or a queued report.
    assert (figures["http_failed"], figures["http_status_codes"]) == (0, {"201": 6})
    assert figures["reports_per_s"] > 0 and figures["http_reports_per_s"] > 0
    assert 0 < figures["http_p50_ms"] <= figures["http_p99_ms"]
