"""Organisational performance (capaian kinerja organisasi) per unit and period, and the distribution of the
pegawai predikat against the SE MenPANRB 3/2023 curve (domain.md §2.11, §2.12).

- `organisational_rating(s, unit_id, period_id, nomor)`: the unit's own KinerjaOrganisasi row (never inherited
  from a parent unit) and the Rating Hasil Kerja it gives the unit head (settings rating_org_*). Used by the
  penilaian service inside its transaction. `nomor` 0 = annual, 1..12 / 1..4 = the periodic sub-period.
- Who sets the organisational predikat (`can_set`, SE MenPANRB 3/2023: the leader of the organisation ABOVE):
  below the root, the pegawai heading the PARENT unit (jabatan.pimpinan_unit), the Kepala Satker, or Admin SDM
  on their behalf (extra audit note "dicatat Admin SDM atas nama pimpinan"). The satker's root unit has no
  leader above inside the satker: Admin SDM or the Perencana record it from the signed penetapan of the level
  above (nomor + PDF attached). Nobody sets the predikat of a unit they head (the Kepala not for the root).
  Keeping a distribution that violates the curve (`override_distribution`, alasan >= 20 chars): the Kepala
  Satker, Admin SDM, or the parent unit's head.
- Who reads (`can_read`): Admin SDM, Kepala Satker and Perencana (everything), and penilai / atasan penilai /
  unit heads (every unit's overview and counts, read-only). Names of pegawai with their predikat are shown only
  to the first group, to the head of the unit or of a unit above it, and to the penilai/atasan of that pegawai.
- Pegawai counted in a unit: evaluations of the period (Tahunan for nomor 0, else the Periodik sub-period
  `nomor`) whose pegawai's unit (SKP snapshot Skp.unit_id, else Pegawai.unit_id) is the unit or a descendant.
  With several SKP segments in the year the last segment's evaluation counts (one pegawai, one predikat).
  Only rated evaluations (DINILAI, DISETUJUI) count in the distribution.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pandas as pd
from sqlalchemy import case, exists, false, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

import domain as rules
from db.engine import read_session
from db.models import (
    Evaluasi,
    Jabatan,
    JenisEvaluasi,
    KinerjaOrganisasi,
    Pegawai,
    Period,
    PredikatOrganisasiKinerja,
    RatingKinerja,
    Role,
    Setting,
    Skp,
    StatusEvaluasi,
    StatusPeriode,
    UnitKerja,
)
from services.core import audit, clock, fmt, settings
from services.core.actor import Actor
from services.core.errors import (
    Conflict,
    FieldError,
    NotFound,
    PermissionDenied,
    ServiceError,
    ValidationFailed,
)
from services.core.uow import unit_of_work
from services.evaluasi.common import STATUS_LABEL
from services.org import periods
from services.org import units as org_units

READ_ALL = (Role.ADMIN_SDM, Role.KEPALA_SATKER, Role.PERENCANA)
READ_UNITS = (Role.PENILAI, Role.ATASAN_PENILAI)
RATED = (StatusEvaluasi.DINILAI, StatusEvaluasi.DISETUJUI)
MIN_ALASAN = 20
MAX_TEKS = 4000
CURVE_ORDER: tuple[str, ...] = tuple(p.value for p in reversed(rules.PREDIKAT_ORDER))
"""Lampiran curve axis: Sangat Kurang · Kurang/Misconduct · Butuh Perbaikan · Baik · Sangat Baik."""
PREDIKAT_LABELS: tuple[str, ...] = tuple(p.value for p in rules.PREDIKAT_ORDER)
ORG_LABELS: tuple[str, ...] = tuple(p.value for p in rules.PREDIKAT_ORGANISASI_ORDER)
RATING_SETTING = {
    rules.PredikatOrganisasi.ISTIMEWA: "rating_org_istimewa",
    rules.PredikatOrganisasi.BAIK: "rating_org_baik",
    rules.PredikatOrganisasi.BUTUH_PERBAIKAN: "rating_org_butuh_perbaikan",
    rules.PredikatOrganisasi.KURANG: "rating_org_kurang",
    rules.PredikatOrganisasi.SANGAT_KURANG: "rating_org_sangat_kurang",
}
PEGAWAI_PAGE = 100
"""Rows of a unit's pegawai list per page on Predikat & Distribusi (the pager shows the rest; the Format Penetapan
holds every one)."""
OVERRIDE_OK = "Dipertahankan dengan alasan"
OVERRIDE_REVIEW = "Override perlu ditinjau ulang"


now = clock.utcnow


# --- rules from settings -------------------------------------------------------------------------------------


def rating_mapping(s: Session | None = None) -> dict[str, str]:
    return {org.value: settings.get(key, s) for org, key in RATING_SETTING.items()}


DISTRIBUTION_SETTINGS = ("distribusi_maks_sebagian_besar", "distribusi_min_dominan", "distribusi_min_pendamping",
                         "distribusi_maks_sangat_baik", "distribusi_terbanyak", "distribusi_min_pegawai")


def _prefetch_settings(s: Session | None, keys: tuple[str, ...]) -> None:
    """The settings rows of `keys` into the session in one query: settings.get(key, s) then finds each in the
    session's identity map instead of one query per key (held in s.info: the identity map references weakly)."""
    if s is not None:
        s.info.setdefault("ko_settings", []).extend(s.scalars(select(Setting).where(Setting.key.in_(keys))))


def distribution_rules(s: Session | None = None) -> rules.DistributionRules:
    """The distribution thresholds from settings distribusi_* (domain.md §2.12)."""
    _prefetch_settings(s, DISTRIBUTION_SETTINGS)
    g = lambda k: settings.get(k, s)  # noqa: E731
    maks, dominan, pendamping, sb = (g("distribusi_maks_sebagian_besar"), g("distribusi_min_dominan"),
                                     g("distribusi_min_pendamping"), g("distribusi_maks_sangat_baik"))
    try:
        return rules.DistributionRules(
            istimewa_sangat_baik_max=maks, baik_baik_max=maks, butuh_perbaikan_bp_min=dominan,
            butuh_perbaikan_sangat_baik_max=sb, kurang_kurang_min=dominan, kurang_bp_min=pendamping,
            kurang_sangat_baik_max=sb, sangat_kurang_sk_min=dominan, sangat_kurang_kurang_bp_min=pendamping,
            sebagian_besar_terbanyak=bool(g("distribusi_terbanyak")))
    except ValueError as e:
        raise ServiceError(f"Pengaturan kurva distribusi tidak valid: {e} Perbaiki di menu Pengaturan & Jadwal.") from e


