"""`make loadtest`: simulated users over Streamlit's websocket protocol, one process vs two behind nginx.

Not part of `make test`. Loopback only: the servers listen on 127.0.0.1, nginx on 127.0.0.1, and each
simulated user connects from its own loopback address 127.0.K.1 (nginx's ip_hash keys on the first three
octets, so users spread over the processes as real clients would).

Database: EKINERJA_LOADTEST_DATABASE_URL, else EKINERJA_BENCH_DATABASE_URL (fill it first with `ekinerja
bench-data` or `make bench`); PostgreSQL is required (several processes). Each user gets a server-side login
session and the signed cookie the app issues, then moves between its main pages (pegawai: Beranda, Logbook
Harian, SKP Saya, Evaluasi Kinerja Saya; pejabat penilai: Beranda, Penilaian Logbook, Monitoring Logbook) for
LOADTEST_SECONDS (default 60) after a warm-up pass. A page time is from the rerun request to the server's
"script finished" message. Bounded: LOADTEST_USERS (default "1,10,25", each ≤ 50) and the seconds per run.

Prints one JSON object per (configuration, users, page) with p50/p95 and one per (configuration, users) with
throughput (page renders per second) and errors. Ports: LOADTEST_PORT (default 8660: nginx; +1.. servers).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAX_USERS = 50
PEGAWAI_PAGES = ("beranda", "logbook_saya", "skp_saya", "evaluasi_saya")
PENILAI_PAGES = ("beranda", "logbook_penilaian", "logbook_monitoring")


def _env(url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update({"EKINERJA_DATABASE_URL": url, "PYTHONPATH": str(ROOT),
                "EKINERJA_COOKIE_KEY": os.environ.setdefault("EKINERJA_COOKIE_KEY", "loadtest-" + "k" * 48),
                "EKINERJA_TRUSTED_PROXY_HEADER": "X-Forwarded-For"})
    return env


def _wait_health(port: int, timeout: float = 90) -> None:
    end = time.time() + timeout
    while time.time() < end:
        with contextlib.suppress(Exception), urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health",
                                                                    timeout=2) as r:
            if r.read() == b"ok":
                return
        time.sleep(0.5)
    raise RuntimeError(f"server on port {port} did not start")


def start_servers(url: str, ports: list[int], logdir: Path) -> list[subprocess.Popen]:
    procs = []
    for p in ports:
        log = open(logdir / f"streamlit-{p}.log", "w")  # noqa: SIM115 - closed with the process
        procs.append(subprocess.Popen(  # noqa: S603 - fixed argv
            [str(ROOT / ".venv/bin/streamlit"), "run", "app.py", "--server.port", str(p), "--server.address",
             "127.0.0.1", "--server.headless", "true"], cwd=ROOT, env=_env(url), stdout=log,
            stderr=subprocess.STDOUT))
    for p in ports:
        _wait_health(p)
    return procs


def start_nginx(listen: int, ports: list[int], logdir: Path) -> subprocess.Popen:
    """nginx with deploy/nginx/ekinerja.conf, its upstream pointed at `ports` and listening on `listen`."""
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    site = (ROOT / "deploy/nginx/ekinerja.conf").read_text()
    lines = [ln for ln in site.splitlines() if not ln.strip().startswith("server 127.0.0.1:")]
    out = []
    for ln in lines:
        out.append(ln)
        if ln.strip() == "ip_hash;":
            out.extend(f"    server 127.0.0.1:{p} max_fails=3 fail_timeout=10s;" for p in ports)
    site = "\n".join(out).replace("listen 80;", f"listen 127.0.0.1:{listen};")
    conf = logdir / "nginx.conf"
    conf.write_text(f"""worker_processes 1;
