"""Shared pieces of the organisational-performance package: who is who (Perencana, Kasubbag ADUM, Kepala, PJ Tim
Kerja and delegated members), month labels, and loading the year's Perjanjian Kinerja."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

import domain as rules
from db.models import (
    AnggotaTimPenyusun,
    AturanAgregasi,
    DelegasiRealisasi,
    Jabatan,
    Pegawai,
    PerjanjianKinerja,
    PolaritasIndikator,
    Role,
    SkTimPenyusun,
    TimKerja,
    UnitKerja,
    UserRole,
)
from services.core import settings
from services.core.actor import Actor
from services.core.errors import NotFound, PermissionDenied

BULAN = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")
BULAN_PANJANG = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
                 "Oktober", "November", "Desember")
POLARITAS = tuple(p.value for p in PolaritasIndikator)
AGREGASI = tuple(a.value for a in AturanAgregasi)
MIN_ALASAN = 10
MAX_TEKS = 4000


def nama_bulan(bulan: int) -> str:
    return BULAN_PANJANG[bulan - 1]


def is_kasubbag(s: Session, actor: Actor) -> bool:
    """The head of the unit whose code is setting kinerja_kode_unit_adum (SOP 001 step 4)."""
    if actor.pegawai_id is None:
        return False
    peg = s.get(Pegawai, actor.pegawai_id)
    if peg is None or not peg.aktif or peg.jabatan_id is None:
        return False
    jab = s.get(Jabatan, peg.jabatan_id)
    if jab is None or not jab.pimpinan_unit:
        return False
    unit = s.get(UnitKerja, jab.unit_id or peg.unit_id) if (jab.unit_id or peg.unit_id) else None
    kode = str(settings.get("kinerja_kode_unit_adum", s)).strip().upper()
    return unit is not None and unit.kode.upper() == kode


def is_perencana(actor: Actor) -> bool:
    return actor.has(Role.PERENCANA)


def is_kepala(actor: Actor) -> bool:
    return actor.has(Role.KEPALA_SATKER)


def require_perencana(actor: Actor, what: str = "melakukan tindakan ini") -> None:
    if not is_perencana(actor):
        raise PermissionDenied(f"Hanya Petugas Perencana yang dapat {what}.")


def is_penyusun(s: Session, actor: Actor, tahun: int) -> bool:
    """A member of the year's Tim Penyusun Laporan Kinerja by an SK already recorded (number and date)."""
    if actor.pegawai_id is None:
        return False
    return s.scalar(select(AnggotaTimPenyusun.id).join(SkTimPenyusun).where(
        SkTimPenyusun.tahun == tahun, SkTimPenyusun.nomor.is_not(None), SkTimPenyusun.tanggal.is_not(None),
        AnggotaTimPenyusun.pegawai_id == actor.pegawai_id).limit(1)) is not None


def is_perencana_for(s: Session, actor: Actor, tahun: int) -> bool:
    """Petugas Perencana rights for the year's PK, kertas kerja and reports: the assigned Perencana role, or
    membership of that year's SK Tim Penyusun (SOP 001 steps 1–2). A Perencana role that only comes from an SK
    of another year does not count."""
    if actor.user_id is None:  # the system account (command line)
        return actor.has(Role.PERENCANA)
    if actor.has(Role.PERENCANA) and s.scalar(select(UserRole.user_id).where(
            UserRole.user_id == actor.user_id, UserRole.role == Role.PERENCANA)) is not None:
        return True
    return is_penyusun(s, actor, tahun)


def require_perencana_for(s: Session, actor: Actor, tahun: int, what: str = "melakukan tindakan ini") -> None:
    if not is_perencana_for(s, actor, tahun):
        raise PermissionDenied(f"Hanya Petugas Perencana atau anggota Tim Penyusun Laporan Kinerja tahun {tahun} "
                               f"(SK Kepala) yang dapat {what}.")


def penyusun_years(s: Session, pegawai_id: int) -> set[int]:
    """Years whose SK Tim Penyusun (recorded) lists the pegawai."""
    return set(s.scalars(select(SkTimPenyusun.tahun).join(AnggotaTimPenyusun).where(
        AnggotaTimPenyusun.pegawai_id == pegawai_id, SkTimPenyusun.nomor.is_not(None),
        SkTimPenyusun.tanggal.is_not(None))))


def can_read(s: Session, actor: Actor) -> bool:
    return (actor.has(Role.PERENCANA, Role.KEPALA_SATKER, Role.ADMIN_SDM) or is_kasubbag(s, actor)
            or bool(my_teams(s, actor, None)))


def require_read(s: Session, actor: Actor) -> None:
    if not can_read(s, actor):
        raise PermissionDenied("Hanya pimpinan, Petugas Perencana, Kasubbag ADUM, dan PJ Tim Kerja yang dapat "
                               "melihat kinerja organisasi.")


def my_teams(s: Session, actor: Actor, tahun: int | None) -> set[int]:
    """Tim Kerja whose figures the actor may enter: teams they lead (PJ = ketua) and teams that delegated them
    for the year (tahun None = any year)."""
    if actor.pegawai_id is None:
        return set()
    led = set(s.scalars(select(TimKerja.id).where(TimKerja.ketua_id == actor.pegawai_id, TimKerja.aktif)))
    q = select(DelegasiRealisasi.tim_id).where(DelegasiRealisasi.pegawai_id == actor.pegawai_id)
    if tahun is not None:
        q = q.where(DelegasiRealisasi.tahun == tahun)
    return led | set(s.scalars(q))


def pk_for(s: Session, tahun: int) -> PerjanjianKinerja:
    pk = s.scalar(select(PerjanjianKinerja).where(PerjanjianKinerja.tahun == tahun))
    if pk is None:
        raise NotFound(f"Perjanjian Kinerja tahun {tahun} belum dibuat.")
    return pk


def bands(s: Session | None = None) -> list[tuple[Decimal, str]]:
    try:
        return rules.parse_bands(settings.get("kinerja_pita_capaian", s))
    except ValueError:
        return rules.parse_bands(settings.BY_KEY["kinerja_pita_capaian"].default)


def predikat_mapping(s: Session | None = None) -> list[tuple[Decimal, str]]:
    try:
        return rules.parse_bands(settings.get("kinerja_predikat_organisasi", s))
    except ValueError:
        return rules.parse_bands(settings.BY_KEY["kinerja_predikat_organisasi"].default)


def tim_names(s: Session) -> dict[int, str]:
    return {t.id: t.nama for t in s.scalars(select(TimKerja))}
