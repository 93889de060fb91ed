"""Plt/Plh: acting assignments (Surat Edaran Kepala BKN 1/SE/I/2021 on Plt and Plh).

A Pelaksana Tugas (Plt) or Pelaksana Harian (Plh) acts for a holder (a pegawai) or a jabatan from one date to
another, by an SK or surat perintah. While it runs, the acting pegawai has the holder's review rights wherever
the services resolve the pejabat penilai / atasan / pemberi pertimbangan from the reporting lines (SKP
verification, logbook review, evaluation): the login gives him the holder's reviewer roles and
`Actor.acting_for` the holder's pegawai id (see services.auth.login). Outside the dates he has none.
Signature blocks print the acting official with "Plt."/"Plh." before the jabatan (`signer_for`).

Admin SDM keeps the assignments in one grid (services/core/grid.py); every change is audited.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

import pandas as pd
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from db.engine import read_session
from db.models import Jabatan, JenisPenugasan, Pegawai, PenugasanPlt, Role
from domain import cells
from domain.cells import CellError
from domain.nip import scientific_message
from services.core import clock
from services.core.acting import Acting, acting_as, holder_of_jabatan, in_force, to_acting
from services.core.actor import Actor
from services.core.grid import ErrorSink, GridPlan, GridSpec, apply_grid
from services.core.uow import unit_of_work
from services.org import lingkup

COLUMNS = ["id", "pegawai", "jenis", "pejabat", "jabatan", "tanggal_mulai", "tanggal_selesai", "nomor_sk",
           "tanggal_sk", "keterangan", "version"]
LABELS = {"id": "ID", "pegawai": "Pelaksana (NIP)", "jenis": "Jenis", "pejabat": "Menggantikan (NIP pejabat)",
          "jabatan": "Jabatan", "tanggal_mulai": "Mulai", "tanggal_selesai": "Sampai", "nomor_sk": "Nomor SK",
          "tanggal_sk": "Tanggal SK", "keterangan": "Keterangan", "version": "Versi"}
JENIS_OPTIONS = [j.value for j in JenisPenugasan]
_NIP_RE = re.compile(r"\d{18}")


@dataclass(frozen=True)
class SaveResult:
    ditambah: int
    diubah: int
    dihapus: int

    @property
    def pesan(self) -> str:
        parts = [f"{n} {w}" for n, w in ((self.ditambah, "ditambah"), (self.diubah, "diubah"),
                                         (self.dihapus, "dihapus")) if n]
        return "Penugasan Plt/Plh disimpan: " + ", ".join(parts) + "." if parts else "Tidak ada perubahan."


def acting_for_holder(s: Session, holder_id: int | None, on: dt.date | None = None) -> Acting | None:
    """The assignment in force on `on` in which someone acts for `holder_id` (by pegawai or by his jabatan)."""
    if holder_id is None:
        return None
    on = on or clock.today()
    jab = s.scalar(select(Pegawai.jabatan_id).where(Pegawai.id == holder_id))
    cond = PenugasanPlt.pejabat_id == holder_id
    if jab is not None:
        cond = or_(cond, and_(PenugasanPlt.pejabat_id.is_(None), PenugasanPlt.jabatan_id == jab))
    a = s.scalars(select(PenugasanPlt).where(cond, in_force(on), PenugasanPlt.pegawai_id != holder_id)
                  .order_by(PenugasanPlt.tanggal_mulai.desc(), PenugasanPlt.id.desc()).limit(1)).first()
    return to_acting(s, a) if a is not None else None


def acting_for_jabatan(s: Session, jabatan_id: int, on: dt.date | None = None) -> Acting | None:
    """The assignment in force for a jabatan (e.g. a vacant pimpinan jabatan), by jabatan or by its holder."""
    on = on or clock.today()
    holder = holder_of_jabatan(s, jabatan_id)
    cond = PenugasanPlt.jabatan_id == jabatan_id
    if holder is not None:
        cond = or_(cond, PenugasanPlt.pejabat_id == holder)
    a = s.scalars(select(PenugasanPlt).where(cond, in_force(on))
                  .order_by(PenugasanPlt.tanggal_mulai.desc(), PenugasanPlt.id.desc()).limit(1)).first()
    return to_acting(s, a) if a is not None else None


@dataclass(frozen=True)
class Signer:
    """Who signs in place of a holder: name, NIP, the jabatan line with its prefix ("Plt. Kepala …")."""

    nama: str
    nip: str
    jabatan: str | None
    prefix: str  # "Plt." / "Plh."

    @property
    def jabatan_line(self) -> str:
        return f"{self.prefix} {self.jabatan}" if self.jabatan else self.prefix


def signer_for(holder_id: int | None, on: dt.date | None = None, session: Session | None = None) -> Signer | None:
    """The acting official who signs for `holder_id` on `on`, or None when the holder signs himself."""
    if holder_id is None:
        return None
    if session is None:
        with read_session() as s:
            return signer_for(holder_id, on, s)
    a = acting_for_holder(session, holder_id, on)
    if a is None:
        return None
    p = session.get(Pegawai, a.pegawai_id)
    if p is None:
        return None
    return Signer(p.nama_lengkap, p.nip, a.jabatan, a.prefix)


def my_assignments(actor: Actor, on: dt.date | None = None) -> list[str]:
    """Lines for the review pages: "Anda bertindak sebagai Plt. Kepala … (SK …) sampai 31 Desember 2026"."""
    if actor.pegawai_id is None:
        return []
    with read_session() as s:
        out = []
        for a in acting_as(s, actor.pegawai_id, on):
            holder = s.get(Pegawai, a.pejabat_id) if a.pejabat_id else None
            who = f" menggantikan {holder.nama_lengkap}" if holder else ""
            sk = f", SK {a.nomor_sk}" if a.nomor_sk else ""
            out.append(f"Anda bertindak sebagai {a.prefix} {a.jabatan or 'pejabat'}{who} ({cells.fmt_date(a.mulai)}"
                       f"–{cells.fmt_date(a.selesai)}{sk}).")
        return out


# --- admin grid ---------------------------------------------------------------------------------------


def _require_admin(actor: Actor) -> None:
    actor.require(Role.ADMIN_SDM, message="Hanya Admin SDM yang dapat mengelola penugasan Plt/Plh.")


def _full(nama: str, depan: str | None, belakang: str | None) -> str:
    name = f"{depan.strip()} {nama.strip()}" if depan else nama.strip()
    return f"{name}, {belakang.strip()}" if belakang else name


def options(actor: Actor) -> tuple[list[str], list[str]]:
    """The grid's choices: pegawai "NIP – Nama" (in the Admin SDM's satker) and jabatan names."""
    _require_admin(actor)
    with read_session() as s:
        scope = lingkup.sdm_scope(s, actor)
        peg = [f"{p.nip} – {p.nama_lengkap}" for p in s.scalars(select(Pegawai).where(Pegawai.aktif.is_(True))
                                                                 .order_by(Pegawai.nama))
               if scope is None or p.id in scope]
        jab = list(dict.fromkeys(s.scalars(select(Jabatan.nama).where(Jabatan.aktif.is_(True))
                                           .order_by(Jabatan.nama))))
    return peg, jab


def grid(actor: Actor) -> pd.DataFrame:
    """Every assignment of the Admin SDM's satker, newest first (columns COLUMNS)."""
    _require_admin(actor)
    with read_session() as s:
        scope = lingkup.sdm_scope(s, actor)
        out = []
        for a in s.scalars(select(PenugasanPlt).order_by(PenugasanPlt.tanggal_mulai.desc(), PenugasanPlt.id.desc())):
            if scope is not None and a.pegawai_id not in scope:
                continue
            out.append({"id": a.id, "pegawai": f"{a.pegawai.nip} – {a.pegawai.nama_lengkap}", "jenis": a.jenis.value,
                        "pejabat": f"{a.pejabat.nip} – {a.pejabat.nama_lengkap}" if a.pejabat else None,
                        "jabatan": a.jabatan.nama if a.jabatan else None, "tanggal_mulai": a.tanggal_mulai,
                        "tanggal_selesai": a.tanggal_selesai, "nomor_sk": a.nomor_sk, "tanggal_sk": a.tanggal_sk,
                        "keterangan": a.keterangan, "version": a.version})
    df = pd.DataFrame(out, columns=COLUMNS)
    for c in ("tanggal_mulai", "tanggal_selesai", "tanggal_sk"):
        df[c] = df[c].astype("object")
    return df


