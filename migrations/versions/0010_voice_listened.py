"""voice messages: when the other side first listened (the sender's "Écouté")

Revision ID: 0010
Revises: 0009
"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('voice_note') as batch:
        batch.add_column(sa.Column('listened_at', sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('voice_note') as batch:
        batch.drop_column('listened_at')