def organisational_rating(s: Session, unit_id: int, period_id: int, nomor: int
                          ) -> tuple[PredikatOrganisasiKinerja | None, RatingKinerja | None]:
    """The unit's own organisational predikat for the period (nomor 0 = annual) and the Rating Hasil Kerja of the
    unit head mapped through settings rating_org_*; (None, None) when the unit has none (no inheritance)."""
    row = _row(s, unit_id, period_id, nomor)
    if row is None:
        return None, None
    rating = rules.rating_from_organisasi(row.predikat.value, rating_mapping(s))
    return PredikatOrganisasiKinerja(row.predikat.value), RatingKinerja(rating.value)


def organisational_ratings(s: Session, keys: set[tuple[int, int, int]]
                           ) -> dict[tuple[int, int, int], tuple[PredikatOrganisasiKinerja | None,
                                                                 RatingKinerja | None]]:
    """`organisational_rating` for many (unit_id, period_id, nomor) at once: one query for the rows and the
    settings read once (a queue of evaluations of many unit heads must not ask per head)."""
    out: dict[tuple[int, int, int], tuple[PredikatOrganisasiKinerja | None, RatingKinerja | None]] = \
        dict.fromkeys(keys, (None, None))
    if not keys:
        return out
    units = {k[0] for k in keys}
    period_ids = {k[1] for k in keys}
    nomors = {k[2] for k in keys}
    rows = s.execute(select(KinerjaOrganisasi.unit_id, KinerjaOrganisasi.period_id, KinerjaOrganisasi.nomor,
                            KinerjaOrganisasi.predikat)
                     .where(KinerjaOrganisasi.unit_id.in_(sorted(units)),
                            KinerjaOrganisasi.period_id.in_(sorted(period_ids)),
                            KinerjaOrganisasi.nomor.in_(sorted(nomors)))).all()
    found = [(tuple(r[:3]), r[3]) for r in rows if tuple(r[:3]) in keys]
    if found:
        mapping = rating_mapping(s)
        for key, pred in found:
            rating = rules.rating_from_organisasi(pred.value, mapping)
            out[key] = (PredikatOrganisasiKinerja(pred.value), RatingKinerja(rating.value))  # type: ignore[index]
    return out


# --- helpers ---------------------------------------------------------------------------------------------------


def _row(s: Session, unit_id: int, period_id: int, nomor: int) -> KinerjaOrganisasi | None:
    return s.scalar(select(KinerjaOrganisasi).where(KinerjaOrganisasi.unit_id == unit_id,
                                                    KinerjaOrganisasi.period_id == period_id,
                                                    KinerjaOrganisasi.nomor == nomor))


def _period(s: Session, period_id: int) -> Period:
    p = s.get(Period, period_id)
    if p is None:
        raise NotFound("Periode tidak ditemukan.")
    return p


def nomor_options(period) -> list[tuple[int, str]]:
    """[(0, 'Tahunan 2026'), (1, 'Triwulan I 2026'), ...] for a Period or PeriodInfo."""
    return [(0, f"Tahunan {period.tahun}")] + [(sp.nomor, sp.label) for sp in periods.subperiods(period)]


def _check_nomor(period: Period, nomor: int) -> str:
    labels = dict(nomor_options(period))
    if nomor not in labels:
        rhythm = getattr(period.periode_evaluasi, "value", period.periode_evaluasi)
        raise ValidationFailed([FieldError(None, "Periode", f"Sub-periode {nomor} tidak ada pada periode "
                                           f"{period.tahun} (evaluasi {rhythm}); gunakan 0 untuk tahunan.")])
    return labels[nomor]


_Tree = org_units.UnitTree[UnitKerja]


def _tree(s: Session) -> _Tree:
    return org_units.unit_tree(s.scalars(select(UnitKerja)))


def _led_units(s: Session, actor: Actor) -> set[int]:
    """Units the actor's pegawai heads (jabatan.pimpinan_unit; the jabatan's unit, else the pegawai's). Read once
    per session (the overview asks for every unit)."""
    if actor.pegawai_id is None:
        return set()
    cache = s.info.setdefault("ko_led_units", {})
    if actor.pegawai_id not in cache:
        cache[actor.pegawai_id] = _read_led_units(s, actor)
    return set(cache[actor.pegawai_id])


def _read_led_units(s: Session, actor: Actor) -> set[int]:
    peg = s.get(Pegawai, actor.pegawai_id)
    if peg is None or not peg.aktif or peg.jabatan_id is None:
        return set()
    jab = s.get(Jabatan, peg.jabatan_id)
    if jab is None or not jab.pimpinan_unit:
        return set()
    unit = jab.unit_id or peg.unit_id
    return {unit} if unit else set()


def _can_override(s: Session, actor: Actor, tree: _Tree, unit_id: int) -> bool:
    """Keep a distribution that violates the curve: the Kepala Satker (the pejabat who signs the Format
    Penetapan), Admin SDM on his behalf, or the leader of the unit above."""
    if actor.has(Role.KEPALA_SATKER, Role.ADMIN_SDM):
        return True
    parent = tree.units[unit_id].parent_id
    return parent is not None and parent in _led_units(s, actor)


def _is_root(tree: _Tree, unit_id: int) -> bool:
    return tree.units[unit_id].parent_id not in tree.units


def _leads_unit(s: Session, actor: Actor, tree: _Tree, unit_id: int) -> bool:
    """The actor heads this unit (the Kepala Satker heads the root unit)."""
    if unit_id in _led_units(s, actor):
        return True
    return _is_root(tree, unit_id) and actor.has(Role.KEPALA_SATKER)


