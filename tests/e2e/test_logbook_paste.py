"""Paste from Excel in real Chromium: 40 tab-separated rows on the clipboard pasted into the logbook's
"Tempel dari Excel" box are previewed, added to the grid and saved - 40 entries with the right dates and times
(dates written as 31/12/2026, 1/12/26, 4 Desember 2026 and ISO; times as 17.05 and 17:05; volume with a comma);
then rows with bad cells: each bad cell is listed by row number and column, the good rows are added, the bad
rows stay in the box. The pegawai is a demo pegawai with an approved SKP other than the one the logbook flow
test uses; the rows go after 17:00 (the demo fills 07:30-17:00) on the working days of this month up to today.
Screenshots: /tmp/ekinerja-tempel-*.png.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import subprocess

import pytest

from domain import cells
from services.demo import skp as demo_skp
from tests.e2e.conftest import BIN, ROOT
from tests.e2e.helpers import Steps, _open, accounts_by_key, rerun, wait_idle

pytestmark = pytest.mark.e2e

SHOTS = "/tmp/ekinerja-tempel-{:02d}-{}.png"
TAG = "(uji tempel e2e)"

_DAYS_SCRIPT = """
import datetime as dt, json
from services.core import clock
from services.org import kalender
today = clock.today()
print(json.dumps([d.tanggal.isoformat() for d in kalender.days(today.replace(day=1), today) if d.kerja]))
"""

_STORED_SCRIPT = """
import json, sys
from sqlalchemy import select
from db.engine import read_session
from db.models import LogbookEntry
with read_session() as s:
    rows = s.execute(select(LogbookEntry.tanggal, LogbookEntry.jam_mulai, LogbookEntry.jam_selesai,
                            LogbookEntry.volume, LogbookEntry.uraian)
                     .where(LogbookEntry.uraian.like('%' + sys.argv[1] + '%'))).all()
print(json.dumps([[r[0].isoformat(), r[1].strftime('%H:%M'), r[2].strftime('%H:%M'), str(r[3]), r[4]] for r in rows]))
"""


# "Elsewhere" while the grid is open: the penilai approves a submitted entry of the pegawai this month (or, when
# none is waiting, another tab changes one). Prints the id of the entry changed, or null.
_ELSEWHERE_SCRIPT = """
import json, sys
from sqlalchemy import select
from db.models import LogbookEntry, Pegawai, StatusLogbook
from services.core import clock
from services.core.actor import SYSTEM
from services.core.uow import unit_of_work
today = clock.today()
with unit_of_work(SYSTEM) as s:
    pid = s.scalar(select(Pegawai.id).where(Pegawai.nip == sys.argv[1]))
    entries = s.scalars(select(LogbookEntry).where(LogbookEntry.pegawai_id == pid,
                        LogbookEntry.tanggal >= today.replace(day=1), LogbookEntry.tanggal <= today)
                        .order_by(LogbookEntry.status != StatusLogbook.DIAJUKAN, LogbookEntry.id)).all()
    e = entries[0] if entries else None
    if e is not None:
        if e.status == StatusLogbook.DIAJUKAN:
            e.status = StatusLogbook.DISETUJUI
        else:
            e.uraian = (e.uraian or "") + " (diubah di tab lain)"
    print(json.dumps(e.id if e is not None else None))
