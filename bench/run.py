"""`make bench`: page render times at two scales, one JSON object per line.

Scales: `office` (the demo balai, `ekinerja demo-data`) and `large` (the demo balai plus a generated ministry,
`ekinerja bench-data`, EKINERJA_BENCH_PEGAWAI pegawai, default 5000, and EKINERJA_BENCH_BULAN months, default
12). Database: PostgreSQL when EKINERJA_BENCH_DATABASE_URL is set (the large scale goes there, the office scale
into the same server's database `<name>_office`, created when missing; both schemas are dropped and rebuilt
unless EKINERJA_BENCH_REUSE=1 finds the data already there), else SQLite files in a temporary folder.

Each page runs in AppTest as a user who may see it; the first run is a warm-up, then `n` timed runs
(EKINERJA_BENCH_N, default 5). A line per page: office and large medians, the ratio, and the SQL statements
one render issues at each scale. Then Mode Rapat of the monthly monev meeting (bench/monev.py: snapshot, opening,
Berikutnya) on the demo office and on a generated office of 60 pegawai × 12 months (EKINERJA_BENCH_MONEV=0 leaves
it out). Then bulk approval of 1,000 entries and the monitoring aggregates at the large scale, the kertas kerja
assembly and the organisation charts (data and Altair render) for the demo year.
EKINERJA_BENCH_PAGES=beranda,audit_log limits the pages, EKINERJA_BENCH_SKIP=skp_kaskade leaves some out
(substring match); EKINERJA_BENCH_EXTRA=0 leaves out the other measurements, EKINERJA_BENCH_EXTRA=kertas,charts
runs only those whose function name contains one of the words.

To add a page: append a `PageBench(file, role)` to PAGES (role: a key of `users()`); to add another
measurement: append a function to EXTRA (it gets the large-scale URL and returns dicts to print).
"""

from __future__ import annotations

import contextlib
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(os.environ.get("EKINERJA_BENCH_ROOT") or Path(__file__).resolve().parent.parent)  # code under test
KEPALA_NIP = "197104121999031001"  # the demo Kepala Balai (atasan pejabat penilai)


@dataclass(frozen=True)
class PageBench:
    file: str
    role: str  # a key of users(): admin, kepala, kasubbag, ketua, pegawai, penilai


PAGES: list[PageBench] = [
    PageBench("beranda.py", "pegawai"), PageBench("beranda.py", "kasubbag"), PageBench("beranda.py", "ketua"),
    PageBench("beranda.py", "kepala"), PageBench("beranda.py", "admin"),
    PageBench("logbook_penilaian.py", "kasubbag"), PageBench("logbook_penilaian.py", "ketua"),
    PageBench("logbook_penilaian.py", "admin"),
    PageBench("evaluasi_tahunan.py", "kepala"), PageBench("evaluasi_tahunan.py", "kasubbag"),
    PageBench("logbook_monitoring.py", "kepala"), PageBench("skp_monitoring.py", "kepala"),
    PageBench("audit_log.py", "admin"), PageBench("evaluasi_monitoring.py", "kepala"),
    PageBench("sdm_pegawai.py", "admin"), PageBench("sdm_akun.py", "admin"), PageBench("angka_kredit.py", "admin"),
    PageBench("sdm_hubungan.py", "admin"), PageBench("rekap_organisasi.py", "admin"),
    PageBench("skp_saya.py", "pegawai"), PageBench("logbook_saya.py", "pegawai"),
    PageBench("skp_verifikasi.py", "kasubbag"), PageBench("skp_kaskade.py", "admin"),
    PageBench("evaluasi_saya.py", "pegawai"), PageBench("evaluasi_penilaian.py", "kasubbag"),
    PageBench("evaluasi_persetujuan.py", "kepala"),
    PageBench("monev_rapat.py", "kepala"), PageBench("monev_mode_rapat.py", "kepala"),
    PageBench("kinerja_organisasi.py", "kepala"), PageBench("kinerja_kertas_kerja.py", "kepala"),
]


def _n() -> int:
    return int(os.environ.get("EKINERJA_BENCH_N", "5"))


def _selected(pages: list[PageBench]) -> list[PageBench]:
    want = [w for w in os.environ.get("EKINERJA_BENCH_PAGES", "").split(",") if w]
    skip = [w for w in os.environ.get("EKINERJA_BENCH_SKIP", "").split(",") if w]
    return [p for p in pages if (not want or any(w in p.file for w in want)) and not any(w in p.file for w in skip)]


