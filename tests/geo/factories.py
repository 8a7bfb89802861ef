"""Factories of valid geo inputs that tests of any package can reuse and mutate.

`square_grid_collection` lays out one district of streets side by side (west → east), each
of communities side by side, each tiled exactly by `grids_x` × `grids_y` square cells
numbered west→east, north→south. Every coordinate comes from one integer lattice, so shared
edges are bit-identical and the collection passes every import rule.
"""

from __future__ import annotations

from typing import Any

from shapely.geometry import shape


def district_code_for(city: str) -> str:
    """The code of the one district the factory lays out inside `city`."""
    if city.endswith("0000"):
        return city[:2] + "0102"
    if city.endswith("00"):
        return city[:4] + "02"
    return city


def _rect(lon: list[float], lat: list[float], x0: int, y0: int, x1: int, y1: int) -> dict[str, Any]:
    ring = [
        [lon[x0], lat[y0]],
        [lon[x1], lat[y0]],
        [lon[x1], lat[y1]],
        [lon[x0], lat[y1]],
        [lon[x0], lat[y0]],
    ]
    return {"type": "Polygon", "coordinates": [ring]}


def _feature(props: dict[str, Any], geometry: dict[str, Any]) -> dict[str, Any]:
    return {"type": "Feature", "properties": props, "geometry": geometry}


def square_grid_collection(
    city: str = "330100",
    origin: tuple[float, float] = (120.10, 30.25),
    streets: int = 1,
    communities_per_street: int = 2,
    grids_x: int = 3,
    grids_y: int = 2,
    cell_deg: float = 0.001,
) -> dict[str, Any]:
    """A valid areas FeatureCollection; `origin` is the south-west corner (lon, lat)."""
    columns = streets * communities_per_street * grids_x
    lon = [round(origin[0] + i * cell_deg, 9) for i in range(columns + 1)]
    lat = [round(origin[1] + j * cell_deg, 9) for j in range(grids_y + 1)]
    district = district_code_for(city)
    features = [
        _feature(
            {"level": "district", "code": district, "name": "示范区", "name_en": "Demo District"},
            _rect(lon, lat, 0, 0, columns, grids_y),
        )
    ]
    communities, grids = [], []
    width = communities_per_street * grids_x
    for s in range(streets):
        street = f"{district}{s + 1:03d}"
        features.append(
            _feature(
                {"level": "street", "code": street, "name": f"第{s + 1}街道", "name_en": f"Street {s + 1}"},
                _rect(lon, lat, s * width, 0, (s + 1) * width, grids_y),
            )
        )
        for c in range(communities_per_street):
            community = f"{street}{c + 1:03d}"
            x0 = s * width + c * grids_x
            communities.append(
                _feature(
                    {"level": "community", "code": community, "name": f"第{s + 1}-{c + 1}社区"},
                    _rect(lon, lat, x0, 0, x0 + grids_x, grids_y),
                )
            )
            for row in range(grids_y):  # row 0 is the northernmost
                for col in range(grids_x):
                    south = grids_y - 1 - row
                    grids.append(
                        _feature(
                            {"level": "grid", "code": f"{community}{row * grids_x + col + 1:03d}"},
                            _rect(lon, lat, x0 + col, south, x0 + col + 1, south + 1),
                        )
                    )
    return {"type": "FeatureCollection", "features": features + communities + grids}


def find(collection: dict[str, Any], code: str) -> dict[str, Any]:
    """The feature of `collection` with `code` (to mutate it in a test)."""
    return next(f for f in collection["features"] if f["properties"]["code"] == code)


def center_of(collection: dict[str, Any], code: str) -> tuple[float, float]:
    """The centre (lon, lat) of the area `code` of `collection`."""
    c = shape(find(collection, code)["geometry"]).centroid
    return float(c.x), float(c.y)


def corner_of(collection: dict[str, Any], code: str, which: int = 0) -> tuple[float, float]:
    """A vertex (lon, lat) of the area's outer ring: 0 south-west, 1 south-east, 2 north-east, 3 north-west."""
    lon, lat = find(collection, code)["geometry"]["coordinates"][0][which]
    return float(lon), float(lat)
