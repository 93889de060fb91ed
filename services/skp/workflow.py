"""SKP tahunan: creation per period segment, the detail view, lampiran, perilaku, and the verification workflow.

Workflow (SOP 003/004, domain.md §2.8): DRAFT → DIAJUKAN → DISETUJUI, or DIKEMBALIKAN (overall note plus notes per
RHK) → revise → DIAJUKAN again. An approved SKP is locked; a revision request accepted by the pejabat penilai
opens version n+1 as DRAFT while version n stays readable in SkpVersion. A change of position recorded by SDM
closes the current segment and opens a new SKP (`close_segment_and_open_new`).

Target entry (the RHK/IKI grid) lives in services/skp_grid.py; queue, monitoring, cascade tree, version diff
and Beranda tasks in services/skp_report.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.engine import read_session
from db.models import (
    FormatSkp,
    Instansi,
    Jabatan,
    JenisLampiran,
    JenisRhk,
    Pegawai,
    Pendekatan,
    Period,
    Rhk,
    Role,
    Skp,
    SkpDocument,
    SkpLampiran,
    SkpRevisionRequest,
    SkpVersion,
    StatusRevisi,
    StatusSkp,
    UnitKerja,
)
from domain import berakhlak, pangkat_golongan
from services.core import clock
from services.core.actor import Actor
from services.core.errors import FieldError, NotFound, PermissionDenied, ValidationFailed
from services.core.uow import unit_of_work
from services.skp import common as c

MAX_CATATAN = 2000
MAX_LAMPIRAN_ITEM = 1000
MAX_LAMPIRAN_ITEMS = 50
MAX_EKSPEKTASI = 1000

StatusError = c.StatusError
SkpLocked = c.SkpLocked


# --- DTOs -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Orang:
    id: int
    nama: str
    nip: str
    pangkat_golongan: str
    jabatan: str | None
    unit: str | None


@dataclass(frozen=True)
class IkiView:
    id: int
    aspek: str | None
    indikator: str
    target_min: Decimal
    target_max: Decimal
    satuan: str
    target: str  # "80 – 90 %"


@dataclass(frozen=True)
class ParentRef:
    rhk_id: int
    uraian: str
    jenis_cascading: str
    pemilik: str | None
    status_skp: str


@dataclass(frozen=True)
class RhkView:
    id: int
    jenis: str
    nomor: str
    uraian: str
    perspektif: str | None
    catatan_reviu: str | None
    intervensi: tuple[ParentRef, ...]
    iki: tuple[IkiView, ...]


@dataclass(frozen=True)
class PerilakuView:
    urutan: int
    nilai: str
    panduan: tuple[str, str, str]
    ekspektasi_khusus: str | None


@dataclass(frozen=True)
class RevisionView:
    id: int
    version_no: int
    alasan: str
    status: str
    requested_at: dt.datetime
    decided_at: dt.datetime | None
    catatan_keputusan: str | None


@dataclass(frozen=True)
class VersionView:
    version_no: int
    approved_at: dt.datetime
    approved_by: str | None
    alasan: str | None


@dataclass(frozen=True)
class SkpDetail:
    id: int
    row_version: int
    period_id: int
    tahun: int
    segment_no: int
    tanggal_mulai: dt.date
    tanggal_selesai: dt.date
    format: str
    pendekatan: str
    status: str
    status_label: str
    version_no: int
    instansi: str | None
    kota: str | None
    pegawai: Orang
    penilai: Orang | None
    atasan_penilai: Orang | None
    catatan_pengembalian: str | None
    submitted_at: dt.datetime | None
    decided_at: dt.datetime | None
    decided_by: str | None
    rhk: tuple[RhkView, ...]
    lampiran: dict[str, tuple[str, ...]]
    perilaku: tuple[PerilakuView, ...]
    versions: tuple[VersionView, ...]
    revisions: tuple[RevisionView, ...]
    dokumen: int
    # what the reading actor may do now
    is_owner: bool
    can_edit: bool
    can_submit: bool
    can_decide: bool
    can_request_revision: bool

    @property
    def locked(self) -> bool:
        return self.status == StatusSkp.DISETUJUI.value

    @property
    def pending_revision(self) -> RevisionView | None:
        return next((r for r in self.revisions if r.status == StatusRevisi.DIAJUKAN.value), None)


@dataclass(frozen=True)
class SkpSegment:
    id: int
    segment_no: int
    tanggal_mulai: dt.date
    tanggal_selesai: dt.date
    jabatan: str | None
    status: str
    status_label: str
    version_no: int


def _orang(s: Session, pegawai_id: int | None, jabatan_id: int | None = None, unit_id: int | None = None,
           golongan: str | None = None, use_snapshot: bool = False) -> Orang | None:
    if pegawai_id is None:
        return None
    p = s.get(Pegawai, pegawai_id)
    if p is None:
        return None
    jab = s.get(Jabatan, jabatan_id) if use_snapshot and jabatan_id else p.jabatan
    unit = s.get(UnitKerja, unit_id) if use_snapshot and unit_id else p.unit
    gol = golongan if use_snapshot and golongan else p.golongan
    return Orang(p.id, p.nama_lengkap, p.nip, pangkat_golongan(gol), jab.nama if jab else None,
                 unit.nama if unit else None)


# --- reading ----------------------------------------------------------------------------------------


def periods() -> pd.DataFrame:
    """Periods, newest first (id, tahun, status) for the period picker."""
    with read_session() as s:
        rows = s.execute(select(Period.id, Period.tahun, Period.status).order_by(Period.tahun.desc())).all()
    return pd.DataFrame([{"id": r.id, "tahun": r.tahun, "status": r.status.value} for r in rows],
                        columns=["id", "tahun", "status"])


def my_segments(actor: Actor, period_id: int) -> list[SkpSegment]:
    """The acting pegawai's SKP segments in a period (empty when none was created yet)."""
    if actor.pegawai_id is None:
        return []
    with read_session() as s:
        return _segments(s, actor.pegawai_id, period_id)


