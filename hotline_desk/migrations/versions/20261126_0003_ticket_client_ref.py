"""ticket client_ref (idempotent registration)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 00:15:00

The desk sends a UUID generated once per intake; a unique index makes a retried registration
(connection lost after COMMIT, a double click) find its ticket instead of creating a second one.
NULLs never collide, so tickets registered before, or by callers without a key, are unaffected.
Column and index are added in place on both databases (no copy of a large ticket table).
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('ticket', sa.Column('client_ref', sa.String(length=64), nullable=True))
    op.create_index('uq_ticket_client_ref', 'ticket', ['client_ref'], unique=True)


def downgrade() -> None:
    op.drop_index('uq_ticket_client_ref', table_name='ticket')
    # Plain ALTER TABLE … DROP COLUMN (SQLite >= 3.35): a batch copy of the ticket table would
    # have to DROP it, which the foreign keys of its timeline rows refuse.
    op.drop_column('ticket', 'client_ref')
