"""Logbook harian (daily activity record): the pegawai's month grid, validation, submission and monthly points.

Entry point for pages (domain.md §4, SOP 000 steps 2 and 4–6, SOP 003). The review side (pejabat penilai,
pemberi pertimbangan, corrections, deadlines) lives in services/logbook_review.py and monitoring (team
completeness, Beranda tasks) in services/logbook_monitor.py; both are re-exported at the end of this module.

Workflow of an entry: DRAFT -> DIAJUKAN ("Belum Diperiksa") -> DISETUJUI | DIKEMBALIKAN ("Revisi": the pegawai
fixes it and submits again) | DITOLAK. Only DRAFT and DIKEMBALIKAN entries can be edited or submitted;
approved entries are locked (a correction request reopens one). Only approved minutes count.

Errors raised (all are services.errors.ServiceError, show `str(e)`):
- ValidationFailed: grid/form errors by row and column label (`LABELS`), nothing written;
- PermissionDenied: the actor may not do this; NotFound; Conflict (changed elsewhere, reload);
- LogbookStatusError: the entry's status does not allow the action (e.g. editing an approved entry);
- NoApprovedSkp: no approved SKP covers the date (SOP 003).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.engine import read_session
from db.models import (
    LogbookAttachment,
    LogbookCorrection,
    LogbookEntry,
    Pegawai,
    StatusKoreksi,
    StatusLogbook,
)
from services.core import clock, settings
from services.core.actor import Actor
from services.core.errors import FieldError, NotFound, PermissionDenied, ValidationFailed
from services.core.uow import unit_of_work
from services.logbook import common as c
from services.logbook.common import (  # noqa: F401  (public names for pages)
    PAGE_HARI_LIBUR,
    PAGE_LOGBOOK,
    PAGE_MONITORING,
    PAGE_PENILAIAN,
    STATUS_LABEL,
    LogbookStatusError,
    NoApprovedSkp,
    RhkOption,
)
from services.org import kalender, ketidakhadiran

# --- the month grid ---------------------------------------------------------------------------------

COLUMNS = ["id", "tanggal", "jam_mulai", "jam_selesai", "durasi_menit", "rhk", "uraian", "volume", "satuan",
           "bukti_link", "catatan_hari_libur", "justifikasi_terlambat", "status", "catatan_penilai",
           "catatan_pertimbangan", "lampiran", "version"]
"""Columns of `month_grid`. The page edits tanggal … justifikasi_terlambat; the rest is read-only
(`version` is for conflict detection: keep it in the DataFrame, hide it from view)."""
EDITABLE_COLUMNS = ("tanggal", "jam_mulai", "jam_selesai", "durasi_menit", "rhk", "uraian", "volume", "satuan",
                    "bukti_link", "catatan_hari_libur", "justifikasi_terlambat")
READONLY_COLUMNS = ("id", "status", "catatan_penilai", "catatan_pertimbangan", "lampiran", "version")
LABELS = {
    "id": "ID",
    "tanggal": "Tanggal",
    "jam_mulai": "Jam Mulai",
    "jam_selesai": "Jam Selesai",
    "durasi_menit": "Durasi (menit)",
    "rhk": "RHK",
    "uraian": "Uraian Kegiatan",
    "volume": "Volume",
    "satuan": "Satuan",
    "bukti_link": "Bukti Dukung (tautan)",
    "catatan_hari_libur": "Catatan Hari Libur",
    "justifikasi_terlambat": "Justifikasi Terlambat",
    "status": "Status",
    "catatan_penilai": "Catatan Penilai",
    "catatan_pertimbangan": "Catatan Pertimbangan",
    "lampiran": "Lampiran",
    "version": "Versi",
}
STATUS_OPTIONS = list(STATUS_LABEL.values())


@dataclass(frozen=True)
class MonthInfo:
    """Header facts of a pegawai's month, for the logbook page."""

    tahun: int
    bulan: int
    hari_kerja: list[dt.date]
    hari_libur: dict[dt.date, str]  # non-working days of the month (weekends, holidays) -> reason
    skp_ok: bool  # an approved SKP covers at least one day of the month
    pesan_skp: str | None  # the SOP 003 message when it does not
    rhk_labels: list[str]  # choices for the grid's RHK column (all approved segments of the month)
    ditutup: bool  # the free entry window has passed: new entries need "Justifikasi Terlambat"
    batas_isi: dt.date
    batas_penilaian: dt.date
    periode_terbuka: bool
    teks_maks: int = 2000  # setting logbook_teks_maks: the grid's Uraian limit while typing


