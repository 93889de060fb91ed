"""One pegawai's periodic evaluation in real Chromium: the pegawai fills the realisasi in the grids, saves and
submits; the Ketua Tim gives pertimbangan; the pejabat penilai (Kasubbag Adum) writes umpan balik per RHK and per
BerAKHLAK value in the grids and rates; the Kepala (atasan pejabat penilai) approves; the pegawai downloads the
evaluation PDF.

The pegawai is services.demo_evaluasi.E2E_PEGAWAI_KEY: the demo leaves its most recently ended quarter as a Draft
with one rencana aksi per RHK and no realisasi (Evaluasi Kinerja Saya opens that slot by default, as its realisasi
is due). Early in the year no quarter has ended: the Draft is the current Triwulan I, whose realisasi can be saved
but not yet submitted (the window opens 7 days before the quarter ends). Then the pegawai fills and saves on
today's server, sees the Ajukan button disabled with the opening date, and the walk-through goes on from the
submission on a server of the same database whose clock is on that opening date (EKINERJA_FAKE_TODAY).
Screenshots of each step go to /tmp/ekinerja-evaluasi-*.png.
"""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from pypdf import PdfReader

from services.core import clock, fmt
from services.demo import evaluasi as demo_evaluasi
from services.evaluasi import pegawai as evaluasi
from services.org.periods import ROMAN
from tests.e2e.conftest import running_server
from tests.e2e.helpers import Grid, Steps, _login, _open, accounts_by_key, choose, open_tab, rerun, wait_idle

pytestmark = pytest.mark.e2e

SHOTS = "/tmp/ekinerja-evaluasi-{:02d}-{}.png"
KASUBBAG_NIP = "197908232005011008"
SESUAI = "Sesuai Ekspektasi"
PERTIMBANGAN = "Seluruh rencana aksi triwulan ini terlaksana dan dibahas dalam rapat tim (uji e2e)."
UMPAN_BALIK_RHK = "Realisasi sesuai target dan bukti dukung lengkap (uji e2e)."
UMPAN_BALIK_NILAI = "Sesuai ekspektasi pada nilai ini (uji e2e)."

# editable columns of the realisasi grids (pegawai) and umpan balik grids (penilai), by header
REALISASI, RA_URAIAN, RHK_REALISASI = "Realisasi", "Realisasi (uraian berdasarkan bukti dukung)", "Realisasi (ringkasan)"
UMPAN_BALIK = "Umpan Balik"


def _grids(page):
    """The editable grids currently shown (in the active tab)."""
    return page.locator("[data-testid=stDataFrame]:visible")


