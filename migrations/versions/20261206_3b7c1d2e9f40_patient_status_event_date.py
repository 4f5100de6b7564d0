"""patient status event date: the date of the withdrawal, death or loss, as entered by staff

patient.status_event_date is the day the event happened (not when the status was changed in
the application); analysis datasets need it. Existing rows keep it empty.

Revision ID: 3b7c1d2e9f40
Revises: eff64e6f4ff5
Create Date: 2026-12-06 04:00:00

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '3b7c1d2e9f40'
down_revision = 'eff64e6f4ff5'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('patient', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status_event_date', sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table('patient', schema=None) as batch_op:
        batch_op.drop_column('status_event_date')