@dataclass(frozen=True)
class SaveResult:
    ditambah: int
    diubah: int
    dihapus: int
    digabung: int = 0  # rows changed elsewhere meanwhile, into which the user's edits were merged
    tidak_diterapkan: tuple[FieldError, ...] = ()  # rows changed elsewhere that could not take the edits

    @property
    def pesan(self) -> str:
        parts = [f"{n} {w}" for n, w in ((self.ditambah, "ditambah"), (self.diubah, "diubah"),
                                         (self.dihapus, "dihapus")) if n]
        head = "Logbook disimpan: " + ", ".join(parts) + "." if parts else "Tidak ada perubahan."
        if self.tidak_diterapkan:
            head += f" {len(self.tidak_diterapkan)} baris tidak dapat diterapkan karena diubah di tempat lain."
        return head


@dataclass(frozen=True)
class MonthlyPoints:
    """Monthly effective minutes (domain.md §4.2): target = working days × menit_efektif_harian; only approved
    minutes count, each day capped at menit_efektif_harian when `batas_harian` (setting logbook_batas_harian)."""

    pegawai_id: int
    tahun: int
    bulan: int
    hari_kerja: int
    menit_efektif_harian: int
    target_menit: int
    disetujui_menit: int  # counted (after the daily cap)
    disetujui_mentah_menit: int  # approved minutes before the cap
    diajukan_menit: int  # submitted, waiting for review
    dikembalikan_menit: int  # returned for revision
    draft_menit: int
    ditolak_menit: int
    batas_harian: bool
    persen: float  # min(100, disetujui / target × 100), 2 decimals; 0 when the target is 0
    hari_tidak_hadir: int = 0  # working days inside the pegawai's ketidakhadiran ranges (not in hari_kerja)

    @property
    def pesan(self) -> str:
        return (f"{self.disetujui_menit:,} dari {self.target_menit:,} menit ({self.persen:.2f}%)"
                .replace(",", "."))


@dataclass(frozen=True)
class AttachmentView:
    id: int
    filename: str
    content_type: str
    size: int
    sha256: str
    uploaded_by: str
    uploaded_at: dt.datetime


@dataclass(frozen=True)
class CorrectionView:
    id: int
    alasan: str
    status: str  # DIAJUKAN | DITERIMA | DITOLAK
    requested_at: dt.datetime
    decided_by: str | None
    decided_at: dt.datetime | None
    catatan_keputusan: str | None


@dataclass(frozen=True)
class EntryDetail:
    id: int
    pegawai_id: int
    pegawai: str
    tanggal: dt.date
    jam_mulai: dt.time | None
    jam_selesai: dt.time | None
    durasi_menit: int
    rhk_id: int | None
    rhk: str | None
    uraian: str
    volume: Decimal
    satuan: str
    bukti_link: str | None
    catatan_hari_libur: str | None
    status: str  # code (StatusLogbook value)
    status_label: str
    submitted_at: dt.datetime | None
    catatan_penilai: str | None
    reviewed_by: str | None
    reviewed_at: dt.datetime | None
    catatan_pertimbangan: str | None
    terlambat: bool
    justifikasi_terlambat: str | None
    terlambat_diterima: bool | None
    version: int
    can_edit: bool  # the actor owns it and it is DRAFT/DIKEMBALIKAN
    can_request_correction: bool  # owner, DISETUJUI, no open request
    attachments: list[AttachmentView] = field(default_factory=list)
    corrections: list[CorrectionView] = field(default_factory=list)


