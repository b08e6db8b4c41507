"""The PySide6 upgrade guard of STACK.md: a desk emits millions of signals in a shift."""
from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QObject, Signal

pytestmark = pytest.mark.gui


class _Emitter(QObject):
    fired = Signal(str)


def test_signal_emits_do_not_leak_references_to_true(qapp):
    """PySide6 6.12.0 on Python 3.11 drops a reference to True per emit and aborts a shift-long
    desk (STACK.md). 20,000 emits must leave True's refcount where it was."""
    e = _Emitter()
    got = []
    e.fired.connect(got.append)
    before = sys.getrefcount(True)
    for i in range(20_000):
        e.fired.emit("x")
    assert len(got) == 20_000
    assert sys.getrefcount(True) >= before - 10
