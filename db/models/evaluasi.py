"""Performance evaluation (evaluasi kinerja), organisational result and angka kredit (issue 5).

Domain: domain.md §2.5 (rencana aksi), §2.9–2.12 (feedback, ratings, predikat, distribution), §2.14
(documents), §3 (angka kredit); SOP 000 steps 3–8, SOP 004 steps 4–6.

An `Evaluasi` is the evaluation of one SKP segment for one sub-period (`jenis` Periodik, `nomor` 1..12 for
Bulanan or 1..4 for Triwulanan) or for the whole year (`jenis` Tahunan, `nomor` 0). Workflow (`status`):

    DRAFT (pegawai plans rencana aksi, fills realisasi)
      -> DIAJUKAN (realisasi submitted; Ketua Tim may give pertimbangan, penilai may return to DRAFT)
      -> DINILAI (pejabat penilai set ratings + predikat; atasan pejabat penilai decides)
      -> DISETUJUI (locked) | DIKEMBALIKAN (atasan returned it to the penilai, who rates again)
    DISETUJUI -> DINILAI only through `reopen` with a reason (audited).

Children: `RencanaAksi` (plan + realisasi per RHK), `EvaluasiRhk` (realisasi summary and the penilai's umpan
balik per RHK), `EvaluasiIki` (periodic target, realisasi and polarity per IKI → capaian), `EvaluasiPerilaku`
(umpan balik per BerAKHLAK value) and `EvaluasiDokumen` (bukti dukung files and signed scans).
`KinerjaOrganisasi` holds a unit's organisational predikat per period with the distribution check override;
`AngkaKredit` the conversions of predikat into angka kredit for fungsional (plus opening balances).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    ForeignKey,
    Index,
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
    JenisAngkaKredit,
    JenisDokumenEvaluasi,
    JenisEvaluasi,
    Polaritas,
    PredikatKinerja,
    PredikatOrganisasiKinerja,
    RatingKinerja,
    StatusEvaluasi,
)


class Evaluasi(TimestampMixin, Base):
    __tablename__ = "evaluasi"
    __table_args__ = (
        UniqueConstraint("skp_id", "jenis", "nomor"),
        Index("ix_evaluasi_period_status", "period_id", "status"),
        Index("ix_evaluasi_penilai", "pejabat_penilai_id"),
        Index("ix_evaluasi_atasan", "atasan_penilai_id"),
        Index("ix_evaluasi_pertimbangan", "pemberi_pertimbangan_id"),
        Index("ix_evaluasi_period_pegawai", "period_id", "pegawai_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    skp_id: Mapped[int] = mapped_column(ForeignKey("skp.id", ondelete="CASCADE"), index=True)
    pegawai_id: Mapped[int] = mapped_column(ForeignKey("pegawai.id", ondelete="CASCADE"), index=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("periods.id", ondelete="RESTRICT"))
    jenis: Mapped[JenisEvaluasi] = mapped_column(str_enum(JenisEvaluasi, "jenis_evaluasi"))
    nomor: Mapped[int] = mapped_column(Integer)  # 1..12 / 1..4 for Periodik, 0 for Tahunan
    kode: Mapped[str] = mapped_column(String(20))  # "2026-01", "2026-T1", "2026"
    mulai: Mapped[dt.date] = mapped_column(Date)  # clipped to the SKP segment
    selesai: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[StatusEvaluasi] = mapped_column(str_enum(StatusEvaluasi, "status_evaluasi"),
                                                  default=StatusEvaluasi.DRAFT)
    # Reviewers in force for this evaluation (refreshed from the reporting line until it is rated).
    pejabat_penilai_id: Mapped[int | None] = mapped_column(ForeignKey("pegawai.id", ondelete="RESTRICT"))
    atasan_penilai_id: Mapped[int | None] = mapped_column(ForeignKey("pegawai.id", ondelete="RESTRICT"))
    pemberi_pertimbangan_id: Mapped[int | None] = mapped_column(ForeignKey("pegawai.id", ondelete="RESTRICT"))

    rencana_aksi_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    submitted_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    catatan_pegawai: Mapped[str | None] = mapped_column(Text)
    catatan_pengembalian: Mapped[str | None] = mapped_column(Text)  # why the penilai returned the realisasi

    # Pertimbangan (Ketua Tim / pemberi pertimbangan): a note and suggested ratings.
    pertimbangan_catatan: Mapped[str | None] = mapped_column(Text)
    pertimbangan_rating_hasil: Mapped[RatingKinerja | None] = mapped_column(str_enum(RatingKinerja, "saran_rating_hasil"))
    pertimbangan_rating_perilaku: Mapped[RatingKinerja | None] = mapped_column(str_enum(RatingKinerja, "saran_rating_perilaku"))
    pertimbangan_by_id: Mapped[int | None] = mapped_column(ForeignKey("pegawai.id", ondelete="SET NULL"))
    pertimbangan_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    # Penilaian (pejabat penilai).
    rating_hasil_kerja: Mapped[RatingKinerja | None] = mapped_column(str_enum(RatingKinerja, "rating_hasil"))
    rating_perilaku_kerja: Mapped[RatingKinerja | None] = mapped_column(str_enum(RatingKinerja, "rating_perilaku"))
    predikat: Mapped[PredikatKinerja | None] = mapped_column(str_enum(PredikatKinerja, "predikat_kinerja"))
    predikat_alasan: Mapped[str | None] = mapped_column(Text)
    # Set when Rating Hasil Kerja came from the unit's organisational predikat (unit heads, §2.11).
    predikat_organisasi: Mapped[PredikatOrganisasiKinerja | None] = mapped_column(
        str_enum(PredikatOrganisasiKinerja, "predikat_organisasi"))
    rekomendasi: Mapped[str | None] = mapped_column(Text)  # catatan/rekomendasi of the penilai
    dinilai_by_id: Mapped[int | None] = mapped_column(ForeignKey("pegawai.id", ondelete="SET NULL"))
    dinilai_by_username: Mapped[str | None] = mapped_column(String(60))
    dinilai_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    # Persetujuan (atasan pejabat penilai).
    catatan_atasan: Mapped[str | None] = mapped_column(Text)
    disetujui_by_id: Mapped[int | None] = mapped_column(ForeignKey("pegawai.id", ondelete="SET NULL"))
    disetujui_by_username: Mapped[str | None] = mapped_column(String(60))
    disetujui_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    alasan_buka_kembali: Mapped[str | None] = mapped_column(Text)

    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    rencana_aksi: Mapped[list[RencanaAksi]] = relationship(cascade="all, delete-orphan",
                                                           order_by="(RencanaAksi.rhk_urutan, RencanaAksi.urutan)")
    hasil: Mapped[list[EvaluasiRhk]] = relationship(cascade="all, delete-orphan", order_by="EvaluasiRhk.rhk_urutan")
    iki: Mapped[list[EvaluasiIki]] = relationship(cascade="all, delete-orphan", order_by="EvaluasiIki.id")
    perilaku: Mapped[list[EvaluasiPerilaku]] = relationship(cascade="all, delete-orphan",
                                                            order_by="EvaluasiPerilaku.urutan")

    __mapper_args__ = {"version_id_col": version}


class RencanaAksi(TimestampMixin, Base):
    """One planned action for one RHK in one evaluation period, with its realisasi and bukti dukung."""

    __tablename__ = "rencana_aksi"

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluasi_id: Mapped[int] = mapped_column(ForeignKey("evaluasi.id", ondelete="CASCADE"), index=True)
    # SET NULL: an SKP revision may remove the RHK; `rhk_label` keeps the row readable.
    rhk_id: Mapped[int | None] = mapped_column(ForeignKey("skp_rhk.id", ondelete="SET NULL"), index=True)
    rhk_label: Mapped[str] = mapped_column(String(300))
    rhk_urutan: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    urutan: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    uraian: Mapped[str] = mapped_column(Text)
    target: Mapped[Decimal | None] = mapped_column(Numeric(18, 4))
    satuan: Mapped[str | None] = mapped_column(String(60))
    realisasi: Mapped[Decimal | None] = mapped_column(Numeric(18, 4))
    realisasi_uraian: Mapped[str | None] = mapped_column(Text)  # "realisasi berdasarkan bukti dukung"
    bukti_dukung: Mapped[str | None] = mapped_column(Text)  # links, one per line
    umpan_balik: Mapped[str | None] = mapped_column(Text)  # optional feedback per rencana aksi


class EvaluasiRhk(Base):
    """Per RHK: the realisasi summary by the pegawai and the umpan balik by the pejabat penilai."""

    __tablename__ = "evaluasi_rhk"
    __table_args__ = (UniqueConstraint("evaluasi_id", "rhk_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluasi_id: Mapped[int] = mapped_column(ForeignKey("evaluasi.id", ondelete="CASCADE"), index=True)
    rhk_id: Mapped[int | None] = mapped_column(ForeignKey("skp_rhk.id", ondelete="SET NULL"), index=True)
    rhk_label: Mapped[str] = mapped_column(String(300))
    rhk_urutan: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    realisasi: Mapped[str | None] = mapped_column(Text)
    umpan_balik: Mapped[str | None] = mapped_column(Text)


class EvaluasiIki(Base):
    """Per IKI: the target for this period (defaults from the SKP), the realisasi and the polarity → capaian."""

    __tablename__ = "evaluasi_iki"
    __table_args__ = (UniqueConstraint("evaluasi_id", "iki_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluasi_id: Mapped[int] = mapped_column(ForeignKey("evaluasi.id", ondelete="CASCADE"), index=True)
    iki_id: Mapped[int | None] = mapped_column(ForeignKey("skp_iki.id", ondelete="SET NULL"), index=True)
    rhk_id: Mapped[int | None] = mapped_column(ForeignKey("skp_rhk.id", ondelete="SET NULL"))
    indikator: Mapped[str] = mapped_column(Text)
    satuan: Mapped[str] = mapped_column(String(60))
    target_min: Mapped[Decimal] = mapped_column(Numeric(18, 4))
    target_max: Mapped[Decimal | None] = mapped_column(Numeric(18, 4))
    polaritas: Mapped[Polaritas] = mapped_column(str_enum(Polaritas, "polaritas"), default=Polaritas.POSITIF)
    realisasi: Mapped[Decimal | None] = mapped_column(Numeric(18, 4))
    capaian: Mapped[Decimal | None] = mapped_column(Numeric(9, 2))  # percent, computed by services.rules.capaian


class EvaluasiPerilaku(Base):
    """Per BerAKHLAK value (urutan 1..7 indexes services.berakhlak.NILAI): umpan balik by the pejabat penilai."""

    __tablename__ = "evaluasi_perilaku"
    __table_args__ = (UniqueConstraint("evaluasi_id", "urutan"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluasi_id: Mapped[int] = mapped_column(ForeignKey("evaluasi.id", ondelete="CASCADE"), index=True)
    urutan: Mapped[int] = mapped_column(Integer)
    nilai: Mapped[str] = mapped_column(String(60))
    ekspektasi_khusus: Mapped[str | None] = mapped_column(Text)  # copied from the SKP
    umpan_balik: Mapped[str | None] = mapped_column(Text)


class EvaluasiDokumen(Base):
    """A file attached to an evaluation: bukti dukung (pegawai) or the signed scan of the printed document."""

    __tablename__ = "evaluasi_dokumen"

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluasi_id: Mapped[int] = mapped_column(ForeignKey("evaluasi.id", ondelete="CASCADE"), index=True)
    rencana_aksi_id: Mapped[int | None] = mapped_column(ForeignKey("rencana_aksi.id", ondelete="SET NULL"))
    jenis: Mapped[JenisDokumenEvaluasi] = mapped_column(str_enum(JenisDokumenEvaluasi, "jenis_dokumen_evaluasi"))
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100), default="application/pdf")
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes | None] = mapped_column(LargeBinary)
    keterangan: Mapped[str | None] = mapped_column(String(300))
    uploaded_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    uploaded_by_username: Mapped[str] = mapped_column(String(60))
    uploaded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class KinerjaOrganisasi(TimestampMixin, Base):
    """The organisational predikat of a unit for one period (nomor 0 = annual), set by the leader above.

    Also records the distribution check of the unit's pegawai predikat against the SE MenPANRB 3/2023 curve:
    when it is violated and the leader keeps the result, `override_alasan` holds the written justification.
    """

    __tablename__ = "kinerja_organisasi"
    __table_args__ = (UniqueConstraint("unit_id", "period_id", "nomor"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit_kerja.id", ondelete="CASCADE"), index=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("periods.id", ondelete="RESTRICT"))
    nomor: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    predikat: Mapped[PredikatOrganisasiKinerja] = mapped_column(str_enum(PredikatOrganisasiKinerja,
                                                                      "predikat_organisasi"))
    catatan: Mapped[str | None] = mapped_column(Text)
    ditetapkan_by_username: Mapped[str] = mapped_column(String(60))
    ditetapkan_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    override_alasan: Mapped[str | None] = mapped_column(Text)
    override_pelanggaran: Mapped[list | None] = mapped_column(JSON)
    override_by_username: Mapped[str | None] = mapped_column(String(60))
    override_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    # The signed penetapan of the level above (required for the satker's root unit, recorded by Admin SDM or
    # the Perencana): its number and the PDF scan.
    nomor_penetapan: Mapped[str | None] = mapped_column(String(120))
    dokumen_nama: Mapped[str | None] = mapped_column(String(200))
    dokumen_size: Mapped[int | None] = mapped_column(Integer)
    dokumen_sha256: Mapped[str | None] = mapped_column(String(64))
    dokumen_isi: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}


class AngkaKredit(TimestampMixin, Base):
    """One angka kredit amount of a fungsional pegawai: a conversion of an approved evaluation's predikat
    (Periodik / Tahunan, §3.3) or an opening balance (Saldo Awal: PAK integrasi/konversi before this system)."""

    __tablename__ = "angka_kredit"
    __table_args__ = (
        UniqueConstraint("evaluasi_id"),
        Index("ix_angka_kredit_pegawai_tahun", "pegawai_id", "tahun"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pegawai_id: Mapped[int] = mapped_column(ForeignKey("pegawai.id", ondelete="CASCADE"))
    evaluasi_id: Mapped[int | None] = mapped_column(ForeignKey("evaluasi.id", ondelete="CASCADE"))
    jenis: Mapped[JenisAngkaKredit] = mapped_column(str_enum(JenisAngkaKredit, "jenis_angka_kredit"))
    tahun: Mapped[int] = mapped_column(Integer)
    mulai: Mapped[dt.date | None] = mapped_column(Date)
    selesai: Mapped[dt.date | None] = mapped_column(Date)
    bulan: Mapped[int] = mapped_column(Integer, default=12, server_default="12")
    jabatan_nama: Mapped[str | None] = mapped_column(String(200))
    jenjang: Mapped[str | None] = mapped_column(String(40))
    golongan: Mapped[str | None] = mapped_column(String(8))
    predikat: Mapped[PredikatKinerja | None] = mapped_column(str_enum(PredikatKinerja, "predikat_kinerja"))
    persen: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    koefisien: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    nilai: Mapped[Decimal] = mapped_column(Numeric(9, 2))
    keterangan: Mapped[str | None] = mapped_column(String(300))
    dibuat_by_username: Mapped[str] = mapped_column(String(60))
