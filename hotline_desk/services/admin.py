"""Admin-maintained settings the workflow depends on: the holiday table (years chinese-calendar
does not know yet), the deadline policy, and the outbox of citizen notices."""
from __future__ import annotations

import logging
from dataclasses import asdict, fields
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa

from hotline_desk.calendar import WorkCalendar
from hotline_desk.domain import Actor, AuditEntry, DeadlinePolicy, OutboxNotice, Role
from hotline_desk.errors import NotFound, ValidationError
from hotline_desk.phone import mask_phone
from hotline_desk.services import access
from hotline_desk.services.context import ServiceContext
from hotline_desk.services.notices import LoggingSender, NoticeSender
from hotline_desk.services.views import load_ticket
from hotline_desk.store import models as m

log = logging.getLogger(__name__)


class CalendarService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    @property
    def calendar(self) -> WorkCalendar:
        """chinese-calendar plus the admin table (refreshed after a change or a minute)."""
        return self._ctx.calendar()

    def add_holiday(self, actor: Actor, day: date, is_workday: bool = False, note: str = "") -> None:
        """Add or change one day: ``is_workday`` False = a holiday, True = a make-up working day."""
        access.require(actor, access.ADMIN, "维护节假日")
        if len(note) > 100:
            raise ValidationError(field_errors={"note": "备注最多100字"})
        with self._ctx.uow.session(write=True) as s:
            row = s.get(m.Holiday, day) or m.Holiday(day=day)
            row.is_workday = is_workday
            row.note = note
            row.created_by = actor.username
            s.add(row)
            s.commit()
        self._ctx.invalidate()

    def mark_year_complete(self, actor: Actor, year: int) -> None:
        """Declare the table now holds ``year``'s whole published schedule: deadlines may fall in it."""
        access.require(actor, access.ADMIN, "维护节假日")
        if not 2000 <= year <= 2100:
            raise ValidationError(field_errors={"year": "年份无效"})
        with self._ctx.uow.session(write=True) as s:
            if s.get(m.CalendarYear, year) is None:
                s.add(m.CalendarYear(year=year, marked_by=actor.username))
            s.commit()
        self._ctx.invalidate()

    def holidays(self, year: int) -> dict[date, bool]:
        with self._ctx.uow.session() as s:
            rows = s.scalars(sa.select(m.Holiday).where(
                m.Holiday.day >= date(year, 1, 1), m.Holiday.day <= date(year, 12, 31)))
            return {r.day: r.is_workday for r in rows}


class PolicyService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def get(self) -> DeadlinePolicy:
        return self._ctx.policy()

    def set(self, actor: Actor, **values: int) -> DeadlinePolicy:
        """Change policy numbers, e.g. ``set(actor, consultation_days=5)``."""
        access.require(actor, access.ADMIN, "修改办理时限")
        known = {f.name for f in fields(DeadlinePolicy)}
        errors = {k: "未知的设置项" for k in values if k not in known}
        errors.update({k: "须为0到365之间的整数" for k, v in values.items()
                       if k in known and (not isinstance(v, int) or not 0 <= v <= 365)})
        if errors:
            raise ValidationError(field_errors=errors)
        with self._ctx.uow.session(write=True) as s:
            # Merged with what is stored now (not this desk's cache, which may be a minute old),
            # and the result built before COMMIT: nothing reads the database after it.
            stored = {r.key: r.value for r in s.scalars(sa.select(m.PolicySetting))}
            merged = {**asdict(DeadlinePolicy(**{k: v for k, v in stored.items() if k in known})),
                      **values}
            if merged["max_days"] < max(merged["consultation_days"], merged["complaint_days"],
                                        merged["help_days"], merged["suggestion_days"]):
                raise ValidationError(field_errors={"max_days": "最长办理期限不能短于各类诉求的办理期限"})
            for k, v in values.items():
                row = s.get(m.PolicySetting, k) or m.PolicySetting(key=k)
                row.value = v
                s.add(row)
            policy = DeadlinePolicy(**merged)
            s.commit()
        self._ctx.invalidate()
        return policy


