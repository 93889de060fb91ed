"""Several server processes behind nginx share one database and nothing else: what one process changes, another
sees on its next read. Settings and session revocations are read from the database on every use (no cache in a
process), so a change made through one process holds in every other one from the next page run (0 s staleness).

The second process here is a real one (a child Python interpreter on the same database URL), not a second
engine in this process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from db import engine
from services.auth import login as auth
from services.core import settings

ROOT = Path(__file__).resolve().parents[2]

CHILD = r"""
import sys
from db import engine
from services.auth import login as auth
from services.core import settings

engine.configure(sys.argv[1])
for line in sys.stdin:
    cmd, *args = line.split()
    if cmd == "setting":
        print(settings.get(args[0]), flush=True)
    elif cmd == "session":
        print(auth.session_valid(args[0], args[1]), flush=True)
"""


@pytest.fixture
def other_process(db):
    url = engine.get_engine().url.render_as_string(hide_password=False)
    env = dict(os.environ, EKINERJA_DATABASE_URL=url, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-c", CHILD, url], cwd=ROOT, env=env, stdin=subprocess.PIPE,  # noqa: S603
                            stdout=subprocess.PIPE, text=True)

    def ask(line: str) -> str:
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.write(line + "\n")
        proc.stdin.flush()
        return proc.stdout.readline().strip()

    yield ask
    assert proc.stdin is not None
    proc.stdin.close()
    proc.wait(30)


def test_a_setting_changed_in_one_process_holds_in_another_at_once(org, other_process):
    assert other_process("setting sesi_idle_menit") == "60"  # read once: a cache would keep this value
    assert other_process("setting logbook_batas_harian") == "True"
    settings.update_many(org.actors.admin, {"sesi_idle_menit": "30", "logbook_batas_harian": "tidak"})
    assert other_process("setting sesi_idle_menit") == "30"
    assert other_process("setting logbook_batas_harian") == "False"


def test_a_logout_in_one_process_ends_the_session_in_another(org, other_process):
    actor = org.actors.admin
    sid = auth.start_session(actor, source="127.0.0.1")
    assert other_process(f"session {sid} {actor.username}") == "True"
    auth.revoke_sessions(actor, reason="logout", session_id=sid)
    assert other_process(f"session {sid} {actor.username}") == "False"
