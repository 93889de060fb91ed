"""Files attached to an evaluation (domain.md §2.14; SOP 000 step 8, SOP 004 steps 5–6).

* Bukti Dukung: evidence the pegawai uploads while the evaluation is DRAFT or DIAJUKAN (PDF, JPG, PNG, XLSX,
  DOCX — recognised by their content, not by the file name), optionally linked to one rencana aksi. The uploader
  may delete it until the evaluation is approved.
* Dokumen Ditandatangani: the scan of the printed, signed evaluation (PDF only), archived by the pegawai, the
  pejabat penilai or Admin SDM once the atasan pejabat penilai has approved the evaluation. A scan is never
  deleted; a newer upload supersedes it (the newest one is the one in force).

Every file is limited by the setting `unggah_maks_mb` and stored in the database with its size and SHA-256.
Uploads are audited as "unggah_dokumen", deletions as "hapus_dokumen"; prints (services/evaluasi_pdf.py) as
"evaluasi_cetak", which the archive checklist reads.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.engine import read_session
from db.models import (
    AuditLog,
    Evaluasi,
    EvaluasiDokumen,
    JenisDokumenEvaluasi,
    JenisEvaluasi,
    Pegawai,
    Period,
    RencanaAksi,
    StatusEvaluasi,
)
from services.core import settings
from services.core.actor import Actor
from services.core.errors import FieldError, NotFound, PermissionDenied, ValidationFailed
from services.core.uow import unit_of_work
from services.evaluasi import common as ec
from services.evaluasi.pdf import filename_for as pdf_name
from services.org import lingkup

S = StatusEvaluasi
J = JenisDokumenEvaluasi
BUKTI_STATUS = (S.DRAFT, S.DIAJUKAN)
CETAK_ACTION = "evaluasi_cetak"
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._ -]+")


@dataclass(frozen=True)
class Jenis:
    """A file type accepted for upload: label, extensions (first = canonical) and MIME type."""

    label: str
    ext: tuple[str, ...]
    mime: str


PDF = Jenis("PDF", (".pdf",), "application/pdf")
JPG = Jenis("JPG", (".jpg", ".jpeg"), "image/jpeg")
PNG = Jenis("PNG", (".png",), "image/png")
XLSX = Jenis("XLSX", (".xlsx",), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
DOCX = Jenis("DOCX", (".docx",), "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
BUKTI_TYPES = (PDF, JPG, PNG, XLSX, DOCX)
UPLOAD_EXT = {J.BUKTI_DUKUNG.value: ["pdf", "jpg", "jpeg", "png", "xlsx", "docx"],
              J.DITANDATANGANI.value: ["pdf"]}


def detect(data: bytes) -> Jenis | None:
    """The file type from its first bytes (and, for Office files, the parts inside the zip container)."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\xff\xd8\xff"):
        return JPG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except (zipfile.BadZipFile, ValueError, OSError):
            return None
        if "[Content_Types].xml" in names:
            if "xl/workbook.xml" in names:
                return XLSX
            if "word/document.xml" in names:
                return DOCX
    return None


def _safe_name(filename: str | None, kind: Jenis) -> str:
    base = (filename or "").strip().rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    name = _SAFE_NAME.sub("_", base)[:150].strip() or f"dokumen{kind.ext[0]}"
    if not name.lower().endswith(kind.ext):
        name += kind.ext[0]
    return name


def _jenis(value: str | JenisDokumenEvaluasi) -> JenisDokumenEvaluasi:
    try:
        return JenisDokumenEvaluasi(getattr(value, "value", value))
    except ValueError:
        raise ValidationFailed([FieldError(None, "Jenis dokumen", "harus Bukti Dukung atau Dokumen "
                                                                  "Ditandatangani")]) from None


def _check_file(jenis: JenisDokumenEvaluasi, data: bytes | None, max_mb: int) -> Jenis:
    allowed = BUKTI_TYPES if jenis == J.BUKTI_DUKUNG else (PDF,)
    names = ", ".join(k.label for k in allowed)
    if not data:
        raise ValidationFailed([FieldError(None, "Berkas", "berkas kosong")])
    if len(data) > max_mb * 1024 * 1024:
        raise ValidationFailed([FieldError(None, "Berkas", f"ukuran melebihi batas {max_mb} MB")])
    kind = detect(data)
    if kind not in allowed:
        what = "bukan berkas PDF" if allowed == (PDF,) else "jenis berkas tidak dikenali"
        raise ValidationFailed([FieldError(None, "Berkas", f"{what} (hanya {names} yang diterima)")])
    return kind  # type: ignore[return-value]


