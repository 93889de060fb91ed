"""SKP read models: the pejabat penilai's queue, monitoring against the deadline, the cascade tree, version
history and differences, and the Beranda tasks for SKP."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import select
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


def cascade_tree(actor: Actor, period_id: int, today: dt.date | None = None) -> list[CascadeNode]:
    """RHK by RHK from the head of office down. Leaders (Admin SDM, Kepala Satker, Perencana) see the whole
    office; others see the tree below themselves. Gaps: a leader's RHK Utama no subordinate intervenes; an RHK
    Utama (JA/JF) without a parent."""
    with read_session() as s:
        period = _period(s, period_id)
        on = _on(period, today)
        pmap = _penilai_map(s, on)
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
        skps: dict[int, Skp] = {}
        for pid in pmap:
            seg = c.segment_for(s, pid, period_id, on)
            if seg is not None:
                skps[pid] = seg
        child_links: dict[int, list[int]] = {}
        parent_links: dict[int, list[int]] = {}
        for k in skps.values():
            for r in k.rhk:
                for link in r.intervensi:
                    child_links.setdefault(link.parent_rhk_id, []).append(r.id)
                    parent_links.setdefault(r.id, []).append(link.parent_rhk_id)
        seen: set[int] = set()

        def build(pid: int) -> CascadeNode:
            seen.add(pid)
            p = s.get(Pegawai, pid)
            assert p is not None
            skp = skps.get(pid)
            kids = [build(ch) for ch in sorted(children.get(pid, [])) if ch not in seen]
            jpt = p.jabatan is not None and p.jabatan.jenis == JenisJabatan.JPT
            items = []
            if skp is not None:
                numbers = c.rhk_numbers(list(skp.rhk))
                for r in skp.rhk:
                    gaps = []
                    utama = r.jenis == JenisRhk.UTAMA
                    if utama and not jpt and skp.format.value != "JPT" and not parent_links.get(r.id):
                        gaps.append(GAP_NO_PARENT)
                    if utama and kids and not child_links.get(r.id):
                        gaps.append(GAP_NOT_INTERVENED)
                    gap = "; ".join(gaps) or None
                    items.append(CascadeRhk(r.id, r.jenis.value, numbers[r.id], r.uraian,
                                            tuple(parent_links.get(r.id, [])), tuple(child_links.get(r.id, [])), gap))
            return CascadeNode(pid, p.nama_lengkap, p.jabatan.nama if p.jabatan else None,
                               p.unit.nama if p.unit else None, skp.id if skp else None,
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

