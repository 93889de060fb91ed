"""Demo logbook for the demo office (services/demo.py) after the demo SKPs (services/demo_skp.py).

Every demo pegawai with an approved SKP (SOP 003: nobody else may keep a logbook) gets two to four activities
on each working day (services.kalender) of the two months before the current month and of the current month
up to yesterday, within the current year (the demo SKPs and reporting lines start on 1 January, so early in
January the logbook is short or empty). Activities are fixed Indonesian texts tied to the pegawai's RHK (by position in the RHK
list), with sequential, non-overlapping times, volume/satuan and some evidence links; the choice is
deterministic per pegawai (seeded by the person key).

The rows are planned as month-grid rows (`plan`, the shape logbook.save_month takes) and inserted in one
statement inside one unit_of_work(SYSTEM, action="demo_data") (the services would take ~20 s on PostgreSQL);
the decisions then go through the real services as the acting accounts, so their rules and audit run: the
set-based bulk review by the pejabat penilai (Kasubbag for staff and Ketua Tim, Kepala for the Kasubbag,
Admin SDM for the Kepala), the Ketua Tim's pertimbangan (per entry and per month) and one correction request.
Statuses by working day, counted back from yesterday: the last two days
Draft, the six before Diajukan (the Kasubbag's queue), older days Disetujui with some Dikembalikan (with
notes) and Ditolak entries.
"""

from __future__ import annotations

import datetime as dt
import random
import zlib
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import func, insert, select

from db.engine import read_session
from db.models import LogbookEntry, Pegawai, StatusLogbook
from services import logbook
from services.core import audit, clock
from services.core.actor import SYSTEM, Actor
from services.core.uow import unit_of_work
from services.demo import office as demo
from services.demo import skp as demo_skp
from services.logbook import common as c
from services.org import kalender

DRAFT_DAYS = 2  # the most recent working days stay Draft
PENDING_DAYS = 6  # the working days before those wait for the pejabat penilai
RETURN_NOTE = "Lengkapi uraian dengan lokasi dan hasil kegiatan, lalu lampirkan bukti dukung yang sesuai."
REJECT_NOTE = "Kegiatan ini tidak sesuai dengan RHK yang dipilih dan sudah tercatat pada hari yang sama."
CORRECTION_REASON = "Volume tercatat keliru: seharusnya 3 dokumen, mohon dibuka kembali untuk diperbaiki."
PERTIMBANGAN_NOTE = "Kegiatan sesuai rencana kerja tim; hasil sudah dilaporkan dalam rapat tim mingguan."
MONTH_NOTE = ("Kinerja bulan ini baik dan konsisten; laporan disampaikan tepat waktu. Perlu peningkatan "
              "kelengkapan bukti dukung pada beberapa kegiatan lapangan.")
WEEKEND_NOTE = "Pengawasan kedatangan kapal di luar hari kerja sesuai surat tugas Kepala Balai."


@dataclass(frozen=True)
class Act:
    rhk: int  # position in the pegawai's RHK list (wraps around)
    uraian: str
    satuan: str
    vol: tuple[int, int]
    menit: tuple[int, int]
    link: bool = False


def _a(rhk, uraian, satuan, vol, menit, link=False) -> Act:
    return Act(rhk, uraian, satuan, vol, menit, link)


COMMON = (
    _a(0, "Mengikuti rapat koordinasi tim kerja membahas capaian kinerja mingguan", "kegiatan", (1, 1), (60, 90)),
    _a(0, "Menyusun laporan kegiatan harian dan mengunggah ke aplikasi e-Kinerja", "laporan", (1, 1), (30, 60)),
)

