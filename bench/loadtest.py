"""`make loadtest`: simulated users over Streamlit's websocket protocol, one process vs two behind nginx.

Not part of `make test`. Loopback only: the servers listen on 127.0.0.1, nginx on 127.0.0.1, and each
simulated user connects from its own loopback address 127.0.0.K (one /24, like the desktops of one office LAN;
deploy/nginx/ekinerja.conf hashes the whole client address, so they spread over the processes: each run
reports how many users each process got).

Database: EKINERJA_LOADTEST_DATABASE_URL, else EKINERJA_BENCH_DATABASE_URL (fill it first with `ekinerja
bench-data` or `make bench`); PostgreSQL is required (several processes). Each user gets a server-side login
session and the signed cookie the app issues, then moves between its main pages (pegawai: Beranda, Logbook
Harian, SKP Saya, Evaluasi Kinerja Saya; pejabat penilai: Beranda, Penilaian Logbook, Monitoring Logbook) for
LOADTEST_SECONDS (default 60) after a warm-up pass, pausing LOADTEST_THINK seconds between clicks (default
"0.5,1.5": a busy user; people reading a page pause longer). A page time is from the rerun request to the server's
"script finished" message. Bounded: LOADTEST_USERS (default "1,10,25", each ≤ 50) and the seconds per run.

Both configurations run at once (three Streamlit processes and nginx; an idle process costs no CPU) and, for
each number of users, one configuration is measured right after the other, so that both see the same load from
anything else on the machine. The simulated clients run on the same machine and share its cores with the
servers: the figures are an upper bound on the server's page time.

Prints one JSON object per (configuration, users, page) with p50/p95, one per (configuration, users) with
throughput (page renders per second), errors, server RSS/CPU per process and client CPU, one per users with the
2-process/1-process ratios, and a first "loadtest.meta" line (machine, load average, dataset size).
Ports: LOADTEST_PORT (default 8660: nginx; +1.. servers). LOADTEST_OUT: also append the lines to this file.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import math
import os
import random
import secrets
import shutil
import signal
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
# Pause between a page and the next click, uniform in [min, max] seconds: LOADTEST_THINK="min,max".
THINK_SECONDS = tuple(float(x) for x in os.environ.get("LOADTEST_THINK", "0.5,1.5").split(","))[:2]


def _cookie_key() -> str:
    """The one cookie key of this run: the servers verify the cookies `make_users` signs with it (as every
    process behind nginx must share EKINERJA_COOKIE_KEY)."""
    return os.environ.setdefault("EKINERJA_COOKIE_KEY", "loadtest-" + secrets.token_urlsafe(48))


def _env(url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update({"EKINERJA_DATABASE_URL": url, "PYTHONPATH": str(ROOT), "EKINERJA_COOKIE_KEY": _cookie_key(),
                "EKINERJA_TRUSTED_PROXY_HEADER": "X-Forwarded-For"})
    return env


def _nearest_rank(sorted_values: list[float], q: float) -> float:
    return sorted_values[max(0, math.ceil(q * len(sorted_values)) - 1)]


def _db_cpu_s(url: str) -> float:
    """CPU seconds (user+system) of the PostgreSQL backends connected to the load test's database, when the
    server runs on this machine (its processes are readable in /proc); 0 otherwise."""
    import psycopg

    try:
        with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as conn:
            pids = [r[0] for r in conn.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                                               "AND pid <> pg_backend_pid()")]
    except psycopg.Error:
        return 0.0
    total = 0.0
    for pid in pids:
        with contextlib.suppress(OSError, StopIteration, ValueError):
            total += _proc_stats(pid)["cpu_s"]
    return total


def _proc_stats(pid: int) -> dict[str, float]:
    """RSS (MB) and CPU seconds (user+system) of one server process, from /proc."""
    with open(f"/proc/{pid}/status") as fh:
        rss_kb = next(int(ln.split()[1]) for ln in fh if ln.startswith("VmRSS:"))
    with open(f"/proc/{pid}/stat") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return {"rss_mb": round(rss_kb / 1024, 1), "cpu_s": (int(fields[11]) + int(fields[12])) / ticks}


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
        if ln.strip().startswith(("ip_hash", "hash ")):
            out.extend(f"    server 127.0.0.1:{p} max_fails=3 fail_timeout=10s;" for p in ports)
    site = "\n".join(out).replace("listen 80;", f"listen 127.0.0.1:{listen};")
    conf = logdir / "nginx.conf"
    conf.write_text(f"""worker_processes 1;