# --- reads ------------------------------------------------------------------------------------------


def _settings(s: Session) -> dict:
    return {k: settings.get(k, s) for k in ("menit_efektif_harian", "logbook_batas_harian",
                                            "logbook_maks_menit_harian", "logbook_teks_maks")}


def month_info(actor: Actor, year: int, month: int, *, today: dt.date | None = None) -> MonthInfo:
    """Working days, holidays, SKP availability, RHK choices and deadlines of the actor's month."""
    pid = c.require_pegawai(actor)
    today = today or clock.today()
    start, end = kalender.month_bounds(year, month)
    with read_session() as s:
        days = kalender.days(start, end, s)
        opts = c.options_between(s, pid, start, end)
        labels: list[str] = []
        for lst in opts.values():
            labels += [o.label for o in lst if o.label not in labels]
        skp_ok = bool(opts)
        periode = c.period_problem(s, start) is None or c.period_problem(s, end) is None
        return MonthInfo(
            tahun=year, bulan=month, hari_kerja=[d.tanggal for d in days if d.kerja],
            hari_libur={d.tanggal: d.keterangan or "Libur" for d in days if not d.kerja},
            skp_ok=skp_ok, pesan_skp=None if skp_ok else c.NO_SKP.format(tanggal=f"{start:%m/%Y}"),
            rhk_labels=labels, ditutup=c.month_closed(year, month, today, s), batas_isi=c.batas_isi(year, month, s),
            batas_penilaian=c.batas_penilaian(year, month, s), periode_terbuka=periode,
            teks_maks=settings.get("logbook_teks_maks", s),
        )


def rhk_options(actor: Actor, on: dt.date) -> list[RhkOption]:
    """RHK the actor may link an entry of date `on` to (from the approved SKP segment covering it).

    Raises NoApprovedSkp (with the SOP 003 message) when no approved SKP covers `on`.
    """
    pid = c.require_pegawai(actor)
    with read_session() as s:
        opts = c.options_on(s, pid, on)
    if not opts:
        raise NoApprovedSkp(c.NO_SKP.format(tanggal=f"{on:%d/%m/%Y}"))
    return opts


def _entry_rows(s: Session, q) -> list[dict]:
    entries = s.scalars(q).all()
    ids = [e.id for e in entries]
    counts = dict(s.execute(select(LogbookAttachment.entry_id, func.count(LogbookAttachment.id))
                            .where(LogbookAttachment.entry_id.in_(ids)).group_by(LogbookAttachment.entry_id)).all()
                  ) if ids else {}
    return [{
        "id": e.id, "tanggal": e.tanggal, "jam_mulai": e.jam_mulai, "jam_selesai": e.jam_selesai,
        "durasi_menit": e.durasi_menit, "rhk": e.rhk_label, "uraian": e.uraian, "volume": float(e.volume),
        "satuan": e.satuan, "bukti_link": e.bukti_link, "catatan_hari_libur": e.catatan_hari_libur,
        "justifikasi_terlambat": e.justifikasi_terlambat, "status": STATUS_LABEL[e.status],
        "catatan_penilai": e.catatan_penilai, "catatan_pertimbangan": e.catatan_pertimbangan,
        "lampiran": int(counts.get(e.id, 0)), "version": e.version,
    } for e in entries]


