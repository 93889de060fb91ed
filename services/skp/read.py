"""SKP read models: the pejabat penilai's queue, monitoring against the deadline, the cascade tree, version
history and differences, and the Beranda tasks for SKP."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from sqlalchemy import and_, false, func, or_, select, true
from sqlalchemy.orm import Session, selectinload

from db.engine import read_session
from db.models import (
    Jabatan,
    JenisJabatan,
    JenisRhk,
    Pegawai,
    Period,
    ReportingLine,
    Rhk,
    RhkIntervensi,
    Role,
    Skp,
    SkpRevisionRequest,
    SkpVersion,
    StatusPeriode,
    StatusRevisi,
    StatusSkp,
    UnitKerja,
)
from services.core import clock, fmt, settings
from services.core.actor import Actor
from services.core.errors import NotFound, PermissionDenied
from services.core.tasks import Task, task_provider
from services.org import units as org_units
from services.org.reporting import line_in_force
from services.skp import common as c

LEADER_ROLES = (Role.ADMIN_SDM, Role.KEPALA_SATKER, Role.PERENCANA)


def batas_penetapan(tahun: int, session: Session | None = None) -> dt.date:
    """The SKP deadline of a year from setting `skp_batas_penetapan` (day, month; default 31 January)."""
    day, month = settings.get("skp_batas_penetapan", session)
    try:
        return dt.date(tahun, month, day)
    except ValueError:  # 29-02 in a common year
        return dt.date(tahun, month, 28)


# --- queue ------------------------------------------------------------------------------------------

QUEUE_COLUMNS = ["skp_id", "pegawai", "nip", "jabatan", "unit", "tahun", "segmen", "versi", "diajukan", "jumlah_rhk",
                 "row_version"]


def queue_for_penilai(actor: Actor, today: dt.date | None = None) -> pd.DataFrame:
    """Submitted SKP this actor must verify (as current pejabat penilai; Admin SDM also for heads of office)."""
    if actor.pegawai_id is None and not actor.is_admin:
        return pd.DataFrame(columns=QUEUE_COLUMNS)
    with read_session() as s:
        q = select(Skp).where(Skp.status == StatusSkp.DIAJUKAN).order_by(Skp.submitted_at, Skp.id)
        if not actor.is_admin:
            q = q.where(Skp.pegawai_id.in_(select(ReportingLine.pegawai_id).where(
                ReportingLine.pejabat_penilai_id.in_(actor.reviewer_ids))))
        rows = []
        for skp in s.scalars(q):
            if not c.can_decide(s, actor, skp, today):
                continue
            p = s.get(Pegawai, skp.pegawai_id)
            assert p is not None
            jab = s.get(Jabatan, skp.jabatan_id) if skp.jabatan_id else None
            unit = s.get(UnitKerja, skp.unit_id) if skp.unit_id else None
            rows.append({"skp_id": skp.id, "pegawai": p.nama_lengkap, "nip": p.nip, "jabatan": jab.nama if jab else None,
                         "unit": unit.nama if unit else None, "tahun": s.get(Period, skp.period_id).tahun,  # type: ignore[union-attr]
                         "segmen": skp.segment_no, "versi": skp.version_no, "diajukan": skp.submitted_at,
                         "jumlah_rhk": len(skp.rhk), "row_version": skp.version})
    return pd.DataFrame(rows, columns=QUEUE_COLUMNS)


def revision_queue(actor: Actor, today: dt.date | None = None) -> pd.DataFrame:
    """Pending revision requests this actor must decide."""
    cols = ["request_id", "skp_id", "pegawai", "nip", "tahun", "versi", "alasan", "diminta"]
    with read_session() as s:
        rows = []
        for req in s.scalars(select(SkpRevisionRequest).where(SkpRevisionRequest.status == StatusRevisi.DIAJUKAN)
                             .order_by(SkpRevisionRequest.requested_at)):
            skp = s.get(Skp, req.skp_id)
            assert skp is not None
            if not c.can_decide(s, actor, skp, today):
                continue
            p = s.get(Pegawai, skp.pegawai_id)
            assert p is not None
            rows.append({"request_id": req.id, "skp_id": skp.id, "pegawai": p.nama_lengkap, "nip": p.nip,
                         "tahun": s.get(Period, skp.period_id).tahun, "versi": req.version_no, "alasan": req.alasan,  # type: ignore[union-attr]
                         "diminta": req.requested_at})
    return pd.DataFrame(rows, columns=cols)


# --- reporting structure ----------------------------------------------------------------------------


def _penilai_map(s: Session, on: dt.date) -> dict[int, int | None]:
    """pegawai id -> pejabat penilai id, from reporting lines in force on the date (active pegawai only)."""
    out: dict[int, int | None] = {pid: None for pid in s.scalars(select(Pegawai.id).where(Pegawai.aktif.is_(True)))}
    lines = s.execute(select(ReportingLine.pegawai_id, ReportingLine.pejabat_penilai_id)
                      .where(line_in_force(on)).order_by(ReportingLine.berlaku_mulai, ReportingLine.id)).all()
    for pid, penilai in lines:
        if pid in out:
            out[pid] = penilai
    return out


def _subordinates(pmap: dict[int, int | None], root: int) -> list[int]:
    """Everyone below root (transitively), breadth first; cycles in bad data are cut."""
    children: dict[int, list[int]] = {}
    for pid, penilai in pmap.items():
        if penilai is not None:
            children.setdefault(penilai, []).append(pid)
    seen, order, frontier = {root}, [], [root]
    while frontier:
        nxt = []
        for p in frontier:
            for ch in sorted(children.get(p, [])):
                if ch not in seen:
                    seen.add(ch)
                    order.append(ch)
                    nxt.append(ch)
        frontier = nxt
    return order


def _period(s: Session, period_id: int) -> Period:
    period = s.get(Period, period_id)
    if period is None:
        raise NotFound("Periode tidak ditemukan.")
    return period


def _on(period: Period, today: dt.date | None) -> dt.date:
    today = today or clock.today()
    return min(max(today, period.tanggal_mulai), period.tanggal_selesai)


# --- monitoring -------------------------------------------------------------------------------------

MONITORING_COLUMNS = ["pegawai_id", "nama", "nip", "jabatan", "unit", "pejabat_penilai", "status", "segmen",
                      "diajukan", "disetujui", "terlambat"]


@dataclass(frozen=True)
class Monitoring:
    tahun: int
    batas: dt.date
    tabel: pd.DataFrame
    ringkasan: dict[str, int] = field(default_factory=dict)


def monitoring(actor: Actor, period_id: int, today: dt.date | None = None) -> Monitoring:
    """SKP status per active pegawai (latest segment): Admin SDM, Kepala Satker and Perencana see everyone;
    a pejabat penilai or atasan sees the pegawai below them."""
    today = today or clock.today()
    with read_session() as s:
        period = _period(s, period_id)
        pmap = _penilai_map(s, _on(period, today))
        if actor.has(*LEADER_ROLES):
            scope = list(pmap)
        elif actor.has(Role.PENILAI, Role.ATASAN_PENILAI) and actor.pegawai_id is not None:
            scope = _subordinates(pmap, actor.pegawai_id)
        else:
            raise PermissionDenied("Pemantauan SKP hanya untuk pimpinan, pejabat penilai, dan Admin SDM.")
        tahun = period.tahun
        batas = batas_penetapan(tahun, s)
        latest: dict[int, Skp] = {}
        if scope:
            for skp in s.scalars(select(Skp).where(Skp.period_id == period_id, Skp.pegawai_id.in_(scope))
                                 .order_by(Skp.segment_no)):
                latest[skp.pegawai_id] = skp
        people = {p.id: p for p in s.scalars(select(Pegawai).where(Pegawai.id.in_(scope)).options(
            selectinload(Pegawai.jabatan), selectinload(Pegawai.unit)))} if scope else {}  # no lazy load per row
        rows = []
        for pid in scope:
            p = people[pid]
            skp = latest.get(pid)  # type: ignore[assignment]
            penilai = people.get(pmap.get(pid)) if pmap.get(pid) else None  # type: ignore[arg-type]
            if penilai is None and pmap.get(pid):
                penilai = s.get(Pegawai, pmap[pid])
            status = c.STATUS_LABEL[skp.status] if skp else c.BELUM_DIBUAT
            rows.append({
                "pegawai_id": pid, "nama": p.nama_lengkap, "nip": p.nip,
                "jabatan": p.jabatan.nama if p.jabatan else None, "unit": p.unit.nama if p.unit else None,
                "pejabat_penilai": penilai.nama_lengkap if penilai else None, "status": status,
                "segmen": skp.segment_no if skp else None,
                "diajukan": skp.submitted_at if skp else None,
                "disetujui": skp.decided_at if skp and skp.status == StatusSkp.DISETUJUI else None,
                "terlambat": today > batas and (skp is None or skp.status != StatusSkp.DISETUJUI),
            })
    df = pd.DataFrame(rows, columns=MONITORING_COLUMNS)
    if not df.empty:
        df = df.sort_values(["unit", "nama"], na_position="last").reset_index(drop=True)
    order = [c.BELUM_DIBUAT, *c.STATUS_LABEL.values()]
    ringkasan = {k: int((df["status"] == k).sum()) for k in order}
    return Monitoring(tahun, batas, df, ringkasan)


@dataclass(frozen=True)
class MonitoringCounts:
    """Monitoring SKP counted in SQL (GROUP BY) over the actor's whole scope: per status and per unit and status."""

    tahun: int
    batas: dt.date
    ringkasan: dict[str, int]  # status label -> pegawai, workflow order
    per_unit: pd.DataFrame  # unit (name; `no_unit` when without unit), status, jumlah; by unit then status

    @property
    def total(self) -> int:
        return sum(self.ringkasan.values())

    @property
    def units(self) -> list[str]:
        return sorted(set(self.per_unit["unit"]))

    def shown(self, units: Sequence[str] = (), statuses: Sequence[str] = ()) -> int:
        """How many pegawai monitoring_rows lists for these filters (an empty choice means all)."""
        df = self.per_unit
        if units:
            df = df[df["unit"].isin(list(units))]
        if statuses:
            df = df[df["status"].isin(list(statuses))]
        return int(df["jumlah"].sum())


