"""sms replay guards: inbound message sids, delivery reports once per (sid, status), consent time

sms_inbound_message records each inbound Twilio MessageSid applied, so a repeated delivery or a
replayed request changes nothing. sms_status_report stores each delivery report once and holds
those that came before their message's sid was recorded. patient.sms_choice_at is when the
patient's choice about texts was last stated (filled from sms_opted_out_at for existing rows).

Revision ID: e5121cd44de9
Revises: afc6a767e0f9
Create Date: 2026-12-06 03:00:00

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = 'e5121cd44de9'
down_revision = "afc6a767e0f9"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('sms_inbound_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('message_sid', sa.String(length=64), nullable=False),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.Column('action', sa.String(length=10), nullable=True),
    sa.CheckConstraint("action IS NULL OR action IN ('opt_out', 'opt_in', 'help')",
                       name=op.f('ck_sms_inbound_message_action_known')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sms_inbound_message')),
    sa.UniqueConstraint('message_sid', name=op.f('uq_sms_inbound_message_message_sid'))
    )
    op.create_table('sms_status_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('provider_sid', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('error_code', sa.String(length=20), nullable=True),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.Column('settled_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("status IN ('delivered', 'undelivered', 'failed', 'read')",
                       name=op.f('ck_sms_status_report_status_known')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sms_status_report')),
    sa.UniqueConstraint('provider_sid', 'status', name=op.f('uq_sms_status_report_provider_sid_status'))
    )
    op.create_index('ix_sms_status_report_settled_at', 'sms_status_report', ['settled_at'])
    with op.batch_alter_table('patient') as batch_op:
        batch_op.add_column(sa.Column('sms_choice_at', sa.DateTime(), nullable=True))
    op.execute("UPDATE patient SET sms_choice_at = sms_opted_out_at WHERE sms_opted_out_at IS NOT NULL")


def downgrade():
    # SQLite (3.35+) drops the column in place: recreating patient, which every table references,
    # fails with foreign keys on once there are rows.
    with op.batch_alter_table('patient', recreate='never') as batch_op:
        batch_op.drop_column('sms_choice_at')
    op.drop_index('ix_sms_status_report_settled_at', table_name='sms_status_report')
    op.drop_table('sms_status_report')
    op.drop_table('sms_inbound_message')