def _can_set(s: Session, actor: Actor, tree: _Tree, unit_id: int) -> bool:
    """SE MenPANRB 3/2023: the organisational predikat is set by the leader of the organisation ABOVE, never by
    the unit's own leader. Below the root: the leader of the parent unit, the Kepala Satker (above every unit),
    or Admin SDM on their behalf. The satker's root unit has no leader above inside the satker: Admin SDM or the
    Perencana record it from the signed penetapan of the level above (with the document attached)."""
    if _leads_unit(s, actor, tree, unit_id):
        return False
    if _is_root(tree, unit_id):
        return actor.has(Role.ADMIN_SDM, Role.PERENCANA)
    if actor.has(Role.KEPALA_SATKER, Role.ADMIN_SDM):
        return True
    return tree.units[unit_id].parent_id in _led_units(s, actor)


def _is_leader_self(s: Session, actor: Actor, tree: _Tree, unit_id: int) -> bool:
    """Sets it in their own right (not Admin SDM on behalf, not a record of the penetapan of the level above)."""
    if _is_root(tree, unit_id):
        return False
    if actor.has(Role.KEPALA_SATKER):
        return True
    return tree.units[unit_id].parent_id in _led_units(s, actor)


def can_read(s: Session, actor: Actor) -> bool:
    return actor.has(*READ_ALL, *READ_UNITS) or bool(_led_units(s, actor))


def _require_read(s: Session, actor: Actor) -> None:
    if not can_read(s, actor):
        raise PermissionDenied("Hanya pimpinan, pejabat penilai, perencana, dan Admin SDM yang dapat melihat "
                               "predikat kinerja organisasi dan distribusi predikat pegawai.")


def _require_set(s: Session, actor: Actor, tree: _Tree, unit_id: int, what: str) -> None:
    if _can_set(s, actor, tree, unit_id):
        return
    unit = tree.units[unit_id]
    if _leads_unit(s, actor, tree, unit_id):
        raise PermissionDenied(f"Anda tidak dapat {what} untuk unit yang Anda pimpin sendiri ({unit.nama}): "
                               "predikat kinerja organisasi ditetapkan oleh pimpinan organisasi di atasnya "
                               "(SE MenPANRB Nomor 3 Tahun 2023).")
    if _is_root(tree, unit_id):
        raise PermissionDenied(f"Predikat kinerja organisasi {unit.nama} ditetapkan oleh pimpinan organisasi di "
                               "atas satuan kerja; di aplikasi ini dicatat oleh Admin SDM atau Perencana dari "
                               "dokumen penetapan yang ditandatangani.")
    raise PermissionDenied(f"Anda tidak berwenang {what} untuk {unit.nama}: hanya pimpinan unit di atasnya "
                           f"({tree.units[unit.parent_id].nama}) atau Kepala Satuan Kerja (atau Admin SDM atas "  # type: ignore[index]
                           "nama beliau).")


def _require_override(s: Session, actor: Actor, tree: _Tree, unit_id: int) -> None:
    if not _can_override(s, actor, tree, unit_id):
        unit = tree.units[unit_id]
        raise PermissionDenied(f"Anda tidak berwenang mempertahankan distribusi predikat untuk {unit.nama}: hanya "
                               "Kepala Satuan Kerja, pimpinan unit di atasnya, atau Admin SDM atas nama beliau.")


def _unit(tree: _Tree, unit_id: int) -> UnitKerja:
    if unit_id not in tree.units:
        raise NotFound("Unit kerja tidak ditemukan.")
    return tree.units[unit_id]


def _full_name(nama: str, depan: str | None, belakang: str | None) -> str:
    """Pegawai.nama_lengkap from the columns (no ORM object per row)."""
    name = f"{depan.strip()} {nama.strip()}" if depan else nama.strip()
    return f"{name}, {belakang.strip()}" if belakang else name


def _last_evaluations(period_id: int, nomor: int, names: Any = None):
    """Subquery: every evaluation of the period and slot with `rn` = 1 on each pegawai's last SKP segment's (the
    row the Python reference kept, tests/evaluasi_org_reference.py; row_number() over the pegawai's evaluations,
    no query per row) and `unit_id` the SKP snapshot's unit, else the pegawai's. With `names` (the sort
    expression of the full name) also the pegawai's name columns, NIP and jabatan name: the joins are planned
    on the whole slot, before the filter on `rn` whose row estimate is poor."""
    jenis = JenisEvaluasi.TAHUNAN if nomor == 0 else JenisEvaluasi.PERIODIK
    rn = func.row_number().over(partition_by=Evaluasi.pegawai_id,
                                order_by=(Skp.segment_no.desc(), Evaluasi.id.desc()))
    jabatan_id = func.coalesce(Skp.jabatan_id, Pegawai.jabatan_id)
    cols: list[Any] = [Evaluasi.id.label("evaluasi_id"), Evaluasi.pegawai_id.label("pegawai_id"),
                       func.coalesce(Skp.unit_id, Pegawai.unit_id).label("unit_id"),
                       Evaluasi.predikat.label("predikat"), Evaluasi.status.label("status"),
                       Evaluasi.pejabat_penilai_id.label("penilai_id"),
                       Evaluasi.atasan_penilai_id.label("atasan_id"), rn.label("rn")]
    q = (select().join_from(Evaluasi, Skp, Skp.id == Evaluasi.skp_id)
         .join(Pegawai, Pegawai.id == Evaluasi.pegawai_id)
         .where(Evaluasi.period_id == period_id, Evaluasi.jenis == jenis, Evaluasi.nomor == nomor))
    if names is not None:
        cols += [Pegawai.nama.label("nama"), Pegawai.gelar_depan.label("gelar_depan"),
                 Pegawai.gelar_belakang.label("gelar_belakang"), Pegawai.nip.label("nip"),
                 Jabatan.nama.label("jabatan"), names.label("urut_nama")]
        q = q.outerjoin(Jabatan, Jabatan.id == jabatan_id)
    return q.add_columns(*cols).subquery("last_ev")


