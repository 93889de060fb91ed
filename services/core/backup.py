"""Database backup: SQLite through sqlite3's online backup API, PostgreSQL through pg_dump.

Used by `ekinerja backup`. The copy is consistent even while the app is running (SQLite WAL is included by
the backup API; pg_dump takes a snapshot).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import subprocess  # noqa: S404 - runs pg_dump with a fixed argument list, no shell
from pathlib import Path

from sqlalchemy.engine import make_url

from db.config import get_env
from db.engine import get_engine
from db.models import Role
from services.core import audit, clock
from services.core.actor import Actor
from services.core.errors import ServiceError
from services.core.uow import unit_of_work


class BackupFailed(ServiceError):
    pass


def default_dir() -> Path:
    return get_env().data_dir / "backup"


def _target(out_dir: Path, suffix: str, now: dt.datetime) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = f"ekinerja-{now:%Y%m%d-%H%M%S}"
    path = out_dir / f"{stem}{suffix}"
    n = 1
    while path.exists():
        n += 1
        path = out_dir / f"{stem}-{n}{suffix}"
    return path


def backup(actor: Actor, out_dir: Path | str | None = None, now: dt.datetime | None = None) -> Path:
    """Write a backup of the configured database into `out_dir` (default data/backup/); returns its path."""
    actor.require(Role.ADMIN_SDM, message="Hanya Admin SDM yang dapat membuat cadangan basis data.")
    out = Path(out_dir) if out_dir else default_dir()
    now = now or clock.now()
    url = get_engine().url
    if url.get_backend_name() == "sqlite":
        path = _backup_sqlite(url.database, _target(out, ".db", now))
    elif url.get_backend_name() == "postgresql":
        path = _backup_postgres(url.render_as_string(hide_password=False), _target(out, ".dump", now))
    else:
        raise BackupFailed(f"Cadangan untuk basis data '{url.get_backend_name()}' belum didukung.")
    with unit_of_work(actor, action="backup") as s:
        audit.record(s, actor, "backup", "Database", None, note=f"{path.name} ({path.stat().st_size} byte)")
    return path


def _backup_sqlite(database: str | None, target: Path) -> Path:
    if not database or database == ":memory:":
        raise BackupFailed("Basis data SQLite di memori tidak dapat dicadangkan.")
    if not Path(database).exists():
        raise BackupFailed(f"Berkas basis data tidak ditemukan: {database}")
    src = sqlite3.connect(database, timeout=30)
    dst = sqlite3.connect(target)
    try:
        with dst:
            src.backup(dst)
    finally:
        dst.close()
        src.close()
    return target


def _backup_postgres(url_text: str, target: Path) -> Path:
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        raise BackupFailed(
            "pg_dump tidak ditemukan. Pasang klien PostgreSQL (mis. paket postgresql-client) "
            "dengan versi yang sama atau lebih baru dari server, lalu ulangi."
        )
    url = make_url(url_text)
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)  # not on the command line (visible in ps)
    dsn = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    result = subprocess.run(  # noqa: S603
        [pg_dump, "--format=custom", "--no-owner", f"--file={target}", f"--dbname={dsn}"],
        env=env, capture_output=True, text=True, timeout=3600, check=False,
    )
    if result.returncode != 0:
        target.unlink(missing_ok=True)
        raise BackupFailed(f"pg_dump gagal (kode {result.returncode}): {result.stderr.strip()[:500]}")
    return target
