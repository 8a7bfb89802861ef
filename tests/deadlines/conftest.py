"""Fixtures of the deadlines tests.

Importing the models here, before the session-wide `engine` fixture runs `create_all`, puts
the deadlines tables into `Base.metadata` until the lead lists the module in
`db.base.MODEL_MODULES`.
"""

from __future__ import annotations

import cityloop.deadlines.models  # noqa: F401  (registers the tables)
