"""Beranda deadlines of the Laporan Kinerja: the monthly report (setting kinerja_batas_laporan_bulanan_hari), last
year's LKj (setting kinerja_batas_lkj) with overdue flags, and the report waiting for each role."""

from __future__ import annotations

import datetime as dt

from db.engine import read_session
from services.core import clock
from services.kinerja import laporan, tugas
from tests.unit.test_kinerja_predikat import _ratified


def _tasks(actor, today):
    with read_session() as s:
        return tugas.laporan_tasks(s, actor, today)


def test_monthly_and_annual_deadlines(org):
    y = org.year
    with clock.frozen(dt.date(y, 4, 8)):
        on_time = _tasks(org.actors.ketua, dt.date(y, 4, 8))
    march = [t for t in on_time if t.judul.startswith(f"Laporan Kinerja Maret {y}")]
    assert march and march[0].tenggat == dt.date(y, 4, 10) and march[0].prioritas == 2
    lkj = [t for t in on_time if t.judul.startswith(f"Laporan Kinerja Tahunan {y - 1}")]
    assert lkj and lkj[0].tenggat == dt.date(y, 2, 28) and lkj[0].prioritas == 1 and "terlambat" in lkj[0].judul
    late = _tasks(org.actors.ketua, dt.date(y, 4, 11))
    assert [t for t in late if t.judul.startswith(f"Laporan Kinerja Maret {y} terlambat")][0].prioritas == 1
    assert _tasks(org.actors.staf, dt.date(y, 4, 11)) == []


def test_waiting_for_review_and_gone_when_ratified(org):
    y = org.year
    with clock.frozen(dt.date(y, 4, 8)):
        _ratified(org)
        grid = laporan.narasi_grid(org.actors.ketua, y, 3)
        laporan.simpan_narasi(org.actors.ketua, y, 3, {"ikhtisar": "Baik."}, grid)
        laporan.ajukan(org.actors.ketua, y, 3)
        assert any("menunggu reviu Anda" in t.judul for t in _tasks(org.actors.kasub, dt.date(y, 4, 8)))
        laporan.reviu(org.actors.kasub, y, 3, True)
        assert any("menunggu pengesahan Anda" in t.judul for t in _tasks(org.actors.kepala, dt.date(y, 4, 8)))
        laporan.sahkan(org.actors.kepala, y, 3)
        assert not [t for t in _tasks(org.actors.ketua, dt.date(y, 4, 8)) if f"Maret {y}" in t.judul]
