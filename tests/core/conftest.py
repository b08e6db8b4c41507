"""Fixtures for the core's store and service tests: a migrated, seeded database (SQLite and
PostgreSQL via ``db_url``), a clock the test can move, and the demo staff signed in."""
from __future__ import annotations

from typing import Iterator

import pytest
from core_support import Clock, Staff

from hotline_desk.core import Core
from hotline_desk.services.staff import fast_hasher


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def core(db_url: str, clock: Clock) -> Iterator[Core]:
    c = Core.open(db_url, desk_id="desk-A", clock=clock, hasher=fast_hasher())
    c.upgrade()
    c.seed_demo()
    yield c
    c.close()


@pytest.fixture
def staff(core: Core) -> Staff:
    return Staff(core)
