"""Bad input: a typed error with a Chinese message per field, and nothing written."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa
from core_support import intake, register_and_dispatch

from hotline_desk.domain import DispatchMode, DispatchOrder, ReplyMethod
from hotline_desk.errors import NotFound, ValidationError
from hotline_desk.store import models as m
from hotline_desk.store.types import SHANGHAI


def _counts(core):
    with core.uow.session() as s:
        return tuple(s.scalar(sa.select(sa.func.count()).select_from(t))
                     for t in (m.Ticket, m.TimelineRow, m.TicketToken, m.ChangeRow, m.OutboxRow,
                               m.TicketCounter))


BAD_INTAKES = {
    "missing narrative and request": (dict(narrative="  ", request=""), {"narrative", "request"}),
    "not a phone number": (dict(caller_phone="12"), {"caller_phone"}),
    "letters for a phone": (dict(caller_phone="call me maybe"), {"caller_phone"}),
    "missing phone on a call": (dict(caller_phone=""), {"caller_phone"}),
    "100 KB narrative": (dict(narrative="噪" * 100_000), {"narrative"}),
    "100 KB address": (dict(address="书院路" * 34_000), {"address"}),
    "unknown subject": (dict(subject_id=999_999), {"subject_id"}),
    "unknown district": (dict(district_code="000000"), {"district_code"}),
    "township of another district": (dict(township="不存在的镇"), {"township"}),
    "bad category": (dict(category="gossip"), {"category"}),
    "event in the future": (dict(occurred_at=datetime(2030, 1, 1, tzinfo=SHANGHAI)), {"occurred_at"}),
    "naive time": (dict(occurred_at=datetime(2026, 3, 1, 8, 0)), {"occurred_at"}),
}


@pytest.mark.parametrize("case", list(BAD_INTAKES))
def test_bad_intake_is_refused_with_field_errors_and_nothing_written(core, staff, case):
    overrides, fields = BAD_INTAKES[case]
    before = _counts(core)
    with pytest.raises(ValidationError) as e:
        core.tickets.register(staff.agent1, intake(core, **overrides))
    assert set(e.value.field_errors) == fields
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in msg) for msg in e.value.field_errors.values())
    assert str(e.value).startswith("输入有误")
    assert _counts(core) == before


def test_a_letter_may_come_without_a_phone(core, staff):
    v = core.tickets.register(staff.agent1, intake(core, caller_phone="", channel="letter"))
    assert v.caller_phone == ""


def test_differently_formatted_numbers_are_stored_normalised(core, staff):
    for raw in ("+86 139-0703-1234", "0086 13907031234", "013907031234", "139 0703 1234"):
        assert core.tickets.register(staff.agent1, intake(core, caller_phone=raw)).caller_phone \
            == "13907031234"
    assert core.tickets.register(staff.agent1, intake(core, caller_phone="8221234")).caller_phone \
        == "07938221234"


def test_dispatch_to_a_unit_without_contact_is_refused(core, staff):
    admin = staff.admin
    unit = core.units.save(admin, code="test.nocontact", name="无联系人测试单位", district_code="361102")
    v = core.tickets.register(staff.agent3, intake(core))
    before = _counts(core)
    with pytest.raises(ValidationError) as e:
        core.tickets.dispatch(staff.agent3, v.id, v.version, DispatchOrder(DispatchMode.DIRECT, unit.id))
    assert "联系人" in e.value.field_errors["lead_unit_id"]
    assert _counts(core) == before
    assert core.tickets.get(staff.agent3, v.id).version == v.version


@pytest.mark.parametrize("order,field", [
    (dict(mode=DispatchMode.JOINT, co_unit_ids=()), "co_unit_ids"),
    (dict(mode=DispatchMode.DIRECT, co_unit_ids=(None,)), "co_unit_ids"),
    (dict(mode=DispatchMode.ASSIGNED), "deadline"),
    (dict(mode=DispatchMode.DIRECT, lead_unit_id=987654), "lead_unit_id"),
])
def test_malformed_dispatch_orders(core, staff, order, field):
    lead = staff.liaison.unit_id
    other = next(u.id for u in core.units.list() if u.id != lead)
    args = dict(mode=DispatchMode.DIRECT, lead_unit_id=lead, co_unit_ids=())
    args.update(order)
    args["co_unit_ids"] = tuple(other if x is None else x for x in args["co_unit_ids"])
    v = core.tickets.register(staff.agent3, intake(core))
    with pytest.raises(ValidationError) as e:
        core.tickets.dispatch(staff.agent3, v.id, v.version, DispatchOrder(**args))
    assert field in e.value.field_errors


def test_oversized_reply_and_empty_reason(core, staff):
    v = register_and_dispatch(core, staff)
    with pytest.raises(ValidationError) as e:
        core.tickets.reply(staff.liaison, v.id, v.version, ReplyMethod.ONLINE, "过程", "结" * 100_000)
    assert "最多4000字" in e.value.field_errors["reply_result"]
    with pytest.raises(ValidationError):
        core.tickets.return_ticket(staff.liaison, v.id, v.version, "   ")
    assert core.tickets.get(staff.supervisor, v.id).version == v.version
    fresh = core.tickets.register(staff.agent1, intake(core))
    with pytest.raises(ValidationError) as e:
        core.tickets.reject_not_in_scope(staff.agent1, fresh.id, fresh.version, "no_such_reason")
    assert "reason_code" in e.value.field_errors


def test_unknown_ticket(core, staff):
    with pytest.raises(NotFound):
        core.tickets.get(staff.agent1, 424242)
    with pytest.raises(NotFound):
        core.tickets.get_by_number(staff.agent1, "SR20260302-99999")


def test_received_at_defaults_to_now_and_is_kept_when_given(core, staff, clock):
    earlier = clock.now - timedelta(minutes=3)
    v = core.tickets.register(staff.agent1, intake(core, received_at=earlier))
    assert v.received_at == earlier
    assert v.registered_at > earlier
