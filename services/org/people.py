"""Pegawai administration (Admin SDM): the grid read model, ONE row validator shared by the grid and the
importer, and the save that creates accounts for new pegawai and deactivates instead of deleting.

Field names in errors are the column labels the user sees (FIELD_LABELS), so the same messages fit the
grid and an uploaded file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from dataclasses import dataclass
from typing import Any, NamedTuple

import pandas as pd
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

import domain as rules
from db.engine import read_session
from db.models import Jabatan, JenisASN, JenisKelamin, Pegawai, Role, Skp, TimKerja, UnitKerja, User
from services.auth import login as auth
from services.core import clock, export
from services.core.actor import Actor
from services.core.errors import Conflict, FieldError
from services.core.grid import (
    ErrorSink,
    GridPlan,
    GridSpec,
    PastePreview,
    RowErrors,
    apply_grid,
    grid_table,
    preview_by_save,
)
from services.core.uow import unit_of_work
from services.org.units import subtree

FIELD_LABELS: dict[str, str] = {
    "nip": "NIP",
    "jenis_asn": "Jenis ASN",
    "gelar_depan": "Gelar Depan",
    "nama": "Nama",
    "gelar_belakang": "Gelar Belakang",
    "golongan": "Golongan",
    "jabatan": "Jabatan",
    "unit": "Unit",
    "tim": "Tim",
    "email": "Email",
    "telepon": "Telepon",
    "aktif": "Aktif",
}
"""Editable fields -> the label the user sees (grid column and import header)."""

COLUMNS = ("id", *FIELD_LABELS, "tanggal_lahir", "jenis_kelamin", "akun", "version")
READ_ONLY = ("id", "tanggal_lahir", "jenis_kelamin", "akun", "version")
COMPARED = ("jenis_asn", "gelar_depan", "nama", "gelar_belakang", "golongan", "jabatan", "unit", "tim",
            "email", "telepon", "aktif")
MAX_LEN = {"nama": 150, "gelar_depan": 40, "gelar_belakang": 60, "email": 120, "telepon": 30}
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
_PHONE_RE = re.compile(r"^[0-9+()\-.\s]+$")
_LABEL_WITH_UNIT_RE = re.compile(r"^(.*\S)\s*\(([^()]*)\)$")
NO_UNIT = "tanpa unit"
CONFLICT_MESSAGE = ("Data pegawai telah diubah pengguna lain sejak halaman dimuat. Muat ulang halaman, "
                    "lalu ulangi perubahan Anda.")


class NewAccount(NamedTuple):
    """A login account created for a new pegawai; the temporary password is shown to the admin once."""

    nip: str
    nama: str
    temporary_password: str


@dataclass(frozen=True)
class PegawaiRow:
    """A validated row, ready to write. Display values (jabatan label, unit kode, tim name) are kept for diffs."""

    row: int
    id: int | None
    nip: str
    jenis_asn: str
    nama: str
    gelar_depan: str | None
    gelar_belakang: str | None
    golongan: str | None
    jabatan_id: int | None
    jabatan: str | None
    unit_id: int | None
    unit: str | None
    tim_id: int | None
    tim: str | None
    email: str | None
    telepon: str | None
    aktif: bool
    tanggal_lahir: dt.date
    jenis_kelamin: str
    tmt_asn: dt.date
    version: int | None = None

    def display(self) -> dict[str, Any]:
        return {f: getattr(self, f) for f in COMPARED}

    @property
    def nama_lengkap(self) -> str:
        name = " ".join(p for p in (self.gelar_depan, self.nama) if p)
        return f"{name}, {self.gelar_belakang}" if self.gelar_belakang else name


@dataclass(frozen=True)
class GridOptions:
    """Choices for the grid's select boxes and the unit filter."""

    jenis_asn: list[str]
    golongan: list[str]
    jabatan: list[str]
    unit: list[str]
    tim: list[str]
    unit_filter: list[tuple[int, str]]  # (id, "KODE — nama")


