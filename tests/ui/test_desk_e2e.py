"""The whole desk, end to end: the composition root (ui.app.DeskApp) on the qasync loop, the core
on SQLite, the PBX simulator in-process over TCP on 127.0.0.1 — as ``python -m ui`` runs it.

A call rings → the pop shows the caller's history → F5 → the intake opens prefilled; ring-all
retraction and a caller hanging up hide the pop; the PBX link lost and back during a call
(agent bar shows it, pop not duplicated); the agent bar shows the PBX's state, not the button's.
"""
from __future__ import annotations

import asyncio
import shutil

import pytest
import pytest_asyncio
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from telephony.events import AgentState, LinkState
from desk_support import prepared_desk, register, until
from ui.app import DeskApp
from ui.config import DeskConfig, data_dir

pytestmark = [pytest.mark.gui, pytest.mark.slow, pytest.mark.asyncio(loop_scope="session")]

CALLER = "13907031234"


@pytest_asyncio.fixture(loop_scope="session")
async def desk(qapp, seeded_sqlite, desk_dirs):
    d = await prepared_desk(seeded_sqlite, "desk-a")
    yield d
    await d.shutdown()


async def signed_in(d: DeskApp, username: str = "agent1", password: str = "demo-agent1"):
    d.signin.username.setText(username)
    d.signin.password.setText(password)
    d.signin.sign_in_button.click()
    await until(lambda: d.session is not None and d.session.phone is not None, what="session")
    s = d.session
    await until(lambda: s.bridge.agent is not None and s.bridge.agent.state is AgentState.READY,
                timeout=15, what="queue login")
    return s


async def test_sign_in_window_lists_demo_accounts_and_refuses_a_wrong_password(desk):
    from PySide6.QtWidgets import QLabel

    assert desk.signin.demo
    texts = " ".join(lbl.text() for lbl in desk.signin.findChildren(QLabel))
    assert "demo-agent1" in texts and "李晓燕" in texts and "演示模式" in texts
    assert desk.signin.sign_in_button.isEnabled()
    desk.signin.username.setText("agent1")
    desk.signin.password.setText("wrong")
    desk.signin.sign_in_button.click()
    await until(lambda: desk.signin.error.isVisible(), what="error shown")
    assert "用户名或密码错误" in desk.signin.error.text()
    assert desk.session is None


async def test_call_pops_with_history_then_f5_opens_the_intake_prefilled(desk):
    earlier = await asyncio.to_thread(register, desk.core, "agent2", "demo-agent2", CALLER)
    s = await signed_in(desk)
    win = s.window
    assert not win.pop.showing and win.pop.isVisible()  # waiting for a call, in its place
    win.intake.caller_name.setFocus()
    focus_before = QApplication.focusWidget()
    work_area = win.stack.geometry()

    call = desk.simulator.place_call(CALLER, "张伟", "12345")
    await until(lambda: win.pop.showing, what="pop")
    assert QApplication.focusWidget() is focus_before  # the pop never steals focus
    assert win.stack.geometry() == work_area  # nothing moves under the agent's typing
    await until(lambda: win.pop.history_rows.rowCount() == 1, what="history")
    assert win.pop.history_rows.texts(0)[0] == earlier.number
    assert "未办结工单 1 件" in win.pop.open_label.text() and earlier.number in win.pop.open_label.text()
    assert win.pop.number.text() == CALLER  # an agent may see the number
    assert "张伟" in win.agent_bar.caller_label.text()
    assert "振铃" in win.agent_bar.state_label.text()

    desk.simulator.answer("1001")
    await until(lambda: "通话中" in win.pop.title.text(), what="answered")
    QTest.keyClick(win, Qt.Key.Key_F5)
    intake = win.intake
    assert win.stack.currentWidget() is intake
    assert intake.caller_phone.text() == CALLER
    # the name on the caller's last ticket, selected: Tab confirms it, typing replaces it
    assert intake.caller_name.text() == "张伟" and intake.caller_name.selectedText() == "张伟"
    assert intake.channel.currentData() == "phone"
    snap = intake.snapshot()
    assert snap["call_ref"] == call.linkedid
    assert "已转入受理" in win.pop.title.text()

    desk.simulator.hangup("1001", side="caller")
    await until(lambda: not win.pop.showing, what="pop closes after the call")
    assert intake.caller_phone.text() == CALLER  # the intake stays with what was typed


async def test_ring_all_answered_elsewhere_hides_the_pop(desk):
    s = await signed_in(desk)
    call = desk.simulator.place_call("13807935678", "李娜", "12345-ringall")
    await until(lambda: s.window.pop.showing, what="pop")
    await call.wait_ringing("1002")
    desk.simulator.answer("1002")
    await until(lambda: not s.window.pop.showing, what="pop retracted")
    assert s.window.pop.calls == {}
    await until(lambda: s.window.agent_bar.caller_label.text() == "", what="agent bar cleared")


