"""Creating a case: inspector reports, self-handled fixes, and public reports registered by an operator."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from cityloop.cases.actors import Actor
from cityloop.cases.errors import InvalidCaseData
from cityloop.cases.models import Case, Follower
from cityloop.cases.numbers import next_number
from cityloop.cases.tasks import open_state_task
from cityloop.cases.timeline import append_event
from cityloop.cases.workflow import SOURCES, URGENCIES, State
from cityloop.cities import get_city
from cityloop.core.clock import get_clock, utc
from cityloop.core.principal import ForbiddenRole
from cityloop.deadlines.queries import get_calendar
from cityloop.geo import cell_for, component_id_problem, locate
from cityloop.taxonomy import STANDARD_2026, get_category

PUBLIC_SOURCES = frozenset(SOURCES) - {"inspector"}


def _check_actor(actor: Actor, city_code: str, source: str, self_handled: bool) -> tuple[str, str]:
    """The creating action and the role it is taken in; refuses the wrong city or role."""
    actor.check_city(city_code)
    if source == "inspector" or self_handled:
        needed, action = "inspector", ("self_handle" if self_handled else "report")
    else:
        needed, action = "operator", "register"
    if needed not in actor.roles:
        raise ForbiddenRole(
            f"creating a {source} case needs the role {needed}",
            details={"required": [needed], "held": sorted(actor.roles)},
        )
    return action, needed


def do_create_case(
    session: Session,
    *,
    city_code: str,
    actor: Actor,
    source: str,
    category_code: str,
    kind: str = "matter",
    standard: str = STANDARD_2026,
    description: str = "",
    lon: float | None = None,
    lat: float | None = None,
    address: str | None = None,
    urgency: str = "normal",
    component_id: str | None = None,
    reporter_ref: str | None = None,
    self_handled: bool = False,
    trusted: bool = False,
    evidence: Sequence[str] = (),
    now: datetime | None = None,
    decision: dict[str, Any] | None = None,
) -> Case:
    """Register a new case in the state DOMAIN.md §3 gives its source, with its first task and event.

    Inspector reports start REPORTED (or SELF_HANDLED when fixed on the spot); public reports
    start PENDING_VERIFY unless `trusted` (the city trusts the channel), then REPORTED.
    """
    at = utc(now or get_clock().now())
    city = get_city(session, city_code)
    if source not in SOURCES:
        raise InvalidCaseData(
            f"source must be one of {', '.join(SOURCES)}, got {source!r}", details={"field": "source"}
        )
    if urgency not in URGENCIES:
        raise InvalidCaseData(
            f"urgency must be normal or urgent, got {urgency!r}", details={"field": "urgency"}
        )
    if self_handled and source != "inspector":
        raise InvalidCaseData("only inspectors report self-handled cases", details={"field": "self_handled"})
    action, role = _check_actor(actor, city_code, source, self_handled)
    category = get_category(session, code=category_code, standard=standard, kind=kind, city_code=city_code)
    if component_id is not None and (problem := component_id_problem(component_id)):
        raise InvalidCaseData(problem, details={"field": "component_id"})
    if (lon is None) != (lat is None):
        raise InvalidCaseData("give both lon and lat, or neither", details={"field": "location"})
    if source == "inspector" and lon is None:
        raise InvalidCaseData(
            "an inspector report needs its location (lon, lat)", details={"field": "location"}
        )
    located = None
    if lon is not None and lat is not None:
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise InvalidCaseData(
                f"({lon}, {lat}) is not a longitude/latitude", details={"field": "location"}
            )
        located = locate(session, city_code, lon, lat)
        if located is None:
            raise InvalidCaseData(
                f"({lon}, {lat}) lies outside the areas of city {city_code}",
                code="cases.outside_city",
                details={"field": "location", "lon": lon, "lat": lat},
            )
    if self_handled:
        state = State.SELF_HANDLED
    elif source == "inspector" or trusted:
        state = State.REPORTED
    else:
        state = State.PENDING_VERIFY
    case = Case(
        city_id=city_code,
        number=next_number(session, city_code=city_code, timezone=city.timezone, at=at),
        source=source,
        standard=category.standard,
        kind=category.kind,
        category_code=category.code,
        urgency=urgency,
        state=state,
        description=description,
        address=address,
        lon=lon,
        lat=lat,
        h3_cell=cell_for(lon, lat, 9) if lon is not None and lat is not None else None,
        grid_code=located.grid.code if located and located.grid else None,
        community_code=located.community.code if located and located.community else None,
        street_code=located.street.code if located and located.street else None,
        district_code=located.district.code if located else None,
        area_class=located.area_class if located else "urban",
        component_id=component_id,
        reporter_ref=reporter_ref or (actor.name if source == "inspector" else None),
        reporter_staff_id=actor.staff_id if source == "inspector" else None,
        self_handled=self_handled,
        reported_at=at,
    )
    session.add(case)
    session.flush()
    if reporter_ref and source != "inspector":
        session.add(Follower(city_id=city_code, case=case, ref=reporter_ref, since=at))
    open_state_task(session, case, state, at=at, calendar=get_calendar(session, city_code))
    append_event(
        session,
        case=case,
        action=action,
        actor=actor.acting_as(role),
        at=at,
        from_state=None,
        to_state=state,
        data={
            "source": source,
            "category": f"{category.kind}:{category.code}",
            "urgency": urgency,
            # How intake decided (category and location, each with confidence and reason).
            **({"decision": decision} if decision else {}),
        },
        evidence=evidence,
    )
    return case