def require_admin(actor: Actor) -> None:
    actor.require(Role.ADMIN_SDM, message="Hanya Admin SDM yang dapat mengelola data pegawai.")


# --- small value helpers ----------------------------------------------------------------------------


def clean_text(value: Any) -> str | None:
    """Strip and collapse whitespace; None/NaN/empty -> None."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is pd.NA or value is pd.NaT:
        return None
    text = " ".join(str(value).split())
    return text or None


def _bool(value: Any, default: bool = True) -> bool:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return default
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"", "none"}:
        return default
    return text not in {"0", "false", "tidak", "t", "n", "no", "nonaktif", "salah"}


def _int(value: Any) -> int | None:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value == "":
        return None
    return int(value)


def csv_safe(value: Any) -> str:
    """Neutralise spreadsheet formula injection in exported cells (the one guard: export.neutralise)."""
    return export.neutralise("" if value is None else str(value))


def passwords_csv(accounts: list[NewAccount]) -> bytes:
    """The temporary passwords as a CSV (';'-separated, UTF-8 with BOM so Excel opens it correctly)."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";")
    writer.writerow(["NIP", "Nama", "Nama pengguna", "Kata sandi sementara"])
    for a in accounts:
        writer.writerow([csv_safe(a.nip), csv_safe(a.nama), csv_safe(a.nip), csv_safe(a.temporary_password)])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


# --- reference data ---------------------------------------------------------------------------------


@dataclass
class _Ref:
    id: int
    label: str
    aktif: bool


class Refs:
    """Jabatan / unit / tim lookups and NIP/username owners, loaded once per validation."""

    def __init__(self, s: Session, owners: bool = True) -> None:
        units = s.execute(select(UnitKerja.id, UnitKerja.kode, UnitKerja.aktif)).all()
        self.unit_kode = {uid: kode for uid, kode, _ in units}
        self.units = {kode.lower(): _Ref(uid, kode, aktif) for uid, kode, aktif in units}
        jab = s.execute(select(Jabatan.id, Jabatan.nama, Jabatan.unit_id, Jabatan.aktif)).all()
        by_name: dict[str, list] = {}
        for row in jab:
            by_name.setdefault(" ".join(row.nama.split()).lower(), []).append(row)
        self.jabatan_label: dict[int, str] = {}
        self.jabatan_by_label: dict[str, _Ref] = {}
        self.jabatan_by_name: dict[str, list[_Ref]] = {}
        for name, group in by_name.items():
            for row in group:
                nama = " ".join(row.nama.split())
                kode = self.unit_kode.get(row.unit_id) if row.unit_id else NO_UNIT
                label = nama if len(group) == 1 else f"{nama} ({kode})"
                ref = _Ref(row.id, label, row.aktif)
                self.jabatan_label[row.id] = label
                self.jabatan_by_label[f"{nama} ({kode})".lower()] = ref
                self.jabatan_by_name.setdefault(name, []).append(ref)
        tims = s.execute(select(TimKerja.id, TimKerja.nama, TimKerja.aktif)).all()
        self.tim_name = {tid: " ".join(nama.split()) for tid, nama, _ in tims}
        self.tims = {" ".join(nama.split()).lower(): _Ref(tid, " ".join(nama.split()), aktif)
                     for tid, nama, aktif in tims}
        self.nip_owner: dict[str, int] = {}
        self.nama_of: dict[int, str] = {}
        self.username_owner: dict[str, int | None] = {}
        if not owners:  # a read model: labels only, not every NIP and username of the organisation
            return
        for pid, nip, nama in s.execute(select(Pegawai.id, Pegawai.nip, Pegawai.nama)):
            self.nip_owner[nip] = pid
            self.nama_of[pid] = nama
        self.username_owner = dict(s.execute(select(User.username, User.pegawai_id)).all())

    def jabatan(self, text: str) -> _Ref:
        key = text.lower()
        group = self.jabatan_by_name.get(key)
        if group and len(group) == 1:
            return group[0]
        if key in self.jabatan_by_label:
            return self.jabatan_by_label[key]
        if group:
            example = group[0].label
            raise ValueError(f"nama jabatan '{text}' ada di beberapa unit; tulis beserta kode unit, "
                             f"misalnya '{example}'")
        m = _LABEL_WITH_UNIT_RE.match(text)
        if m and m.group(1).lower() in self.jabatan_by_name:
            raise ValueError(f"jabatan '{m.group(1)}' tidak ada di unit '{m.group(2)}'")
        raise ValueError(f"jabatan '{text}' tidak dikenal; pilih jabatan yang sudah terdaftar")

    def unit(self, text: str) -> _Ref:
        ref = self.units.get(text.lower())
        if ref is None:
            raise ValueError(f"unit '{text}' tidak dikenal; isi kode unit kerja yang terdaftar")
        return ref

    def tim(self, text: str) -> _Ref:
        ref = self.tims.get(text.lower())
        if ref is None:
            raise ValueError(f"tim '{text}' tidak dikenal; isi nama tim kerja yang terdaftar atau kosongkan")
        return ref


