"""Engine and session factory. SQLite gets WAL, foreign keys and a busy timeout; PostgreSQL uses psycopg 3."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from db.config import get_env

_lock = threading.Lock()
_engine: Engine | None = None
_factory: sessionmaker[Session] | None = None


def normalise_url(url: str) -> str:
    """Accept plain postgresql:// URLs and route them to the psycopg 3 driver."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def make_engine(url: str) -> Engine:
    url = normalise_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # pragma: no cover - exercised by every test
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        return engine
    # jit=off: the app's queries are short; PostgreSQL's JIT compiled mis-estimated plans for longer than they
    # ran (0.85 s of JIT on a 1.5 s count at ministry scale).
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20,
                         connect_args={"options": "-c jit=off"})


def configure(url: str | None = None) -> Engine:
    """(Re)configure the process-wide engine. Tests call this with their own URL."""
    global _engine, _factory
    with _lock:
        if _engine is not None:
            _engine.dispose()
        _engine = make_engine(url or get_env().resolved_database_url())
        _factory = sessionmaker(bind=_engine, expire_on_commit=False)
        return _engine


def use(engine: Engine) -> None:
    """Make an engine made earlier (by `configure` or `make_engine`) the process-wide one again; the current one is
    left as it is. Tests switch between their SQLite and PostgreSQL engines this way, keeping each engine's
    compiled-statement cache and open connections."""
    global _engine, _factory
    with _lock:
        _engine = engine
        _factory = sessionmaker(bind=engine, expire_on_commit=False)


def current() -> Engine | None:
    """The process-wide engine if one is configured (without configuring one)."""
    return _engine


def get_engine() -> Engine:
    if _engine is None:
        configure()
    assert _engine is not None
    return _engine


def session_factory() -> sessionmaker[Session]:
    if _factory is None:
        configure()
    assert _factory is not None
    return _factory


@contextmanager
def read_session() -> Iterator[Session]:
    """A session for reads; rolled back at the end."""
    s = session_factory()()
    try:
        yield s
    finally:
        s.rollback()
        s.close()
