"""Working-day calendar: Monday–Friday minus Indonesian national holidays and cuti bersama (the `holidays`
package, categories public + government) minus the instansi's own `HariLibur` rows (local holidays, extra cuti
bersama). A `HariLibur` row of jenis "Hari Kerja" turns a day the package lists back into a working day.

Used by the logbook (entries on non-working days need a note; the monthly target is working days × minutes).
Admin SDM maintains the table in a grid (`grid`, `save_grid`).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, cast

import holidays
import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.engine import read_session
from db.models import HariLibur, JenisHariLibur, Role
from domain.cells import to_date as _to_date
from services.core.actor import Actor
from services.core.grid import GridSpec, apply_grid
from services.core.uow import unit_of_work

COLUMNS = ["id", "tanggal", "nama", "jenis"]
LABELS = {"id": "ID", "tanggal": "Tanggal", "nama": "Keterangan", "jenis": "Jenis"}
JENIS_OPTIONS = [j.value for j in JenisHariLibur]
NAMA_MAKS = 200
HARI = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")


@dataclass(frozen=True)
class DayInfo:
    tanggal: dt.date
    hari: str  # Senin … Minggu
    kerja: bool
    keterangan: str | None  # holiday name, "Sabtu"/"Minggu", or None on a plain working day


@lru_cache(maxsize=32)
def _national(year: int) -> dict[dt.date, str]:
    h = holidays.country_holidays("ID", years=year, categories=("public", "government"), language="id")
    return {d: str(n) for d, n in h.items()}


def _local(s: Session, start: dt.date, end: dt.date) -> dict[dt.date, tuple[str, JenisHariLibur]]:
    rows = s.execute(select(HariLibur.tanggal, HariLibur.nama, HariLibur.jenis)
                     .where(HariLibur.tanggal >= start, HariLibur.tanggal <= end)).all()
    return {r[0]: (r[1], r[2]) for r in rows}


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def days(start: dt.date, end: dt.date, session: Session | None = None) -> list[DayInfo]:
    """Every day from `start` to `end` (inclusive) with whether it is a working day and why not."""
    if session is None:
        with read_session() as s:
            return days(start, end, s)
    local = _local(session, start, end)
    out: list[DayInfo] = []
    d = start
    while d <= end:
        hari = HARI[d.weekday()]
        kerja, ket = d.weekday() < 5, (None if d.weekday() < 5 else hari)
        nat = _national(d.year).get(d)
        if nat and kerja:
            kerja, ket = False, nat
        if d in local:
            nama, jenis = local[d]
            if jenis == JenisHariLibur.HARI_KERJA:
                kerja, ket = True, None
            else:
                kerja, ket = False, nama
        out.append(DayInfo(d, hari, kerja, ket))
        d += dt.timedelta(days=1)
    return out


def is_working_day(d: dt.date, session: Session | None = None) -> bool:
    return days(d, d, session)[0].kerja


def working_days(year: int, month: int, session: Session | None = None) -> list[dt.date]:
    """The working days of a month, in order."""
    start, end = month_bounds(year, month)
    return [x.tanggal for x in days(start, end, session) if x.kerja]


def working_days_between(start: dt.date, end: dt.date, session: Session | None = None) -> list[dt.date]:
    if end < start:
        return []
    return [x.tanggal for x in days(start, end, session) if x.kerja]


def holidays_of_year(year: int, session: Session | None = None) -> pd.DataFrame:
    """National holidays/cuti bersama of the package and the instansi's own rows, for display."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    rows = [{"tanggal": d, "nama": n, "sumber": "Nasional (SKB/Keppres)"} for d, n in sorted(_national(year).items())]
    if session is None:
        with read_session() as s:
            local = _local(s, start, end)
    else:
        local = _local(session, start, end)
    rows += [{"tanggal": d, "nama": f"{n} ({j.value})", "sumber": "Instansi"} for d, (n, j) in sorted(local.items())]
    return pd.DataFrame(rows, columns=["tanggal", "nama", "sumber"]).sort_values("tanggal", kind="stable",
                                                                                  ignore_index=True)


# --- admin grid -------------------------------------------------------------------------------------


def _require_admin(actor: Actor) -> None:
    actor.require(Role.ADMIN_SDM, message="Hanya Admin SDM yang dapat mengelola hari libur.")


