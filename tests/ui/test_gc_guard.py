"""The GUI-thread collector: full collections only when enough new long-lived objects piled up."""
from __future__ import annotations

import gc

import pytest

from ui.gc_guard import FULL_CHECK_SPACING, GuiThreadCollector, freeze_long_lived, thaw_long_lived


class _Node:
    def __init__(self) -> None:
        self.me = self  # a cycle: only the collector frees it


@pytest.fixture
def collector(qapp, monkeypatch):
    c = GuiThreadCollector()
    runs: list[int] = []
    real = gc.collect
    monkeypatch.setattr(gc, "collect", lambda gen=2: runs.append(gen) or real(gen))
    yield c, runs
    thaw_long_lived()


def test_freezing_exempts_the_long_lived_objects_and_thawing_gives_them_back(qapp):
    freeze_long_lived()
    try:
        assert gc.get_freeze_count() > 1000
    finally:
        thaw_long_lived()
    assert gc.get_freeze_count() == 0


def test_the_next_sign_in_frees_what_the_last_session_froze(qapp):
    """Nothing is thawed at sign-out (a thawed session is walked in one loop turn later): the
    next freeze gives the frozen objects back and collects them first."""
    import weakref
    old_session = _Node()
    gone = weakref.ref(old_session)
    freeze_long_lived()
    try:
        del old_session
        gc.collect()
        assert gone() is not None  # frozen: the collector does not look at it
        freeze_long_lived()  # the next sign-in
        assert gone() is None
    finally:
        thaw_long_lived()


def test_generation_two_waits_until_many_objects_were_promoted(collector, monkeypatch):
    c, runs = collector
    freeze_long_lived()
    t0, t1, t2 = gc.get_threshold()
    # every counter passed its threshold (as after a busy minute of a shift)
    monkeypatch.setattr(gc, "get_count", lambda: (t0 + 1, t1 + 1, t2 + 1))
    keep = [_Node() for _ in range(100)]
    gc.collect(1)  # a few new long-lived objects
    runs.clear()
    c.collect()
    assert runs == [1]  # not worth walking generation 2
    keep += [_Node() for _ in range(max(gc.get_freeze_count() // 4, c.MIN_PENDING_FULL) + 1000)]
    gc.collect(1)  # many promoted to generation 2
    runs.clear()
    c.collect()
    assert runs == [1]  # generation 2 is listed again only ~50 s of ticks later
    monkeypatch.setattr(gc, "get_count", lambda: (t0 + 1, t1 + 1, t2 + 1 + t2 * FULL_CHECK_SPACING))
    c.collect()
    assert runs == [1, 1]
    monkeypatch.setattr(gc, "get_count", lambda: (t0 + 1, t1 + 1, t2 + 2 + t2 * FULL_CHECK_SPACING))
    c.collect()
    assert runs == [1, 1, 2]
    assert len(keep) > c.MIN_PENDING_FULL


def test_a_tick_collects_as_the_thresholds_say(collector, monkeypatch):
    """Generation 0 once its counter passed its threshold, both young ones when generation 1's
    did (ticks every 100 ms keep that run to ~1 s of survivors), nothing when few objects are
    new."""
    c, runs = collector
    t0, t1, _t2 = gc.get_threshold()
    assert c.INTERVAL_MS <= 100
    monkeypatch.setattr(gc, "get_count", lambda: (t0 + 1, 0, 0))
    c.collect()
    assert runs == [0]
    monkeypatch.setattr(gc, "get_count", lambda: (t0 + 1, t1 + 1, 0))
    c.collect()
    assert runs == [0, 1]
    monkeypatch.setattr(gc, "get_count", lambda: (t0 - 1, t1 + 1, 0))
    c.collect()
    assert runs == [0, 1]  # too few new objects: nothing to do


def test_a_freeze_after_a_full_collection_starts_the_count_anew(collector, monkeypatch):
    """Before sign-in the collector's baseline is the whole heap; after the freeze generation 2 is
    empty, so the old baseline would hold every later full collection back."""
    c, runs = collector
    thaw_long_lived()
    t0, t1, t2 = gc.get_threshold()
    monkeypatch.setattr(gc, "get_count", lambda: (t0 + 1, t1 + 1, t2 + 1))
    c.collect()
    assert runs[-1] == 2 and c._gen2_after_full > 0  # nothing frozen yet: the whole heap is new
    freeze_long_lived()
    keep = [_Node() for _ in range(max(gc.get_freeze_count() // 4, c.MIN_PENDING_FULL) + 1000)]
    gc.collect(1)
    runs.clear()
    c.collect()
    assert runs == [2]
    assert len(keep) > 0
