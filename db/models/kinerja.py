"""Organisational performance (SOP 001, domain.md §0.4 and §5): Perjanjian Kinerja, monthly realisation per Tim
Kerja, Kertas Kerja Perhitungan Kinerja and Laporan Kinerja.

- `PerjanjianKinerja` per year (status DRAFT → DITANDATANGANI; a revision after signing snapshots the signed
  version into `PkVersi` and bumps `versi`), with `SasaranStrategis` → `IndikatorKinerja` (+ `TargetBulanan`)
  and `RincianOutput` (pagu) → `RpdBulanan` (monthly disbursement plan).
- `RealisasiTim` is one Tim Kerja's monthly submission (DRAFT → DIAJUKAN); `RealisasiIndikator` and
  `RealisasiAnggaran` hold the figures; `DelegasiRealisasi` lets a member enter for the PJ.
- `KertasKerja` per period (bulan 1..12, triwulan, tahun) with the compiled rows as JSON; each ratification is
  kept in `KertasKerjaVersi`.
- `LaporanKinerja` (monthly bulan 1..12, annual bulan 0) with narrative, review loop and archive.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base, TimestampMixin, str_enum
from domain.enums import (  # noqa: F401  (re-exported through db.models)
    AturanAgregasi,
    JenisIndikator,
    PolaritasIndikator,
    StatusKertasKerja,
    StatusLaporan,
    StatusPk,
    StatusRealisasiTim,
)

NUM = Numeric(18, 4)
RP = Numeric(18, 2)


class PerjanjianKinerja(TimestampMixin, Base):
    __tablename__ = "kinerja_pk"

    id: Mapped[int] = mapped_column(primary_key=True)
    tahun: Mapped[int] = mapped_column(Integer, unique=True)
    versi: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[StatusPk] = mapped_column(str_enum(StatusPk, "status_pk"), default=StatusPk.DRAFT)
    ditandatangani_at: Mapped[dt.date | None] = mapped_column(Date)
    ditandatangani_oleh: Mapped[str | None] = mapped_column(String(60))
    alasan_revisi: Mapped[str | None] = mapped_column(Text)

    sasaran: Mapped[list[SasaranStrategis]] = relationship(back_populates="pk", cascade="all, delete-orphan",
                                                          order_by="SasaranStrategis.urutan")
    rincian: Mapped[list[RincianOutput]] = relationship(back_populates="pk", cascade="all, delete-orphan",
                                                       order_by="RincianOutput.urutan")


class PkVersi(Base):
    """A signed Perjanjian Kinerja as it was before a revision (read-only snapshot)."""

    __tablename__ = "kinerja_pk_versi"
    __table_args__ = (UniqueConstraint("pk_id", "versi"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pk_id: Mapped[int] = mapped_column(ForeignKey("kinerja_pk.id", ondelete="CASCADE"), index=True)
    versi: Mapped[int] = mapped_column(Integer)
    isi: Mapped[dict] = mapped_column(JSON)
    ditandatangani_at: Mapped[dt.date | None] = mapped_column(Date)
    dibuat_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    dibuat_oleh: Mapped[str] = mapped_column(String(60))


class SasaranStrategis(Base):
    __tablename__ = "kinerja_sasaran"
    __table_args__ = (UniqueConstraint("pk_id", "kode"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pk_id: Mapped[int] = mapped_column(ForeignKey("kinerja_pk.id", ondelete="CASCADE"), index=True)
    kode: Mapped[str] = mapped_column(String(20))
    nama: Mapped[str] = mapped_column(Text)
    urutan: Mapped[int] = mapped_column(Integer, default=0)

    pk: Mapped[PerjanjianKinerja] = relationship(back_populates="sasaran")
    indikator: Mapped[list[IndikatorKinerja]] = relationship(back_populates="sasaran", cascade="all, delete-orphan",
                                                            order_by="IndikatorKinerja.urutan")


class IndikatorKinerja(Base):
    __tablename__ = "kinerja_indikator"

    id: Mapped[int] = mapped_column(primary_key=True)
    sasaran_id: Mapped[int] = mapped_column(ForeignKey("kinerja_sasaran.id", ondelete="CASCADE"), index=True)
    kode: Mapped[str] = mapped_column(String(20))
    nama: Mapped[str] = mapped_column(Text)
    jenis: Mapped[JenisIndikator] = mapped_column(str_enum(JenisIndikator, "jenis_indikator"),
                                                  default=JenisIndikator.IKU)
    satuan: Mapped[str] = mapped_column(String(60))
    polaritas: Mapped[PolaritasIndikator] = mapped_column(str_enum(PolaritasIndikator, "polaritas_indikator"))
    agregasi: Mapped[AturanAgregasi] = mapped_column(str_enum(AturanAgregasi, "aturan_agregasi"))
    target: Mapped[Decimal] = mapped_column(NUM)
    target_max: Mapped[Decimal | None] = mapped_column(NUM)
    tim_id: Mapped[int] = mapped_column(ForeignKey("tim_kerja.id", ondelete="RESTRICT"), index=True)
    sumber_data: Mapped[str | None] = mapped_column(Text)
    definisi: Mapped[str | None] = mapped_column(Text)
    urutan: Mapped[int] = mapped_column(Integer, default=0)

    sasaran: Mapped[SasaranStrategis] = relationship(back_populates="indikator")
    targets: Mapped[list[TargetBulanan]] = relationship(back_populates="indikator", cascade="all, delete-orphan",
                                                       order_by="TargetBulanan.bulan")


class TargetBulanan(Base):
    __tablename__ = "kinerja_target"
    __table_args__ = (UniqueConstraint("indikator_id", "bulan"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    indikator_id: Mapped[int] = mapped_column(ForeignKey("kinerja_indikator.id", ondelete="CASCADE"))
    bulan: Mapped[int] = mapped_column(Integer)
    target: Mapped[Decimal] = mapped_column(NUM)
    target_max: Mapped[Decimal | None] = mapped_column(NUM)

    indikator: Mapped[IndikatorKinerja] = relationship(back_populates="targets")


class RincianOutput(Base):
    __tablename__ = "kinerja_rincian"
    __table_args__ = (UniqueConstraint("pk_id", "kode"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pk_id: Mapped[int] = mapped_column(ForeignKey("kinerja_pk.id", ondelete="CASCADE"), index=True)
    kode: Mapped[str] = mapped_column(String(60))
    nama: Mapped[str] = mapped_column(Text)
    tim_id: Mapped[int | None] = mapped_column(ForeignKey("tim_kerja.id", ondelete="RESTRICT"))
    pagu: Mapped[Decimal] = mapped_column(RP)
    urutan: Mapped[int] = mapped_column(Integer, default=0)

    pk: Mapped[PerjanjianKinerja] = relationship(back_populates="rincian")
    rpd: Mapped[list[RpdBulanan]] = relationship(back_populates="rincian", cascade="all, delete-orphan",
                                                order_by="RpdBulanan.bulan")


class RpdBulanan(Base):
    __tablename__ = "kinerja_rpd"
    __table_args__ = (UniqueConstraint("rincian_id", "bulan"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    rincian_id: Mapped[int] = mapped_column(ForeignKey("kinerja_rincian.id", ondelete="CASCADE"))
    bulan: Mapped[int] = mapped_column(Integer)
    rencana: Mapped[Decimal] = mapped_column(RP)

    rincian: Mapped[RincianOutput] = relationship(back_populates="rpd")


class DelegasiRealisasi(Base):
    __tablename__ = "kinerja_delegasi"
    __table_args__ = (UniqueConstraint("tahun", "tim_id", "pegawai_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tahun: Mapped[int] = mapped_column(Integer)
    tim_id: Mapped[int] = mapped_column(ForeignKey("tim_kerja.id", ondelete="CASCADE"))
    pegawai_id: Mapped[int] = mapped_column(ForeignKey("pegawai.id", ondelete="CASCADE"))


class RealisasiTim(TimestampMixin, Base):
    __tablename__ = "kinerja_realisasi_tim"
    __table_args__ = (UniqueConstraint("tahun", "bulan", "tim_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tahun: Mapped[int] = mapped_column(Integer)
    bulan: Mapped[int] = mapped_column(Integer)
    tim_id: Mapped[int] = mapped_column(ForeignKey("tim_kerja.id", ondelete="CASCADE"), index=True)
    status: Mapped[StatusRealisasiTim] = mapped_column(str_enum(StatusRealisasiTim, "status_realisasi_tim"),
                                                       default=StatusRealisasiTim.DRAFT)
    diajukan_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    diajukan_oleh: Mapped[str | None] = mapped_column(String(60))


class RealisasiIndikator(TimestampMixin, Base):
    __tablename__ = "kinerja_realisasi"
    __table_args__ = (UniqueConstraint("indikator_id", "bulan"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    indikator_id: Mapped[int] = mapped_column(ForeignKey("kinerja_indikator.id", ondelete="CASCADE"))
    bulan: Mapped[int] = mapped_column(Integer)
    nilai: Mapped[Decimal | None] = mapped_column(NUM)
    bukti_link: Mapped[str | None] = mapped_column(String(500))
    bukti_nama: Mapped[str | None] = mapped_column(String(200))
    bukti_file: Mapped[bytes | None] = mapped_column(LargeBinary)
    kendala: Mapped[str | None] = mapped_column(Text)
    rencana_tindak_lanjut: Mapped[str | None] = mapped_column(Text)
    diisi_oleh: Mapped[str | None] = mapped_column(String(60))
    koreksi_alasan: Mapped[str | None] = mapped_column(Text)


class RealisasiAnggaran(TimestampMixin, Base):
    __tablename__ = "kinerja_realisasi_anggaran"
    __table_args__ = (UniqueConstraint("rincian_id", "bulan"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    rincian_id: Mapped[int] = mapped_column(ForeignKey("kinerja_rincian.id", ondelete="CASCADE"))
    bulan: Mapped[int] = mapped_column(Integer)
    nilai: Mapped[Decimal] = mapped_column(RP)
    diisi_oleh: Mapped[str | None] = mapped_column(String(60))


class KertasKerja(TimestampMixin, Base):
    """Kertas Kerja Perhitungan Kinerja of a period: `jenis` bulan (nomor 1..12), triwulan (1..4), tahun (0)."""

    __tablename__ = "kinerja_kertas_kerja"
    __table_args__ = (UniqueConstraint("tahun", "jenis", "nomor"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tahun: Mapped[int] = mapped_column(Integer)
    jenis: Mapped[str] = mapped_column(String(10))
    nomor: Mapped[int] = mapped_column(Integer)
    status: Mapped[StatusKertasKerja] = mapped_column(str_enum(StatusKertasKerja, "status_kertas_kerja"),
                                                      default=StatusKertasKerja.DRAFT)
    baris: Mapped[list] = mapped_column(JSON, default=list)
    ringkasan: Mapped[dict] = mapped_column(JSON, default=dict)
    catatan_baris: Mapped[dict] = mapped_column(JSON, default=dict)  # indikator_id (str) -> note
    versi: Mapped[int] = mapped_column(Integer, default=0)  # number of ratifications
    disusun_oleh: Mapped[str | None] = mapped_column(String(60))
    diperiksa_oleh: Mapped[str | None] = mapped_column(String(60))


class KertasKerjaVersi(Base):
    __tablename__ = "kinerja_kertas_kerja_versi"
    __table_args__ = (UniqueConstraint("kertas_kerja_id", "versi"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kertas_kerja_id: Mapped[int] = mapped_column(ForeignKey("kinerja_kertas_kerja.id", ondelete="CASCADE"),
                                                 index=True)
    versi: Mapped[int] = mapped_column(Integer)
    baris: Mapped[list] = mapped_column(JSON)
    ringkasan: Mapped[dict] = mapped_column(JSON)
    disahkan_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    disahkan_oleh: Mapped[str] = mapped_column(String(60))


class LaporanKinerja(TimestampMixin, Base):
    __tablename__ = "kinerja_laporan"
    __table_args__ = (UniqueConstraint("tahun", "bulan"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tahun: Mapped[int] = mapped_column(Integer)
    bulan: Mapped[int] = mapped_column(Integer)  # 0 = annual LKj
    status: Mapped[StatusLaporan] = mapped_column(str_enum(StatusLaporan, "status_laporan"),
                                                  default=StatusLaporan.DRAFT)
    kertas_kerja_versi_id: Mapped[int | None] = mapped_column(ForeignKey("kinerja_kertas_kerja_versi.id",
                                                                         ondelete="SET NULL"))
    narasi: Mapped[dict] = mapped_column(JSON, default=dict)
    catatan_review: Mapped[str | None] = mapped_column(Text)
    scan_nama: Mapped[str | None] = mapped_column(String(200))
    scan_file: Mapped[bytes | None] = mapped_column(LargeBinary)
    kirim_tanggal: Mapped[dt.date | None] = mapped_column(Date)
    kirim_kanal: Mapped[str | None] = mapped_column(String(40))
    kirim_link: Mapped[str | None] = mapped_column(String(500))
    kirim_bukti_nama: Mapped[str | None] = mapped_column(String(200))
    kirim_bukti_file: Mapped[bytes | None] = mapped_column(LargeBinary)
    # workflow (SOP 001 steps 6–9): who drafted, when submitted/ratified, the DOCX as ratified, the scan's upload
    disusun_oleh: Mapped[str | None] = mapped_column(String(60))
    diajukan_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    disahkan_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    disahkan_oleh: Mapped[str | None] = mapped_column(String(60))
    dokumen_docx: Mapped[bytes | None] = mapped_column(LargeBinary)
    scan_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    reviu: Mapped[list[LaporanReviu]] = relationship(back_populates="laporan", cascade="all, delete-orphan",
                                                     order_by="LaporanReviu.id")
    pengiriman: Mapped[list[LaporanPengiriman]] = relationship(back_populates="laporan",
                                                               cascade="all, delete-orphan",
                                                               order_by="LaporanPengiriman.id")


class SkTimPenyusun(TimestampMixin, Base):
    """SOP 001 steps 1–2 for a year: the Kepala's instruction (Nota Dinas) to form the Tim Penyusun Laporan
    Kinerja, and the SK that forms it (number, date, signed scan). Once the SK is recorded (number and date),
    its members hold the Petugas Perencana rights for that year's kertas kerja and reports."""

    __tablename__ = "kinerja_sk_tim_penyusun"

    id: Mapped[int] = mapped_column(primary_key=True)
    tahun: Mapped[int] = mapped_column(Integer, unique=True)
    arahan_nomor: Mapped[str | None] = mapped_column(String(100))
    arahan_tanggal: Mapped[dt.date | None] = mapped_column(Date)
    arahan_isi: Mapped[str | None] = mapped_column(Text)
    nomor: Mapped[str | None] = mapped_column(String(100))
    tanggal: Mapped[dt.date | None] = mapped_column(Date)
    scan_nama: Mapped[str | None] = mapped_column(String(200))
    scan_file: Mapped[bytes | None] = mapped_column(LargeBinary)

    anggota: Mapped[list[AnggotaTimPenyusun]] = relationship(back_populates="sk", cascade="all, delete-orphan",
                                                            order_by="AnggotaTimPenyusun.urutan")


