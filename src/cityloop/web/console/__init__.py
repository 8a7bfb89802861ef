"""The operator and dispatcher console (`/console`): queues, batch actions and the case page.

For the roles operator, dispatcher and shift_leader of the signed-in staff member's city.
`router` is loaded on first use: `web.i18n` imports this package's catalogue while the page
modules (which need `web.i18n`) are not importable yet.
"""

from __future__ import annotations

from typing import Any


def __getattr__(name: str) -> Any:
    if name == "router":
        from cityloop.web.console.routes import router

        return router
    raise AttributeError(name)


__all__ = ["router"]
