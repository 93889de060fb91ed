"""AppTest: Rapat Monev (planning, undangan, notulis screen, report) and Mode Rapat (sections, navigation)."""

from __future__ import annotations

import datetime as dt

from services.core import clock, fmt
from services.monev import laporan, rapat
from tests import kinerja_factories as kf
from tests import monev_factories as mf
from tests.pages.helpers import page, texts


def test_rapat_page_plan_sign_and_pegawai_view(sqlite_org):
    org = sqlite_org
    today = clock.today()
    at = page("monev_rapat.py", org.usernames["ketua"]).run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Rapat Monev Bulanan"
    assert "belum direncanakan" in texts(at)
    form = [b for b in at.button if b.label == "Simpan rencana rapat"]
    assert form, "the Perencana sees the planning form"
    form[0].click().run()
    assert not at.exception, at.exception
    view = rapat.get(org.actors.ketua, today.year, today.month)
    assert view is not None and len(view["agenda"]) == 7
    at.text_input(key=f"mr_nomor_{view['id']}").set_value("UM.01/2026").run()
    at.button(key="mr_ajukan_und").click().run()
    assert rapat.by_id(org.actors.ketua, view["id"])["status_undangan"] == "DIAJUKAN"
    kep = page("monev_rapat.py", org.usernames["kepala"]).run()
    kep.button(key="mr_ttd").click().run()
    assert not kep.exception, kep.exception
    assert rapat.by_id(org.actors.ketua, view["id"])["status_undangan"] == "DITANDATANGANI"
    # the meeting's date in Indonesian order (2 Januari 2027), never "Januari 2"
    assert f"{fmt.tanggal(view['tanggal'])}, pukul {view['jam']}" in " ".join(m.value for m in kep.markdown)
    # the statuses are cards whose text wraps: the whole value is shown (a metric cut it at 1366 px)
    kep = page("monev_rapat.py", org.usernames["kepala"]).run()
    assert not kep.metric
    shown = [m.value for m in kep.markdown]
    assert "**Ditandatangani Kepala**" in shown and "**Dijadwalkan**" in shown and "**Belum disusun**" in shown
    assert f"Tenggat {fmt.tanggal(view['tenggat_laporan'])}" in [c.value for c in kep.caption]
    peg = page("monev_rapat.py", org.usernames["kasub"]).run()  # neither Perencana nor notulis
    assert not peg.exception, peg.exception
    assert not [b for b in peg.button if b.label in ("Mulai rapat", "Ajukan konsep undangan ke Kepala")]


def test_notulis_screen_attendance_notulen_and_report(sqlite_org):
    org = sqlite_org
    today = clock.today()
    rid = mf.signed(org, today.year, today.month, today)
    at = page("monev_rapat.py", org.usernames["staf2"]).run()  # the notulis
    at.button(key="mr_mulai").click().run()
    assert not at.exception, at.exception
    view = rapat.by_id(org.actors.staf2, rid)
    assert view["status_rapat"] == "BERLANGSUNG"
    item = view["agenda"][0]
    at.text_area(key=f"mr_not_{item['id']}").set_value("Rapat dibuka pukul 09.00.").run()
    at.button(key=f"mr_not_btn_{item['id']}").click().run()
    assert rapat.by_id(org.actors.staf2, rid)["agenda"][0]["notulen"] == "Rapat dibuka pukul 09.00."
    # a pegawai checks in from their own session while the meeting is open
    peg = page("monev_rapat.py", org.usernames["staf"]).run()
    peg.button(key="mr_hadir_saya").click().run()
    assert "Kehadiran Anda sudah tercatat" in texts(peg)
    at = page("monev_rapat.py", org.usernames["staf2"]).run()
    at.button(key="mr_selesai").click().run()
    at.text_area(key=f"mr_kes_{rid}").set_value("Rapat berjalan baik.").run()
    at.button(key="mr_susun").click().run()
    at.button(key="mr_lap_ajukan").click().run()
    assert not at.exception, at.exception
    assert rapat.by_id(org.actors.staf2, rid)["status_laporan"] == "DIAJUKAN"
    kas = page("monev_rapat.py", org.usernames["kasub"]).run()
    kas.button(key="mr_periksa").click().run()
    assert rapat.by_id(org.actors.staf2, rid)["status_laporan"] == "DIPERIKSA"
    kep = page("monev_rapat.py", org.usernames["kepala"]).run()
    if any(t.key == "mr_alasan" for t in kep.text_input):
        kep.text_input(key="mr_alasan").set_value("Kepala sedang dinas luar kota.")
    kep.button(key="mr_tetapkan").click().run()
    assert not kep.exception, kep.exception
    assert rapat.by_id(org.actors.staf2, rid)["status_laporan"] == "DITETAPKAN"
    assert "hanya dapat dibaca" in texts(page("monev_rapat.py", org.usernames["staf2"]).run())


def test_mode_rapat_walks_every_section(sqlite_org):
    org = sqlite_org
    kf.build_pk(org)
    today = clock.today()
    mf.held(org, today.year, today.month, today, close=False)
    at = page("monev_mode_rapat.py", org.usernames["staf"]).run()
    assert not at.exception, at.exception
    n = len(at.selectbox[0].options)
    assert n == 6  # IKU, two Tim Kerja, anggaran, individu, tindak lanjut
    seen = []
    for i in range(n):
        seen.append(at.selectbox[0].value)
        assert not at.exception, at.exception
        if i < n - 1:
            at.button(key="mr_next").click().run()
    assert seen == list(range(n))
    assert at.button(key="mr_next").disabled
    at.button(key="mr_prev").click().run()
    assert at.selectbox[0].value == n - 2


def test_mode_rapat_without_meeting_and_history(sqlite_org, clock):
    org = sqlite_org
    at = page("monev_mode_rapat.py", org.usernames["staf"]).run()
    assert "Belum ada rapat monev" in texts(at)
    y = clock.set(dt.date(org.year, 3, 1)).year
    rid = mf.held(org, y, 3, dt.date(y, 3, 4))
    laporan.susun(org.actors.ketua, rid, "x")
    at = page("monev_rapat.py", org.usernames["staf"]).run()
    assert not at.exception, at.exception
    assert "Ikhtisar" in texts(at)


def test_rapat_page_pages_a_long_invitee_list(sqlite_org, monkeypatch):
    """The invitee list shows one page at a time with a visible pager once it is longer than a page; the count
    above it is the whole list."""
    org = sqlite_org
    today = clock.today()
    rid = mf.signed(org, today.year, today.month, today)
    full = rapat.undangan_list(org.actors.kepala, rid)
    at = page("monev_rapat.py", org.usernames["kepala"]).run()
    assert not at.exception, at.exception
    assert not [n for n in at.number_input if n.key == "mr_undangan_halaman"]  # one page: no pager
    assert len(at.dataframe[0].value) == len(full)
    monkeypatch.setattr(rapat, "UNDANGAN_PAGE", 4)
    at = page("monev_rapat.py", org.usernames["kepala"]).run()
    assert f"Diundang: **{len(full)}** pegawai" in " ".join(m.value for m in at.markdown)
    assert list(at.dataframe[0].value["Nama"]) == list(full["Nama"][:4])
    assert "Halaman 1 dari 2" in texts(at)
    at.number_input(key="mr_undangan_halaman").set_value(2).run()
    assert not at.exception, at.exception
    assert list(at.dataframe[0].value["Nama"]) == list(full["Nama"][4:])
