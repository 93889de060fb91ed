"""kop surat: e-mail, website and logo of the instansi

Revision ID: 5b1d0c7e9a42
Revises: 0e14edc89f75
Create Date: 2026-12-05 10:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = '5b1d0c7e9a42'
down_revision = '0e14edc89f75'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('instansi', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('website', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('logo_png', sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('instansi', schema=None) as batch_op:
        batch_op.drop_column('logo_png')
        batch_op.drop_column('website')
        batch_op.drop_column('email')
