"""Benchmark data: a ministry-scale organisation on top of the demo office (`ekinerja bench-data`).

The demo office (services/demo: Kepala, Kasubbag, Ketua Tim, staff, admin, with SKPs, logbook and
evaluations) is loaded first, so the benchmark users and their own views are the same as at office scale.
Then `pegawai` more pegawai are added in a tree of about `units` units under the demo root unit: a few
directorates (each headed by a pejabat who reports to the Kepala), each with sub-units whose head reports
to the directorate head and whose staff report to the unit head (pejabat penilai) with the directorate head
as atasan pejabat penilai and a senior colleague as pemberi pertimbangan. Every generated pegawai gets an
account, an approved SKP per year of the window (three RHK with one IKI each), a logbook on every working
day of the last `bulan` months (one or two activities a day; older months mostly approved with some returned
and rejected entries, the previous month partly waiting for review, the current month partly draft),
quarterly evaluations (approved with ratings and predikat for finished quarters, draft for the current one)
and audit rows for the decisions.

The organisational figures the monthly monev meeting (SOP 002) shows are generated too: a Tim Kerja per
generated unit (at most TIM_MAX, the unit head as ketua), each with two indicators under a generated sasaran of
the year's Perjanjian Kinerja (the demo's PK, or a signed one created for a year without it) with monthly
targets, a rincian output with pagu and monthly RPD, and for every month of the window before the current one
the indicators' realisation (kendala and rencana tindak lanjut where short of target), the budget realisation
and the team's submission.

Rows go in with set-based inserts (SQLAlchemy core executemany; PostgreSQL COPY for the logbook), outside the
services on purpose: the services would take hours at this size. The rows satisfy the same rules by
construction as the demo logbook does (RHK of the approved SKP, working days, no overlap, daily cap).
Deterministic for a given seed and today's date.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, func, insert, select, text

from db.engine import get_engine
from db.models import (
    AturanAgregasi,
    AuditLog,
    Evaluasi,
    Iki,
    IndikatorKinerja,
    Jabatan,
    JenisASN,
    JenisEvaluasi,
    JenisIndikator,
    JenisJabatan,
    JenisKelamin,
    JenisRhk,
    LogbookEntry,
    Pegawai,
    Period,
    PeriodeEvaluasi,
    PerjanjianKinerja,
    PolaritasIndikator,
    PredikatKinerja,
    RatingKinerja,
    RealisasiAnggaran,
    RealisasiIndikator,
    RealisasiTim,
    ReportingLine,
    Rhk,
    RincianOutput,
    Role,
    RpdBulanan,
    SasaranStrategis,
    Skp,
    StatusEvaluasi,
    StatusLogbook,
    StatusPeriode,
    StatusPk,
    StatusRealisasiTim,
    StatusSkp,
    TargetBulanan,
    TimKerja,
    UnitKerja,
    User,
)
from db.models.skp import FormatSkp, Pendekatan
from services.core import clock
from services.core.actor import SYSTEM, Actor
from services.core.errors import Conflict
from services.org import kalender

BATCH = 20_000
DIREKTORAT = 5
ROOT_UNIT = "BBKK"
KEPALA_NIP = "197104121999031001"  # the demo Kepala Balai: the generated directorate heads report to them

RHK_TEXT = (
    "Terlaksananya pengawasan kekarantinaan kesehatan di wilayah kerja {unit}",
    "Tersusunnya laporan dan analisis data kegiatan {unit}",
    "Terlaksananya dukungan administrasi dan layanan {unit}",
)
IKI_TEXT = ("Jumlah kegiatan pengawasan yang dilaksanakan", "Jumlah laporan yang disusun",
            "Persentase layanan yang diselesaikan tepat waktu")
SATUAN = ("kegiatan", "laporan", "persen")
URAIAN = (
    "Melakukan pemeriksaan dokumen kesehatan kapal dan awak di pelabuhan",
    "Menyusun rekapitulasi data pengawasan harian",
    "Mengikuti rapat koordinasi lintas sektor",
    "Memeriksa kelengkapan berkas permohonan layanan",
    "Menginput data kegiatan ke aplikasi pelaporan",
    "Melakukan pengawasan faktor risiko lingkungan di bandar udara",
    "Menyusun konsep surat dan nota dinas",
    "Melakukan verifikasi laporan kegiatan tim",
)
NAMA_DEPAN = ("Ahmad", "Budi", "Citra", "Dewi", "Eko", "Fitri", "Gita", "Hendra", "Indah", "Joko", "Kartika",
              "Lestari", "Made", "Nur", "Putri", "Rizki", "Sari", "Teguh", "Wahyu", "Yusuf")
NAMA_BELAKANG = ("Saputra", "Wijaya", "Siregar", "Nasution", "Lubis", "Hasibuan", "Harahap", "Pratama",
                 "Santoso", "Rahmawati", "Hidayat", "Kurniawan", "Simanjuntak", "Sitompul", "Purba")
REVIEW_NOTE = "Lengkapi uraian dan bukti dukung kegiatan."
TIM_MAX = 12  # generated Tim Kerja at most (each one is a section of Mode Rapat)
RPD_WEIGHTS = (5, 6, 8, 8, 8, 9, 8, 9, 9, 9, 9, 12)  # percent of the pagu per month (sums to 100)
KENDALA = ("Data pendukung dari wilayah kerja terlambat masuk.",
           "Koordinasi pelaporan mingguan dengan wilayah kerja dan percepatan input data.")


@dataclass
class BenchResult:
    pegawai: int = 0
    units: int = 0
    skp: int = 0
    logbook: int = 0
    evaluasi: int = 0
    audit: int = 0
    tim: int = 0
    indikator: int = 0
    realisasi: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


def _months(today: dt.date, bulan: int) -> list[tuple[int, int]]:
    out = []
    y, m = today.year, today.month
    for _ in range(bulan):
        out.append((y, m))
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
    return out[::-1]


def _chunks(rows: list[dict], n: int = BATCH) -> Iterable[list[dict]]:
    for i in range(0, len(rows), n):
        yield rows[i:i + n]


def _insert_returning(conn: Connection, table, rows: list[dict]) -> list[int]:
    """Insert `rows` (executemany, batched) and return their ids in the same order."""
    ids: list[int] = []
    stmt = insert(table).returning(table.id, sort_by_parameter_order=True)
    for chunk in _chunks(rows):
        ids.extend(conn.execute(stmt, chunk).scalars().all())
    return ids


def _insert(conn: Connection, table, rows: list[dict]) -> None:
    for chunk in _chunks(rows):
        conn.execute(insert(table), chunk)


def _copy_or_insert(conn: Connection, table, rows: Iterable[dict], columns: list[str]) -> int:
    """PostgreSQL: COPY FROM STDIN (several times faster than executemany for millions of rows);
    elsewhere: batched executemany."""
    n = 0
    if conn.dialect.name == "postgresql":
        raw = conn.connection.driver_connection
        cols = ", ".join(columns)
        with raw.cursor() as cur, cur.copy(f"COPY {table.__tablename__} ({cols}) FROM STDIN") as cp:  # type: ignore[union-attr]
            for r in rows:
                cp.write_row(tuple(r[c] for c in columns))
                n += 1
        return n
    batch: list[dict] = []
    for r in rows:
        batch.append(r)
        if len(batch) >= BATCH:
            conn.execute(insert(table), batch)
            n += len(batch)
            batch = []
    if batch:
        conn.execute(insert(table), batch)
        n += len(batch)
    return n


def _nip(i: int, rng: random.Random) -> tuple[str, dt.date, dt.date, JenisKelamin]:
    """A well-formed NIP (birth date, TMT year-month, sex digit, serial) unique per index."""
    lahir = dt.date(1965, 1, 1) + dt.timedelta(days=(i * 7) % 12000)
    tmt = dt.date(1990 + (i % 30), 1 + (i % 12), 1)
    jk = JenisKelamin.LAKI_LAKI if i % 2 == 0 else JenisKelamin.PEREMPUAN
    serial = 500 + (i // 12000) % 499
    nip = f"{lahir:%Y%m%d}{tmt:%Y%m}{1 if i % 2 == 0 else 2}{serial:03d}"
    return nip, lahir, tmt, jk


def load_bench(actor: Actor = SYSTEM, pegawai: int = 5000, bulan: int = 12, units: int = 50, seed: int = 15,
               today: dt.date | None = None, with_demo: bool = True,
               progress: Callable[[str], None] | None = None) -> BenchResult:
    """Generate the benchmark organisation into the configured (empty) database. See the module docstring."""
    actor.require(Role.ADMIN_SDM, message="Hanya Admin SDM yang dapat memuat data benchmark.")
    from services import demo

    say = progress or (lambda _m: None)
    today = today or clock.today()
    rng = random.Random(seed)
    res = BenchResult()
    t0 = time.perf_counter()
    if with_demo:
        demo.load_demo(actor)
        res.seconds["demo"] = round(time.perf_counter() - t0, 1)
        say(f"data demo dimuat ({res.seconds['demo']} dtk)")
    months = _months(today, bulan)
    years = sorted({y for y, _m in months})
    eng = get_engine()
    with eng.begin() as conn:
        if conn.scalar(select(func.count()).select_from(UnitKerja).where(UnitKerja.kode.like("GEN-%"))):
            raise Conflict("Data benchmark sudah ada di basis data ini.")
        root_id = conn.scalar(select(UnitKerja.id).where(UnitKerja.kode == ROOT_UNIT))
        kepala_id = conn.scalar(select(Pegawai.id).where(Pegawai.nip == KEPALA_NIP))
        password_hash = conn.scalar(select(User.password_hash).where(User.username == demo.ADMIN_USERNAME))
        if password_hash is None:
            from services.auth.login import hash_password
            password_hash = hash_password(demo.DEMO_PASSWORD)
        period_ids: dict[int, int] = {}
        for y in years:
            pid = conn.scalar(select(Period.id).where(Period.tahun == y))
            if pid is None:
                pid = _insert_returning(conn, Period, [{
                    "tahun": y, "tanggal_mulai": dt.date(y, 1, 1), "tanggal_selesai": dt.date(y, 12, 31),
                    "periode_evaluasi": PeriodeEvaluasi.TRIWULANAN,
                    "status": StatusPeriode.DIBUKA if y == today.year else StatusPeriode.DITUTUP}])[0]
            period_ids[y] = pid

        # --- units: DIREKTORAT directorates, the rest spread under them ---
        t = time.perf_counter()
        n_dir = min(DIREKTORAT, max(1, units))
        dir_rows = [{"kode": f"GEN-D{d + 1}", "nama": f"Direktorat Pelayanan Kekarantinaan {d + 1}",
                     "parent_id": root_id, "urutan": 10 + d} for d in range(n_dir)]
        dir_ids = _insert_returning(conn, UnitKerja, dir_rows)
        sub_rows = []
        for k in range(max(0, units - n_dir)):
            d = k % n_dir
            sub_rows.append({"kode": f"GEN-D{d + 1}-{k // n_dir + 1:02d}",
                             "nama": f"Wilayah Kerja {k + 1} Direktorat {d + 1}", "parent_id": dir_ids[d],
                             "urutan": k})
        sub_ids = _insert_returning(conn, UnitKerja, sub_rows)
        all_units: list[tuple[int, str, int | None]] = [(uid, str(r["nama"]), None) for uid, r in zip(dir_ids, dir_rows, strict=True)] + \
                    [(uid, str(r["nama"]), dir_ids[int(str(r["kode"]).split("-")[1][1:]) - 1])
                     for uid, r in zip(sub_ids, sub_rows, strict=True)]
        res.units = len(all_units)

        # --- jabatan: a head and a staff position per unit ---
        jab_rows = []
        for uid, nama, parent in all_units:
            jab_rows.append({"nama": f"Kepala {nama}", "jenis": JenisJabatan.ADMINISTRATOR if parent is None
                             else JenisJabatan.PENGAWAS, "unit_id": uid, "pimpinan_unit": True, "kelas_jabatan": 11})
            jab_rows.append({"nama": f"Analis {nama}", "jenis": JenisJabatan.PELAKSANA, "unit_id": uid,
                             "pimpinan_unit": False, "kelas_jabatan": 7})
        jab_ids = _insert_returning(conn, Jabatan, jab_rows)
        head_jab = {u[0]: jab_ids[2 * i] for i, u in enumerate(all_units)}
        staff_jab = {u[0]: jab_ids[2 * i + 1] for i, u in enumerate(all_units)}

        # --- pegawai: one head per unit, the rest as staff spread over the sub-units (or directorates) ---
        staff_units = [u for u in all_units if u[2] is not None] or all_units
        peg_rows, peg_unit, peg_head = [], [], []
        for i in range(pegawai):
            if i < len(all_units):
                uid, is_head = all_units[i][0], True
            else:
                uid, is_head = staff_units[i % len(staff_units)][0], False
            nip, lahir, tmt, jk = _nip(i, rng)
            peg_rows.append({"nip": nip, "jenis_asn": JenisASN.PNS if i % 9 else JenisASN.PPPK,
                             "nama": f"{NAMA_DEPAN[i % len(NAMA_DEPAN)]} {NAMA_BELAKANG[(i // 20) % len(NAMA_BELAKANG)]} {i + 1}",
                             "golongan": "III/c" if is_head else ("III/a" if i % 3 else "II/c"),
                             "jabatan_id": head_jab[uid] if is_head else staff_jab[uid], "unit_id": uid,
                             "tanggal_lahir": lahir, "jenis_kelamin": jk, "tmt_asn": tmt, "aktif": True,
                             "email": f"pegawai{i + 1}@kemenkes.example", "version": 1})
            peg_unit.append(uid)
            peg_head.append(is_head)
        peg_ids = _insert_returning(conn, Pegawai, peg_rows)
        res.pegawai = len(peg_ids)
        head_of = {peg_unit[i]: peg_ids[i] for i in range(len(peg_ids)) if peg_head[i]}
        parent_of = {u[0]: u[2] for u in all_units}
        res.seconds["org"] = round(time.perf_counter() - t, 1)
        say(f"{res.units} unit, {res.pegawai} pegawai ({res.seconds['org']} dtk)")

        # --- accounts ---
        t = time.perf_counter()
        user_ids = _insert_returning(conn, User, [
            {"username": r["nip"], "nama": r["nama"], "password_hash": password_hash, "pegawai_id": pid,
             "aktif": True, "must_change_password": False, "failed_attempts": 0}
            for pid, r in zip(peg_ids, peg_rows, strict=True)])
        del user_ids  # pegawai accounts have no extra roles (their penilai role follows the reporting lines)

        # --- reporting lines (from 1 January of the first year of the window) ---
        start = dt.date(years[0], 1, 1)
        lines, penilai_of, atasan_of = [], {}, {}
        first_staff: dict[int, int] = {}
        for i, pid in enumerate(peg_ids):
            uid = peg_unit[i]
            if peg_head[i]:
                parent = parent_of[uid]
                penilai = head_of.get(parent) if parent else kepala_id
                atasan = kepala_id if parent else None
                pertimbangan = None
            else:
                penilai = head_of.get(uid)
                parent = parent_of[uid]
                atasan = head_of.get(parent) if parent else kepala_id
                pertimbangan = first_staff.get(uid)
                first_staff.setdefault(uid, pid)
            penilai_of[pid], atasan_of[pid] = penilai, atasan
            lines.append({"pegawai_id": pid, "pejabat_penilai_id": penilai, "atasan_penilai_id": atasan,
                          "pemberi_pertimbangan_id": pertimbangan, "berlaku_mulai": start,
                          "catatan": "Data benchmark"})
        _insert(conn, ReportingLine, lines)
        res.seconds["akun_hubungan"] = round(time.perf_counter() - t, 1)

        # --- SKPs: one approved segment per pegawai per year, three RHK with one IKI each ---
        t = time.perf_counter()
        rhk_of: dict[tuple[int, int], list[tuple[int, str]]] = {}
        skp_of: dict[tuple[int, int], int] = {}
        for y in years:
            decided = dt.datetime(y, 1, 20, 3, 0, tzinfo=dt.UTC)
            skp_rows = [{"pegawai_id": pid, "period_id": period_ids[y], "segment_no": 1,
                         "tanggal_mulai": dt.date(y, 1, 1), "tanggal_selesai": dt.date(y, 12, 31),
                         "jabatan_id": peg_rows[i]["jabatan_id"], "unit_id": peg_unit[i],
                         "golongan": peg_rows[i]["golongan"], "pejabat_penilai_id": penilai_of[pid],
                         "atasan_penilai_id": atasan_of[pid], "format": FormatSkp.JA_JF,
                         "pendekatan": Pendekatan.KUANTITATIF, "status": StatusSkp.DISETUJUI, "version_no": 1,
                         "submitted_at": decided - dt.timedelta(days=3), "decided_at": decided,
                         "decided_by_id": penilai_of[pid], "version": 1}
                        for i, pid in enumerate(peg_ids)]
            skp_ids = _insert_returning(conn, Skp, skp_rows)
            res.skp += len(skp_ids)
            unit_name = {u[0]: u[1] for u in all_units}
            rhk_rows = []
            for i, sid in enumerate(skp_ids):
                for k in range(3):
                    rhk_rows.append({"skp_id": sid, "jenis": JenisRhk.UTAMA, "urutan": k + 1,
                                     "uraian": RHK_TEXT[k].format(unit=unit_name[peg_unit[i]])})
            rhk_ids = _insert_returning(conn, Rhk, rhk_rows)
            iki_rows = [{"rhk_id": rid, "urutan": 1, "indikator": IKI_TEXT[k % 3], "target_min": 12 if k % 3 < 2 else 90,
                         "target_max": 12 if k % 3 < 2 else 90, "satuan": SATUAN[k % 3]}
                        for k, rid in enumerate(rhk_ids)]
            _insert(conn, Iki, iki_rows)
            for i, sid in enumerate(skp_ids):
                pid = peg_ids[i]
                skp_of[(pid, y)] = sid
                rhk_of[(pid, y)] = [(rhk_ids[3 * i + k], f"U{k + 1}. {rhk_rows[3 * i + k]['uraian']}"[:140])
                                    for k in range(3)]
        res.seconds["skp"] = round(time.perf_counter() - t, 1)
        say(f"{res.skp} SKP ({res.seconds['skp']} dtk)")

        # --- logbook ---
        t = time.perf_counter()
        yesterday = today - dt.timedelta(days=1)
        workdays = [d for y, m in months for d in kalender.working_days(y, m) if d <= yesterday]
        recent = set(workdays[-2:])  # draft
        pending_from = workdays[-10] if len(workdays) >= 10 else (workdays[0] if workdays else today)
        cur_month = (today.year, today.month)
        cols = ["pegawai_id", "tanggal", "jam_mulai", "jam_selesai", "durasi_menit", "rhk_id", "rhk_label", "uraian",
                "volume", "satuan", "bukti_link", "catatan_hari_libur", "status", "submitted_at",
                "catatan_penilai", "reviewed_by_id", "reviewed_at", "terlambat", "version"]
        slots = ((dt.time(8, 0), dt.time(11, 30), 210), (dt.time(13, 0), dt.time(16, 0), 180))
        counts = {s: 0 for s in StatusLogbook}

        def rows():
            lrng = random.Random(seed * 7 + 1)
            for i, pid in enumerate(peg_ids):
                penilai = penilai_of[pid]
                for d in workdays:
                    opts = rhk_of[(pid, d.year)]
                    for k in range(1 + (lrng.random() < 0.5)):
                        mulai, selesai, menit = slots[k]
                        if d in recent:
                            st = StatusLogbook.DRAFT
                        elif d >= pending_from or ((d.year, d.month) == cur_month and lrng.random() < 0.5):
                            st = StatusLogbook.DIAJUKAN
                        else:
                            x = lrng.random()
                            st = (StatusLogbook.DISETUJUI if x < 0.93 else StatusLogbook.DIKEMBALIKAN if x < 0.97
                                  else StatusLogbook.DITOLAK if x < 0.985 else StatusLogbook.DIAJUKAN)
                        counts[st] += 1
                        rid, label = opts[(i + k + d.day) % 3]
                        sub = (dt.datetime.combine(d, dt.time(9, 30), tzinfo=dt.UTC)
                               if st != StatusLogbook.DRAFT else None)
                        decided = st in (StatusLogbook.DISETUJUI, StatusLogbook.DIKEMBALIKAN, StatusLogbook.DITOLAK)
                        yield {"pegawai_id": pid, "tanggal": d, "jam_mulai": mulai, "jam_selesai": selesai,
                               "durasi_menit": menit, "rhk_id": rid, "rhk_label": label,
                               "uraian": URAIAN[(i + d.toordinal() + k) % len(URAIAN)], "volume": 1 + (d.day % 3),
                               "satuan": "kegiatan", "bukti_link": None, "catatan_hari_libur": None, "status": st.value,
                               "submitted_at": sub,
                               "catatan_penilai": REVIEW_NOTE if st in (StatusLogbook.DIKEMBALIKAN,
                                                                        StatusLogbook.DITOLAK) else None,
                               "reviewed_by_id": penilai if decided else None,
                               "reviewed_at": sub + dt.timedelta(days=3) if decided and sub else None,
                               "terlambat": False, "version": 1}

        res.logbook = _copy_or_insert(conn, LogbookEntry, rows(), cols)
        res.seconds["logbook"] = round(time.perf_counter() - t, 1)
        say(f"{res.logbook} entri logbook ({res.seconds['logbook']} dtk)")

        # --- evaluations: quarterly; finished quarters approved with ratings, the current one draft ---
        t = time.perf_counter()
        ev_rows = []
        ratings = (RatingKinerja.SESUAI, RatingKinerja.SESUAI, RatingKinerja.DI_ATAS, RatingKinerja.DI_BAWAH)
        predikat = {RatingKinerja.DI_ATAS: PredikatKinerja.SANGAT_BAIK, RatingKinerja.SESUAI: PredikatKinerja.BAIK,
                    RatingKinerja.DI_BAWAH: PredikatKinerja.BUTUH_PERBAIKAN}
        first_month = dt.date(*months[0], 1)
        for y in years:
            for q in range(1, 5):
                qs, qe = dt.date(y, 3 * q - 2, 1), kalender.month_bounds(y, 3 * q)[1]
                if qs > today or qe < first_month:
                    continue
                done = qe < today
                for i, pid in enumerate(peg_ids):
                    r = ratings[(i + q) % 4]
                    at = dt.datetime.combine(min(qe + dt.timedelta(days=10), today), dt.time(3), tzinfo=dt.UTC)
                    ev_rows.append({
                        "skp_id": skp_of[(pid, y)], "pegawai_id": pid, "period_id": period_ids[y],
                        "jenis": JenisEvaluasi.PERIODIK, "nomor": q, "kode": f"{y}-T{q}", "mulai": qs, "selesai": qe,
                        "status": StatusEvaluasi.DISETUJUI if done else StatusEvaluasi.DRAFT,
                        "pejabat_penilai_id": penilai_of[pid], "atasan_penilai_id": atasan_of[pid],
                        "rating_hasil_kerja": r if done else None, "rating_perilaku_kerja": RatingKinerja.SESUAI
                        if done else None, "predikat": predikat[r] if done else None,
                        "dinilai_by_id": penilai_of[pid] if done else None, "dinilai_at": at if done else None,
                        "disetujui_at": at if done else None, "submitted_at": at if done else None, "version": 1})
        _insert(conn, Evaluasi, ev_rows)
        res.evaluasi = len(ev_rows)

        # --- audit rows: one per pegawai-month of decisions (the real services write one per action) ---
        audit_rows = []
        for i, pid in enumerate(peg_ids):
            for y, m in months[:-1]:
                audit_rows.append({"at": dt.datetime(y, m, 28, 8, tzinfo=dt.UTC), "user_id": None,
                                   "username": peg_rows[i]["nip"], "action": "review", "entity": "LogbookEntry",
                                   "entity_id": str(pid), "before": {"status": "DIAJUKAN"},
                                   "after": {"status": "DISETUJUI"}, "note": "Data benchmark"})
        _insert(conn, AuditLog, audit_rows)
        res.audit = len(audit_rows)
        _insert(conn, AuditLog, [{"at": clock.now(), "user_id": None, "username": "sistem", "action": "bench_data",
                                  "entity": "Pegawai", "entity_id": None, "before": None,
                                  "after": {"pegawai": res.pegawai, "logbook": res.logbook}, "note": "Data benchmark dimuat"}])
        res.seconds["evaluasi_audit"] = round(time.perf_counter() - t, 1)

        t = time.perf_counter()
        _kinerja(conn, res, all_units, head_of, months, today, random.Random(seed * 11 + 3))
        res.seconds["kinerja"] = round(time.perf_counter() - t, 1)
        say(f"{res.tim} Tim Kerja, {res.indikator} indikator, {res.realisasi} realisasi ({res.seconds['kinerja']} dtk)")
    t = time.perf_counter()
    analyze(eng)
    res.seconds["analyze"] = round(time.perf_counter() - t, 1)
    say(f"Statistik basis data diperbarui ({res.seconds['analyze']} dtk)")
    res.seconds["total"] = round(time.perf_counter() - t0, 1)
    return res


def _kinerja(conn: Connection, res: BenchResult, all_units: list[tuple[int, str, int | None]],
             head_of: dict[int, int], months: list[tuple[int, int]], today: dt.date, rng: random.Random) -> None:
    """Tim Kerja, PK indicators with monthly targets, rincian output with RPD, and the realised months (see the
    module docstring). Set-based like the rest."""
    units = all_units[:TIM_MAX]
    tim_rows = [{"nama": f"Tim Kerja {nama}", "unit_id": uid, "ketua_id": head_of.get(uid),
                 "deskripsi": "Data benchmark", "aktif": True} for uid, nama, _p in units]
    tim_ids = _insert_returning(conn, TimKerja, tim_rows)
    res.tim = len(tim_ids)
    nip_of = dict(conn.execute(select(Pegawai.id, Pegawai.nip).where(Pegawai.id.in_(list(head_of.values())))).all())
    ketua = [nip_of.get(head_of.get(uid, -1)) for uid, _n, _p in units]
    realised = [(y, m) for y, m in months if (y, m) < (today.year, today.month)]
    for y in sorted({y for y, _m in months}):
        pk_id = conn.scalar(select(PerjanjianKinerja.id).where(PerjanjianKinerja.tahun == y))
        if pk_id is None:
            pk_id = _insert_returning(conn, PerjanjianKinerja, [{
                "tahun": y, "versi": 1, "status": StatusPk.DITANDATANGANI,
                "ditandatangani_at": dt.date(y, 1, 15), "ditandatangani_oleh": "sistem"}])[0]
        ss_id = _insert_returning(conn, SasaranStrategis, [{
            "pk_id": pk_id, "kode": "SS-GEN", "urutan": 90,
            "nama": "Meningkatnya kinerja layanan kekarantinaan kesehatan di wilayah kerja"}])[0]
        ind_rows, specs = [], []
        for k, tid in enumerate(tim_ids):
            for j, (nama, satuan, agr, target) in enumerate((
                    ("Jumlah kegiatan pengawasan kekarantinaan yang dilaksanakan", "kegiatan", "kumulatif", 240),
                    ("Persentase layanan yang diselesaikan sesuai standar waktu", "%", "rata-rata", 90))):
                ind_rows.append({"sasaran_id": ss_id, "kode": f"IKK G{k + 1}.{j + 1}", "nama": nama,
                                 "jenis": JenisIndikator.IKK, "satuan": satuan,
                                 "polaritas": PolaritasIndikator.POSITIF, "agregasi": AturanAgregasi(agr),
                                 "target": target, "target_max": None, "tim_id": tid,
                                 "sumber_data": "Laporan bulanan tim", "definisi": nama, "urutan": 100 + 2 * k + j})
                specs.append((k, target / 12 if agr == "kumulatif" else target))
        ind_ids = _insert_returning(conn, IndikatorKinerja, ind_rows)
        res.indikator += len(ind_ids)
        _insert(conn, TargetBulanan, [{"indikator_id": iid, "bulan": m, "target": round(t, 2), "target_max": None}
                                      for iid, (_k, t) in zip(ind_ids, specs, strict=True) for m in range(1, 13)])
        rin_rows: list[dict[str, Any]] = [{"pk_id": pk_id, "kode": f"GEN.{k + 1:03d}", "nama": f"Layanan {units[k][1]}", "tim_id": tid,
                     "pagu": 300_000_000 + 25_000_000 * k, "urutan": 100 + k} for k, tid in enumerate(tim_ids)]
        rin_ids = _insert_returning(conn, RincianOutput, rin_rows)
        _insert(conn, RpdBulanan, [{"rincian_id": rid, "bulan": m, "rencana": r["pagu"] * RPD_WEIGHTS[m - 1] // 100}
                                   for rid, r in zip(rin_ids, rin_rows, strict=True) for m in range(1, 13)])
        done = [m for yy, m in realised if yy == y]
        reals: list[dict] = []
        for iid, (k, t) in zip(ind_ids, specs, strict=True):
            for m in done:
                v = round(t * rng.uniform(0.8, 1.15), 2)
                short = v < t
                reals.append({"indikator_id": iid, "bulan": m, "nilai": min(v, 100.0) if t <= 100 else v,
                              "kendala": KENDALA[0] if short else None,
                              "rencana_tindak_lanjut": KENDALA[1] if short else None,
                              "bukti_link": f"https://drive.example/kinerja/{y}/{m:02d}/{iid}", "diisi_oleh": ketua[k]})
        _insert(conn, RealisasiIndikator, reals)
        _insert(conn, RealisasiAnggaran, [
            {"rincian_id": rid, "bulan": m, "diisi_oleh": ketua[k],
             "nilai": round(r["pagu"] * RPD_WEIGHTS[m - 1] / 100 * rng.uniform(0.82, 1.06))}
            for k, (rid, r) in enumerate(zip(rin_ids, rin_rows, strict=True)) for m in done])
        _insert(conn, RealisasiTim, [{"tahun": y, "bulan": m, "tim_id": tid, "status": StatusRealisasiTim.DIAJUKAN,
                                      "diajukan_at": dt.datetime(*_next(y, m), 3, 3, tzinfo=dt.UTC),
                                      "diajukan_oleh": ketua[k]} for m in done for k, tid in enumerate(tim_ids)])
        res.realisasi += len(reals)


def analyze(eng) -> None:
    """After a bulk load: PostgreSQL `VACUUM ANALYZE` (planner statistics, and the visibility map so covering
    indexes give index-only scans), SQLite `ANALYZE`; outside a transaction (VACUUM refuses to run in one)."""
    with eng.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE" if eng.dialect.name == "postgresql" else "ANALYZE"))


def _next(y: int, m: int) -> tuple[int, int]:
    return (y + 1, 1) if m == 12 else (y, m + 1)
