"""Monitoring Evaluasi: who is behind at which step of the evaluation (issue 5; SOP 000 steps 3–7).

One row per active pegawai with an approved SKP segment in the period; per sub-period (and the year) the step
the evaluation is at ("Belum dibuat", "Rencana aksi", "Realisasi", "Menunggu pertimbangan", "Menunggu
penilaian", "Menunggu persetujuan", "Disetujui: <predikat>") and whether that step is past its due date. Who owes
a step and when it is due come from services/evaluasi_tugas.py (`steps`, `is_overdue`, deadlines from the
settings), the same rules Beranda uses, so the page and the Beranda tasks agree. The annual evaluation owes no
rencana aksi (the periodic ones plan the year).

Scope: Admin SDM, Kepala Satker and Perencana see everyone; a pejabat penilai, atasan pejabat penilai or pemberi
pertimbangan sees the pegawai they review in the period (reporting lines overlapping the period, or named on an
evaluation of the period). Everything is computed from a handful of set-based queries (no query per pegawai),
bounded by the selection: with a unit, only the pegawai placed in its subtree (in SQL), their evaluations and
reporting lines, and the names of the reviewers who appear are read, so a unit's monitoring costs the same in a
ministry as in an office. A large organisation opens on one unit (unit_choices, the rule Pohon Kinerja uses);
the page shows the matrix and the overdue list a page at a time (matrix_page, overdue_page); the Excel file
holds every row.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, aliased

from db.engine import read_session
from db.models import Evaluasi, Jabatan, Pegawai, Period, ReportingLine, Role, Skp, StatusEvaluasi, UnitKerja
from services.core import clock, export, fmt
from services.core.actor import Actor
from services.core.errors import NotFound, PermissionDenied
from services.evaluasi import tugas as et
from services.evaluasi.common import READ_ALL_ROLES, jadwal_fn
from services.org import periods
from services.org import units as org_units

S = StatusEvaluasi
REVIEWER_ROLES = (Role.PENILAI, Role.ATASAN_PENILAI, Role.PEMBERI_PERTIMBANGAN)
TAHUNAN = "Tahunan"
ADMIN_SDM = "Admin SDM"

BELUM_DIMULAI = "Belum dimulai"
BELUM_DIBUAT = "Belum dibuat"
RENCANA_AKSI = "Rencana aksi"
REALISASI = "Realisasi"
MENUNGGU_PERTIMBANGAN = "Menunggu pertimbangan"
MENUNGGU_PENILAIAN = "Menunggu penilaian"
MENUNGGU_PERSETUJUAN = "Menunggu persetujuan"
DISETUJUI = "Disetujui"
LANGKAH = (BELUM_DIBUAT, RENCANA_AKSI, REALISASI, MENUNGGU_PERTIMBANGAN, MENUNGGU_PENILAIAN, MENUNGGU_PERSETUJUAN,
           DISETUJUI, BELUM_DIMULAI)
"""Steps in workflow order (also "most behind first"; a sub-period not started yet comes last)."""
PEGAWAI, PERTIMBANGAN, PENILAI, ATASAN = ("Pegawai", "Pemberi pertimbangan", "Pejabat penilai",
                                          "Atasan pejabat penilai")
PENANGGUNG_JAWAB = {BELUM_DIBUAT: PEGAWAI, RENCANA_AKSI: PEGAWAI, REALISASI: PEGAWAI,
                    MENUNGGU_PERTIMBANGAN: PERTIMBANGAN, MENUNGGU_PENILAIAN: PENILAI, MENUNGGU_PERSETUJUAN: ATASAN,
                    DISETUJUI: "-", BELUM_DIMULAI: PEGAWAI}
PERAN = {et.RENCANA_AKSI: PEGAWAI, et.REALISASI: PEGAWAI, et.PERTIMBANGAN: PERTIMBANGAN, et.PENILAIAN: PENILAI,
         et.PERSETUJUAN: ATASAN}
"""Who owes each step of services/evaluasi_tugas.py."""
TERLAMBAT = "⚠ "
MATRIX_PAGE = 200  # pegawai per page of the matrix on screen (a pager shows the rest; the Excel file holds all)
OVERDUE_PAGE = 200  # overdue steps per page of the list on screen (likewise)
BULAN_SINGKAT = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")

MATRIX_HEADERS = {"pegawai": "Pegawai", "nip": "NIP", "unit": "Unit Kerja", "jabatan": "Jabatan",
                  "penilai": "Pejabat Penilai", "jumlah_terlambat": "Langkah Terlambat"}
SUMMARY_COLUMNS = ["langkah", "jumlah", "terlambat", "penanggung_jawab", "batas"]
SUMMARY_HEADERS = {"subperiode": "Sub-periode", "langkah": "Langkah", "jumlah": "Jumlah", "terlambat": "Terlambat",
                   "penanggung_jawab": "Penanggung Jawab", "batas": "Batas Waktu"}
OVERDUE_COLUMNS = ["penanggung_jawab", "peran", "pegawai", "nip", "unit", "periode", "langkah", "batas",
                   "hari_terlambat", "penanggung_jawab_id", "pegawai_id", "evaluasi_id"]
OVERDUE_HEADERS = {"penanggung_jawab": "Penanggung Jawab", "peran": "Peran", "pegawai": "Pegawai", "nip": "NIP",
                   "unit": "Unit Kerja", "periode": "Periode", "langkah": "Langkah", "batas": "Batas Waktu",
                   "hari_terlambat": "Hari Terlambat"}


@dataclass(frozen=True)
class Kolom:
    """One column of the matrix: a sub-period (nomor 1..n) or the year (nomor 0)."""

    nomor: int
    key: str  # column name: "T1".."T4", "Jan".."Des" or "Tahunan"
    label: str  # "Triwulan I 2026", "Januari 2026", "Tahunan 2026"
    mulai: dt.date
    selesai: dt.date

    @property
    def flag(self) -> str:
        """Name of the parallel boolean column (step overdue?)."""
        return f"{self.key} terlambat"


@dataclass(frozen=True)
class Monitor:
    """Everything the page shows, computed once: `matrix` (one row per pegawai), `summaries` {nomor: per-step
    counts (SUMMARY_COLUMNS)}, `overdue` (OVERDUE_COLUMNS, most days late first)."""

    period_id: int
    tahun: int
    today: dt.date
    kolom: list[Kolom]
    matrix: pd.DataFrame
    summaries: dict[int, pd.DataFrame]
    overdue: pd.DataFrame

    def kolom_of(self, nomor: int) -> Kolom:
        for k in self.kolom:
            if k.nomor == nomor:
                return k
        raise NotFound(f"Sub-periode {nomor} tidak ada pada periode {self.tahun}.")


@dataclass
class _Cell:
    label: str
    rank: int
    overdue: bool
    batas: dt.date | None


# --- public API -------------------------------------------------------------------------------------


def matrix(actor: Actor, period_id: int, unit_id: int | None = None, today: dt.date | None = None) -> pd.DataFrame:
    """One row per pegawai: pegawai_id, pegawai, nip, unit, jabatan, penilai, per sub-period the step label and
    "<key> terlambat" (bool), then "Tahunan" / "Tahunan terlambat" and jumlah_terlambat (overdue cells)."""
    return monitor(actor, period_id, unit_id, today).matrix


def summary(actor: Actor, period_id: int, nomor: int, unit_id: int | None = None,
            today: dt.date | None = None) -> pd.DataFrame:
    """Per step (LANGKAH order) of one sub-period (nomor 0: the year): how many pegawai are at it, how many of
    those are overdue, who is responsible and the (earliest) due date."""
    m = monitor(actor, period_id, unit_id, today)
    m.kolom_of(nomor)
    return m.summaries[nomor]


def overdue_list(actor: Actor, period_id: int, today: dt.date | None = None,
                 unit_id: int | None = None) -> pd.DataFrame:
    """Every overdue step with the person who owes it (the pegawai, the pemberi pertimbangan, the pejabat penilai
    or the atasan pejabat penilai; Admin SDM when the satker has none), most days late first."""
    return monitor(actor, period_id, unit_id, today).overdue


def export_xlsx(actor: Actor, period_id: int, today: dt.date | None = None, unit_id: int | None = None) -> bytes:
    """Matrix, per-step summary of every sub-period and the overdue list as a formula-safe workbook."""
    return workbook(monitor(actor, period_id, unit_id, today))


@dataclass(frozen=True)
class UnitChoices:
    """The Unit Kerja filter: `options` (id, indented name) in tree order, `default` (None: every unit) and
    `large` (the organisation holds more than org_units.LARGE_ORG active pegawai)."""

    options: list[tuple[int, str]]
    default: int | None
    large: bool


def unit_choices(actor: Actor) -> UnitChoices:
    """Active units in tree order, indented by level (sub-units are included in a unit's monitoring). In a large
    organisation Admin SDM, Kepala Satker and Perencana (who see everyone) open on one unit, chosen as Pohon
    Kinerja does (org_units.large_default_unit: their own top-level unit, one level lower while its subtree holds
    more than LARGE_ORG active pegawai); every unit and "all units" stay a choice. Others open on every unit (their
    scope is the pegawai they review)."""
    with read_session() as s:
        _require_monitor(actor)
        tree = org_units.read_tree(s)
        options = tree.options(active_only=True)
        if not actor.has(*READ_ALL_ROLES):
            return UnitChoices(options, None, False)
        per_unit = org_units.active_per_unit(s)
        limit = org_units.LARGE_ORG
        if sum(per_unit.values()) <= limit:
            return UnitChoices(options, None, False)
        mine = s.scalar(select(Pegawai.unit_id).where(Pegawai.id == actor.pegawai_id)) if actor.pegawai_id else None
    kids = tree.kids_within(uid for uid, _ in options)  # children in the order the filter lists them
    return UnitChoices(options, org_units.large_default_unit(kids, mine, per_unit, limit), True)


def unit_options(actor: Actor) -> list[tuple[int, str]]:
    """Active units in tree order, indented by level, for the unit filter (sub-units are included)."""
    return unit_choices(actor).options


def default_nomor(m: Monitor) -> int:
    """The latest sub-period that has ended (its reviews are due); else the first one."""
    ended = [k.nomor for k in m.kolom if k.nomor and k.selesai < m.today]
    first = next((k.nomor for k in m.kolom if k.nomor), 0)
    return ended[-1] if ended else first


def monitor(actor: Actor, period_id: int, unit_id: int | None = None, today: dt.date | None = None) -> Monitor:
    today = today or clock.today()
    _require_monitor(actor)
    with read_session() as s:
        period = s.get(Period, period_id)
        if period is None:
            raise NotFound("Periode tidak ditemukan.")
        scope = _scope(s, actor, period)
        return _compute(s, period, scope, unit_id, today)


# --- views ------------------------------------------------------------------------------------------


def matrix_frame(m: Monitor) -> pd.DataFrame:
    """The matrix as shown and exported: overdue cells prefixed with ⚠, Indonesian headers, no flag columns."""
    return _shown(m.matrix, m.kolom)


def _shown(matrix: pd.DataFrame, kolom: list[Kolom]) -> pd.DataFrame:
    df = matrix.copy()
    for k in kolom:
        df[k.key] = [f"{TERLAMBAT}{v}" if late else v for v, late in zip(df[k.key], df[k.flag], strict=True)]
    df = df.drop(columns=["pegawai_id", *[k.flag for k in kolom]])
    return df.rename(columns=MATRIX_HEADERS)


@dataclass(frozen=True)
class Halaman:
    """One page of a long table from one filtering: `total` rows match the filter (every page), `rows` are this
    page's (none past the end)."""

    total: int
    rows: pd.DataFrame


def _page_of(hits: pd.DataFrame, limit: int | None, offset: int) -> pd.DataFrame:
    start = max(0, offset)
    return hits.iloc[start:start + limit] if limit is not None else hits.iloc[start:]


def matrix_page(m: Monitor, *, cari: str = "", hanya_terlambat: bool = False, limit: int | None = None,
                offset: int = 0) -> Halaman:
    """The matrix as shown (matrix_frame) for the pegawai whose name or NIP contains `cari` (any case) and, with
    `hanya_terlambat`, only those with an overdue step; with `limit`, one page of them in matrix order. One call
    gives the page and the total (the filter runs once)."""
    df = m.matrix
    mask = pd.Series(True, index=df.index)
    needle = cari.strip().lower()
    if needle:
        mask &= (df["pegawai"].str.lower().str.contains(needle, regex=False)
                 | df["nip"].str.contains(needle, regex=False))
    if hanya_terlambat:
        mask &= df["jumlah_terlambat"] > 0
    hits = df[mask]
    return Halaman(len(hits), _shown(_page_of(hits, limit, offset), m.kolom))


def overdue_page(m: Monitor, *, peran: list[str] | None = None, limit: int | None = None,
                 offset: int = 0) -> Halaman:
    """The overdue list as shown (Indonesian headers, no ids) for the given roles of the responsible person (none:
    every role); with `limit`, one page in overdue_list order (most days late first), with the total."""
    late = m.overdue
    if peran:
        late = late[late["peran"].isin(peran)]
    return Halaman(len(late), _page_of(late, limit, offset)
                   .drop(columns=["penanggung_jawab_id", "pegawai_id", "evaluasi_id"]).rename(columns=OVERDUE_HEADERS))


def step_counts(m: Monitor) -> pd.DataFrame:
    """Long format for a stacked bar: subperiode, urutan (column order), langkah, urutan_langkah (LANGKAH order),
    jumlah, terlambat; only steps somebody is at."""
    order = {x: i for i, x in enumerate(LANGKAH)}
    rows = []
    for i, k in enumerate(m.kolom):
        for r in m.summaries[k.nomor].itertuples():
            if r.jumlah:
                rows.append({"subperiode": k.label, "urutan": i, "langkah": r.langkah,
                             "urutan_langkah": order[r.langkah], "jumlah": r.jumlah, "terlambat": r.terlambat})
    return pd.DataFrame(rows, columns=["subperiode", "urutan", "langkah", "urutan_langkah", "jumlah", "terlambat"])


def workbook(m: Monitor) -> bytes:
    """Sheets Matriks, Ringkasan (every sub-period) and Terlambat; text cells neutralised (services.export)."""
    ringkasan = pd.concat([m.summaries[k.nomor].assign(subperiode=k.label) for k in m.kolom], ignore_index=True)
    ringkasan = ringkasan[["subperiode", *SUMMARY_COLUMNS]].rename(columns=SUMMARY_HEADERS)
    terlambat = m.overdue.drop(columns=["penanggung_jawab_id", "pegawai_id", "evaluasi_id"]).rename(
        columns=OVERDUE_HEADERS)
    return export.to_excel_bytes({"Matriks": matrix_frame(m), "Ringkasan": ringkasan, "Terlambat": terlambat})


# --- computation ------------------------------------------------------------------------------------


def _require_monitor(actor: Actor) -> None:
    if not actor.has(*READ_ALL_ROLES) and not (actor.pegawai_id is not None and actor.has(*REVIEWER_ROLES)):
        raise PermissionDenied("Monitoring evaluasi kinerja hanya untuk Admin SDM, Kepala Satker, Perencana, "
                               "pejabat penilai, dan atasan pejabat penilai.")


def _scope(s: Session, actor: Actor, period: Period) -> set[int] | None:
    """None: everyone; else the pegawai the actor reviews in the period."""
    if actor.has(*READ_ALL_ROLES):
        return None
    me = actor.pegawai_id
    ids = list(actor.reviewer_ids)  # with the holder a Plt/Plh acts for
    lines = s.scalars(select(ReportingLine.pegawai_id).where(
        ReportingLine.berlaku_mulai <= period.tanggal_selesai,
        or_(ReportingLine.berlaku_sampai.is_(None), ReportingLine.berlaku_sampai >= period.tanggal_mulai),
        or_(ReportingLine.pejabat_penilai_id.in_(ids), ReportingLine.atasan_penilai_id.in_(ids),
            ReportingLine.pemberi_pertimbangan_id.in_(ids))))
    evs = s.scalars(select(Evaluasi.pegawai_id).where(
        Evaluasi.period_id == period.id,
        or_(Evaluasi.pejabat_penilai_id.in_(ids), Evaluasi.atasan_penilai_id.in_(ids),
            Evaluasi.pemberi_pertimbangan_id.in_(ids))))
    return (set(lines) | set(evs)) - {me}


def _kolom(period: Period) -> list[Kolom]:
    out = []
    for sp in periods.subperiods(period):
        key = f"T{sp.nomor}" if "-T" in sp.kode else BULAN_SINGKAT[sp.nomor - 1]
        out.append(Kolom(sp.nomor, key, sp.label, sp.mulai, sp.selesai))
    out.append(Kolom(0, TAHUNAN, f"Tahunan {period.tahun}", period.tanggal_mulai, period.tanggal_selesai))
    return out


def _label(ev, annual: bool, started: bool) -> str:
    if ev is None:
        return BELUM_DIBUAT if started else BELUM_DIMULAI
    if ev.status == S.DRAFT:
        return REALISASI if annual or ev.rencana_aksi_at is not None else RENCANA_AKSI
    if ev.status == S.DIAJUKAN:
        waiting = ev.pemberi_pertimbangan_id is not None and ev.pertimbangan_at is None
        return MENUNGGU_PERTIMBANGAN if waiting else MENUNGGU_PENILAIAN
    if ev.status == S.DIKEMBALIKAN:
        return MENUNGGU_PENILAIAN
    if ev.status == S.DINILAI:
        return MENUNGGU_PERSETUJUAN
    return f"{DISETUJUI}: {ev.predikat}" if ev.predikat else DISETUJUI


def base_step(label: str) -> str:
    """"Disetujui: Baik" -> "Disetujui"; other labels unchanged."""
    return label.split(":", 1)[0]


def _full(nama: str, depan: str | None, belakang: str | None) -> str:
    name = f"{depan.strip()} {nama.strip()}" if depan else nama.strip()
    return f"{name}, {belakang.strip()}" if belakang else name


_J, _U = aliased(Jabatan), aliased(UnitKerja)  # built once: aliasing a mapped class costs ~1 ms per call
_K2, _P2, _J2 = aliased(Skp), aliased(Pegawai), aliased(Jabatan)  # the unit filter's subquery (_in_units)


def _subtree_ids(s: Session, unit_id: int) -> list[int]:
    """The unit and every unit below it (a recursive query over parent links; UNION cuts cycles in bad data)."""
    sub = select(UnitKerja.id).where(UnitKerja.id == unit_id).cte("subtree", recursive=True)
    sub = sub.union(select(UnitKerja.id).join(sub, UnitKerja.parent_id == sub.c.id))
    return sorted(s.scalars(select(sub.c.id)))


def _placed_unit(k, p, j):
    """The unit a segment counts in: its own unit, else its jabatan's (the segment's, else the pegawai's), else the
    pegawai's unit (`k`, `p`, `j`: Skp, Pegawai and the outer-joined Jabatan, or aliases of them)."""
    return func.coalesce(k.unit_id, j.unit_id, p.unit_id)


def _in_units(period: Period, unit_ids: list[int]):
    """Pegawai with an approved, active segment of the period placed in one of `unit_ids` (a subquery): the
    pegawai the unit filter may keep; which of them it keeps depends on their latest segment (_compute)."""
    k, p, j = _K2, _P2, _J2
    return (select(k.pegawai_id).join(p, p.id == k.pegawai_id)
            .outerjoin(j, j.id == func.coalesce(k.jabatan_id, p.jabatan_id))
            .where(k.period_id == period.id, et.skp_approved(k), p.aktif.is_(True),
                   _placed_unit(k, p, j).in_(unit_ids)))


def _compute(s: Session, period: Period, scope: set[int] | None, unit_id: int | None, today: dt.date) -> Monitor:
    """Read only what the selected scope needs: the approved segments of its pegawai (with their names, jabatan
    and unit in the same query), their evaluations of the period and reporting lines, and the names of the
    reviewers who appear; a unit filter is applied in SQL (the unit's subtree), not over the whole organisation."""
    kolom = _kolom(period)
    J, U = _J, _U
    placed = _placed_unit(Skp, Pegawai, J)
    q = (select(Skp.id, Skp.pegawai_id, Skp.tanggal_mulai, Skp.tanggal_selesai, placed.label("unit_id"),
                U.nama.label("unit"), J.nama.label("jabatan"), Pegawai.nip, Pegawai.nama, Pegawai.gelar_depan,
                Pegawai.gelar_belakang)
         .join(Pegawai, Pegawai.id == Skp.pegawai_id)
         .outerjoin(J, J.id == func.coalesce(Skp.jabatan_id, Pegawai.jabatan_id))
         .outerjoin(U, U.id == placed)
         .where(Skp.period_id == period.id, et.skp_approved(), Pegawai.aktif.is_(True))
         .order_by(Skp.pegawai_id, Skp.segment_no))
    evcond = [Evaluasi.period_id == period.id]
    # which pegawai: everyone (None), the actor's reviewees (ids) and/or those placed in the unit's subtree
    who: list = []
    if scope is not None:
        ids = sorted(scope)
        who.append(lambda col: col.in_(ids))
    allowed: set[int] | None = None
    if unit_id is not None:
        allowed = set(_subtree_ids(s, unit_id))
        in_units = _in_units(period, sorted(allowed))
        who.append(lambda col: col.in_(in_units))
    for cond in who:
        q = q.where(cond(Skp.pegawai_id))
        evcond.append(cond(Evaluasi.pegawai_id))
    segments = s.execute(q).all() if scope is None or scope else []

    latest: dict[int, tuple] = {}
    for k in segments:
        latest[k.pegawai_id] = k  # ordered by segment_no: the last one wins
    info: dict[int, dict] = {}
    for pid, k in latest.items():  # type: ignore[assignment]
        if allowed is not None and k.unit_id not in allowed:
            continue
        info[pid] = {"pegawai_id": pid, "pegawai": _full(k.nama, k.gelar_depan, k.gelar_belakang), "nip": k.nip,
                     "unit": k.unit, "jabatan": k.jabatan, "penilai": None}
    known = {pid: row["pegawai"] for pid, row in info.items()}

    on = min(max(today, period.tanggal_mulai), period.tanggal_selesai)
    penilai: dict[int, int | None] = {}
    if info:
        rq = (select(ReportingLine.pegawai_id, ReportingLine.pejabat_penilai_id).where(
            ReportingLine.berlaku_mulai <= on,
            or_(ReportingLine.berlaku_sampai.is_(None), ReportingLine.berlaku_sampai >= on))
            .order_by(ReportingLine.berlaku_mulai))
        for cond in who:
            rq = rq.where(cond(ReportingLine.pegawai_id))
        penilai = {pid: pen for pid, pen in s.execute(rq) if pid in info}
    evs = et.evaluations(s, *evcond) if info else {}
    j = functools.cache(jadwal_fn(s))  # the schedule of a (mulai, selesai) range, read once per range

    cells: dict[tuple[int, int], _Cell] = {}
    late_steps: list[et.Langkah] = []
    rank = {x: i for i, x in enumerate(LANGKAH)}
    # The cell (label, overdue?, due date) depends only on the slot's dates and the evaluation's state, which
    # thousands of pegawai share: computed once per such shape. The steps themselves (who owes them) are built
    # per slot only where the shape has an overdue step (for the overdue list).
    shapes: dict[tuple, _Cell] = {}
    for k in segments:
        if k.pegawai_id not in info:
            continue
        for col in kolom:
            sl = et.clip(k.pegawai_id, k.id, k.tanggal_mulai, k.tanggal_selesai, col.nomor, col.label, col.mulai,
                         col.selesai, evs.get((k.id, col.nomor)))
            if sl is None:
                continue
            ev = sl.ev
            shape = (sl.mulai, sl.selesai, col.nomor, None if ev is None else (
                ev.status, ev.rencana_aksi_at is None, ev.pemberi_pertimbangan_id is None, ev.pertimbangan_at is None,
                ev.predikat))
            cell = shapes.get(shape)
            if cell is None or cell.overdue:
                annual = col.nomor == 0
                todo = [x for x in et.steps(sl, j(sl.mulai, sl.selesai), today)
                        if not (annual and x.langkah == et.RENCANA_AKSI)]
                late = [x for x in todo if et.is_overdue(x, today)]
                late_steps.extend(late)
                if cell is None:
                    label = _label(ev, annual, sl.mulai <= today)
                    cell = shapes[shape] = _Cell(label, rank[base_step(label)], bool(late),
                                                 todo[0].batas if todo else None)
            key = (k.pegawai_id, col.nomor)
            old = cells.get(key)
            if old is None:
                cells[key] = cell
            else:  # several segments in one sub-period: show the one most behind, flag any overdue
                keep = cell if cell.rank < old.rank else old
                cells[key] = _Cell(keep.label, keep.rank, old.overdue or cell.overdue, keep.batas)

    # names of the reviewers who appear (pejabat penilai, those who owe an overdue step), one query
    wanted = ({x for x in penilai.values() if x is not None}
              | {x.penanggung_jawab_id for x in late_steps if x.penanggung_jawab_id is not None}) - set(known)
    if wanted:
        known.update((r.id, _full(r.nama, r.gelar_depan, r.gelar_belakang)) for r in s.execute(
            select(Pegawai.id, Pegawai.nama, Pegawai.gelar_depan, Pegawai.gelar_belakang)
            .where(Pegawai.id.in_(sorted(wanted)))))

    def name(pid: int | None) -> str | None:
        return known.get(pid) if pid is not None else None

    for pid, base in info.items():
        base["penilai"] = name(penilai.get(pid))
    return _assemble(period, today, kolom, info, cells, late_steps, name, j)


def _assemble(period: Period, today: dt.date, kolom: list[Kolom], info: dict[int, dict],
              cells: dict[tuple[int, int], _Cell], late_steps: list[et.Langkah], name, jadwal) -> Monitor:
    """The Monitor from one row of facts per pegawai (`info`, MATRIX_HEADERS' keys and pegawai_id), the cell of
    each (pegawai, sub-period), the overdue steps, a reviewer's name by id and the schedule of a date range."""
    rows = []
    for pid, base in info.items():
        row = dict(base)
        n = 0
        for col in kolom:
            c = cells.get((pid, col.nomor))
            row[col.key] = c.label if c else None
            row[col.flag] = bool(c and c.overdue)
            n += int(bool(c and c.overdue))
        row["jumlah_terlambat"] = n
        rows.append(row)
    columns = ["pegawai_id", "pegawai", "nip", "unit", "jabatan", "penilai",
               *[x for col in kolom for x in (col.key, col.flag)], "jumlah_terlambat"]
    df = pd.DataFrame(rows, columns=columns)
    if not df.empty:
        df = df.sort_values(["unit", "pegawai"], na_position="last").reset_index(drop=True)

    by_nomor: dict[int, list[_Cell]] = defaultdict(list)
    for (_pid, nomor), cell in cells.items():
        by_nomor[nomor].append(cell)
    summaries = {col.nomor: _summary(col, by_nomor[col.nomor], jadwal(col.mulai, col.selesai), today)
                 for col in kolom}
    return Monitor(period.id, period.tahun, today, kolom, df, summaries,
                   _overdue_frame(late_steps, info, name, today))


def _default_batas(step: str, jd, ended: bool) -> dt.date | None:
    return {BELUM_DIBUAT: jd.realisasi if ended else jd.rencana_aksi, RENCANA_AKSI: jd.realisasi if ended
            else jd.rencana_aksi, REALISASI: jd.realisasi, MENUNGGU_PERTIMBANGAN: jd.pertimbangan,
            MENUNGGU_PENILAIAN: jd.penilaian, MENUNGGU_PERSETUJUAN: jd.persetujuan,
            BELUM_DIMULAI: jd.rencana_aksi}.get(step)


def _summary(col: Kolom, cells: list[_Cell], jd, today: dt.date) -> pd.DataFrame:
    grouped: dict[str, list[_Cell]] = defaultdict(list)
    for c in cells:
        grouped[LANGKAH[c.rank]].append(c)
    rows = []
    for step in LANGKAH:
        mine = grouped[step]
        if step == BELUM_DIMULAI and not mine:
            continue
        dates = [c.batas for c in mine if c.batas is not None]
        batas = min(dates) if dates else _default_batas(step, jd, today > col.selesai)
        if col.nomor == 0 and step in (BELUM_DIBUAT, RENCANA_AKSI, BELUM_DIMULAI) and not dates:
            batas = jd.realisasi  # the annual evaluation owes no rencana aksi
        rows.append({"langkah": step, "jumlah": len(mine), "terlambat": sum(1 for c in mine if c.overdue),
                     "penanggung_jawab": PENANGGUNG_JAWAB[step], "batas": batas})
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)


