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
from tests.e2e.helpers import Grid, Steps, _open, accounts_by_key, open_tab, rerun, wait_idle

pytestmark = pytest.mark.e2e

SHOTS = "/tmp/ekinerja-skp-{:02d}-{}.png"

# columns of the JA/JF hasil kerja grid, by header
JENIS, RHK_ATASAN, CASCADING, RHK = "Jenis", "RHK Pimpinan yang Diintervensi", "Jenis Cascading", "Rencana Hasil Kerja"
ASPEK, INDIKATOR, TARGET_MIN, SATUAN = "Aspek", "Indikator Kinerja Individu", "Target Min", "Satuan"
ROWS = (
    {JENIS: "Utama", RHK_ATASAN: "vaksinasi internasional", CASCADING: "Direct",
     RHK: "Terlaksananya layanan vaksinasi internasional bagi pelaku perjalanan", ASPEK: "Kuantitas",
     INDIKATOR: "Jumlah pelaku perjalanan yang divaksinasi", TARGET_MIN: "1200", SATUAN: "orang"},
    {JENIS: "Utama", RHK_ATASAN: "pengawasan kekarantinaan alat angkut", CASCADING: "Non Direct",
     RHK: "Terlaksananya pemeriksaan kesehatan awak alat angkut", ASPEK: "Kualitas",
     INDIKATOR: "Persentase pemeriksaan sesuai standar operasional", TARGET_MIN: "95", SATUAN: "%"},
)
NOTE = "Target vaksinasi terlalu rendah dibanding jumlah jemaah umrah tahun lalu; naikkan menjadi 1.800 orang."
RHK_NOTE = "Sesuaikan Target Min dengan data layanan vaksinasi tahun lalu."


def _submit(page, steps: Steps, name: str) -> None:
    from playwright.sync_api import expect

    rerun(page, page.get_by_text("Saya telah memeriksa SKP ini dan siap mengajukannya kepada pejabat penilai.").click)
    page.get_by_role("button", name="Ajukan ke pejabat penilai").click()
    expect(page.get_by_text("SKP diajukan kepada pejabat penilai.")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile(r"SKP \d{4} — Diajukan"))).to_be_visible()
    wait_idle(page)
    steps.shot(page, name)


def _review(page, nama: str, steps: Steps, name: str) -> None:
    from playwright.sync_api import expect

    _open(page, "Verifikasi SKP")
    open_tab(page, "Periksa SKP")
    page.get_by_label("SKP yang diperiksa").click()
    rerun(page, page.get_by_role("option", name=re.compile(re.escape(nama))).click)
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
    grid = Grid.editor(me)
    grid.root.scroll_into_view_if_needed()
    steps.shot(me, "pegawai-skp-kosong")
    for values in ROWS:
        row = grid.add_row()
        for column, value in values.items():
            grid.set(column, row, value)
    grid.focus(JENIS, 0)
    steps.shot(me, "pegawai-grid-terisi")
    me.get_by_role("button", name="Simpan hasil kerja").click()
    expect(me.get_by_text("Hasil kerja disimpan: 2 RHK, 2 indikator.")).to_be_visible()
    wait_idle(me)
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
    rerun(boss, lambda: rhk_note.press("Tab"))
    note = boss.get_by_label("Catatan pengembalian (wajib bila SKP dikembalikan)")
    note.fill(NOTE)
    rerun(boss, lambda: note.press("Tab"))
    boss.get_by_role("button", name="Kembalikan").click()
    expect(boss.get_by_text(f"SKP {pegawai['nama']} dikembalikan untuk diperbaiki.")).to_be_visible()
    wait_idle(boss)
    steps.shot(boss, "penilai-dikembalikan")

    # 3. the pegawai sees the note, fixes the target, saves and resubmits
    _open(me, "SKP Saya")
    expect(me.get_by_role("heading", name=re.compile(r"SKP \d{4} — Dikembalikan"))).to_be_visible()
    expect(me.get_by_text(NOTE, exact=False)).to_be_visible()
    expect(me.get_by_text(RHK_NOTE, exact=False)).to_be_visible()
    steps.shot(me, "pegawai-catatan")
    grid = Grid.editor(me)
    grid.set(TARGET_MIN, 0, "1800")
    steps.shot(me, "pegawai-target-diperbaiki")
    me.get_by_role("button", name="Simpan hasil kerja").click()
    expect(me.get_by_text("Hasil kerja disimpan: 2 RHK, 2 indikator.")).to_be_visible()
    wait_idle(me)
    _submit(me, steps, "pegawai-diajukan-ulang")

    # 4. the penilai approves
    boss.reload()
    expect(boss.get_by_role("heading", name="Verifikasi SKP").first).to_be_visible()
    wait_idle(boss)
    _review(boss, pegawai["nama"], steps, "penilai-periksa-ulang")
    expect(boss.get_by_text("1.800 orang").first).to_be_visible()
    boss.get_by_role("button", name="Setujui", exact=True).click()
    expect(boss.get_by_text(f"SKP {pegawai['nama']} disetujui dan dikunci.")).to_be_visible()
    wait_idle(boss)
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