def current_rows(s: Session, refs: Refs, ids: list[int] | None = None, nips: list[str] | None = None,
                  include_inactive: bool = True) -> list[dict[str, Any]]:
    """Pegawai as display dicts (same keys as the grid)."""
    q = select(Pegawai)
    if ids is not None:
        q = q.where(Pegawai.id.in_(ids))
    if nips is not None:
        q = q.where(Pegawai.nip.in_(nips))
    if not include_inactive:
        q = q.where(Pegawai.aktif.is_(True))
    out = []
    for p in s.scalars(q.order_by(Pegawai.nama, Pegawai.id)):
        out.append({
            "id": p.id, "nip": p.nip, "jenis_asn": p.jenis_asn.value, "gelar_depan": p.gelar_depan,
            "nama": p.nama, "gelar_belakang": p.gelar_belakang, "golongan": p.golongan,
            "jabatan": refs.jabatan_label.get(p.jabatan_id) if p.jabatan_id else None,
            "unit": refs.unit_kode.get(p.unit_id) if p.unit_id else None,
            "tim": refs.tim_name.get(p.tim_id) if p.tim_id else None,
            "email": p.email, "telepon": p.telepon, "aktif": bool(p.aktif),
            "tanggal_lahir": p.tanggal_lahir, "jenis_kelamin": p.jenis_kelamin.value if p.jenis_kelamin else None,
            "version": p.version, "jabatan_id": p.jabatan_id, "unit_id": p.unit_id, "tim_id": p.tim_id,
        })
    return out


# --- read model -------------------------------------------------------------------------------------


def _descendants(s: Session, unit_id: int) -> set[int]:
    children: dict[int | None, list[int]] = {}
    for uid, parent in s.execute(select(UnitKerja.id, UnitKerja.parent_id)):
        children.setdefault(parent, []).append(uid)
    return subtree(unit_id, children)


def _pegawai_filter(s: Session, unit_id: int | None, text: str | None, include_inactive: bool):
    """The admin list's filters as SQL conditions (unit with its sub-units, name or NIP text, active)."""
    conds: list[Any] = []
    if not include_inactive:
        conds.append(Pegawai.aktif.is_(True))
    if unit_id:
        conds.append(Pegawai.unit_id.in_(sorted(_descendants(s, unit_id))))
    needle = (clean_text(text) or "").lower()
    if needle:
        digits = re.sub(r"\D", "", needle)
        escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        match: list[Any] = [func.lower(Pegawai.nama).like(f"%{escaped}%", escape="\\")]
        if digits:
            match.append(Pegawai.nip.like(f"%{digits}%"))
        conds.append(or_(*match))
    return conds