def _submit_opens(slot: str) -> dt.date:
    """The first day the realisasi of a quarter ("Triwulan II 2027") can be submitted."""
    roman, year = slot.split()[1:]
    end_month = 3 * (ROMAN.index(roman) + 1)
    selesai = dt.date(int(year) + end_month // 12, end_month % 12 + 1, 1) - dt.timedelta(days=1)
    return selesai - dt.timedelta(days=evaluasi.SUBMIT_DAYS_BEFORE_END)


def test_evaluasi_realisasi_pertimbangan_penilaian_persetujuan_and_print(login, demo_accounts, browser, e2e_env):
    from playwright.sync_api import expect

    expect.set_options(timeout=30_000)  # a 2-core machine under load: reruns can be slow
    steps = Steps(SHOTS)

    def act(page, button: str, message, shot: str | None = None) -> None:
        """Click the button, see the confirmation, wait for the rerun to settle, take the screenshot."""
        page.get_by_role("button", name=button, exact=True).click()
        expect(page.get_by_text(message)).to_be_visible()
        wait_idle(page)
        if shot:
            steps.shot(page, shot)
    by_key = accounts_by_key(demo_accounts)
    pegawai, ketua = by_key[demo_evaluasi.E2E_PEGAWAI_KEY], by_key["ketua_surveilans"]
    penilai = next(a for a in demo_accounts if a["username"] == KASUBBAG_NIP)
    kepala = by_key["kepala"]
    assert pegawai["roles"] == ["pegawai"], "akun uji harus pegawai biasa"

    # 1. the pegawai fills the realisasi of the Draft slot in the grids, saves and (once it is open) submits
    me = login(pegawai)
    _open(me, "Evaluasi Kinerja Saya")
    heading = me.get_by_role("heading", name=re.compile(r"Triwulan (I|II|III|IV) \d{4} — Draf"))
    expect(heading).to_be_visible()
    slot = re.search(r"Triwulan [IV]+ \d{4}", heading.inner_text()).group(0)
    open_tab(me, "Realisasi")
    expect(_grids(me)).to_have_count(3)
    steps.shot(me, "pegawai-realisasi-kosong")
    ra, iki, rhk = (Grid(me, _grids(me).nth(i)) for i in range(3))
    ra.set(REALISASI, 0, "42")
    ra.set(RA_URAIAN, 0, "Terlaksana 42 pengawasan alat angkut sesuai jadwal (uji e2e)")
    iki.set(REALISASI, 0, "3")
    iki.set(REALISASI, 1, "100")
    rhk.set(RHK_REALISASI, 0, "Pendataan kedatangan alat angkut terlaksana lengkap (uji e2e)")
    steps.shot(me, "pegawai-realisasi-terisi")
    act(me, "Simpan realisasi", re.compile(r"Realisasi disimpan \(\d+ baris diubah\)"), "pegawai-realisasi-tersimpan")
    opens = _submit_opens(slot)
    if clock.today() >= opens:
        _submit_to_print(me, login, act, steps, slot, pegawai, ketua, penilai, kepala)
        return
    # early in the year: the window opens later; the same database on a server whose clock is on that day
    info = me.get_by_text(f"Realisasi dapat diajukan mulai {fmt.tanggal(opens)}. Sampai saat itu").first
    expect(info).to_be_visible()
    expect(me.get_by_role("button", name="Ajukan realisasi", exact=True)).to_be_disabled()
    info.scroll_into_view_if_needed()
    steps.shot(me, "pegawai-belum-dapat-diajukan")
    with running_server({**e2e_env, clock.FAKE_TODAY_ENV: opens.isoformat()}, name="evaluasi-jendela-ajukan") as url:
        opened = []

        def login_there(account: dict):
            page = _login(browser, url, account["username"], account["password"])
            opened.append(page.context)
            return page
        try:
            me = login_there(pegawai)
            _open(me, "Evaluasi Kinerja Saya")
            expect(me.get_by_role("heading", name=f"{slot} — Draf")).to_be_visible()
            _submit_to_print(me, login_there, act, steps, slot, pegawai, ketua, penilai, kepala)
        finally:
            for context in opened:
                context.close()


def _submit_to_print(me, login, act, steps, slot: str, pegawai: dict, ketua: dict, penilai: dict,
                     kepala: dict) -> None:
    """From the pegawai's submission (the realisasi saved) to the printed evaluation."""
    from playwright.sync_api import expect

    nama = pegawai["nama"]
    act(me, "Ajukan realisasi", "Realisasi diajukan kepada pejabat penilai.", "pegawai-diajukan")
    expect(me.get_by_role("heading", name=f"{slot} — Diajukan, menunggu penilaian")).to_be_visible()

    # 2. the Ketua Tim (pemberi pertimbangan) gives a note and suggested ratings
    tim = login(ketua)
    _open(tim, "Pertimbangan Kinerja")
    choose(tim, "Evaluasi yang diperiksa", f"{nama} — {slot}", nama)
    expect(tim.get_by_text(f"{slot} (").first).to_be_visible()  # the identity line of the chosen evaluation
    catatan = tim.get_by_label("Catatan pertimbangan (wajib)")
    catatan.fill(PERTIMBANGAN)
    rerun(tim, lambda: catatan.press("Tab"))
    choose(tim, "Saran Rating Hasil Kerja", SESUAI)
    choose(tim, "Saran Rating Perilaku Kerja", SESUAI)
    steps.shot(tim, "ketua-pertimbangan")
    act(tim, "Simpan pertimbangan", f"Pertimbangan untuk {nama} disimpan.", "ketua-tersimpan")

    # 3. the pejabat penilai writes umpan balik in the grids, saves, rates
    boss = login(penilai)
    _open(boss, "Penilaian Kinerja")
    choose(boss, "Pegawai", f"{nama} — {slot}", nama)
    expect(boss.get_by_text(PERTIMBANGAN, exact=False).first).to_be_visible()
    tabs = boss.get_by_test_id("stTabs")
    Grid(boss, tabs.locator("[data-testid=stDataFrame]:visible")).set(UMPAN_BALIK, 0, UMPAN_BALIK_RHK)
    open_tab(boss, "Per nilai BerAKHLAK")
    nilai = Grid(boss, tabs.locator("[data-testid=stDataFrame]:visible"))
    for row in range(7):
        nilai.set(UMPAN_BALIK, row, UMPAN_BALIK_NILAI)
    steps.shot(boss, "penilai-umpan-balik")
    act(boss, "Simpan umpan balik", f"Umpan balik untuk {nama} disimpan.")
    choose(boss, "Pegawai", f"{nama} — {slot}", nama)  # selections restart after an action
    choose(boss, "Rating Hasil Kerja", SESUAI)
    choose(boss, "Rating Perilaku Kerja", SESUAI)
    expect(boss.get_by_text("Predikat: Baik").first).to_be_visible()
    steps.shot(boss, "penilai-rating")
    act(boss, "Simpan rating", f"Penilaian {nama} disimpan: predikat Baik.", "penilai-dinilai")

    # 4. the Kepala (atasan pejabat penilai) approves
    head = login(kepala)
    _open(head, "Persetujuan Penilaian")
    head.get_by_text("Periksa satu penilaian / kembalikan ke pejabat penilai").click()
    wait_idle(head)
    choose(head, "Penilaian yang diperiksa", f"{nama} — {slot}: Baik", nama)
    expect(head.get_by_text(UMPAN_BALIK_RHK).first).to_be_attached()
    steps.shot(head, "kepala-periksa")
    act(head, "Setujui", f"Penilaian {nama} disetujui dan dikunci.", "kepala-disetujui")

    # 5. the pegawai sees the result and downloads the evaluation PDF
    _open(me, "Evaluasi Kinerja Saya")
    choose(me, "Periode evaluasi", slot)
    expect(me.get_by_role("heading", name=f"{slot} — Disetujui (terkunci)")).to_be_visible()
    _open(me, "Cetak & Arsip Evaluasi")
    choose(me, "Pilih evaluasi", slot)
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
