"""Import pegawai from an Excel (.xlsx) or CSV file: a preview first, then an all-or-nothing commit.

Rows are matched on NIP: a NIP not in the database is ADDED, an existing NIP is CHANGED when a field
differs (empty cells keep the current value), else UNCHANGED. Every row goes through the same validator as
the grid (services.people.validate_rows). A file with rejected rows cannot be committed.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

import openpyxl
import pandas as pd
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from db.engine import read_session
from services.core import audit, settings
from services.core.actor import Actor
from services.core.errors import Conflict, FieldError, ValidationFailed
from services.core.textguard import CONTROL
from services.core.uow import unit_of_work
from services.org.people import (
    CONFLICT_MESSAGE,
    FIELD_LABELS,
    NewAccount,
    PegawaiRow,
    Refs,
    clean_text,
    current_rows,
    position_change_errors,
    require_admin,
    validate_rows,
    write_rows,
)

MAX_ROWS = 5000
REQUIRED = ("nip", "nama")
IMPORT_FIELDS = ("nip", "nama", "gelar_depan", "gelar_belakang", "jenis_asn", "golongan", "jabatan", "unit", "tim",
                 "email", "telepon")
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "nip": ("nip", "nipppk", "nip/nipppk", "nip/nippk", "nomorindukpegawai"),
    "nama": ("nama", "namapegawai", "namalengkap"),
    "gelar_depan": ("gelardepan",),
    "gelar_belakang": ("gelarbelakang",),
    "jenis_asn": ("jenisasn", "jenis", "statusasn", "statuskepegawaian"),
    "golongan": ("golongan", "gol", "gol.", "golonganruang", "golongan/ruang", "gol/ruang", "gol.ruang"),
    "jabatan": ("jabatan", "namajabatan"),
    "unit": ("unit", "unitkerja", "kodeunit", "kodeunitkerja"),
    "tim": ("tim", "timkerja", "namatim"),
    "email": ("email", "e-mail", "surel", "alamatemail"),
    "telepon": ("telepon", "telp", "telp.", "nohp", "no.hp", "hp", "nomortelepon", "nomorhp"),
}
_BY_HEADER = {alias: f for f, aliases in HEADER_ALIASES.items() for alias in aliases}
_SCIENTIFIC_RE = re.compile(r"^\d+([.,]\d+)?E\+?\d+$", re.IGNORECASE)
NIP_AS_NUMBER = ("NIP tersimpan sebagai angka sehingga digit terakhirnya hilang ({value}). Format kolom NIP "
                 "sebagai Teks di Excel, ketik ulang NIP, lalu unggah lagi")
PREVIEW_COLUMNS = ["Baris", "NIP", "Nama", "Jenis ASN", "Golongan", "Jabatan", "Unit", "Tim"]


@dataclass
class ImportPreview:
    """What an import would do. `rows` keeps the file's values so commit can re-validate against the DB."""

    filename: str
    columns: list[str]  # fields present in the file
    rows: list[dict[str, Any]]
    added: pd.DataFrame
    changed: pd.DataFrame
    unchanged: pd.DataFrame
    rejected: pd.DataFrame
    errors: list[FieldError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    fingerprint: dict[str, int | None] = field(default_factory=dict)  # nip -> version (None = new)

    @property
    def counts(self) -> dict[str, int]:
        return {"ditambah": len(self.added), "diubah": len(self.changed), "ditolak": len(self.rejected),
                "tidak_berubah": len(self.unchanged)}

    @property
    def can_commit(self) -> bool:
        return self.rejected.empty and not (self.added.empty and self.changed.empty)


@dataclass(frozen=True)
class ImportResult:
    added: int
    changed: int
    unchanged: int
    accounts: list[NewAccount]


def _file_error(message: str) -> ValidationFailed:
    return ValidationFailed([FieldError(None, "Berkas", message)])


# --- reading ----------------------------------------------------------------------------------------


def _norm_header(value: Any) -> str:
    return re.sub(r"[\s_]+", "", str(value or "").strip().lower())


def _cell(value: Any, is_nip: bool) -> tuple[str | None, str | None]:
    """(text, error) for one cell. Numbers that lost NIP digits are refused with a hint."""
    if value is None:
        return None, None
    if isinstance(value, bool):
        return ("Ya" if value else "Tidak"), None
    if isinstance(value, int):
        return str(value), None
    if isinstance(value, float):
        if is_nip and abs(value) >= 1e15:
            return None, NIP_AS_NUMBER.format(value=f"{value:.6g}")
        return (str(int(value)) if value.is_integer() else str(value)), None
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10], None
    if isinstance(value, str) and CONTROL.search(value):
        return None, "memuat karakter kendali yang tidak diizinkan (misalnya NUL); hapus karakter tersebut"
    text = clean_text(value)
    if text and is_nip:
        text = text.lstrip("'").strip()
        if _SCIENTIFIC_RE.match(text):
            return None, NIP_AS_NUMBER.format(value=text)
    return text, None


