"""Who verifies (核实) or checks (核查) on site: the grid's patrol inspector, else the nearest on duty.

An inspector is on duty when their own shifts cover the moment (an inspector who also has a
worker profile), otherwise during the city's working-calendar duty periods, unless the caller
names them absent (leave, sick, busy elsewhere). An inspector's position is the middle of their
patrol zone (the mean of its grid centroids), the best guess for someone who walks it all day.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session, selectinload

from cityloop.deadlines import get_calendar
from cityloop.dispatch.assignment.cost import road_km
from cityloop.dispatch.assignment.model import AssignmentParams
from cityloop.dispatch.assignment.workers import assignment_params, shift_end
from cityloop.geo import zone_middles, zones_of_grid
from cityloop.org import StaffRole, list_staff
from cityloop.org.models import Staff, WorkerProfile


@dataclass(frozen=True, slots=True)
class InspectorState:
    """One inspector as the choice sees them; `note` says why they are (not) on duty."""

    staff_id: int
    username: str
    zone_code: str | None
    lon: float | None
    lat: float | None
    on_duty: bool
    note: str


@dataclass(frozen=True, slots=True)
class InspectorChoice:
    """The inspector for a verify or check task (None when nobody is on duty) and why."""

    staff_id: int | None
    username: str | None
    zone_code: str | None
    #: The chosen inspector patrols a zone that covers the case's grid.
    patrols_grid: bool
    distance_km: float | None
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "inspector": self.username,
            "zone": self.zone_code,
            "patrols_grid": self.patrols_grid,
            "distance_km": round(self.distance_km, 3) if self.distance_km is not None else None,
            "reason": self.reason,
        }


def _distance(
    inspector: InspectorState, lon: float | None, lat: float | None, params: AssignmentParams
) -> float:
    if inspector.lon is None or inspector.lat is None or lon is None or lat is None:
        return float("inf")
    return road_km(inspector.lon, inspector.lat, lon, lat, params)


def choose_inspector(
    inspectors: Sequence[InspectorState],
    grid_zones: Collection[str],
    lon: float | None,
    lat: float | None,
    params: AssignmentParams | None = None,
) -> InspectorChoice:
    """The patrol inspector of the grid when on duty, else the nearest inspector on duty; ties by username."""
    params = params or AssignmentParams()
    ordered = sorted(inspectors, key=lambda i: (i.username, i.staff_id))
    patrol = [i for i in ordered if i.zone_code is not None and i.zone_code in grid_zones]

    def rank(i: InspectorState) -> tuple[float, str]:
        return (_distance(i, lon, lat, params), i.username)

    on_patrol = sorted((i for i in patrol if i.on_duty), key=rank)
    if on_patrol:
        best = on_patrol[0]
        distance = _distance(best, lon, lat, params)
        return InspectorChoice(
            best.staff_id,
            best.username,
            best.zone_code,
            True,
            distance if distance != float("inf") else None,
            f"{best.username} patrols zone {best.zone_code}, which covers the case's grid, and is on duty ({best.note})",
        )
    if not grid_zones:
        away = "no patrol zone covers the case's grid"
    elif not patrol:
        away = f"nobody patrols zone(s) {', '.join(sorted(grid_zones))} of the case's grid"
    else:
        away = "; ".join(
            f"the patrol inspector {i.username} (zone {i.zone_code}) is away: {i.note}" for i in patrol
        )
    reachable = sorted(
        (
            i
            for i in ordered
            if i.on_duty and i not in patrol and _distance(i, lon, lat, params) != float("inf")
        ),
        key=rank,
    )
    if not reachable:
        return InspectorChoice(None, None, None, False, None, f"no inspector on duty can be sent: {away}")
    best = reachable[0]
    distance = _distance(best, lon, lat, params)
    return InspectorChoice(
        best.staff_id,
        best.username,
        best.zone_code,
        False,
        distance,
        f"{away}; {best.username} is the nearest inspector on duty: the middle of zone {best.zone_code} "
        f"is {distance:.1f} km away by road",
    )


def load_inspectors(
    session: Session,
    city_code: str,
    at: datetime,
    *,
    absent: Collection[str] = (),
    with_positions: bool = True,
) -> list[InspectorState]:
    """The city's active inspectors at `at`: on duty or not (and why), placed in their patrol zone."""
    staff = session.scalars(
        list_staff(session, city_code, role=StaffRole.INSPECTOR).options(
            selectinload(Staff.worker).selectinload(WorkerProfile.shifts)
        )
    )
    calendar = get_calendar(session, city_code)
    in_duty_hours = any(start <= at < end for start, end in calendar.periods_on(calendar.local_date(at)))
    middles = zone_middles(session, city_code) if with_positions else {}
    found = []
    for member in staff:
        profile = member.worker
        if member.username in absent:
            on_duty, note = False, "marked absent"
        elif profile is not None and profile.shifts:
            on_duty = shift_end(profile.shifts, at, calendar.timezone) is not None
            note = "on shift" if on_duty else "off shift"
        else:
            on_duty = in_duty_hours
            note = "within the city's duty hours" if on_duty else "outside the city's duty hours"
        position = middles.get(member.patrol_zone_code or "")
        if profile is not None and profile.current_lon is not None and profile.current_lat is not None:
            position = (profile.current_lon, profile.current_lat)
        found.append(
            InspectorState(
                staff_id=member.id,
                username=member.username,
                zone_code=member.patrol_zone_code,
                lon=position[0] if position else None,
                lat=position[1] if position else None,
                on_duty=on_duty,
                note=note,
            )
        )
    return found


def pick_inspector(
    session: Session,
    city_code: str,
    grid_code: str | None,
    lon: float | None,
    lat: float | None,
    at: datetime,
    *,
    absent: Collection[str] = (),
    params: AssignmentParams | None = None,
) -> InspectorChoice:
    """The inspector for a verify or check task at (lon, lat) in `grid_code`, with the reason."""
    params = params or assignment_params(session, city_code)
    zones = zones_of_grid(session, city_code, grid_code) if grid_code else []
    # One read: the zones' middles come from one aggregate query (geo.zone_middles).
    inspectors = load_inspectors(session, city_code, at, absent=absent)
    return choose_inspector(inspectors, zones, lon, lat, params)
