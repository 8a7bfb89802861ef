"""The intake benchmark: citizen reports through `flows.process_report`, in-process and over HTTP.

    python bench/intake.py [--reports N] [--http-reports N] [--clients C] [--batch B]
                           [--database-url URL] [--seed S] [--json]

Builds a temporary SQLite database (or uses --database-url, e.g. an empty PostgreSQL
database), migrates it, imports the demo city 330100 (with its devices and calendar), and
prepares N citizen reports: a random point inside a random grid of the city, a matter chosen
by the reporter for most, free text only for some (the keyword match decides, or the report
waits for manual classification), a phone number for some, the app's own id for half.

In-process: the reports go through `process_report` on one session, committed every B
reports (default 100); only the reports are timed, not the migration, import or payloads.

Over HTTP: `uvicorn` serves `cityloop.app.create_app(engine)` in a subprocess on a free
127.0.0.1 port; C concurrent clients (asyncio + httpx) POST the reports to
`/api/v1/cities/330100/reports/citizen`, one committed transaction per request. SQLite runs
in WAL mode and serialises writers (each transaction takes the write lock at BEGIN
IMMEDIATE): concurrent requests wait for each other's commit. Failed requests are counted in
`http_failed`. The server is stopped at the end.

Prints {"reports_per_s", "http_reports_per_s", "http_p50_ms", "http_p99_ms", ...}. The
machine is shared and noisy: compare figures of one run, not across runs.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
from shapely import Point
from shapely.geometry import shape
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from cityloop.db.session import create_engine_for, make_session_factory
from cityloop.db.setup import ensure_database
from cityloop.flows.citypack import do_import_pack
from cityloop.flows.process_report import process_report
from cityloop.sim.democity import DemoPack, build_demo_pack

CITY = "330100"
#: Matters a citizen picks in the app (national codes of GB/T 47678.5-2026).
CATEGORIES = ("09001", "09002", "06010", "06013", "06017", "06001", "07001", "06028")
#: What citizens write when they pick no category: most match a keyword, the last one does not.
FREE_TEXT = (
    "路边有流动摊贩占道",
    "小区门口垃圾满了没人清",
    "晚上工地噪音太吵睡不着",
    "人行道上有个坑很危险",
    "路灯不亮好几天了",
    "这里有点问题请来看看",
)
SERVER = """
import sys, uvicorn
from cityloop.app import create_app
from cityloop.db.session import create_engine_for
engine = create_engine_for(sys.argv[1])
app = create_app(engine)
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[2]), log_level="critical", access_log=False)
"""


def _import_demo(engine: Engine, *, automation: bool = True) -> DemoPack:
    demo = build_demo_pack(CITY)
    pack = demo.to_city_pack()
    if not automation:  # the intake pipeline alone: reports become cases that wait for people
        pack.city = {k: v for k, v in pack.city.items() if k != "parameters"}
    with Session(engine) as session:
        do_import_pack(session, pack, password="bench-password")
        session.commit()
    return demo


def _grids(demo: DemoPack) -> list[Any]:
    return [shape(f["geometry"]) for f in demo.areas["features"] if f["properties"]["level"] == "grid"]


def _point_in(rng: random.Random, grid: Any) -> tuple[float, float]:
    minx, miny, maxx, maxy = grid.bounds
    while True:
        lon, lat = round(rng.uniform(minx, maxx), 6), round(rng.uniform(miny, maxy), 6)
        if grid.contains(Point(lon, lat)):
            return lon, lat


def make_payloads(grids: list[Any], count: int, rng: random.Random, prefix: str) -> list[dict[str, Any]]:
    """`count` citizen reports: 80 % with a chosen matter, 20 % free text; 30 % with a phone."""
    payloads = []
    for index in range(count):
        lon, lat = _point_in(rng, rng.choice(grids))
        payload: dict[str, Any] = {"lon": lon, "lat": lat}
        if rng.random() < 0.8:
            payload["category_code"] = rng.choice(CATEGORIES)
            payload["description"] = f"市民上报 第{index}号 问题"
        else:
            payload["description"] = rng.choice(FREE_TEXT)
        if rng.random() < 0.3:
            payload["name"] = "张女士"
            payload["phone"] = f"139{rng.randrange(10**8):08d}"
        else:
            payload["anonymous"] = True
        if index % 2 == 0:
            payload["client_id"] = f"{prefix}-{index}"
        payloads.append(payload)
    return payloads


def run_in_process(engine: Engine, payloads: list[dict[str, Any]], batch: int) -> dict[str, Any]:
    """Every payload through `process_report` on one session, committed every `batch` reports."""
    statuses: Counter[str] = Counter()
    with make_session_factory(engine)() as session:
        start = time.perf_counter()
        for index, payload in enumerate(payloads, 1):
            result = process_report(session, city_code=CITY, channel="citizen", payload=payload)
            statuses[result.report.status] += 1
            if index % batch == 0:
                session.commit()
        session.commit()
        seconds = time.perf_counter() - start
    return {
        "reports": len(payloads),
        "reports_per_s": round(len(payloads) / seconds, 1),
        "reports_seconds": round(seconds, 3),
        "commit_every": batch,
        "statuses": dict(sorted(statuses.items())),
    }


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_ready(base: str, server: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server exited with {server.returncode}")
        try:
            if httpx.get(f"{base}/health", timeout=1.0).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"the server did not answer within {timeout:.0f} s")


async def _post_all(
    base: str, payloads: list[dict[str, Any]], clients: int
) -> tuple[list[float], Counter[int], float]:
    url = f"{base}/api/v1/cities/{CITY}/reports/citizen"
    latencies: list[float] = []
    codes: Counter[int] = Counter()
    queue = iter(payloads)
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(limits=limits, timeout=30.0) as client:

        async def worker() -> None:
            for payload in queue:
                sent = time.perf_counter()
                try:
                    code = (await client.post(url, json=payload)).status_code
                except httpx.TransportError:  # the server dropped the connection (a 500 in the app)
                    code = 0
                latencies.append((time.perf_counter() - sent) * 1000)
                codes[code] += 1

        start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(clients)))
        seconds = time.perf_counter() - start
    return latencies, codes, seconds


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def run_http(url: str, payloads: list[dict[str, Any]], clients: int) -> dict[str, Any]:
    """POST every payload with `clients` concurrent clients to a uvicorn subprocess on loopback."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER, url, str(port)], env={**os.environ, "PYTHONUNBUFFERED": "1"}
    )
    try:
        _wait_ready(base, server)
        asyncio.run(_post_all(base, payloads[: min(len(payloads), clients)], clients))  # warm-up
        latencies, codes, seconds = asyncio.run(_post_all(base, payloads[clients:], clients))
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    done = len(latencies)
    ok = codes[201] + codes[200]
    return {
        "http_reports": done,
        "http_clients": clients,
        "http_failed": done - ok,
        "http_reports_per_s": round(ok / seconds, 1),
        "http_seconds": round(seconds, 3),
        "http_p50_ms": round(_percentile(latencies, 0.50), 2),
        "http_p90_ms": round(_percentile(latencies, 0.90), 2),
        "http_p99_ms": round(_percentile(latencies, 0.99), 2),
        "http_max_ms": round(max(latencies), 2),
        "http_status_codes": {str(code): n for code, n in sorted(codes.items())},
    }


