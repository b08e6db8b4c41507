"""The storage schema (SQLAlchemy 2 typed mappings). The domain's value objects live in
``hotline_desk.domain``; these classes are what the database holds and are only used inside
services. Every index is named (naming convention) so Alembic migrations stay stable."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from hotline_desk.store.types import UtcDateTime, utcnow

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Maximum lengths of free text, enforced by the services with a Chinese message before the
# database sees it (a paste of 100 KB into a field is refused, not truncated).
MAX_LEN = {
    "narrative": 4000,
    "request": 2000,
    "people": 500,
    "address": 200,
    "township": 50,
    "caller_name": 50,
    "caller_phone_raw": 40,
    "call_ref": 64,
    "client_ref": 64,
    "instructions": 1000,
    "reason": 1000,
    "reply_process": 4000,
    "reply_result": 4000,
    "resolution": 2000,
    "note": 1000,
}


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UtcDateTime()}


class Staff(Base):
    __tablename__ = "staff"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(50), unique=True)
    display_name: Mapped[str] = mapped_column(sa.String(50))
    password_hash: Mapped[str] = mapped_column(sa.String(200))
    roles: Mapped[str] = mapped_column(sa.String(200))  # comma-separated Role values
    unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("unit.id"))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Unit(Base):
    """承办单位: a government unit tickets are dispatched to, with its current contact."""

    __tablename__ = "unit"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    short_name: Mapped[str] = mapped_column(sa.String(50), default="", server_default="")
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("unit.id"))
    district_code: Mapped[str] = mapped_column(sa.String(12), default="")
    contact_person: Mapped[str] = mapped_column(sa.String(50), default="")
    phone: Mapped[str] = mapped_column(sa.String(40), default="")
    backup_phone: Mapped[str] = mapped_column(sa.String(40), default="")
    active: Mapped[bool] = mapped_column(default=True)
    initials: Mapped[str] = mapped_column(sa.String(100), default="")  # pinyin initials of the name


class UnitSubject(Base):
    """Subjects a unit usually handles (from the directory): dispatch suggestions before the
    unit has any history."""

    __tablename__ = "unit_subject"

    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("unit.id"), primary_key=True)
    subject_id: Mapped[int] = mapped_column(sa.ForeignKey("subject.id"), primary_key=True)


class UnitSubjectStat(Base):
    """How many tickets of a subject in a district each unit has led (主办): the dispatch
    suggestions read a handful of rows here instead of counting a year of assignments. Kept by
    the dispatch transaction (+1 when a unit becomes a ticket's lead for the first time),
    back-filled by migration 0005 and rebuilt after bulk generation."""

    __tablename__ = "unit_subject_stat"

    subject_id: Mapped[int] = mapped_column(sa.ForeignKey("subject.id"), primary_key=True)
    district_code: Mapped[str] = mapped_column(sa.ForeignKey("district.code"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("unit.id"), primary_key=True)
    handled: Mapped[int] = mapped_column(default=0)


class Subject(Base):
    """A node of the subject taxonomy (诉求分类), e.g. 城乡建设 › 物业管理."""

    __tablename__ = "subject"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    name: Mapped[str] = mapped_column(sa.String(50))
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("subject.id"))
    path: Mapped[str] = mapped_column(sa.String(200))
    initials: Mapped[str] = mapped_column(sa.String(100), default="")
    sort: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)


class District(Base):
    """A county-level division of Shangrao (县/市/区) with its townships and streets."""

    __tablename__ = "district"

    code: Mapped[str] = mapped_column(sa.String(12), primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(50))
    sort: Mapped[int] = mapped_column(default=0)
    townships: Mapped[list[Township]] = relationship(order_by="Township.sort")


class Township(Base):
    __tablename__ = "township"
    __table_args__ = (sa.UniqueConstraint("district_code", "name", name="uq_township_district_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    district_code: Mapped[str] = mapped_column(sa.ForeignKey("district.code"))
    name: Mapped[str] = mapped_column(sa.String(50))
    sort: Mapped[int] = mapped_column(default=0)


class NotInScopeReason(Base):
    """A reason a matter is not the hotline's, with the sentence telling the citizen the right channel."""

    __tablename__ = "not_in_scope_reason"

    code: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    label: Mapped[str] = mapped_column(sa.String(100))
    channel_sentence: Mapped[str] = mapped_column(sa.String(500))
    sort: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)