def _monitoring_scope(s: Session, actor: Actor, on: dt.date) -> list[int] | None:
    """None = every active pegawai (leaders); else the ids below the actor on the reporting lines in force."""
    if actor.has(*LEADER_ROLES):
        return None
    if actor.has(Role.PENILAI, Role.ATASAN_PENILAI) and actor.pegawai_id is not None:
        return _subordinates(_penilai_map(s, on), actor.pegawai_id)
    raise PermissionDenied("Pemantauan SKP hanya untuk pimpinan, pejabat penilai, dan Admin SDM.")


def _monitoring_base(s: Session, actor: Actor, period: Period, today: dt.date):
    """select(*cols) over the actor's active pegawai, outer-joined to their latest SKP segment of the period
    (columns status, segment_no, submitted_at, decided_at, pegawai_id) and their unit."""
    scope = _monitoring_scope(s, actor, _on(period, today))
    latest_no = (select(Skp.pegawai_id, func.max(Skp.segment_no).label("seg"))
                 .where(Skp.period_id == period.id).group_by(Skp.pegawai_id).subquery())
    latest = (select(Skp.pegawai_id, Skp.status, Skp.segment_no, Skp.submitted_at, Skp.decided_at)
              .join(latest_no, and_(latest_no.c.pegawai_id == Skp.pegawai_id, latest_no.c.seg == Skp.segment_no))
              .where(Skp.period_id == period.id).subquery())
    where: list[Any] = [Pegawai.aktif.is_(True)]
    if scope is not None:
        where.append(Pegawai.id.in_(scope) if scope else false())

    def base(*cols):
        return (select(*cols).select_from(Pegawai).outerjoin(latest, latest.c.pegawai_id == Pegawai.id)
                .outerjoin(UnitKerja, UnitKerja.id == Pegawai.unit_id).where(*where))

    return base, latest


