"""Daily logbook (aktivitas harian) and its review, plus the working-day calendar (domain.md §4, SOP 000 steps 2, 4-6).

A `LogbookEntry` is one activity of one pegawai on one day, linked to an RHK of the pegawai's approved SKP.
Workflow: DRAFT -> DIAJUKAN -> DISETUJUI | DIKEMBALIKAN (revisi: the pegawai fixes and resubmits) | DITOLAK.
Only approved minutes count towards the monthly points. `LogbookCorrection` reopens an approved entry,
`LogbookMonthNote` holds the pemberi pertimbangan's note per pegawai-month, `LogbookAttachment` the evidence
files, and `HariLibur` the cuti bersama / local holidays on top of the national ones (`holidays` package).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, TimestampMixin, str_enum
from domain.enums import (  # noqa: F401  (re-exported through db.models)
    JenisHariLibur,
    StatusKoreksi,
    StatusLogbook,
)


class LogbookEntry(TimestampMixin, Base):
    __tablename__ = "logbook_entry"
    __table_args__ = (
        Index("ix_logbook_entry_pegawai_tanggal", "pegawai_id", "tanggal"),
        Index("ix_logbook_entry_status_tanggal", "status", "tanggal"),
        Index("ix_logbook_entry_pegawai_status_tanggal", "pegawai_id", "status", "tanggal"),
        Index("ix_logbook_entry_status_tanggal_pegawai_id", "status", "tanggal", "pegawai_id", "id"),
        Index("ix_logbook_entry_tanggal_status_pegawai_durasi", "tanggal", "status", "pegawai_id", "durasi_menit"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pegawai_id: Mapped[int] = mapped_column(ForeignKey("pegawai.id", ondelete="CASCADE"))
    tanggal: Mapped[dt.date] = mapped_column(Date)
    jam_mulai: Mapped[dt.time | None] = mapped_column(Time)
    jam_selesai: Mapped[dt.time | None] = mapped_column(Time)
    durasi_menit: Mapped[int] = mapped_column(Integer)
    # SET NULL: a later SKP revision may remove the RHK; the label snapshot keeps the entry readable.
    rhk_id: Mapped[int | None] = mapped_column(ForeignKey("skp_rhk.id", ondelete="SET NULL"), index=True)
    rhk_label: Mapped[str | None] = mapped_column(String(300))
    uraian: Mapped[str] = mapped_column(Text)
    volume: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    satuan: Mapped[str] = mapped_column(String(60))
    bukti_link: Mapped[str | None] = mapped_column(String(500))
    catatan_hari_libur: Mapped[str | None] = mapped_column(String(300))
    status: Mapped[StatusLogbook] = mapped_column(str_enum(StatusLogbook, "status_logbook"), default=StatusLogbook.DRAFT)
    submitted_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    catatan_penilai: Mapped[str | None] = mapped_column(Text)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("pegawai.id", ondelete="SET NULL"))
    reviewed_by_username: Mapped[str | None] = mapped_column(String(60))
    reviewed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    catatan_pertimbangan: Mapped[str | None] = mapped_column(Text)
    pertimbangan_by_id: Mapped[int | None] = mapped_column(ForeignKey("pegawai.id", ondelete="SET NULL"))
    pertimbangan_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    terlambat: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    justifikasi_terlambat: Mapped[str | None] = mapped_column(Text)
    terlambat_diterima: Mapped[bool | None] = mapped_column(Boolean)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}


class LogbookAttachment(Base):
    """An evidence file of an entry (stored in the database so backups carry it)."""

    __tablename__ = "logbook_attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("logbook_entry.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_by_username: Mapped[str] = mapped_column(String(60))
    uploaded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class LogbookMonthNote(TimestampMixin, Base):
    """The pemberi pertimbangan's consideration note for one pegawai-month."""

    __tablename__ = "logbook_month_note"
    __table_args__ = (UniqueConstraint("pegawai_id", "tahun", "bulan"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pegawai_id: Mapped[int] = mapped_column(ForeignKey("pegawai.id", ondelete="CASCADE"))
    tahun: Mapped[int] = mapped_column(Integer)
    bulan: Mapped[int] = mapped_column(Integer)
    catatan: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("pegawai.id", ondelete="SET NULL"))
    author_username: Mapped[str] = mapped_column(String(60))


class LogbookCorrection(Base):
    """A request to reopen an approved entry; the pejabat penilai accepts (entry back to DIKEMBALIKAN) or rejects."""

    __tablename__ = "logbook_correction"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("logbook_entry.id", ondelete="CASCADE"), index=True)
    alasan: Mapped[str] = mapped_column(Text)
    status: Mapped[StatusKoreksi] = mapped_column(str_enum(StatusKoreksi, "status_koreksi"),
                                                  default=StatusKoreksi.DIAJUKAN)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("pegawai.id", ondelete="SET NULL"))
    requested_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("pegawai.id", ondelete="SET NULL"))
    decided_by_username: Mapped[str | None] = mapped_column(String(60))
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    catatan_keputusan: Mapped[str | None] = mapped_column(Text)


class HariLibur(TimestampMixin, Base):
    """Non-working days beyond Saturday/Sunday and the national holidays of the `holidays` package."""

    __tablename__ = "hari_libur"

    id: Mapped[int] = mapped_column(primary_key=True)
    tanggal: Mapped[dt.date] = mapped_column(Date, unique=True)
    nama: Mapped[str] = mapped_column(String(200))
    jenis: Mapped[JenisHariLibur] = mapped_column(str_enum(JenisHariLibur, "jenis_hari_libur"))
