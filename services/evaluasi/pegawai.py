"""Evaluasi kinerja, pegawai side (SOP 000 step 3, domain §2.5, §2.9, §2.13): the evaluation slots of the acting
pegawai, rencana aksi per RHK, periodic IKI targets, realisasi with bukti dukung links, prefill from approved
logbook entries, submission and withdrawal.

Every write runs in one unit_of_work with an action label (audited by the flush listener); grid saves validate
every row first and raise ValidationFailed([FieldError(row, column, message)]) with nothing written.
Models and workflow: db/models_evaluasi.py; shared core: services/evaluasi_common.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, object_session

from db.engine import read_session
from db.models import (
    Evaluasi,
    EvaluasiIki,
    Jabatan,
    JenisEvaluasi,
    JenisRhk,
    LogbookEntry,
    Pegawai,
    Period,
    Polaritas,
    RencanaAksi,
    Rhk,
    Skp,
    StatusEvaluasi,
    StatusLogbook,
    UnitKerja,
)
from services.core import clock, fmt
from services.core.actor import Actor
from services.core.errors import FieldError, NotFound, PermissionDenied, ServiceError, ValidationFailed
from services.core.grid import ErrorSink, GridSpec, apply_grid, apply_plan, plan_grid
from services.core.uow import unit_of_work
from services.evaluasi import common as ec
from services.evaluasi.common import EvaluasiDetail, EvaluasiLocked, EvaluasiStatusError
from services.logbook import common as lc
from services.org.reporting import is_head_of_office
from services.skp import common as sc

__all__ = [
    "EvaluasiDetail", "EvaluasiLocked", "EvaluasiStatusError", "SaveResult", "my_evaluations", "open_evaluation",
    "evaluasi_detail", "rhk_options", "save_rencana_aksi", "save_target_iki", "logbook_summary",
    "prefill_from_logbook", "save_realisasi", "submit", "withdraw", "LABELS", "SUBMIT_DAYS_BEFORE_END",
]

S = StatusEvaluasi
URAIAN_MAKS = 1000
SATUAN_MAKS = 60
LINK_MAKS = 500
ANGKA_MAKS = Decimal("99999999999999")  # Numeric(18, 4)
CAPAIAN_MAKS = Decimal("9999999.99")  # Numeric(9, 2)
SUBMIT_DAYS_BEFORE_END = 7


class SubmitNotOpen(ServiceError):
    """Realisasi submitted before the date it may be: a date rule, not a data error (nothing is wrong yet)."""
Q4 = Decimal("0.0001")

LABELS = {
    "id": "ID",
    "rhk": "RHK",
    "uraian": "Rencana Aksi",
    "target": "Target",
    "satuan": "Satuan",
    "target_min": "Target Minimal",
    "target_max": "Target Maksimal",
    "polaritas": "Polaritas",
    "ra_realisasi": "Rencana Aksi – Realisasi",
    "ra_realisasi_uraian": "Rencana Aksi – Realisasi (uraian)",
    "ra_bukti_dukung": "Rencana Aksi – Bukti Dukung",
    "iki_realisasi": "IKI – Realisasi",
    "hasil_realisasi": "Hasil Kerja – Realisasi",
    "catatan_pegawai": "Catatan Pegawai",
}

SLOT_COLUMNS = ["skp_id", "segment_no", "jenis", "nomor", "kode", "label", "mulai", "selesai", "evaluasi_id",
                "status", "predikat", "batas_rencana_aksi", "batas_realisasi", "terlambat"]
SUMMARY_COLUMNS = ["rhk_id", "rhk", "kegiatan", "menit", "volume", "bukti"]


@dataclass(frozen=True)
class SaveResult:
    ditambah: int = 0
    diubah: int = 0
    dihapus: int = 0
    pesan: str = "Perubahan disimpan."


# --- helpers ------------------------------------------------------------------------------------------------


_ErrFn = Callable[[int | None, str, str], None]  # an _Errors or any err(row, col, msg) function


class _Errors:
    def __init__(self) -> None:
        self.items: list[FieldError] = []

    def __call__(self, row: int | None, col: str, msg: str) -> None:
        self.items.append(FieldError(row, LABELS.get(col, col), msg))

    def raise_if_any(self) -> None:
        if self.items:
            raise ValidationFailed(sorted(self.items, key=lambda e: (e.row is not None, e.row or 0)))


def _require_pegawai(actor: Actor) -> int:
    if actor.pegawai_id is None:
        raise PermissionDenied("Evaluasi kinerja hanya untuk akun yang terhubung dengan data pegawai.")
    return actor.pegawai_id


def _load_for_owner(s: Session, actor: Actor, evaluasi_id: int, what: str, expected_version: int | None) -> Evaluasi:
    """The evaluation locked for update; the actor must own it and it must still be a draft."""
    ev = ec.load(s, evaluasi_id, for_update=True)
    ec.require_owner(actor, ev, what)
    ec.require_unlocked(ev)
    if ev.status != S.DRAFT:
        raise EvaluasiStatusError(f"Evaluasi berstatus {ec.STATUS_LABEL[ev.status]}: rencana aksi dan realisasi "
                                  "hanya dapat diubah selama masih Draf (tarik kembali pengajuan bila belum "
                                  "dinilai).")
    ec.check_version(ev, expected_version)
    return ev


def _number(raw, row: int | None, col: str, err: _ErrFn, *, required: bool = False) -> Decimal | None:
    """Parse a grid number ("1,5" accepted); report problems; None when empty or invalid."""
    if isinstance(raw, str) and not raw.strip():
        raw = None
    try:
        d = lc.to_decimal(raw)
    except ValueError as e:
        err(row, col, str(e))
        return None
    if d is None:
        if required:
            err(row, col, "wajib diisi")
        return None
    if d < 0:
        err(row, col, "tidak boleh negatif")
        return None
    if d > ANGKA_MAKS:
        err(row, col, "terlalu besar")
        return None
    return d.quantize(Q4, rounding=ROUND_HALF_UP)


def _text(raw, row: int | None, col: str, err: _ErrFn, maks: int, *, required: bool = False) -> str | None:
    t = lc.text(raw)
    if t is None:
        if required:
            err(row, col, "wajib diisi")
        return None
    if len(t) > maks:
        err(row, col, f"paling banyak {maks} karakter")
        return None
    return t


def _links(raw, row: int | None, col: str, err: _ErrFn) -> str | None:
    """Bukti dukung: http(s) links, stored one per line (a link holds no space, so links separated by spaces in a
    grid cell are split too; blank lines dropped)."""
    t = lc.text(raw)
    if t is None:
        return None
    lines = t.split()
    ok = True
    for n, ln in enumerate(lines, start=1):
        if not ln.lower().startswith(("http://", "https://")) or len(ln) < 10:
            err(row, col, f"tautan ke-{n} ({ln[:40]}) harus diawali http:// atau https://; tulis satu tautan per "
                "baris")
            ok = False
        elif len(ln) > LINK_MAKS:
            err(row, col, f"tautan ke-{n} lebih dari {LINK_MAKS} karakter")
            ok = False
    joined = "\n".join(lines)
    if ok and len(joined) > ec.MAX_TEKS:
        err(row, col, f"paling banyak {ec.MAX_TEKS} karakter")
        ok = False
    return joined if ok else None


def _row_id(raw: dict, known: dict[int, object], row: int | None, err: _ErrFn, what: str) -> object | None:
    try:
        rid = int(raw.get("id"))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        err(row, "id", f"{what} tidak dikenal")
        return None
    obj = known.get(rid)
    if obj is None:
        err(row, "id", f"{what} #{rid} tidak ada pada evaluasi ini (mungkin sudah dihapus); muat ulang halaman")
    return obj


def _polaritas(value) -> Polaritas | None:
    if isinstance(value, Polaritas):
        return value
    t = (lc.text(value) or "").lower()
    for p in Polaritas:
        if t == p.value or t.startswith(p.value):
            return p
    return None


def _capaian(i: EvaluasiIki) -> Decimal | None:
    """Capaian IKI (percent, §2.13) or None when there is no realisasi or it cannot be computed (target 0 with
    polaritas positif, or negatif above 0 under the rule 'tidak_dihitung'; the reason is shown by the detail
    view, `IkiEvalView.capaian_keterangan`)."""
    if i.realisasi is None:
        return None
    try:
        c = ec.hitung_capaian(object_session(i), i).nilai
    except (ZeroDivisionError, InvalidOperation, ArithmeticError):
        return None
    if c is None:
        return None
    c = Decimal(c).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return c if abs(c) <= CAPAIAN_MAKS else None


def _utama_ids(s: Session, ev: Evaluasi) -> set[int]:
    return set(s.scalars(select(Rhk.id).where(Rhk.skp_id == ev.skp_id, Rhk.jenis == JenisRhk.UTAMA)))


def _set_rencana_aksi_at(s: Session, ev: Evaluasi) -> None:
    """rencana_aksi_at marks when every RHK Utama got at least one rencana aksi (cleared when no longer true)."""
    have = {r.rhk_id for r in ev.rencana_aksi}
    complete = _utama_ids(s, ev) <= have and bool(ev.rencana_aksi)
    if complete and ev.rencana_aksi_at is None:
        ev.rencana_aksi_at = ec.now()
    elif not complete:
        ev.rencana_aksi_at = None


def _head_of_office(s: Session, pegawai_id: int, skp: Skp | None) -> bool:
    jab = s.get(Jabatan, skp.jabatan_id) if skp is not None and skp.jabatan_id else None
    if jab is None:
        peg = s.get(Pegawai, pegawai_id)
        jab = peg.jabatan if peg else None
    unit_parent = dict(s.execute(select(UnitKerja.id, UnitKerja.parent_id)).all())
    return is_head_of_office(jab, unit_parent)


# --- slots -------------------------------------------------------------------------------------------------


def my_evaluations(actor: Actor, period_id: int, today: dt.date | None = None) -> pd.DataFrame:
    """One row per evaluation slot of the acting pegawai's SKP segments in the period (periodic slots, then the
    annual one, per segment), whether the evaluation was created yet or not (evaluasi_id None)."""
    today = today or clock.today()
    if actor.pegawai_id is None:
        return pd.DataFrame(columns=SLOT_COLUMNS)
    rows = []
    with read_session() as s:
        period = s.get(Period, period_id)
        if period is None:
            raise NotFound("Periode kinerja tidak ditemukan.")
        segs = s.scalars(select(Skp).where(Skp.pegawai_id == actor.pegawai_id, Skp.period_id == period_id)
                         .order_by(Skp.segment_no)).all()
        evs = {(e.skp_id, e.jenis, e.nomor): e for e in s.scalars(select(Evaluasi).where(
            Evaluasi.pegawai_id == actor.pegawai_id, Evaluasi.period_id == period_id))}
        jadwal_of = ec.jadwal_fn(s)
        for skp in segs:
            for slot in ec.slots_for(skp, period):
                ev = evs.get((skp.id, slot.jenis, slot.nomor))
                j = jadwal_of(slot.mulai, slot.selesai)
                draft = ev is None or ev.status == S.DRAFT
                late_plan = (slot.jenis == JenisEvaluasi.PERIODIK and today > j.rencana_aksi
                             and (ev is None or (ev.rencana_aksi_at is None and draft)))
                late_real = today > j.realisasi and draft
                rows.append({
                    "skp_id": skp.id, "segment_no": skp.segment_no, "jenis": slot.jenis.value, "nomor": slot.nomor,
                    "kode": slot.kode, "label": slot.label, "mulai": slot.mulai, "selesai": slot.selesai,
                    "evaluasi_id": ev.id if ev else None,
                    "status": ec.STATUS_LABEL[ev.status] if ev else "Belum dibuat",
                    "predikat": ev.predikat.value if ev and ev.predikat else None,
                    "batas_rencana_aksi": j.rencana_aksi, "batas_realisasi": j.realisasi,
                    "terlambat": bool(late_plan or late_real),
                })
    df = pd.DataFrame(rows, columns=SLOT_COLUMNS)
    df["evaluasi_id"] = df["evaluasi_id"].astype(object).where(df["evaluasi_id"].notna(), None)
    return df


def open_evaluation(actor: Actor, skp_id: int, jenis: JenisEvaluasi | str, nomor: int,
                    today: dt.date | None = None) -> int:
    """The id of the evaluation of one slot of the actor's own SKP, created (from the approved SKP) if absent."""
    _require_pegawai(actor)
    jenis = JenisEvaluasi(jenis)
    try:
        with unit_of_work(actor, action="evaluasi_buka") as s:
            skp = sc.load(s, skp_id)
            sc.require_owner(actor, skp, "membuka evaluasi kinerja dari")
            return ec.get_or_create(s, skp, jenis, int(nomor), today).id
    except IntegrityError:  # created concurrently by another request of the same pegawai
        with read_session() as s:
            ev_id = s.scalar(select(Evaluasi.id).where(Evaluasi.skp_id == skp_id, Evaluasi.jenis == jenis,
                                                       Evaluasi.nomor == int(nomor)))
        if ev_id is None:
            raise
        return ev_id