def _segments(s: Session, pegawai_id: int, period_id: int) -> list[SkpSegment]:
    segs = s.scalars(select(Skp).where(Skp.pegawai_id == pegawai_id, Skp.period_id == period_id)
                     .order_by(Skp.segment_no)).all()
    out = []
    for k in segs:
        jab = s.get(Jabatan, k.jabatan_id) if k.jabatan_id else None
        out.append(SkpSegment(k.id, k.segment_no, k.tanggal_mulai, k.tanggal_selesai, jab.nama if jab else None,
                              k.status.value, c.STATUS_LABEL[k.status], k.version_no))
    return out


def get_or_create_skp(actor: Actor, period_id: int, today: dt.date | None = None) -> int:
    """The id of the acting pegawai's current SKP segment in the period; segment 1 is created when absent."""
    if actor.pegawai_id is None:
        raise PermissionDenied("Akun ini tidak terhubung dengan data pegawai, sehingga tidak memiliki SKP.")
    today = today or clock.today()
    with read_session() as s:
        period = s.get(Period, period_id)
        if period is None:
            raise NotFound("Periode tidak ditemukan.")
        on = min(max(today, period.tanggal_mulai), period.tanggal_selesai)
        seg = c.segment_for(s, actor.pegawai_id, period_id, on)
        if seg is not None:
            return seg.id
    with unit_of_work(actor, action="skp_buat") as s:
        period = s.get(Period, period_id)
        pegawai = s.get(Pegawai, actor.pegawai_id)
        if pegawai is None or not pegawai.aktif:
            raise PermissionDenied("Data pegawai Anda tidak aktif.")
        assert period is not None
        seg = c.segment_for(s, pegawai.id, period_id, period.tanggal_mulai)
        if seg is not None:  # created concurrently
            return seg.id
        skp = c.new_skp(s, pegawai, period, 1, period.tanggal_mulai, period.tanggal_selesai)
        s.flush()
        return skp.id


