"""The command centre (`/dashboard`): a live map over the grids, traffic lights, intake, rates,
categories, hot spots, department ranking, trends and the automation's figures.

`router` is imported on first use: `cityloop.web.i18n` imports this package's `i18n` module
while it is itself being imported, and the pages need the finished `cityloop.web.i18n`.
"""

from __future__ import annotations

from typing import Any


def __getattr__(name: str) -> Any:
    if name == "router":
        from cityloop.web.dashboard.pages import router

        return router
    raise AttributeError(name)


__all__ = ["router"]