def evaluasi_detail(actor: Actor, evaluasi_id: int, today: dt.date | None = None) -> EvaluasiDetail:
    """The evaluation with its children (owner, reviewers, Admin SDM / Kepala Satker / Perencana)."""
    with read_session() as s:
        ev = ec.load(s, evaluasi_id)
        return ec.detail(s, actor, ev, today)


def rhk_options(actor: Actor, evaluasi_id: int) -> dict[str, int]:
    """{RHK label: rhk_id} of the evaluation, in SKP order (the choices of the rencana aksi grid)."""
    with read_session() as s:
        ev = ec.load(s, evaluasi_id)
        ec.require_read(actor, ev)
        return {h.rhk_label: h.rhk_id for h in ev.hasil if h.rhk_id is not None}


# --- rencana aksi and periodic targets -------------------------------------------------------------------------


def save_rencana_aksi(actor: Actor, evaluasi_id: int, rows: Iterable[dict], deleted_ids: Iterable[int] = (),
                      expected_version: int | None = None) -> SaveResult:
    """Save the rencana aksi grid: rows without id are added, with id updated, `deleted_ids` removed.

    Row keys: `_row`, id, rhk (label from rhk_options, or the rhk_id), uraian (required, ≤ 1000 characters),
    target (optional number ≥ 0, "1,5" accepted), satuan (optional, ≤ 60). Owner only, status Draf only.
    Sets rencana_aksi_at once every RHK Utama has a rencana aksi. Nothing is saved on any error."""
    rows = list(rows)
    deleted: list[int] = []
    err = _Errors()
    for d in deleted_ids:
        try:
            deleted.append(int(d))
        except (TypeError, ValueError):
            err(None, "id", f"rencana aksi {d!r} tidak dikenal")
    err.raise_if_any()
    with unit_of_work(actor, action="rencana_aksi_simpan") as s:
        ev = _load_for_owner(s, actor, evaluasi_id, "mengisi rencana aksi pada", expected_version)
        hasil = [h for h in ev.hasil if h.rhk_id is not None]
        by_label = {h.rhk_label: h for h in hasil}
        by_id = {h.rhk_id: h for h in hasil}
        next_no: dict[int, int] = {}
        for x in ev.rencana_aksi:
            if x.id not in deleted:
                next_no[x.rhk_id or 0] = max(next_no.get(x.rhk_id or 0, 0), x.urutan)

        def parse(raw: dict, ra: RencanaAksi | None, row_err) -> dict | None:
            n0, r = row_err.count, raw.get("_row")

            def e(_row, col, msg):
                row_err(col, msg)
            rhk = raw.get("rhk")
            h = None
            if isinstance(rhk, int) and not isinstance(rhk, bool):
                h = by_id.get(rhk)
            elif lc.text(rhk) is not None:
                h = by_label.get(str(rhk).strip())
            if rhk is None or (isinstance(rhk, str) and not rhk.strip()):
                e(r, "rhk", "wajib dipilih")
            elif h is None:
                e(r, "rhk", "bukan RHK dari SKP evaluasi ini; pilih dari daftar")
            uraian = _text(raw.get("uraian"), r, "uraian", e, URAIAN_MAKS, required=True)
            target = _number(raw.get("target"), r, "target", e)
            satuan = _text(raw.get("satuan"), r, "satuan", e, SATUAN_MAKS)
            if row_err.count > n0 or h is None:
                return None
            return {"rhk_id": h.rhk_id, "rhk_label": h.rhk_label, "rhk_urutan": h.rhk_urutan, "uraian": uraian,
                    "target": target, "satuan": satuan}

        def create(values: dict) -> RencanaAksi:
            next_no[values["rhk_id"]] = next_no.get(values["rhk_id"], 0) + 1
            ra = RencanaAksi(urutan=next_no[values["rhk_id"]], **values)
            ev.rencana_aksi.append(ra)
            return ra

        def update(ra: RencanaAksi, values: dict) -> None:
            if ra.rhk_id != values["rhk_id"]:
                next_no[values["rhk_id"]] = next_no.get(values["rhk_id"], 0) + 1
                ra.urutan = next_no[values["rhk_id"]]
            for k, val in values.items():
                setattr(ra, k, val)

        spec: GridSpec[RencanaAksi] = GridSpec(labels=LABELS, noun="rencana aksi", parse=parse, create=create, update=update,
                        delete=ev.rencana_aksi.remove)
        out = apply_grid(s, spec, {r.id: r for r in ev.rencana_aksi}, rows, deleted)
        _set_rencana_aksi_at(s, ev)
        ec.touch(ev)
        parts = [f"{n} {w}" for n, w in ((out.inserted, "ditambahkan"), (out.updated, "diubah"),
                                         (out.deleted, "dihapus")) if n]
        return SaveResult(out.inserted, out.updated, out.deleted,
                          "Rencana aksi disimpan: " + (", ".join(parts) if parts else "tidak ada perubahan") + ".")


