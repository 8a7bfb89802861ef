"""The operator and dispatcher console (`/console`): queues, batch actions and the case page.

For the roles operator, dispatcher and shift_leader of the signed-in staff member's city.
"""

from cityloop.web.console.routes import router

__all__ = ["router"]
