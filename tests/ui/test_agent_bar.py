"""Agent bar and status bar from typed telephony events (no PBX needed: the bridge is fed the
events DeskPhone would publish), and the change follower's view of the database."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from telephony.events import (AgentState, AgentStateChanged, CallAnswered, CallEnded,
                              CallEndReason, CallOffered, LinkState, LinkStateChanged)
from ui.agent_bar import AgentBar, fmt_duration
from ui.config import DeskConfig
from ui.context import DeskContext
from ui.ops import ChangeBus, Ops
from ui.phone_bridge import PhoneBridge
from ui.statusbar import DeskStatusBar

pytestmark = pytest.mark.gui

IFACE = "PJSIP/1001"


class Actor:
    def __init__(self, *roles):
        from hotline_desk.domain import Role

        self.roles = frozenset(Role(r) for r in roles)
        self.display_name = "李晓燕"
        self.username = "agent1"


class FakePhone:
    """Only what the bridge needs; the tests publish events themselves."""

    def __init__(self):
        self.commands = []

    def subscribe(self, callback):
        self.callback = callback
        return lambda: None

    async def pause(self, reason):
        self.commands.append(("pause", reason))

    async def unpause(self):
        self.commands.append(("unpause",))

    async def queue_login(self):
        self.commands.append(("login",))

    async def queue_logout(self):
        raise RuntimeError("交换机拒绝")


@pytest.fixture
def setup(qtbot):
    ops = Ops(ChangeBus())
    phone = FakePhone()
    bridge = PhoneBridge(phone, IFACE)

    def make(*roles):
        ctx = DeskContext(core=None, actor=Actor(*roles), ops=ops, changes=ops.bus, settings=DeskConfig())
        bar = AgentBar(ctx, bridge)
        qtbot.addWidget(bar)
        return bar

    yield make, phone, bridge
    ops.shutdown()


def now(offset: float = 0) -> datetime:
    return datetime.now(timezone.utc) - timedelta(seconds=offset)


def agent(state: AgentState, reason: str = "", since: float = 0) -> AgentStateChanged:
    return AgentStateChanged(IFACE, "坐席1001", state, reason, ("12345",), now(since))


async def test_state_and_reason_come_from_the_pbx(setup):
    make, phone, bridge = setup
    bar = make("agent")
    bridge.on_event(LinkStateChanged(LinkState.UP, now()))
    bridge.on_event(agent(AgentState.PAUSED, "会议", since=65))
    assert "暂停·会议" in bar.state_label.text() and "01:05" in bar.state_label.text()
    assert bar.state_label.property("tone") == "warn"
    bar.ready()  # sends the command; the label waits for the PBX
    assert "暂停·会议" in bar.state_label.text()
    await next(iter(bridge._tasks))
    assert phone.commands == [("unpause",)]
    assert "暂停·会议" in bar.state_label.text()
    bridge.on_event(agent(AgentState.READY))
    assert "✔ 就绪" in bar.state_label.text() and bar.state_label.property("tone") == "ok"


def test_link_down_counts_from_the_first_drop_and_marks_state_last_known(setup):
    make, phone, bridge = setup
    bar = make("agent")
    bridge.on_event(LinkStateChanged(LinkState.UP, now(100)))
    bridge.on_event(agent(AgentState.ON_CALL))
    bridge.on_event(LinkStateChanged(LinkState.DOWN, now(125), attempt=1, next_retry_in=1))
    bridge.on_event(LinkStateChanged(LinkState.CONNECTING, now(5), attempt=3))
    assert "02:05" in bar.link_label.text() and "第 3 次重连" in bar.link_label.text()
    assert bar.link_label.property("tone") == "warn"
    assert "最后已知" in bar.state_label.text()
    assert not bar.ready_button.isEnabled() and not bar.queue_button.isEnabled()
    bridge.on_event(LinkStateChanged(LinkState.UP, now()))
    assert "已连接" in bar.link_label.text() and "最后已知" not in bar.state_label.text()


def test_wrong_credentials_are_a_clear_final_state(setup):
    make, phone, bridge = setup
    bar = make("agent")
    bridge.on_event(LinkStateChanged(LinkState.AUTH_FAILED, now(), detail="AMI 用户名或密码错误"))
    assert "认证失败" in bar.link_label.text() and bar.link_label.property("tone") == "bad"
    assert bar.link_label.toolTip() == "AMI 用户名或密码错误"


def test_call_timer_and_caller_masked_by_role(setup):
    make, phone, bridge = setup
    agent_bar = make("agent")
    analyst_bar = make("analyst")
    offered = CallOffered("c1", "13907031234", "张伟", "12345", IFACE, False, now(20))
    bridge.on_event(offered)
    assert "13907031234 张伟" in agent_bar.caller_label.text()
    assert "139****1234" in analyst_bar.caller_label.text() and "张伟" not in analyst_bar.caller_label.text()
    bridge.on_event(CallAnswered("c1", IFACE, now(75)))
    assert "通话 01:15" in agent_bar.timer_label.text()
    bridge.on_event(CallEnded("c1", CallEndReason.COMPLETED_CALLER, now(), talk_seconds=75))
    assert agent_bar.timer_label.text() == "上次通话 01:15" and agent_bar.caller_label.text() == ""


async def test_failed_command_becomes_a_message(setup, qtbot):
    make, phone, bridge = setup
    bar = make("agent")
    bridge.on_event(LinkStateChanged(LinkState.UP, now()))
    bridge.on_event(agent(AgentState.READY))
    with qtbot.waitSignal(bridge.notice, timeout=2000) as notice:
        bar.toggle_queue()
        task = next(iter(bridge._tasks))
        await task
    assert notice.args[0] == "warning" and "签出队列失败" in notice.args[1] and "交换机拒绝" in notice.args[1]
    bar.reason_box.setCurrentText("培训")
    bar.pause()
    await next(iter(bridge._tasks))
    assert phone.commands == [("pause", "培训")]


def test_status_bar_words_and_glyphs_not_only_colour(qtbot):
    bar = DeskStatusBar(pbx_configured=True, simulated=False, database_label="")
    qtbot.addWidget(bar)
    bar.on_link(LinkStateChanged(LinkState.DOWN, now(61)))
    assert bar.pbx.text().startswith("✖") and "已断开 01:01" in bar.pbx.text()
    bar.on_health(False, False, "数据库无法访问：timeout")
    assert bar.database.text().startswith("✖") and "不可用" in bar.database.text()
    assert "中断" in bar.sync.text() and bar.sync.toolTip() == "数据库无法访问：timeout"
    bar.on_health(True, True, "ok")
    assert "正常" in bar.database.text() and bar.database.property("tone") == "ok"


def test_fmt_duration():
    assert fmt_duration(0) == "00:00" and fmt_duration(75) == "01:15" and fmt_duration(3725) == "1:02:05"
    assert fmt_duration(-3) == "00:00"


def test_follower_reports_a_database_outage_and_recovery(qtbot, seeded_sqlite, tmp_path):
    import shutil

    import sqlalchemy.exc

    from ui.app import open_core
    from ui.sync import ChangeFollower

    path = tmp_path / "desk.sqlite3"
    shutil.copy(seeded_sqlite, path)
    core = open_core(f"sqlite:///{path}", None, False)
    ops = Ops(ChangeBus())
    ctx = DeskContext(core=core, actor=Actor("agent"), ops=ops, changes=ops.bus, settings=None)
    follower = ChangeFollower(ctx, interval_ms=50)
    health = []
    follower.health.connect(lambda db, sync, detail: health.append((db, sync, detail)))
    follower.start()
    qtbot.waitUntil(lambda: bool(health) and health[-1][0], timeout=3000)
    real_since = core.changes.since

    def down(*_a, **_k):
        raise sqlalchemy.exc.OperationalError("SELECT", {}, Exception("database is locked"))

    core.changes.since = down
    qtbot.waitUntil(lambda: bool(health) and not health[-1][0], timeout=3000)
    assert "数据库无法访问" in health[-1][2]
    core.changes.since = real_since
    qtbot.waitUntil(lambda: health[-1][0] and health[-1][1], timeout=3000)
    follower.stop()
    ops.shutdown()
    core.close()


def test_a_call_does_not_move_the_buttons(setup, qtbot):
    """The state and timer labels hold the width of their usual texts: a ring, a talk, wrap-up
    and a pause with the longest reason leave the buttons after them where they are."""
    make, phone, bridge = setup
    bar = make("agent")
    bar.resize(1600, bar.sizeHint().height())
    bar.show()
    qtbot.waitExposed(bar)
    bridge.on_event(LinkStateChanged(LinkState.UP, now()))
    places = []

    def place():
        bar.layout().activate()
        return bar.ready_button.x(), bar.pause_button.x(), bar.caller_label.x()

    offered = CallOffered("c1", "13907031234", "张伟", "12345", IFACE, False, now())
    longest = max(DeskConfig().pause_reasons, key=len)
    for event in (agent(AgentState.READY), agent(AgentState.RINGING), offered,
                  agent(AgentState.ON_CALL), CallAnswered("c1", IFACE, now(75)),
                  agent(AgentState.WRAP_UP), CallEnded("c1", CallEndReason.COMPLETED_CALLER, now(), talk_seconds=75),
                  agent(AgentState.PAUSED, longest, since=600), agent(AgentState.READY, since=3599)):
        bridge.on_event(event)
        places.append(place())
    assert len(set(places)) == 1, places
    bridge.on_event(agent(AgentState.READY, since=7200))  # hours: "2:00:00" may widen the label
    assert "2:00:00" in bar.state_label.text()
