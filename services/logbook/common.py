"""Shared logbook helpers: labels, parsing of grid cells, deadlines, RHK choices from the approved SKP, access.

Nothing here opens a transaction: callers pass their session. Public entry point: services/logbook.py.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from sqlalchemy import ColumnElement, and_, exists, func, or_, select
from sqlalchemy.orm import Session

from db.models import (
    JenisRhk,
    LogbookEntry,
    Pegawai,
    Period,
    ReportingLine,
    Rhk,
    Role,
    Skp,
    SkpVersion,
    StatusLogbook,
    StatusPeriode,
    StatusSkp,
)
from domain.cells import to_date  # noqa: F401  (re-exported)
from services.core import clock, settings
from services.core.actor import Actor
from services.core.errors import PermissionDenied
from services.org.kalender import month_bounds  # noqa: F401  (re-exported for the review module)
from services.skp.common import StatusError

STATUS_LABEL = {
    StatusLogbook.DRAFT: "Draft",
    StatusLogbook.DIAJUKAN: "Belum Diperiksa",
    StatusLogbook.DISETUJUI: "Disetujui",
    StatusLogbook.DIKEMBALIKAN: "Revisi",
    StatusLogbook.DITOLAK: "Ditolak",
}
LABEL_STATUS = {v: k for k, v in STATUS_LABEL.items()}
EDITABLE = frozenset({StatusLogbook.DRAFT, StatusLogbook.DIKEMBALIKAN})
DELETABLE = frozenset({StatusLogbook.DRAFT, StatusLogbook.DIKEMBALIKAN, StatusLogbook.DITOLAK})
SUBMITTABLE = EDITABLE
DECISIONS = {"setujui": StatusLogbook.DISETUJUI, "kembalikan": StatusLogbook.DIKEMBALIKAN,
             "tolak": StatusLogbook.DITOLAK}
DECISION_LABEL = {"setujui": "disetujui", "kembalikan": "dikembalikan untuk revisi", "tolak": "ditolak"}
LEADER_ROLES = (Role.ADMIN_SDM, Role.KEPALA_SATKER)

# Pages (file names under pages/) that tasks and links point to; the pages session registers them in ui/nav.py.
PAGE_LOGBOOK = "logbook_saya.py"
PAGE_PENILAIAN = "logbook_penilaian.py"
PAGE_MONITORING = "logbook_monitoring.py"
PAGE_HARI_LIBUR = "sdm_hari_libur.py"

SATUAN_MAKS = 60
LINK_MAKS = 500
CATATAN_MAKS = 300
NOTE_MAKS = 2000
RHK_LABEL_MAKS = 140
NO_SKP = ("Belum ada SKP yang disetujui untuk tanggal {tanggal}. Sesuai SOP 003, logbook hanya dapat diisi "
          "setelah SKP Anda disetujui pejabat penilai.")


class LogbookStatusError(StatusError):
    """The entry is not in a state that allows the action (approved entries are locked...)."""


class NoApprovedSkp(StatusError):
    """The pegawai has no approved SKP covering the date (SOP 003: no logbook without an approved SKP)."""


now = clock.utcnow


def month_key(d: dt.date) -> tuple[int, int]:
    return d.year, d.month


def next_month(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def _day_of_next_month(year: int, month: int, day: int) -> dt.date:
    y, m = next_month(year, month)
    return dt.date(y, m, min(day, 28))


def batas_isi(year: int, month: int, session: Session | None = None) -> dt.date:
    """Last day on which entries of (year, month) are accepted without a late justification."""
    return _day_of_next_month(year, month, settings.get("logbook_batas_isi_hari", session))


def batas_penilaian(year: int, month: int, session: Session | None = None) -> dt.date:
    """Review deadline of the entries of (year, month) (SOP 000 step 5, the logbook's own settings): day
    `logbook_review_batas_hari` of the next month, or with `logbook_review_irama` Triwulanan of the month after
    the quarter the entries belong to."""
    return batas_penilaian_fn(session)(year, month)


def batas_penilaian_fn(session: Session | None = None) -> Callable[[int, int], dt.date]:
    """`batas_penilaian` as a function of (year, month) with its two settings read once (many months in one read)."""
    day = settings.get("logbook_review_batas_hari", session)
    quarterly = settings.get("logbook_review_irama", session) == "Triwulanan"

    def batas(year: int, month: int) -> dt.date:
        return _day_of_next_month(year, ((month - 1) // 3 + 1) * 3 if quarterly else month, day)

    return batas


def month_closed(year: int, month: int, today: dt.date, session: Session | None = None) -> bool:
    return today > batas_isi(year, month, session)


def open_period_for(s: Session, d: dt.date) -> Period | None:
    return s.scalar(select(Period).where(Period.tanggal_mulai <= d, Period.tanggal_selesai >= d).limit(1))


def period_problem(s: Session, d: dt.date) -> str | None:
    p = open_period_for(s, d)
    if p is None:
        return f"belum ada periode kinerja yang mencakup tanggal {d:%d/%m/%Y}"
    if p.status != StatusPeriode.DIBUKA:
        return f"periode kinerja {p.tahun} sudah ditutup"
    return None


# --- parsing of grid cells --------------------------------------------------------------------------


def text(value) -> str | None:
    if value is None:
        return None
    t = str(value).strip()
    return t or None


_TIME_RE = re.compile(r"^(\d{1,2})[:.](\d{2})(?:[:.](\d{2})(?:\.\d{1,6})?)?$")
"""08:30, 08.30, 08:30:00 and the grid editor's 08:30:00.000."""


def to_time(value) -> dt.time | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.time().replace(second=0, microsecond=0)
    if isinstance(value, dt.time):
        return value.replace(second=0, microsecond=0)
    m = _TIME_RE.match(str(value).strip())
    if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
        raise ValueError("bukan jam yang sah (gunakan JJ:MM, misalnya 08:30)")
    return dt.time(int(m.group(1)), int(m.group(2)))


def to_int(value) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError("harus bilangan bulat")
    try:
        f = float(str(value).strip().replace(",", "."))
    except ValueError:
        raise ValueError("harus bilangan bulat") from None
    if f != f or f in (float("inf"), float("-inf")) or f != int(f):
        raise ValueError("harus bilangan bulat")
    return int(f)


def to_decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError("harus angka")
    try:
        d = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        raise ValueError("harus angka") from None
    if not d.is_finite():
        raise ValueError("harus angka")
    return d


def minutes(t: dt.time) -> int:
    return t.hour * 60 + t.minute


def fmt_time(t: dt.time | None) -> str:
    return t.strftime("%H:%M") if t else ""


def jam_label(mulai: dt.time | None, selesai: dt.time | None) -> str:
    return f"{fmt_time(mulai)}–{fmt_time(selesai)}" if mulai and selesai else ""


# --- RHK choices ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RhkOption:
    id: int
    label: str
    skp_id: int


def _short(t: str, n: int = RHK_LABEL_MAKS) -> str:
    t = " ".join((t or "").split())
    return t if len(t) <= n else t[: n - 1] + "…"


def approved_segments(s: Session, pegawai_id: int, start: dt.date, end: dt.date) -> list[Skp]:
    """SKP segments of the pegawai overlapping [start, end] that are approved or were approved before (a
    revision in progress keeps the RHK of the last approved version usable)."""
    was_approved = exists().where(SkpVersion.skp_id == Skp.id)
    return list(s.scalars(select(Skp).where(
        Skp.pegawai_id == pegawai_id, Skp.tanggal_mulai <= end, Skp.tanggal_selesai >= start,
        or_(Skp.status == StatusSkp.DISETUJUI, was_approved)).order_by(Skp.tanggal_mulai)))


def segment_options(s: Session, skp: Skp) -> list[RhkOption]:
    """RHK choices of one segment: the current RHK when approved, else the RHK of the last approved version
    that still exist."""
    rhks = list(s.scalars(select(Rhk).where(Rhk.skp_id == skp.id).order_by(Rhk.urutan, Rhk.id)))
    if skp.status != StatusSkp.DISETUJUI:
        snap = s.scalar(select(SkpVersion.snapshot).where(SkpVersion.skp_id == skp.id)
                        .order_by(SkpVersion.version_no.desc()).limit(1)) or {}
        keep = {r.get("id") for r in snap.get("rhk", [])}
        rhks = [r for r in rhks if r.id in keep]
    out: list[RhkOption] = []
    counters: dict[JenisRhk, int] = {}
    seen: set[str] = set()
    for r in rhks:
        counters[r.jenis] = counters.get(r.jenis, 0) + 1
        prefix = "U" if r.jenis == JenisRhk.UTAMA else "T"
        label = f"{prefix}{counters[r.jenis]}. {_short(r.uraian)}"
        if label in seen:
            label = f"{label} (#{r.id})"
        seen.add(label)
        out.append(RhkOption(r.id, label, skp.id))
    return out


def options_on(s: Session, pegawai_id: int, on: dt.date) -> list[RhkOption]:
    for seg in approved_segments(s, pegawai_id, on, on):
        return segment_options(s, seg)
    return []


def options_between(s: Session, pegawai_id: int, start: dt.date, end: dt.date) -> dict[tuple[dt.date, dt.date], list[RhkOption]]:
    """{(segment start, segment end): options} for the approved segments overlapping [start, end]."""
    return {(seg.tanggal_mulai, seg.tanggal_selesai): segment_options(s, seg)
            for seg in approved_segments(s, pegawai_id, start, end)}


# --- access -----------------------------------------------------------------------------------------


def require_pegawai(actor: Actor) -> int:
    if actor.pegawai_id is None:
        raise PermissionDenied("Logbook hanya untuk akun yang terhubung dengan data pegawai.")
    return actor.pegawai_id


def line_covers(date_col):
    """SQL condition: the ReportingLine is in force on the date expression `date_col`."""
    return and_(ReportingLine.berlaku_mulai <= date_col,
                or_(ReportingLine.berlaku_sampai.is_(None), ReportingLine.berlaku_sampai >= date_col))


def penilai_condition(actor: Actor):
    """SQL condition on LogbookEntry: the actor is the entry's pejabat penilai (line in force on the entry
    date, or today); Admin SDM decides for a pegawai who has no pejabat penilai in the satker."""
    me = actor.pegawai_id
    conds: list[ColumnElement[bool]] = []
    if me is not None:
        ids = list(actor.reviewer_ids)  # with the holder a Plt/Plh acts for
        for on in (LogbookEntry.tanggal, clock.today()):
            conds.append(and_(LogbookEntry.pegawai_id != me, exists().where(
                ReportingLine.pegawai_id == LogbookEntry.pegawai_id, ReportingLine.pejabat_penilai_id.in_(ids),
                line_covers(on))))
    if actor.is_admin:
        conds.append(~exists().where(ReportingLine.pegawai_id == LogbookEntry.pegawai_id,
                                     ReportingLine.pejabat_penilai_id.is_not(None),
                                     line_covers(LogbookEntry.tanggal)))
    return or_(*conds) if conds else and_(False)  # type: ignore[arg-type]


def relation_condition(actor: Actor, column):
    """SQL condition on LogbookEntry: the actor stands in `column` (a ReportingLine column) to the entry's
    pegawai on the entry date or today."""
    me = actor.pegawai_id
    if me is None:
        return and_(False)  # type: ignore[arg-type]
    ids = list(actor.reviewer_ids)
    return and_(LogbookEntry.pegawai_id != me, or_(*(
        exists().where(ReportingLine.pegawai_id == LogbookEntry.pegawai_id, column.in_(ids), line_covers(on))
        for on in (LogbookEntry.tanggal, clock.today()))))


def candidate_ids(s: Session, actor: Actor, *columns) -> set[int]:
    """Pegawai who have (had) a reporting line with the actor in one of `columns` (ReportingLine columns), at any
    date: a small, index-friendly superset used in front of the exact dated conditions above, so a query over
    LogbookEntry reads the actor's subordinates' rows only (ix_logbook_entry_pegawai_status_tanggal) instead of
    testing a correlated condition on every entry of the organisation."""
    ids = list(actor.reviewer_ids)  # with the holder a Plt/Plh acts for
    if actor.pegawai_id is None or not ids or not columns:
        return set()
    return set(s.scalars(select(ReportingLine.pegawai_id).where(or_(*(col.in_(ids) for col in columns))).distinct()))


def uncovered_ids(s: Session) -> set[int]:
    """Pegawai who lack a pejabat penilai on some day of the performance periods (the days entries may have):
    the superset of the pegawai Admin SDM decides for (see penilai_condition)."""
    lo, hi = s.execute(select(func.min(Period.tanggal_mulai), func.max(Period.tanggal_selesai))).one()
    everyone = set(s.scalars(select(Pegawai.id)))
    if lo is None:
        return everyone
    reach: dict[int, dt.date] = {}  # pegawai -> first day not yet covered, walking the lines in date order
    done: set[int] = set()
    for pid, mulai, sampai in s.execute(
            select(ReportingLine.pegawai_id, ReportingLine.berlaku_mulai, ReportingLine.berlaku_sampai)
            .where(ReportingLine.pejabat_penilai_id.is_not(None))
            .order_by(ReportingLine.pegawai_id, ReportingLine.berlaku_mulai)):
        if pid in done:
            continue
        nxt = reach.get(pid, lo)
        if mulai > nxt:
            done.add(pid)  # a gap: stays a candidate
            reach.pop(pid, None)
            continue
        if sampai is None or sampai >= hi:
            done.add(pid)
            reach[pid] = dt.date.max
            continue
        reach[pid] = max(nxt, sampai + dt.timedelta(days=1))
    covered = {pid for pid, d in reach.items() if d == dt.date.max}
    return everyone - covered


def penilai_scope(s: Session, actor: Actor):
    """penilai_condition(actor) behind the candidate prefilter (same rows, bounded by the actor's scope)."""
    ids = candidate_ids(s, actor, ReportingLine.pejabat_penilai_id)
    if actor.is_admin:
        ids |= uncovered_ids(s)
    return and_(LogbookEntry.pegawai_id.in_(sorted(ids)), penilai_condition(actor))


def relation_scope(s: Session, actor: Actor, column):
    """relation_condition(actor, column) behind the candidate prefilter."""
    return and_(LogbookEntry.pegawai_id.in_(sorted(candidate_ids(s, actor, column))),
                relation_condition(actor, column))


def can_view_pegawai(s: Session, actor: Actor, pegawai_id: int, on: dt.date) -> bool:
    if actor.pegawai_id == pegawai_id or actor.has(*LEADER_ROLES):
        return True
    if actor.pegawai_id is None:
        return False
    me = list(actor.reviewer_ids)
    return s.scalar(select(ReportingLine.id).where(
        ReportingLine.pegawai_id == pegawai_id,
        or_(ReportingLine.pejabat_penilai_id.in_(me), ReportingLine.atasan_penilai_id.in_(me),
            ReportingLine.pemberi_pertimbangan_id.in_(me)),
        or_(line_covers(on), line_covers(clock.today()))).limit(1)) is not None


def require_view_pegawai(s: Session, actor: Actor, pegawai_id: int, on: dt.date) -> None:
    if not can_view_pegawai(s, actor, pegawai_id, on):
        raise PermissionDenied("Anda tidak berwenang melihat logbook pegawai ini.")


def pegawai_name(s: Session, pegawai_id: int) -> str:
    p = s.get(Pegawai, pegawai_id)
    return p.nama_lengkap if p else "?"
