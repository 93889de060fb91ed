"""The SKP cycle in real Chromium: a pegawai fills two RHK rows in the grid and submits; the pejabat penilai
returns the SKP with a note; the pegawai fixes a target and resubmits; the penilai approves; the pegawai
downloads the SKP as PDF.

The pegawai is the demo account services.demo_skp leaves without an SKP (`E2E_PEGAWAI_KEY`); the penilai is the
Kasubbag Adum, whose approved RHK the pegawai's RHK intervene. Screenshots of each step go to
/tmp/ekinerja-skp-*.png.
"""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from services.demo import skp as demo_skp
from tests.e2e.helpers import IDLE, PlaywrightTimeout, Steps, _after_rerun, _open, _wait_idle, accounts_by_key  # noqa: F401

pytestmark = pytest.mark.e2e

SHOTS = "/tmp/ekinerja-skp-{:02d}-{}.png"

# glide-data-grid column numbers of the JA/JF hasil kerja grid (0 is the row marker)
JENIS, RHK_ATASAN, CASCADING, RHK, ASPEK, INDIKATOR, TARGET_MIN, TARGET_MAKS, SATUAN = range(1, 10)
ROWS = (
    {JENIS: "Utama", RHK_ATASAN: "vaksinasi internasional", CASCADING: "Direct",
     RHK: "Terlaksananya layanan vaksinasi internasional bagi pelaku perjalanan", ASPEK: "Kuantitas",
     INDIKATOR: "Jumlah pelaku perjalanan yang divaksinasi", TARGET_MIN: "1200", SATUAN: "orang"},
    {JENIS: "Utama", RHK_ATASAN: "pengawasan kekarantinaan alat angkut", CASCADING: "Non Direct",
     RHK: "Terlaksananya pemeriksaan kesehatan awak alat angkut", ASPEK: "Kualitas",
     INDIKATOR: "Persentase pemeriksaan sesuai standar operasional", TARGET_MIN: "95", SATUAN: "%"},
)
SELECTS = {JENIS, RHK_ATASAN, CASCADING, ASPEK}
NOTE = "Target vaksinasi terlalu rendah dibanding jumlah jemaah umrah tahun lalu; naikkan menjadi 1.800 orang."
RHK_NOTE = "Sesuaikan Target Min dengan data layanan vaksinasi tahun lalu."


# --- the hasil kerja grid (st.data_editor draws on a canvas) -------------------------------------------------


