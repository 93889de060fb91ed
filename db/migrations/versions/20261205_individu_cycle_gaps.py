"""individual cycle gaps: penetapan document on the organisational predikat, IKI polarity, ketidakhadiran,
Plt/Plh acting assignments, archive uploads

Revision ID: 5b1e0c7d2a94
Revises: 5b1d0c7e9a42
Create Date: 2026-12-05 10:45:00
"""

from alembic import op
import sqlalchemy as sa


revision = '5b1e0c7d2a94'
down_revision = '5ec862bb5dc8'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('kinerja_organisasi', schema=None) as batch_op:
        batch_op.add_column(sa.Column('nomor_penetapan', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('dokumen_nama', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('dokumen_size', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('dokumen_sha256', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('dokumen_isi', sa.LargeBinary(), nullable=True))


    with op.batch_alter_table('skp_iki', schema=None) as batch_op:
        batch_op.add_column(sa.Column('polaritas', sa.Enum('positif', 'negatif', name='polaritas', native_enum=False, create_constraint=True, length=40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('skp_iki', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_skp_iki_polaritas'), type_='check')
        batch_op.drop_column('polaritas')
    with op.batch_alter_table('kinerja_organisasi', schema=None) as batch_op:
        for col in ('dokumen_isi', 'dokumen_sha256', 'dokumen_size', 'dokumen_nama', 'nomor_penetapan'):
            batch_op.drop_column(col)
