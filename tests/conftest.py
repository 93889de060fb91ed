"""Test fixtures: a fresh database per test on SQLite (always) and PostgreSQL (when configured).

PostgreSQL runs when EKINERJA_TEST_DATABASE_URL is set (CI sets it); otherwise those tests are skipped with
a visible reason. The schema is built with the Alembic migrations, so every test also exercises them.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest
from sqlalchemy import text

from db import engine as db_engine
from db.base import Base
from db.config import reset_env_cache

PG_URL = os.environ.get("EKINERJA_TEST_DATABASE_URL")
os.environ.setdefault("EKINERJA_COOKIE_KEY", "test-cookie-key-" + "x" * 40)
os.environ.setdefault("EKINERJA_LOGIN_SLEEP_TIME", "0")
reset_env_cache()


def _migrate_and_seed(url: str) -> None:
    from db.migrate import upgrade
    from services.core.settings import seed_defaults

    db_engine.configure(url)
    upgrade()
    seed_defaults()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("tpl") / "template.db"
    _migrate_and_seed(f"sqlite:///{path}")
    db_engine.get_engine().dispose()
    return path


def _worker_url(url: str) -> str:
    """Under pytest-xdist (`make test` runs the non-browser tests on two workers) each worker gets its own
    PostgreSQL database next to the configured one (`test` → `test_gw0`), created when missing."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return url
    from sqlalchemy.engine import make_url

    base = make_url(url)
    name = f"{base.database}_{worker}"
    eng = db_engine.make_engine(url).execution_options(isolation_level="AUTOCOMMIT")
    with eng.connect() as conn:
        if not conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).scalar():
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    eng.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def pg_ready() -> str:
    if not PG_URL:
        pytest.skip("PostgreSQL dilewati: EKINERJA_TEST_DATABASE_URL tidak diset")
    url = _worker_url(PG_URL)
    eng = db_engine.make_engine(url)
    with eng.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    eng.dispose()
    _migrate_and_seed(url)
    return url


def _truncate_pg(url: str) -> None:
    from services.core.settings import seed_defaults

    db_engine.configure(url)
    names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with db_engine.get_engine().begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    seed_defaults()


@pytest.fixture(params=["sqlite", "pg"])
def db(request, tmp_path) -> str:
    """A fresh, migrated database; returns its dialect name."""
    if request.param == "pg":
        url = request.getfixturevalue("pg_ready")
        _truncate_pg(url)
    else:
        template = request.getfixturevalue("sqlite_template")
        target = tmp_path / "test.db"
        shutil.copy(template, target)
        db_engine.configure(f"sqlite:///{target}")
    yield request.param
    db_engine.get_engine().dispose()


@pytest.fixture
def sqlite_db(tmp_path, sqlite_template) -> str:
    """SQLite only (page tests)."""
    target = tmp_path / "test.db"
    shutil.copy(sqlite_template, target)
    url = f"sqlite:///{target}"
    db_engine.configure(url)
    os.environ["EKINERJA_DATABASE_URL"] = url
    reset_env_cache()
    yield url
    os.environ.pop("EKINERJA_DATABASE_URL", None)
    reset_env_cache()
    db_engine.get_engine().dispose()


class FrozenClock:
    """The `clock` fixture: `clock.set(date_or_datetime)` freezes services.core.clock (a date means 09:00 local);
    `clock.today()` reads it back. Restored after the test."""

    def set(self, at: dt.date | dt.datetime) -> dt.date:
        from services.core import clock

        value = at if isinstance(at, dt.datetime) else dt.datetime.combine(at, dt.time(9, 0))
        clock.set_clock(lambda: value)
        return value.date()

    def today(self) -> dt.date:
        from services.core import clock

        return clock.today()


@pytest.fixture
def clock():
    """Freeze the application clock (services.core.clock) for one test; see FrozenClock."""
    from services.core import clock as app_clock

    yield FrozenClock()
    app_clock.set_clock(None)


@pytest.fixture(autouse=True)
def _real_clock_after_test():
    """No test leaks a frozen clock into the next one."""
    yield
    from services.core import clock as app_clock

    app_clock.set_clock(None)


@pytest.fixture
def org(db):
    from tests.factories import build_org

    return build_org()


@pytest.fixture
def sqlite_org(sqlite_db):
    from tests.factories import build_org

    return build_org()