def month_grid(actor: Actor, year: int, month: int) -> pd.DataFrame:
    """The actor's own entries of a month (columns COLUMNS, ordered by date and start time).

    `rhk` holds the RHK label (one of MonthInfo.rhk_labels), `status` the label ("Draft", "Belum Diperiksa",
    "Disetujui", "Revisi", "Ditolak"), `tanggal` a date, `jam_*` datetime.time or None.
    """
    pid = c.require_pegawai(actor)
    start, end = kalender.month_bounds(year, month)
    with read_session() as s:
        rows = _entry_rows(s, select(LogbookEntry).where(
            LogbookEntry.pegawai_id == pid, LogbookEntry.tanggal >= start, LogbookEntry.tanggal <= end)
            .order_by(LogbookEntry.tanggal, LogbookEntry.jam_mulai, LogbookEntry.id))
    df = pd.DataFrame(rows, columns=COLUMNS)
    for col in ("tanggal", "jam_mulai", "jam_selesai"):
        df[col] = df[col].astype("object")
    return df


def frequent_activities(actor: Actor, limit: int = 10, *, today: dt.date | None = None) -> pd.DataFrame:
    """The actor's most frequent activities of the last 90 days, to reuse as new rows.

    Columns: uraian, rhk (label), satuan, durasi_menit (most recent), volume (most recent), jumlah (times used).
    Only RHK still available today are kept in `rhk` (else None: the user picks one).
    """
    pid = c.require_pegawai(actor)
    today = today or clock.today()
    with read_session() as s:
        entries = s.scalars(select(LogbookEntry).where(
            LogbookEntry.pegawai_id == pid, LogbookEntry.tanggal >= today - dt.timedelta(days=90),
            LogbookEntry.status != StatusLogbook.DITOLAK).order_by(LogbookEntry.tanggal.desc(), LogbookEntry.id.desc())
        ).all()
        valid = {o.label for o in c.options_on(s, pid, today)}
        groups: dict[tuple, dict] = {}
        for e in entries:
            key = (" ".join(e.uraian.lower().split()), e.rhk_label, e.satuan.lower())
            g = groups.get(key)
            if g is None:
                groups[key] = {"uraian": e.uraian, "rhk": e.rhk_label if e.rhk_label in valid else None,
                               "satuan": e.satuan, "durasi_menit": e.durasi_menit, "volume": float(e.volume),
                               "jumlah": 1}
            else:
                g["jumlah"] += 1
    rows = sorted(groups.values(), key=lambda g: -g["jumlah"])[:limit]
    return pd.DataFrame(rows, columns=["uraian", "rhk", "satuan", "durasi_menit", "volume", "jumlah"])


# --- saving -----------------------------------------------------------------------------------------


# --- points, heat map, detail -----------------------------------------------------------------------


def _points(s: Session, pegawai_id: int, year: int, month: int) -> MonthlyPoints:
    cfg = _settings(s)
    per_day: int = cfg["menit_efektif_harian"]
    cap: bool = cfg["logbook_batas_harian"]
    start, end = kalender.month_bounds(year, month)
    away = ketidakhadiran.absent_days(s, [pegawai_id], start, end).get(pegawai_id, {})
    hk = sum(1 for d in kalender.working_days(year, month, s) if d not in away)
    rows = s.execute(select(LogbookEntry.tanggal, LogbookEntry.status, func.sum(LogbookEntry.durasi_menit))
                     .where(LogbookEntry.pegawai_id == pegawai_id, LogbookEntry.tanggal >= start,
                            LogbookEntry.tanggal <= end)
                     .group_by(LogbookEntry.tanggal, LogbookEntry.status)).all()
    sums: dict[StatusLogbook, int] = defaultdict(int)
    counted = 0
    for _day, status, total in rows:
        total = int(total or 0)
        sums[status] += total
        if status == StatusLogbook.DISETUJUI:
            counted += min(total, per_day) if cap else total
    target = hk * per_day
    persen = round(min(100.0, counted * 100.0 / target), 2) if target else 0.0
    return MonthlyPoints(pegawai_id, year, month, hk, per_day, target, counted, sums[StatusLogbook.DISETUJUI],
                         sums[StatusLogbook.DIAJUKAN], sums[StatusLogbook.DIKEMBALIKAN], sums[StatusLogbook.DRAFT],
                         sums[StatusLogbook.DITOLAK], cap, persen,
                         sum(1 for d in kalender.working_days(year, month, s) if d in away))


