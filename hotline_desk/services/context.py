"""What every service shares: the unit of work, the clock, the calendar and policy (cached), and
small lookup tables (subject paths, district names) that lists would otherwise join for."""
from __future__ import annotations

import threading
import time
from dataclasses import fields
from datetime import date, datetime
from typing import Callable

import sqlalchemy as sa
from sqlalchemy.orm import Session

from hotline_desk.calendar import WorkCalendar
from hotline_desk.domain import DeadlinePolicy
from hotline_desk.store import models as m
from hotline_desk.store.db import UnitOfWork
from hotline_desk.store.types import SHANGHAI, utcnow

#: Reference data and the calendar change rarely; another desk's edit is picked up after this.
CACHE_SECONDS = 60.0


class ServiceContext:
    def __init__(self, uow: UnitOfWork, desk_id: str, clock: Callable[[], datetime] = utcnow) -> None:
        self.uow = uow
        self.desk_id = desk_id
        self.clock = clock
        self.dialect = uow.engine.dialect.name
        self._lock = threading.Lock()
        self._calendar: tuple[float, WorkCalendar] | None = None
        self._policy: tuple[float, DeadlinePolicy] | None = None
        self._lookups: tuple[float, "Lookups"] | None = None

    # -- time -----------------------------------------------------------------------------
    def now(self) -> datetime:
        return self.clock()

    def today(self) -> date:
        """The calendar day in Shanghai: deadlines are Shanghai dates, whatever the machine's zone."""
        return self.clock().astimezone(SHANGHAI).date()

    # -- cached reference data --------------------------------------------------------------
    def invalidate(self) -> None:
        with self._lock:
            self._calendar = self._policy = self._lookups = None

    def calendar(self, session: Session | None = None) -> WorkCalendar:
        with self._lock:
            cached = self._calendar
        if cached and time.monotonic() - cached[0] < CACHE_SECONDS:
            return cached[1]
        with self._maybe_session(session) as s:
            days = {row.day: row.is_workday for row in s.scalars(sa.select(m.Holiday))}
            years = list(s.scalars(sa.select(m.CalendarYear.year)))
        cal = WorkCalendar(days, complete_years=years)
        with self._lock:
            self._calendar = (time.monotonic(), cal)
        return cal

    def policy(self, session: Session | None = None) -> DeadlinePolicy:
        with self._lock:
            cached = self._policy
        if cached and time.monotonic() - cached[0] < CACHE_SECONDS:
            return cached[1]
        with self._maybe_session(session) as s:
            rows = {r.key: r.value for r in s.scalars(sa.select(m.PolicySetting))}
        known = {f.name for f in fields(DeadlinePolicy)}
        policy = DeadlinePolicy(**{k: v for k, v in rows.items() if k in known})
        with self._lock:
            self._policy = (time.monotonic(), policy)
        return policy

    def lookups(self, session: Session | None = None) -> "Lookups":
        """Subject paths, district and unit names. ``session``: reload inside the caller's
        transaction (a workflow call builds its result before it commits, never after)."""
        with self._lock:
            cached = self._lookups
        if cached and time.monotonic() - cached[0] < CACHE_SECONDS:
            return cached[1]
        with self._maybe_session(session) as s:
            lk = Lookups(
                subjects={r.id: r.path for r in s.execute(sa.select(m.Subject.id, m.Subject.path))},
                districts={r.code: r.name for r in s.execute(sa.select(m.District.code, m.District.name))},
                units={r.id: r.name for r in s.execute(sa.select(m.Unit.id, m.Unit.name))},
            )
        with self._lock:
            self._lookups = (time.monotonic(), lk)
        return lk

    def _maybe_session(self, session: Session | None):  # type: ignore[no-untyped-def]
        from contextlib import nullcontext

        return nullcontext(session) if session is not None else self.uow.session()


class Lookups:
    def __init__(self, subjects: dict[int, str], districts: dict[str, str], units: dict[int, str]) -> None:
        self.subjects = subjects
        self.districts = districts
        self.units = units