def _too_many_rows() -> ValidationFailed:
    return _file_error(f"Berkas berisi lebih dari {MAX_ROWS} baris (baris kosong ikut dihitung). Hapus baris "
                       "kosong di bawah data atau bagi menjadi beberapa berkas.")


def _read_xlsx(data: bytes) -> list[tuple[int, list[Any]]]:
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise _file_error("Berkas .xlsx tidak dapat dibaca. Simpan ulang dari Excel sebagai .xlsx.") from None
    try:
        ws = wb["Pegawai"] if "Pegawai" in wb.sheetnames else wb.worksheets[0]
        out = []
        for n, values in enumerate(ws.iter_rows(min_row=1, values_only=True), start=1):
            if n > MAX_ROWS + 1:  # rows READ count (header included), kept or not: empty rows cost time too
                raise _too_many_rows()
            if any(v not in (None, "") for v in values):
                out.append((n, list(values)))
        return out
    finally:
        wb.close()


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _file_error("Berkas CSV tidak dapat dibaca: simpan sebagai CSV UTF-8.")


CSV_BROKEN = ("Berkas CSV rusak di sekitar baris {line}: tanda kutip (\") tidak ditutup atau salah letak, "
              "sehingga baris-baris bisa tergabung. Perbaiki sel tersebut atau simpan ulang dari Excel sebagai "
              "CSV UTF-8, lalu unggah lagi.")


def _read_csv(data: bytes) -> list[tuple[int, list[Any]]]:
    """Strict dialect: a malformed or unterminated quote is an error, never silently merged rows."""
    text = _decode(data)
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max((";", ",", "\t"), key=first.count) if first else ","
    out = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        for n, values in enumerate(reader, start=1):
            if n > MAX_ROWS + 1:
                raise _too_many_rows()
            if any("\n" in v or "\r" in v for v in values):  # a quoted cell spanning lines: a stray quote
                raise _file_error(CSV_BROKEN.format(line=n))
            if any(v.strip() for v in values):
                out.append((n, values))
    except csv.Error:
        raise _file_error(CSV_BROKEN.format(line=reader.line_num)) from None
    return out


def _read(data: bytes, filename: str) -> tuple[list[str], list[dict[str, Any]], list[FieldError], list[str]]:
    """Return (fields present, rows with `_row`, cell errors, warnings). Raises ValidationFailed for the file."""
    limit_mb = settings.get("unggah_maks_mb")
    if len(data) > limit_mb * 1024 * 1024:
        raise _file_error(f"Ukuran berkas {len(data) / 1024 / 1024:.1f} MB melebihi batas {limit_mb} MB.")
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        table = _read_xlsx(data)
    elif name.endswith(".csv"):
        table = _read_csv(data)
    else:
        raise _file_error("Jenis berkas tidak didukung. Unggah berkas Excel (.xlsx) atau CSV (.csv).")
    if not table:
        raise _file_error("Berkas kosong.")
    header_row, header = table[0]
    columns: dict[int, str] = {}
    warnings: list[str] = []
    for i, h in enumerate(header):
        if h is None or str(h).strip() == "":
            continue
        f = _BY_HEADER.get(_norm_header(h))
        if f is None:
            warnings.append(f"Kolom '{str(h).strip()}' tidak dikenal dan diabaikan.")
        elif f in columns.values():
            raise _file_error(f"Kolom '{FIELD_LABELS[f]}' muncul lebih dari sekali (baris {header_row}).")
        else:
            columns[i] = f
    missing = [FIELD_LABELS[f] for f in REQUIRED if f not in columns.values()]
    if missing:
        raise _file_error(f"Kolom wajib tidak ditemukan pada baris {header_row}: {', '.join(missing)}. "
                          "Gunakan templat yang disediakan.")
    body = table[1:]
    if not body:
        raise _file_error("Berkas tidak berisi baris data.")
    if len(body) > MAX_ROWS:
        raise _file_error(f"Berkas berisi lebih dari {MAX_ROWS} baris data. Bagi menjadi beberapa berkas.")
    rows, errors = [], []
    for n, values in body:
        row: dict[str, Any] = {"_row": n}
        for i, f in columns.items():
            text, problem = _cell(values[i] if i < len(values) else None, f == "nip")
            row[f] = text
            if problem:
                errors.append(FieldError(n, FIELD_LABELS[f], problem))
        rows.append(row)
    return sorted(set(columns.values()), key=IMPORT_FIELDS.index), rows, errors, warnings


