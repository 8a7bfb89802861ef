"""A city of 2,000 grids in 20 communities imports, exports and locates (timings live in bench/)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from cityloop.cities.models import City
from cityloop.geo import do_import_areas, export_areas, grid_for
from geo.factories import center_of, square_grid_collection


def test_two_thousand_grids(session: Session, city: City) -> None:
    source = square_grid_collection(streets=2, communities_per_street=10, grids_x=10, grids_y=10)
    summary = do_import_areas(session, city_code=city.code, collection=source)
    assert summary.counts == {"district": 1, "street": 2, "community": 20, "grid": 2000}
    assert summary.warnings == []
    for code in ("330102001001001", "330102001010055", "330102002010100"):
        assert grid_for(session, city.code, *center_of(source, code)) == code
    assert len(export_areas(session, city.code)["features"]) == 2023
