"""Device alarms: repeats of one device and alarm class fold into the open case; sensors recover.

A camera or sensor that keeps reporting the same problem must not flood the city with
cases: while the case of (device, alarm class) is open, a new alarm adds to its count and
last-seen time and records an event on its timeline. A sensor reading back below its
clearing threshold records the recovery on the case.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from cityloop.cases import Actor, Case, State, append_event
from cityloop.flows.report_result import ProcessResult
from cityloop.intake import DeviceState, NormalizedReport, Report

CLOSED_STATES = frozenset({State.CLOSED.value, State.VOID.value})


def _state(session: Session, city_code: str, device_id: str, alarm_class: str) -> DeviceState | None:
    return session.scalars(
        select(DeviceState)
        .where(
            DeviceState.city_id == city_code,
            DeviceState.device_id == device_id,
            DeviceState.alarm_class == alarm_class,
        )
        .with_for_update()
    ).first()


def _system(city_code: str, rule: str) -> Actor:
    return Actor.system(city_code, rule=rule, roles=frozenset())


def fold_alarm(
    session: Session, *, report: Report, normalized: NormalizedReport, at: datetime
) -> ProcessResult | None:
    """Fold a repeat or record a recovery; None when the alarm needs a new case."""
    assert normalized.device_id is not None and normalized.alarm_class is not None
    state = _state(session, report.city_id, normalized.device_id, normalized.alarm_class)
    case = session.get(Case, state.case_id) if state is not None and state.case_id else None
    open_case = case if case is not None and case.state not in CLOSED_STATES else None
    if normalized.recovery:
        if state is None or not state.in_alarm or open_case is None:
            report.status, report.reason = "ignored", "a reading below the threshold with no alarm open"
            return ProcessResult(report=report, case=None)
        state.in_alarm, state.last_seen, state.last_value = False, at, normalized.extra.get("value")
        append_event(
            session, case=open_case, action="sensor_recovered", actor=_system(report.city_id, "sensor hysteresis"),
            at=at, from_state=open_case.state, to_state=open_case.state,
            data={"device": normalized.device_id, "class": normalized.alarm_class, **normalized.extra},
        )  # fmt: skip
        report.status, report.case_id = "recovered", open_case.id
        return ProcessResult(report=report, case=open_case)
    if state is None or open_case is None:
        return None
    # The case is still open: a repeat, or a new crossing after a recovery, folds into it.
    state.in_alarm = True
    state.count += 1
    state.last_seen, state.last_value = at, normalized.extra.get("value")
    append_event(
        session, case=open_case, action="alarm_repeat", actor=_system(report.city_id, "fold repeated device alarms"),
        at=at, from_state=open_case.state, to_state=open_case.state,
        data={"device": normalized.device_id, "class": normalized.alarm_class, "count": state.count, **normalized.extra},
    )  # fmt: skip
    report.status, report.case_id = "folded", open_case.id
    report.reason = f"alarm {state.count} of device {normalized.device_id} for {normalized.alarm_class}"
    return ProcessResult(report=report, case=open_case)


def open_alarm(
    session: Session, *, report: Report, normalized: NormalizedReport, case: Case, at: datetime
) -> None:
    """Remember that (device, alarm class) now has an open case."""
    assert normalized.device_id is not None and normalized.alarm_class is not None
    state = _state(session, report.city_id, normalized.device_id, normalized.alarm_class)
    if state is None:
        state = DeviceState(
            city_id=report.city_id,
            device_id=normalized.device_id,
            alarm_class=normalized.alarm_class,
            count=0,
        )
        session.add(state)
    state.in_alarm, state.case_id, state.count = True, case.id, 1
    state.first_seen = state.last_seen = at
    state.last_value = normalized.extra.get("value")
