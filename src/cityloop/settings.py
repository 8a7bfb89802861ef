"""Process settings read from the environment (kernel layer).

`CITYLOOP_DATABASE_URL` selects the database; the default is SQLite (WAL) at
`var/cityloop.db` under `CITYLOOP_VAR_DIR` (default `./var`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Settings:
    database_url: str
    var_dir: Path


def load_settings() -> Settings:
    var_dir = Path(os.environ.get("CITYLOOP_VAR_DIR", "var")).resolve()
    url = os.environ.get("CITYLOOP_DATABASE_URL") or f"sqlite:///{var_dir / 'cityloop.db'}"
    return Settings(database_url=url, var_dir=var_dir)