# --- planning (shared by preview and commit) --------------------------------------------------------


@dataclass
class _Plan:
    add: list[PegawaiRow]
    change: list[tuple[PegawaiRow, list[tuple[str, Any, Any]]]]
    same: list[PegawaiRow]
    errors: list[FieldError]
    fingerprint: dict[str, int | None]


def _nip_digits(value: Any) -> str:
    return re.sub(r"[\s.\-]", "", str(value or ""))


def _plan(s: Session, columns: list[str], rows: list[dict[str, Any]], cell_errors: list[FieldError]) -> _Plan:
    refs = Refs(s)
    nips = [_nip_digits(r.get("nip")) for r in rows]
    current = {r["nip"]: r for r in current_rows(s, refs, nips=[n for n in nips if n])}
    merged = []
    for raw, nip in zip(rows, nips, strict=True):
        cur = current.get(nip)
        row = {"_row": raw["_row"], "aktif": True}
        if cur is not None:
            row.update({f: cur[f] for f in FIELD_LABELS if f != "aktif"})
            row["id"], row["version"] = cur["id"], cur["version"]
        for f in columns:
            if cur is None or raw.get(f) not in (None, ""):
                row[f] = raw.get(f)
        merged.append(row)
    clean, errors = validate_rows(s, merged, refs)
    bad = {(e.row, e.field) for e in cell_errors}
    errors = cell_errors + [e for e in errors if (e.row, e.field) not in bad]
    errors += position_change_errors(s, clean)
    rejected_rows = {e.row for e in errors}
    plan = _Plan([], [], [], sorted(errors, key=lambda e: (e.row or 0, list(FIELD_LABELS.values()).index(e.field)
                                                           if e.field in FIELD_LABELS.values() else 99)), {})
    by_id = {c["id"]: c for c in current.values()}
    for r in clean:
        if r.row in rejected_rows:
            continue
        if r.id is None:
            plan.add.append(r)
            plan.fingerprint[r.nip] = None
            continue
        before = by_id[r.id]
        diff = [(FIELD_LABELS[f], before[f], v) for f, v in r.display().items() if (before[f] or None) != (v or None)
                and not (f == "aktif" and bool(before[f]) == bool(v))]
        plan.fingerprint[r.nip] = before["version"]
        (plan.change.append((r, diff)) if diff else plan.same.append(r))
    return plan


def _show(value: Any) -> str:
    if value is True:
        return "Ya"
    if value is False:
        return "Tidak"
    return "—" if value in (None, "") else str(value)


def _rows_df(rows: list[PegawaiRow]) -> pd.DataFrame:
    data = [[r.row, r.nip, r.nama_lengkap, r.jenis_asn, r.golongan, r.jabatan, r.unit, r.tim] for r in rows]
    return pd.DataFrame(data, columns=PREVIEW_COLUMNS)


def _changed_df(change: list[tuple[PegawaiRow, list[tuple[str, Any, Any]]]]) -> pd.DataFrame:
    data = [[r.row, r.nip, r.nama_lengkap, "; ".join(f"{label}: {_show(a)} → {_show(b)}" for label, a, b in diff)]
            for r, diff in change]
    return pd.DataFrame(data, columns=["Baris", "NIP", "Nama", "Perubahan"])


def _rejected_df(rows: list[dict[str, Any]], errors: list[FieldError]) -> pd.DataFrame:
    reasons: dict[int, list[str]] = {}
    for e in errors:
        reasons.setdefault(e.row or 0, []).append(f"{e.field}: {e.message}")
    by_row = {r["_row"]: r for r in rows}
    data = [[n, by_row.get(n, {}).get("nip"), by_row.get(n, {}).get("nama"), "; ".join(msgs)]
            for n, msgs in sorted(reasons.items())]
    return pd.DataFrame(data, columns=["Baris", "NIP", "Nama", "Alasan"])


# --- public API -------------------------------------------------------------------------------------


def preview(actor: Actor, data: bytes, filename: str) -> ImportPreview:
    """Read and check a file; nothing is written. Raises ValidationFailed (row None) when the file itself is
    unusable (type, size, row count, missing columns); row problems are listed in `rejected`."""
    require_admin(actor)
    columns, rows, cell_errors, warnings = _read(data, filename)
    with read_session() as s:
        plan = _plan(s, columns, rows, cell_errors)
    return ImportPreview(
        filename=filename, columns=columns, rows=rows,
        added=_rows_df(plan.add), changed=_changed_df(plan.change), unchanged=_rows_df(plan.same),
        rejected=_rejected_df(rows, plan.errors), errors=plan.errors, warnings=warnings,
        fingerprint=plan.fingerprint,
    )


