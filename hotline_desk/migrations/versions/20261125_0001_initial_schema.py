"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-25 22:49:49.659583
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import hotline_desk.store.types

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


APPEND_ONLY = ("timeline", "audit_log")


def _append_only_triggers() -> None:
    """The timeline and the audit log are the audit trail: the database itself refuses to
    change or delete their rows, whoever connects."""
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute("""
            CREATE FUNCTION hotline_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'table % is append-only', TG_TABLE_NAME;
            END $$""")
        for table in APPEND_ONLY:
            op.execute(f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                       f"FOR EACH ROW EXECUTE FUNCTION hotline_refuse_change()")
    elif dialect == "sqlite":
        for table in APPEND_ONLY:
            for event in ("UPDATE", "DELETE"):
                op.execute(f"CREATE TRIGGER {table}_no_{event.lower()} BEFORE {event} ON {table} "
                           f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END")


def _drop_append_only_triggers() -> None:
    dialect = op.get_bind().dialect.name
    for table in APPEND_ONLY:
        if dialect == "postgresql":
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        elif dialect == "sqlite":
            for event in ("update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{event}")
    if dialect == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS hotline_refuse_change()")


def upgrade() -> None:
    op.create_table('district',
    sa.Column('code', sa.String(length=12), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('sort', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_district'))
    )
    op.create_table('holiday',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('is_workday', sa.Boolean(), nullable=False),
    sa.Column('note', sa.String(length=100), nullable=False),
    sa.Column('created_by', sa.String(length=50), nullable=False),
    sa.Column('created_at', hotline_desk.store.types.UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('day', name=op.f('pk_holiday'))
    )
    op.create_table('not_in_scope_reason',
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('label', sa.String(length=100), nullable=False),
    sa.Column('channel_sentence', sa.String(length=500), nullable=False),
    sa.Column('sort', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_not_in_scope_reason'))
    )
    op.create_table('calendar_year',
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('marked_by', sa.String(length=50), nullable=False),
    sa.Column('marked_at', hotline_desk.store.types.UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('year', name=op.f('pk_calendar_year'))
    )
    op.create_table('policy_setting',
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_policy_setting'))
    )
    op.create_table('subject',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('path', sa.String(length=200), nullable=False),
    sa.Column('initials', sa.String(length=100), nullable=False),
    sa.Column('sort', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['parent_id'], ['subject.id'], name=op.f('fk_subject_parent_id_subject')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_subject')),
    sa.UniqueConstraint('code', name=op.f('uq_subject_code'))
    )
    op.create_table('ticket_counter',
    sa.Column('day', sa.String(length=8), nullable=False),
    sa.Column('last', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('day', name=op.f('pk_ticket_counter'))
    )
    op.create_table('unit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('district_code', sa.String(length=12), nullable=False),
    sa.Column('contact_person', sa.String(length=50), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.Column('backup_phone', sa.String(length=40), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('initials', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['parent_id'], ['unit.id'], name=op.f('fk_unit_parent_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_unit')),
    sa.UniqueConstraint('code', name=op.f('uq_unit_code'))
    )
    op.create_table('staff',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=50), nullable=False),
    sa.Column('display_name', sa.String(length=50), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('roles', sa.String(length=200), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', hotline_desk.store.types.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_staff_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff')),
    sa.UniqueConstraint('username', name=op.f('uq_staff_username'))
    )
    op.create_table('township',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('district_code', sa.String(length=12), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('sort', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['district_code'], ['district.code'], name=op.f('fk_township_district_code_district')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_township')),
    sa.UniqueConstraint('district_code', 'name', name='uq_township_district_name')
    )
    op.create_table('ticket',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=20), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('urgency', sa.String(length=10), nullable=False),
    sa.Column('confidential', sa.Boolean(), nullable=False),
    sa.Column('callback_wanted', sa.Boolean(), nullable=False),
    sa.Column('occurred_at', hotline_desk.store.types.UtcDateTime(timezone=True), nullable=True),
    sa.Column('received_at', hotline_desk.store.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('registered_at', hotline_desk.store.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('registered_by_id', sa.Integer(), nullable=False),
    sa.Column('desk_id', sa.String(length=40), nullable=False),
    sa.Column('district_code', sa.String(length=12), nullable=False),
    sa.Column('township', sa.String(length=50), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=False),
    sa.Column('people', sa.String(length=500), nullable=False),
    sa.Column('narrative', sa.Text(), nullable=False),
    sa.Column('request', sa.Text(), nullable=False),
    sa.Column('caller_name', sa.String(length=50), nullable=False),
    sa.Column('caller_phone', sa.String(length=20), nullable=False),
    sa.Column('caller_phone_raw', sa.String(length=40), nullable=False),
    sa.Column('call_ref', sa.String(length=64), nullable=True),
    sa.Column('not_in_scope_code', sa.String(length=40), nullable=False),
    sa.Column('resolution', sa.Text(), nullable=False),
    sa.Column('dispatch_mode', sa.String(length=20), nullable=True),
    sa.Column('dispatched_at', hotline_desk.store.types.UtcDateTime(timezone=True), nullable=True),
    sa.Column('dispatch_day', sa.Date(), nullable=True),
    sa.Column('instructions', sa.Text(), nullable=False),
    sa.Column('lead_unit_id', sa.Integer(), nullable=True),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('working_days', sa.Integer(), nullable=True),
    sa.Column('open_due', sa.Date(), nullable=True),
    sa.Column('ack_due', sa.Date(), nullable=True),
    sa.Column('return_until', sa.Date(), nullable=True),
    sa.Column('max_due_date', sa.Date(), nullable=True),
    sa.Column('extension_requested_due', sa.Date(), nullable=True),
    sa.Column('extension_reason', sa.Text(), nullable=False),
    sa.Column('extension_count', sa.Integer(), nullable=False),
    sa.Column('rehandle_count', sa.Integer(), nullable=False),
    sa.Column('return_count', sa.Integer(), nullable=False),
    sa.Column('supervision_count', sa.Integer(), nullable=False),
    sa.Column('reply_method', sa.String(length=20), nullable=True),
    sa.Column('reply_process', sa.Text(), nullable=False),
    sa.Column('reply_result', sa.Text(), nullable=False),
    sa.Column('replied_at', hotline_desk.store.types.UtcDateTime(timezone=True), nullable=True),
    sa.Column('callback_due', sa.Date(), nullable=True),
    sa.Column('callback_attempts', sa.Integer(), nullable=False),
    sa.Column('satisfaction', sa.String(length=30), nullable=True),
    sa.Column('closed_at', hotline_desk.store.types.UtcDateTime(timezone=True), nullable=True),
    sa.Column('updated_at', hotline_desk.store.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['district_code'], ['district.code'], name=op.f('fk_ticket_district_code_district')),
    sa.ForeignKeyConstraint(['lead_unit_id'], ['unit.id'], name=op.f('fk_ticket_lead_unit_id_unit')),
    sa.ForeignKeyConstraint(['registered_by_id'], ['staff.id'], name=op.f('fk_ticket_registered_by_id_staff')),
    sa.ForeignKeyConstraint(['subject_id'], ['subject.id'], name=op.f('fk_ticket_subject_id_subject')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['staff.id'], name=op.f('fk_ticket_updated_by_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ticket')),
    sa.UniqueConstraint('number', name=op.f('uq_ticket_number'))
    )
    with op.batch_alter_table('ticket', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ticket_district_code'), ['district_code'], unique=False)
        batch_op.create_index('ix_ticket_open_due', ['open_due', 'id'], unique=False)
        batch_op.create_index('ix_ticket_phone_registered', ['caller_phone', 'registered_at'], unique=False)
        batch_op.create_index('ix_ticket_registered', ['registered_at', 'id'], unique=False)
        batch_op.create_index('ix_ticket_status_due', ['status', 'due_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_ticket_subject_id'), ['subject_id'], unique=False)

    op.create_table('assignment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=10), nullable=False),
    sa.Column('unit_name', sa.String(length=100), nullable=False),
    sa.Column('contact_person', sa.String(length=50), nullable=False),
    sa.Column('contact_phone', sa.String(length=40), nullable=False),
    sa.Column('dispatched_at', hotline_desk.store.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('acknowledged_at', hotline_desk.store.types.UtcDateTime(timezone=True), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id'], name=op.f('fk_assignment_ticket_id_ticket')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_assignment_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assignment'))
    )
    with op.batch_alter_table('assignment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assignment_ticket_id'), ['ticket_id'], unique=False)
        batch_op.create_index('ix_assignment_unit_ticket', ['unit_id', 'ticket_id'], unique=False)

    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', hotline_desk.store.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('staff_name', sa.String(length=50), nullable=False),
    sa.Column('desk_id', sa.String(length=40), nullable=False),
    sa.Column('action', sa.String(length=30), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=True),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_audit_log_staff_id_staff')),
    sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id'], name=op.f('fk_audit_log_ticket_id_ticket')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_ticket_id'), ['ticket_id'], unique=False)

    op.create_table('change_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=True),
    sa.Column('ticket_number', sa.String(length=20), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=30), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('desk_id', sa.String(length=40), nullable=False),
    sa.Column('at', hotline_desk.store.types.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_change_log_staff_id_staff')),
    sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id'], name=op.f('fk_change_log_ticket_id_ticket')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_change_log'))
    )
    op.create_table('outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', hotline_desk.store.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('sent_at', hotline_desk.store.types.UtcDateTime(timezone=True), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id'], name=op.f('fk_outbox_ticket_id_ticket')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox'))
    )
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_pending', ['sent_at', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbox_ticket_id'), ['ticket_id'], unique=False)

    op.create_table('supervision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('outcome', sa.String(length=20), nullable=True),
    sa.Column('duration_s', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('at', hotline_desk.store.types.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_supervision_staff_id_staff')),
    sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id'], name=op.f('fk_supervision_ticket_id_ticket')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_supervision_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supervision'))
    )
    with op.batch_alter_table('supervision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supervision_ticket_id'), ['ticket_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_supervision_unit_id'), ['unit_id'], unique=False)

    op.create_table('ticket_token',
    sa.Column('token', sa.String(length=2), nullable=False),
    sa.Column('registered_at', hotline_desk.store.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id'], name=op.f('fk_ticket_token_ticket_id_ticket')),
    sa.PrimaryKeyConstraint('token', 'registered_at', 'ticket_id', name=op.f('pk_ticket_token')),
    sqlite_with_rowid=False
    )
    op.create_table('timeline',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('at', hotline_desk.store.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('action', sa.String(length=30), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('staff_name', sa.String(length=50), nullable=False),
    sa.Column('desk_id', sa.String(length=40), nullable=False),
    sa.Column('from_status', sa.String(length=20), nullable=True),
    sa.Column('to_status', sa.String(length=20), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_timeline_staff_id_staff')),
    sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id'], name=op.f('fk_timeline_ticket_id_ticket')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_timeline'))
    )
    with op.batch_alter_table('timeline', schema=None) as batch_op:
        batch_op.create_index('ix_timeline_ticket', ['ticket_id', 'id'], unique=False)
    _append_only_triggers()


def downgrade() -> None:
    _drop_append_only_triggers()
    with op.batch_alter_table('timeline', schema=None) as batch_op:
        batch_op.drop_index('ix_timeline_ticket')

    op.drop_table('timeline')
    op.drop_table('ticket_token')
    with op.batch_alter_table('supervision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supervision_unit_id'))
        batch_op.drop_index(batch_op.f('ix_supervision_ticket_id'))

    op.drop_table('supervision')
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_ticket_id'))
        batch_op.drop_index('ix_outbox_pending')

    op.drop_table('outbox')
    op.drop_table('change_log')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_ticket_id'))

    op.drop_table('audit_log')
    with op.batch_alter_table('assignment', schema=None) as batch_op:
        batch_op.drop_index('ix_assignment_unit_ticket')
        batch_op.drop_index(batch_op.f('ix_assignment_ticket_id'))

    op.drop_table('assignment')
    with op.batch_alter_table('ticket', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ticket_subject_id'))
        batch_op.drop_index('ix_ticket_status_due')
        batch_op.drop_index('ix_ticket_registered')
        batch_op.drop_index('ix_ticket_phone_registered')
        batch_op.drop_index('ix_ticket_open_due')
        batch_op.drop_index(batch_op.f('ix_ticket_district_code'))

    op.drop_table('ticket')
    op.drop_table('township')
    op.drop_table('staff')
    op.drop_table('unit')
    op.drop_table('ticket_counter')
    op.drop_table('subject')
    op.drop_table('policy_setting')
    op.drop_table('calendar_year')
    op.drop_table('not_in_scope_reason')
    op.drop_table('holiday')
    op.drop_table('district')
