"""Demo monev meetings (services/demo/monev.py): last month's meeting complete and set, with photos, attendance
and tindak lanjut (two still open); this month's scheduled for today with the invitation signed — also in
January (last month is December of the year before), at a month's end and on the year's last day. The meeting of
this month (the one Rapat Monev opens on) then runs through the whole SOP as the demo accounts on that day: the
Kepala sets the report without a reason for delay (the deadline has not passed) and every step is audited."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from db.engine import read_session
from db.models import AuditLog
from services import demo
from services.core import clock as app_clock
from services.core.actor import SYSTEM
from services.demo.monev import NOTULIS_KEY
from services.demo.monev import _actor as demo_actor
from services.monev import laporan, rapat

FLOW = ["monev_mulai_rapat", "monev_hadir_mandiri", "monev_simpan_notulen", "monev_selesai_rapat",
        "monev_susun_laporan", "monev_ajukan_laporan", "monev_periksa_laporan", "monev_tetapkan_laporan"]


@pytest.mark.parametrize("today", [dt.date(2027, 1, 2), dt.date(2026, 7, 31), dt.date(2027, 12, 31)])
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
    _run_this_month(today, this["id"])


def _run_this_month(today: dt.date, rid: int) -> None:
    """This month's meeting on `today` (after its 09:00 start): notulis, Kepala, Kasubbag ADUM as in the browser."""
    notulis, kepala, kasubbag = demo_actor(NOTULIS_KEY), demo_actor("kepala"), demo_actor("kasubbag")
    assert rapat.get(kepala, today.year, today.month)["id"] == rid
    with read_session() as s:
        before = s.scalar(select(func.max(AuditLog.id)))
    rapat.mulai(notulis, rid)
    rapat.hadir_mandiri(kepala, rid)
    first = rapat.by_id(notulis, rid)["agenda"][0]["id"]
    rapat.simpan_notulen(notulis, rid, first, "Kepala membuka rapat dan meminta laporan tepat waktu.")
    rapat.selesai(notulis, rid)
    laporan.susun(notulis, rid, "Capaian umumnya sesuai target; tindak lanjut dipantau.")
    laporan.ajukan(notulis, rid)
    laporan.periksa(kasubbag, rid)
    view = rapat.get(kepala, today.year, today.month)
    assert view["status_laporan"] == "DIPERIKSA" and not view["laporan_terlambat"]
    assert view["tenggat_laporan"] >= today  # from day 21 on the deadline is the 20th of the next month
    laporan.tetapkan(kepala, rid)  # no reason needed: not late
    assert rapat.get(kepala, today.year, today.month)["status_laporan"] == "DITETAPKAN"
    with read_session() as s:
        actions = s.scalars(select(AuditLog.action).where(AuditLog.id > before)).all()
    assert set(FLOW) <= set(actions)