def _is_reviewer(actor: Actor, ev: Evaluasi) -> bool:
    return any(actor.reviews_as(x) for x in (ev.pejabat_penilai_id, ev.atasan_penilai_id))


def _can_upload_signed(actor: Actor, ev: Evaluasi) -> bool:
    """SOP 000 step 8 / SOP 004 step 6: the pegawai, the pejabat penilai or the atasan (or their Plt/Plh), and
    Admin SDM (of the pegawai's satker: checked on upload)."""
    return ec.is_owner(actor, ev) or actor.is_admin or _is_reviewer(actor, ev)


def _is_uploader(actor: Actor, doc: EvaluasiDokumen) -> bool:
    if doc.uploaded_by_user_id is not None and actor.user_id is not None:
        return doc.uploaded_by_user_id == actor.user_id
    return doc.uploaded_by_username == actor.username


# --- writes --------------------------------------------------------------------------------------------------


def upload_document(actor: Actor, evaluasi_id: int, jenis: str | JenisDokumenEvaluasi, filename: str,
                    data: bytes, keterangan: str | None = None, rencana_aksi_id: int | None = None) -> int:
    """Attach a file to an evaluation and return its id.

    Bukti Dukung: the pegawai, while the evaluation is DRAFT or DIAJUKAN; PDF/JPG/PNG/XLSX/DOCX; optionally
    linked to one of the evaluation's rencana aksi. Dokumen Ditandatangani: the pegawai, the pejabat penilai or
    Admin SDM, only once the evaluation is approved; PDF only. Size ≤ setting `unggah_maks_mb`."""
    kind_doc = _jenis(jenis)
    with unit_of_work(actor, action="unggah_dokumen") as s:
        ev = ec.load(s, evaluasi_id)
        if kind_doc == J.BUKTI_DUKUNG:
            ec.require_owner(actor, ev, "mengunggah bukti dukung pada")
            if ev.status not in BUKTI_STATUS:
                raise ec.EvaluasiStatusError(
                    f"Bukti dukung hanya dapat diunggah selama evaluasi berstatus Draf atau Diajukan (status "
                    f"sekarang: {ec.STATUS_LABEL[ev.status]}).")
        else:
            if not _can_upload_signed(actor, ev):
                raise PermissionDenied("Hanya pegawai yang dinilai, pejabat penilai, atasan pejabat penilai, atau "
                                       "Admin SDM yang dapat mengunggah dokumen evaluasi bertanda tangan.")
            if not (ec.is_owner(actor, ev) or _is_reviewer(actor, ev)):
                lingkup.require_sdm_for(s, actor, [ev.pegawai_id])
            if ev.status != S.DISETUJUI:
                raise ec.EvaluasiStatusError("Dokumen evaluasi bertanda tangan hanya dapat diunggah setelah "
                                             "evaluasi disetujui atasan pejabat penilai.")
            if rencana_aksi_id is not None:
                raise ValidationFailed([FieldError(None, "Rencana aksi", "hanya bukti dukung yang dapat "
                                                                         "dikaitkan dengan rencana aksi")])
        if rencana_aksi_id is not None:
            ra = s.get(RencanaAksi, rencana_aksi_id)
            if ra is None or ra.evaluasi_id != ev.id:
                raise ValidationFailed([FieldError(None, "Rencana aksi", "bukan rencana aksi evaluasi ini")])
        kind = _check_file(kind_doc, data, int(settings.get("unggah_maks_mb", s)))
        doc = EvaluasiDokumen(evaluasi_id=ev.id, rencana_aksi_id=rencana_aksi_id, jenis=kind_doc,
                              filename=_safe_name(filename, kind), content_type=kind.mime, size=len(data),
                              sha256=hashlib.sha256(data).hexdigest(), content=data,
                              keterangan=(keterangan or "").strip()[:300] or None,
                              uploaded_by_user_id=actor.user_id, uploaded_by_username=actor.username,
                              uploaded_at=ec.now())
        s.add(doc)
        s.flush()
        return doc.id


