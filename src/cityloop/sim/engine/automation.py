"""The automation hook of the simulator (the real one is `sim.engine.real.RealAutomation`).

`Automation.advance` performs the pipeline's automatic steps on a case (auto-accept, auto-file,
auto-dispatch) and is called after each arrival and each transition; `Automation.dispatch`
proposes (department code, worker username or None) when a simulated dispatcher dispatches.
An automation that also offers `assign_batch` (the `BatchAssigner` protocol) assigns the
waiting cases of a department together under the optimised policy.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol, runtime_checkable

from sqlalchemy.orm import Session

from cityloop.cases import Case
from cityloop.org import responsible_departments


@runtime_checkable
class Automation(Protocol):
    def advance(self, session: Session, case: Case, at: datetime) -> None:
        """Take the automatic steps the city's parameters allow on `case` now (maybe none)."""
        ...

    def dispatch(self, session: Session, case: Case, at: datetime, policy: str) -> tuple[str, str | None]:
        """(department code, worker username or None) for `case` under `policy`."""
        ...


@runtime_checkable
class BatchAssigner(Protocol):
    def assign_batch(
        self, session: Session, department_code: str, cases: list[Case], at: datetime, policy: str
    ) -> dict[str, str]:
        """Case number → worker username for waiting cases of one department."""
        ...


def area_codes(case: Case) -> list[str]:
    return [c for c in (case.grid_code, case.community_code, case.street_code, case.district_code) if c]


def route(session: Session, city_code: str, kind: str, code: str, areas: list[str]) -> str | None:
    """The first professional department responsible for (kind, code) at the areas, else the first one."""
    found = responsible_departments(session, city_code, kind=kind, code=code, area_codes=areas)
    professional = [d for d in found if d.kind != "street_office"]
    chosen = professional[0] if professional else (found[0] if found else None)
    return chosen.code if chosen is not None else None
