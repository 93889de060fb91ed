"""Scale: the benchmark data generator at a tiny size, and SQL statement counts that do not grow with the size of
the organisation (the demo office alone vs the demo office plus a generated organisation)."""

from __future__ import annotations

from collections import defaultdict

import pytest
from sqlalchemy import event, func, select, text

from db.engine import get_engine, read_session
from db.models import (
    LogbookEntry,
    Pegawai,
    ReportingLine,
    Rhk,
    Skp,
    StatusLogbook,
    StatusSkp,
    UnitKerja,
    User,
)
from services import beranda, demo, logbook
from services.auth import accounts
from services.auth.login import load_actor
from services.core import audit, clock
from services.core.actor import SYSTEM
from services.core.errors import Conflict
from services.demo import bench
from services.org import kalender, people

KEPALA_NIP = bench.KEPALA_NIP


class Statements:
    def __init__(self) -> None:
        self.n = 0

    def __enter__(self) -> Statements:
        event.listen(get_engine(), "before_cursor_execute", self._hit)
        return self

    def _hit(self, *_a) -> None:
        self.n += 1

    def __exit__(self, *_a) -> None:
        event.remove(get_engine(), "before_cursor_execute", self._hit)


def test_bench_data_tiny_organisation_is_consistent(db):
    today = clock.today()
    res = bench.load_bench(SYSTEM, pegawai=30, bulan=2, units=6, today=today)
    assert (res.pegawai, res.units) == (30, 6)
    assert res.skp >= 30 and res.evaluasi >= 30 and res.audit >= 0
    assert "analyze" in res.seconds  # statistics after the bulk load, so the planner uses the covering indexes
    with get_engine().connect() as conn:
        if conn.dialect.name == "postgresql":
            assert conn.execute(text("select last_vacuum is not null and last_analyze is not null "
                                     "from pg_stat_user_tables where relname = 'logbook_entry'")).scalar()
        else:
            assert conn.execute(text("select count(*) from sqlite_stat1")).scalar()
    workdays = [d for y, m in bench._months(today, 2) for d in kalender.working_days(y, m) if d < today]
    assert (res.logbook > 0) == bool(workdays)
    with read_session() as s:
        gen = set(s.scalars(select(Pegawai.id).join(UnitKerja, UnitKerja.id == Pegawai.unit_id)
                            .where(UnitKerja.kode.like("GEN-%"))))
        assert len(gen) == 30
        assert s.scalar(select(func.count()).select_from(User).where(User.pegawai_id.in_(gen))) == 30
        lines = {r.pegawai_id: r for r in s.scalars(select(ReportingLine).where(ReportingLine.pegawai_id.in_(gen)))}
        assert set(lines) == gen and all(r.pejabat_penilai_id is not None for r in lines.values())
        # every entry: an RHK of the pegawai's approved SKP of that year, a working day, no overlap that day
        valid = defaultdict(set)
        for rid, pid in s.execute(select(Rhk.id, Skp.pegawai_id).join(Skp, Skp.id == Rhk.skp_id)
                                  .where(Skp.pegawai_id.in_(gen), Skp.status == StatusSkp.DISETUJUI)):
            valid[pid].add(rid)
        days = defaultdict(list)
        statuses = set()
        for e in s.scalars(select(LogbookEntry).where(LogbookEntry.pegawai_id.in_(gen))):
            assert e.rhk_id in valid[e.pegawai_id]
            assert kalender.is_working_day(e.tanggal) and e.tanggal < today
            days[(e.pegawai_id, e.tanggal)].append((e.jam_mulai, e.jam_selesai))
            statuses.add(e.status)
        for spans in days.values():
            spans.sort()
            assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:], strict=False))
        penilai = next(r.pejabat_penilai_id for r in lines.values() if r.pejabat_penilai_id in gen)
        subs = {pid for pid, r in lines.items() if r.pejabat_penilai_id == penilai}
        username = s.scalar(select(User.username).where(User.pegawai_id == penilai))
    if res.logbook:
        assert StatusLogbook.DRAFT in statuses
    # the generated penilai reviews exactly their subordinates' submitted entries
    queue = logbook.review_queue(load_actor(username), status=None)
    assert set(queue["pegawai_id"]) <= subs
    with read_session() as s:
        expected = s.scalar(select(func.count()).select_from(LogbookEntry).where(
            LogbookEntry.pegawai_id.in_(subs), LogbookEntry.status != StatusLogbook.DRAFT))
    assert len(queue) == expected
    # the organisational side the monev meeting shows: a Tim Kerja per generated unit with two indicators each,
    # realised (and submitted) for the months of the window before the current one
    assert res.tim == 6 and res.indikator == 12 * len({y for y, _m in bench._months(today, 2)})
    from services.kinerja import kertas
    from services.monev import snapshot

    realised = [(y, m) for y, m in bench._months(today, 2) if (y, m) < (today.year, today.month)]
    assert res.realisasi == 12 * len(realised)
    if realised:
        y, m = realised[-1]
        with read_session() as s:
            rows, _ring = kertas.compute(s, y, "bulan", m)
        gen_rows = [r for r in rows if str(r["Kode"]).startswith("IKK G")]
        assert len(gen_rows) == 12 and all(r["Realisasi"] is not None for r in gen_rows)
        ny, nm = (y + 1, 1) if m == 12 else (y, m + 1)
        snap = snapshot.compute(SYSTEM, ny, nm)
        gen_tim = [t for t in snap["tim"] if t["nama"].startswith("Tim Kerja ") and t["indikator"]
                   and str(t["indikator"][0]["Kode"]).startswith("IKK G")]
        assert len(gen_tim) == 6 and all(len(t["indikator"]) == 2 and t["seri"] for t in gen_tim)
    with pytest.raises(Conflict):
        bench.load_bench(SYSTEM, pegawai=5, bulan=1, units=2, with_demo=False)