def monitoring_counts(actor: Actor, period_id: int, today: dt.date | None = None,
                      no_unit: str = "(tanpa unit)") -> MonitoringCounts:
    """The figures of `monitoring` (same scope and rules) from one GROUP BY query: what it costs grows with the
    number of units, not of pegawai."""
    today = today or clock.today()
    with read_session() as s:
        period = _period(s, period_id)
        base, latest = _monitoring_base(s, actor, period, today)
        counts = s.execute(base(UnitKerja.nama, latest.c.status, func.count(Pegawai.id))
                           .group_by(UnitKerja.nama, latest.c.status)).all()
        tahun = period.tahun
        batas = batas_penetapan(tahun, s)
    order = [c.BELUM_DIBUAT, *c.STATUS_LABEL.values()]
    rank = {k: i for i, k in enumerate(order)}
    ringkasan = dict.fromkeys(order, 0)
    cells: dict[tuple[str, str], int] = {}
    for unit, status, n in counts:
        label = c.STATUS_LABEL[status] if status is not None else c.BELUM_DIBUAT
        ringkasan[label] += int(n)
        key = (unit or no_unit, label)
        cells[key] = cells.get(key, 0) + int(n)
    per_unit = pd.DataFrame([{"unit": u, "status": st, "jumlah": n} for (u, st), n in
                             sorted(cells.items(), key=lambda kv: (kv[0][0], rank[kv[0][1]]))],
                            columns=["unit", "status", "jumlah"])
    return MonitoringCounts(tahun, batas, ringkasan, per_unit)


