"""The hash-chained timeline: it verifies after many actions, and every kind of tampering is named."""

from __future__ import annotations

from itertools import pairwise

from sqlalchemy import delete, text, update

from cases.conftest import LoopCity
from cases.helpers import act, drive, events, verified_public_case
from cityloop.cases import Case, TimelineEvent, verify_city
from cityloop.cases.timeline import Break

ALTERED = "content does not match its hash (altered)"


def _busy_city(loop: LoopCity) -> tuple[Case, Case]:
    """Two cases whose events interleave in the city's chain: 20 events in all (8 + 12)."""
    first = loop.report()  # city event 1
    second = verified_public_case(loop)  # 2–4
    drive(loop, first, "PROCESSING")  # 5–8
    act(loop, first, "request_suspension", "cg01", reason="挂账")  # 9
    act(loop, first, "approve_suspension", "dispatcher01")  # 10
    act(loop, first, "resume", "cg01", minutes=120)  # 11
    drive(loop, second, "CLOSED")  # 12–19
    act(loop, second, "callback", "operator01", data={"rating": "不满意"})  # 20
    return first, second


def test_the_timeline_verifies_after_many_actions(loop: LoopCity) -> None:
    first, second = _busy_city(loop)
    report = verify_city(loop.session, loop.code)
    assert (report.ok, report.cases, report.events, report.breaks) == (True, 2, 20, [])
    assert [e.seq for e in events(loop.session, first)] == list(range(1, 9))
    assert [e.city_seq for e in events(loop.session, second)] == [2, 3, 4, *range(12, 21)]
    chain = events(loop.session, second)
    assert all(later.prev_hash == earlier.hash for earlier, later in pairwise(chain))
    assert chain[0].prev_hash is None and first.head_hash == events(loop.session, first)[-1].hash


def test_an_altered_reason_is_named_by_case_and_seq(loop: LoopCity) -> None:
    first, _ = _busy_city(loop)
    event = events(loop.session, first)[5]  # request_suspension, city event 9
    assert event.action == "request_suspension"
    event.reason = "领导同意"
    loop.session.flush()
    report = verify_city(loop.session, loop.code)
    assert not report.ok
    assert report.breaks == [Break(first.number, 6, 9, ALTERED)]


def test_altered_data_through_sql_is_named(loop: LoopCity) -> None:
    _, second = _busy_city(loop)
    loop.session.flush()
    table = TimelineEvent.__table__
    loop.session.execute(
        update(table)
        .where(table.c.case_id == second.id, table.c.seq == 12)
        .values(data={"rating": "满意"})  # the citizen's 不满意 made into 满意
    )
    loop.session.expire_all()
    assert verify_city(loop.session, loop.code).breaks == [Break(second.number, 12, 20, ALTERED)]


def test_an_altered_actor_through_raw_sql_is_named(loop: LoopCity) -> None:
    first, _ = _busy_city(loop)
    loop.session.flush()
    loop.session.execute(
        text("UPDATE case_events SET actor_name = 'someone' WHERE case_id = :case AND seq = 1"),
        {"case": first.id},
    )
    loop.session.expire_all()
    assert verify_city(loop.session, loop.code).breaks == [Break(first.number, 1, 1, ALTERED)]


def test_a_deleted_event_breaks_both_chains(loop: LoopCity) -> None:
    first, _ = _busy_city(loop)
    loop.session.flush()
    table = TimelineEvent.__table__
    loop.session.execute(delete(table).where(table.c.case_id == first.id, table.c.seq == 6))  # city event 9
    loop.session.expire_all()
    assert verify_city(loop.session, loop.code).breaks == [
        Break(first.number, 7, 10, "city event 9 is missing (next is 10)"),
        Break(first.number, 7, 10, "does not follow the previous event of the city"),
        Break(first.number, 7, 10, "case event 6 is missing"),
        Break(first.number, 7, 10, "does not follow the previous event of its case"),
        Break(None, None, 20, "city head says 20 events, 19 found (deleted)"),
    ]


def test_deleting_the_newest_event_is_found_through_the_heads(loop: LoopCity) -> None:
    _, second = _busy_city(loop)
    loop.session.flush()
    table = TimelineEvent.__table__
    loop.session.execute(delete(table).where(table.c.city_seq == 20))
    loop.session.expire_all()
    assert verify_city(loop.session, loop.code).breaks == [
        Break(None, None, 20, "city head says 20 events, 19 found (deleted)"),
        Break(second.number, 11, None, "case head does not match"),
    ]


def test_deleting_a_whole_case_is_found_through_the_city_head(loop: LoopCity) -> None:
    first = loop.report()  # city events 1–3
    act(loop, first, "accept", "operator01")
    act(loop, first, "file", "leader01")
    second = loop.report()  # city events 4–5
    act(loop, second, "accept", "operator01")
    loop.session.flush()
    second_id = second.id
    loop.session.execute(delete(Case.__table__).where(Case.__table__.c.id == second_id))  # cascades to events
    loop.session.expire_all()
    assert loop.session.query(TimelineEvent).filter(TimelineEvent.case_id == second_id).count() == 0
    report = verify_city(loop.session, loop.code)
    assert (report.cases, report.events) == (1, 3)
    assert report.breaks == [Break(None, None, 5, "city head says 5 events, 3 found (deleted)")]


def test_deleting_an_earlier_case_leaves_a_gap_in_the_city_chain(loop: LoopCity) -> None:
    first = loop.report()  # city event 1
    second = loop.report()  # city events 2–3
    act(loop, second, "accept", "operator01")
    loop.session.flush()
    loop.session.execute(delete(Case.__table__).where(Case.__table__.c.id == first.id))
    loop.session.expire_all()
    assert verify_city(loop.session, loop.code).breaks == [
        Break(second.number, 1, 2, "city event 1 is missing (next is 2)"),
        Break(second.number, 1, 2, "does not follow the previous event of the city"),
        Break(None, None, 3, "city head says 3 events, 2 found (deleted)"),
    ]
