"""Column types that behave the same on SQLite and PostgreSQL."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.types import TypeDecorator

#: Where the hotline is: display times and the calendar day of deadlines are Shanghai's.
SHANGHAI = ZoneInfo("Asia/Shanghai")


class UtcDateTime(TypeDecorator[datetime]):
    """An aware timestamp stored as UTC. PostgreSQL keeps ``timestamptz``; SQLite has no time
    zones, so the UTC wall time is stored and the zone put back on read. Naive datetimes are
    refused: a deadline computed from a naive time would silently use the machine's zone."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UtcDateTime column")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)