def save_target_iki(actor: Actor, evaluasi_id: int, rows: Iterable[dict],
                    expected_version: int | None = None) -> SaveResult:
    """Change the periodic targets of the evaluation's IKI (rows: `_row`, id, target_min, target_max (optional,
    ≥ target_min)). Owner only, status Draf only. Capaian is recomputed. The polarity is fixed on the SKP IKI and
    copied to the evaluation; a row whose `polaritas` differs from it is refused (change it on the SKP)."""
    rows = list(rows)
    with unit_of_work(actor, action="target_iki_simpan") as s:
        ev = _load_for_owner(s, actor, evaluasi_id, "mengubah target", expected_version)

        def parse(raw: dict, iki: EvaluasiIki | None, row_err) -> dict | None:
            n0, r = row_err.count, raw.get("_row")

            def e(_row, col, msg):
                row_err(col, msg)
            if iki is None:  # the IKI come from the SKP: rows cannot be added here
                e(r, "id", "IKI tidak dikenal")
                return None
            tmin = _number(raw.get("target_min"), r, "target_min", e, required=True)
            tmax = _number(raw.get("target_max"), r, "target_max", e)
            if tmin is not None and tmax is not None and tmax < tmin:
                e(r, "target_max", "tidak boleh lebih kecil dari target minimal")
            if lc.text(raw.get("polaritas")) and _polaritas(raw.get("polaritas")) != iki.polaritas:
                e(r, "polaritas", f"ditetapkan pada SKP ({iki.polaritas.value}); ubah polaritas melalui SKP, "
                  "bukan pada evaluasi")
            if row_err.count > n0:
                return None
            return {"target_min": tmin, "target_max": None if tmax == tmin else tmax}

        def update(iki: EvaluasiIki, values: dict) -> None:
            for k, val in values.items():
                setattr(iki, k, val)
            iki.capaian = _capaian(iki)

        spec: GridSpec[EvaluasiIki] = GridSpec(labels=LABELS, noun="IKI", parse=parse, create=lambda v: None, update=update)
        out = apply_grid(s, spec, {i.id: i for i in ev.iki}, rows)
        ec.touch(ev)
        return SaveResult(0, out.updated, 0, f"Target IKI disimpan ({out.updated} diubah).")


