"""privacy: consents carry the version and language of the text said yes to; anonymised
accounts; the audit trail is append-only (the database refuses UPDATE, and DELETE outside the
retention command's permit)

Revision ID: 0006
Revises: 0005
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

REFUSED = "the audit trail is append-only"


def upgrade() -> None:
    with op.batch_alter_table('consent', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.String(length=20), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('locale', sa.String(length=8), nullable=False, server_default=''))
    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('anonymised_at', sa.DateTime(), nullable=True))
    op.create_table('audit_purge_permit', sa.Column('id', sa.Integer(), nullable=False),
                    sa.PrimaryKeyConstraint('id'))
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"""
            CREATE FUNCTION audit_event_append_only() RETURNS trigger AS $$
            BEGIN
                IF TG_OP = 'DELETE' AND EXISTS (SELECT 1 FROM audit_purge_permit) THEN
                    RETURN OLD;
                END IF;
                RAISE EXCEPTION '{REFUSED}';
            END $$ LANGUAGE plpgsql""")
        op.execute("""CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event
                      FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()""")
    else:
        op.execute(f"""CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
                       BEGIN SELECT RAISE(ABORT, '{REFUSED}'); END""")
        op.execute(f"""CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
                       WHEN NOT EXISTS (SELECT 1 FROM audit_purge_permit)
                       BEGIN SELECT RAISE(ABORT, '{REFUSED}'); END""")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER audit_event_append_only ON audit_event")
        op.execute("DROP FUNCTION audit_event_append_only()")
    else:
        op.execute("DROP TRIGGER audit_event_no_update")
        op.execute("DROP TRIGGER audit_event_no_delete")
    op.drop_table('audit_purge_permit')
    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.drop_column('anonymised_at')
    with op.batch_alter_table('consent', schema=None) as batch_op:
        batch_op.drop_column('locale')
        batch_op.drop_column('version')
