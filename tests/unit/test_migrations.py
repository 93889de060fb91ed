"""The Alembic migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from db.base import Base
from db.engine import get_engine


def test_migrated_schema_matches_models(db):
    engine = get_engine()
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True, "render_as_batch": True})
        diff = compare_metadata(ctx, Base.metadata)
    assert diff == [], f"Models and migrations differ: {diff}"


def test_every_model_table_exists(db):
    names = set(inspect(get_engine()).get_table_names())
    assert {t.name for t in Base.metadata.sorted_tables} <= names
    assert "alembic_version" in names


@pytest.mark.parametrize("db", ["sqlite"], indirect=True)
def test_sqlite_pragmas(db):
    with get_engine().connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_downgrade_to_base_and_up_again(db):
    from alembic import command

    from db.migrate import alembic_config

    cfg = alembic_config()
    with get_engine().begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "base")
    assert set(inspect(get_engine()).get_table_names()) <= {"alembic_version"}
    with get_engine().begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    assert {t.name for t in Base.metadata.sorted_tables} <= set(inspect(get_engine()).get_table_names())