ACTS: dict[str, tuple[Act, ...]] = {
    "pimpinan": (
        _a(0, "Memimpin rapat koordinasi lintas sektor dengan Otoritas Pelabuhan, Imigrasi dan Bea Cukai",
           "kegiatan", (1, 1), (90, 150), True),
        _a(1, "Menelaah dan menandatangani dokumen kesehatan serta disposisi surat masuk", "dokumen", (10, 40),
           (60, 120)),
        _a(2, "Memantau laporan surveilans dan sinyal kewaspadaan dini di pintu masuk", "laporan", (1, 3), (45, 90)),
        _a(3, "Melakukan pembinaan dan evaluasi kinerja tim kerja", "kegiatan", (1, 1), (60, 120)),
        _a(4, "Menelaah realisasi anggaran dan capaian IKPA satuan kerja", "laporan", (1, 1), (45, 90), True),
    ),
    "surveilans": (
        _a(0, "Melakukan pengawasan alat angkut kapal yang datang dari luar negeri di Pelabuhan Belawan",
           "alat angkut", (2, 6), (120, 180), True),
        _a(0, "Memeriksa dokumen kesehatan kapal (Maritime Declaration of Health dan SSCEC)", "dokumen", (3, 12),
           (60, 120)),
        _a(1, "Melakukan surveilans pelaku perjalanan bergejala di terminal kedatangan internasional", "orang",
           (20, 80), (90, 150)),
        _a(0, "Menganalisis data SKDR mingguan dan menyusun laporan surveilans", "laporan", (1, 1), (90, 150), True),
        _a(1, "Mengambil dan mengirim spesimen pelaku perjalanan bergejala ke laboratorium rujukan", "spesimen",
           (1, 4), (60, 90)),
    ),
    "lingkungan": (
        _a(0, "Melakukan survei jentik dan kepadatan vektor di wilayah perimeter pelabuhan", "lokasi", (3, 10),
           (120, 180), True),
        _a(1, "Melakukan pemeriksaan sanitasi kapal dan penerbitan sertifikat sanitasi", "alat angkut", (1, 4),
           (90, 150)),
        _a(0, "Memeriksa sampel air bersih dan vektor di laboratorium", "sampel", (4, 20), (90, 150)),
        _a(1, "Melakukan inspeksi kesehatan lingkungan tempat-tempat umum di pelabuhan", "lokasi", (1, 3),
           (60, 120), True),
        _a(0, "Mengagendakan dan mendistribusikan surat tim kerja", "surat", (5, 25), (45, 90)),
    ),
    "yankes": (
        _a(0, "Memberikan layanan vaksinasi meningitis dan yellow fever bagi calon jemaah dan pelaku perjalanan",
           "orang", (10, 45), (120, 180)),
        _a(0, "Memeriksa dan menerbitkan International Certificate of Vaccination (ICV)", "dokumen", (10, 40),
           (60, 120), True),
        _a(1, "Memberikan pelayanan kesehatan di klinik bandara dan pelabuhan", "orang", (3, 15), (90, 150)),
        _a(0, "Memeriksa kesehatan awak dan pelaku perjalanan sebelum penerbitan izin kekarantinaan", "orang",
           (5, 30), (60, 120)),
        _a(1, "Mencatat dan melaporkan kejadian ikutan pasca imunisasi", "laporan", (1, 1), (30, 60)),
    ),
    "perencanaan": (
        _a(0, "Menyusun bahan revisi DIPA dan rencana kerja anggaran balai", "dokumen", (1, 2), (120, 180), True),
        _a(1, "Menyusun laporan capaian kinerja bulanan pada aplikasi e-Monev", "laporan", (1, 1), (90, 150), True),
        _a(0, "Memverifikasi dokumen pertanggungjawaban perjalanan dinas", "dokumen", (5, 20), (90, 150)),
        _a(0, "Memproses SPP dan SPM pada aplikasi SAKTI", "dokumen", (3, 10), (60, 120)),
        _a(1, "Memutakhirkan data realisasi anggaran dan rekonsiliasi dengan KPPN", "laporan", (1, 1), (60, 90)),
    ),
    "umum": (
        _a(0, "Memproses usulan kenaikan pangkat dan kenaikan gaji berkala pegawai", "usulan", (1, 5), (90, 150)),
        _a(1, "Memutakhirkan data kepegawaian pada aplikasi SIASN", "data", (5, 20), (60, 120), True),
        _a(0, "Menata dan mendigitalkan berkas arsip dinamis balai", "berkas", (20, 80), (120, 180)),
        _a(0, "Mengagendakan surat masuk dan keluar serta meneruskan disposisi pimpinan", "surat", (10, 30),
           (60, 120)),
        _a(1, "Menyiapkan publikasi layanan kekarantinaan di media sosial balai", "publikasi", (1, 2), (45, 90),
           True),
    ),
}


