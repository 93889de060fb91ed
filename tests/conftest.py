"""Test fixtures: a fresh database per test on SQLite (always) and PostgreSQL (when configured).

PostgreSQL runs when EKINERJA_TEST_DATABASE_URL is set (CI sets it); otherwise those tests are skipped with
a visible reason. The schema is built with the Alembic migrations, so every test also exercises them.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, event, text
from sqlalchemy.exc import DBAPIError

from db import engine as db_engine
from db.base import Base
from db.config import reset_env_cache

PG_URL = os.environ.get("EKINERJA_TEST_DATABASE_URL")
os.environ.setdefault("EKINERJA_COOKIE_KEY", "test-cookie-key-" + "x" * 40)
os.environ.setdefault("EKINERJA_LOGIN_SLEEP_TIME", "0")
reset_env_cache()

# bcrypt at its production cost (12) takes ~0.25 s per hash or check: hundreds of logins in the suite. The tests
# hash and check at the lowest cost; test_security checks the production constants themselves.
from services.auth import login as _login  # noqa: E402

PRODUCTION_BCRYPT_ROUNDS = (_login.BCRYPT_ROUNDS, _login.TEMP_PASSWORD_ROUNDS)
_login.BCRYPT_ROUNDS = _login.TEMP_PASSWORD_ROUNDS = 4
_login._DUMMY_HASH = _login.hash_password("dummy-password")


def _scan_components_once() -> None:
    """Every new AppTest scans all installed distributions for Streamlit component manifests (importlib.metadata
    over ~1,300 files: 0.3-1 s, most of a page test's time). The installed packages do not change during a test
    run, so the scan runs once per process; the server does it once at start-up anyway."""
    import functools

    from streamlit.components.v2 import manifest_scanner

    scan = manifest_scanner.scan_component_manifests
    if not hasattr(scan, "cache_info"):
        manifest_scanner.scan_component_manifests = functools.cache(scan)


_scan_components_once()


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


_ENGINES: dict[str, Engine] = {}


def _point_at(url: str, *, reopen: bool) -> None:
    """Point the app's engine at `url` with the one engine this worker keeps for it: its compiled-statement cache
    then serves every test (a new engine per test compiled every statement anew), and on PostgreSQL its
    connections stay open (a new backend starts with cold catalog caches). `reopen` closes the pooled
    connections (the SQLite file was replaced underneath)."""
    engine = _ENGINES.get(url)
    if engine is None:
        _ENGINES[url] = db_engine.make_engine(url)
        db_engine.use(_ENGINES[url])
        return
    if db_engine.current() is not engine:
        db_engine.use(engine)
    if reopen:
        engine.dispose()


def _fresh_sqlite(tmp_path_factory, template: Path) -> str:
    """The template copied to this worker's one test file (the same path every test, so the engine is kept)."""
    folder = tmp_path_factory.getbasetemp() / "sqlite-db"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "test.db"
    url = f"sqlite:///{target}"
    _point_at(url, reopen=True)  # no pooled connection may hold the old file while it is replaced
    for suffix in ("-wal", "-shm", "-journal"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copy(template, folder / "next.db")
    os.replace(folder / "next.db", target)  # a new file: a connection a test left open keeps the old one
    return url


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


class _WriteTracker:
    """Which PostgreSQL tables a test wrote, so the reset between tests empties only those.

    A listener on every engine's `before_cursor_execute` records the target table of each INSERT/UPDATE/DELETE
    (the app, the factories, Alembic and raw SQL all go through it). Anything it cannot follow - DDL, TRUNCATE,
    a subprocess such as pg_restore - marks the whole database dirty, which resets every table as before."""

    _DML = re.compile(r'\b(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+(?:"?public"?\.)?"?([A-Za-z_]\w*)"?', re.I)
    _DDL = re.compile(r"^\s*(?:CREATE|DROP|ALTER|TRUNCATE|COMMENT|GRANT|REVOKE)\b", re.I)

    def __init__(self) -> None:
        self.active = False
        self.all_dirty = False
        self.tables: set[str] = set()
        self.changed: set[str] = set()  # tables that saw an UPDATE or DELETE (the others only had rows added)

    def on_execute(self, conn, cursor, statement, parameters, context, executemany) -> None:
        if not self.active or self.all_dirty or conn.engine.dialect.name != "postgresql":
            return
        if self._DDL.match(statement):
            self.all_dirty = True
            return
        for verb, name in self._DML.findall(statement):
            if name in Base.metadata.tables:  # drops FOR UPDATE, DO UPDATE SET and the like
                self.tables.add(name)
                if not verb.upper().startswith("INSERT"):
                    self.changed.add(name)

    def clean(self) -> None:
        self.all_dirty = False
        self.tables.clear()
        self.changed.clear()


_tracker = _WriteTracker()
event.listen(Engine, "before_cursor_execute", _tracker.on_execute)


def _referencing_closure(names: set[str]) -> set[str]:
    """`names` plus every table that TRUNCATE ... CASCADE empties along with them (FK referrers, transitively)."""
    out = set(names)
    changed = True
    while changed:
        changed = False
        for table in Base.metadata.sorted_tables:
            if table.name in out:
                continue
            if any(fk.column.table.name in out for fk in table.foreign_keys):
                out.add(table.name)
                changed = True
    return out


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
    db_engine.get_engine().dispose()
    # emptying a table the seed fills means seeding again; each table's sequences are restarted when emptied
    eng = db_engine.make_engine(url)
    with eng.connect() as conn:
        _PG_SEEDED.update(
            t.name
            for t in Base.metadata.sorted_tables
            if conn.execute(text(f'SELECT EXISTS (SELECT 1 FROM "{t.name}")')).scalar()  # noqa: S608
        )
        owned = conn.execute(
            text(
                "SELECT d.refobjid::regclass::text, s.oid::regclass::text FROM pg_class s JOIN pg_depend d"
                " ON d.objid = s.oid AND d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass"
                " WHERE s.relkind = 'S'"
            )
        ).all()
        for table, seq in owned:
            _PG_SEQUENCES.setdefault(table.strip('"'), []).append(seq)
        for name in _PG_SEEDED:
            pk = Base.metadata.tables[name].primary_key.columns
            if [c.name for c in pk] == ["id"] and len(_PG_SEQUENCES.get(name, [])) == 1:
                _PG_SEEDED_MAX_ID[name] = conn.execute(text(f'SELECT max(id) FROM "{name}"')).scalar() or 0  # noqa: S608
    eng.dispose()
    _tracker.clean()
    _tracker.active = True
    return url


# tables the migrated + seeded database already fills (settings, their audit rows)
_PG_SEEDED: set[str] = set()
_PG_SEQUENCES: dict[str, list[str]] = {}  # table -> the sequences it owns (serial/identity columns)
# seeded tables with a serial id (the settings' audit rows): a test that only added rows to them gets back the
# seeded rows by deleting those after the seeded ids, instead of emptying the table and seeding again
_PG_SEEDED_MAX_ID: dict[str, int] = {}


def _truncate_all_pg() -> None:
    from services.core.settings import seed_defaults

    names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with db_engine.get_engine().begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    seed_defaults()


def _reset_pg(url: str) -> None:
    """Bring the PostgreSQL test database back to migrated + seeded, emptying only what the last test wrote.

    DELETE (children first) plus a sequence restart, in one round trip: on these few rows it is several times
    faster than TRUNCATE, which creates new files for every table it touches. After DDL or a subprocess
    (pg_restore) every table is truncated and the settings seeded again, as before."""
    from services.core.settings import seed_defaults

    _tracker.active = False
    _point_at(url, reopen=False)
    if _tracker.all_dirty:
        _truncate_all_pg()
    else:
        trim = {t for t in _tracker.tables - _tracker.changed if t in _PG_SEEDED_MAX_ID}
        targets = _referencing_closure(_tracker.tables - trim)
        trim -= targets
        reseed = bool(targets & _PG_SEEDED)
        if reseed:
            targets = _referencing_closure(targets | _PG_SEEDED)
        sql: list[str] = []
        for name in sorted(trim):
            top = _PG_SEEDED_MAX_ID[name]
            sql.append(f'DELETE FROM "{name}" WHERE id > {top}')  # noqa: S608
            sql.append(f"SELECT setval('{_PG_SEQUENCES[name][0]}', {top})")  # a seeded table: top >= 1
        for table in reversed(Base.metadata.sorted_tables):
            if table.name in targets:
                sql.append(f'DELETE FROM "{table.name}"')  # noqa: S608
                sql += [f"SELECT setval('{seq}', 1, false)" for seq in _PG_SEQUENCES.get(table.name, [])]
        if sql:
            try:
                with db_engine.get_engine().begin() as conn:
                    conn.exec_driver_sql(";\n".join(sql))
            except DBAPIError:  # e.g. a foreign-key cycle the delete order cannot satisfy
                _truncate_all_pg()
                reseed = False
        if reseed:
            seed_defaults()
    _tracker.clean()
    _tracker.active = True


@pytest.fixture(params=["sqlite", "pg"])
def db(request, tmp_path_factory, monkeypatch) -> str:
    """A fresh, migrated database; returns its dialect name."""
    if request.param == "pg":
        url = request.getfixturevalue("pg_ready")
        _reset_pg(url)
        real_run = subprocess.run

        def _run(*args, **kwargs):  # e.g. pg_restore writes outside SQLAlchemy: reset everything afterwards
            _tracker.all_dirty = True
            return real_run(*args, **kwargs)

        monkeypatch.setattr(subprocess, "run", _run)
    else:
        _fresh_sqlite(tmp_path_factory, request.getfixturevalue("sqlite_template"))
    yield request.param


@pytest.fixture
def sqlite_db(tmp_path_factory, sqlite_template) -> str:
    """SQLite only (page tests)."""
    url = _fresh_sqlite(tmp_path_factory, sqlite_template)
    os.environ["EKINERJA_DATABASE_URL"] = url
    reset_env_cache()
    yield url
    os.environ.pop("EKINERJA_DATABASE_URL", None)
    reset_env_cache()


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


class _Snapshots:
    """The `db_snapshot` fixture: `db_snapshot(key, build)` runs `build()` on the test's fresh database the first
    time a worker meets `key` on that kind of database, and keeps a copy of what it left (SQLite: a backup of the
    file; PostgreSQL: a database made from it as a template) and its return value. Later tests with the same key
    get that copy in place of their fresh database, and the same return value. For fixtures that load a large,
    fixed data set (the demo office, ~2-8 s a load) into many tests; the key must name everything the data depends
    on (today's date is added)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.kept: dict[tuple[str, str], tuple[object, str]] = {}

    def __call__(self, key: str, build):
        from services.core import clock as app_clock

        eng = db_engine.get_engine()
        dialect = eng.dialect.name
        full = (dialect, f"{key}@{app_clock.today().isoformat()}")
        if full in self.kept:
            value, copy = self.kept[full]
            self._restore(dialect, copy)
            return value
        value = build()
        copy = self._keep(dialect, len(self.kept))
        self.kept[full] = (value, copy)
        return value

    @staticmethod
    def _sqlite_path() -> str:
        database = db_engine.get_engine().url.database
        assert database, "db_snapshot: an SQLite file database is needed"
        return database

    @staticmethod
    def _sqlite_copy(source: str, target: str) -> None:
        import sqlite3

        db_engine.get_engine().dispose()
        with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
            src.backup(dst)
        src.close()
        dst.close()

    @staticmethod
    def _pg_admin() -> Engine:
        url = db_engine.get_engine().url
        return db_engine.make_engine(url.set(database="postgres").render_as_string(hide_password=False)) \
            .execution_options(isolation_level="AUTOCOMMIT")

    def _pg_clone(self, source: str | None, target: str | None) -> None:
        """Database `target` made anew as a copy of `source` (nobody may be connected to `source`)."""
        db_engine.get_engine().dispose()
        admin = self._pg_admin()
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
            conn.exec_driver_sql(f'CREATE DATABASE "{target}" TEMPLATE "{source}"')
        admin.dispose()

    def _keep(self, dialect: str, n: int) -> str:
        if dialect == "sqlite":
            source = self._sqlite_path()
            copy = str(self.folder / f"snapshot-{n}.db")
            self._sqlite_copy(source, copy)
            return copy
        name = db_engine.get_engine().url.database
        copy = f"{name}_snap{n}"
        self._pg_clone(name, copy)
        return copy

    def _restore(self, dialect: str, copy: str) -> None:
        if dialect == "sqlite":
            self._sqlite_copy(copy, self._sqlite_path())
            return
        self._pg_clone(copy, db_engine.get_engine().url.database)
        _tracker.all_dirty = True  # the next test starts from migrated + seeded again

    def drop_all(self) -> None:
        pg = [copy for (dialect, _key), (_value, copy) in self.kept.items() if dialect == "postgresql"]
        if pg and PG_URL:
            admin = db_engine.make_engine(PG_URL).execution_options(isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                for copy in pg:
                    conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')
            admin.dispose()
        for (dialect, _key), (_value, copy) in self.kept.items():
            if dialect == "sqlite":
                Path(copy).unlink(missing_ok=True)


@pytest.fixture(scope="session")
def _snapshots(tmp_path_factory) -> Iterator[_Snapshots]:
    snaps = _Snapshots(tmp_path_factory.mktemp("snapshots"))
    yield snaps
    snaps.drop_all()


@pytest.fixture
def db_snapshot(db, _snapshots) -> _Snapshots:
    """See _Snapshots; the test's `db` is the database it builds on or restores into."""
    return _snapshots
