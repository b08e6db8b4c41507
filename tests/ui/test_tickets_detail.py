"""Ticket detail: fields, units with their contact snapshot, the timeline, only the actions the
role may take now, and a clear conflict (never a silent overwrite) between two desks."""
from __future__ import annotations

import pytest

from hotline_desk.domain import Action, DispatchMode, DispatchOrder, Status
from ui.ticket_detail import TicketDetail, permitted_actions

from ticket_support import desk, idle, intake_form, open_core, subject_id

pytestmark = pytest.mark.gui


@pytest.fixture
def core(db_url):
    c = open_core(db_url)
    yield c
    c.close()


def dispatched_ticket(core):
    agent = core.auth.sign_in("agent3", "demo-agent3", "desk-1")
    sid = subject_id(core)
    t = core.tickets.register(agent, intake_form(sid))
    unit = core.units.suggest(sid, "361102")[0]
    return core.tickets.dispatch(agent, t.id, t.version, DispatchOrder(DispatchMode.DIRECT, unit.id)).ticket


def detail_for(qtbot, ctx, ticket_id):
    panel = TicketDetail(ctx)
    qtbot.addWidget(panel)
    panel.resize(600, 700)
    panel.show()
    panel.show_ticket(ticket_id)
    qtbot.waitUntil(lambda: panel.ticket is not None, timeout=5000)
    idle(qtbot, ctx)
    return panel


def test_actions_follow_role_and_status(core):
    agent3 = core.auth.sign_in("agent3", "demo-agent3", "d")      # agent + dispatcher
    agent2 = core.auth.sign_in("agent2", "demo-agent2", "d")      # agent only
    supervisor = core.auth.sign_in("supervisor", "demo-supervisor", "d")
    analyst = core.auth.sign_in("analyst", "demo-analyst", "d")
    sid = subject_id(core)
    registered = core.tickets.register(agent3, intake_form(sid))
    assert permitted_actions(agent2, registered) == [Action.DISPATCH, Action.RESOLVE, Action.REJECT]
    assert permitted_actions(analyst, registered) == []
    dispatched = dispatched_ticket(core)
    assert permitted_actions(agent2, dispatched) == []
    assert set(permitted_actions(agent3, dispatched)) == {
        Action.ACKNOWLEDGE, Action.REPLY, Action.REQUEST_EXTENSION, Action.RETURN}
    assert Action.SUPERVISE in permitted_actions(supervisor, dispatched)
    assert Action.REVIEW not in permitted_actions(supervisor, dispatched)  # nothing replied yet


def test_detail_shows_fields_units_timeline_and_runs_an_action(qtbot, core):
    t = dispatched_ticket(core)
    ctx = desk(core, "agent3", "desk-1")
    try:
        panel = detail_for(qtbot, ctx, t.id)
        assert panel.number_label.text().startswith(t.number)
        html = panel.fields.text()
        unit = t.units[0]
        assert unit.unit_name in html and unit.contact_person in html and unit.contact_phone in html
        assert "小区夜间施工噪音扰民" in html and "13907031234" in html
        assert "已转办" in panel.status_label.text() and "工作日" in panel.status_label.text()
        assert [e.action_zh for e in panel.timeline_entries] == ["登记", "转办", "告知群众"]
        assert unit.unit_name in panel.timeline.text() and "陈志刚" in panel.timeline.text()
        assert set(panel.action_buttons) == {Action.ACKNOWLEDGE, Action.REPLY,
                                             Action.REQUEST_EXTENSION, Action.RETURN}
        panel.action_buttons[Action.RETURN].click()
        form = panel.action_form
        form.submit()
        assert "退单理由" in form.errors["reason"].message  # required, refused before the core
        form.widgets["reason"].setPlainText("该事项属于区级住建部门管辖")
        form.submit()
        qtbot.waitUntil(lambda: panel.ticket.status is Status.RETURNED, timeout=5000)
        assert core.tickets.get(ctx.actor, t.id).status is Status.RETURNED
        assert panel.action_form is None
        assert Action.DISPATCH in panel.action_buttons  # a returned ticket is dispatched again
    finally:
        ctx.ops.shutdown()


def test_two_desks_the_second_sees_the_first_ones_change(qtbot, core):
    t = dispatched_ticket(core)
    first = desk(core, "agent3", "desk-1")
    second = desk(core, "dispatcher", "desk-2")
    try:
        a = detail_for(qtbot, first, t.id)
        b = detail_for(qtbot, second, t.id)
        a.start_action(Action.ACKNOWLEDGE)
        a.action_form.submit()
        qtbot.waitUntil(lambda: a.ticket.status is Status.IN_PROGRESS, timeout=5000)
        # desk 2 still shows the old version and writes its reply on it
        assert b.ticket.version == t.version
        b.start_action(Action.REPLY)
        b.action_form.widgets["process"].setPlainText("已联系物业公司现场核实")
        b.action_form.widgets["result"].setPlainText("已清理完毕")
        with qtbot.waitSignal(b.conflict_shown, timeout=5000):
            b.action_form.submit()
        text = b.conflict_label.text()
        assert b.conflict_label.isVisibleTo(b)
        assert "陈志刚" in text and "签收" in text  # who did what at the other desk
        qtbot.waitUntil(lambda: b.ticket.version > t.version, timeout=5000)  # reloaded
        assert b.ticket.status is Status.IN_PROGRESS
        assert b.action_form is not None  # what desk 2 typed is still there
        assert b.action_form.widgets["process"].toPlainText() == "已联系物业公司现场核实"
        stored = core.tickets.get(second.actor, t.id)
        assert stored.status is Status.IN_PROGRESS and stored.reply_result == ""  # nothing overwritten
        b.action_form.submit()  # on the new version it goes through
        qtbot.waitUntil(lambda: b.ticket.status is Status.REPLIED, timeout=5000)
    finally:
        first.ops.shutdown()
        second.ops.shutdown()


