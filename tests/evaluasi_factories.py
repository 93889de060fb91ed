"""Shared helpers for evaluation (evaluasi kinerja) tests: approved SKPs, periodic evaluations, filled and
submitted realisasi, and approved logbook entries inserted directly.

The test org (tests/factories.build_org) runs on the current year with quarterly (Triwulanan) periods, so
periodic slot 1 is Q1 (1 January – 31 March). TODAY (2 April) is after Q1: the realisasi may be submitted.
Other helpers may add functions at the end of this file.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

from sqlalchemy import insert, select

from db.engine import get_engine, read_session
from db.models import Evaluasi, JenisEvaluasi, LogbookEntry, Skp, StatusLogbook
from services.core import clock
from services.evaluasi import pegawai as evaluasi
from tests import logbook_factories as lf
from tests.skp_factories import period_id

TODAY_Q1 = dt.date(clock.today().year, 4, 2)
IN_Q1 = dt.date(clock.today().year, 3, 10)


def q1_today(org) -> dt.date:
    """A day after Q1 of the org year (submission allowed)."""
    return dt.date(org.year, 4, 2)


def setup(org) -> SimpleNamespace:
    """Approved SKPs of kepala, kasub, staf and staf2 (tests/logbook_factories.approved_skps)."""
    return lf.approved_skps(org, staf2=True, on=dt.date(org.year, 3, 31))


def skp_id(org, who: str) -> int:
    with read_session() as s:
        return s.scalar(select(Skp.id).where(Skp.pegawai_id == org.pegawai[who], Skp.period_id == period_id(org))
                        .order_by(Skp.segment_no.desc()).limit(1))


def periodic(org, who: str, nomor: int = 1, today: dt.date | None = None) -> int:
    """The id of `who`'s periodic evaluation `nomor` (created when absent)."""
    today = today or q1_today(org)
    return evaluasi.open_evaluation(getattr(org.actors, who), skp_id(org, who), JenisEvaluasi.PERIODIK, nomor,
                                    today=today)


def annual(org, who: str, today: dt.date | None = None) -> int:
    today = today or dt.date(org.year, 12, 31)
    return evaluasi.open_evaluation(getattr(org.actors, who), skp_id(org, who), JenisEvaluasi.TAHUNAN, 0,
                                    today=today)


def rencana_rows(org, who: str, evaluasi_id: int, per_rhk: int = 1) -> list[dict]:
    """Grid rows: `per_rhk` new rencana aksi for every RHK of the evaluation."""
    opts = evaluasi.rhk_options(getattr(org.actors, who), evaluasi_id)
    rows = []
    for label in opts:
        for k in range(per_rhk):
            rows.append({"id": None, "_row": len(rows) + 1, "rhk": label, "uraian": f"Menyusun draf laporan {k + 1}",
                         "target": 3, "satuan": "laporan"})
    return rows


def fill(org, who: str, evaluasi_id: int) -> None:
    """Rencana aksi for every RHK, then realisasi of every rencana aksi, IKI and RHK."""
    actor = getattr(org.actors, who)
    evaluasi.save_rencana_aksi(actor, evaluasi_id, rencana_rows(org, who, evaluasi_id))
    d = evaluasi.evaluasi_detail(actor, evaluasi_id)
    evaluasi.save_realisasi(
        actor, evaluasi_id,
        [{"_row": n, "id": r.id, "realisasi": 3, "realisasi_uraian": "Tiga laporan selesai",
          "bukti_dukung": "https://drive.example.go.id/laporan"} for n, r in enumerate(d.rencana_aksi, start=1)],
        [{"_row": n, "id": i.id, "realisasi": i.target_min} for n, i in enumerate(d.iki, start=1)],
        [{"_row": n, "id": h.id, "realisasi": "Seluruh laporan selesai tepat waktu"}
         for n, h in enumerate(d.hasil, start=1)])


