"""Logbook monitoring: team completeness for supervisors and SDM (who has not filled today / this week / this
month, pending reviews per reviewer), its Excel export, and the Beranda "tugas saya" provider."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import Date, and_, false, func, literal, or_, select, true, union_all
from sqlalchemy.orm import Session, aliased

from db.engine import read_session
from db.models import (
    Ketidakhadiran,
    LogbookCorrection,
    LogbookEntry,
    Pegawai,
    ReportingLine,
    StatusKoreksi,
    StatusLogbook,
    UnitKerja,
)
from domain.enums import JenisKetidakhadiran
from services.core import clock, export, fmt, settings
from services.core.actor import Actor
from services.core.errors import PermissionDenied
from services.core.tasks import Task, task_provider
from services.logbook import common as c
from services.logbook.penilaian import names_of, overdue_rows, overdue_summary, pending_groups
from services.org import kalender, ketidakhadiran
from services.org import units as org_units

E = LogbookEntry
PEGAWAI_COLUMNS = ["pegawai_id", "nip", "nama", "unit", "pejabat_penilai", "hari_ini", "minggu_terisi",
                   "minggu_hari_kerja", "bulan_terisi", "bulan_hari_kerja", "belum_terisi", "tidak_hadir",
                   "menunggu_penilaian", "revisi", "persen_bulan"]
PEGAWAI_LABELS = {
    "pegawai_id": "ID", "nip": "NIP", "nama": "Nama", "unit": "Unit Kerja", "pejabat_penilai": "Pejabat Penilai",
    "hari_ini": "Hari Ini", "minggu_terisi": "Terisi Minggu Ini", "minggu_hari_kerja": "Hari Kerja Minggu Ini",
    "bulan_terisi": "Terisi Bulan Ini", "bulan_hari_kerja": "Hari Kerja Bulan Ini",
    "belum_terisi": "Hari Kerja Belum Terisi", "tidak_hadir": "Cuti/Sakit/Dinas Luar",
    "menunggu_penilaian": "Menunggu Penilaian", "revisi": "Revisi",
    "persen_bulan": "Capaian Bulan Ini (%)",
}
REVIEWER_COLUMNS = ["penilai_id", "penilai", "menunggu", "lewat_batas", "tertua"]
REVIEWER_LABELS = {"penilai_id": "ID", "penilai": "Pejabat Penilai", "menunggu": "Menunggu Penilaian",
                   "lewat_batas": "Lewat Batas", "tertua": "Kegiatan Tertua"}


@dataclass(frozen=True)
class TeamCompleteness:
    """`pegawai`: one row per pegawai in scope (PEGAWAI_COLUMNS): hari_ini = "Sudah"/"Belum"/"Libur",
    minggu_/bulan_terisi = working days with at least one entry up to `on`, belum_terisi = the missing working
    days of the month as "dd/mm, dd/mm…", persen_bulan = approved points % of the month. Working days inside the
    pegawai's ketidakhadiran ranges (cuti, sakit, dinas luar) are not counted: tidak_hadir lists them
    ("dd/mm Jenis, …"), hari_ini shows the jenis on such a day.
    `reviewers`: pending reviews per pejabat penilai (REVIEWER_COLUMNS; tertua = oldest entry date)."""

    on: dt.date
    pegawai: pd.DataFrame
    reviewers: pd.DataFrame


def _in_scope(col, ids: list[int], everyone: bool):
    """`col IN ids`, or no condition at all for an organisation-wide scope (a 5,000-element IN list costs more
    to bind and plan than the rows it would exclude; the caller keeps only `ids`)."""
    return and_(True) if everyone else col.in_(ids)


def _scope_ids(s: Session, actor: Actor, on: dt.date) -> list[int]:
    if actor.has(*c.LEADER_ROLES):
        return list(s.scalars(select(Pegawai.id).where(Pegawai.aktif.is_(True))))
    me = list(actor.reviewer_ids)  # with the holder a Plt/Plh acts for
    ids = [] if actor.pegawai_id is None else list(s.scalars(select(ReportingLine.pegawai_id).join(
        Pegawai, Pegawai.id == ReportingLine.pegawai_id).where(
        Pegawai.aktif.is_(True), c.line_covers(on), ReportingLine.pegawai_id != actor.pegawai_id,
        or_(ReportingLine.pejabat_penilai_id.in_(me), ReportingLine.atasan_penilai_id.in_(me),
            ReportingLine.pemberi_pertimbangan_id.in_(me))).distinct()))
    if not ids:
        raise PermissionDenied("Monitoring logbook tim untuk atasan, pejabat penilai, pemberi pertimbangan, "
                               "Admin SDM, dan Kepala Satker.")
    return ids


def team_completeness(actor: Actor, on: dt.date | None = None) -> TeamCompleteness:
    """Scope: Admin SDM and Kepala Satker see every active pegawai; a reviewer (penilai, atasan penilai,
    pemberi pertimbangan) sees the pegawai they review on `on`. PermissionDenied otherwise."""
    on = on or clock.today()
    with read_session() as s:
        ids = _scope_ids(s, actor, on)
        everyone = actor.has(*c.LEADER_ROLES)
        rows = _pegawai_rows(s, ids, on, everyone)
        reviewers = _reviewer_rows(s, ids, on, everyone)
    return TeamCompleteness(on, pd.DataFrame(rows, columns=PEGAWAI_COLUMNS),
                            pd.DataFrame(reviewers, columns=REVIEWER_COLUMNS))


def _pegawai_rows(s: Session, ids: list[int], on: dt.date, everyone: bool) -> list[dict]:
    """The completeness rows (PEGAWAI_COLUMNS) of the pegawai `ids` (every active one when `everyone`),
    ordered by name then id."""
    start = on.replace(day=1)
    week_start = on - dt.timedelta(days=on.weekday())
    wanted = set(ids)
    per_day = settings.get("menit_efektif_harian", s)
    cap = settings.get("logbook_batas_harian", s)
    days = kalender.days(min(start, week_start), on, s)
    work = [d.tanggal for d in days if d.kerja]
    month_work = [d for d in work if d >= start]
    week_work = [d for d in work if d >= week_start]
    today_work = bool(days) and days[-1].kerja
    pen = aliased(Pegawai)
    people = s.execute(
        select(Pegawai.id, Pegawai.nip, Pegawai.nama, Pegawai.gelar_depan, Pegawai.gelar_belakang, UnitKerja.nama,
               pen.nama, pen.gelar_depan, pen.gelar_belakang)
        .outerjoin(UnitKerja, UnitKerja.id == Pegawai.unit_id)
        .outerjoin(ReportingLine, (ReportingLine.pegawai_id == Pegawai.id) & c.line_covers(on))
        .outerjoin(pen, pen.id == ReportingLine.pejabat_penilai_id)
        .where(_in_scope(Pegawai.id, ids, everyone), Pegawai.aktif.is_(True) if everyone else and_(True))
        .order_by(Pegawai.nama, Pegawai.id)).all()
    filled: dict[int, set[dt.date]] = defaultdict(set)
    approved: dict[tuple[int, dt.date], int] = defaultdict(int)
    for pid, tanggal, status, total in s.execute(
            select(E.pegawai_id, E.tanggal, E.status, func.sum(E.durasi_menit))
            .where(_in_scope(E.pegawai_id, ids, everyone), E.tanggal >= min(start, week_start), E.tanggal <= on,
                   E.status != StatusLogbook.DITOLAK)
            .group_by(E.pegawai_id, E.tanggal, E.status)):
        filled[pid].add(tanggal)
        if status == StatusLogbook.DISETUJUI and tanggal >= start:
            approved[(pid, tanggal)] += int(total or 0)
    month_ok: dict[int, int] = defaultdict(int)
    for (pid, _d), total in approved.items():
        month_ok[pid] += min(total, per_day) if cap else total
    away = ketidakhadiran.absent_days(s, ids, min(start, week_start), dt.date(on.year, on.month, 1)
                                      + dt.timedelta(days=31))
    month_all = kalender.working_days(on.year, on.month, s)
    counts = {(pid, st): n for pid, st, n in s.execute(
        select(E.pegawai_id, E.status, func.count()).where(
            _in_scope(E.pegawai_id, ids, everyone),
            E.status.in_([StatusLogbook.DIAJUKAN, StatusLogbook.DIKEMBALIKAN]))
        .group_by(E.pegawai_id, E.status))}
    full_target = len(month_all) * per_day
    seen: set[int] = set()
    rows = []
    for r in people:
        if r[0] in seen or r[0] not in wanted:
            continue
        seen.add(r[0])
        f = filled[r[0]]
        off = away.get(r[0])
        if off:
            my_month = [d for d in month_work if d not in off]
            my_week = [d for d in week_work if d not in off]
            target = sum(1 for d in month_all if d not in off) * per_day
            absent_month = sorted({d for d in month_all if d in off})
        else:  # most pegawai: nobody away, the organisation's calendar as it is
            off, my_month, my_week, target, absent_month = {}, month_work, week_work, full_target, []
        missing = [d for d in my_month if d not in f]
        if not today_work:
            hari_ini = "Libur"
        elif on in off and on not in f:
            hari_ini = off[on]
        else:
            hari_ini = "Sudah" if on in f else "Belum"
        rows.append({
            "pegawai_id": r[0], "nip": r[1], "nama": _full(r[2], r[3], r[4]), "unit": r[5],
            "pejabat_penilai": _full(r[6], r[7], r[8]) if r[6] else None,
            "hari_ini": hari_ini,
            "minggu_terisi": sum(1 for d in my_week if d in f), "minggu_hari_kerja": len(my_week),
            "bulan_terisi": sum(1 for d in my_month if d in f), "bulan_hari_kerja": len(my_month),
            "tidak_hadir": ", ".join(f"{d:%d/%m} {off[d]}" for d in absent_month) or None,
            "belum_terisi": ", ".join(f"{d:%d/%m}" for d in missing),
            "menunggu_penilaian": int(counts.get((r[0], StatusLogbook.DIAJUKAN), 0)),
            "revisi": int(counts.get((r[0], StatusLogbook.DIKEMBALIKAN), 0)),
            "persen_bulan": round(min(100.0, month_ok[r[0]] * 100.0 / target), 2) if target else 0.0,
        })
    return rows


@dataclass(frozen=True)
class CompletenessPage:
    """One page of the completeness table with the filters applied in SQL. `pegawai`: the page's rows
    (PEGAWAI_COLUMNS, by name then id); `total`: the pegawai matching the filters; `belum_hari_ini` and
    `menunggu_penilaian`: their totals over every matching pegawai (not only the page)."""

    on: dt.date
    pegawai: pd.DataFrame
    total: int
    belum_hari_ini: int
    menunggu_penilaian: int


PEGAWAI_PICK_LIMIT = 50  # pegawai a search offers in the calendar picker of a large scope (every one when fewer)
HARI_INI_OPTIONS = ["Belum", "Sudah", "Libur", *sorted(j.value for j in JenisKetidakhadiran)]


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _page_filters(s: Session, actor: Actor, on: dt.date, units: Sequence[str], hari_ini: Sequence[str],
                  cari: str, only_gaps: bool) -> tuple[list, Any]:
    """The WHERE conditions on Pegawai for the scope and the filters, and the "belum hari ini" condition."""
    everyone = actor.has(*c.LEADER_ROLES)
    ids = [] if everyone else _scope_ids(s, actor, on)
    conds: list = [Pegawai.aktif.is_(True)] if everyone else [Pegawai.id.in_(ids)]
    if units:
        conds.append(Pegawai.unit_id.in_(select(UnitKerja.id).where(UnitKerja.nama.in_(list(units)))))
    needle = (cari or "").strip().lower()
    if needle:
        pattern = _like(needle)
        conds.append(or_(func.lower(Pegawai.nama).like(pattern, escape="\\"),
                         Pegawai.nip.like(pattern, escape="\\")))
    days = kalender.days(on.replace(day=1), on, s)
    today_work = bool(days) and days[-1].kerja

    def filled(day) -> Any:
        return select(E.id).where(E.pegawai_id == Pegawai.id, E.tanggal == day,
                                  E.status != StatusLogbook.DITOLAK).correlate_except(E).exists()

    def away(day, jenis: str | None = None) -> Any:
        q = select(Ketidakhadiran.id).where(Ketidakhadiran.pegawai_id == Pegawai.id,
                                            Ketidakhadiran.tanggal_mulai <= day, Ketidakhadiran.tanggal_selesai >= day)
        q = q.where(Ketidakhadiran.jenis == JenisKetidakhadiran(jenis)) if jenis else q
        return q.correlate_except(Ketidakhadiran).exists()

    belum = and_(~filled(on), ~away(on)) if today_work else false()
    if hari_ini:
        if not today_work:
            conds.append(true() if "Libur" in hari_ini else false())
        else:
            alts = []
            for h in hari_ini:
                if h == "Sudah":
                    alts.append(filled(on))
                elif h == "Belum":
                    alts.append(belum)
                elif h in HARI_INI_OPTIONS[3:]:
                    alts.append(and_(~filled(on), away(on, h)))
            conds.append(or_(false(), *alts))
    if only_gaps:  # a working day of the month up to `on`, not away, without an entry (bulan_terisi < hari kerja)
        month_work = [d.tanggal for d in days if d.kerja]
        if month_work:
            cal = union_all(*[select(literal(d, Date).label("d")) for d in month_work]).subquery()
            conds.append(select(cal.c.d).where(~filled(cal.c.d), ~away(cal.c.d)).correlate(Pegawai).exists())
        else:
            conds.append(false())
    return conds, belum


def completeness_page(actor: Actor, on: dt.date | None = None, *, units: Sequence[str] = (),
                      hari_ini: Sequence[str] = (), cari: str = "", only_gaps: bool = False,
                      limit: int | None = None, offset: int = 0, counts: bool = True) -> CompletenessPage:
    """The completeness table filtered in SQL (unit names, Hari Ini values of HARI_INI_OPTIONS, name/NIP
    search, only those with a working day of the month not filled) and one page of it (LIMIT/OFFSET, ordered
    by name then id); the same scope and rows as team_completeness. `counts=False` skips the totals (0)."""
    on = on or clock.today()
    with read_session() as s:
        conds, belum = _page_filters(s, actor, on, units, hari_ini, cari, only_gaps)
        total = n_belum = waiting = 0
        if counts:
            total, n_belum = s.execute(select(func.count(), func.count().filter(belum)).select_from(Pegawai)
                                       .where(*conds)).one()
            waiting = s.scalar(select(func.count(E.id)).join(Pegawai, Pegawai.id == E.pegawai_id)
                               .where(*conds, E.status == StatusLogbook.DIAJUKAN)) or 0
        q = select(Pegawai.id).where(*conds).order_by(Pegawai.nama, Pegawai.id)
        if limit is not None:
            q = q.limit(limit).offset(max(0, offset))
        ids = list(s.scalars(q)) if limit != 0 else []
        rows = _pegawai_rows(s, ids, on, False) if ids else []
    order = {pid: i for i, pid in enumerate(ids)}
    rows.sort(key=lambda r: order[r["pegawai_id"]])
    return CompletenessPage(on, pd.DataFrame(rows, columns=PEGAWAI_COLUMNS), int(total or 0), int(n_belum or 0),
                            int(waiting))


def completeness_units(actor: Actor, on: dt.date | None = None) -> list[str]:
    """The unit names of the pegawai in the actor's scope (the choices of the unit filter), sorted."""
    on = on or clock.today()
    with read_session() as s:
        conds, _ = _page_filters(s, actor, on, (), (), "", False)
        return sorted(s.scalars(select(UnitKerja.nama).join(Pegawai, Pegawai.unit_id == UnitKerja.id)
                                .where(*conds).distinct()))


