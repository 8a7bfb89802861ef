"""Geography of a city: districts → streets → communities → unit grids, patrol zones, named
places, point lookup (STRtree per city) and H3 cells for proximity (DOMAIN.md §5)."""

from cityloop.geo.actions import do_import_areas, do_import_patrol_zones, do_import_places
from cityloop.geo.codes import (
    LEVELS,
    area_code_problem,
    component_id_problem,
    level_of,
    matter_code_problem,
    parent_code,
)
from cityloop.geo.geojson import export_areas, export_places
from cityloop.geo.h3cells import cell_distance, cell_for, disk
from cityloop.geo.lookup import (
    AreaIndex,
    AreaRef,
    Located,
    area_index,
    get_location,
    grid_for,
    locate,
    point_in_city,
)
from cityloop.geo.problems import ImportSummary
from cityloop.geo.queries import (
    area_codes,
    export_patrol_zones,
    get_area,
    get_patrol_zone,
    grids_of_zone,
    list_areas,
    list_patrol_zones,
    list_places,
    zone_middles,
    zones_of_grid,
)

__all__ = [
    "LEVELS",
    "AreaIndex",
    "AreaRef",
    "ImportSummary",
    "Located",
    "area_code_problem",
    "area_codes",
    "area_index",
    "cell_distance",
    "cell_for",
    "component_id_problem",
    "disk",
    "do_import_areas",
    "do_import_patrol_zones",
    "do_import_places",
    "export_areas",
    "export_patrol_zones",
    "export_places",
    "get_area",
    "get_location",
    "get_patrol_zone",
    "grid_for",
    "grids_of_zone",
    "level_of",
    "list_areas",
    "list_patrol_zones",
    "list_places",
    "locate",
    "matter_code_problem",
    "parent_code",
    "point_in_city",
    "zone_middles",
    "zones_of_grid",
]
