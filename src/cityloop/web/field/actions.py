"""The field page's actions: keep a photo, take a workflow step, then the automatic steps that follow.

Every action goes through `cases.do_transition` (which checks role, department, state and
reason) and then the deployment's follow-up (`app.state.after_transition`, i.e.
`flows.automation.advance`), exactly as the API's action route does. The page adds two rules
of its own: a person acts only on a case among their own open tasks, and a fix is reported
with at least one photo taken after it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from cityloop.cases import Actor, Case, Task, do_transition
from cityloop.cases.evidence import do_store_evidence
from cityloop.cases.queries import get_case
from cityloop.core.clock import get_clock, utc
from cityloop.core.errors import PermissionDenied, ValidationFailed
from cityloop.core.principal import Principal
from cityloop.web.field.views import FIELD_ACTIONS, PHOTO_PHASE, find_my_task

FollowUp = Callable[[Session, Case, datetime], Any]

#: How much more time a worker may ask for at once, by unit.
EXTENSION_UNITS = ("working_hours", "working_days")
MAX_EXTENSION = 30


class NotYourTask(PermissionDenied):
    default_code = "field.not_your_task"


class AfterPhotoRequired(ValidationFailed):
    default_code = "field.after_photo_required"


class InvalidExtension(ValidationFailed):
    default_code = "field.invalid_extension"


@dataclass(frozen=True)
class Upload:
    """A file sent with a form: its name and bytes."""

    filename: str | None
    content: bytes


def check_my_task(session: Session, principal: Principal, number: str, action: str) -> Task:
    """The principal's open task on case `number` that offers `action`; `field.not_your_task` otherwise."""
    city_code = principal.city_code or ""
    task = find_my_task(session, city_code, principal, number)
    if task is None or action not in FIELD_ACTIONS.get(task.kind, ()):
        raise NotYourTask(
            f"case {number} has no open task of yours that offers {action}",
            details={"case": number, "action": action},
        )
    return task


def do_store_photo(session: Session, principal: Principal, case: Case, phase: str, upload: Upload) -> str:
    """Keep a photo as evidence of the case; its sha256."""
    row = do_store_evidence(
        session,
        case=case,
        content=upload.content,
        phase=phase,
        filename=upload.filename,
        uploaded_by=principal.username,
    )
    return row.sha256


def _extension_data(amount: int | None, unit: str) -> dict[str, Any]:
    if amount is None or not 1 <= amount <= MAX_EXTENSION or unit not in EXTENSION_UNITS:
        raise InvalidExtension(
            f"ask for 1 to {MAX_EXTENSION} {' or '.join(EXTENSION_UNITS)}", details={"field": "extra"}
        )
    return {"extra": {"amount": amount, "unit": unit}}


def _after_photos(case: Case, task: Task) -> list[str]:
    """The photos of this round of handling (since the task opened), oldest first."""
    started = utc(task.started_at)
    return [e.sha256 for e in case.evidence if e.phase == "after" and utc(e.uploaded_at) >= started]


def do_field_action(
    session: Session,
    *,
    principal: Principal,
    number: str,
    action: str,
    reason: str | None = None,
    upload: Upload | None = None,
    extra_amount: int | None = None,
    extra_unit: str = "working_hours",
    follow_ups: Iterable[FollowUp] = (),
) -> Case:
    """Take `action` on the principal's task of case `number`, with an optional photo; raises
    (the caller rolls back) when the page's rules or the workflow refuse it."""
    city_code = principal.city_code or ""
    task = check_my_task(session, principal, number, action)
    case = get_case(session, city_code, number)
    if action == "photo":
        raise ValidationFailed("a photo is kept with do_store_photo", code="field.unknown_action")
    evidence: list[str] = []
    if upload is not None and upload.content:
        evidence.append(do_store_photo(session, principal, case, PHOTO_PHASE.get(action, "other"), upload))
    data: dict[str, Any] = {}
    if action == "feedback":
        session.refresh(case, ["evidence"])
        evidence = _after_photos(case, task)
        if not evidence:
            raise AfterPhotoRequired(
                f"report the fix of case {number} with a photo taken after it", details={"case": number}
            )
    elif action == "request_extension":
        data = _extension_data(extra_amount, extra_unit)
    case = do_transition(
        session,
        city_code=city_code,
        number=number,
        action=action,
        actor=Actor.from_principal(principal),
        reason=(reason or "").strip() or None,
        data=data,
        evidence=evidence,
    )
    for follow_up in follow_ups:
        follow_up(session, case, get_clock().now())
    return case


def do_field_photo(session: Session, *, principal: Principal, number: str, phase: str, upload: Upload) -> str:
    """Keep a before or after photo of the principal's handling task; its sha256."""
    check_my_task(session, principal, number, "photo")
    if phase not in ("before", "after"):
        raise ValidationFailed("phase must be before or after", code="field.invalid_phase")
    if not upload.content:
        raise ValidationFailed("choose a photo to upload", code="field.no_photo")
    return do_store_photo(
        session, principal, get_case(session, principal.city_code or "", number), phase, upload
    )