def reviewers_pending(actor: Actor, on: dt.date | None = None, units: Sequence[str] = ()) -> pd.DataFrame:
    """Pending reviews per pejabat penilai of the actor's scope (REVIEWER_COLUMNS), as team_completeness; with
    `units` (unit names, the filter of completeness_page) only those of the pegawai placed in those units (read
    per pegawai-month of those pegawai: bounded by the units, not by the organisation)."""
    on = on or clock.today()
    with read_session() as s:
        if units:
            conds, _ = _page_filters(s, actor, on, units, (), "", False)
            ids = list(s.scalars(select(Pegawai.id).where(*conds)))
            return pd.DataFrame(_reviewer_rows(s, ids, on, False), columns=REVIEWER_COLUMNS)
        ids = _scope_ids(s, actor, on)
        return pd.DataFrame(_reviewer_rows(s, ids, on, actor.has(*c.LEADER_ROLES)), columns=REVIEWER_COLUMNS)


def default_units(actor: Actor, on: dt.date | None = None) -> list[str]:
    """The unit filter the page opens with: none (every unit) in an organisation of at most
    org_units.LARGE_ORG active pegawai and for a reviewer (their scope is the pegawai they review); in a larger
    one, for Admin SDM and the Kepala Satker, the names of the units of the subtree Monitoring Evaluasi and Pohon
    Kinerja open on (org_units.large_default_unit: their own top-level unit, one level lower while it holds more
    than LARGE_ORG active pegawai), those with pegawai in scope. The caller keeps every unit a choice."""
    if not actor.has(*c.LEADER_ROLES):
        return []
    on = on or clock.today()
    with read_session() as s:
        per_unit = org_units.active_per_unit(s)
        limit = org_units.LARGE_ORG
        if sum(per_unit.values()) <= limit:
            return []
        rows = s.execute(select(UnitKerja.id, UnitKerja.parent_id, UnitKerja.urutan, UnitKerja.kode,
                                UnitKerja.nama).where(UnitKerja.aktif.is_(True))).all()
        mine = s.scalar(select(Pegawai.unit_id).where(Pegawai.id == actor.pegawai_id)) if actor.pegawai_id else None
    shown = {r.id for r in rows}
    up = {r.id: r.parent_id for r in rows}
    kids: dict[int | None, list[int]] = {}
    for uid in org_units.tree_order([(r.id, r.parent_id, r.urutan, r.kode) for r in rows]):
        if uid in shown:
            kids.setdefault(up[uid] if up[uid] in shown else None, []).append(uid)
    unit = org_units.large_default_unit(kids, mine, per_unit, limit)
    if unit is None:
        return []
    names = {r.id: r.nama for r in rows}
    placed = {u for u, n in per_unit.items() if n}
    return sorted({names[u] for u in org_units.subtree(unit, kids) if u in placed})