def monthly_points(actor: Actor, year: int, month: int, pegawai_id: int | None = None) -> MonthlyPoints:
    """Monthly points of `pegawai_id` (default: the actor). Others' points: their reviewers, Admin SDM and
    Kepala Satker only (PermissionDenied otherwise)."""
    pid = pegawai_id if pegawai_id is not None else c.require_pegawai(actor)
    with read_session() as s:
        c.require_view_pegawai(s, actor, pid, dt.date(year, month, 1))
        return _points(s, pid, year, month)


HEATMAP_COLUMNS = ["tanggal", "hari", "minggu_ke", "hari_ke", "kerja", "keterangan", "tidak_hadir", "menit",
                   "menit_disetujui", "jumlah", "terisi", "hari_ini", "mendatang"]


def heatmap(actor: Actor, year: int, month: int, pegawai_id: int | None = None) -> pd.DataFrame:
    """One row per day of the month for a calendar heat map: hari (Senin…), minggu_ke (0-based calendar row),
    hari_ke (0 = Senin … 6 = Minggu), kerja (working day for this pegawai: not a holiday, not inside one of his
    ketidakhadiran ranges), keterangan (holiday reason or the ketidakhadiran jenis), tidak_hadir (the
    ketidakhadiran jenis on a working day, else None), menit (all entries
    except DITOLAK), menit_disetujui, jumlah (entries), terisi (at least one entry), hari_ini (the office's
    today, services.core.clock) and mendatang (a day after today: it has not come yet, so an empty working day
    there is not missed work). Same access as monthly_points."""
    pid = pegawai_id if pegawai_id is not None else c.require_pegawai(actor)
    start, end = kalender.month_bounds(year, month)
    with read_session() as s:
        c.require_view_pegawai(s, actor, pid, start)
        days = kalender.days(start, end, s)
        away = ketidakhadiran.absent_days(s, [pid], start, end).get(pid, {})
        rows = s.execute(select(LogbookEntry.tanggal, LogbookEntry.status, func.sum(LogbookEntry.durasi_menit),
                                func.count(LogbookEntry.id))
                         .where(LogbookEntry.pegawai_id == pid, LogbookEntry.tanggal >= start,
                                LogbookEntry.tanggal <= end, LogbookEntry.status != StatusLogbook.DITOLAK)
                         .group_by(LogbookEntry.tanggal, LogbookEntry.status)).all()
    menit: dict[dt.date, int] = defaultdict(int)
    ok: dict[dt.date, int] = defaultdict(int)
    n: dict[dt.date, int] = defaultdict(int)
    for d, status, total, count in rows:
        menit[d] += int(total or 0)
        n[d] += int(count)
        if status == StatusLogbook.DISETUJUI:
            ok[d] += int(total or 0)
    offset, today = start.weekday(), clock.today()
    out = [{"tanggal": x.tanggal, "hari": x.hari, "minggu_ke": (x.tanggal.day - 1 + offset) // 7,
            "hari_ke": x.tanggal.weekday(), "kerja": x.kerja and x.tanggal not in away,
            "keterangan": away.get(x.tanggal, x.keterangan) if x.kerja else x.keterangan,
            "tidak_hadir": away.get(x.tanggal) if x.kerja else None,
            "menit": menit[x.tanggal], "menit_disetujui": ok[x.tanggal], "jumlah": n[x.tanggal],
            "terisi": n[x.tanggal] > 0, "hari_ini": x.tanggal == today, "mendatang": x.tanggal > today}
           for x in days]
    df = pd.DataFrame(out, columns=HEATMAP_COLUMNS)
    df["tanggal"] = df["tanggal"].astype("object")
    return df