# --- logbook -------------------------------------------------------------------------------------------------


@dataclass
class _Agg:
    kegiatan: int = 0
    menit: int = 0
    volume: dict[str, tuple[str, Decimal]] = field(default_factory=dict)  # normalised satuan -> (shown, sum)
    bukti: list[str] = field(default_factory=list)

    def volume_for(self, satuan: str | None) -> Decimal | None:
        hit = self.volume.get(_norm(satuan))
        return hit[1] if hit else None

    def volume_label(self) -> str:
        return "; ".join(f"{fmt.angka(v)} {name}" for name, v in self.volume.values())

    def summary(self) -> str:
        vol = ", ".join(f"{fmt.angka(v)} {name}" for name, v in self.volume.values())
        text = f"{self.kegiatan} kegiatan logbook disetujui"
        if vol:
            text += f", {vol}"
        return text + f" ({fmt.angka(self.menit)} menit)."


def _norm(satuan: str | None) -> str:
    return " ".join((satuan or "").split()).lower()


def _logbook(s: Session, ev: Evaluasi) -> dict[int, _Agg]:
    """Approved logbook entries of the pegawai in the evaluation period, by RHK."""
    out: dict[int, _Agg] = {}
    entries = s.scalars(select(LogbookEntry).where(
        LogbookEntry.pegawai_id == ev.pegawai_id, LogbookEntry.status == StatusLogbook.DISETUJUI,
        LogbookEntry.tanggal >= ev.mulai, LogbookEntry.tanggal <= ev.selesai, LogbookEntry.rhk_id.is_not(None))
        .order_by(LogbookEntry.tanggal, LogbookEntry.jam_mulai, LogbookEntry.id))
    for e in entries:
        a = out.setdefault(e.rhk_id, _Agg())  # type: ignore[arg-type]
        a.kegiatan += 1
        a.menit += e.durasi_menit or 0
        key = _norm(e.satuan)
        name, total = a.volume.get(key, (" ".join(e.satuan.split()), Decimal(0)))
        a.volume[key] = (name, total + (e.volume or Decimal(0)))
        link = (e.bukti_link or "").strip()
        if link and link.lower().startswith(("http://", "https://")) and link not in a.bukti:
            a.bukti.append(link)
    return out


