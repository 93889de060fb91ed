"""Mutasi: a pegawai moves to another jabatan and/or unit from a date (SOP 000: "setiap terjadi perpindahan
pegawai" a new annual plan is drawn up). The new position and the SKP segment split happen in one transaction:
the running SKP segment ends the day before, and a new DRAFT SKP for the new position starts on that date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from db.models import Jabatan, Pegawai, TimKerja, UnitKerja
from services import skp
from services.core import clock, fmt
from services.core.actor import Actor
from services.core.errors import FieldError, NotFound, ValidationFailed
from services.core.uow import unit_of_work
from services.org.people import require_admin

KEEP = object()
"""Pass as tim_id to keep the pegawai's tim kerja."""


@dataclass(frozen=True)
class TransferResult:
    new_skp_id: int | None
    pesan: str


def transfer(actor: Actor, pegawai_id: int, *, jabatan_id: int, unit_id: int, effective_date: dt.date,
             tim_id: int | None | object = KEEP, today: dt.date | None = None) -> TransferResult:
    """Record a change of jabatan/unit effective from `effective_date` (not in the future) and split the SKP."""
    require_admin(actor)
    today = today or clock.today()
    errors: list[FieldError] = []
    if effective_date > today:
        errors.append(FieldError(None, "Tanggal berlaku", "tidak boleh di masa depan; catat mutasi pada hari berlakunya"))
    with unit_of_work(actor, action="mutasi_pegawai") as s:
        p = s.get(Pegawai, pegawai_id)
        if p is None or not p.aktif:
            raise NotFound("Pegawai tidak ditemukan atau tidak aktif.")
        jab = s.get(Jabatan, jabatan_id)
        unit = s.get(UnitKerja, unit_id)
        if jab is None or not jab.aktif:
            errors.append(FieldError(None, "Jabatan baru", "jabatan tidak ditemukan atau tidak aktif"))
        if unit is None or not unit.aktif:
            errors.append(FieldError(None, "Unit baru", "unit tidak ditemukan atau tidak aktif"))
        if tim_id is not KEEP and tim_id is not None:
            tim = s.get(TimKerja, tim_id)
            if tim is None or not tim.aktif:
                errors.append(FieldError(None, "Tim kerja", "tim tidak ditemukan atau tidak aktif"))
        if jab is not None and unit is not None and (p.jabatan_id, p.unit_id) == (jabatan_id, unit_id):
            errors.append(FieldError(None, "Jabatan baru", "jabatan dan unit sama dengan yang sekarang"))
        if errors:
            raise ValidationFailed(errors)
        p.jabatan_id, p.unit_id = jabatan_id, unit_id
        if tim_id is not KEEP:
            p.tim_id = tim_id  # type: ignore[assignment]
        s.flush()
        new_id = skp.split_segment(s, p, effective_date)
        name = p.nama_lengkap
    if new_id is None:
        msg = f"Mutasi {name} dicatat. Belum ada SKP pada periode itu; SKP berikutnya memakai jabatan baru."
    else:
        msg = (f"Mutasi {name} dicatat. Segmen SKP lama berakhir {fmt.tanggal(effective_date - dt.timedelta(days=1))}; "
               "SKP baru (Draft) untuk jabatan baru sudah dibuka. Periksa juga hubungan penilaiannya.")
    return TransferResult(new_id, msg)


@dataclass(frozen=True)
class TransferOptions:
    pegawai: list[tuple[int, str]]
    jabatan: list[tuple[int, str]]
    unit: list[tuple[int, str]]
    tim: list[tuple[int, str]]
    current: dict[int, tuple[int | None, int | None, int | None]]  # pegawai id -> (jabatan, unit, tim)


def options(actor: Actor, pegawai_ids: Iterable[int] | None = None) -> TransferOptions:
    """Choices for the Mutasi form (active records only), labelled for people; `pegawai_ids` limits the pegawai
    to those (e.g. the rows the page shows) instead of every active pegawai."""
    from sqlalchemy import select

    from db.engine import read_session

    require_admin(actor)
    with read_session() as s:
        q = select(Pegawai.id, Pegawai.nip, Pegawai.nama, Pegawai.jabatan_id, Pegawai.unit_id,
                   Pegawai.tim_id).where(Pegawai.aktif.is_(True)).order_by(Pegawai.nama)
        if pegawai_ids is not None:
            q = q.where(Pegawai.id.in_(list(pegawai_ids)))
        peg = s.execute(q).all()
        units = dict(s.execute(select(UnitKerja.id, UnitKerja.kode)).all())
        jab = s.execute(select(Jabatan.id, Jabatan.nama, Jabatan.unit_id).where(Jabatan.aktif.is_(True))
                        .order_by(Jabatan.nama)).all()
        unit_rows = s.execute(select(UnitKerja.id, UnitKerja.kode, UnitKerja.nama).where(UnitKerja.aktif.is_(True))
                              .order_by(UnitKerja.urutan, UnitKerja.kode)).all()
        tims = s.execute(select(TimKerja.id, TimKerja.nama).where(TimKerja.aktif.is_(True))
                         .order_by(TimKerja.nama)).all()
    return TransferOptions(
        pegawai=[(r.id, f"{r.nama} ({r.nip})") for r in peg],
        jabatan=[(r.id, f"{r.nama} ({units.get(r.unit_id, '-')})") for r in jab],
        unit=[(r.id, f"{r.kode} — {r.nama}") for r in unit_rows],
        tim=[(r.id, r.nama) for r in tims],
        current={r.id: (r.jabatan_id, r.unit_id, r.tim_id) for r in peg},
    )
