"""audit chain keyed: entry numbers (seq) and the id of the key that made each entry's HMAC

Entries already written are numbered in id order and keep their plain SHA-256 hash (key_id
NULL, the legacy format); `flask audit verify` accepts them before the first keyed entry only.
The append-only triggers are lifted for the numbering and put back: on SQLite the table is
rebuilt (batch mode), which drops its trigger.

Revision ID: eff64e6f4ff5
Revises: 5e30bb7b0f04
Create Date: 2026-12-06 10:00:00

"""
from alembic import op
import sqlalchemy as sa

from pro_app.audit.triggers import statements_for

# revision identifiers, used by Alembic.
revision = 'eff64e6f4ff5'
down_revision = "5e30bb7b0f04"
branch_labels = None
depends_on = None

NUMBER_ENTRIES = """
    UPDATE audit_entry SET seq = numbered.n
    FROM (SELECT id, ROW_NUMBER() OVER (ORDER BY id) AS n FROM audit_entry) AS numbered
    WHERE audit_entry.id = numbered.id
"""
POSTGRES_LIFT = "ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_append_only"
POSTGRES_PUT_BACK = "ALTER TABLE audit_entry ENABLE TRIGGER audit_entry_append_only"


def upgrade():
    postgres = op.get_bind().dialect.name == "postgresql"
    _lift_triggers(postgres)
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seq', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('key_id', sa.String(length=32), nullable=True))
    op.execute(NUMBER_ENTRIES)
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.alter_column('seq', existing_type=sa.Integer(), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_audit_entry_seq'), ['seq'])
    _put_back_triggers(postgres)


def downgrade():
    postgres = op.get_bind().dialect.name == "postgresql"
    _lift_triggers(postgres)
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_audit_entry_seq'), type_='unique')
        batch_op.drop_column('key_id')
        batch_op.drop_column('seq')
    _put_back_triggers(postgres)


def _lift_triggers(postgres: bool) -> None:
    for statement in [POSTGRES_LIFT] if postgres else statements_for("sqlite", upgrade=False):
        op.execute(statement)


def _put_back_triggers(postgres: bool) -> None:
    for statement in [POSTGRES_PUT_BACK] if postgres else statements_for("sqlite"):
        op.execute(statement)
