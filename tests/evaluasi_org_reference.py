"""The Predikat & Distribusi computations as they were before the counts moved into SQL (every evaluation of
the period read into Python, one row per pegawai's last segment): the reference the SQL aggregate and the paged
pegawai list of services/evaluasi/organisasi.py are checked against (tests/unit/test_evaluasi_org_scale.py)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

import domain as rules
from db.engine import read_session
from db.models import Evaluasi, Jabatan, JenisEvaluasi, KinerjaOrganisasi, Pegawai, Skp, StatusEvaluasi
from services.core.actor import Actor
from services.evaluasi.common import STATUS_LABEL
from services.evaluasi.organisasi import (
    PREDIKAT_LABELS,
    RATED,
    DistribusiView,
    _advice,
    _can_override,
    _can_set,
    _check_nomor,
    _full_name,
    _is_root,
    _may_see_names,
    _period,
    _require_read,
    _row,
    _tree,
    _unit,
    _violations,
    distribution_rules,
    min_pegawai,
    override_status,
)


@dataclass(frozen=True)
class _EvRow:
    evaluasi_id: int
    pegawai_id: int
    unit_id: int | None
    nama: str
    nip: str
    jabatan: str | None
    predikat: str | None
    status: StatusEvaluasi
    penilai_id: int | None
    atasan_id: int | None


def _evaluations(s: Session, period_id: int, nomor: int, units: set[int] | None = None) -> list[_EvRow]:
    """One evaluation per pegawai (the last SKP segment's) of the period and slot; with `units`, only the pegawai
    whose last segment lies in those units (the pegawai are narrowed in SQL to those with a segment there).
    Columns only, no ORM objects: an organisation of 5,000 pegawai reads in tens of milliseconds."""
    jenis = JenisEvaluasi.TAHUNAN if nomor == 0 else JenisEvaluasi.PERIODIK
    unit_col = func.coalesce(Skp.unit_id, Pegawai.unit_id)
    q = (select(Evaluasi.id, Evaluasi.pegawai_id, unit_col, Pegawai.nama, Pegawai.gelar_depan,
                Pegawai.gelar_belakang, Pegawai.nip, func.coalesce(Skp.jabatan_id, Pegawai.jabatan_id),
                Evaluasi.predikat, Evaluasi.status, Evaluasi.pejabat_penilai_id, Evaluasi.atasan_penilai_id)
         .join(Skp, Skp.id == Evaluasi.skp_id)
         .join(Pegawai, Pegawai.id == Evaluasi.pegawai_id)
         .where(Evaluasi.period_id == period_id, Evaluasi.jenis == jenis, Evaluasi.nomor == nomor)
         .order_by(Evaluasi.pegawai_id, Skp.segment_no))
    if units is not None:
        inner = (select(Evaluasi.pegawai_id).join(Skp, Skp.id == Evaluasi.skp_id)
                 .join(Pegawai, Pegawai.id == Evaluasi.pegawai_id)
                 .where(Evaluasi.period_id == period_id, Evaluasi.jenis == jenis, Evaluasi.nomor == nomor,
                        unit_col.in_(sorted(units))))
        q = q.where(Evaluasi.pegawai_id.in_(inner))
    last: dict[int, tuple] = {}
    for row in s.execute(q).all():
        last[row[1]] = row
    if units is not None:
        last = {pid: row for pid, row in last.items() if row[2] in units}
    jab_ids = {row[7] for row in last.values()} - {None}
    jabs = dict(s.execute(select(Jabatan.id, Jabatan.nama).where(Jabatan.id.in_(jab_ids))).tuples().all()) \
        if jab_ids else {}
    out = [_EvRow(ev_id, pid, uid, _full_name(nama, depan, belakang), nip, jabs.get(jab),
                  pred.value if pred else None, status, penilai, atasan)
           for ev_id, pid, uid, nama, depan, belakang, nip, jab, pred, status, penilai, atasan in last.values()]
    return sorted(out, key=lambda r: r.nama)


def _counts(rows: list[_EvRow]) -> dict[str, int]:
    counts = dict.fromkeys(PREDIKAT_LABELS, 0)
    for r in rows:
        if r.status in RATED and r.predikat in counts:
            counts[r.predikat] += 1
    return counts


def reference_overview(actor: Actor, period_id: int, nomor: int = 0) -> pd.DataFrame:
    """Per unit (tree order, `level` for indentation): organisational predikat, evaluations, rated counts per
    predikat over the unit's subtree, distribution violations and the override status."""
    with read_session() as s:
        _require_read(s, actor)
        period = _period(s, period_id)
        _check_nomor(period, nomor)
        tree = _tree(s)
        thresholds = distribution_rules(s)
        minimum = min_pegawai(s)
        evs = _evaluations(s, period_id, nomor)
        rows_ko = {k.unit_id: k for k in s.scalars(select(KinerjaOrganisasi).where(
            KinerjaOrganisasi.period_id == period_id, KinerjaOrganisasi.nomor == nomor))}
        by_unit: dict[int | None, list[_EvRow]] = defaultdict(list)
        for r in evs:
            by_unit[r.unit_id].append(r)
        data = []
        for uid in tree.order:
            u = tree.units[uid]
            if not u.aktif and uid not in rows_ko:
                continue
            sub = tree.subtree(uid)
            mine = [r for x in sub for r in by_unit.get(x, [])]
            counts = _counts(mine)
            ko = rows_ko.get(uid)
            pred = ko.predikat.value if ko else None
            viol = _violations(pred, counts, thresholds, minimum)
            saran = _advice(pred, counts, thresholds, minimum)
            ov = override_status(ko, viol)
            if pred is None:
                check = "Predikat organisasi belum ditetapkan"
            elif not sum(counts.values()):
                check = "Belum ada predikat pegawai"
            elif saran:
                check = f"Unit kecil: kurva hanya saran ({len(saran)} catatan)"
            elif not viol:
                check = "Sesuai kurva distribusi"
            else:
                check = f"{len(viol)} pelanggaran kurva"
            level = tree.level(uid)
            data.append({
                "unit_id": uid, "kode": u.kode, "unit": u.nama, "level": level,
                "unit_label": tree.label(uid), "predikat_organisasi": pred,
                "ditetapkan_oleh": ko.ditetapkan_by_username if ko else None,
                "jumlah_evaluasi": len(mine), "jumlah_dinilai": sum(counts.values()), **counts,
                "pelanggaran": len(viol), "distribusi": check, "override": ov,
                "boleh_menetapkan": _can_set(s, actor, tree, uid),
            })
    cols = ["unit_id", "kode", "unit", "level", "unit_label", "predikat_organisasi", "ditetapkan_oleh",
            "jumlah_evaluasi", "jumlah_dinilai", *PREDIKAT_LABELS, "pelanggaran", "distribusi", "override",
            "boleh_menetapkan"]
    return pd.DataFrame(data, columns=cols)


def reference_distribution(actor: Actor, unit_id: int, period_id: int, nomor: int = 0) -> DistribusiView:
    with read_session() as s:
        _require_read(s, actor)
        period = _period(s, period_id)
        label = _check_nomor(period, nomor)
        tree = _tree(s)
        unit = _unit(tree, unit_id)
        thresholds = distribution_rules(s)
        sub = tree.subtree(unit_id)
        mine = _evaluations(s, period_id, nomor, sub)
        counts = _counts(mine)
        total = sum(counts.values())
        ko = _row(s, unit_id, period_id, nomor)
        pred = ko.predikat.value if ko else None
        minimum = min_pegawai(s)
        viol = _violations(pred, counts, thresholds, minimum)
        saran = _advice(pred, counts, thresholds, minimum)
        allowed = ({p.value: band for p, band in rules.allowed_shares(pred, thresholds).items()} if pred else {})
        shares = {k: (Decimal(n * 100) / Decimal(total)).quantize(Decimal("0.01"), ROUND_HALF_UP) if total
                  else Decimal("0.00") for k, n in counts.items()}
        all_names = _may_see_names(s, actor, tree, unit_id)
        visible = [r for r in mine if all_names or (actor.pegawai_id is not None
                                                    and actor.pegawai_id in (r.penilai_id, r.atasan_id))]
        people = pd.DataFrame(
            [{"nama": r.nama, "nip": r.nip, "unit": tree.units[r.unit_id].nama if r.unit_id in tree.units else None,
              "jabatan": r.jabatan, "predikat": r.predikat if r.status in RATED else None,
              "status": STATUS_LABEL[r.status]} for r in visible],
            columns=["nama", "nip", "unit", "jabatan", "predikat", "status"])
        can_set = _can_set(s, actor, tree, unit_id)
        can_override = _can_override(s, actor, tree, unit_id)
        return DistribusiView(
            unit_id=unit_id, unit_kode=unit.kode, unit_nama=unit.nama, period_id=period_id, tahun=period.tahun,
            nomor=nomor, periode_label=label, predikat_organisasi=pred, catatan=ko.catatan if ko else None,
            ditetapkan_oleh=ko.ditetapkan_by_username if ko else None, ditetapkan_at=ko.ditetapkan_at if ko else None,
            version=ko.version if ko else None, counts=counts, total=total, jumlah_evaluasi=len(mine), shares=shares,
            allowed=allowed, violations=viol, override_alasan=ko.override_alasan if ko else None,
            override_pelanggaran=list(ko.override_pelanggaran or []) if ko else [],
            override_by=ko.override_by_username if ko else None, override_at=ko.override_at if ko else None,
            override_status=override_status(ko, viol), pegawai=people, nama_disembunyikan=len(visible) < len(mine),
            can_set=can_set, can_override=can_override and bool(viol), saran=saran, min_pegawai=minimum,
            root=_is_root(tree, unit_id), nomor_penetapan=ko.nomor_penetapan if ko else None,
            dokumen_nama=ko.dokumen_nama if ko else None)


