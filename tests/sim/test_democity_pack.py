"""The demo city pack as a whole: deterministic, fast, written files parse back equal."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from shapely.ops import unary_union

from cityloop.sim.democity import DemoPack, build_demo_pack
from sim.helpers import areas_of

pytestmark = pytest.mark.slow

FILES = ("city.yaml", "areas.geojson", "places.geojson", "patrol_zones.yaml", "departments.yaml", "staff.yaml",
         "taxonomy_local.csv", "calendar.yaml", "devices.yaml", "dispatch_rules.yaml", "component_owners.yaml")  # fmt: skip


def test_same_seed_same_pack_and_another_seed_another_city(demo: DemoPack) -> None:
    assert build_demo_pack() == demo
    assert build_demo_pack("330100", 20261128) == demo
    other = build_demo_pack(seed=7)
    assert other.areas != demo.areas and other.staff != demo.staff
    assert other.city == demo.city and other.taxonomy_local_csv == demo.taxonomy_local_csv


def test_same_pack_in_a_fresh_process_with_another_hash_seed(demo: DemoPack) -> None:
    script = (
        "import dataclasses, json, sys\n"
        "from cityloop.sim.democity import build_demo_pack\n"
        "json.dump(dataclasses.asdict(build_demo_pack()), sys.stdout, ensure_ascii=False, default=str)\n"
    )
    env = {**os.environ, "PYTHONHASHSEED": "4242", "PYTHONIOENCODING": "utf-8"}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, check=True)
    expected = json.loads(json.dumps(dataclasses.asdict(demo), ensure_ascii=False, default=str))
    assert json.loads(done.stdout.decode("utf-8")) == expected


def test_generation_is_fast() -> None:
    started = time.perf_counter()
    build_demo_pack(seed=11)
    assert time.perf_counter() - started < 5.0


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_other_seeds_give_valid_cities(seed: int) -> None:
    pack = build_demo_pack(seed=seed)
    areas = areas_of(pack)
    assert len(areas.grid) == 2944 and len(areas.street) == 7 and len(areas.community) >= 20
    grids = areas.geometries("grid")
    for code, community in areas.geometries("community").items():
        assert community.is_valid and not community.interiors
        assert unary_union([g for c, g in grids.items() if c.startswith(code)]).equals(community)
    covered = sorted(grid for zone in pack.patrol_zones for grid in zone["grids"])
    assert covered == sorted(grids)


def test_write_produces_files_that_parse_back_equal(demo: DemoPack, tmp_path: Path) -> None:
    demo.write(tmp_path / "pack")
    folder = tmp_path / "pack"
    assert sorted(p.name for p in folder.iterdir()) == sorted(FILES)
    text = {name: (folder / name).read_text(encoding="utf-8") for name in FILES}
    assert yaml.safe_load(text["city.yaml"]) == demo.city
    assert json.loads(text["areas.geojson"]) == demo.areas
    assert json.loads(text["places.geojson"]) == demo.places
    assert yaml.safe_load(text["patrol_zones.yaml"]) == demo.patrol_zones
    assert yaml.safe_load(text["departments.yaml"]) == demo.departments
    assert yaml.safe_load(text["staff.yaml"]) == demo.staff
    assert text["taxonomy_local.csv"] == demo.taxonomy_local_csv
    assert yaml.safe_load(text["calendar.yaml"]) == demo.calendar
    assert yaml.safe_load(text["devices.yaml"]) == demo.devices
    assert yaml.safe_load(text["dispatch_rules.yaml"]) == demo.dispatch_rules
    assert yaml.safe_load(text["component_owners.yaml"]) == demo.component_owners
    assert "示范市" in text["city.yaml"] and "西湖区" in text["areas.geojson"]  # unescaped Unicode
    assert (
        "'08:30'" in text["staff.yaml"] and "'08'" in text["departments.yaml"]
    )  # codes and times stay strings
    demo.write(tmp_path / "again")
    assert all((tmp_path / "again" / name).read_bytes() == (folder / name).read_bytes() for name in FILES)


@pytest.mark.parametrize("code", ["3301", "330106", "330000", "990100", "33O100"])
def test_a_code_that_is_not_a_prefecture_is_refused(code: str) -> None:
    with pytest.raises(ValueError, match=code):
        build_demo_pack(code)
