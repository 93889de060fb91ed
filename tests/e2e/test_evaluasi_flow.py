"""One pegawai's periodic evaluation in real Chromium: the pegawai fills the realisasi in the grids, saves and
submits; the Ketua Tim gives pertimbangan; the pejabat penilai (Kasubbag Adum) writes umpan balik per RHK and per
BerAKHLAK value in the grids and rates; the Kepala (atasan pejabat penilai) approves; the pegawai downloads the
evaluation PDF.

The pegawai is services.demo_evaluasi.E2E_PEGAWAI_KEY: the demo leaves its most recently ended quarter as a Draft
with one rencana aksi per RHK and no realisasi (Evaluasi Kinerja Saya opens that slot by default, as its realisasi
is due). Screenshots of each step go to /tmp/ekinerja-evaluasi-*.png.
"""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from services.demo import evaluasi as demo_evaluasi
from tests.e2e.helpers import PlaywrightTimeout, Steps, _after_rerun, _open, _wait_idle, accounts_by_key

pytestmark = pytest.mark.e2e

SHOTS = "/tmp/ekinerja-evaluasi-{:02d}-{}.png"
KASUBBAG_NIP = "197908232005011008"
SESUAI = "Sesuai Ekspektasi"
PERTIMBANGAN = "Seluruh rencana aksi triwulan ini terlaksana dan dibahas dalam rapat tim (uji e2e)."
UMPAN_BALIK_RHK = "Realisasi sesuai target dan bukti dukung lengkap (uji e2e)."
UMPAN_BALIK_NILAI = "Sesuai ekspektasi pada nilai ini (uji e2e)."

# glide-data-grid columns of the pegawai's realisasi grids (fixed rows: no row marker; the ID column is hidden)
# the pegawai's grids start with the read-only "No." column
RA_REALISASI, RA_URAIAN = 4, 5  # No., RHK, Rencana Aksi, Target, Realisasi, Realisasi (uraian), Bukti Dukung
IKI_REALISASI = 4  # No., Indikator, Target, Polaritas, Realisasi, Capaian
RHK_REALISASI = 3  # No., Jenis, RHK, Realisasi
UB_RHK, UB_NILAI = 3, 2  # penilai: RHK, Jenis, Realisasi, Umpan Balik / Nilai, Ekspektasi Khusus, Umpan Balik


class FixedGrid:
    """Drive an st.data_editor with fixed rows like a user: click the first cell of the row, arrow keys to the column,
    Enter opens the editor, type, Enter commits (Streamlit reruns). The row is clicked afresh for every edit, so
    the selection the grid moves after a commit does not matter."""

    HEADER, ROW = 36, 35  # px

    def __init__(self, page, editor) -> None:
        self.page = page
        self.editor = editor

    def edit(self, row: int, col: int, value: str) -> None:
        page = self.page
        self.editor.scroll_into_view_if_needed()
        box = self.editor.get_by_test_id("data-grid-canvas").bounding_box()
        xy = box["x"] + 12, box["y"] + self.HEADER + self.ROW * row + self.ROW / 2
        overlay = page.locator("#portal [id^=gdg-overlay]")
        for attempt in range(3):
            # a click on a grid right after editing another one sometimes only moves the focus: try again
            page.mouse.click(*xy)
            page.wait_for_timeout(300)
            for _ in range(10):  # the grid may be scrolled sideways: from the first column on
                page.keyboard.press("ArrowLeft")
            for _ in range(col):
                page.keyboard.press("ArrowRight")
            page.keyboard.press("Enter")
            try:
                overlay.wait_for(state="visible", timeout=5_000)
                break
            except PlaywrightTimeout:
                if attempt == 2:
                    page.screenshot(path=SHOTS.format(99, "grid-gagal"))
                    raise
                page.keyboard.press("Escape")
        field = page.locator("#portal :is(input, textarea)").first
        try:
            page.locator("#portal :is(input, textarea):focus").wait_for(timeout=3000)
        except PlaywrightTimeout:  # the editor opened without focus (seen under load): click into it
            field.click()
        page.keyboard.press("ControlOrMeta+a")
        page.keyboard.type(value)
        assert field.input_value() == value
        page.wait_for_timeout(250)  # let the editor take the typed value before Enter commits it
        _after_rerun(page, lambda: page.keyboard.press("Enter"))
        overlay.wait_for(state="detached")


