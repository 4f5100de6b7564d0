"""outbox claim index: (status, due_at, id), the order dispatchers claim rows in

Without id in the index, PostgreSQL sorted every due row on each claim of a batch.

Revision ID: afc6a767e0f9
Revises: 6579064cdd4c
Create Date: 2026-11-27 21:45:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'afc6a767e0f9'
down_revision = '6579064cdd4c'
branch_labels = None
depends_on = None


def upgrade():
    op.drop_index('ix_outbound_message_status_due_at', table_name='outbound_message')
    op.create_index('ix_outbound_message_status_due_at_id', 'outbound_message', ['status', 'due_at', 'id'])


def downgrade():
    op.drop_index('ix_outbound_message_status_due_at_id', table_name='outbound_message')
    op.create_index('ix_outbound_message_status_due_at', 'outbound_message', ['status', 'due_at'])
