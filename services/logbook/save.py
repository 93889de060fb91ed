"""Saving the logbook month grid, copying a day, and submitting entries (pages import these through
services.logbook).

Every row is validated in the service (never trust the editor); all errors are collected as FieldError(row,
column label, message) and raised together; nothing is written on error; otherwise everything is written in one
unit_of_work.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.engine import read_session
from db.models import LogbookEntry, StatusLogbook
from services.core import clock, settings
from services.core.actor import Actor
from services.core.errors import FieldError, PermissionDenied, ValidationFailed
from services.core.grid import ErrorSink, GridPlan, GridSpec, apply_grid
from services.core.uow import unit_of_work
from services.logbook import common as c
from services.logbook.common import STATUS_LABEL, LogbookStatusError
from services.org import kalender

VOLUME_MAKS = Decimal("9999999999.99")
FIELDS = ("tanggal", "jam_mulai", "jam_selesai", "durasi_menit", "rhk_id", "rhk_label", "uraian", "volume",
          "satuan", "bukti_link", "catatan_hari_libur", "justifikasi_terlambat")


def _labels() -> dict[str, str]:
    from services.logbook.entries import LABELS

    return LABELS


@dataclass
class _Planned:
    """One entry as it would be after the save (from the grid, or a stored entry left untouched)."""

    tanggal: dt.date
    mulai: dt.time | None
    selesai: dt.time | None
    durasi: int
    row: int | None  # grid row; None for a stored entry
    status: StatusLogbook


@dataclass
class _Ctx:
    s: Session
    pegawai_id: int
    year: int
    month: int
    today: dt.date
    maks_harian: int
    teks_maks: int
    closed: bool
    days: dict[dt.date, kalender.DayInfo]
    options: dict[tuple[dt.date, dt.date], list[c.RhkOption]]
    period_problems: dict[dt.date, str | None]

    def rhk_for(self, d: dt.date) -> list[c.RhkOption]:
        for (a, b), opts in self.options.items():
            if a <= d <= b:
                return opts
        return []

    def period_problem(self, d: dt.date) -> str | None:
        if d not in self.period_problems:
            self.period_problems[d] = c.period_problem(self.s, d)
        return self.period_problems[d]


def _context(s: Session, pegawai_id: int, year: int, month: int, today: dt.date) -> _Ctx:
    start, end = kalender.month_bounds(year, month)
    return _Ctx(s=s, pegawai_id=pegawai_id, year=year, month=month, today=today,
                maks_harian=settings.get("logbook_maks_menit_harian", s), teks_maks=settings.get("logbook_teks_maks", s),
                closed=c.month_closed(year, month, today, s), days={d.tanggal: d for d in kalender.days(start, end, s)},
                options=c.options_between(s, pegawai_id, start, end), period_problems={})


def _validate_row(ctx: _Ctx, raw: dict, entry: LogbookEntry | None, err) -> dict | None:
    """Check one grid row; report problems with err(column, message); return the model values (or None)."""
    n0 = err.count
    v: dict = {}
    # tanggal
    try:
        d = c.to_date(raw.get("tanggal"))
    except ValueError as e:
        d = None
        err("tanggal", str(e))
    else:
        if d is None:
            err("tanggal", "wajib diisi")
        elif (d.year, d.month) != (ctx.year, ctx.month):
            err("tanggal", f"harus di dalam bulan {ctx.month:02d}/{ctx.year}")
            d = None
        elif d > ctx.today:
            err("tanggal", "tidak boleh di masa depan")
            d = None
        elif (p := ctx.period_problem(d)) is not None:
            err("tanggal", p)
            d = None
    v["tanggal"] = d
    # times and duration
    times: dict[str, dt.time | None] = {}
    for col in ("jam_mulai", "jam_selesai"):
        try:
            times[col] = c.to_time(raw.get(col))
        except ValueError as e:
            times[col] = None
            err(col, str(e))
    try:
        durasi = c.to_int(raw.get("durasi_menit"))
    except ValueError as e:
        durasi = None
        err("durasi_menit", str(e))
    mulai, selesai = times["jam_mulai"], times["jam_selesai"]
    bad_time = err.count > n0 and any(k in err.fields for k in ("jam_mulai", "jam_selesai", "durasi_menit"))
    if not bad_time:
        if mulai and selesai:
            if c.minutes(selesai) <= c.minutes(mulai):
                err("jam_selesai", "harus setelah jam mulai")
            else:
                computed = c.minutes(selesai) - c.minutes(mulai)
                typed = durasi is not None and (entry is None or durasi != entry.durasi_menit)
                if typed and durasi != computed:  # a stored duration left as it was follows the new times
                    err("durasi_menit", f"tidak sama dengan selisih jam ({computed} menit); kosongkan atau samakan")
                durasi = computed
        elif selesai and not mulai:
            err("jam_mulai", "wajib diisi bila jam selesai diisi")
        elif mulai and not selesai:
            if durasi is None:
                err("jam_selesai", "isi jam selesai atau durasi")
            elif durasi > 0:
                end = c.minutes(mulai) + durasi
                if end >= 24 * 60:
                    err("durasi_menit", "kegiatan melewati tengah malam; catat sisanya pada hari berikutnya")
                else:
                    selesai = dt.time(end // 60, end % 60)
        elif durasi is None:
            err("durasi_menit", "isi jam mulai dan selesai, atau durasi")
        if durasi is not None and durasi <= 0:
            err("durasi_menit", "harus lebih dari 0")
        elif durasi is not None and durasi > ctx.maks_harian:
            err("durasi_menit", f"melebihi batas {ctx.maks_harian} menit per hari")
    v.update(jam_mulai=mulai, jam_selesai=selesai, durasi_menit=durasi)
    # RHK
    rhk = raw.get("rhk")
    if rhk is None or (isinstance(rhk, str) and not rhk.strip()):
        err("rhk", "wajib dipilih")
    elif d is not None:
        opts = ctx.rhk_for(d)
        if not opts:
            err("rhk", c.NO_SKP.format(tanggal=f"{d:%d/%m/%Y}"))
        else:
            match = None
            for o in opts:
                if (isinstance(rhk, int) and not isinstance(rhk, bool) and o.id == rhk) or o.label == str(rhk).strip():
                    match = o
            if match is None:
                err("rhk", "bukan RHK dari SKP yang disetujui untuk tanggal ini")
            else:
                v["rhk_id"], v["rhk_label"] = match.id, match.label
    # texts
    uraian = c.text(raw.get("uraian"))
    if uraian is None:
        err("uraian", "wajib diisi")
    elif len(uraian) > ctx.teks_maks:
        err("uraian", f"paling banyak {ctx.teks_maks} karakter")
    v["uraian"] = uraian
    try:
        vol = c.to_decimal(raw.get("volume"))
    except ValueError as e:
        vol = None
        err("volume", str(e))
    else:
        if vol is None:
            err("volume", "wajib diisi")
        elif vol <= 0:
            err("volume", "harus lebih dari 0")
        elif vol > VOLUME_MAKS:
            err("volume", "terlalu besar")
        else:
            vol = vol.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            if vol <= 0:
                err("volume", "harus lebih dari 0")
    v["volume"] = vol
    satuan = c.text(raw.get("satuan"))
    if satuan is None:
        err("satuan", "wajib diisi")
    elif len(satuan) > c.SATUAN_MAKS:
        err("satuan", f"paling banyak {c.SATUAN_MAKS} karakter")
    v["satuan"] = satuan
    link = c.text(raw.get("bukti_link"))
    if link is not None:
        if len(link) > c.LINK_MAKS:
            err("bukti_link", f"paling banyak {c.LINK_MAKS} karakter")
        elif not link.lower().startswith(("http://", "https://")) or " " in link:
            err("bukti_link", "harus tautan yang diawali http:// atau https://")
    v["bukti_link"] = link
    libur = c.text(raw.get("catatan_hari_libur"))
    if libur is not None and len(libur) > c.CATATAN_MAKS:
        err("catatan_hari_libur", f"paling banyak {c.CATATAN_MAKS} karakter")
    if d is not None and not ctx.days[d].kerja and libur is None:
        err("catatan_hari_libur", f"{d:%d/%m/%Y} bukan hari kerja ({ctx.days[d].keterangan}); jelaskan kegiatannya")
    v["catatan_hari_libur"] = libur
    just = c.text(raw.get("justifikasi_terlambat"))
    if just is not None and len(just) > c.NOTE_MAKS:
        err("justifikasi_terlambat", f"paling banyak {c.NOTE_MAKS} karakter")
    late = entry.terlambat if entry is not None else ctx.closed
    if late and just is None:
        err("justifikasi_terlambat", "masa pengisian bulan ini sudah ditutup: jelaskan alasan keterlambatan")
    v["justifikasi_terlambat"] = just
    v["terlambat"] = late
    return None if err.count > n0 else v


def _errors() -> ErrorSink:
    return ErrorSink(_labels())


def _locked(entry: LogbookEntry) -> str | None:
    if entry.status in c.EDITABLE:
        return None
    return (f"kegiatan berstatus {STATUS_LABEL[entry.status]} terkunci dan tidak dapat diubah"
            + ("; ajukan permintaan koreksi" if entry.status == StatusLogbook.DISETUJUI else ""))


def _current(entry: LogbookEntry) -> dict:
    """A stored entry as a grid row (to merge a user's edited columns into)."""
    return {"id": entry.id, "tanggal": entry.tanggal, "jam_mulai": entry.jam_mulai, "jam_selesai": entry.jam_selesai,
            "durasi_menit": entry.durasi_menit, "rhk": entry.rhk_id or entry.rhk_label, "uraian": entry.uraian,
            "volume": entry.volume, "satuan": entry.satuan, "bukti_link": entry.bukti_link,
            "catatan_hari_libur": entry.catatan_hari_libur, "justifikasi_terlambat": entry.justifikasi_terlambat,
            "version": entry.version}


def _spec(ctx: _Ctx) -> GridSpec:
    def missing(lid: int) -> tuple[str, str] | None:
        other = ctx.s.get(LogbookEntry, lid)
        if other is not None and other.pegawai_id == ctx.pegawai_id:
            return "tanggal", "kegiatan ini bukan dari bulan yang sedang dibuka"
        return None

    def undeletable(entry: LogbookEntry) -> str | None:
        if entry.status in c.DELETABLE:
            return None
        return f"berstatus {STATUS_LABEL[entry.status]} dan tidak dapat dihapus"

    return GridSpec(labels=_labels(), noun="kegiatan", fields=FIELDS,
                    parse=lambda raw, entry, err: _validate_row(ctx, raw, entry, err),
                    create=lambda v: LogbookEntry(pegawai_id=ctx.pegawai_id, status=StatusLogbook.DRAFT, **v),
                    locked=_locked, undeletable=undeletable, version=lambda e: e.version, current=_current,
                    missing=missing)


def _stored(ctx: _Ctx) -> dict[int, LogbookEntry]:
    start, end = kalender.month_bounds(ctx.year, ctx.month)
    return {e.id: e for e in ctx.s.scalars(select(LogbookEntry).where(
        LogbookEntry.pegawai_id == ctx.pegawai_id, LogbookEntry.tanggal >= start, LogbookEntry.tanggal <= end))}


def _day_check(ctx: _Ctx):
    """Cross-row rules over the plan: grid rows as they would be saved plus stored entries left untouched."""
    def check(plan: GridPlan, errs: ErrorSink) -> None:
        planned = [_Planned(v["tanggal"], v["jam_mulai"], v["jam_selesai"], v["durasi_menit"], r, StatusLogbook.DRAFT)
                   for r, v in plan.new]
        planned += [_Planned(v["tanggal"], v["jam_mulai"], v["jam_selesai"], v["durasi_menit"], r, e.status)
                    for e, v, r in plan.updates]
        planned += [_Planned(e.tanggal, e.jam_mulai, e.jam_selesai, e.durasi_menit, r, e.status)
                    for e, _v, r in plan.unchanged]
        planned += [_Planned(e.tanggal, e.jam_mulai, e.jam_selesai, e.durasi_menit, None, e.status)
                    for e in plan.untouched]
        _check_day_rules(ctx, planned, errs)
    return check


def _check_day_rules(ctx: _Ctx, planned: list[_Planned], errs: ErrorSink) -> None:
    """Overlapping times on one day and the daily minutes cap, over grid rows and stored entries together."""
    by_day: dict[dt.date, list[_Planned]] = defaultdict(list)
    for p in planned:
        if p.status != StatusLogbook.DITOLAK:
            by_day[p.tanggal].append(p)
    for d, items in sorted(by_day.items()):
        timed = sorted((p for p in items if p.mulai and p.selesai), key=lambda p: (c.minutes(p.mulai), p.row or 0))  # type: ignore[arg-type]
        for i, a in enumerate(timed):
            for b in timed[i + 1:]:
                if c.minutes(b.mulai) >= c.minutes(a.selesai):  # type: ignore[arg-type]
                    break
                for x, y in ((a, b), (b, a)):
                    if x.row is not None:
                        where = f"baris {y.row}" if y.row is not None else "kegiatan tersimpan"
                        errs.add(x.row, "jam_mulai", f"bertumpang tindih dengan {where} "
                                 f"({c.jam_label(y.mulai, y.selesai)}) pada {d:%d/%m/%Y}")
        total = sum(p.durasi for p in items)
        if total > ctx.maks_harian:
            for p in items:
                if p.row is not None:
                    errs.add(p.row, "durasi_menit", f"jumlah kegiatan {d:%d/%m/%Y} menjadi {total} menit, melebihi "
                             f"batas {ctx.maks_harian} menit per hari")


def save_month(actor: Actor, year: int, month: int, rows: Iterable[dict], deleted_ids: Iterable[int] = (), *,
               today: dt.date | None = None):
    """Save the actor's month grid (GridEdit.changes()): rows without id are added as Draft, rows with an id
    updated (only Draft/Revisi entries; an unchanged locked row is ignored), `deleted_ids` removed.

    `rhk` may be the label (MonthInfo.rhk_labels / RhkOption.label) or the RHK id. Times are datetime.time or
    "HH:MM"; with both times the duration is computed; with only a start time the end is start + duration.
    Validation (row + column label of LABELS): date inside the month and an open period, not in the future;
    non-working day needs Catatan Hari Libur; times valid, end after start; no overlap with other rows or
    stored entries of the day; daily total <= setting logbook_maks_menit_harian; RHK of the approved SKP
    covering the date; uraian <= setting logbook_teks_maks; volume > 0; satuan, link and note lengths; a
    closed month (after setting logbook_batas_isi_hari of the next month) needs Justifikasi Terlambat.
    Rows go through the one grid-save path (services.core.grid.apply_grid): a row whose `version` is stale is
    merged when it carries `_changed` and is still editable, else reported in SaveResult.tidak_diterapkan.
    Raises ValidationFailed (nothing saved), Conflict (a stale row without `_changed`), PermissionDenied.
    Returns SaveResult (`.pesan` for the flash message).
    """
    from services.logbook.entries import SaveResult

    pid = c.require_pegawai(actor)
    today = today or clock.today()
    with unit_of_work(actor, action="logbook_simpan") as s:
        ctx = _context(s, pid, year, month, today)
        out = apply_grid(s, _spec(ctx), _stored(ctx), rows, deleted_ids, check=_day_check(ctx))
        return SaveResult(out.inserted, out.updated, out.deleted, out.merged, out.not_applied)


def copy_day(actor: Actor, from_date: dt.date, to_date: dt.date, *, today: dt.date | None = None):
    """Copy the actor's entries of `from_date` (except rejected ones) to `to_date` as new Draft entries, with the
    same validation as save_month (errors name the copied rows 1, 2, … in time order; evidence links and
    holiday notes are not copied). ValidationFailed when `from_date` has nothing to copy. Returns SaveResult."""
    pid = c.require_pegawai(actor)
    with read_session() as s:
        src = s.scalars(select(LogbookEntry).where(
            LogbookEntry.pegawai_id == pid, LogbookEntry.tanggal == from_date,
            LogbookEntry.status != StatusLogbook.DITOLAK).order_by(LogbookEntry.jam_mulai, LogbookEntry.id)).all()
        rows = [{"id": None, "_row": n, "tanggal": to_date, "jam_mulai": e.jam_mulai, "jam_selesai": e.jam_selesai,
                 "durasi_menit": None if e.jam_mulai else e.durasi_menit, "rhk": e.rhk_id or e.rhk_label,
                 "uraian": e.uraian, "volume": e.volume, "satuan": e.satuan, "bukti_link": None, "catatan_hari_libur": None,
                 "justifikasi_terlambat": None}
                for n, e in enumerate(src, start=1)]
    if not rows:
        raise ValidationFailed([FieldError(None, _labels()["tanggal"],
                                           f"tidak ada kegiatan pada {from_date:%d/%m/%Y} untuk disalin")])
    return save_month(actor, to_date.year, to_date.month, rows, (), today=today)


def submit(actor: Actor, entry_ids: Iterable[int], *, today: dt.date | None = None) -> int:
    """Submit the actor's own Draft/Revisi entries for review (status -> "Belum Diperiksa"); returns the count.

    Refused as a whole: PermissionDenied for entries of someone else; LogbookStatusError for entries that are
    not Draft/Revisi; ValidationFailed (column Justifikasi Terlambat / RHK) for Draft entries of a closed month
    without a justification, or whose RHK is no longer in an approved SKP."""
    pid = c.require_pegawai(actor)
    today = today or clock.today()
    ids = sorted({int(i) for i in entry_ids})
    if not ids:
        return 0
    labels = _labels()
    with unit_of_work(actor, action="logbook_ajukan") as s:
        entries = s.scalars(select(LogbookEntry).where(LogbookEntry.id.in_(ids)).order_by(
            LogbookEntry.tanggal, LogbookEntry.jam_mulai, LogbookEntry.id)).all()
        if len(entries) != len(ids) or any(e.pegawai_id != pid for e in entries):
            raise PermissionDenied("Anda hanya dapat mengajukan kegiatan logbook Anda sendiri.")
        bad = [e for e in entries if e.status not in c.SUBMITTABLE]
        if bad:
            raise LogbookStatusError(f"{len(bad)} kegiatan tidak dapat diajukan karena berstatus "
                                     f"{', '.join(sorted({STATUS_LABEL[e.status] for e in bad}))}.")
        errors: list[FieldError] = []
        for e in entries:
            where = f"kegiatan {e.tanggal:%d/%m/%Y} {c.jam_label(e.jam_mulai, e.jam_selesai)}".strip()
            if e.status == StatusLogbook.DRAFT and c.month_closed(e.tanggal.year, e.tanggal.month, today, s):
                e.terlambat = True
                if not e.justifikasi_terlambat:
                    errors.append(FieldError(None, labels["justifikasi_terlambat"],
                                             f"{where}: masa pengisian sudah ditutup, isi justifikasi keterlambatan"))
            if e.rhk_id is None or e.rhk_id not in {o.id for o in c.options_on(s, pid, e.tanggal)}:
                errors.append(FieldError(None, labels["rhk"], f"{where}: RHK tidak lagi ada di SKP yang disetujui"))
        if errors:
            raise ValidationFailed(errors)
        moment = c.now()
        for e in entries:
            e.status = StatusLogbook.DIAJUKAN
            e.submitted_at = moment
        return len(entries)


def submit_day(actor: Actor, day: dt.date, *, today: dt.date | None = None) -> int:
    """Submit all of the actor's Draft/Revisi entries of one day (see submit); returns the count (0 if none)."""
    pid = c.require_pegawai(actor)
    with read_session() as s:
        ids = list(s.scalars(select(LogbookEntry.id).where(
            LogbookEntry.pegawai_id == pid, LogbookEntry.tanggal == day,
            LogbookEntry.status.in_(list(c.SUBMITTABLE)))))
    return submit(actor, ids, today=today)


# --- paste from Excel ------------------------------------------------------------------------------------------

PASTE_COLUMNS = ("tanggal", "jam_mulai", "jam_selesai", "durasi_menit", "rhk", "uraian", "volume", "satuan",
                 "bukti_link", "catatan_hari_libur", "justifikasi_terlambat")
"""The columns a paste fills, in the grid's order (and the order "Unduh Excel" writes)."""


def _resolve_rhk(ctx: _Ctx, d: dt.date | None, typed: object) -> object:
    """RHK by its number in the SKP (1, 2, …) or by its text (the grid's label, or the full RHK text)."""
    if d is None or not isinstance(typed, str):
        return typed
    opts = ctx.rhk_for(d)
    text = " ".join(typed.split()).rstrip(".")
    if text.isdigit() and 1 <= int(text) <= len(opts):
        return opts[int(text) - 1].label
    low = text.casefold()
    for o in opts:
        label = o.label.casefold()
        if label == low or (label.endswith("…") and low.startswith(label[:-1].rstrip())):
            return o.label
    return typed


def _paste_key(tanggal: object, mulai: object, uraian: object) -> tuple:
    """What identifies a stored entry in a paste: its date, start time and uraian (spaces and case aside)."""
    return tanggal, mulai, " ".join(uraian.split()).casefold() if isinstance(uraian, str) else uraian


def _same_as_stored(raw: dict, entry: LogbookEntry) -> bool:
    """A pasted row reads as the stored entry (an empty cell counts as the stored value: a computed duration)."""
    def same(col: str, stored: object) -> bool:
        typed = raw.get(col)
        if typed is None or stored is None:
            return typed is None or col in ("durasi_menit", "jam_selesai")
        if isinstance(typed, str) and isinstance(stored, str):
            return " ".join(typed.split()) == " ".join(stored.split())
        try:
            return Decimal(str(typed)) == Decimal(str(stored)) if col in ("volume", "durasi_menit") else typed == stored
        except ArithmeticError:
            return False

    return all(same(col, getattr(entry, attr)) for col, attr in (
        ("tanggal", "tanggal"), ("jam_mulai", "jam_mulai"), ("jam_selesai", "jam_selesai"),
        ("durasi_menit", "durasi_menit"), ("rhk", "rhk_label"), ("uraian", "uraian"), ("volume", "volume"),
        ("satuan", "satuan"), ("bukti_link", "bukti_link"), ("catatan_hari_libur", "catatan_hari_libur"),
        ("justifikasi_terlambat", "justifikasi_terlambat")))


def month_xlsx(actor: Actor, year: int, month: int) -> bytes:
    """The actor's month grid as Excel ("Unduh Excel"): the entry's ID, then PASTE_COLUMNS under the grid's labels,
    dates 31/01/2026 and times 07.30 as text, so the sheet pasted back into "Tempel dari Excel" reads as the same
    entries (by ID; rows added in Excel leave it empty)."""
    from services.core import export
    from services.core.grid import grid_table
    from services.logbook.entries import month_grid

    return export.to_excel_bytes(grid_table(month_grid(actor, year, month), ("id", *PASTE_COLUMNS), _labels()),
                                 "Logbook")


def preview_paste(actor: Actor, year: int, month: int, text: str, *, today: dt.date | None = None):
    """Read rows pasted from Excel (tab-separated, columns PASTE_COLUMNS) for the actor's month grid, with the
    same row model as save_month, without saving anything. Returns a PastePreview: good rows as grid values
    (to add to the grid as new rows) and every bad cell as FieldError(preview row number, column label, message)
    - dates 31/01/2026, 1/2/26, 4 Desember 2026 or ISO; times 07.30 or 7:30; decimals with comma or point;
    RHK by number or text; a date outside the month is kept as typed and reported. A row with the date, start
    time and uraian of a stored entry, or with its ID (an "ID" column under a header line, as month_xlsx writes
    it), is that entry (its values carry the entry's id: the grid lays them over that row): an update of a Draft/Revisi entry, recognised as unchanged for a locked one (refused when changed),
    so what month_xlsx gives can be pasted back unchanged."""
    from domain import cells
    from services.core.grid import finish_paste, read_paste

    pid = c.require_pegawai(actor)
    today = today or clock.today()

    def text_cell(v: str) -> str | None:
        return cells.to_text(v)

    readers: dict[str, Callable[[str], Any]] = {"tanggal": lambda v: cells.to_date(v, today=today), "jam_mulai": cells.to_time,
               "jam_selesai": cells.to_time, "durasi_menit": cells.to_int, "volume": cells.to_decimal,
               "rhk": text_cell, "uraian": text_cell, "satuan": text_cell, "bukti_link": text_cell,
               "catatan_hari_libur": text_cell, "justifikasi_terlambat": text_cell}
    preview, raws, sink = read_paste(text, PASTE_COLUMNS, _labels(), readers, ids=True)
    values: dict[int, dict] = {}
    with read_session() as s:
        ctx = _context(s, pid, year, month, today)
        stored = _stored(ctx)
        by_key = {_paste_key(e.tanggal, e.jam_mulai, e.uraian): e for e in sorted(stored.values(), key=lambda e: e.id)}
        matched: set[int] = set()  # stored entries a pasted row updates (left out of the stored entries below)
        by_id_row: dict[int, int] = {}  # entry id -> the pasted row that names it
        planned: list[_Planned] = []
        for raw in raws:
            no, bad = raw["_row"], raw.pop("_bad", set())
            raw["rhk"] = _resolve_rhk(ctx, raw.get("tanggal"), raw.get("rhk"))
            rid = raw.get("id")
            if rid is not None:  # the ID column of "Unduh Excel": that entry, whatever else was changed in Excel
                if rid not in stored:
                    sink.add(no, "id", f"kegiatan ID {rid} tidak ada di logbook Anda bulan ini; kosongkan ID untuk "
                                       "kegiatan baru")
                    continue
                if rid in by_id_row:
                    sink.add(no, "id", f"ID yang sama dengan baris tempel {by_id_row[rid]}; kosongkan ID untuk "
                                       "kegiatan baru")
                    continue
                by_id_row[rid] = no
            entry = None if bad else (stored[rid] if rid is not None else by_key.get(
                _paste_key(raw.get("tanggal"), raw.get("jam_mulai"), raw.get("uraian"))))
            if entry is not None and (why := _locked(entry)) is not None:
                if _same_as_stored(raw, entry):  # a locked entry pasted back unchanged: recognised, nothing to do
                    values[no] = dict(_current(entry), rhk=entry.rhk_label, volume=float(entry.volume))
                    values[no].pop("version", None)
                else:
                    sink.add(no, "status", why)
                continue
            own = ErrorSink(sink.labels)
            v = _validate_row(ctx, raw, entry, own.for_row(no))
            if bad & {"jam_mulai", "jam_selesai", "durasi_menit"}:  # no follow-on duration errors
                bad |= {"jam_mulai", "jam_selesai", "durasi_menit"}
            skip = {sink.labels.get(col, col) for col in bad}
            sink.items += [e for e in own.items if e.field not in skip]
            if v is not None and not bad:
                planned.append(_Planned(v["tanggal"], v["jam_mulai"], v["jam_selesai"], v["durasi_menit"], no,
                                        StatusLogbook.DRAFT))
                if entry is not None:
                    matched.add(entry.id)
                values[no] = {"id": entry.id if entry is not None else None, "tanggal": v["tanggal"], "jam_mulai": v["jam_mulai"],
                              "jam_selesai": v["jam_selesai"], "durasi_menit": v["durasi_menit"],
                              "rhk": v["rhk_label"], "uraian": v["uraian"], "volume": float(v["volume"]),
                              "satuan": v["satuan"], "bukti_link": v["bukti_link"],
                              "catatan_hari_libur": v["catatan_hari_libur"],
                              "justifikasi_terlambat": v["justifikasi_terlambat"]}
        planned += [_Planned(e.tanggal, e.jam_mulai, e.jam_selesai, e.durasi_menit, None, e.status)
                    for e in stored.values() if e.id not in matched]
        day = ErrorSink(sink.labels)
        _check_day_rules(ctx, planned, day)
        sink.items += [FieldError(e.row, e.field, e.message.replace("baris ", "baris tempel "))
                       for e in day.items]
    return finish_paste(preview, values, sink)