def pegawai_choices(actor: Actor, on: dt.date | None = None, text: str | None = None, limit: int | None = None,
                    include: Iterable[int] = ()) -> dict[int, str]:
    """pegawai id -> "Nama (NIP)" of the pegawai in the actor's scope, by name: with `text` only those whose
    name or NIP contains it, with `limit` at most that many (SQL); those of `include` in scope always."""
    on = on or clock.today()
    with read_session() as s:
        conds, _ = _page_filters(s, actor, on, (), (), text or "", False)
        cols = (Pegawai.id, Pegawai.nip, Pegawai.nama, Pegawai.gelar_depan, Pegawai.gelar_belakang)
        q = select(*cols).where(*conds).order_by(Pegawai.nama, Pegawai.id)
        rows = list(s.execute(q.limit(limit) if limit is not None else q))
        keep = sorted({int(i) for i in include} - {r[0] for r in rows})
        if keep:
            scope, _ = _page_filters(s, actor, on, (), (), "", False)
            rows += s.execute(select(*cols).where(*scope, Pegawai.id.in_(keep)).order_by(Pegawai.nama, Pegawai.id))
    return {int(r[0]): f"{_full(r[2], r[3], r[4])} ({r[1]})" for r in rows}


def scope_count(actor: Actor, on: dt.date | None = None) -> int:
    """The pegawai in the actor's monitoring scope (the page offers every one in the picker while few)."""
    on = on or clock.today()
    with read_session() as s:
        conds, _ = _page_filters(s, actor, on, (), (), "", False)
        return int(s.scalar(select(func.count()).select_from(Pegawai).where(*conds)) or 0)


