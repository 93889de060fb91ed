"""Alembic environment: uses the application's engine (EKINERJA_DATABASE_URL or the SQLite default)."""

from __future__ import annotations

from alembic import context

import db.models  # noqa: F401  (registers the tables)
from db.base import Base
from db.engine import get_engine, make_engine

target_metadata = Base.metadata


def run_migrations_online() -> None:
    connectable = context.config.attributes.get("connection")
    url = context.config.get_main_option("sqlalchemy.url")
    if connectable is None:
        engine = make_engine(url) if url else get_engine()
        with engine.connect() as connection:
            _run(connection)
    else:
        _run(connectable)


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("Mode offline tidak didukung; jalankan 'ekinerja migrate'.")
run_migrations_online()
