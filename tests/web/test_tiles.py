"""A city with a tile server gets it under its maps (and in its CSP); others draw their polygons only."""

from __future__ import annotations

from fastapi.testclient import TestClient

from cityloop.app import create_app
from cityloop.cities import do_set_parameters
from cityloop.db.session import create_engine_for, session_scope
from cityloop.db.setup import ensure_database
from cityloop.flows.citypack import do_import_pack
from loopcity import CITY, OTHER_CITY, loop_pack

TILES = "https://{s}.tiles.example.org/{z}/{x}/{y}.png"


def test_the_tile_server_of_a_city_reaches_its_pages_and_its_csp(fresh_db_url: str) -> None:
    engine = create_engine_for(fresh_db_url)
    ensure_database(engine, force=True)
    with session_scope(engine) as session:
        do_import_pack(session, loop_pack(), password="x-password")
        do_import_pack(session, loop_pack(OTHER_CITY, origin=(116.40, 39.90)), password="x-password")
        do_set_parameters(session, CITY, {"map_tile_url": TILES, "map_tile_attribution": "© Example <maps>"})
    try:
        with TestClient(create_app(engine)) as client:
            page = client.get("/", params={"city": CITY})
            assert page.status_code == 200
            assert f'data-tiles="{TILES}"' in page.text
            assert 'data-tiles-attribution="© Example &lt;maps&gt;"' in page.text  # escaped
            assert (
                "img-src 'self' data: blob: https://*.tiles.example.org"
                in page.headers["content-security-policy"]
            )
            assert '<script src="/static/js/tiles.js" defer></script>' in page.text
            other = client.get("/", params={"city": OTHER_CITY})
            assert "data-tiles" not in other.text
            assert "img-src 'self' data: blob:;" in other.headers["content-security-policy"]
    finally:
        engine.dispose()