def monitoring_rows(actor: Actor, period_id: int, today: dt.date | None = None, *, units: Sequence[str] = (),
                    statuses: Sequence[str] = (), limit: int | None = 500, offset: int = 0,
                    no_unit: str = "(tanpa unit)") -> pd.DataFrame:
    """One page (LIMIT/OFFSET, by unit then name) of the rows of `monitoring` (same columns, scope and rules) of
    the chosen units (names; `no_unit` = without unit) and status labels; filters and paging in SQL."""
    today = today or clock.today()
    with read_session() as s:
        period = _period(s, period_id)
        base, latest = _monitoring_base(s, actor, period, today)
        batas = batas_penetapan(period.tahun, s)
        q = base(Pegawai.id, Pegawai.nama, Pegawai.gelar_depan, Pegawai.gelar_belakang, Pegawai.nip, Jabatan.nama,
                 UnitKerja.nama, latest.c.status, latest.c.segment_no, latest.c.submitted_at, latest.c.decided_at
                 ).outerjoin(Jabatan, Jabatan.id == Pegawai.jabatan_id)
        if units:
            named = [u for u in units if u != no_unit]
            q = q.where(or_(UnitKerja.nama.in_(named), *([Pegawai.unit_id.is_(None)] if no_unit in units else [])))
        if statuses:
            codes = [k for k, v in c.STATUS_LABEL.items() if v in statuses]
            q = q.where(or_(latest.c.status.in_(codes),
                            *([latest.c.pegawai_id.is_(None)] if c.BELUM_DIBUAT in statuses else [])))
        q = q.order_by(UnitKerja.nama.is_(None), UnitKerja.nama, Pegawai.nama, Pegawai.id)
        if limit is not None:
            q = q.limit(limit).offset(max(0, offset))
        page = s.execute(q).all()
        penilai = _penilai_names(s, [r[0] for r in page], _on(period, today))
    rows = []
    for pid, nama, depan, belakang, nip, jabatan, unit, status, seg, diajukan, diputus in page:
        rows.append({
            "pegawai_id": pid, "nama": _nama_lengkap(nama, depan, belakang), "nip": nip, "jabatan": jabatan,
            "unit": unit, "pejabat_penilai": penilai.get(pid),
            "status": c.STATUS_LABEL[status] if status is not None else c.BELUM_DIBUAT, "segmen": seg,
            "diajukan": diajukan, "disetujui": diputus if status == StatusSkp.DISETUJUI else None,
            "terlambat": today > batas and status != StatusSkp.DISETUJUI,
        })
    return pd.DataFrame(rows, columns=MONITORING_COLUMNS)


def _nama_lengkap(nama: str, depan: str | None, belakang: str | None) -> str:
    name = " ".join([*([depan.strip()] if depan else []), nama.strip()])
    return f"{name}, {belakang.strip()}" if belakang else name


def _penilai_names(s: Session, ids: list[int], on: dt.date) -> dict[int, str]:
    """pegawai id -> full name of the pejabat penilai on the line in force on `on` (the latest such line), for the
    given pegawai only."""
    if not ids:
        return {}
    lines = s.execute(select(ReportingLine.pegawai_id, ReportingLine.pejabat_penilai_id)
                      .where(ReportingLine.pegawai_id.in_(ids), line_in_force(on))
                      .order_by(ReportingLine.berlaku_mulai, ReportingLine.id)).all()
    of = {pid: penilai for pid, penilai in lines}  # the last line in force wins, as in _penilai_map
    wanted = {v for v in of.values() if v is not None}
    names = {r[0]: _nama_lengkap(r[1], r[2], r[3]) for r in s.execute(
        select(Pegawai.id, Pegawai.nama, Pegawai.gelar_depan, Pegawai.gelar_belakang)
        .where(Pegawai.id.in_(wanted)))} if wanted else {}
    return {pid: names[v] for pid, v in of.items() if v is not None and v in names}


# --- cascade tree -----------------------------------------------------------------------------------

GAP_NOT_INTERVENED = "Belum diintervensi bawahan"
GAP_NO_PARENT = "RHK Utama tanpa RHK pimpinan"


@dataclass(frozen=True)
class CascadeRhk:
    id: int
    jenis: str
    nomor: str
    uraian: str
    parent_ids: tuple[int, ...]
    child_ids: tuple[int, ...]
    celah: str | None