def _reset(url: str) -> None:
    """An empty schema at `url` (PostgreSQL: the database is created when missing; SQLite: a new file)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from db import engine

    u = make_url(engine.normalise_url(url))
    if u.get_backend_name() == "postgresql":
        admin = create_engine(u.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            if conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": u.database}) is None:
                conn.execute(text(f'CREATE DATABASE "{u.database}"'))
        admin.dispose()
        eng = create_engine(u)
        with eng.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        eng.dispose()
    elif u.database and Path(u.database).exists():
        Path(u.database).unlink()


def _has_data(url: str, large: bool) -> bool:
    from sqlalchemy import create_engine, text

    from db import engine

    try:
        eng = create_engine(engine.normalise_url(url))
        with eng.connect() as conn:
            n = conn.scalar(text("SELECT count(*) FROM unit_kerja WHERE kode LIKE 'GEN-%'" if large
                                 else "SELECT count(*) FROM pegawai"))
        eng.dispose()
        return bool(n)
    except Exception:  # noqa: BLE001 - no schema yet
        return False


def prepare(url: str, large: bool, pegawai: int | None = None, bulan: int | None = None,
            units: int | None = None) -> None:
    """Point the app at `url` and load the scale's data (unless EKINERJA_BENCH_REUSE=1 finds it there): the demo
    office, or (`large`) the demo office plus a generated organisation of `pegawai` pegawai × `bulan` months in
    `units` units (defaults: EKINERJA_BENCH_PEGAWAI, EKINERJA_BENCH_BULAN, 50)."""
    from db import engine
    from db.config import reset_env_cache
    from db.migrate import upgrade
    from services import demo
    from services.core import settings

    os.environ["EKINERJA_DATABASE_URL"] = url
    reset_env_cache()
    reuse = os.environ.get("EKINERJA_BENCH_REUSE") == "1" and _has_data(url, large)
    if not reuse:
        with contextlib.suppress(Exception):  # no engine yet
            engine.get_engine().dispose()
        _reset(url)
    engine.configure(url)
    upgrade()
    settings.seed_defaults()
    if reuse:
        return
    t0 = time.perf_counter()
    if large:
        from services.demo import bench

        bench.load_bench(pegawai=pegawai or int(os.environ.get("EKINERJA_BENCH_PEGAWAI", "5000")),
                         bulan=bulan or int(os.environ.get("EKINERJA_BENCH_BULAN", "12")), units=units or 50)
    else:
        demo.load_demo()
    print(json.dumps({"bench": "data", "scale": "large" if large else "office",
                      "seconds": round(time.perf_counter() - t0, 1)}), file=sys.stderr)


def users() -> dict[str, str]:
    from services import demo
    from services.auth.login import load_actor

    accounts = demo.demo_accounts()
    roster = {r["key"]: r["nip"] for r in demo.roster()}
    ketua = next(o.key for o in demo.office.ORANG if o.ketua)
    return {"admin": demo.ADMIN_USERNAME, "kepala": KEPALA_NIP, "kasubbag": roster["kasubbag"],
            "penilai": roster["kasubbag"], "ketua": roster[ketua],
            "pegawai": next(a["username"] for a in accounts if a["roles"] == ["pegawai"]
                            and load_actor(a["username"]).pegawai_id is not None
                            and a["username"] not in (roster["kasubbag"], roster[ketua]))}


class StatementCounter:
    """Counts SQL statements on the app's engine (an engine event)."""

    def __init__(self) -> None:
        self.n = 0

    def __enter__(self) -> StatementCounter:
        from sqlalchemy import event

        from db import engine

        self.eng = engine.get_engine()
        event.listen(self.eng, "before_cursor_execute", self._hit)
        return self

    def _hit(self, *_a) -> None:
        self.n += 1

    def __exit__(self, *_a) -> None:
        from sqlalchemy import event

        event.remove(self.eng, "before_cursor_execute", self._hit)


def time_pages(pages: list[PageBench], n: int) -> dict[tuple[str, str], dict]:
    from streamlit.testing.v1 import AppTest

    from ui.runtime import freeze_startup_heap

    who = users()
    freeze_startup_heap()  # as the server does once per process (app.py)
    out = {}
    for p in pages:
        at = AppTest.from_file(str(ROOT / "pages" / p.file), default_timeout=300)
        at.session_state["authentication_status"] = True
        at.session_state["username"] = who[p.role]
        at.run()  # warm-up
        with StatementCounter() as sc:
            at.run()
        times = []
        for _ in range(n):
            t0 = time.perf_counter()
            at.run()
            times.append((time.perf_counter() - t0) * 1000)
        if at.exception:
            raise RuntimeError(f"{p.file} as {p.role}: {at.exception}")
        out[(p.file, p.role)] = {"p50_ms": round(statistics.median(times), 1), "sql": sc.n}
        print(json.dumps({"bench": "page." + p.file.removesuffix(".py"), "as": p.role, "partial": True,
                          **out[(p.file, p.role)]}), file=sys.stderr)
    return out