def skp_detail(actor: Actor, skp_id: int, today: dt.date | None = None) -> SkpDetail:
    """Everything the SKP pages and the PDF need, for the owner, their reviewers, Admin SDM, Kepala Satker."""
    with read_session() as s:
        skp = c.load(s, skp_id)
        c.require_read(s, actor, skp, today)
        return _detail(s, actor, skp, today)


def _detail(s: Session, actor: Actor, skp: Skp, today: dt.date | None) -> SkpDetail:
    period = s.get(Period, skp.period_id)
    assert period is not None  # skp.period_id is a non-null foreign key
    instansi = s.scalar(select(Instansi).order_by(Instansi.id).limit(1))
    numbers = c.rhk_numbers(list(skp.rhk))
    rhk_views = []
    for r in skp.rhk:
        refs = []
        for link in r.intervensi:
            parent = s.get(Rhk, link.parent_rhk_id)
            assert parent is not None
            owner_skp = s.get(Skp, parent.skp_id)
            assert owner_skp is not None
            owner = s.get(Pegawai, owner_skp.pegawai_id)
            refs.append(ParentRef(parent.id, parent.uraian, link.jenis_cascading.value, c.nama_lengkap(owner),
                                  c.STATUS_LABEL[owner_skp.status]))
        ikis = tuple(IkiView(k.id, k.aspek.value if k.aspek else None, k.indikator, k.target_min, k.target_max,
                             k.satuan, c.target_label(k.target_min, k.target_max, k.satuan)) for k in r.iki)
        rhk_views.append(RhkView(r.id, r.jenis.value, numbers[r.id], r.uraian,
                                 r.perspektif.value if r.perspektif else None, r.catatan_reviu, tuple(refs), ikis))
    lampiran: dict[str, list[str]] = {j.value: [] for j in JenisLampiran}
    for lp in skp.lampiran:
        lampiran[lp.jenis.value].append(lp.uraian)
    perilaku = tuple(PerilakuView(p.urutan, p.nilai, berakhlak.panduan(p.urutan), p.ekspektasi_khusus)
                     for p in skp.perilaku)
    versions = tuple(
        VersionView(v.version_no, v.approved_at, v.approved_by_username, v.alasan)
        for v in s.scalars(select(SkpVersion).where(SkpVersion.skp_id == skp.id).order_by(SkpVersion.version_no))
    )
    revisions = tuple(
        RevisionView(r.id, r.version_no, r.alasan, r.status.value, r.requested_at, r.decided_at, r.catatan_keputusan)
        for r in s.scalars(select(SkpRevisionRequest).where(SkpRevisionRequest.skp_id == skp.id)
                           .order_by(SkpRevisionRequest.id))
    )
    docs = s.scalar(select(func.count(SkpDocument.id)).where(SkpDocument.skp_id == skp.id)) or 0
    is_owner = actor.pegawai_id is not None and actor.pegawai_id == skp.pegawai_id
    decider = c.can_decide(s, actor, skp, today)
    pending = any(r.status == StatusRevisi.DIAJUKAN.value for r in revisions)
    decided_by = None
    if skp.decided_by_id:
        decided_by = c.nama_lengkap(s.get(Pegawai, skp.decided_by_id))
    elif skp.decided_by_username:
        decided_by = skp.decided_by_username
    return SkpDetail(
        id=skp.id, row_version=skp.version, period_id=skp.period_id, tahun=period.tahun, segment_no=skp.segment_no,
        tanggal_mulai=skp.tanggal_mulai, tanggal_selesai=skp.tanggal_selesai, format=skp.format.value,
        pendekatan=skp.pendekatan.value, status=skp.status.value, status_label=c.STATUS_LABEL[skp.status],
        version_no=skp.version_no, instansi=instansi.nama if instansi else None,
        kota=instansi.kota if instansi else None,
        pegawai=_orang(s, skp.pegawai_id, skp.jabatan_id, skp.unit_id, skp.golongan, use_snapshot=True),  # type: ignore[arg-type]
        penilai=_orang(s, skp.pejabat_penilai_id), atasan_penilai=_orang(s, skp.atasan_penilai_id),
        catatan_pengembalian=skp.catatan_pengembalian, submitted_at=skp.submitted_at, decided_at=skp.decided_at,
        decided_by=decided_by, rhk=tuple(rhk_views), lampiran={k: tuple(v) for k, v in lampiran.items()},
        perilaku=perilaku, versions=versions, revisions=revisions, dokumen=docs, is_owner=is_owner,
        can_edit=is_owner and skp.status in c.EDITABLE,
        can_submit=is_owner and skp.status in c.EDITABLE and bool(skp.rhk),
        can_decide=decider and skp.status == StatusSkp.DIAJUKAN,
        can_request_revision=is_owner and skp.status == StatusSkp.DISETUJUI and not pending,
    )


