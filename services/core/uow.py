"""Unit of work: one transaction per user action, with the acting user attached for the audit log."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

import services.core.audit  # noqa: F401  (registers the flush listener)
import services.core.textguard  # noqa: F401  (refuses control characters and over-long text before a flush)
from db.engine import session_factory
from services.core.actor import Actor
from services.core.errors import Conflict

CONFLICT_MESSAGE = ("{what} telah diubah pengguna lain sejak Anda membukanya. Muat ulang halaman, periksa "
                    "perubahannya, lalu ulangi.")
BUSY_MESSAGE = ("{what} sedang diubah pengguna lain pada saat yang sama. Muat ulang halaman, periksa "
                "perubahannya, lalu ulangi.")
TABLE_LABELS = {
    "skp": "SKP", "skp_rhk": "Rencana hasil kerja SKP", "skp_version": "SKP", "logbook_entry": "Logbook",
    "evaluasi": "Evaluasi kinerja", "evaluasi_rhk": "Evaluasi kinerja", "rencana_aksi": "Rencana aksi",
    "pegawai": "Data pegawai", "users": "Akun pengguna", "settings": "Pengaturan", "periods": "Periode",
    "kinerja_organisasi": "Predikat kinerja organisasi",
}
_TABLE_RE = re.compile(r"(?:on table|table) '([a-z_]+)'")
# PostgreSQL: serialization failure, deadlock, lock not available; SQLite: database is locked
_BUSY_SQLSTATES = {"40001", "40P01", "55P03"}


def _what(text: str) -> str:
    m = _TABLE_RE.search(text)
    return TABLE_LABELS.get(m.group(1), "Data") if m else "Data"


def as_conflict(exc: BaseException) -> Conflict | None:
    """The friendly Conflict for a lost concurrent write (stale version, serialization or lock error)."""
    if isinstance(exc, StaleDataError):
        return Conflict(CONFLICT_MESSAGE.format(what=_what(str(exc))))
    if isinstance(exc, DBAPIError):
        state = getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode", None)
        if state in _BUSY_SQLSTATES or "database is locked" in str(exc.orig):
            return Conflict(BUSY_MESSAGE.format(what="Data"))
    return None


_DRY_RUN: ContextVar[bool] = ContextVar("ekinerja_dry_run", default=False)


class DryRunDone(Exception):
    """End of a unit of work run under `dry_run()`: every check passed, the flush ran, nothing was committed."""


@contextmanager
def dry_run() -> Iterator[None]:
    """Run a service's write path for its checks only: the unit of work flushes (constraints, text guard) and
    then rolls back, raising DryRunDone instead of committing; nothing is written, nothing audited. Used to
    preview pasted rows with exactly the errors their save would give."""
    token = _DRY_RUN.set(True)
    try:
        yield
    finally:
        _DRY_RUN.reset(token)


@contextmanager
def unit_of_work(actor: Actor, action: str | None = None) -> Iterator[Session]:
    """Open a session in a transaction; commit on success, roll back on any error.

    Every insert, update and delete flushed in it is written to the audit log in the same transaction,
    labelled with `action` (e.g. "ajukan", "setujui") when given, else tambah/ubah/hapus. A write lost to a
    concurrent one (stale version, PostgreSQL serialization/lock error) is raised as the friendly `Conflict`.
    """
    session = session_factory()()
    session.info["actor"] = actor
    if action:
        session.info["audit_action"] = action
    try:
        with session.begin():
            yield session
            if _DRY_RUN.get():
                session.flush()
                raise DryRunDone
    except (StaleDataError, DBAPIError) as e:
        conflict = as_conflict(e)
        if conflict is None:
            raise
        raise conflict from e
    finally:
        session.close()
