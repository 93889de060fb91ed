"""Mode Rapat on the demo office (already loaded by bench.run): starting the meeting (figures frozen), opening
Mode Rapat in a fresh session, and moving to the next section. One JSON object per line."""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _stats(name: str, times: list[float], **extra) -> None:
    times.sort()
    print(json.dumps({"bench": name, **extra, "scale": "office", "db": "sqlite",
                      "p50_ms": round(statistics.median(times), 1),
                      "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 1), "n": len(times)}))


def main(username: str, n: int = 10) -> None:
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
        snapshot.compute(SYSTEM, today.year, today.month, view["id"])
        times.append((time.perf_counter() - t0) * 1000)
    _stats("monev.snapshot_compute", times)
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
    _stats("page.monev_mode_rapat.buka", opens, **{"as": "kepala"})
    _stats("page.monev_mode_rapat.berikutnya", nexts, **{"as": "kepala"})