def _full(nama: str, depan: str | None, belakang: str | None) -> str:
    name = f"{depan.strip()} {nama.strip()}" if depan else nama.strip()
    return f"{name}, {belakang.strip()}" if belakang else name


def _reviewer_rows(s: Session, ids: list[int], on: dt.date, everyone: bool = False) -> list[dict]:
    """Pending reviews per pejabat penilai of the pegawai `ids`: aggregates per pegawai-month (pending_groups),
    overdue counts of the same scope, names in one query."""
    scope: set[int | None] = {*ids, None} if everyone else set(ids)
    agg: dict[int | None, dict] = {}
    deadlines: dict[tuple[int, int], dt.date] = {}
    batas = c.batas_penilaian_fn(s)  # the settings once, not per month
    for g in _pending_per_penilai(s) if everyone else pending_groups(s, E.pegawai_id.in_(sorted(scope))):
        if g["pegawai_id"] not in scope:
            continue
        row = agg.setdefault(g["penilai_id"], {"penilai_id": g["penilai_id"], "menunggu": 0, "lewat_batas": 0,
                                               "tertua": g["tertua"]})
        row["menunggu"] += g["jumlah"]
        row["tertua"] = min(row["tertua"], g["tertua"])
        # overdue (as overdue_rows): a month before `on`'s whose review deadline has passed; the same groups, so
        # the pending entries are aggregated once
        ym = (g["tahun"], g["bulan"])
        if ym < (on.year, on.month):
            if ym not in deadlines:
                deadlines[ym] = batas(ym[0], ym[1])
            if on > deadlines[ym]:
                row["lewat_batas"] += g["jumlah"]
    names = names_of(s, agg)
    out = []
    for pen_id, row in agg.items():
        row["penilai"] = names.get(pen_id, "?")
        out.append(row)
    return sorted(out, key=lambda r: (-r["lewat_batas"], -r["menunggu"], r["penilai"]))