def _unit_counts(s: Session, period_id: int, nomor: int, units: set[int] | None = None
                 ) -> dict[int | None, tuple[int, dict[str, int]]]:
    """Per unit of the pegawai's last segment: (evaluations, rated counts per predikat) of the last segments,
    aggregated in SQL (one row per unit, predikat and status)."""
    ev = _last_evaluations(period_id, nomor)
    q = (select(ev.c.unit_id, ev.c.predikat, ev.c.status, func.count())
         .where(ev.c.rn == 1).group_by(ev.c.unit_id, ev.c.predikat, ev.c.status))
    if units is not None:
        q = q.where(ev.c.unit_id.in_(sorted(units)))
    out: dict[int | None, tuple[int, dict[str, int]]] = {}
    for uid, pred, status, n in s.execute(q).all():
        total, counts = out.get(uid) or (0, dict.fromkeys(PREDIKAT_LABELS, 0))
        if status in RATED and pred is not None and pred.value in counts:
            counts[pred.value] += n
        out[uid] = (total + n, counts)
    return out


def _sum_counts(per_unit: dict[int | None, tuple[int, dict[str, int]]], units: set[int]
                ) -> tuple[int, dict[str, int]]:
    total, counts = 0, dict.fromkeys(PREDIKAT_LABELS, 0)
    for uid in units:
        if uid in per_unit:
            n, c = per_unit[uid]
            total += n
            for k, v in c.items():
                counts[k] += v
    return total, counts


def _people_query(s: Session, actor: Actor, period_id: int, nomor: int, units: set[int], all_names: bool):
    """(select of the visible pegawai rows of `distribution` in its order, count of the visible rows) for the
    unit subtree `units`."""
    full: Any = func.trim(Pegawai.nama)
    full = case((func.coalesce(Pegawai.gelar_depan, "") != "", func.trim(Pegawai.gelar_depan) + " " + full),
                else_=full)
    full = case((func.coalesce(Pegawai.gelar_belakang, "") != "", full + ", " + func.trim(Pegawai.gelar_belakang)),
                else_=full)
    ev = _last_evaluations(period_id, nomor, names=full)
    seen = [ev.c.rn == 1, ev.c.unit_id.in_(sorted(units))]
    if not all_names:
        me = actor.pegawai_id
        seen.append(or_(ev.c.penilai_id == me, ev.c.atasan_id == me) if me is not None else false())
    visible_count = select(func.count()).select_from(ev).where(*seen)
    order: Any = ev.c.urut_nama
    if s.get_bind().dialect.name == "postgresql":  # code point order, as Python sorts (SQLite: BINARY already)
        order = order.collate("C")
    rows = (select(ev.c.pegawai_id, ev.c.nama, ev.c.gelar_depan, ev.c.gelar_belakang, ev.c.nip, ev.c.unit_id,
                   ev.c.jabatan, ev.c.predikat, ev.c.status)
            .where(*seen).order_by(order, ev.c.pegawai_id))
    return rows, visible_count


def _people_frame(tree: _Tree, rows) -> pd.DataFrame:
    return pd.DataFrame(
        [{"nama": _full_name(nama, depan, belakang), "nip": nip,
          "unit": tree.units[uid].nama if uid in tree.units else None, "jabatan": jab,
          "predikat": pred.value if pred is not None and status in RATED else None,
          "status": STATUS_LABEL[status]}
         for _pid, nama, depan, belakang, nip, uid, jab, pred, status in rows],
        columns=["nama", "nip", "unit", "jabatan", "predikat", "status"])


def _check(pred: str | None, counts: dict[str, int], thresholds) -> list[str]:
    if pred is None:
        return []
    return rules.check_distribution(pred, counts, thresholds)


def _violations(pred: str | None, counts: dict[str, int], thresholds, min_pegawai: int = 1) -> list[str]:
    """Enforced violations: none for a unit with fewer rated pegawai than the setting distribusi_min_pegawai
    (there the curve is advisory, see `_advice`)."""
    if sum(counts.values()) < min_pegawai:
        return []
    return _check(pred, counts, thresholds)


def _advice(pred: str | None, counts: dict[str, int], thresholds, min_pegawai: int) -> list[str]:
    """Curve deviations shown as advice only (small unit: SE MenPANRB 3/2023 gives no rounding rule)."""
    total = sum(counts.values())
    if not total or total >= min_pegawai:
        return []
    return _check(pred, counts, thresholds)


def min_pegawai(s: Session | None = None) -> int:
    return int(settings.get("distribusi_min_pegawai", s))


def override_status(row: KinerjaOrganisasi | None, violations: list[str]) -> str | None:
    """None without override; OVERRIDE_OK when the stored violations are still the current ones; otherwise
    OVERRIDE_REVIEW (the counts or the predikat changed after the justification was written)."""
    if row is None or not row.override_alasan:
        return None
    return OVERRIDE_OK if sorted(row.override_pelanggaran or []) == sorted(violations) else OVERRIDE_REVIEW


def _may_see_names(s: Session, actor: Actor, tree: _Tree, unit_id: int) -> bool:
    if actor.has(*READ_ALL):
        return True
    led = _led_units(s, actor)
    return bool(led & ({unit_id} | set(tree.ancestors(unit_id))))


# --- overview and distribution ---------------------------------------------------------------------------------


def units_overview(actor: Actor, period_id: int, nomor: int = 0) -> pd.DataFrame:
    """Per unit (tree order, `level` for indentation): organisational predikat, evaluations, rated counts per
    predikat over the unit's subtree, distribution violations and the override status."""
    with read_session() as s:
        _require_read(s, actor)
        period = _period(s, period_id)
        _check_nomor(period, nomor)
        tree = _tree(s)
        thresholds = distribution_rules(s)
        minimum = min_pegawai(s)
        per_unit = _unit_counts(s, period_id, nomor)
        rows_ko = {k.unit_id: k for k in s.scalars(select(KinerjaOrganisasi).where(
            KinerjaOrganisasi.period_id == period_id, KinerjaOrganisasi.nomor == nomor))}
        data = []
        for uid in tree.order:
            u = tree.units[uid]
            if not u.aktif and uid not in rows_ko:
                continue
            jumlah, counts = _sum_counts(per_unit, tree.subtree(uid))
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
                "jumlah_evaluasi": jumlah, "jumlah_dinilai": sum(counts.values()), **counts,
                "pelanggaran": len(viol), "distribusi": check, "override": ov,
                "boleh_menetapkan": _can_set(s, actor, tree, uid),
            })
    cols = ["unit_id", "kode", "unit", "level", "unit_label", "predikat_organisasi", "ditetapkan_oleh",
            "jumlah_evaluasi", "jumlah_dinilai", *PREDIKAT_LABELS, "pelanggaran", "distribusi", "override",
            "boleh_menetapkan"]
    return pd.DataFrame(data, columns=cols)


