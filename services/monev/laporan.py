"""Laporan Monitoring dan Evaluasi bulanan (SOP 002 steps 4–6): the Perencana or the notulis drafts it from the
notulen, documentation and attendance (`susun`) and submits it (`ajukan`) → the Kasubbag ADUM returns it with
notes (`kembalikan`) or checks it (`periksa`) → the Kepala sets it (`tetapkan`) at the latest on day
`monev_batas_hari` (the 20th); after that day the Kepala must give the reason for the delay. A set report and its
meeting are read-only. `ikhtisar` is the yearly overview: 12 months × steps with late flags."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
from sqlalchemy import select

from db.engine import read_session
from db.models import MonevHadir, RapatMonev, StatusLaporanMonev, StatusRapat, StatusUndangan
from services.core import clock, fmt
from services.core.actor import Actor
from services.core.errors import FieldError, PermissionDenied, ServiceError, ValidationFailed
from services.core.uow import unit_of_work
from services.monev.common import (
    MAX_TEKS,
    MIN_CATATAN,
    is_kasubbag,
    is_kepala,
    label,
    local_date,
    nama_bulan,
    rapat_of,
    require_login,
    require_not_set,
    require_pencatat,
    tenggat_laporan,
)

L = StatusLaporanMonev
OVERVIEW_COLS = ["Bulan", "Rapat", "Undangan Ditandatangani", "Rapat Dilaksanakan", "Laporan Disusun",
                 "Laporan Diperiksa", "Laporan Ditetapkan", "Tenggat", "Terlambat"]


def susun(actor: Actor, rapat_id: int, kesimpulan: str) -> None:
    """Draft (or redraft after a return) the report: the conclusions; the rest is assembled from the meeting."""
    text = (kesimpulan or "").strip()
    if len(text) > MAX_TEKS:
        raise ValidationFailed([FieldError(None, "Kesimpulan", f"maksimal {MAX_TEKS} huruf")])
    with unit_of_work(actor, action="monev_susun_laporan") as s:
        rapat = rapat_of(s, rapat_id)
        require_pencatat(rapat, actor, "menyusun laporan monev")
        require_not_set(rapat)
        if rapat.status_rapat != StatusRapat.SELESAI:
            raise ServiceError("Laporan disusun setelah rapat ditutup.")
        if rapat.status_laporan not in (L.BELUM, L.DRAFT, L.DIKEMBALIKAN):
            raise ServiceError("Laporan sedang diperiksa atau menunggu penetapan; tidak dapat diubah.")
        rapat.kesimpulan = text or None
        rapat.status_laporan = L.DRAFT
        rapat.laporan_disusun_oleh = actor.username


def ajukan(actor: Actor, rapat_id: int) -> None:
    with unit_of_work(actor, action="monev_ajukan_laporan") as s:
        rapat = rapat_of(s, rapat_id)
        require_pencatat(rapat, actor, "mengajukan laporan monev")
        if rapat.status_laporan != L.DRAFT:
            raise ServiceError("Hanya konsep laporan yang dapat diajukan.")
        hadir = s.scalar(select(MonevHadir.id).where(MonevHadir.rapat_id == rapat_id, MonevHadir.hadir))
        if hadir is None:
            raise ServiceError("Daftar hadir masih kosong; lengkapi sebelum mengajukan laporan.")
        rapat.status_laporan = L.DIAJUKAN
        rapat.catatan_laporan = None


def kembalikan(actor: Actor, rapat_id: int, catatan: str) -> None:
    """The Kasubbag ADUM returns the draft with notes (SOP 002 step 5)."""
    catatan = (catatan or "").strip()
    if len(catatan) < MIN_CATATAN:
        raise ValidationFailed([FieldError(None, "Catatan", f"tuliskan catatan perbaikan (minimal {MIN_CATATAN} huruf)")])
    with unit_of_work(actor, action="monev_kembalikan_laporan") as s:
        if not is_kasubbag(s, actor):
            raise PermissionDenied("Hanya Kasubbag ADUM yang memeriksa laporan monev.")
        rapat = rapat_of(s, rapat_id)
        if rapat.status_laporan != L.DIAJUKAN:
            raise ServiceError("Hanya laporan yang diajukan yang dapat dikembalikan.")
        rapat.status_laporan = L.DIKEMBALIKAN
        rapat.catatan_laporan = catatan[:MAX_TEKS]


def periksa(actor: Actor, rapat_id: int) -> None:
    with unit_of_work(actor, action="monev_periksa_laporan") as s:
        if not is_kasubbag(s, actor):
            raise PermissionDenied("Hanya Kasubbag ADUM yang memeriksa laporan monev.")
        rapat = rapat_of(s, rapat_id)
        if rapat.status_laporan != L.DIAJUKAN:
            raise ServiceError("Hanya laporan yang diajukan yang dapat diperiksa.")
        rapat.status_laporan = L.DIPERIKSA
        rapat.laporan_diperiksa_oleh = actor.username


def tetapkan(actor: Actor, rapat_id: int, alasan_terlambat: str | None = None) -> None:
    """The Kepala sets the report (SOP 002 step 6: at the latest on the 20th). Late: only with the reason."""
    if not is_kepala(actor):
        raise PermissionDenied("Hanya Kepala yang dapat menetapkan laporan monev.")
    with unit_of_work(actor, action="monev_tetapkan_laporan") as s:
        rapat = rapat_of(s, rapat_id)
        require_not_set(rapat, "ditetapkan ulang")
        if rapat.status_laporan != L.DIPERIKSA:
            raise ServiceError("Laporan ditetapkan setelah diperiksa Kasubbag ADUM.")
        batas = tenggat_laporan(rapat.tahun, rapat.bulan, rapat.tanggal, s)
        alasan = (alasan_terlambat or "").strip()
        if clock.today() > batas:
            if len(alasan) < MIN_CATATAN:
                raise ServiceError(f"Batas penetapan laporan monev {label(rapat.tahun, rapat.bulan)} adalah "
                                   f"{fmt.tanggal(batas)} dan sudah lewat; tuliskan alasan keterlambatan (minimal "
                                   f"{MIN_CATATAN} huruf) untuk menetapkan.")
            rapat.alasan_terlambat = alasan[:MAX_TEKS]
        rapat.status_laporan = L.DITETAPKAN
        rapat.laporan_ditetapkan_at = clock.utcnow()
        rapat.laporan_ditetapkan_oleh = actor.username


def _yes(flag: bool) -> str:
    return "✓" if flag else ""


def ikhtisar(actor: Actor, tahun: int) -> pd.DataFrame:
    """12 months × steps of SOP 002, with the report deadline and the late flag."""
    require_login(actor)
    today = clock.today()
    with read_session() as s:
        by_month = {r.bulan: r for r in s.scalars(select(RapatMonev).where(RapatMonev.tahun == tahun))}
        first = s.scalar(select(RapatMonev).order_by(RapatMonev.tahun, RapatMonev.bulan))
        start = (first.tahun * 12 + first.bulan) if first else None
        rows: list[dict[str, Any]] = []
        for b in range(1, 13):
            r = by_month.get(b)
            batas = tenggat_laporan(tahun, b, r.tanggal if r else None, s)
            if r is None:
                # a missing meeting counts as late only once the office runs its meetings in the app
                late = start is not None and tahun * 12 + b > start and today > batas
                rows.append({"Bulan": nama_bulan(b), "Rapat": "Belum direncanakan", "Tenggat": batas,
                             "Terlambat": "Ya" if late else ""})
                continue
            set_at = local_date(r.laporan_ditetapkan_at) if r.laporan_ditetapkan_at else None
            late = (set_at is not None and set_at > batas) or (set_at is None and today > batas)
            rows.append({
                "Bulan": nama_bulan(b), "Rapat": f"{fmt.tanggal(r.tanggal, 'medium')} {r.jam}",
                "Undangan Ditandatangani": _yes(r.status_undangan == StatusUndangan.DITANDATANGANI),
                "Rapat Dilaksanakan": _yes(r.status_rapat == StatusRapat.SELESAI),
                "Laporan Disusun": _yes(r.status_laporan != L.BELUM),
                "Laporan Diperiksa": _yes(r.status_laporan in (L.DIPERIKSA, L.DITETAPKAN)),
                "Laporan Ditetapkan": fmt.tanggal(set_at, "medium") if set_at else "",
                "Tenggat": batas, "Terlambat": "Ya" if late else ""})
    return pd.DataFrame(rows, columns=OVERVIEW_COLS)


def terlambat(s, today: dt.date) -> list[RapatMonev]:
    """Meetings whose report is not set and whose deadline has passed (for Beranda)."""
    out = []
    for r in s.scalars(select(RapatMonev).where(RapatMonev.status_laporan != L.DITETAPKAN)):
        if today > tenggat_laporan(r.tahun, r.bulan, r.tanggal, s):
            out.append(r)
    return out


def peran(actor: Actor) -> dict[str, bool]:
    """Which SOP 002 parts the actor plays (for the page's buttons; every service checks again)."""
    from services.monev.common import is_perencana

    with read_session() as s:
        return {"perencana": is_perencana(actor), "kepala": is_kepala(actor), "kasubbag": is_kasubbag(s, actor)}