"""


def _py(env: dict[str, str], script: str, *args: str):
    out = subprocess.run([str(BIN / "python"), "-c", script, *args], cwd=ROOT, env=env, check=True,
                         capture_output=True, text=True, timeout=60)
    return json.loads(out.stdout.strip())


def _pegawai(demo_accounts: list[dict], nth: int = 1) -> dict:
    """The second (`nth`) demo pegawai with an approved SKP and roles exactly ["pegawai"] (the flow test takes the
    first)."""
    by_key = accounts_by_key(demo_accounts)
    found = [by_key[key] for key, (_duty, state) in demo_skp.PLAN.items()
             if state == demo_skp.DISETUJUI and key != demo_skp.E2E_PEGAWAI_KEY and key in by_key
             and by_key[key]["roles"] == ["pegawai"]]
    assert len(found) > nth, "data demo tidak memiliki cukup pegawai biasa dengan SKP disetujui"
    return found[nth]


def _date_text(d: dt.date, i: int) -> str:
    return [f"{d:%d/%m/%Y}", f"{d.day}/{d.month}/{d:%y}", cells.fmt_date(d, "long"), d.isoformat()][i % 4]


def _rows(days: list[dt.date], n: int, tag: str) -> tuple[list[list[str]], list[tuple[str, str, str]]]:
    """n TSV lines spread over the days, slots of a few minutes from 17:00; and the (date, start, end) expected."""
    per_day = math.ceil(n / len(days))
    step = max(3, min(5, 150 // per_day))
    lines, expected = [], []
    for i in range(n):
        day, k = days[i // per_day], i % per_day
        start = dt.datetime.combine(day, dt.time(17, 0)) + dt.timedelta(minutes=step * k)
        end = start + dt.timedelta(minutes=step)
        sep = "." if i % 2 else ":"
        lines.append([_date_text(day, i), start.strftime(f"%H{sep}%M"), end.strftime(f"%H{sep}%M"), "", "1",
                      f"Kegiatan tempel {i + 1} {tag}", "1,5", "dokumen"])
        expected.append((day.isoformat(), start.strftime("%H:%M"), end.strftime("%H:%M")))
    return lines, expected


def _paste(page, tsv: str) -> None:
    """Put the TSV on the clipboard and paste it into the box with Ctrl+V (as a user copying from Excel)."""
    from playwright.sync_api import expect

    box = page.get_by_label("Teks dari Excel")
    expect(box).to_be_visible()
    page.evaluate("t => navigator.clipboard.writeText(t)", tsv)
    box.click()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.press("Delete")
    page.keyboard.press("ControlOrMeta+v")
    if not box.input_value().strip():  # some headless builds ignore Ctrl+V into a textarea: type it in instead
        box.fill(tsv)
    assert box.input_value().strip() == tsv.strip().replace("\r\n", "\n")
    rerun(page, page.get_by_role("button", name="Periksa tempelan").click)


def test_paste_40_rows_then_bad_cells(login, demo_accounts, e2e_env):
    from playwright.sync_api import expect

    expect.set_options(timeout=30_000)
    days = [dt.date.fromisoformat(d) for d in _py(e2e_env, _DAYS_SCRIPT)]
    if not days:
        pytest.skip("Belum ada hari kerja bulan ini sampai hari ini: tidak ada tanggal untuk kegiatan baru")
    steps = Steps(SHOTS)
    me = login(_pegawai(demo_accounts))
    me.context.grant_permissions(["clipboard-read", "clipboard-write"])
    _open(me, "Logbook Harian")

    # 1. forty good rows
    lines, expected = _rows(days, 40, TAG)
    _paste(me, cells.format_tsv(lines))
    expect(me.get_by_text("40 baris siap diterapkan, 0 baris bermasalah")).to_be_visible()
    steps.shot(me, "pratinjau-40")
    rerun(me, me.get_by_role("button", name="Terapkan 40 baris ke tabel").click)
    expect(me.get_by_text("40 baris dari Excel diterapkan ke tabel")).to_be_visible()
    steps.shot(me, "grid-40")
    me.get_by_role("button", name="Simpan perubahan").click()
    expect(me.get_by_text("Logbook disimpan: 40 ditambah.")).to_be_visible()
    wait_idle(me)
    stored = _py(e2e_env, _STORED_SCRIPT, TAG)
    assert sorted((d, a, b) for d, a, b, _v, _u in stored) == sorted(expected)
    assert {v for _d, _a, _b, v, _u in stored} == {"1.50"}

    # 2. rows with bad cells: each bad cell named by row and column; the good rows are added, the bad ones kept
    tag2 = "(uji tempel e2e salah)"
    good, _ = _rows(days[-1:], 1, tag2)
    slot = dt.datetime.combine(days[-1], dt.time(20, 30))
    good[0][1:3] = [f"{slot:%H.%M}", f"{slot + dt.timedelta(minutes=5):%H.%M}"]
    bad = [
        ["31/02/2026", "17.00", "17.05", "", "1", f"Tanggal salah {tag2}", "1", "dokumen"],
        [f"{days[-1]:%d/%m/%Y}", "25.00", "", "", "1", f"Jam salah {tag2}", "abc", "dokumen"],
        [f"{days[-1]:%d/%m/%Y}", "21.00", "21.05", "", "1", "", "1", ""],
    ]
    _paste(me, cells.format_tsv(good + bad))
    expect(me.get_by_text("1 baris siap diterapkan, 3 baris bermasalah")).to_be_visible()
    for text in ("Baris 2, kolom Tanggal", "Baris 3, kolom Jam Mulai", "Baris 3, kolom Volume",
                 "Baris 4, kolom Uraian Kegiatan", "Baris 4, kolom Satuan"):
        expect(me.get_by_text(text).first).to_be_visible()
    me.get_by_text("Sel yang ditolak").scroll_into_view_if_needed()
    steps.shot(me, "pratinjau-salah")
    rerun(me, me.get_by_role("button", name="Terapkan 1 baris ke tabel").click)
    kept = me.get_by_label("Teks dari Excel").input_value()
    assert "31/02/2026" in kept and "25.00" in kept and len(kept.strip().splitlines()) == 3  # nothing lost
    me.get_by_role("button", name="Simpan perubahan").click()
    expect(me.get_by_text("Logbook disimpan: 1 ditambah.")).to_be_visible()
    wait_idle(me)
    steps.shot(me, "tersimpan")
    assert len(_py(e2e_env, _STORED_SCRIPT, tag2)) == 1


def test_sdm_unit_grid_unduh_excel_pasted_back_then_a_new_and_a_bad_row(login, demo_accounts):
    """An SDM grid (Unit Kerja): the sheet "Unduh Excel" gives, copied as Excel copies it, pastes back with every
    row ready and none refused; a new unit and a bad row pasted with it: the bad cells named by row and column,
    the good rows applied, the bad row kept in the box; Save adds the one new unit."""
    import pandas as pd
    from playwright.sync_api import expect

    expect.set_options(timeout=30_000)
    steps = Steps("/tmp/ekinerja-tempel-sdm-{:02d}-{}.png")
    admin = next(a for a in demo_accounts if a["roles"] == ["admin_sdm"])
    me = login(admin)
    me.context.grant_permissions(["clipboard-read", "clipboard-write"])
    _open(me, "Unit Kerja")
    with me.expect_download() as dl:
        me.get_by_role("button", name="Unduh Excel").click()
    sheet = pd.read_excel(dl.value.path(), dtype=object, header=None)
    lines = [["" if pd.isna(v) else str(v) for v in row] for row in sheet.itertuples(index=False)]
    n = len(lines) - 1  # the first line holds the column labels
    root = lines[1][0]
    new = ["E2E-TEMPEL", "Unit uji tempel e2e", root, "9", "tidak"]
    bad = ["salah kode", "Unit salah", "ENTAH", "dua", "ya"]
    _paste(me, cells.format_tsv([*lines, new, bad]))
    expect(me.get_by_text(f"{n + 1} baris siap diterapkan, 1 baris bermasalah")).to_be_visible()
    expect(me.get_by_text(f"Baris {n + 2}, kolom Urutan").first).to_be_visible()
    me.get_by_text("Sel yang ditolak").scroll_into_view_if_needed()
    steps.shot(me, "pratinjau-unit")
    rerun(me, me.get_by_role("button", name=f"Terapkan {n + 1} baris ke tabel").click)
    assert "salah kode" in me.get_by_label("Teks dari Excel").input_value()  # the bad row stays in the box
    me.get_by_role("button", name="Simpan perubahan").click()
    expect(me.get_by_text("Tersimpan: 1 ditambah, 0 diubah, 0 dihapus.")).to_be_visible()
    wait_idle(me)
    steps.shot(me, "unit-tersimpan")


def test_month_changed_underneath_keeps_the_pasted_rows_and_saves_them(login, demo_accounts, e2e_env):
    """Point 3 in a browser: rows pasted onto the grid (not saved yet) while the month changes elsewhere (the
    penilai approves an entry): the page says so before anything is reloaded, and Save keeps and stores them."""
    from playwright.sync_api import expect

    expect.set_options(timeout=30_000)
    days = [dt.date.fromisoformat(d) for d in _py(e2e_env, _DAYS_SCRIPT)]
    if not days:
        pytest.skip("Belum ada hari kerja bulan ini sampai hari ini: tidak ada tanggal untuk kegiatan baru")
    tag = "(uji tempel e2e bersamaan)"
    account = _pegawai(demo_accounts, 2)
    me = login(account)
    me.context.grant_permissions(["clipboard-read", "clipboard-write"])
    _open(me, "Logbook Harian")
    lines = [[f"{days[-1]:%d/%m/%Y}", "21.30", "21.40", "", "1", f"Kegiatan tempel {tag}", "1", "dokumen"]]
    _paste(me, cells.format_tsv(lines))
    rerun(me, me.get_by_role("button", name="Terapkan 1 baris ke tabel").click)
    changed = _py(e2e_env, _ELSEWHERE_SCRIPT, account["username"])
    if changed is None:
        pytest.skip("Pegawai ini belum memiliki kegiatan bulan ini: tidak ada yang dapat diubah di tempat lain")
    rerun(me, me.get_by_role("button", name="Periksa tempelan").click)  # any rerun: the grid sees the change
    expect(me.get_by_text("telah diubah di tempat lain").first).to_be_visible()
    Steps("/tmp/ekinerja-tempel-bersamaan-{:02d}-{}.png").shot(me, "peringatan")
    me.get_by_role("button", name="Simpan perubahan").click()
    expect(me.get_by_text("Logbook disimpan: 1 ditambah.")).to_be_visible()
    wait_idle(me)
    assert len(_py(e2e_env, _STORED_SCRIPT, tag)) == 1
