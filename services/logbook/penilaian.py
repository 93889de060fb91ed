"""Logbook review: the pejabat penilai's bulk grid, the pemberi pertimbangan's notes, correction requests and
review deadlines (SOP 000 steps 4–6). Pages import these through services.logbook.

`review` is one set-based transaction: permission is checked with one query over all ids, the status change
is one UPDATE … WHERE id IN (…) per distinct note, and the audit rows (before/after per entry) are inserted in
bulk.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import and_, case, exists, func, insert, or_, select, update
from sqlalchemy.orm import Session

from db.engine import read_session
from db.models import (
    AuditLog,
    LogbookAttachment,
    LogbookCorrection,
    LogbookEntry,
    LogbookMonthNote,
    Pegawai,
    ReportingLine,
    StatusKoreksi,
    StatusLogbook,
)
from services.core import audit, clock
from services.core.actor import Actor
from services.core.errors import Conflict, FieldError, NotFound, PermissionDenied, ValidationFailed
from services.core.uow import unit_of_work
from services.logbook import common as c
from services.logbook.common import STATUS_LABEL, LogbookStatusError

QUEUE_COLUMNS = ["id", "pegawai_id", "nip", "pegawai", "tanggal", "jam", "durasi_menit", "rhk_id", "rhk", "uraian",
                 "volume", "satuan", "bukti_link", "lampiran", "status", "catatan_pertimbangan", "catatan_penilai",
                 "terlambat", "justifikasi_terlambat", "catatan_hari_libur", "diajukan", "batas_penilaian",
                 "lewat_batas", "bisa_menilai", "bisa_pertimbangan", "version"]
"""Columns of `review_queue`. `status` is the label; `bisa_menilai` = the actor is this entry's pejabat
penilai (approve/return/reject); `bisa_pertimbangan` = the actor is its pemberi pertimbangan."""
QUEUE_LABELS = {
    "id": "ID", "pegawai_id": "ID Pegawai", "nip": "NIP", "pegawai": "Pegawai", "tanggal": "Tanggal", "jam": "Jam",
    "durasi_menit": "Durasi (menit)", "rhk_id": "ID RHK", "rhk": "RHK", "uraian": "Uraian Kegiatan",
    "volume": "Volume", "satuan": "Satuan", "bukti_link": "Bukti Dukung", "lampiran": "Lampiran", "status": "Status",
    "catatan_pertimbangan": "Catatan Pertimbangan", "catatan_penilai": "Catatan Penilai", "terlambat": "Terlambat",
    "justifikasi_terlambat": "Justifikasi Terlambat", "catatan_hari_libur": "Catatan Hari Libur",
    "diajukan": "Diajukan", "batas_penilaian": "Batas Penilaian", "lewat_batas": "Lewat Batas",
    "bisa_menilai": "Dapat Dinilai", "bisa_pertimbangan": "Dapat Diberi Pertimbangan", "version": "Versi",
}
DECISIONS = tuple(c.DECISIONS)  # ("setujui", "kembalikan", "tolak")


E = LogbookEntry
NOT_A_REVIEWER = ("Halaman ini untuk pejabat penilai dan pemberi pertimbangan. Anda tidak tercatat sebagai penilai "
                  "atau pemberi pertimbangan pegawai mana pun.")


@dataclass(frozen=True)
class ReviewFilters:
    """Choices for the review page's filters."""

    pegawai: dict[int, str]  # pegawai id -> "Nama (NIP)"
    rhk: dict[int, str]  # rhk id -> label (RHK used by the listed entries)
    status: list[str]  # status labels


def _scope_ids(s: Session, actor: Actor) -> set[int]:
    """The candidate pegawai of the actor's review scope (a superset; the exact dated condition follows)."""
    ids = c.candidate_ids(s, actor, ReportingLine.pejabat_penilai_id, ReportingLine.pemberi_pertimbangan_id)
    if actor.is_admin:
        ids |= c.uncovered_ids(s)
    return ids


def _scope(s: Session, actor: Actor):
    """SQL condition on LogbookEntry: entries the actor reviews (penilai) or considers (pemberi pertimbangan),
    behind an IN-list of the candidate pegawai so the query reads only their rows."""
    return and_(E.pegawai_id.in_(sorted(_scope_ids(s, actor))),
                or_(c.penilai_condition(actor), c.relation_condition(actor, ReportingLine.pemberi_pertimbangan_id)))


def _require_reviewer(s: Session, actor: Actor) -> None:
    if actor.is_admin:
        return
    me = list(actor.reviewer_ids)  # with the holder a Plt/Plh acts for
    if not me or s.scalar(select(ReportingLine.id).where(or_(
            ReportingLine.pejabat_penilai_id.in_(me), ReportingLine.pemberi_pertimbangan_id.in_(me))).limit(1)) is None:
        raise PermissionDenied(NOT_A_REVIEWER)


