"""Reviewer side of the evaluasi kinerja (SOP 000 steps 4–7; domain.md §2.9–2.12, §8 rules 1, 2, 8, 9).

- Pemberi pertimbangan (Ketua Tim): `give_pertimbangan` — a note and suggested ratings while DIAJUKAN.
- Pejabat penilai: `save_feedback` (umpan balik per RHK, per BerAKHLAK value, per rencana aksi; rekomendasi),
  `rate` / `rate_many` (bulk rating grid, all-or-nothing), `return_to_pegawai` (realisasi back to DRAFT).
- Atasan pejabat penilai: `approve` / `approve_many` (DINILAI → DISETUJUI, locked; angka kredit recorded in the
  same transaction), `return_to_penilai` (→ DIKEMBALIKAN), `reopen` (DISETUJUI → DINILAI with a reason).

Rules: ratings need every umpan balik (§8 rule 8); predikat from the 3×3 matrix (services.rules); a unit head's
Rating Hasil Kerja is the unit's organisational predikat mapped by the settings (§2.11, §8 rule 2); with the
setting `pertimbangan_wajib` the penilai waits for the pemberi pertimbangan. Admin SDM stands in for a missing
penilai / atasan (head of office). Every action is one transaction (services.uow) audited with its label.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

import domain as rules
from db.engine import read_session
from db.models import (
    Evaluasi,
    Jabatan,
    JenisEvaluasi,
    Pegawai,
    Period,
    PredikatKinerja,
    RatingKinerja,
    Skp,
    StatusEvaluasi,
    UnitKerja,
)
from services.core import clock, fmt, settings
from services.core.actor import Actor
from services.core.errors import FieldError, NotFound, PermissionDenied, ValidationFailed
from services.core.uow import unit_of_work
from services.evaluasi import common as ec
from services.evaluasi.common import EvaluasiLocked, EvaluasiStatusError

S = StatusEvaluasi
ROLES = ("penilai", "pertimbangan", "atasan")
RATINGS = tuple(r.value for r in RatingKinerja)
DARI_ORGANISASI = "(dari kinerja organisasi)"
"""Shown in the bulk grid's Rating Hasil Kerja cell of a unit head whose organisational predikat is not set."""
RATEABLE = (S.DIAJUKAN, S.DINILAI, S.DIKEMBALIKAN)
ALASAN_MIN = 10
WAJIB_UMPAN_BALIK = "umpan balik wajib diisi sebelum rating disimpan"

QUEUE_COLUMNS = ["evaluasi_id", "version", "pegawai_id", "pegawai", "nip", "jabatan", "periode", "status",
                 "status_kode", "capaian_rata", "capaian_ringkas", "pertimbangan", "rating_hasil_kerja",
                 "rating_perilaku_kerja", "predikat", "rekomendasi", "feedback_lengkap", "pimpinan_unit",
                 "rating_hasil_tetap", "penilai", "catatan_atasan", "alasan_buka_kembali", "batas", "terlambat"]
"""Columns of `queue`: `status` is the label, `status_kode` the code; `rating_hasil_tetap` the Rating Hasil Kerja a
unit head receives from the organisational predikat (None when not a unit head or not yet set); `batas` the due
date of the actor's step and `terlambat` whether it passed with the step still open."""
QUEUE_LABELS = {
    "pegawai": "Pegawai", "nip": "NIP", "jabatan": "Jabatan", "periode": "Periode", "status": "Status",
    "capaian_ringkas": "Capaian IKI", "pertimbangan": "Pertimbangan", "rating_hasil_kerja": "Rating Hasil Kerja",
    "rating_perilaku_kerja": "Rating Perilaku Kerja", "predikat": "Predikat", "rekomendasi": "Rekomendasi",
    "feedback_lengkap": "Umpan Balik Lengkap", "penilai": "Pejabat Penilai", "catatan_atasan": "Catatan Atasan",
    "alasan_buka_kembali": "Alasan Buka Kembali", "batas": "Batas Waktu", "terlambat": "Terlambat",
}


# --- small helpers --------------------------------------------------------------------------------------------


def _text(value) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _check_text(errors: list[FieldError], row: int | None, field: str, value: str | None, *,
                required: bool = False, minimum: int = 0) -> None:
    if value is None:
        if required:
            errors.append(FieldError(row, field, "wajib diisi"))
        return
    if len(value) > ec.MAX_TEKS:
        errors.append(FieldError(row, field, f"paling banyak {ec.MAX_TEKS} karakter"))
    elif len(value) < minimum:
        errors.append(FieldError(row, field, f"paling sedikit {minimum} karakter"))


def _rating(value) -> RatingKinerja | None:
    """A rating label (any case, aliases of services.rules) → RatingKinerja; None for empty. ValueError if unknown."""
    text = _text(getattr(value, "value", value))
    if text is None or text == DARI_ORGANISASI:
        return None
    return RatingKinerja(rules.parse_rating(text).value)


