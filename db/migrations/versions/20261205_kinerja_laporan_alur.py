"""kinerja: Laporan Kinerja workflow (review rounds, ratification, proof of sending)

Revision ID: 7d3f2a91c4b8
Revises: c7ba6147ef2c
Create Date: 2026-12-05 13:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = '7d3f2a91c4b8'
down_revision = 'f59d116a2bad'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('kinerja_laporan', schema=None) as batch_op:
        batch_op.add_column(sa.Column('disusun_oleh', sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column('diajukan_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('disahkan_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('disahkan_oleh', sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column('dokumen_docx', sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column('scan_at', sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        'kinerja_laporan_reviu',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('laporan_id', sa.Integer(), nullable=False),
        sa.Column('putaran', sa.Integer(), nullable=False),
        sa.Column('setuju', sa.Boolean(), nullable=False),
        sa.Column('catatan', sa.Text(), nullable=True),
        sa.Column('oleh', sa.String(length=60), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['laporan_id'], ['kinerja_laporan.id'],
                                name=op.f('fk_kinerja_laporan_reviu_laporan_id_kinerja_laporan'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_kinerja_laporan_reviu')),
    )
    with op.batch_alter_table('kinerja_laporan_reviu', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kinerja_laporan_reviu_laporan_id'), ['laporan_id'], unique=False)
    op.create_table(
        'kinerja_laporan_kirim',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('laporan_id', sa.Integer(), nullable=False),
        sa.Column('tanggal', sa.Date(), nullable=False),
        sa.Column('kanal', sa.String(length=40), nullable=False),
        sa.Column('tautan', sa.String(length=500), nullable=True),
        sa.Column('bukti_nama', sa.String(length=200), nullable=True),
        sa.Column('bukti_file', sa.LargeBinary(), nullable=True),
        sa.Column('keterangan', sa.Text(), nullable=True),
        sa.Column('dicatat_oleh', sa.String(length=60), nullable=False),
        sa.Column('dicatat_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['laporan_id'], ['kinerja_laporan.id'],
                                name=op.f('fk_kinerja_laporan_kirim_laporan_id_kinerja_laporan'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_kinerja_laporan_kirim')),
    )
    with op.batch_alter_table('kinerja_laporan_kirim', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kinerja_laporan_kirim_laporan_id'), ['laporan_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('kinerja_laporan_kirim', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kinerja_laporan_kirim_laporan_id'))
    op.drop_table('kinerja_laporan_kirim')
    with op.batch_alter_table('kinerja_laporan_reviu', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kinerja_laporan_reviu_laporan_id'))
    op.drop_table('kinerja_laporan_reviu')
    with op.batch_alter_table('kinerja_laporan', schema=None) as batch_op:
        batch_op.drop_column('scan_at')
        batch_op.drop_column('dokumen_docx')
        batch_op.drop_column('disahkan_oleh')
        batch_op.drop_column('disahkan_at')
        batch_op.drop_column('diajukan_at')
        batch_op.drop_column('disusun_oleh')