def pegawai_count(actor: Actor, unit_id: int | None = None, text: str | None = None,
                  include_inactive: bool = False) -> int:
    """How many pegawai pegawai_df lists for the same filters without a limit (for the page's pager)."""
    require_admin(actor)
    with read_session() as s:
        return int(s.scalar(select(func.count(Pegawai.id)).where(
            *_pegawai_filter(s, unit_id, text, include_inactive))) or 0)


def pegawai_df(actor: Actor, unit_id: int | None = None, text: str | None = None,
               include_inactive: bool = False, limit: int | None = None, offset: int = 0) -> pd.DataFrame:
    """Pegawai for the admin grid, by name: filter by unit (with its sub-units) and by NIP/name text, in SQL;
    `limit`/`offset` read one page (pegawai_count gives the total)."""
    require_admin(actor)
    with read_session() as s:
        refs = Refs(s, owners=False)
        q = select(Pegawai.id).where(*_pegawai_filter(s, unit_id, text, include_inactive)).order_by(
            Pegawai.nama, Pegawai.id)
        if limit is not None:
            q = q.limit(limit).offset(max(0, offset))
        ids = list(s.scalars(q))
        rows = current_rows(s, refs, ids=ids) if ids else []
        with_account = set(s.scalars(select(User.pegawai_id).where(User.pegawai_id.in_(ids)))) if ids else set()
    out = []
    for r in rows:
        try:
            info = rules.parse_nip(r["nip"])
            r["tanggal_lahir"], r["jenis_kelamin"] = info.tanggal_lahir, info.jenis_kelamin
        except ValueError:
            pass
        r["akun"] = r["id"] in with_account
        out.append({c: r.get(c) for c in COLUMNS})
    df = pd.DataFrame(out, columns=list(COLUMNS))
    df["aktif"] = df["aktif"].astype(bool)
    df["akun"] = df["akun"].astype(bool)
    return df


def grid_options(actor: Actor) -> GridOptions:
    require_admin(actor)
    with read_session() as s:
        refs = Refs(s, owners=False)  # labels only: not every NIP and username of the organisation
        jab_active = {r.id for r in s.execute(select(Jabatan.id).where(Jabatan.aktif.is_(True)))}
        units = s.execute(select(UnitKerja.id, UnitKerja.kode, UnitKerja.nama)
                          .order_by(UnitKerja.urutan, UnitKerja.kode)).all()
    return GridOptions(
        jenis_asn=[j.value for j in JenisASN],
        golongan=list(rules.GOLONGAN_PNS) + list(rules.GOLONGAN_PPPK),
        jabatan=sorted(label for jid, label in refs.jabatan_label.items() if jid in jab_active),
        unit=sorted(r.label for r in refs.units.values() if r.aktif),
        tim=sorted(r.label for r in refs.tims.values() if r.aktif),
        unit_filter=[(uid, f"{kode} — {nama}") for uid, kode, nama in units],
    )


# --- the one validator ------------------------------------------------------------------------------


def validate_rows(session: Session, rows: list[dict[str, Any]],
                  refs: Refs | None = None) -> tuple[list[PegawaiRow], list[FieldError]]:
    """Validate grid or import rows. Each dict has the field names of FIELD_LABELS, optional `id`
    (existing pegawai), `version` and `_row` (row number the user sees). Returns the clean rows and
    every error found (FieldError(row, column label, message)); nothing is written.
    """
    refs = refs or Refs(session)
    errors: list[FieldError] = []
    clean: list[PegawaiRow] = []
    ids: list[int] = []
    for raw in rows:
        try:
            pid = _int(raw.get("id"))
        except (TypeError, ValueError):
            continue
        if pid is not None:
            ids.append(pid)
    current = {r["id"]: r for r in current_rows(session, refs, ids=ids)} if ids else {}
    owners = {nip: pid for nip, pid in refs.nip_owner.items() if pid not in current}
    seen: dict[str, int] = {}

    for i, raw in enumerate(rows, start=1):
        rn = int(raw.get("_row") or i)
        errs: list[FieldError] = []

        def err(field: str, message: str, errs=errs, rn=rn) -> None:
            errs.append(FieldError(rn, FIELD_LABELS[field], message))

        try:
            pid = _int(raw.get("id"))
        except (TypeError, ValueError):
            pid = None
            err("nip", "baris ini tidak dapat dikenali (ID tidak sah); muat ulang halaman")
        cur = current.get(pid) if pid is not None else None
        if pid is not None and cur is None:
            err("nip", "data pegawai ini tidak ditemukan lagi; muat ulang halaman")
        row = _validate_one(raw, rn, pid, cur, refs, owners, seen, err)
        if errs or row is None:
            errors.extend(errs)
            continue
        clean.append(row)
    return clean, errors