class Holiday(Base):
    """Admin-maintained calendar days (a year chinese-calendar does not know yet, or a local
    change): ``is_workday`` False = a holiday, True = a make-up working day (调休)."""

    __tablename__ = "holiday"

    day: Mapped[date] = mapped_column(primary_key=True)
    is_workday: Mapped[bool]
    note: Mapped[str] = mapped_column(sa.String(100), default="")
    created_by: Mapped[str] = mapped_column(sa.String(50), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CalendarYear(Base):
    """A year whose whole holiday schedule the admin has entered in ``holiday`` (complete), so
    deadlines may fall in it although chinese-calendar does not know it yet."""

    __tablename__ = "calendar_year"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    marked_by: Mapped[str] = mapped_column(sa.String(50), default="")
    marked_at: Mapped[datetime] = mapped_column(default=utcnow)


class PolicySetting(Base):
    """One editable number of the deadline policy (``DeadlinePolicy`` field name → value)."""

    __tablename__ = "policy_setting"

    key: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    value: Mapped[int]


class TicketCounter(Base):
    """Per-day sequence for ticket numbers, incremented with UPDATE … RETURNING in the
    registration transaction so desks writing at once never share a number."""

    __tablename__ = "ticket_counter"

    day: Mapped[str] = mapped_column(sa.String(8), primary_key=True)
    last: Mapped[int] = mapped_column(default=0)


# domain.OPEN_STATUSES as literal SQL (tests/core/test_search_caller.py keeps them equal). Queries
# use this very clause so both databases can prove the partial index applies (a bound parameter
# would not match it on SQLite, nor in PostgreSQL's generic plans).
OPEN_TICKET_WHERE = sa.text("status IN ('callback_pending', 'dispatched', 'in_progress', "
                            "'registered', 'replied', 'resolved', 'returned')")


class Ticket(Base):
    __tablename__ = "ticket"
    __table_args__ = (
        sa.Index("ix_ticket_status_due", "status", "due_date"),
        sa.Index("ix_ticket_open_due", "open_due", "id"),
        # B-tree indexes are walked backwards for newest-first lists; plain columns keep Alembic's
        # comparison working on both databases.
        sa.Index("ix_ticket_phone_registered", "caller_phone", "registered_at"),
        # A caller's open tickets for the call pop (a frequent caller's closed history unread).
        sa.Index("ix_ticket_phone_open", "caller_phone", "registered_at",
                 postgresql_where=OPEN_TICKET_WHERE, sqlite_where=OPEN_TICKET_WHERE),
        sa.Index("ix_ticket_registered", "registered_at", "id"),
        # A unique index rather than a table constraint: both databases add it to a filled table
        # in place (SQLite cannot ALTER in a constraint and would copy the whole table).
        sa.Index("uq_ticket_client_ref", "client_ref", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(sa.String(20), unique=True)
    status: Mapped[str] = mapped_column(sa.String(20))
    version: Mapped[int] = mapped_column(default=1)

    category: Mapped[str] = mapped_column(sa.String(20))
    channel: Mapped[str] = mapped_column(sa.String(20))
    subject_id: Mapped[int] = mapped_column(sa.ForeignKey("subject.id"), index=True)
    urgency: Mapped[str] = mapped_column(sa.String(10))
    confidential: Mapped[bool] = mapped_column(default=False)
    callback_wanted: Mapped[bool] = mapped_column(default=True)

    occurred_at: Mapped[datetime | None]
    received_at: Mapped[datetime]
    registered_at: Mapped[datetime]
    registered_by_id: Mapped[int] = mapped_column(sa.ForeignKey("staff.id"))
    desk_id: Mapped[str] = mapped_column(sa.String(40), default="")

    district_code: Mapped[str] = mapped_column(sa.ForeignKey("district.code"), index=True)
    township: Mapped[str] = mapped_column(sa.String(MAX_LEN["township"]), default="")
    address: Mapped[str] = mapped_column(sa.String(MAX_LEN["address"]), default="")
    people: Mapped[str] = mapped_column(sa.String(MAX_LEN["people"]), default="")
    narrative: Mapped[str] = mapped_column(sa.Text)
    request: Mapped[str] = mapped_column(sa.Text)
    caller_name: Mapped[str] = mapped_column(sa.String(MAX_LEN["caller_name"]), default="")
    caller_phone: Mapped[str] = mapped_column(sa.String(20))  # normalised
    caller_phone_raw: Mapped[str] = mapped_column(sa.String(MAX_LEN["caller_phone_raw"]), default="")
    call_ref: Mapped[str | None] = mapped_column(sa.String(MAX_LEN["call_ref"]))
    # The desk's idempotency key of the intake (IntakeForm.client_ref): a retried registration
    # finds its ticket instead of creating a second one. NULL for tickets registered without one.
    client_ref: Mapped[str | None] = mapped_column(sa.String(MAX_LEN["client_ref"]))

    not_in_scope_code: Mapped[str] = mapped_column(sa.String(40), default="")
    resolution: Mapped[str] = mapped_column(sa.Text, default="")

    dispatch_mode: Mapped[str | None] = mapped_column(sa.String(20))
    dispatched_at: Mapped[datetime | None]
    dispatch_day: Mapped[date | None]          # the Shanghai date the current dispatch counts from
    instructions: Mapped[str] = mapped_column(sa.Text, default="")
    lead_unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("unit.id"))
    due_date: Mapped[date | None]
    working_days: Mapped[int | None]
    open_due: Mapped[date | None]      # = due_date while a unit has the ticket, else NULL (fast overdue list)
    ack_due: Mapped[date | None]
    return_until: Mapped[date | None]
    max_due_date: Mapped[date | None]

    extension_requested_due: Mapped[date | None]
    extension_reason: Mapped[str] = mapped_column(sa.Text, default="")
    extension_count: Mapped[int] = mapped_column(default=0)
    rehandle_count: Mapped[int] = mapped_column(default=0)
    return_count: Mapped[int] = mapped_column(default=0)
    supervision_count: Mapped[int] = mapped_column(default=0)

    reply_method: Mapped[str | None] = mapped_column(sa.String(20))
    reply_process: Mapped[str] = mapped_column(sa.Text, default="")
    reply_result: Mapped[str] = mapped_column(sa.Text, default="")
    replied_at: Mapped[datetime | None]
    callback_due: Mapped[date | None]
    callback_attempts: Mapped[int] = mapped_column(default=0)
    satisfaction: Mapped[str | None] = mapped_column(sa.String(30))
    closed_at: Mapped[datetime | None]

    updated_at: Mapped[datetime]
    updated_by_id: Mapped[int] = mapped_column(sa.ForeignKey("staff.id"))

    assignments: Mapped[list[Assignment]] = relationship(
        order_by="Assignment.id", back_populates="ticket")

    __mapper_args__ = {"version_id_col": version}


class Assignment(Base):
    """A unit on a ticket (主办 lead / 协办 co) with the contact snapshot taken at dispatch."""

    __tablename__ = "assignment"
    __table_args__ = (sa.Index("ix_assignment_unit_ticket", "unit_id", "ticket_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(sa.ForeignKey("ticket.id"), index=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("unit.id"))
    role: Mapped[str] = mapped_column(sa.String(10))
    unit_name: Mapped[str] = mapped_column(sa.String(100))
    contact_person: Mapped[str] = mapped_column(sa.String(50))
    contact_phone: Mapped[str] = mapped_column(sa.String(40))
    dispatched_at: Mapped[datetime]
    acknowledged_at: Mapped[datetime | None]
    active: Mapped[bool] = mapped_column(default=True)

    ticket: Mapped[Ticket] = relationship(back_populates="assignments")


class TimelineRow(Base):
    """One entry of a ticket's timeline: append-only (a trigger refuses UPDATE and DELETE)."""

    __tablename__ = "timeline"
    __table_args__ = (sa.Index("ix_timeline_ticket", "ticket_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(sa.ForeignKey("ticket.id"))
    at: Mapped[datetime]
    action: Mapped[str] = mapped_column(sa.String(30))
    staff_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff.id"))
    staff_name: Mapped[str] = mapped_column(sa.String(50))
    desk_id: Mapped[str] = mapped_column(sa.String(40), default="")
    from_status: Mapped[str | None] = mapped_column(sa.String(20))
    to_status: Mapped[str | None] = mapped_column(sa.String(20))
    version: Mapped[int]
    text: Mapped[str] = mapped_column(sa.Text)
    detail: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)


class Supervision(Base):
    """督办 record (phone / written / on-site) — counted per unit for performance evaluation."""

    __tablename__ = "supervision"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(sa.ForeignKey("ticket.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("unit.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    outcome: Mapped[str | None] = mapped_column(sa.String(20))
    duration_s: Mapped[int | None]
    note: Mapped[str] = mapped_column(sa.Text, default="")
    staff_id: Mapped[int] = mapped_column(sa.ForeignKey("staff.id"))
    at: Mapped[datetime]


class TicketToken(Base):
    """Free-text index: one row per distinct character bigram (or trailing single character) of a
    ticket's text. The primary key (token, registered_at, ticket_id) lets a search walk a term's
    matches newest-first and stop at one page, on SQLite and PostgreSQL alike."""

    __tablename__ = "ticket_token"
    __table_args__ = ({"sqlite_with_rowid": False},)

    token: Mapped[str] = mapped_column(sa.String(2), primary_key=True)
    registered_at: Mapped[datetime] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(sa.ForeignKey("ticket.id"), primary_key=True)


OUTBOX_FAILED_WHERE = sa.text("failed_at IS NOT NULL")


class OutboxRow(Base):
    """A citizen notice (转办告知 / 办结告知) waiting to be sent by the notice adapter."""

    __tablename__ = "outbox"
    __table_args__ = (
        sa.Index("ix_outbox_pending", "sent_at", "id"),
        # The supervisor's list of notices given up on: only those rows are in the index.
        sa.Index("ix_outbox_failed", "failed_at", "id", postgresql_where=OUTBOX_FAILED_WHERE,
                 sqlite_where=OUTBOX_FAILED_WHERE),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(sa.ForeignKey("ticket.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(30))
    phone: Mapped[str] = mapped_column(sa.String(20))
    text: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(sa.Text, default="")
    next_attempt_at: Mapped[datetime | None]   # after a failed attempt: not retried before this
    failed_at: Mapped[datetime | None]         # given up after the last allowed attempt


class AuditRow(Base):
    """Who looked at a confidential ticket or exported data, and when (append-only)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime]
    staff_id: Mapped[int] = mapped_column(sa.ForeignKey("staff.id"))
    staff_name: Mapped[str] = mapped_column(sa.String(50))
    desk_id: Mapped[str] = mapped_column(sa.String(40), default="")
    action: Mapped[str] = mapped_column(sa.String(30))
    ticket_id: Mapped[int | None] = mapped_column(sa.ForeignKey("ticket.id"), index=True)
    detail: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)


class ChangeRow(Base):
    """The change feed other desks poll (and, on PostgreSQL, get NOTIFY'd about)."""

    __tablename__ = "change_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int | None] = mapped_column(sa.ForeignKey("ticket.id"))
    ticket_number: Mapped[str] = mapped_column(sa.String(20), default="")
    version: Mapped[int] = mapped_column(default=0)
    action: Mapped[str] = mapped_column(sa.String(30))
    staff_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff.id"))
    desk_id: Mapped[str] = mapped_column(sa.String(40), default="")
    at: Mapped[datetime]
