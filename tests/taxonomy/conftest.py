"""Fixtures of the taxonomy tests: a session whose database holds the national tables."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from cityloop.taxonomy import do_seed_standards


@pytest.fixture
def seeded(session: Session) -> Session:
    """The test session after seeding both packaged editions (rolled back with the test)."""
    do_seed_standards(session)
    return session