def _status_value(status: str | None) -> StatusLogbook | None:
    if status is None or status == "":
        return None
    if status in c.LABEL_STATUS:
        return c.LABEL_STATUS[status]
    try:
        return StatusLogbook(status)
    except ValueError:
        raise ValidationFailed([FieldError(None, QUEUE_LABELS["status"], "status tidak dikenal")]) from None


def review_filters(actor: Actor, *, today: dt.date | None = None) -> ReviewFilters:
    """The pegawai the actor reviews or gives consideration to (with entries), and the RHK of their entries.
    PermissionDenied when the actor reviews nobody (and is not Admin SDM)."""
    with read_session() as s:
        _require_reviewer(s, actor)
        scope = _scope(s, actor)
        people = s.execute(select(Pegawai.id, Pegawai.nama, Pegawai.gelar_depan, Pegawai.gelar_belakang, Pegawai.nip)
                           .where(Pegawai.id.in_(sorted(_scope_ids(s, actor))),
                                  exists().where(E.pegawai_id == Pegawai.id, E.status != StatusLogbook.DRAFT, scope))
                           .order_by(Pegawai.nama)).all()
        rhk = s.execute(select(E.rhk_id, E.rhk_label).where(E.status != StatusLogbook.DRAFT, E.rhk_id.is_not(None),
                                                            scope).distinct()).all()
    names = {r[0]: f"{_full(r[1], r[2], r[3])} ({r[4]})" for r in people}
    return ReviewFilters(names, {r[0]: r[1] for r in sorted(rhk, key=lambda r: r[1] or "")},  # type: ignore[misc]
                         [v for k, v in STATUS_LABEL.items() if k != StatusLogbook.DRAFT])


def _full(nama: str, depan: str | None, belakang: str | None) -> str:
    name = f"{depan.strip()} {nama.strip()}" if depan else nama.strip()
    return f"{name}, {belakang.strip()}" if belakang else name


def _filtered(q, st, pegawai_id, date_from, date_to, rhk_id):
    if st is not None:
        q = q.where(E.status == st)
    if pegawai_id is not None:
        q = q.where(E.pegawai_id == pegawai_id)
    if date_from is not None:
        q = q.where(E.tanggal >= date_from)
    if date_to is not None:
        q = q.where(E.tanggal <= date_to)
    if rhk_id is not None:
        q = q.where(E.rhk_id == rhk_id)
    return q


def review_queue_count(actor: Actor, *, pegawai_id: int | None = None, date_from: dt.date | None = None,
                       date_to: dt.date | None = None, status: str | None = "Belum Diperiksa",
                       rhk_id: int | None = None) -> int:
    """How many rows review_queue returns for the same filters without a limit (for the page's pager)."""
    st = _status_value(status)
    with read_session() as s:
        _require_reviewer(s, actor)
        q = select(func.count()).select_from(E).where(_scope(s, actor), E.status != StatusLogbook.DRAFT)
        return int(s.scalar(_filtered(q, st, pegawai_id, date_from, date_to, rhk_id)) or 0)


