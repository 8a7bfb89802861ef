"""The administration pages (`/admin`, role admin): city parameters, the working calendar, time
limits, dispatch rules, local taxonomy codes, staff and roles, devices."""

from cityloop.web.admin.pages import router

__all__ = ["router"]
