"""Deadlines: working calendars, time limits, the pure due-date calculator and the traffic light."""

from cityloop.core.timeunits import TIME_UNITS, TimeUnit
from cityloop.deadlines.actions import CalendarImport, do_import_calendar, export_calendar, packaged_calendar
from cityloop.deadlines.calculator import (
    Deadline,
    due_at,
    extend,
    pause,
    remaining,
    resume,
    start,
    used_share,
)
from cityloop.deadlines.calendar import DEFAULT_DAY, DEFAULT_WEEK, Period, WorkingCalendar
from cityloop.deadlines.calendar_data import CalendarData, Policy, calendar_data_to_dict, parse_calendar_data
from cityloop.deadlines.limits import TimeLimit
from cityloop.deadlines.queries import get_calendar, get_calendar_data, get_policy, list_policies
from cityloop.deadlines.traffic import Light, light, light_at

__all__ = [
    "DEFAULT_DAY",
    "DEFAULT_WEEK",
    "TIME_UNITS",
    "CalendarData",
    "CalendarImport",
    "Deadline",
    "Light",
    "Period",
    "Policy",
    "TimeLimit",
    "TimeUnit",
    "WorkingCalendar",
    "calendar_data_to_dict",
    "do_import_calendar",
    "due_at",
    "export_calendar",
    "extend",
    "get_calendar",
    "get_calendar_data",
    "get_policy",
    "light",
    "light_at",
    "list_policies",
    "packaged_calendar",
    "parse_calendar_data",
    "pause",
    "remaining",
    "resume",
    "start",
    "used_share",
]