# --- owner edits besides the grid -------------------------------------------------------------------


def _owner_edit(s: Session, actor: Actor, skp_id: int, expected_version: int | None) -> Skp:
    skp = c.load(s, skp_id)
    c.require_owner(actor, skp)
    c.require_editable(skp)
    c.check_version(skp, expected_version)
    return skp


def set_pendekatan(actor: Actor, skp_id: int, pendekatan: str, expected_version: int | None = None) -> None:
    try:
        value = Pendekatan(pendekatan)
    except ValueError:
        raise ValidationFailed([FieldError(None, "Pendekatan", "harus Kuantitatif atau Kualitatif")]) from None
    with unit_of_work(actor, action="skp_ubah") as s:
        skp = _owner_edit(s, actor, skp_id, expected_version)
        skp.pendekatan = value


def save_lampiran(actor: Actor, skp_id: int, lists: dict[str, list[str]],
                  expected_version: int | None = None) -> int:
    """Replace the three lampiran lists (Dukungan Sumber Daya, Skema Pertanggungjawaban, Konsekuensi).

    `lists` maps the list name to its items in order; empty items are skipped. Returns the number of items.
    """
    errors: list[FieldError] = []
    clean: list[tuple[JenisLampiran, str]] = []
    for name, items in lists.items():
        try:
            jenis = JenisLampiran(name)
        except ValueError:
            errors.append(FieldError(None, str(name), "daftar lampiran tidak dikenal"))
            continue
        kept = [str(x).strip() for x in items or [] if x is not None and str(x).strip()]
        if len(kept) > MAX_LAMPIRAN_ITEMS:
            errors.append(FieldError(None, jenis.value, f"paling banyak {MAX_LAMPIRAN_ITEMS} butir"))
        for i, text in enumerate(kept, start=1):
            if len(text) > MAX_LAMPIRAN_ITEM:
                errors.append(FieldError(i, jenis.value, f"paling banyak {MAX_LAMPIRAN_ITEM} karakter"))
            clean.append((jenis, text))
    if errors:
        raise ValidationFailed(errors)
    with unit_of_work(actor, action="skp_simpan_lampiran") as s:
        skp = _owner_edit(s, actor, skp_id, expected_version)
        given = {JenisLampiran(n) for n in lists}
        skp.lampiran = [lp for lp in skp.lampiran if lp.jenis not in given]
        s.flush()
        for n, (jenis, text) in enumerate(clean, start=1):
            skp.lampiran.append(SkpLampiran(jenis=jenis, urutan=n, uraian=text))
        skp.lampiran.sort(key=lambda lp: (list(JenisLampiran).index(lp.jenis), lp.urutan))
        for n, lp in enumerate(skp.lampiran, start=1):
            lp.urutan = n
        c.touch(skp)
    return len(clean)


# --- workflow ---------------------------------------------------------------------------------------


