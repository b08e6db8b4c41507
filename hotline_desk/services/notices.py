"""Citizen notices (转办告知, 办结告知): the texts, and the adapter that sends the outbox.

Services only put notices in the outbox, inside the same transaction as the change they tell
about; sending is separate (an SMS gateway adapter in a deployment, ``LoggingSender`` by default),
so a failing gateway never loses or blocks a dispatch.
"""
from __future__ import annotations

import logging
from datetime import date
from typing import Protocol

from hotline_desk.domain import OutboxNotice

log = logging.getLogger(__name__)

DISPATCH_NOTICE = "dispatch_notice"
CLOSING_NOTICE = "closing_notice"
KIND_ZH = {DISPATCH_NOTICE: "转办告知", CLOSING_NOTICE: "办结告知"}

SIGNATURE = "【上饶市长热线】"


def cn_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def dispatch_notice(number: str, unit_name: str, contact_person: str, contact_phone: str,
                    due: date, co_units: list[str] | None = None) -> str:
    co = f"，协办单位：{'、'.join(co_units)}" if co_units else ""
    return (f"{SIGNATURE}您反映的诉求已登记，工单编号{number}，已转交{unit_name}办理{co}。"
            f"承办单位联系人：{contact_person}，联系电话：{contact_phone}，"
            f"预计{cn_date(due)}前办结。您可凭工单编号拨打12345查询办理进度。")


def closing_notice(number: str) -> str:
    return (f"{SIGNATURE}您反映的诉求（工单编号{number}）已办结。感谢您对我们工作的支持，"
            f"如有其他问题请拨打12345。")


class NoticeSender(Protocol):
    """Delivers one notice; raises on failure (the outbox keeps it and counts the attempt)."""

    def send(self, notice: OutboxNotice) -> None: ...


class LoggingSender:
    """The default adapter: writes the notice to the log (no SMS gateway configured)."""

    def send(self, notice: OutboxNotice) -> None:
        log.info("notice %s to %s for %s: %s", notice.kind, notice.phone, notice.ticket_number,
                 notice.text)
