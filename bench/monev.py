"""Mode Rapat (SOP 002, issue 12): computing the meeting's figures (snapshot), opening Mode Rapat in a fresh
session, and moving to the next section. One JSON object per line.

Two scales: `office` (the demo office, loaded by bench.run) and `kantor_60x12` (the demo office plus a generated
office of 60 pegawai × 12 months: `ekinerja bench-data --pegawai 60 --bulan 12 --unit 6`, which also generates
Tim Kerja, PK indicators with monthly targets and realisation, rincian output with RPD and budget realisation, so
Mode Rapat shows more Tim Kerja sections and the individual figures cover the generated pegawai).

`make bench` runs both; `python -m bench.monev` runs only these (SQLite files in a temporary folder, or
PostgreSQL at EKINERJA_BENCH_DATABASE_URL: databases `<name>_office` and `<name>_kantor`).
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KANTOR = {"pegawai": 60, "bulan": 12, "units": 6}


def _stats(name: str, times: list[float], scale: str, db: str, **extra) -> None:
    times.sort()
    print(json.dumps({"bench": name, **extra, "scale": scale, "db": db,
                      "p50_ms": round(statistics.median(times), 1),
                      "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 1), "n": len(times)}), flush=True)


def main(username: str, n: int = 10, scale: str = "office", db: str = "sqlite") -> None:
    """Time the snapshot, opening Mode Rapat and Berikutnya on the database the app points at."""
    from streamlit.testing.v1 import AppTest

    from services.core import SYSTEM, clock
    from services.demo import monev as demo_monev
    from services.monev import rapat, snapshot

    today = clock.today()
    view = rapat.get(SYSTEM, today.year, today.month)
    if view is None:
        return
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        snap = snapshot.compute(SYSTEM, today.year, today.month, view["id"])
        times.append((time.perf_counter() - t0) * 1000)
    _stats("monev.snapshot_compute", times, scale, db, bagian=len(snapshot.sections(snap)),
           pegawai=snap["individu"].get("logbook", {}).get("pegawai"))
    if view["status_rapat"] == "DIJADWALKAN":
        rapat.mulai(demo_monev._actor(demo_monev.NOTULIS_KEY), view["id"])

    def fresh() -> AppTest:
        at = AppTest.from_file(str(ROOT / "pages" / "monev_mode_rapat.py"), default_timeout=60)
        at.session_state["authentication_status"] = True
        at.session_state["username"] = username
        return at

    fresh().run()  # warm-up (imports)
    opens, nexts = [], []
    for _ in range(n):
        at = fresh()
        t0 = time.perf_counter()
        at.run()
        opens.append((time.perf_counter() - t0) * 1000)
        assert not at.exception, at.exception
        t0 = time.perf_counter()
        at.button(key="mr_next").click().run()
        nexts.append((time.perf_counter() - t0) * 1000)
        assert not at.exception, at.exception
    _stats("page.monev_mode_rapat.buka", opens, scale, db, **{"as": "kepala"})
    _stats("page.monev_mode_rapat.berikutnya", nexts, scale, db, **{"as": "kepala"})


def generated_office(url: str, n: int, db: str) -> None:
    """The `kantor_60x12` scale into a database beside `url` (same folder / server, name `*_kantor`)."""
    from sqlalchemy.engine import make_url

    from bench import run

    u = make_url(url)
    if u.get_backend_name() == "postgresql":
        kantor_url = u.set(database=f"{u.database}_kantor").render_as_string(hide_password=False)
    else:
        kantor_url = f"sqlite:///{Path(str(u.database)).with_name('kantor.db')}"
    run.prepare(kantor_url, large=True, **KANTOR)
    main(run.users()["kepala"], n, scale="kantor_60x12", db=db)


def _standalone() -> None:
    import logging

    logging.getLogger("streamlit").setLevel(logging.ERROR)
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("EKINERJA_COOKIE_KEY", "bench-" + "k" * 40)
    from bench import run

    n = run._n()
    base, office_url, db = run.database_urls()
    run.prepare(office_url, large=False)
    main(run.users()["kepala"], n, scale="office", db=db)
    generated_office(base, n, db)


if __name__ == "__main__":
    _standalone()