def review_queue(actor: Actor, *, pegawai_id: int | None = None, date_from: dt.date | None = None,
                 date_to: dt.date | None = None, status: str | None = "Belum Diperiksa", rhk_id: int | None = None,
                 today: dt.date | None = None, limit: int | None = None, offset: int = 0) -> pd.DataFrame:
    """Entries of the actor's subordinates (pejabat penilai or pemberi pertimbangan; Admin SDM: pegawai without
    a pejabat penilai in the satker), columns QUEUE_COLUMNS, ordered by pegawai, date, time.

    Filters: pegawai_id, date range (inclusive), status (label or code; None = all statuses except Draft),
    rhk_id; `limit`/`offset` read one page (review_queue_count gives the total). PermissionDenied when the actor
    reviews nobody."""
    today = today or clock.today()
    st = _status_value(status)
    with read_session() as s:
        _require_reviewer(s, actor)
        can_judge = case((c.penilai_condition(actor), True), else_=False)
        can_consider = case((c.relation_condition(actor, ReportingLine.pemberi_pertimbangan_id), True), else_=False)
        n_att = (select(func.count(LogbookAttachment.id)).where(LogbookAttachment.entry_id == E.id)
                 .scalar_subquery())
        q = (select(E, Pegawai.nip, Pegawai.nama, Pegawai.gelar_depan, Pegawai.gelar_belakang, can_judge, can_consider,
                    n_att)
             .join(Pegawai, Pegawai.id == E.pegawai_id)
             .where(_scope(s, actor), E.status != StatusLogbook.DRAFT)
             .order_by(Pegawai.nama, E.tanggal, E.jam_mulai, E.id))
        q = _filtered(q, st, pegawai_id, date_from, date_to, rhk_id)
        if limit is not None:
            q = q.limit(limit).offset(max(0, offset))
        deadlines: dict[tuple[int, int], dt.date] = {}
        rows = []
        for e, nip, nama, depan, belakang, judge, consider, att in s.execute(q):
            key = (e.tanggal.year, e.tanggal.month)
            if key not in deadlines:
                deadlines[key] = c.batas_penilaian(*key, s)
            rows.append({
                "id": e.id, "pegawai_id": e.pegawai_id, "nip": nip, "pegawai": _full(nama, depan, belakang),
                "tanggal": e.tanggal, "jam": c.jam_label(e.jam_mulai, e.jam_selesai), "durasi_menit": e.durasi_menit,
                "rhk_id": e.rhk_id, "rhk": e.rhk_label, "uraian": e.uraian, "volume": float(e.volume),
                "satuan": e.satuan, "bukti_link": e.bukti_link, "lampiran": int(att or 0),
                "status": STATUS_LABEL[e.status], "catatan_pertimbangan": e.catatan_pertimbangan,
                "catatan_penilai": e.catatan_penilai, "terlambat": bool(e.terlambat),
                "justifikasi_terlambat": e.justifikasi_terlambat, "catatan_hari_libur": e.catatan_hari_libur,
                "diajukan": e.submitted_at, "batas_penilaian": deadlines[key],
                "lewat_batas": e.status == StatusLogbook.DIAJUKAN and today > deadlines[key],
                "bisa_menilai": bool(judge) and e.pegawai_id != actor.pegawai_id,
                "bisa_pertimbangan": bool(consider), "version": e.version,
            })
    df = pd.DataFrame(rows, columns=QUEUE_COLUMNS)
    for col in ("tanggal", "batas_penilaian"):
        df[col] = df[col].astype("object")
    return df


def _notes(ids: list[int], note: str | None, notes_by_id: dict[int, str] | None) -> dict[int, str | None]:
    per = {int(k): c.text(v) for k, v in (notes_by_id or {}).items()}
    default = c.text(note)
    return {i: per.get(i) or default for i in ids}


def _bulk_audit(s: Session, actor: Actor, action: str, changes: list[tuple[int, dict, dict]]) -> None:
    """Audit rows (one per entry, with before/after) inserted in one statement."""
    if changes:
        s.connection().execute(insert(AuditLog), [audit._row(actor, action, "LogbookEntry", str(i), before, after)
                                                  for i, before, after in changes])


def _jsonable(v):
    return audit._jsonable(v)