def run(
    url: str, *, reports: int, http_reports: int, clients: int, batch: int, seed: int, automation: bool = True
) -> dict[str, Any]:
    engine = create_engine_for(url)
    ensure_database(engine, force=True)
    demo = _import_demo(engine, automation=automation)
    rng = random.Random(seed)
    grids = _grids(demo)
    figures: dict[str, Any] = {"database": engine.dialect.name, "grids": len(grids), "automation": automation}
    if reports:
        figures |= run_in_process(engine, make_payloads(grids, reports, rng, "bench"), batch)
    engine.dispose()
    if http_reports:
        warm_and_timed = make_payloads(grids, http_reports + clients, rng, "http")
        figures |= run_http(url, warm_and_timed, clients)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--reports", type=int, default=3000, help="reports in-process (0: skip)")
    parser.add_argument("--http-reports", type=int, default=2000, help="reports over HTTP (0: skip)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent HTTP clients")
    parser.add_argument("--batch", type=int, default=100, help="in-process: commit every B reports")
    parser.add_argument("--database-url", help="URL of an empty database (default: a temporary SQLite file)")
    parser.add_argument("--seed", type=int, default=7, help="seed of the random reports")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument(
        "--no-automation",
        action="store_true",
        help="import the demo city without its automation parameters (intake and triage alone)",
    )
    args = parser.parse_args()
    if min(args.reports, args.http_reports) < 0 or args.clients < 1 or args.batch < 1:
        parser.error("counts must be ≥ 0, --clients and --batch ≥ 1")
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'intake.db'}"
        started = time.perf_counter()
        figures = run(
            url, reports=args.reports, http_reports=args.http_reports, clients=args.clients,
            batch=args.batch, seed=args.seed, automation=not args.no_automation,
        )  # fmt: skip
        figures["seconds"] = round(time.perf_counter() - started, 3)
    if args.json:
        sys.stdout.write(json.dumps(figures, ensure_ascii=False) + "\n")
    else:
        width = max(map(len, figures))
        for key, value in figures.items():
            print(f"{key:<{width}}  {value}")


if __name__ == "__main__":
    main()
