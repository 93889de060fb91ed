"""Unit of work: one transaction per user action, with the acting user attached for the audit log."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session

import services.core.audit  # noqa: F401  (registers the flush listener)
from db.engine import session_factory
from services.core.actor import Actor


@contextmanager
def unit_of_work(actor: Actor, action: str | None = None) -> Iterator[Session]:
    """Open a session in a transaction; commit on success, roll back on any error.

    Every insert, update and delete flushed in it is written to the audit log in the same transaction,
    labelled with `action` (e.g. "ajukan", "setujui") when given, else tambah/ubah/hapus.
    """
    session = session_factory()()
    session.info["actor"] = actor
    if action:
        session.info["audit_action"] = action
    try:
        with session.begin():
            yield session
    finally:
        session.close()
