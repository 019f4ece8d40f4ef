"""audit chain: every audit row carries its hash and the previous row's (one chain per centre,
one for the rows of no centre), each chain's head, the retention's checkpoints; the database
still refuses UPDATE and DELETE, except, under the permit, DELETE and the erasure's update (an
actor or a target emptied, its seal replaced)

Revision ID: 0013
Revises: 0012
"""
from alembic import op
import sqlalchemy as sa

from cisp_pwa.models.audit_chain import GENESIS, hash_of, new_seal


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

REFUSED = "the audit trail is append-only"
# Under the permit an update may only empty an actor or a target (and change its seal): erasure.
_SQLITE_UPDATE_REFUSED = """NOT EXISTS (SELECT 1 FROM audit_purge_permit)
    OR NEW.id IS NOT OLD.id OR NEW.centre_id IS NOT OLD.centre_id OR NEW.action IS NOT OLD.action
    OR NEW.target_type IS NOT OLD.target_type OR NEW.created_at IS NOT OLD.created_at
    OR NEW.prev_hash IS NOT OLD.prev_hash OR NEW.hash IS NOT OLD.hash
    OR (NEW.actor_id IS NOT NULL AND NEW.actor_id IS NOT OLD.actor_id)
    OR (NEW.target_id IS NOT NULL AND NEW.target_id IS NOT OLD.target_id)
    OR (NEW.actor_id IS NOT NULL AND NEW.actor_seal IS NOT OLD.actor_seal)
    OR (NEW.target_id IS NOT NULL AND NEW.target_seal IS NOT OLD.target_seal)"""
_PG_UPDATE_ALLOWED = """EXISTS (SELECT 1 FROM audit_purge_permit)
    AND NEW.id = OLD.id AND NEW.centre_id IS NOT DISTINCT FROM OLD.centre_id AND NEW.action = OLD.action
    AND NEW.target_type = OLD.target_type AND NEW.created_at = OLD.created_at
    AND NEW.prev_hash = OLD.prev_hash AND NEW.hash = OLD.hash
    AND (NEW.actor_id IS NULL OR (NEW.actor_id = OLD.actor_id AND NEW.actor_seal IS NOT DISTINCT FROM OLD.actor_seal))
    AND (NEW.target_id IS NULL OR (NEW.target_id = OLD.target_id AND NEW.target_seal IS NOT DISTINCT FROM OLD.target_seal))"""


def _drop_0006_triggers(postgres: bool) -> None:
    if postgres:
        op.execute("DROP TRIGGER audit_event_append_only ON audit_event")
        op.execute("DROP FUNCTION audit_event_append_only()")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_delete")


def _create_0006_triggers(postgres: bool) -> None:
    if postgres:
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


def _create_triggers(postgres: bool) -> None:
    if postgres:
        op.execute(f"""
            CREATE FUNCTION audit_event_append_only() RETURNS trigger AS $$
            BEGIN
                IF TG_OP = 'DELETE' AND EXISTS (SELECT 1 FROM audit_purge_permit) THEN
                    RETURN OLD;
                END IF;
                IF TG_OP = 'UPDATE' AND {_PG_UPDATE_ALLOWED} THEN
                    RETURN NEW;
                END IF;
                RAISE EXCEPTION '{REFUSED}';
            END $$ LANGUAGE plpgsql""")
        op.execute("""CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event
                      FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()""")
        op.execute(f"""
            CREATE FUNCTION audit_checkpoint_append_only() RETURNS trigger AS $$
            BEGIN
                IF TG_OP = 'DELETE' AND EXISTS (SELECT 1 FROM audit_purge_permit) THEN
                    RETURN OLD;
                END IF;
                RAISE EXCEPTION '{REFUSED}';
            END $$ LANGUAGE plpgsql""")
        op.execute("""CREATE TRIGGER audit_checkpoint_append_only BEFORE UPDATE OR DELETE ON audit_checkpoint
                      FOR EACH ROW EXECUTE FUNCTION audit_checkpoint_append_only()""")
    else:
        op.execute(f"""CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
                       WHEN {_SQLITE_UPDATE_REFUSED}
                       BEGIN SELECT RAISE(ABORT, '{REFUSED}'); END""")
        op.execute(f"""CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
                       WHEN NOT EXISTS (SELECT 1 FROM audit_purge_permit)
                       BEGIN SELECT RAISE(ABORT, '{REFUSED}'); END""")
        op.execute(f"""CREATE TRIGGER audit_checkpoint_no_update BEFORE UPDATE ON audit_checkpoint
                       BEGIN SELECT RAISE(ABORT, '{REFUSED}'); END""")
        op.execute(f"""CREATE TRIGGER audit_checkpoint_no_delete BEFORE DELETE ON audit_checkpoint
                       WHEN NOT EXISTS (SELECT 1 FROM audit_purge_permit)
                       BEGIN SELECT RAISE(ABORT, '{REFUSED}'); END""")


