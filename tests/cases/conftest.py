"""The loop city lives in `tests/loopcity.py` (a plugin of the root conftest); re-exported for old imports."""

from loopcity import CITY, OTHER_CITY, STAFF, LoopCity, actor_for, loop_pack

__all__ = ["CITY", "OTHER_CITY", "STAFF", "LoopCity", "actor_for", "loop_pack"]
