"""Playwright fixtures: a real Streamlit server on a demo database, and Debian Chromium.

The server runs from the project root on a free port with its own SQLite file, data folder and cookie key
(nothing is written into the repository). Tests skip with a clear reason when Chromium or Playwright is
missing.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.e2e.helpers import new_context, signed_in

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / ".venv" / "bin"
# Debian's chromium-headless-shell (the headless-only build, ~15 % less CPU for the same tests) when installed,
# else the full browser; E2E_CHROMIUM names another binary.
_BROWSERS = (Path("/usr/bin/chromium-headless-shell"), Path("/usr/bin/chromium"))
CHROMIUM = Path(os.environ.get("E2E_CHROMIUM") or next((p for p in _BROWSERS if p.exists()), _BROWSERS[-1]))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
STARTUP_TIMEOUT = 60
# The order in which `make test` hands the files out (loadfile, --no-loadscope-reorder): each of the four workers
# takes one of the first four files, then, while it has two tests or fewer waiting, the next file, so the longest
# flows go with short files (browser tests on 2 cores: 160 s against 184 s in xdist's own order, which gave one
# worker the meeting and the SKP flow). Files not listed come after these.
FILE_ORDER = ("test_monev.py", "test_evaluasi_flow.py", "test_logbook_paste.py", "test_skp_flow.py",
              "test_deeplink.py", "test_login.py", "test_logbook_flow.py", "test_kinerja_flow.py")


def pytest_collection_modifyitems(config, items) -> None:
    here = Path(__file__).parent
    rank = {name: n for n, name in enumerate(FILE_ORDER)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)) if item.path.parent == here else -1)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:  # noqa: S310 - local URL
            return r.read().decode().strip() == "ok"
    except OSError:
        return False


@pytest.fixture(scope="session")
def e2e_env(tmp_path_factory) -> dict[str, str]:
    if not CHROMIUM.exists():
        pytest.skip(f"Uji browser dilewati: Chromium tidak ditemukan di {CHROMIUM}")
    pytest.importorskip("playwright.sync_api", reason="Uji browser dilewati: paket playwright tidak terpasang")
    base = tmp_path_factory.mktemp("e2e")
    env = {k: v for k, v in os.environ.items() if not k.startswith("EKINERJA_")}
    env.update({
        "EKINERJA_DATABASE_URL": f"sqlite:///{base / 'e2e.db'}",
        "EKINERJA_DATA_DIR": str(base / "data"),
        "EKINERJA_COOKIE_KEY": secrets.token_urlsafe(48),
        "EKINERJA_LOGIN_SLEEP_TIME": "0",
    })
    _demo_copy(env, base)
    env["_E2E_BASE"] = str(base)
    return env


def _source_key() -> str:
    """What the demo database depends on: the checked-in tree, uncommitted changes and today's date (the demo
    data follows the clock). Falls back to a per-process key (no sharing) outside git."""
    try:
        tree = subprocess.run(["git", "rev-parse", "HEAD^{tree}"], cwd=ROOT, check=True, capture_output=True,
                              text=True, timeout=30).stdout
        diff = subprocess.run(["git", "diff", "HEAD", "--", ".", ":!tests"], cwd=ROOT, check=True,
                              capture_output=True, timeout=30).stdout
        untracked = subprocess.run(["git", "ls-files", "--others", "--exclude-standard", "--", ".", ":!tests"],
                                   cwd=ROOT, check=True, capture_output=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return f"pid{os.getpid()}"
    h = hashlib.sha256(tree.encode() + diff + untracked + str(ROOT).encode())
    from services.core import clock

    h.update(clock.today().isoformat().encode())  # the office's date, as the demo data sees it
    return h.hexdigest()[:24]


@contextmanager
def demo_cache() -> Iterator[Path]:
    """The folder holding the demo database (and data folder) for the current source state, built there once
    (migrate + demo-data, ~15 s) in a shared temporary folder; held under a file lock while in use. `make test`
    builds it beside the other tests (`python -m tests.e2e.conftest`), so the browser tests find it ready."""
    cache = Path(tempfile.gettempdir()) / "ekinerja-e2e-demo" / _source_key()
    cache.mkdir(parents=True, exist_ok=True)
    with (cache / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (cache / "done").exists():
            build = {k: v for k, v in os.environ.items() if not k.startswith("EKINERJA_")}
            build.update({"EKINERJA_DATABASE_URL": f"sqlite:///{cache / 'e2e.db'}",
                          "EKINERJA_DATA_DIR": str(cache / "data"), "EKINERJA_COOKIE_KEY": secrets.token_urlsafe(48)})
            (cache / "e2e.db").unlink(missing_ok=True)
            shutil.rmtree(cache / "data", ignore_errors=True)
            for cmd in (["migrate"], ["demo-data"]):
                subprocess.run([str(BIN / "ekinerja"), *cmd], cwd=ROOT, env=build, check=True,
                               capture_output=True, timeout=300)
            accounts = subprocess.run([str(BIN / "ekinerja"), "demo-accounts", "--json"], cwd=ROOT, env=build,
                                      check=True, capture_output=True, text=True, timeout=60).stdout
            (cache / "accounts.json").write_text(accounts)
            (cache / "done").touch()
        yield cache


def _demo_copy(env: dict[str, str], base: Path) -> None:
    """Every xdist worker gets its own copy of the demo database (`demo_cache`)."""
    with demo_cache() as cache:
        shutil.copy2(cache / "e2e.db", base / "e2e.db")
        shutil.copy2(cache / "accounts.json", base / "accounts.json")
        if (cache / "data").exists():
            shutil.copytree(cache / "data", base / "data")


@pytest.fixture(scope="session")
def demo_accounts(e2e_env) -> list[dict]:
    """The demo accounts (`ekinerja demo-accounts --json`, run once when the demo database was built)."""
    return json.loads((Path(e2e_env["_E2E_BASE"]) / "accounts.json").read_text())


@contextmanager
def running_server(env: dict[str, str], name: str = "streamlit") -> Iterator[str]:
    """Start `streamlit run app.py` on a free port with `env`; yield its URL; stop it (process group)."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log_path = Path(env["_E2E_BASE"]) / f"{name}.log"
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            [str(BIN / "streamlit"), "run", "app.py", "--server.port", str(port), "--server.headless", "true",
             "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while not _healthy(url):
            if proc.poll() is not None:
                pytest.fail(f"Streamlit berhenti (kode {proc.returncode}):\n{log_path.read_text()[-3000:]}")
            if time.monotonic() > deadline:
                pytest.fail(f"Streamlit tidak siap dalam {STARTUP_TIMEOUT} detik:\n{log_path.read_text()[-3000:]}")
            time.sleep(0.5)
        yield url
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=15)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)


@pytest.fixture(scope="session")
def app_url(e2e_env) -> Iterator[str]:
    with running_server(e2e_env) as url:
        yield url


@pytest.fixture(scope="session")
def browser(e2e_env):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, app_url):
    """A fresh browser context (no cookies) per test, in Indonesian."""
    from playwright.sync_api import expect

    expect.set_options(timeout=30_000)  # a 2-core machine under load: first renders can be slow
    context = new_context(browser)
    pg = context.new_page()
    yield pg
    context.close()


@pytest.fixture
def login(browser, app_url, e2e_env):
    """Log in a user in a browser window of their own (through the login cookie, see helpers.signed_in: the login
    form has its own tests); the windows are closed after the test."""
    opened = []

    def _do(account: dict):
        page = signed_in(browser, app_url, e2e_env, account["username"], account["password"])
        opened.append(page.context)
        return page

    yield _do
    for context in opened:
        context.close()


if __name__ == "__main__":  # `make test`: build the browser tests' demo database while the other tests run
    with demo_cache() as folder:
        print(f"Basis data demo uji peramban siap: {folder}")
