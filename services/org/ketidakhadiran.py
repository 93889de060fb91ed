"""Ketidakhadiran: a pegawai's cuti, sakit, dinas luar ... as date ranges, kept by Admin SDM.

The working days inside a range are not working days for that pegawai: they lower the month's working days and
target minutes of the logbook (services/logbook), show on the logbook calendar and in logbook monitoring
(a pegawai on leave is not "idle"). Admin SDM edits them in one grid (services/core/grid.py), pastes rows from
Excel, or imports an Excel file after a preview; an Admin SDM linked to a pegawai manages his own satker only.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

import pandas as pd
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from db.engine import read_session
from db.models import JenisKetidakhadiran, Ketidakhadiran, Pegawai, Role
from domain import cells
from domain.cells import CellError
from domain.nip import scientific_message
from services.core import clock
from services.core.actor import Actor
from services.core.errors import PermissionDenied, ValidationFailed
from services.core.grid import (
    ErrorSink,
    GridPlan,
    GridSpec,
    PastePreview,
    apply_grid,
    finish_paste,
    read_paste,
)
from services.core.uow import unit_of_work
from services.org import lingkup

COLUMNS = ["id", "pegawai", "jenis", "tanggal_mulai", "tanggal_selesai", "nomor_surat", "keterangan", "version"]
PASTE_COLUMNS = ("pegawai", "jenis", "tanggal_mulai", "tanggal_selesai", "nomor_surat", "keterangan")
LABELS = {"id": "ID", "pegawai": "Pegawai (NIP)", "jenis": "Jenis", "tanggal_mulai": "Mulai",
          "tanggal_selesai": "Sampai", "nomor_surat": "Nomor surat", "keterangan": "Keterangan", "version": "Versi"}
JENIS_OPTIONS = [j.value for j in JenisKetidakhadiran]
NOMOR_MAKS, KETERANGAN_MAKS = 120, 300
RENTANG_MAKS_HARI = 366 * 3  # cuti di luar tanggungan negara: up to 3 years (PP 11/2017 art. 323)
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
        return "Ketidakhadiran disimpan: " + ", ".join(parts) + "." if parts else "Tidak ada perubahan."


def _require_admin(actor: Actor) -> None:
    actor.require(Role.ADMIN_SDM, message="Hanya Admin SDM yang dapat mengelola data ketidakhadiran pegawai.")


def pegawai_label(nip: str, nama: str) -> str:
    return f"{nip} – {nama}"


def _pegawai_in_scope(s: Session, actor: Actor) -> list[Pegawai]:
    scope = lingkup.sdm_scope(s, actor)
    q = select(Pegawai).where(Pegawai.aktif.is_(True)).order_by(Pegawai.nama)
    return [p for p in s.scalars(q) if scope is None or p.id in scope]


def pegawai_options(actor: Actor) -> list[str]:
    """"NIP – Nama" of the active pegawai the Admin SDM manages (the grid's Pegawai choices)."""
    _require_admin(actor)
    with read_session() as s:
        return [pegawai_label(p.nip, p.nama_lengkap) for p in _pegawai_in_scope(s, actor)]


def _year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def grid(actor: Actor, year: int) -> pd.DataFrame:
    """The ranges touching `year` of the pegawai the Admin SDM manages (columns COLUMNS)."""
    _require_admin(actor)
    start, end = _year_bounds(year)
    with read_session() as s:
        scope = lingkup.sdm_scope(s, actor)
        rows = s.execute(
            select(Ketidakhadiran, Pegawai.nip, Pegawai.nama, Pegawai.gelar_depan, Pegawai.gelar_belakang)
            .join(Pegawai, Pegawai.id == Ketidakhadiran.pegawai_id)
            .where(Ketidakhadiran.tanggal_mulai <= end, Ketidakhadiran.tanggal_selesai >= start)
            .order_by(Ketidakhadiran.tanggal_mulai, Pegawai.nama, Ketidakhadiran.id)).all()
        out = []
        for k, nip, nama, depan, belakang in rows:
            if scope is not None and k.pegawai_id not in scope:
                continue
            out.append({"id": k.id, "pegawai": pegawai_label(nip, _full(nama, depan, belakang)),
                        "jenis": k.jenis.value, "tanggal_mulai": k.tanggal_mulai,
                        "tanggal_selesai": k.tanggal_selesai, "nomor_surat": k.nomor_surat,
                        "keterangan": k.keterangan, "version": k.version})
    df = pd.DataFrame(out, columns=COLUMNS)
    for c in ("tanggal_mulai", "tanggal_selesai"):
        df[c] = df[c].astype("object")
    return df


def _full(nama: str, depan: str | None, belakang: str | None) -> str:
    name = f"{depan.strip()} {nama.strip()}" if depan else nama.strip()
    return f"{name}, {belakang.strip()}" if belakang else name


# --- the row model ----------------------------------------------------------------------------------


class _Context:
    def __init__(self, s: Session, actor: Actor) -> None:
        self.scope = lingkup.sdm_scope(s, actor)
        self.by_nip = {nip: (pid, _full(n, d, b)) for pid, nip, n, d, b in s.execute(
            select(Pegawai.id, Pegawai.nip, Pegawai.nama, Pegawai.gelar_depan, Pegawai.gelar_belakang)).tuples()}
        self.today = clock.today()


def _parse_row(ctx: _Context, raw: dict, err) -> dict | None:
    n0, vals = err.count, cast(dict[str, Any], {})
    text = str(raw.get("pegawai") or "").strip()
    m = _NIP_RE.search(re.sub(r"\s", "", text))
    if not text:
        err("pegawai", "wajib diisi (NIP pegawai)")
    elif m is None or m.group(0) not in ctx.by_nip:
        err("pegawai", scientific_message(text) or f"NIP '{text}' tidak ditemukan")
    else:
        pid, nama = ctx.by_nip[m.group(0)]
        if ctx.scope is not None and pid not in ctx.scope:
            err("pegawai", f"{nama} berada di satuan kerja lain; Admin SDM hanya mengelola pegawai satuan "
                           "kerjanya sendiri")
        else:
            vals["pegawai_id"] = pid
    try:
        jenis = cells.to_choice(raw.get("jenis"), {j: JenisKetidakhadiran(j) for j in JENIS_OPTIONS}, "Jenis")
        if jenis is None:
            err("jenis", "pilih salah satu: " + ", ".join(JENIS_OPTIONS))
        else:
            vals["jenis"] = jenis
    except CellError as e:
        err("jenis", str(e))
    for col in ("tanggal_mulai", "tanggal_selesai"):
        try:
            d = cells.to_date(raw.get(col), today=ctx.today)
            if d is None:
                err(col, "wajib diisi")
            else:
                vals[col] = d
        except CellError as e:
            err(col, str(e))
    if "tanggal_mulai" in vals and "tanggal_selesai" in vals:
        if vals["tanggal_selesai"] < vals["tanggal_mulai"]:
            err("tanggal_selesai", "tidak boleh sebelum tanggal mulai")
        elif (vals["tanggal_selesai"] - vals["tanggal_mulai"]).days >= RENTANG_MAKS_HARI:
            err("tanggal_selesai", "rentang lebih dari 3 tahun; periksa tanggalnya")
    for col, maks in (("nomor_surat", NOMOR_MAKS), ("keterangan", KETERANGAN_MAKS)):
        try:
            vals[col] = cells.to_text(raw.get(col), max_len=maks)
        except CellError as e:
            err(col, str(e))
    return None if err.count > n0 else vals


def _check_overlaps(s: Session, plan: GridPlan, errs: ErrorSink) -> None:
    """Two ranges of one pegawai may not overlap (in the grid, or with stored rows the grid does not change)."""
    moving = {o.id for o in plan.deletes} | {o.id for o, _v, _r in plan.updates}
    ranges: dict[int, list[tuple[dt.date, dt.date, int | None]]] = defaultdict(list)
    pids = {v["pegawai_id"] for _r, v in plan.new} | {v["pegawai_id"] for _o, v, _r in plan.updates}
    if pids:
        for k in s.scalars(select(Ketidakhadiran).where(Ketidakhadiran.pegawai_id.in_(pids))):
            if k.id not in moving:
                ranges[k.pegawai_id].append((k.tanggal_mulai, k.tanggal_selesai, None))
    for r, v in [*plan.new, *((r, v) for _o, v, r in plan.updates)]:
        mine = ranges[v["pegawai_id"]]
        for a, b, other in mine:
            if v["tanggal_mulai"] <= b and a <= v["tanggal_selesai"]:
                where = f"baris {other}" if other else "data tersimpan"
                errs.add(r, "tanggal_mulai", f"bertumpang tindih dengan ketidakhadiran {cells.fmt_date(a)}–"
                                             f"{cells.fmt_date(b)} ({where})")
                break
        mine.append((v["tanggal_mulai"], v["tanggal_selesai"], r))


def save_grid(actor: Actor, year: int, rows: Iterable[dict], deleted_ids: Iterable[int] = ()) -> SaveResult:
    """Save the Ketidakhadiran grid of `year`: rows without id are added, with id updated, `deleted_ids`
    removed; every error by row and column (nothing written on error); audited. A row for (or a stored row of)
    a pegawai of another satker is refused."""
    _require_admin(actor)
    rows, deleted_ids = list(rows), [int(i) for i in deleted_ids]
    start, end = _year_bounds(year)
    with unit_of_work(actor, action="ubah_ketidakhadiran") as s:
        ctx = _Context(s, actor)
        touched = {int(r["id"]) for r in rows if r.get("id") is not None} | set(deleted_ids)
        stored = {k.id: k for k in s.scalars(select(Ketidakhadiran).where(or_(
            Ketidakhadiran.id.in_(touched) if touched else False,
            (Ketidakhadiran.tanggal_mulai <= end) & (Ketidakhadiran.tanggal_selesai >= start))))}
        if ctx.scope is not None:
            foreign = [k for k in stored.values() if k.id in touched and k.pegawai_id not in ctx.scope]
            if foreign:
                lingkup.require_sdm_for(s, actor, [foreign[0].pegawai_id])
            stored = {i: k for i, k in stored.items() if k.pegawai_id in ctx.scope}
        spec: GridSpec[Ketidakhadiran] = GridSpec(
            labels=LABELS, noun="ketidakhadiran", parse=lambda raw, _obj, err: _parse_row(ctx, raw, err),
            create=lambda v: Ketidakhadiran(**v), version=lambda k: k.version,
            current=lambda k: {"pegawai": k.pegawai.nip, "jenis": k.jenis.value, "tanggal_mulai": k.tanggal_mulai,
                               "tanggal_selesai": k.tanggal_selesai, "nomor_surat": k.nomor_surat,
                               "keterangan": k.keterangan},
            fields=("pegawai_id", "jenis", "tanggal_mulai", "tanggal_selesai", "nomor_surat", "keterangan"))
        out = apply_grid(s, spec, stored, rows, deleted_ids, check=lambda plan, errs: _check_overlaps(s, plan, errs))
        return SaveResult(out.inserted, out.updated, out.deleted)


# --- paste and Excel import --------------------------------------------------------------------------


def _readers(today: dt.date) -> dict:
    return {"tanggal_mulai": lambda v: cells.to_date(v, today=today),
            "tanggal_selesai": lambda v: cells.to_date(v, today=today)}


def _preview(actor: Actor, preview: PastePreview, raws: list[dict], sink: ErrorSink) -> PastePreview:
    values: dict[int, dict] = {}
    with read_session() as s:
        ctx = _Context(s, actor)
        for raw in raws:
            no, bad = raw["_row"], raw.pop("_bad", set())
            own = ErrorSink(sink.labels)
            v = _parse_row(ctx, raw, own.for_row(no))
            skip = {sink.labels.get(c, c) for c in bad}
            sink.items += [e for e in own.items if e.field not in skip]
            if v is not None and not bad:
                nip = next(n for n, (pid, _nm) in ctx.by_nip.items() if pid == v["pegawai_id"])
                values[no] = {"id": None, "pegawai": pegawai_label(nip, ctx.by_nip[nip][1]),
                              "jenis": v["jenis"].value, "tanggal_mulai": v["tanggal_mulai"],
                              "tanggal_selesai": v["tanggal_selesai"], "nomor_surat": v["nomor_surat"],
                              "keterangan": v["keterangan"], "version": None}
    return finish_paste(preview, values, sink)


def preview_paste(actor: Actor, text: str) -> PastePreview:
    """Rows pasted from Excel (tab-separated, PASTE_COLUMNS; a header line is recognised) read with the grid's
    row model, nothing saved: good rows as grid values, bad cells by row and column."""
    _require_admin(actor)
    preview, raws, sink = read_paste(text, PASTE_COLUMNS, LABELS, _readers(clock.today()))
    return _preview(actor, preview, raws, sink)


def preview_excel(actor: Actor, content: bytes) -> PastePreview:
    """An uploaded .xlsx (first sheet; a first row of column labels, as `template_xlsx` writes) read like a
    paste: the preview the page shows before "Impor"."""
    _require_admin(actor)
    try:
        df = pd.read_excel(io.BytesIO(content), dtype=object, header=None)
    except Exception as e:  # noqa: BLE001  (any unreadable file: one clear message)
        raise ValidationFailed([cells_error("Berkas", f"berkas Excel tidak dapat dibaca ({type(e).__name__})")]) from e
    lines = []
    for row in df.itertuples(index=False):
        lines.append("\t".join(_cell_text(v) for v in row))
    return preview_paste(actor, "\n".join(lines))


def cells_error(field: str, message: str):
    from services.core.errors import FieldError

    return FieldError(None, field, message)


def _cell_text(v: Any) -> str:
    if v is None or (isinstance(v, float) and pd.isna(v)):
        return ""
    if isinstance(v, dt.datetime | pd.Timestamp):
        return cells.fmt_date(v)
    if isinstance(v, dt.date):
        return cells.fmt_date(v)
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).replace("\t", " ").replace("\n", " ")


