"""voice messages: a message's recording (one MiB at most), kept with it

Revision ID: 0007
Revises: 0006
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'voice_note',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('message_id', sa.Integer(), nullable=False),
        sa.Column('sender_id', sa.Integer(), nullable=False),
        sa.Column('mime', sa.String(length=32), nullable=False),
        sa.Column('duration_ms', sa.Integer(), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('data', sa.LargeBinary(length=1048576), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['message_id'], ['message.id'], name=op.f('fk_voice_note_message_id_message')),
        sa.ForeignKeyConstraint(['sender_id'], ['app_user.id'], name=op.f('fk_voice_note_sender_id_app_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_voice_note')),
        sa.UniqueConstraint('message_id', name=op.f('uq_voice_note_message_id')),
    )


def downgrade() -> None:
    op.drop_table('voice_note')