def _drop_triggers(postgres: bool) -> None:
    if postgres:
        op.execute("DROP TRIGGER audit_checkpoint_append_only ON audit_checkpoint")
        op.execute("DROP FUNCTION audit_checkpoint_append_only()")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_checkpoint_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_checkpoint_no_delete")
    _drop_0006_triggers(postgres)


def _chain_existing_rows() -> None:
    """The rows written before: chained in id order, per centre, as the app would have."""
    bind = op.get_bind()
    event = sa.table('audit_event', *(sa.column(c) for c in (
        'id', 'centre_id', 'actor_id', 'actor_seal', 'action', 'target_type', 'target_id', 'target_seal',
        'prev_hash', 'hash')), sa.column('created_at', sa.DateTime()))
    chain = sa.table('audit_chain', sa.column('centre_id'), sa.column('last_id'), sa.column('last_hash'))
    heads: dict[int | None, tuple[int, str]] = {}
    rows = bind.execute(sa.select(event).order_by(event.c.id)).all()
    updates = []
    for row in rows:
        values = dict(row._mapping)
        values['actor_seal'] = new_seal() if values['actor_id'] is not None else None
        values['target_seal'] = new_seal() if values['target_id'] is not None else None
        values['target_type'] = values['target_type'] or ''
        values['prev_hash'] = heads.get(values['centre_id'], (0, GENESIS))[1]
        values['hash'] = hash_of(_Row(values))
        heads[values['centre_id']] = (values['id'], values['hash'])
        updates.append({'rid': values['id'], **{k: values[k] for k in ('actor_seal', 'target_seal', 'target_type',
                                                                       'prev_hash', 'hash')}})
    if updates:
        bind.execute(event.update().where(event.c.id == sa.bindparam('rid')).values(
            actor_seal=sa.bindparam('actor_seal'), target_seal=sa.bindparam('target_seal'),
            target_type=sa.bindparam('target_type'), prev_hash=sa.bindparam('prev_hash'),
            hash=sa.bindparam('hash')), updates)
    if heads:
        bind.execute(chain.insert(), [{'centre_id': c, 'last_id': i, 'last_hash': h} for c, (i, h) in heads.items()])


class _Row:
    def __init__(self, values: dict) -> None:
        self.__dict__.update(values)


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    _drop_0006_triggers(postgres)  # the rows written before are given their hashes below
    op.create_table('audit_chain',
                    sa.Column('id', sa.Integer(), nullable=False),
                    sa.Column('centre_id', sa.Integer(), nullable=True),
                    sa.Column('last_id', sa.Integer(), nullable=False),
                    sa.Column('last_hash', sa.String(length=64), nullable=False),
                    sa.ForeignKeyConstraint(['centre_id'], ['centre.id'], name=op.f('fk_audit_chain_centre_id_centre')),
                    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_chain')),
                    sa.UniqueConstraint('centre_id', name=op.f('uq_audit_chain_centre_id')))
    op.create_table('audit_checkpoint',
                    sa.Column('id', sa.Integer(), nullable=False),
                    sa.Column('centre_id', sa.Integer(), nullable=True),
                    sa.Column('last_id', sa.Integer(), nullable=False),
                    sa.Column('last_hash', sa.String(length=64), nullable=False),
                    sa.Column('rows', sa.Integer(), nullable=False),
                    sa.Column('reason', sa.String(length=20), nullable=False),
                    sa.Column('created_at', sa.DateTime(), nullable=False),
                    sa.ForeignKeyConstraint(['centre_id'], ['centre.id'],
                                            name=op.f('fk_audit_checkpoint_centre_id_centre')),
                    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_checkpoint')))
    op.create_index(op.f('ix_audit_checkpoint_centre_id'), 'audit_checkpoint', ['centre_id'], unique=False)
    with op.batch_alter_table('audit_event') as batch:
        batch.add_column(sa.Column('actor_seal', sa.String(length=64), nullable=True))
        batch.add_column(sa.Column('target_seal', sa.String(length=64), nullable=True))
        batch.add_column(sa.Column('prev_hash', sa.String(length=64), nullable=True))
        batch.add_column(sa.Column('hash', sa.String(length=64), nullable=True))
    _chain_existing_rows()
    with op.batch_alter_table('audit_event') as batch:
        batch.alter_column('prev_hash', existing_type=sa.String(length=64), nullable=False)
        batch.alter_column('hash', existing_type=sa.String(length=64), nullable=False)
        batch.create_index('ix_audit_event_chain', ['centre_id', 'id'], unique=False)
    _create_triggers(postgres)


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    _drop_triggers(postgres)
    with op.batch_alter_table('audit_event') as batch:
        batch.drop_index('ix_audit_event_chain')
        batch.drop_column('hash')
        batch.drop_column('prev_hash')
        batch.drop_column('target_seal')
        batch.drop_column('actor_seal')
    op.drop_index(op.f('ix_audit_checkpoint_centre_id'), table_name='audit_checkpoint')
    op.drop_table('audit_checkpoint')
    op.drop_table('audit_chain')
    _create_0006_triggers(postgres)
