"""Run a SELECT one page at a time, with its total count."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from cityloop.core.pagination import PageParams

T = TypeVar("T")


def paginate(session: Session, stmt: Select[T], params: PageParams) -> tuple[list[T], int]:
    """The rows of page `params.page` of `stmt` (which must be ordered) and the total row count."""
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    rows = list(session.scalars(stmt.offset(params.offset).limit(params.page_size)))
    return rows, int(total)


__all__ = ["paginate"]
