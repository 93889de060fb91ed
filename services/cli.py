"""Command line `ekinerja`: migrations, demo data, admin account, pegawai import, backup.

The database comes from EKINERJA_DATABASE_URL (default: SQLite in data/ekinerja.db). Every command acts as
the system actor (services.actor.SYSTEM); the audit log records it as "sistem".
"""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy import text

from services.core import clock
from services.core.actor import SYSTEM
from services.core.errors import ServiceError, ValidationFailed

app = typer.Typer(
    name="ekinerja",
    help="e-Kinerja: perintah administrasi (migrasi, data demo, akun admin, impor pegawai, cadangan, pemulihan).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _fail(message: str, code: int = 1) -> None:
    typer.echo(message, err=True)
    raise typer.Exit(code)


def _require_schema() -> None:
    """Commands that read or write the data need the newest schema: say so plainly instead of failing half-way
    on a missing table or column."""
    from db.migrate import pending

    if pending():
        _fail(f"Basis data {_database_label()} belum dimigrasi ke versi terbaru. Jalankan dulu: ekinerja migrate")


def _database_label() -> str:
    from db.engine import get_engine

    return get_engine().url.render_as_string(hide_password=True)


@app.command("migrate", help="Perbarui skema basis data ke versi terbaru dan isi pengaturan bawaan.")
def migrate() -> None:
    from db.engine import get_engine
    from db.migrate import upgrade
    from services.core.settings import seed_defaults

    upgrade()
    added = seed_defaults()
    with get_engine().connect() as conn:
        revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    typer.echo(f"Migrasi selesai: {_database_label()} pada revisi {revision}.")
    typer.echo(f"Pengaturan bawaan ditambahkan: {added}.")


@app.command("demo-data", help="Muat data demo (Balai Besar Kekarantinaan Kesehatan, ±40 pegawai).")
def demo_data(
    if_empty: Annotated[bool, typer.Option("--if-empty", help="Lewati tanpa galat bila sudah ada pegawai.")] = False,
    year: Annotated[int | None, typer.Option("--year", help="Tahun periode kinerja (bawaan: tahun ini).")] = None,
) -> None:
    _require_schema()
    from services import demo

    try:
        result = demo.load_demo(SYSTEM, year=year, if_empty=if_empty)
    except ServiceError as e:
        _fail(str(e))
        return
    if not result.loaded:
        typer.echo(f"{result.message} (--if-empty: dilewati)")
        return
    typer.echo(f"Data demo dimuat: {result.pegawai} pegawai, {result.tim} tim kerja, {result.akun} akun, "
               f"periode {result.tahun}, {result.skp} SKP, {result.logbook} entri logbook, "
               f"{result.evaluasi} evaluasi kinerja, {result.kinerja} realisasi indikator kinerja organisasi.")
    typer.echo(f"Kata sandi semua akun demo: {demo.DEMO_PASSWORD}  (daftar: ekinerja demo-accounts --json)")


@app.command("bench-data", help="Muat data benchmark berskala kementerian (kantor demo ditambah ribuan pegawai, "
             "logbook setahun, SKP, evaluasi, Tim Kerja dengan indikator dan realisasinya) ke basis data yang masih kosong, untuk uji beban dan menaksir server.")
def bench_data(
    pegawai: Annotated[int, typer.Option("--pegawai", min=1, help="Jumlah pegawai tambahan.")] = 5000,
    bulan: Annotated[int, typer.Option("--bulan", min=1, max=24, help="Jumlah bulan logbook (sampai hari ini).")] = 12,
    unit: Annotated[int, typer.Option("--unit", min=1, help="Jumlah unit kerja tambahan.")] = 50,
    seed: Annotated[int, typer.Option("--seed", help="Benih acak (hasil sama untuk benih dan tanggal yang sama).")] = 15,
) -> None:
    _require_schema()
    from services.demo import bench

    try:
        result = bench.load_bench(SYSTEM, pegawai=pegawai, bulan=bulan, units=unit, seed=seed, progress=typer.echo)
    except ServiceError as e:
        _fail(str(e))
        return
    typer.echo(f"Data benchmark dimuat: {result.pegawai} pegawai, {result.units} unit, {result.skp} SKP, "
               f"{result.logbook} entri logbook, {result.evaluasi} evaluasi, {result.audit} log audit, "
               f"{result.tim} Tim Kerja dengan {result.indikator} indikator kinerja dan {result.realisasi} realisasi "
               f"dalam {result.seconds.get('total')} detik.")


@app.command("demo-accounts", help="Tampilkan akun demo yang ada di basis data beserta kata sandi dan perannya.")
def demo_accounts(
    as_json: Annotated[bool, typer.Option("--json", help="Keluaran JSON (daftar objek).")] = False,
) -> None:
    _require_schema()
    from services import demo

    accounts = demo.demo_accounts(SYSTEM)
    if as_json:
        typer.echo(json.dumps(accounts, ensure_ascii=False, indent=2))
        return
    if not accounts:
        typer.echo("Tidak ada akun demo di basis data. Jalankan: ekinerja demo-data")
        return
    width = max(len(a["username"]) for a in accounts)
    for a in accounts:
        typer.echo(f"{a['username']:<{width}}  {a['password']}  {a['nama']}  [{', '.join(a['roles'])}]")


@app.command("create-admin", help="Buat akun Admin SDM (tanpa data pegawai).")
def create_admin(
    username: Annotated[str, typer.Argument(help="Nama pengguna akun baru.")],
    nama: Annotated[str, typer.Option("--nama", help="Nama yang ditampilkan.")] = "Administrator SDM",
    password: Annotated[str | None, typer.Option("--password", help="Kata sandi (bila kosong, ditanyakan).")] = None,
) -> None:
    _require_schema()
    from services.auth import login as auth

    if password is None:
        password = typer.prompt("Kata sandi", hide_input=True, confirmation_prompt="Ulangi kata sandi")
    problems = auth.password_problems(password, username)
    if problems:
        _fail("Kata sandi ditolak: " + "; ".join(problems) + ".")
    try:
        user_id = auth.create_admin(SYSTEM, username, nama, password)
    except ValidationFailed as e:
        _fail("; ".join(str(err) for err in e.errors))
        return
    typer.echo(f"Akun Admin SDM '{username.strip().lower()}' dibuat (id {user_id}).")


# --- import -------------------------------------------------------------------------------------------


def _write_passwords(source: Path, accounts: list) -> Path:
    """Temporary passwords of new accounts go to a CSV (mode 600) next to the imported file, not to stdout.
    Cells pass the formula guard (export.neutralise): names come from the imported file."""
    from services.core.export import neutralise

    stamp = clock.now().strftime("%Y%m%d-%H%M%S")
    path = source.with_name(f"{source.stem}-kata-sandi-sementara-{stamp}.csv")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["nip", "nama", "kata_sandi_sementara"])
        for a in accounts:
            writer.writerow([neutralise(str(v)) for v in (a.nip, a.nama, a.temporary_password)])
    return path


