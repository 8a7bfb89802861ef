"""The field page (`/field`): tasks of field workers, departments and inspectors, on a phone first."""

from cityloop.web.field.pages import router

__all__ = ["router"]