@dataclass(frozen=True)
class CascadeNode:
    pegawai_id: int
    nama: str
    jabatan: str | None
    unit: str | None
    skp_id: int | None
    status: str
    rhk: tuple[CascadeRhk, ...]
    children: tuple[CascadeNode, ...]

    @property
    def celah(self) -> int:
        return sum(1 for r in self.rhk if r.celah) + sum(ch.celah for ch in self.children)


def unit_subtree(s: Session, unit_id: int) -> set[int]:
    """The unit and every unit below it (cycles in bad data are cut)."""
    return org_units.read_tree(s).subtree(unit_id)


def cascade_units(actor: Actor, max_pegawai: int | None = None) -> tuple[list[tuple[int, str]], int | None, int]:
    """The Unit Kerja filter of the cascade for leaders: (unit id, name indented by depth) for every unit in tree
    order (org_units.unit_tree: urutan, then kode), the default unit for a large organisation
    (org_units.large_default_unit: the actor's own top-level unit, else the first top-level unit; top level = below
    the single root unit) and the active pegawai count. Others: ([], None, 0).

    With `max_pegawai`, a default unit whose subtree holds more active pegawai than that opens one level lower,
    repeatedly: on the child unit on the actor's own path, else the first child (every unit stays a choice)."""
    if not actor.has(*LEADER_ROLES):
        return [], None, 0
    with read_session() as s:
        tree = org_units.read_tree(s)
        per_unit = org_units.active_per_unit(s)
        count = int(sum(per_unit.values()))
        mine = s.scalar(select(Pegawai.unit_id).where(Pegawai.id == actor.pegawai_id)) if actor.pegawai_id else None
    return tree.options(active_only=False), org_units.large_default_unit(tree.kids, mine, per_unit, max_pegawai), count