@app.command("import-pegawai", help="Impor pegawai dari berkas Excel/CSV (pratinjau, lalu simpan).")
def import_pegawai(
    file: Annotated[Path, typer.Argument(help="Berkas .xlsx atau .csv.", exists=True, dir_okay=False, readable=True)],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Simpan tanpa konfirmasi.")] = False,
) -> None:
    _require_schema()
    from services.org import importer

    try:
        preview = importer.preview(SYSTEM, file.read_bytes(), file.name)
    except ValidationFailed as e:
        _fail("Berkas tidak dapat dipakai: " + "; ".join(str(err) for err in e.errors))
        return
    except ServiceError as e:
        _fail(f"Berkas tidak dapat dipakai: {e}")
        return
    added, changed, rejected = len(preview.added), len(preview.changed), len(preview.rejected)
    typer.echo(f"Pratinjau {file.name}: {added} pegawai baru, {changed} diubah, {rejected} ditolak.")
    for warning in preview.warnings:
        typer.echo(f"Peringatan: {warning}")
    if rejected:
        for row in preview.rejected.to_dict("records"):
            who = " ".join(str(v) for v in (row.get("NIP"), row.get("Nama")) if v and str(v) != "nan")
            typer.echo(f"  - Baris {row.get('Baris')}{f' ({who})' if who else ''}: {row.get('Alasan')}", err=True)
        _fail(f"Impor dibatalkan: {rejected} baris ditolak. Perbaiki berkas lalu ulangi; "
              "tidak ada data yang disimpan.")
    if not added and not changed:
        typer.echo("Tidak ada perubahan untuk disimpan.")
        return
    if not yes and not typer.confirm("Simpan perubahan ini?", default=False):
        typer.echo("Dibatalkan; tidak ada data yang disimpan.")
        raise typer.Exit(1)
    try:
        result = importer.commit(SYSTEM, preview)
    except ValidationFailed as e:
        for err in e.errors:
            typer.echo(f"  - {err}", err=True)
        _fail("Impor gagal; tidak ada data yang disimpan.")
        return
    except ServiceError as e:
        _fail(f"Impor gagal: {e}")
        return
    typer.echo(f"Impor selesai: {result.added} pegawai baru, {result.changed} diubah, "
               f"{result.unchanged} tidak berubah.")
    if result.accounts:
        path = _write_passwords(file, result.accounts)
        typer.echo(f"Kata sandi sementara {len(result.accounts)} akun baru ditulis ke: {path}")
        typer.echo("Serahkan kepada pegawai secara aman, lalu hapus berkas tersebut.")


# --- backup -------------------------------------------------------------------------------------------