def review(actor: Actor, entry_ids: list[int], decision: str, note: str | None = None,
           notes_by_id: dict[int, str] | None = None, *, today: dt.date | None = None) -> int:
    """Decide many submitted entries at once; returns how many were changed.

    decision: "setujui" (approve; a late entry's justification is accepted), "kembalikan" (return for
    revision) or "tolak" (reject). `notes_by_id` gives a note per entry, `note` one for the rest; returning
    and rejecting need a note for every entry (ValidationFailed, field "Catatan Penilai").
    Refused as a whole (nothing changes): PermissionDenied when any entry is the actor's own or of someone the
    actor is not pejabat penilai of; NotFound for unknown ids; LogbookStatusError when an entry is not
    "Belum Diperiksa"; Conflict when an entry changed during the call."""
    label = QUEUE_LABELS["catatan_penilai"]
    if decision not in c.DECISIONS:
        raise ValidationFailed([FieldError(None, "Keputusan", "pilih setujui, kembalikan, atau tolak")])
    ids = sorted({int(i) for i in entry_ids})
    if not ids:
        return 0
    notes = _notes(ids, note, notes_by_id)
    errors = []
    missing = [i for i in ids if notes[i] is None]
    if decision != "setujui" and missing:
        errors.append(FieldError(None, label, f"wajib diisi untuk kegiatan yang {c.DECISION_LABEL[decision]} "
                                 f"({len(missing)} kegiatan tanpa catatan)"))
    if any(n is not None and len(n) > c.NOTE_MAKS for n in notes.values()):
        errors.append(FieldError(None, label, f"paling banyak {c.NOTE_MAKS} karakter"))
    if errors:
        raise ValidationFailed(errors)
    new_status = c.DECISIONS[decision]
    moment = c.now()
    with unit_of_work(actor, action=f"logbook_{decision}") as s:
        allowed = case((c.penilai_condition(actor), True), else_=False)
        found = s.execute(select(E.id, E.pegawai_id, E.status, E.catatan_penilai, E.terlambat,
                                 E.terlambat_diterima, E.version, allowed).where(E.id.in_(ids))).all()
        if len(found) != len(ids):
            raise NotFound(f"{len(ids) - len(found)} kegiatan logbook tidak ditemukan (mungkin sudah dihapus).")
        if actor.pegawai_id is not None and any(r.pegawai_id == actor.pegawai_id for r in found):
            raise PermissionDenied("Anda tidak dapat menilai logbook Anda sendiri.")
        refused = {r.pegawai_id for r in found if not r[7]}
        if refused:
            raise PermissionDenied(f"Anda bukan pejabat penilai dari {len(refused)} pegawai pada pilihan ini; "
                                   "tidak ada kegiatan yang dinilai.")
        wrong = [r for r in found if r.status != StatusLogbook.DIAJUKAN]
        if wrong:
            kinds = ", ".join(sorted({STATUS_LABEL[r.status] for r in wrong}))
            raise LogbookStatusError(f"{len(wrong)} kegiatan tidak berstatus Belum Diperiksa ({kinds}); "
                                     "muat ulang daftar lalu ulangi.")
        groups: dict[str | None, list[int]] = defaultdict(list)
        for i in ids:
            groups[notes[i]].append(i)
        accepted = decision == "setujui"
        changed = 0
        for text_, group in groups.items():
            stmt = (update(E).where(E.id.in_(group), E.status == StatusLogbook.DIAJUKAN)
                    .values(status=new_status, catatan_penilai=text_, reviewed_by_id=actor.pegawai_id,
                            reviewed_by_username=actor.username, reviewed_at=moment,
                            terlambat_diterima=case((E.terlambat.is_(True), accepted), else_=E.terlambat_diterima),
                            version=E.version + 1, updated_at=moment)
                    .execution_options(synchronize_session=False))
            changed += s.execute(stmt).rowcount  # type: ignore[attr-defined]
        if changed != len(ids):
            raise Conflict("Sebagian kegiatan diubah di tempat lain saat dinilai; muat ulang daftar lalu ulangi.")
        stamp = _jsonable(moment)
        _bulk_audit(s, actor, f"logbook_{decision}", [
            (r.id,
             {"status": r.status.value, "catatan_penilai": r.catatan_penilai,
              **({"terlambat_diterima": r.terlambat_diterima} if r.terlambat else {})},
             {"status": new_status.value, "catatan_penilai": notes[r.id], "reviewed_by_username": actor.username,
              "reviewed_at": stamp, **({"terlambat_diterima": accepted} if r.terlambat else {})})
            for r in found])
        return changed


def set_pertimbangan(actor: Actor, entry_ids: list[int], note: str | None = None,
                     notes_by_id: dict[int, str] | None = None) -> int:
    """Pemberi pertimbangan (Ketua Tim): store a consideration note on submitted entries (an empty note
    clears it). PermissionDenied unless the actor is pemberi pertimbangan of every entry's pegawai;
    LogbookStatusError for entries that are not "Belum Diperiksa". Returns the number changed."""
    ids = sorted({int(i) for i in entry_ids})
    if not ids:
        return 0
    notes = _notes(ids, note, notes_by_id)
    if any(n is not None and len(n) > c.NOTE_MAKS for n in notes.values()):
        raise ValidationFailed([FieldError(None, QUEUE_LABELS["catatan_pertimbangan"],
                                           f"paling banyak {c.NOTE_MAKS} karakter")])
    moment = c.now()
    with unit_of_work(actor, action="logbook_pertimbangan") as s:
        allowed = case((c.relation_condition(actor, ReportingLine.pemberi_pertimbangan_id), True), else_=False)
        found = s.execute(select(E.id, E.pegawai_id, E.status, E.catatan_pertimbangan, allowed)
                          .where(E.id.in_(ids))).all()
        if len(found) != len(ids):
            raise NotFound("Sebagian kegiatan logbook tidak ditemukan (mungkin sudah dihapus).")
        if any(r.pegawai_id == actor.pegawai_id for r in found) or not all(r[4] for r in found):
            raise PermissionDenied("Hanya pemberi pertimbangan pegawai ini yang dapat memberi catatan pertimbangan.")
        if any(r.status != StatusLogbook.DIAJUKAN for r in found):
            raise LogbookStatusError("Catatan pertimbangan hanya untuk kegiatan yang belum diperiksa penilai.")
        groups: dict[str | None, list[int]] = defaultdict(list)
        for i in ids:
            groups[notes[i]].append(i)
        changed = 0
        for text_, group in groups.items():
            changed += s.execute(  # type: ignore[attr-defined]
                update(E).where(E.id.in_(group), E.status == StatusLogbook.DIAJUKAN)
                .values(catatan_pertimbangan=text_, pertimbangan_by_id=actor.pegawai_id, pertimbangan_at=moment,
                        version=E.version + 1, updated_at=moment)
                .execution_options(synchronize_session=False)).rowcount
        if changed != len(ids):
            raise Conflict("Sebagian kegiatan diubah di tempat lain; muat ulang daftar lalu ulangi.")
        _bulk_audit(s, actor, "logbook_pertimbangan", [
            (r.id, {"catatan_pertimbangan": r.catatan_pertimbangan}, {"catatan_pertimbangan": notes[r.id]})
            for r in found])
        return changed