def delete_document(actor: Actor, document_id: int) -> None:
    """Delete a bukti dukung: only its uploader and only while the evaluation is not approved. Signed scans
    are archive records: they are never deleted, only superseded by a newer upload."""
    with unit_of_work(actor, action="hapus_dokumen") as s:
        doc = _load_doc(s, document_id)
        ev = ec.load(s, doc.evaluasi_id)
        ec.require_read(actor, ev)
        if doc.jenis == J.DITANDATANGANI:
            raise ec.EvaluasiStatusError("Dokumen bertanda tangan tidak dapat dihapus. Unggah pindaian yang "
                                         "lebih baru bila perlu; yang terbaru yang berlaku.")
        if not _is_uploader(actor, doc):
            raise PermissionDenied("Hanya pengunggah yang dapat menghapus bukti dukung ini.")
        if ev.status == S.DISETUJUI:
            raise ec.EvaluasiLocked("Evaluasi sudah disetujui: bukti dukung tidak dapat dihapus lagi.")
        s.delete(doc)


# --- reads ---------------------------------------------------------------------------------------------------


def _load_doc(s: Session, document_id: int) -> EvaluasiDokumen:
    doc = s.get(EvaluasiDokumen, document_id)
    if doc is None:
        raise NotFound("Dokumen tidak ditemukan.")
    return doc


DOC_COLUMNS = ["id", "jenis", "nama_berkas", "content_type", "ukuran", "sha256", "rencana_aksi_id", "rencana_aksi",
               "diunggah_oleh", "diunggah_pada", "keterangan", "berlaku", "dapat_dihapus"]


def documents(actor: Actor, evaluasi_id: int) -> pd.DataFrame:
    """The evaluation's files (without content), oldest first. `berlaku` is False for signed scans superseded
    by a newer one; `dapat_dihapus` tells whether the actor may delete the row now."""
    with read_session() as s:
        ev = ec.load(s, evaluasi_id)
        ec.require_read(actor, ev)
        aksi = {r.id: r.uraian for r in ev.rencana_aksi}
        docs = s.scalars(select(EvaluasiDokumen).where(EvaluasiDokumen.evaluasi_id == ev.id)
                         .order_by(EvaluasiDokumen.uploaded_at, EvaluasiDokumen.id)).all()
        signed = [d.id for d in docs if d.jenis == J.DITANDATANGANI]
        rows = [[d.id, d.jenis.value, d.filename, d.content_type, d.size, d.sha256, d.rencana_aksi_id,
                 aksi.get(d.rencana_aksi_id), d.uploaded_by_username, d.uploaded_at, d.keterangan,  # type: ignore[arg-type]
                 d.jenis != J.DITANDATANGANI or d.id == signed[-1],
                 d.jenis == J.BUKTI_DUKUNG and ev.status != S.DISETUJUI and _is_uploader(actor, d)]
                for d in docs]
    return pd.DataFrame(rows, columns=DOC_COLUMNS)


def document_content(actor: Actor, document_id: int) -> tuple[str, str, bytes]:
    """(filename, content_type, data) for anyone who may read the evaluation."""
    with read_session() as s:
        doc = _load_doc(s, document_id)
        ec.require_read(actor, ec.load(s, doc.evaluasi_id))
        return doc.filename, doc.content_type, bytes(doc.content or b"")


def _utc(moment: dt.datetime | None) -> dt.datetime | None:
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _printed_after(s: Session, ids: list[int], approved: dict[int, dt.datetime | None]) -> set[int]:
    """Evaluations whose approved version has been printed (an "evaluasi_cetak" audit row after approval)."""
    if not ids:
        return set()
    rows = s.execute(select(AuditLog.entity_id, AuditLog.at).where(
        AuditLog.action == CETAK_ACTION, AuditLog.entity == "Evaluasi",
        AuditLog.entity_id.in_([str(i) for i in ids]))).all()
    out: set[int] = set()
    for entity_id, at in rows:
        ev_id = int(entity_id)  # type: ignore[arg-type]
        since = _utc(approved.get(ev_id))
        if since is not None and _utc(at) >= since:  # type: ignore[operator]
            out.add(ev_id)
    return out


ARCHIVE_COLUMNS = ["id", "kode", "label", "jenis", "nomor", "mulai", "selesai", "status", "status_label",
                   "disetujui", "dicetak", "ditandatangani", "bukti_dukung", "perlu_arsip", "dokumen_ttd",
                   "ttd_diunggah_pada"]


