"""The organisational performance cycle of SOP 001 in real Chromium, on the demo office's latest realised month
(the demo leaves Tim Kerja Umum in draft for it, services.demo.kinerja.DRAFT_TEAM, with one indicator):

1. the PJ of Tim Kerja Umum enters the month's realisation in the grid and submits it;
2. the Perencana compiles the kertas kerja again from the submitted realisations and submits it;
3. the Kasubbag ADUM writes a note on the team's row and returns the kertas kerja;
4. the Perencana reopens the team's month, the PJ sees the note, fixes the figure and submits again; the Perencana
   compiles once more and submits;
5. the Kasubbag marks it checked, the Kepala ratifies it;
6. the Laporan Kinerja DOCX of the month downloads, and its indicator table holds the fixed figure.

Screenshots of every step go to the test's tmp_path (kinerja_NN_step.png).
"""

from __future__ import annotations

import re
import subprocess

import pytest

from services.demo import kinerja as demo_kinerja
from services.kinerja.common import nama_bulan
from tests.e2e.conftest import BIN, ROOT
from tests.e2e.helpers import Grid, Steps, accounts_by_key, choose, rerun, settle, wait_idle

pytestmark = pytest.mark.e2e

KODE = "IKU 4.3"  # the one indicator of Tim Kerja Umum (services.demo.kinerja.INDIKATOR)
FIRST, FIXED = "71", "88"  # the PJ's first figure and the fixed one (percent of pegawai rated Baik or better)
NOTE = "Angka belum sesuai rekap predikat evaluasi; periksa kembali (uji e2e)."

# The demo's latest realised month by the server's clock (the month before today), in its database's time zone.
_PERIOD_SCRIPT = """
from services.core import clock
t = clock.today()
print(t.year, t.month - 1) if t.month > 1 else print(t.year - 1, 12)
print(t.year)
"""


def _period(env: dict[str, str]) -> tuple[int, int, int]:
    out = subprocess.run([str(BIN / "python"), "-c", _PERIOD_SCRIPT], cwd=ROOT, env=env, check=True,
                         capture_output=True, text=True, timeout=60).stdout.split()
    return int(out[0]), int(out[1]), int(out[2])


def _open(page, link: str, heading: str) -> None:
    from playwright.sync_api import expect

    rerun(page, page.get_by_test_id("stSidebarUserContent").get_by_role("link", name=link, exact=True).click)
    expect(page.get_by_role("heading", name=heading).first).to_be_visible()
    wait_idle(page)


def _reload(page, heading: str) -> None:
    from playwright.sync_api import expect

    page.reload()
    expect(page.get_by_role("heading", name=heading).first).to_be_visible()
    settle(page)


def _year(page, tahun: int, this_year: int) -> None:
    """Type the year into the page's "Tahun" box when it does not show it yet (the default is the current year)."""
    if tahun != this_year:
        settle(page)  # not between the runs of a page just (re)loaded
        box = page.get_by_label("Tahun", exact=True)
        if box.input_value() != str(tahun):  # typing the same year again would not run the script
            box.fill(str(tahun))
            rerun(page, lambda: box.press("Enter"))


def _click(page, button: str, message: str | re.Pattern) -> None:
    from playwright.sync_api import expect

    rerun(page, page.get_by_role("button", name=button, exact=True).click)
    expect(page.get_by_text(message).first).to_be_visible()
    wait_idle(page)


def _realisasi(page, tahun: int, bulan: int, this_year: int, value: str) -> None:
    """On Realisasi Tim Kerja: the month, the indicator's realisation typed in the grid, then submitted."""
    from playwright.sync_api import expect

    _year(page, tahun, this_year)
    choose(page, "Bulan", nama_bulan(bulan))
    expect(page.get_by_text("Status: DRAFT")).to_be_visible()
    grid = Grid(page, page.locator("[data-testid=stDataFrame]").first)
    expect(grid.cell("Kode", 0)).to_have_text(KODE)
    grid.set("Realisasi", 0, value)
    _click(page, "Ajukan ke Petugas Perencana", "Realisasi diajukan.")
    expect(page.get_by_text("Status: DIAJUKAN")).to_be_visible()


def _kertas(page, tahun: int, bulan: int, this_year: int) -> None:
    from playwright.sync_api import expect

    _year(page, tahun, this_year)
    choose(page, "Periode", "Bulan")
    choose(page, "Ke-", nama_bulan(bulan))
    expect(page.get_by_text(f"{nama_bulan(bulan)} {tahun} · Status:").first).to_be_visible()


def _row(page) -> tuple[Grid, int]:
    """The kertas kerja grid and the row of KODE (the last indicator of the PK)."""
    from playwright.sync_api import expect

    grid = Grid(page, page.locator("[data-testid=stDataFrame]").first)
    row = grid.rowcount() - 1
    expect(grid.cell("Kode", row)).to_have_text(KODE)
    return grid, row


