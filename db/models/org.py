"""Typed SQLAlchemy 2 models: organisation, people, accounts, reporting lines, periods, settings, audit.

Identifiers are English; domain nouns keep their Indonesian names (pegawai, jabatan, golongan, unit_kerja).
Enumerations are stored as plain strings with CHECK constraints (portable across SQLite and PostgreSQL).
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
    JenisASN,
    JenisJabatan,
    JenisKelamin,
    JenjangFungsional,
    KategoriFungsional,
    PeriodeEvaluasi,
    Role,
    StatusPeriode,
)

ASSIGNABLE_ROLES = (Role.ADMIN_SDM, Role.PERENCANA, Role.KEPALA_SATKER)



class Instansi(TimestampMixin, Base):
    """The satuan kerja this installation serves (one row)."""

    __tablename__ = "instansi"

    id: Mapped[int] = mapped_column(primary_key=True)
    nama: Mapped[str] = mapped_column(String(200))
    singkatan: Mapped[str | None] = mapped_column(String(40))
    instansi_induk: Mapped[str | None] = mapped_column(String(200))
    alamat: Mapped[str | None] = mapped_column(String(300))
    kota: Mapped[str | None] = mapped_column(String(100))
    telepon: Mapped[str | None] = mapped_column(String(60))
    # kop surat (letterhead) of every generated document, edited by Admin SDM (services/documents/identity.py)
    email: Mapped[str | None] = mapped_column(String(120))
    website: Mapped[str | None] = mapped_column(String(200))
    logo_png: Mapped[bytes | None] = mapped_column(LargeBinary)  # always PNG (JPEG uploads are converted)


class UnitKerja(TimestampMixin, Base):
    __tablename__ = "unit_kerja"

    id: Mapped[int] = mapped_column(primary_key=True)
    kode: Mapped[str] = mapped_column(String(30), unique=True)
    nama: Mapped[str] = mapped_column(String(200))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("unit_kerja.id", ondelete="RESTRICT"))
    urutan: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    aktif: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")

    parent: Mapped[UnitKerja | None] = relationship(remote_side=[id])


class Jabatan(TimestampMixin, Base):
    __tablename__ = "jabatan"
    __table_args__ = (UniqueConstraint("nama", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    nama: Mapped[str] = mapped_column(String(200))
    jenis: Mapped[JenisJabatan] = mapped_column(str_enum(JenisJabatan, "jenis_jabatan"))
    kategori: Mapped[KategoriFungsional | None] = mapped_column(str_enum(KategoriFungsional, "kategori_jf"))
    jenjang: Mapped[JenjangFungsional | None] = mapped_column(str_enum(JenjangFungsional, "jenjang_jf"))
    kelas_jabatan: Mapped[int | None] = mapped_column(Integer)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit_kerja.id", ondelete="RESTRICT"))
    pimpinan_unit: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    koefisien_ak: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    aktif: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")

    unit: Mapped[UnitKerja | None] = relationship()


class Pegawai(TimestampMixin, Base):
    __tablename__ = "pegawai"
    __table_args__ = (Index("ix_pegawai_nama", "nama"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    nip: Mapped[str] = mapped_column(String(18), unique=True)
    jenis_asn: Mapped[JenisASN] = mapped_column(str_enum(JenisASN, "jenis_asn"))
    nama: Mapped[str] = mapped_column(String(150))
    gelar_depan: Mapped[str | None] = mapped_column(String(40))
    gelar_belakang: Mapped[str | None] = mapped_column(String(60))
    golongan: Mapped[str | None] = mapped_column(String(8))
    jabatan_id: Mapped[int | None] = mapped_column(ForeignKey("jabatan.id", ondelete="RESTRICT"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit_kerja.id", ondelete="RESTRICT"))
    tim_id: Mapped[int | None] = mapped_column(ForeignKey("tim_kerja.id", ondelete="SET NULL"))
    tanggal_lahir: Mapped[dt.date | None] = mapped_column(Date)
    jenis_kelamin: Mapped[JenisKelamin | None] = mapped_column(str_enum(JenisKelamin, "jenis_kelamin"))
    tmt_asn: Mapped[dt.date | None] = mapped_column(Date)
    email: Mapped[str | None] = mapped_column(String(120))
    telepon: Mapped[str | None] = mapped_column(String(30))
    aktif: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    jabatan: Mapped[Jabatan | None] = relationship()
    unit: Mapped[UnitKerja | None] = relationship()
    tim: Mapped[TimKerja | None] = relationship(foreign_keys=[tim_id])

    __mapper_args__ = {"version_id_col": version}

    @property
    def nama_lengkap(self) -> str:
        parts = []
        if self.gelar_depan:
            parts.append(self.gelar_depan.strip())
        parts.append(self.nama.strip())
        name = " ".join(parts)
        if self.gelar_belakang:
            name = f"{name}, {self.gelar_belakang.strip()}"
        return name


class TimKerja(TimestampMixin, Base):
    __tablename__ = "tim_kerja"

    id: Mapped[int] = mapped_column(primary_key=True)
    nama: Mapped[str] = mapped_column(String(200), unique=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit_kerja.id", ondelete="RESTRICT"))
    ketua_id: Mapped[int | None] = mapped_column(ForeignKey("pegawai.id", ondelete="SET NULL", use_alter=True))
    deskripsi: Mapped[str | None] = mapped_column(Text)
    aktif: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")

    unit: Mapped[UnitKerja | None] = relationship()
    ketua: Mapped[Pegawai | None] = relationship(foreign_keys=[ketua_id])


class User(TimestampMixin, Base):
    """Login account. Username is the NIP for pegawai, or a chosen name for admin accounts."""

    __tablename__ = "users"
    __table_args__ = (Index("ix_users_nama", "nama"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(60), unique=True)
    nama: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(100))
    pegawai_id: Mapped[int | None] = mapped_column(ForeignKey("pegawai.id", ondelete="CASCADE"), unique=True)
    aktif: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    first_failed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    sessions_revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    password_changed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    last_login_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    pegawai: Mapped[Pegawai | None] = relationship()
    roles: Mapped[list[UserRole]] = relationship(cascade="all, delete-orphan", lazy="selectin")


class UserSession(Base):
    """A server-side login session: the cookie carries only its random id. Logout, password change, reset and
    deactivation revoke it whatever the cookie says; idle and absolute lifetimes come from settings."""

    __tablename__ = "user_sessions"
    __table_args__ = (Index("ix_user_sessions_user", "user_id"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    last_seen_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_reason: Mapped[str | None] = mapped_column(String(40))
    source: Mapped[str | None] = mapped_column(String(64))


class LoginThrottle(Base):
    """Failed-login counters per source address ("sumber") and per typed username ("akun"), whether or not the
    account exists (so the answers never reveal which usernames exist)."""

    __tablename__ = "login_throttle"

    scope: Mapped[str] = mapped_column(String(10), primary_key=True)
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_failed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    blocked_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    window_start: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    window_attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class UserRole(Base):
    __tablename__ = "user_roles"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[Role] = mapped_column(str_enum(Role, "role"), primary_key=True)


class ReportingLine(TimestampMixin, Base):
    """Who assesses whom, effective from a date (until a date, or open-ended)."""

    __tablename__ = "reporting_lines"
    __table_args__ = (
        Index("ix_reporting_lines_penilai", "pejabat_penilai_id"),
        Index("ix_reporting_lines_atasan", "atasan_penilai_id"),
        Index("ix_reporting_lines_pertimbangan", "pemberi_pertimbangan_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pegawai_id: Mapped[int] = mapped_column(ForeignKey("pegawai.id", ondelete="CASCADE"), index=True)
    pejabat_penilai_id: Mapped[int | None] = mapped_column(ForeignKey("pegawai.id", ondelete="RESTRICT"))
    atasan_penilai_id: Mapped[int | None] = mapped_column(ForeignKey("pegawai.id", ondelete="RESTRICT"))
    pemberi_pertimbangan_id: Mapped[int | None] = mapped_column(ForeignKey("pegawai.id", ondelete="RESTRICT"))
    berlaku_mulai: Mapped[dt.date] = mapped_column(Date)
    berlaku_sampai: Mapped[dt.date | None] = mapped_column(Date)
    catatan: Mapped[str | None] = mapped_column(String(300))

    pegawai: Mapped[Pegawai] = relationship(foreign_keys=[pegawai_id])
    pejabat_penilai: Mapped[Pegawai | None] = relationship(foreign_keys=[pejabat_penilai_id])
    atasan_penilai: Mapped[Pegawai | None] = relationship(foreign_keys=[atasan_penilai_id])
    pemberi_pertimbangan: Mapped[Pegawai | None] = relationship(foreign_keys=[pemberi_pertimbangan_id])


class Period(TimestampMixin, Base):
    """A performance year with its periodic-evaluation rhythm."""

    __tablename__ = "periods"

    id: Mapped[int] = mapped_column(primary_key=True)
    tahun: Mapped[int] = mapped_column(Integer, unique=True)
    tanggal_mulai: Mapped[dt.date] = mapped_column(Date)
    tanggal_selesai: Mapped[dt.date] = mapped_column(Date)
    periode_evaluasi: Mapped[PeriodeEvaluasi] = mapped_column(str_enum(PeriodeEvaluasi, "periode_evaluasi"))
    status: Mapped[StatusPeriode] = mapped_column(str_enum(StatusPeriode, "status_periode"))


class Setting(Base):
    """A per-instansi number or date (deadline, minutes per day...) with its default and source note."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    group: Mapped[str] = mapped_column(String(40))
    label: Mapped[str] = mapped_column(String(200))
    value_type: Mapped[str] = mapped_column(String(20))
    value: Mapped[str] = mapped_column(String(400))
    default_value: Mapped[str] = mapped_column(String(400))
    source: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )
    updated_by: Mapped[str | None] = mapped_column(String(60))


class AuditLog(Base):
    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_entity", "entity", "entity_id"),
        Index("ix_audit_log_at", "at"),
        Index("ix_audit_log_username_at", "username", "at"),
        Index("ix_audit_log_action_at", "action", "at"),
        Index("ix_audit_log_entity_at", "entity", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    user_id: Mapped[int | None] = mapped_column(Integer)
    username: Mapped[str] = mapped_column(String(60))
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(60))
    entity_id: Mapped[str | None] = mapped_column(String(60))
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)
    note: Mapped[str | None] = mapped_column(Text)