def logbook_summary(actor: Actor, evaluasi_id: int) -> pd.DataFrame:
    """Per RHK of the evaluation: approved logbook entries in its period (kegiatan count, minutes, volume per
    satuan as text, distinct evidence links one per line)."""
    with read_session() as s:
        ev = ec.load(s, evaluasi_id)
        ec.require_read(actor, ev)
        agg = _logbook(s, ev)
        rows = []
        for h in ev.hasil:
            a = agg.get(h.rhk_id, _Agg()) if h.rhk_id is not None else _Agg()
            rows.append({"rhk_id": h.rhk_id, "rhk": h.rhk_label, "kegiatan": a.kegiatan, "menit": a.menit,
                         "volume": a.volume_label(), "bukti": "\n".join(a.bukti)})
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)


def prefill_from_logbook(actor: Actor, evaluasi_id: int, expected_version: int | None = None) -> int:
    """Fill EMPTY realisasi fields from the approved logbook (never overwrites typed values): IKI realisasi and
    rencana aksi realisasi with the volume of their RHK in the same satuan; rencana aksi bukti dukung with the
    logbook evidence links; the RHK realisasi with a summary. Returns the number of fields filled."""
    n = 0
    with unit_of_work(actor, action="evaluasi_isi_logbook") as s:
        ev = _load_for_owner(s, actor, evaluasi_id, "mengisi realisasi", expected_version)
        agg = _logbook(s, ev)
        for i in ev.iki:
            a = agg.get(i.rhk_id)  # type: ignore[arg-type]
            if i.realisasi is None and a is not None and (vol := a.volume_for(i.satuan)) is not None:
                i.realisasi = vol.quantize(Q4)
                i.capaian = _capaian(i)
                n += 1
        for ra in ev.rencana_aksi:
            a = agg.get(ra.rhk_id)  # type: ignore[arg-type]
            if a is None:
                continue
            if ra.realisasi is None and ra.satuan and (vol := a.volume_for(ra.satuan)) is not None:
                ra.realisasi = vol.quantize(Q4)
                n += 1
            if not (ra.bukti_dukung or "").strip() and a.bukti:
                ra.bukti_dukung = "\n".join(a.bukti)[: ec.MAX_TEKS]
                n += 1
        for h in ev.hasil:
            a = agg.get(h.rhk_id)  # type: ignore[arg-type]
            if a is not None and not (h.realisasi or "").strip():
                h.realisasi = a.summary()
                n += 1
        if n:
            ec.touch(ev)
    return n


# --- realisasi ------------------------------------------------------------------------------------------------


