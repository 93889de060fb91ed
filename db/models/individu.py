"""Individual cycle records kept by Admin SDM: absences (cuti, sakit, dinas luar), acting assignments (Plt/Plh),
archived signed documents and announcements to all staff."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base, TimestampMixin, str_enum
from db.models.org import Jabatan, Pegawai
from domain.enums import JenisKetidakhadiran, JenisPenugasan  # noqa: F401  (re-exported through db.models)


class Ketidakhadiran(TimestampMixin, Base):
    """A pegawai away from `tanggal_mulai` to `tanggal_selesai` (inclusive): cuti, sakit, dinas luar ...
    The working days inside the range are not working days for that pegawai's logbook target."""

    __tablename__ = "ketidakhadiran"
    __table_args__ = (Index("ix_ketidakhadiran_pegawai_mulai", "pegawai_id", "tanggal_mulai"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pegawai_id: Mapped[int] = mapped_column(ForeignKey("pegawai.id", ondelete="CASCADE"))
    jenis: Mapped[JenisKetidakhadiran] = mapped_column(str_enum(JenisKetidakhadiran, "jenis_ketidakhadiran"))
    tanggal_mulai: Mapped[dt.date] = mapped_column(Date)
    tanggal_selesai: Mapped[dt.date] = mapped_column(Date)
    nomor_surat: Mapped[str | None] = mapped_column(String(120))
    keterangan: Mapped[str | None] = mapped_column(String(300))
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    pegawai: Mapped[Pegawai] = relationship()

    __mapper_args__ = {"version_id_col": version}


class PenugasanPlt(TimestampMixin, Base):
    """An acting assignment: `pegawai_id` acts (Plt/Plh) as `jabatan_id` / in place of `pejabat_id` from
    `tanggal_mulai` to `tanggal_selesai`. While it runs, the acting pegawai holds the review rights the holder
    has through the reporting lines, and signs as "Plt."/"Plh." of the jabatan."""

    __tablename__ = "penugasan_plt"
    __table_args__ = (Index("ix_penugasan_plt_pegawai", "pegawai_id"), Index("ix_penugasan_plt_pejabat", "pejabat_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    pegawai_id: Mapped[int] = mapped_column(ForeignKey("pegawai.id", ondelete="CASCADE"))
    pejabat_id: Mapped[int | None] = mapped_column(ForeignKey("pegawai.id", ondelete="CASCADE"))
    jabatan_id: Mapped[int | None] = mapped_column(ForeignKey("jabatan.id", ondelete="RESTRICT"))
    jenis: Mapped[JenisPenugasan] = mapped_column(str_enum(JenisPenugasan, "jenis_penugasan"))
    tanggal_mulai: Mapped[dt.date] = mapped_column(Date)
    tanggal_selesai: Mapped[dt.date] = mapped_column(Date)
    nomor_sk: Mapped[str | None] = mapped_column(String(120))
    tanggal_sk: Mapped[dt.date | None] = mapped_column(Date)
    keterangan: Mapped[str | None] = mapped_column(String(300))
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    pegawai: Mapped[Pegawai] = relationship(foreign_keys=[pegawai_id])
    pejabat: Mapped[Pegawai | None] = relationship(foreign_keys=[pejabat_id])
    jabatan: Mapped[Jabatan | None] = relationship()

    __mapper_args__ = {"version_id_col": version}



class Pengumuman(TimestampMixin, Base):
    """A notice to every pegawai shown on the Beranda from `tampil_mulai` until its deadline has passed, with a
    printable letter: the SKP schedule notice of SOP 004 steps 1–2 (the Sekretariat Jenderal's schedule letter,
    disposed by the head of the satker, passed to all staff by the Kasubbag SDM)."""

    __tablename__ = "pengumuman"

    id: Mapped[int] = mapped_column(primary_key=True)
    judul: Mapped[str] = mapped_column(String(200))
    isi: Mapped[str] = mapped_column(Text)
    tahun: Mapped[int] = mapped_column(Integer)
    nomor_surat: Mapped[str | None] = mapped_column(String(120))
    tanggal_surat: Mapped[dt.date | None] = mapped_column(Date)
    dasar: Mapped[str | None] = mapped_column(String(300))  # the letter it follows up (e.g. Sekjen's schedule)
    tampil_mulai: Mapped[dt.date] = mapped_column(Date)
    batas_waktu: Mapped[dt.date] = mapped_column(Date)  # the deadline shown on the Beranda
    batas_verifikasi: Mapped[dt.date | None] = mapped_column(Date)
    dibuat_oleh: Mapped[str | None] = mapped_column(String(60))
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}
