"""Factories for the organisational-performance tests: a second Tim Kerja, a PK with three indicators (one per
rule × a polarity) and rincian with RPD."""

from __future__ import annotations

import pandas as pd

from db.models import Pegawai, TimKerja
from services.core import SYSTEM, clock, unit_of_work
from services.kinerja import pk, realisasi
from services.kinerja.common import BULAN


def second_team(org) -> int:
    """Tim Kerja Layanan led by Andi (staf), with Rudi (pppk) as member."""
    with unit_of_work(SYSTEM) as s:
        tim = TimKerja(nama="Tim Kerja Layanan", unit_id=org.units["adum"], ketua_id=org.pegawai["staf"])
        s.add(tim)
        s.flush()
        s.get(Pegawai, org.pegawai["pppk"]).tim_id = tim.id
        s.get(Pegawai, org.pegawai["staf"]).tim_id = tim.id
        return tim.id


def pk_rows(tahun: int) -> pd.DataFrame:
    base = {"Jenis": "IKU", "Sumber Data": "Laporan tim", "Definisi": "-"}
    rows = [
        {**base, "Kode Sasaran": "S1", "Sasaran": "Meningkatnya deteksi dini", "Kode": "I1",
         "Indikator": "Jumlah sampel diperiksa", "Satuan": "sampel", "Polaritas": "positif", "Agregasi": "kumulatif",
         "Target": 120, "PJ Tim Kerja": "Tim Kerja Surveilans", **{b: 10 for b in BULAN}},
        {**base, "Kode Sasaran": "S1", "Sasaran": "Meningkatnya deteksi dini", "Kode": "I2",
         "Indikator": "Waktu respon (hari)", "Satuan": "hari", "Polaritas": "negatif", "Agregasi": "rata-rata",
         "Target": 4, "PJ Tim Kerja": "Tim Kerja Surveilans"},
        {**base, "Kode Sasaran": "S2", "Sasaran": "Layanan yang andal", "Kode": "I3",
         "Indikator": "Persentase kepatuhan", "Satuan": "%", "Polaritas": "range", "Agregasi": "nilai akhir periode",
         "Target": 80, "Target Maks": 90, "PJ Tim Kerja": "Tim Kerja Layanan"},
    ]
    return pd.DataFrame(rows, columns=pk.INDIKATOR_COLS).astype(object)


def rincian_rows() -> pd.DataFrame:
    return pd.DataFrame([
        {"Kode": "RO1", "Rincian Output/Kegiatan": "Layanan surveilans", "PJ Tim Kerja": "Tim Kerja Surveilans",
         "Pagu": 1_200_000, **{b: 100_000 for b in BULAN}},
        {"Kode": "RO2", "Rincian Output/Kegiatan": "Layanan umum", "PJ Tim Kerja": "Tim Kerja Layanan",
         "Pagu": 600_000, **{b: 50_000 for b in BULAN}},
    ], columns=pk.RINCIAN_COLS).astype(object)


def build_pk(org) -> int:
    """PK for org.year with both teams; returns the second team's id."""
    tim2 = second_team(org)
    pk.save_indikator(org.actors.ketua, org.year, pk_rows(org.year))
    pk.save_rincian(org.actors.ketua, org.year, rincian_rows())
    return tim2


def last_month() -> tuple[int, int]:
    """(year, month) of the page tests: last month (January early in the year)."""
    today = clock.today()
    return today.year, max(today.month - 1, 1)


def submit_month(org, tim2: int, tahun: int, bulan: int) -> None:
    """Both teams enter and submit their realisation of a month (team 1: 12 and 4; team 2: 85)."""
    for tim, actor, vals in ((org.tim_id, org.actors.ketua, [12, 4]), (tim2, org.actors.staf, [85])):
        df = realisasi.grid(actor, tahun, bulan, tim)
        df["Realisasi"] = vals
        realisasi.save(actor, tahun, bulan, tim, df)
        realisasi.ajukan(actor, tahun, bulan, tim)
