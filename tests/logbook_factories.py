"""Helpers for logbook tests: approved SKPs for the small org, grid rows, and bulk entries inserted directly."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

from sqlalchemy import func, insert, select

from db.engine import get_engine, read_session
from db.models import LogbookEntry, StatusLogbook
from services import logbook, skp
from tests import skp_factories as f

# A fixed month with known holidays (holidays package, categories public + government):
# March 2026: 18 (cuti bersama Nyepi), 19 (Nyepi), 20 (cuti bersama Idul Fitri), 21-22 (Idul Fitri, weekend),
# 23-24 (cuti bersama Idul Fitri). Tests that need the org's year use ORG_YEAR.
ORG_YEAR = 2026


def d(month: int, day: int) -> dt.date:
    """A date in ORG_YEAR (the year of the test org)."""
    return dt.date(ORG_YEAR, month, day)
TODAY = dt.date(2026, 3, 31)  # "today" for March tests: the month is still open for entries


def approved_skps(org, *, staf2: bool = False, on: dt.date | None = None) -> SimpleNamespace:
    """Approved SKPs for kepala, kasub and staf (and staf2 when asked). Returns the RHK option labels (of
    `on`, by default 31 March of the org's year)."""
    on = on or dt.date(org.year, 3, 31)
    k = f.kepala_skp(org)
    m = f.kasub_skp(org, k.rhk)
    staf_sid = f.staff_skp(org, "staf", m.rhk[0])
    skp.approve(org.actors.kasub, staf_sid)
    out = SimpleNamespace(kepala=k, kasub=m, staf_skp=staf_sid, staf2_skp=None)
    if staf2:
        out.staf2_skp = f.staff_skp(org, "staf2", m.rhk[0])
        skp.approve(org.actors.kasub, out.staf2_skp)
    out.staf_rhk = logbook.rhk_options(org.actors.staf, on)
    out.kasub_rhk = logbook.rhk_options(org.actors.kasub, on)
    return out


def row(tanggal: dt.date, mulai: str | None, selesai: str | None, rhk, *, uraian: str = "Menyusun laporan keuangan",
        volume=1, satuan: str = "dokumen", n: int = 1, **kw) -> dict:
    """A grid row as GridEdit.changes() hands it over (new row unless id= is given)."""
    base = {"id": None, "_row": n, "tanggal": tanggal, "jam_mulai": mulai, "jam_selesai": selesai,
            "durasi_menit": None, "rhk": rhk, "uraian": uraian, "volume": volume, "satuan": satuan,
            "bukti_link": None, "catatan_hari_libur": None, "justifikasi_terlambat": None}
    base.update(kw)
    return base


def numbered(rows: list[dict], start: int = 1) -> list[dict]:
    return [dict(r, _row=i) for i, r in enumerate(rows, start=start)]


def count_entries(pegawai_id: int | None = None) -> int:
    with read_session() as s:
        q = select(func.count(LogbookEntry.id))
        if pegawai_id is not None:
            q = q.where(LogbookEntry.pegawai_id == pegawai_id)
        return s.scalar(q) or 0


def snapshot() -> list[tuple]:
    """All entries as plain tuples (to prove nothing changed)."""
    with read_session() as s:
        return [tuple(r) for r in s.execute(select(
            LogbookEntry.id, LogbookEntry.tanggal, LogbookEntry.jam_mulai, LogbookEntry.durasi_menit,
            LogbookEntry.uraian, LogbookEntry.status, LogbookEntry.version).order_by(LogbookEntry.id))]


def bulk_submitted(pegawai_id: int, rhk_id: int, rhk_label: str, n: int, year: int = ORG_YEAR,
                   month: int = 3) -> list[int]:
    """Insert n submitted entries directly (no validation; for review tests and the benchmark): 20 minutes
    each, spread over the working hours of the month's first 28 days."""
    now = dt.datetime.now(dt.UTC)
    rows = []
    for i in range(n):
        day = dt.date(year, month, 1 + i % 28)
        start = 7 * 60 + (i // 28) * 20 % (10 * 60)
        rows.append({"pegawai_id": pegawai_id, "tanggal": day, "jam_mulai": dt.time(start // 60, start % 60),
                     "jam_selesai": dt.time((start + 20) // 60, (start + 20) % 60), "durasi_menit": 20,
                     "rhk_id": rhk_id, "rhk_label": rhk_label, "uraian": f"Kegiatan {i + 1}", "volume": Decimal(1),
                     "satuan": "dokumen", "status": StatusLogbook.DIAJUKAN, "submitted_at": now, "terlambat": False,
                     "version": 1})
    with get_engine().begin() as conn:
        conn.execute(insert(LogbookEntry), rows)
    with read_session() as s:
        return list(s.scalars(select(LogbookEntry.id).where(LogbookEntry.pegawai_id == pegawai_id,
                                                            LogbookEntry.status == StatusLogbook.DIAJUKAN)
                              .order_by(LogbookEntry.id)))