def _pending_per_penilai(s: Session) -> list[dict]:
    """The organisation's submitted entries of active pegawai per (pejabat penilai, year, month) in one
    aggregate joined with the reporting line in force on the entry's date (pending_groups' figures without a
    group per pegawai-month resolved in Python; overlapping lines are refused when saved, so count(*) lets
    PostgreSQL hash the groups instead of sorting 80,000 rows). pegawai_id None: all in an organisation scope."""
    yr, mo = func.extract("year", E.tanggal), func.extract("month", E.tanggal)
    rows = s.execute(
        select(ReportingLine.pejabat_penilai_id, yr, mo, func.count(E.id), func.min(E.tanggal))
        .select_from(E).join(Pegawai, Pegawai.id == E.pegawai_id)
        .outerjoin(ReportingLine, and_(ReportingLine.pegawai_id == E.pegawai_id, c.line_covers(E.tanggal)))
        .where(E.status == StatusLogbook.DIAJUKAN, Pegawai.aktif.is_(True))
        .group_by(ReportingLine.pejabat_penilai_id, yr, mo)).all()
    return [{"penilai_id": pen, "pegawai_id": None, "tahun": int(y), "bulan": int(m), "jumlah": int(n),
             "tertua": oldest} for pen, y, m, n, oldest in rows]


