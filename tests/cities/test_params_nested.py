"""Parameters with nested models are stored as JSON and read back typed."""

from __future__ import annotations

from sqlalchemy.orm import Session

from cityloop.cities import do_set_parameters, get_parameters
from cityloop.cities.models import City


def test_duplicate_rules_round_trip(session: Session, city: City) -> None:
    do_set_parameters(
        session, city.code, {"duplicate_rules": {"06013": {"radius_m": 12, "point_like": True}}}
    )
    session.expire_all()
    rule = get_parameters(session, city.code).duplicate_rules["06013"]
    assert (rule.radius_m, rule.point_like, rule.window_hours) == (12.0, True, 24.0 * 14)
