"""The composition root of the ticket core (cosmicpython's bootstrap): one object that owns the
engine and hands out the services. The UI builds one per desk and calls services from a worker
thread; tests build one per database with a fixed clock and cheap password hashing.

    core = Core.open()              # SQLite in the user's data folder (or $HOTLINE_DB_URL)
    core.upgrade()                  # Alembic to head
    core.seed_demo()                # reference data + demo staff (idempotent)
    actor = core.auth.sign_in("agent1", "demo-agent1")
    view = core.tickets.register(actor, IntakeForm(...))
"""
from __future__ import annotations

import socket
from datetime import datetime
from typing import Callable

from argon2 import PasswordHasher

from hotline_desk.services.admin import AuditService, CalendarService, OutboxService, PolicyService
from hotline_desk.services.changes import ChangeFeed
from hotline_desk.services.context import ServiceContext
from hotline_desk.services.directory import ReferenceService, TaxonomyService, UnitService
from hotline_desk.services.notices import NoticeSender
from hotline_desk.services.search import SearchService
from hotline_desk.services.staff import AuthService, StaffService
from hotline_desk.services.tickets import TicketService
from hotline_desk.store import migrate
from hotline_desk.store.db import UnitOfWork, create_engine, resolve_url
from hotline_desk.store.types import utcnow


class Core:
    def __init__(self, url: str, desk_id: str, *, clock: Callable[[], datetime] = utcnow,
                 hasher: PasswordHasher | None = None, sender: NoticeSender | None = None) -> None:
        self.url = url
        self.engine = create_engine(resolve_url(url))
        self.uow = UnitOfWork(self.engine)
        self.ctx = ServiceContext(self.uow, desk_id, clock)
        self.hasher = hasher or PasswordHasher()
        self.auth = AuthService(self.ctx, self.hasher)
        self.staff = StaffService(self.ctx, self.hasher)
        self.tickets = TicketService(self.ctx)
        self.search = SearchService(self.ctx)
        self.units = UnitService(self.ctx)
        self.taxonomy = TaxonomyService(self.ctx)
        self.reference = ReferenceService(self.ctx)
        self.calendar = CalendarService(self.ctx)
        self.policy = PolicyService(self.ctx)
        self.outbox = OutboxService(self.ctx, sender)
        self.changes = ChangeFeed(self.ctx)
        self.audit = AuditService(self.ctx)

    @classmethod
    def open(cls, url: str | None = None, desk_id: str | None = None, *,
             clock: Callable[[], datetime] = utcnow, hasher: PasswordHasher | None = None,
             sender: NoticeSender | None = None) -> "Core":
        """``url``: a SQLAlchemy URL; None → $HOTLINE_DB_URL or SQLite in the user's data folder.
        A PostgreSQL URL without a password takes it from $HOTLINE_DB_PASSWORD.
        ``desk_id`` names this desk on timelines (default: the host name)."""
        resolved = resolve_url(url).render_as_string(hide_password=False)
        return cls(resolved, desk_id or socket.gethostname(), clock=clock, hasher=hasher,
                   sender=sender)

    @property
    def dialect(self) -> str:
        return self.ctx.dialect

    def upgrade(self) -> None:
        """Create or migrate the schema to the newest revision."""
        migrate.upgrade(self.engine)
        self.ctx.invalidate()

    def schema_revision(self) -> str | None:
        return migrate.current_revision(self.engine)

    def seed_reference(self) -> dict[str, int]:
        """Districts, taxonomy, units and not-in-scope reasons from resources/ (idempotent)."""
        from hotline_desk.seed import seed_reference

        with self.uow.session(write=True) as s:
            counts = seed_reference(s)
            s.commit()
        self.ctx.invalidate()
        return counts

    def seed_demo(self) -> dict[str, int]:
        """Reference data plus the demo staff of resources/demo_staff.json (idempotent)."""
        from hotline_desk.seed import seed_demo_staff, seed_reference

        with self.uow.session(write=True) as s:
            counts = seed_reference(s)
            counts["staff"] = seed_demo_staff(s, self.hasher)
            s.commit()
        self.ctx.invalidate()
        return counts

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> "Core":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