#: Sending attempts before a notice is given up on (marked failed, listed for supervisors).
MAX_SEND_ATTEMPTS = 5
#: Wait after the first failed attempt; doubled after each further one (2, 4, 8, 16 minutes),
#: so a gateway that is down for a while is not hammered and an outage of half an hour is ridden out.
RETRY_DELAY = timedelta(minutes=2)

#: Who sees the notices given up on (and calls the citizen instead).
SEES_FAILED = access.SUPERVISE


def _notice(r: m.OutboxRow, number: str, masked: bool = False, withheld: bool = False) -> OutboxNotice:
    """``withheld``: a confidential ticket's notice for someone not cleared for it — that it
    exists, not what it says nor to whom."""
    return OutboxNotice(r.id, r.ticket_id, number, r.kind,
                        mask_phone(r.phone) if masked or withheld else r.phone,
                        WITHHELD_TEXT if withheld else r.text,
                        r.created_at, r.sent_at, r.attempts, r.last_error, r.failed_at)


WITHHELD_TEXT = "（保密工单的告知，无权查看内容）"


def retry_delay(attempts: int) -> timedelta:
    """The wait before the next attempt after ``attempts`` failed ones (1 → RETRY_DELAY)."""
    return RETRY_DELAY * 2 ** (max(attempts, 1) - 1)