@dataclass
class DemoLogbookResult:
    pegawai: int = 0
    entries: int = 0
    status: dict[str, int] = field(default_factory=dict)


@dataclass
class _Person:
    key: str
    actor: Actor
    reviewer: Actor
    ketua: Actor | None
    rhk: list[c.RhkOption]
    acts: tuple[Act, ...]
    covered: list[tuple[dt.date, dt.date]]  # the approved SKP segments (entries only on these dates)

    def covers(self, d: dt.date) -> bool:
        return any(a <= d <= b for a, b in self.covered)


def _seed(key: str) -> int:
    return zlib.crc32(key.encode())


def _day_rows(p: _Person, rng: random.Random, d: dt.date, n0: int) -> list[dict]:
    """2–4 activities from 07:30 in sequence (gaps of 0–30 minutes, no work over the 12:00–13:00 break)."""
    count = rng.randint(2, 4)
    pool = list(p.acts) + list(COMMON)
    picks = rng.sample(pool, min(count, len(pool)))
    start, rows = 7 * 60 + 30, []  # type: ignore[var-annotated]
    for act in picks:
        dur = rng.randrange(act.menit[0], act.menit[1] + 1, 15)
        if start < 13 * 60 and start + dur > 12 * 60:
            start = 13 * 60
        if start + dur > 17 * 60:
            break
        opt = p.rhk[act.rhk % len(p.rhk)]
        vol = rng.randint(*act.vol)
        link = (f"https://drive.bbkk-medan.example/bukti/{p.key}/{d:%Y%m%d}-{len(rows) + 1}" if act.link
                and rng.random() < 0.6 else None)
        rows.append({"id": None, "_row": n0 + len(rows), "tanggal": d, "jam_mulai": f"{start // 60:02d}:{start % 60:02d}",
                     "jam_selesai": f"{(start + dur) // 60:02d}:{(start + dur) % 60:02d}", "durasi_menit": None,
                     "rhk": opt.label, "uraian": act.uraian, "volume": vol, "satuan": act.satuan, "bukti_link": link,
                     "catatan_hari_libur": None, "justifikasi_terlambat": None})
        start += dur + rng.choice((0, 0, 15, 30))
    return rows


def _months(today: dt.date) -> list[tuple[int, int]]:
    """The two months before today's month and today's month, within today's year only: the demo SKPs,
    reporting lines and period belong to the current year, so in January the window is January alone (no
    logbook for the previous year, whose period the demo office does not have)."""
    return [(today.year, m) for m in range(max(1, today.month - 2), today.month + 1)]


def _people(start: dt.date, end: dt.date) -> list[_Person]:
    """Demo pegawai with an approved SKP covering the window, with reviewer and Ketua Tim accounts."""
    people = {r["key"]: r for r in demo.roster()}
    actors: dict[str, Actor] = {}

    def actor(key: str) -> Actor:
        if key not in actors:
            actors[key] = demo_skp._actor(demo.ADMIN_USERNAME if key == "admin" else people[key]["nip"])
        return actors[key]

    ketua_of = {o.tim: o.key for o in demo.ORANG if o.ketua}
    out = []
    with read_session() as s:
        for o in demo.ORANG:
            if o.key == demo_skp.E2E_PEGAWAI_KEY:
                continue
            pid = s.scalar(select(Pegawai.id).where(Pegawai.nip == people[o.key]["nip"]))
            segments = c.options_between(s, pid, start, end)  # type: ignore[arg-type]
            opts = [x for seg in segments.values() for x in seg]
            if not opts:
                continue
            if o.key == "kepala":
                reviewer, ketua = "admin", None
            elif o.key == "kasubbag":
                reviewer, ketua = "kepala", None
            else:
                reviewer, ketua = "kasubbag", None if o.ketua else ketua_of[o.tim]
            group = "pimpinan" if o.tim is None else o.tim
            out.append(_Person(o.key, actor(o.key), actor(reviewer), actor(ketua) if ketua else None,
                               list({x.id: x for x in opts}.values()), ACTS[group], list(segments)))
    return out


