"""The change feed other desks follow: polling on both databases, NOTIFY on PostgreSQL."""
from __future__ import annotations

import threading

import pytest
from core_support import Clock, Staff, intake, register_and_dispatch

from hotline_desk.core import Core
from hotline_desk.services.changes import listen
from hotline_desk.services.staff import fast_hasher


def test_changes_since_a_position_in_order(core, staff):
    start = core.changes.latest_id()
    v = register_and_dispatch(core, staff)
    changes = core.changes.since(start)
    assert [(c.action, c.version, c.ticket_number, c.desk_id) for c in changes] == [
        ("register", 1, v.number, "desk-A"), ("dispatch", 2, v.number, "desk-A")]
    assert core.changes.latest_id() == changes[-1].id
    assert core.changes.since(changes[-1].id) == []
    assert [c.action for c in core.changes.since(start, limit=1)] == ["register"]


@pytest.mark.postgres
def test_another_desk_hears_a_commit_through_listen_notify(fresh_pg_url):
    desk = Core.open(fresh_pg_url, desk_id="desk-A", clock=Clock(), hasher=fast_hasher())
    desk.upgrade()
    desk.seed_demo()
    heard: list[int] = []
    got_one = threading.Event()
    stop = threading.Event()

    def on_change(change_id: int) -> None:
        heard.append(change_id)
        got_one.set()

    ready = threading.Event()
    listener = threading.Thread(target=listen, args=(fresh_pg_url, on_change, stop, 0.2, ready),
                                daemon=True)
    listener.start()
    try:
        assert ready.wait(5.0)
        v = desk.tickets.register(Staff(desk).agent1, intake(desk))
        assert got_one.wait(2.0), "no NOTIFY within 2 s"
        assert heard == [desk.changes.latest_id()]
        assert desk.changes.since(heard[0] - 1)[0].ticket_number == v.number
    finally:
        stop.set()
        listener.join(timeout=5)
        desk.close()
    assert not listener.is_alive()
