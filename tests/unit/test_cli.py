"""The `ekinerja` command line against a fresh SQLite file (migrate runs the real migrations)."""

from __future__ import annotations

import csv
import functools
import json
import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from db import engine as db_engine
from db.config import reset_env_cache
from services.auth import login as auth
from services.cli import app
from services.core import backup as backup_service
from services.core.actor import SYSTEM
from services.core.errors import PermissionDenied

runner = CliRunner()


@pytest.fixture
def cli_db(tmp_path, monkeypatch) -> Path:
    """An empty SQLite file; the CLI must build the schema itself."""
    path = tmp_path / "cli.db"
    url = f"sqlite:///{path}"
    monkeypatch.setenv("EKINERJA_DATABASE_URL", url)
    monkeypatch.setenv("EKINERJA_DATA_DIR", str(tmp_path / "data"))
    reset_env_cache()
    db_engine.configure(url)
    yield path
    db_engine.get_engine().dispose()
    monkeypatch.undo()
    reset_env_cache()


def run(*args: str, **kw):
    result = runner.invoke(app, list(args), **kw)
    return result


@pytest.fixture
def migrated(cli_db) -> Path:
    result = run("migrate")
    assert result.exit_code == 0, result.output
    return cli_db


def test_migrate_builds_schema_and_settings(cli_db):
    result = run("migrate")
    assert result.exit_code == 0, result.output
    assert "Migrasi selesai" in result.output
    assert "Pengaturan bawaan ditambahkan: " in result.output
    with sqlite3.connect(cli_db) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        settings_count = conn.execute("SELECT count(*) FROM settings").fetchone()[0]
    assert {"pegawai", "users", "alembic_version"} <= tables
    assert settings_count > 0
    again = run("migrate")  # idempotent
    assert again.exit_code == 0 and "ditambahkan: 0" in again.output


@pytest.mark.parametrize("command", [["demo-data"], ["bench-data", "--pegawai", "10"], ["demo-accounts"],
                                     ["create-admin", "admin2", "--password", "Rahasia-12345"]])
def test_commands_on_an_unmigrated_database_say_to_migrate_first(cli_db, command):
    result = run(*command)
    assert result.exit_code == 1
    assert "belum dimigrasi ke versi terbaru. Jalankan dulu: ekinerja migrate" in result.output
    assert "Traceback" not in result.output
    with sqlite3.connect(cli_db) as conn:  # nothing was written
        assert conn.execute("SELECT count(*) FROM sqlite_master WHERE type='table'").fetchone()[0] == 0
    assert run("demo-data", "--help").exit_code == 0  # help needs no database


def test_commands_on_an_older_schema_say_to_migrate_first(migrated):
    with sqlite3.connect(migrated) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'older'")
    result = run("demo-accounts")
    assert result.exit_code == 1 and "ekinerja migrate" in result.output


def test_demo_data_if_empty_twice_and_accounts_log_in(migrated, monkeypatch):
    first = run("demo-data", "--if-empty")
    assert first.exit_code == 0, first.output
    assert "Data demo dimuat: 40 pegawai" in first.output
    second = run("demo-data", "--if-empty")
    assert second.exit_code == 0, second.output
    assert "dilewati" in second.output
    refused = run("demo-data")
    assert refused.exit_code == 1 and "sudah ada" in refused.output
    with sqlite3.connect(migrated) as conn:
        assert conn.execute("SELECT count(*) FROM pegawai").fetchone()[0] == 40

    listed = run("demo-accounts", "--json")
    assert listed.exit_code == 0, listed.output
    accounts = json.loads(listed.output)
    assert len(accounts) == 41
    assert {tuple(sorted(a)) for a in accounts} == {("nama", "password", "roles", "username")}
    roles = {r for a in accounts for r in a["roles"]}
    assert {"admin_sdm", "kepala_satker", "perencana", "penilai", "atasan_penilai",
            "pemberi_pertimbangan", "pegawai"} <= roles

    # Every demo account shares one bcrypt hash: check each (password, hash) pair once, so 41 real logins
    # (lockout counters, roles, last login) cost one bcrypt computation instead of ~10 s.
    monkeypatch.setattr(auth, "check_password", functools.lru_cache(maxsize=None)(auth.check_password))
    logged = []
    for a in accounts:
        result = auth.authenticate(a["username"], a["password"])
        assert not result.must_change_password
        logged.append((result.actor.nama, sorted(r.value for r in result.actor.roles)))
    assert logged == [(a["nama"], a["roles"]) for a in accounts]
    assert auth.check_password.cache_info().misses <= 2

    table = run("demo-accounts")
    assert table.exit_code == 0 and "admin" in table.output and "Demo12345" in table.output