def stored_errors(s: Session, skp: Skp, today: dt.date | None = None) -> list[FieldError]:
    """Rules checked on submit and approval, on what is stored (the grid checked the rest when saving)."""
    errors: list[FieldError] = []
    if not any(r.jenis == JenisRhk.UTAMA for r in skp.rhk):
        errors.append(FieldError(None, "Rencana Hasil Kerja", "SKP wajib memiliki minimal satu RHK Utama."))
    numbers = c.rhk_numbers(list(skp.rhk))
    penilai = c.current_penilai_id(s, skp, today)
    if skp.format == FormatSkp.JA_JF and penilai is None:
        errors.append(FieldError(None, "Pejabat Penilai",
                                 "Pejabat penilai Anda belum ditetapkan; hubungi Admin SDM."))
    for r in skp.rhk:
        label = f"RHK {r.jenis.value} {numbers[r.id]}"
        if not r.iki:
            errors.append(FieldError(None, label, "wajib memiliki minimal satu indikator kinerja individu."))
        if skp.format == FormatSkp.JPT:
            continue
        if r.jenis == JenisRhk.UTAMA and not r.intervensi:
            errors.append(FieldError(None, label, "RHK Utama wajib mengintervensi minimal satu RHK "
                                                  "pejabat penilai."))
        for link in r.intervensi:
            parent = s.get(Rhk, link.parent_rhk_id)
            assert parent is not None
            parent_skp = s.get(Skp, parent.skp_id)
            assert parent_skp is not None
            if parent_skp.pegawai_id != penilai or parent_skp.period_id != skp.period_id:
                errors.append(FieldError(None, label, f"RHK pimpinan \"{_short(parent.uraian)}\" bukan RHK "
                                                      "pejabat penilai Anda pada periode ini."))
            elif parent_skp.status != StatusSkp.DISETUJUI:
                errors.append(FieldError(None, label, f"RHK pimpinan \"{_short(parent.uraian)}\" belum disetujui; "
                                                      "SKP pejabat penilai harus disetujui lebih dahulu."))
    return errors


def _short(text: str, n: int = 60) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def submit(actor: Actor, skp_id: int, expected_version: int | None = None, today: dt.date | None = None) -> None:
    """Owner submits a DRAFT or returned SKP to the pejabat penilai."""
    with unit_of_work(actor, action="skp_ajukan") as s:
        skp = c.load(s, skp_id)
        c.require_owner(actor, skp, "mengajukan")
        if skp.status not in c.EDITABLE:
            raise StatusError(f"SKP berstatus {c.STATUS_LABEL[skp.status]} dan tidak dapat diajukan.")
        c.check_version(skp, expected_version)
        errors = stored_errors(s, skp, today)
        if errors:
            raise ValidationFailed(errors)
        line = c.line_for(s, skp.pegawai_id, c.ref_date(skp, today))
        skp.pejabat_penilai_id = line.pejabat_penilai_id if line else None
        skp.atasan_penilai_id = line.atasan_penilai_id if line else None
        skp.status = StatusSkp.DIAJUKAN
        skp.submitted_at = c.now()


def _approve_one(s: Session, actor: Actor, skp: Skp, today: dt.date | None) -> None:
    c.require_decider(s, actor, skp, today)
    if skp.status != StatusSkp.DIAJUKAN:
        raise StatusError(f"SKP berstatus {c.STATUS_LABEL[skp.status]}; hanya SKP yang diajukan dapat disetujui.")
    errors = [e for e in stored_errors(s, skp, today) if e.field != "Pejabat Penilai"]
    if errors:
        raise ValidationFailed(errors)
    line = c.line_for(s, skp.pegawai_id, c.ref_date(skp, today))
    if line is not None:
        skp.pejabat_penilai_id = line.pejabat_penilai_id
        skp.atasan_penilai_id = line.atasan_penilai_id
    skp.status = StatusSkp.DISETUJUI
    skp.decided_at = c.now()
    skp.decided_by_id = actor.pegawai_id
    skp.decided_by_username = actor.username
    skp.catatan_pengembalian = None
    for r in skp.rhk:
        r.catatan_reviu = None
    s.flush()
    accepted = s.scalar(select(SkpRevisionRequest).where(
        SkpRevisionRequest.skp_id == skp.id, SkpRevisionRequest.status == StatusRevisi.DITERIMA,
        SkpRevisionRequest.version_no == skp.version_no - 1).order_by(SkpRevisionRequest.id.desc()).limit(1))
    s.add(SkpVersion(skp_id=skp.id, version_no=skp.version_no, snapshot=c.snapshot(s, skp),
                     alasan=accepted.alasan if accepted else "Penetapan SKP",
                     approved_at=skp.decided_at, approved_by_id=actor.pegawai_id,
                     approved_by_username=actor.username))


