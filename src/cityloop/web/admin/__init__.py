"""The administration pages (`/admin`, role admin): city parameters, the working calendar, time
limits, dispatch rules, local taxonomy codes, staff and roles, devices.

`router` is imported on first use: `cityloop.web.i18n` imports this package's `i18n` module
while it is itself being imported, and the pages need the finished `cityloop.web.i18n`.
"""

from __future__ import annotations

from typing import Any


def __getattr__(name: str) -> Any:
    if name == "router":
        from cityloop.web.admin.pages import router

        return router
    raise AttributeError(name)


__all__ = ["router"]