def grid(actor: Actor, year: int) -> pd.DataFrame:
    """The instansi's HariLibur rows of a year (columns COLUMNS; jenis as its label)."""
    _require_admin(actor)
    with read_session() as s:
        rows = s.execute(select(HariLibur.id, HariLibur.tanggal, HariLibur.nama, HariLibur.jenis)
                         .where(HariLibur.tanggal >= dt.date(year, 1, 1), HariLibur.tanggal <= dt.date(year, 12, 31))
                         .order_by(HariLibur.tanggal)).all()
    df = pd.DataFrame([{"id": r[0], "tanggal": r[1], "nama": r[2], "jenis": r[3].value} for r in rows],
                      columns=COLUMNS)
    df["tanggal"] = df["tanggal"].astype("object")
    return df


def save_grid(actor: Actor, rows: Iterable[dict], deleted_ids: Iterable[int] = ()) -> int:
    """Save the HariLibur grid: rows without id are added, with id updated, `deleted_ids` removed.

    Errors (row + column label): missing/invalid date, duplicate date (in the grid or stored), missing name,
    name too long, unknown jenis. Nothing is written on error. Returns the number of rows changed.
    """
    _require_admin(actor)

    def parse(raw: dict, h: HariLibur | None, err) -> dict | None:
        n0, vals = err.count, cast(dict[str, Any], {})
        try:
            vals["tanggal"] = _to_date(raw.get("tanggal"))
            if vals["tanggal"] is None:
                err("tanggal", "wajib diisi")
            elif vals["tanggal"] in taken:
                err("tanggal", "tanggal ini sudah tercatat")
            else:
                taken.add(vals["tanggal"])
        except ValueError as e:
            err("tanggal", str(e))
        nama = str(raw.get("nama") or "").strip()
        if not nama:
            err("nama", "wajib diisi")
        elif len(nama) > NAMA_MAKS:
            err("nama", f"paling banyak {NAMA_MAKS} karakter")
        vals["nama"] = nama
        jenis = str(raw.get("jenis") or "").strip()
        if jenis not in JENIS_OPTIONS:
            err("jenis", "pilih salah satu: " + ", ".join(JENIS_OPTIONS))
        else:
            vals["jenis"] = JenisHariLibur(jenis)
        return None if err.count > n0 else vals

    spec: GridSpec[HariLibur] = GridSpec(labels=LABELS, noun="hari libur", parse=parse, create=lambda v: HariLibur(**v))
    rows, deleted_ids = list(rows), [int(i) for i in deleted_ids]
    touched = {int(r["id"]) for r in rows if r.get("id") is not None} | set(deleted_ids)
    with unit_of_work(actor, action="ubah_hari_libur") as s:
        existing = {h.id: h for h in s.scalars(select(HariLibur))}
        taken = {h.tanggal for h in existing.values() if h.id not in touched}
        out = apply_grid(s, spec, existing, rows, deleted_ids)
        return out.changed


# --- paste from Excel and the grid as Excel ---------------------------------------------------------------------

PASTE_COLUMNS = ("tanggal", "nama", "jenis")


def preview_paste(actor: Actor, year: int, text: str):
    """Rows pasted from Excel onto the Hari Libur grid of `year` (PASTE_COLUMNS; a header line is recognised;
    dates 31/12/2026, 4 Desember 2026 or ISO), checked by save_grid as a dry run (nothing written): a row whose
    date is stored updates that day, the others are new."""
    from services.core import clock
    from services.core.grid import preview_by_save

    _require_admin(actor)
    today = clock.today()
    existing = [{k: (v.item() if hasattr(v, "item") else v) for k, v in r.items()}
                for r in grid(actor, year).to_dict("records")]
    return preview_by_save(text, PASTE_COLUMNS, LABELS, {"tanggal": lambda v: _to_date(v, today=today)},
                           lambda rows: save_grid(actor, rows), key="tanggal", existing=existing)


def grid_xlsx(actor: Actor, year: int) -> bytes:
    """The Hari Libur grid of `year` as Excel ("Unduh Excel"), pasted back into "Tempel dari Excel" unchanged."""
    from services.core import export
    from services.core.grid import grid_table

    return export.to_excel_bytes(grid_table(grid(actor, year), PASTE_COLUMNS, LABELS), f"Hari Libur {year}")
