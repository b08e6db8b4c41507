"""The local draft file: what a crash, a power cut or a database outage must not lose."""
from __future__ import annotations

import json
import os

import pytest
import sqlalchemy.exc as sa_exc

from hotline_desk.errors import ValidationError
from ui.drafts import (
    DraftAutosaver, DraftStore, PendingSubmission, PendingSubmitter, is_store_unreachable,
)

pytestmark = pytest.mark.gui

FORM = {"caller_phone": "13907031234", "narrative": "小区门口夜间施工噪音扰民", "request": "请求停止夜间施工"}


def test_current_draft_survives_a_restart_with_chinese_intact(tmp_path):
    store = DraftStore(tmp_path, "desk-07")
    store.save_current(FORM)
    again = DraftStore(tmp_path, "desk-07")
    assert again.current == FORM
    assert again.current_saved_at
    raw = json.loads(store.path.read_text(encoding="utf-8"))
    assert raw["current"]["form"]["narrative"] == "小区门口夜间施工噪音扰民"
    assert [p.name for p in tmp_path.iterdir()] == [store.path.name]  # no temp file left behind


def test_each_desk_has_its_own_file(tmp_path):
    DraftStore(tmp_path, "desk/1").save_current(FORM)
    assert DraftStore(tmp_path, "desk-2").current is None
    assert DraftStore(tmp_path, "desk/1").current == FORM


def test_a_crash_during_a_write_leaves_the_previous_draft(tmp_path, monkeypatch):
    store = DraftStore(tmp_path, "d")
    store.save_current(FORM)

    def power_cut(src, dst):
        raise OSError("power cut")

    monkeypatch.setattr(os, "replace", power_cut)
    with pytest.raises(OSError):
        store.save_current({**FORM, "narrative": "半截"})
    monkeypatch.undo()
    assert DraftStore(tmp_path, "d").current == FORM
    assert [p.name for p in tmp_path.iterdir()] == [store.path.name]


def test_an_unreadable_file_is_kept_aside_not_fatal(tmp_path):
    store = DraftStore(tmp_path, "d")
    store.path.parent.mkdir(parents=True, exist_ok=True)
    store.path.write_text('{"current": {"form": ', encoding="utf-8")
    fresh = DraftStore(tmp_path, "d")
    assert fresh.current is None and fresh.pending == []
    assert any(".broken-" in p.name for p in tmp_path.iterdir())


def test_parked_intakes_come_back_in_order(tmp_path):
    store = DraftStore(tmp_path, "d")
    store.save_current(FORM)
    store.park_current(FORM)
    store.park_current({**FORM, "request": "第二件"})
    assert store.current is None
    again = DraftStore(tmp_path, "d")
    assert [p["request"] for p in again.parked] == ["请求停止夜间施工", "第二件"]
    assert again.unpark(0) == FORM
    assert [p["request"] for p in DraftStore(tmp_path, "d").parked] == ["第二件"]


def test_autosaver_writes_only_when_something_changed(qtbot, tmp_path):
    store = DraftStore(tmp_path, "d")
    form = dict(FORM)
    saver = DraftAutosaver(store, lambda: dict(form), interval_ms=20)
    qtbot.wait(60)
    assert not store.path.exists()  # nothing typed, nothing written
    saver.mark_dirty()
    with qtbot.waitSignal(saver.saved, timeout=1000):
        pass
    assert DraftStore(tmp_path, "d").current == FORM
    form["request"] = "改了"
    saver.mark_dirty()
    qtbot.waitUntil(lambda: DraftStore(tmp_path, "d").current["request"] == "改了", timeout=1000)
    saver.discard()
    assert DraftStore(tmp_path, "d").current is None
    saver.stop()


def test_pending_submission_waits_for_the_database_and_then_goes_in_once(qtbot, tmp_path):
    store = DraftStore(tmp_path, "d")
    database_up = {"value": False}
    calls: list[str] = []

    def submit(sub, on_ok, on_fail):
        calls.append(sub.client_ref)
        if database_up["value"]:
            on_ok("SR20261125-00001")
        else:
            on_fail(sa_exc.OperationalError("connect", {}, ConnectionRefusedError()), True)

    submitter = PendingSubmitter(store, submit, interval_ms=30)
    submitter.queue(PendingSubmission(form=FORM, ending={"kind": "register"}))
    qtbot.waitUntil(lambda: len(calls) >= 2, timeout=2000)
    kept = DraftStore(tmp_path, "d").pending  # what a restart now would find
    assert len(kept) == 1 and kept[0].attempts >= 2 and kept[0].last_error
    database_up["value"] = True
    with qtbot.waitSignal(submitter.submitted, timeout=2000) as got:
        pass
    assert got.args == [kept[0].client_ref, "SR20261125-00001"]
    assert DraftStore(tmp_path, "d").pending == []
    n = len(calls)
    qtbot.wait(120)
    assert len(calls) == n  # nothing left: no more attempts


def test_a_refusal_is_kept_for_the_agent_and_not_retried(qtbot, tmp_path):
    store = DraftStore(tmp_path, "d")
    calls: list[str] = []

    def submit(sub, on_ok, on_fail):
        calls.append(sub.client_ref)
        on_fail(ValidationError(field_errors={"request": "诉求事项过长"}), False)

    submitter = PendingSubmitter(store, submit, interval_ms=20)
    with qtbot.waitSignal(submitter.rejected, timeout=2000):
        submitter.queue(PendingSubmission(form=FORM, ending={"kind": "register"}))
    qtbot.wait(100)
    assert len(calls) == 1
    kept = DraftStore(tmp_path, "d").pending
    assert len(kept) == 1 and "诉求事项过长" in kept[0].refused and kept[0].form == FORM


def test_unreachable_means_no_answer_not_a_refusal():
    assert is_store_unreachable(sa_exc.OperationalError("x", {}, ConnectionRefusedError()))
    assert is_store_unreachable(ConnectionRefusedError())
    assert not is_store_unreachable(ValidationError(field_errors={"phone": "x"}))
    assert not is_store_unreachable(ValueError("bug"))