def _is_pertimbangan_for_month(s: Session, actor: Actor, pegawai_id: int, year: int, month: int) -> bool:
    if actor.pegawai_id is None:
        return False
    start, end = c.month_bounds(year, month)
    return s.scalar(select(ReportingLine.id).where(
        ReportingLine.pegawai_id == pegawai_id, ReportingLine.pemberi_pertimbangan_id.in_(actor.reviewer_ids),
        ReportingLine.berlaku_mulai <= end,
        or_(ReportingLine.berlaku_sampai.is_(None), ReportingLine.berlaku_sampai >= start)).limit(1)) is not None


def month_note(actor: Actor, pegawai_id: int, year: int, month: int) -> str | None:
    """The pemberi pertimbangan's note for a pegawai-month (None when there is none). Readable by the pegawai,
    their reviewers, Admin SDM and Kepala Satker."""
    with read_session() as s:
        c.require_view_pegawai(s, actor, pegawai_id, dt.date(year, month, 1))
        return s.scalar(select(LogbookMonthNote.catatan).where(
            LogbookMonthNote.pegawai_id == pegawai_id, LogbookMonthNote.tahun == year, LogbookMonthNote.bulan == month))


def set_month_note(actor: Actor, pegawai_id: int, year: int, month: int, catatan: str | None) -> None:
    """Create/replace (or delete, when empty) the pegawai-month consideration note; pemberi pertimbangan only."""
    text_ = c.text(catatan)
    if text_ is not None and len(text_) > c.NOTE_MAKS:
        raise ValidationFailed([FieldError(None, "Catatan Pertimbangan", f"paling banyak {c.NOTE_MAKS} karakter")])
    with unit_of_work(actor, action="logbook_pertimbangan_bulanan") as s:
        if not _is_pertimbangan_for_month(s, actor, pegawai_id, year, month):
            raise PermissionDenied("Hanya pemberi pertimbangan pegawai ini yang dapat memberi catatan bulanan.")
        row = s.scalar(select(LogbookMonthNote).where(
            LogbookMonthNote.pegawai_id == pegawai_id, LogbookMonthNote.tahun == year, LogbookMonthNote.bulan == month))
        if text_ is None:
            if row is not None:
                s.delete(row)
        elif row is None:
            s.add(LogbookMonthNote(pegawai_id=pegawai_id, tahun=year, bulan=month, catatan=text_,
                                   author_id=actor.pegawai_id, author_username=actor.username))
        else:
            row.catatan, row.author_id, row.author_username = text_, actor.pegawai_id, actor.username


CORRECTION_COLUMNS = ["id", "entry_id", "pegawai", "tanggal", "uraian", "alasan", "diminta"]


def correction_queue(actor: Actor) -> pd.DataFrame:
    """Open correction requests the actor (as pejabat penilai) must decide: columns CORRECTION_COLUMNS."""
    with read_session() as s:
        rows = s.execute(
            select(LogbookCorrection.id, E.id, Pegawai.nama, Pegawai.gelar_depan, Pegawai.gelar_belakang, E.tanggal,
                   E.uraian, LogbookCorrection.alasan, LogbookCorrection.requested_at)
            .join(E, E.id == LogbookCorrection.entry_id).join(Pegawai, Pegawai.id == E.pegawai_id)
            .where(LogbookCorrection.status == StatusKoreksi.DIAJUKAN, c.penilai_scope(s, actor),
                   E.pegawai_id != (actor.pegawai_id or -1))
            .order_by(LogbookCorrection.requested_at)).all()
    df = pd.DataFrame([{"id": r[0], "entry_id": r[1], "pegawai": _full(r[2], r[3], r[4]), "tanggal": r[5],
                        "uraian": r[6], "alasan": r[7], "diminta": r[8]} for r in rows], columns=CORRECTION_COLUMNS)
    df["tanggal"] = df["tanggal"].astype("object")
    return df