def test_confidential_ticket_shows_only_that_it_exists(qtbot, core):
    agent = core.auth.sign_in("agent3", "demo-agent3", "d")
    t = core.tickets.register(agent, intake_form(subject_id(core), confidential=True))
    ctx = desk(core, "agent2", "desk-2")  # not the registering agent, not cleared
    try:
        panel = detail_for(qtbot, ctx, t.id)
        assert panel.ticket.restricted
        assert "保密" in panel.fields.text() and "夜间施工" not in panel.fields.text()
        assert panel.timeline_entries == () and not panel.action_buttons
    finally:
        ctx.ops.shutdown()


def test_dispatch_from_the_detail_and_a_change_while_typing_is_announced(qtbot, core):
    agent = core.auth.sign_in("agent3", "demo-agent3", "desk-1")
    t = core.tickets.register(agent, intake_form(subject_id(core)))
    ctx = desk(core, "dispatcher", "desk-2")
    try:
        panel = detail_for(qtbot, ctx, t.id)
        assert set(panel.action_buttons) == {Action.DISPATCH, Action.RESOLVE, Action.REJECT}
        panel.action_buttons[Action.DISPATCH].click()
        dispatch = panel.dispatch_panel
        qtbot.addWidget(dispatch)
        qtbot.waitUntil(lambda: dispatch.candidates.count() > 0, timeout=5000)
        dispatch.candidates.setCurrentRow(0)
        dispatch.set_lead_from_current()
        with qtbot.waitSignal(dispatch.dispatched, timeout=5000):
            dispatch.confirm()
        qtbot.waitUntil(lambda: panel.ticket.status is Status.DISPATCHED, timeout=5000)
        # desk 2 starts a reply; desk 1 signs for the ticket meanwhile; desk 2's view refreshes
        panel.start_action(Action.REPLY)
        panel.action_form.widgets["process"].setPlainText("正在核实")
        current = core.tickets.get(agent, t.id)
        core.tickets.acknowledge(agent, t.id, current.version)
        panel.reload()  # what the change bus triggers within ~2 s
        qtbot.waitUntil(lambda: panel.ticket.status is Status.IN_PROGRESS, timeout=5000)
        assert panel.conflict_label.isVisibleTo(panel) and "办理中" in panel.conflict_label.text()
        assert panel.action_form.widgets["process"].toPlainText() == "正在核实"
    finally:
        ctx.ops.shutdown()


def test_the_rest_of_the_life_through_the_detail_review_and_callback(qtbot, core):
    from hotline_desk.domain import ReplyMethod

    t = dispatched_ticket(core)
    dispatcher = core.auth.sign_in("dispatcher", "demo-dispatcher", "d")
    t = core.tickets.acknowledge(dispatcher, t.id, t.version)
    core.tickets.reply(dispatcher, t.id, t.version, ReplyMethod.PHONE, "现场核实", "已停止夜间施工")
    supervisor = desk(core, "supervisor", "desk-s")
    callback = desk(core, "callback", "desk-c")
    try:
        panel = detail_for(qtbot, supervisor, t.id)
        assert Action.REVIEW in panel.action_buttons and Action.CALLBACK not in panel.action_buttons
        panel.start_action(Action.REVIEW)
        form = panel.action_form
        form.widgets["approve"].setCurrentIndex(1)  # 不同意（退回）without a reason
        form.submit()
        idle(qtbot, supervisor)
        assert form.errors["comment"].message or form.general_error.message  # the core's message
        assert core.tickets.get(supervisor.actor, t.id).status is Status.REPLIED
        form.widgets["approve"].setCurrentIndex(0)  # 同意
        form.submit()
        qtbot.waitUntil(lambda: panel.ticket.status is Status.CALLBACK_PENDING, timeout=5000)

        cb = detail_for(qtbot, callback, t.id)
        assert list(cb.action_buttons) == [Action.CALLBACK]
        cb.start_action(Action.CALLBACK)
        cb.action_form.widgets["note"].setPlainText("群众表示施工已停止")
        cb.action_form.submit()  # 满意 is the first choice
        qtbot.waitUntil(lambda: cb.ticket.status is Status.CLOSED, timeout=5000)
        assert not cb.action_buttons  # nothing left to do on a closed ticket
        assert "回访" in [e.action_zh for e in cb.timeline_entries]
    finally:
        supervisor.ops.shutdown()
        callback.ops.shutdown()
