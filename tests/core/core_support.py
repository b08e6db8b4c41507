"""Helpers shared by the core tests (imported as ``core_support``)."""
from __future__ import annotations

from datetime import datetime, timedelta

from hotline_desk.core import Core
from hotline_desk.domain import Actor, Category, DispatchMode, DispatchOrder, IntakeForm, TicketView
from hotline_desk.store.types import SHANGHAI

DEMO_PASSWORDS = {
    "agent1": "demo-agent1", "agent2": "demo-agent2", "agent3": "demo-agent3",
    "dispatcher": "demo-dispatcher", "supervisor": "demo-supervisor", "callback": "demo-callback",
    "shiftlead": "demo-shiftlead", "liaison": "demo-liaison", "analyst": "demo-analyst",
    "admin": "demo-admin",
}


class Clock:
    """A settable clock: Monday 2 March 2026, 09:00 in Shanghai unless a test moves it."""

    def __init__(self) -> None:
        self.now = datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)

    def __call__(self) -> datetime:
        self.now += timedelta(microseconds=1)  # distinct timestamps, like a real clock
        return self.now

    def set(self, *args: int) -> None:
        self.now = datetime(*args, tzinfo=SHANGHAI)  # type: ignore[misc]


class Staff:
    def __init__(self, core: Core) -> None:
        self._core = core
        self._cache: dict[str, Actor] = {}

    def __getattr__(self, username: str) -> Actor:
        if username not in self._cache:
            self._cache[username] = self._core.auth.sign_in(username, DEMO_PASSWORDS[username])
        return self._cache[username]


def intake(core: Core, **overrides: object) -> IntakeForm:
    subject = next(s for s in core.taxonomy.search("物业管理") if s.name == "物业管理")
    district = core.reference.districts()[0]
    fields: dict[str, object] = dict(
        narrative="小区楼下餐馆夜间噪音扰民，已持续一个月。", request="请求相关部门处理噪音问题。",
        caller_phone="13907031234", caller_name="张三丰", category=Category.COMPLAINT,
        subject_id=subject.id, district_code=district.code, township=district.townships[0],
        address="信州区水南街道书院路12号3栋")
    fields.update(overrides)
    return IntakeForm(**fields)  # type: ignore[arg-type]


def liaison_unit_id(core: Core, staff: Staff) -> int:
    uid = staff.liaison.unit_id
    assert uid is not None
    return uid


def register_and_dispatch(core: Core, staff: Staff, **overrides: object) -> TicketView:
    v = core.tickets.register(staff.agent3, intake(core, **overrides))
    r = core.tickets.dispatch(staff.agent3, v.id, v.version,
                              DispatchOrder(DispatchMode.DIRECT, liaison_unit_id(core, staff)))
    return r.ticket
