"""HTTP routes of the loop for staff and systems (mounted under /api/v1).

Every route needs a staff token or an API key of the route's city (anonymous: 401, another
city: 403); the transition and creation functions check the role for each action. Handlers
parse, call one query or action, and serialise; a refused action raises, so the request's
transaction is rolled back and nothing changes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from sqlalchemy.orm import Session

from cityloop.cases.actors import Actor
from cityloop.cases.create import do_create_case
from cityloop.cases.evidence import PHASES, do_store_evidence, upload_limit, upload_too_large
from cityloop.cases.models import Case, Evidence, Task, TimelineEvent
from cityloop.cases.queries import (
    LightName,
    case_light,
    department_codes,
    get_case,
    is_overdue,
    list_cases,
    my_tasks,
    task_clock,
    timeline,
)
from cityloop.cases.recategorise import do_recategorise
from cityloop.cases.schemas import (
    ActionIn,
    CaseCreate,
    CaseDetailOut,
    CaseOut,
    CasePage,
    CategoryIn,
    EventOut,
    EvidenceOut,
    MyTaskOut,
    TaskOut,
)
from cityloop.cases.transition import do_transition
from cityloop.cases.workflow import ACTIONS, State
from cityloop.core.bodylimit import BodyLimitRoute, body_limit
from cityloop.core.clock import get_clock
from cityloop.core.principal import Principal
from cityloop.db.deps import SESSION, require_roles
from cityloop.deadlines import WorkingCalendar, get_calendar
from cityloop.org.roles import ROLE_VALUES

router = APIRouter(tags=["cases"], route_class=BodyLimitRoute)

STAFF = require_roles(*sorted(ROLE_VALUES))
CREATORS = require_roles("inspector", "operator")
OPERATORS = require_roles("operator")
ACTORS = require_roles(*sorted({role for act in ACTIONS.values() for role in act.roles} - {"citizen"}))

_CASE = "/cities/{city_code}/cases/{number}"


def task_out(task: Task, departments: dict[int, str], calendar: WorkingCalendar, at: datetime) -> TaskOut:
    clock = task_clock(task, calendar, at)
    return TaskOut(
        id=task.id,
        kind=task.kind,
        role=task.role,
        department=departments.get(task.department_id) if task.department_id else None,
        status=task.status,
        started_at=task.started_at,
        due_at=task.due_at,
        paused=task.paused_at is not None,
        done_at=task.done_at,
        on_time=task.on_time,
        overdue_at=task.overdue_at,
        escalated_to=task.escalated_to,
        light=clock.light,
        remaining_minutes=clock.remaining_minutes,
    )


def _case_fields(case: Case, calendar: WorkingCalendar, at: datetime) -> dict[str, Any]:
    return {
        "number": case.number,
        "state": case.state,
        "source": case.source,
        "standard": case.standard,
        "kind": case.kind,
        "category_code": case.category_code,
        "urgency": case.urgency,
        "description": case.description,
        "address": case.address,
        "lon": case.lon,
        "lat": case.lat,
        "grid_code": case.grid_code,
        "community_code": case.community_code,
        "street_code": case.street_code,
        "district_code": case.district_code,
        "department": case.department.code if case.department else None,
        "self_handled": case.self_handled,
        "pending": case.pending["kind"] if case.pending else None,
        "disposal_due_at": case.disposal_due_at,
        "satisfaction": case.satisfaction,
        "reported_at": case.reported_at,
        "closed_at": case.closed_at,
        "light": case_light(case, calendar, at),
        "overdue": is_overdue(case, at),
    }


def event_out(event: TimelineEvent) -> EventOut:
    return EventOut(
        seq=event.seq,
        at=event.at,
        actor_kind=event.actor_kind,
        actor_name=event.actor_name,
        actor_role=event.actor_role,
        rule=event.rule,
        confidence=event.confidence,
        action=event.action,
        from_state=event.from_state,
        to_state=event.to_state,
        reason=event.reason,
        data=event.data,
        evidence=list(event.evidence),
        hash=event.hash,
    )


def evidence_out(row: Evidence) -> EvidenceOut:
    return EvidenceOut(
        sha256=row.sha256,
        phase=row.phase,
        content_type=row.content_type,
        size=row.size,
        filename=row.filename,
        uploaded_by=row.uploaded_by,
        uploaded_at=row.uploaded_at,
    )


def case_detail(session: Session, city_code: str, number: str) -> CaseDetailOut:
    """The case as the API shows it: its fields, tasks with their clocks, timeline and evidence."""
    case = get_case(session, city_code, number)
    calendar, at = get_calendar(session, city_code), get_clock().now()
    departments = department_codes(session, city_code)
    return CaseDetailOut(
        **_case_fields(case, calendar, at),
        tasks=[task_out(t, departments, calendar, at) for t in case.tasks],
        timeline=[event_out(e) for e in timeline(session, case)],
        evidence=[evidence_out(e) for e in case.evidence],
    )


@router.post("/cities/{city_code}/cases", response_model=CaseDetailOut, status_code=201)
def create_case(
    city_code: str,
    body: CaseCreate,
    principal: Principal = Depends(CREATORS),
    session: Session = SESSION,
) -> CaseDetailOut:
    """Create a case from a staff channel: an inspector's report (or a self-handled fix), or a public
    report registered by an operator or a system."""
    options = body.model_dump(exclude_none=True)
    case = do_create_case(session, city_code=city_code, actor=Actor.from_principal(principal), **options)
    session.flush()
    session.expire_all()
    return case_detail(session, city_code, case.number)


@router.get("/cities/{city_code}/cases", response_model=CasePage)
def get_cases(
    city_code: str,
    state: Annotated[list[State] | None, Query(description="Repeat to match any of several states.")] = None,
    category: Annotated[str | None, Query(max_length=10, description="Category code or its prefix.")] = None,
    area: Annotated[
        str | None, Query(max_length=15, description="Grid, community, street or district code (prefix).")
    ] = None,
    department: Annotated[str | None, Query(max_length=32)] = None,
    overdue: bool | None = None,
    light: LightName | None = None,
    text: Annotated[str | None, Query(max_length=100, description="In the description or address.")] = None,
    after: Annotated[
        str | None, Query(max_length=200, description="The next_cursor of the page before.")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    _principal: Principal = Depends(STAFF),
    session: Session = SESSION,
) -> CasePage:
    """The city's cases, newest first, filtered, one cursor page at a time."""
    at = get_clock().now()
    rows, cursor = list_cases(
        session,
        city_code,
        state=[s.value for s in state] if state else None,
        category=category,
        area=area,
        department=department,
        overdue=overdue,
        light=light,
        text=text,
        after=after,
        limit=limit,
        now=at,
    )
    calendar = get_calendar(session, city_code)
    return CasePage(items=[CaseOut(**_case_fields(c, calendar, at)) for c in rows], next_cursor=cursor)