def decide_correction(actor: Actor, correction_id: int, accept: bool, catatan: str | None = None) -> None:
    """Accept (the entry goes back to "Revisi" so the pegawai can fix and resubmit it) or reject a correction
    request. PermissionDenied unless the actor is the entry's pejabat penilai; LogbookStatusError when the
    request is already decided or the entry is no longer approved."""
    text_ = c.text(catatan)
    if text_ is not None and len(text_) > c.NOTE_MAKS:
        raise ValidationFailed([FieldError(None, "Catatan", f"paling banyak {c.NOTE_MAKS} karakter")])
    with unit_of_work(actor, action="logbook_koreksi_terima" if accept else "logbook_koreksi_tolak") as s:
        k = s.get(LogbookCorrection, correction_id)
        if k is None:
            raise NotFound("Permintaan koreksi tidak ditemukan.")
        ok = s.scalar(select(case((c.penilai_condition(actor), True), else_=False)).where(E.id == k.entry_id))
        e = s.get(E, k.entry_id)
        assert e is not None
        if e.pegawai_id == actor.pegawai_id or not ok:
            raise PermissionDenied("Hanya pejabat penilai pegawai ini yang dapat memutuskan permintaan koreksi.")
        if k.status != StatusKoreksi.DIAJUKAN:
            raise LogbookStatusError("Permintaan koreksi ini sudah diputuskan.")
        k.status = StatusKoreksi.DITERIMA if accept else StatusKoreksi.DITOLAK
        k.decided_by_id, k.decided_by_username, k.decided_at = actor.pegawai_id, actor.username, c.now()
        k.catatan_keputusan = text_
        if accept:
            if e.status != StatusLogbook.DISETUJUI:
                raise LogbookStatusError("Kegiatan ini tidak lagi berstatus disetujui.")
            e.status = StatusLogbook.DIKEMBALIKAN
            e.catatan_penilai = "Koreksi disetujui: " + k.alasan + (f" — {text_}" if text_ else "")
            e.reviewed_by_id, e.reviewed_by_username, e.reviewed_at = actor.pegawai_id, actor.username, c.now()


OVERDUE_COLUMNS = ["penilai_id", "penilai", "pegawai_id", "pegawai", "tahun", "bulan", "jumlah", "batas_penilaian"]


def _line_on(lines: list[tuple], d: dt.date) -> tuple | None:
    """The reporting line (pegawai_id, mulai, sampai, penilai, atasan) in force on `d` (the latest start wins),
    from the pegawai's lines sorted by start."""
    best = None
    for line in lines:
        if line[1] <= d and (line[2] is None or line[2] >= d):
            best = line
    return best


def pending_groups(s: Session, where, today: dt.date | None = None, *, limit: int | None = None,
                   offset: int = 0, groups: list | None = None) -> list[dict]:
    """Submitted entries matching `where` per (pejabat penilai, atasan penilai, pegawai, year, month) with their
    count and oldest date: one aggregate query per pegawai-month, the dated reporting line resolved per group in
    Python (per day only for a month in which the pegawai's line changed), instead of a correlated subquery
    per entry. With `limit`, only that page of pegawai-months in (year, month, pegawai) order is read (paged in
    SQL); a pegawai-month whose line changed may still give more than one group. `groups`: the pegawai-month
    rows (pegawai_id, year, month, count, first date, last date) already read by the caller (_month_groups)."""
    if groups is None:
        groups = [g[:6] for g in s.execute(_month_groups(where, limit, offset))]
    if not groups:
        return []
    pids = sorted({g[0] for g in groups})
    lines: dict[int, list[tuple]] = defaultdict(list)
    q = (select(ReportingLine.pegawai_id, ReportingLine.berlaku_mulai, ReportingLine.berlaku_sampai,
                ReportingLine.pejabat_penilai_id, ReportingLine.atasan_penilai_id)
         .order_by(ReportingLine.pegawai_id, ReportingLine.berlaku_mulai, ReportingLine.id))
    if len(pids) <= 500:  # a reviewer's scope: their pegawai's lines; an organisation-wide view: every line
        q = q.where(ReportingLine.pegawai_id.in_(pids))
    wanted = set(pids)
    for row in s.execute(q):
        if row[0] in wanted:
            lines[row[0]].append(tuple(row))
    out: dict[tuple, dict] = {}

    def add(pen, ata, pid, y, m, n, oldest):
        key = (pen, ata, pid, y, m)
        if key in out:
            out[key]["jumlah"] += n
            out[key]["tertua"] = min(out[key]["tertua"], oldest)
        else:
            out[key] = {"penilai_id": pen, "atasan_id": ata, "pegawai_id": pid, "tahun": y, "bulan": m,
                        "jumlah": n, "tertua": oldest}

    for pid, y, m, n, dmin, dmax in groups:
        y, m = int(y), int(m)
        mine = lines.get(pid, [])
        a, b = _line_on(mine, dmin), _line_on(mine, dmax)
        steady = a == b and not any(dmin < ln[1] <= dmax or (ln[2] is not None and dmin <= ln[2] < dmax)
                                    for ln in mine)
        if steady:
            add(a[3] if a else None, a[4] if a else None, pid, y, m, int(n), dmin)
            continue
        for d, k in s.execute(select(E.tanggal, func.count()).where(
                E.status == StatusLogbook.DIAJUKAN, where, E.pegawai_id == pid, E.tanggal >= dmin, E.tanggal <= dmax)
                .group_by(E.tanggal)):
            ln = _line_on(mine, d)
            add(ln[3] if ln else None, ln[4] if ln else None, pid, y, m, int(k), d)
    return list(out.values())


