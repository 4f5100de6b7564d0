"""staff sessions: one row per signed-in browser, so that logout and account changes can end sessions

Revision ID: 5e30bb7b0f04
Revises: e5121cd44de9
Create Date: 2026-12-06 09:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '5e30bb7b0f04'
down_revision = 'e5121cd44de9'
branch_labels = None
depends_on = None

END_REASONS = ("'logout', 'idle', 'replaced', 'password_changed', 'password_reset', 'deactivated', "
               "'role_changed', 'site_changed', 'ended_by_admin', 'logout_everywhere'")


def upgrade():
    op.create_table('staff_session',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('staff_user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(), nullable=False),
    sa.Column('ended_at', sa.DateTime(), nullable=True),
    sa.Column('end_reason', sa.String(length=20), nullable=True),
    sa.CheckConstraint('(ended_at IS NULL) = (end_reason IS NULL)', name=op.f('ck_staff_session_ended_with_reason')),
    sa.CheckConstraint(f'end_reason IS NULL OR end_reason IN ({END_REASONS})',
                       name=op.f('ck_staff_session_end_reason_known')),
    sa.ForeignKeyConstraint(['staff_user_id'], ['staff_user.id'], name=op.f('fk_staff_session_staff_user_id_staff_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_session'))
    )
    with op.batch_alter_table('staff_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_session_staff_user_id'), ['staff_user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('staff_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_session_staff_user_id'))
    op.drop_table('staff_session')