def _validate_one(raw: dict[str, Any], rn: int, pid: int | None, cur: dict | None, refs: Refs,
                  owners: dict[str, int], seen: dict[str, int], report) -> PegawaiRow | None:
    """Check one row (err(field, message) for each problem); the clean row, or None when it cannot be read.
    `cur` = the stored row (current_rows) for an existing pegawai; `seen` = NIPs of earlier rows."""
    n_err = [0]

    def err(field: str, message: str) -> None:
        n_err[0] += 1
        report(field, message)

    info = None
    try:
        info = rules.parse_nip(clean_text(raw.get("nip")) or "")
    except ValueError as e:
        err("nip", str(e))
    if info is not None:
        owner = owners.get(info.nip)
        if owner is not None and owner != pid:
            err("nip", f"NIP {info.nip} sudah dipakai pegawai lain ({refs.nama_of.get(owner, '-')})")
        elif info.nip in seen:
            err("nip", f"NIP {info.nip} ganda: sudah ada di baris {seen[info.nip]}")
        else:
            seen[info.nip] = rn
            renamed = cur is not None and cur["nip"] != info.nip
            taken = info.nip in refs.username_owner and (pid is None or refs.username_owner[info.nip] != pid)
            if (pid is None or renamed) and taken:
                err("nip", f"NIP {info.nip} sudah dipakai sebagai nama pengguna akun lain")

    jenis, mismatch = None, False
    jenis_text = clean_text(raw.get("jenis_asn"))
    if jenis_text:
        candidate = {"P3K": "PPPK"}.get(jenis_text.upper().replace(" ", ""), jenis_text.upper())
        if candidate not in ("PNS", "PPPK"):
            err("jenis_asn", f"'{jenis_text}' tidak dikenal; isi PNS atau PPPK")
        else:
            jenis = candidate
    if info is not None:
        mismatch = jenis is not None and jenis != info.jenis
        if mismatch:
            err("jenis_asn", f"tidak sesuai dengan NIP: nomor ini adalah {info.label} ({info.jenis})")
        jenis = info.jenis  # golongan is checked against what the NIP says

    golongan = None
    if jenis and not (info is not None and mismatch):
        try:
            golongan = rules.normalise_golongan(clean_text(raw.get("golongan")), jenis)
        except ValueError as e:
            err("golongan", str(e))

    values: dict[str, str | None] = {}
    for f in ("nama", "gelar_depan", "gelar_belakang", "email", "telepon"):
        values[f] = clean_text(raw.get(f))
        if values[f] and len(values[f]) > MAX_LEN[f]:  # type: ignore[arg-type]
            err(f, f"terlalu panjang (maksimal {MAX_LEN[f]} karakter, tertulis {len(values[f])})")  # type: ignore[arg-type]
    if not values["nama"]:
        err("nama", "wajib diisi")
    if values["email"] and not _EMAIL_RE.match(values["email"]):
        err("email", f"'{values['email']}' bukan alamat email yang sah")
    if values["telepon"] and not _PHONE_RE.match(values["telepon"]):
        err("telepon", "hanya boleh berisi angka, spasi, +, -, titik, dan tanda kurung")

    resolved: dict[str, _Ref | None] = {}
    for f, lookup in (("jabatan", refs.jabatan), ("unit", refs.unit), ("tim", refs.tim)):
        text = clean_text(raw.get(f))
        resolved[f] = None
        if not text:
            continue
        try:
            ref = lookup(text)
        except ValueError as e:
            err(f, str(e))
            continue
        if not ref.aktif and (cur is None or cur[f"{f}_id"] != ref.id):
            err(f, f"'{ref.label}' sudah tidak aktif")
            continue
        resolved[f] = ref

    try:
        version = _int(raw.get("version"))
    except (TypeError, ValueError):
        version = None
    if n_err[0] or info is None or jenis is None:
        return None
    jab, unit, tim = resolved["jabatan"], resolved["unit"], resolved["tim"]
    return PegawaiRow(
        row=rn, id=pid, nip=info.nip, jenis_asn=jenis, nama=values["nama"] or "",
        gelar_depan=values["gelar_depan"], gelar_belakang=values["gelar_belakang"], golongan=golongan,
        jabatan_id=jab.id if jab else None, jabatan=jab.label if jab else None,
        unit_id=unit.id if unit else None, unit=unit.label if unit else None,
        tim_id=tim.id if tim else None, tim=tim.label if tim else None,
        email=values["email"], telepon=values["telepon"], aktif=_bool(raw.get("aktif")),
        tanggal_lahir=info.tanggal_lahir, jenis_kelamin=info.jenis_kelamin, tmt_asn=info.tmt,
        version=version,
    )


