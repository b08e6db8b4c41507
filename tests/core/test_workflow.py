"""The ticket workflow through the services, on SQLite and PostgreSQL: the whole life of a
ticket, every ending of an intake, deadlines in working days, returns, extensions, re-handling."""
from __future__ import annotations

from datetime import date

import pytest
from core_support import intake, liaison_unit_id, register_and_dispatch

from hotline_desk.domain import (
    Action, CallOutcome, Category, DispatchMode, DispatchOrder, ReplyMethod, Satisfaction, Status,
    SupervisionKind, Urgency,
)
from hotline_desk.errors import CalendarUnknownYear, TransitionError, ValidationError


def test_full_lifecycle_register_to_closed(core, staff):
    t = core.tickets
    v = t.register(staff.agent3, intake(core))
    assert v.number == "SR20260302-00001"
    assert (v.status, v.version, v.caller_phone) == (Status.REGISTERED, 1, "13907031234")

    unit_id = liaison_unit_id(core, staff)
    r = t.dispatch(staff.agent3, v.id, v.version, DispatchOrder(DispatchMode.DIRECT, unit_id))
    # 投诉: 10 working days, the dispatch day not counted (Mon 2 Mar → Mon 16 Mar 2026).
    assert (r.due_date, r.working_days) == (date(2026, 3, 16), 10)
    v = r.ticket
    assert v.status is Status.DISPATCHED and v.version == 2
    assert (v.ack_due, v.return_until) == (date(2026, 3, 3), date(2026, 3, 4))
    unit = core.units.get(unit_id)
    assert [(u.unit_name, u.contact_person, u.contact_phone) for u in v.units] == \
        [(unit.name, unit.contact_person, unit.phone)]
    assert v.number in r.notice_text and unit.contact_person in r.notice_text \
        and "2026年3月16日" in r.notice_text

    v = t.acknowledge(staff.liaison, v.id, v.version)
    assert v.status is Status.IN_PROGRESS
    v = t.supervise(staff.supervisor, v.id, v.version, SupervisionKind.PHONE, "催办，单位称本周内处理",
                    outcome=CallOutcome.ANSWERED, duration_s=75)
    v = t.reply(staff.liaison, v.id, v.version, ReplyMethod.ONLINE, "约谈餐馆经营者", "已安装隔音设施")
    assert v.status is Status.REPLIED and v.reply_result == "已安装隔音设施"
    v = t.review_reply(staff.supervisor, v.id, v.version, approve=True)
    assert v.status is Status.CALLBACK_PENDING and v.callback_due == date(2026, 3, 3)
    v = t.record_callback(staff.callback, v.id, v.version, Satisfaction.SATISFIED, "群众表示满意")
    assert v.status is Status.CLOSED and v.satisfaction is Satisfaction.SATISFIED
    assert v.closed_at is not None and v.version == 7

    actions = [e.action for e in t.timeline(staff.supervisor, v.id)]
    assert actions == [Action.REGISTER, Action.DISPATCH, Action.NOTICE, Action.ACKNOWLEDGE,
                       Action.SUPERVISE, Action.REPLY, Action.REVIEW, Action.CALLBACK, Action.NOTICE]
    kinds = [n.kind for n in core.outbox.for_ticket(staff.supervisor, v.id)]
    assert kinds == ["dispatch_notice", "closing_notice"]
    assert len(core.outbox.pending(staff.supervisor)) == 2
    assert core.outbox.send_pending() == 2
    assert core.outbox.pending(staff.supervisor) == []
    changes = core.changes.since(0)
    assert [c.version for c in changes] == [1, 2, 3, 4, 5, 6, 7]
    assert core.changes.since(changes[-1].id) == []


def test_not_in_scope_tells_the_correct_channel(core, staff):
    v = core.tickets.register(staff.agent1, intake(core))
    reason = next(r for r in core.reference.not_in_scope_reasons() if "110" in r.channel_sentence)
    v = core.tickets.reject_not_in_scope(staff.agent1, v.id, v.version, reason.code)
    assert v.status is Status.NOT_ACCEPTED and v.not_in_scope_code == reason.code
    last = core.tickets.timeline(staff.agent1, v.id)[-1]
    assert reason.channel_sentence in last.text


def test_resolved_on_the_call(core, staff):
    quiet = core.tickets.register(staff.agent1, intake(core, callback_wanted=False,
                                                       category=Category.CONSULTATION))
    quiet = core.tickets.resolve_on_call(staff.agent1, quiet.id, quiet.version, "已告知办理流程")
    assert quiet.status is Status.CLOSED
    wants = core.tickets.register(staff.agent1, intake(core, category=Category.CONSULTATION))
    wants = core.tickets.resolve_on_call(staff.agent1, wants.id, wants.version, "已告知办理流程")
    assert wants.status is Status.RESOLVED and wants.callback_due == date(2026, 3, 3)
    wants = core.tickets.record_callback(staff.callback, wants.id, wants.version,
                                         Satisfaction.BASICALLY_SATISFIED)
    assert wants.status is Status.CLOSED