def cascade_tree(actor: Actor, period_id: int, today: dt.date | None = None,
                 unit_id: int | None = None) -> list[CascadeNode]:
    """RHK by RHK from the head of office down. Leaders (Admin SDM, Kepala Satker, Perencana) see the whole
    office; others see the tree below themselves. With `unit_id` (leaders), only the pegawai of that unit and the units
    below it (the tree restarts at those whose penilai is outside the subtree); only their SKP, RHK and links
    are read. Gaps: a leader's RHK Utama no subordinate intervenes; an RHK Utama (JA/JF) without a parent."""
    with read_session() as s:
        period = _period(s, period_id)
        on = _on(period, today)
        pmap = _penilai_map(s, on)
        if unit_id is not None and actor.has(*LEADER_ROLES):  # (others see the tree below themselves)
            units = unit_subtree(s, unit_id)
            inside = set(s.scalars(select(Pegawai.id).where(Pegawai.aktif.is_(True), Pegawai.unit_id.in_(units))))
            pmap = {pid: penilai for pid, penilai in pmap.items() if pid in inside}
        if actor.has(*LEADER_ROLES):
            roots = sorted(pid for pid, penilai in pmap.items() if penilai is None or penilai not in pmap)
        elif actor.pegawai_id is not None:
            roots = [actor.pegawai_id]
        else:
            raise PermissionDenied("Pohon cascading hanya untuk pegawai dan pimpinan.")
        children: dict[int, list[int]] = {}
        for pid, penilai in pmap.items():
            if penilai is not None and penilai in pmap:
                children.setdefault(penilai, []).append(pid)
        # the people of the tree (the actor and those below, or everyone for leaders), then everything about
        # them in a handful of queries (not one per pegawai, RHK or link)
        people: set[int] = set()
        stack = list(roots)
        while stack:
            pid = stack.pop()
            if pid not in people:
                people.add(pid)
                stack.extend(children.get(pid, []))
        everyone = actor.has(*LEADER_ROLES) and unit_id is None
        mine_only = true() if everyone else Skp.pegawai_id.in_(sorted(people))
        segs: dict[int, list] = {}
        for seg in s.execute(select(Skp.id, Skp.pegawai_id, Skp.tanggal_mulai, Skp.tanggal_selesai, Skp.format,
                                    Skp.status).where(Skp.period_id == period_id, mine_only)
                             .order_by(Skp.pegawai_id, Skp.segment_no)):
            segs.setdefault(seg.pegawai_id, []).append(seg)
        skps: dict[int, Any] = {}
        for pid, mine in segs.items():
            if pid in people:
                skps[pid] = next((g for g in mine if g.tanggal_mulai <= on <= g.tanggal_selesai), mine[-1])
        chosen = {k.id for k in skps.values()}
        rhks: dict[int, list] = {}
        # a subtree: the chosen SKP by id (index on skp_id); the whole office: the period's join
        of_chosen = Rhk.skp_id.in_(sorted(chosen)) if not everyone else and_(Skp.period_id == period_id, mine_only)
        for r in s.execute(select(Rhk.id, Rhk.skp_id, Rhk.jenis, Rhk.uraian).join(Skp, Skp.id == Rhk.skp_id)
                           .where(of_chosen).order_by(Rhk.skp_id, Rhk.urutan)):
            if r.skp_id in chosen:
                rhks.setdefault(r.skp_id, []).append(r)
        child_links: dict[int, list[int]] = {}
        parent_links: dict[int, list[int]] = {}
        for rid, parent, skp_id in s.execute(
                select(RhkIntervensi.rhk_id, RhkIntervensi.parent_rhk_id, Rhk.skp_id)
                .join(Rhk, Rhk.id == RhkIntervensi.rhk_id).join(Skp, Skp.id == Rhk.skp_id)
                .where(of_chosen).order_by(RhkIntervensi.id)).all():
            if skp_id in chosen:
                child_links.setdefault(parent, []).append(rid)
                parent_links.setdefault(rid, []).append(parent)
        info = {pid: (nama, depan, belakang, jab_nama, jab_jenis, unit_nama)
                for pid, nama, depan, belakang, jab_nama, jab_jenis, unit_nama in s.execute(
                    select(Pegawai.id, Pegawai.nama, Pegawai.gelar_depan, Pegawai.gelar_belakang, Jabatan.nama,
                           Jabatan.jenis, UnitKerja.nama)
                    .outerjoin(Jabatan, Jabatan.id == Pegawai.jabatan_id)
                    .outerjoin(UnitKerja, UnitKerja.id == Pegawai.unit_id)
                    .where(true() if everyone else Pegawai.id.in_(sorted(people)))).all()}
        seen: set[int] = set()

        def build(pid: int) -> CascadeNode:
            seen.add(pid)
            nama, depan, belakang, jab_nama, jab_jenis, unit_nama = info[pid]
            skp = skps.get(pid)
            kids = [build(ch) for ch in sorted(children.get(pid, [])) if ch not in seen]
            jpt = jab_jenis == JenisJabatan.JPT
            items = []
            if skp is not None:
                mine = rhks.get(skp.id, [])
                numbers = c.rhk_numbers(mine)
                for r in mine:
                    gaps = []
                    utama = r.jenis == JenisRhk.UTAMA
                    if utama and not jpt and skp.format.value != "JPT" and not parent_links.get(r.id):
                        gaps.append(GAP_NO_PARENT)
                    if utama and kids and not child_links.get(r.id):
                        gaps.append(GAP_NOT_INTERVENED)
                    gap = "; ".join(gaps) or None
                    items.append(CascadeRhk(r.id, r.jenis.value, numbers[r.id], r.uraian,
                                            tuple(parent_links.get(r.id, [])), tuple(child_links.get(r.id, [])), gap))
            full = f"{depan.strip()} {nama.strip()}" if depan else nama.strip()
            full = f"{full}, {belakang.strip()}" if belakang else full
            return CascadeNode(pid, full, jab_nama, unit_nama, skp.id if skp else None,
                               c.STATUS_LABEL[skp.status] if skp else c.BELUM_DIBUAT, tuple(items), tuple(kids))

        return [build(r) for r in roots if r not in seen]


def cascade_table(nodes: list[CascadeNode]) -> pd.DataFrame:
    """The tree flattened for display/export: one row per RHK (or per pegawai without RHK)."""
    rows: list[dict] = []

    def walk(n: CascadeNode, level: int) -> None:
        base = {"tingkat": level, "pegawai": n.nama, "jabatan": n.jabatan, "status_skp": n.status}
        if not n.rhk:
            rows.append(base | {"rhk_id": None, "jenis": None, "rhk": None, "rhk_atasan": None, "celah": None})
        for r in n.rhk:
            rows.append(base | {"rhk_id": r.id, "jenis": r.jenis, "rhk": r.uraian,
                                "rhk_atasan": ", ".join(str(x) for x in r.parent_ids) or None, "celah": r.celah})
        for ch in n.children:
            walk(ch, level + 1)

    for n in nodes:
        walk(n, 1)
    return pd.DataFrame(rows, columns=["tingkat", "pegawai", "jabatan", "status_skp", "rhk_id", "jenis", "rhk",
                                       "rhk_atasan", "celah"])