def save_realisasi(actor: Actor, evaluasi_id: int, rencana_rows: Iterable[dict] = (), iki_rows: Iterable[dict] = (),
                   hasil_rows: Iterable[dict] = (), catatan_pegawai: str | None = None,
                   expected_version: int | None = None) -> SaveResult:
    """Save the realisasi in one transaction. Rencana aksi rows: id, realisasi (number ≥ 0), realisasi_uraian,
    bukti_dukung (http(s) links, one per line); IKI rows: id, realisasi (number ≥ 0); RHK rows: id, realisasi
    (text). A key missing from a row leaves that field as it is; `catatan_pegawai` None leaves the note as it is.
    Capaian IKI is recomputed (services.rules.capaian). Owner only, status Draf only."""
    rencana_rows, iki_rows, hasil_rows = list(rencana_rows), list(iki_rows), list(hasil_rows)
    with unit_of_work(actor, action="realisasi_simpan") as s:
        ev = _load_for_owner(s, actor, evaluasi_id, "mengisi realisasi", expected_version)

        def model(what: str, fields: dict[str, tuple[str, Any]]):
            """A row model: for each raw key present, (label column, reader(raw value, row, column, err))."""
            def parse(raw: dict, obj, row_err) -> dict | None:
                n0, r = row_err.count, raw.get("_row")

                def e(_row, col, msg):
                    row_err(col, msg)
                if obj is None:  # the rows come from the SKP: none can be added here
                    e(r, "id", f"{what} tidak dikenal")
                    return None
                v = {key: read(raw.get(key), r, col, e) for key, (col, read) in fields.items() if key in raw}
                return None if row_err.count > n0 else v
            return GridSpec(labels=LABELS, noun=what, parse=parse, create=lambda v: None)

        def text(raw, r, col, e):
            return _text(raw, r, col, e, ec.MAX_TEKS)

        grids = [
            (model("rencana aksi", {"realisasi": ("ra_realisasi", _number),
                                    "realisasi_uraian": ("ra_realisasi_uraian", text),
                                    "bukti_dukung": ("ra_bukti_dukung", _links)}),
             {r.id: r for r in ev.rencana_aksi}, rencana_rows),
            (model("IKI", {"realisasi": ("iki_realisasi", _number)}), {i.id: i for i in ev.iki}, iki_rows),
            (model("RHK", {"realisasi": ("hasil_realisasi", text)}), {h.id: h for h in ev.hasil}, hasil_rows),
        ]
        errs = ErrorSink(LABELS)
        plans = [(spec, plan_grid(spec, known, rows, (), errs)) for spec, known, rows in grids]  # type: ignore[arg-type]
        catatan = None
        if catatan_pegawai is not None:
            catatan = _text(catatan_pegawai, None, "catatan_pegawai", lambda r, c, m: errs.add(r, c, m), ec.MAX_TEKS)
        if errs.items:
            raise ValidationFailed(errs.sorted())
        changed = sum(apply_plan(s, spec, plan).updated for spec, plan in plans)
        for i in ev.iki:
            c = _capaian(i)
            if i.capaian != c:
                i.capaian = c
        if catatan_pegawai is not None and ev.catatan_pegawai != catatan:
            ev.catatan_pegawai = catatan
            changed += 1
        ec.touch(ev)
        return SaveResult(0, changed, 0, f"Realisasi disimpan ({changed} baris diubah).")


# --- submit / withdraw ------------------------------------------------------------------------------------------


def submit(actor: Actor, evaluasi_id: int, expected_version: int | None = None, today: dt.date | None = None) -> None:
    """Submit the realisasi to the pejabat penilai (status Diajukan). Requires a rencana aksi for every RHK Utama,
    a realisasi (number or uraian) for every rencana aksi, a realisasi text for every RHK, and a pejabat penilai
    (except for the head of office, rated by Admin SDM); every such problem is listed at once (ValidationFailed).
    Earlier than 7 days before the period ends: SubmitNotOpen, saying from which date it opens."""
    today = today or clock.today()
    with unit_of_work(actor, action="ajukan") as s:
        ev = _load_for_owner(s, actor, evaluasi_id, "mengajukan", expected_version)
        earliest = ev.selesai - dt.timedelta(days=SUBMIT_DAYS_BEFORE_END)
        if today < earliest:
            raise SubmitNotOpen(f"Realisasi dapat diajukan mulai {fmt.tanggal(earliest)} ({SUBMIT_DAYS_BEFORE_END} "
                                f"hari sebelum periode berakhir {fmt.tanggal(ev.selesai)}). Isian Anda tetap "
                                "tersimpan; lengkapi lalu ajukan mulai tanggal itu.")
        err = _Errors()
        have = {r.rhk_id for r in ev.rencana_aksi}
        utama = _utama_ids(s, ev)
        for h in ev.hasil:
            if h.rhk_id in utama and h.rhk_id not in have:
                err(None, "Rencana Aksi", f"RHK {h.rhk_label[:80]} belum memiliki rencana aksi")
        for n, ra in enumerate(ev.rencana_aksi, start=1):
            if ra.realisasi is None and not (ra.realisasi_uraian or "").strip():
                err(n, "ra_realisasi", f"rencana aksi \"{ra.uraian[:60]}\" belum diisi realisasinya (angka atau "
                    "uraian)")
        for n, h in enumerate(ev.hasil, start=1):
            if not (h.realisasi or "").strip():
                err(n, "hasil_realisasi", f"realisasi RHK {h.rhk_label[:80]} belum diisi")
        ec.refresh_reviewers(s, ev, today)
        if ev.pejabat_penilai_id is None and not _head_of_office(s, ev.pegawai_id, s.get(Skp, ev.skp_id)):
            err(None, "Pejabat Penilai", "Anda belum memiliki pejabat penilai untuk periode ini. Minta Admin SDM "
                "menetapkan Hubungan Penilaian Anda, lalu ajukan kembali.")
        err.raise_if_any()
        ev.status = S.DIAJUKAN
        ev.submitted_at = ec.now()
        ev.catatan_pengembalian = None
        ec.touch(ev)