async def test_caller_hangs_up_while_ringing_hides_the_pop(desk):
    s = await signed_in(desk)
    call = desk.simulator.place_call("13607931111", None, "12345")
    await until(lambda: s.window.pop.showing, what="pop")
    desk.simulator.abandon(call)
    await until(lambda: not s.window.pop.showing, what="pop gone")


async def test_link_lost_and_back_during_a_call_keeps_one_pop(desk):
    s = await signed_in(desk)
    win = s.window
    offered = []
    s.bridge.call_offered.connect(lambda e: offered.append(e.call_id))
    call = desk.simulator.place_call(CALLER, "张伟", "12345")
    await until(lambda: win.pop.showing, what="pop")
    desk.simulator.answer("1001")
    await until(lambda: "通话中" in win.pop.title.text(), what="answered")

    assert desk.simulator.drop_connections() >= 1
    await until(lambda: s.bridge.link.state is not LinkState.UP, what="link down")
    await until(lambda: "已断开" in win.agent_bar.link_label.text()
                or "正在连接" in win.agent_bar.link_label.text(), timeout=3, what="bar shows it")
    assert "✖" in win.status.pbx.text() or "⟳" in win.status.pbx.text()
    await until(lambda: s.bridge.link.state is LinkState.UP, timeout=20, what="link back")
    await until(lambda: "已连接" in win.agent_bar.link_label.text(), timeout=3, what="bar back")
    assert len(win.pop.calls) == 1 and win.pop.showing
    assert win.pop.current.offered.call_id == call.linkedid
    assert offered.count(call.linkedid) <= 1 or len(win.pop.calls) == 1
    assert win.pop.history_requests == 1  # no second pop, no second history query

    desk.simulator.hangup("1001", side="agent")
    await until(lambda: "通话已结束" in win.pop.title.text(), what="ended but not taken")
    QTest.keyClick(win, Qt.Key.Key_F5)  # still possible to register the finished call
    assert win.intake.caller_phone.text() == CALLER
    await until(lambda: not win.pop.showing, what="pop gone after accept")


