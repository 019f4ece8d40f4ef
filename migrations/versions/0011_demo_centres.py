"""demo centres are marked: a production start refuses to run while one exists

Revision ID: 0011
Revises: 0010
"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

# The codes the demo has always used (demo.py): an install made before this mark keeps
# its demo recognised as such.
_DEMO_CODES = ("namur-passerelle", "liege-horizon")


def upgrade() -> None:
    with op.batch_alter_table('centre') as batch:
        batch.add_column(sa.Column('is_demo', sa.Boolean(), nullable=False, server_default=sa.false()))
    centre = sa.table('centre', sa.column('code', sa.String), sa.column('is_demo', sa.Boolean))
    op.execute(centre.update().where(centre.c.code.in_(_DEMO_CODES)).values(is_demo=True))


def downgrade() -> None:
    with op.batch_alter_table('centre') as batch:
        batch.drop_column('is_demo')