def test_deadline_per_category_and_urgent_same_day(core, staff):
    unit = liaison_unit_id(core, staff)
    expected = {Category.CONSULTATION: date(2026, 3, 5), Category.HELP: date(2026, 3, 16),
                Category.SUGGESTION: date(2026, 3, 23)}
    for category, due in expected.items():
        v = core.tickets.register(staff.agent3, intake(core, category=category))
        r = core.tickets.dispatch(staff.agent3, v.id, v.version, DispatchOrder(DispatchMode.DIRECT, unit))
        assert r.due_date == due, category
    v = core.tickets.register(staff.agent3, intake(core, urgency=Urgency.URGENT))
    r = core.tickets.dispatch(staff.agent3, v.id, v.version, DispatchOrder(DispatchMode.DIRECT, unit))
    assert (r.due_date, r.working_days) == (date(2026, 3, 2), 0)


def test_deadline_over_national_day_2026_counts_make_up_saturday(core, staff, clock):
    clock.set(2026, 9, 30, 10, 0)
    v = register_and_dispatch(core, staff)
    # 1–7 Oct are holidays; Sat 10 Oct is a make-up working day: 10 working days → 20 Oct.
    assert v.due_date == date(2026, 10, 20)


def test_policy_is_editable(core, staff):
    core.policy.set(staff.admin, complaint_days=5)
    v = register_and_dispatch(core, staff)
    assert v.due_date == date(2026, 3, 9) and v.working_days == 5
    with pytest.raises(ValidationError):
        core.policy.set(staff.admin, max_days=3)
    with pytest.raises(ValidationError):
        core.policy.set(staff.admin, unknown_thing=3)


def test_joint_and_assigned_dispatch(core, staff):
    units = core.units.list()
    lead = liaison_unit_id(core, staff)
    co = [u.id for u in units if u.id != lead][:2]
    v = core.tickets.register(staff.agent3, intake(core))
    r = core.tickets.dispatch(staff.dispatcher, v.id, v.version,
                              DispatchOrder(DispatchMode.JOINT, lead, tuple(co), instructions="联合处理"))
    assert [u.role.value for u in r.ticket.units] == ["lead", "co", "co"]
    assert r.ticket.dispatch_mode is DispatchMode.JOINT

    v = core.tickets.register(staff.agent3, intake(core))
    r = core.tickets.dispatch(staff.dispatcher, v.id, v.version,
                              DispatchOrder(DispatchMode.ASSIGNED, lead, deadline=date(2026, 3, 6)))
    assert (r.due_date, r.working_days) == (date(2026, 3, 6), 4)
    v = core.tickets.register(staff.agent3, intake(core))
    with pytest.raises(ValidationError) as e:
        core.tickets.dispatch(staff.dispatcher, v.id, v.version,
                              DispatchOrder(DispatchMode.ASSIGNED, lead, deadline=date(2026, 6, 1)))
    assert "30个工作日" in e.value.field_errors["deadline"]


def test_co_unit_acknowledges_without_starting_handling(core, staff):
    lead = liaison_unit_id(core, staff)
    other = next(u.id for u in core.units.list() if u.id != lead)
    v = core.tickets.register(staff.agent3, intake(core))
    v = core.tickets.dispatch(staff.agent3, v.id, v.version,
                              DispatchOrder(DispatchMode.JOINT, other, (lead,))).ticket
    v = core.tickets.acknowledge(staff.liaison, v.id, v.version)   # the liaison's unit is a co-unit
    assert v.status is Status.DISPATCHED
    with pytest.raises(TransitionError):
        core.tickets.reply(staff.liaison, v.id, v.version, ReplyMethod.ONLINE, "x", "y")
    with pytest.raises(TransitionError):
        core.tickets.return_ticket(staff.liaison, v.id, v.version, "不是我们的")


def test_return_within_window_then_redispatch(core, staff, clock):
    v = register_and_dispatch(core, staff)
    v = core.tickets.return_ticket(staff.liaison, v.id, v.version, "属于区级管辖")
    assert v.status is Status.RETURNED and v.units == () and v.return_count == 1
    other = next(u for u in core.units.list() if u.id != staff.liaison.unit_id)
    r = core.tickets.dispatch(staff.dispatcher, v.id, v.version, DispatchOrder(DispatchMode.DIRECT, other.id))
    assert r.ticket.status is Status.DISPATCHED and r.ticket.units[0].unit_id == other.id


