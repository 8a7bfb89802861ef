"""The administration's router: the reading pages and the editing ones."""

from __future__ import annotations

from fastapi import APIRouter

from cityloop.web.admin import edits, views

router = APIRouter(include_in_schema=False)
router.include_router(edits.router)
router.include_router(views.router)
