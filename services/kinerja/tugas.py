"""Beranda tasks of the organisational side: a Tim Kerja's monthly realisation due or late (PJ and delegated
members), late teams for the Perencana, kertas kerja and Laporan Kinerja waiting for the Perencana, Kasubbag ADUM
or Kepala, and the deadlines of the monthly report (setting kinerja_batas_laporan_bulanan_hari) and of last year's
annual LKj (setting kinerja_batas_lkj) with an overdue flag (SOP 001)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import KertasKerja, LaporanKinerja, StatusKertasKerja, StatusLaporan
from services.core import settings
from services.core.actor import Actor, Role
from services.core.tasks import Task, task_provider
from services.kinerja.common import is_kasubbag, my_teams, nama_bulan
from services.kinerja.kertas import label
from services.kinerja.laporan import label as label_laporan
from services.kinerja.realisasi import status_rows

KATEGORI = "Kinerja Organisasi"


def previous_month(today: dt.date) -> tuple[int, int]:
    return (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)


@task_provider
def kinerja_tasks(s: Session, actor: Actor, today: dt.date) -> list[Task]:
    tahun, bulan = previous_month(today)
    out: list[Task] = []
    rows = status_rows(s, tahun, bulan, today)
    mine = my_teams(s, actor, tahun)
    for r in rows:
        if r["tim_id"] in mine and r["Status"] != "Diajukan":
            late = today > r["Tenggat"]
            out.append(Task(KATEGORI, f"Realisasi {r['Tim Kerja']} bulan {nama_bulan(bulan)} "
                            + ("terlambat" if late else "belum diajukan"),
                            "Isi realisasi indikator, bukti dukung, kendala dan rencana tindak lanjut (SOP 001).",
                            r["Tenggat"], 1 if late else 2, "kinerja_realisasi.py"))
    if actor.has(Role.PERENCANA):
        late = [r["Tim Kerja"] for r in rows if r["Terlambat"] and r["Status"] != "Diajukan"]
        if late:
            out.append(Task(KATEGORI, f"{len(late)} Tim Kerja belum mengajukan realisasi {nama_bulan(bulan)}",
                            ", ".join(late), rows[0]["Tenggat"], 1, "kinerja_realisasi.py"))
    wanted = []
    if actor.has(Role.PERENCANA):
        wanted.append((StatusKertasKerja.DIKEMBALIKAN, "dikembalikan Kasubbag ADUM: perbaiki lalu ajukan lagi"))
    if is_kasubbag(s, actor):
        wanted.append((StatusKertasKerja.DIAJUKAN, "menunggu pemeriksaan Anda"))
    if actor.has(Role.KEPALA_SATKER):
        wanted.append((StatusKertasKerja.DIKOREKSI, "menunggu pengesahan Anda"))
    for status, text in wanted:
        for kk in s.scalars(select(KertasKerja).where(KertasKerja.status == status)):
            out.append(Task(KATEGORI, f"Kertas kerja {label(kk.tahun, kk.jenis, kk.nomor)} {text}", "",
                            None, 1, "kinerja_kertas_kerja.py"))
    return out


def tenggat_laporan(tahun: int, bulan: int, s: Session | None = None) -> dt.date:
    """Deadline of a Laporan Kinerja: the monthly one by day kinerja_batas_laporan_bulanan_hari of the next month;
    the annual LKj (bulan 0) by kinerja_batas_lkj (day-month) of the next year."""
    if bulan == 0:
        day, month = settings.get("kinerja_batas_lkj", s)
        try:
            return dt.date(tahun + 1, month, day)
        except ValueError:  # 29-02 in a common year
            return dt.date(tahun + 1, month, day - 1)
    day = int(settings.get("kinerja_batas_laporan_bulanan_hari", s))
    y, m = (tahun + 1, 1) if bulan == 12 else (tahun, bulan + 1)
    return dt.date(y, m, day)


@task_provider
def laporan_tasks(s: Session, actor: Actor, today: dt.date) -> list[Task]:
    out: list[Task] = []
    kasub = is_kasubbag(s, actor)
    perencana, kepala = actor.has(Role.PERENCANA), actor.has(Role.KEPALA_SATKER)
    if not (perencana or kasub or kepala):
        return out
    tahun, bulan = previous_month(today)
    due = [(tahun, bulan)]
    if today.month <= 6:  # last year's LKj stays on Beranda until ratified (first half of the year)
        due.append((today.year - 1, 0))
    for y, b in due:
        lap = s.scalar(select(LaporanKinerja).where(LaporanKinerja.tahun == y, LaporanKinerja.bulan == b))
        if lap is not None and lap.status == StatusLaporan.DISAHKAN:
            continue
        batas = tenggat_laporan(y, b, s)
        late = today > batas
        if perencana or kepala:
            what = "belum disahkan" if lap is not None else "belum disusun"
            out.append(Task(KATEGORI, f"{label_laporan(y, b)} {'terlambat: ' if late else ''}{what}",
                            "Narasi disusun Petugas Perencana, direviu Kasubbag ADUM, disahkan Kepala, lalu "
                            "diarsipkan dan dikirim (SOP 001).", batas, 1 if late else 2, "kinerja_laporan.py"))
    wanted = []
    if perencana:
        wanted.append((StatusLaporan.DIKEMBALIKAN, "dikembalikan Kasubbag ADUM (reviu TIDAK): perbaiki lalu ajukan"))
    if kasub:
        wanted.append((StatusLaporan.DIAJUKAN, "menunggu reviu Anda (YA/TIDAK)"))
    if kepala:
        wanted.append((StatusLaporan.DISETUJUI, "menunggu pengesahan Anda"))
    for status, text in wanted:
        for lap in s.scalars(select(LaporanKinerja).where(LaporanKinerja.status == status)):
            batas = tenggat_laporan(lap.tahun, lap.bulan, s)
            out.append(Task(KATEGORI, f"{label_laporan(lap.tahun, lap.bulan)} {text}", "", batas,
                            1 if today > batas else 2, "kinerja_laporan.py"))
    return out