def test_demo_accounts_empty_database(migrated):
    result = run("demo-accounts", "--json")
    assert result.exit_code == 0
    assert json.loads(result.output) == []


def test_create_admin(migrated):
    weak = run("create-admin", "operator", "--password", "pendek")
    assert weak.exit_code == 1 and "Kata sandi ditolak" in weak.output
    ok = run("create-admin", "Operator", "--nama", "Operator SDM", "--password", "Kuat2025aman")
    assert ok.exit_code == 0, ok.output
    assert "'operator' dibuat" in ok.output
    result = auth.authenticate("operator", "Kuat2025aman")
    assert result.actor.is_admin and result.actor.nama == "Operator SDM"
    dup = run("create-admin", "operator", "--password", "Kuat2025aman")
    assert dup.exit_code == 1 and "sudah dipakai" in dup.output


def test_create_admin_prompts_for_hidden_password(migrated):
    result = run("create-admin", "petugas", input="Rahasia2025x\nRahasia2025x\n")
    assert result.exit_code == 0, result.output
    assert "Rahasia2025x" not in result.output  # hidden input is not echoed
    assert auth.authenticate("petugas", "Rahasia2025x").actor.is_admin


def test_backup_is_a_readable_sqlite_copy(migrated, tmp_path):
    assert run("create-admin", "admin2", "--password", "Kuat2025aman").exit_code == 0
    out = tmp_path / "cadangan"
    result = run("backup", "--out", str(out))
    assert result.exit_code == 0, result.output
    files = list(out.glob("ekinerja-*.db"))
    assert len(files) == 1 and str(files[0]) in result.output
    with sqlite3.connect(files[0]) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT username FROM users").fetchall() == [("admin2",)]
    default = run("backup")  # default folder: <data_dir>/backup
    assert default.exit_code == 0, default.output
    assert list((Path(os.environ["EKINERJA_DATA_DIR"]) / "backup").glob("ekinerja-*.db"))


# --- import-pegawai (services.importer) into the demo office ---------------------------------------


@pytest.fixture(scope="module")
def _demo_template(tmp_path_factory) -> Path:
    """`migrate` + `demo-data` once for this module's tests (~4 s): each test gets a copy of the file and folder."""
    base = tmp_path_factory.mktemp("cli_demo")
    url = f"sqlite:///{base / 'cli.db'}"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("EKINERJA_DATABASE_URL", url)
        mp.setenv("EKINERJA_DATA_DIR", str(base / "data"))
        reset_env_cache()
        db_engine.configure(url)
        try:
            for command in ("migrate", "demo-data"):
                result = run(command)
                assert result.exit_code == 0, result.output
        finally:
            db_engine.get_engine().dispose()
    reset_env_cache()
    return base


@pytest.fixture
def demo_db(cli_db, _demo_template) -> Path:
    """The demo office in this test's database file (a copy of the module's template)."""
    db_engine.get_engine().dispose()
    shutil.copy(_demo_template / "cli.db", cli_db)
    if (_demo_template / "data").exists():
        shutil.copytree(_demo_template / "data", cli_db.parent / "data", dirs_exist_ok=True)
    return cli_db