class _Ctx:
    def __init__(self, s: Session, actor: Actor) -> None:
        self.scope = lingkup.sdm_scope(s, actor)
        self.by_nip = {nip: (pid, _full(n, d, b), jab) for pid, nip, n, d, b, jab in s.execute(
            select(Pegawai.id, Pegawai.nip, Pegawai.nama, Pegawai.gelar_depan, Pegawai.gelar_belakang,
                   Pegawai.jabatan_id)).tuples()}
        self.jabatan: dict[str, int] = {}
        for jid, nama in s.execute(select(Jabatan.id, Jabatan.nama).order_by(Jabatan.aktif.desc(), Jabatan.id)):
            self.jabatan.setdefault(nama.strip().lower(), jid)


def _nip(ctx: _Ctx, raw: Any, col: str, err, *, required: bool) -> int | None:
    text = str(raw or "").strip()
    if not text:
        if required:
            err(col, "wajib diisi (NIP)")
        return None
    m = _NIP_RE.search(re.sub(r"\s", "", text))
    if m is None or m.group(0) not in ctx.by_nip:
        err(col, scientific_message(text) or f"NIP '{text}' tidak ditemukan")
        return None
    pid, nama, _jab = ctx.by_nip[m.group(0)]
    if ctx.scope is not None and pid not in ctx.scope:
        err(col, f"{nama} berada di satuan kerja lain; Admin SDM hanya mengelola pegawai satuan kerjanya sendiri")
        return None
    return pid


