"""The demo city pack, built once for the whole session, and its areas as shapely geometries."""

from __future__ import annotations

import pytest

from cityloop.sim.democity import DemoPack, build_demo_pack
from sim.helpers import Areas, areas_of


@pytest.fixture(scope="session")
def demo() -> DemoPack:
    return build_demo_pack()


@pytest.fixture(scope="session")
def areas(demo: DemoPack) -> Areas:
    return areas_of(demo)