def _overdue_frame(late: list[et.Langkah], info: dict[int, dict], name, today: dt.date) -> pd.DataFrame:
    rows = []
    for x in late:
        peran = PERAN[x.langkah]
        who = name(x.penanggung_jawab_id) if x.penanggung_jawab_id is not None else None
        base = info[x.pegawai_id]
        rows.append({
            "penanggung_jawab": who or ADMIN_SDM, "peran": peran if who else f"{peran} ({ADMIN_SDM})",
            "pegawai": base["pegawai"], "nip": base["nip"], "unit": base["unit"],
            "periode": x.label, "langkah": x.langkah, "batas": x.batas,
            "hari_terlambat": (today - x.batas).days, "penanggung_jawab_id": x.penanggung_jawab_id,
            "pegawai_id": x.pegawai_id, "evaluasi_id": x.evaluasi_id})
    df = pd.DataFrame(rows, columns=OVERDUE_COLUMNS)
    df = df.astype({"penanggung_jawab_id": "Int64", "pegawai_id": "Int64", "evaluasi_id": "Int64"})
    if not df.empty:
        df = df.sort_values(["hari_terlambat", "penanggung_jawab", "pegawai"],
                            ascending=[False, True, True]).reset_index(drop=True)
    return df


def fmt_batas(d: dt.date | None) -> str:
    return fmt.tanggal(d) if d else "-"

