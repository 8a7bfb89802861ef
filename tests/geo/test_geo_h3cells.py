from __future__ import annotations

import h3
import pytest

from cityloop.geo import cell_distance, cell_for, disk
from cityloop.geo.errors import InvalidH3Cell


def test_cell_for_a_point() -> None:
    cell = cell_for(120.1005, 30.2515, 9)
    assert cell == h3.latlng_to_cell(30.2515, 120.1005, 9)
    assert h3.get_resolution(cell) == 9
    assert cell_for(120.1005, 30.2515, 7) == h3.cell_to_parent(cell, 7)


def test_disk_and_distance() -> None:
    cell = cell_for(120.1005, 30.2515, 9)
    ring = disk(cell, 1)
    assert len(ring) == 7 and cell in ring
    assert disk(cell, 0) == {cell}
    assert len(disk(cell, 2)) == 19
    assert sorted(cell_distance(cell, other) for other in ring) == [0, 1, 1, 1, 1, 1, 1]
    far = next(iter(disk(cell, 3) - disk(cell, 2)))
    assert cell_distance(cell, far) == 3


def test_refusals() -> None:
    with pytest.raises(InvalidH3Cell, match="resolution 16"):
        cell_for(120.1, 30.25, 16)
    with pytest.raises(InvalidH3Cell, match="outside longitude"):
        cell_for(200.0, 30.25, 9)
    with pytest.raises(InvalidH3Cell, match="'nonsense' is not an H3 cell"):
        disk("nonsense", 1)
    with pytest.raises(InvalidH3Cell, match="must not be negative"):
        disk(cell_for(120.1, 30.25, 9), -1)
    with pytest.raises(InvalidH3Cell, match="no H3 grid distance"):
        cell_distance(cell_for(120.1, 30.25, 9), cell_for(120.1, 30.25, 8))
