"""Working-day arithmetic: Spring Festival and National Day 2026 with their 调休 make-up days,
year boundaries, unknown years, and the properties every deadline computation relies on."""
from datetime import date, timedelta

import pytest
from hypothesis import assume, given, settings, strategies as st

from hotline_desk.calendar import WorkCalendar
from hotline_desk.errors import CalendarUnknownYear

CAL = WorkCalendar()
known_dates = st.dates(min_value=date(2004, 1, 1), max_value=date(2026, 11, 30))


# -- the State Council's 2026 schedule ------------------------------------------------------------

def test_spring_festival_2026():
    # 春节 2月15日至23日放假调休，共9天；2月14日（星期六）、2月28日（星期六）上班。
    for day in range(15, 24):
        assert not CAL.is_workday(date(2026, 2, day)), day
    assert CAL.is_workday(date(2026, 2, 14)) and date(2026, 2, 14).weekday() == 5
    assert CAL.is_workday(date(2026, 2, 28)) and date(2026, 2, 28).weekday() == 5
    # dispatched on Friday 13 Feb: the make-up Saturday counts, then the holiday is skipped
    assert CAL.add_workdays(date(2026, 2, 13), 1) == date(2026, 2, 14)
    assert CAL.add_workdays(date(2026, 2, 13), 2) == date(2026, 2, 24)
    assert CAL.add_workdays(date(2026, 2, 14), 3) == date(2026, 2, 26)
    assert CAL.workdays_between(date(2026, 2, 14), date(2026, 2, 23)) == 0


def test_national_day_2026_and_make_up_days():
    # 国庆节 10月1日至7日放假调休，共7天；9月20日（星期日）、10月10日（星期六）上班。
    for day in range(1, 8):
        assert not CAL.is_workday(date(2026, 10, day)), day
    assert CAL.is_workday(date(2026, 9, 20)) and date(2026, 9, 20).weekday() == 6
    assert CAL.is_workday(date(2026, 10, 10)) and date(2026, 10, 10).weekday() == 5
    assert not CAL.is_workday(date(2026, 10, 11))            # an ordinary Sunday
    # a 10-working-day 投诉 dispatched on 30 Sep: 8, 9, 10(Sat), 12 … 16, 19, 20
    assert CAL.add_workdays(date(2026, 9, 30), 1) == date(2026, 10, 8)
    assert CAL.add_workdays(date(2026, 9, 30), 3) == date(2026, 10, 10)
    assert CAL.add_workdays(date(2026, 9, 30), 10) == date(2026, 10, 20)
    # the make-up Sunday before the holiday
    assert CAL.add_workdays(date(2026, 9, 19), 1) == date(2026, 9, 20)


def test_dispatch_day_does_not_count():
    friday = date(2026, 11, 20)
    assert CAL.add_workdays(friday, 1) == date(2026, 11, 23)          # Monday
    assert CAL.add_workdays(friday, 3) == date(2026, 11, 25)          # 咨询: Wednesday
    assert CAL.add_workdays(friday, 0) == friday                      # urgent: same day
    saturday = date(2026, 11, 21)
    assert CAL.add_workdays(saturday, 0) == date(2026, 11, 23)
    assert CAL.add_workdays(saturday, 1) == date(2026, 11, 23)


def test_year_boundary_2025_2026():
    # 元旦 2026: 1月1日至3日放假，1月4日（星期日）上班
    assert CAL.add_workdays(date(2025, 12, 31), 1) == date(2026, 1, 4)
    assert CAL.workdays_between(date(2025, 12, 30), date(2026, 1, 4)) == 2


def test_negative_n_refused():
    with pytest.raises(ValueError):
        CAL.add_workdays(date(2026, 3, 2), -1)


# -- unknown years: an explicit error, never a guess ----------------------------------------------

def test_2027_is_unknown_by_default():
    assert not CAL.known(2027)
    assert CAL.known(2026)
    with pytest.raises(CalendarUnknownYear) as exc:
        CAL.is_workday(date(2027, 1, 4))
    assert exc.value.year == 2027
    assert "2027" in str(exc.value) and "节假日" in str(exc.value)