pid {logdir}/nginx.pid;
error_log {logdir}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {logdir}/body; proxy_temp_path {logdir}/proxy;
    fastcgi_temp_path {logdir}/fcgi; uwsgi_temp_path {logdir}/uwsgi; scgi_temp_path {logdir}/scgi;
{site}
}}
""")
    proc = subprocess.Popen([nginx, "-c", str(conf), "-g", "daemon off;"],  # noqa: S603 - fixed argv
                            stdout=subprocess.DEVNULL, stderr=open(logdir / "nginx-stderr.log", "w"))  # noqa: SIM115
    _wait_health(listen)
    return proc


def stop(procs: list[subprocess.Popen]) -> None:
    for p in procs:
        p.terminate()
    for p in procs:
        try:
            p.wait(10)
        except subprocess.TimeoutExpired:
            p.kill()


def make_users(url: str, n: int) -> list[dict]:
    """n simulated users from the generated organisation (every fifth a pejabat penilai), each with an open
    server-side session and the app's signed cookie."""
    os.environ["EKINERJA_DATABASE_URL"] = url
    sys.path.insert(0, str(ROOT))
    from sqlalchemy import func, select

    from db import engine
    from db.config import reset_env_cache
    from db.models import Pegawai, ReportingLine, User
    from services.auth import login as auth
    from services.core.security import cookie_settings, resolve_cookie_key

    reset_env_cache()
    engine.configure(url)
    with engine.read_session() as s:
        penilai = list(s.scalars(select(User.username).join(Pegawai, Pegawai.id == User.pegawai_id).where(
            Pegawai.id.in_(select(ReportingLine.pejabat_penilai_id).where(ReportingLine.catatan == "Data benchmark")))
            .order_by(User.username).limit(MAX_USERS)))
        staff = list(s.scalars(select(User.username).join(ReportingLine, ReportingLine.pegawai_id == User.pegawai_id)
                               .where(ReportingLine.catatan == "Data benchmark",
                                      ReportingLine.pemberi_pertimbangan_id.is_not(None))
                               .order_by(func.random() if url.startswith("postgresql") else User.id)
                               .limit(MAX_USERS)))
    name, _days = cookie_settings()
    key = resolve_cookie_key()
    out = []
    for i in range(n):
        is_penilai = i % 5 == 4 and penilai
        username = penilai[(i // 5) % len(penilai)] if is_penilai else staff[i % len(staff)]
        actor = auth.load_actor(username)
        assert actor is not None
        sid = auth.start_session(actor, source=f"127.0.{i + 1}.1")
        token = auth.cookie_token(username, sid, key, dt.datetime.now(dt.UTC) + dt.timedelta(hours=8))
        out.append({"username": username, "cookie": f"{name}={token}", "addr": f"127.0.{i + 1}.1",
                    "pages": PENILAI_PAGES if is_penilai else PEGAWAI_PAGES})
    engine.get_engine().dispose()
    return out


class Client:
    """One browser tab over Streamlit's websocket protocol (protobuf BackMsg/ForwardMsg)."""

    def __init__(self, port: int, user: dict) -> None:
        self.port, self.user = port, user
        self.pages: dict[str, str] = {}
        self.ws = None

    async def connect(self) -> None:
        import websockets

        self.ws = await websockets.connect(
            f"ws://127.0.0.1:{self.port}/_stcore/stream", subprotocols=["streamlit"],
            additional_headers={"Cookie": self.user["cookie"], "Origin": f"http://127.0.0.1:{self.port}"},
            local_addr=(self.user["addr"], 0), max_size=None, open_timeout=60, ping_interval=None)

    async def rerun(self, page: str | None) -> float:
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        msg = BackMsg()
        msg.rerun_script.query_string = ""
        if page is not None:
            msg.rerun_script.page_script_hash = self.pages[page]
        t0 = time.perf_counter()
        assert self.ws is not None
        await self.ws.send(msg.SerializeToString())
        while True:
            raw = await asyncio.wait_for(self.ws.recv(), timeout=120)
            fm = ForwardMsg()
            fm.ParseFromString(raw)
            kind = fm.WhichOneof("type")
            if kind == "navigation":
                for p in fm.navigation.app_pages:
                    self.pages[p.url_pathname or "beranda"] = p.page_script_hash
            elif kind == "script_finished":
                status = fm.script_finished
                if status in (ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_EARLY_FOR_RERUN):
                    return (time.perf_counter() - t0) * 1000
                if status == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                    raise RuntimeError("script error")
            elif kind == "delta" and fm.delta.new_element.WhichOneof("type") == "exception":
                raise RuntimeError(fm.delta.new_element.exception.message[:200])

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()


async def warm_up(port: int, user: dict) -> Client:
    """Connect, log in from the cookie (app.py), and render each page once (not counted)."""
    c = Client(port, user)
    await c.connect()
    await c.rerun(None)
    missing = [p for p in user["pages"] if p not in c.pages]
    if missing:
        raise RuntimeError(f"pages not offered: {missing}")
    for page in user["pages"]:
        await c.rerun(page)
    return c


async def run_user(c: Client, until: float, results: list, errors: list) -> None:
    rng = random.Random(c.user["username"])
    try:
        while time.perf_counter() < until:
            page = rng.choice(c.user["pages"])
            ms = await c.rerun(page)
            results.append((page, ms, time.perf_counter()))
            await asyncio.sleep(rng.uniform(0.5, 1.5))  # think time
    except Exception as e:  # noqa: BLE001 - counted and reported
        errors.append(f"{c.user['username']}: {type(e).__name__}: {e}")
    finally:
        with contextlib.suppress(Exception):
            await c.close()


def scenario(config: str, port: int, users: list[dict], seconds: float) -> list[dict]:
    """Every user connects and warms up (concurrently), then all move between their pages for `seconds`."""
    results: list = []
    errors: list = []

    async def main() -> float:
        warm = await asyncio.gather(*(warm_up(port, u) for u in users), return_exceptions=True)
        clients = [c for c in warm if isinstance(c, Client)]
        errors.extend(f"warm-up: {type(e).__name__}: {e}" for e in warm if not isinstance(e, Client))
        start = time.perf_counter()
        await asyncio.gather(*(run_user(c, start + seconds, results, errors) for c in clients))
        return time.perf_counter() - start

    wall = asyncio.run(main())
    out = []
    for page in sorted({r[0] for r in results}):
        t = sorted(r[1] for r in results if r[0] == page)
        out.append({"bench": "loadtest.page", "config": config, "users": len(users), "page": page, "n": len(t),
                    "p50_ms": round(statistics.median(t), 1), "p95_ms": round(t[max(0, int(len(t) * 0.95) - 1)], 1)})
    allt = sorted(r[1] for r in results)
    out.append({"bench": "loadtest", "config": config, "users": len(users), "seconds": round(wall, 1),
                "renders": len(results), "per_second": round(len(results) / wall, 2) if wall else 0,
                "p50_ms": round(statistics.median(allt), 1) if allt else None,
                "p95_ms": round(allt[max(0, int(len(allt) * 0.95) - 1)], 1) if allt else None,
                "errors": len(errors), "error_sample": errors[:3]})
    return out


def main() -> None:
    url = os.environ.get("EKINERJA_LOADTEST_DATABASE_URL") or os.environ.get("EKINERJA_BENCH_DATABASE_URL")
    if not url or not url.startswith("postgresql"):
        sys.exit("Atur EKINERJA_LOADTEST_DATABASE_URL (PostgreSQL, diisi dengan `ekinerja bench-data`).")
    counts = [min(MAX_USERS, int(x)) for x in os.environ.get("LOADTEST_USERS", "1,10,25").split(",") if x]
    seconds = min(300.0, float(os.environ.get("LOADTEST_SECONDS", "60")))
    base = int(os.environ.get("LOADTEST_PORT", "8660"))
    configs = [c for c in os.environ.get("LOADTEST_CONFIGS", "1proses,2proses-nginx").split(",") if c]
    logdir = Path(tempfile.mkdtemp(prefix="ek-loadtest-"))
    users = make_users(url, max(counts))
    for config in configs:
        procs: list[subprocess.Popen] = []
        try:
            if config == "1proses":
                procs = start_servers(url, [base + 1], logdir)
                port = base + 1
            else:
                procs = start_servers(url, [base + 2, base + 3], logdir)
                procs.append(start_nginx(base, [base + 2, base + 3], logdir))
                port = base
            for n in counts:
                for row in scenario(config, port, users[:n], seconds):
                    print(json.dumps(row), flush=True)
        finally:
            stop(procs)


if __name__ == "__main__":
    main()