class Grid:
    """Drive the hasil kerja editor like a user: double-click a cell, type, Enter.

    The cell under the cursor is tracked here: the grid's accessible table lags behind the canvas, so it cannot
    tell where the selection is. After Enter commits an edit, the grid moves the selection one row down.
    """

    HEADER, ROW = 36, 35  # px

    def __init__(self, page) -> None:
        self.page = page
        self.editor = page.locator("[data-testid=stDataFrame]").filter(
            has=page.get_by_role("button", name="Add row"))
        self.pos: tuple[int, int] | None = None

    def _overlay(self):
        return self.page.locator("#portal [id^=gdg-overlay]")

    def _cell_xy(self, row: int) -> tuple[float, float]:
        """A point in the read-only "No." cell of a row, the first column after the row marker (valid while the
        grid is scrolled to its first column); Jenis is one column to the right."""
        box = self.editor.get_by_test_id("data-grid-canvas").bounding_box()
        return box["x"] + 60, box["y"] + self.HEADER + self.ROW * row + self.ROW / 2

    def add_row(self) -> None:
        if self.pos is not None:
            self.move_to(JENIS, 0)  # scroll back to the first column
        self.editor.scroll_into_view_if_needed()
        self.editor.hover()
        _after_rerun(self.page, self.editor.get_by_role("button", name="Add row").click)

    def select(self, row: int) -> None:
        self.page.mouse.click(*self._cell_xy(row))
        self.page.keyboard.press("ArrowRight")  # from "No." to Jenis
        self.pos = (JENIS, row)

    def move_to(self, col: int, row: int) -> None:
        c, r = self.pos
        for key, n in (("ArrowDown", row - r), ("ArrowUp", r - row), ("ArrowRight", col - c),
                       ("ArrowLeft", c - col)):
            for _ in range(max(n, 0)):
                self.page.keyboard.press(key)
        self.pos = (col, row)

    def _type_and_commit(self, col: int, row: int, value: str, replace: bool) -> None:
        overlay = self._overlay()
        overlay.wait_for(state="visible")
        field = self.page.locator("#portal :is(input, textarea)").first
        try:
            self.page.locator("#portal :is(input, textarea):focus").wait_for(timeout=3000)
        except PlaywrightTimeout:  # the editor opened without focus (seen under load): click into it
            field.click()
        if replace:
            self.page.keyboard.press("ControlOrMeta+a")
        self.page.keyboard.type(value)
        if col in SELECTS:  # the typed text filters the options; Enter picks the first match
            self.page.locator("#portal [role=option]").first.wait_for(state="visible")
        assert field.input_value() == value
        self.page.wait_for_timeout(250)  # let the editor take the typed value before Enter commits it
        _after_rerun(self.page, lambda: self.page.keyboard.press("Enter"))
        overlay.wait_for(state="detached")
        self.pos = (col, row + 1)

    def fill_new_row(self, row: int, values: dict[int, str]) -> None:
        self.add_row()
        self.select(row)
        self.page.keyboard.press("Enter")  # opens the Jenis cell's editor, as a double-click does
        self._type_and_commit(JENIS, row, values[JENIS], replace=False)
        for col, value in values.items():
            if col != JENIS:
                self.edit(col, row, value)

    def edit(self, col: int, row: int, value: str, *, replace: bool = False) -> None:
        self.move_to(col, row)
        self.page.keyboard.press("Enter")  # opens the selected cell's editor, as a double-click does
        self._type_and_commit(col, row, value, replace)


def _submit(page, steps: Steps, name: str) -> None:
    from playwright.sync_api import expect

    page.get_by_text("Saya telah memeriksa SKP ini dan siap mengajukannya kepada pejabat penilai.").click()
    _wait_idle(page)
    page.get_by_role("button", name="Ajukan ke pejabat penilai").click()
    expect(page.get_by_text("SKP diajukan kepada pejabat penilai.")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile(r"SKP \d{4} — Diajukan"))).to_be_visible()
    _wait_idle(page)
    steps.shot(page, name)


def _review(page, nama: str, steps: Steps, name: str) -> None:
    from playwright.sync_api import expect

    _open(page, "Verifikasi SKP")
    page.get_by_role("tab", name="Periksa SKP").click()
    page.get_by_label("SKP yang diperiksa").click()
    page.get_by_role("option", name=re.compile(re.escape(nama))).click()
    _wait_idle(page)
    expect(page.get_by_text(nama, exact=False).first).to_be_visible()
    steps.shot(page, name)


