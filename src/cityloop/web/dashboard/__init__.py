"""The command centre (`/dashboard`): a live map over the grids, traffic lights, intake, rates,
categories, hot spots, department ranking, trends and the automation's figures."""

from cityloop.web.dashboard.pages import router
from cityloop.web.dashboard.portraits import router as _portraits

router.include_router(_portraits)

__all__ = ["router"]