def _month_groups(where, limit: int | None = None, offset: int = 0, totals: bool = False):
    """Submitted entries matching `where` per pegawai-month: (pegawai_id, year, month, count, first date, last
    date), with `limit` one page in (year, month, pegawai) order; `totals` adds the number of pegawai-months and
    of entries over every page (window aggregates, so one scan gives the page and the pager's total)."""
    yr, mo = func.extract("year", E.tanggal), func.extract("month", E.tanggal)
    cols = [E.pegawai_id, yr, mo, func.count(), func.min(E.tanggal), func.max(E.tanggal)]
    if totals:
        cols += [func.count().over(), func.sum(func.count()).over()]
    q = select(*cols).where(E.status == StatusLogbook.DIAJUKAN, where).group_by(E.pegawai_id, yr, mo)
    if limit is not None:
        q = q.order_by(yr, mo, E.pegawai_id).limit(limit).offset(max(0, offset))
    return q


def overdue_rows(s: Session, today: dt.date, pegawai_ids: set[int] | None = None) -> list[dict]:
    """Every overdue group (penilai, atasan penilai, pegawai, month) with its count and deadline; with
    `pegawai_ids`, only those pegawai's entries (the caller's scope)."""
    first = today.replace(day=1)
    where = E.tanggal < first
    if pegawai_ids is not None:
        where = and_(where, E.pegawai_id.in_(sorted(pegawai_ids)))
    out = []
    deadlines: dict[tuple[int, int], dt.date] = {}
    for g in pending_groups(s, where):
        y, m = g["tahun"], g["bulan"]
        if (y, m) not in deadlines:
            deadlines[(y, m)] = c.batas_penilaian(y, m, s)
        if today > deadlines[(y, m)]:
            out.append({"penilai_id": g["penilai_id"], "atasan_id": g["atasan_id"], "pegawai_id": g["pegawai_id"],
                        "tahun": y, "bulan": m, "jumlah": g["jumlah"], "batas_penilaian": deadlines[(y, m)]})
    return out


@dataclass(frozen=True)
class OverdueSummary:
    jumlah: int  # overdue submitted entries
    penilai: int  # distinct pejabat penilai (no penilai counts as one)
    batas_tertua: dt.date | None  # the earliest passed deadline among them


def overdue_cutoff(s: Session, today: dt.date) -> dt.date | None:
    """Entries dated before the returned day are past their review deadline (deadlines do not decrease from
    one month to the next, so the overdue months are every month up to the latest one whose deadline passed);
    None when no month's deadline has passed yet."""
    y, m = today.year, today.month
    for _ in range(36):
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
        if today > c.batas_penilaian(y, m, s):
            return dt.date(y + (m == 12), m % 12 + 1, 1)  # the first day after that month
    return None


def overdue_summary(s: Session, today: dt.date) -> OverdueSummary:
    """The organisation's overdue reviews in one aggregate: submitted entries before the cutoff joined with
    the reporting line in force on the entry's date (the figures of overdue_rows without a row per group)."""
    cutoff = overdue_cutoff(s, today)
    if cutoff is None:
        return OverdueSummary(0, 0, None)
    row = s.execute(
        select(func.count(func.distinct(E.id)), func.count(func.distinct(ReportingLine.pejabat_penilai_id)),
               func.max(case((ReportingLine.pejabat_penilai_id.is_(None), 1), else_=0)), func.min(E.tanggal))
        .select_from(E).outerjoin(ReportingLine, and_(ReportingLine.pegawai_id == E.pegawai_id,
                                                      c.line_covers(E.tanggal)))
        .where(E.status == StatusLogbook.DIAJUKAN, E.tanggal < cutoff)).one()
    n, distinct, none, oldest = row
    if not n:
        return OverdueSummary(0, 0, None)
    return OverdueSummary(int(n), int(distinct) + int(none or 0),
                          c.batas_penilaian(oldest.year, oldest.month, s))