def entry_detail(actor: Actor, entry_id: int) -> EntryDetail:
    """One entry with its attachments and correction requests (owner, reviewers, Admin SDM, Kepala Satker)."""
    with read_session() as s:
        e = s.get(LogbookEntry, entry_id)
        if e is None:
            raise NotFound("Kegiatan logbook tidak ditemukan.")
        c.require_view_pegawai(s, actor, e.pegawai_id, e.tanggal)
        atts = s.scalars(select(LogbookAttachment).where(LogbookAttachment.entry_id == e.id)
                         .order_by(LogbookAttachment.id)).all()
        cors = s.scalars(select(LogbookCorrection).where(LogbookCorrection.entry_id == e.id)
                         .order_by(LogbookCorrection.id)).all()
        owner = actor.pegawai_id == e.pegawai_id
        open_req = any(k.status == StatusKoreksi.DIAJUKAN for k in cors)
        return EntryDetail(
            id=e.id, pegawai_id=e.pegawai_id, pegawai=c.pegawai_name(s, e.pegawai_id), tanggal=e.tanggal,
            jam_mulai=e.jam_mulai, jam_selesai=e.jam_selesai, durasi_menit=e.durasi_menit, rhk_id=e.rhk_id,
            rhk=e.rhk_label, uraian=e.uraian, volume=e.volume, satuan=e.satuan, bukti_link=e.bukti_link,
            catatan_hari_libur=e.catatan_hari_libur, status=e.status.value, status_label=STATUS_LABEL[e.status],
            submitted_at=e.submitted_at, catatan_penilai=e.catatan_penilai, reviewed_by=e.reviewed_by_username,
            reviewed_at=e.reviewed_at, catatan_pertimbangan=e.catatan_pertimbangan, terlambat=e.terlambat,
            justifikasi_terlambat=e.justifikasi_terlambat, terlambat_diterima=e.terlambat_diterima,
            version=e.version, can_edit=owner and e.status in c.EDITABLE,
            can_request_correction=owner and e.status == StatusLogbook.DISETUJUI and not open_req,
            attachments=[AttachmentView(a.id, a.filename, a.content_type, a.size, a.sha256, a.uploaded_by_username,
                                        a.uploaded_at) for a in atts],
            corrections=[CorrectionView(k.id, k.alasan, k.status.value, k.requested_at, k.decided_by_username,
                                        k.decided_at, k.catatan_keputusan) for k in cors],
        )


# --- attachments ------------------------------------------------------------------------------------

ALLOWED_FILES = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (b"PK\x03\x04",)),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK\x03\x04",)),
}
"""Accepted evidence files: extension -> (content type, magic bytes the content must start with)."""


def _own_entry(s: Session, actor: Actor, entry_id: int, *, for_update: bool = False) -> LogbookEntry:
    pid = c.require_pegawai(actor)
    e = s.get(LogbookEntry, entry_id, with_for_update=for_update or None)
    if e is None:
        raise NotFound("Kegiatan logbook tidak ditemukan.")
    if e.pegawai_id != pid:
        raise PermissionDenied("Hanya pemilik logbook yang dapat mengubah kegiatan ini.")
    return e


def add_attachment(actor: Actor, entry_id: int, filename: str, content: bytes) -> int:
    """Attach an evidence file to one of the actor's own editable (Draft/Revisi) entries; returns its id.

    ValidationFailed (field "Lampiran") when the file is empty, larger than setting unggah_maks_mb, of a type
    outside ALLOWED_FILES, or its content does not match its extension (magic bytes)."""
    name = (filename or "").strip().replace("\\", "/").split("/")[-1][:200]
    ext = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    field_label = LABELS["lampiran"]
    with unit_of_work(actor, action="logbook_lampiran") as s:
        e = _own_entry(s, actor, entry_id)
        if e.status not in c.EDITABLE:
            raise LogbookStatusError(f"Kegiatan berstatus {STATUS_LABEL[e.status]} tidak dapat diubah lampirannya.")
        maks = settings.get("unggah_maks_mb", s)
        problem = None
        if not content:
            problem = "berkas kosong"
        elif len(content) > maks * 1024 * 1024:
            problem = f"ukuran berkas melebihi {maks} MB"
        elif ext not in ALLOWED_FILES:
            problem = "jenis berkas tidak diizinkan (PDF, PNG, JPG, DOCX, XLSX)"
        elif not content.startswith(ALLOWED_FILES[ext][1]):
            problem = f"isi berkas bukan {ext[1:].upper()} yang sah"
        if problem:
            raise ValidationFailed([FieldError(None, field_label, problem)])
        att = LogbookAttachment(entry_id=e.id, filename=name, content_type=ALLOWED_FILES[ext][0], size=len(content),
                                sha256=hashlib.sha256(content).hexdigest(), content=content,
                                uploaded_by_username=actor.username, uploaded_at=c.now())
        s.add(att)
        s.flush()
        return att.id