class AnggotaTimPenyusun(Base):
    __tablename__ = "kinerja_sk_anggota"
    __table_args__ = (UniqueConstraint("sk_id", "pegawai_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sk_id: Mapped[int] = mapped_column(ForeignKey("kinerja_sk_tim_penyusun.id", ondelete="CASCADE"), index=True)
    pegawai_id: Mapped[int] = mapped_column(ForeignKey("pegawai.id", ondelete="RESTRICT"), index=True)
    peran: Mapped[str] = mapped_column(String(60))
    urutan: Mapped[int] = mapped_column(Integer, default=0)

    sk: Mapped[SkTimPenyusun] = relationship(back_populates="anggota")


class LaporanReviu(Base):
    """One review round of a Laporan Kinerja by the Kasubbag ADUM: YA (approved) or TIDAK with notes."""

    __tablename__ = "kinerja_laporan_reviu"

    id: Mapped[int] = mapped_column(primary_key=True)
    laporan_id: Mapped[int] = mapped_column(ForeignKey("kinerja_laporan.id", ondelete="CASCADE"), index=True)
    putaran: Mapped[int] = mapped_column(Integer)
    setuju: Mapped[bool] = mapped_column(Boolean)
    catatan: Mapped[str | None] = mapped_column(Text)
    oleh: Mapped[str] = mapped_column(String(60))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))

    laporan: Mapped[LaporanKinerja] = relationship(back_populates="reviu")


class LaporanPengiriman(Base):
    """Proof that a ratified Laporan Kinerja was sent: date, channel (e-mail to the ministry, e-Performance,
    website) and a link or a file."""

    __tablename__ = "kinerja_laporan_kirim"

    id: Mapped[int] = mapped_column(primary_key=True)
    laporan_id: Mapped[int] = mapped_column(ForeignKey("kinerja_laporan.id", ondelete="CASCADE"), index=True)
    tanggal: Mapped[dt.date] = mapped_column(Date)
    kanal: Mapped[str] = mapped_column(String(40))
    tautan: Mapped[str | None] = mapped_column(String(500))
    bukti_nama: Mapped[str | None] = mapped_column(String(200))
    bukti_file: Mapped[bytes | None] = mapped_column(LargeBinary)
    keterangan: Mapped[str | None] = mapped_column(Text)
    dicatat_oleh: Mapped[str] = mapped_column(String(60))
    dicatat_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))

    laporan: Mapped[LaporanKinerja] = relationship(back_populates="pengiriman")
