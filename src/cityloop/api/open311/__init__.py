"""Open311 GeoReport v2 (wiki.open311.org/GeoReport_v2) over the city's cases, at `/open311/v2`."""

from cityloop.api.open311.router import router

__all__ = ["router"]
