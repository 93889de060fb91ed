"""Beranda tasks for the periodic evaluation (evaluasi kinerja): due and overdue steps (issue 5).

Each step of a periodic evaluation has a due date from the settings (services.evaluasi_common.jadwal; defaults
from SOP 000): rencana aksi (pegawai, during the period), realisasi (pegawai, after the period), pertimbangan
(Ketua Tim), penilaian (pejabat penilai; SOP 000 step 6: sanction when late) and persetujuan (atasan pejabat
penilai). Who sees what:

- the pegawai: rencana aksi due within `SOON_DAYS` or overdue, realisasi to submit after the period ended, and
  returned realisasi to fix; only for slots covered by an approved SKP segment (no SKP: the SKP tasks apply);
- the pemberi pertimbangan, the pejabat penilai and the atasan pejabat penilai: their queue (count, earliest
  due date, how many are overdue); Admin SDM stands in for a missing penilai/atasan inside the satker;
- the atasan pejabat penilai: the overdue steps of the people they are atasan penilai of (aggregated);
- Admin SDM: the overdue steps of all open periods per step type.

Queries are set-based (a handful per provider call); the per-slot logic runs over rows already in memory.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session

from db.models import (
    Evaluasi,
    JenisEvaluasi,
    Period,
    ReportingLine,
    Skp,
    StatusEvaluasi,
    StatusPeriode,
    StatusSkp,
)
from services.core import fmt, settings
from services.core.actor import Actor
from services.core.tasks import Task, task_provider
from services.evaluasi.common import Jadwal, jadwal_fn
from services.org import periods
from services.org.reporting import line_in_force

S = StatusEvaluasi
KATEGORI = "Evaluasi Kinerja"
SOON_DAYS = 7
PAGE_SAYA = "evaluasi_saya.py"
PAGE_PERTIMBANGAN = "evaluasi_pertimbangan.py"
PAGE_PENILAIAN = "evaluasi_penilaian.py"
PAGE_PERSETUJUAN = "evaluasi_persetujuan.py"
PAGE_RINGKASAN = "evaluasi_monitoring.py"

RENCANA_AKSI, REALISASI, PERTIMBANGAN, PENILAIAN, PERSETUJUAN = (
    "Rencana aksi", "Realisasi", "Pertimbangan", "Penilaian", "Persetujuan")
LANGKAH = (RENCANA_AKSI, REALISASI, PERTIMBANGAN, PENILAIAN, PERSETUJUAN)
SANKSI = "Sesuai SOP 000 langkah 6, pejabat penilai yang tidak menilai sampai batas waktu dikenai sanksi."


# --- deadlines and slots ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Ev:
    id: int
    status: StatusEvaluasi
    rencana_aksi_at: dt.datetime | None
    catatan_pengembalian: str | None
    pertimbangan_at: dt.datetime | None
    pejabat_penilai_id: int | None
    atasan_penilai_id: int | None
    pemberi_pertimbangan_id: int | None
    predikat: str | None = None


@dataclass(frozen=True)
class Slot:
    """A periodic slot (started by today) of an approved SKP segment, with its evaluation when created."""

    pegawai_id: int
    skp_id: int
    nomor: int
    label: str
    mulai: dt.date
    selesai: dt.date
    ev: _Ev | None


@dataclass(frozen=True)
class Langkah:
    """One outstanding step of a periodic evaluation. `penanggung_jawab_id` None: Admin SDM (no penilai or
    atasan inside the satker)."""

    langkah: str
    pegawai_id: int
    label: str
    batas: dt.date
    penanggung_jawab_id: int | None
    atasan_id: int | None
    evaluasi_id: int | None


_EV_COLS = (Evaluasi.skp_id, Evaluasi.nomor, Evaluasi.id, Evaluasi.status, Evaluasi.rencana_aksi_at,
            Evaluasi.catatan_pengembalian, Evaluasi.pertimbangan_at, Evaluasi.pejabat_penilai_id,
            Evaluasi.atasan_penilai_id, Evaluasi.pemberi_pertimbangan_id, Evaluasi.predikat)


def skp_approved(k=Skp):
    """SQL condition on Skp (or an alias of it): the segment is (or was) approved, so its evaluations may start
    (SOP 003)."""
    return or_(k.status == StatusSkp.DISETUJUI, k.version_no > 1)


def evaluations(s: Session, *cond) -> dict[tuple[int, int], _Ev]:
    """{(skp_id, nomor): evaluation state} of the evaluations matching `cond` (one query). Nomor 0 is the
    annual evaluation, 1..n the periodic ones."""
    return {(r[0], r[1]): _Ev(*r[2:-1], predikat=r[-1].value if r[-1] is not None else None)  # type: ignore[misc, arg-type, union-attr]
            for r in s.execute(select(*_EV_COLS).where(*cond))}


def clip(pegawai_id: int, skp_id: int, seg_mulai: dt.date, seg_selesai: dt.date, nomor: int, label: str,
         mulai: dt.date, selesai: dt.date, ev: _Ev | None) -> Slot | None:
    """The slot of a sub-period (or the year) clipped to the SKP segment; None when they do not overlap."""
    a, b = max(mulai, seg_mulai), min(selesai, seg_selesai)
    return Slot(pegawai_id, skp_id, nomor, label, a, b, ev) if a <= b else None


def slots(s: Session, today: dt.date, pegawai_ids: Iterable[int] | None = None) -> list[Slot]:
    """Periodic slots of approved SKP segments in open periods that have started by `today` (three queries)."""
    open_periods = {p.id: p for p in s.scalars(select(Period).where(Period.status == StatusPeriode.DIBUKA,
                                                                    Period.tanggal_mulai <= today))}
    if not open_periods:
        return []
    ids = None if pegawai_ids is None else sorted(set(pegawai_ids))
    if ids is not None and not ids:
        return []
    q = select(Skp.id, Skp.pegawai_id, Skp.period_id, Skp.tanggal_mulai, Skp.tanggal_selesai).where(
        Skp.period_id.in_(list(open_periods)), skp_approved())
    evcond = [Evaluasi.period_id.in_(list(open_periods)), Evaluasi.jenis == JenisEvaluasi.PERIODIK]
    if ids is not None:
        q = q.where(Skp.pegawai_id.in_(ids))
        evcond.append(Evaluasi.pegawai_id.in_(ids))
    segments = s.execute(q.order_by(Skp.pegawai_id, Skp.segment_no)).all()
    if not segments:
        return []
    evs = evaluations(s, *evcond)
    subs = {pid: periods.subperiods(p) for pid, p in open_periods.items()}
    out = []
    for k in segments:
        for sp in subs[k.period_id]:
            sl = clip(k.pegawai_id, k.id, k.tanggal_mulai, k.tanggal_selesai, sp.nomor, sp.label, sp.mulai,
                      sp.selesai, evs.get((k.id, sp.nomor)))
            if sl is not None and sl.mulai <= today:
                out.append(sl)
    return out


def steps(slot: Slot, j: Jadwal, today: dt.date) -> list[Langkah]:
    """The outstanding steps of one slot with their due dates (overdue or not). While the period runs the
    pegawai owes the rencana aksi; after it ended, the realisasi (which includes a missing rencana aksi)."""
    ev = slot.ev
    status = ev.status if ev else S.DRAFT
    atasan = ev.atasan_penilai_id if ev else None

    def mk(langkah: str, batas: dt.date, who: int | None) -> Langkah:
        return Langkah(langkah, slot.pegawai_id, slot.label, batas, who, atasan, ev.id if ev else None)

    if status == S.DRAFT:
        if today > slot.selesai:
            return [mk(REALISASI, j.realisasi, slot.pegawai_id)]
        if ev is None or ev.rencana_aksi_at is None:
            return [mk(RENCANA_AKSI, j.rencana_aksi, slot.pegawai_id)]
        return []
    assert ev is not None  # no evaluation means status DRAFT, handled above
    if status == S.DIAJUKAN:
        out = []
        if ev.pemberi_pertimbangan_id is not None and ev.pertimbangan_at is None:
            out.append(mk(PERTIMBANGAN, j.pertimbangan, ev.pemberi_pertimbangan_id))
        return [*out, mk(PENILAIAN, j.penilaian, ev.pejabat_penilai_id)]
    if status == S.DIKEMBALIKAN:
        return [mk(PENILAIAN, j.penilaian, ev.pejabat_penilai_id)]
    if status == S.DINILAI:
        return [mk(PERSETUJUAN, j.persetujuan, ev.atasan_penilai_id)]
    return []


def overdue_steps(s: Session, today: dt.date, pegawai_ids: Iterable[int] | None = None) -> list[Langkah]:
    """Steps past their due date in the open periods (all pegawai, or those given)."""
    j = jadwal_fn(s)
    return [x for sl in slots(s, today, pegawai_ids) for x in steps(sl, j(sl.mulai, sl.selesai), today)
            if is_overdue(x, today)]


def overdue_counts(s: Session, today: dt.date,
                   pegawai_ids: Iterable[int] | None = None) -> tuple[Counter, dict[str, dt.date]]:
    """The same steps as `overdue_steps`, counted in SQL: ({langkah: count}, {langkah: earliest due date}).

    Two GROUP BY queries instead of one row per slot: approved segments by (period, segment dates) and their
    periodic evaluations by (period, segment dates, sub-period, status, rencana aksi made?, pertimbangan owed?).
    Each group is one representative slot run through `steps`, so the rules stay in one place; slots without an
    evaluation are the segments of the group minus the evaluations counted for that sub-period."""
    counts: Counter = Counter()
    first: dict[str, dt.date] = {}
    open_periods = {p.id: p for p in s.scalars(select(Period).where(Period.status == StatusPeriode.DIBUKA,
                                                                    Period.tanggal_mulai <= today))}
    ids = None if pegawai_ids is None else sorted(set(pegawai_ids))
    if not open_periods or (ids is not None and not ids):
        return counts, first
    seg_key = (Skp.period_id, Skp.tanggal_mulai, Skp.tanggal_selesai)
    seg_cond = [Skp.period_id.in_(list(open_periods)), skp_approved()]
    if ids is not None:
        seg_cond.append(Skp.pegawai_id.in_(ids))
    segs = s.execute(select(*seg_key, func.count(Skp.id)).where(*seg_cond).group_by(*seg_key)).all()
    if not segs:
        return counts, first
    made = case((Evaluasi.rencana_aksi_at.is_not(None), 1), else_=0)
    owed = case((Evaluasi.pemberi_pertimbangan_id.is_not(None) & Evaluasi.pertimbangan_at.is_(None), 1), else_=0)
    ev_key = (*seg_key, Evaluasi.nomor, Evaluasi.status, made, owed)
    ev_rows = s.execute(select(*ev_key, func.count(Evaluasi.id)).join(Skp, Skp.id == Evaluasi.skp_id)
                        .where(*seg_cond, Evaluasi.period_id.in_(list(open_periods)),
                               Evaluasi.jenis == JenisEvaluasi.PERIODIK).group_by(*ev_key)).all()
    by_slot: dict[tuple, list[tuple[_Ev, int]]] = {}
    stamp = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)  # "done": only None or not matters to `steps`
    for period_id, a, b, nomor, status, made_, owed_, n in ev_rows:
        ev = _Ev(0, S(status), stamp if made_ else None, None, None if owed_ else stamp, None, None,
                 1 if owed_ else None)
        by_slot.setdefault((period_id, a, b, nomor), []).append((ev, n))
    j = jadwal_fn(s)

    def add(sl: Slot, n: int) -> None:
        for x in steps(sl, j(sl.mulai, sl.selesai), today):
            if n and is_overdue(x, today):
                counts[x.langkah] += n
                first[x.langkah] = min(first.get(x.langkah, x.batas), x.batas)

    subs = {pid: periods.subperiods(p) for pid, p in open_periods.items()}
    for period_id, a, b, n in segs:
        for sp in subs[period_id]:
            sl = clip(0, 0, a, b, sp.nomor, sp.label, sp.mulai, sp.selesai, None)
            if sl is None or sl.mulai > today:
                continue
            with_ev = by_slot.get((period_id, a, b, sp.nomor), [])
            for ev, k in with_ev:
                add(Slot(0, 0, sl.nomor, sl.label, sl.mulai, sl.selesai, ev), k)
            add(sl, n - sum(k for _, k in with_ev))
    return counts, first


def is_overdue(x: Langkah, today: dt.date) -> bool:
    """A step is overdue from the day after its due date."""
    return x.batas < today


# --- wording ------------------------------------------------------------------------------------------


def _when(batas: dt.date, today: dt.date, what: str) -> str:
    if batas < today:
        return f"Batas {what} {fmt.tanggal(batas)} sudah lewat {(today - batas).days} hari."
    if batas == today:
        return f"Batas {what} hari ini, {fmt.tanggal(batas)}."
    return f"Batas {what} {fmt.tanggal(batas)} ({(batas - today).days} hari lagi)."


def _urgent(batas: dt.date, today: dt.date) -> int:
    return 1 if (batas - today).days <= SOON_DAYS else 2


def _rincian(counter: Counter) -> str:
    return ", ".join(f"{k.lower()} {counter[k]}" for k in LANGKAH if counter[k])


# --- providers ----------------------------------------------------------------------------------------


@task_provider
def _pegawai_tasks(s: Session, actor: Actor, today: dt.date) -> list[Task]:
    me = actor.pegawai_id
    if me is None:
        return []
    j = jadwal_fn(s)
    tasks: list[Task] = []
    for sl in slots(s, today, [me]):
        for x in steps(sl, j(sl.mulai, sl.selesai), today):
            if x.langkah == RENCANA_AKSI and (x.batas - today).days <= SOON_DAYS:
                tasks.append(Task(KATEGORI, f"Susun rencana aksi {sl.label}",
                                  _when(x.batas, today, "penyusunan rencana aksi") + " Rencana aksi menjabarkan "
                                  "setiap RHK untuk periode ini (SOP 000 langkah 3).", x.batas, 1, PAGE_SAYA))
            elif x.langkah == REALISASI and sl.ev is not None and sl.ev.catatan_pengembalian:
                tasks.append(Task(KATEGORI, f"Perbaiki realisasi {sl.label} yang dikembalikan pejabat penilai",
                                  f"Catatan: {sl.ev.catatan_pengembalian} " + _when(x.batas, today,
                                                                                   "pengajuan realisasi"),
                                  x.batas, 1, PAGE_SAYA))
            elif x.langkah == REALISASI:
                extra = (" Rencana aksi periode ini juga belum disusun."
                         if sl.ev is None or sl.ev.rencana_aksi_at is None else "")
                tasks.append(Task(KATEGORI, f"Isi dan ajukan realisasi {sl.label}",
                                  _when(x.batas, today, "pengajuan realisasi") + extra, x.batas,
                                  _urgent(x.batas, today), PAGE_SAYA))
    return tasks


def _queue(s: Session, cond, today: dt.date, batas_of: Callable[[Jadwal], dt.date]):
    """(count, overdue count, earliest due date, count by status) of the evaluations matching `cond`."""
    j = jadwal_fn(s)
    rows = s.execute(select(Evaluasi.mulai, Evaluasi.selesai, Evaluasi.status, func.count(Evaluasi.id))
                     .where(*cond).group_by(Evaluasi.mulai, Evaluasi.selesai, Evaluasi.status)).all()
    n = late = 0
    first: dt.date | None = None
    by_status: Counter = Counter()
    for mulai, selesai, status, count in rows:
        batas = batas_of(j(mulai, selesai))
        n += count
        by_status[S(status)] += count
        late += count if batas < today else 0
        first = batas if first is None else min(first, batas)
    return n, late, first, by_status


@task_provider
def _reviewer_tasks(s: Session, actor: Actor, today: dt.date) -> list[Task]:
    me = actor.pegawai_id
    if me is None and not actor.is_admin:
        return []
    tasks: list[Task] = []
    not_mine = Evaluasi.pegawai_id != (me or -1)
    if me is not None:
        n, late, first, _ = _queue(s, (Evaluasi.status == S.DIAJUKAN,
                                       Evaluasi.pemberi_pertimbangan_id.in_(actor.reviewer_ids),
                                       Evaluasi.pertimbangan_at.is_(None), not_mine),
                                   today, lambda j: j.pertimbangan)
        if n:
            detail = (f"{late} di antaranya melewati batas pertimbangan. " if late else "") + _when(
                first, today, "pertimbangan tercepat")
            tasks.append(Task(KATEGORI, f"Beri pertimbangan atas {n} evaluasi kinerja anggota tim", detail, first,
                              1 if late else _urgent(first, today), PAGE_PERTIMBANGAN))

    def mine_or_admin(col):
        if me is None:
            return col.is_(None)
        mine = col.in_(actor.reviewer_ids)  # with the holder a Plt/Plh acts for
        return or_(mine, col.is_(None)) if actor.is_admin else mine

    cond = [Evaluasi.status.in_((S.DIAJUKAN, S.DIKEMBALIKAN)), mine_or_admin(Evaluasi.pejabat_penilai_id), not_mine]
    if settings.get("pertimbangan_wajib", s):  # rating waits for the Ketua Tim's pertimbangan
        cond.append(or_(Evaluasi.status == S.DIKEMBALIKAN, Evaluasi.pemberi_pertimbangan_id.is_(None),
                        Evaluasi.pertimbangan_at.is_not(None)))
    n, late, first, by_status = _queue(s, cond, today, lambda j: j.penilaian)
    if n:
        back = by_status[S.DIKEMBALIKAN]
        detail = f"Termasuk {back} yang dikembalikan atasan pejabat penilai. " if back else ""
        if late:
            detail += f"{late} evaluasi melewati batas penilaian ({fmt.tanggal(first)}). {SANKSI}"
        else:
            detail += _when(first, today, "penilaian tercepat")
        tasks.append(Task(KATEGORI, f"Nilai {n} evaluasi kinerja bawahan", detail, first,
                          1 if late else _urgent(first, today), PAGE_PENILAIAN))

    n, late, first, _ = _queue(s, (Evaluasi.status == S.DINILAI, mine_or_admin(Evaluasi.atasan_penilai_id),
                                   not_mine, or_(Evaluasi.dinilai_by_id.is_(None),
                                                 Evaluasi.dinilai_by_id != (me or -1))),
                               today, lambda j: j.persetujuan)
    if n:
        detail = (f"{late} di antaranya melewati batas persetujuan. " if late else "") + _when(
            first, today, "persetujuan tercepat")
        tasks.append(Task(KATEGORI, f"Setujui {n} penilaian kinerja", detail, first,
                          1 if late else _urgent(first, today), PAGE_PERSETUJUAN))
    return tasks


@task_provider
def _overdue_tasks(s: Session, actor: Actor, today: dt.date) -> list[Task]:
    """Atasan pejabat penilai: overdue steps of their people; Admin SDM: all overdue steps per step type."""
    tasks: list[Task] = []
    me = actor.pegawai_id
    if me is not None:
        by_line = set(s.scalars(select(ReportingLine.pegawai_id).where(ReportingLine.atasan_penilai_id == me,
                                                                       line_in_force(today))))
        by_ev = set(s.scalars(select(Evaluasi.pegawai_id).where(Evaluasi.atasan_penilai_id == me,
                                                                Evaluasi.status != S.DISETUJUI).distinct()))
        people = (by_line | by_ev) - {me}
        if people:
            mine = [x for x in overdue_steps(s, today, people)
                    if (x.atasan_id == me if x.evaluasi_id is not None else x.pegawai_id in by_line)
                    and x.penanggung_jawab_id != me and x.langkah != PERSETUJUAN]
            if mine:
                c = Counter(x.langkah for x in mine)
                tasks.append(Task(KATEGORI, f"{len(mine)} langkah evaluasi bawahan Anda terlambat",
                                  f"Belum selesai melewati batas waktu: {_rincian(c)}. Ingatkan pegawai, pemberi "
                                  "pertimbangan, atau pejabat penilai yang bersangkutan.",
                                  min(x.batas for x in mine), 1, PAGE_PERSETUJUAN))
    if actor.is_admin:
        c, first = overdue_counts(s, today)
        if c:
            tasks.append(Task(KATEGORI, f"{c.total()} langkah evaluasi kinerja terlambat",
                              f"Periode terbuka, menurut langkah: {_rincian(c)}.", min(first.values()), 1,
                              PAGE_RINGKASAN))
    return tasks
