"""Python's garbage collector runs on the GUI thread only (qutebrowser's habit, for the same reason).

Automatic collection runs in whichever thread happens to allocate. The desk runs core calls on
worker threads (``ui.ops``); if a collection there frees a cycle holding a Qt object (a window,
a widget with a timer), its C++ destructor runs off the GUI thread, its timers stay registered,
and the next timer event dereferences freed memory — a segfault hours into a shift. So automatic
collection is switched off and a GUI-thread timer collects with the same thresholds instead.

Full (generation 2) collections are what stall the desk: a signed-in desk holds ~300,000
long-lived objects (modules, Qt wrappers, SQLAlchemy metadata) and walking them took 127–375 ms
on the GUI thread (bench/README.md, "Desk (UI) benchmarks"). So once a session is built,
``freeze_long_lived`` moves everything alive into the permanent generation (``gc.freeze``), and the
collector runs generation 2 only when the objects promoted since the last full collection exceed
a quarter of the long-lived ones — CPython's own guard, which a plain ``gc.collect(2)`` skips.
"""
from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer


def freeze_long_lived() -> None:
    """Collect once, then exempt every surviving object from later collections (after sign-in)."""
    gc.collect()
    gc.freeze()


def thaw_long_lived() -> None:
    """Give frozen objects back to the collector (at sign-out: the old session's window may now be
    garbage, and frozen garbage is never freed)."""
    gc.unfreeze()


class GuiThreadCollector(QObject):
    INTERVAL_MS = 500
    #: a full collection is skipped until this many objects were promoted since the last one
    MIN_PENDING_FULL = 10_000

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setInterval(self.INTERVAL_MS)
        self._timer.timeout.connect(self.collect)
        self._was_enabled = gc.isenabled()
        #: objects in generation 2 right after the last full collection (then long-lived)
        self._gen2_after_full = 0
        #: generation-2 counter at which the pending objects are counted next
        self._next_full_check = 0
        #: gc.get_freeze_count() when _gen2_after_full was taken (a freeze/thaw empties/fills gen 2)
        self._freeze_seen = gc.get_freeze_count()

    def start(self) -> "GuiThreadCollector":
        gc.disable()
        self._timer.start()
        return self

    def stop(self) -> None:
        self._timer.stop()
        if self._was_enabled:
            gc.enable()

    def collect(self) -> int:
        """Collect the generations whose counters passed their thresholds (as gc itself would);
        generation 2 only when enough new long-lived objects piled up (see module docstring)."""
        t0, t1, t2 = gc.get_threshold()
        c0, c1, c2 = gc.get_count()
        if c0 <= t0:
            return 0
        gen = 0
        if c1 > t1:
            gen = 1
            if c2 > max(t2, self._next_full_check) and self._full_is_due():
                gen = 2
            elif c2 > max(t2, self._next_full_check):
                self._next_full_check = c2 + t2  # count again only after as many gen-1 runs
        found = gc.collect(gen)
        if gen == 2:
            self._gen2_after_full = len(gc.get_objects(generation=2))
            self._freeze_seen = gc.get_freeze_count()
            self._next_full_check = 0
        return found

    def _full_is_due(self) -> bool:
        if gc.get_freeze_count() != self._freeze_seen:  # frozen or thawed since: start counting anew
            self._freeze_seen = gc.get_freeze_count()
            self._gen2_after_full = 0
        pending = len(gc.get_objects(generation=2)) - self._gen2_after_full
        long_lived = gc.get_freeze_count() + self._gen2_after_full
        return pending > max(long_lived // 4, self.MIN_PENDING_FULL)
