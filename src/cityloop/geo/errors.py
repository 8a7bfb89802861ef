"""Error codes of the geo package."""

from cityloop.core.errors import NotFound, ValidationFailed


class GeoImportFailed(ValidationFailed):
    """An areas, places or patrol-zones file broke a rule; `details` lists every problem."""

    default_code = "geo.import_failed"


class AreaImportFailed(GeoImportFailed):
    default_code = "geo.import_failed"


class PlaceImportFailed(GeoImportFailed):
    default_code = "geo.import_failed"


class PatrolZoneImportFailed(GeoImportFailed):
    default_code = "geo.import_failed"


class AreaNotFound(NotFound):
    default_code = "geo.area_not_found"


class PatrolZoneNotFound(NotFound):
    default_code = "geo.patrol_zone_not_found"


class NotLocated(NotFound):
    """A point lies outside every area of the city."""

    default_code = "geo.not_located"


class UnknownLevel(ValidationFailed):
    default_code = "geo.unknown_level"


class InvalidH3Cell(ValidationFailed):
    default_code = "geo.invalid_h3_cell"