# --- writing ----------------------------------------------------------------------------------------


def _assign(obj: Any, field: str, value: Any) -> None:
    if getattr(obj, field) != value:
        setattr(obj, field, value)


def _fill(p: Pegawai, r: PegawaiRow) -> None:
    for field in ("nip", "nama", "gelar_depan", "gelar_belakang", "golongan", "jabatan_id", "unit_id", "tim_id",
                  "email", "telepon", "aktif", "tanggal_lahir", "tmt_asn"):
        _assign(p, field, getattr(r, field))
    _assign(p, "jenis_asn", JenisASN(r.jenis_asn))
    _assign(p, "jenis_kelamin", JenisKelamin(r.jenis_kelamin))


def _set_account_active(user: User | None, active: bool) -> None:
    if user is None:
        return
    user.aktif = active
    if not active:
        user.sessions_revoked_at = auth.now_utc()


def position_change_errors(s: Session, clean: list[PegawaiRow], today: dt.date | None = None) -> list[FieldError]:
    """A pegawai with a running SKP changes jabatan/unit only through Mutasi (which splits the SKP segment)."""
    today = today or clock.today()
    ids = [r.id for r in clean if r.id is not None]
    if not ids:
        return []
    current = {pid: (jab, unit) for pid, jab, unit in s.execute(
        select(Pegawai.id, Pegawai.jabatan_id, Pegawai.unit_id).where(Pegawai.id.in_(ids)))}
    with_skp = set(s.scalars(select(Skp.pegawai_id).where(
        Skp.pegawai_id.in_(ids), Skp.tanggal_mulai <= today, Skp.tanggal_selesai >= today)))
    errors = []
    for r in clean:
        if r.id in with_skp and current.get(r.id) != (r.jabatan_id, r.unit_id):
            field = "Jabatan" if current[r.id][0] != r.jabatan_id else "Unit"
            errors.append(FieldError(r.row, field, "pegawai ini sudah memiliki SKP berjalan; catat perpindahan "
                                     "lewat formulir Mutasi agar SKP dibagi per segmen"))
    return errors


