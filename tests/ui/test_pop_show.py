"""When a hidden pop shows: with the caller's history already in it (one layout, one paint), or
after SHOW_GRACE_MS without it when the history is slow; at once for a withheld number or F5."""
from __future__ import annotations

import threading
from datetime import datetime, timezone

import pytest
from desk_support import register

import ui.pop
from telephony.events import CallOffered

pytestmark = pytest.mark.gui

NUMBER = "13907031234"


@pytest.fixture
def core(pop_core):
    return pop_core


def offered(number: str = NUMBER) -> CallOffered:
    return CallOffered(call_id="1732500000.11", caller_number=number, caller_name="张伟", queue="12345",
                       interface="PJSIP/1001", direct=False, at=datetime.now(timezone.utc))


def test_a_hidden_pop_shows_once_with_the_history_in_it(qtbot, core, make_pop, monkeypatch):
    monkeypatch.setattr(ui.pop, "SHOW_GRACE_MS", 60_000)  # only the history can show it here
    for i in range(2):
        register(core, "agent2", "demo-agent2", NUMBER, request=f"第{i}次反映路灯不亮")
    pop = make_pop("agent1", "demo-agent1")
    rows_when_shown = []
    pop.shown_changed.connect(lambda shown: shown and rows_when_shown.append(pop.history_rows.rowCount()))
    pop.on_offered(offered())
    assert not pop.showing
    qtbot.waitUntil(lambda: pop.showing, timeout=5000)
    assert rows_when_shown == [2]


def test_a_slow_history_does_not_hold_the_pop_back(qtbot, core, make_pop, monkeypatch):
    monkeypatch.setattr(ui.pop, "SHOW_GRACE_MS", 20)
    release = threading.Event()
    real = core.search.caller_history
    monkeypatch.setattr(core.search, "caller_history", lambda *a: release.wait(10) and real(*a))
    pop = make_pop("agent1", "demo-agent1")
    pop.on_offered(offered())
    qtbot.waitUntil(lambda: pop.showing, timeout=5000)
    assert "正在查询历史工单" in pop.open_label.text()
    release.set()
    qtbot.waitUntil(lambda: "首次来电" in pop.open_label.text(), timeout=5000)


def test_withheld_number_and_f5_show_the_pop_at_once(qtbot, make_pop, monkeypatch):
    monkeypatch.setattr(ui.pop, "SHOW_GRACE_MS", 60_000)
    pop = make_pop("agent1", "demo-agent1")
    pop.on_offered(offered(number=""))
    assert pop.showing  # nothing to wait for
    pop.dismiss()
    assert not pop.showing
    accepted = []
    pop.accepted.connect(accepted.append)
    pop.on_offered(CallOffered(call_id="1732500000.12", caller_number=NUMBER, caller_name="",
                               queue="12345", interface="PJSIP/1001", direct=False,
                               at=datetime.now(timezone.utc)))
    pop.accept()  # F5 while the history is still on its way: the call is taken
    assert [c.offered.call_id for c in accepted] == ["1732500000.12"]
    assert pop.showing