def bench_monitoring(url: str) -> list[dict]:
    """The organisation-wide aggregates at the large scale, cold (first call after a fresh engine) and warm:
    logbook team completeness and SKP monitoring for the Kepala."""
    from services import logbook, org, skp
    from services.auth.login import load_actor

    kepala = load_actor(KEPALA_NIP)
    assert kepala is not None
    period = org.periods.current_period(kepala)
    assert period is not None, "no period for today"
    pid = period.id
    return [_timed("logbook.team_completeness", lambda: logbook.team_completeness(kepala)),
            _timed("skp.monitoring_counts", lambda: skp.monitoring_counts(kepala, pid)),
            _timed("skp.monitoring_rows", lambda: skp.monitoring_rows(kepala, pid)),
            _timed("skp.monitoring (semua baris, unduhan)", lambda: skp.monitoring(kepala, pid))]


def bench_bulk_approve_large(url: str) -> list[dict]:
    """Bulk approval of 1,000 submitted entries of the generated organisation by their pejabat penilai."""
    from sqlalchemy import func, select, update

    from db.engine import get_engine
    from db.models import LogbookEntry as E
    from db.models import ReportingLine, StatusLogbook
    from services import logbook
    from services.auth.login import load_actor
    from services.core.actor import Actor

    with get_engine().begin() as conn:
        pen = conn.execute(select(ReportingLine.pejabat_penilai_id, func.count()).where(
            ReportingLine.catatan == "Data benchmark").group_by(ReportingLine.pejabat_penilai_id)
            .order_by(func.count().desc()).limit(1)).first()
        assert pen is not None
        penilai_id = pen[0]
        ids = list(conn.scalars(select(E.id).join(ReportingLine, ReportingLine.pegawai_id == E.pegawai_id).where(
            ReportingLine.pejabat_penilai_id == penilai_id, E.status == StatusLogbook.DISETUJUI)
            .order_by(E.id).limit(1000)))
        conn.execute(update(E).where(E.id.in_(ids)).values(status=StatusLogbook.DIAJUKAN))
        from db.models import Pegawai, User

        username = conn.scalar(select(User.username).join(Pegawai, Pegawai.id == User.pegawai_id)
                               .where(Pegawai.id == penilai_id))
    actor: Actor | None = load_actor(username)
    assert actor is not None
    t0 = time.perf_counter()
    changed = logbook.review(actor, ids, "setujui", note="Sesuai")
    ms = (time.perf_counter() - t0) * 1000
    assert changed == len(ids), changed
    return [{"bench": "logbook.bulk_approve", "scale": "large", "entries": changed, "ms": round(ms, 1)}]


def _timed(name: str, fn: Callable[[], object], **extra: object) -> dict:
    """Cold (first call after a fresh engine) and warm (median of 3) milliseconds of one call."""
    from db import engine

    engine.get_engine().dispose()
    t0 = time.perf_counter()
    fn()
    cold = (time.perf_counter() - t0) * 1000
    warm = []
    for _ in range(3):
        t0 = time.perf_counter()
        fn()
        warm.append((time.perf_counter() - t0) * 1000)
    return {"bench": name, "scale": "large", **extra, "cold_ms": round(cold, 1),
            "warm_p50_ms": round(statistics.median(warm), 1)}


def _kinerja_year() -> tuple[int, int]:
    """The demo PK year and its latest realised month (the demo realises every month before today's)."""
    from services.core import clock

    today = clock.today()
    return (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)


def bench_kertas_kerja(url: str) -> list[dict]:
    """Kertas Kerja Perhitungan Kinerja assembly (`kertas.preview`: the compile of `susun` without saving) for the
    demo year's data: the whole year (every indicator, every realised month, budget) and the latest month."""
    from services.auth.login import load_actor
    from services.kinerja import kertas

    kepala = load_actor(KEPALA_NIP)
    tahun, bulan = _kinerja_year()
    rows = len(kertas.preview(kepala, tahun, "tahun", 0)[0])
    return [_timed("kinerja.kertas_kerja.tahun", lambda: kertas.preview(kepala, tahun, "tahun", 0), indikator=rows),
            _timed("kinerja.kertas_kerja.bulan", lambda: kertas.preview(kepala, tahun, "bulan", bulan), indikator=rows)]