def test_realisasi_kertas_kerja_laporan_cycle(login, demo_accounts, e2e_env, tmp_path):
    from playwright.sync_api import expect

    expect.set_options(timeout=30_000)  # a 2-core machine under load: reruns can be slow
    tahun, bulan, this_year = _period(e2e_env)
    acc = accounts_by_key(demo_accounts)
    steps = Steps(str(tmp_path / "kinerja_{:02d}_{}.png"))
    kk_title = "Kertas Kerja Perhitungan Kinerja"

    # 1. the PJ of Tim Kerja Umum enters the month's figure and submits
    pj = login(acc[f"ketua_{demo_kinerja.DRAFT_TEAM}"])
    _open(pj, "Realisasi Tim Kerja", "Realisasi Tim Kerja")
    _realisasi(pj, tahun, bulan, this_year, FIRST)
    steps.shot(pj, "pj-diajukan")

    # 2. the Perencana compiles the kertas kerja from the submitted realisations and submits it
    perencana = login(acc["ketua_perencanaan"])
    _open(perencana, "Kertas Kerja Kinerja", kk_title)
    _kertas(perencana, tahun, bulan, this_year)
    _click(perencana, "Susun ulang dari realisasi", "Kertas kerja disusun ulang.")
    grid, row = _row(perencana)
    expect(grid.cell("Realisasi", row)).to_contain_text(FIRST)
    expect(grid.cell("Status Data", row)).to_have_text("Lengkap")
    steps.shot(perencana, "perencana-disusun")
    _click(perencana, "Ajukan ke Kasubbag ADUM", "Kertas kerja diajukan.")

    # 3. the Kasubbag ADUM notes the team's row and returns the kertas kerja
    kasub = login(acc["kasubbag"])
    _open(kasub, "Kertas Kerja Kinerja", kk_title)
    _kertas(kasub, tahun, bulan, this_year)
    grid, row = _row(kasub)
    grid.set("Catatan Pemeriksa", row, NOTE)
    steps.shot(kasub, "kasubbag-catatan")
    _click(kasub, "Kembalikan dengan catatan per baris", "Kertas kerja dikembalikan ke Petugas Perencana.")
    expect(kasub.get_by_text("Status: Dikembalikan untuk perbaikan").first).to_be_visible()

    # 4. the Perencana reopens the team's month; the PJ reads the note, fixes the figure and submits again
    _reload(perencana, kk_title)
    _kertas(perencana, tahun, bulan, this_year)
    expect(perencana.get_by_text("Kembalikan realisasi ke Tim Kerja untuk diperbaiki")).to_be_visible()
    expect(perencana.get_by_label("Alasan (dikirim ke PJ Tim Kerja)")).to_have_value(f"{KODE}: {NOTE}")
    steps.shot(perencana, "perencana-dikembalikan")
    _click(perencana, "Buka kembali realisasi Tim Kerja", "Realisasi Tim Kerja dibuka kembali")

    _reload(pj, "Realisasi Tim Kerja")
    _realisasi_note = pj.get_by_text("Catatan Kasubbag ADUM pada kertas kerja bulan ini")
    _year(pj, tahun, this_year)
    choose(pj, "Bulan", nama_bulan(bulan))
    expect(_realisasi_note).to_be_visible()
    expect(pj.get_by_text(NOTE)).to_be_visible()
    steps.shot(pj, "pj-catatan")
    _realisasi(pj, tahun, bulan, this_year, FIXED)

    _click(perencana, "Susun ulang dari realisasi", "Kertas kerja disusun ulang.")
    grid, row = _row(perencana)
    expect(grid.cell("Realisasi", row)).to_contain_text(FIXED)
    _click(perencana, "Ajukan ke Kasubbag ADUM", "Kertas kerja diajukan.")

    # 5. the Kasubbag checks it, the Kepala ratifies it
    _reload(kasub, kk_title)
    _kertas(kasub, tahun, bulan, this_year)
    _click(kasub, "Sudah diperiksa, teruskan ke Kepala", "Kertas kerja diteruskan ke Kepala untuk disahkan.")
    kepala = login(acc["kepala"])
    _open(kepala, "Kertas Kerja Kinerja", kk_title)
    _kertas(kepala, tahun, bulan, this_year)
    _click(kepala, "Sahkan kertas kerja", "Kertas kerja disahkan.")
    expect(kepala.get_by_text("Status: Disahkan Kepala").first).to_be_visible()
    steps.shot(kepala, "kepala-disahkan")

    # 6. the Laporan Kinerja of the month: the DOCX holds the indicator table with the fixed figure
    _open(kepala, "Laporan Kinerja", "Laporan Kinerja")
    _year(kepala, tahun, this_year)
    choose(kepala, "Laporan", nama_bulan(bulan))
    steps.shot(kepala, "laporan")
    with kepala.expect_download() as dl:
        kepala.get_by_role("button", name="Unduh Laporan Kinerja (DOCX)").click()
    path = tmp_path / dl.value.suggested_filename
    dl.value.save_as(path)
    assert path.name == f"laporan_kinerja_{tahun}_{bulan:02d}.docx"

    import docx

    rows = [[c.text.strip() for c in r.cells] for t in docx.Document(str(path)).tables for r in t.rows]
    header = next(r for r in rows if r[:2] == ["Kode", "Indikator"] and "Realisasi" in r)
    mine = [r for r in rows if r and r[0] == KODE and len(r) == len(header)]
    assert mine, f"baris {KODE} tidak ada di tabel indikator laporan"
    assert mine[0][header.index("Realisasi")] == f"{FIXED},00"
