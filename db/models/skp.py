"""SKP (Sasaran Kinerja Pegawai): the annual plan of one pegawai for one period segment.

Structure (domain.md §2.2–2.8): an `Skp` has RHK (`Rhk`, Utama/Tambahan), each RHK has IKI (`Iki`, with aspek for
JA/JF and a min–max target); JA/JF RHK intervene RHK of the pejabat penilai (`RhkIntervensi`, Direct/Non Direct
cascading). Every SKP carries three lampiran lists (`SkpLampiran`) and seven BerAKHLAK perilaku rows
(`SkpPerilaku`, guides are constants in services/berakhlak.py). Each approval freezes a JSON snapshot in
`SkpVersion`; revisions after approval go through `SkpRevisionRequest`; the signed scan lives in `SkpDocument`.
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
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base, TimestampMixin, str_enum
from domain.enums import (  # noqa: F401  (re-exported through db.models)
    AspekIki,
    FormatSkp,
    JenisCascading,
    JenisLampiran,
    JenisRhk,
    Pendekatan,
    Perspektif,
    Polaritas,
    StatusRevisi,
    StatusSkp,
)


class Skp(TimestampMixin, Base):
    """One SKP segment. Jabatan, unit and reviewers are snapshots taken when the segment was opened."""

    __tablename__ = "skp"
    __table_args__ = (
        UniqueConstraint("pegawai_id", "period_id", "segment_no"),
        Index("ix_skp_period_status", "period_id", "status"),
        Index("ix_skp_penilai", "pejabat_penilai_id"),
        Index("ix_skp_period_unit", "period_id", "unit_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pegawai_id: Mapped[int] = mapped_column(ForeignKey("pegawai.id", ondelete="CASCADE"), index=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("periods.id", ondelete="RESTRICT"))
    segment_no: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    tanggal_mulai: Mapped[dt.date] = mapped_column(Date)
    tanggal_selesai: Mapped[dt.date] = mapped_column(Date)
    jabatan_id: Mapped[int | None] = mapped_column(ForeignKey("jabatan.id", ondelete="RESTRICT"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit_kerja.id", ondelete="RESTRICT"))
    golongan: Mapped[str | None] = mapped_column(String(8))
    pejabat_penilai_id: Mapped[int | None] = mapped_column(ForeignKey("pegawai.id", ondelete="RESTRICT"))
    atasan_penilai_id: Mapped[int | None] = mapped_column(ForeignKey("pegawai.id", ondelete="RESTRICT"))
    format: Mapped[FormatSkp] = mapped_column(str_enum(FormatSkp, "format_skp"))
    pendekatan: Mapped[Pendekatan] = mapped_column(str_enum(Pendekatan, "pendekatan_skp"),
                                                   default=Pendekatan.KUANTITATIF)
    status: Mapped[StatusSkp] = mapped_column(str_enum(StatusSkp, "status_skp"), default=StatusSkp.DRAFT)
    version_no: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    catatan_pengembalian: Mapped[str | None] = mapped_column(Text)
    submitted_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("pegawai.id", ondelete="SET NULL"))
    decided_by_username: Mapped[str | None] = mapped_column(String(60))
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    rhk: Mapped[list[Rhk]] = relationship(back_populates="skp", cascade="all, delete-orphan",
                                          order_by="Rhk.urutan")
    lampiran: Mapped[list[SkpLampiran]] = relationship(cascade="all, delete-orphan",
                                                       order_by="SkpLampiran.urutan")
    perilaku: Mapped[list[SkpPerilaku]] = relationship(cascade="all, delete-orphan",
                                                       order_by="SkpPerilaku.urutan")

    __mapper_args__ = {"version_id_col": version}


class Rhk(TimestampMixin, Base):
    __tablename__ = "skp_rhk"

    id: Mapped[int] = mapped_column(primary_key=True)
    skp_id: Mapped[int] = mapped_column(ForeignKey("skp.id", ondelete="CASCADE"), index=True)
    jenis: Mapped[JenisRhk] = mapped_column(str_enum(JenisRhk, "jenis_rhk"))
    urutan: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    uraian: Mapped[str] = mapped_column(Text)
    perspektif: Mapped[Perspektif | None] = mapped_column(str_enum(Perspektif, "perspektif"))
    catatan_reviu: Mapped[str | None] = mapped_column(Text)

    skp: Mapped[Skp] = relationship(back_populates="rhk")
    iki: Mapped[list[Iki]] = relationship(back_populates="rhk", cascade="all, delete-orphan",
                                          order_by="Iki.urutan")
    intervensi: Mapped[list[RhkIntervensi]] = relationship(
        cascade="all, delete-orphan", foreign_keys="RhkIntervensi.rhk_id", order_by="RhkIntervensi.id")


class RhkIntervensi(Base):
    """An RHK of the pegawai intervenes an RHK of the pejabat penilai (the parent)."""

    __tablename__ = "skp_rhk_intervensi"
    __table_args__ = (UniqueConstraint("rhk_id", "parent_rhk_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    rhk_id: Mapped[int] = mapped_column(ForeignKey("skp_rhk.id", ondelete="CASCADE"), index=True)
    parent_rhk_id: Mapped[int] = mapped_column(ForeignKey("skp_rhk.id", ondelete="RESTRICT"), index=True)
    jenis_cascading: Mapped[JenisCascading] = mapped_column(str_enum(JenisCascading, "jenis_cascading"))


class Iki(TimestampMixin, Base):
    __tablename__ = "skp_iki"

    id: Mapped[int] = mapped_column(primary_key=True)
    rhk_id: Mapped[int] = mapped_column(ForeignKey("skp_rhk.id", ondelete="CASCADE"), index=True)
    urutan: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    aspek: Mapped[AspekIki | None] = mapped_column(str_enum(AspekIki, "aspek_iki"))
    indikator: Mapped[str] = mapped_column(Text)
    target_min: Mapped[Decimal] = mapped_column(Numeric(18, 4))
    target_max: Mapped[Decimal] = mapped_column(Numeric(18, 4))
    satuan: Mapped[str] = mapped_column(String(60))
    # Fixed on the SKP and copied to every evaluation of it (the pegawai does not choose it per evaluation);
    # None on IKI saved before the column existed: the evaluation uses domain.default_polaritas(aspek, satuan).
    polaritas: Mapped[Polaritas | None] = mapped_column(str_enum(Polaritas, "polaritas"))

    rhk: Mapped[Rhk] = relationship(back_populates="iki")


class SkpLampiran(Base):
    __tablename__ = "skp_lampiran"

    id: Mapped[int] = mapped_column(primary_key=True)
    skp_id: Mapped[int] = mapped_column(ForeignKey("skp.id", ondelete="CASCADE"), index=True)
    jenis: Mapped[JenisLampiran] = mapped_column(str_enum(JenisLampiran, "jenis_lampiran"))
    urutan: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    uraian: Mapped[str] = mapped_column(Text)


class SkpPerilaku(Base):
    """One BerAKHLAK core value of an SKP; `urutan` 1..7 indexes services.berakhlak.NILAI."""

    __tablename__ = "skp_perilaku"
    __table_args__ = (UniqueConstraint("skp_id", "urutan"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    skp_id: Mapped[int] = mapped_column(ForeignKey("skp.id", ondelete="CASCADE"), index=True)
    urutan: Mapped[int] = mapped_column(Integer)
    nilai: Mapped[str] = mapped_column(String(60))
    ekspektasi_khusus: Mapped[str | None] = mapped_column(Text)


class SkpVersion(Base):
    """Immutable snapshot of an approved SKP version (JSON), kept when a revision opens the next version."""

    __tablename__ = "skp_version"
    __table_args__ = (UniqueConstraint("skp_id", "version_no"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    skp_id: Mapped[int] = mapped_column(ForeignKey("skp.id", ondelete="CASCADE"), index=True)
    version_no: Mapped[int] = mapped_column(Integer)
    snapshot: Mapped[dict] = mapped_column(JSON)
    alasan: Mapped[str | None] = mapped_column(Text)
    approved_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("pegawai.id", ondelete="SET NULL"))
    approved_by_username: Mapped[str | None] = mapped_column(String(60))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class SkpRevisionRequest(Base):
    __tablename__ = "skp_revision_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    skp_id: Mapped[int] = mapped_column(ForeignKey("skp.id", ondelete="CASCADE"), index=True)
    version_no: Mapped[int] = mapped_column(Integer)
    alasan: Mapped[str] = mapped_column(Text)
    status: Mapped[StatusRevisi] = mapped_column(str_enum(StatusRevisi, "status_revisi"), default=StatusRevisi.DIAJUKAN)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("pegawai.id", ondelete="SET NULL"))
    requested_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("pegawai.id", ondelete="SET NULL"))
    decided_by_username: Mapped[str | None] = mapped_column(String(60))
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    catatan_keputusan: Mapped[str | None] = mapped_column(Text)


class SkpDocument(Base):
    """The signed scan of an approved SKP (PDF), stored in the database so backups carry it."""

    __tablename__ = "skp_document"

    id: Mapped[int] = mapped_column(primary_key=True)
    skp_id: Mapped[int] = mapped_column(ForeignKey("skp.id", ondelete="CASCADE"), index=True)
    version_no: Mapped[int] = mapped_column(Integer)
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(60), default="application/pdf")
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes | None] = mapped_column(LargeBinary)
    path: Mapped[str | None] = mapped_column(String(300))
    uploaded_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    uploaded_by_username: Mapped[str] = mapped_column(String(60))
    uploaded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    keterangan: Mapped[str | None] = mapped_column(String(300))
