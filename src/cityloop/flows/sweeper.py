"""The periodic in-process deadline sweeper that `cityloop serve` runs beside the API.

Each run also re-plans the waiting dispatched cases of every department together
(`flows.rebalance`, the batch optimiser), when the city dispatches automatically.

A daemon thread sweeps every city once per interval, each city in its own session and
transaction, so one city's failure neither blocks nor rolls back another's. It reads the
time from the process clock (`core.clock.get_clock`), so virtual time drives it too.
"""

from __future__ import annotations

import logging
import threading

from sqlalchemy import Engine

from cityloop.cities import list_cities
from cityloop.core.clock import get_clock
from cityloop.db.session import make_session_factory
from cityloop.flows.rebalance import rebalance
from cityloop.flows.sweep import SweepResult, do_sweep

log = logging.getLogger("cityloop.sweeper")

DEFAULT_INTERVAL = 60.0


def sweep_all_cities(engine: Engine) -> list[SweepResult]:
    """Sweep every city at the current time, committing each city on its own; failures are logged."""
    factory = make_session_factory(engine)
    with factory() as session:
        codes = [city.code for city in list_cities(session)]
    results: list[SweepResult] = []
    for code in codes:
        with factory() as session:
            try:
                now = get_clock().now()
                result = do_sweep(session, city_code=code, now=now)
                moved = rebalance(session, code, now)
                session.commit()
            except Exception:
                session.rollback()
                log.exception("deadline sweep of city %s failed", code)
                continue
        if result.total:
            log.info("deadline sweep of city %s marked %d overdue tasks", code, result.total)
        if moved:
            log.info("batch assignment in city %s gave %d waiting cases another worker", code, moved)
        results.append(result)
    return results


class Sweeper:
    """Sweeps all cities every `interval` seconds in a daemon thread until `stop()`."""

    def __init__(self, engine: Engine, *, interval: float = DEFAULT_INTERVAL) -> None:
        if interval <= 0:
            raise ValueError(f"the sweep interval must be positive, got {interval}")
        self.engine = engine
        self.interval = interval
        self.runs = 0
        self.last: list[SweepResult] = []
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        """Start the thread; the first sweep runs at once, then one per interval."""
        if self.running:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="cityloop-sweeper", daemon=True)
        self._thread.start()

    def stop(self, timeout: float | None = 10.0) -> None:
        """Ask the thread to stop and wait for the sweep in progress (if any) to finish."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.last = sweep_all_cities(self.engine)
            except Exception:  # the database may be down for a while; try again next time
                log.exception("deadline sweep failed")
            self.runs += 1
            self._stop.wait(self.interval)
