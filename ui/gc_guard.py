"""Python's garbage collector runs on the GUI thread only (qutebrowser's habit, for the same reason).

Automatic collection runs in whichever thread happens to allocate. The desk runs core calls on
worker threads (``ui.ops``); if a collection there frees a cycle holding a Qt object (a window,
a widget with a timer), its C++ destructor runs off the GUI thread, its timers stay registered,
and the next timer event dereferences freed memory — a segfault hours into a shift. So automatic
collection is switched off and a GUI-thread timer collects with the same thresholds instead.
"""
from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer


class GuiThreadCollector(QObject):
    INTERVAL_MS = 500

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setInterval(self.INTERVAL_MS)
        self._timer.timeout.connect(self.collect)
        self._was_enabled = gc.isenabled()

    def start(self) -> "GuiThreadCollector":
        gc.disable()
        self._timer.start()
        return self

    def stop(self) -> None:
        self._timer.stop()
        if self._was_enabled:
            gc.enable()

    def collect(self) -> int:
        """Collect the generations whose counters passed their thresholds (as gc itself would)."""
        t0, t1, t2 = gc.get_threshold()
        c0, c1, c2 = gc.get_count()
        if c0 > t0:
            gen = 0
            if c1 > t1:
                gen = 1
                if c2 > t2:
                    gen = 2
            return gc.collect(gen)
        return 0
