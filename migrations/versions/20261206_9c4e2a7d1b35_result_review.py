"""result review: who marked a flagged result reviewed, when, with which note; review e-mails

A submitted QLQ-C30 beyond a threshold of clinical importance, or a signed MMSE with a decline
from baseline, is listed on the site dashboard and the patient page until a nurse or an
investigator marks it reviewed. Each mark is one row; `flags` lists the flags (scale:rule)
the reviewer saw, so a flag that appears later (re-scoring, correction) is listed again.

site.review_mail (default off) opts a site's investigators in to an e-mail per newly flagged
result; review_mail is the outbox of those e-mails (one row per investigator and result).

Revision ID: 9c4e2a7d1b35
Revises: 3b7c1d2e9f40
Create Date: 2026-12-06 04:30:00

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '9c4e2a7d1b35'
down_revision = '3b7c1d2e9f40'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'result_review',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('administration_id', sa.Integer(), nullable=False),
        sa.Column('flags', sa.JSON(), nullable=False),
        sa.Column('reviewed_at', sa.DateTime(), nullable=False),
        sa.Column('reviewed_by_id', sa.Integer(), nullable=False),
        sa.Column('note', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(['administration_id'], ['administration.id'],
                                name=op.f('fk_result_review_administration_id_administration')),
        sa.ForeignKeyConstraint(['reviewed_by_id'], ['staff_user.id'],
                                name=op.f('fk_result_review_reviewed_by_id_staff_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_result_review')),
    )
    with op.batch_alter_table('result_review', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_result_review_administration_id'), ['administration_id'], unique=False)
    with op.batch_alter_table('site', schema=None) as batch_op:
        batch_op.add_column(sa.Column('review_mail', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.create_table(
        'review_mail',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('administration_id', sa.Integer(), nullable=False),
        sa.Column('staff_user_id', sa.Integer(), nullable=False),
        sa.Column('flags', sa.String(length=500), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('last_error', sa.String(length=200), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('sent_at', sa.DateTime(), nullable=True),
        sa.CheckConstraint("status IN ('pending', 'sending', 'sent', 'failed')",
                           name=op.f('ck_review_mail_status_known')),
        sa.CheckConstraint("(status = 'sent') = (sent_at IS NOT NULL)", name=op.f('ck_review_mail_sent_dated')),
        sa.ForeignKeyConstraint(['administration_id'], ['administration.id'],
                                name=op.f('fk_review_mail_administration_id_administration')),
        sa.ForeignKeyConstraint(['staff_user_id'], ['staff_user.id'],
                                name=op.f('fk_review_mail_staff_user_id_staff_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_review_mail')),
        sa.UniqueConstraint('administration_id', 'staff_user_id', 'flags',
                            name=op.f('uq_review_mail_administration_id_staff_user_id_flags')),
    )
    with op.batch_alter_table('review_mail', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_mail_administration_id'), ['administration_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_mail_status'), ['status'], unique=False)


def downgrade():
    with op.batch_alter_table('review_mail', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_mail_status'))
        batch_op.drop_index(batch_op.f('ix_review_mail_administration_id'))
    op.drop_table('review_mail')
    with op.batch_alter_table('site', schema=None) as batch_op:
        batch_op.drop_column('review_mail')
    with op.batch_alter_table('result_review', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_result_review_administration_id'))
    op.drop_table('result_review')
