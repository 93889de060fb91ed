"""Rapat monitoring dan evaluasi bulanan (SOP 002): the agenda template, the meeting of a month with its
invitation workflow, agenda items with notulen, attendance, tindak lanjut, documentation photos and the monthly
report workflow.

- `MonevTemplateAgenda`: the default agenda the Perencana edits (a "tim" item expands to one item per Tim Kerja).
- `RapatMonev` (one per tahun/bulan): date, time, place, notulis, invitees; the undangan (DRAFT → DIAJUKAN →
  DITANDATANGANI, or DIKEMBALIKAN with a note; signed scan); the meeting (DIJADWALKAN → BERLANGSUNG → SELESAI,
  `snapshot` = the figures frozen when it started, as JSON); the report (BELUM → DRAFT → DIAJUKAN →
  DIPERIKSA / DIKEMBALIKAN → DITETAPKAN).
- `MonevAgenda` (notulen per item), `MonevHadir` (daftar hadir), `MonevTindakLanjut` (action items; open ones
  carry to later meetings until closed with a note), `MonevFoto` (documentation photos).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base, TimestampMixin, str_enum
from domain.enums import (  # noqa: F401  (re-exported through db.models)
    StatusLaporanMonev,
    StatusRapat,
    StatusTindakLanjut,
    StatusUndangan,
)


class MonevTemplateAgenda(Base):
    __tablename__ = "monev_template_agenda"

    id: Mapped[int] = mapped_column(primary_key=True)
    urutan: Mapped[int] = mapped_column(Integer, default=0)
    judul: Mapped[str] = mapped_column(String(200))
    jenis: Mapped[str] = mapped_column(String(20), default="lain")  # pembukaan|iku|tim|anggaran|individu|tindak_lanjut|lain


class RapatMonev(TimestampMixin, Base):
    __tablename__ = "monev_rapat"
    __table_args__ = (UniqueConstraint("tahun", "bulan"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tahun: Mapped[int] = mapped_column(Integer)
    bulan: Mapped[int] = mapped_column(Integer)
    tanggal: Mapped[dt.date] = mapped_column(Date)
    jam: Mapped[str] = mapped_column(String(5))  # HH:MM local time
    tempat: Mapped[str] = mapped_column(String(200))
    notulis_id: Mapped[int | None] = mapped_column(ForeignKey("pegawai.id", ondelete="SET NULL"))
    undangan_cakupan: Mapped[str] = mapped_column(String(10), default="semua")  # semua | unit | tim
    undangan_ids: Mapped[list] = mapped_column(JSON, default=list)  # unit or tim ids
    # undangan
    nomor_undangan: Mapped[str | None] = mapped_column(String(100))
    status_undangan: Mapped[StatusUndangan] = mapped_column(str_enum(StatusUndangan, "status_undangan"),
                                                            default=StatusUndangan.DRAFT)
    catatan_undangan: Mapped[str | None] = mapped_column(Text)
    undangan_ditandatangani_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    undangan_ditandatangani_oleh: Mapped[str | None] = mapped_column(String(60))
    scan_nama: Mapped[str | None] = mapped_column(String(200))
    scan_file: Mapped[bytes | None] = mapped_column(LargeBinary)
    # rapat
    status_rapat: Mapped[StatusRapat] = mapped_column(str_enum(StatusRapat, "status_rapat"),
                                                      default=StatusRapat.DIJADWALKAN)
    dimulai_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    selesai_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    snapshot: Mapped[dict | None] = mapped_column(JSON)
    # laporan
    status_laporan: Mapped[StatusLaporanMonev] = mapped_column(str_enum(StatusLaporanMonev, "status_laporan_monev"),
                                                               default=StatusLaporanMonev.BELUM)
    kesimpulan: Mapped[str | None] = mapped_column(Text)
    catatan_laporan: Mapped[str | None] = mapped_column(Text)
    laporan_disusun_oleh: Mapped[str | None] = mapped_column(String(60))
    laporan_diperiksa_oleh: Mapped[str | None] = mapped_column(String(60))
    laporan_ditetapkan_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    laporan_ditetapkan_oleh: Mapped[str | None] = mapped_column(String(60))
    alasan_terlambat: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    agenda: Mapped[list[MonevAgenda]] = relationship(back_populates="rapat", cascade="all, delete-orphan",
                                                     order_by="MonevAgenda.urutan")


class MonevAgenda(Base):
    __tablename__ = "monev_agenda"

    id: Mapped[int] = mapped_column(primary_key=True)
    rapat_id: Mapped[int] = mapped_column(ForeignKey("monev_rapat.id", ondelete="CASCADE"), index=True)
    urutan: Mapped[int] = mapped_column(Integer, default=0)
    judul: Mapped[str] = mapped_column(String(200))
    jenis: Mapped[str] = mapped_column(String(20), default="lain")
    tim_id: Mapped[int | None] = mapped_column(ForeignKey("tim_kerja.id", ondelete="SET NULL"))
    notulen: Mapped[str | None] = mapped_column(Text)
    notulen_oleh: Mapped[str | None] = mapped_column(String(60))

    rapat: Mapped[RapatMonev] = relationship(back_populates="agenda")


class MonevHadir(Base):
    __tablename__ = "monev_hadir"
    __table_args__ = (UniqueConstraint("rapat_id", "pegawai_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    rapat_id: Mapped[int] = mapped_column(ForeignKey("monev_rapat.id", ondelete="CASCADE"), index=True)
    pegawai_id: Mapped[int] = mapped_column(ForeignKey("pegawai.id", ondelete="CASCADE"))
    hadir: Mapped[bool] = mapped_column(Boolean, default=True)
    cara: Mapped[str] = mapped_column(String(10), default="notulis")  # notulis | mandiri
    dicatat_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    dicatat_oleh: Mapped[str] = mapped_column(String(60))


class MonevTindakLanjut(TimestampMixin, Base):
    __tablename__ = "monev_tindak_lanjut"

    id: Mapped[int] = mapped_column(primary_key=True)
    rapat_id: Mapped[int] = mapped_column(ForeignKey("monev_rapat.id", ondelete="CASCADE"), index=True)
    uraian: Mapped[str] = mapped_column(Text)
    pic_pegawai_id: Mapped[int | None] = mapped_column(ForeignKey("pegawai.id", ondelete="SET NULL"))
    pic_tim_id: Mapped[int | None] = mapped_column(ForeignKey("tim_kerja.id", ondelete="SET NULL"))
    tenggat: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[StatusTindakLanjut] = mapped_column(str_enum(StatusTindakLanjut, "status_tindak_lanjut"),
                                                       default=StatusTindakLanjut.TERBUKA, index=True)
    catatan_selesai: Mapped[str | None] = mapped_column(Text)
    selesai_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    selesai_oleh: Mapped[str | None] = mapped_column(String(60))


class MonevFoto(Base):
    __tablename__ = "monev_foto"

    id: Mapped[int] = mapped_column(primary_key=True)
    rapat_id: Mapped[int] = mapped_column(ForeignKey("monev_rapat.id", ondelete="CASCADE"), index=True)
    nama: Mapped[str] = mapped_column(String(200))
    keterangan: Mapped[str | None] = mapped_column(String(300))
    isi: Mapped[bytes] = mapped_column(LargeBinary)
    diunggah_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    diunggah_oleh: Mapped[str] = mapped_column(String(60))