pid {logdir}/nginx.pid;
error_log {logdir}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    log_format up '$remote_addr $upstream_addr';
    access_log {logdir}/nginx-access.log up;
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
    _cookie_key()
    reset_env_cache()
    key = resolve_cookie_key()
    out = []
    for i in range(n):
        is_penilai = i % 5 == 4 and penilai
        username = penilai[(i // 5) % len(penilai)] if is_penilai else staff[i % len(staff)]
        actor = auth.load_actor(username)
        assert actor is not None
        sid = auth.start_session(actor, source=f"127.0.0.{i + 2}")
        token = auth.cookie_token(username, sid, key, dt.datetime.now(dt.UTC) + dt.timedelta(hours=8))
        out.append({"username": username, "cookie": f"{name}={token}", "addr": f"127.0.0.{i + 2}",
                    "pages": PENILAI_PAGES if is_penilai else PEGAWAI_PAGES})
    engine.get_engine().dispose()
    return out


class Client:
    """One browser tab over Streamlit's websocket protocol (protobuf BackMsg/ForwardMsg)."""

    def __init__(self, port: int, user: dict) -> None:
        self.port, self.user = port, user
        self.pages: dict[str, str] = {}
        self.ws = None
        self.login_form = False

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
        self.login_form = False
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
                if status == ForwardMsg.FINISHED_SUCCESSFULLY:
                    if self.login_form:
                        raise RuntimeError("not logged in: the login form was shown")
                    return (time.perf_counter() - t0) * 1000
                # FINISHED_EARLY_FOR_RERUN: the page called st.rerun(); the page is ready after the next run
                if status == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                    raise RuntimeError("script error")
            elif kind == "delta":
                el = fm.delta.new_element
                etype = el.WhichOneof("type")
                if etype == "exception":
                    raise RuntimeError(el.exception.message[:200])
                if etype == "text_input" and el.text_input.label == "Kata sandi":
                    self.login_form = True

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
        # users do not all click at the same instant: each starts somewhere within one think time
        await asyncio.sleep(rng.uniform(0, THINK_SECONDS[1]))
        while time.perf_counter() < until:
            page = rng.choice(c.user["pages"])
            ms = await c.rerun(page)
            results.append((page, ms, time.perf_counter()))
            await asyncio.sleep(rng.uniform(*THINK_SECONDS))  # think time
    except Exception as e:  # noqa: BLE001 - counted and reported
        errors.append(f"{c.user['username']}: {type(e).__name__}: {e}")
    finally:
        with contextlib.suppress(Exception):
            await c.close()


def scenario(config: str, port: int, users: list[dict], seconds: float, servers: list[subprocess.Popen],
             logdir: Path, url: str) -> list[dict]:
    """Every user connects and warms up (concurrently), then all move between their pages for `seconds`."""
    results: list = []
    errors: list = []
    access_log = logdir / "nginx-access.log"
    log_start = access_log.stat().st_size if access_log.exists() else 0
    before: list[dict] = []
    client_cpu0 = 0.0
    db_cpu = [0.0, 0.0]

    async def main() -> float:
        nonlocal before, client_cpu0
        warm = await asyncio.gather(*(warm_up(port, u) for u in users), return_exceptions=True)
        clients = [c for c in warm if isinstance(c, Client)]
        errors.extend(f"warm-up: {type(e).__name__}: {e}" for e in warm if not isinstance(e, Client))
        before = [_proc_stats(p.pid) for p in servers]
        db_cpu[0] = _db_cpu_s(url)
        client_cpu0 = time.process_time()
        start = time.perf_counter()
        await asyncio.gather(*(run_user(c, start + seconds, results, errors) for c in clients))
        return time.perf_counter() - start

    wall = asyncio.run(main())
    client_cpu = time.process_time() - client_cpu0
    after = [_proc_stats(p.pid) for p in servers]
    db_cpu[1] = _db_cpu_s(url)
    server_cpu = sum(a["cpu_s"] - b["cpu_s"] for a, b in zip(after, before, strict=True))
    out = []
    for page in sorted({r[0] for r in results}):
        t = sorted(r[1] for r in results if r[0] == page)
        out.append({"bench": "loadtest.page", "config": config, "users": len(users), "page": page, "n": len(t),
                    "p50_ms": round(statistics.median(t), 1), "p95_ms": round(_nearest_rank(t, 0.95), 1)})
    allt = sorted(r[1] for r in results)
    row = {"bench": "loadtest", "config": config, "users": len(users), "seconds": round(wall, 1),
           "renders": len(results), "per_second": round(len(results) / wall, 2) if wall else 0,
           "p50_ms": round(statistics.median(allt), 1) if allt else None,
           "p95_ms": round(_nearest_rank(allt, 0.95), 1) if allt else None,
           "errors": len(errors), "error_sample": errors[:3],
           "server_rss_mb": [a["rss_mb"] for a in after],
           "server_cpu_s": [round(a["cpu_s"] - b["cpu_s"], 1) for a, b in zip(after, before, strict=True)],
           "client_cpu_s": round(client_cpu, 1),
           # backends that closed during the run are not counted: a lower bound
           "db_cpu_s": round(max(0.0, db_cpu[1] - db_cpu[0]), 1),
           "server_cpu_ms_per_render": round(server_cpu * 1000 / len(results)) if results else None}
    if len(servers) > 1 and access_log.exists():
        time.sleep(0.5)  # nginx writes a websocket's log line when it closes
        with access_log.open() as fh:
            fh.seek(log_start)
            spread: dict[str, set[str]] = {}
            for line in fh:
                addr, _, upstream = line.strip().partition(" ")
                spread.setdefault(upstream, set()).add(addr)
        row["users_per_server"] = {k: len(v) for k, v in sorted(spread.items())}
    out.append(row)
    return out


def meta(url: str, users: list[dict]) -> dict:
    """Where the figures come from: machine, load from anything else, dataset size, commit."""
    from sqlalchemy import func, select

    from db import engine
    from db.models import LogbookEntry, Pegawai, UnitKerja

    with engine.read_session() as s:
        data = {"pegawai": s.scalar(select(func.count()).select_from(Pegawai)),
                "unit": s.scalar(select(func.count()).select_from(UnitKerja)),
                "logbook": s.scalar(select(func.count()).select_from(LogbookEntry))}
    engine.get_engine().dispose()
    model = next((ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
                  if ln.startswith("model name")), "?")
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,  # noqa: S607
                            text=True, check=False).stdout.strip()
    return {"bench": "loadtest.meta", "cpus": os.cpu_count(), "cpu": model, "loadavg": os.getloadavg(),
            "database": url.rsplit("/", 1)[-1], "data": data, "commit": commit,
            "penilai_users": sum(1 for u in users if u["pages"] == PENILAI_PAGES)}


def main() -> None:
    url = os.environ.get("EKINERJA_LOADTEST_DATABASE_URL") or os.environ.get("EKINERJA_BENCH_DATABASE_URL")
    if not url or not url.startswith("postgresql"):
        sys.exit("Atur EKINERJA_LOADTEST_DATABASE_URL (PostgreSQL, diisi dengan `ekinerja bench-data`).")
    counts = [min(MAX_USERS, int(x)) for x in os.environ.get("LOADTEST_USERS", "1,10,25").split(",") if x]
    seconds = min(300.0, float(os.environ.get("LOADTEST_SECONDS", "60")))
    base = int(os.environ.get("LOADTEST_PORT", "8660"))
    configs = [c for c in os.environ.get("LOADTEST_CONFIGS", "1proses,2proses-nginx").split(",") if c]
    out_file = os.environ.get("LOADTEST_OUT")
    logdir = Path(tempfile.mkdtemp(prefix="ek-loadtest-"))
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("loadtest dihentikan"))  # stop the servers on `kill`
    users = make_users(url, max(counts))

    def emit(row: dict) -> None:
        line = json.dumps(row)
        print(line, flush=True)
        if out_file:
            with open(out_file, "a") as fh:
                fh.write(line + "\n")

    emit(meta(url, users[:max(counts)]))
    procs: list[subprocess.Popen] = []
    servers: dict[str, tuple[int, list[subprocess.Popen]]] = {}
    try:
        for config in configs:
            if config == "1proses":
                ps = start_servers(url, [base + 1], logdir)
                servers[config] = (base + 1, ps)
            else:
                ps = start_servers(url, [base + 2, base + 3], logdir)
                procs.append(start_nginx(base, [base + 2, base + 3], logdir))
                servers[config] = (base, ps)
            procs.extend(ps)
        emit({"bench": "loadtest.idle", "think_seconds": THINK_SECONDS, "server_rss_mb": {c: [_proc_stats(p.pid)["rss_mb"] for p in ps]
                                                          for c, (_port, ps) in servers.items()}})
        for n in counts:
            totals: dict[str, dict] = {}
            for config, (port, ps) in servers.items():
                for row in scenario(config, port, users[:n], seconds, ps, logdir, url):
                    emit(row)
                    if row["bench"] == "loadtest":
                        totals[config] = row
            if len(totals) == 2:
                one, two = (totals[c] for c in configs)
                emit({"bench": "loadtest.ratio", "users": n, "loadavg": os.getloadavg(),
                      "throughput_x": round(two["per_second"] / one["per_second"], 2) if one["per_second"] else None,
                      "p50_x": round(one["p50_ms"] / two["p50_ms"], 2) if two["p50_ms"] else None,
                      "p95_x": round(one["p95_ms"] / two["p95_ms"], 2) if two["p95_ms"] else None})
    finally:
        stop(procs)


if __name__ == "__main__":
    main()
