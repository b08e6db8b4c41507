"""Permissions are checked inside the services: roles, a liaison's own unit, confidential
tickets, masked personal data, and the audit log of confidential views and exports."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from core_support import intake, register_and_dispatch

from hotline_desk.domain import (
    DispatchMode, DispatchOrder, ReplyMethod, Satisfaction, SupervisionKind, TicketQuery,
)
from hotline_desk.errors import AuthError, PermissionDenied, ValidationError
from hotline_desk.store import models as m


def _audit_rows(core):
    with core.uow.session() as s:
        return [(r.staff_name, r.action, r.ticket_id, r.detail)
                for r in s.scalars(sa.select(m.AuditRow).order_by(m.AuditRow.id))]


@pytest.mark.parametrize("username", ["analyst", "admin", "callback", "supervisor", "liaison"])
def test_only_intake_roles_register(core, staff, username):
    with pytest.raises(PermissionDenied) as e:
        core.tickets.register(getattr(staff, username), intake(core))
    assert "没有权限" in str(e.value)


@pytest.mark.parametrize("username", ["agent2", "analyst", "callback", "liaison"])
def test_review_is_for_supervisors(core, staff, username):
    v = register_and_dispatch(core, staff)
    v = core.tickets.reply(staff.liaison, v.id, v.version, ReplyMethod.ONLINE, "过程", "结果")
    with pytest.raises(PermissionDenied):
        core.tickets.review_reply(getattr(staff, username), v.id, v.version, approve=True)


def test_role_matrix_for_other_actions(core, staff):
    v = register_and_dispatch(core, staff)
    with pytest.raises(PermissionDenied):
        core.tickets.supervise(staff.agent1, v.id, v.version, SupervisionKind.WRITTEN, "督办")
    with pytest.raises(PermissionDenied):
        core.tickets.acknowledge(staff.agent2, v.id, v.version)  # not the unit, not on its behalf
    v = core.tickets.request_extension(staff.liaison, v.id, v.version,
                                       v.due_date.replace(day=v.due_date.day + 2), "复杂")
    with pytest.raises(PermissionDenied):
        core.tickets.decide_extension(staff.liaison, v.id, v.version, approve=True)
    with pytest.raises(PermissionDenied):
        core.tickets.dispatch(staff.analyst, v.id, v.version,
                              DispatchOrder(DispatchMode.DIRECT, staff.liaison.unit_id))
    with pytest.raises(PermissionDenied):
        core.staff.create(staff.supervisor, "x1", "某某", "password1", ["agent"])
    with pytest.raises(PermissionDenied):
        core.calendar.add_holiday(staff.agent1, v.due_date)


def test_unit_liaison_sees_and_works_only_their_units_tickets(core, staff):
    mine = register_and_dispatch(core, staff)
    other_unit = next(u.id for u in core.units.list() if u.id != staff.liaison.unit_id)
    theirs = core.tickets.register(staff.agent3, intake(core, narrative="别的单位的工单：路灯不亮"))
    theirs = core.tickets.dispatch(staff.agent3, theirs.id, theirs.version,
                                   DispatchOrder(DispatchMode.DIRECT, other_unit)).ticket
    undispatched = core.tickets.register(staff.agent3, intake(core))

    assert core.tickets.get(staff.liaison, mine.id).number == mine.number
    for t in (theirs, undispatched):
        with pytest.raises(PermissionDenied):
            core.tickets.get(staff.liaison, t.id)
    with pytest.raises(PermissionDenied):
        core.tickets.acknowledge(staff.liaison, theirs.id, theirs.version)
    with pytest.raises(PermissionDenied):
        core.tickets.reply(staff.liaison, theirs.id, theirs.version, ReplyMethod.ONLINE, "p", "r")
    listed = {t.number for t in core.search.find(staff.liaison, TicketQuery()).items}
    assert listed == {mine.number}
    with pytest.raises(PermissionDenied):
        core.search.caller_history(staff.liaison, "13907031234")


def test_personal_data_is_masked_for_roles_without_clearance(core, staff):
    v = register_and_dispatch(core, staff)
    full = core.tickets.get(staff.agent1, v.id)
    assert (full.caller_phone, full.caller_name, full.masked) == ("13907031234", "张三丰", False)
    assert full.address == "信州区水南街道书院路12号3栋"
    for who in (staff.analyst, staff.admin):
        seen = core.tickets.get(who, v.id)
        assert seen.masked and seen.caller_phone == "139****1234" and seen.caller_name == "张**"
        assert "书院路" not in seen.address and seen.address.startswith("信州区")
        assert seen.narrative == full.narrative  # the matter itself is not personal data
        row = core.search.find(who, TicketQuery(number=v.number)).items[0]
        assert row.caller_phone == "139****1234"
        history = core.search.caller_history(who, "13907031234")
        assert history.phone == "139****1234" and history.tickets[0].caller_name == "张**"
    assert core.tickets.get(staff.liaison, v.id).caller_phone == "13907031234"  # must call back


def test_confidential_ticket_shows_only_that_it_exists_and_views_are_audited(core, staff):
    v = core.tickets.register(staff.agent2, intake(core, confidential=True, narrative="举报某单位工作人员索贿"))
    stub = core.tickets.get(staff.agent1, v.id)
    assert stub.restricted and stub.number == v.number and stub.status == v.status
    assert stub.narrative == "" and stub.caller_phone == "" and stub.category is None
    with pytest.raises(PermissionDenied):
        core.tickets.timeline(staff.agent1, v.id)
    with pytest.raises(PermissionDenied):
        core.tickets.resolve_on_call(staff.agent1, v.id, v.version, "答复")
    row = core.search.find(staff.callback, TicketQuery(number=v.number)).items[0]
    assert row.restricted and row.title == "（保密工单）" and row.caller_phone == ""
    # The agent who registered it, dispatchers and supervisors see it.
    assert not core.tickets.get(staff.agent2, v.id).restricted
    full = core.tickets.get(staff.supervisor, v.id)
    assert full.narrative == "举报某单位工作人员索贿"
    core.tickets.timeline(staff.supervisor, v.id)
    audit = _audit_rows(core)
    assert [(name, action) for name, action, _, _ in audit] == [
        ("李晓燕", "view_confidential"), ("王丽", "view_confidential"),
        ("吴建国", "view_confidential"), ("吴建国", "view_confidential_timeline")]
    assert audit[0][3]["restricted"] is True and audit[2][3]["restricted"] is False
    assert all(tid == v.id for _, _, tid, _ in audit)
    seen_by_admin = core.audit.entries(staff.admin, ticket_id=v.id)
    assert [e.staff_name for e in seen_by_admin] == ["吴建国", "吴建国", "王丽", "李晓燕"]
    assert seen_by_admin[0].desk_id == "desk-A"
    with pytest.raises(PermissionDenied):
        core.audit.entries(staff.agent1)
    # Ordinary tickets leave no audit trail on view.
    plain = core.tickets.register(staff.agent1, intake(core))
    core.tickets.get(staff.supervisor, plain.id)
    assert len(_audit_rows(core)) == 4


def test_confidential_ticket_is_workable_by_its_unit_liaison(core, staff):
    v = register_and_dispatch(core, staff, confidential=True)
    seen = core.tickets.get(staff.liaison, v.id)
    assert not seen.restricted
    v = core.tickets.reply(staff.liaison, v.id, seen.version, ReplyMethod.ONLINE, "过程", "结果")
    v = core.tickets.review_reply(staff.supervisor, v.id, v.version, approve=True)
    with pytest.raises(PermissionDenied):  # callback staff are not cleared for confidential tickets
        core.tickets.record_callback(staff.callback, v.id, v.version, Satisfaction.SATISFIED)
    v = core.tickets.record_callback(staff.supervisor, v.id, v.version, Satisfaction.SATISFIED)
    assert v.closed_at is not None


def test_export_is_audited_and_role_checked(core, staff):
    register_and_dispatch(core, staff)
    register_and_dispatch(core, staff, confidential=True)
    with pytest.raises(PermissionDenied):
        core.search.export(staff.agent1, TicketQuery())
    rows = core.search.export(staff.analyst, TicketQuery(text="噪音"))
    assert len(rows) == 2
    (name, action, _, detail), = _audit_rows(core)
    assert (name, action, detail["rows"], detail["confidential"], detail["text"]) == \
        ("郭静", "export", 2, 1, "噪音")


def test_sign_in_and_disabled_staff(core, staff):
    with pytest.raises(AuthError):
        core.auth.sign_in("agent1", "wrong-password")
    with pytest.raises(AuthError):
        core.auth.sign_in("nobody", "demo-agent1")
    info = core.staff.create(staff.admin, "wangfang", "王芳", "long-enough-1", ["agent", "callback"])
    actor = core.auth.sign_in("wangfang", "long-enough-1")
    assert actor.display_name == "王芳" and actor.desk_id == "desk-A"
    core.staff.set_password(actor, info.id, "another-pass-2")
    with pytest.raises(AuthError):
        core.auth.sign_in("wangfang", "long-enough-1")
    core.staff.disable(staff.admin, info.id)
    with pytest.raises(AuthError, match="停用"):
        core.auth.sign_in("wangfang", "another-pass-2")
    with pytest.raises(PermissionDenied):
        core.staff.set_password(actor, staff.admin.staff_id, "hijack-attempt")
    with pytest.raises(ValidationError) as e:
        core.staff.create(staff.admin, "wangfang", "王芳", "short", ["nope", ])
    assert set(e.value.field_errors) >= {"password", "roles"}
    with pytest.raises(ValidationError):
        core.staff.create(staff.admin, "unitless", "某某", "long-enough-1", ["unit_liaison"])
    with core.uow.session() as s:
        stored = s.scalar(sa.select(m.Staff.password_hash).where(m.Staff.username == "wangfang"))
    assert stored.startswith("$argon2id$") and "another-pass-2" not in stored
