"""Browser tests of the web pages: a live uvicorn server over a fresh migrated SQLite database
holding two small cities, driven by Debian's Chromium through Playwright.

Every page a test opens is watched: a console error, an uncaught exception or a request to
any host but the test server fails the test (the request is aborted first). Screenshots go
to tests/web/artifacts/ (not committed).
"""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn
from argon2 import PasswordHasher
from PIL import Image
from playwright.sync_api import Browser, Page, sync_playwright

from cityloop.access.actions import do_create_api_key
from cityloop.app import create_app
from cityloop.core.passwords import use_hasher
from cityloop.db.session import create_engine_for, session_scope
from cityloop.db.setup import ensure_database
from cityloop.flows.citypack import do_import_pack
from loopcity import CITY, OTHER_CITY, loop_pack
from web.kit import CHROMIUM, CHROMIUM_ARGS, PASSWORD, Site, Watch, free_port, open_context


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    tmp = tmp_path_factory.mktemp("web")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CITYLOOP_VAR_DIR", str(tmp / "var"))
        previous = use_hasher(PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
        engine = create_engine_for(f"sqlite:///{tmp / 'web.db'}")
        try:
            ensure_database(engine, force=True)
            with session_scope(engine) as session:
                do_import_pack(session, loop_pack(), password=PASSWORD)
                do_import_pack(session, loop_pack(OTHER_CITY, origin=(116.40, 39.90)), password=PASSWORD)
                do_create_api_key(session, city_code=CITY, name="devices", roles=["system"])
            app = create_app(engine)  # with the pages (cityloop.web.install)
            port = free_port()
            server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
            thread = threading.Thread(target=server.run, daemon=True)
            thread.start()
            deadline = time.monotonic() + 20
            while not server.started:
                assert time.monotonic() < deadline, "the test server did not start"
                time.sleep(0.05)
            base = f"http://127.0.0.1:{port}"
            with httpx.Client(base_url=base, timeout=20) as http:
                yield Site(base=base, http=http, engine=engine)
            server.should_exit = True
            thread.join(timeout=10)
        finally:
            engine.dispose()
            use_hasher(previous)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.skip(
            f"browser tests need Chromium at {CHROMIUM} (apt-get install chromium fonts-wqy-microhei)"
        )
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def watch() -> Iterator[Watch]:
    found = Watch()
    yield found
    assert found.foreign == [], f"pages asked other hosts: {found.foreign}"
    assert found.errors == [], f"console errors: {found.errors}"


@pytest.fixture
def page(browser: Browser, site: Site, watch: Watch) -> Iterator[Page]:
    context = open_context(browser, site, watch)
    yield context.new_page()
    context.close()


@pytest.fixture(scope="module")
def photo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("photo") / "pothole.png"
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (120, 90, 60)).save(buffer, "PNG")
    path.write_bytes(buffer.getvalue())
    return path
