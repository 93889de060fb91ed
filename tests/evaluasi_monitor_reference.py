"""The Monitoring Evaluasi computation as it was before it was bounded by the selected unit (main of 2026-12-06):
every unit, jabatan, pegawai and reporting line of the organisation and every evaluation of the period read, then
filtered in Python. Kept only as the reference the bounded computation (services.evaluasi.monitoring) must
equal on the same data (tests/unit/test_evaluasi_monitor_scale.py)."""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from db.engine import read_session
from db.models import Evaluasi, Jabatan, Pegawai, Period, ReportingLine, Skp, UnitKerja
from services.core import clock
from services.core.actor import Actor
from services.evaluasi import monitoring as mon
from services.evaluasi import tugas as et
from services.evaluasi.common import jadwal_fn
from services.org import units as org_units


def reference_monitor(actor: Actor, period_id: int, unit_id: int | None = None,
                      today: dt.date | None = None) -> mon.Monitor:
    today = today or clock.today()
    mon._require_monitor(actor)
    with read_session() as s:
        period = s.get(Period, period_id)
        assert period is not None
        return _reference_compute(s, period, mon._scope(s, actor, period), unit_id, today)


def _reference_compute(s: Session, period: Period, scope: set[int] | None, unit_id: int | None, today: dt.date) -> mon.Monitor:
    kolom = mon._kolom(period)
    q = (select(Skp.id, Skp.pegawai_id, Skp.tanggal_mulai, Skp.tanggal_selesai, Skp.unit_id, Skp.jabatan_id)
         .join(Pegawai, Pegawai.id == Skp.pegawai_id)
         .where(Skp.period_id == period.id, et.skp_approved(), Pegawai.aktif.is_(True))
         .order_by(Skp.pegawai_id, Skp.segment_no))
    evcond = [Evaluasi.period_id == period.id]
    if scope is not None:
        ids = sorted(scope)
        q = q.where(Skp.pegawai_id.in_(ids))
        evcond.append(Evaluasi.pegawai_id.in_(ids))
    segments = s.execute(q).all() if scope is None or scope else []
    units = {u.id: (u.nama, u.parent_id) for u in s.execute(select(UnitKerja.id, UnitKerja.nama, UnitKerja.parent_id))}
    jabatan = {j.id: (j.nama, j.unit_id) for j in s.execute(select(Jabatan.id, Jabatan.nama, Jabatan.unit_id))}
    people = {p.id: p for p in s.execute(select(Pegawai.id, Pegawai.nip, Pegawai.nama, Pegawai.gelar_depan,
                                                Pegawai.gelar_belakang, Pegawai.unit_id, Pegawai.jabatan_id))}
    on = min(max(today, period.tanggal_mulai), period.tanggal_selesai)
    penilai = {pid: pen for pid, pen in s.execute(
        select(ReportingLine.pegawai_id, ReportingLine.pejabat_penilai_id).where(
            ReportingLine.berlaku_mulai <= on,
            or_(ReportingLine.berlaku_sampai.is_(None), ReportingLine.berlaku_sampai >= on))
        .order_by(ReportingLine.berlaku_mulai))}
    evs = et.evaluations(s, *evcond) if segments else {}
    j = functools.cache(jadwal_fn(s))  # the schedule of a (mulai, selesai) range, read once per range

    def name(pid: int | None) -> str | None:
        p = people.get(pid) if pid is not None else None
        return mon._full(p.nama, p.gelar_depan, p.gelar_belakang) if p else None

    kids: dict[int | None, list[int]] = defaultdict(list)
    for uid, (_nama, parent) in units.items():
        kids[parent].append(uid)
    allowed_units = org_units.subtree(unit_id, kids) if unit_id is not None else None
    latest: dict[int, tuple] = {}
    for k in segments:
        latest[k.pegawai_id] = k  # ordered by segment_no: the last one wins
    info: dict[int, dict] = {}
    for pid, k in latest.items():  # type: ignore[assignment]
        p = people[pid]
        jab_id = k.jabatan_id or p.jabatan_id
        unit = k.unit_id or (jabatan[jab_id][1] if jab_id in jabatan else None) or p.unit_id
        if allowed_units is not None and unit not in allowed_units:
            continue
        info[pid] = {"pegawai_id": pid, "pegawai": name(pid), "nip": p.nip,
                     "unit": units[unit][0] if unit in units else None,
                     "jabatan": jabatan[jab_id][0] if jab_id in jabatan else None, "penilai": name(penilai.get(pid))}

    cells: dict[tuple[int, int], mon._Cell] = {}
    late_steps: list[et.Langkah] = []
    rank = {x: i for i, x in enumerate(mon.LANGKAH)}
    for k in segments:
        if k.pegawai_id not in info:
            continue
        for col in kolom:
            sl = et.clip(k.pegawai_id, k.id, k.tanggal_mulai, k.tanggal_selesai, col.nomor, col.label, col.mulai,
                         col.selesai, evs.get((k.id, col.nomor)))
            if sl is None:
                continue
            annual = col.nomor == 0
            todo = [x for x in et.steps(sl, j(sl.mulai, sl.selesai), today)
                    if not (annual and x.langkah == et.RENCANA_AKSI)]
            late = [x for x in todo if et.is_overdue(x, today)]
            late_steps.extend(late)
            label = mon._label(sl.ev, annual, sl.mulai <= today)
            cell = mon._Cell(label, rank[mon.base_step(label)], bool(late), todo[0].batas if todo else None)
            key = (k.pegawai_id, col.nomor)
            old = cells.get(key)
            if old is None:
                cells[key] = cell
            else:  # several segments in one sub-period: show the one most behind, flag any overdue
                keep = cell if cell.rank < old.rank else old
                cells[key] = mon._Cell(keep.label, keep.rank, old.overdue or cell.overdue, keep.batas)

    return mon._assemble(period, today, kolom, info, cells, late_steps, name, j)
