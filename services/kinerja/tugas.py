"""Beranda tasks of the organisational side: a Tim Kerja's monthly realisation due or late (PJ and delegated
members), late teams for the Perencana, and kertas kerja waiting for the Perencana, Kasubbag ADUM or Kepala."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import KertasKerja, StatusKertasKerja
from services.core.actor import Actor, Role
from services.core.tasks import Task, task_provider
from services.kinerja.common import is_kasubbag, my_teams, nama_bulan
from services.kinerja.kertas import label
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
