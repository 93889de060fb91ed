"""Database backup and restore: SQLite through sqlite3's online backup API, PostgreSQL through pg_dump and
pg_restore.

Used by `ekinerja backup` and `ekinerja restore`. The copy is consistent even while the app is running (SQLite
WAL is included by the backup API; pg_dump takes a snapshot). Backups hold password hashes and personal data:
they are written mode 600 into a folder of mode 700 (EKINERJA_BACKUP_DIR, default <data_dir>/backup).
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
    env = get_env()
    return env.backup_dir or env.data_dir / "backup"


def _target(out_dir: Path, suffix: str, now: dt.datetime) -> Path:
    """A new, empty file of mode 600 (created exclusively, so never world-readable for a moment)."""
    if not out_dir.exists():
        out_dir.mkdir(parents=True, mode=0o700)
    stem = f"ekinerja-{now:%Y%m%d-%H%M%S}"
    n = 1
    while True:
        path = out_dir / (f"{stem}{suffix}" if n == 1 else f"{stem}-{n}{suffix}")
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except FileExistsError:
            n += 1
            continue
        os.chmod(path, 0o600)  # whatever the umask
        return path


def backup(actor: Actor, out_dir: Path | str | None = None, now: dt.datetime | None = None) -> Path:
    """Write a backup of the configured database into `out_dir` (default data/backup/); returns its path."""
    actor.require(Role.ADMIN_SDM, message="Hanya Admin SDM yang dapat membuat cadangan basis data.")
    out = Path(out_dir) if out_dir else default_dir()
    now = now or clock.now()
    url = get_engine().url
    backend = url.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise BackupFailed(f"Cadangan untuk basis data '{backend}' belum didukung.")
    if backend == "sqlite":
        _check_sqlite_source(url.database)
        assert url.database is not None  # _check_sqlite_source refused an empty name
        path = _backup_sqlite(url.database, _target(out, ".db", now))
    else:
        path = _backup_postgres(url.render_as_string(hide_password=False), _target(out, ".dump", now))
    os.chmod(path, 0o600)
    with unit_of_work(actor, action="backup") as s:
        audit.record(s, actor, "backup", "Database", None, note=f"{path.name} ({path.stat().st_size} byte)")
    return path


def _check_sqlite_source(database: str | None) -> None:
    if not database or database == ":memory:":
        raise BackupFailed("Basis data SQLite di memori tidak dapat dicadangkan.")
    if not Path(database).exists():
        raise BackupFailed(f"Berkas basis data tidak ditemukan: {database}")


def _backup_sqlite(database: str, target: Path) -> Path:
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
    pg_dump = _pg_tool("pg_dump", target)
    dsn, env = _pg_dsn(url_text)
    result = subprocess.run(  # noqa: S603
        [pg_dump, "--format=custom", "--no-owner", f"--file={target}", f"--dbname={dsn}"],
        env=env, capture_output=True, text=True, timeout=3600, check=False,
    )
    if result.returncode != 0:
        target.unlink(missing_ok=True)
        raise BackupFailed(f"pg_dump gagal (kode {result.returncode}): {result.stderr.strip()[:500]}")
    return target


def _pg_tool(name: str, cleanup: Path | None = None) -> str:
    path = shutil.which(name)
    if path is None:
        if cleanup is not None:
            cleanup.unlink(missing_ok=True)
        raise BackupFailed(
            f"{name} tidak ditemukan. Pasang klien PostgreSQL (mis. paket postgresql-client) "
            "dengan versi yang sama atau lebih baru dari server, lalu ulangi."
        )
    return path


def _pg_dsn(url_text: str) -> tuple[str, dict[str, str]]:
    """(DSN without the password, environment with PGPASSWORD): never a password on the command line."""
    url = make_url(url_text)
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return url.set(drivername="postgresql", password=None).render_as_string(hide_password=False), env


# --- restore ------------------------------------------------------------------------------------------


def restore(actor: Actor, source: Path | str, confirm: bool = False) -> None:
    """Replace the configured database's content with a backup made by `backup` (SQLite .db file or pg_dump
    custom-format .dump). Works into an empty or an existing database; refused unless `confirm` is True.
    Afterwards run `ekinerja migrate` when the backup is from an older version."""
    actor.require(Role.ADMIN_SDM, message="Hanya Admin SDM yang dapat memulihkan basis data.")
    if not confirm:
        raise BackupFailed("Pemulihan menimpa seluruh isi basis data. Ulangi dengan konfirmasi (--ya).")
    path = Path(source)
    if not path.is_file():
        raise BackupFailed(f"Berkas cadangan tidak ditemukan: {path}")
    head = path.read_bytes()[:16]
    engine = get_engine()
    url = engine.url
    backend = url.get_backend_name()
    if backend == "sqlite":
        if head != b"SQLite format 3\x00":
            raise BackupFailed("Berkas ini bukan cadangan SQLite e-Kinerja (.db).")
        if not url.database or url.database == ":memory:":
            raise BackupFailed("Basis data SQLite di memori tidak dapat dipulihkan.")
        engine.dispose()
        _restore_sqlite(path, Path(url.database))
    elif backend == "postgresql":
        if not head.startswith(b"PGDMP"):
            raise BackupFailed("Berkas ini bukan cadangan PostgreSQL e-Kinerja (.dump dari pg_dump).")
        engine.dispose()
        _restore_postgres(url.render_as_string(hide_password=False), path)
    else:
        raise BackupFailed(f"Pemulihan untuk basis data '{backend}' belum didukung.")
    engine.dispose()
    with unit_of_work(actor, action="restore") as s:
        audit.record(s, actor, "restore", "Database", None, note=f"dipulihkan dari {path.name}")


def _restore_sqlite(source: Path, database: Path) -> None:
    database.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(database, timeout=30)
    try:
        with dst:
            src.backup(dst)  # replaces every page of the target: empty or existing database alike
    finally:
        dst.close()
        src.close()


def _restore_postgres(url_text: str, source: Path) -> None:
    pg_restore = _pg_tool("pg_restore")
    dsn, env = _pg_dsn(url_text)
    result = subprocess.run(  # noqa: S603
        [pg_restore, "--clean", "--if-exists", "--no-owner", "--single-transaction", "--exit-on-error",
         f"--dbname={dsn}", str(source)],
        env=env, capture_output=True, text=True, timeout=3600, check=False,
    )
    if result.returncode != 0:
        raise BackupFailed(f"pg_restore gagal (kode {result.returncode}): {result.stderr.strip()[:500]}")
