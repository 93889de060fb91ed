"""Demo monev meetings (services/demo/monev.py): last month's meeting complete and set, with photos, attendance
and tindak lanjut (two still open); this month's scheduled for today with the invitation signed — also in
January (last month is December of the year before) and at a month's end."""

from __future__ import annotations

import datetime as dt

import pytest

from services import demo
from services.core import clock as app_clock
from services.core.actor import SYSTEM
from services.monev import rapat


@pytest.mark.parametrize("today", [dt.date(2027, 1, 2), dt.date(2026, 7, 31)])
def test_demo_monev_on_any_date(sqlite_db, today):
    app_clock.set_clock(lambda: dt.datetime.combine(today, dt.time(10, 0), tzinfo=app_clock.tz()))
    demo.load_demo(SYSTEM, with_skp=False, with_kinerja=True)
    ly, lm = (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)
    last = rapat.get(SYSTEM, ly, lm)
    assert last is not None
    assert (last["status_undangan"], last["status_rapat"], last["status_laporan"]) == (
        "DITANDATANGANI", "SELESAI", "DITETAPKAN")
    assert not last["laporan_terlambat"] and last["ada_snapshot"]
    assert all(a["notulen"] for a in last["agenda"])
    assert len(rapat.foto(SYSTEM, last["id"])) == 2
    hadir = rapat.daftar_hadir(SYSTEM, last["id"])
    assert 0 < int(hadir["Hadir"].sum()) <= len(hadir)
    tl = rapat.tindak_lanjut(SYSTEM, last["id"])
    assert sorted(tl["Status"]) == ["Selesai", "Terbuka", "Terbuka"]
    this = rapat.get(SYSTEM, today.year, today.month)
    assert this["tanggal"] == today and this["status_undangan"] == "DITANDATANGANI"
    assert this["status_rapat"] == "DIJADWALKAN"
    snap = rapat.snapshot(SYSTEM, last["id"])
    assert snap["iku"]["rows"] and len(snap["tim"]) == 5