def _grids(page):
    """The editable grids currently shown (in the active tab)."""
    return page.locator("[data-testid=stDataFrame]:visible")


def _choose(page, label: str, option: str, search: str | None = None) -> None:
    """Pick an option of a selectbox; long option lists are virtualised, so type to filter them first."""
    box = page.get_by_label(label, exact=True)
    box.click()
    try:
        page.get_by_role("option").first.wait_for(timeout=3_000)
    except PlaywrightTimeout:  # the first click after editing a grid may only move the focus
        box.click()
    if search:
        page.keyboard.type(search)
    try:
        page.get_by_role("option", name=re.compile(re.escape(option))).first.click(timeout=10_000)
    except PlaywrightTimeout:
        page.screenshot(path=SHOTS.format(99, "pilihan-gagal"))
        raise
    _wait_idle(page)


def test_evaluasi_realisasi_pertimbangan_penilaian_persetujuan_and_print(login, demo_accounts):
    from playwright.sync_api import expect

    expect.set_options(timeout=30_000)  # a 2-core machine under load: reruns can be slow
    steps = Steps(SHOTS)

    def act(page, button: str, message, shot: str | None = None) -> None:
        """Click the button, see the confirmation, wait for the rerun to settle, take the screenshot."""
        page.get_by_role("button", name=button, exact=True).click()
        expect(page.get_by_text(message)).to_be_visible()
        _wait_idle(page)
        if shot:
            steps.shot(page, shot)
    by_key = accounts_by_key(demo_accounts)
    pegawai, ketua = by_key[demo_evaluasi.E2E_PEGAWAI_KEY], by_key["ketua_surveilans"]
    penilai = next(a for a in demo_accounts if a["username"] == KASUBBAG_NIP)
    kepala = by_key["kepala"]
    assert pegawai["roles"] == ["pegawai"], "akun uji harus pegawai biasa"
    nama = pegawai["nama"]

    # 1. the pegawai fills the realisasi of the Draft slot in the grids, saves and submits
    me = login(pegawai)
    _open(me, "Evaluasi Kinerja Saya")
    heading = me.get_by_role("heading", name=re.compile(r"Triwulan (I|II|III|IV) \d{4} — Draf"))
    expect(heading).to_be_visible()
    slot = re.search(r"Triwulan [IV]+ \d{4}", heading.inner_text()).group(0)
    me.get_by_role("tab", name="Realisasi").click()
    _wait_idle(me)
    expect(_grids(me)).to_have_count(3)
    steps.shot(me, "pegawai-realisasi-kosong")
    ra, iki, rhk = (FixedGrid(me, _grids(me).nth(i)) for i in range(3))
    ra.edit(0, RA_REALISASI, "42")
    ra.edit(0, RA_URAIAN, "Terlaksana 42 pengawasan alat angkut sesuai jadwal (uji e2e)")
    iki.edit(0, IKI_REALISASI, "3")
    iki.edit(1, IKI_REALISASI, "100")
    rhk.edit(0, RHK_REALISASI, "Pendataan kedatangan alat angkut terlaksana lengkap (uji e2e)")
    steps.shot(me, "pegawai-realisasi-terisi")
    act(me, "Simpan realisasi", re.compile(r"Realisasi disimpan \(\d+ baris diubah\)"), "pegawai-realisasi-tersimpan")
    act(me, "Ajukan realisasi", "Realisasi diajukan kepada pejabat penilai.", "pegawai-diajukan")
    expect(me.get_by_role("heading", name=f"{slot} — Diajukan, menunggu penilaian")).to_be_visible()

    # 2. the Ketua Tim (pemberi pertimbangan) gives a note and suggested ratings
    tim = login(ketua)
    _open(tim, "Pertimbangan Kinerja")
    _choose(tim, "Evaluasi yang diperiksa", f"{nama} — {slot}", nama)
    expect(tim.get_by_text(f"{slot} (").first).to_be_visible()  # the identity line of the chosen evaluation
    tim.get_by_label("Catatan pertimbangan (wajib)").fill(PERTIMBANGAN)
    tim.get_by_label("Catatan pertimbangan (wajib)").press("Tab")
    _wait_idle(tim)
    _choose(tim, "Saran Rating Hasil Kerja", SESUAI)
    _choose(tim, "Saran Rating Perilaku Kerja", SESUAI)
    steps.shot(tim, "ketua-pertimbangan")
    act(tim, "Simpan pertimbangan", f"Pertimbangan untuk {nama} disimpan.", "ketua-tersimpan")

    # 3. the pejabat penilai writes umpan balik in the grids, saves, rates
    boss = login(penilai)
    _open(boss, "Penilaian Kinerja")
    _choose(boss, "Pegawai", f"{nama} — {slot}", nama)
    expect(boss.get_by_text(PERTIMBANGAN, exact=False).first).to_be_visible()
    tabs = boss.get_by_test_id("stTabs")
    FixedGrid(boss, tabs.locator("[data-testid=stDataFrame]:visible")).edit(0, UB_RHK, UMPAN_BALIK_RHK)
    boss.get_by_role("tab", name="Per nilai BerAKHLAK").click()
    _wait_idle(boss)
    nilai = FixedGrid(boss, tabs.locator("[data-testid=stDataFrame]:visible"))
    for row in range(7):
        nilai.edit(row, UB_NILAI, UMPAN_BALIK_NILAI)
    steps.shot(boss, "penilai-umpan-balik")
    act(boss, "Simpan umpan balik", f"Umpan balik untuk {nama} disimpan.")
    _choose(boss, "Pegawai", f"{nama} — {slot}", nama)  # selections restart after an action
    _choose(boss, "Rating Hasil Kerja", SESUAI)
    _choose(boss, "Rating Perilaku Kerja", SESUAI)
    expect(boss.get_by_text("Predikat: Baik").first).to_be_visible()
    steps.shot(boss, "penilai-rating")
    act(boss, "Simpan rating", f"Penilaian {nama} disimpan: predikat Baik.", "penilai-dinilai")

    # 4. the Kepala (atasan pejabat penilai) approves
    head = login(kepala)
    _open(head, "Persetujuan Penilaian")
    head.get_by_text("Periksa satu penilaian / kembalikan ke pejabat penilai").click()
    _wait_idle(head)
    _choose(head, "Penilaian yang diperiksa", f"{nama} — {slot}: Baik", nama)
    expect(head.get_by_text(UMPAN_BALIK_RHK).first).to_be_attached()
    steps.shot(head, "kepala-periksa")
    act(head, "Setujui", f"Penilaian {nama} disetujui dan dikunci.", "kepala-disetujui")

    # 5. the pegawai sees the result and downloads the evaluation PDF
    _open(me, "Evaluasi Kinerja Saya")
    _choose(me, "Periode evaluasi", slot)
    expect(me.get_by_role("heading", name=f"{slot} — Disetujui (terkunci)")).to_be_visible()
    _open(me, "Cetak & Arsip Evaluasi")
    _choose(me, "Pilih evaluasi", slot)
    button = me.get_by_role("button", name="Cetak Evaluasi Kinerja (PDF)")
    expect(button).to_be_enabled()
    steps.shot(me, "pegawai-cetak")
    with me.expect_download() as info:
        button.click()
    download = info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as f:
        data = f.read()
    assert data.startswith(b"%PDF")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    flat = re.sub(r"\s+", " ", text)
    assert "EVALUASI KINERJA PEGAWAI" in flat and nama in flat and "BAIK" in flat.upper()