NEW_NIP = "199502142020122003"
CHANGED_NIP = "199211052019022002"  # Nurul Aini in the demo office


def _csv(tmp_path: Path, *rows: str) -> Path:
    src = tmp_path / "pegawai.csv"
    src.write_text("NIP;Nama;Gelar Belakang;Golongan;Jabatan;Unit;Tim;Email\n" + "\n".join(rows) + "\n")
    return src


def test_import_pegawai_writes_passwords_to_csv(demo_db, tmp_path):
    src = _csv(tmp_path,
               f"{NEW_NIP};Rosmawati Siregar;S.K.M.;III/a;Epidemiolog Kesehatan Ahli Pertama;BBKK;"
               "Tim Kerja Surveilans dan Karantina Kesehatan;rosmawati@contoh.example",
               f"{CHANGED_NIP};Nurul Aini;;;;;;nurul.baru@contoh.example")
    result = run("import-pegawai", str(src), "--yes")
    assert result.exit_code == 0, result.output
    assert "1 pegawai baru, 1 diubah, 0 ditolak" in result.output
    written = list(tmp_path.glob("pegawai-kata-sandi-sementara-*.csv"))
    assert len(written) == 1 and str(written[0]) in result.output
    assert oct(written[0].stat().st_mode & 0o777) == "0o600"
    with written[0].open() as fh:
        rows = list(csv.DictReader(fh))
    assert [r["nip"] for r in rows] == [NEW_NIP]
    assert rows[0]["kata_sandi_sementara"] not in result.output  # the password is in the file only
    login = auth.authenticate(NEW_NIP, rows[0]["kata_sandi_sementara"])
    assert login.must_change_password
    with sqlite3.connect(demo_db) as conn:
        assert conn.execute("SELECT email FROM pegawai WHERE nip=?", (CHANGED_NIP,)).fetchone()[0] == \
            "nurul.baru@contoh.example"


def test_import_pegawai_rejected_rows_exit_nonzero(demo_db, tmp_path):
    src = _csv(tmp_path,
               f"{NEW_NIP};Rosmawati Siregar;;III/a;Epidemiolog Kesehatan Ahli Pertama;BBKK;;",
               "19950214202012200;Tanpa Digit;;III/a;;BBKK;;")
    result = run("import-pegawai", str(src), "--yes")
    assert result.exit_code == 1
    assert "1 pegawai baru, 0 diubah, 1 ditolak" in result.output
    assert "Baris 3" in result.output and "18 digit" in result.output
    assert "tidak ada data yang disimpan" in result.output
    assert not list(tmp_path.glob("*kata-sandi*"))
    with sqlite3.connect(demo_db) as conn:
        assert conn.execute("SELECT count(*) FROM pegawai WHERE nip=?", (NEW_NIP,)).fetchone()[0] == 0


def test_import_pegawai_asks_before_saving(demo_db, tmp_path):
    src = _csv(tmp_path, f"{NEW_NIP};Rosmawati Siregar;;III/a;Epidemiolog Kesehatan Ahli Pertama;BBKK;;")
    result = run("import-pegawai", str(src), input="n\n")
    assert result.exit_code == 1 and "Dibatalkan" in result.output
    with sqlite3.connect(demo_db) as conn:
        assert conn.execute("SELECT count(*) FROM pegawai").fetchone()[0] == 40


def test_import_pegawai_unusable_file(migrated, tmp_path):
    src = tmp_path / "pegawai.txt"
    src.write_text("apa saja")
    result = run("import-pegawai", str(src), "--yes")
    assert result.exit_code == 1 and "Jenis berkas tidak didukung" in result.output


# --- services.backup on both databases ---------------------------------------------------------------


