"""Acting assignments in force (Plt/Plh): which holders a pegawai acts for on a date.

Kept in core because the login (services.auth) derives the reviewer roles from it and services.org (which
keeps the assignments, services/org/penugasan.py) depends on the login; both import it from here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from db.models import Pegawai, PenugasanPlt
from services.core import clock


@dataclass(frozen=True)
class Acting:
    """One assignment in force: who acts (`pegawai_id`) for whom (`pejabat_id`, may be None for a vacant
    jabatan) as which jabatan, with the prefix to print ("Plt." / "Plh.")."""

    id: int
    pegawai_id: int
    pejabat_id: int | None
    jabatan: str | None
    jenis: str  # "Plt" / "Plh"
    mulai: dt.date
    selesai: dt.date
    nomor_sk: str | None

    @property
    def prefix(self) -> str:
        return f"{self.jenis}."


def in_force(on: dt.date):
    return and_(PenugasanPlt.tanggal_mulai <= on, PenugasanPlt.tanggal_selesai >= on)


def holder_of_jabatan(s: Session, jabatan_id: int) -> int | None:
    return s.scalar(select(Pegawai.id).where(Pegawai.jabatan_id == jabatan_id, Pegawai.aktif.is_(True))
                    .order_by(Pegawai.id).limit(1))


def to_acting(s: Session, a: PenugasanPlt) -> Acting:
    holder = a.pejabat_id
    if holder is None and a.jabatan_id is not None:
        holder = holder_of_jabatan(s, a.jabatan_id)
        if holder == a.pegawai_id:
            holder = None
    jab = a.jabatan.nama if a.jabatan else (a.pejabat.jabatan.nama if a.pejabat and a.pejabat.jabatan else None)
    return Acting(a.id, a.pegawai_id, holder, jab, a.jenis.value, a.tanggal_mulai, a.tanggal_selesai, a.nomor_sk)


def acting_as(s: Session, pegawai_id: int | None, on: dt.date | None = None) -> list[Acting]:
    """The assignments `pegawai_id` holds on `on` (today by default)."""
    if pegawai_id is None:
        return []
    on = on or clock.today()
    rows = s.scalars(select(PenugasanPlt).where(PenugasanPlt.pegawai_id == pegawai_id, in_force(on))
                     .order_by(PenugasanPlt.tanggal_mulai, PenugasanPlt.id)).all()
    return [to_acting(s, a) for a in rows]


def acting_for_ids(s: Session, pegawai_id: int | None, on: dt.date | None = None) -> frozenset[int]:
    """The holders whose review rights `pegawai_id` has on `on` (never himself)."""
    return frozenset(a.pejabat_id for a in acting_as(s, pegawai_id, on)
                     if a.pejabat_id is not None and a.pejabat_id != pegawai_id)