def test_return_after_window_is_refused(core, staff, clock):
    v = register_and_dispatch(core, staff)
    clock.set(2026, 3, 5, 9, 0)  # return window ended 4 March
    with pytest.raises(TransitionError, match="退单时限"):
        core.tickets.return_ticket(staff.liaison, v.id, v.version, "属于区级管辖")


def test_extension_request_approved_and_capped(core, staff):
    v = register_and_dispatch(core, staff)
    assert v.max_due_date == date(2026, 4, 14)  # 30 working days from 2 March
    with pytest.raises(ValidationError) as e:
        core.tickets.request_extension(staff.liaison, v.id, v.version, date(2026, 4, 15), "复杂")
    assert "30个工作日" in e.value.field_errors["requested_due"]
    v = core.tickets.request_extension(staff.liaison, v.id, v.version, date(2026, 4, 14), "需协调多部门")
    assert v.extension_pending and v.due_date == date(2026, 3, 16)
    with pytest.raises(TransitionError):
        core.tickets.request_extension(staff.liaison, v.id, v.version, date(2026, 4, 1), "再次")
    v = core.tickets.decide_extension(staff.supervisor, v.id, v.version, approve=True)
    assert (v.due_date, v.working_days, v.extension_count, v.extension_pending) == \
        (date(2026, 4, 14), 30, 1, False)


def test_extension_refused_keeps_deadline(core, staff):
    v = register_and_dispatch(core, staff)
    v = core.tickets.request_extension(staff.liaison, v.id, v.version, date(2026, 3, 20), "需要调查")
    v = core.tickets.decide_extension(staff.supervisor, v.id, v.version, approve=False, comment="可按期办结")
    assert v.due_date == date(2026, 3, 16) and not v.extension_pending
    with pytest.raises(TransitionError):
        core.tickets.decide_extension(staff.supervisor, v.id, v.version, approve=True)


def test_review_returns_reply_and_unsatisfied_callback_rehandles(core, staff, clock):
    v = register_and_dispatch(core, staff)
    v = core.tickets.acknowledge(staff.liaison, v.id, v.version)
    v = core.tickets.reply(staff.liaison, v.id, v.version, ReplyMethod.WRITTEN, "处理", "已处理")
    with pytest.raises(ValidationError):
        core.tickets.review_reply(staff.supervisor, v.id, v.version, approve=False)  # reason required
    v = core.tickets.review_reply(staff.supervisor, v.id, v.version, approve=False, comment="答复过于简单")
    assert v.status is Status.IN_PROGRESS and v.due_date == date(2026, 3, 16)
    v = core.tickets.reply(staff.liaison, v.id, v.version, ReplyMethod.WRITTEN, "详细处理过程", "已整改")
    v = core.tickets.review_reply(staff.supervisor, v.id, v.version, approve=True)
    clock.set(2026, 3, 10, 9, 0)
    v = core.tickets.record_callback(staff.callback, v.id, v.version, Satisfaction.UNSATISFIED, "噪音仍在")
    assert v.status is Status.IN_PROGRESS and v.rehandle_count == 1
    assert v.due_date == date(2026, 3, 24)  # a new 10-working-day deadline from 10 March
    assert v.units and v.units[0].unit_id == staff.liaison.unit_id


def test_unreachable_callbacks_close_after_the_policy_attempts(core, staff):
    v = register_and_dispatch(core, staff)
    v = core.tickets.reply(staff.dispatcher, v.id, v.version, ReplyMethod.PHONE, "电话反馈", "已解决")
    v = core.tickets.review_reply(staff.supervisor, v.id, v.version, approve=True)
    for attempt in (1, 2):
        v = core.tickets.record_callback(staff.callback, v.id, v.version, Satisfaction.UNREACHABLE)
        assert v.status is Status.CALLBACK_PENDING, attempt
    v = core.tickets.record_callback(staff.callback, v.id, v.version, Satisfaction.UNREACHABLE)
    assert v.status is Status.CLOSED and v.satisfaction is Satisfaction.UNREACHABLE


FORBIDDEN = [
    # (how far the ticket has got, the action that is not allowed there)
    ("registered", "acknowledge"), ("registered", "reply"), ("registered", "review"),
    ("registered", "callback"), ("registered", "supervise"), ("registered", "return"),
    ("dispatched", "dispatch"), ("dispatched", "resolve"), ("dispatched", "reject"),
    ("dispatched", "review"), ("dispatched", "callback"),
    ("replied", "reply"), ("replied", "acknowledge"), ("replied", "dispatch"),
    ("replied", "callback"), ("replied", "extension"),
    ("closed", "dispatch"), ("closed", "reply"), ("closed", "review"), ("closed", "callback"),
    ("closed", "supervise"), ("closed", "resolve"),
]


