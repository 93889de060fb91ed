"""One grid-save path: apply the rows of an editable grid (or of a paste) to stored objects.

Every grid save is the same skeleton: look up the stored rows, parse and validate each grid row with the grid's
row model, report every problem as FieldError(row number the user sees, column label, Indonesian message),
detect rows changed elsewhere since the grid was loaded (a `version` the read model hands out), delete, update
only what changed, insert what is new, and count - all inside the caller's unit of work, nothing written when
there is any error. `apply_grid` is that skeleton; a grid supplies a `GridSpec` (its row model and rules).

Rows changed elsewhere (stale `version`): a row that carries `_changed` (the columns the user edited, as
`ui.grid.GridEdit.changes()` sends them) is merged - the user's edited columns are laid over the row as it is
stored now - when the row may still be edited; when it may not (approved meanwhile, deleted), it is reported in
`GridOutcome.not_applied` and left alone, the rest is saved. A stale row without `_changed` (a caller that
cannot say what was edited) raises `Conflict` as a whole.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from domain.cells import CellError, to_int
from services.core.errors import Conflict, FieldError, ValidationFailed

M = TypeVar("M")

CONFLICT = ("Data tabel ini telah diubah di tempat lain sejak Anda membukanya. Muat ulang halaman; "
            "salin dulu isian Anda bila perlu.")


class ErrorSink:
    """Collects FieldErrors; `labels` turns a column key into the label the user sees."""

    def __init__(self, labels: Mapping[str, str] | None = None) -> None:
        self.items: list[FieldError] = []
        self.labels = dict(labels or {})

    @property
    def count(self) -> int:
        return len(self.items)

    def add(self, row: int | None, col: str, msg: str) -> None:
        self.items.append(FieldError(row, self.labels.get(col, col), msg))

    def for_row(self, row: int | None) -> RowErrors:
        return RowErrors(self, row)

    def sorted(self) -> list[FieldError]:
        return sorted(self.items, key=lambda e: (e.row is not None, e.row or 0))


class RowErrors:
    """err(column, message) for one grid row; remembers which columns failed."""

    def __init__(self, sink: ErrorSink, row: int | None) -> None:
        self.sink, self.row = sink, row
        self.fields: set[str] = set()

    def __call__(self, col: str, msg: str) -> None:
        self.fields.add(col)
        self.sink.add(self.row, col, msg)

    @property
    def count(self) -> int:
        return self.sink.count


def _setattrs(obj: Any, values: Mapping[str, Any]) -> None:
    for k, v in values.items():
        setattr(obj, k, v)


@dataclass
class GridSpec(Generic[M]):
    """What one grid is: its row model and its rules.

    parse(raw, stored_or_None, err) -> values (model attributes) or None when err() was called.
    locked(stored) -> why the row may not be edited (message), or None.
    undeletable(stored) -> why it may not be deleted, or None.
    version(stored) -> the version the read model hands out (stale detection); None = no detection.
    current(stored) -> the stored row as a grid row (raw values), to merge the user's edited columns into.
    missing(id) -> (column, message) for an id that is not among the stored rows but exists elsewhere (e.g.
        another month), or None: deleted elsewhere.
    create(values) -> a new object (the caller's callback adds it to the session).
    """

    labels: Mapping[str, str]
    parse: Callable[[dict, Any, RowErrors], dict | None]
    create: Callable[[dict], Any]
    noun: str = "baris"
    fields: tuple[str, ...] | None = None  # compared for "unchanged"; default: the parsed keys
    locked: Callable[[Any], str | None] = lambda obj: None
    undeletable: Callable[[Any], str | None] = lambda obj: None
    version: Callable[[Any], Any] | None = None
    current: Callable[[Any], dict] | None = None
    missing: Callable[[int], tuple[str, str] | None] | None = None
    update: Callable[[Any, dict], None] = _setattrs
    delete: Callable[[Any], None] | None = None
    status_col: str = "status"
    id_col: str = "id"


@dataclass
class GridPlan:
    """What a save would do; `check` callbacks see it before anything is written."""

    new: list[tuple[int | None, dict]] = field(default_factory=list)
    updates: list[tuple[Any, dict, int | None]] = field(default_factory=list)
    unchanged: list[tuple[Any, dict | None, int | None]] = field(default_factory=list)  # incl. locked rows
    deletes: list[Any] = field(default_factory=list)
    untouched: list[Any] = field(default_factory=list)  # stored rows the grid did not send
    not_applied: list[FieldError] = field(default_factory=list)
    merged: int = 0


@dataclass(frozen=True)
class GridOutcome:
    inserted: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    merged: int = 0  # rows changed elsewhere into which the user's edits were merged
    not_applied: tuple[FieldError, ...] = ()  # rows changed elsewhere that could no longer take the edits

    @property
    def changed(self) -> int:
        return self.inserted + self.updated + self.deleted


def _same(obj: Any, values: Mapping[str, Any], fields: tuple[str, ...] | None) -> bool:
    keys = fields if fields is not None else tuple(values)
    return all(getattr(obj, k) == values.get(k) for k in keys)


def _row_id(raw: dict, err: RowErrors, col: str) -> int | None | bool:
    try:
        rid = to_int(raw.get(col))
    except CellError:
        err(col, "ID tidak sah")
        return False
    return rid


def plan_grid(spec: GridSpec, stored: Mapping[int, Any], rows: Iterable[dict], deleted_ids: Iterable[int],
              errs: ErrorSink) -> GridPlan:
    """Validate the grid against the stored rows; errors go to `errs`; nothing is written."""
    plan = GridPlan()
    deleted = {int(i) for i in deleted_ids}
    rid: int | None
    for rid in sorted(deleted):
        obj = stored.get(rid)
        if obj is None:
            errs.add(None, spec.id_col, f"{spec.noun} #{rid} tidak ditemukan (mungkin sudah dihapus)")
        elif (why := spec.undeletable(obj)) is not None:
            errs.add(None, spec.status_col, f"{spec.noun} #{rid} {why}")
        else:
            plan.deletes.append(obj)
    touched: set[int] = set(deleted)
    for raw in rows:
        r = raw.get("_row")
        row_err = errs.for_row(r)
        rid = _row_id(raw, row_err, spec.id_col)
        if rid is False:
            continue
        obj = None
        if rid is not None:
            if rid in deleted:
                continue
            obj = stored.get(rid)
            if obj is None:
                other = spec.missing(rid) if spec.missing else None
                gone = f"{spec.noun} ini sudah dihapus di tempat lain sejak tabel dibuka"
                if other is not None:
                    row_err(other[0], other[1])
                elif raw.get("_changed") is not None:
                    plan.not_applied.append(FieldError(r, errs.labels.get(spec.id_col, spec.id_col),
                                                       gone + "; isian Anda tidak diterapkan"))
                else:
                    row_err(spec.id_col, f"{spec.noun} #{rid} tidak ditemukan (mungkin sudah dihapus)")
                continue
            touched.add(rid)
            if spec.version is not None and raw.get("version") is not None:
                try:
                    stale = to_int(raw.get("version")) != spec.version(obj)
                except CellError:
                    stale = True
                if stale:
                    changed = raw.get("_changed")
                    if changed is None or spec.current is None:
                        raise Conflict(CONFLICT)
                    if (why := spec.locked(obj)) is not None:
                        plan.not_applied.append(FieldError(
                            r, errs.labels.get(spec.status_col, spec.status_col),
                            f"sudah diubah di tempat lain sejak tabel dibuka dan kini {why}; isian Anda tidak "
                            "diterapkan"))
                        plan.unchanged.append((obj, None, r))
                        continue
                    raw = {**spec.current(obj), **{k: raw.get(k) for k in changed}, spec.id_col: rid, "_row": r,
                           "version": spec.version(obj)}
                    plan.merged += 1
        if obj is not None and (why := spec.locked(obj)) is not None:
            v = spec.parse(raw, obj, ErrorSink(errs.labels).for_row(r))  # only to see whether it was changed
            if v is None or not _same(obj, v, spec.fields):
                row_err(spec.status_col, why)
            plan.unchanged.append((obj, None, r))
            continue
        v = spec.parse(raw, obj, row_err)
        if v is None:
            continue
        if obj is None:
            plan.new.append((r, v))
        elif _same(obj, v, spec.fields):
            plan.unchanged.append((obj, v, r))
        else:
            plan.updates.append((obj, v, r))
    plan.untouched = [o for k, o in stored.items() if k not in touched]
    return plan


def apply_grid(session: Any, spec: GridSpec, stored: Mapping[int, Any], rows: Iterable[dict],
               deleted_ids: Iterable[int] = (), *, check: Callable[[GridPlan, ErrorSink], None] | None = None,
               errs: ErrorSink | None = None) -> GridOutcome:
    """Apply a grid's rows inside the caller's unit of work (see the module docstring).

    `stored` maps id -> the stored objects the grid may touch (the rows it was loaded from). `check(plan, errs)`
    runs rules across rows (duplicates, overlaps, totals). Raises ValidationFailed with every error (sorted by
    row; nothing written) or Conflict (a stale row without `_changed`). Returns the counts."""
    errs = errs if errs is not None else ErrorSink(spec.labels)
    plan = plan_grid(spec, stored, rows, deleted_ids, errs)
    if check is not None:
        check(plan, errs)
    if errs.items:
        raise ValidationFailed(errs.sorted())
    return apply_plan(session, spec, plan)


def apply_plan(session: Any, spec: GridSpec, plan: GridPlan) -> GridOutcome:
    """Write a plan made by `plan_grid` (when several grids are saved in one transaction: plan them all with
    one ErrorSink, raise if it holds errors, then apply each)."""
    for obj in plan.deletes:
        (spec.delete or session.delete)(obj)
    for _r, v in plan.new:
        session.add(spec.create(v))
    for obj, v, _r in plan.updates:
        spec.update(obj, v)
    if plan.deletes or plan.new or plan.updates:
        session.flush()
    return GridOutcome(inserted=len(plan.new), updated=len(plan.updates), deleted=len(plan.deletes),
                       unchanged=len(plan.unchanged), merged=plan.merged, not_applied=tuple(plan.not_applied))


# --- paste from Excel -----------------------------------------------------------------------------------------


@dataclass
class PasteRow:
    """One pasted line: `no` as the preview shows it (1 = first data line), what was typed per column, the grid
    values when the row is good, and its errors (row = `no`, column label)."""

    no: int
    typed: dict[str, str]
    values: dict | None = None
    errors: list[FieldError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and self.values is not None


@dataclass
class PastePreview:
    columns: tuple[str, ...]
    rows: list[PasteRow] = field(default_factory=list)
    header: bool = False  # the first pasted line was the column headers (skipped)

    @property
    def good(self) -> list[dict]:
        return [r.values for r in self.rows if r.ok and r.values is not None]

    @property
    def bad(self) -> list[PasteRow]:
        return [r for r in self.rows if not r.ok]

    @property
    def errors(self) -> list[FieldError]:
        return [e for r in self.rows for e in r.errors]


def read_paste(text: str, columns: tuple[str, ...], labels: Mapping[str, str],
               readers: Mapping[str, Callable[[str], Any]], *,
               ids: bool = False) -> tuple[PastePreview, list[dict], ErrorSink]:
    """Split clipboard text (TSV from Excel) into rows of `columns` (the grid's order, which is also the order
    "Unduh Excel" writes; a first line holding the column labels is skipped and then decides the order).
    Each cell goes through its reader (a domain.cells parser); reader errors are reported by row and column.
    Returns the preview (rows with `typed`), the raw rows (`_row` = preview number; None where a cell failed)
    and the sink holding the errors so far (the caller adds its row model's errors, then `finish_paste`).
    With `ids`, an "ID" column under a header line (as "Unduh Excel" writes it) is read into each raw row's `id`
    (a whole number; the caller decides what it matches); otherwise an "ID" column is skipped."""
    from domain.cells import parse_tsv

    sink = ErrorSink(labels)
    preview = PastePreview(columns=tuple(columns))
    try:
        lines = parse_tsv(text or "")
    except CellError as e:
        sink.add(None, "Teks tempel", e.message if hasattr(e, "message") else str(e))
        return preview, [], sink
    lines = [ln for ln in lines if any(str(c).strip() for c in ln)]
    order = list(columns)
    by_label = {str(labels.get(c, c)).strip().lower(): c for c in columns}
    skip = {"no", "no.", "id"}
    if lines and sum(1 for cell in lines[0] if cell.strip().lower() in by_label) >= 2:
        order = [by_label.get(cell.strip().lower(), "" if cell.strip().lower() in skip else f"?{cell}")
                 for cell in lines[0]]
        if ids:
            order = ["id" if cell.strip().lower() == "id" else col for cell, col in zip(lines[0], order, strict=False)]
        preview.header = True
        lines = lines[1:]
    raws: list[dict] = []
    for no, cells in enumerate(lines, start=1):
        typed: dict[str, str] = {}
        raw: dict[str, Any] = {"id": None, "_row": no}
        for i, cell in enumerate(cells):
            col = order[i] if i < len(order) else None
            if col == "":
                continue
            if col == "id":
                try:
                    raw["id"] = to_int(cell)
                except CellError as e:
                    raw.setdefault("_bad", set()).add("id")
                    sink.add(no, "id", getattr(e, "message", None) or str(e))
                typed["id"] = cell
                continue
            if col is None or col.startswith("?"):
                if cell.strip():
                    sink.add(no, f"Kolom ke-{i + 1}", "kolom ini tidak dikenal; urutan kolom: "
                             + ", ".join(str(labels.get(c, c)) for c in columns))
                continue
            typed[col] = cell
        for col in columns:
            cell = typed.get(col, "")
            reader = readers.get(col)
            try:
                raw[col] = reader(cell) if reader else (cell.strip() or None)
            except CellError as e:
                raw[col] = None
                raw.setdefault("_bad", set()).add(col)
                sink.add(no, col, getattr(e, "message", None) or str(e))
        preview.rows.append(PasteRow(no=no, typed=typed))
        raws.append(raw)
    return preview, raws, sink


def finish_paste(preview: PastePreview, values: Mapping[int, dict], sink: ErrorSink) -> PastePreview:
    """Attach each row's grid values (rows without an error) and every error to the preview rows."""
    by_no = {r.no: r for r in preview.rows}
    general: list[FieldError] = []
    for e in sink.items:
        (by_no[e.row].errors if e.row in by_no else general).append(e)
    for r in preview.rows:
        if not r.errors and r.no in values:
            r.values = values[r.no]
    if general:
        preview.rows.insert(0, PasteRow(no=0, typed={}, errors=general))
    return preview


def preview_by_save(text: str, columns: tuple[str, ...], labels: Mapping[str, str],
                    readers: Mapping[str, Callable[[str], Any]], save: Callable[[list[dict]], Any], *,
                    key: str | tuple[str, ...] | None = None,
                    existing: Iterable[dict] | None = None, unmatched: str | None = None) -> PastePreview:
    """Rows pasted from Excel onto a grid whose save path holds every rule (the SDM grids): each cell through its
    reader, then the rows through `save(rows)` run as a dry run (services.core.uow.dry_run: every check and the
    flush, then a roll back; nothing written), so the preview names exactly the cells the save would refuse.

    With `key` (the column, or columns, that identify a stored row: kode, NIP) and `existing` (the stored rows as
    the grid shows them), a pasted row whose key is stored is an update of that row: the cells it leaves empty keep
    the stored value, and its values carry the row's `id` (the grid lays them over that row). So what "Unduh
    Excel" gives can be pasted back unchanged. Other rows are new rows; with `unmatched` (a message) a grid that
    takes no new rows refuses them instead, on the key column."""
    from services.core.uow import DryRunDone, dry_run

    preview, raws, sink = read_paste(text, columns, labels, readers)
    by_key = {_key_value(r, key): r for r in existing or ()} if key else {}
    rows: list[dict] = []
    for raw in raws:
        if raw.pop("_bad", None):
            continue  # a cell its reader refused: reported already, the row is not checked further
        row = dict(raw)
        stored = by_key.get(_key_value(row, key)) if key else None
        if stored is not None:
            row = {**stored, **{c: v for c, v in row.items() if v is not None or c in ("_row",)}}
            row["id"] = stored.get("id")
        elif key and unmatched:
            sink.add(row["_row"], key if isinstance(key, str) else key[-1], unmatched)
            continue
        rows.append(row)
    if rows:
        try:
            with dry_run():
                save([dict(r) for r in rows])
        except DryRunDone:
            pass
        except ValidationFailed as e:
            sink.items += list(e.errors)
    values = {r["_row"]: {c: v for c, v in r.items() if c != "_row"} for r in rows}
    return finish_paste(preview, values, sink)


def _key_value(row: Mapping[str, Any], key: str | tuple[str, ...]) -> tuple:
    cols = (key,) if isinstance(key, str) else key
    return tuple(" ".join(v.split()).upper() if isinstance(v, str) else v for v in (row.get(c) for c in cols))


def grid_table(df: Any, columns: tuple[str, ...], labels: Mapping[str, str]) -> Any:
    """A grid's rows for "Unduh Excel": the paste columns in paste order under their labels, flags as ya/tidak and
    empty cells empty, so the sheet pasted back into "Tempel dari Excel" reads as the same rows."""
    import datetime as dt

    import pandas as pd

    from domain.cells import fmt_bool, fmt_date, fmt_time

    out = pd.DataFrame({labels.get(c, c): df[c] if c in df.columns else None for c in columns})
    for c in columns:
        col = out[labels.get(c, c)]
        if str(col.dtype) in ("bool", "boolean") or col.map(lambda v: isinstance(v, bool)).any():
            out[labels.get(c, c)] = col.map(fmt_bool)
        elif str(col.dtype).startswith("datetime") or col.map(lambda v: isinstance(v, dt.date)).any():
            # as the grid shows a date (31/01/2026), as text: Excel keeps it, and its copy pastes back the same
            out[labels.get(c, c)] = col.map(lambda v: fmt_date(v) if isinstance(v, dt.date) else v)
        elif col.map(lambda v: isinstance(v, dt.time)).any():  # 07.30 as text, as the grid shows it
            out[labels.get(c, c)] = col.map(lambda v: fmt_time(v) if isinstance(v, dt.time) else v)
    return out.astype(object).where(out.notna(), None)