def approve(actor: Actor, skp_id: int, expected_version: int | None = None, today: dt.date | None = None) -> None:
    """The current pejabat penilai approves a submitted SKP; it is locked and its version is archived."""
    with unit_of_work(actor, action="skp_setujui") as s:
        skp = c.load(s, skp_id)
        c.check_version(skp, expected_version)
        _approve_one(s, actor, skp, today)


def approve_many(actor: Actor, skp_ids: list[int], today: dt.date | None = None) -> int:
    """Approve several SKP at once: all or none. Errors name the row (position in the list) and the pegawai."""
    ids = list(dict.fromkeys(int(i) for i in skp_ids))
    if not ids:
        raise ValidationFailed([FieldError(None, "SKP", "pilih minimal satu SKP")])
    errors: list[FieldError] = []
    with unit_of_work(actor, action="skp_setujui") as s:
        for n, skp_id in enumerate(ids, start=1):
            skp = s.get(Skp, skp_id)
            if skp is None:
                errors.append(FieldError(n, "SKP", "tidak ditemukan"))
                continue
            who = c.nama_lengkap(s.get(Pegawai, skp.pegawai_id)) or str(skp_id)
            try:  # every check runs before anything changes, so a refused SKP leaves nothing half-done
                _approve_one(s, actor, skp, today)
            except ValidationFailed as e:
                errors.extend(FieldError(n, who, f"{x.field}: {x.message}") for x in e.errors)
            except (PermissionDenied, StatusError) as e:
                errors.append(FieldError(n, who, str(e)))
        if errors:
            raise ValidationFailed(errors)
    return len(ids)


def return_with_notes(actor: Actor, skp_id: int, catatan: str, catatan_rhk: dict[int, str] | None = None,
                      expected_version: int | None = None, today: dt.date | None = None) -> None:
    """The pejabat penilai returns a submitted SKP for revision with an overall note and optional notes per RHK."""
    note = (catatan or "").strip()
    errors: list[FieldError] = []
    if not note:
        errors.append(FieldError(None, "Catatan", "wajib diisi saat mengembalikan SKP"))
    elif len(note) > MAX_CATATAN:
        errors.append(FieldError(None, "Catatan", f"paling banyak {MAX_CATATAN} karakter"))
    per_rhk = {int(k): (v or "").strip() for k, v in (catatan_rhk or {}).items()}
    for rid, text in per_rhk.items():
        if len(text) > MAX_CATATAN:
            errors.append(FieldError(None, f"Catatan RHK {rid}", f"paling banyak {MAX_CATATAN} karakter"))
    if errors:
        raise ValidationFailed(errors)
    with unit_of_work(actor, action="skp_kembalikan") as s:
        skp = c.load(s, skp_id)
        c.require_decider(s, actor, skp, today)
        if skp.status != StatusSkp.DIAJUKAN:
            raise StatusError(f"SKP berstatus {c.STATUS_LABEL[skp.status]}; hanya SKP yang diajukan dapat "
                              "dikembalikan.")
        c.check_version(skp, expected_version)
        own = {r.id: r for r in skp.rhk}
        unknown = [rid for rid in per_rhk if rid not in own]
        if unknown:
            raise ValidationFailed([FieldError(None, "Catatan RHK", "RHK tidak termasuk SKP ini")])
        for rid, r in own.items():
            r.catatan_reviu = per_rhk.get(rid) or None
        skp.status = StatusSkp.DIKEMBALIKAN
        skp.catatan_pengembalian = note
        skp.decided_at = c.now()
        skp.decided_by_id = actor.pegawai_id
        skp.decided_by_username = actor.username
        s.info["audit_note"] = note


