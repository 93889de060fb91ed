"""The logbook cycle in real Chromium: a pegawai with an approved SKP adds two activities in the month grid,
saves and submits them; the pejabat penilai (Kasubbag Adum) selects both in the review table and approves them;
the pegawai's approved ("Disetujui (dihitung)") minutes go up by the two activities' duration.

The pegawai is the first demo account with an approved SKP (services.demo_skp.PLAN) whose roles are exactly
["pegawai"] (its penilai is the Kasubbag); the E2E SKP account has no SKP and is never used here. The activities
go on the latest working day of the current month up to today, after 17:00: services.demo_logbook fills at most
07:30–17:00, so the slot is free on any such day. Screenshots of each step go to /tmp/ekinerja-logbook-*.png.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import subprocess

import pytest

from services.demo import skp as demo_skp
from tests.e2e.conftest import BIN, ROOT
from tests.e2e.helpers import (
    _RUNS,
    IDLE,
    PlaywrightTimeout,
    Steps,
    _after_rerun,
    _open,
    _wait_idle,
    accounts_by_key,
)

pytestmark = pytest.mark.e2e

SHOTS = "/tmp/ekinerja-logbook-{:02d}-{}.png"
KASUBBAG_NIP = "197908232005011008"

# glide-data-grid column numbers of the month grid (0 is the row marker, 1 the read-only ID)
ID, TANGGAL, JAM_MULAI, JAM_SELESAI, DURASI, RHK, URAIAN, VOLUME, SATUAN = range(1, 10)
ENTRIES = (
    {JAM_MULAI: "17:00", JAM_SELESAI: "17:30", RHK: "U1.", VOLUME: "2", SATUAN: "dokumen",
     URAIAN: "Memverifikasi kelengkapan dokumen kesehatan kapal kedatangan sore hari (uji e2e)"},
    {JAM_MULAI: "17:30", JAM_SELESAI: "18:15", RHK: "U1.", VOLUME: "1", SATUAN: "laporan",
     URAIAN: "Menyusun rekap pengawasan alat angkut harian untuk Ketua Tim (uji e2e)"},
)
MINUTES = 30 + 45  # the two entries' duration

# The latest working day of the current month up to today, computed in the server's database (holidays).
_DAY_SCRIPT = """
import datetime as dt
from services.org import kalender
today = dt.date.today()
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


# --- the month grid (st.data_editor draws on a canvas) --------------------------------------------------------


class MonthGrid:
    """Drive the logbook editor like a user: Add row, double-click the new row's Tanggal cell, then arrow keys
    and Enter for the other cells. The grid holds the whole month, so it scrolls: a new row is always the
    last visible one, right above the canvas bottom. The cell under the cursor is tracked here (after Enter
    commits an edit, the grid moves the selection one row down)."""

    ROW = 35  # px
    TANGGAL_X = 150  # px from the canvas' left edge: row marker (~33) + small ID column (~75) + half of Tanggal

    def __init__(self, page) -> None:
        self.page = page
        self.editor = page.locator("[data-testid=stDataFrame]").filter(
            has=page.get_by_role("button", name="Add row"))
        self.pos: tuple[int, int] | None = None

    def _new_row_xy(self) -> tuple[float, float]:
        box = self.editor.get_by_test_id("data-grid-canvas").bounding_box()
        return box["x"] + self.TANGGAL_X, box["y"] + box["height"] - 2 - self.ROW / 2

    def move_to(self, col: int, row: int) -> None:
        c, r = self.pos
        for key, n in (("ArrowDown", row - r), ("ArrowUp", r - row), ("ArrowRight", col - c),
                       ("ArrowLeft", c - col)):
            for _ in range(max(n, 0)):
                self.page.keyboard.press(key)
        self.pos = (col, row)

    def _field(self):
        overlay = self.page.locator("#portal [id^=gdg-overlay]")
        overlay.wait_for(state="visible")
        field = self.page.locator("#portal :is(input, textarea)").first
        try:
            self.page.locator("#portal :is(input, textarea):focus").wait_for(timeout=3000)
        except PlaywrightTimeout:  # the editor opened without focus (seen under load): click into it
            field.click()
        return overlay, field

    def _commit(self, overlay, col: int, row: int) -> None:
        self.page.wait_for_timeout(250)  # let the editor take the value before Enter commits it
        # Streamlit reruns on a commit only once the new row has every required cell (Tanggal, RHK, Uraian):
        # wait for that rerun when it comes, and let it finish before the next keystroke
        self.page.wait_for_selector(IDLE, state="attached")
        runs = self.page.evaluate(_RUNS)
        self.page.keyboard.press("Enter")
        overlay.wait_for(state="detached")
        with contextlib.suppress(PlaywrightTimeout):
            self.page.wait_for_function("n => window.__ekRuns > n", arg=runs, timeout=1500)
        _wait_idle(self.page)
        self.pos = (col, row + 1)

    def _set(self, col: int, row: int, value: str) -> None:
        overlay, field = self._field()
        if col in (TANGGAL, JAM_MULAI, JAM_SELESAI):  # native date/time inputs: fill takes ISO text
            field.fill(value)
        else:
            self.page.keyboard.type(value)
            if col == RHK:  # the typed text filters the options; Enter picks the first match
                self.page.locator("#portal [role=option]").first.wait_for(state="visible")
        assert field.input_value() == value
        self._commit(overlay, col, row)

    def add(self, row: int, day: dt.date, values: dict[int, str]) -> None:
        if self.pos is not None:
            self.move_to(ID, self.pos[1] - 1)  # back to the first column (scrolls the grid fully left)
        self.editor.scroll_into_view_if_needed()
        self.editor.hover()
        self.editor.get_by_role("button", name="Add row").click()  # no rerun until a cell is committed
        self.page.wait_for_timeout(500)
        self.page.mouse.dblclick(*self._new_row_xy())
        self.pos = (TANGGAL, row)
        overlay, field = self._field()
        assert field.get_attribute("type") == "date" and field.input_value() == "", "bukan baris baru"
        field.fill(day.isoformat())
        assert field.input_value() == day.isoformat()
        self._commit(overlay, TANGGAL, row)
        for col, value in values.items():
            self.move_to(col, row)
            self.page.keyboard.press("Enter")  # opens the selected cell's editor, as a double-click does
            self._set(col, row, value)


