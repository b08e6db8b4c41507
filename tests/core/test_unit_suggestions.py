"""Dispatch suggestions say how many tickets of the subject in the district each unit handled."""
from __future__ import annotations

from core_support import intake, liaison_unit_id, register_and_dispatch

from hotline_desk.domain import DispatchMode, DispatchOrder


def test_suggestions_carry_the_units_count_in_this_district(core, staff):
    subject_id = intake(core).subject_id
    here, there = core.reference.districts()[0], core.reference.districts()[1]
    ours = liaison_unit_id(core, staff)
    other = next(u.id for u in core.units.list() if u.id != ours and u.contact_person and u.phone)
    assert all(u.handled_count == 0 for u in core.units.suggest(subject_id, here.code))

    first = register_and_dispatch(core, staff)
    # Returned and dispatched to the same unit again: still one ticket it handled.
    back = core.tickets.return_ticket(staff.liaison, first.id, first.version, "非本单位职责")
    core.tickets.dispatch(staff.agent3, back.id, back.version, DispatchOrder(DispatchMode.DIRECT, ours))
    register_and_dispatch(core, staff)
    v = core.tickets.register(staff.agent3, intake(core, district_code=there.code,
                                                   township=there.townships[0]))
    core.tickets.dispatch(staff.agent3, v.id, v.version, DispatchOrder(DispatchMode.DIRECT, other))

    suggested = core.units.suggest(subject_id, here.code)
    assert (suggested[0].id, suggested[0].handled_count) == (ours, 2)
    assert {u.id: u.handled_count for u in suggested}.get(other) == 0  # handled one, elsewhere
    assert suggested[0].name and suggested[0].contact_person  # the directory fields are kept

    elsewhere = core.units.suggest(subject_id, there.code)
    assert (elsewhere[0].id, elsewhere[0].handled_count) == (other, 1)
    assert {u.id: u.handled_count for u in elsewhere}[ours] == 0
