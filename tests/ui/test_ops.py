"""ui.ops: core calls run off the GUI thread, come back on it, errors become messages."""
from __future__ import annotations

import logging
import sys
import threading
import time

import pytest
from PySide6.QtCore import QThread, QTimer

from hotline_desk.errors import ConflictError, PermissionDenied, ValidationError
from ui.context import DeskContext
from ui.messages import MessageBar
from ui.ops import ChangeBus, Changes, CrashGuard, Ops

pytestmark = pytest.mark.gui


@pytest.fixture
def ops(qtbot):
    bus = ChangeBus()
    o = Ops(bus)
    yield o
    o.shutdown()


def _gui_thread():
    from PySide6.QtWidgets import QApplication

    return QApplication.instance().thread()


def test_result_arrives_on_gui_thread_and_change_is_announced(qtbot, ops):
    seen = {}

    def work(a, b):
        seen["worker"] = threading.current_thread().name
        return a + b

    def done(result):
        seen["result"] = result
        seen["on_gui"] = QThread.currentThread() is _gui_thread()

    with qtbot.waitSignal(ops.bus.changed, timeout=3000) as changed:
        ops.run(work, 2, 3, on_success=done,
                changes=lambda r: Changes.of("ticket", [r]))
    assert seen["result"] == 5
    assert seen["on_gui"] is True
    assert seen["worker"].startswith("desk-op")
    assert changed.args == [{"ticket"}, {5}]
    assert ops.in_flight == 0


def test_desk_error_becomes_its_chinese_message_in_the_bar(qtbot, ops):
    bar = MessageBar()
    qtbot.addWidget(bar)
    ops.notice.connect(bar.show_message)
    announced = []
    ops.bus.changed.connect(lambda k, t: announced.append(k))

    def refuse():
        raise PermissionDenied("您没有权限派单")

    with qtbot.waitSignal(ops.notice, timeout=3000) as notice:
        ops.run(refuse, changes="ticket")
    assert notice.args == ["warning", "您没有权限派单"]
    assert bar.isVisibleTo(bar.parentWidget() or bar) or not bar.isHidden()
    assert "您没有权限派单" in bar.text.text()
    assert "注意" in bar.icon.text()
    assert announced == []  # a refused operation changed nothing


def test_on_failure_handled_keeps_the_bar_quiet(qtbot, ops):
    notices = []
    ops.notice.connect(lambda lvl, txt: notices.append(txt))
    got = []

    def invalid():
        raise ValidationError(field_errors={"subject": "请选择诉求分类"})

    fut = ops.run(invalid, on_failure=lambda exc: got.append(exc.field_errors) or True)
    qtbot.waitUntil(lambda: fut.done(), timeout=3000)
    assert got == [{"subject": "请选择诉求分类"}]
    assert notices == []


def test_on_failure_not_handled_still_shows_message(qtbot, ops):
    got = []

    def conflict():
        raise ConflictError(ticket_number="SR20261125-0001", expected_version=1,
                            current_version=2, other=None)

    with qtbot.waitSignal(ops.notice, timeout=3000) as notice:
        ops.run(conflict, on_failure=lambda exc: got.append(type(exc).__name__))
    assert got == ["ConflictError"]
    assert "SR20261125-0001" in notice.args[1] and "其他坐席" in notice.args[1]


def test_unexpected_exception_is_logged_and_shown_not_raised(qtbot, ops, caplog):
    def boom():
        raise ZeroDivisionError("division by zero")

    with caplog.at_level(logging.ERROR, logger="ui.ops"):
        with qtbot.waitSignal(ops.notice, timeout=3000) as notice:
            ops.run(boom)
    assert notice.args[0] == "error"
    assert "内部错误" in notice.args[1] and "ZeroDivisionError" in notice.args[1]
    assert any("ZeroDivisionError" in (r.exc_text or "") or r.exc_info for r in caplog.records)


def test_bug_in_on_success_does_not_escape(qtbot, ops):
    with qtbot.waitSignal(ops.notice, timeout=3000) as notice:
        ops.run(lambda: 1, on_success=lambda r: {}["missing"])
    assert "KeyError" in notice.args[1]


def test_gui_thread_keeps_running_while_an_op_blocks(qtbot, ops):
    """A slow core call (1 s) must not stop the GUI thread: a 10 ms timer keeps ticking."""
    release = threading.Event()
    ticks = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start()
    start = time.perf_counter()
    fut = ops.run(lambda: release.wait(5) and "done")
    assert time.perf_counter() - start < 0.05  # run() returns at once
    qtbot.waitUntil(lambda: len(ticks) >= 20, timeout=3000)
    assert not fut.done()
    release.set()
    qtbot.waitUntil(fut.done, timeout=3000)
    timer.stop()
    assert fut.result() == "done"
    gaps = [b - a for a, b in zip(ticks, ticks[1:])]
    assert max(gaps) < 0.5


def test_urgent_reads_do_not_queue_behind_busy_workers(qtbot, ops):
    """The call pop's history runs on its own lane: two slow operations occupying every shared
    worker (a big search page, a save waiting for a lock) do not hold it back."""
    release = threading.Event()
    slow = [ops.run(release.wait, 5) for _ in range(3)]
    got = []
    ops.run(lambda: "history", on_success=got.append, urgent=True)
    try:
        qtbot.waitUntil(lambda: got == ["history"], timeout=2000)
        assert not any(f.done() for f in slow)
    finally:
        release.set()
    qtbot.waitUntil(lambda: all(f.done() for f in slow), timeout=3000)


async def test_call_awaits_on_the_loop_and_raises_to_the_caller(qtbot, ops):
    import asyncio

    assert await ops.call(lambda x: x * 2, 21) == 42
    with pytest.raises(ValidationError):
        await ops.call(lambda: (_ for _ in ()).throw(ValidationError("坏输入")))
    assert asyncio.get_running_loop() is not None


def test_busy_counts_in_flight(qtbot, ops):
    counts = []
    ops.busy.connect(counts.append)
    fut = ops.run(time.sleep, 0.05)
    qtbot.waitUntil(fut.done, timeout=3000)
    qtbot.waitUntil(lambda: counts and counts[-1] == 0, timeout=3000)
    assert counts[0] == 1


def test_crash_guard_logs_and_tells_the_user(qtbot, caplog):
    guard = CrashGuard().install()
    try:
        assert sys.excepthook == guard._hook
        with caplog.at_level(logging.ERROR, logger="ui.ops"):
            with qtbot.waitSignal(guard.notice, timeout=1000) as notice:
                try:
                    raise RuntimeError("slot exploded")
                except RuntimeError:
                    sys.excepthook(*sys.exc_info())
        assert notice.args[0] == "error" and "slot exploded" in notice.args[1]
        assert "slot exploded" in caplog.text
    finally:
        guard.uninstall()
    assert sys.excepthook != guard._hook


def test_context_notify_and_roles(qtbot, ops):
    class Actor:
        roles = ("agent", "shift_lead")

    ctx = DeskContext(core=None, actor=Actor(), ops=ops, changes=ops.bus, settings=None)
    assert ctx.has_role("shift_lead") and not ctx.has_role("admin")
    with qtbot.waitSignal(ops.notice, timeout=1000) as notice:
        ctx.notify("已保存草稿")
    assert notice.args == ["info", "已保存草稿"]