@dataclass(frozen=True)
class DistribusiView:
    unit_id: int
    unit_kode: str
    unit_nama: str
    period_id: int
    tahun: int
    nomor: int
    periode_label: str
    predikat_organisasi: str | None
    catatan: str | None
    ditetapkan_oleh: str | None
    ditetapkan_at: dt.datetime | None
    version: int | None
    counts: dict[str, int]  # PREDIKAT_LABELS order, rated evaluations only
    total: int
    jumlah_evaluasi: int
    shares: dict[str, Decimal]  # percent, 2 decimals
    allowed: dict[str, tuple[Decimal, Decimal]]  # empty without an organisational predikat
    violations: list[str]
    override_alasan: str | None
    override_pelanggaran: list[str]
    override_by: str | None
    override_at: dt.datetime | None
    override_status: str | None
    pegawai: pd.DataFrame = field(repr=False)  # nama, nip, unit, jabatan, predikat, status
    nama_disembunyikan: bool = False
    can_set: bool = False
    can_override: bool = False
    saran: list[str] = field(default_factory=list)  # curve deviations of a small unit: advice, not enforced
    min_pegawai: int = 1
    root: bool = False  # the satker's root unit: recorded from the signed penetapan of the level above
    nomor_penetapan: str | None = None
    dokumen_nama: str | None = None
    jumlah_terlihat: int = 0  # rows of `pegawai` over every page (the names the actor may see)


def distribution(actor: Actor, unit_id: int, period_id: int, nomor: int = 0, *, people_offset: int = 0,
                 people_limit: int | None = None) -> DistribusiView:
    """The unit's distribution (counts over its subtree, aggregated in SQL) and the pegawai the actor may see by
    name, ordered by name: every one, or with `people_limit` one page of them (`jumlah_terlihat` = all)."""
    with read_session() as s:
        _require_read(s, actor)
        period = _period(s, period_id)
        label = _check_nomor(period, nomor)
        tree = _tree(s)
        unit = _unit(tree, unit_id)
        thresholds = distribution_rules(s)
        sub = tree.subtree(unit_id)
        jumlah, counts = _sum_counts(_unit_counts(s, period_id, nomor, sub), sub)
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
        q, visible_count = _people_query(s, actor, period_id, nomor, sub, all_names)
        terlihat = jumlah if all_names else int(s.scalar(visible_count) or 0)
        if people_limit is not None:
            q = q.offset(max(people_offset, 0)).limit(max(people_limit, 0))
        people = _people_frame(tree, s.execute(q).all() if people_limit != 0 else [])
        can_set = _can_set(s, actor, tree, unit_id)
        can_override = _can_override(s, actor, tree, unit_id)
        return DistribusiView(
            unit_id=unit_id, unit_kode=unit.kode, unit_nama=unit.nama, period_id=period_id, tahun=period.tahun,
            nomor=nomor, periode_label=label, predikat_organisasi=pred, catatan=ko.catatan if ko else None,
            ditetapkan_oleh=ko.ditetapkan_by_username if ko else None, ditetapkan_at=ko.ditetapkan_at if ko else None,
            version=ko.version if ko else None, counts=counts, total=total, jumlah_evaluasi=jumlah, shares=shares,
            allowed=allowed, violations=viol, override_alasan=ko.override_alasan if ko else None,
            override_pelanggaran=list(ko.override_pelanggaran or []) if ko else [],
            override_by=ko.override_by_username if ko else None, override_at=ko.override_at if ko else None,
            override_status=override_status(ko, viol), pegawai=people, nama_disembunyikan=terlihat < jumlah,
            can_set=can_set, can_override=can_override and bool(viol), saran=saran, min_pegawai=minimum,
            root=_is_root(tree, unit_id), nomor_penetapan=ko.nomor_penetapan if ko else None,
            dokumen_nama=ko.dokumen_nama if ko else None, jumlah_terlihat=terlihat)


def distribution_people(actor: Actor, unit_id: int, period_id: int, nomor: int = 0, offset: int = 0,
                        limit: int = 100) -> pd.DataFrame:
    """One page (LIMIT/OFFSET in SQL) of `distribution(...).pegawai`: the pegawai of the unit's subtree the actor
    may see by name, ordered by name; the total is `DistribusiView.jumlah_terlihat`."""
    with read_session() as s:
        _require_read(s, actor)
        period = _period(s, period_id)
        _check_nomor(period, nomor)
        tree = _tree(s)
        _unit(tree, unit_id)
        q, _visible = _people_query(s, actor, period_id, nomor, tree.subtree(unit_id),
                                    _may_see_names(s, actor, tree, unit_id))
        return _people_frame(tree, s.execute(q.offset(max(offset, 0)).limit(max(limit, 0))).all())


def calibration_chart_data(view: DistribusiView) -> pd.DataFrame:
    """Per predikat in the Lampiran curve order (Sangat Kurang → Sangat Baik): the actual share and the allowed
    band (NaN without an organisational predikat), all in percent (float, for the chart)."""
    rows = []
    for i, label in enumerate(CURVE_ORDER):
        band = view.allowed.get(label)
        rows.append({"predikat": label, "urutan": i, "jumlah": view.counts.get(label, 0),
                     "aktual": float(view.shares.get(label, 0)),
                     "min": float(band[0]) if band else float("nan"), "maks": float(band[1]) if band else float("nan")})
    return pd.DataFrame(rows, columns=["predikat", "urutan", "jumlah", "aktual", "min", "maks"])


_SAFE_NAME = re.compile(r"[^A-Za-z0-9._ -]+")