def bench_kinerja_charts(url: str) -> list[dict]:
    """The organisation charts of the Kinerja Organisasi page for the demo year to its latest realised month: the
    chart data (`grafik.rekap`, `seri_indikator`, `capaian`, `kurva_s`) and the render of every chart (one
    realisation-vs-target chart per indicator, the capaian chart, the budget S-curve) to the Vega-Lite spec the
    browser draws, as the page builds them (`bagan.*_spec`: filled from templates built and checked against the schema once per
    process, which the first call below does before the timed runs)."""
    from services.auth.login import load_actor
    from services.kinerja import bagan, grafik

    kepala = load_actor(KEPALA_NIP)
    tahun, bulan = _kinerja_year()

    def data() -> tuple:
        return (grafik.rekap(kepala, tahun, bulan), grafik.seri_indikator(kepala, tahun, bulan),
                grafik.capaian(kepala, tahun, bulan), grafik.kurva_s(kepala, tahun, bulan), grafik.pita(kepala))

    _rekap, seri, cap, kurva, pita = data()

    def render() -> int:  # what ui/kinerja_charts.py sends to st.vega_lite_chart on the page
        specs = [bagan.realisasi_vs_target_spec(one, judul=f"{one['Kode'].iloc[0]} {one['Indikator'].iloc[0]}",
                                                tinggi=240) for _i, one in seri.groupby("indikator_id", sort=False)]
        specs += [bagan.capaian_spec(cap, pita, judul="Capaian kumulatif"), bagan.kurva_s_spec(kurva, judul="Kurva S")]
        return len(specs)

    charts = render()
    return [_timed("kinerja.grafik.data", data, bulan=bulan, indikator=int(seri["indikator_id"].nunique())),
            _timed("kinerja.grafik.render", render, charts=charts)]


EXTRA: list[Callable[[str], list[dict]]] = [bench_monitoring, bench_bulk_approve_large, bench_kertas_kerja,
                                            bench_kinerja_charts]


def _extra_selected() -> list[Callable[[str], list[dict]]]:
    """EKINERJA_BENCH_EXTRA: 1 (default) every EXTRA function, 0 none, else names by substring (kertas,grafik)."""
    want = os.environ.get("EKINERJA_BENCH_EXTRA", "1")
    if want == "1":
        return EXTRA
    names = [w for w in want.split(",") if w and w != "0"]
    return [fn for fn in EXTRA if any(w in fn.__name__ for w in names)]


def database_urls() -> tuple[str, str, str]:
    """(large-scale URL, office-scale URL, "postgresql" or "sqlite"): EKINERJA_BENCH_DATABASE_URL and its
    `<name>_office` sibling, else two SQLite files in a new temporary folder."""
    from sqlalchemy.engine import make_url

    large_url = os.environ.get("EKINERJA_BENCH_DATABASE_URL")
    if large_url:
        u = make_url(large_url)
        return large_url, u.set(database=f"{u.database}_office").render_as_string(hide_password=False), "postgresql"
    tmp = Path(tempfile.mkdtemp(prefix="ek-bench-"))
    return f"sqlite:///{tmp / 'large.db'}", f"sqlite:///{tmp / 'office.db'}", "sqlite"


def main() -> None:
    import logging

    logging.getLogger("streamlit").setLevel(logging.ERROR)
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("EKINERJA_COOKIE_KEY", "bench-" + "k" * 40)
    n = _n()
    large_url, office_url, db = database_urls()
    pages = _selected(PAGES)
    prepare(office_url, large=False)
    office = time_pages(pages, n)
    if os.environ.get("EKINERJA_BENCH_MONEV", "1") == "1":
        from bench import monev as monev_bench

        monev_bench.main(users()["kepala"], n, scale="office", db=db)
        monev_bench.generated_office(large_url, n, db)
    prepare(large_url, large=True)
    large = time_pages(pages, n)
    for p in pages:
        o, g = office[(p.file, p.role)], large[(p.file, p.role)]
        print(json.dumps({"bench": "page." + p.file.removesuffix(".py"), "as": p.role, "db": db,
                          "office_ms": o["p50_ms"], "large_ms": g["p50_ms"],
                          "ratio": round(g["p50_ms"] / o["p50_ms"], 2) if o["p50_ms"] else None,
                          "office_sql": o["sql"], "large_sql": g["sql"], "n": n}), flush=True)
    for fn in _extra_selected():
        for row in fn(large_url):
            print(json.dumps({**row, "db": db}), flush=True)


if __name__ == "__main__":
    main()