class OutboxService:
    """The citizen notices the workflow queued (转办告知, 办结告知) and their sending."""

    def __init__(self, ctx: ServiceContext, sender: NoticeSender | None = None) -> None:
        self._ctx = ctx
        self.sender: NoticeSender = sender or LoggingSender()

    _LISTED = (m.OutboxRow, m.Ticket.number, m.Ticket.confidential, m.Ticket.registered_by_id)

    def _waiting(self) -> sa.Select[tuple[m.OutboxRow, str]]:
        return (sa.select(m.OutboxRow, m.Ticket.number)
                .join(m.Ticket, m.Ticket.id == m.OutboxRow.ticket_id)
                .where(m.OutboxRow.sent_at.is_(None), m.OutboxRow.failed_at.is_(None))
                .order_by(m.OutboxRow.id))

    @staticmethod
    def _listed(actor: Actor, rows: Any) -> list[OutboxNotice]:
        """List rows under the ticket rules: a confidential ticket's notice shows only that it
        exists to roles not cleared for it; numbers masked for roles without clearance."""
        masked = not access.sees_personal_data(actor)
        return [_notice(r, n, masked, withheld=not access.cleared_by_role(actor, confidential, by))
                for r, n, confidential, by in rows]

    def pending(self, actor: Actor, limit: int = 100) -> list[OutboxNotice]:
        """Notices not sent yet and not given up on (including those waiting for a retry)."""
        access.require(actor, access.VIEW_ALL - {Role.ANALYST}, "查看待发告知")
        with self._ctx.uow.session() as s:
            rows = s.execute(self._waiting().with_only_columns(*self._LISTED).limit(limit)).all()
            return self._listed(actor, rows)

    def failed(self, actor: Actor, limit: int = 100) -> list[OutboxNotice]:
        """Notices given up on after ``MAX_SEND_ATTEMPTS`` failed attempts, newest first, with
        the last error: a supervisor has the citizen told another way, or ``requeue``s it."""
        access.require(actor, SEES_FAILED, "查看发送失败的告知")
        with self._ctx.uow.session() as s:
            rows = s.execute(sa.select(*self._LISTED)
                             .join(m.Ticket, m.Ticket.id == m.OutboxRow.ticket_id)
                             .where(m.OUTBOX_FAILED_WHERE)
                             .order_by(m.OutboxRow.failed_at.desc(), m.OutboxRow.id.desc())
                             .limit(max(1, min(limit, 1000)))).all()
            return self._listed(actor, rows)

    def requeue(self, actor: Actor, notice_id: int) -> OutboxNotice:
        """Send a given-up notice again (the gateway is back, the number was corrected): its
        attempts start over. Audited."""
        access.require(actor, SEES_FAILED, "重新发送告知")
        with self._ctx.uow.session(write=True) as s:
            row = s.get(m.OutboxRow, notice_id)
            if row is None:
                raise NotFound(f"告知不存在（{notice_id}）", f"no notice {notice_id}")
            if row.failed_at is None:
                raise ValidationError("该告知未被放弃发送，无需重新排队",
                                      "the notice was not given up on")
            row.failed_at = None
            row.next_attempt_at = None
            row.attempts = 0
            access.audit(s, actor, "requeue_notice", row.ticket_id, self._ctx.now())
            number = s.scalar(sa.select(m.Ticket.number).where(m.Ticket.id == row.ticket_id)) or ""
            s.commit()
            return _notice(row, number, not access.sees_personal_data(actor))

    def for_ticket(self, actor: Actor, ticket_id: int) -> list[OutboxNotice]:
        """A ticket's notices, under the rules of viewing the ticket: refused for a confidential
        ticket the actor is not cleared for (audited when it is), the number masked for roles
        without personal-data clearance."""
        with self._ctx.uow.session() as s:
            t = load_ticket(s, ticket_id)
            access.require_cleared(actor, t)
            masked = not access.sees_personal_data_of(actor, t)
            rows = s.scalars(sa.select(m.OutboxRow).where(m.OutboxRow.ticket_id == ticket_id)
                             .order_by(m.OutboxRow.id)).all()
            notices = [_notice(r, t.number, masked) for r in rows]
            confidential = t.confidential
        if confidential:
            with self._ctx.uow.session(write=True) as s:
                access.audit(s, actor, "view_confidential_notices", ticket_id, self._ctx.now())
                s.commit()
        return notices

    def send_pending(self, limit: int = 100) -> int:
        """Hand the notices that are due to the sender. A failure is recorded with its error and
        retried after a growing delay (``retry_delay``); after ``MAX_SEND_ATTEMPTS`` the notice is
        marked failed and no longer retried. Returns how many were sent. (A background job,
        not a user action.)"""
        sent = 0
        now = self._ctx.now()
        with self._ctx.uow.session() as s:
            rows = s.execute(self._waiting().where(sa.or_(
                m.OutboxRow.next_attempt_at.is_(None), m.OutboxRow.next_attempt_at <= now))
                .limit(limit)).all()
            notices = [_notice(r, n) for r, n in rows]
        for notice in notices:
            attempts = notice.attempts + 1
            values: dict[str, object] = {"attempts": attempts}
            try:
                self.sender.send(notice)
            except Exception as e:  # noqa: BLE001 — any gateway failure is recorded, not raised
                error = f"第{attempts}次发送失败：{type(e).__name__}: {e}"
                values["last_error"] = error
                if attempts >= MAX_SEND_ATTEMPTS:
                    values["failed_at"] = self._ctx.now()
                    values["next_attempt_at"] = None
                    log.warning("notice %s for %s given up after %d attempts: %s", notice.id,
                                notice.ticket_number, attempts, error)
                else:
                    values["next_attempt_at"] = self._ctx.now() + retry_delay(attempts)
            else:
                values.update(sent_at=self._ctx.now(), last_error="", next_attempt_at=None)
                sent += 1
            with self._ctx.uow.session(write=True) as s:
                s.execute(sa.update(m.OutboxRow).where(m.OutboxRow.id == notice.id).values(**values))
                s.commit()
        return sent


class AuditService:
    """Reading the audit log (the log itself is written by the services, append-only)."""

    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def entries(self, actor: Actor, ticket_id: int | None = None, limit: int = 200) -> list[AuditEntry]:
        """Newest first; optionally only one ticket's."""
        access.require(actor, access.ADMIN | {Role.SUPERVISOR, Role.SHIFT_LEAD}, "查看审计日志")
        with self._ctx.uow.session() as s:
            q = sa.select(m.AuditRow).order_by(m.AuditRow.id.desc()).limit(max(1, min(limit, 5000)))
            if ticket_id is not None:
                q = q.where(m.AuditRow.ticket_id == ticket_id)
            return [AuditEntry(r.id, r.at, r.staff_name, r.desk_id, r.action, r.ticket_id,
                               dict(r.detail or {})) for r in s.scalars(q)]