def team_completeness_xlsx(actor: Actor, on: dt.date | None = None) -> bytes:
    """The same as an .xlsx with two sheets (Kelengkapan, Penilaian) and Indonesian headers; audited."""
    t = team_completeness(actor, on)
    data = export.to_excel_bytes({
        "Kelengkapan": t.pegawai.drop(columns=["pegawai_id"]).rename(columns=PEGAWAI_LABELS),
        "Penilaian": t.reviewers.drop(columns=["penilai_id"]).rename(columns=REVIEWER_LABELS),
    })
    export.record_export(actor, "kelengkapan_logbook", len(t.pegawai), note=f"per {t.on:%d/%m/%Y}")
    return data


# --- Beranda ----------------------------------------------------------------------------------------


@task_provider
def _logbook_tasks(s: Session, actor: Actor, today: dt.date) -> list[Task]:
    tasks: list[Task] = []
    me = actor.pegawai_id
    kat = "Logbook"
    if me is not None:
        if kalender.is_working_day(today, s) and c.options_on(s, me, today) and s.scalar(
                select(E.id).where(E.pegawai_id == me, E.tanggal == today).limit(1)) is None:
            tasks.append(Task(kat, "Isi logbook hari ini", "Catat kegiatan hari ini beserta bukti dukungnya.",
                              today, 2, c.PAGE_LOGBOOK))
        returned = s.scalar(select(func.count(E.id)).where(E.pegawai_id == me,
                                                           E.status == StatusLogbook.DIKEMBALIKAN)) or 0
        if returned:
            tasks.append(Task(kat, f"Perbaiki {returned} kegiatan logbook yang dikembalikan",
                              "Perbaiki sesuai catatan penilai lalu ajukan kembali.", None, 1, c.PAGE_LOGBOOK))
        oldest_draft = s.scalar(select(func.min(E.tanggal)).where(E.pegawai_id == me, E.status == StatusLogbook.DRAFT,
                                                                  E.tanggal < today))
        if oldest_draft:
            n = s.scalar(select(func.count(E.id)).where(E.pegawai_id == me, E.status == StatusLogbook.DRAFT,
                                                        E.tanggal < today)) or 0
            batas = c.batas_isi(oldest_draft.year, oldest_draft.month, s)
            tasks.append(Task(kat, f"Ajukan {n} kegiatan logbook yang masih draft",
                              f"Batas pengisian bulan {fmt.bulan(oldest_draft.month)} {oldest_draft.year}: {fmt.tanggal(batas)}.", batas,
                              1 if today >= batas - dt.timedelta(days=2) else 2, c.PAGE_LOGBOOK))
    if me is not None or actor.is_admin:
        cond = c.penilai_scope(s, actor)
        waiting = s.execute(select(func.count(E.id), func.min(E.tanggal)).where(
            E.status == StatusLogbook.DIAJUKAN, cond, E.pegawai_id != (me or -1))).one()
        if waiting[0]:
            oldest: dt.date = waiting[1]
            batas = c.batas_penilaian(oldest.year, oldest.month, s)
            late = today > batas
            tasks.append(Task(kat, f"Nilai {waiting[0]} kegiatan logbook bawahan",
                              f"Batas penilaian kegiatan tertua: {fmt.tanggal(batas)}" + (" (sudah lewat)." if late else "."),
                              batas, 1 if late or (batas - today).days <= 3 else 2, c.PAGE_PENILAIAN))
        corrections = s.scalar(select(func.count(LogbookCorrection.id)).join(E, E.id == LogbookCorrection.entry_id)
                               .where(LogbookCorrection.status == StatusKoreksi.DIAJUKAN, cond,
                                      E.pegawai_id != (me or -1))) or 0
        if corrections:
            tasks.append(Task(kat, f"Putuskan {corrections} permintaan koreksi logbook", "", None, 2,
                              c.PAGE_PENILAIAN))
    if me is not None:
        consider = s.scalar(select(func.count(E.id)).where(
            E.status == StatusLogbook.DIAJUKAN, E.catatan_pertimbangan.is_(None),
            c.relation_scope(s, actor, ReportingLine.pemberi_pertimbangan_id))) or 0
        if consider:
            tasks.append(Task(kat, f"Beri pertimbangan atas {consider} kegiatan logbook anggota tim", "", None, 3,
                              c.PAGE_PENILAIAN))
    if actor.has(*c.LEADER_ROLES):
        summary = overdue_summary(s, today)  # one aggregate over the organisation, no row per pegawai-month
        if summary.jumlah:
            tasks.append(Task(kat, f"{summary.jumlah} kegiatan logbook melewati batas penilaian",
                              f"{summary.penilai} pejabat penilai belum menilai tepat waktu (SOP 000 langkah 6).",
                              summary.batas_tertua, 1, c.PAGE_MONITORING))
    elif me is not None:
        scope = c.candidate_ids(s, actor, ReportingLine.atasan_penilai_id)
        overdue = overdue_rows(s, today, scope) if scope else []
        mine = [r for r in overdue if r["atasan_id"] == me and r["penilai_id"] != me]
        if mine:
            tasks.append(Task(kat, f"{sum(r['jumlah'] for r in mine)} kegiatan logbook bawahan melewati batas "
                              "penilaian", "Pejabat penilai di bawah Anda belum menilai tepat waktu.",
                              min(r["batas_penilaian"] for r in mine), 1, c.PAGE_MONITORING))
    return tasks
