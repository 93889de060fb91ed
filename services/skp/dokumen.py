"""Signed SKP scans (SOP 003 step 7, SOP 000 step 8): PDF only (checked by magic bytes), size limited by the
setting `unggah_maks_mb`, stored in the database with size and SHA-256."""

from __future__ import annotations

import hashlib
import re

import pandas as pd
from sqlalchemy import select

from db.engine import read_session
from db.models import SkpDocument, StatusSkp
from services.core import settings
from services.core.actor import Actor
from services.core.errors import FieldError, NotFound, PermissionDenied, ValidationFailed
from services.core.uow import unit_of_work
from services.org import lingkup
from services.skp import common as c

StatusError = c.StatusError


_SAFE_NAME = re.compile(r"[^A-Za-z0-9._ -]+")


def upload_signed_scan(actor: Actor, skp_id: int, filename: str, data: bytes, keterangan: str | None = None) -> int:
    """Archive the signed SKP scan (PDF). Owner, pejabat penilai, atasan pejabat penilai (or their Plt/Plh) or
    Admin SDM of the pegawai's satker (SOP 003 step 7: archived by the pegawai, the atasan and the SDM sub-unit);
    only for an approved SKP."""
    max_mb = settings.get("unggah_maks_mb")
    errors: list[FieldError] = []
    if not data:
        errors.append(FieldError(None, "Berkas", "berkas kosong"))
    elif len(data) > max_mb * 1024 * 1024:
        errors.append(FieldError(None, "Berkas", f"ukuran melebihi batas {max_mb} MB"))
    elif not data.startswith(b"%PDF-"):
        errors.append(FieldError(None, "Berkas", "bukan berkas PDF (hanya PDF yang diterima)"))
    name = _SAFE_NAME.sub("_", (filename or "").strip().rsplit("/", 1)[-1].rsplit("\\", 1)[-1])[:150] or "skp.pdf"
    if not name.lower().endswith(".pdf"):
        name += ".pdf"
    if errors:
        raise ValidationFailed(errors)
    with unit_of_work(actor, action="skp_unggah_dokumen") as s:
        skp = c.load(s, skp_id)
        owner = actor.pegawai_id is not None and actor.pegawai_id == skp.pegawai_id
        line = c.line_for(s, skp.pegawai_id, c.ref_date(skp))
        reviewer = any(actor.reviews_as(x) for x in (skp.pejabat_penilai_id, skp.atasan_penilai_id,
                                                     line.pejabat_penilai_id if line else None,
                                                     line.atasan_penilai_id if line else None))
        if not (owner or reviewer or actor.is_admin):
            raise PermissionDenied("Hanya pemilik SKP, pejabat penilai, atasan pejabat penilai, atau Admin SDM yang "
                                   "dapat mengunggah SKP bertanda tangan.")
        if not (owner or reviewer):  # SOP 003 step 7: the SDM sub-unit archives for its own satker only
            lingkup.require_sdm_for(s, actor, [skp.pegawai_id])
        if skp.status != StatusSkp.DISETUJUI:
            raise StatusError("SKP bertanda tangan hanya dapat diunggah setelah SKP disetujui.")
        doc = SkpDocument(skp_id=skp.id, version_no=skp.version_no, filename=name, content_type="application/pdf",
                          size=len(data), sha256=hashlib.sha256(data).hexdigest(), content=data,
                          uploaded_by_user_id=actor.user_id, uploaded_by_username=actor.username,
                          uploaded_at=c.now(), keterangan=(keterangan or "").strip()[:300] or None)
        s.add(doc)
        s.flush()
        return doc.id


def documents(actor: Actor, skp_id: int) -> pd.DataFrame:
    cols = ["id", "versi", "nama_berkas", "ukuran", "sha256", "diunggah_oleh", "diunggah_pada", "keterangan"]
    with read_session() as s:
        skp = c.load(s, skp_id)
        c.require_read(s, actor, skp)
        rows = s.execute(select(SkpDocument.id, SkpDocument.version_no, SkpDocument.filename, SkpDocument.size,
                                SkpDocument.sha256, SkpDocument.uploaded_by_username, SkpDocument.uploaded_at,
                                SkpDocument.keterangan)
                         .where(SkpDocument.skp_id == skp_id).order_by(SkpDocument.id)).all()
    return pd.DataFrame([list(r) for r in rows], columns=cols)


def document_content(actor: Actor, document_id: int) -> tuple[str, bytes]:
    with read_session() as s:
        doc = s.get(SkpDocument, document_id)
        if doc is None:
            raise NotFound("Dokumen tidak ditemukan.")
        c.require_read(s, actor, c.load(s, doc.skp_id))
        return doc.filename, bytes(doc.content or b"")
