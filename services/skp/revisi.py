"""SKP revision after approval: the owner asks with a reason; the pejabat penilai accepts (version n+1 opens
as DRAFT, copied from version n, which stays readable in SkpVersion) or rejects with a note."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from db.models import SkpRevisionRequest, StatusRevisi, StatusSkp
from services.core.actor import Actor
from services.core.errors import FieldError, NotFound, ValidationFailed
from services.core.uow import unit_of_work
from services.skp import common as c

MAX_CATATAN = 2000
StatusError = c.StatusError


def request_revision(actor: Actor, skp_id: int, alasan: str) -> int:
    """The owner asks to revise an approved SKP; the pejabat penilai accepts or rejects."""
    reason = (alasan or "").strip()
    if not reason:
        raise ValidationFailed([FieldError(None, "Alasan", "wajib diisi")])
    if len(reason) > MAX_CATATAN:
        raise ValidationFailed([FieldError(None, "Alasan", f"paling banyak {MAX_CATATAN} karakter")])
    with unit_of_work(actor, action="skp_revisi_diminta") as s:
        skp = c.load(s, skp_id)
        c.require_owner(actor, skp, "meminta revisi")
        if skp.status != StatusSkp.DISETUJUI:
            raise StatusError("Revisi hanya dapat diminta untuk SKP yang sudah disetujui; SKP ini masih dapat "
                              "diubah langsung.")
        if s.scalar(select(SkpRevisionRequest.id).where(SkpRevisionRequest.skp_id == skp.id,
                                                        SkpRevisionRequest.status == StatusRevisi.DIAJUKAN)):
            raise StatusError("Masih ada permintaan revisi yang menunggu keputusan pejabat penilai.")
        req = SkpRevisionRequest(skp_id=skp.id, version_no=skp.version_no, alasan=reason,
                                 status=StatusRevisi.DIAJUKAN, requested_by_id=actor.pegawai_id,
                                 requested_at=c.now())
        s.add(req)
        s.flush()
        return req.id


def _decide_revision(actor: Actor, request_id: int, accept: bool, catatan: str | None,
                     today: dt.date | None) -> None:
    note = (catatan or "").strip() or None
    if not accept and not note:
        raise ValidationFailed([FieldError(None, "Catatan", "wajib diisi saat menolak permintaan revisi")])
    if note and len(note) > MAX_CATATAN:
        raise ValidationFailed([FieldError(None, "Catatan", f"paling banyak {MAX_CATATAN} karakter")])
    with unit_of_work(actor, action="skp_revisi_diterima" if accept else "skp_revisi_ditolak") as s:
        req = s.get(SkpRevisionRequest, request_id)
        if req is None:
            raise NotFound("Permintaan revisi tidak ditemukan.")
        skp = c.load(s, req.skp_id)
        c.require_decider(s, actor, skp, today)
        if req.status != StatusRevisi.DIAJUKAN:
            raise StatusError("Permintaan revisi ini sudah diputuskan.")
        req.status = StatusRevisi.DITERIMA if accept else StatusRevisi.DITOLAK
        req.decided_by_id = actor.pegawai_id
        req.decided_by_username = actor.username
        req.decided_at = c.now()
        req.catatan_keputusan = note
        if accept:
            if skp.status != StatusSkp.DISETUJUI:
                raise StatusError("SKP tidak dalam status disetujui.")
            skp.status = StatusSkp.DRAFT
            skp.version_no += 1
            skp.submitted_at = None
            skp.decided_at = None
            skp.decided_by_id = None
            skp.decided_by_username = None


def accept_revision(actor: Actor, request_id: int, catatan: str | None = None, today: dt.date | None = None) -> None:
    """Accepting opens version n+1 as DRAFT (content copied from version n); version n stays in SkpVersion."""
    _decide_revision(actor, request_id, True, catatan, today)


def reject_revision(actor: Actor, request_id: int, catatan: str, today: dt.date | None = None) -> None:
    _decide_revision(actor, request_id, False, catatan, today)