def write_rows(s: Session, clean: list[PegawaiRow]) -> list[NewAccount]:
    """Write validated rows inside an open unit of work; new pegawai get an account with a temporary
    password (username = NIP, must change at first login). Returns the accounts created."""
    ids = [r.id for r in clean if r.id is not None]
    existing = {p.id: p for p in s.scalars(select(Pegawai).where(Pegawai.id.in_(ids)))} if ids else {}
    users = {u.pegawai_id: u for u in s.scalars(select(User).where(User.pegawai_id.in_(ids)))} if ids else {}
    added: list[Pegawai] = []
    for r in clean:
        if r.id is None:
            p = Pegawai(nip=r.nip, nama=r.nama, jenis_asn=JenisASN(r.jenis_asn))
            _fill(p, r)
            s.add(p)
            added.append(p)
            continue
        p = existing[r.id]
        if r.version is not None and r.version != p.version:
            raise Conflict(f"Baris {r.row} (NIP {p.nip}): {CONFLICT_MESSAGE}")
        old_nip, old_aktif = p.nip, p.aktif
        _fill(p, r)
        user = users.get(p.id)
        if user is not None and old_nip != r.nip and user.username == old_nip:
            user.username = r.nip
        if old_aktif != r.aktif:
            _set_account_active(user, r.aktif)
    s.flush()
    return create_accounts(s, added)


def create_accounts(s: Session, added: list[Pegawai]) -> list[NewAccount]:
    """Accounts for new (flushed) pegawai: username = NIP, a temporary password that must be changed."""
    created: list[NewAccount] = []
    for p, (temp, hashed) in zip(added, auth.temporary_passwords(len(added)), strict=True):
        auth.create_account(s, username=p.nip, nama=p.nama_lengkap, password_hash=hashed, pegawai_id=p.id,
                            must_change=True)
        created.append(NewAccount(p.nip, p.nama_lengkap, temp))
    return created


def deactivate(s: Session, ids: list[int]) -> None:
    """"Delete" = deactivate: history stays; the account is deactivated and its sessions revoked."""
    if not ids:
        return
    users = {u.pegawai_id: u for u in s.scalars(select(User).where(User.pegawai_id.in_(ids)))}
    for p in s.scalars(select(Pegawai).where(Pegawai.id.in_(ids))):
        p.aktif = False
        _set_account_active(users.get(p.id), False)


PEGAWAI_LABELS = {"id": "Pegawai", **FIELD_LABELS}
_MODEL_FIELDS = ("nip", "nama", "gelar_depan", "gelar_belakang", "golongan", "jabatan_id", "unit_id", "tim_id",
                 "email", "telepon", "aktif", "tanggal_lahir", "tmt_asn", "jenis_asn", "jenis_kelamin")


def _model_values(r: PegawaiRow) -> dict[str, Any]:
    return {**{f: getattr(r, f) for f in _MODEL_FIELDS[:-2]}, "jenis_asn": JenisASN(r.jenis_asn),
            "jenis_kelamin": JenisKelamin(r.jenis_kelamin)}


