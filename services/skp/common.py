"""Shared SKP helpers: loading, who may read/edit/decide, reporting lines in force, JSON snapshots.

Used by services/skp.py (workflow), services/skp_grid.py (target entry) and services/skp_report.py (queue,
monitoring, cascade, versions). Nothing here opens a transaction: callers pass their session.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import (
    FormatSkp,
    Jabatan,
    JenisJabatan,
    Pegawai,
    Period,
    ReportingLine,
    Rhk,
    Role,
    Skp,
    SkpPerilaku,
    StatusSkp,
    UnitKerja,
)
from domain import berakhlak
from services.core import clock
from services.core.actor import Actor
from services.core.errors import Conflict, NotFound, PermissionDenied, ServiceError
from services.org.reporting import line_in_force

STATUS_LABEL = {
    StatusSkp.DRAFT: "Draft",
    StatusSkp.DIAJUKAN: "Diajukan",
    StatusSkp.DIKEMBALIKAN: "Dikembalikan",
    StatusSkp.DISETUJUI: "Disetujui",
}
BELUM_DIBUAT = "Belum dibuat"
EDITABLE = frozenset({StatusSkp.DRAFT, StatusSkp.DIKEMBALIKAN})
READ_ALL_ROLES = (Role.ADMIN_SDM, Role.KEPALA_SATKER)

# Pages these tasks and links point to (registered in ui/nav.py by the pages session).
PAGE_SKP_SAYA = "skp_saya.py"
PAGE_SKP_VERIFIKASI = "skp_verifikasi.py"
PAGE_SKP_MONITORING = "skp_monitoring.py"


class StatusError(ServiceError):
    """The SKP is not in a state that allows the action."""


class SkpLocked(StatusError):
    """The SKP is approved (or under verification) and cannot be edited."""


now = clock.utcnow


def format_for(jabatan: Jabatan | None) -> FormatSkp:
    return FormatSkp.JPT if jabatan is not None and jabatan.jenis == JenisJabatan.JPT else FormatSkp.JA_JF


def ref_date(skp: Skp, today: dt.date | None = None) -> dt.date:
    """The date whose reporting line applies to this segment: today, clamped into the segment."""
    today = today or clock.today()
    return min(max(today, skp.tanggal_mulai), skp.tanggal_selesai)


def line_for(s: Session, pegawai_id: int, on: dt.date) -> ReportingLine | None:
    return s.scalar(
        select(ReportingLine)
        .where(ReportingLine.pegawai_id == pegawai_id, line_in_force(on))
        .order_by(ReportingLine.berlaku_mulai.desc(), ReportingLine.id.desc())
        .limit(1)
    )


def current_penilai_id(s: Session, skp: Skp, today: dt.date | None = None) -> int | None:
    line = line_for(s, skp.pegawai_id, ref_date(skp, today))
    return line.pejabat_penilai_id if line else None


def load(s: Session, skp_id: int, *, for_update: bool = False) -> Skp:
    skp = s.get(Skp, skp_id, with_for_update=for_update or None)
    if skp is None:
        raise NotFound("SKP tidak ditemukan.")
    return skp


def can_read(s: Session, actor: Actor, skp: Skp, today: dt.date | None = None) -> bool:
    if actor.has(*READ_ALL_ROLES):
        return True
    pid = actor.pegawai_id
    if pid is None:
        return False
    if pid == skp.pegawai_id or actor.reviews_as(skp.pejabat_penilai_id) or actor.reviews_as(skp.atasan_penilai_id):
        return True
    line = line_for(s, skp.pegawai_id, ref_date(skp, today))
    return bool(line and (actor.reviews_as(line.pejabat_penilai_id) or actor.reviews_as(line.atasan_penilai_id)))


def require_read(s: Session, actor: Actor, skp: Skp, today: dt.date | None = None) -> None:
    if not can_read(s, actor, skp, today):
        raise PermissionDenied("Anda tidak berwenang melihat SKP ini.")


def require_owner(actor: Actor, skp: Skp, what: str = "mengubah") -> None:
    if actor.pegawai_id is None or actor.pegawai_id != skp.pegawai_id:
        raise PermissionDenied(f"Hanya pemilik SKP yang dapat {what} SKP ini.")


def require_editable(skp: Skp) -> None:
    if skp.status == StatusSkp.DISETUJUI:
        raise SkpLocked("SKP sudah disetujui dan terkunci. Ajukan permintaan revisi bila SKP perlu diubah.")
    if skp.status == StatusSkp.DIAJUKAN:
        raise SkpLocked("SKP sedang diverifikasi pejabat penilai dan tidak dapat diubah sampai ada keputusan.")


def check_version(skp: Skp, expected_version: int | None) -> None:
    if expected_version is not None and skp.version != expected_version:
        raise Conflict("SKP telah diubah di tempat lain sejak Anda membukanya. Muat ulang halaman, "
                       "lalu ulangi perubahan Anda.")


def touch(skp: Skp) -> None:
    """Mark the SKP changed so its version counter moves (concurrent edits are detected)."""
    skp.updated_at = now()


def can_decide(s: Session, actor: Actor, skp: Skp, today: dt.date | None = None) -> bool:
    """The current pejabat penilai decides; when the pegawai has none in the satker (head of office),
    Admin SDM records the decision of the superior outside the satker. Never the pegawai themself."""
    if actor.pegawai_id is not None and actor.pegawai_id == skp.pegawai_id:
        return False
    penilai = current_penilai_id(s, skp, today)
    if penilai is not None:
        return actor.reviews_as(penilai)  # the penilai, or his Plt/Plh while the assignment runs
    return actor.is_admin


def require_decider(s: Session, actor: Actor, skp: Skp, today: dt.date | None = None) -> None:
    if actor.pegawai_id is not None and actor.pegawai_id == skp.pegawai_id:
        raise PermissionDenied("Anda tidak dapat memverifikasi SKP Anda sendiri.")
    if not can_decide(s, actor, skp, today):
        raise PermissionDenied("Hanya pejabat penilai pegawai ini yang dapat memverifikasi SKP-nya.")


def new_skp(s: Session, pegawai: Pegawai, period: Period, segment_no: int, mulai: dt.date,
            selesai: dt.date) -> Skp:
    """A DRAFT SKP segment with snapshots of jabatan/unit/golongan/reviewers and the 7 perilaku rows."""
    line = line_for(s, pegawai.id, min(max(clock.today(), mulai), selesai))
    skp = Skp(pegawai_id=pegawai.id, period_id=period.id, segment_no=segment_no, tanggal_mulai=mulai,
              tanggal_selesai=selesai, jabatan_id=pegawai.jabatan_id, unit_id=pegawai.unit_id,
              golongan=pegawai.golongan, pejabat_penilai_id=line.pejabat_penilai_id if line else None,
              atasan_penilai_id=line.atasan_penilai_id if line else None, format=format_for(pegawai.jabatan),
              status=StatusSkp.DRAFT, version_no=1)
    skp.perilaku = [SkpPerilaku(urutan=n.urutan, nilai=n.nama) for n in berakhlak.NILAI]
    s.add(skp)
    return skp


def penilai_skp(s: Session, skp: Skp, today: dt.date | None = None) -> Skp | None:
    """The SKP of this SKP's current pejabat penilai in the same period (segment covering the date)."""
    penilai = current_penilai_id(s, skp, today)
    if penilai is None:
        return None
    return segment_for(s, penilai, skp.period_id, ref_date(skp, today))


