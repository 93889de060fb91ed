"""Evaluations for the document tests (PDF, bukti dukung, signed scans), built directly through the ORM on the
approved SKPs of tests/logbook_factories.approved_skps (no pegawai/penilai workflow calls)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select

from db.engine import read_session
from db.models import (
    Evaluasi,
    JenisEvaluasi,
    PredikatKinerja,
    PredikatOrganisasiKinerja,
    RatingKinerja,
    RencanaAksi,
    Skp,
    StatusEvaluasi,
)
from services.core.actor import SYSTEM
from services.core.uow import unit_of_work
from services.evaluasi import common as ec

PDF = b"%PDF-1.4\n% signed scan\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
LONG = ("Realisasi yang sangat panjang untuk menguji pembungkusan teks dalam sel tabel dokumen evaluasi: "
        * 12).strip()


def evaluasi(skp_id: int, jenis: JenisEvaluasi = JenisEvaluasi.PERIODIK, nomor: int = 1, *,
             status: StatusEvaluasi = StatusEvaluasi.DISETUJUI, rated: bool = True, rencana_aksi: bool = True,
             rekomendasi: str | None = "Pertahankan kinerja; ikuti pelatihan analisis data.",
             predikat_organisasi: PredikatOrganisasiKinerja | None = None) -> int:
    """An evaluation of the SKP with realisasi, rencana aksi, umpan balik and (when rated) ratings and predikat."""
    today = dt.date(2026, 11, 1)
    with unit_of_work(SYSTEM) as s:
        skp = s.get(Skp, skp_id)
        ev = ec.get_or_create(s, skp, jenis, nomor, today)
        for n, h in enumerate(ev.hasil, start=1):
            h.realisasi = f"Realisasi RHK {n}: laporan disusun — “tepat waktu” ≥ target. " + (LONG if n == 1 else "")
            h.umpan_balik = f"Umpan balik RHK {n}: pertahankan ketelitian."
            if rencana_aksi:
                ev.rencana_aksi.append(RencanaAksi(
                    rhk_id=h.rhk_id, rhk_label=h.rhk_label, rhk_urutan=h.rhk_urutan, urutan=1,
                    uraian=f"Menyusun laporan bulan ke-{n}", target=Decimal(3), satuan="laporan",
                    realisasi=Decimal(3), realisasi_uraian="Laporan terkirim ke KPPN",
                    bukti_dukung="https://drive.example/laporan"))
        for i in ev.iki:
            i.realisasi = i.target_min
            i.capaian = Decimal(100)
        for p in ev.perilaku:
            p.umpan_balik = f"Umpan balik perilaku {p.nilai}: baik."
        ev.catatan_pegawai = "Catatan pegawai"
        ev.status = status
        if rated:
            ev.rating_hasil_kerja = RatingKinerja.SESUAI
            ev.rating_perilaku_kerja = RatingKinerja.DI_ATAS
            ev.predikat = PredikatKinerja.BAIK
            ev.rekomendasi = rekomendasi
            ev.dinilai_at = ec.now()
            ev.dinilai_by_id = ev.pejabat_penilai_id
        ev.predikat_organisasi = predikat_organisasi
        if status == StatusEvaluasi.DISETUJUI:
            ev.disetujui_at = dt.datetime(2026, 4, 15, 3, 0, tzinfo=dt.UTC)
            ev.disetujui_by_id = ev.atasan_penilai_id
        s.flush()
        return ev.id


def set_status(evaluasi_id: int, status: StatusEvaluasi) -> None:
    with unit_of_work(SYSTEM) as s:
        ev = s.get(Evaluasi, evaluasi_id)
        ev.status = status
        ev.disetujui_at = ec.now() if status == StatusEvaluasi.DISETUJUI else None


def rencana_aksi_ids(evaluasi_id: int) -> list[int]:
    with read_session() as s:
        return list(s.scalars(select(RencanaAksi.id).where(RencanaAksi.evaluasi_id == evaluasi_id)
                              .order_by(RencanaAksi.id)))