def test_skp_fill_return_fix_approve_and_print(login, demo_accounts):
    from playwright.sync_api import expect

    expect.set_options(timeout=30_000)  # a 2-core machine under load: reruns can be slow
    steps = Steps(SHOTS)
    by_key = accounts_by_key(demo_accounts)
    pegawai, penilai = by_key[demo_skp.E2E_PEGAWAI_KEY], by_key["kasubbag"]
    assert pegawai["roles"] == ["pegawai"], "akun uji harus pegawai biasa"

    # 1. the pegawai fills two RHK rows in the grid, saves and submits
    me = login(pegawai)
    _open(me, "SKP Saya")
    expect(me.get_by_role("heading", name=re.compile(r"SKP \d{4} — Draft"))).to_be_visible()
    grid = Grid(me)
    grid.editor.scroll_into_view_if_needed()
    steps.shot(me, "pegawai-skp-kosong")
    for row, values in enumerate(ROWS):
        grid.fill_new_row(row, values)
    grid.move_to(JENIS, 0)
    steps.shot(me, "pegawai-grid-terisi")
    me.get_by_role("button", name="Simpan hasil kerja").click()
    expect(me.get_by_text("Hasil kerja disimpan: 2 RHK, 2 indikator.")).to_be_visible()
    _wait_idle(me)
    steps.shot(me, "pegawai-tersimpan")
    _submit(me, steps, "pegawai-diajukan")

    # 2. the pejabat penilai returns it with a note
    boss = login(penilai)
    _review(boss, pegawai["nama"], steps, "penilai-periksa")
    expect(boss.get_by_text(ROWS[0][RHK]).first).to_be_visible()
    expect(boss.get_by_text("Terselenggaranya layanan vaksinasi internasional dan dokumen kesehatan").first) \
        .to_be_visible()  # the penilai's own RHK beside the intervening one
    rhk_note = boss.get_by_label("Catatan untuk RHK Utama 1 (opsional, dipakai bila dikembalikan)")
    rhk_note.fill(RHK_NOTE)
    rhk_note.press("Tab")
    _wait_idle(boss)
    boss.get_by_label("Catatan pengembalian (wajib bila SKP dikembalikan)").fill(NOTE)
    boss.get_by_label("Catatan pengembalian (wajib bila SKP dikembalikan)").press("Tab")
    _wait_idle(boss)
    boss.get_by_role("button", name="Kembalikan").click()
    expect(boss.get_by_text(f"SKP {pegawai['nama']} dikembalikan untuk diperbaiki.")).to_be_visible()
    _wait_idle(boss)
    steps.shot(boss, "penilai-dikembalikan")

    # 3. the pegawai sees the note, fixes the target, saves and resubmits
    _open(me, "SKP Saya")
    expect(me.get_by_role("heading", name=re.compile(r"SKP \d{4} — Dikembalikan"))).to_be_visible()
    expect(me.get_by_text(NOTE, exact=False)).to_be_visible()
    expect(me.get_by_text(RHK_NOTE, exact=False)).to_be_visible()
    steps.shot(me, "pegawai-catatan")
    grid = Grid(me)
    grid.editor.scroll_into_view_if_needed()
    grid.select(0)
    grid.edit(TARGET_MIN, 0, "1800", replace=True)
    steps.shot(me, "pegawai-target-diperbaiki")
    me.get_by_role("button", name="Simpan hasil kerja").click()
    expect(me.get_by_text("Hasil kerja disimpan: 2 RHK, 2 indikator.")).to_be_visible()
    _wait_idle(me)
    _submit(me, steps, "pegawai-diajukan-ulang")

    # 4. the penilai approves
    boss.reload()
    _wait_idle(boss)
    _review(boss, pegawai["nama"], steps, "penilai-periksa-ulang")
    expect(boss.get_by_text("1.800 orang").first).to_be_visible()
    boss.get_by_role("button", name="Setujui", exact=True).click()
    expect(boss.get_by_text(f"SKP {pegawai['nama']} disetujui dan dikunci.")).to_be_visible()
    _wait_idle(boss)
    steps.shot(boss, "penilai-disetujui")

    # 5. the pegawai downloads the SKP as PDF
    _open(me, "Cetak & Arsip SKP")
    button = me.get_by_role("button", name="Cetak SKP (PDF)")
    expect(button).to_be_enabled()
    steps.shot(me, "pegawai-cetak")
    with me.expect_download() as info:
        button.click()
    download = info.value
    assert download.suggested_filename.endswith(".pdf") and pegawai["username"] in download.suggested_filename
    with open(download.path(), "rb") as f:
        data = f.read()
    assert data.startswith(b"%PDF-")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert pegawai["username"] in text and penilai["username"] in text