def _safe_name(filename: str | None, default: str) -> str:
    name = _SAFE_NAME.sub("_", (filename or "").strip().rsplit("/", 1)[-1].rsplit("\\", 1)[-1])[:150] or default
    return name if name.lower().endswith(".pdf") else name + ".pdf"


def penetapan_document(actor: Actor, unit_id: int, period_id: int, nomor: int) -> tuple[str, bytes]:
    """The attached signed penetapan (filename, PDF bytes) of the unit's organisational predikat."""
    with read_session() as s:
        _require_read(s, actor)
        row = _row(s, unit_id, period_id, nomor)
        if row is None or not row.dokumen_sha256:
            raise NotFound("Dokumen penetapan tidak ada.")
        return row.dokumen_nama or "penetapan.pdf", bytes(row.dokumen_isi or b"")


# --- writes ------------------------------------------------------------------------------------------------------


def _writable_period(period: Period) -> None:
    if period.status == StatusPeriode.DITUTUP:
        raise ServiceError(f"Periode {period.tahun} sudah ditutup; buka kembali periode untuk mengubah predikat "
                           "kinerja organisasi.")


def set_predikat_organisasi(actor: Actor, unit_id: int, period_id: int, nomor: int, predikat: str,
                            catatan: str | None = None, expected_version: int | None = None, *,
                            nomor_penetapan: str | None = None, dokumen: tuple[str, bytes] | None = None) -> int:
    """Set (or change) the unit's organisational predikat for the period; returns the row id. Audited as
    "tetapkan_predikat_organisasi" (Admin SDM recording on behalf gets an extra audit note).

    For the satker's root unit (Admin SDM / Perencana only) the signed penetapan of the level above is required:
    `nomor_penetapan` and `dokumen` = (filename, PDF bytes); a later change may keep the stored document only
    when it gives no new one."""
    errors: list[FieldError] = []
    nomor_penetapan = (nomor_penetapan or "").strip() or None
    if nomor_penetapan and len(nomor_penetapan) > 120:
        errors.append(FieldError(None, "Nomor penetapan", "paling banyak 120 karakter."))
    doc_name: str | None = None
    if dokumen is not None:
        doc_name, doc_data = dokumen
        max_mb = settings.get("unggah_maks_mb")
        if not doc_data:
            errors.append(FieldError(None, "Dokumen penetapan", "berkas kosong."))
        elif len(doc_data) > max_mb * 1024 * 1024:
            errors.append(FieldError(None, "Dokumen penetapan", f"ukuran melebihi batas {max_mb} MB."))
        elif not doc_data.startswith(b"%PDF-"):
            errors.append(FieldError(None, "Dokumen penetapan", "bukan berkas PDF (hanya PDF yang diterima)."))
        doc_name = _safe_name(doc_name, "penetapan.pdf")
    try:
        pred = PredikatOrganisasiKinerja(rules.parse_predikat_organisasi(predikat).value)
    except (ValueError, TypeError):
        errors.append(FieldError(None, "Predikat organisasi", f"'{predikat}' tidak dikenal (Istimewa, Baik, Butuh "
                                 "Perbaikan, Kurang, Sangat Kurang)."))
    catatan = (catatan or "").strip() or None
    if catatan and len(catatan) > MAX_TEKS:
        errors.append(FieldError(None, "Catatan", f"paling banyak {MAX_TEKS} karakter."))
    try:
        with unit_of_work(actor, action="tetapkan_predikat_organisasi") as s:
            tree = _tree(s)
            _unit(tree, unit_id)
            _require_set(s, actor, tree, unit_id, "menetapkan predikat kinerja organisasi")
            period = _period(s, period_id)
            _check_nomor(period, nomor)
            if errors:
                raise ValidationFailed(errors)
            _writable_period(period)
            row = _row(s, unit_id, period_id, nomor)
            if row is not None and expected_version is not None and row.version != expected_version:
                raise Conflict("Predikat organisasi unit ini telah diubah orang lain sejak Anda membukanya. Muat "
                               "ulang halaman lalu ulangi.")
            if _is_root(tree, unit_id):
                missing = []
                if not nomor_penetapan and not (row is not None and row.nomor_penetapan):
                    missing.append(FieldError(None, "Nomor penetapan", "wajib diisi untuk unit induk satuan kerja "
                                              "(nomor surat penetapan dari pimpinan di atasnya)."))
                if dokumen is None and not (row is not None and row.dokumen_sha256):
                    missing.append(FieldError(None, "Dokumen penetapan", "lampirkan PDF penetapan bertanda tangan "
                                              "dari pimpinan di atas satuan kerja."))
                if missing:
                    raise ValidationFailed(missing)
            if row is None:
                row = KinerjaOrganisasi(unit_id=unit_id, period_id=period_id, nomor=nomor, predikat=pred)
                s.add(row)
            row.predikat = pred
            if nomor_penetapan:
                row.nomor_penetapan = nomor_penetapan
            if dokumen is not None:
                row.dokumen_nama, row.dokumen_isi = doc_name, doc_data
                row.dokumen_size, row.dokumen_sha256 = len(doc_data), hashlib.sha256(doc_data).hexdigest()
            row.catatan = catatan
            row.ditetapkan_by_username = actor.username
            row.ditetapkan_at = now()
            s.flush()
            if not _is_leader_self(s, actor, tree, unit_id):
                note = ("Dicatat dari penetapan pimpinan di atas satuan kerja" if _is_root(tree, unit_id)
                        else "Dicatat Admin SDM atas nama pimpinan unit di atasnya / Kepala Satuan Kerja")
                audit.record(s, actor, "tetapkan_predikat_organisasi", "KinerjaOrganisasi", row.id, note=note)
            return row.id
    except IntegrityError:
        raise Conflict("Predikat organisasi unit ini baru saja ditetapkan orang lain. Muat ulang halaman.") from None


