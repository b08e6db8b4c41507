"""Helpers for the ticket-screen tests: a real core on SQLite (or PostgreSQL), a signed-in desk
context, and waiting for operations that run off the GUI thread."""
from __future__ import annotations

from typing import Any

from hotline_desk.core import Core
from ui.config import DeskConfig
from ui.context import DeskContext
from ui.ops import ChangeBus, Ops

DEMO_PASSWORDS = {"agent1": "demo-agent1", "agent2": "demo-agent2", "agent3": "demo-agent3",
                  "dispatcher": "demo-dispatcher"}


def open_core(url: str, seed: bool = True) -> Core:
    core = Core.open(url)
    core.upgrade()
    if seed:
        core.seed_demo()
    return core


def desk(core: Any, username: str = "agent3", desk_id: str = "desk-1") -> DeskContext:
    """A signed-in desk: its own Ops and change bus, like one running desk application."""
    actor = core.auth.sign_in(username, DEMO_PASSWORDS[username], desk_id)
    bus = ChangeBus()
    return DeskContext(core=core, actor=actor, ops=Ops(bus), changes=bus, settings=DeskConfig())


def idle(qtbot: Any, ctx: DeskContext, timeout: int = 10000) -> None:
    """Wait until every core call this desk started has come back to the GUI thread."""
    qtbot.waitUntil(lambda: ctx.ops.in_flight == 0, timeout=timeout)