def save_pegawai(actor: Actor, rows: list[dict[str, Any]], deleted_ids: list[int]) -> list[NewAccount]:
    """Save grid edits in one transaction through the one grid-save path (services.core.grid): every error at
    once (ValidationFailed, nothing written), a row changed elsewhere since the grid was loaded (`version`)
    raises Conflict; "delete" = deactivate. Returns the (nip, nama, temporary_password) of accounts created."""
    require_admin(actor)
    deleted = sorted({int(i) for i in deleted_ids})
    rows = list(rows)
    if not rows and not deleted:
        return []
    own = actor.pegawai_id
    try:
        with unit_of_work(actor, action="simpan_pegawai") as s:
            refs = Refs(s)
            ids = [i for i in (_safe_int(r.get("id")) for r in rows) if i is not None] + deleted
            stored = {p.id: p for p in s.scalars(select(Pegawai).where(Pegawai.id.in_(ids)))} if ids else {}
            current = {r["id"]: r for r in current_rows(s, refs, ids=list(stored))} if stored else {}
            users = {u.pegawai_id: u for u in s.scalars(select(User).where(User.pegawai_id.in_(list(stored))))}
            owners = {nip: pid for nip, pid in refs.nip_owner.items() if pid not in current}
            seen: dict[str, int] = {}
            clean: dict[int | None, PegawaiRow] = {}
            added: list[Pegawai] = []

            def parse(raw: dict, p: Pegawai | None, err: RowErrors) -> dict | None:
                row = _validate_one(raw, raw.get("_row"), p.id if p else None, current.get(p.id) if p else None,  # type: ignore[arg-type]
                                    refs, owners, seen, err)
                if row is None:
                    return None
                clean[row.row] = row
                return _model_values(row)

            def create(v: dict) -> Pegawai:
                p = Pegawai(**v)
                added.append(p)
                return p

            def update(p: Pegawai, v: dict) -> None:
                old_nip, old_aktif = p.nip, p.aktif
                for f, value in v.items():
                    _assign(p, f, value)
                user = users.get(p.id)
                if user is not None and old_nip != p.nip and user.username == old_nip:
                    user.username = p.nip
                if old_aktif != p.aktif:
                    _set_account_active(user, p.aktif)

            def check(plan: GridPlan, errs: ErrorSink) -> None:
                planned = [r for r, _v in plan.new] + [r for _o, _v, r in plan.updates]
                for e in position_change_errors(s, [clean[r] for r in planned if r in clean]):
                    errs.items.append(e)
                if own is not None and (any(p.id == own for p in plan.deletes)
                                        or any(o.id == own and not v["aktif"] for o, v, _r in plan.updates)):
                    errs.add(None, "aktif", "Anda tidak dapat menonaktifkan data pegawai Anda sendiri")

            spec: GridSpec[Pegawai] = GridSpec(labels=PEGAWAI_LABELS, noun="data pegawai", parse=parse, create=create, update=update,
                            fields=_MODEL_FIELDS, version=lambda p: p.version,
                            delete=lambda p: deactivate(s, [p.id]), status_col="aktif")
            apply_grid(s, spec, stored, rows, deleted, check=check)
            created = create_accounts(s, added)
    except StaleDataError:
        raise Conflict(CONFLICT_MESSAGE) from None
    except IntegrityError:
        raise Conflict("Data tidak dapat disimpan karena bentrok dengan perubahan lain (misalnya NIP ganda). "
                       "Muat ulang halaman, lalu coba lagi.") from None
    return created


def _safe_int(value: Any) -> int | None:
    try:
        return _int(value)
    except (TypeError, ValueError):
        return None


# --- paste from Excel (preview through the save path) and the grid as Excel -------------------------------------

PASTE_COLUMNS = tuple(FIELD_LABELS)


def _aktif_reader(value: str) -> bool:
    b = rules.cells.to_bool(value)
    return True if b is None else b


def _grid_records(df: pd.DataFrame) -> list[dict]:
    def plain(v: Any) -> Any:
        if v is None or (not isinstance(v, str | bytes) and pd.isna(v)):
            return None
        return v.item() if hasattr(v, "item") and not isinstance(v, str) else v
    return [{k: plain(v) for k, v in r.items()} for r in df.to_dict("records")]


def preview_paste(actor: Actor, text: str) -> PastePreview:
    """Rows pasted from Excel onto the Pegawai grid (PASTE_COLUMNS in the grid's order; a header line is
    recognised), checked by the save path without writing (no account is created): a row whose NIP is stored
    updates that pegawai (empty cells keep the stored value), other rows are new pegawai."""
    require_admin(actor)
    existing = _grid_records(pegawai_df(actor, include_inactive=True))
    return preview_by_save(text, PASTE_COLUMNS, FIELD_LABELS, {"aktif": _aktif_reader},
                           lambda rows: save_pegawai(actor, rows, []), key="nip", existing=existing)


def grid_xlsx(actor: Actor, df: pd.DataFrame) -> bytes:
    """The Pegawai rows shown (the grid's filter and page) as Excel ("Unduh Excel"), in the paste order under the
    grid's labels, so the sheet can be edited and pasted back into "Tempel dari Excel" unchanged."""
    require_admin(actor)
    return export.to_excel_bytes(grid_table(df, PASTE_COLUMNS, FIELD_LABELS), "Pegawai")
