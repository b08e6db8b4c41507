"""The database goes away while a call is being recorded (a real PostgreSQL behind a TCP proxy
that the test cuts and restores): the intake is kept locally as 待提交, survives a restart of
the desk, and is submitted by itself when the database is back — once."""
from __future__ import annotations

import socket
import threading
from datetime import datetime, timezone

import pytest
from sqlalchemy.engine import make_url

from hotline_desk.domain import TicketQuery
from ui.intake import IntakePage

from ticket_support import desk, idle, open_core

pytestmark = pytest.mark.gui


class Cable:
    """A TCP proxy in front of PostgreSQL that can be unplugged (connections refused, open
    ones cut) and plugged in again on the same port."""

    def __init__(self, target_port: int) -> None:
        self.target = ("127.0.0.1", target_port)
        self.port = 0
        self._socks: list[socket.socket] = []
        self._lock = threading.Lock()
        self._stop: threading.Event | None = None
        self._thread: threading.Thread | None = None
        self.plug()

    def plug(self) -> None:
        lst = socket.socket()
        lst.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        lst.bind(("127.0.0.1", self.port))
        self.port = lst.getsockname()[1]
        lst.listen(16)
        lst.settimeout(0.05)  # closing a socket does not wake a blocked accept(): poll a flag
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, args=(lst, self._stop), daemon=True)
        self._thread.start()

    def unplug(self) -> None:
        if self._stop is not None:
            self._stop.set()
            self._thread.join()  # the listener is closed: new connections are refused
            self._stop = None
        with self._lock:
            for s in self._socks:
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                s.close()
            self._socks.clear()

    def _accept(self, lst: socket.socket, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                client, _ = lst.accept()
            except TimeoutError:
                continue
            except OSError:
                break
            client.settimeout(None)
            upstream = socket.create_connection(self.target)
            with self._lock:
                self._socks += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()
        lst.close()

    @staticmethod
    def _pump(src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.close()
                except OSError:
                    pass


@pytest.mark.postgres
def test_outage_at_register_then_submitted_when_the_database_is_back(qtbot, fresh_pg_url, tmp_path):
    url = make_url(fresh_pg_url)
    open_core(fresh_pg_url).close()  # schema and demo data, straight to the server
    cable = Cable(url.port)
    core = open_core(url.set(port=cable.port).render_as_string(hide_password=False))
    ctx = desk(core)
    try:
        page = IntakePage(ctx, draft_folder=tmp_path, retry_ms=100)
        qtbot.addWidget(page)
        page.show()
        qtbot.waitUntil(lambda: page.district.count() > 1, timeout=5000)
        page.caller_phone.setText("13907035555")
        page.district.set_code("361102")
        page.narrative.setPlainText("停电两天，冰箱里的东西都坏了")
        page.request.setPlainText("尽快恢复供电")
        page.category_buttons["help"].setChecked(True)
        page.subject.choose(page.subject.matches("wy")[0])

        cable.unplug()
        page.register_only()
        qtbot.waitUntil(lambda: bool(page.store.pending), timeout=10000)
        assert page.number_label.text() == "待提交"
        assert "待提交 1 件" in page.pending_label.text() and page.pending_label.isVisibleTo(page)
        assert page.store.current is None  # moved from "being typed" to "waiting to go in"
        page.register_only()  # Ctrl+S again on the queued intake does nothing
        assert len(page.store.pending) == 1 and not page.register_button.isEnabled()
        qtbot.waitUntil(lambda: page.store.pending[0].attempts >= 2, timeout=10000)  # retrying
        # the next call comes in: the queued intake is not parked a second time
        page.start_from_call("13907037777", "1732520000.91", datetime.now(timezone.utc))
        assert page.store.parked == [] and len(page.store.pending) == 1
        assert not page.number_banner.isVisibleTo(page) and page.caller_phone.text() == "13907037777"

        # the desk is restarted while the database is still down: the submission is still there
        page.close()  # the first desk process is gone
        reborn = IntakePage(ctx, draft_folder=tmp_path, retry_ms=100)
        qtbot.addWidget(reborn)
        assert "待提交 1 件" in reborn.pending_label.text()
        idle(qtbot, ctx)

        with qtbot.waitSignal(reborn.submitter.submitted, timeout=15000) as got:
            cable.plug()
        number = got.args[1]
        idle(qtbot, ctx)
        assert reborn.store.pending == [] and not reborn.pending_label.isVisibleTo(reborn)
        found = core.search.find(ctx.actor, TicketQuery(phone="13907035555")).items
        assert [t.number for t in found] == [number]  # in the database, exactly once
        timeline = core.tickets.timeline(ctx.actor, found[0].id)
        assert [e.action.value for e in timeline] == ["register"]
    finally:
        ctx.ops.shutdown()
        core.close()
        cable.unplug()


def test_a_retry_after_a_lost_reply_does_not_register_twice(tmp_path):
    """The attempt committed but its answer never came back (the connection died after
    COMMIT): the retry finds that ticket instead of writing a second one."""
    from datetime import datetime, timedelta

    from hotline_desk.domain import Status
    from hotline_desk.store.types import SHANGHAI
    from ui import ticket_calls

    from ticket_support import subject_id

    core = open_core(f"sqlite:///{tmp_path}/d.db")
    try:
        actor = core.auth.sign_in("agent3", "demo-agent3", "desk-1")
        form = {"caller_phone": "13907036666", "district_code": "361102", "category": "consultation",
                "subject_id": subject_id(core), "narrative": "咨询医保异地备案", "request": "怎么办理"}
        first_attempt = (datetime.now(SHANGHAI) - timedelta(seconds=1)).isoformat()
        lost = ticket_calls.register(core, actor, form)  # committed; the desk never heard back
        ending = {"kind": "resolve_on_call", "answer": "可在赣服通办理", "first_attempt_at": first_attempt}
        retried = ticket_calls.submit_intake(core, actor, form, ending)
        assert retried.id == lost.id and retried.status is Status.RESOLVED
        again = ticket_calls.submit_intake(core, actor, form, ending)  # and once more
        assert again.id == lost.id
        found = core.search.find(actor, TicketQuery(phone="13907036666")).items
        assert len(found) == 1
        # a different intake from the same caller is a new ticket
        other = ticket_calls.submit_intake(core, actor, {**form, "request": "另一件事"}, ending)
        assert other.id != lost.id
    finally:
        core.close()


def test_client_ref_makes_retries_idempotent_and_keeps_identical_calls_apart(tmp_path):
    """With the intake's client_ref, a retry gets the ticket the lost attempt wrote; two real
    calls with the same words (a citizen calling twice) are still two tickets — which the old
    same-text match could not tell apart."""
    from hotline_desk.domain import Status
    from ui import ticket_calls

    from ticket_support import subject_id

    core = open_core(f"sqlite:///{tmp_path}/d.db")
    try:
        actor = core.auth.sign_in("agent3", "demo-agent3", "desk-1")
        form = {"caller_phone": "13907037777", "district_code": "361102", "category": "consultation",
                "subject_id": subject_id(core), "narrative": "咨询医保异地备案", "request": "怎么办理",
                "client_ref": "a" * 32}
        lost = ticket_calls.register(core, actor, form)  # committed; the desk never heard back
        ending = {"kind": "resolve_on_call", "answer": "可在赣服通办理"}
        retried = ticket_calls.submit_intake(core, actor, form, ending)
        assert retried.id == lost.id and retried.status is Status.RESOLVED
        second_call = ticket_calls.submit_intake(core, actor, {**form, "client_ref": "b" * 32}, ending)
        assert second_call.id != lost.id
        assert len(core.search.find(actor, TicketQuery(phone="13907037777")).items) == 2
    finally:
        core.close()
