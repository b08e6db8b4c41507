"""Typed errors of the ticket core.

Every refusal a desk can meet (bad input, no permission, stale version, a transition the status
does not allow, a deadline in a year nobody knows the holidays of) is one of these, so the UI can
show the Chinese message (``str(e)``) and, where useful, the structured details. A service raises
them before anything is written, or the unit of work rolls back — never half a change.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Mapping


class DeskError(Exception):
    """Base of every error the core raises on purpose. ``str(e)`` is the Chinese message."""

    code: str = "desk_error"

    def __init__(self, message_zh: str, message_en: str = "", *, code: str | None = None) -> None:
        super().__init__(message_zh)
        self.message_zh = message_zh
        self.message_en = message_en or message_zh
        if code is not None:
            self.code = code

    def __str__(self) -> str:
        return self.message_zh


class ValidationError(DeskError):
    """Input that cannot be accepted; ``field_errors`` maps a field name to a Chinese message."""

    code = "validation"

    def __init__(self, message_zh: str = "输入有误，请检查标出的字段", message_en: str = "invalid input",
                 *, field_errors: Mapping[str, str] | None = None, code: str | None = None) -> None:
        self.field_errors: dict[str, str] = dict(field_errors or {})
        if self.field_errors and message_zh == "输入有误，请检查标出的字段":
            message_zh = "输入有误：" + "；".join(self.field_errors.values())
        super().__init__(message_zh, message_en, code=code)


class PermissionDenied(DeskError):
    """The signed-in staff member's roles or unit do not allow this."""

    code = "permission_denied"

    def __init__(self, message_zh: str = "您没有权限执行此操作", message_en: str = "permission denied",
                 *, code: str | None = None) -> None:
        super().__init__(message_zh, message_en, code=code)


class NotFound(DeskError):
    """The ticket, unit, staff member … does not exist."""

    code = "not_found"

    def __init__(self, message_zh: str = "记录不存在", message_en: str = "not found",
                 *, code: str | None = None) -> None:
        super().__init__(message_zh, message_en, code=code)


@dataclass(frozen=True)
class OtherChange:
    """What the other desk did to the ticket since this desk loaded it (for the conflict dialog)."""

    version: int
    changed_by: str
    changed_at: datetime | None
    action: str
    action_zh: str
    detail: Mapping[str, Any]


class ConflictError(DeskError):
    """A write based on a stale version: someone else changed the ticket first. Nothing was written."""

    code = "conflict"

    def __init__(self, *, ticket_number: str, expected_version: int, current_version: int,
                 other: OtherChange | None) -> None:
        self.ticket_number = ticket_number
        self.expected_version = expected_version
        self.current_version = current_version
        self.other = other
        if other is not None:
            when = other.changed_at.strftime("%H:%M:%S") if other.changed_at else ""
            zh = (f"工单 {ticket_number} 已被 {other.changed_by} 于 {when} 修改（{other.action_zh}），"
                  f"请刷新后再操作")
            en = (f"ticket {ticket_number} was changed by {other.changed_by} at {when} "
                  f"({other.action}); reload and try again")
        else:
            zh = f"工单 {ticket_number} 已被其他坐席修改，请刷新后再操作"
            en = f"ticket {ticket_number} was changed by another desk; reload and try again"
        super().__init__(zh, en)


class TransitionError(DeskError):
    """The action is not allowed in the ticket's current status."""

    code = "transition"

    def __init__(self, message_zh: str, message_en: str = "action not allowed in this status",
                 *, status: str | None = None, action: str | None = None) -> None:
        self.status = status
        self.action = action
        super().__init__(message_zh, message_en)


class CalendarUnknownYear(DeskError):
    """A working-day computation reached a year whose holidays are not known (neither
    chinese-calendar nor the admin holiday table). Never guessed: the admin must add the year."""

    code = "calendar_unknown_year"

    def __init__(self, year: int) -> None:
        self.year = year
        super().__init__(
            f"{year} 年的法定节假日尚未录入，无法计算工作日期限；请管理员先在节假日表中补录 {year} 年的安排",
            f"the holidays of {year} are not known; an admin must add them to the holiday table",
        )


class AuthError(DeskError):
    """Sign-in failed (unknown user, wrong password, disabled account)."""

    code = "auth"

    def __init__(self, message_zh: str = "用户名或密码错误", message_en: str = "wrong user name or password",
                 *, code: str | None = None) -> None:
        super().__init__(message_zh, message_en, code=code)


class ResourcesMissing(DeskError):
    """The shipped data folder (taxonomy, districts, units, translations) is not where the
    installation should have put it; ``looked_in`` lists every place tried."""

    code = "resources_missing"

    def __init__(self, looked_in: list[str]) -> None:
        self.looked_in = list(looked_in)
        places = "；".join(self.looked_in)
        super().__init__(
            f"找不到数据文件夹 resources（已查找：{places}）。请重新安装坐席软件，"
            f"或用环境变量 HOTLINE_RESOURCES 指明其位置。",
            f"resources folder not found (looked in: {'; '.join(self.looked_in)}); reinstall the "
            f"desk or set HOTLINE_RESOURCES to its location")