# --- the review table (st.dataframe with row selection) --------------------------------------------------------


def _filter_day(page, day: dt.date) -> None:
    """Type the same day as start and end of the "Rentang tanggal" range, then leave the field."""
    for end in ("start", "end"):
        page.get_by_role("spinbutton", name=f"day, Rentang tanggal {end} date").click()
        page.keyboard.type(day.strftime("%d%m%Y"), delay=50)
    page.keyboard.press("Escape")
    page.get_by_role("heading", name="Penilaian Logbook").first.click()
    _wait_idle(page)


def _select_rows(page, rows: list[int]) -> None:
    """Tick the selection checkbox (first column) of the given 0-based rows of the review table."""
    table = page.locator("[data-testid=stDataFrame]").first
    table.scroll_into_view_if_needed()
    for row in rows:
        box = table.get_by_test_id("data-grid-canvas").bounding_box()
        _after_rerun(page, lambda b=box, r=row: page.mouse.click(b["x"] + 16, b["y"] + 36 + 35 * r + 17))


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
    grid = MonthGrid(me)
    for row, values in enumerate(ENTRIES):
        grid.add(row, day, values)
    grid.move_to(TANGGAL, len(ENTRIES) - 1)
    steps.shot(me, "pegawai-grid-terisi")
    me.get_by_role("button", name="Simpan perubahan").click()
    expect(me.get_by_text("Logbook disimpan: 2 ditambah.")).to_be_visible()
    _wait_idle(me)
    steps.shot(me, "pegawai-tersimpan")
    me.get_by_role("button", name="Ajukan", exact=True).click()
    expect(me.get_by_text(re.compile(r"^\d+ kegiatan diajukan\.$"))).to_be_visible()
    _wait_idle(me)
    assert _minutes(me, "Disetujui (dihitung)") == before
    assert _minutes(me, "Menunggu pemeriksaan") >= MINUTES
    steps.shot(me, "pegawai-diajukan")

    # 2. the Kasubbag filters to the pegawai and the day, selects both new entries and approves them
    boss = login(penilai)
    _open(boss, "Penilaian Logbook")
    boss.get_by_label("Pegawai").first.click()
    boss.get_by_role("option", name=re.compile(re.escape(pegawai["nama"]))).click()
    _wait_idle(boss)
    _filter_day(boss, day)
    caption = boss.get_by_text(re.compile(r"^\d+ kegiatan ditampilkan"))
    expect(caption).to_be_visible()
    shown = int(re.match(r"\d+", caption.inner_text()).group())
    assert 2 <= shown <= 8  # the day's entries only: the grid shows them all without scrolling
    _select_rows(boss, [shown - 2, shown - 1])  # ordered by start time: the 17:00 entries come last
    expect(boss.get_by_text(re.compile(r"^2 kegiatan dipilih dari 1 pegawai"))).to_be_visible()
    steps.shot(boss, "penilai-pilih")
    boss.get_by_role("button", name="Setujui").click()
    expect(boss.get_by_text("2 kegiatan logbook disetujui.")).to_be_visible()
    _wait_idle(boss)
    steps.shot(boss, "penilai-disetujui")

    # 3. the pegawai reloads the page: the approved minutes went up by the two entries' duration
    me.reload()
    expect(me.get_by_role("heading", name="Logbook Harian").first).to_be_visible()
    _wait_idle(me)
    assert _minutes(me, "Disetujui (dihitung)") == before + MINUTES
    steps.shot(me, "pegawai-dihitung")
