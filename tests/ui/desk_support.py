"""Helpers for the desk-shell tests: wait on the running loop, register a ticket directly."""
from __future__ import annotations

import asyncio

from hotline_desk.domain import Category, IntakeForm


async def prepared_desk(seeded_sqlite, desk_id: str):
    """The whole desk (``DeskApp``) on a copy of the seeded embedded database, with the PBX
    simulator at 20× and no demo calls: the sign-in window is up and the core is open."""
    import shutil

    from PySide6.QtWidgets import QApplication

    from ui.app import DeskApp
    from ui.config import DeskConfig, data_dir

    data_dir().mkdir(parents=True, exist_ok=True)
    shutil.copy(seeded_sqlite, data_dir() / "desk.sqlite3")
    d = DeskApp(QApplication.instance(), DeskConfig(demo_calls_per_minute=0), simulator_speed=20,
                desk_id=desk_id)
    d.demo_first_call_s = None
    d.signin.show()
    await d.prepare()
    assert d.core is not None, d.core_error
    return d


async def until(predicate, timeout: float = 10.0, what: str = "") -> None:
    """Let the qasync loop (and so Qt) run until ``predicate()`` holds."""
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while not predicate():
        if loop.time() > end:
            raise AssertionError(f"timed out waiting for {what or predicate}")
        await asyncio.sleep(0.02)


def register(core, username: str, password: str, phone: str, *, confidential: bool = False,
             request: str = "小区夜间施工噪音扰民，希望责令停止"):
    """A ticket registered through the core as ``username`` (the desk's own path is tested by H6)."""
    actor = core.auth.sign_in(username, password)
    subject = core.taxonomy.tree()[0]
    while subject.children:
        subject = subject.children[0]
    district = core.reference.districts()[0]
    return core.tickets.register(actor, IntakeForm(
        narrative="近一周每晚十一点后仍在施工", request=request, caller_phone=phone,
        category=Category.COMPLAINT, subject_id=subject.id, district_code=district.code,
        caller_name="张伟", confidential=confidential))