def _parse_rating(errors: list[FieldError], row: int | None, field: str, value) -> RatingKinerja | None:
    try:
        return _rating(value)
    except ValueError:
        errors.append(FieldError(row, field, f"pilih salah satu: {', '.join(RATINGS)}"))
        return None


def _version(value) -> int | None:
    if value is None or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def preview_predikat(rating_hasil, rating_perilaku) -> tuple[str | None, str | None]:
    """(predikat label, reason) the matrix gives for two rating labels; (None, None) when one is missing/unknown.
    Used by the pages to preview the predikat before saving."""
    try:
        h, p = _rating(rating_hasil), _rating(rating_perilaku)
    except ValueError:
        return None, None
    if h is None or p is None:
        return None, None
    return rules.predikat(h.value, p.value).value, rules.predikat_reason(h.value, p.value)


def _load(s: Session, evaluasi_id: int) -> Evaluasi:
    ev = s.scalar(select(Evaluasi).where(Evaluasi.id == int(evaluasi_id))
                  .options(selectinload(Evaluasi.hasil), selectinload(Evaluasi.perilaku),
                           selectinload(Evaluasi.rencana_aksi)).with_for_update())
    if ev is None:
        raise NotFound("Evaluasi kinerja tidak ditemukan.")
    return ev


def _require_status(ev: Evaluasi, allowed: Iterable[StatusEvaluasi], what: str) -> None:
    ec.require_unlocked(ev)
    if ev.status not in tuple(allowed):
        raise EvaluasiStatusError(f"Evaluasi {ec.pegawai_label(ev)} ({ec.slot_label(ev)}) berstatus "
                                  f"{ec.STATUS_LABEL[ev.status]}; tidak dapat {what}.")


# --- unit heads and the organisational predikat -----------------------------------------------------------------


@dataclass(frozen=True)
class _Head:
    unit_id: int | None
    unit_nama: str
    predikat_organisasi: object | None  # PredikatOrganisasiKinerja
    rating: RatingKinerja | None


def _organisational_rating(s: Session, unit_id: int, period_id: int, nomor: int):
    from services.evaluasi.organisasi import organisational_rating  # written by the organisation-side module

    pred, rating = organisational_rating(s, unit_id, period_id, nomor)
    if rating is not None and not isinstance(rating, RatingKinerja):
        rating = RatingKinerja(getattr(rating, "value", rating))
    return pred, rating


def _organisational_ratings(s: Session, keys: set[tuple[int, int, int]]) -> dict[tuple, tuple]:
    """`_organisational_rating` for many (unit_id, period_id, nomor) in one query."""
    from services.evaluasi.organisasi import organisational_ratings

    out: dict[tuple, tuple] = {}
    for key, (pred, rating) in organisational_ratings(s, keys).items():
        if rating is not None and not isinstance(rating, RatingKinerja):
            rating = RatingKinerja(getattr(rating, "value", rating))
        out[key] = (pred, rating)
    return out


def _heads(s: Session, evs: list[Evaluasi]) -> dict[int, _Head]:
    """Evaluation id → _Head for the evaluations of unit heads (same rule as evaluasi_common.is_unit_head, in a few
    queries for many evaluations)."""
    if not evs:
        return {}
    skps = {k.id: k for k in s.scalars(select(Skp).where(Skp.id.in_({e.skp_id for e in evs})))}
    pegs = {p.id: p for p in s.scalars(select(Pegawai).where(Pegawai.id.in_({e.pegawai_id for e in evs})))}
    jab_ids = {k.jabatan_id for k in skps.values() if k.jabatan_id} | {p.jabatan_id for p in pegs.values()
                                                                          if p.jabatan_id}
    jabs = {j.id: j for j in s.scalars(select(Jabatan).where(Jabatan.id.in_(jab_ids)))} if jab_ids else {}
    found: dict[int, int | None] = {}
    for ev in evs:
        skp, peg = skps.get(ev.skp_id), pegs.get(ev.pegawai_id)
        jab_id = (skp.jabatan_id if skp is not None and skp.jabatan_id else None) or (peg.jabatan_id if peg else None)
        jab = jabs.get(jab_id) if jab_id else None
        if not (jab and jab.pimpinan_unit):
            continue
        found[ev.id] = (skp.unit_id if skp is not None and skp.unit_id else None) or jab.unit_id or (
            peg.unit_id if peg else None)
    if not found:
        return {}
    units = {u.id: u.nama for u in s.scalars(select(UnitKerja).where(
        UnitKerja.id.in_({u for u in found.values() if u})))}
    def key(ev: Evaluasi) -> tuple[int | None, int, int]:
        return found[ev.id], ev.period_id, ev.nomor if ev.jenis == JenisEvaluasi.PERIODIK else 0

    ratings = _organisational_ratings(s, {key(ev) for ev in evs if ev.id in found and found[ev.id]})  # type: ignore[misc]
    out: dict[int, _Head] = {}
    for ev in evs:
        if ev.id not in found:
            continue
        unit_id = found[ev.id]
        pred, rating = ratings.get(key(ev), (None, None))
        out[ev.id] = _Head(unit_id, units.get(unit_id, "(tanpa unit)"), pred, rating if pred is not None else None)  # type: ignore[arg-type]
    return out