async def test_agent_bar_shows_the_pbx_state_not_the_button(desk):
    s = await signed_in(desk)
    bar = s.window.agent_bar
    assert "就绪" in bar.state_label.text()
    bar.reason_box.setCurrentText("就餐")
    QTest.keyClick(s.window, Qt.Key.Key_F3)
    assert "暂停" not in bar.state_label.text()  # nothing changes until the PBX says so
    await until(lambda: "暂停·就餐" in bar.state_label.text(), what="paused by PBX event")
    # the PBX changes the state on its own (e.g. the shift lead): the bar follows
    desk.simulator.pause_agent("1001", True, "培训")
    await until(lambda: "暂停·培训" in bar.state_label.text(), what="reason from PBX")
    QTest.keyClick(s.window, Qt.Key.Key_F2)
    await until(lambda: "就绪" in bar.state_label.text(), what="ready again")
    QTest.keyClick(s.window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    await until(lambda: "未登录" in bar.state_label.text(), what="logged out of the queue")
    assert "签入队列" in bar.queue_button.text()


async def test_status_bar_reports_database_and_sync(desk):
    s = await signed_in(desk)
    st = s.window.status
    await until(lambda: st.db_ok and st.sync_ok, what="health")
    assert "数据库（内置）：正常" in st.database.text() and "同步：正常" in st.sync.text()
    assert "电话（模拟）：正常" in st.pbx.text()


async def test_another_desk_change_is_announced_within_two_seconds(desk):
    s = await signed_in(desk)
    seen = []
    s.ctx.changes.changed.connect(lambda kinds, ids: seen.append((kinds, ids)))
    await until(lambda: s.follower.last_id is not None, what="follower started")
    other = await asyncio.to_thread(register, desk.core, "agent2", "demo-agent2", "13507930000")
    loop = asyncio.get_running_loop()
    t0 = loop.time()
    await until(lambda: any(other.id in ids for _k, ids in seen), timeout=3, what="remote change")
    assert loop.time() - t0 < 2.0
    assert any("remote" in k for k, _ids in seen)


async def test_sign_out_returns_to_the_sign_in_window_and_leaves_the_queue(desk):
    import gc

    import weakref

    s = await signed_in(desk)
    # the session's long-lived objects are frozen (no full collection walks them on the GUI thread)
    await until(lambda: gc.get_freeze_count() > 0, what="long-lived objects frozen")
    frozen = gc.get_freeze_count()
    phone = s.phone
    old_window = weakref.ref(s.window)
    s.window.close()  # closing the window signs out through the root
    await until(lambda: desk.session is None and desk.signin.isVisible(), what="signed out")
    assert phone.link_state.state is LinkState.STOPPED
    assert not any(m.endswith("1001@agents/n") for q in desk.simulator.pbx.queues.values()
                   for m in q.members)
    # nothing thawed (only what the sign-out freed by reference count left the frozen objects):
    # the next sign-in gives the old session back and collects it at once (ui/gc_guard.py), not
    # a full collection of it at some later moment
    assert gc.get_freeze_count() > frozen * 0.9
    del s, phone
    await signed_in(desk, "agent2", "demo-agent2")
    assert old_window() is None  # the old session is freed (a parentless button's lambda kept it)


async def test_shift_lead_wallboard_shows_queues_and_pauses_an_agent(desk):
    s = await signed_in(desk, "shiftlead", "demo-shiftlead")
    win = s.window
    assert "wallboard" in win.pages and "workbench" in win.pages
    board = win.show_page("wallboard")
    await until(lambda: board.board is not None and "12345" in board.tiles, timeout=20, what="board")
    await until(lambda: any(board.agents.item(r, 0).text() == "坐席1002"
                            for r in range(board.agents.rowCount())), timeout=10, what="agents")
    row = next(r for r in range(board.agents.rowCount()) if board.agents.item(r, 0).text() == "坐席1002")
    assert "就绪" in board.agents.item(row, 1).text()
    board.agents.selectRow(row)
    board.reason.setCurrentText("培训")
    board.pause_selected()
    await until(lambda: any(board.agents.item(r, 0).text() == "坐席1002" and "暂停" in board.agents.item(r, 1).text()
                            and board.agents.item(r, 2).text() == "培训"
                            for r in range(board.agents.rowCount())), timeout=20, what="paused on the board")


async def test_an_agent_sees_no_wallboard(desk):
    s = await signed_in(desk)
    assert set(s.window.pages) == {"workbench", "tickets"}
    assert s.window.nav.count() == 2


async def test_page_and_new_intake_shortcuts(desk):
    s = await signed_in(desk)
    win = s.window
    QTest.keyClick(win, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert win.stack.currentWidget() is win.pages["tickets"]
    win.intake.caller_name.setText("半截的登记")
    QTest.keyClick(win, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert win.stack.currentWidget() is win.intake
    assert win.intake.caller_name.text() == ""
    assert any(f.get("caller_name") == "半截的登记" for f in win.intake.store.parked)  # parked, not lost


async def test_run_paints_sign_in_then_prepares_and_ends_when_it_is_closed(qapp, seeded_sqlite, desk_dirs, caplog):
    import logging
    import time

    data_dir().mkdir(parents=True, exist_ok=True)
    shutil.copy(seeded_sqlite, data_dir() / "desk.sqlite3")
    d = DeskApp(QApplication.instance(), DeskConfig(demo_calls_per_minute=0))
    with caplog.at_level(logging.INFO, logger="ui.app"):
        task = asyncio.ensure_future(d.run(time.time()))
        await until(lambda: d.core is not None and d.signin.sign_in_button.isEnabled(), what="ready")
    assert d.signin.isVisible() and d.simulator is not None
    assert "演示模式" in d.signin.status.text()
    assert "sign-in window shown" in caplog.text
    d.signin.close()  # closing the sign-in window ends the program after clean-up
    await asyncio.wait_for(task, 15)
    assert d.simulator is None and d.core is None


async def test_the_window_and_the_pop_come_back_as_the_agent_left_them(desk):
    """The first time: 1366×768 (the whole screen on a larger one) and the pop 24 % of the width
    (300 px at least); after that where and as large as the agent left them, on this machine."""
    s = await signed_in(desk)
    win = s.window
    assert (win.width(), win.height()) == (1366, 768)
    first = win.splitter.sizes()[1]
    assert first == max(win.pop.minimumWidth(), round(sum(win.splitter.sizes()) * 0.24))
    win.resize(1500, 850)
    await until(lambda: win.width() == 1500, what="resized")
    total = sum(win.splitter.sizes())
    win.splitter.setSizes([total - 360, 360])
    win.close()  # signs out
    await until(lambda: desk.session is None and desk.signin.isVisible(), what="signed out")
    s = await signed_in(desk)
    # restoreGeometry keeps a window on its screen (offscreen: 800×800), so not 1500×850 here
    assert (s.window.width(), s.window.height()) != (1366, 768)
    assert s.window.splitter.sizes()[1] == 360