def withdraw(actor: Actor, evaluasi_id: int, expected_version: int | None = None) -> None:
    """Pull a submitted evaluation back to Draf, while nobody has rated it nor given pertimbangan."""
    with unit_of_work(actor, action="tarik_kembali") as s:
        ev = ec.load(s, evaluasi_id, for_update=True)
        ec.require_owner(actor, ev, "menarik kembali")
        ec.require_unlocked(ev)
        if ev.status != S.DIAJUKAN:
            raise EvaluasiStatusError(f"Hanya evaluasi yang berstatus Diajukan yang dapat ditarik kembali; status "
                                      f"saat ini {ec.STATUS_LABEL[ev.status]}.")
        ec.check_version(ev, expected_version)
        if (ev.rating_hasil_kerja or ev.rating_perilaku_kerja or ev.predikat or ev.dinilai_at
                or ev.pertimbangan_at or (ev.pertimbangan_catatan or "").strip()):
            raise EvaluasiStatusError("Evaluasi tidak dapat ditarik kembali karena sudah diberi pertimbangan atau "
                                      "penilaian. Hubungi pejabat penilai Anda bila perlu dikembalikan.")
        ev.status = S.DRAFT
        ev.submitted_at = None
        ec.touch(ev)


# --- rencana aksi: paste from Excel and the grid as Excel ------------------------------------------------------------

RA_PASTE_COLUMNS = ("rhk", "uraian", "target", "satuan")


def _ra_rows(actor: Actor, evaluasi_id: int) -> list[dict]:
    d = evaluasi_detail(actor, evaluasi_id)
    return [{"id": r.id, "rhk": r.rhk_label, "uraian": r.uraian,
             "target": float(r.target) if r.target is not None else None, "satuan": r.satuan}
            for r in d.rencana_aksi]


def preview_paste_rencana_aksi(actor: Actor, evaluasi_id: int, text: str):
    """Rows pasted from Excel onto the rencana aksi grid (RA_PASTE_COLUMNS; a header line is recognised; RHK by its
    number in the list, "U1"-style label or text), checked by save_rencana_aksi as a dry run (nothing written):
    a row whose RHK and Rencana Aksi are stored updates that row (target, satuan), the others are new."""
    from domain import cells
    from services.core.grid import preview_by_save

    labels = list(rhk_options(actor, evaluasi_id))

    def target(value: str) -> float | None:
        d = cells.to_decimal(value)
        return None if d is None else float(d)

    return preview_by_save(text, RA_PASTE_COLUMNS, LABELS,
                           {"rhk": lambda v: cells.to_choice(v, labels, "RHK"), "target": target},
                           lambda rows: save_rencana_aksi(actor, evaluasi_id, rows), key=("rhk", "uraian"),
                           existing=_ra_rows(actor, evaluasi_id))


def rencana_aksi_xlsx(actor: Actor, evaluasi_id: int) -> bytes:
    """The rencana aksi grid as Excel ("Unduh Excel"), pasted back into "Tempel dari Excel" unchanged."""
    from services.core import export
    from services.core.grid import grid_table

    df = pd.DataFrame(_ra_rows(actor, evaluasi_id), columns=["id", *RA_PASTE_COLUMNS])
    return export.to_excel_bytes(grid_table(df, RA_PASTE_COLUMNS, LABELS), "Rencana Aksi")


# --- realisasi: paste from Excel onto the rencana aksi and IKI realisasi grids ------------------------------------

REAL_RA_PASTE_COLUMNS = ("rhk", "uraian", "realisasi", "realisasi_uraian", "bukti_dukung")
REAL_IKI_PASTE_COLUMNS = ("indikator", "realisasi")
REAL_LABELS = {**LABELS, "indikator": "Indikator Kinerja Individu", "realisasi": "Realisasi",
               "realisasi_uraian": "Realisasi (uraian berdasarkan bukti dukung)",
               "bukti_dukung": "Bukti Dukung (tautan)"}


