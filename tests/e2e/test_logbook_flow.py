"""The logbook cycle in real Chromium: a pegawai with an approved SKP adds two activities in the month grid,
saves and submits them; the pejabat penilai (Kasubbag Adum) selects both in the review table and approves them;
the pegawai's approved ("Disetujui (dihitung)") minutes go up by the two activities' duration.

The pegawai is the first demo account with an approved SKP (services.demo_skp.PLAN) whose roles are exactly
["pegawai"] (its penilai is the Kasubbag); the E2E SKP account has no SKP and is never used here. The activities
go on the latest working day of the current month up to today, after 17:00: services.demo_logbook fills at most
07:30–17:00, so the slot is free on any such day. Screenshots of each step go to /tmp/ekinerja-logbook-*.png.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess

import pytest

from services.demo import skp as demo_skp
from tests.e2e.conftest import BIN, ROOT
from tests.e2e.helpers import Grid, Steps, _open, accounts_by_key, choose, rerun, wait_idle

pytestmark = pytest.mark.e2e

SHOTS = "/tmp/ekinerja-logbook-{:02d}-{}.png"
KASUBBAG_NIP = "197908232005011008"

# columns of the month grid, by header (Tanggal, RHK and Uraian Kegiatan are required)
TANGGAL, JAM_MULAI, JAM_SELESAI, RHK, URAIAN = "Tanggal", "Jam Mulai", "Jam Selesai", "RHK", "Uraian Kegiatan"
VOLUME, SATUAN = "Volume", "Satuan"
ENTRIES = (
    {JAM_MULAI: "17:00", JAM_SELESAI: "17:30", RHK: "U1.", VOLUME: "2", SATUAN: "dokumen",
     URAIAN: "Memverifikasi kelengkapan dokumen kesehatan kapal kedatangan sore hari (uji e2e)"},
    {JAM_MULAI: "17:30", JAM_SELESAI: "18:15", RHK: "U1.", VOLUME: "1", SATUAN: "laporan",
     URAIAN: "Menyusun rekap pengawasan alat angkut harian untuk Ketua Tim (uji e2e)"},
)
MINUTES = 30 + 45  # the two entries' duration

# The latest working day of the current month up to today, computed in the server's database (holidays).
_DAY_SCRIPT = """
from services.core import clock
from services.org import kalender
today = clock.today()
work = [d.tanggal for d in kalender.days(today.replace(day=1), today) if d.kerja]
print(work[-1].isoformat() if work else "")
"""


def _pegawai(demo_accounts: list[dict]) -> dict:
    """First demo pegawai with an approved SKP and roles exactly ["pegawai"] (penilai: the Kasubbag Adum)."""
    by_key = accounts_by_key(demo_accounts)
    for key, (_duty, state) in demo_skp.PLAN.items():
        account = by_key.get(key)
        if (state == demo_skp.DISETUJUI and key != demo_skp.E2E_PEGAWAI_KEY and account
                and account["roles"] == ["pegawai"]):
            return account
    raise AssertionError("data demo tidak memiliki pegawai biasa dengan SKP disetujui")


def _day(env: dict[str, str]) -> dt.date | None:
    out = subprocess.run([str(BIN / "python"), "-c", _DAY_SCRIPT], cwd=ROOT, env=env, check=True,
                         capture_output=True, text=True, timeout=60)
    text = out.stdout.strip()
    return dt.date.fromisoformat(text) if text else None


def _minutes(page, label: str) -> int:
    """The number in a points-card metric ("1.234 menit")."""
    metric = page.get_by_test_id("stMetric").filter(has_text=label)
    value = metric.get_by_test_id("stMetricValue").inner_text()
    return int(re.sub(r"\D", "", value))


# --- the month grid ------------------------------------------------------------------------------------------


def _add(grid: Grid, day: dt.date, values: dict[str, str]) -> None:
    """Add a row and fill it: the required cells first (Streamlit sends the new row, and reruns the script, only
    once Tanggal, RHK and Uraian Kegiatan are all filled), then the others."""
    row = grid.add_row(reruns=False)
    grid.set(TANGGAL, row, day.isoformat(), reruns=False, shown=day.isoformat())
    grid.set(RHK, row, values[RHK], reruns=False)
    grid.set(URAIAN, row, values[URAIAN])
    for column, value in values.items():
        if column not in (RHK, URAIAN):
            grid.set(column, row, value)


# --- the review table (st.dataframe with row selection) --------------------------------------------------------


def _filter_day(page, day: dt.date) -> None:
    """Type the same day as start and end of the "Rentang tanggal" range, then leave the field; wait until the
    table shows that day only."""
    from playwright.sync_api import expect

    def type_range() -> None:
        for end in ("start", "end"):
            page.get_by_role("spinbutton", name=f"day, Rentang tanggal {end} date").click()
            page.keyboard.type(day.strftime("%d%m%Y"), delay=50)
        page.keyboard.press("Escape")
        page.get_by_role("heading", name="Penilaian Logbook").first.click()

    rerun(page, type_range)
    table = Grid(page, page.locator("[data-testid=stDataFrame]").first)
    expect(table.cell("Tanggal", 0)).to_contain_text(day.isoformat())
    expect(table.cell("Tanggal", table.rowcount() - 1)).to_contain_text(day.isoformat())
    wait_idle(page)


def test_logbook_fill_submit_approve_counts_minutes(login, demo_accounts, e2e_env):
    from playwright.sync_api import expect

    expect.set_options(timeout=30_000)  # a 2-core machine under load: reruns can be slow
    day = _day(e2e_env)
    if day is None:
        pytest.skip("Belum ada hari kerja bulan ini sampai hari ini: tidak ada tanggal untuk kegiatan baru")
    steps = Steps(SHOTS)
    pegawai = _pegawai(demo_accounts)
    penilai = next(a for a in demo_accounts if a["username"] == KASUBBAG_NIP)
    assert pegawai["roles"] == ["pegawai"]

    # 1. the pegawai notes the approved minutes, adds two activities, saves and submits
    me = login(pegawai)
    _open(me, "Logbook Harian")
    before = _minutes(me, "Disetujui (dihitung)")
    steps.shot(me, "pegawai-logbook")
    grid = Grid.editor(me)
    for values in ENTRIES:
        _add(grid, day, values)
    steps.shot(me, "pegawai-grid-terisi")
    me.get_by_role("button", name="Simpan perubahan").click()
    expect(me.get_by_text("Logbook disimpan: 2 ditambah.")).to_be_visible()
    wait_idle(me)
    steps.shot(me, "pegawai-tersimpan")
    me.get_by_role("button", name="Ajukan", exact=True).click()
    expect(me.get_by_text(re.compile(r"^\d+ kegiatan diajukan\.$"))).to_be_visible()
    wait_idle(me)
    assert _minutes(me, "Disetujui (dihitung)") == before
    assert _minutes(me, "Menunggu pemeriksaan") >= MINUTES
    steps.shot(me, "pegawai-diajukan")

    # 2. the Kasubbag filters to the pegawai and the day, selects both new entries and approves them
    boss = login(penilai)
    _open(boss, "Penilaian Logbook")
    choose(boss, "Pegawai", pegawai["nama"])
    _filter_day(boss, day)
    caption = boss.get_by_text(re.compile(r"^\d+ kegiatan ditampilkan"))
    expect(caption).to_be_visible()
    shown = int(re.match(r"\d+", caption.inner_text()).group())
    assert 2 <= shown <= 8  # the day's entries only: the grid shows them all without scrolling
    table = Grid(boss, boss.locator("[data-testid=stDataFrame]").first)
    table.select_rows([shown - 2, shown - 1], title="Uraian Kegiatan")  # ordered by start time: 17:00 ones last
    expect(boss.get_by_text(re.compile(r"^2 kegiatan dipilih dari 1 pegawai"))).to_be_visible()
    steps.shot(boss, "penilai-pilih")
    boss.get_by_role("button", name="Setujui").click()
    expect(boss.get_by_text("2 kegiatan logbook disetujui.")).to_be_visible()
    wait_idle(boss)
    steps.shot(boss, "penilai-disetujui")

    # 3. the pegawai reloads the page: the approved minutes went up by the two entries' duration
    me.reload()
    expect(me.get_by_role("heading", name="Logbook Harian").first).to_be_visible()
    wait_idle(me)
    assert _minutes(me, "Disetujui (dihitung)") == before + MINUTES
    steps.shot(me, "pegawai-dihitung")
