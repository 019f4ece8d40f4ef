"""staff enrolment links: an invitation has a purpose (trainee | enrol | reset) and may have no
maker (the operator's first admin of a centre)

Revision ID: 0012
Revises: 0011
"""
from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('invitation') as batch:
        batch.add_column(sa.Column('purpose', sa.String(length=16), nullable=False, server_default='trainee'))
        batch.alter_column('created_by_id', existing_type=sa.Integer(), nullable=True)


def downgrade() -> None:
    op.execute("DELETE FROM invitation WHERE purpose != 'trainee' OR created_by_id IS NULL")
    with op.batch_alter_table('invitation') as batch:
        batch.alter_column('created_by_id', existing_type=sa.Integer(), nullable=False)
        batch.drop_column('purpose')
