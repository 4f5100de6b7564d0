"""result review: who marked a flagged result reviewed, when, with which note

A submitted QLQ-C30 beyond a threshold of clinical importance, or a signed MMSE with a decline
from baseline, is listed on the site dashboard and the patient page until a nurse or an
investigator marks it reviewed. Each mark is one row; `flags` lists the flags (scale:rule)
the reviewer saw, so a flag that appears later (re-scoring, correction) is listed again.

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


def downgrade():
    with op.batch_alter_table('result_review', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_result_review_administration_id'))
    op.drop_table('result_review')
