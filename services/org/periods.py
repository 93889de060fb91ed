"""Performance years (periods) with their evaluation rhythm, and the instansi profile.

A period is one year (tahun) with start/end dates, a periodic-evaluation rhythm (Bulanan: 12 months,
Triwulanan: 4 quarters; domain.md §2.10) and a status (Dibuka/Ditutup). Admin SDM manages them; any
logged-in user may read the open period(s) and the instansi profile (headers of printed documents).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.engine import read_session
from db.models import Instansi, Period, PeriodeEvaluasi, Role, StatusPeriode
from services.core import clock, fmt, settings
from services.core.actor import Actor
from services.core.errors import FieldError, NotFound, PermissionDenied, ValidationFailed
from services.core.uow import unit_of_work

MIN_TAHUN, MAX_TAHUN = 2000, 2100
ROMAN = ("I", "II", "III", "IV")
INSTANSI_FIELDS = {
    "nama": ("Nama instansi", 200),
    "singkatan": ("Singkatan", 40),
    "instansi_induk": ("Instansi induk", 200),
    "alamat": ("Alamat", 300),
    "kota": ("Kota", 100),
    "telepon": ("Telepon", 60),
}


@dataclass(frozen=True)
class PeriodInfo:
    id: int
    tahun: int
    tanggal_mulai: dt.date
    tanggal_selesai: dt.date
    periode_evaluasi: str  # "Bulanan" | "Triwulanan"
    status: str  # "Dibuka" | "Ditutup"

    @property
    def dibuka(self) -> bool:
        return self.status == StatusPeriode.DIBUKA.value

    @property
    def label(self) -> str:
        return f"{self.tahun} ({fmt.tanggal(self.tanggal_mulai)} – {fmt.tanggal(self.tanggal_selesai)})"


@dataclass(frozen=True)
class SubPeriod:
    nomor: int  # 1..12 (month) or 1..4 (quarter)
    kode: str  # "2026-01" / "2026-T1"
    label: str  # "Januari 2026" / "Triwulan I 2026"
    mulai: dt.date
    selesai: dt.date


@dataclass(frozen=True)
class InstansiInfo:
    id: int | None
    nama: str
    singkatan: str | None = None
    instansi_induk: str | None = None
    alamat: str | None = None
    kota: str | None = None
    telepon: str | None = None


def _require_admin(actor: Actor) -> None:
    actor.require(Role.ADMIN_SDM, message="Hanya Admin SDM yang dapat mengelola periode dan profil instansi.")


def _require_logged_in(actor: Actor) -> None:
    if actor.user_id is None and not actor.roles:
        raise PermissionDenied("Silakan masuk terlebih dahulu.")


def _info(p: Period) -> PeriodInfo:
    return PeriodInfo(id=p.id, tahun=p.tahun, tanggal_mulai=p.tanggal_mulai, tanggal_selesai=p.tanggal_selesai,
                      periode_evaluasi=PeriodeEvaluasi(p.periode_evaluasi).value,
                      status=StatusPeriode(p.status).value)


# --- reading ----------------------------------------------------------------------------------------


def list_periods(actor: Actor) -> pd.DataFrame:
    """All periods, newest year first (admin)."""
    _require_admin(actor)
    with read_session() as s:
        rows = [_info(p) for p in s.scalars(select(Period).order_by(Period.tahun.desc())).all()]
    cols = ["id", "tahun", "tanggal_mulai", "tanggal_selesai", "periode_evaluasi", "status"]
    return pd.DataFrame([{c: getattr(r, c) for c in cols} for r in rows], columns=cols)


def get_period(actor: Actor, period_id: int) -> PeriodInfo:
    """One period by id. Open periods are readable by anyone logged in; closed ones by Admin SDM."""
    _require_logged_in(actor)
    with read_session() as s:
        p = s.get(Period, period_id)
        if p is None:
            raise NotFound("Periode tidak ditemukan.")
        info = _info(p)
    if not info.dibuka:
        _require_admin(actor)
    return info


def open_periods(actor: Actor) -> list[PeriodInfo]:
    """Periods with status Dibuka, newest first (any logged-in user)."""
    _require_logged_in(actor)
    with read_session() as s:
        q = select(Period).where(Period.status == StatusPeriode.DIBUKA).order_by(Period.tahun.desc())
        return [_info(p) for p in s.scalars(q).all()]


def current_period(actor: Actor, on: dt.date | None = None) -> PeriodInfo | None:
    """The open period containing `on` (default today); else the newest open one; None when none is open."""
    on = on or clock.today()
    opened = open_periods(actor)
    for p in opened:
        if p.tanggal_mulai <= on <= p.tanggal_selesai:
            return p
    return opened[0] if opened else None


def subperiods(period: Any) -> list[SubPeriod]:
    """The months (Bulanan) or quarters (Triwulanan) of a period, clipped to its start and end dates.

    `period` is a PeriodInfo or anything with tahun, tanggal_mulai, tanggal_selesai, periode_evaluasi.
    """
    year = int(period.tahun)
    start, end = period.tanggal_mulai, period.tanggal_selesai
    rhythm = PeriodeEvaluasi(getattr(period.periode_evaluasi, "value", period.periode_evaluasi))
    out: list[SubPeriod] = []
    if rhythm is PeriodeEvaluasi.BULANAN:
        spans = [(m, dt.date(year, m, 1), _month_end(year, m)) for m in range(1, 13)]
        make = lambda n: (f"{year}-{n:02d}", f"{fmt.bulan(n)} {year}")  # noqa: E731
    else:
        spans = [(q, dt.date(year, 3 * q - 2, 1), _month_end(year, 3 * q)) for q in range(1, 5)]
        make = lambda n: (f"{year}-T{n}", f"Triwulan {ROMAN[n - 1]} {year}")  # noqa: E731
    for n, a, b in spans:
        if b < start or a > end:
            continue
        kode, label = make(n)
        out.append(SubPeriod(nomor=n, kode=kode, label=label, mulai=max(a, start), selesai=min(b, end)))
    return out


def _month_end(year: int, month: int) -> dt.date:
    first_next = dt.date(year + month // 12, month % 12 + 1, 1)
    return first_next - dt.timedelta(days=1)


# --- writing ----------------------------------------------------------------------------------------


def _validate(s: Session, tahun: Any, mulai: Any, selesai: Any, rhythm: Any, own_id: int | None) -> list[FieldError]:
    errors: list[FieldError] = []
    year: int | None = None
    try:
        year = int(tahun)
        if isinstance(tahun, float) and tahun != year:
            raise ValueError
    except (TypeError, ValueError):
        errors.append(FieldError(None, "Tahun", "harus bilangan bulat, misalnya 2026"))
    if year is not None:
        if not MIN_TAHUN <= year <= MAX_TAHUN:
            errors.append(FieldError(None, "Tahun", f"harus antara {MIN_TAHUN} dan {MAX_TAHUN}"))
            year = None
        else:
            other = s.scalar(select(Period.id).where(Period.tahun == year))
            if other is not None and other != own_id:
                errors.append(FieldError(None, "Tahun", f"periode tahun {year} sudah ada"))
    for label, value in (("Tanggal mulai", mulai), ("Tanggal selesai", selesai)):
        if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
            errors.append(FieldError(None, label, "wajib diisi dengan tanggal yang sah"))
        elif year is not None and value.year != year:
            errors.append(FieldError(None, label, f"harus berada di dalam tahun {year}"))
    if isinstance(mulai, dt.date) and isinstance(selesai, dt.date) and mulai >= selesai:
        errors.append(FieldError(None, "Tanggal selesai", "harus sesudah tanggal mulai"))
    if str(getattr(rhythm, "value", rhythm)) not in {p.value for p in PeriodeEvaluasi}:
        errors.append(FieldError(None, "Periode evaluasi", "harus Bulanan atau Triwulanan"))
    return errors


def create_period(actor: Actor, tahun: int, tanggal_mulai: dt.date | None = None,
                  tanggal_selesai: dt.date | None = None, periode_evaluasi: str | None = None) -> int:
    """A new open period. Dates default to 1 January–31 December; the rhythm to the instansi setting."""
    _require_admin(actor)
    try:
        year = int(tahun)
    except (TypeError, ValueError):
        year = None
    if year is not None and MIN_TAHUN <= year <= MAX_TAHUN:
        tanggal_mulai = tanggal_mulai or dt.date(year, 1, 1)
        tanggal_selesai = tanggal_selesai or dt.date(year, 12, 31)
    periode_evaluasi = periode_evaluasi or settings.get("periode_evaluasi_bawaan")
    with unit_of_work(actor, action="buat_periode") as s:
        errors = _validate(s, tahun, tanggal_mulai, tanggal_selesai, periode_evaluasi, None)
        if errors:
            raise ValidationFailed(errors)
        p = Period(tahun=year, tanggal_mulai=tanggal_mulai, tanggal_selesai=tanggal_selesai,
                   periode_evaluasi=PeriodeEvaluasi(str(getattr(periode_evaluasi, "value", periode_evaluasi))),
                   status=StatusPeriode.DIBUKA)
        s.add(p)
        s.flush()
        return p.id


def update_period(actor: Actor, period_id: int, *, tanggal_mulai: dt.date, tanggal_selesai: dt.date,
                  periode_evaluasi: str) -> None:
    """Change the dates or rhythm of an open period (the year itself is fixed once created)."""
    _require_admin(actor)
    with unit_of_work(actor, action="ubah_periode") as s:
        p = s.get(Period, period_id)
        if p is None:
            raise NotFound("Periode tidak ditemukan.")
        if p.status == StatusPeriode.DITUTUP:
            raise ValidationFailed([FieldError(None, "Status", "periode sudah ditutup; buka kembali untuk mengubah")])
        errors = _validate(s, p.tahun, tanggal_mulai, tanggal_selesai, periode_evaluasi, p.id)
        if errors:
            raise ValidationFailed(errors)
        p.tanggal_mulai, p.tanggal_selesai = tanggal_mulai, tanggal_selesai
        p.periode_evaluasi = PeriodeEvaluasi(str(getattr(periode_evaluasi, "value", periode_evaluasi)))


def _set_status(actor: Actor, period_id: int, status: StatusPeriode, action: str) -> None:
    _require_admin(actor)
    with unit_of_work(actor, action=action) as s:
        p = s.get(Period, period_id)
        if p is None:
            raise NotFound("Periode tidak ditemukan.")
        if p.status == status:
            word = "dibuka" if status == StatusPeriode.DIBUKA else "ditutup"
            raise ValidationFailed([FieldError(None, "Status", f"periode {p.tahun} sudah {word}")])
        p.status = status


def close_period(actor: Actor, period_id: int) -> None:
    """Close a year: later issues refuse new entries in a closed period. Audited as `tutup_periode`."""
    _set_status(actor, period_id, StatusPeriode.DITUTUP, "tutup_periode")


def reopen_period(actor: Actor, period_id: int) -> None:
    """Reopen a closed year. Audited as `buka_periode`."""
    _set_status(actor, period_id, StatusPeriode.DIBUKA, "buka_periode")


# --- instansi profile -------------------------------------------------------------------------------


def get_instansi(actor: Actor) -> InstansiInfo:
    """The instansi profile (one row); an empty profile when none was entered yet. Any logged-in user."""
    _require_logged_in(actor)
    with read_session() as s:
        row = s.scalar(select(Instansi).order_by(Instansi.id).limit(1))
        if row is None:
            return InstansiInfo(id=None, nama="")
        return InstansiInfo(id=row.id, **{k: getattr(row, k) for k in INSTANSI_FIELDS})


def update_instansi(actor: Actor, **values: Any) -> None:
    """Save the instansi profile (creates the row when absent). Nama is required; lengths are checked."""
    _require_admin(actor)
    errors: list[FieldError] = []
    clean: dict[str, str | None] = {}
    for key, raw in values.items():
        if key not in INSTANSI_FIELDS:
            errors.append(FieldError(None, key, "kolom tidak dikenal"))
            continue
        label, limit = INSTANSI_FIELDS[key]
        text = None if raw is None else str(raw).strip() or None
        if text and len(text) > limit:
            errors.append(FieldError(None, label, f"maksimal {limit} karakter"))
        clean[key] = text
    with unit_of_work(actor, action="ubah_instansi") as s:
        row = s.scalar(select(Instansi).order_by(Instansi.id).limit(1))
        nama = clean.get("nama", row.nama if row is not None else None)
        if not nama:
            errors.insert(0, FieldError(None, "Nama instansi", "wajib diisi"))
        if errors:
            raise ValidationFailed(errors)
        if row is None:
            row = Instansi(nama=nama)
            s.add(row)
        for key, value in clean.items():
            setattr(row, key, value)