def fill_and_submit(org, who: str, nomor: int = 1, today: dt.date | None = None) -> int:
    """A periodic evaluation of `who` with rencana aksi and realisasi, submitted (status DIAJUKAN)."""
    today = today or q1_today(org)
    ev_id = periodic(org, who, nomor, today)
    fill(org, who, ev_id)
    evaluasi.submit(getattr(org.actors, who), ev_id, today=today)
    return ev_id


def status(evaluasi_id: int) -> str:
    with read_session() as s:
        return s.get(Evaluasi, evaluasi_id).status.value


def approved_logbook(org, who: str, rhk_id: int, n: int, *, satuan: str = "dokumen", volume=1,
                     link: str | None = None, month: int = 2, status: StatusLogbook = StatusLogbook.DISETUJUI) -> None:
    """Insert n logbook entries of `who` for one RHK directly (no validation), 30 minutes each on the first
    days of `month`, with the given status (approved by default)."""
    now = dt.datetime.now(dt.UTC)
    rows = []
    for i in range(n):
        day = dt.date(org.year, month, 1 + i % 28)
        start = 8 * 60 + (i // 28) * 30
        rows.append({"pegawai_id": org.pegawai[who], "tanggal": day, "jam_mulai": dt.time(start // 60, start % 60),
                     "jam_selesai": dt.time((start + 30) // 60, (start + 30) % 60), "durasi_menit": 30,
                     "rhk_id": rhk_id, "rhk_label": "RHK", "uraian": f"Kegiatan {i + 1}", "volume": Decimal(str(volume)),
                     "satuan": satuan, "bukti_link": link, "status": status, "submitted_at": now, "terlambat": False,
                     "version": 1})
    with get_engine().begin() as conn:
        conn.execute(insert(LogbookEntry), rows)


# --- organisational predikat and angka kredit tests (tests/unit/test_kinerja_organisasi.py, test_angka_kredit.py)


def make_ev(org, who: str, predikat: str | None, status=None, jenis=JenisEvaluasi.TAHUNAN, nomor: int = 0) -> int:
    """An evaluation of `who` (status DISETUJUI unless given) with the predikat set directly through the ORM."""
    from db.models import PredikatKinerja, StatusEvaluasi
    from services.core.actor import SYSTEM
    from services.core.uow import unit_of_work
    from services.evaluasi import common as ec

    sid = skp_id(org, who)
    with unit_of_work(SYSTEM) as s:
        ev = ec.get_or_create(s, s.get(Skp, sid), jenis, nomor, today=dt.date(org.year, 12, 31))
        ev.predikat = PredikatKinerja(predikat) if predikat else None
        ev.status = status or StatusEvaluasi.DISETUJUI
        s.flush()
        return ev.id


def annual_set(org) -> dict[str, int]:
    """Annual evaluations: kasub Baik, staf Butuh Perbaikan (ADUM); staf2 Sangat Baik (root, DINILAI); kepala
    still DRAFT (not counted)."""
    from db.models import StatusEvaluasi as S

    setup(org)
    return {"kasub": make_ev(org, "kasub", "Baik"), "staf": make_ev(org, "staf", "Butuh Perbaikan"),
            "staf2": make_ev(org, "staf2", "Sangat Baik", S.DINILAI), "kepala": make_ev(org, "kepala", None, S.DRAFT)}


def record_ak(evaluasi_id: int) -> tuple | None:
    """services.angka_kredit.record_for_evaluation as the approval calls it: (jenis, bulan, koefisien, persen, nilai)."""
    from services.core.actor import SYSTEM
    from services.core.uow import unit_of_work
    from services.evaluasi import angka_kredit

    with unit_of_work(SYSTEM, action="setujui") as s:
        row = angka_kredit.record_for_evaluation(s, s.get(Evaluasi, evaluasi_id))
        return None if row is None else (row.jenis.value, row.bulan, row.koefisien, row.persen, row.nilai)