def test_backup_service_both_databases(db, tmp_path):
    if db == "pg" and not shutil.which("pg_dump"):
        pytest.skip("pg_dump tidak terpasang")
    path = backup_service.backup(SYSTEM, tmp_path)
    assert path.parent == tmp_path and path.name.startswith("ekinerja-")
    head = path.read_bytes()[:16]
    assert head.startswith(b"PGDMP") if db == "pg" else head == b"SQLite format 3\x00"


@pytest.mark.parametrize("db", ["pg"], indirect=True)
def test_backup_without_pg_dump_is_a_clear_error(db, tmp_path, monkeypatch):
    monkeypatch.setattr(backup_service.shutil, "which", lambda _name: None)
    with pytest.raises(backup_service.BackupFailed, match="pg_dump tidak ditemukan"):
        backup_service.backup(SYSTEM, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_backup_requires_admin(org, tmp_path):
    with pytest.raises(PermissionDenied):
        backup_service.backup(org.actors.kepala, tmp_path)


# --- backup mode, restore round trip (issue: safe backups) ---------------------------------------------


def _counts() -> dict[str, int]:
    from sqlalchemy import func, select

    from db.base import Base
    from db.engine import get_engine

    with get_engine().connect() as conn:
        return {t.name: conn.execute(select(func.count()).select_from(t)).scalar() for t in Base.metadata.sorted_tables}


def test_backup_files_are_private_and_restore_round_trips(db, org, tmp_path, monkeypatch):
    if db == "pg" and not shutil.which("pg_restore"):
        pytest.skip("pg_restore tidak terpasang")
    monkeypatch.setenv("EKINERJA_BACKUP_DIR", str(tmp_path / "cadangan"))
    from db.config import reset_env_cache

    reset_env_cache()
    path = backup_service.backup(SYSTEM)
    assert path.parent == tmp_path / "cadangan"
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert oct(path.parent.stat().st_mode & 0o777) == "0o700"
    before = _counts()
    assert before["pegawai"] > 0 and before["users"] > 0
    # changes after the backup are undone by the restore (into the existing database)
    auth.create_admin(SYSTEM, "setelah_cadangan", "Setelah", "Kuat2025aman")
    with pytest.raises(backup_service.BackupFailed, match="konfirmasi"):
        backup_service.restore(SYSTEM, path)
    backup_service.restore(SYSTEM, path, confirm=True)
    after = _counts()
    # audit_log: the backup's own row is written after the copy, the restore's row after the restore
    assert after == before
    reset_env_cache()


def test_restore_into_an_empty_database(db, tmp_path):
    from sqlalchemy import text

    from db import engine as db_engine
    from tests.factories import build_org

    if db == "pg" and not shutil.which("pg_restore"):
        pytest.skip("pg_restore tidak terpasang")
    build_org()
    path = backup_service.backup(SYSTEM, tmp_path)
    before = _counts()
    engine = db_engine.get_engine()
    if db == "pg":
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    else:
        target = tmp_path / "kosong.db"
        db_engine.configure(f"sqlite:///{target}")
    backup_service.restore(SYSTEM, path, confirm=True)
    after = _counts()
    assert after == before
    if db == "pg":  # leave the shared test database migrated for the next tests
        from db.migrate import upgrade

        upgrade()


def test_restore_command_needs_the_confirmation_flag(migrated, tmp_path):
    assert run("create-admin", "admin2", "--password", "Kuat2025aman").exit_code == 0
    out = tmp_path / "cadangan"
    assert run("backup", "--out", str(out)).exit_code == 0
    file = next(out.glob("ekinerja-*.db"))
    assert oct(file.stat().st_mode & 0o777) == "0o600"
    refused = run("restore", str(file))
    assert refused.exit_code == 1 and "--ya" in refused.output
    assert run("create-admin", "admin3", "--password", "Kuat2025aman").exit_code == 0
    done = run("restore", str(file), "--ya")
    assert done.exit_code == 0, done.output
    with sqlite3.connect(migrated) as conn:
        assert conn.execute("SELECT username FROM users ORDER BY username").fetchall() == [("admin2",)]