def _submitted_at(d: dt.date) -> dt.datetime:
    """Submission moment of a demo entry: 16:30 WIB on its own day."""
    return dt.datetime.combine(d, dt.time(9, 30), tzinfo=dt.UTC)


@dataclass
class _Window:
    today: dt.date
    months: list[tuple[int, int]]
    workdays: list[dt.date]
    weekend: dt.date | None

    @property
    def previous(self) -> tuple[int, int] | None:
        """The month before today's month, when it is in the window (the month the Ketua Tim annotates)."""
        return self.months[-2] if len(self.months) > 1 else None

    @property
    def draft_days(self) -> set[dt.date]:
        return set(self.workdays[-DRAFT_DAYS:])

    @property
    def pending_days(self) -> set[dt.date]:
        return set(self.workdays[-(DRAFT_DAYS + PENDING_DAYS):-DRAFT_DAYS])


def _window(today: dt.date) -> _Window | None:
    months = _months(today)
    first, yesterday = dt.date(*months[0], 1), today - dt.timedelta(days=1)
    if yesterday < first:
        return None
    with read_session() as s:
        info = kalender.days(first, yesterday, s)
    weekend = next((d.tanggal for d in info if d.hari == "Sabtu"), None)
    return _Window(today, months, [d.tanggal for d in info if d.kerja], weekend)


def plan(today: dt.date | None = None) -> list[tuple[_Person, int, int, list[dict]]]:
    """The demo activities as month-grid rows (the shape logbook.save_month takes): (person, year, month,
    rows) for every demo pegawai with an approved SKP and every month of the window."""
    w = _window(today or clock.today())
    if w is None:
        return []
    out = []
    for p in _people(dt.date(*w.months[0], 1), w.today - dt.timedelta(days=1)):
        rng = random.Random(_seed(p.key))
        for y, m in w.months:
            start, end = kalender.month_bounds(y, m)
            rows: list[dict] = []
            for d in (d for d in w.workdays if start <= d <= end and p.covers(d)):
                rows += _day_rows(p, rng, d, len(rows) + 1)
            if (p.key == "epid_pertama" and w.weekend and start <= w.weekend <= end and p.covers(w.weekend)):
                extra = _day_rows(p, rng, w.weekend, len(rows) + 1)[:1]
                extra[0]["catatan_hari_libur"] = WEEKEND_NOTE
                rows += extra
            if rows:
                out.append((p, y, m, rows))
    return out


def _hhmm(text: str) -> dt.time:
    return dt.time(int(text[:2]), int(text[3:]))


def _insert(planned: list[tuple[_Person, int, int, list[dict]]], w: _Window) -> int:
    """Insert every planned row in one statement inside one unit_of_work(SYSTEM, "demo_data"): Draft on the
    latest working days, submitted (on their own day, so never late) before. Saving through logbook.save_month
    and logbook.submit gives the same result but costs ~20 s on PostgreSQL; the rows satisfy the same rules by
    construction (RHK of the approved SKP, working days or a holiday note, no overlap, daily cap, volume > 0),
    which tests/unit/test_demo_logbook.py checks by saving a sample through save_month."""
    draft = w.draft_days
    values = []
    for p, _y, _m, rows in planned:
        labels = {o.label: o.id for o in p.rhk}
        for r in rows:
            mulai, selesai = _hhmm(r["jam_mulai"]), _hhmm(r["jam_selesai"])
            is_draft = r["tanggal"] in draft
            values.append({
                "pegawai_id": p.actor.pegawai_id, "tanggal": r["tanggal"], "jam_mulai": mulai, "jam_selesai": selesai,
                "durasi_menit": c.minutes(selesai) - c.minutes(mulai), "rhk_id": labels[r["rhk"]],
                "rhk_label": r["rhk"], "uraian": r["uraian"], "volume": Decimal(r["volume"]), "satuan": r["satuan"],
                "bukti_link": r["bukti_link"], "catatan_hari_libur": r["catatan_hari_libur"],
                "status": StatusLogbook.DRAFT if is_draft else StatusLogbook.DIAJUKAN,
                "submitted_at": None if is_draft else _submitted_at(r["tanggal"]), "terlambat": False, "version": 1})
    if values:
        with unit_of_work(SYSTEM, action="demo_data") as s:
            s.execute(insert(LogbookEntry), values)
            audit.record(s, SYSTEM, "demo_data", "LogbookEntry", None, None, {"kegiatan": len(values)},
                         note="Logbook demo dimuat")
    return len(values)