def override_distribution(actor: Actor, unit_id: int, period_id: int, nomor: int, alasan: str,
                          expected_version: int | None = None) -> None:
    """Keep a distribution that violates the curve, with a written justification (≥ 20 characters). Refused
    without an organisational predikat or when nothing is violated. Audited as "override_distribusi"."""
    alasan = (alasan or "").strip()
    with unit_of_work(actor, action="override_distribusi") as s:
        tree = _tree(s)
        unit = _unit(tree, unit_id)
        _require_override(s, actor, tree, unit_id)
        period = _period(s, period_id)
        _check_nomor(period, nomor)
        _writable_period(period)
        row = _row(s, unit_id, period_id, nomor)
        if row is None:
            raise ServiceError(f"Predikat kinerja organisasi {unit.nama} belum ditetapkan: tetapkan dahulu, lalu "
                               "periksa distribusinya.")
        if expected_version is not None and row.version != expected_version:
            raise Conflict("Predikat organisasi unit ini telah diubah orang lain sejak Anda membukanya. Muat ulang "
                           "halaman lalu ulangi.")
        sub = tree.subtree(unit_id)
        counts = _sum_counts(_unit_counts(s, period_id, nomor, sub), sub)[1]
        viol = _violations(row.predikat.value, counts, distribution_rules(s), min_pegawai(s))
        if not viol:
            raise ServiceError("Distribusi predikat pegawai sudah sesuai kurva: tidak ada yang perlu dipertahankan "
                               "dengan alasan.")
        if len(alasan) < MIN_ALASAN:
            raise ValidationFailed([FieldError(None, "Alasan", f"tuliskan alasan paling sedikit {MIN_ALASAN} "
                                               f"karakter (saat ini {len(alasan)}).")])
        if len(alasan) > MAX_TEKS:
            raise ValidationFailed([FieldError(None, "Alasan", f"paling banyak {MAX_TEKS} karakter.")])
        row.override_alasan = alasan
        row.override_pelanggaran = list(viol)
        row.override_by_username = actor.username
        row.override_at = now()


# --- annual result ---------------------------------------------------------------------------------------------


def _short(period: Period, nomor: int) -> str:
    rhythm = getattr(period.periode_evaluasi, "value", period.periode_evaluasi)
    if rhythm == "Triwulanan":
        return f"T{nomor}"
    return fmt.bulan(nomor)[:3]


def annual_final(actor: Actor, period_id: int, unit_id: int | None = None) -> pd.DataFrame:
    """Final predikat per pegawai for the year: the annual (Tahunan) evaluation of the pegawai's last SKP segment
    of the year, with the periodic predikat per sub-period (columns T1..T4 or Jan..Des) for context. Pegawai
    whose names the actor may not see (see module doc) are left out. Every row (the downloads); the page reads
    one page with `annual_final_page`."""
    with read_session() as s:
        _require_read(s, actor)
        period = _period(s, period_id)
        tree = _tree(s)
        scope = tree.subtree(_unit(tree, unit_id).id) if unit_id is not None else None
        data = _final_rows(s, actor, period, tree, scope, None)
        cols = _final_columns(period)
    return pd.DataFrame(sorted(data, key=lambda r: (r["unit"] or "", r["nama"])), columns=cols)


def annual_final_page(actor: Actor, period_id: int, unit_id: int | None = None, offset: int = 0,
                      limit: int = 100, total: int | None = None) -> tuple[int, pd.DataFrame]:
    """(total, one page) of `annual_final`, read in SQL: the unit filter, who may see whom and the order (unit
    name, then full name, then id; byte order on both databases) in the query, count(*) for the total (unless
    the caller passes the `total` annual_final_count gave it), and the evaluations only of the page's pegawai.
    Cost bounded by the page (and, for a reviewer, the people reviewed)."""
    with read_session() as s:
        period, tree, scope, q, order = _final_query(s, actor, period_id, unit_id)
        if total is None:
            total = s.scalar(select(func.count()).select_from(q.subquery())) or 0
        ids = list(s.scalars(q.order_by(*order).offset(max(offset, 0)).limit(max(limit, 0))))
        rows = {r["pegawai_id"]: r for r in _final_rows(s, actor, period, tree, scope, ids)} if ids else {}
        cols = _final_columns(period)
    return total, pd.DataFrame([rows[i] for i in ids if i in rows], columns=cols)


def annual_final_count(actor: Actor, period_id: int, unit_id: int | None = None) -> int:
    """How many rows `annual_final` has (count(*) in SQL), for the pager before a page is read."""
    with read_session() as s:
        q = _final_query(s, actor, period_id, unit_id)[3]
        return s.scalar(select(func.count()).select_from(q.subquery())) or 0


def _final_query(s, actor: Actor, period_id: int, unit_id: int | None):
    """The read check, then (period, unit tree, unit scope, query of the visible pegawai ids, its order)."""
    _require_read(s, actor)
    period = _period(s, period_id)
    tree = _tree(s)
    scope = tree.subtree(_unit(tree, unit_id).id) if unit_id is not None else None
    q, order = _final_select(s, actor, period, tree, scope)
    return period, tree, scope, q, order


def _final_columns(period: Period) -> list[str]:
    return ["pegawai_id", "nama", "nip", "unit", "jabatan", "predikat_tahunan", "status",
            *(_short(period, sp.nomor) for sp in periods.subperiods(period))]


