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

The timer ticks every 100 ms, not 500: under load (a call every few seconds, the list scrolling)
generation 1's tenth-tick run walked everything the last ~5 s had kept alive — the list's rows
and their laid-out texts, 10,000–14,000 objects — in 3–6 ms of one loop turn, on top of whatever
else that turn did. At 100 ms it walks ~1 s of them. Collecting both young generations on every
500 ms tick instead (tried: 0.5 ms a tick) would promote every object alive at a tick to
generation 2, where only a full collection frees cycles; this keeps CPython's generations.
Whether a full collection is due is asked about every 50 s: it lists generation 2.

Nothing is thawed at sign-out. A thawed heap is the whole old session, ~300,000 objects, handed
back to the collector at once: the next full collection walked all of it in one loop turn at a
time nobody chose (in the test process, whose heap is larger, it held the loop past the PBX
link's 5 s ping timeout). Instead the next sign-in gives the frozen objects back and collects them
at once, in the pause a sign-in has anyway (``freeze_long_lived``).
"""
from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer


#: objects frozen by ``freeze_long_lived``, counted once there: ``gc.get_freeze_count()`` walks
#: the whole permanent generation (~300,000 objects, several ms) each time it is asked
_frozen = 0


def freeze_long_lived() -> None:
    """After sign-in: collect once, then exempt every surviving object from later collections.
    What an earlier session froze is given back first: its window is garbage now, and frozen
    garbage is never freed."""
    global _frozen
    gc.unfreeze()
    gc.collect()
    gc.freeze()
    _frozen = gc.get_freeze_count()


def thaw_long_lived() -> None:
    """Give every frozen object back to the collector (the test suite, between tests)."""
    global _frozen
    gc.unfreeze()
    _frozen = 0


def frozen_count() -> int:
    return _frozen


#: generation-1 runs between two looks at generation 2, in units of its threshold (10): a
#: generation-1 run comes about every tenth tick, so ~50 s under load
FULL_CHECK_SPACING = 5


class GuiThreadCollector(QObject):
    INTERVAL_MS = 100
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
        #: frozen_count() when _gen2_after_full was taken (a freeze/thaw empties/fills gen 2)
        self._freeze_seen = frozen_count()

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
        c0, c1, c2 = gc.get_count()  # c2: generation-1 collections since the last full one
        if c0 <= t0:
            return 0
        gen = 0
        if c1 > t1:
            gen = 1
            if c2 > max(t2, self._next_full_check) and self._full_is_due():
                gen = 2
            elif c2 > max(t2, self._next_full_check):
                self._next_full_check = c2 + t2 * FULL_CHECK_SPACING  # listing gen 2 costs: ~50 s later
        found = gc.collect(gen)
        if gen == 2:
            self._gen2_after_full = len(gc.get_objects(generation=2))
            self._freeze_seen = frozen_count()
            self._next_full_check = 0
        return found

    def _full_is_due(self) -> bool:
        if frozen_count() != self._freeze_seen:  # frozen or thawed since: start counting anew
            self._freeze_seen = frozen_count()
            self._gen2_after_full = 0
        pending = len(gc.get_objects(generation=2)) - self._gen2_after_full
        long_lived = frozen_count() + self._gen2_after_full
        return pending > max(long_lived // 4, self.MIN_PENDING_FULL)