def import_rows(actor: Actor, year: int, rows: list[dict]) -> SaveResult:
    """Save the good rows of a preview (all new) through the grid's save path."""
    return save_grid(actor, year, [dict(r, id=None, _row=i) for i, r in enumerate(rows, start=1)])


def template_xlsx(actor: Actor) -> bytes:
    """An empty import sheet with the column labels (and one example row)."""
    from services.core.export import to_excel_bytes

    _require_admin(actor)
    example = {LABELS["pegawai"]: "199003032015031003", LABELS["jenis"]: "Cuti Tahunan",
               LABELS["tanggal_mulai"]: "02/03/2026", LABELS["tanggal_selesai"]: "06/03/2026",
               LABELS["nomor_surat"]: "800/123/SDM/2026", LABELS["keterangan"]: ""}
    return to_excel_bytes(pd.DataFrame([example]), sheet_name="Ketidakhadiran")


# --- reads used by the logbook ----------------------------------------------------------------------


def absent_days(s: Session, pegawai_ids: Iterable[int], start: dt.date, end: dt.date) -> dict[int, dict[dt.date, str]]:
    """pegawai id -> {day: jenis label} for every day from `start` to `end` inside one of their ranges
    (calendar days; callers intersect with working days)."""
    ids = list(pegawai_ids)
    out: dict[int, dict[dt.date, str]] = defaultdict(dict)
    if not ids:
        return out
    q = select(Ketidakhadiran.pegawai_id, Ketidakhadiran.jenis, Ketidakhadiran.tanggal_mulai,
               Ketidakhadiran.tanggal_selesai).where(Ketidakhadiran.pegawai_id.in_(ids),
                                                     Ketidakhadiran.tanggal_mulai <= end,
                                                     Ketidakhadiran.tanggal_selesai >= start)
    for pid, jenis, a, b in s.execute(q):
        d = max(a, start)
        while d <= min(b, end):
            out[pid][d] = jenis.value
            d += dt.timedelta(days=1)
    return out


def my_absences(actor: Actor, year: int) -> pd.DataFrame:
    """The acting pegawai's own ranges of a year (read-only; Admin SDM records them)."""
    if actor.pegawai_id is None:
        raise PermissionDenied("Hanya untuk akun yang terhubung dengan data pegawai.")
    start, end = _year_bounds(year)
    with read_session() as s:
        rows = s.execute(select(Ketidakhadiran.jenis, Ketidakhadiran.tanggal_mulai, Ketidakhadiran.tanggal_selesai,
                                Ketidakhadiran.nomor_surat)
                         .where(Ketidakhadiran.pegawai_id == actor.pegawai_id, Ketidakhadiran.tanggal_mulai <= end,
                                Ketidakhadiran.tanggal_selesai >= start)
                         .order_by(Ketidakhadiran.tanggal_mulai)).all()
    return pd.DataFrame([{"jenis": j.value, "tanggal_mulai": a, "tanggal_selesai": b, "nomor_surat": n}
                         for j, a, b, n in rows], columns=["jenis", "tanggal_mulai", "tanggal_selesai", "nomor_surat"])
