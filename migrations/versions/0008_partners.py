"""partner network: the directory of help shared by a region's centres, each centre's choice,
referrals with the trainee's consent (the text she saw, its version)

The partner_service table of 0001 was never written to: it is replaced by the directory's.

Revision ID: 0008
Revises: 0007
"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('centre', schema=None) as batch_op:
        batch_op.add_column(sa.Column('region', sa.String(length=40), nullable=False, server_default=''))
    with op.batch_alter_table('partner_service', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_partner_service_centre_id'))
    op.drop_table('partner_service')
    op.create_table(
        'partner_service',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('region', sa.String(length=40), nullable=False),
        sa.Column('code', sa.String(length=60), nullable=False),
        sa.Column('name', sa.String(length=160), nullable=False),
        sa.Column('category', sa.String(length=24), nullable=False),
        sa.Column('description', sa.JSON(), nullable=False),
        sa.Column('address', sa.String(length=255), nullable=False),
        sa.Column('phone', sa.String(length=40), nullable=False),
        sa.Column('email', sa.String(length=160), nullable=False),
        sa.Column('url', sa.String(length=255), nullable=False),
        sa.Column('hours', sa.String(length=200), nullable=False),
        sa.Column('languages', sa.JSON(), nullable=False),
        sa.Column('bring', sa.JSON(), nullable=False),
        sa.Column('access', sa.JSON(), nullable=False),
        sa.Column('cost', sa.String(length=16), nullable=False),
        sa.Column('retired_at', sa.DateTime(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_partner_service')),
        sa.UniqueConstraint('region', 'code', name='uq_partner_service_region_code'),
    )
    with op.batch_alter_table('partner_service', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_partner_service_region'), ['region'], unique=False)
    op.create_table(
        'centre_partner',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('centre_id', sa.Integer(), nullable=False),
        sa.Column('service_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['centre_id'], ['centre.id'], name=op.f('fk_centre_partner_centre_id_centre')),
        sa.ForeignKeyConstraint(['service_id'], ['partner_service.id'],
                                name=op.f('fk_centre_partner_service_id_partner_service')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_centre_partner')),
        sa.UniqueConstraint('centre_id', 'service_id', name='uq_centre_partner_pair'),
    )
    with op.batch_alter_table('centre_partner', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_centre_partner_centre_id'), ['centre_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_centre_partner_service_id'), ['service_id'], unique=False)
    op.create_table(
        'referral',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('trainee_id', sa.Integer(), nullable=False),
        sa.Column('coach_id', sa.Integer(), nullable=False),
        sa.Column('service_id', sa.Integer(), nullable=False),
        sa.Column('goal_id', sa.Integer(), nullable=True),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('partner_note', sa.Text(), nullable=False),
        sa.Column('status', sa.Enum('proposed', 'accepted', 'refused', 'contacted', 'appointment', 'done',
                                    'abandoned', 'withdrawn', name='referralstatus', native_enum=False,
                                    length=16), nullable=False),
        sa.Column('appointment_on', sa.DateTime(), nullable=True),
        sa.Column('closed_reason', sa.String(length=24), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['coach_id'], ['app_user.id'], name=op.f('fk_referral_coach_id_app_user')),
        sa.ForeignKeyConstraint(['goal_id'], ['goal.id'], name=op.f('fk_referral_goal_id_goal')),
        sa.ForeignKeyConstraint(['service_id'], ['partner_service.id'],
                                name=op.f('fk_referral_service_id_partner_service')),
        sa.ForeignKeyConstraint(['trainee_id'], ['app_user.id'], name=op.f('fk_referral_trainee_id_app_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_referral')),
    )
    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_referral_trainee_id'), ['trainee_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_referral_service_id'), ['service_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_referral_goal_id'), ['goal_id'], unique=False)
    op.create_table(
        'referral_consent',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('referral_id', sa.Integer(), nullable=False),
        sa.Column('trainee_id', sa.Integer(), nullable=False),
        sa.Column('decision', sa.String(length=16), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('version', sa.String(length=20), nullable=False),
        sa.Column('locale', sa.String(length=8), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['referral_id'], ['referral.id'],
                                name=op.f('fk_referral_consent_referral_id_referral')),
        sa.ForeignKeyConstraint(['trainee_id'], ['app_user.id'],
                                name=op.f('fk_referral_consent_trainee_id_app_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_referral_consent')),
    )
    with op.batch_alter_table('referral_consent', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_referral_consent_referral_id'), ['referral_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_referral_consent_trainee_id'), ['trainee_id'], unique=False)


def downgrade() -> None:
    op.drop_table('referral_consent')
    op.drop_table('referral')
    op.drop_table('centre_partner')
    op.drop_table('partner_service')
    op.create_table(
        'partner_service',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('centre_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=160), nullable=False),
        sa.Column('field', sa.String(length=40), nullable=False),
        sa.Column('phone', sa.String(length=40), nullable=False),
        sa.Column('address', sa.String(length=255), nullable=False),
        sa.Column('url', sa.String(length=255), nullable=False),
        sa.ForeignKeyConstraint(['centre_id'], ['centre.id'], name=op.f('fk_partner_service_centre_id_centre')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_partner_service')),
    )
    with op.batch_alter_table('partner_service', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_partner_service_centre_id'), ['centre_id'], unique=False)
    with op.batch_alter_table('centre', schema=None) as batch_op:
        batch_op.drop_column('region')
