"""Helpers for the ticket-screen tests: a real core on SQLite (or PostgreSQL), a signed-in desk
context, and waiting for operations that run off the GUI thread."""
from __future__ import annotations

from typing import Any

from argon2 import PasswordHasher

from hotline_desk.core import Core
from hotline_desk.domain import Category, IntakeForm
from ui.config import DeskConfig
from ui.context import DeskContext
from ui.ops import ChangeBus, Ops


def demo_password(username: str) -> str:
    """resources/demo_staff.json: every demo account's password is ``demo-<username>``."""
    return f"demo-{username}"


#: argon2 at its cheapest: the tests sign in many times; the product uses the defaults
FAST_HASH = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


def open_core(url: str, desk_id: str = "desk-test", **kw: Any) -> Core:
    core = Core.open(url, desk_id, hasher=FAST_HASH, **kw)
    core.upgrade()
    core.seed_demo()
    return core


def intake_form(subject_id: int, *, phone: str = "13907031234", narrative: str = "小区夜间施工噪音扰民",
                request: str = "请求制止夜间施工", category: Category = Category.COMPLAINT,
                district_code: str = "361102", **kw: Any) -> IntakeForm:
    return IntakeForm(narrative=narrative, request=request, caller_phone=phone, category=category,
                      subject_id=subject_id, district_code=district_code, caller_name="张先生",
                      address="书院路12号", **kw)


def subject_id(core: Core, path: str = "城乡建设 › 物业管理") -> int:
    return next(n.id for n in core.taxonomy.search(path.split(" › ")[-1]) if n.path == path)


def desk(core: Any, username: str = "agent3", desk_id: str = "desk-1") -> DeskContext:
    """A signed-in desk: its own Ops and change bus, like one running desk application."""
    actor = core.auth.sign_in(username, demo_password(username), desk_id)
    bus = ChangeBus()
    return DeskContext(core=core, actor=actor, ops=Ops(bus), changes=bus, settings=DeskConfig())


def idle(qtbot: Any, ctx: DeskContext, timeout: int = 10000) -> None:
    """Wait until every core call this desk started has come back to the GUI thread."""
    qtbot.waitUntil(lambda: ctx.ops.in_flight == 0, timeout=timeout)
