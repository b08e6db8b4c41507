"""unit short name and usual subjects

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 22:55:19.424044
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op



revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('unit_subject',
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['subject_id'], ['subject.id'], name=op.f('fk_unit_subject_subject_id_subject')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_unit_subject_unit_id_unit')),
    sa.PrimaryKeyConstraint('unit_id', 'subject_id', name=op.f('pk_unit_subject'))
    )
    with op.batch_alter_table('unit', schema=None) as batch_op:
        batch_op.add_column(sa.Column('short_name', sa.String(length=50), server_default='', nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('unit', schema=None) as batch_op:
        batch_op.drop_column('short_name')

    op.drop_table('unit_subject')
