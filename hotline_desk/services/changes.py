"""The change feed: every workflow transaction appends a row; other desks poll ``since(id)``.

On PostgreSQL the same transaction also sends ``NOTIFY hotline_changes, '<id>'``; PostgreSQL
delivers it only when the transaction commits, so a listening desk never hears of a change it
cannot read yet. ``listen`` is the blocking LISTEN loop a UI runs in a worker thread.
"""
from __future__ import annotations

import threading
from typing import Callable

import sqlalchemy as sa
from sqlalchemy.orm import Session

from hotline_desk.domain import Actor, Change
from hotline_desk.services.context import ServiceContext
from hotline_desk.store import models as m

CHANNEL = "hotline_changes"
MAX_BATCH = 500


def record_change(ctx: ServiceContext, session: Session, actor: Actor, ticket: m.Ticket | None,
                  action: str, version: int) -> m.ChangeRow:
    row = m.ChangeRow(ticket_id=ticket.id if ticket else None,
                      ticket_number=ticket.number if ticket else "", version=version,
                      action=action, staff_id=actor.staff_id, desk_id=actor.desk_id or ctx.desk_id,
                      at=ctx.now())
    session.add(row)
    session.flush()
    if ctx.dialect == "postgresql":
        session.execute(sa.select(sa.func.pg_notify(CHANNEL, str(row.id))))
    return row


class ChangeFeed:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def latest_id(self) -> int:
        """The newest change's id (0 for none): a desk starts following from here."""
        with self._ctx.uow.session() as s:
            return s.scalar(sa.select(sa.func.max(m.ChangeRow.id))) or 0

    def since(self, change_id: int, limit: int = MAX_BATCH) -> list[Change]:
        """Changes after ``change_id``, oldest first (at most ``limit``; call again for more)."""
        with self._ctx.uow.session() as s:
            rows = s.scalars(sa.select(m.ChangeRow).where(m.ChangeRow.id > change_id)
                             .order_by(m.ChangeRow.id).limit(limit))
            return [Change(r.id, r.ticket_id, r.ticket_number, r.version, r.action, r.staff_id,
                           r.desk_id, r.at) for r in rows]


def listen(url: str, on_change: Callable[[int], None], stop: threading.Event,
           poll_seconds: float = 1.0, ready: threading.Event | None = None) -> None:
    """Block until ``stop`` is set, calling ``on_change(change_id)`` for every NOTIFY on
    PostgreSQL ``url`` (a SQLAlchemy or libpq URL). Run it in a thread; on SQLite, poll
    ``ChangeFeed.since`` instead. Connection errors propagate: the caller shows the sync as
    unhealthy and falls back to polling. ``ready`` is set once LISTEN is in place (read
    ``ChangeFeed.since`` after that so nothing falls between the two)."""
    import psycopg

    from hotline_desk.store.db import resolve_url

    conninfo = resolve_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f"LISTEN {CHANNEL}")
        if ready is not None:
            ready.set()
        while not stop.is_set():
            for note in conn.notifies(timeout=poll_seconds, stop_after=1):
                try:
                    on_change(int(note.payload))
                except ValueError:
                    continue
