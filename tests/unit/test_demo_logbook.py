"""Demo logbook: every status, two full months for each pegawai with an approved SKP, valid and non-overlapping
entries, points, the Kasubbag's review queue, pertimbangan and a correction request."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

import pytest
from sqlalchemy import delete, exists, or_, select

from db.engine import get_engine, read_session
from db.models import (
    LogbookCorrection,
    LogbookEntry,
    LogbookMonthNote,
    Pegawai,
    Skp,
    SkpVersion,
    StatusKoreksi,
    StatusLogbook,
    StatusSkp,
)
from services import demo, logbook
from services.auth import login as auth
from services.core import clock
from services.core.actor import SYSTEM
from services.demo import logbook as demo_logbook
from services.demo import skp as demo_skp
from services.logbook import common as c
from services.org import kalender


def _minutes(t: dt.time) -> int:
    return t.hour * 60 + t.minute


def test_months_and_day_plans_without_database():
    assert demo_logbook._months(dt.date(2027, 1, 10)) == [(2027, 1)]  # the demo year only
    assert demo_logbook._months(dt.date(2027, 2, 10)) == [(2027, 1), (2027, 2)]
    assert demo_logbook._months(dt.date(2026, 11, 22)) == [(2026, 9), (2026, 10), (2026, 11)]
    opts = [c.RhkOption(i, f"U{i}. RHK {i}", 1) for i in range(1, 4)]
    for group, acts in demo_logbook.ACTS.items():
        p = demo_logbook._Person(group, None, None, None, opts, acts, [])
        rng = random.Random(group)
        for n in range(200):
            rows = demo_logbook._day_rows(p, rng, dt.date(2026, 3, 2), 1)
            assert 2 <= len(rows) <= 4, (group, n)
            spans = [(int(r["jam_mulai"][:2]) * 60 + int(r["jam_mulai"][3:]),
                      int(r["jam_selesai"][:2]) * 60 + int(r["jam_selesai"][3:])) for r in rows]
            assert all(a < b for a, b in spans) and spans[0][0] == 7 * 60 + 30 and spans[-1][1] <= 17 * 60
            assert all(spans[i][1] <= spans[i + 1][0] for i in range(len(spans) - 1))
            assert all(not (a < 13 * 60 and b > 12 * 60) for a, b in spans)  # the lunch break stays free
            assert {r["rhk"] for r in rows} <= {o.label for o in opts} and all(r["volume"] > 0 for r in rows)


def _planned_rows_pass_the_grid_service(today: dt.date) -> None:
    """The planned rows of a sample of pegawai (incl. the weekend entry) are accepted by logbook.save_month as
    they are: the bulk insert stores rows the real validation accepts. Removed again before the real load."""
    planned = demo_logbook.plan(today)
    sample = {"kepala", "kasubbag", "epid_pertama", "sdm_1"}
    saved = 0
    for p, y, m, rows in planned:
        if p.key in sample:
            res = logbook.save_month(p.actor, y, m, rows, today=min(kalender.month_bounds(y, m)[1], today))
            assert res.ditambah == len(rows)
            saved += len(rows)
    assert saved > 200 and {p.key for p, *_ in planned} >= sample
    assert any(r["catatan_hari_libur"] for p, *_, rows in planned if p.key == "epid_pertama" for r in rows)
    with get_engine().begin() as conn:
        conn.execute(delete(LogbookEntry))


@pytest.fixture
def loaded(db):
    real = clock.today()
    # two earlier months of the same year are needed for the "two months" check; in Jan/Feb pin a March day
    today = real if real.month >= 3 else dt.date(real.year, 3, 16)
    result = demo.load_demo(SYSTEM, with_logbook=False)
    assert result.loaded and result.logbook == 0
    _planned_rows_pass_the_grid_service(today)
    lb = demo_logbook.load_demo_logbook(today=today)
    people = {r["key"]: r["nip"] for r in demo.roster()}
    return lb, today, people


def test_demo_logbook_statuses_coverage_queues_and_points(loaded):
    lb, today, people = loaded
    assert set(lb.status) == {s.value for s in StatusLogbook} and lb.entries == sum(lb.status.values())
    with read_session() as s:
        approved = set(s.scalars(select(Skp.pegawai_id).where(or_(
            Skp.status == StatusSkp.DISETUJUI, exists().where(SkpVersion.skp_id == Skp.id)))))
        nip_of = dict(s.execute(select(Pegawai.id, Pegawai.nip)).all())
        entries = s.execute(select(LogbookEntry.pegawai_id, LogbookEntry.tanggal, LogbookEntry.jam_mulai,
                                   LogbookEntry.jam_selesai, LogbookEntry.durasi_menit, LogbookEntry.status,
                                   LogbookEntry.catatan_hari_libur, LogbookEntry.catatan_penilai,
                                   LogbookEntry.rhk_id, LogbookEntry.volume)).all()
        first = dt.date(*demo_logbook._months(today)[0], 1)
        workdays = kalender.working_days_between(first, today - dt.timedelta(days=1), s)
    assert lb.pegawai == len(approved) == 19
    by_person: dict[int, set[dt.date]] = defaultdict(set)
    by_day: dict[tuple[int, dt.date], list] = defaultdict(list)
    for e in entries:
        by_person[e.pegawai_id].add(e.tanggal)
        by_day[(e.pegawai_id, e.tanggal)].append(e)
        assert e.rhk_id is not None and e.volume > 0 and first <= e.tanggal < today
        assert e.durasi_menit == _minutes(e.jam_selesai) - _minutes(e.jam_mulai) > 0
        if e.status in (StatusLogbook.DIKEMBALIKAN, StatusLogbook.DITOLAK):
            assert e.catatan_penilai
    # SOP 003: only pegawai with an approved SKP; the e2e account stays empty; every working day is filled
    assert set(by_person) == approved
    assert people[demo_skp.E2E_PEGAWAI_KEY] not in {nip_of[p] for p in by_person}
    for pid in approved:
        assert set(workdays) <= by_person[pid], nip_of[pid]
        assert len({(d.year, d.month) for d in by_person[pid]}) >= 2
    # no overlapping times, daily cap respected, non-working days only with a note
    work = set(workdays)
    for (_pid, d), items in by_day.items():
        items.sort(key=lambda e: e.jam_mulai)
        assert all(_minutes(a.jam_selesai) <= _minutes(b.jam_mulai) for a, b in zip(items, items[1:], strict=False))
        assert len(items) >= 2 or d not in work
        assert sum(e.durasi_menit for e in items) <= 720
        assert d in work or all(e.catatan_hari_libur for e in items)
    # the most recent working days are Draft, older months mostly approved
    latest = [e.status for e in entries if e.tanggal == workdays[-1]]
    assert latest and set(latest) == {StatusLogbook.DRAFT}
    older = [e.status for e in entries if (e.tanggal.year, e.tanggal.month) == (first.year, first.month)]
    assert older.count(StatusLogbook.DISETUJUI) > 0.9 * len(older)
    _queues_points_notes_and_correction(today, people)  # same loaded data: one demo load per database


def _queues_points_notes_and_correction(today: dt.date, people: dict[str, str]) -> None:
    kasub = auth.load_actor(people["kasubbag"])
    queue = logbook.review_queue(kasub, today=today)
    assert len(queue) > 0 and set(queue["status"]) == {"Belum Diperiksa"} and queue["bisa_menilai"].all()
    assert queue["catatan_pertimbangan"].notna().any()  # the Ketua Tim commented some entries
    (y, m) = demo_logbook._months(today)[0]
    staff = auth.load_actor(people["epid_pertama"])
    points = logbook.monthly_points(staff, y, m)
    assert points.disetujui_menit > 0 and points.persen > 0
    assert logbook.monthly_points(kasub, y, m, staff.pegawai_id).disetujui_menit == points.disetujui_menit
    corrections = logbook.correction_queue(kasub)
    assert len(corrections) == 1 and corrections["alasan"][0] == demo_logbook.CORRECTION_REASON
    with read_session() as s:
        assert s.scalar(select(LogbookCorrection.status)) == StatusKoreksi.DIAJUKAN
        notes = s.scalars(select(LogbookMonthNote.catatan)).all()
    assert len(notes) == 5 and set(notes) == {demo_logbook.MONTH_NOTE}  # one per Ketua Tim
    # the Kepala's entries are decided by Admin SDM, the Kasubbag's by the Kepala
    kepala = auth.load_actor(people["kepala"])
    assert logbook.monthly_points(kepala, y, m).disetujui_menit > 0
    assert logbook.monthly_points(kasub, y, m).disetujui_menit > 0
