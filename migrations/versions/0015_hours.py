"""hours and attendance: groups and their timetable, centre closures and rates, the append-only
attendance ledger, her absence notices and certificates, closed months

Revision ID: 0015
Revises: 0014
"""
from alembic import op
import sqlalchemy as sa


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def _id():
    return sa.Column('id', sa.Integer(), primary_key=True)


def _fk(column: str, table: str, nullable: bool = False, **kw):
    return sa.Column(column, sa.Integer(), sa.ForeignKey(f'{table}.id'), nullable=nullable, **kw)


def upgrade() -> None:
    op.create_table(
        'training_group', _id(), _fk('centre_id', 'centre', index=True), _fk('pathway_id', 'pathway'),
        sa.Column('code', sa.String(60), nullable=False), sa.Column('name', sa.String(120), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.UniqueConstraint('centre_id', 'code', name='uq_training_group_centre_code'))
    op.create_table(
        'group_member', _id(), _fk('group_id', 'training_group', index=True), _fk('trainee_id', 'app_user', index=True),
        sa.UniqueConstraint('group_id', 'trainee_id', name='uq_group_member_pair'))
    op.create_table(
        'timetable_slot', _id(), _fk('group_id', 'training_group', index=True),
        sa.Column('weekday', sa.Integer(), nullable=False), sa.Column('starts', sa.String(5), nullable=False),
        sa.Column('ends', sa.String(5), nullable=False), sa.Column('distance', sa.Boolean(), nullable=False))
    op.create_table(
        'centre_closure', _id(), _fk('centre_id', 'centre', index=True), sa.Column('day', sa.Date(), nullable=False),
        sa.Column('label', sa.String(120), nullable=False),
        sa.UniqueConstraint('centre_id', 'day', name='uq_centre_closure_day'))
    op.create_table(
        'hours_rates', _id(), _fk('centre_id', 'centre', unique=True),
        sa.Column('allowance_cents_per_hour', sa.Integer(), nullable=False),
        sa.Column('travel_cents_per_day', sa.Integer(), nullable=False))
    op.create_table(
        'certificate', _id(), _fk('trainee_id', 'app_user', index=True), sa.Column('mime', sa.String(32), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False), sa.Column('data', sa.LargeBinary(2 * 1024 * 1024), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False))
    op.create_table(
        'attendance', _id(), _fk('trainee_id', 'app_user'), _fk('group_id', 'training_group'),
        sa.Column('day', sa.Date(), nullable=False), sa.Column('starts', sa.String(5), nullable=False),
        sa.Column('ends', sa.String(5), nullable=False), sa.Column('distance', sa.Boolean(), nullable=False),
        sa.Column('presence', sa.String(12), nullable=False), sa.Column('late_minutes', sa.Integer(), nullable=False),
        sa.Column('reason', sa.String(16), nullable=True), sa.Column('justified', sa.Boolean(), nullable=True),
        sa.Column('assimilation', sa.String(16), nullable=True), _fk('recorded_by', 'app_user'),
        sa.Column('recorded_at', sa.DateTime(), nullable=False), _fk('replaces_id', 'attendance', nullable=True),
        sa.Column('correction', sa.String(200), nullable=False), sa.Column('amendment', sa.Boolean(), nullable=False),
        sa.Column('client_id', sa.String(40), nullable=True, unique=True))
    op.create_index('ix_attendance_trainee_day', 'attendance', ['trainee_id', 'day'])
    op.create_index('ix_attendance_group_day', 'attendance', ['group_id', 'day'])
    op.create_table(
        'absence_notice', _id(), _fk('trainee_id', 'app_user', index=True), sa.Column('day', sa.Date(), nullable=False),
        sa.Column('presence', sa.String(12), nullable=False), sa.Column('late_minutes', sa.Integer(), nullable=False),
        sa.Column('reason', sa.String(16), nullable=False), _fk('certificate_id', 'certificate', nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False), sa.Column('withdrawn_at', sa.DateTime(), nullable=True))
    op.create_table(
        'month_closing', _id(), _fk('centre_id', 'centre'), sa.Column('month', sa.String(7), nullable=False),
        _fk('closed_by', 'app_user'), sa.Column('closed_at', sa.DateTime(), nullable=False),
        sa.UniqueConstraint('centre_id', 'month', name='uq_month_closing_month'))


def downgrade() -> None:
    for table in ('month_closing', 'absence_notice', 'attendance', 'certificate', 'hours_rates', 'centre_closure',
                  'timetable_slot', 'group_member', 'training_group'):
        op.drop_table(table)