def _counts(users: dict[str, str]) -> dict[str, int]:
    """Statements per read path of the pages that used to grow with the organisation."""
    out = {}
    for who, username in users.items():
        actor = load_actor(username)
        assert actor is not None
        with Statements() as st:
            beranda.my_tasks(actor)
        out[f"beranda.{who}"] = st.n
    kasub = load_actor(users["kasubbag"])
    for name, fn in {
        "review_queue": lambda: logbook.review_queue(kasub, status=None, limit=500),
        "review_count": lambda: logbook.review_queue_count(kasub, status=None),
        "review_filters": lambda: logbook.review_filters(kasub),
        "overdue_reviews": lambda: logbook.overdue_reviews(kasub),
        "pegawai_list": lambda: people.pegawai_df(load_actor("admin"), limit=50),
        "akun_list": lambda: accounts.search_accounts(load_actor("admin"), limit=50),
        "audit_page": lambda: audit.search(load_actor("admin"), audit.AuditFilter(limit=51)),
        "audit_facets": lambda: audit.facets(load_actor("admin")),
    }.items():
        with Statements() as st:
            fn()
        out[name] = st.n
    return out


def test_statement_counts_do_not_grow_with_the_organisation(db):
    demo.load_demo(SYSTEM)
    roster = {r["key"]: r["nip"] for r in demo.roster()}
    ketua = next(o.key for o in demo.office.ORANG if o.ketua)
    staff = next(o.key for o in demo.office.ORANG if not o.ketua and o.tim and o.key != demo.skp.E2E_PEGAWAI_KEY)
    users = {"pegawai": roster[staff], "kasubbag": roster["kasubbag"], "ketua": roster[ketua],
             "kepala": KEPALA_NIP, "admin": demo.ADMIN_USERNAME}
    small = _counts(users)
    bench.load_bench(SYSTEM, pegawai=60, bulan=2, units=8, with_demo=False)
    large = _counts(users)
    # Beranda lists a task only when there is work: when the generated organisation has overdue reviews the demo
    # office lacks on that date (early in the year, say), the task's deadline lookup adds a fixed handful of
    # statements — not one per pegawai (60 more pegawai would add dozens). Every list and count is exact.
    for key in small:
        if key.startswith("beranda."):
            assert small[key] <= large[key] <= small[key] + 5, (key, small[key], large[key])
        else:
            assert large[key] == small[key], (key, small[key], large[key])


def test_pager_lists_read_one_page(sqlite_db):
    demo.load_demo(SYSTEM)
    bench.load_bench(SYSTEM, pegawai=40, bulan=1, units=4, with_demo=False, today=clock.today())
    admin = load_actor(demo.ADMIN_USERNAME)
    total = people.pegawai_count(admin)
    first = people.pegawai_df(admin, limit=25)
    second = people.pegawai_df(admin, limit=25, offset=25)
    assert total > 50 and len(first) == 25 and len(second) == 25
    assert not set(first["id"]) & set(second["id"])
    assert people.pegawai_count(admin, text="Joko") == len(people.pegawai_df(admin, text="Joko"))
    assert accounts.count_accounts(admin) == len(accounts.search_accounts(admin))
    assert len(accounts.search_accounts(admin, limit=10, offset=5)) == 10
