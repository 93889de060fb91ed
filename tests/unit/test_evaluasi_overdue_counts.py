"""The overdue evaluation steps counted in SQL (services.evaluasi.tugas.overdue_counts) equal the per-slot
calculation (overdue_steps) on an office with every SKP status and every evaluation status, on each day around
the deadlines of the year (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import astuple

from sqlalchemy import select

from db.engine import read_session
from db.models import JenisEvaluasi, Skp, StatusEvaluasi
from services.core.actor import SYSTEM
from services.core.uow import unit_of_work
from services.evaluasi import common as evaluasi_common
from services.evaluasi import tugas as et
from tests.skp_factories import every_status

S = StatusEvaluasi


def _ev(skp_id: int, nomor: int, year: int, **fields) -> None:
    with unit_of_work(SYSTEM) as s:
        ev = evaluasi_common.get_or_create(s, s.get(Skp, skp_id), JenisEvaluasi.PERIODIK, nomor,
                                           today=dt.date(year, 12, 31))
        for k, v in fields.items():
            setattr(ev, k, v)


def _old(today: dt.date, ids=None) -> tuple[Counter, dict]:
    with read_session() as s:
        late = et.overdue_steps(s, today, ids)
    first: dict = {}
    for x in late:
        first[x.langkah] = min(first.get(x.langkah, x.batas), x.batas)
    return Counter(x.langkah for x in late), first


def test_overdue_counts_equal_the_per_slot_steps(org, clock):
    every_status(org)  # kepala and kasub approved; staf submitted, staf2 returned, pppk draft: no slots
    y = org.year
    now = dt.datetime(y, 2, 1, 8, 0, tzinfo=dt.UTC)
    with read_session() as s:
        sids = dict(s.execute(select(Skp.pegawai_id, Skp.id).where(Skp.pegawai_id.in_(
            [org.pegawai["kepala"], org.pegawai["kasub"]]))).all())
    kepala, kasub = sids[org.pegawai["kepala"]], sids[org.pegawai["kasub"]]
    ketua = org.pegawai["ketua"]
    # kepala: Q1 draft without rencana aksi, Q2 draft with it, Q3 submitted waiting for pertimbangan, Q4 none
    _ev(kepala, 1, y)
    _ev(kepala, 2, y, rencana_aksi_at=now)
    _ev(kepala, 3, y, status=S.DIAJUKAN, rencana_aksi_at=now, pemberi_pertimbangan_id=ketua, pertimbangan_at=None)
    # kasub: submitted (pertimbangan given), returned, rated, approved
    _ev(kasub, 1, y, status=S.DIAJUKAN, rencana_aksi_at=now, pemberi_pertimbangan_id=ketua, pertimbangan_at=now)
    _ev(kasub, 2, y, status=S.DIKEMBALIKAN, rencana_aksi_at=now)
    _ev(kasub, 3, y, status=S.DINILAI, rencana_aksi_at=now)
    _ev(kasub, 4, y, status=S.DISETUJUI, rencana_aksi_at=now)
    with read_session() as s:
        j = evaluasi_common.jadwal_fn(s)
        deadlines = {x for q in range(4) for x in astuple(j(dt.date(y, 3 * q + 1, 1),
                                                              (dt.date(y, 3 * q + 3, 28))))}
    days = {dt.date(y, 1, 1) + dt.timedelta(days=n) for n in range(0, 366 + 130, 9)}
    days |= {d + dt.timedelta(days=k) for d in deadlines for k in (-1, 0, 1)}
    days |= {dt.date(y, m, 1) for m in range(1, 13)} | {dt.date(y, 12, 31), dt.date(y + 1, 1, 1)}
    seen = Counter()
    for day in sorted(days):
        today = clock.set(day)
        with read_session() as s:
            new = et.overdue_counts(s, today)
            mine = et.overdue_counts(s, today, [org.pegawai["kasub"]])
            none = et.overdue_counts(s, today, [])
        assert new == _old(today), day
        assert mine == _old(today, [org.pegawai["kasub"]]), day
        assert none == (Counter(), {})
        seen.update(new[0])
    assert set(seen) == set(et.LANGKAH)  # every step was overdue on some day
