"""The shift lead listens in from the wallboard (监控): 监听 / 耳语 / 强插 on the selected agent's call.

The whole desk (ui.app.DeskApp) on SQLite with the PBX simulator over TCP: a bot agent answers a
citizen's call, the board shows it on the call, the lead presses a button, the lead's own phone
rings (an Originate into ChanSpy) and the outcome reaches the message bar in Chinese. The buttons
are usable only for a shift lead, only on an agent who is on a call.
"""
from __future__ import annotations

from dataclasses import replace

import pytest
import pytest_asyncio

from desk_support import prepared_desk, until
from telephony.events import AgentState
from ui.app import DeskApp
from ui.wallboard import Wallboard

pytestmark = [pytest.mark.gui, pytest.mark.slow, pytest.mark.asyncio(loop_scope="session")]

LEAD_EXT = "1007"  # the demo shift lead's extension (resources/demo_staff.json)


@pytest_asyncio.fixture(loop_scope="session")
async def lead(qapp, seeded_sqlite, desk_dirs):
    """The demo shift lead signed in, queue-logged-in, with the wallboard showing agent 1002."""
    d = await prepared_desk(seeded_sqlite, "desk-lead")
    d.signin.username.setText("shiftlead")
    d.signin.password.setText("demo-shiftlead")
    d.signin.sign_in_button.click()
    await until(lambda: d.session is not None and d.session.phone is not None, what="session")
    s = d.session
    await until(lambda: s.bridge.agent is not None and s.bridge.agent.state is AgentState.READY,
                timeout=15, what="queue login")
    board = s.window.show_page("wallboard")
    await until(lambda: row_of(board, "坐席1002") is not None, timeout=20, what="agent 1002 on the board")
    yield d, s, board
    await d.shutdown()


def row_of(board: Wallboard, member: str) -> int | None:
    return next((r for r in range(board.agents.rowCount())
                 if board.agents.item(r, 0) is not None and board.agents.item(r, 0).text() == member), None)


async def agent_1002_on_a_call(d: DeskApp, board: Wallboard) -> None:
    """A citizen calls the ring-all line and bot agent 1002 picks up; the board follows the PBX."""
    call = d.simulator.place_call("13907035678", "刘芳", "12345-ringall")
    await until(lambda: any(r.ext == "1002" for r in call.rings), what="1002 ringing")
    d.simulator.pbx.answer("1002")
    await until(lambda: (r := row_of(board, "坐席1002")) is not None and "通话中" in board.agents.item(r, 1).text(),
                timeout=20, what="1002 on a call on the board")
    board.agents.selectRow(row_of(board, "坐席1002"))


def spy_calls(d: DeskApp) -> list:
    """The simulator's Originates into ChanSpy (the lead's phone first)."""
    return [c for c in d.simulator.pbx.calls
            if c.kind == "originate" and c.origin is not None and (c.origin[3] or "").lower() == "chanspy"]


async def test_buttons_need_an_agent_on_a_call(lead):
    d, s, board = lead
    buttons = board.spy_buttons.values()
    assert [b.text() for b in board.spy_buttons.values()] == ["监听(&L)", "耳语(&W)", "强插(&B)"]
    assert not any(b.isEnabled() for b in buttons)  # nothing selected
    board.agents.selectRow(row_of(board, "坐席1002"))
    assert "就绪" in board.agents.item(row_of(board, "坐席1002"), 1).text()
    assert not any(b.isEnabled() for b in buttons)
    assert board.spy_hint.text() == "所选坐席当前不在通话中"
    assert board.spy_selected("listen") is None and not spy_calls(d)  # refused, nothing sent
    await until(lambda: row_of(board, "坐席" + LEAD_EXT) is not None, timeout=20, what="the lead on the board")
    board.agents.selectRow(row_of(board, "坐席" + LEAD_EXT))
    assert board.spy_hint.text() == "不能监听自己的通话"

    await agent_1002_on_a_call(d, board)
    # usable once the board has it (a link that blinked on a loaded CI box comes back first: the
    # hint says "监控链路中断…" meanwhile); it failed once in CI asserting this at once
    await until(lambda: all(b.isEnabled() for b in buttons), timeout=30, what="the spy buttons usable")
    assert "您的话机会先振铃" in board.spy_hint.text()

    # the same board for someone who is not a shift lead: never usable (the services say so too)
    agent = await d.ops.call(d.core.auth.sign_in, "agent1", "demo-agent1")
    other = Wallboard(replace(s.ctx, actor=agent))
    other.show_board(board.board)
    other.agents.selectRow(row_of(other, "坐席1002"))
    assert not any(b.isEnabled() for b in other.spy_buttons.values())
    assert not other.pause_button.isEnabled()
    assert other.spy_hint.text() == "仅班长可以监听坐席通话"
    other.deleteLater()


@pytest.mark.parametrize(("mode", "options"), [("listen", "qE"), ("whisper", "qwE"), ("barge", "qBE")])
async def test_lead_phone_rings_then_chanspy_on_the_agents_call(lead, mode, options):
    d, s, board = lead
    await agent_1002_on_a_call(d, board)
    shown = s.window.message_bar.history
    # as the lead would: click once the button says it can be used (a link that blinked under
    # a loaded test machine comes back first; the refusal reason is shown meanwhile)
    await until(lambda: board.spy_refusal() == "", timeout=30, what="listen-in possible")

    task = board.spy_selected(mode)
    assert task is not None
    word = board.spy_word(mode)
    assert shown[-1] == ("info", f"正在呼叫您的话机（Local/{LEAD_EXT}@agents/n），摘机后开始{word}坐席1002的通话…")
    assert not any(b.isEnabled() for b in board.spy_buttons.values())  # one at a time
    assert board.spy_hint.text() == "正在呼叫您的话机，请摘机接听…"
    await until(task.done, timeout=20, what="the lead's phone answered")

    assert shown[-1] == ("info", f"您的话机已接通：正在{word}坐席1002的通话，该通话结束时自动挂断")
    [spy] = spy_calls(d)
    channel, _, _, _, data = spy.origin
    assert channel == f"Local/{LEAD_EXT}@agents/n"  # the lead's own phone rang first
    assert data == f"Local/1002@agents,{options}"
    assert spy.spying is not None and spy.spying[0].name.startswith("Local/1002@agents")
    assert all(b.isEnabled() for b in board.spy_buttons.values())  # still on a call: may switch mode


async def test_lead_phone_not_answered_is_told(lead):
    d, s, board = lead
    await agent_1002_on_a_call(d, board)
    d.simulator.pbx.timing.never_answer = frozenset({LEAD_EXT})
    task = board.spy_selected("listen")
    await until(task.done, timeout=30, what="no answer")
    assert s.window.message_bar.history[-1] == ("warning", "监听未开始：您的话机无人接听")
    assert s.window.message_bar.isVisible()
    [spy] = spy_calls(d)
    assert spy.spying is None  # nobody listened


async def test_pbx_refusal_is_told(lead):
    d, s, board = lead
    await agent_1002_on_a_call(d, board)
    await s.phone.link.stop()  # the link is gone: the Originate cannot be sent
    task = board.spy_selected("barge")
    await until(task.done, timeout=20, what="refused")
    level, text = s.window.message_bar.history[-1]
    assert level == "warning" and text.startswith("强插失败：")
    assert not spy_calls(d)