def _f(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _real_rows(actor: Actor, evaluasi_id: int, which: str) -> list[dict]:
    d = evaluasi_detail(actor, evaluasi_id)
    if which == "ra":
        return [{"id": r.id, "rhk": r.rhk_label, "uraian": r.uraian, "realisasi": _f(r.realisasi),
                 "realisasi_uraian": r.realisasi_uraian, "bukti_dukung": r.bukti_dukung} for r in d.rencana_aksi]
    return [{"id": i.id, "indikator": i.indikator, "realisasi": _f(i.realisasi)} for i in d.iki]


def preview_paste_realisasi(actor: Actor, evaluasi_id: int, which: str, text: str):
    """Rows pasted from Excel onto a realisasi grid (`which`: "ra" = rencana aksi, REAL_RA_PASTE_COLUMNS, matched
    by RHK and Rencana Aksi; "iki" = IKI, REAL_IKI_PASTE_COLUMNS, matched by indikator), checked by save_realisasi
    as a dry run (nothing written). The rows come from the plan: a row that matches none is refused, by row and
    column, as the save refuses it."""
    from domain import cells
    from services.core.grid import preview_by_save

    def number(value: str) -> float | None:
        d = cells.to_decimal(value)
        return None if d is None else float(d)

    columns: tuple[str, ...]
    key: tuple[str, ...]
    if which == "ra":
        def save(rows: list[dict]) -> Any:
            return save_realisasi(actor, evaluasi_id, rencana_rows=rows)
        columns, key, what = REAL_RA_PASTE_COLUMNS, ("rhk", "uraian"), "rencana aksi"
    else:
        def save(rows: list[dict]) -> Any:
            return save_realisasi(actor, evaluasi_id, iki_rows=rows)
        columns, key, what = REAL_IKI_PASTE_COLUMNS, ("indikator",), "indikator"
    return preview_by_save(text, columns, REAL_LABELS, {"realisasi": number}, save, key=key,
                           existing=_real_rows(actor, evaluasi_id, which),
                           unmatched=f"tidak ada {what} ini di tabel (tulis persis seperti di tabel; {what} baru "
                                     "disusun di tab Rencana Aksi atau pada SKP)")


def realisasi_xlsx(actor: Actor, evaluasi_id: int, which: str) -> bytes:
    """A realisasi grid ("ra" or "iki") as Excel ("Unduh Excel"), pasted back into "Tempel dari Excel" unchanged."""
    from services.core import export
    from services.core.grid import grid_table

    columns = REAL_RA_PASTE_COLUMNS if which == "ra" else REAL_IKI_PASTE_COLUMNS
    df = pd.DataFrame(_real_rows(actor, evaluasi_id, which), columns=["id", *columns])
    return export.to_excel_bytes(grid_table(df, columns, REAL_LABELS), "Realisasi")


# --- target IKI: paste from Excel and the grid as Excel -------------------------------------------------------------

TARGET_IKI_PASTE_COLUMNS = ("indikator", "satuan", "target_min", "target_max", "polaritas")
TARGET_IKI_LABELS = {**LABELS, "indikator": "Indikator Kinerja Individu"}


def _target_iki_rows(actor: Actor, evaluasi_id: int) -> list[dict]:
    d = evaluasi_detail(actor, evaluasi_id)
    return [{"id": i.id, "indikator": i.indikator, "satuan": i.satuan, "target_min": _f(i.target_min),
             "target_max": _f(i.target_max), "polaritas": i.polaritas} for i in d.iki]


def preview_paste_target_iki(actor: Actor, evaluasi_id: int, text: str):
    """Rows pasted from Excel onto the IKI target grid (TARGET_IKI_PASTE_COLUMNS; a header line is recognised),
    matched to the evaluation's IKI by indikator and checked by save_target_iki as a dry run (nothing written).
    A row whose indikator is not in the table is refused by row and column (IKI come from the SKP); empty cells keep
    the stored value; Satuan is shown, not changed."""
    from domain import cells
    from services.core.grid import preview_by_save

    def number(value: str) -> float | None:
        d = cells.to_decimal(value)
        return None if d is None else float(d)

    return preview_by_save(text, TARGET_IKI_PASTE_COLUMNS, TARGET_IKI_LABELS,
                           {"target_min": number, "target_max": number},
                           lambda rows: save_target_iki(actor, evaluasi_id, rows), key=("indikator",),
                           existing=_target_iki_rows(actor, evaluasi_id),
                           unmatched="tidak ada indikator ini di tabel (tulis persis seperti di tabel; indikator baru "
                                     "disusun pada SKP)")


def target_iki_xlsx(actor: Actor, evaluasi_id: int) -> bytes:
    """The IKI target grid as Excel ("Unduh Excel"), pasted back into "Tempel dari Excel" unchanged."""
    from services.core import export
    from services.core.grid import grid_table

    df = pd.DataFrame(_target_iki_rows(actor, evaluasi_id), columns=["id", *TARGET_IKI_PASTE_COLUMNS])
    return export.to_excel_bytes(grid_table(df, TARGET_IKI_PASTE_COLUMNS, TARGET_IKI_LABELS), "Target IKI")