def _parse(ctx: _Ctx, raw: dict, err) -> dict | None:
    n0, vals = err.count, cast(dict[str, Any], {})
    vals["pegawai_id"] = _nip(ctx, raw.get("pegawai"), "pegawai", err, required=True)
    vals["pejabat_id"] = _nip(ctx, raw.get("pejabat"), "pejabat", err, required=False)
    jab_text = str(raw.get("jabatan") or "").strip()
    vals["jabatan_id"] = None
    if jab_text:
        jid = ctx.jabatan.get(jab_text.lower())
        if jid is None:
            err("jabatan", f"jabatan '{jab_text}' tidak dikenal")
        else:
            vals["jabatan_id"] = jid
    elif vals["pejabat_id"] is None and not str(raw.get("pejabat") or "").strip():
        err("pejabat", "isi pejabat yang digantikan atau jabatannya")
    if vals["pegawai_id"] is not None and vals["pegawai_id"] == vals["pejabat_id"]:
        err("pejabat", "pelaksana tidak dapat menggantikan dirinya sendiri")
    try:
        jenis = cells.to_choice(raw.get("jenis"), {j: JenisPenugasan(j) for j in JENIS_OPTIONS}, "Jenis")
        if jenis is None:
            err("jenis", "pilih Plt atau Plh")
        else:
            vals["jenis"] = jenis
    except CellError as e:
        err("jenis", str(e))
    for col, required in (("tanggal_mulai", True), ("tanggal_selesai", True), ("tanggal_sk", False)):
        try:
            d = cells.to_date(raw.get(col))
            if d is None and required:
                err(col, "wajib diisi")
            vals[col] = d
        except CellError as e:
            err(col, str(e))
    if vals.get("tanggal_mulai") and vals.get("tanggal_selesai") and vals["tanggal_selesai"] < vals["tanggal_mulai"]:
        err("tanggal_selesai", "tidak boleh sebelum tanggal mulai")
    try:
        vals["nomor_sk"] = cells.to_text(raw.get("nomor_sk"), max_len=120)
        if not vals["nomor_sk"]:
            err("nomor_sk", "wajib diisi (nomor SK atau surat perintah)")
        vals["keterangan"] = cells.to_text(raw.get("keterangan"), max_len=300)
    except CellError as e:
        err("keterangan", str(e))
    return None if err.count > n0 else vals


def _check_overlaps(s: Session, plan: GridPlan, errs: ErrorSink) -> None:
    """One holder (or one jabatan) has at most one acting official at a time."""
    moving = {o.id for o in plan.deletes} | {o.id for o, _v, _r in plan.updates}
    seen: list[tuple[tuple, dt.date, dt.date, str]] = []
    for p in s.scalars(select(PenugasanPlt)):
        if p.id not in moving:
            seen.append(((p.pejabat_id, p.jabatan_id), p.tanggal_mulai, p.tanggal_selesai, "data tersimpan"))
    for r, v in [*plan.new, *((r, v) for _o, v, r in plan.updates)]:
        key = (v["pejabat_id"], v["jabatan_id"])
        for k, a, b, where in seen:
            same = (key[0] is not None and key[0] == k[0]) or (key[1] is not None and key[1] == k[1])
            if same and v["tanggal_mulai"] <= b and a <= v["tanggal_selesai"]:
                errs.add(r, "tanggal_mulai", f"sudah ada pelaksana untuk pejabat/jabatan ini pada "
                                             f"{cells.fmt_date(a)}–{cells.fmt_date(b)} ({where})")
                break
        seen.append((key, v["tanggal_mulai"], v["tanggal_selesai"], f"baris {r}"))