def load_demo_logbook(today: dt.date | None = None) -> DemoLogbookResult:
    """Create the demo logbook (the demo office and SKPs must be loaded, with no logbook yet)."""
    today = today or clock.today()
    w = _window(today)
    if w is None:
        return DemoLogbookResult()
    planned = plan(today)
    total = _insert(planned, w)
    persons = list({p.key: p for p, *_ in planned}.values())
    with read_session() as s:
        rows = s.execute(select(LogbookEntry.id, LogbookEntry.pegawai_id, LogbookEntry.tanggal)
                         .order_by(LogbookEntry.pegawai_id, LogbookEntry.tanggal, LogbookEntry.jam_mulai)).all()
    by_month: dict[tuple[int, int, int], list] = defaultdict(list)
    for r in rows:
        by_month[(r.pegawai_id, r.tanggal.year, r.tanggal.month)].append(r)
    draft_days, pending_days = w.draft_days, w.pending_days

    decisions: dict[str, dict[str, dict[int, str | None]]] = defaultdict(lambda: defaultdict(dict))
    reviewers: dict[str, Actor] = {}
    pertimbangan: dict[str, tuple[Actor, list[int]]] = {}
    month_notes: list[tuple[Actor, int]] = []
    correction: tuple[Actor, int] | None = None
    for i, p in enumerate(persons):
        pid = p.actor.pegawai_id
        reviewers[p.reviewer.username] = p.reviewer
        todo = decisions[p.reviewer.username]
        for y, m in w.months:
            entries = by_month.get((pid, y, m), [])  # type: ignore[arg-type]
            older = [e for e in entries if e.tanggal not in draft_days and e.tanggal not in pending_days]
            for n, e in enumerate(older):
                if n == 3 and i % 3 == 1:
                    todo["tolak"][e.id] = REJECT_NOTE
                elif (n in (5, 6) and i % 4 == 2 and (y, m) == w.previous) or (n == len(older) - 1 and i % 2 == 0):
                    todo["kembalikan"][e.id] = RETURN_NOTE
                else:
                    todo["setujui"][e.id] = None
            if correction is None and p.key == "epid_pertama" and len(older) > 1:
                correction = (p.actor, older[1].id)
            if p.ketua is not None:
                pend = [e.id for e in entries if e.tanggal in pending_days][:2]
                if pend:
                    pertimbangan.setdefault(p.ketua.username, (p.ketua, []))[1].extend(pend)
                if (y, m) == w.previous and all(a.username != p.ketua.username for a, _ in month_notes):
                    month_notes.append((p.ketua, pid))  # type: ignore[arg-type]

    for username, todo in decisions.items():
        for decision in ("setujui", "kembalikan", "tolak"):
            if todo[decision]:
                logbook.review(reviewers[username], list(todo[decision]), decision, notes_by_id=todo[decision],  # type: ignore[arg-type]
                               today=today)
    for ketua, ids in pertimbangan.values():
        logbook.set_pertimbangan(ketua, ids, PERTIMBANGAN_NOTE)
    for ketua, pid in month_notes:
        assert w.previous is not None
        logbook.set_month_note(ketua, pid, *w.previous, MONTH_NOTE)
    if correction is not None:
        logbook.request_correction(*correction, CORRECTION_REASON)
    with read_session() as s:
        counts = s.execute(select(LogbookEntry.status, func.count()).group_by(LogbookEntry.status)).all()
    return DemoLogbookResult(pegawai=len(persons), entries=total,
                             status={StatusLogbook(st).value: n for st, n in counts})
