"""Working days on the Chinese calendar, with 调休 make-up days, extendable by an admin.

Why this module exists: deadlines (办理期限) are counted in working days. ``chinese-calendar``
knows the State Council's holiday schedule up to the year it was released for (2026 in 1.11) and
raises ``NotImplementedError`` beyond it; the next year's schedule is published late in the year.
An admin therefore keeps a holiday table (date → is_workday) and marks a year *complete* once it
holds the whole published schedule. A working-day computation that touches a year neither source
knows raises :class:`CalendarUnknownYear` — a deadline is never guessed.

Conventions (the seed's "X个工作日内办结"):

* ``add_workdays(start, n)`` for ``n >= 1`` is the n-th working day **after** ``start``: the day of
  dispatch does not count, whether or not it is a working day. A 3-working-day 咨询 dispatched on
  Friday is due on Wednesday (Mon, Tue, Wed).
* ``add_workdays(start, 0)`` is "the same day": ``start`` if it is a working day, otherwise the next
  working day (urgent tickets, 当日办结).
* ``workdays_between(a, b)`` counts working days ``d`` with ``a < d <= b`` (negative when ``b < a``),
  so ``workdays_between(s, add_workdays(s, n)) == n`` for every ``n >= 1``.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from types import MappingProxyType

import chinese_calendar

from hotline_desk.errors import CalendarUnknownYear

_ONE_DAY = timedelta(days=1)


def _library_knows(year: int) -> bool:
    try:
        chinese_calendar.is_workday(date(year, 7, 1))
    except NotImplementedError:
        return False
    return True


_LIBRARY_YEARS: frozenset[int] = frozenset(y for y in range(1990, 2100) if _library_knows(y))


class WorkCalendar:
    """Which days are working days, from chinese-calendar plus the admin's holiday table.

    ``extra_days`` are the admin table's rows (date → is_workday). In a year chinese-calendar
    knows they override it (a local adjustment, e.g. a day off ordered after a flood). For a year
    it does not know they are the whole schedule, but only once the admin lists the year in
    ``complete_years``: until then the year is unknown and computations touching it raise
    :class:`CalendarUnknownYear`. In a complete admin year, days not in the table follow the
    ordinary week (Monday–Friday working, Saturday and Sunday rest).

    Instances are immutable snapshots; build a new one when the admin table changes.
    """

    def __init__(self, extra_days: Mapping[date, bool] | None = None,
                 complete_years: Iterable[int] = ()) -> None:
        self._extra: Mapping[date, bool] = MappingProxyType(dict(extra_days or {}))
        self._complete_years = frozenset(int(y) for y in complete_years)
        self._cache: dict[date, bool] = {}

    @property
    def extra_days(self) -> Mapping[date, bool]:
        return self._extra

    @property
    def complete_years(self) -> frozenset[int]:
        return self._complete_years

    def known(self, year: int) -> bool:
        """True if the holidays of ``year`` are known (library or a complete admin year)."""
        return year in _LIBRARY_YEARS or year in self._complete_years

    def known_years(self) -> list[int]:
        """Every year a deadline may fall in, ascending (for the admin screen)."""
        return sorted(_LIBRARY_YEARS | self._complete_years)

    def _check(self, d: date) -> None:
        if not self.known(d.year):
            raise CalendarUnknownYear(d.year)

    def is_workday(self, d: date) -> bool:
        """True if ``d`` is a working day. Raises :class:`CalendarUnknownYear` for unknown years."""
        cached = self._cache.get(d)
        if cached is not None:
            return cached
        self._check(d)
        if d in self._extra:
            result = bool(self._extra[d])
        elif d.year in _LIBRARY_YEARS:
            result = bool(chinese_calendar.is_workday(d))
        else:
            result = d.weekday() < 5
        self._cache[d] = result
        return result

    def next_workday(self, d: date) -> date:
        """The first working day strictly after ``d``."""
        d += _ONE_DAY
        while not self.is_workday(d):
            d += _ONE_DAY
        return d

    def add_workdays(self, start: date, n: int) -> date:
        """The n-th working day after ``start`` (see the module's conventions; ``n >= 0``)."""
        if n < 0:
            raise ValueError("n must be >= 0 (工作日数不能为负数)")
        if n == 0:
            return start if self.is_workday(start) else self.next_workday(start)
        d = start
        for _ in range(n):
            d = self.next_workday(d)
        return d

    def workdays_between(self, a: date, b: date) -> int:
        """Working days ``d`` with ``a < d <= b``; ``-workdays_between(b, a)`` when ``b < a``."""
        if b < a:
            return -self.workdays_between(b, a)
        count = 0
        d = a + _ONE_DAY
        while d <= b:
            if self.is_workday(d):
                count += 1
            d += _ONE_DAY
        return count
