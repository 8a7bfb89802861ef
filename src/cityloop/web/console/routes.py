"""The console's routes in one router: the queue page and batch actions, the case page."""

from __future__ import annotations

from fastapi import APIRouter

from cityloop.web.console import case, pages, resolve

router = APIRouter(include_in_schema=False)
router.include_router(pages.router)
router.include_router(case.router)
router.include_router(resolve.router)
