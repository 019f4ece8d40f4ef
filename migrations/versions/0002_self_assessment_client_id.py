"""self-assessments made offline carry the id the phone gave them

Revision ID: 0002
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('self_assessment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('client_id', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint('uq_self_assessment_client_id', ['trainee_id', 'client_id'])


def downgrade() -> None:
    with op.batch_alter_table('self_assessment', schema=None) as batch_op:
        batch_op.drop_constraint('uq_self_assessment_client_id', type_='unique')
        batch_op.drop_column('client_id')