# --- versions ---------------------------------------------------------------------------------------


def version_snapshot(actor: Actor, skp_id: int, version_no: int) -> dict:
    """An approved version's snapshot, or the live content when `version_no` is the current (unapproved) one."""
    with read_session() as s:
        skp = c.load(s, skp_id)
        c.require_read(s, actor, skp)
        return _snapshot_of(s, skp, version_no)


def _snapshot_of(s: Session, skp: Skp, version_no: int) -> dict:
    v = s.scalar(select(SkpVersion).where(SkpVersion.skp_id == skp.id, SkpVersion.version_no == version_no))
    if v is not None:
        return v.snapshot
    if version_no == skp.version_no:
        return c.snapshot(s, skp)
    raise NotFound(f"Versi {version_no} tidak ditemukan.")


DIFF_COLUMNS = ["bagian", "perubahan", "uraian", "kolom", "sebelum", "sesudah"]


def version_diff(actor: Actor, skp_id: int, a: int, b: int) -> pd.DataFrame:
    """What changed from version a to version b: RHK and IKI added/removed/changed, lampiran, perilaku."""
    with read_session() as s:
        skp = c.load(s, skp_id)
        c.require_read(s, actor, skp)
        old, new = _snapshot_of(s, skp, a), _snapshot_of(s, skp, b)
    return diff_snapshots(old, new)


def _iki_text(k: dict) -> str:
    t = k["target_min"] if k["target_min"] == k["target_max"] else f"{k['target_min']}–{k['target_max']}"
    aspek = f"[{k['aspek']}] " if k.get("aspek") else ""
    return f"{aspek}{k['indikator']}: {t} {k['satuan']}"


def diff_snapshots(old: dict, new: dict) -> pd.DataFrame:
    rows: list[dict] = []

    def add(bagian, perubahan, uraian, kolom=None, sebelum=None, sesudah=None):
        rows.append({"bagian": bagian, "perubahan": perubahan, "uraian": uraian, "kolom": kolom,
                     "sebelum": sebelum, "sesudah": sesudah})

    o_rhk = {r["id"]: r for r in old.get("rhk", [])}
    n_rhk = {r["id"]: r for r in new.get("rhk", [])}
    for rid, r in o_rhk.items():
        if rid not in n_rhk:
            add("RHK", "Dihapus", r["uraian"], sebelum=r["uraian"])
            for k in r["iki"]:
                add("IKI", "Dihapus", r["uraian"], sebelum=_iki_text(k))
    for rid, r in n_rhk.items():
        if rid not in o_rhk:
            add("RHK", "Ditambah", r["uraian"], sesudah=r["uraian"])
            for k in r["iki"]:
                add("IKI", "Ditambah", r["uraian"], sesudah=_iki_text(k))
            continue
        o = o_rhk[rid]
        for key, label in (("jenis", "Jenis"), ("uraian", "Rencana Hasil Kerja"), ("perspektif", "Perspektif")):
            if o.get(key) != r.get(key):
                add("RHK", "Diubah", r["uraian"], label, o.get(key), r.get(key))
        o_par = sorted((x["parent_rhk_id"], x["jenis_cascading"]) for x in o.get("intervensi", []))
        n_par = sorted((x["parent_rhk_id"], x["jenis_cascading"]) for x in r.get("intervensi", []))
        if o_par != n_par:
            add("RHK", "Diubah", r["uraian"], "RHK Pimpinan yang Diintervensi",
                "; ".join(f"{p} ({j})" for p, j in o_par) or None, "; ".join(f"{p} ({j})" for p, j in n_par) or None)
        o_iki = {k["id"]: k for k in o["iki"]}
        n_iki = {k["id"]: k for k in r["iki"]}
        for kid, k in o_iki.items():
            if kid not in n_iki:
                add("IKI", "Dihapus", r["uraian"], sebelum=_iki_text(k))
        for kid, k in n_iki.items():
            if kid not in o_iki:
                add("IKI", "Ditambah", r["uraian"], sesudah=_iki_text(k))
            elif _iki_text(o_iki[kid]) != _iki_text(k):
                add("IKI", "Diubah", r["uraian"], "Indikator/Target", _iki_text(o_iki[kid]), _iki_text(k))
    o_lamp = sorted((x["jenis"], x["uraian"]) for x in old.get("lampiran", []))
    n_lamp = sorted((x["jenis"], x["uraian"]) for x in new.get("lampiran", []))
    for j, u in o_lamp:
        if (j, u) not in n_lamp:
            add("Lampiran", "Dihapus", j, sebelum=u)
    for j, u in n_lamp:
        if (j, u) not in o_lamp:
            add("Lampiran", "Ditambah", j, sesudah=u)
    o_per = {p["urutan"]: p for p in old.get("perilaku", [])}
    for p in new.get("perilaku", []):
        before = o_per.get(p["urutan"], {}).get("ekspektasi_khusus")
        if before != p.get("ekspektasi_khusus"):
            add("Perilaku Kerja", "Diubah", p["nilai"], "Ekspektasi Khusus Pimpinan", before, p.get("ekspektasi_khusus"))
    return pd.DataFrame(rows, columns=DIFF_COLUMNS)


