"""Bulk approval of 1,000 logbook entries (one set-based transaction), on SQLite and, when
EKINERJA_TEST_DATABASE_URL is set, PostgreSQL (its schema `public` is dropped and rebuilt, as the tests do).
Prints one JSON object per database."""

from __future__ import annotations

import datetime as dt
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from services.core import clock

ROOT = Path(__file__).resolve().parent.parent
ENTRIES = 1000


def _prepare(url: str) -> None:
    from sqlalchemy import text

    from db import engine
    from db.migrate import upgrade
    from services.core import settings

    if url.startswith("postgresql"):
        eng = engine.make_engine(url)
        with eng.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        eng.dispose()
    engine.configure(url)
    upgrade()
    settings.seed_defaults()


def bench_bulk_approve(url: str, db: str, rounds: int = 3) -> dict:
    from services import logbook
    from tests import logbook_factories as lf
    from tests.factories import build_org

    _prepare(url)
    year = clock.today().year
    org = build_org(year)
    sk = lf.approved_skps(org, on=dt.date(year, 1, 15))
    opt = sk.staf_rhk[0]
    times = []
    for r in range(rounds):
        ids = lf.bulk_submitted(org.pegawai["staf"], opt.id, opt.label, ENTRIES, year=year, month=1 + r)
        t0 = time.perf_counter()
        changed = logbook.review(org.actors.kasub, ids, "setujui", note="Sesuai")
        times.append((time.perf_counter() - t0) * 1000)
        assert changed == ENTRIES, changed
    return {"bench": "logbook.bulk_approve", "db": db, "entries": ENTRIES, "p50_ms": round(statistics.median(times), 1),
            "max_ms": round(max(times), 1), "n": rounds}


def main() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("EKINERJA_COOKIE_KEY", "bench-" + "k" * 40)
    from db import engine

    tmp = Path(tempfile.mkdtemp(prefix="ek-bench-logbook-"))
    print(json.dumps(bench_bulk_approve(f"sqlite:///{tmp / 'logbook.db'}", "sqlite")))
    engine.get_engine().dispose()
    pg = os.environ.get("EKINERJA_TEST_DATABASE_URL")
    if pg:
        print(json.dumps(bench_bulk_approve(pg, "postgresql")))
        engine.get_engine().dispose()


if __name__ == "__main__":
    main()