def segment_for(s: Session, pegawai_id: int, period_id: int, on: dt.date) -> Skp | None:
    segs = s.scalars(select(Skp).where(Skp.pegawai_id == pegawai_id, Skp.period_id == period_id)
                     .order_by(Skp.segment_no)).all()
    for seg in segs:
        if seg.tanggal_mulai <= on <= seg.tanggal_selesai:
            return seg
    return segs[-1] if segs else None


def nama_lengkap(p: Pegawai | None) -> str | None:
    return p.nama_lengkap if p else None


def _num(x: Decimal | None) -> str | None:
    if x is None:
        return None
    q = x.normalize()
    return format(q, "f")


def target_label(tmin: Decimal, tmax: Decimal, satuan: str) -> str:
    from services.core.fmt import angka

    a, b = angka(tmin.normalize()), angka(tmax.normalize())
    return f"{a} {satuan}" if tmin == tmax else f"{a} – {b} {satuan}"


def rhk_numbers(rhks: list[Rhk]) -> dict[int, str]:
    """Display numbers per jenis: Utama 1, 2, …; Tambahan 1, 2, …"""
    out: dict[int, str] = {}
    counters: dict[str, int] = {}
    for r in rhks:
        counters[r.jenis.value] = counters.get(r.jenis.value, 0) + 1
        out[r.id] = str(counters[r.jenis.value])
    return out


def snapshot(s: Session, skp: Skp) -> dict:
    """A JSON-able picture of the SKP content, used for SkpVersion and version diffs."""
    jab = s.get(Jabatan, skp.jabatan_id) if skp.jabatan_id else None
    unit = s.get(UnitKerja, skp.unit_id) if skp.unit_id else None
    return {
        "skp_id": skp.id,
        "version_no": skp.version_no,
        "format": skp.format.value,
        "pendekatan": skp.pendekatan.value,
        "jabatan": jab.nama if jab else None,
        "unit": unit.nama if unit else None,
        "pejabat_penilai_id": skp.pejabat_penilai_id,
        "rhk": [
            {
                "id": r.id,
                "jenis": r.jenis.value,
                "uraian": r.uraian,
                "perspektif": r.perspektif.value if r.perspektif else None,
                "intervensi": [{"parent_rhk_id": i.parent_rhk_id, "jenis_cascading": i.jenis_cascading.value}
                               for i in r.intervensi],
                "iki": [
                    {"id": k.id, "aspek": k.aspek.value if k.aspek else None, "indikator": k.indikator,
                     "target_min": _num(k.target_min), "target_max": _num(k.target_max), "satuan": k.satuan}
                    for k in r.iki
                ],
            }
            for r in skp.rhk
        ],
        "lampiran": [{"jenis": lp.jenis.value, "uraian": lp.uraian} for lp in skp.lampiran],
        "perilaku": [{"urutan": p.urutan, "nilai": p.nilai, "ekspektasi_khusus": p.ekspektasi_khusus}
                     for p in skp.perilaku],
    }
