"""Foundation benchmarks: demo city generation and import, grid lookup, taxonomy seeding.

    python bench/run.py [--db URL] [--lookups N] [--json]

Runs on a throwaway SQLite database unless --db names another (e.g. a PostgreSQL URL of an
empty database). Prints one JSON object of figures with --json, a table otherwise. The
machine is shared and noisy: compare figures of one run, not across runs.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from cityloop.db.session import create_engine_for
from cityloop.db.setup import ensure_database
from cityloop.flows.citypack import do_import_pack
from cityloop.geo import area_index, locate, lookup
from cityloop.sim.democity import build_demo_pack
from cityloop.taxonomy import do_seed_standards


def _timed(fn: Any, *args: Any, **kwargs: Any) -> tuple[Any, float]:
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return result, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", help="database URL of an empty database (default: a temporary SQLite file)")
    parser.add_argument("--lookups", type=int, default=20_000, help="point lookups to time")
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args()

    tmp = tempfile.TemporaryDirectory()
    url = args.db or f"sqlite:///{Path(tmp.name) / 'bench.db'}"
    engine = create_engine_for(url)
    figures: dict[str, Any] = {"database": engine.dialect.name}

    _, figures["migrate_and_seed_s"] = _timed(ensure_database, engine, force=True)
    demo, figures["demo_generate_s"] = _timed(build_demo_pack)
    pack = demo.to_city_pack()
    grids = [f for f in demo.areas["features"] if f["properties"]["level"] == "grid"]
    figures["grids"] = len(grids)
    for label in ("demo_import_first_s", "demo_import_again_s"):
        with Session(engine) as session:
            _, figures[label] = _timed(do_import_pack, session, pack, password="bench-password")
            session.commit()

    with Session(engine) as session:
        _, figures["taxonomy_seed_when_seeded_ms"] = _timed(do_seed_standards, session)
        figures["taxonomy_seed_when_seeded_ms"] *= 1000
        lookup._cache.clear()  # the import warmed it; time a cold build
        _, build_s = _timed(area_index, session, "330100")
        figures["lookup_index_build_ms"] = build_s * 1000

        rng = random.Random(7)
        minx = min(c[0] for f in grids for c in f["geometry"]["coordinates"][0])
        maxx = max(c[0] for f in grids for c in f["geometry"]["coordinates"][0])
        miny = min(c[1] for f in grids for c in f["geometry"]["coordinates"][0])
        maxy = max(c[1] for f in grids for c in f["geometry"]["coordinates"][0])
        points = [(rng.uniform(minx, maxx), rng.uniform(miny, maxy)) for _ in range(args.lookups)]

        index = area_index(session, "330100")
        assert index is not None
        start = time.perf_counter()
        found = sum(1 for lon, lat in points if index.locate(lon, lat) is not None)
        in_memory = time.perf_counter() - start
        figures["lookup_in_memory_per_s"] = round(args.lookups / in_memory)
        figures["lookup_hit_share"] = round(found / args.lookups, 3)

        sample = points[: min(2000, args.lookups)]
        per_call = []
        for lon, lat in sample:
            _, seconds = _timed(locate, session, "330100", lon, lat)
            per_call.append(seconds * 1e6)
        figures["locate_with_db_check_median_us"] = round(statistics.median(per_call), 1)
        figures["locate_with_db_check_p95_us"] = round(sorted(per_call)[int(0.95 * len(per_call))], 1)

    for key, value in list(figures.items()):
        if isinstance(value, float):
            figures[key] = round(value, 3)
    engine.dispose()
    tmp.cleanup()
    if args.json:
        sys.stdout.write(json.dumps(figures) + "\n")
    else:
        width = max(map(len, figures))
        for key, value in figures.items():
            print(f"{key:<{width}}  {value}")


if __name__ == "__main__":
    main()
