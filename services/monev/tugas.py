"""Beranda tasks of the monev meeting: the invitation (invitees), the invitation or report waiting for the
Kepala / Kasubbag ADUM / Perencana, the report deadline (late flags), a meeting open for self check-in, and open
tindak lanjut for their PIC."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from db.models import RapatMonev, StatusLaporanMonev, StatusRapat, StatusUndangan
from services.core import fmt
from services.core.actor import Actor
from services.core.tasks import Task, task_provider
from services.monev.common import (
    is_invited,
    is_kasubbag,
    is_kepala,
    is_notulis,
    is_perencana,
    label,
    tenggat_laporan,
)
from services.monev.laporan import terlambat
from services.monev.rapat import open_items_for

KATEGORI = "Rapat Monev"
HALAMAN = "monev_rapat.py"
L = StatusLaporanMonev


@task_provider
def monev_tasks(s, actor: Actor, today: dt.date) -> list[Task]:
    out: list[Task] = []
    horizon = today - dt.timedelta(days=40)
    recent = list(s.scalars(select(RapatMonev).where(RapatMonev.tanggal >= horizon)))
    for r in recent:
        lbl = label(r.tahun, r.bulan)
        invited = is_invited(s, r, actor.pegawai_id)
        if (invited and r.status_undangan == StatusUndangan.DITANDATANGANI and r.status_rapat == StatusRapat.DIJADWALKAN
                and r.tanggal >= today):
            out.append(Task(KATEGORI, f"Undangan rapat monev {lbl}: {fmt.tanggal(r.tanggal)} pukul {r.jam}",
                            f"Tempat: {r.tempat}. Nomor {r.nomor_undangan or '-'}.", r.tanggal, 2, HALAMAN))
        if invited and r.status_rapat == StatusRapat.BERLANGSUNG:
            out.append(Task(KATEGORI, f"Rapat monev {lbl} sedang berlangsung: isi daftar hadir",
                            "Tandai kehadiran Anda di halaman Rapat Monev.", today, 1, HALAMAN))
        if is_kepala(actor) and r.status_undangan == StatusUndangan.DIAJUKAN:
            out.append(Task(KATEGORI, f"Konsep undangan rapat monev {lbl} menunggu tanda tangan Anda", "",
                            r.tanggal, 1, HALAMAN))
        if is_perencana(actor) and r.status_undangan == StatusUndangan.DIKEMBALIKAN:
            out.append(Task(KATEGORI, f"Konsep undangan rapat monev {lbl} dikembalikan Kepala",
                            r.catatan_undangan or "", r.tanggal, 1, HALAMAN))
    for r in s.scalars(select(RapatMonev).where(RapatMonev.status_laporan != L.DITETAPKAN,
                                                RapatMonev.status_rapat == StatusRapat.SELESAI)):
        lbl, batas = label(r.tahun, r.bulan), tenggat_laporan(r.tahun, r.bulan, r.tanggal, s)
        late = today > batas
        suffix = " (terlambat)" if late else ""
        if (is_perencana(actor) or is_notulis(r, actor)) and r.status_laporan in (L.BELUM, L.DRAFT, L.DIKEMBALIKAN):
            out.append(Task(KATEGORI, f"Laporan monev {lbl} perlu disusun/diajukan{suffix}",
                            r.catatan_laporan or "SOP 002: ditetapkan Kepala paling lambat tanggal "
                            f"{fmt.tanggal(batas)}.", batas, 1 if late else 2, HALAMAN))
        if r.status_laporan == L.DIAJUKAN and is_kasubbag(s, actor):
            out.append(Task(KATEGORI, f"Laporan monev {lbl} menunggu pemeriksaan Anda{suffix}", "", batas, 1, HALAMAN))
        if r.status_laporan == L.DIPERIKSA and is_kepala(actor):
            out.append(Task(KATEGORI, f"Laporan monev {lbl} menunggu penetapan Anda{suffix}", "", batas, 1, HALAMAN))
    if is_perencana(actor) or is_kepala(actor):
        for r in terlambat(s, today):
            if r.status_rapat != StatusRapat.SELESAI:
                out.append(Task(KATEGORI, f"Laporan monev {label(r.tahun, r.bulan)} lewat tenggat",
                                "Rapat belum ditutup; laporan belum ditetapkan.",
                                tenggat_laporan(r.tahun, r.bulan, r.tanggal, s), 1, HALAMAN))
    for t in open_items_for(s, actor):
        late = t.tenggat < today
        out.append(Task(KATEGORI, f"Tindak lanjut rapat monev{' (lewat tenggat)' if late else ''}: {t.uraian[:80]}",
                        "Tutup dengan catatan hasil di halaman Rapat Monev.", t.tenggat, 1 if late else 2, HALAMAN))
    return out