def _final_select(s: Session, actor: Actor, period: Period, tree: _Tree, scope: set[int] | None):
    """select(pegawai_id) of the rows of `annual_final` (last segment per pegawai, unit filter, visibility) and
    its ORDER BY."""
    later = aliased(Skp)
    unit_col = func.coalesce(Skp.unit_id, Pegawai.unit_id)
    q = (select(Skp.pegawai_id).join(Pegawai, Pegawai.id == Skp.pegawai_id)
         .outerjoin(UnitKerja, UnitKerja.id == unit_col)
         .where(Skp.period_id == period.id,
                ~exists().where(later.pegawai_id == Skp.pegawai_id, later.period_id == period.id,
                                later.segment_no > Skp.segment_no)))
    if scope is not None:
        q = q.where(unit_col.in_(sorted(scope)))
    if not actor.has(*READ_ALL):
        led = set().union(*(tree.subtree(u) for u in _led_units(s, actor)))
        ids = sorted(actor.reviewer_ids)
        candidates = list(s.scalars(select(Evaluasi.pegawai_id).where(
            Evaluasi.period_id == period.id,
            or_(Evaluasi.pejabat_penilai_id.in_(ids), Evaluasi.atasan_penilai_id.in_(ids))).distinct())) \
            if ids else []
        # the exact rule of `_final_rows` for the people the actor reviews (bounded by them)
        reviewed = [r["pegawai_id"] for r in _final_rows(s, actor, period, tree, scope, candidates, led=set())] \
            if candidates else []
        conds = []
        if led:
            conds.append(unit_col.in_(sorted(led)))
        if reviewed:
            conds.append(Skp.pegawai_id.in_(reviewed))
        q = q.where(or_(*conds) if conds else false())

    def trimmed(col):
        return func.trim(col)

    full: Any = trimmed(Pegawai.nama)
    full = case((func.coalesce(Pegawai.gelar_depan, "") != "", trimmed(Pegawai.gelar_depan) + " " + full),
                else_=full)
    full = case((func.coalesce(Pegawai.gelar_belakang, "") != "", full + ", " + trimmed(Pegawai.gelar_belakang)),
                else_=full)
    unit_name: Any = func.coalesce(UnitKerja.nama, "")
    if s.get_bind().dialect.name == "postgresql":  # code point order, as Python sorts (SQLite: BINARY already)
        unit_name, full = unit_name.collate("C"), full.collate("C")
    return q, (unit_name, full, Skp.pegawai_id)


def _final_rows(s: Session, actor: Actor, period: Period, tree: _Tree, scope: set[int] | None,
                only: list[int] | None, led: set[int] | None = None) -> list[dict[str, Any]]:
    """The rows of `annual_final` (unsorted), of every pegawai or of those in `only`."""
    period_id = period.id
    subs = periods.subperiods(period)
    # columns only (no ORM objects): the last SKP segment per pegawai, then the evaluations of the year
    skps: dict[int, tuple] = {}
    q = (select(Skp.pegawai_id, Skp.id, func.coalesce(Skp.unit_id, Pegawai.unit_id),
                func.coalesce(Skp.jabatan_id, Pegawai.jabatan_id), Pegawai.nama,
                Pegawai.gelar_depan, Pegawai.gelar_belakang, Pegawai.nip)
         .join(Pegawai, Pegawai.id == Skp.pegawai_id)
         .where(Skp.period_id == period_id).order_by(Skp.pegawai_id, Skp.segment_no))
    evq = (select(Evaluasi.pegawai_id, Evaluasi.skp_id, Evaluasi.jenis, Evaluasi.nomor,
                  Evaluasi.predikat, Evaluasi.status, Evaluasi.pejabat_penilai_id,
                  Evaluasi.atasan_penilai_id)
           .join(Skp, Skp.id == Evaluasi.skp_id)
           .where(Evaluasi.period_id == period_id).order_by(Skp.segment_no))
    if only is not None:
        q = q.where(Skp.pegawai_id.in_(only))
        evq = evq.where(Evaluasi.pegawai_id.in_(only))
    for seg in s.execute(q):
        skps[seg[0]] = tuple(seg)
    evs = s.execute(evq).all()
    annual: dict[int, tuple] = {}
    periodic: dict[tuple[int, int], tuple] = {}
    for item in evs:
        if item[2] == JenisEvaluasi.TAHUNAN:
            if item[0] in skps and item[1] == skps[item[0]][1]:
                annual[item[0]] = tuple(item)
        else:
            periodic[(item[0], item[3])] = tuple(item)  # later segment wins
    jab_ids = {seg[3] for seg in skps.values()} - {None}
    jabs = dict(s.execute(select(Jabatan.id, Jabatan.nama).where(Jabatan.id.in_(jab_ids))).tuples().all()) \
        if jab_ids else {}
    see_all = actor.has(*READ_ALL)
    if led is None:
        led = set().union(*(tree.subtree(u) for u in _led_units(s, actor))) if not see_all else set()
    shorts = [(sp.nomor, _short(period, sp.nomor)) for sp in subs]

    def rated(e: tuple | None) -> str | None:
        return e[4].value if e is not None and e[5] in RATED and e[4] else None

    data = []
    for pid, (_p, _skp_id, uid, jab, nama, depan, belakang, nip) in skps.items():
        if scope is not None and uid not in scope:
            continue
        ev = annual.get(pid)
        if not see_all and uid not in led and not any(
                e is not None and (actor.reviews_as(e[6]) or actor.reviews_as(e[7]))
                for e in [ev, *(periodic.get((pid, n)) for n, _ in shorts)]):
            continue
        row: dict[str, Any] = {"pegawai_id": pid, "nama": _full_name(nama, depan, belakang), "nip": nip,
                               "unit": tree.units[uid].nama if uid in tree.units else None,
                               "jabatan": jabs.get(jab),
                               "predikat_tahunan": rated(ev),
                               "status": STATUS_LABEL[ev[5]] if ev is not None else "Belum dibuat"}
        for n, short in shorts:
            row[short] = rated(periodic.get((pid, n)))
        data.append(row)
    return data


def default_nomor(actor: Actor, period_id: int, today: dt.date | None = None) -> int:
    """The evaluation a leader most likely wants to see first: the annual one once any annual evaluation is
    rated; else the latest sub-period where (nearly) all evaluations are rated (≥ 80 %), else the latest
    sub-period with any rated evaluation; else 0 (annual)."""
    with read_session() as s:
        _require_read(s, actor)
        rows = s.execute(select(Evaluasi.jenis, Evaluasi.nomor, Evaluasi.status, func.count())
                         .where(Evaluasi.period_id == period_id)
                         .group_by(Evaluasi.jenis, Evaluasi.nomor, Evaluasi.status)).all()
    if any(j == JenisEvaluasi.TAHUNAN and st in RATED for j, _n, st, _c in rows):
        return 0
    total: dict[int, int] = defaultdict(int)
    rated: dict[int, int] = defaultdict(int)
    for j, n, st, c in rows:
        if j == JenisEvaluasi.PERIODIK:
            total[n] += c
            rated[n] += c if st in RATED else 0
    mostly = [n for n in total if rated[n] * 5 >= total[n] * 4]
    if mostly:
        return max(mostly)
    return max((n for n in rated if rated[n]), default=0)
