"""Serialisations shared by the API and the CLI (category details with their crosswalk)."""

from __future__ import annotations

from typing import Any

from cityloop.taxonomy.crosswalk import crosswalk
from cityloop.taxonomy.models import Category
from cityloop.taxonomy.schemas import CategoryDetailOut, CategoryOut, CrosswalkLinkOut
from cityloop.taxonomy.standards import LEGACY, STANDARD_2026


def category_detail(category: Category) -> CategoryDetailOut:
    """A category with its crosswalk counterparts (2026 ↔ legacy), or why it has none."""
    walk = crosswalk()
    links: list[CrosswalkLinkOut] = []
    reason = None
    if category.standard == STANDARD_2026 and category.city_id is None:
        for pair in walk.backward(category.kind, category.code):
            links.append(
                CrosswalkLinkOut(
                    standard=LEGACY,
                    kind=pair.kind,
                    code=pair.legacy_code,
                    name=pair.legacy_name,
                    rule=pair.rule,
                    note=pair.note,
                )
            )
    elif category.standard == LEGACY:
        target = walk.forward(category.kind, category.code)
        if target is None:
            reason = walk.reason(category.kind, category.code)
        else:
            links.append(
                CrosswalkLinkOut(
                    standard=STANDARD_2026,
                    kind=target.kind,
                    code=target.code,
                    name=target.name,
                    rule=target.rule,
                    note=target.note,
                )
            )
    base = CategoryOut.model_validate(category).model_dump()
    return CategoryDetailOut(**base, crosswalk=links, unmapped_reason=reason)


def category_csv_row(category: Category) -> list[Any]:
    """The row of `cityloop taxonomy list --format csv` (see CSV_HEADER)."""
    return [
        category.standard,
        category.kind,
        category.major_code,
        category.major_name,
        category.code,
        category.name,
        category.name_en or "",
    ]


CSV_HEADER = ("standard", "kind", "major_code", "major_name", "code", "name", "name_en")