# --- Beranda ----------------------------------------------------------------------------------------


def _open_period(s: Session, today: dt.date) -> Period | None:
    return s.scalar(select(Period).where(Period.tahun == today.year, Period.status == StatusPeriode.DIBUKA))


@task_provider
def _skp_tasks(s: Session, actor: Actor, today: dt.date) -> list[Task]:
    period = _open_period(s, today)
    if period is None:
        return []
    batas = batas_penetapan(period.tahun, s)
    late = today > batas
    soon = not late and (batas - today).days <= 7
    when = f"Batas penetapan SKP {fmt.tanggal(batas)}" + (" sudah lewat." if late else ".")
    tasks: list[Task] = []
    if actor.pegawai_id is not None:
        seg = c.segment_for(s, actor.pegawai_id, period.id, _on(period, today))
        if seg is None:
            tasks.append(Task("SKP", f"Susun SKP tahun {period.tahun}", when, batas, 1 if late or soon else 2,
                              c.PAGE_SKP_SAYA))
        elif seg.status == StatusSkp.DRAFT:
            tasks.append(Task("SKP", f"Lengkapi dan ajukan SKP tahun {period.tahun}", when, batas,
                              1 if late or soon else 2, c.PAGE_SKP_SAYA))
        elif seg.status == StatusSkp.DIKEMBALIKAN:
            tasks.append(Task("SKP", "Perbaiki SKP yang dikembalikan pejabat penilai",
                              seg.catatan_pengembalian or "", batas, 1, c.PAGE_SKP_SAYA))
    if actor.pegawai_id is not None or actor.is_admin:
        q = select(Skp).where(Skp.status == StatusSkp.DIAJUKAN)
        if not actor.is_admin:
            q = q.where(Skp.pegawai_id.in_(select(ReportingLine.pegawai_id).where(
                ReportingLine.pejabat_penilai_id.in_(actor.reviewer_ids))))
        waiting = sum(1 for k in s.scalars(q) if c.can_decide(s, actor, k, today))
        if waiting:
            tasks.append(Task("SKP", f"Verifikasi {waiting} SKP bawahan", when, batas, 1 if late or soon else 2,
                              c.PAGE_SKP_VERIFIKASI))
        reqs = s.scalars(select(SkpRevisionRequest).where(SkpRevisionRequest.status == StatusRevisi.DIAJUKAN)).all()
        pending = sum(1 for r in reqs if c.can_decide(s, actor, s.get(Skp, r.skp_id), today))  # type: ignore[misc, arg-type]
        if pending:
            tasks.append(Task("SKP", f"Putuskan {pending} permintaan revisi SKP", "", None, 2, c.PAGE_SKP_VERIFIKASI))
    if actor.is_admin and (late or soon):
        approved = set(s.scalars(select(Skp.pegawai_id).where(Skp.period_id == period.id,
                                                              Skp.status == StatusSkp.DISETUJUI)))
        active = set(s.scalars(select(Pegawai.id).where(Pegawai.aktif.is_(True))))
        missing = len(active - approved)
        if missing:
            tasks.append(Task("SKP", f"{missing} pegawai belum memiliki SKP yang disetujui", when, batas,
                              1 if late else 2, c.PAGE_SKP_MONITORING))
    return tasks


def rhk_lookup(actor: Actor, rhk_ids: list[int]) -> dict[int, str]:
    """Text of RHK by id (for showing parents in the cascade tree or a diff). Any signed-in pegawai or leader."""
    if actor.pegawai_id is None and not actor.has(*LEADER_ROLES):
        raise PermissionDenied()
    if not rhk_ids:
        return {}
    with read_session() as s:
        return dict(s.execute(select(Rhk.id, Rhk.uraian).where(Rhk.id.in_(list(rhk_ids)))).all())

