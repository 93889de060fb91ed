"""scale: indexes for the filters the pages use at ministry scale (issue: a ministry's worth of data)

- logbook_entry (pegawai_id, status, tanggal): a reviewer's queue, Beranda counts and monitoring aggregates read
  the rows of the pegawai in scope with one status (the queue of 40 subordinates among 1.7M rows).
- audit_log (username, at), (action, at), (entity, at): the Log Audit filters, newest first, and the facet
  lists (distinct values read by index skip).
- reporting_lines (pejabat_penilai_id, pegawai_id) etc. are covered by the existing single-column indexes.
- evaluasi (period_id, pegawai_id): per-period evaluation lists; skp (period_id, unit_id): monitoring per unit.
- pegawai (nama), users (nama): the admin lists ordered and paged by name.

Revision ID: 3a5c0e15b1d7
Revises: c7ba6147ef2c
Create Date: 2026-12-05 13:20:00
"""

from alembic import op

revision = "3a5c0e15b1d7"
down_revision = "d77625a3be14"
branch_labels = None
depends_on = None

INDEXES = (
    ("ix_logbook_entry_pegawai_status_tanggal", "logbook_entry", ["pegawai_id", "status", "tanggal"]),
    ("ix_audit_log_username_at", "audit_log", ["username", "at"]),
    ("ix_audit_log_action_at", "audit_log", ["action", "at"]),
    ("ix_audit_log_entity_at", "audit_log", ["entity", "at"]),
    ("ix_evaluasi_period_pegawai", "evaluasi", ["period_id", "pegawai_id"]),
    ("ix_skp_period_unit", "skp", ["period_id", "unit_id"]),
    ("ix_pegawai_nama", "pegawai", ["nama"]),
    ("ix_users_nama", "users", ["nama"]),
)


def upgrade() -> None:
    for name, table, cols in INDEXES:
        op.create_index(name, table, cols)


def downgrade() -> None:
    for name, table, _cols in reversed(INDEXES):
        op.drop_index(name, table_name=table)
