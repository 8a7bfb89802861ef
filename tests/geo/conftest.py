"""Fixtures of the geo tests: the factory's small city imported into the `city` fixture."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session

from cityloop.cities.models import City
from cityloop.geo import do_import_areas
from geo.factories import square_grid_collection


@pytest.fixture
def areas(session: Session, city: City) -> dict[str, Any]:
    """The default factory collection (1 district, 1 street, 2 communities, 12 grids), imported."""
    collection = square_grid_collection(city.code)
    do_import_areas(session, city_code=city.code, collection=collection)
    return collection
