"""The engine's records: a case as the engine follows it, a planned event, hooks, the outcome."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from cityloop.sim.scenario import Arrival


@dataclass
class SimCase:
    """What the engine knows about one case of the run, including the truth about its problem."""

    number: str
    case_id: int
    arrival: Arrival
    token: int = 0
    steps: int = 0
    returns: int = 0
    callbacks: int = 0
    worker: str | None = None
    released: datetime | None = None


@dataclass(frozen=True)
class Event:
    kind: str  # arrival | act | work_done | wake | batch
    number: str = ""
    token: int = 0
    action: str = ""
    actor: str = ""
    reason: str | None = None
    index: int = -1


@dataclass
class Hooks:
    """Calls around each event (the CLI commits and paces real time there) and on each move."""

    before_event: Callable[[datetime], None] = lambda at: None
    after_event: Callable[[datetime], None] = lambda at: None
    on_move: Callable[[Session, str, float, float, datetime], None] = lambda s, u, lon, lat, at: None


@dataclass
class Outcome:
    """What the engine saw, for the metrics."""

    cases: dict[str, SimCase]
    statuses: Counter[str] = field(default_factory=Counter)
    refused: Counter[str] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    arrival_case: dict[int, str] = field(default_factory=dict)
    stopped_at: datetime | None = None
