"""Storage kernel: typed ORM base classes, engine and sessions, Alembic migrations."""

from cityloop.db.base import Base, CityOwned, Timestamped, import_models
from cityloop.db.session import create_engine_for, get_engine, make_session_factory, session_scope
from cityloop.db.types import JSONType, UTCDateTime

__all__ = [
    "Base",
    "CityOwned",
    "JSONType",
    "Timestamped",
    "UTCDateTime",
    "create_engine_for",
    "get_engine",
    "import_models",
    "make_session_factory",
    "session_scope",
]
