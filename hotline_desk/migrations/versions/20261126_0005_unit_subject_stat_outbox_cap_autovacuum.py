"""dispatch suggestion counts, outbox retry cap, stale callback dates, autovacuum of insert-only tables

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26 02:00:00

1. ``unit_subject_stat``: the dispatch suggestions counted, per unit, the distinct tickets of a
   subject in a district it led, over all assignments (a parallel hash join over 850 k lead
   assignments at 1 M tickets: 350–760 ms per call on PostgreSQL). The counts now live in a
   small table the dispatch transaction keeps; it is back-filled here from the assignments with
   the very definition the old query used (one INSERT … SELECT … GROUP BY).
2. ``outbox.next_attempt_at`` / ``failed_at``: a notice whose sending keeps failing is retried
   with a growing delay and given up after the last allowed attempt (instead of forever); the
   given-up notices are listed for a supervisor through a partial index holding only them.
3. ``ticket.callback_due`` of tickets back with the dispatchers or a unit is cleared: a citizen
   unsatisfied with an on-call answer sent the ticket back to dispatch with the old callback
   date still set (the service no longer does so).
4. PostgreSQL only — autovacuum of the insert-mostly tables. Autovacuum's insert trigger waits for
   ``autovacuum_vacuum_insert_scale_factor`` (20 %) of the table: 10.8 M new rows of
   ``ticket_token`` at 1 M tickets, about a month of calls. Until then the newest pages are not
   all-visible, and the newest index entries — exactly the ones a newest-first text search or a
   caller's recent history walks — cost a heap fetch each (measured: 2001 heap fetches per 2000
   entries before VACUUM, 0 after; one search step 16.5 ms → 1.5 ms). A fixed threshold keeps
   the visibility map current at any size: ``ticket_token`` every 200,000 rows (≈ 3,700 tickets
   at 54 tokens each), ``timeline`` every 50,000 rows (≈ 7.5 per ticket, the same few thousand
   tickets), ``ticket`` every 5,000 rows. Such a vacuum only visits pages not yet all-visible
   and skips index cleanup when there is next to nothing dead, so it stays cheap. SQLite has no
   visibility map: nothing to do there.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import hotline_desk.store.types

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

# The old suggestion query's definition, frozen at this revision (synth rebuilds with the same).
BACKFILL = """
INSERT INTO unit_subject_stat (subject_id, district_code, unit_id, handled)
SELECT t.subject_id, t.district_code, a.unit_id, COUNT(DISTINCT a.ticket_id)
FROM assignment a JOIN ticket t ON t.id = a.ticket_id
WHERE a.role = 'lead'
GROUP BY t.subject_id, t.district_code, a.unit_id
"""

# Statuses in which the ticket is with the dispatchers or a unit (no callback due yet).
_NOT_AWAITING_CALLBACK = "('registered', 'dispatched', 'in_progress', 'returned', 'replied')"

AUTOVACUUM_INSERT_THRESHOLD = {"ticket_token": 200_000, "timeline": 50_000, "ticket": 5_000}

_FAILED = sa.text("failed_at IS NOT NULL")


def upgrade() -> None:
    op.create_table('unit_subject_stat',
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('district_code', sa.String(length=12), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('handled', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['district_code'], ['district.code'], name=op.f('fk_unit_subject_stat_district_code_district')),
    sa.ForeignKeyConstraint(['subject_id'], ['subject.id'], name=op.f('fk_unit_subject_stat_subject_id_subject')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_unit_subject_stat_unit_id_unit')),
    sa.PrimaryKeyConstraint('subject_id', 'district_code', 'unit_id', name=op.f('pk_unit_subject_stat'))
    )
    op.execute(BACKFILL)

    op.add_column('outbox', sa.Column('next_attempt_at', hotline_desk.store.types.UtcDateTime(timezone=True), nullable=True))
    op.add_column('outbox', sa.Column('failed_at', hotline_desk.store.types.UtcDateTime(timezone=True), nullable=True))
    op.create_index('ix_outbox_failed', 'outbox', ['failed_at', 'id'],
                    postgresql_where=_FAILED, sqlite_where=_FAILED)

    op.execute(f"UPDATE ticket SET callback_due = NULL "
               f"WHERE callback_due IS NOT NULL AND status IN {_NOT_AWAITING_CALLBACK}")

    if op.get_bind().dialect.name == "postgresql":
        for table, threshold in AUTOVACUUM_INSERT_THRESHOLD.items():
            op.execute(f"ALTER TABLE {table} SET (autovacuum_vacuum_insert_scale_factor = 0, "
                       f"autovacuum_vacuum_insert_threshold = {threshold})")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in AUTOVACUUM_INSERT_THRESHOLD:
            op.execute(f"ALTER TABLE {table} RESET (autovacuum_vacuum_insert_scale_factor, "
                       f"autovacuum_vacuum_insert_threshold)")
    op.drop_index('ix_outbox_failed', table_name='outbox')
    # Plain ALTER TABLE … DROP COLUMN (SQLite >= 3.35), no copy of the outbox.
    op.drop_column('outbox', 'failed_at')
    op.drop_column('outbox', 'next_attempt_at')
    op.drop_table('unit_subject_stat')
