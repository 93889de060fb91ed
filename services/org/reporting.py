"""Reporting lines (hubungan penilaian): who assesses whom, from when until when.

SOP 000: Ketua Tim Kerja = pemberi pertimbangan, Kasubbag Adum = pejabat penilai, Kepala = atasan pejabat
penilai. Reviewer roles (services.auth.roles_for) are derived from the lines in force.

Lines are history: a line that has started is never deleted or rewritten; the admin ends it (berlaku_sampai)
and adds a new one. Only catatan and berlaku_sampai of a started line may change.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, aliased, selectinload

from db.engine import read_session
from db.models import Jabatan, JenisJabatan, Pegawai, ReportingLine, Role, UnitKerja
from domain import pangkat_golongan
from domain.cells import to_date as _to_date
from domain.nip import scientific_message
from services.core import clock
from services.core.actor import Actor
from services.core.errors import FieldError, NotFound, PermissionDenied, ValidationFailed
from services.core.grid import ErrorSink, GridPlan, GridSpec, RowErrors, apply_grid
from services.core.tasks import Task, task_provider
from services.core.uow import unit_of_work

COLUMNS = ["id", "pegawai", "pegawai_nama", "pejabat_penilai", "atasan_penilai", "pemberi_pertimbangan",
           "berlaku_mulai", "berlaku_sampai", "catatan"]
LABELS = {
    "id": "ID",
    "pegawai": "Pegawai",
    "pegawai_nama": "Nama Pegawai",
    "pejabat_penilai": "Pejabat Penilai",
    "atasan_penilai": "Atasan Pejabat Penilai",
    "pemberi_pertimbangan": "Pemberi Pertimbangan",
    "berlaku_mulai": "Berlaku Mulai",
    "berlaku_sampai": "Berlaku Sampai",
    "catatan": "Catatan",
}
PEOPLE = ("pegawai", "pejabat_penilai", "atasan_penilai", "pemberi_pertimbangan")
_ID_ATTR = {"pegawai": "pegawai_id", "pejabat_penilai": "pejabat_penilai_id",
            "atasan_penilai": "atasan_penilai_id", "pemberi_pertimbangan": "pemberi_pertimbangan_id"}
FROZEN_WHEN_STARTED = (*PEOPLE, "berlaku_mulai")

RELATIONS = {
    Role.PENILAI: "Pejabat Penilai",
    Role.ATASAN_PENILAI: "Atasan Pejabat Penilai",
    Role.PEMBERI_PERTIMBANGAN: "Pemberi Pertimbangan",
}
REVIEWEE_COLUMNS = ["relasi", "nip", "nama", "jabatan", "golongan", "unit", "tim", "berlaku_mulai",
                    "berlaku_sampai"]
ENDING_SOON_DAYS = 30
ADMIN_ONLY = "Hanya Admin SDM yang dapat mengelola hubungan penilaian."


def _require_admin(actor: Actor) -> None:
    actor.require(Role.ADMIN_SDM, message=ADMIN_ONLY)


def in_force(on: dt.date):
    """SQL condition: the line is in force on `on`."""
    return and_(ReportingLine.berlaku_mulai <= on,
                or_(ReportingLine.berlaku_sampai.is_(None), ReportingLine.berlaku_sampai >= on))


def tanggal_pendek(d: dt.date | None) -> str:
    return d.strftime("%d/%m/%Y") if d else "terbuka"


# --- reads for the admin ----------------------------------------------------------------------------


def _lines_filter(on: dt.date, include_history: bool, text: str | None, p) -> list:
    """The admin list's filters as SQL conditions: in force on `on` or later (unless history), and the pegawai's
    NIP or name containing `text`."""
    conds: list = []
    if not include_history:
        conds.append(or_(ReportingLine.berlaku_sampai.is_(None), ReportingLine.berlaku_sampai >= on))
    needle = " ".join((text or "").split()).lower()
    if needle:
        escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        match = [func.lower(p.nama).like(f"%{escaped}%", escape="\\")]
        digits = "".join(ch for ch in needle if ch.isdigit())
        if digits:
            match.append(p.nip.like(f"%{digits}%"))
        conds.append(or_(*match))
    return conds


def lines_count(actor: Actor, on: dt.date | None = None, include_history: bool = False,
                text: str | None = None) -> int:
    """How many lines lines_df lists for the same filters without a limit (for the page's pager)."""
    _require_admin(actor)
    on = on or clock.today()
    p = aliased(Pegawai)
    q = (select(func.count(ReportingLine.id)).join(p, p.id == ReportingLine.pegawai_id)
         .where(*_lines_filter(on, include_history, text, p)))
    with read_session() as s:
        return int(s.scalar(q) or 0)


def lines_df(actor: Actor, on: dt.date | None = None, include_history: bool = False, text: str | None = None,
             limit: int | None = None, offset: int = 0) -> pd.DataFrame:
    """Lines for the admin grid: in force on `on` (default today) and future ones; all with history. `text`
    filters by the pegawai's NIP or name, `limit`/`offset` read one page (lines_count gives the total); in SQL."""
    _require_admin(actor)
    on = on or clock.today()
    p, pp, ap, pt = (aliased(Pegawai) for _ in range(4))
    q = (
        select(ReportingLine.id, p.nip, p.nama, p.gelar_depan, p.gelar_belakang, pp.nip, ap.nip, pt.nip,
               ReportingLine.berlaku_mulai, ReportingLine.berlaku_sampai, ReportingLine.catatan)
        .join(p, p.id == ReportingLine.pegawai_id)
        .outerjoin(pp, pp.id == ReportingLine.pejabat_penilai_id)
        .outerjoin(ap, ap.id == ReportingLine.atasan_penilai_id)
        .outerjoin(pt, pt.id == ReportingLine.pemberi_pertimbangan_id)
        .where(*_lines_filter(on, include_history, text, p))
        .order_by(p.nama, ReportingLine.berlaku_mulai, ReportingLine.id)
    )
    if limit is not None:
        q = q.limit(limit).offset(max(0, offset))
    with read_session() as s:
        rows = [
            {"id": r[0], "pegawai": r[1], "pegawai_nama": _full_name(r[2], r[3], r[4]), "pejabat_penilai": r[5],
             "atasan_penilai": r[6], "pemberi_pertimbangan": r[7], "berlaku_mulai": r[8],
             "berlaku_sampai": r[9], "catatan": r[10]}
            for r in s.execute(q)
        ]
    df = pd.DataFrame(rows, columns=COLUMNS)
    for c in ("berlaku_mulai", "berlaku_sampai"):
        df[c] = df[c].astype("object")
    return df


def line_choices(actor: Actor, on: dt.date | None = None, text: str | None = None, limit: int | None = None,
                 offset: int = 0) -> dict[int, str]:
    """Lines that can still be ended (in force on `on` or later), id -> readable label; `text`, `limit` and
    `offset` as in lines_df (the page offers the lines of the page it shows)."""
    _require_admin(actor)
    on = on or clock.today()
    p, pp = aliased(Pegawai), aliased(Pegawai)
    q = (select(ReportingLine.id, p.nip, p.nama, p.gelar_depan, p.gelar_belakang, pp.nip, pp.nama, pp.gelar_depan,
                pp.gelar_belakang, ReportingLine.berlaku_mulai, ReportingLine.berlaku_sampai, pp.aktif)
         .join(p, p.id == ReportingLine.pegawai_id)
         .outerjoin(pp, pp.id == ReportingLine.pejabat_penilai_id)
         .where(*_lines_filter(on, False, text, p))
         .order_by(p.nama, ReportingLine.berlaku_mulai, ReportingLine.id))
    if limit is not None:
        q = q.limit(limit).offset(max(0, offset))
    out: dict[int, str] = {}
    with read_session() as s:
        for r in s.execute(q):
            # the penilai's name when active (as the grid's choices label him), else his NIP
            penilai = "-" if r[5] is None else (_full_name(r[6], r[7], r[8]) if r[11] else r[5])
            end = f" s.d. {tanggal_pendek(r[10])}" if r[10] else ""
            out[int(r[0])] = (f"{_full_name(r[2], r[3], r[4])} ({r[1]}) — penilai: {penilai}, "
                              f"sejak {tanggal_pendek(r[9])}{end}")
    return out


PEGAWAI_PICK_LIMIT = 50  # NIP choices a search offers in a large office (every one when fewer are active)


def pegawai_options(actor: Actor, text: str | None = None, limit: int | None = None,
                    include: Iterable[str] = ()) -> dict[str, str]:
    """NIP -> full name of the active pegawai (the choices of the grid's NIP columns), ordered by name. With
    `text`, only those whose NIP or name contains it (case-insensitive); with `limit`, at most that many (LIMIT
    in SQL). The active pegawai among the NIPs in `include` (those in the rows shown) are always there."""
    _require_admin(actor)
    cols = (Pegawai.nip, Pegawai.nama, Pegawai.gelar_depan, Pegawai.gelar_belakang)
    q = select(*cols).where(Pegawai.aktif.is_(True)).order_by(Pegawai.nama, Pegawai.nip)
    needle = (text or "").strip().lower()
    if needle:
        pattern = "%" + needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        q = q.where(or_(Pegawai.nip.like(pattern, escape="\\"), func.lower(Pegawai.nama).like(pattern, escape="\\")))
    if limit is not None:
        q = q.limit(limit)
    keep = sorted({n for n in include if n})
    with read_session() as s:
        rows = list(s.execute(q).all())
        if keep:
            rows += s.execute(select(*cols).where(Pegawai.aktif.is_(True), Pegawai.nip.in_(keep))).all()
    return {r[0]: _full_name(r[1], r[2], r[3]) for r in rows}


def pegawai_count(actor: Actor) -> int:
    """Active pegawai (the page offers every one as a choice while there are few)."""
    _require_admin(actor)
    with read_session() as s:
        return int(s.scalar(select(func.count()).select_from(Pegawai).where(Pegawai.aktif.is_(True))) or 0)


def _full_name(nama: str, depan: str | None, belakang: str | None) -> str:
    name = f"{depan.strip()} {nama.strip()}" if depan else nama.strip()
    return f"{name}, {belakang.strip()}" if belakang else name


def is_head_of_office(jabatan: Jabatan | None, unit_parent: dict[int, int | None]) -> bool:
    """The head of the satker: a JPT, or the pimpinan of the root unit. His penilai is outside the satker."""
    if jabatan is None:
        return False
    if jabatan.jenis == JenisJabatan.JPT:
        return True
    return bool(jabatan.pimpinan_unit and (jabatan.unit_id is None or unit_parent.get(jabatan.unit_id) is None))


def missing_lines(actor: Actor, on: dt.date | None = None) -> pd.DataFrame:
    """Active pegawai who have no line with a pejabat penilai in force on `on` (head of office excluded)."""
    _require_admin(actor)
    on = on or clock.today()
    has_line = select(ReportingLine.id).where(
        ReportingLine.pegawai_id == Pegawai.id, in_force(on), ReportingLine.pejabat_penilai_id.is_not(None)
    ).exists()
    with read_session() as s:
        unit_parent = dict(s.execute(select(UnitKerja.id, UnitKerja.parent_id)).all())
        people = s.scalars(select(Pegawai).where(Pegawai.aktif.is_(True), ~has_line).order_by(Pegawai.nama)).all()
        future = dict(s.execute(
            select(ReportingLine.pegawai_id, ReportingLine.berlaku_mulai)
            .where(ReportingLine.berlaku_mulai > on).order_by(ReportingLine.berlaku_mulai.desc())
        ).all())
        rows = []
        for p in people:
            if is_head_of_office(p.jabatan, unit_parent):
                continue
            start = future.get(p.id)
            rows.append({
                "nip": p.nip, "nama": p.nama_lengkap, "jabatan": p.jabatan.nama if p.jabatan else None,
                "unit": p.unit.nama if p.unit else None,
                "keterangan": (f"Hubungan baru mulai berlaku {tanggal_pendek(start)}" if start
                               else "Belum ada hubungan penilaian yang berlaku"),
            })
    return pd.DataFrame(rows, columns=["nip", "nama", "jabatan", "unit", "keterangan"])


# --- saving the grid --------------------------------------------------------------------------------


@dataclass
class _Line:
    """One line as it would be after the save (a DB line, possibly edited, or a new row)."""

    pegawai_id: int | None
    penilai_id: int | None
    atasan_id: int | None
    pertimbangan_id: int | None
    mulai: dt.date | None
    sampai: dt.date | None
    line_id: int | None = None
    row: int | None = None  # grid row when the line comes from the batch

    def overlaps(self, other: _Line) -> bool:
        if self.mulai is None or other.mulai is None:
            return False
        end_a, end_b = self.sampai or dt.date.max, other.sampai or dt.date.max
        return self.mulai <= end_b and other.mulai <= end_a

    def covers(self, d: dt.date) -> bool:
        return self.mulai is not None and self.mulai <= d and (self.sampai is None or d <= self.sampai)


def _nip(value) -> str | None:
    if value is None:
        return None
    text = "".join(str(value).split()).replace(".", "").replace("-", "")
    return text or None


def _text(value) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def save_lines(actor: Actor, rows: Iterable[dict], deleted_ids: Iterable[int] = (), *,
               today: dt.date | None = None) -> int:
    """Save the grid: new rows (no id) are added, rows with an id updated, `deleted_ids` removed.

    Every row is validated; all errors are raised together (ValidationFailed) and nothing is written.
    Returns the number of lines added, changed or deleted.
    """
    _require_admin(actor)
    today = today or clock.today()

    with unit_of_work(actor) as s:
        ctx = _Context(
            unit_parent=dict(s.execute(select(UnitKerja.id, UnitKerja.parent_id)).all()),
            by_nip={p.nip: p for p in s.scalars(select(Pegawai))},
            today=today,
        )
        existing = {ln.id: ln for ln in s.scalars(select(ReportingLine))}

        def parse(raw: dict, line: ReportingLine | None, err: RowErrors) -> dict | None:
            n0 = err.count
            values = _validate_row(ctx, raw, line, err)
            return None if err.count > n0 else values

        def undeletable(ln: ReportingLine) -> str | None:
            if ln.berlaku_mulai > today:
                return None
            return (f"({ctx.nip_of(ln.pegawai_id)}) sudah berlaku sejak {tanggal_pendek(ln.berlaku_mulai)} dan "
                    f"tidak dapat dihapus; akhiri dengan mengisi {LABELS['berlaku_sampai']} atau memakai Akhiri "
                    "hubungan")

        def check(plan: GridPlan, errs: ErrorSink) -> None:
            planned = ([(None, v, r) for r, v in plan.new] + [(o, v, r) for o, v, r in plan.updates]
                       + [(o, v, r) for o, v, r in plan.unchanged if v is not None])
            batch = [_Line(v["pegawai_id"], v["pejabat_penilai_id"], v["atasan_penilai_id"],
                           v["pemberi_pertimbangan_id"], v["berlaku_mulai"], v["berlaku_sampai"],
                           line_id=line.id if line else None, row=r) for line, v, r in planned]
            kept = [_Line(ln.pegawai_id, ln.pejabat_penilai_id, ln.atasan_penilai_id, ln.pemberi_pertimbangan_id,
                          ln.berlaku_mulai, ln.berlaku_sampai, line_id=ln.id) for ln in plan.untouched]
            _check_overlaps(batch, kept, errs.add)
            _check_cycles(batch, kept, ctx.nip_of, errs.add)

        spec: GridSpec[ReportingLine] = GridSpec(labels=LABELS, noun="hubungan", parse=parse, create=lambda v: ReportingLine(**v),
                        undeletable=undeletable, status_col="id")
        return apply_grid(s, spec, existing, rows, deleted_ids, check=check).changed


@dataclass
class _Context:
    unit_parent: dict[int, int | None]
    by_nip: dict[str, Pegawai]
    today: dt.date
    nips: dict[int | None, str] = field(init=False)

    def __post_init__(self) -> None:
        self.nips = {p.id: p.nip for p in self.by_nip.values()}

    def nip_of(self, pegawai_id: int | None) -> str:
        return self.nips.get(pegawai_id, "?")


def _validate_row(ctx: _Context, raw: dict, line: ReportingLine | None, err) -> dict:
    """Check one grid row; report problems through err(column, message); return the model values."""
    values: dict = {"catatan": _text(raw.get("catatan"))}
    bad_dates = set()
    for col in ("berlaku_mulai", "berlaku_sampai"):
        try:
            values[col] = _to_date(raw.get(col))
        except ValueError as e:
            values[col] = None
            bad_dates.add(col)
            err(col, str(e))
    given = {col: _nip(raw.get(col)) for col in PEOPLE}
    ids: dict[str, int | None] = {}
    for col, nip in given.items():
        p = ctx.by_nip.get(nip) if nip else None
        ids[col] = p.id if p else None
        current = getattr(line, _ID_ATTR[col]) if line is not None else None
        if nip and p is None:
            err(col, scientific_message(raw.get(col)) or f"NIP {nip} tidak terdaftar sebagai pegawai")
        elif p is not None and not p.aktif and p.id != current:
            err(col, f"{p.nama_lengkap} ({nip}) tidak aktif")

    if not given["pegawai"]:
        err("pegawai", "wajib diisi")
    if values["berlaku_mulai"] is None and "berlaku_mulai" not in bad_dates:
        err("berlaku_mulai", "wajib diisi")
    peg = ids["pegawai"]
    if peg is not None and not given["pejabat_penilai"]:
        target = ctx.by_nip[given["pegawai"]]  # type: ignore[index]
        if not is_head_of_office(target.jabatan, ctx.unit_parent):
            err("pejabat_penilai", "wajib diisi (hanya kepala satuan kerja yang boleh tanpa pejabat penilai)")
        elif given["atasan_penilai"]:
            err("atasan_penilai", "tidak boleh diisi bila pejabat penilai kosong")
    if peg is not None:
        if ids["pejabat_penilai"] == peg:
            err("pejabat_penilai", "pegawai tidak boleh menilai dirinya sendiri")
        if ids["atasan_penilai"] == peg:
            err("atasan_penilai", "pegawai tidak boleh menjadi atasan pejabat penilai bagi dirinya sendiri")
        if ids["pemberi_pertimbangan"] == peg:
            err("pemberi_pertimbangan", "pegawai tidak boleh memberi pertimbangan bagi dirinya sendiri")
    if ids["pejabat_penilai"] is not None and ids["pejabat_penilai"] == ids["atasan_penilai"]:
        err("atasan_penilai", "harus berbeda dari pejabat penilai")
    mulai, sampai = values["berlaku_mulai"], values["berlaku_sampai"]
    if mulai and sampai and sampai < mulai:
        err("berlaku_sampai", f"tidak boleh sebelum Berlaku Mulai ({tanggal_pendek(mulai)})")
    if line is not None and line.berlaku_mulai <= ctx.today:
        frozen = {**{col: getattr(line, _ID_ATTR[col]) for col in PEOPLE}, "berlaku_mulai": line.berlaku_mulai}
        now = {**ids, "berlaku_mulai": mulai}
        for col in FROZEN_WHEN_STARTED:
            unreadable = col in bad_dates or (col in PEOPLE and given[col] and ids[col] is None)
            if now[col] != frozen[col] and not unreadable:
                err(col, "hubungan yang sudah berjalan tidak dapat diubah; akhiri (isi Berlaku Sampai) lalu "
                         "tambahkan hubungan baru")
    return {**{_ID_ATTR[c]: ids[c] for c in PEOPLE}, **values}


def _check_overlaps(batch: list[_Line], kept: list[_Line], err) -> None:
    kept_by_pegawai: dict[int | None, list[_Line]] = {}
    for b in kept:
        kept_by_pegawai.setdefault(b.pegawai_id, []).append(b)
    batch_by_pegawai: dict[int | None, list[_Line]] = {}
    for a in batch:
        for b in batch_by_pegawai.get(a.pegawai_id, []):
            if a.overlaps(b):
                err(a.row, "berlaku_mulai", f"periode tumpang tindih dengan baris {b.row} untuk pegawai yang sama")
        batch_by_pegawai.setdefault(a.pegawai_id, []).append(a)
        for b in kept_by_pegawai.get(a.pegawai_id, []):
            if a.overlaps(b):
                err(a.row, "berlaku_mulai",
                    f"periode tumpang tindih dengan hubungan #{b.line_id} yang berlaku "
                    f"{tanggal_pendek(b.mulai)} s.d. {tanggal_pendek(b.sampai)}; akhiri hubungan itu lebih dulu")


def _check_cycles(batch: list[_Line], kept: list[_Line], nip_of, err) -> None:
    """A line whose pejabat penilai chain leads back to its own pegawai on some date is refused.

    The graph only changes on a start date or the day after an end date, so those dates are checked.
    """
    everything = [ln for ln in kept + batch if ln.penilai_id is not None and ln.pegawai_id is not None]
    critical = sorted({d for ln in everything
                       for d in (ln.mulai, ln.sampai + dt.timedelta(days=1) if ln.sampai else None) if d})
    graphs: dict[dt.date, dict[int, int]] = {}

    def graph(d: dt.date) -> dict[int, int]:
        if d not in graphs:
            graphs[d] = {ln.pegawai_id: ln.penilai_id for ln in everything if ln.covers(d)}  # type: ignore[misc]
        return graphs[d]

    cur: int | None

    for a in batch:
        if a.penilai_id is None or a.mulai is None:
            continue
        lo = bisect.bisect_left(critical, a.mulai)
        hi = len(critical) if a.sampai is None else bisect.bisect_right(critical, a.sampai)
        for d in [a.mulai, *critical[lo:hi]]:
            g = graph(d)
            path, cur = [a.pegawai_id], a.penilai_id
            while cur is not None and cur not in path:
                path.append(cur)
                cur = g.get(cur)
            if cur == a.pegawai_id:
                chain = " → ".join(nip_of(x) for x in [*path, cur])
                err(a.row, "pejabat_penilai", f"membentuk lingkaran penilaian pada {tanggal_pendek(d)}: {chain}")
                break


def end_line(actor: Actor, line_id: int, last_day: dt.date) -> None:
    """End a line on `last_day` (its last day in force). History stays; the change is audited."""
    _require_admin(actor)
    with unit_of_work(actor, action="akhiri_hubungan") as s:
        line = s.get(ReportingLine, int(line_id))
        if line is None:
            raise NotFound("Hubungan penilaian tidak ditemukan.")
        label = "Hari terakhir"
        if last_day is None:
            raise ValidationFailed([FieldError(None, label, "wajib diisi")])
        if last_day < line.berlaku_mulai:
            raise ValidationFailed([FieldError(
                None, label, f"tidak boleh sebelum hubungan mulai berlaku ({tanggal_pendek(line.berlaku_mulai)})")])
        others = s.scalars(select(ReportingLine).where(
            ReportingLine.pegawai_id == line.pegawai_id, ReportingLine.id != line.id,
            ReportingLine.berlaku_mulai > line.berlaku_mulai, ReportingLine.berlaku_mulai <= last_day)).all()
        if others:
            nxt = min(o.berlaku_mulai for o in others)
            raise ValidationFailed([FieldError(
                None, label, f"harus sebelum hubungan berikutnya mulai berlaku ({tanggal_pendek(nxt)})")])
        line.berlaku_sampai = last_day


# --- reviewers --------------------------------------------------------------------------------------

_RELATION_COLUMN = {
    Role.PENILAI: ReportingLine.pejabat_penilai_id,
    Role.ATASAN_PENILAI: ReportingLine.atasan_penilai_id,
    Role.PEMBERI_PERTIMBANGAN: ReportingLine.pemberi_pertimbangan_id,
}


def is_reviewer_of(session: Session, reviewer_pegawai_id: int | None, pegawai_id: int, on: dt.date | None = None,
                   relation: Role | Iterable[Role] | None = None) -> bool:
    """Whether `reviewer_pegawai_id` stands in `relation` (one role, several, or any) to `pegawai_id` on `on`."""
    if reviewer_pegawai_id is None:
        return False
    on = on or clock.today()
    if relation is None:
        roles = list(_RELATION_COLUMN)
    elif isinstance(relation, Role):
        roles = [relation]
    else:
        roles = list(relation)
    if not roles or any(r not in _RELATION_COLUMN for r in roles):
        raise ValueError(f"Relasi tidak dikenal: {relation!r}")
    q = select(ReportingLine.id).where(
        ReportingLine.pegawai_id == pegawai_id, in_force(on),
        or_(*(_RELATION_COLUMN[r] == reviewer_pegawai_id for r in roles)),
    ).limit(1)
    return session.scalar(q) is not None


@dataclass(frozen=True)
class Reviewers:
    line_id: int
    pejabat_penilai_id: int | None
    atasan_penilai_id: int | None
    pemberi_pertimbangan_id: int | None
    berlaku_mulai: dt.date
    berlaku_sampai: dt.date | None


def reviewers_of(session: Session, pegawai_id: int, on: dt.date | None = None) -> Reviewers | None:
    """The line in force for a pegawai on `on` (None when there is none)."""
    on = on or clock.today()
    ln = session.scalars(select(ReportingLine).where(ReportingLine.pegawai_id == pegawai_id, in_force(on))
                         .order_by(ReportingLine.berlaku_mulai.desc()).limit(1)).first()
    if ln is None:
        return None
    return Reviewers(ln.id, ln.pejabat_penilai_id, ln.atasan_penilai_id, ln.pemberi_pertimbangan_id,
                     ln.berlaku_mulai, ln.berlaku_sampai)


def my_reviewees(actor: Actor, on: dt.date | None = None, search: str | None = None) -> pd.DataFrame:
    """The pegawai the acting user reviews on `on`, one row per relation, with identity columns.

    Refused (PermissionDenied) for a user who is no pejabat penilai, atasan or pemberi pertimbangan.
    `search` filters by part of the name or NIP (the refusal does not depend on it).
    """
    on = on or clock.today()
    me = actor.pegawai_id
    refusal = PermissionDenied(
        "Halaman ini untuk pejabat penilai, atasan pejabat penilai, dan pemberi pertimbangan. "
        "Anda tidak tercatat dalam hubungan penilaian yang berlaku."
    )
    if me is None:
        raise refusal
    ids = list(actor.reviewer_ids)  # with the holder a Plt/Plh acts for
    order = list(RELATIONS)
    with read_session() as s:
        lines = s.scalars(
            select(ReportingLine).join(Pegawai, Pegawai.id == ReportingLine.pegawai_id)
            .where(in_force(on), Pegawai.aktif.is_(True), ReportingLine.pegawai_id != me,
                   or_(*(col.in_(ids) for col in _RELATION_COLUMN.values())))
            .options(selectinload(ReportingLine.pegawai).selectinload(Pegawai.jabatan),
                     selectinload(ReportingLine.pegawai).selectinload(Pegawai.unit),
                     selectinload(ReportingLine.pegawai).selectinload(Pegawai.tim))
        ).all()
        if not lines:
            raise refusal
        rows = []
        for ln in lines:
            p = ln.pegawai
            for role, col in _RELATION_COLUMN.items():
                if getattr(ln, col.key) not in ids:
                    continue
                rows.append({
                    "relasi": RELATIONS[role], "nip": p.nip, "nama": p.nama_lengkap,
                    "jabatan": p.jabatan.nama if p.jabatan else None, "golongan": pangkat_golongan(p.golongan),
                    "unit": p.unit.nama if p.unit else None, "tim": p.tim.nama if p.tim else None,
                    "berlaku_mulai": ln.berlaku_mulai, "berlaku_sampai": ln.berlaku_sampai,
                    "_order": order.index(role),
                })
    df = pd.DataFrame(rows, columns=[*REVIEWEE_COLUMNS, "_order"])
    df = df.sort_values(["_order", "nama"], kind="stable").drop(columns="_order").reset_index(drop=True)
    if search and search.strip():
        needle = search.strip().lower()
        mask = df["nama"].str.lower().str.contains(needle, regex=False) | df["nip"].str.contains(needle, regex=False)
        df = df[mask].reset_index(drop=True)
    return df


# --- Beranda ----------------------------------------------------------------------------------------


@task_provider
def _ending_lines_task(s: Session, actor: Actor, today: dt.date) -> list[Task]:
    """Admin SDM: lines ending within 30 days with no following line for that pegawai."""
    if Role.ADMIN_SDM not in actor.roles:
        return []
    nxt = aliased(ReportingLine)
    follow = select(nxt.id).where(nxt.pegawai_id == ReportingLine.pegawai_id,
                                  nxt.berlaku_mulai > ReportingLine.berlaku_sampai).exists()
    rows = s.execute(
        select(Pegawai.nama, ReportingLine.berlaku_sampai)
        .join(Pegawai, Pegawai.id == ReportingLine.pegawai_id)
        .where(Pegawai.aktif.is_(True), ReportingLine.berlaku_sampai >= today,
               ReportingLine.berlaku_sampai <= today + dt.timedelta(days=ENDING_SOON_DAYS), ~follow)
        .order_by(ReportingLine.berlaku_sampai, Pegawai.nama)
    ).all()
    if not rows:
        return []
    names = ", ".join(f"{n} ({tanggal_pendek(d)})" for n, d in rows[:5]) + (" …" if len(rows) > 5 else "")
    return [Task("Administrasi SDM", "Hubungan penilaian akan berakhir",
                 f"{len(rows)} hubungan berakhir dalam {ENDING_SOON_DAYS} hari tanpa pengganti: {names}.",
                 tenggat=rows[0][1], prioritas=2, halaman="sdm_hubungan.py")]


line_in_force = in_force


# --- paste from Excel and the grid as Excel ---------------------------------------------------------------------

PASTE_COLUMNS = ("pegawai", "pejabat_penilai", "atasan_penilai", "pemberi_pertimbangan", "berlaku_mulai",
                 "berlaku_sampai", "catatan")


def _nip_cell(value: str) -> str | None:
    return "".join(value.split()) or None


def preview_paste(actor: Actor, text: str):
    """Rows pasted from Excel onto the Hubungan Penilaian grid (PASTE_COLUMNS; people by NIP; a header line is
    recognised), checked by save_lines as a dry run (nothing written): a row whose pegawai and Berlaku Mulai are
    stored updates that line (e.g. to end it with Berlaku Sampai), the others are new lines."""
    from services.core.grid import preview_by_save

    _require_admin(actor)
    today = clock.today()
    existing = [{k: (None if v is None or (not isinstance(v, str) and pd.isna(v)) else v) for k, v in r.items()}
                for r in lines_df(actor, include_history=True).to_dict("records")]
    readers = {**{c: _nip_cell for c in PEOPLE},
               "berlaku_mulai": lambda v: _to_date(v, today=today), "berlaku_sampai": lambda v: _to_date(v, today=today)}
    return preview_by_save(text, PASTE_COLUMNS, LABELS, readers, lambda rows: save_lines(actor, rows),
                           key=("pegawai", "berlaku_mulai"), existing=existing)


def grid_xlsx(actor: Actor, df: pd.DataFrame) -> bytes:
    """The lines shown (the grid's filter and page) as Excel ("Unduh Excel"), pasted back unchanged."""
    from services.core import export
    from services.core.grid import grid_table

    _require_admin(actor)
    return export.to_excel_bytes(grid_table(df, PASTE_COLUMNS, LABELS), "Hubungan Penilaian")
