"""What the console does to cases: one workflow action, a dispatch with its routing, a merge, a batch.

Every action goes through `cases.do_transition` (or `cases.do_merge`) inside a savepoint, then
the deployment's automatic follow-up (`app.state.after_transition`, i.e. `flows.automation.advance`),
as the JSON API does after a person's action. A refused action rolls its savepoint back, so in
a batch it changes nothing for that case while the others go through.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from cityloop.cases import Actor, Case, State, do_merge, do_recategorise, do_transition
from cityloop.cases.queries import get_case
from cityloop.core.errors import CityLoopError
from cityloop.core.i18n import Text
from cityloop.flows.automation import DispatchPlan, plan_dispatch
from cityloop.web.console.errors import NoDepartment, NoMaster, UnknownBulkAction

FollowUp = Callable[[Session, Case, datetime], Any]


#: The actions a batch may take, and their labels (merge voids each case as a repeat of one master).
BULK_ACTIONS: dict[str, Text] = {
    "send_verify": Text("派发核实", "Send for verification"),
    "accept": Text("受理", "Accept"),
    "file": Text("立案", "File"),
    "dispatch": Text("派遣", "Dispatch"),
    "send_check": Text("派发核查", "Send for checking"),
    "close": Text("结案", "Close"),
    "merge": Text("作废为重复并合并", "Void as duplicate (merge)"),
    "recategorise": Text("更正类别", "Correct the category"),
}


@dataclass(frozen=True)
class Outcome:
    """What happened to one case of a batch: done, or the error that refused it (nothing changed)."""

    number: str
    ok: bool
    message: str = ""
    code: str = ""


def _follow(session: Session, case: Case, follow_up: Iterable[FollowUp], at: datetime) -> None:
    for step in follow_up:
        step(session, case, at)


def do_action(
    session: Session,
    *,
    city_code: str,
    number: str,
    action: str,
    actor: Actor,
    at: datetime,
    follow_up: Iterable[FollowUp] = (),
    reason: str | None = None,
    data: dict[str, Any] | None = None,
) -> Case:
    """Take `action` on the case and the automatic steps after it, all or nothing (a savepoint)."""
    with session.begin_nested():
        if action == "dispatch":
            data, reason = dispatch_data(
                session, city_code, number, (data or {}).get("department"), reason, at
            )
        case = do_transition(
            session, city_code=city_code, number=number, action=action, actor=actor,
            reason=reason or None, data=data, now=at,
        )  # fmt: skip
        _follow(session, case, follow_up, at)
        return case


def preview_dispatch(session: Session, case: Case, at: datetime) -> DispatchPlan | None:
    """Where the automation would send the case now (None when it is not waiting for dispatch)."""
    if case.state != State.FILED.value:
        return None
    return plan_dispatch(session, case, at)


def dispatch_data(
    session: Session, city_code: str, number: str, department: str | None, reason: str | None, at: datetime
) -> tuple[dict[str, Any], str | None]:
    """The data and reason of a person's dispatch: the routed department (with the worker the
    automation would choose and why) unless the person chose another department."""
    case = get_case(session, city_code, number)
    plan = preview_dispatch(session, case, at)
    chosen = (department or "").strip() or (plan.department if plan else None)
    if not chosen:
        raise NoDepartment(
            f"routing found no department for case {number}: choose one", details={"case": number}
        )
    if plan is not None and chosen == plan.department:
        return plan.data(), reason or plan.reason()
    return {"department": chosen}, reason


def do_console_merge(
    session: Session,
    *,
    city_code: str,
    number: str,
    master: str,
    actor: Actor,
    reason: str | None,
    at: datetime,
) -> Case:
    """Void case `number` as a repeat report of `master` (its reporter follows the master)."""
    master = master.strip()
    if not master:
        raise NoMaster("give the number of the case this one repeats", details={"field": "master"})
    with session.begin_nested():
        return do_merge(
            session, city_code=city_code, number=number, master_number=master, actor=actor,
            reason=(reason or "").strip() or f"same problem as {master}", now=at,
        )  # fmt: skip


def run_bulk(
    session: Session,
    *,
    city_code: str,
    action: str,
    numbers: Sequence[str],
    actor: Actor,
    at: datetime,
    follow_up: Iterable[FollowUp] = (),
    department: str | None = None,
    master: str | None = None,
    reason: str | None = None,
    category_code: str | None = None,
) -> list[Outcome]:
    """Take `action` on each case in turn; each succeeds or fails on its own."""
    if action not in BULK_ACTIONS:
        raise UnknownBulkAction(f"unknown batch action {action!r}", details={"known": sorted(BULK_ACTIONS)})
    steps = tuple(follow_up)
    outcomes = []
    for number in dict.fromkeys(n.strip() for n in numbers if n.strip()):
        try:
            if action == "recategorise":
                with session.begin_nested():
                    do_recategorise(
                        session, city_code=city_code, number=number, category_code=(category_code or "").strip(),
                        actor=actor, reason=reason or "", now=at,
                    )  # fmt: skip
            elif action == "merge":
                do_console_merge(
                    session, city_code=city_code, number=number, master=master or "", actor=actor,
                    reason=reason, at=at,
                )  # fmt: skip
            else:
                do_action(
                    session, city_code=city_code, number=number, action=action, actor=actor, at=at,
                    follow_up=steps, reason=reason, data={"department": department} if department else None,
                )  # fmt: skip
        except CityLoopError as exc:
            outcomes.append(Outcome(number, False, exc.message, exc.code))
        else:
            outcomes.append(Outcome(number, True))
    return outcomes