# --- queue ------------------------------------------------------------------------------------------------------


def _role_condition(actor: Actor, role: str):
    column = {"penilai": Evaluasi.pejabat_penilai_id, "pertimbangan": Evaluasi.pemberi_pertimbangan_id,
              "atasan": Evaluasi.atasan_penilai_id}[role]
    conds = []
    if actor.pegawai_id is not None:
        conds.append(column.in_(actor.reviewer_ids))  # with the holder a Plt/Plh acts for
    if actor.is_admin and role in ("penilai", "atasan"):
        conds.append(column.is_(None))
    if not conds:
        return None
    return or_(*conds)


_ROLE_STATUSES = {
    "penilai": (S.DIAJUKAN, S.DINILAI, S.DIKEMBALIKAN, S.DISETUJUI),
    "pertimbangan": (S.DIAJUKAN, S.DINILAI, S.DIKEMBALIKAN, S.DISETUJUI),
    "atasan": (S.DINILAI, S.DIKEMBALIKAN, S.DISETUJUI),
}


def _capaian(ev: Evaluasi) -> tuple[Decimal | None, str]:
    values = [i.capaian for i in ev.iki if i.capaian is not None]
    n = len(ev.iki)
    if not values:
        return None, f"{n} IKI, capaian belum dihitung" if n else "Tanpa IKI"
    mean = (sum(values, Decimal(0)) / len(values)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    extra = "" if len(values) == n else f" dari {len(values)} IKI terisi"
    return mean, f"{n} IKI, rata-rata {fmt.angka(mean)}%{extra}"


def _pertimbangan_short(ev: Evaluasi, names: dict[int, str]) -> str | None:
    if ev.pertimbangan_at is None and not ev.pertimbangan_catatan:
        return None
    saran = []
    if ev.pertimbangan_rating_hasil is not None:
        saran.append(f"HK {ev.pertimbangan_rating_hasil.value}")
    if ev.pertimbangan_rating_perilaku is not None:
        saran.append(f"PK {ev.pertimbangan_rating_perilaku.value}")
    note = (ev.pertimbangan_catatan or "").strip().replace("\n", " ")
    if len(note) > 80:
        note = note[:79] + "…"
    head = f"Saran {' / '.join(saran)}: " if saran else ""
    return head + note


def _deadline(ev: Evaluasi, role: str, plan: ec.Jadwal) -> tuple[dt.date, bool]:
    """The due date of the actor's step and whether the step is still open."""
    if role == "pertimbangan":
        return plan.pertimbangan, ev.status == S.DIAJUKAN and ev.pertimbangan_at is None
    if role == "atasan":
        return plan.persetujuan, ev.status == S.DINILAI
    return plan.penilaian, ev.status in (S.DIAJUKAN, S.DIKEMBALIKAN)


def queue(actor: Actor, period_id: int, jenis: str = "Periodik", nomor: int | None = None, role: str = "penilai",
          today: dt.date | None = None) -> pd.DataFrame:
    """Evaluations of a period where the actor holds `role` ("penilai", "pertimbangan" or "atasan"; Admin SDM as
    penilai/atasan also sees the evaluations without one), draft ones excluded (atasan: only rated ones and
    later), ordered by pegawai and sub-period. Columns QUEUE_COLUMNS."""
    if role not in ROLES:
        raise ValueError(f"role harus salah satu dari {ROLES}")
    today = today or clock.today()
    jenis_v = JenisEvaluasi(jenis)
    cond = _role_condition(actor, role)
    if cond is None:
        return pd.DataFrame(columns=QUEUE_COLUMNS)
    with read_session() as s:
        q = (select(Evaluasi, Pegawai)
             .join(Pegawai, Pegawai.id == Evaluasi.pegawai_id)
             .where(Evaluasi.period_id == period_id, Evaluasi.jenis == jenis_v, cond,
                    Evaluasi.status.in_(_ROLE_STATUSES[role]))
             .options(selectinload(Evaluasi.hasil), selectinload(Evaluasi.perilaku), selectinload(Evaluasi.iki))
             .order_by(Pegawai.nama, Evaluasi.nomor, Evaluasi.id))
        if nomor is not None:
            q = q.where(Evaluasi.nomor == int(nomor))
        if actor.pegawai_id is not None:
            q = q.where(Evaluasi.pegawai_id != actor.pegawai_id)
        pairs = s.execute(q).all()
        evs = [e for e, _ in pairs]
        heads = _heads(s, evs)
        skps = {k.id: k.jabatan_id for k in s.scalars(select(Skp).where(Skp.id.in_({e.skp_id for e in evs})))} \
            if evs else {}
        jab_ids = {j for j in skps.values() if j} | {p.jabatan_id for _, p in pairs if p.jabatan_id}
        jabs = dict(s.execute(select(Jabatan.id, Jabatan.nama).where(Jabatan.id.in_(jab_ids))).all()) \
            if jab_ids else {}
        people = {e.pertimbangan_by_id for e in evs} | {e.dinilai_by_id for e in evs} | {
            e.pejabat_penilai_id for e in evs}
        people.discard(None)
        names = {p.id: p.nama_lengkap for p in s.scalars(select(Pegawai).where(Pegawai.id.in_(people)))} \
            if people else {}
        jadwal_of = ec.jadwal_fn(s)
        rows = []
        for ev, peg in pairs:
            batas, open_ = _deadline(ev, role, jadwal_of(ev.mulai, ev.selesai))
            mean, ringkas = _capaian(ev)
            head = heads.get(ev.id)
            penilai = names.get(ev.dinilai_by_id) or ev.dinilai_by_username or names.get(ev.pejabat_penilai_id)  # type: ignore[arg-type]
            rows.append({
                "evaluasi_id": ev.id, "version": ev.version, "pegawai_id": ev.pegawai_id,
                "pegawai": peg.nama_lengkap, "nip": peg.nip,
                "jabatan": jabs.get(skps.get(ev.skp_id) or peg.jabatan_id),  # type: ignore[arg-type]
                "periode": ec.slot_label(ev), "status": ec.STATUS_LABEL[ev.status], "status_kode": ev.status.value,
                "capaian_rata": mean, "capaian_ringkas": ringkas, "pertimbangan": _pertimbangan_short(ev, names),
                "rating_hasil_kerja": ec._v(ev.rating_hasil_kerja),
                "rating_perilaku_kerja": ec._v(ev.rating_perilaku_kerja), "predikat": ec._v(ev.predikat),
                "rekomendasi": ev.rekomendasi, "feedback_lengkap": not ec.missing_feedback(ev),
                "pimpinan_unit": head is not None,
                "rating_hasil_tetap": head.rating.value if head is not None and head.rating is not None else None,
                "penilai": penilai, "catatan_atasan": ev.catatan_atasan,
                "alasan_buka_kembali": ev.alasan_buka_kembali,
                "batas": batas, "terlambat": open_ and today > batas,
            })
    # What needs the actor's action first (returned, submitted, rated), then the finished ones.
    priority = {S.DIKEMBALIKAN.value: 0, S.DIAJUKAN.value: 1, S.DINILAI.value: 2, S.DISETUJUI.value: 3}
    rows.sort(key=lambda r: priority.get(r["status_kode"], 9))  # type: ignore[call-overload]
    df = pd.DataFrame(rows, columns=QUEUE_COLUMNS)
    df["batas"] = df["batas"].astype("object")
    df["capaian_rata"] = df["capaian_rata"].astype("object")
    return df


def periods() -> pd.DataFrame:
    """Periods for the filters: id, tahun, periode_evaluasi, status (newest first)."""
    with read_session() as s:
        rows = [{"id": p.id, "tahun": p.tahun, "periode_evaluasi": p.periode_evaluasi.value,
                 "status": getattr(p.status, "value", str(p.status))}
                for p in s.scalars(select(Period).order_by(Period.tahun.desc()))]
    return pd.DataFrame(rows, columns=["id", "tahun", "periode_evaluasi", "status"])


def subperiod_options(period_id: int) -> dict[int, str]:
    """nomor → label of the period's sub-periods (months or quarters)."""
    from services.org import periods as p

    with read_session() as s:
        period = s.get(Period, period_id)
        if period is None:
            raise NotFound("Periode tidak ditemukan.")
        return {sp.nomor: sp.label for sp in p.subperiods(period)}


def evaluasi_detail(actor: Actor, evaluasi_id: int, today: dt.date | None = None) -> ec.EvaluasiDetail:
    """The evaluation as the reviewer sees it (realisasi, IKI capaian, umpan balik, what the actor may do)."""
    with read_session() as s:
        ev = ec.load(s, evaluasi_id)
        return ec.detail(s, actor, ev, today)


# --- pertimbangan ---------------------------------------------------------------------------------------------


def give_pertimbangan(actor: Actor, evaluasi_id: int, catatan: str | None, rating_hasil=None, rating_perilaku=None,
                      expected_version: int | None = None) -> None:
    """The pemberi pertimbangan (Ketua Tim) records a note and optional suggested ratings while DIAJUKAN."""
    catatan = _text(catatan)
    errors: list[FieldError] = []
    _check_text(errors, None, "Catatan pertimbangan", catatan, required=True)
    h = _parse_rating(errors, None, "Saran Rating Hasil Kerja", rating_hasil)
    p = _parse_rating(errors, None, "Saran Rating Perilaku Kerja", rating_perilaku)
    with unit_of_work(actor, action="pertimbangan") as s:
        ev = _load(s, evaluasi_id)
        if not ec.is_pertimbangan(actor, ev):
            raise PermissionDenied(f"Anda bukan pemberi pertimbangan kinerja {ec.pegawai_label(ev)} untuk periode "
                                   "ini.")
        _require_status(ev, (S.DIAJUKAN,), "diberi pertimbangan (pertimbangan diberikan sebelum penilaian)")
        ec.check_version(ev, expected_version)
        if errors:
            raise ValidationFailed(errors)
        ev.pertimbangan_catatan = catatan
        ev.pertimbangan_rating_hasil = h
        ev.pertimbangan_rating_perilaku = p
        ev.pertimbangan_by_id = actor.pegawai_id
        ev.pertimbangan_at = ec.now()
        ec.touch(ev)


# --- umpan balik ------------------------------------------------------------------------------------------------


def save_feedback(actor: Actor, evaluasi_id: int, hasil: dict[int, str | None] | None,
                  perilaku: dict[int, str | None] | None, rencana: dict[int, str | None] | None = None,
                  rekomendasi: str | None = None, expected_version: int | None = None) -> None:
    """The pejabat penilai's umpan balik: `hasil` {EvaluasiRhk id: text}, `perilaku` {EvaluasiPerilaku id: text},
    `rencana` {RencanaAksi id: text} (optional); `rekomendasi` None = unchanged. Ids must belong to the
    evaluation. Once rated, the required umpan balik cannot be emptied. Errors name the row (position shown)."""
    with unit_of_work(actor, action="umpan_balik") as s:
        ev = _load(s, evaluasi_id)
        ec.require_penilai(actor, ev)
        _require_status(ev, RATEABLE, "diberi umpan balik")
        ec.check_version(ev, expected_version)
        errors: list[FieldError] = []
        groups = (("Umpan balik hasil kerja", ev.hasil, hasil, lambda h: h.rhk_label[:60]),
                  ("Umpan balik perilaku kerja", ev.perilaku, perilaku, lambda p: p.nilai),
                  ("Umpan balik rencana aksi", ev.rencana_aksi, rencana, lambda r: r.uraian[:60]))
        updates = []
        for field, children, given, label in groups:
            by_id = {c.id: (pos, c) for pos, c in enumerate(children, start=1)}  # type: ignore[attr-defined]
            for key, value in (given or {}).items():
                try:
                    cid = int(key)
                except (TypeError, ValueError):
                    cid = None
                if cid not in by_id:
                    errors.append(FieldError(None, field, f"baris #{key} bukan bagian dari evaluasi ini"))
                    continue
                pos, child = by_id[cid]
                text = _text(value)
                _check_text(errors, pos, field, text)
                if text is None and ev.status != S.DIAJUKAN and field != "Umpan balik rencana aksi" \
                        and _text(child.umpan_balik) is not None:  # type: ignore[attr-defined]
                    errors.append(FieldError(pos, field, f"{label(child)}: umpan balik tidak dapat dikosongkan "
                                                         "setelah rating disimpan"))
                updates.append((child, text))
        rek = _text(rekomendasi) if rekomendasi is not None else None
        if rekomendasi is not None:
            _check_text(errors, None, "Rekomendasi", rek)
        if errors:
            raise ValidationFailed(errors)
        for child, text in updates:
            child.umpan_balik = text  # type: ignore[attr-defined]
        if rekomendasi is not None:
            ev.rekomendasi = rek
        ec.touch(ev)


# --- rating -----------------------------------------------------------------------------------------------------


@dataclass
class _Context:
    pertimbangan_wajib: bool
    heads: dict[int, _Head]
    names: dict[int, str]


def _context(s: Session, evs: list[Evaluasi]) -> _Context:
    names = {p.id: p.nama_lengkap for p in s.scalars(select(Pegawai).where(
        Pegawai.id.in_({e.pemberi_pertimbangan_id for e in evs if e.pemberi_pertimbangan_id})))} if evs else {}
    return _Context(bool(settings.get("pertimbangan_wajib", s)), _heads(s, evs), names)


def _rate_one(actor: Actor, ev: Evaluasi, ctx: _Context, row: int | None, who: str, rating_hasil, rating_perilaku,
              rekomendasi, *, set_rekomendasi: bool) -> list[FieldError]:
    """Validate and (when valid) apply one rating. Returns the errors; nothing is applied when there are any."""
    errors: list[FieldError] = []
    f_h, f_p = "Rating Hasil Kerja", "Rating Perilaku Kerja"
    prefix = f"{who}: " if row is not None else ""
    sub: list[FieldError] = []
    h = _parse_rating(sub, row, f_h, rating_hasil)
    p = _parse_rating(sub, row, f_p, rating_perilaku)
    errors += [FieldError(e.row, e.field, prefix + e.message) for e in sub]
    rek = _text(rekomendasi) if set_rekomendasi else None
    if set_rekomendasi and rek is not None and len(rek) > ec.MAX_TEKS:
        errors.append(FieldError(row, "Rekomendasi", f"{prefix}paling banyak {ec.MAX_TEKS} karakter"))
    head = ctx.heads.get(ev.id)
    from_org = False
    if head is not None:
        if head.predikat_organisasi is None:
            errors.append(FieldError(row, f_h, f"{prefix}Predikat kinerja organisasi unit {head.unit_nama} periode "
                                               f"{ec.slot_label(ev)} belum ditetapkan pimpinan (halaman Predikat & "
                                               "Distribusi); Rating Hasil Kerja pimpinan unit diambil dari predikat "
                                               "tersebut."))
        elif h is not None and h != head.rating:
            errors.append(FieldError(row, f_h, f"{prefix}pegawai ini pimpinan unit {head.unit_nama}: Rating Hasil "
                                               "Kerja mengikuti predikat kinerja organisasi "
                                               f"{head.predikat_organisasi.value} → {head.rating.value}; kosongkan "  # type: ignore[attr-defined, union-attr]
                                               "isian atau pilih nilai tersebut."))
        else:
            h, from_org = head.rating, True
    elif h is None and not any(e.field == f_h for e in errors):
        errors.append(FieldError(row, f_h, f"{prefix}wajib diisi"))
    if p is None and not any(e.field == f_p for e in errors):
        errors.append(FieldError(row, f_p, f"{prefix}wajib diisi"))
    for item in ec.missing_feedback(ev):
        errors.append(FieldError(row, item, f"{prefix}{WAJIB_UMPAN_BALIK}"))
    if ctx.pertimbangan_wajib and ev.pemberi_pertimbangan_id and ev.pertimbangan_at is None:
        ketua = ctx.names.get(ev.pemberi_pertimbangan_id, "pemberi pertimbangan")
        errors.append(FieldError(row, "Pertimbangan", f"{prefix}pertimbangan dari {ketua} belum diberikan; "
                                                      "penilaian menunggu pertimbangan (pengaturan instansi)."))
    if errors:
        return errors
    result = rules.predikat(h.value, p.value)  # type: ignore[union-attr]
    reason = rules.predikat_reason(h.value, p.value)  # type: ignore[union-attr]
    if from_org:
        reason += (f". Rating Hasil Kerja diambil dari predikat kinerja organisasi {head.unit_nama} "  # type: ignore[union-attr]
                   f"({head.predikat_organisasi.value}) karena pegawai memimpin unit (SE MenPANRB 3/2023).")  # type: ignore[union-attr]
    ev.rating_hasil_kerja = h
    ev.rating_perilaku_kerja = p
    ev.predikat = PredikatKinerja(result.value)
    ev.predikat_alasan = reason
    ev.predikat_organisasi = head.predikat_organisasi if from_org else None  # type: ignore[union-attr, assignment]
    if set_rekomendasi:
        ev.rekomendasi = rek
    ev.status = S.DINILAI
    ev.dinilai_by_id = actor.pegawai_id
    ev.dinilai_by_username = actor.username
    ev.dinilai_at = ec.now()
    ev.catatan_atasan = None
    ec.touch(ev)
    return []


def rate(actor: Actor, evaluasi_id: int, rating_hasil, rating_perilaku, rekomendasi: str | None = None,
         expected_version: int | None = None, today: dt.date | None = None) -> str:
    """The pejabat penilai sets both ratings; the predikat follows the matrix. Returns the predikat label.

    Refused (ValidationFailed) when an umpan balik per RHK / BerAKHLAK value is missing (each listed), a rating is
    missing or unknown, the pertimbangan is required and not yet given, or — for a unit head — the organisational
    predikat is not set or a different Rating Hasil Kerja was given (None takes it from the organisation).
    `rekomendasi` None = unchanged."""
    with unit_of_work(actor, action="nilai") as s:
        ev = _load(s, evaluasi_id)
        ec.require_penilai(actor, ev)
        _require_status(ev, RATEABLE, "dinilai")
        ec.check_version(ev, expected_version)
        errors = _rate_one(actor, ev, _context(s, [ev]), None, ec.pegawai_label(ev), rating_hasil, rating_perilaku,
                           rekomendasi, set_rekomendasi=rekomendasi is not None)
        if errors:
            raise ValidationFailed(errors)
        return ev.predikat.value  # type: ignore[union-attr]


def rate_many(actor: Actor, rows: list[dict], today: dt.date | None = None) -> int:
    """The bulk rating grid: rows {evaluasi_id, version, rating_hasil_kerja, rating_perilaku_kerja, rekomendasi?,
    _row}. Rows with both ratings empty are skipped. All or nothing: every row is checked (permission, status,
    stale version, umpan balik, unit-head rule, pertimbangan) and ValidationFailed lists each bad row by its row
    number and pegawai name; else all are saved in one transaction. Returns how many were rated."""
    todo = []
    for n, r in enumerate(rows, start=1):
        h, p = _text(r.get("rating_hasil_kerja")), _text(r.get("rating_perilaku_kerja"))
        if h == DARI_ORGANISASI:
            h = None
        if h is None and p is None:
            continue
        todo.append((int(r.get("_row") or n), r))
    if not todo:
        return 0
    ids = []
    errors: list[FieldError] = []
    for row, r in todo:
        try:
            ids.append(int(r["evaluasi_id"]))
        except (KeyError, TypeError, ValueError):
            errors.append(FieldError(row, "Pegawai", "baris tidak dikenal (muat ulang halaman)"))
    if errors:
        raise ValidationFailed(errors)
    with unit_of_work(actor, action="nilai") as s:
        evs = {e.id: e for e in s.scalars(
            select(Evaluasi).where(Evaluasi.id.in_(set(ids)))
            .options(selectinload(Evaluasi.hasil), selectinload(Evaluasi.perilaku)).with_for_update())}
        names = {p.id: p.nama_lengkap for p in s.scalars(select(Pegawai).where(
            Pegawai.id.in_({e.pegawai_id for e in evs.values()})))} if evs else {}
        for ev in evs.values():
            ev.__dict__["_pegawai_cache"] = names.get(ev.pegawai_id)
        ctx = _context(s, list(evs.values()))
        for (row, r), eid in zip(todo, ids, strict=True):
            ev = evs.get(eid)  # type: ignore[assignment]
            if ev is None:
                errors.append(FieldError(row, "Pegawai", "evaluasi tidak ditemukan (muat ulang halaman)"))
                continue
            who = names.get(ev.pegawai_id, f"pegawai #{ev.pegawai_id}")
            if not ec.is_penilai(actor, ev):
                errors.append(FieldError(row, "Pegawai", f"{who}: Anda bukan pejabat penilai pegawai ini untuk "
                                                         "periode ini"))
                continue
            if ev.status == S.DISETUJUI:
                errors.append(FieldError(row, "Status", f"{who}: penilaian sudah disetujui atasan dan terkunci"))
                continue
            if ev.status not in RATEABLE:
                errors.append(FieldError(row, "Status", f"{who}: berstatus {ec.STATUS_LABEL[ev.status]}, belum "
                                                        "dapat dinilai"))
                continue
            expected = _version(r.get("version"))
            if expected is not None and expected != ev.version:
                errors.append(FieldError(row, "Pegawai", f"{who}: evaluasi telah diubah orang lain sejak halaman "
                                                         "dibuka; muat ulang halaman lalu ulangi"))
                continue
            errors += _rate_one(actor, ev, ctx, row, who, r.get("rating_hasil_kerja"),
                                r.get("rating_perilaku_kerja"), r.get("rekomendasi"),
                                set_rekomendasi="rekomendasi" in r)
        if errors:
            raise ValidationFailed(errors)
        return len(todo)


def return_to_pegawai(actor: Actor, evaluasi_id: int, catatan: str | None,
                      expected_version: int | None = None) -> None:
    """The pejabat penilai returns the submitted realisasi to the pegawai (DIAJUKAN → DRAFT) with a note."""
    catatan = _text(catatan)
    errors: list[FieldError] = []
    _check_text(errors, None, "Catatan pengembalian", catatan, required=True)
    with unit_of_work(actor, action="kembalikan") as s:
        ev = _load(s, evaluasi_id)
        ec.require_penilai(actor, ev)
        _require_status(ev, (S.DIAJUKAN,), "dikembalikan ke pegawai (hanya realisasi yang diajukan dan belum "
                                           "dinilai)")
        ec.check_version(ev, expected_version)
        if errors:
            raise ValidationFailed(errors)
        ev.status = S.DRAFT
        ev.catatan_pengembalian = catatan
        ec.touch(ev)


# --- persetujuan ------------------------------------------------------------------------------------------------


def _record_angka_kredit(s: Session, ev: Evaluasi) -> None:
    from services.evaluasi import angka_kredit  # written by the angka-kredit module

    angka_kredit.record_for_evaluation(s, ev)


def _remove_angka_kredit(s: Session, ev: Evaluasi) -> None:
    from services.evaluasi import angka_kredit

    angka_kredit.remove_for_evaluation(s, ev)


def _approve_one(s: Session, actor: Actor, ev: Evaluasi) -> None:
    ev.status = S.DISETUJUI
    ev.disetujui_by_id = actor.pegawai_id
    ev.disetujui_by_username = actor.username
    ev.disetujui_at = ec.now()
    ev.catatan_atasan = None
    ec.touch(ev)
    s.flush()
    _record_angka_kredit(s, ev)


def approve(actor: Actor, evaluasi_id: int, expected_version: int | None = None, today: dt.date | None = None) -> None:
    """The atasan pejabat penilai approves the rating (DINILAI → DISETUJUI, locked); angka kredit of a fungsional
    pegawai is recorded in the same transaction. Never the pegawai nor the penilai who rated."""
    with unit_of_work(actor, action="setujui") as s:
        ev = _load(s, evaluasi_id)
        ec.require_atasan(actor, ev)
        _require_status(ev, (S.DINILAI,), "disetujui (hanya penilaian yang menunggu persetujuan)")
        ec.check_version(ev, expected_version)
        _approve_one(s, actor, ev)


def approve_many(actor: Actor, ids: Iterable[int], today: dt.date | None = None) -> int:
    """Approve several rated evaluations at once: all or nothing. PermissionDenied when the actor is not the atasan
    pejabat penilai of any of them; ValidationFailed listing each one not waiting for approval."""
    wanted = list(dict.fromkeys(int(i) for i in ids))
    if not wanted:
        return 0
    with unit_of_work(actor, action="setujui") as s:
        evs = {e.id: e for e in s.scalars(select(Evaluasi).where(Evaluasi.id.in_(wanted)).with_for_update())}
        missing = [i for i in wanted if i not in evs]
        if missing:
            raise NotFound(f"{len(missing)} evaluasi tidak ditemukan (muat ulang halaman).")
        names = {p.id: p.nama_lengkap for p in s.scalars(select(Pegawai).where(
            Pegawai.id.in_({e.pegawai_id for e in evs.values()})))}
        refused = [names.get(evs[i].pegawai_id) for i in wanted if not ec.is_atasan(actor, evs[i])]
        if refused:
            raise PermissionDenied("Anda bukan atasan pejabat penilai (atau Anda sendiri yang menilai) untuk: "
                                   f"{', '.join(sorted(set(refused)))}. Tidak ada penilaian yang disetujui.")  # type: ignore[arg-type]
        errors = [FieldError(n, "Status", f"{names.get(evs[i].pegawai_id)} ({ec.slot_label(evs[i])}): berstatus "
                                          f"{ec.STATUS_LABEL[evs[i].status]}, tidak menunggu persetujuan")
                  for n, i in enumerate(wanted, start=1) if evs[i].status != S.DINILAI]
        if errors:
            raise ValidationFailed(errors)
        for i in wanted:
            _approve_one(s, actor, evs[i])
        return len(wanted)


def return_to_penilai(actor: Actor, evaluasi_id: int, catatan: str | None,
                      expected_version: int | None = None) -> None:
    """The atasan pejabat penilai returns the rating to the penilai (DINILAI → DIKEMBALIKAN) with a note."""
    catatan = _text(catatan)
    errors: list[FieldError] = []
    _check_text(errors, None, "Catatan atasan", catatan, required=True)
    with unit_of_work(actor, action="kembalikan_ke_penilai") as s:
        ev = _load(s, evaluasi_id)
        ec.require_atasan(actor, ev)
        _require_status(ev, (S.DINILAI,), "dikembalikan ke pejabat penilai")
        ec.check_version(ev, expected_version)
        if errors:
            raise ValidationFailed(errors)
        ev.status = S.DIKEMBALIKAN
        ev.catatan_atasan = catatan
        ec.touch(ev)


def reopen(actor: Actor, evaluasi_id: int, alasan: str | None, today: dt.date | None = None) -> None:
    """The atasan pejabat penilai (or Admin SDM) reopens an approved evaluation (DISETUJUI → DINILAI) with a reason
    of at least ALASAN_MIN characters; its angka kredit is removed. Audited as "buka_kembali"."""
    alasan = _text(alasan)
    errors: list[FieldError] = []
    _check_text(errors, None, "Alasan buka kembali", alasan, required=True, minimum=ALASAN_MIN)
    with unit_of_work(actor, action="buka_kembali") as s:
        ev = _load(s, evaluasi_id)
        if not (ec.is_atasan(actor, ev) or (actor.is_admin and not ec.is_owner(actor, ev))):
            raise PermissionDenied(f"Hanya atasan pejabat penilai {ec.pegawai_label(ev)} atau Admin SDM yang dapat "
                                   "membuka kembali penilaian ini.")
        if ev.status != S.DISETUJUI:
            raise EvaluasiStatusError(f"Evaluasi berstatus {ec.STATUS_LABEL[ev.status]}; hanya evaluasi yang sudah "
                                      "disetujui yang dapat dibuka kembali.")
        if errors:
            raise ValidationFailed(errors)
        _remove_angka_kredit(s, ev)
        ev.status = S.DINILAI
        ev.alasan_buka_kembali = alasan
        ev.disetujui_by_id = None
        ev.disetujui_by_username = None
        ev.disetujui_at = None
        ec.touch(ev)


__all__ = [
    "DARI_ORGANISASI", "QUEUE_COLUMNS", "QUEUE_LABELS", "RATINGS", "EvaluasiLocked", "EvaluasiStatusError",
    "approve", "approve_many", "evaluasi_detail", "give_pertimbangan", "periods", "preview_predikat", "queue",
    "rate", "rate_many", "reopen", "return_to_penilai", "return_to_pegawai", "save_feedback", "subperiod_options",
]
