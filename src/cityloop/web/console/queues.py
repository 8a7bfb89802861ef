"""The console's queues: which cases (or intake reports) wait for which person, with filters and pages.

A queue is data: the workflow states it holds, or the intake status of reports that wait for
a person (classification or location too uncertain to guess), or a condition over the open
tasks (an approval waiting, a running task past its due). Counts and pages come from the
same statement, so a tab's count always matches what the tab lists.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, exists, func, or_, select
from sqlalchemy.orm import Session, selectinload

from cityloop.cases import Case, State, Task
from cityloop.core.i18n import Text
from cityloop.intake import Report, list_reports

#: Rows on one page of a queue: enough to select a batch, few enough to read.
PAGE_SIZE = 25


@dataclass(frozen=True)
class Queue:
    key: str
    label: Text
    states: tuple[State, ...] = ()
    #: Intake reports with this status (not cases): they wait for a person before becoming one.
    report_status: str | None = None
    approvals: bool = False
    overdue: bool = False

    @property
    def of_reports(self) -> bool:
        return self.report_status is not None


QUEUES: tuple[Queue, ...] = (
    Queue("verify", Text("待核实", "To verify"), states=(State.PENDING_VERIFY,)),
    Queue("accept", Text("待受理", "To accept"), states=(State.REPORTED,)),
    Queue("category", Text("待人工分类", "Low-confidence classification"), report_status="manual_category"),
    Queue("location", Text("待人工定位", "Manual location"), report_status="manual_location"),
    Queue("file", Text("待立案", "To file"), states=(State.ACCEPTED,)),
    Queue("dispatch", Text("待派遣", "To dispatch"), states=(State.FILED,)),
    Queue("check", Text("待核查派发", "To send for checking"), states=(State.PROCESSED,)),
    Queue("close", Text("待结案", "To close"), states=(State.CHECKED_OK,)),
    Queue("approvals", Text("待审批", "Approvals"), approvals=True),
    Queue("overdue", Text("已超期", "Overdue"), overdue=True),
)
QUEUE_BY_KEY = {q.key: q for q in QUEUES}
#: The tab a role opens on: the step of the loop that role owns.
DEFAULT_QUEUE = {"operator": "accept", "shift_leader": "file", "dispatcher": "dispatch"}

SOURCE_LABELS: dict[str, Text] = {
    "inspector": Text("巡查上报", "Inspector"),
    "citizen": Text("群众上报", "Citizen"),
    "hotline": Text("热线转办", "Hotline"),
    "camera": Text("视频发现", "Camera"),
    "sensor": Text("物联感知", "Sensor"),
    "drone": Text("无人机巡查", "Drone"),
    "sms": Text("短信", "SMS"),
    "open311": Text("Open311", "Open311"),
}


def default_queue(roles: frozenset[str]) -> str:
    for role in ("operator", "shift_leader", "dispatcher"):
        if role in roles:
            return DEFAULT_QUEUE[role]
    return QUEUES[0].key


@dataclass(frozen=True)
class Filters:
    """What the person narrowed the queue to: a category code prefix, an area code prefix
    (district, street, community or grid) and a source (the channel for intake reports)."""

    category: str = ""
    area: str = ""
    source: str = ""

    def query(self) -> dict[str, str]:
        return {
            k: v for k, v in (("category", self.category), ("area", self.area), ("source", self.source)) if v
        }


def _open_task(*conditions: ColumnElement[bool]) -> ColumnElement[bool]:
    return exists().where(Task.case_id == Case.id, Task.status == "open", *conditions)


def case_statement(city_code: str, queue: Queue, filters: Filters, at: datetime) -> Select[Case]:
    """The cases of `queue` in the city that match `filters` (unordered)."""
    stmt = select(Case).where(Case.city_id == city_code)
    if queue.states:
        stmt = stmt.where(Case.state.in_([s.value for s in queue.states]))
    if queue.approvals:
        stmt = stmt.where(_open_task(Task.kind == "approve"))
    if queue.overdue:
        stmt = stmt.where(_open_task(Task.paused_at.is_(None), Task.due_at.is_not(None), Task.due_at < at))
    if filters.category:
        stmt = stmt.where(Case.category_code.startswith(filters.category, autoescape=True))
    if filters.area:
        columns = (Case.grid_code, Case.community_code, Case.street_code, Case.district_code)
        stmt = stmt.where(or_(*(c.startswith(filters.area, autoescape=True) for c in columns)))
    if filters.source:
        stmt = stmt.where(Case.source == filters.source)
    return stmt


def report_statement(session: Session, city_code: str, queue: Queue, filters: Filters) -> Select[Report]:
    """The intake reports of `queue`, newest first; only the source filter applies (as the channel)."""
    stmt = list_reports(session, city_code, status=queue.report_status)
    if filters.source:
        stmt = stmt.where(Report.channel == filters.source)
    return stmt


def count(session: Session, stmt: Select[Any]) -> int:
    return int(session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0)


def queue_counts(session: Session, city_code: str, filters: Filters, at: datetime) -> dict[str, int]:
    """Every queue's number of rows under `filters` (the numbers on the tabs)."""
    counts = {}
    for queue in QUEUES:
        if queue.of_reports:
            counts[queue.key] = count(session, report_statement(session, city_code, queue, filters))
        else:
            counts[queue.key] = count(session, case_statement(city_code, queue, filters, at))
    return counts


def case_page(session: Session, stmt: Select[Case], page: int) -> list[Case]:
    """One page of cases, oldest first: the case that has waited longest is handled first."""
    ordered = (
        stmt.order_by(Case.reported_at, Case.id)
        .options(selectinload(Case.tasks), selectinload(Case.department))
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
    )
    return list(session.scalars(ordered))


def report_page(session: Session, stmt: Select[Report], page: int) -> list[Report]:
    return list(session.scalars(stmt.offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)))


def pages(total: int) -> int:
    return max(1, -(-total // PAGE_SIZE))
