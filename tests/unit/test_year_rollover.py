"""Year rollover: the demo loader and the main service flows work whatever today is.

The clock (services.core.clock, through the `clock` fixture) is set to 2 January, 15 January, 31 March, 30 June
and 31 December of next year (derived from the real clock, never a fixed year); the test org and the demo office
are built on the clock's year. Early January is the hard case: the new year has no logbook month yet, 1 January
is a holiday and 2 January may be a weekend.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from db.engine import read_session
from db.models import Evaluasi, LogbookEntry, Pegawai, Period, Skp, StatusEvaluasi, StatusLogbook
from services import logbook, skp
from services.core import clock as app_clock
from services.demo import evaluasi as demo_evaluasi
from services.demo import load_demo
from services.demo import office as demo_office
from services.evaluasi import pegawai as evaluasi
from services.evaluasi import penilaian as ep
from services.org import kalender
from tests import evaluasi_factories as ef
from tests import skp_factories as sf
from tests.factories import build_org

YEAR = app_clock.today().year + 1
DAYS = [dt.date(YEAR, 1, 2), dt.date(YEAR, 1, 15), dt.date(YEAR, 3, 31), dt.date(YEAR, 6, 30),
        dt.date(YEAR, 12, 31)]
IDS = [f"{d:%d-%m}" for d in DAYS]
# the whole demo office on every day on SQLite; on PostgreSQL at the two ends of the year (~13 s a load there)
DEMO_DAYS = [pytest.param(name, d, id=f"{name}-{i}") for name in ("sqlite", "pg") for d, i in zip(DAYS, IDS, strict=True)
             if name == "sqlite" or d in (DAYS[0], DAYS[-1])]


@pytest.mark.parametrize(("db", "today"), DEMO_DAYS, indirect=["db"])
def test_demo_data_loads_on_any_day(db, clock, today):
    clock.set(today)
    result = load_demo()
    assert result.loaded and result.tahun == today.year and result.skp > 0 and result.evaluasi > 0
    with read_session() as s:
        assert s.scalar(select(Period.tahun)) == today.year
        assert s.scalar(select(func.count(Pegawai.id))) == result.pegawai
        assert s.scalar(select(func.count(Skp.id))) >= result.skp
        dates = s.execute(select(func.min(LogbookEntry.tanggal), func.max(LogbookEntry.tanggal))).one()
        assert s.scalar(select(func.count(Evaluasi.id))) == result.evaluasi
        _check_demo_evaluations(s, today)
    if result.logbook:
        assert dt.date(today.year, 1, 1) <= dates[0] and dates[1] < today  # within the year, never in the future
    else:
        assert today <= dt.date(today.year, 1, 10)  # only the very first days of January have no logbook yet


def _check_demo_evaluations(s, today: dt.date) -> None:
    """Nothing submitted before its window opens, nothing rated or approved before its quarter ends; the
    browser-test pegawai has a started Draft with one rencana aksi per RHK and no realisasi."""
    for ev in s.scalars(select(Evaluasi)):
        if ev.submitted_at is not None:
            assert today >= ev.selesai - dt.timedelta(days=evaluasi.SUBMIT_DAYS_BEFORE_END), ev.kode
        if ev.status not in (StatusEvaluasi.DRAFT, StatusEvaluasi.DIAJUKAN):
            assert ev.selesai < today, (ev.kode, ev.status)
    nip = next(r["nip"] for r in demo_office.roster() if r["key"] == demo_evaluasi.E2E_PEGAWAI_KEY)
    drafts = s.scalars(select(Evaluasi).join(Pegawai, Pegawai.id == Evaluasi.pegawai_id).where(
        Pegawai.nip == nip, Evaluasi.status == StatusEvaluasi.DRAFT, Evaluasi.mulai <= today)).all()
    assert any(sorted(ra.rhk_id for ra in ev.rencana_aksi) == sorted(h.rhk_id for h in ev.hasil)
               and all(ra.realisasi is None for ra in ev.rencana_aksi) for ev in drafts)


def _logbook_day(today: dt.date) -> tuple[dt.date, bool]:
    """The latest working day of this year up to today; else today itself (a holiday, so with a note)."""
    work = [d.tanggal for d in kalender.days(dt.date(today.year, 1, 1), today) if d.kerja]
    return (work[-1], False) if work else (today, True)


@pytest.mark.parametrize("today", DAYS, ids=IDS)
def test_main_flows_on_any_day(db, clock, today):
    clock.set(today)
    org = build_org()
    assert org.year == today.year
    a = org.actors

    # SKP: cascade kepala → kasub → staf, submitted and approved
    k = sf.kepala_skp(org)
    m = sf.kasub_skp(org, k.rhk)
    staf_skp = sf.staff_skp(org, "staf", m.rhk[0])
    skp.approve(a.kasub, staf_skp)
    staf2_skp = sf.staff_skp(org, "staf2", m.rhk[0])
    skp.approve(a.kasub, staf2_skp)
    assert "DISETUJUI" in str(skp.skp_detail(a.staf, staf_skp).status).upper().replace(" ", "")

    # logbook: save, submit, review on the latest working day of the year so far
    day, holiday = _logbook_day(today)
    label = logbook.rhk_options(a.staf, day)[0].label
    row = {"id": None, "_row": 1, "tanggal": day, "jam_mulai": "08:00", "jam_selesai": "09:00",
           "durasi_menit": None, "rhk": label, "uraian": "Menyusun laporan keuangan", "volume": 1,
           "satuan": "dokumen", "bukti_link": None,
           "catatan_hari_libur": "Piket layanan kesehatan pelabuhan" if holiday else None,
           "justifikasi_terlambat": None}
    logbook.save_month(a.staf, day.year, day.month, [row])
    ids = [int(i) for i in logbook.month_grid(a.staf, day.year, day.month)["id"]]
    assert logbook.submit(a.staf, ids) == 1
    assert logbook.review(a.kasub, ids, "setujui") == 1
    with read_session() as s:
        assert s.get(LogbookEntry, ids[0]).status == StatusLogbook.DISETUJUI

    # evaluation of Triwulan I: opened any time in the year; submitted, rated and approved once it has ended
    ev_id = ef.periodic(org, "staf", 1, today=today)
    ef.fill(org, "staf", ev_id)
    if today > dt.date(today.year, 3, 31):
        evaluasi.submit(a.staf, ev_id, today=today)
        d = ep.evaluasi_detail(a.kasub, ev_id)
        ep.save_feedback(a.kasub, ev_id, {h.id: "Hasil kerja baik" for h in d.hasil},
                         {p.id: "Perilaku kerja konsisten" for p in d.perilaku})
        ep.rate(a.kasub, ev_id, "Sesuai Ekspektasi", "Sesuai Ekspektasi")
        ep.approve(a.kepala, ev_id)
        assert ef.status(ev_id) == "DISETUJUI"
    else:
        assert ef.status(ev_id) == "DRAFT"
