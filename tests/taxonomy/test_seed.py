"""Seeding the national tables: exact counts, idempotent, cheap when already seeded."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from cityloop.taxonomy import LEGACY, STANDARD_2026, do_seed_standards
from cityloop.taxonomy.models import Category


@contextmanager
def count_statements(session: Session) -> Iterator[list[str]]:
    statements: list[str] = []
    engine = session.get_bind()

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def _counts(session: Session, standard: str) -> dict[tuple[str, str], int]:
    stmt = (
        select(Category.kind, Category.major_code, func.count())
        .where(Category.standard == standard, Category.city_id.is_(None))
        .group_by(Category.kind, Category.major_code)
    )
    return {(kind, major): n for kind, major, n in session.execute(stmt)}


def test_seed_writes_both_tables_then_nothing(session: Session) -> None:
    assert do_seed_standards(session) == 403 + 134
    counts = _counts(session, STANDARD_2026)
    assert sum(counts.values()) == 403
    assert sum(n for (kind, _), n in counts.items() if kind == "component") == 153
    assert sum(n for (kind, _), n in counts.items() if kind == "matter") == 250
    assert counts[("matter", "06")] == 51
    assert counts[("matter", "09")] == 21
    assert counts[("component", "05")] == 3
    assert sum(_counts(session, LEGACY).values()) == 134
    assert do_seed_standards(session) == 0


def test_seed_when_already_seeded_is_one_select(seeded: Session) -> None:
    with count_statements(seeded) as statements:
        assert do_seed_standards(seeded) == 0
    assert len(statements) == 1
    assert statements[0].lstrip().upper().startswith("SELECT")


def test_seed_repairs_a_changed_row_and_revives_a_deactivated_one(seeded: Session) -> None:
    row = seeded.scalars(select(Category).where(Category.code == "06010", Category.kind == "matter")).one()
    row.name = "被改掉的名字"
    other = seeded.scalars(select(Category).where(Category.code == "09001", Category.kind == "matter")).one()
    other.active = False
    seeded.flush()
    assert do_seed_standards(seeded) == 2
    assert (row.name, row.name_en, other.active) == ("暴露垃圾", "Exposed rubbish", True)


def test_seed_deactivates_a_national_row_no_longer_packaged(seeded: Session) -> None:
    stale = Category(
        standard=STANDARD_2026,
        kind="matter",
        code="09999",
        major_code="09",
        major_name="街面秩序类",
        name="已删除的事项",
    )
    seeded.add(stale)
    seeded.flush()
    assert do_seed_standards(seeded) == 1
    assert stale.active is False
    assert do_seed_standards(seeded) == 0


def test_stored_rows_carry_the_packaged_values(seeded: Session) -> None:
    row = seeded.scalars(
        select(Category).where(
            Category.standard == STANDARD_2026, Category.kind == "component", Category.code == "01002"
        )
    ).one()
    assert (
        row.major_code,
        row.major_name,
        row.major_name_en,
        row.name,
        row.name_en,
        row.city_id,
        row.active,
    ) == (
        "01",
        "市政公用设施",
        "Municipal utilities",
        "污水井盖",
        "Sewer manhole cover",
        None,
        True,
    )
    legacy = seeded.scalars(
        select(Category).where(Category.standard == LEGACY, Category.code == "0501")
    ).all()
    assert sorted((r.kind, r.name) for r in legacy) == [("component", "宣传栏"), ("matter", "无照经营游商")]
