"""The great-circle distance every package measures with."""

from __future__ import annotations

import pytest

from cityloop.core.geodesy import distance_m


def test_one_degree_of_latitude_and_symmetry() -> None:
    assert distance_m(120.0, 30.0, 120.0, 31.0) == pytest.approx(111_195, abs=5)
    assert distance_m(120.1, 30.2, 120.2, 30.3) == pytest.approx(distance_m(120.2, 30.3, 120.1, 30.2))
    assert distance_m(120.1, 30.2, 120.1, 30.2) == 0.0
