"""``tickets.preview_due``: the deadline a dispatch made now would get, from the same rule the
dispatch applies (the UI shows it before the dispatcher confirms)."""
from __future__ import annotations

from datetime import date

import pytest
from core_support import intake, liaison_unit_id

from hotline_desk.domain import Category, DispatchMode, DispatchOrder, Urgency
from hotline_desk.errors import CalendarUnknownYear, PermissionDenied, ValidationError


def _preview_then_dispatch(core, staff, mode, deadline=None, **form):  # type: ignore[no-untyped-def]
    v = core.tickets.register(staff.agent3, intake(core, **form))
    preview = core.tickets.preview_due(staff.agent3, v.id, mode, deadline)
    lead = liaison_unit_id(core, staff)
    co = (next(u.id for u in core.units.list() if u.id != lead),) if mode is DispatchMode.JOINT else ()
    r = core.tickets.dispatch(staff.agent3, v.id, v.version,
                              DispatchOrder(mode, lead, co_unit_ids=co, deadline=deadline))
    return preview, (r.due_date, r.working_days)


@pytest.mark.parametrize("mode, deadline, form, expected", [
    # Monday 2 March 2026: 10 working days for a complaint, 3 for a consultation.
    (DispatchMode.DIRECT, None, {}, (date(2026, 3, 16), 10)),
    (DispatchMode.JOINT, None, {"category": Category.CONSULTATION}, (date(2026, 3, 5), 3)),
    (DispatchMode.DIRECT, None, {"urgency": Urgency.URGENT}, (date(2026, 3, 2), 0)),
    (DispatchMode.ASSIGNED, date(2026, 3, 6), {}, (date(2026, 3, 6), 4)),
    # A deadline only counts for 交办; a direct dispatch keeps the category's days.
    (DispatchMode.DIRECT, date(2026, 3, 6), {}, (date(2026, 3, 16), 10)),
])
def test_preview_is_what_the_dispatch_then_stores(core, staff, mode, deadline, form, expected):
    preview, stored = _preview_then_dispatch(core, staff, mode, deadline, **form)
    assert preview == stored == expected


def test_preview_follows_a_policy_change_like_the_dispatch(core, staff):
    core.policy.set(staff.admin, complaint_days=5)
    preview, stored = _preview_then_dispatch(core, staff, DispatchMode.DIRECT)
    assert preview == stored == (date(2026, 3, 9), 5)


def test_preview_refuses_what_the_dispatch_refuses(core, staff, clock):
    v = core.tickets.register(staff.agent3, intake(core))
    with pytest.raises(ValidationError) as e:
        core.tickets.preview_due(staff.agent3, v.id, DispatchMode.ASSIGNED)
    assert "deadline" in e.value.field_errors
    with pytest.raises(ValidationError) as e:
        core.tickets.preview_due(staff.agent3, v.id, DispatchMode.ASSIGNED, date(2026, 6, 1))
    assert "30个工作日" in e.value.field_errors["deadline"]
    with pytest.raises(ValidationError):
        core.tickets.preview_due(staff.agent3, v.id, "teleport")  # type: ignore[arg-type]
    with pytest.raises(PermissionDenied):
        core.tickets.preview_due(staff.liaison, v.id, DispatchMode.DIRECT)
    clock.set(2026, 12, 24, 10, 0)  # 10 working days reach into 2027, which nobody knows yet
    with pytest.raises(CalendarUnknownYear):
        core.tickets.preview_due(staff.agent3, v.id, DispatchMode.DIRECT)
