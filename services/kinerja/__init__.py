"""Kinerja organisasi (SOP 001 Pengukuran Data Kinerja; PermenPANRB 53/2014): Perjanjian Kinerja (pk), monthly
realisation per Tim Kerja (realisasi), Kertas Kerja Perhitungan Kinerja (kertas), charts data (grafik), Laporan
Kinerja DOCX (laporan), SK Tim Penyusun (tim_penyusun), Beranda tasks (tugas) and the predikat proposal for the organisation (predikat).

Pages import this package (`from services import kinerja`), never its modules by path."""

from services.kinerja import (
    bagan,
    common,
    ekspor,
    grafik,
    kertas,
    laporan,
    pk,
    predikat,
    realisasi,
    tim_penyusun,
    tugas,
)

__all__ = ["bagan", "common", "ekspor", "grafik", "kertas", "laporan", "pk", "predikat", "realisasi", "tim_penyusun",
           "tugas"]