def _advance(core, staff, stage):
    v = core.tickets.register(staff.agent3, intake(core, callback_wanted=False))
    if stage == "registered":
        return v
    v = core.tickets.dispatch(staff.agent3, v.id, v.version,
                              DispatchOrder(DispatchMode.DIRECT, staff.liaison.unit_id)).ticket
    if stage == "dispatched":
        return v
    v = core.tickets.reply(staff.liaison, v.id, v.version, ReplyMethod.ONLINE, "过程", "结果")
    if stage == "replied":
        return v
    return core.tickets.review_reply(staff.supervisor, v.id, v.version, approve=True)


@pytest.mark.parametrize("stage,action", FORBIDDEN)
def test_forbidden_transitions_are_refused_and_write_nothing(core, staff, stage, action):
    v = _advance(core, staff, stage)
    t = core.tickets
    calls = {
        "acknowledge": lambda: t.acknowledge(staff.liaison, v.id, v.version),
        "reply": lambda: t.reply(staff.dispatcher, v.id, v.version, ReplyMethod.ONLINE, "p", "r"),
        "review": lambda: t.review_reply(staff.supervisor, v.id, v.version, approve=True),
        "callback": lambda: t.record_callback(staff.callback, v.id, v.version, Satisfaction.SATISFIED),
        "supervise": lambda: t.supervise(staff.supervisor, v.id, v.version, SupervisionKind.WRITTEN, "督办"),
        "return": lambda: t.return_ticket(staff.dispatcher, v.id, v.version, "不属于本单位"),
        "dispatch": lambda: t.dispatch(staff.dispatcher, v.id, v.version,
                                       DispatchOrder(DispatchMode.DIRECT, staff.liaison.unit_id)),
        "resolve": lambda: t.resolve_on_call(staff.agent1, v.id, v.version, "答复"),
        "reject": lambda: t.reject_not_in_scope(staff.agent1, v.id, v.version, "police_emergency"),
        "extension": lambda: t.request_extension(staff.dispatcher, v.id, v.version, date(2026, 3, 20), "x"),
    }
    before = core.tickets.get(staff.supervisor, v.id)
    timeline = len(core.tickets.timeline(staff.supervisor, v.id))
    from hotline_desk.errors import PermissionDenied
    with pytest.raises((TransitionError, PermissionDenied)) as e:
        calls[action]()
    assert str(e.value)  # a Chinese message for the desk
    after = core.tickets.get(staff.supervisor, v.id)
    assert (after.version, after.status) == (before.version, before.status)
    assert len(core.tickets.timeline(staff.supervisor, v.id)) == timeline


def test_unknown_year_deadline_is_an_error_and_writes_nothing(core, staff, clock):
    clock.set(2026, 12, 24, 10, 0)  # 10 working days reach into 2027, which nobody knows yet
    v = core.tickets.register(staff.agent3, intake(core))
    with pytest.raises(CalendarUnknownYear) as e:
        core.tickets.dispatch(staff.agent3, v.id, v.version,
                              DispatchOrder(DispatchMode.DIRECT, staff.liaison.unit_id))
    assert "2027" in str(e.value)
    again = core.tickets.get(staff.agent3, v.id)
    assert again.status is Status.REGISTERED and again.version == v.version
    assert core.outbox.for_ticket(staff.agent3, v.id) == []
    # The admin enters 2027's schedule (here: New Year's Day) and marks the year complete.
    core.calendar.add_holiday(staff.admin, date(2027, 1, 1), note="元旦")
    core.calendar.mark_year_complete(staff.admin, 2027)
    r = core.tickets.dispatch(staff.agent3, v.id, v.version,
                              DispatchOrder(DispatchMode.DIRECT, staff.liaison.unit_id))
    # 25,28,29,30,31 Dec (holiday 1 Jan 2027 skipped), 4–8 Jan → 10 working days.
    assert r.due_date == date(2027, 1, 8)


def test_supervision_targets_only_a_unit_that_has_the_ticket_now(core, staff):
    """After a return and a new dispatch, the unit that returned it is no longer supervised."""
    first = register_and_dispatch(core, staff)
    ours = liaison_unit_id(core, staff)
    back = core.tickets.return_ticket(staff.liaison, first.id, first.version, "非本单位职责")
    other = next(u.id for u in core.units.list() if u.id != ours and u.contact_person and u.phone)
    v = core.tickets.dispatch(staff.agent3, back.id, back.version,
                              DispatchOrder(DispatchMode.DIRECT, other)).ticket
    with pytest.raises(ValidationError) as e:
        core.tickets.supervise(staff.supervisor, v.id, v.version, SupervisionKind.WRITTEN,
                               "催办", unit_id=ours)
    assert "unit_id" in e.value.field_errors
    assert core.tickets.get(staff.supervisor, v.id).version == v.version  # nothing written
    done = core.tickets.supervise(staff.supervisor, v.id, v.version, SupervisionKind.WRITTEN, "催办")
    assert done.version == v.version + 1