def archive_status(actor: Actor, period_id: int) -> pd.DataFrame:
    """The actor's own evaluations of the period (periodic in order, then the annual one) with the archive
    checklist: approved? printed after approval? signed scan uploaded (the newest)? how many bukti dukung."""
    if actor.pegawai_id is None:
        return pd.DataFrame(columns=ARCHIVE_COLUMNS)
    with read_session() as s:
        evs = s.scalars(select(Evaluasi).where(Evaluasi.pegawai_id == actor.pegawai_id,
                                               Evaluasi.period_id == period_id)).all()
        evs = sorted(evs, key=lambda e: (e.jenis == JenisEvaluasi.TAHUNAN, e.mulai, e.nomor))
        ids = [e.id for e in evs]
        docs = s.execute(select(EvaluasiDokumen.evaluasi_id, EvaluasiDokumen.jenis, EvaluasiDokumen.filename,
                                EvaluasiDokumen.uploaded_at)
                         .where(EvaluasiDokumen.evaluasi_id.in_(ids))
                         .order_by(EvaluasiDokumen.uploaded_at, EvaluasiDokumen.id)).all() if ids else []
        printed = _printed_after(s, ids, {e.id: e.disetujui_at for e in evs if e.status == S.DISETUJUI})
        rows = []
        for e in evs:
            mine = [d for d in docs if d.evaluasi_id == e.id]
            scans = [d for d in mine if d.jenis == J.DITANDATANGANI]
            approved = e.status == S.DISETUJUI
            rows.append([e.id, e.kode, ec.slot_label(e), e.jenis.value, e.nomor, e.mulai, e.selesai, e.status.value,
                         ec.STATUS_LABEL[e.status], approved, e.id in printed, bool(scans),
                         sum(1 for d in mine if d.jenis == J.BUKTI_DUKUNG), approved and not scans,
                         scans[-1].filename if scans else None, scans[-1].uploaded_at if scans else None])
    return pd.DataFrame(rows, columns=ARCHIVE_COLUMNS)


def periods_of(actor: Actor) -> pd.DataFrame:
    """Periods in which the actor has evaluations (id, tahun), newest first — closed periods included, since
    archiving may come after the period is closed."""
    cols = ["id", "tahun"]
    if actor.pegawai_id is None:
        return pd.DataFrame(columns=cols)
    with read_session() as s:
        rows = s.execute(select(Period.id, Period.tahun).join(Evaluasi, Evaluasi.period_id == Period.id)
                         .where(Evaluasi.pegawai_id == actor.pegawai_id)
                         .group_by(Period.id, Period.tahun).order_by(Period.tahun.desc())).all()
    return pd.DataFrame([list(r) for r in rows], columns=cols)


@dataclass(frozen=True)
class ArsipInfo:
    """What the "Cetak & Arsip Evaluasi" page needs for one evaluation and the acting user."""

    evaluasi_id: int
    label: str
    status: str
    status_label: str
    disetujui: bool
    pdf_filename: str
    maks_mb: int
    can_upload_bukti: bool
    can_upload_signed: bool
    bukti_alasan: str | None  # why bukti dukung cannot be uploaded now
    signed_alasan: str | None
    rencana_aksi: list[tuple[int, str]] = field(default_factory=list)


def arsip_info(actor: Actor, evaluasi_id: int) -> ArsipInfo:
    with read_session() as s:
        ev = ec.load(s, evaluasi_id)
        ec.require_read(actor, ev)
        peg = s.get(Pegawai, ev.pegawai_id)
        owner = ec.is_owner(actor, ev)
        bukti = owner and ev.status in BUKTI_STATUS
        signed = _can_upload_signed(actor, ev) and ev.status == S.DISETUJUI
        if bukti:
            bukti_alasan = None
        elif not owner:
            bukti_alasan = "Bukti dukung diunggah oleh pegawai pemilik evaluasi."
        else:
            bukti_alasan = (f"Evaluasi berstatus {ec.STATUS_LABEL[ev.status]}: bukti dukung hanya dapat diunggah "
                            "selama Draf atau Diajukan.")
        signed_alasan = None if signed else (
            "Dokumen bertanda tangan dapat diunggah setelah evaluasi disetujui atasan pejabat penilai."
            if ev.status != S.DISETUJUI else "Anda tidak berwenang mengunggah dokumen bertanda tangan.")
        aksi = [(r.id, f"{r.rhk_label[:50]} · {r.uraian[:80]}") for r in ev.rencana_aksi]
        return ArsipInfo(evaluasi_id=ev.id, label=ec.slot_label(ev), status=ev.status.value,
                         status_label=ec.STATUS_LABEL[ev.status], disetujui=ev.status == S.DISETUJUI,
                         pdf_filename=pdf_name(peg.nip if peg else "", ev.kode),
                         maks_mb=int(settings.get("unggah_maks_mb", s)), can_upload_bukti=bukti,
                         can_upload_signed=signed, bukti_alasan=bukti_alasan, signed_alasan=signed_alasan,
                         rencana_aksi=aksi)
