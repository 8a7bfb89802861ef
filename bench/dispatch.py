"""Dispatch benchmark: assignment decisions per second, greedy (one task) and batch (a department's queue).

    python bench/dispatch.py [--workers 20] [--tasks 50] [--single 2000] [--rounds 20] [--seed 1]
                             [--sim-days 3] [--json]

Synthetic field workers and tasks are scattered over the demo city's lattice (sim/democity,
about 6.6 × 4.3 km around 120.13 E 30.26 N): workers with 0–3 queued tasks, 0–6 fixes done
today, shifts ending within 1–8 hours and one or two of three skills; tasks of a few categories,
a fifth urgent, due within 30–480 minutes, three in ten needing a skill. No database is used:
only the pure core is timed (loading workers is a couple of queries per department).

- single: `greedy_assign` of one task among all workers, for each of `--single` tasks;
- batch: `batch_assign` of `--tasks` tasks over `--workers` workers, `--rounds` times (each round
  a fresh instance); decisions per second counts assigned tasks. The batch also runs greedy
  one by one to keep the cheaper plan, and that time is included.

With `--sim-days N` (N > 0), the simulator also runs N days of the demo city under each policy
on a temporary SQLite database (`cityloop simulate --policy all`): on-time rate, closure hours,
travel against the hindsight bound, auto-dispatch rate and accuracy.

Also printed: the cost-model total of the batch plan relative to greedy one by one on the same
instances (below 1 = the batch is cheaper). The machine is shared and noisy: compare figures of
one run, not across runs.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from cityloop.dispatch.assignment import (
    QueuedTask,
    TaskRequest,
    WorkerState,
    batch_assign,
    greedy_assign,
    greedy_sequence,
    plan_total,
)
from cityloop.sim.democity.lattice import COLS, ROWS, lat, lon

#: Monday 2 November 2026, 09:00 in the demo city.
AT = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)
CATEGORIES = ("09001", "09006", "06010", "06013", "06017", "01023")
SKILLS = ("enforcement", "sanitation", "road")


def _spot(rng: random.Random) -> tuple[float, float]:
    return lon(rng.uniform(0, COLS)), lat(rng.uniform(0, ROWS))


def make_workers(rng: random.Random, count: int) -> list[WorkerState]:
    workers = []
    for n in range(1, count + 1):
        x, y = _spot(rng)
        queue = tuple(
            QueuedTask(None, *_spot(rng), rng.choice((20.0, 30.0, 45.0))) for _ in range(rng.randint(0, 3))
        )
        workers.append(
            WorkerState(
                staff_id=n,
                username=f"worker{n:02d}",
                department_code="CG",
                lon=x,
                lat=y,
                skills=frozenset(rng.sample(SKILLS, rng.randint(1, 2))),
                on_shift_until=AT + timedelta(minutes=rng.randint(60, 480)),
                queue=queue,
                done_today=rng.randint(0, 6),
            )
        )
    return workers


def make_tasks(rng: random.Random, count: int, first: int = 1) -> list[TaskRequest]:
    tasks = []
    for n in range(first, first + count):
        x, y = _spot(rng)
        tasks.append(
            TaskRequest(
                task_id=n,
                case_id=n,
                ref=f"T{n:05d}",
                lon=x,
                lat=y,
                category_code=rng.choice(CATEGORIES),
                urgency="urgent" if rng.random() < 0.2 else "normal",
                due_at=AT + timedelta(minutes=rng.randint(30, 480)),
                skill=rng.choice(SKILLS) if rng.random() < 0.3 else None,
            )
        )
    return tasks


def bench_single(seed: int, workers: int, decisions: int) -> dict[str, Any]:
    rng = random.Random(f"{seed}:single")
    crew = make_workers(rng, workers)
    tasks = make_tasks(rng, decisions)
    start = time.perf_counter()
    assigned = sum(greedy_assign(task, crew, AT).worker is not None for task in tasks)
    seconds = time.perf_counter() - start
    return {
        "decisions": decisions,
        "assigned": assigned,
        "seconds": round(seconds, 4),
        "decisions_per_s": round(decisions / seconds, 1),
        "ms_per_decision": round(seconds / decisions * 1000, 3),
    }


def bench_batch(seed: int, workers: int, tasks: int, rounds: int) -> dict[str, Any]:
    rng = random.Random(f"{seed}:batch")
    instances = [(make_tasks(rng, tasks), make_workers(rng, workers)) for _ in range(rounds)]
    start = time.perf_counter()
    plans = [batch_assign(t, w, AT) for t, w in instances]
    seconds = time.perf_counter() - start
    assigned = sum(a.worker is not None for plan in plans for a in plan)
    greedy = [greedy_sequence(t, w, AT)[0] for t, w in instances]
    ratios = [plan_total(b) / plan_total(g) for b, g in zip(plans, greedy, strict=True) if plan_total(g) > 0]
    kept_batch = sum(any(a.method == "batch" for a in plan) for plan in plans)
    return {
        "rounds": rounds,
        "tasks_per_round": tasks,
        "assigned": assigned,
        "seconds": round(seconds, 4),
        "batches_per_s": round(rounds / seconds, 2),
        "decisions_per_s": round(assigned / seconds, 1),
        "ms_per_batch": round(seconds / rounds * 1000, 2),
        "rounds_batch_plan_kept": kept_batch,
        "cost_vs_greedy_mean": round(sum(ratios) / len(ratios), 4) if ratios else None,
        "cost_vs_greedy_best": round(min(ratios), 4) if ratios else None,
    }


def bench_simulator(days: float, seed: int) -> dict[str, Any]:
    """The policy comparison of the simulator on a fresh demo city (a temporary SQLite file)."""
    import tempfile
    from pathlib import Path

    from sqlalchemy.orm import Session

    from cityloop.db.session import create_engine_for
    from cityloop.db.setup import ensure_database
    from cityloop.flows.citypack import do_import_pack
    from cityloop.sim.democity import build_demo_pack
    from cityloop.sim.engine import POLICIES, SimConfig, simulate

    keys = ("cases", "auto_dispatch_rate", "auto_dispatch_accuracy", "on_time_rate", "mean_closure_hours",
            "p90_closure_hours", "travel_km_per_case", "hindsight_travel_km_per_case", "worker_utilisation")  # fmt: skip
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        engine = create_engine_for(f"sqlite:///{Path(tmp) / 'sim.db'}")
        ensure_database(engine, force=True)
        with Session(engine) as session:
            do_import_pack(session, build_demo_pack("330100").to_city_pack(), password="bench-password")
            session.commit()
        for policy in POLICIES:
            started = time.perf_counter()
            with engine.connect() as connection:
                outer = connection.begin()
                with Session(bind=connection, join_transaction_mode="create_savepoint") as session:
                    figures = simulate(session, SimConfig("330100", days=days, seed=seed, policy=policy))
                outer.rollback()
            out[policy] = {k: figures.get(k) for k in keys} | {
                "seconds": round(time.perf_counter() - started, 1)
            }
        engine.dispose()
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--workers", type=int, default=20)
    parser.add_argument("--tasks", type=int, default=50, help="tasks per batch")
    parser.add_argument("--single", type=int, default=2000, help="greedy decisions to time")
    parser.add_argument("--rounds", type=int, default=20, help="batches to time")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--sim-days", type=float, default=0.0, help="also simulate N days per policy")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    figures = {
        "workers": args.workers,
        "seed": args.seed,
        "extent": {"lon": [lon(0), lon(COLS)], "lat": [lat(ROWS), lat(0)]},
        "single": bench_single(args.seed, args.workers, args.single),
        "batch": bench_batch(args.seed, args.workers, args.tasks, args.rounds),
    }
    if args.sim_days > 0:
        figures["simulator"] = bench_simulator(args.sim_days, args.seed)
    if args.json:
        print(json.dumps(figures, ensure_ascii=False))
        return
    single, batch = figures["single"], figures["batch"]
    print(f"greedy, one task among {args.workers} workers: {single['decisions_per_s']} decisions/s")
    print(
        f"batch, {args.tasks} tasks × {args.workers} workers: {batch['ms_per_batch']} ms per batch, "
        f"{batch['decisions_per_s']} decisions/s; cost vs greedy {batch['cost_vs_greedy_mean']}"
    )
    for policy, row in figures.get("simulator", {}).items():
        print(f"simulator {policy}: " + ", ".join(f"{k} {v}" for k, v in row.items()))


if __name__ == "__main__":
    main()