def set_ekspektasi_khusus(actor: Actor, skp_id: int, values: Mapping[int, str | None],
                          expected_version: int | None = None, today: dt.date | None = None) -> None:
    """The pejabat penilai fills Ekspektasi Khusus Pimpinan per BerAKHLAK value (keys 1..7)."""
    errors: list[FieldError] = []
    clean: dict[int, str | None] = {}
    for key, text in values.items():
        try:
            urutan = int(key)
        except (TypeError, ValueError):
            urutan = -1
        if urutan not in berakhlak.BY_URUTAN:
            errors.append(FieldError(None, str(key), "nilai BerAKHLAK tidak dikenal"))
            continue
        t = (text or "").strip()
        if len(t) > MAX_EKSPEKTASI:
            errors.append(FieldError(urutan, berakhlak.BY_URUTAN[urutan].nama,
                                     f"paling banyak {MAX_EKSPEKTASI} karakter"))
        clean[urutan] = t or None
    if errors:
        raise ValidationFailed(errors)
    with unit_of_work(actor, action="skp_ekspektasi") as s:
        skp = c.load(s, skp_id)
        c.require_decider(s, actor, skp, today)
        if skp.status == StatusSkp.DISETUJUI:
            raise SkpLocked("SKP sudah disetujui dan terkunci.")
        c.check_version(skp, expected_version)
        for p in skp.perilaku:
            if p.urutan in clean:
                p.ekspektasi_khusus = clean[p.urutan]
        c.touch(skp)


# --- transfer: close the segment and open a new one -------------------------------------------------


def close_segment_and_open_new(actor: Actor, pegawai_id: int, effective_date: dt.date) -> int | None:
    """After SDM records a new jabatan/unit for a pegawai: end the SKP segment covering `effective_date` on the
    day before and open a new DRAFT SKP for the new position from that date. Returns the new SKP id, or None
    when the pegawai has no SKP in that period yet (the first SKP will then use the new position).
    services.mutasi.transfer records the new position and calls `split_segment` in the same transaction."""
    actor.require(Role.ADMIN_SDM, message="Hanya Admin SDM yang dapat mencatat perpindahan pegawai.")
    with unit_of_work(actor, action="skp_pindah_segmen") as s:
        pegawai = s.get(Pegawai, pegawai_id)
        if pegawai is None:
            raise NotFound("Pegawai tidak ditemukan.")
        return split_segment(s, pegawai, effective_date)


def split_segment(s: Session, pegawai: Pegawai, effective_date: dt.date) -> int | None:
    """Inside an open unit of work: close the segment covering `effective_date` and open the next one for the
    pegawai's (already updated) position. ValidationFailed names the field "Tanggal berlaku"."""
    period = s.scalar(select(Period).where(Period.tanggal_mulai <= effective_date,
                                           Period.tanggal_selesai >= effective_date))
    if period is None:
        raise ValidationFailed([FieldError(None, "Tanggal berlaku", "tidak berada dalam periode kinerja mana pun")])
    segs = s.scalars(select(Skp).where(Skp.pegawai_id == pegawai.id, Skp.period_id == period.id)
                     .order_by(Skp.segment_no)).all()
    if not segs:
        return None
    current = next((k for k in segs if k.tanggal_mulai <= effective_date <= k.tanggal_selesai), None)
    if current is None or any(k.tanggal_mulai > effective_date for k in segs):
        raise ValidationFailed([FieldError(None, "Tanggal berlaku",
                                           "sudah ada segmen SKP setelah tanggal ini; periksa kembali tanggalnya")])
    if current.tanggal_mulai == effective_date:
        raise ValidationFailed([FieldError(None, "Tanggal berlaku",
                                           "segmen SKP yang berjalan dimulai pada tanggal yang sama")])
    end = current.tanggal_selesai
    current.tanggal_selesai = effective_date - dt.timedelta(days=1)
    c.touch(current)
    new = c.new_skp(s, pegawai, period, max(k.segment_no for k in segs) + 1, effective_date, end)
    s.flush()
    return new.id


def has_skp_on(s: Session, pegawai_id: int, on: dt.date) -> bool:
    """The pegawai has an SKP segment covering `on` (a change of position must then split it)."""
    return s.scalar(select(Skp.id).where(Skp.pegawai_id == pegawai_id, Skp.tanggal_mulai <= on,
                                         Skp.tanggal_selesai >= on).limit(1)) is not None