def commit(actor: Actor, preview: ImportPreview) -> ImportResult:
    """Write a previewed import in ONE transaction after re-validating every row against the database now.
    Refuses when the preview had rejected rows or when the data changed since the preview."""
    require_admin(actor)
    if preview.errors or not preview.rejected.empty:
        raise ValidationFailed(preview.errors or [FieldError(None, "Berkas", "ada baris yang ditolak")])
    try:
        with unit_of_work(actor, action="impor_pegawai") as s:
            plan = _plan(s, preview.columns, preview.rows, [])
            if plan.errors:
                raise ValidationFailed(plan.errors)
            if plan.fingerprint != preview.fingerprint:
                raise Conflict("Data pegawai berubah sejak pratinjau dibuat. Unggah ulang berkas untuk "
                               "melihat pratinjau terbaru.")
            accounts = write_rows(s, plan.add + [r for r, _ in plan.change])
            audit.record(s, actor, "impor_pegawai", "Pegawai", None,
                         after={"ditambah": len(plan.add), "diubah": len(plan.change),
                                "tidak_berubah": len(plan.same)},
                         note=f"Impor dari berkas {preview.filename}")
    except StaleDataError:
        raise Conflict(CONFLICT_MESSAGE) from None
    return ImportResult(added=len(plan.add), changed=len(plan.change), unchanged=len(plan.same),
                        accounts=accounts)


TEMPLATE_HEADERS = [FIELD_LABELS[f] for f in IMPORT_FIELDS]
TEMPLATE_EXAMPLES = [
    ["198703152010012001", "Sri Wahyuni", "", "S.K.M.", "PNS", "III/c", "Epidemiolog Kesehatan Ahli Muda",
     "BUK", "Tim Kerja Surveilans", "sri.wahyuni@contoh.go.id", "0812-3456-7890"],
    ["199001012023211002", "Agus Salim", "", "", "PPPK", "IX", "Penata Layanan Operasional", "ADUM", "",
     "", ""],
]
TEMPLATE_NOTES = [
    ("NIP", "Wajib. 18 digit NIP PNS atau NI PPPK. Format sel sebagai Teks agar digit tidak berubah."),
    ("Nama", "Wajib. Nama tanpa gelar, maksimal 150 karakter."),
    ("Gelar Depan", "Opsional, misalnya dr. atau Ir."),
    ("Gelar Belakang", "Opsional, misalnya S.E., M.K.M."),
    ("Jenis ASN", "PNS atau PPPK; bila kosong ditentukan dari NIP."),
    ("Golongan", "PNS: I/a sampai IV/e (misalnya III/b). PPPK: I sampai XVII."),
    ("Jabatan", "Nama jabatan yang sudah terdaftar; bila nama sama di beberapa unit tulis 'Nama (KODE UNIT)'."),
    ("Unit", "Kode unit kerja yang terdaftar."),
    ("Tim", "Nama tim kerja yang terdaftar, atau kosong."),
    ("Email", "Opsional."),
    ("Telepon", "Opsional."),
    ("Catatan", "Baris 1 adalah judul kolom. NIP yang sudah ada akan diperbarui; sel kosong pada pegawai "
                "yang sudah ada tidak mengubah nilai lama. Pegawai baru mendapat akun dengan kata sandi sementara."),
]


def template_xlsx() -> bytes:
    """An import template: header + 2 example rows (NIP column formatted as text), and a sheet of notes."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Pegawai"
    ws.append(TEMPLATE_HEADERS)
    for row in TEMPLATE_EXAMPLES:
        ws.append([v or None for v in row])
    ws.column_dimensions["A"].number_format = "@"  # NIP typed later stays text (no lost digits)
    for r in range(1, ws.max_row + 1):
        ws.cell(row=r, column=1).number_format = "@"
    widths = [22, 28, 12, 16, 11, 10, 36, 10, 24, 28, 16]
    for i, w in enumerate(widths):
        ws.column_dimensions[get_column_letter(i + 1)].width = w
    ws.freeze_panes = "A2"
    for cell in ws[1]:
        cell.font = Font(bold=True)
    notes = wb.create_sheet("Petunjuk")
    notes.append(["Kolom", "Keterangan"])
    for row in TEMPLATE_NOTES:  # type: ignore[assignment]
        notes.append(list(row))
    notes.column_dimensions["A"].width = 16
    notes.column_dimensions["B"].width = 110
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
