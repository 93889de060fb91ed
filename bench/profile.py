"""Slowest SQL statements of one page render: `python -m bench.profile PAGE ROLE` against EKINERJA_DATABASE_URL
(e.g. the database `ekinerja bench-data` filled). Prints total time, statement count and the top statements."""

from __future__ import annotations

import logging
import os
import sys
import time
from collections import defaultdict

from bench.run import ROOT, users


def main(page: str, role: str, top: int = 8) -> None:
    os.environ.setdefault("EKINERJA_COOKIE_KEY", "bench-" + "k" * 40)
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    from sqlalchemy import event
    from streamlit.testing.v1 import AppTest

    from db import engine

    eng = engine.get_engine()
    at = AppTest.from_file(str(ROOT / "pages" / page), default_timeout=300)
    at.session_state["authentication_status"] = True
    at.session_state["username"] = users()[role]
    at.run()
    stats: dict[str, list[float]] = defaultdict(list)
    starts: list[float] = []

    def before(conn, cursor, statement, params, context, executemany):
        starts.append(time.perf_counter())

    def after(conn, cursor, statement, params, context, executemany):
        stats[" ".join(statement.split())[:400]].append((time.perf_counter() - starts.pop()) * 1000)

    event.listen(eng, "before_cursor_execute", before)
    event.listen(eng, "after_cursor_execute", after)
    t0 = time.perf_counter()
    at.run()
    total = (time.perf_counter() - t0) * 1000
    assert not at.exception, at.exception
    n = sum(len(v) for v in stats.values())
    sql_ms = sum(sum(v) for v in stats.values())
    print(f"{page} as {role}: {total:.0f} ms, {n} statements, {sql_ms:.0f} ms in SQL")
    for stmt, times in sorted(stats.items(), key=lambda kv: -sum(kv[1]))[:top]:
        print(f"  {sum(times):8.1f} ms  x{len(times):<4} {stmt}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 8)
