"""`make bench`: page render times at office scale (the demo balai), one JSON object per line.

Each page runs in AppTest as a user who may see it; the first run is a warm-up, then `n` timed runs.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = [("beranda.py", "pegawai"), ("beranda.py", "admin"), ("sdm_pegawai.py", "admin"),
         ("sdm_hubungan.py", "admin"), ("rekap_organisasi.py", "admin"), ("audit_log.py", "admin"),
         ("skp_saya.py", "pegawai"), ("logbook_saya.py", "pegawai"), ("skp_verifikasi.py", "penilai"),
         ("logbook_penilaian.py", "penilai"), ("skp_kaskade.py", "admin"), ("logbook_monitoring.py", "admin"),
         ("evaluasi_saya.py", "pegawai"), ("evaluasi_penilaian.py", "penilai"), ("evaluasi_persetujuan.py", "kepala"),
         ("evaluasi_tahunan.py", "admin"), ("evaluasi_monitoring.py", "admin"), ("angka_kredit.py", "admin"),
         ("monev_rapat.py", "kepala"), ("monev_mode_rapat.py", "kepala")]
KEPALA_NIP = "197104121999031001"  # the demo Kepala Balai (atasan pejabat penilai)


def main(n: int = 10) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="ek-bench-"))
    os.environ["EKINERJA_DATABASE_URL"] = f"sqlite:///{tmp / 'bench.db'}"
    os.environ.setdefault("EKINERJA_COOKIE_KEY", "bench-" + "k" * 40)
    sys.path.insert(0, str(ROOT))
    from streamlit.testing.v1 import AppTest

    from db import engine
    from db.config import reset_env_cache
    from db.migrate import upgrade
    from services import demo
    from services.auth.login import load_actor
    from services.core import settings

    reset_env_cache()
    engine.configure()
    upgrade()
    settings.seed_defaults()
    demo.load_demo()
    accounts = demo.demo_accounts()
    users = {"admin": "admin", "kepala": KEPALA_NIP, "penilai": next(a["username"] for a in accounts if a["roles"] == ["pegawai", "penilai"]),
             "pegawai": next(a["username"] for a in accounts if a["roles"] == ["pegawai"]
                             and load_actor(a["username"]).pegawai_id is not None)}
    for page, who in PAGES:
        username = users[who]
        assert load_actor(username) is not None
        at = AppTest.from_file(str(ROOT / "pages" / page), default_timeout=60)
        at.session_state["authentication_status"] = True
        at.session_state["username"] = username
        at.run()  # warm-up
        times = []
        for _ in range(n):
            t0 = time.perf_counter()
            at.run()
            times.append((time.perf_counter() - t0) * 1000)
        assert not at.exception, at.exception
        times.sort()
        print(json.dumps({"bench": f"page.{page.removesuffix('.py')}", "as": who, "scale": "office",
                          "db": "sqlite", "p50_ms": round(statistics.median(times), 1),
                          "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 1), "n": n}))
    from bench import monev as monev_bench

    monev_bench.main(users["kepala"], n)
    from bench import logbook as logbook_bench

    logbook_bench.main()


if __name__ == "__main__":
    main()
