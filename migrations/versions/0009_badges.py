"""Open Badges: issued credentials, their revocation slots, share links; skills' ESCO and SFMQ

Revision ID: 0009
Revises: 0008
"""
from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('skill') as batch_op:
        batch_op.add_column(sa.Column('esco', sa.String(length=200), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('sfmq', sa.JSON(), nullable=False, server_default='{}'))
    op.create_table(
        'credential_status',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('centre_id', sa.Integer(), nullable=False),
        sa.Column('status_index', sa.Integer(), nullable=False),
        sa.Column('revoked_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['centre_id'], ['centre.id'], name=op.f('fk_credential_status_centre_id_centre')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_credential_status')),
        sa.UniqueConstraint('centre_id', 'status_index', name='uq_credential_status_index'),
    )
    op.create_index(op.f('ix_credential_status_centre_id'), 'credential_status', ['centre_id'])
    op.create_table(
        'passport_share',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('trainee_id', sa.Integer(), nullable=False),
        sa.Column('nonce', sa.String(length=32), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('withdrawn_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['trainee_id'], ['app_user.id'], name=op.f('fk_passport_share_trainee_id_app_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_passport_share')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_passport_share_token_hash')),
    )
    op.create_index(op.f('ix_passport_share_trainee_id'), 'passport_share', ['trainee_id'])
    op.create_index('uq_passport_share_active', 'passport_share', ['trainee_id'], unique=True,
                    sqlite_where=sa.text('withdrawn_at IS NULL'), postgresql_where=sa.text('withdrawn_at IS NULL'))
    op.create_table(
        'issued_credential',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('public_id', sa.String(length=43), nullable=False),
        sa.Column('trainee_id', sa.Integer(), nullable=False),
        sa.Column('share_id', sa.Integer(), nullable=False),
        sa.Column('status_id', sa.Integer(), nullable=False),
        sa.Column('pathway_id', sa.Integer(), nullable=False),
        sa.Column('skill_id', sa.Integer(), nullable=True),
        sa.Column('validation_id', sa.Integer(), nullable=True),
        sa.Column('jwt', sa.Text(), nullable=False),
        sa.Column('issued_at', sa.DateTime(), nullable=False),
        sa.Column('revoked_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['trainee_id'], ['app_user.id'], name=op.f('fk_issued_credential_trainee_id_app_user')),
        sa.ForeignKeyConstraint(['share_id'], ['passport_share.id'],
                                name=op.f('fk_issued_credential_share_id_passport_share')),
        sa.ForeignKeyConstraint(['status_id'], ['credential_status.id'],
                                name=op.f('fk_issued_credential_status_id_credential_status')),
        sa.ForeignKeyConstraint(['pathway_id'], ['pathway.id'], name=op.f('fk_issued_credential_pathway_id_pathway')),
        sa.ForeignKeyConstraint(['skill_id'], ['skill.id'], name=op.f('fk_issued_credential_skill_id_skill')),
        sa.ForeignKeyConstraint(['validation_id'], ['validation.id'],
                                name=op.f('fk_issued_credential_validation_id_validation')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_issued_credential')),
        sa.UniqueConstraint('public_id', name=op.f('uq_issued_credential_public_id')),
        sa.UniqueConstraint('status_id', name=op.f('uq_issued_credential_status_id')),
    )
    op.create_index(op.f('ix_issued_credential_trainee_id'), 'issued_credential', ['trainee_id'])
    op.create_index(op.f('ix_issued_credential_share_id'), 'issued_credential', ['share_id'])


def downgrade() -> None:
    op.drop_table('issued_credential')
    op.drop_table('passport_share')
    op.drop_table('credential_status')
    with op.batch_alter_table('skill') as batch_op:
        batch_op.drop_column('sfmq')
        batch_op.drop_column('esco')