def save_grid(actor: Actor, rows: Iterable[dict], deleted_ids: Iterable[int] = ()) -> SaveResult:
    """Save the Plt/Plh grid (one save path; every error by row and column; audited)."""
    _require_admin(actor)
    rows, deleted_ids = list(rows), [int(i) for i in deleted_ids]
    with unit_of_work(actor, action="ubah_penugasan_plt") as s:
        ctx = _Ctx(s, actor)
        stored = {a.id: a for a in s.scalars(select(PenugasanPlt))}
        touched = {int(r["id"]) for r in rows if r.get("id") is not None} | set(deleted_ids)
        if ctx.scope is not None:
            foreign = [a for i, a in stored.items() if i in touched and a.pegawai_id not in ctx.scope]
            if foreign:
                lingkup.require_sdm_for(s, actor, [foreign[0].pegawai_id])
            stored = {i: a for i, a in stored.items() if a.pegawai_id in ctx.scope}
        spec: GridSpec[PenugasanPlt] = GridSpec(
            labels=LABELS, noun="penugasan", parse=lambda raw, _o, err: _parse(ctx, raw, err),
            create=lambda v: PenugasanPlt(**v), version=lambda a: a.version,
            current=lambda a: {"pegawai": a.pegawai.nip, "jenis": a.jenis.value,
                               "pejabat": a.pejabat.nip if a.pejabat else None,
                               "jabatan": a.jabatan.nama if a.jabatan else None, "tanggal_mulai": a.tanggal_mulai,
                               "tanggal_selesai": a.tanggal_selesai, "nomor_sk": a.nomor_sk,
                               "tanggal_sk": a.tanggal_sk, "keterangan": a.keterangan},
            fields=("pegawai_id", "pejabat_id", "jabatan_id", "jenis", "tanggal_mulai", "tanggal_selesai", "nomor_sk",
                    "tanggal_sk", "keterangan"))
        out = apply_grid(s, spec, stored, rows, deleted_ids, check=lambda plan, errs: _check_overlaps(s, plan, errs))
        return SaveResult(out.inserted, out.updated, out.deleted)


# --- paste from Excel and the grid as Excel ---------------------------------------------------------------------

PASTE_COLUMNS = tuple(c for c in COLUMNS if c not in ("id", "version"))
"""The columns a paste fills, in the grid's order (and the order "Unduh Excel" writes)."""


def preview_paste(actor: Actor, text: str):
    """Rows pasted from Excel onto the Plt/Plh grid (PASTE_COLUMNS; a header line is recognised), checked by save_grid
    as a dry run (nothing written): every bad cell by pasted row and column. People by NIP or by the grid's label
    ("NIP – Nama"; shown as that label), jabatan and jenis by name (any case), dates 31/01/2026, 4 Desember 2026 or
    ISO. A row with the pelaksana, the pejabat/jabatan replaced and the start date of a stored assignment updates it
    (empty cells keep the stored value), so what grid_xlsx gives can be pasted back unchanged."""
    from services.core.grid import preview_by_save

    peg, jab = options(actor)
    by_nip = {label.split(" – ", 1)[0]: label for label in peg}

    def person(value: str) -> str | None:
        text = " ".join(value.split())
        if not text:
            return None
        m = _NIP_RE.search(re.sub(r"\s", "", text))
        if m is None:
            raise CellError(scientific_message(text) or f"'{text}' bukan NIP (18 angka) atau pilihan seperti di tabel (NIP – Nama)", value)
        return by_nip.get(m.group(0), text)

    def jabatan(value: str) -> str | None:
        text = " ".join(value.split())
        if not text:
            return None
        return next((j for j in jab if j.casefold() == text.casefold()), text)

    def date(value: str) -> dt.date | None:
        return cells.to_date(value, today=clock.today())

    readers = {"pegawai": person, "pejabat": person, "jabatan": jabatan,
               "jenis": lambda v: cells.to_choice(v, JENIS_OPTIONS, "Jenis", by_number=False),
               "tanggal_mulai": date, "tanggal_selesai": date, "tanggal_sk": date}
    return preview_by_save(text, PASTE_COLUMNS, LABELS, readers, lambda rows: save_grid(actor, rows),
                           key=("pegawai", "pejabat", "jabatan", "tanggal_mulai"),
                           existing=grid(actor).to_dict("records"))


def grid_xlsx(actor: Actor) -> bytes:
    """The Plt/Plh grid as Excel ("Unduh Excel"): people as "NIP – Nama", dates 31/01/2026 as text."""
    from services.core import export
    from services.core.grid import grid_table

    return export.to_excel_bytes(grid_table(grid(actor), PASTE_COLUMNS, LABELS), "Penugasan Plt Plh")