def names_of(s: Session, ids) -> dict[int | None, str]:
    """Full names of the given pegawai ids in one query ({None: "(tanpa pejabat penilai)"} included)."""
    names: dict[int | None, str] = {None: "(tanpa pejabat penilai)"}
    wanted = sorted({i for i in ids if i is not None})
    for i in range(0, len(wanted), 5000):
        for pid, nama, depan, belakang in s.execute(select(Pegawai.id, Pegawai.nama, Pegawai.gelar_depan,
                                                           Pegawai.gelar_belakang).where(Pegawai.id.in_(wanted[i:i + 5000]))):
            names[pid] = _full(nama, depan, belakang)
    return names


def overdue_reviews(actor: Actor, *, today: dt.date | None = None) -> pd.DataFrame:
    """Submitted entries past their review deadline (setting review_batas_hari of the next month), per
    reviewer and pegawai-month: columns OVERDUE_COLUMNS. Scope: the actor as pejabat penilai, as atasan pejabat
    penilai (overdue reviews of their subordinates' penilai), or everything for Admin SDM / Kepala Satker."""
    today = today or clock.today()
    with read_session() as s:
        if actor.has(*c.LEADER_ROLES):
            rows = overdue_rows(s, today)
        else:
            me = actor.pegawai_id
            scope = c.candidate_ids(s, actor, ReportingLine.pejabat_penilai_id, ReportingLine.atasan_penilai_id)
            rows = [r for r in overdue_rows(s, today, scope) if me is not None and me in (r["penilai_id"], r["atasan_id"])]
        return _overdue_frame(s, rows)


def _overdue_frame(s: Session, rows: list[dict]) -> pd.DataFrame:
    """OVERDUE_COLUMNS of overdue rows (names read in one query), ordered by deadline then pegawai."""
    names = names_of(s, {r["penilai_id"] for r in rows} | {r["pegawai_id"] for r in rows})
    data = [{"penilai_id": r["penilai_id"], "penilai": names[r["penilai_id"]], "pegawai_id": r["pegawai_id"],
             "pegawai": names[r["pegawai_id"]], "tahun": r["tahun"], "bulan": r["bulan"], "jumlah": r["jumlah"],
             "batas_penilaian": r["batas_penilaian"]} for r in sorted(rows, key=lambda r: (r["batas_penilaian"],
                                                                                         r["pegawai_id"]))]
    df = pd.DataFrame(data, columns=OVERDUE_COLUMNS)
    df["batas_penilaian"] = df["batas_penilaian"].astype("object")
    return df


@dataclass(frozen=True)
class OverduePage:
    """One page of overdue_reviews for the review page: the totals over every page and this page's rows."""

    jumlah: int  # overdue entries in the actor's scope (all pages)
    total: int  # rows to page over: pegawai-months (Admin SDM / Kepala Satker) or rows of overdue_reviews
    rows: pd.DataFrame  # OVERDUE_COLUMNS of this page


def overdue_page(actor: Actor, *, today: dt.date | None = None, limit: int = 100, offset: int = 0) -> OverduePage:
    """overdue_reviews one page at a time. Admin SDM / Kepala Satker (the whole organisation): the totals come
    from one aggregate and only the page's pegawai-months (in deadline, pegawai order) are grouped and named,
    paged in SQL; concatenating the pages gives overdue_reviews. Other actors: their (small) overdue_reviews
    sliced."""
    today = today or clock.today()
    if not actor.has(*c.LEADER_ROLES):
        df = overdue_reviews(actor, today=today)
        return OverduePage(int(df["jumlah"].sum()), len(df),
                           df.iloc[max(0, offset):max(0, offset) + limit].reset_index(drop=True))
    with read_session() as s:
        cutoff = overdue_cutoff(s, today)
        if cutoff is None:
            return OverduePage(0, 0, _overdue_frame(s, []))
        where = E.tanggal < cutoff
        page = s.execute(_month_groups(where, limit, offset, totals=True)).all()
        if page:
            total, n = page[0][6], page[0][7]
        else:  # past the last page (or nothing overdue): the totals alone
            per_month = _month_groups(where).subquery()
            total, n = s.execute(select(func.count(), func.coalesce(func.sum(per_month.c[3]), 0))).one()
        rows = []
        deadlines: dict[tuple[int, int], dt.date] = {}
        for g in pending_groups(s, where, groups=[r[:6] for r in page]):
            y, m = g["tahun"], g["bulan"]
            if (y, m) not in deadlines:
                deadlines[(y, m)] = c.batas_penilaian(y, m, s)
            rows.append({**g, "batas_penilaian": deadlines[(y, m)]})
        return OverduePage(int(n), int(total), _overdue_frame(s, rows))