@router.get(_CASE, response_model=CaseDetailOut)
def get_one_case(
    city_code: str,
    number: str,
    _principal: Principal = Depends(STAFF),
    session: Session = SESSION,
) -> CaseDetailOut:
    """One case with its tasks (traffic light and minutes left), timeline and evidence."""
    return case_detail(session, city_code, number)


@router.post(_CASE + "/actions/{action}", response_model=CaseDetailOut)
def take_action(
    city_code: str,
    number: str,
    action: str,
    request: Request,
    body: ActionIn | None = None,
    principal: Principal = Depends(ACTORS),
    session: Session = SESSION,
) -> CaseDetailOut:
    """Take a workflow action (DOMAIN.md §3) on the case; a refused action changes nothing."""
    body = body or ActionIn()
    case = do_transition(
        session,
        city_code=city_code,
        number=number,
        action=action,
        actor=Actor.from_principal(principal),
        reason=body.reason,
        data=body.data,
        evidence=body.evidence,
    )
    # The deployment's follow-up (the automatic steps of `flows.automation`), set by `app.py`.
    for follow_up in getattr(request.app.state, "after_transition", ()):
        follow_up(session, case, get_clock().now())
    session.flush()
    session.expire_all()
    return case_detail(session, city_code, number)


@router.post(_CASE + "/category", response_model=CaseDetailOut)
def change_category(
    city_code: str,
    number: str,
    body: CategoryIn,
    principal: Principal = Depends(OPERATORS),
    session: Session = SESSION,
) -> CaseDetailOut:
    """Correct the case's category before it is filed (operator); the timeline keeps both codes and why."""
    do_recategorise(
        session, city_code=city_code, number=number, category_code=body.category_code, kind=body.kind,
        actor=Actor.from_principal(principal), reason=body.reason,
    )  # fmt: skip
    session.flush()
    session.expire_all()
    return case_detail(session, city_code, number)


@router.get("/cities/{city_code}/tasks/mine", response_model=list[MyTaskOut])
def get_my_tasks(
    city_code: str,
    limit: Annotated[int, Query(ge=1, le=500)] = 200,
    principal: Principal = Depends(STAFF),
    session: Session = SESSION,
) -> list[MyTaskOut]:
    """Open tasks for the caller's roles (department tasks of the caller's department), soonest due first."""
    tasks = my_tasks(session, city_code, principal, limit=limit)
    calendar, at = get_calendar(session, city_code), get_clock().now()
    departments = department_codes(session, city_code)
    return [
        MyTaskOut(
            **task_out(t, departments, calendar, at).model_dump(),
            case=t.case.number,
            case_state=t.case.state,
            category_code=t.case.category_code,
            address=t.case.address,
        )
        for t in tasks
    ]


@router.post(_CASE + "/evidence", response_model=EvidenceOut, status_code=201)
@body_limit(upload_limit, upload_too_large)
def upload_evidence(
    city_code: str,
    number: str,
    file: Annotated[UploadFile, File(description="A JPEG, PNG or WebP photo, or a PDF")],
    phase: Annotated[
        str, Form(description="before, after or other", json_schema_extra={"enum": list(PHASES)})
    ] = "other",
    principal: Principal = Depends(ACTORS),
    session: Session = SESSION,
) -> EvidenceOut:
    """Attach a photo or PDF (at most 10 MB) to the case; the same file again returns the same row.
    Cite it by its sha256 in the evidence list of an action."""
    row = do_store_evidence(
        session,
        case=get_case(session, city_code, number),
        content=file.file.read(),
        phase=phase,
        filename=file.filename,
        uploaded_by=principal.username or f"api-key:{principal.api_key_id}",
    )
    return evidence_out(row)
