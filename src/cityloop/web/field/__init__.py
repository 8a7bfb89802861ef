"""The field page (`/field`): tasks of field workers, departments and inspectors, on a phone first.

`router` is loaded on first use: the catalogue of the pages (`web.i18n`) imports this
package's `i18n` module while the templating module is still being set up, so the package
itself must not import the pages eagerly.
"""

from __future__ import annotations

from typing import Any

__all__ = ["router"]


def __getattr__(name: str) -> Any:
    if name == "router":
        from cityloop.web.field.pages import router

        return router
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