def attachment_content(actor: Actor, attachment_id: int) -> tuple[str, str, bytes]:
    """(filename, content type, bytes) of an attachment; same access as entry_detail."""
    with read_session() as s:
        a = s.get(LogbookAttachment, attachment_id)
        if a is None:
            raise NotFound("Lampiran tidak ditemukan.")
        e = s.get(LogbookEntry, a.entry_id)
        assert e is not None
        c.require_view_pegawai(s, actor, e.pegawai_id, e.tanggal)
        return a.filename, a.content_type, bytes(a.content)


def delete_attachment(actor: Actor, attachment_id: int) -> None:
    """Remove an attachment of one of the actor's own editable entries."""
    with unit_of_work(actor, action="logbook_hapus_lampiran") as s:
        a = s.get(LogbookAttachment, attachment_id)
        if a is None:
            raise NotFound("Lampiran tidak ditemukan.")
        e = _own_entry(s, actor, a.entry_id)
        if e.status not in c.EDITABLE:
            raise LogbookStatusError(f"Kegiatan berstatus {STATUS_LABEL[e.status]} tidak dapat diubah lampirannya.")
        s.delete(a)


# --- correction requests (pegawai side) -------------------------------------------------------------


def request_correction(actor: Actor, entry_id: int, alasan: str) -> int:
    """Ask the pejabat penilai to reopen one of the actor's approved entries; returns the request id.

    ValidationFailed when `alasan` is empty or too long; LogbookStatusError when the entry is not approved or
    a request is already open. The penilai decides with logbook_review.decide_correction."""
    alasan = (alasan or "").strip()
    if not alasan:
        raise ValidationFailed([FieldError(None, "Alasan", "wajib diisi")])
    if len(alasan) > c.NOTE_MAKS:
        raise ValidationFailed([FieldError(None, "Alasan", f"paling banyak {c.NOTE_MAKS} karakter")])
    with unit_of_work(actor, action="logbook_minta_koreksi") as s:
        e = _own_entry(s, actor, entry_id)
        if e.status != StatusLogbook.DISETUJUI:
            raise LogbookStatusError("Permintaan koreksi hanya untuk kegiatan yang sudah disetujui; kegiatan "
                                     f"berstatus {STATUS_LABEL[e.status]} dapat diubah langsung atau sudah final.")
        if s.scalar(select(LogbookCorrection.id).where(LogbookCorrection.entry_id == e.id,
                                                       LogbookCorrection.status == StatusKoreksi.DIAJUKAN)):
            raise LogbookStatusError("Permintaan koreksi untuk kegiatan ini masih menunggu keputusan.")
        k = LogbookCorrection(entry_id=e.id, alasan=alasan, status=StatusKoreksi.DIAJUKAN,
                              requested_by_id=actor.pegawai_id, requested_at=c.now())
        s.add(k)
        s.flush()
        return k.id


def pegawai_label(pegawai_id: int) -> str:
    """"Nama Lengkap (NIP)" of a pegawai (for headers)."""
    with read_session() as s:
        p = s.get(Pegawai, pegawai_id)
        if p is None:
            raise NotFound("Pegawai tidak ditemukan.")
        return f"{p.nama_lengkap} ({p.nip})"