def test_deadline_crossing_into_unknown_year_raises():
    # 10 working days from 24 Dec 2026 run into January 2027
    with pytest.raises(CalendarUnknownYear) as exc:
        CAL.add_workdays(date(2026, 12, 24), 10)
    assert exc.value.year == 2027
    with pytest.raises(CalendarUnknownYear):
        CAL.workdays_between(date(2026, 12, 20), date(2027, 1, 10))


def test_admin_rows_do_not_make_a_year_known_until_complete():
    rows = {date(2027, 1, 1): False}
    partial = WorkCalendar(rows)
    assert not partial.known(2027)
    with pytest.raises(CalendarUnknownYear):
        partial.is_workday(date(2027, 1, 1))

    complete = WorkCalendar(
        {date(2027, 1, 1): False, date(2027, 2, 6): False, date(2027, 2, 7): True},
        complete_years={2027},
    )
    assert complete.known(2027)
    assert not complete.is_workday(date(2027, 1, 1))     # Friday, a holiday from the table
    assert complete.is_workday(date(2027, 1, 4))         # Monday, ordinary week
    assert not complete.is_workday(date(2027, 1, 9))     # Saturday, ordinary week
    assert complete.is_workday(date(2027, 2, 7))         # Sunday, a make-up day from the table
    assert complete.add_workdays(date(2026, 12, 31), 1) == date(2027, 1, 4)
    assert 2027 in complete.known_years()


def test_admin_rows_override_the_library():
    # a local day off (e.g. ordered after a flood) on an ordinary Wednesday
    cal = WorkCalendar({date(2026, 7, 15): False})
    assert CAL.is_workday(date(2026, 7, 15))
    assert not cal.is_workday(date(2026, 7, 15))
    assert cal.add_workdays(date(2026, 7, 14), 1) == date(2026, 7, 16)


def test_calendar_is_a_snapshot():
    rows = {date(2026, 7, 15): False}
    cal = WorkCalendar(rows)
    rows[date(2026, 7, 15)] = True
    assert not cal.is_workday(date(2026, 7, 15))


# -- properties ----------------------------------------------------------------------------------

@given(known_dates, st.integers(1, 30))
def test_add_then_between_round_trips(start, n):
    end = CAL.add_workdays(start, n)
    assert CAL.is_workday(end)
    assert CAL.workdays_between(start, end) == n
    assert CAL.workdays_between(end, start) == -n


@given(known_dates, st.integers(1, 29))
def test_add_is_strictly_monotonic_in_n(start, n):
    assert CAL.add_workdays(start, n) < CAL.add_workdays(start, n + 1)


@given(known_dates)
def test_same_day_and_one_day_coincide_only_on_rest_days(start):
    same, next_ = CAL.add_workdays(start, 0), CAL.add_workdays(start, 1)
    assert (same == next_) == (not CAL.is_workday(start))


@given(known_dates, st.integers(0, 40), st.integers(0, 20))
def test_add_is_monotonic_in_start(start, shift, n):
    later = start + timedelta(days=shift)
    assume(later.year <= 2026 and later <= date(2026, 11, 30))
    assert CAL.add_workdays(start, n) <= CAL.add_workdays(later, n)


@given(known_dates, st.integers(0, 30))
def test_add_zero_is_the_first_workday_on_or_after(start, _):
    d = CAL.add_workdays(start, 0)
    assert d >= start and CAL.is_workday(d)
    assert all(not CAL.is_workday(start + timedelta(days=i)) for i in range((d - start).days))


@given(known_dates, st.integers(0, 60))
def test_between_is_additive(a, gap):
    b = a + timedelta(days=gap)
    c = b + timedelta(days=gap)
    assume(c <= date(2026, 12, 31))
    assert CAL.workdays_between(a, c) == CAL.workdays_between(a, b) + CAL.workdays_between(b, c)


@settings(max_examples=50)
@given(st.integers(2004, 2025))
def test_year_boundaries_round_trip(year):
    last = date(year, 12, 31)
    first_next = CAL.add_workdays(last, 1)
    assert first_next.year == year + 1
    assert CAL.workdays_between(last, first_next) == 1


@given(known_dates, st.integers(0, 40))
def test_between_never_exceeds_calendar_days(start, days):
    end = start + timedelta(days=days)
    assume(end <= date(2026, 12, 31))
    assert 0 <= CAL.workdays_between(start, end) <= days