@app.command("backup", help="Buat cadangan basis data (SQLite: salinan daring; PostgreSQL: pg_dump).")
def backup(
    out: Annotated[Path | None, typer.Option("--out", help="Folder tujuan (bawaan: EKINERJA_BACKUP_DIR atau "
                                                           "data/backup/).")] = None,
) -> None:
    from services.core import backup as backup_service

    try:
        path = backup_service.backup(SYSTEM, out)
    except ServiceError as e:
        _fail(f"Cadangan gagal: {e}")
        return
    typer.echo(f"Cadangan dibuat: {path} ({path.stat().st_size:,} byte)".replace(",", "."))


@app.command("restore", help="Pulihkan basis data dari berkas cadangan (menimpa seluruh isi basis data).")
def restore(
    file: Annotated[Path, typer.Argument(help="Berkas cadangan (.db untuk SQLite, .dump untuk PostgreSQL).",
                                         exists=True, dir_okay=False, readable=True)],
    ya: Annotated[bool, typer.Option("--ya", "--yes", help="Konfirmasi: isi basis data saat ini ditimpa.")] = False,
) -> None:
    from services.core import backup as backup_service

    if not ya:
        _fail(f"Pemulihan menimpa seluruh isi {_database_label()}. Ulangi dengan --ya bila yakin.")
        return
    try:
        backup_service.restore(SYSTEM, file, confirm=True)
    except ServiceError as e:
        _fail(f"Pemulihan gagal: {e}")
        return
    typer.echo(f"Basis data {_database_label()} dipulihkan dari {file}. Jalankan 'ekinerja migrate' bila "
               "cadangan berasal dari versi aplikasi yang lebih lama.")


# --- kinerja organisasi -------------------------------------------------------------------------------


@app.command("kertas-kerja", help="Tulis Kertas Kerja Perhitungan Kinerja sebulan ke Excel (versi disahkan terakhir, "
             "bila ada; selain itu versi kerja).")
def kertas_kerja(
    tahun: Annotated[int, typer.Option("--tahun", help="Tahun Perjanjian Kinerja.")],
    bulan: Annotated[int, typer.Option("--bulan", help="Bulan 1–12.")],
    out: Annotated[Path, typer.Option("--out", help="Berkas .xlsx tujuan.")],
) -> None:
    _require_schema()
    from services.kinerja import ekspor

    if not 1 <= bulan <= 12:
        _fail("Bulan harus 1 sampai 12.", 2)
    try:
        data = ekspor.kertas_kerja_xlsx(SYSTEM, tahun, "bulan", bulan)
    except ServiceError as e:
        _fail(f"Tidak ada data: {e}", 2)
        return
    out.write_bytes(data)
    typer.echo(str(out))


@app.command("laporan-kinerja", help="Tulis Laporan Kinerja (DOCX) bulanan atau tahunan dari kertas kerja terkini.")
def laporan_kinerja(
    tahun: Annotated[int, typer.Option("--tahun", help="Tahun.")],
    out: Annotated[Path, typer.Option("--out", help="Berkas .docx tujuan.")],
    bulan: Annotated[int | None, typer.Option("--bulan", help="Bulan 1–12; tanpa bulan: laporan tahunan.")] = None,
) -> None:
    _require_schema()
    from services.kinerja import laporan

    if bulan is not None and not 1 <= bulan <= 12:
        _fail("Bulan harus 1 sampai 12.", 2)
    try:
        data = laporan.laporan_docx(SYSTEM, tahun, bulan)
    except ServiceError as e:
        _fail(f"Tidak ada data: {e}", 2)
        return
    out.write_bytes(data)
    typer.echo(str(out))


@app.command("laporan-monev", help="Tulis Laporan Monitoring dan Evaluasi bulanan (SOP 002) ke .docx atau .pdf.")
def laporan_monev(
    tahun: Annotated[int, typer.Option("--tahun", help="Tahun rapat.")],
    bulan: Annotated[int, typer.Option("--bulan", help="Bulan rapat 1–12.")],
    out: Annotated[Path, typer.Option("--out", help="Berkas tujuan: .docx atau .pdf.")],
) -> None:
    _require_schema()
    from services.monev import dokumen

    if not 1 <= bulan <= 12:
        _fail("Bulan harus 1 sampai 12.", 2)
    suffix = out.suffix.lower()
    if suffix not in (".docx", ".pdf"):
        _fail("Berkas tujuan harus berakhiran .docx atau .pdf.", 2)
    try:
        data = dokumen.laporan_bulan(SYSTEM, tahun, bulan, suffix.lstrip("."))
    except ServiceError as e:
        _fail(f"Laporan monev tidak dapat dibuat: {e}", 2)
        return
    out.write_bytes(data)
    typer.echo(str(out))


if __name__ == "__main__":  # pragma: no cover
    app()
