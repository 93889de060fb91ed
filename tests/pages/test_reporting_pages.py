"""AppTest: Hubungan Penilaian (admin grid, end form) and Pegawai yang Saya Nilai (reviewers)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from db.engine import read_session
from db.models import AuditLog, ReportingLine
from services.core import clock
from tests.pages.helpers import app, page, texts

NIP_KEPALA = "197001012000031001"
NIP_STAF = "199003032015031003"
GRID = "hubungan__0"
TODAY = clock.today()


def _lines() -> int:
    with read_session() as s:
        return s.scalar(select(func.count(ReportingLine.id)))


def _save(at, edits: dict):
    at.session_state[GRID] = {"edited_rows": {}, "added_rows": [], "deleted_rows": [], **edits}
    at.run()  # an edit in the browser reruns the script: the save button becomes enabled
    at.button(key="hubungan_simpan").click().run()
    assert not at.exception, at.exception
    return at


def test_admin_sees_grid_and_sections(sqlite_org):
    at = page("sdm_hubungan.py", sqlite_org.usernames["admin"]).run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Hubungan Penilaian"
    grid = at.data_editor[0]
    assert len(grid.value) == 5
    assert set(grid.value["pegawai"]) >= {NIP_STAF}
    assert [s.value for s in at.subheader] == ["Pegawai tanpa pejabat penilai", "Akhiri hubungan"]
    assert "Semua pegawai aktif sudah memiliki pejabat penilai" in texts(at)
    assert at.selectbox[0].label == "Hubungan" and len(at.selectbox[0].options) == 5


def test_admin_saves_good_lines_through_grid(sqlite_org):
    at = page("sdm_hubungan.py", sqlite_org.usernames["admin"]).run()
    before = _lines()
    _save(at, {
        "edited_rows": {0: {"catatan": "SK Kepala 12/2026"}},  # row 1 = Andi Wijaya (staf), sorted by name
        "added_rows": [{"pegawai": NIP_KEPALA, "berlaku_mulai": f"{sqlite_org.year}-01-01",
                        "catatan": "Penilai di kantor pusat"}],
    })
    assert "Tersimpan: 2 perubahan hubungan penilaian." in [s.value for s in at.success]
    assert _lines() == before + 1
    with read_session() as s:
        staf = s.scalar(select(ReportingLine).where(ReportingLine.pegawai_id == sqlite_org.pegawai["staf"]))
        assert staf.catatan == "SK Kepala 12/2026"
        head = s.scalar(select(ReportingLine).where(ReportingLine.pegawai_id == sqlite_org.pegawai["kepala"]))
        assert head.pejabat_penilai_id is None and head.berlaku_mulai == dt.date(sqlite_org.year, 1, 1)
        assert s.scalar(select(func.count(AuditLog.id)).where(
            AuditLog.entity == "ReportingLine", AuditLog.username == "admin")) == 2
    assert at.data_editor[0].key == "hubungan__1"  # the grid was reset to the saved data
    assert len(at.data_editor[0].value) == 6


def test_admin_bad_line_shows_errors_and_keeps_input(sqlite_org):
    at = page("sdm_hubungan.py", sqlite_org.usernames["admin"]).run()
    before = _lines()
    _save(at, {"added_rows": [
        {"pegawai": NIP_STAF, "pejabat_penilai": NIP_STAF, "berlaku_mulai": "2099-01-01"},
        {"pejabat_penilai": NIP_KEPALA, "berlaku_mulai": "2099-01-01"},
    ]})
    shown = texts(at)
    assert "Data tidak disimpan: 2 kesalahan" in shown
    assert "Baris 6, kolom Pejabat Penilai: pegawai tidak boleh menilai dirinya sendiri" in shown
    assert "Baris 7, kolom Pegawai: wajib diisi" in shown
    assert _lines() == before
    assert at.session_state[GRID]["added_rows"]  # the user's input is kept


def test_admin_cannot_delete_started_line(sqlite_org):
    at = page("sdm_hubungan.py", sqlite_org.usernames["admin"]).run()
    _save(at, {"deleted_rows": [0]})
    assert "tidak dapat dihapus" in texts(at)
    assert _lines() == 5


def test_admin_ends_line_with_form(sqlite_org):
    at = page("sdm_hubungan.py", sqlite_org.usernames["admin"]).run()
    with read_session() as s:
        lid = s.scalar(select(ReportingLine.id).where(ReportingLine.pegawai_id == sqlite_org.pegawai["staf"]))
    at.selectbox[0].set_value(lid)
    last = TODAY + dt.timedelta(days=7)
    at.date_input[0].set_value(last)
    at.button(key="akhiri_simpan").click().run()
    assert not at.exception, at.exception
    assert f"Hubungan diakhiri per {last:%d/%m/%Y}." in [s.value for s in at.success]
    with read_session() as s:
        assert s.get(ReportingLine, lid).berlaku_sampai == last


def test_kasub_sees_bawahan(sqlite_org):
    at = app(sqlite_org.usernames["kasub"]).run()
    at.switch_page("pages/bawahan.py").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Pegawai yang Saya Nilai"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Jumlah pegawai"] == "4" and metrics["Sebagai Pejabat Penilai"] == "4"
    assert metrics["Sebagai Atasan Pejabat Penilai"] == "0"
    assert [s.value for s in at.subheader] == ["Pejabat Penilai (4)"]
    names = set(at.dataframe[0].value["nama"])
    assert names == {"Andi Wijaya", "Dewi Lestari, S.Si.", "Rudi Hartono", "Siti Aminah, S.K.M."}
    at.text_input(key="bawahan_cari").input("dewi").run()
    assert list(at.dataframe[0].value["nama"]) == ["Dewi Lestari, S.Si."]
    assert [s.value for s in at.subheader] == ["Pejabat Penilai (1)"]


def test_kepala_sees_two_groups(sqlite_org):
    at = page("bawahan.py", sqlite_org.usernames["kepala"]).run()
    assert not at.exception, at.exception
    assert [s.value for s in at.subheader] == ["Pejabat Penilai (1)", "Atasan Pejabat Penilai (4)"]
    assert list(at.dataframe[0].value["nama"]) == ["Budi Santoso, S.E."]


def test_staf_cannot_open_bawahan(sqlite_org):
    at = app(sqlite_org.usernames["staf"]).run()
    with pytest.raises(ValueError):
        at.switch_page("pages/bawahan.py")
    alone = page("bawahan.py", sqlite_org.usernames["staf"]).run()
    assert not alone.exception, alone.exception
    assert "Anda tidak memiliki akses ke halaman ini." in [e.value for e in alone.error]
    assert not alone.metric and not alone.dataframe


@pytest.mark.parametrize("user", ["kasub", "staf"])
def test_non_admin_refused_on_hubungan(sqlite_org, user):
    at = page("sdm_hubungan.py", sqlite_org.usernames[user]).run()
    assert "Anda tidak memiliki akses ke halaman ini." in [e.value for e in at.error]
    assert not at.data_editor and not at.button


@pytest.mark.parametrize("name", ["sdm_hubungan.py", "bawahan.py"])
def test_no_login_shows_only_prompt(sqlite_org, name):
    at = page(name).run()
    assert not at.exception, at.exception
    assert [t.label for t in at.text_input] == ["NIP / nama pengguna", "Kata sandi"]
    assert not at.metric and not at.dataframe


def test_beranda_lists_lines_ending_soon_for_admin(sqlite_org):
    from services.org import reporting

    with read_session() as s:
        lid = s.scalar(select(ReportingLine.id).where(ReportingLine.pegawai_id == sqlite_org.pegawai["staf2"]))
    reporting.end_line(sqlite_org.actors.admin, lid, TODAY + dt.timedelta(days=12))
    at = app(sqlite_org.usernames["admin"]).run()
    assert not at.exception, at.exception
    shown = texts(at)
    assert "Hubungan penilaian akan berakhir" in shown and "Dewi Lestari" in shown


def test_admin_paste_ends_a_line_with_berlaku_sampai(sqlite_org):
    from services.org import reporting

    df = reporting.lines_df(sqlite_org.actors.admin)
    line = df[df["pegawai"] == NIP_STAF].iloc[0]
    end = clock.today() + dt.timedelta(days=30)
    at = page("sdm_hubungan.py", sqlite_org.usernames["admin"]).run()
    at.text_area(key="hubungan__tempel__teks").set_value(
        f"{NIP_STAF}\t\t\t\t{line['berlaku_mulai']:%d/%m/%Y}\t{end:%d/%m/%Y}\tdiakhiri lewat tempel")
    next(b for b in at.button if b.label == "Periksa tempelan").click().run()
    assert not at.exception, at.exception
    assert "1 baris siap diterapkan, 0 baris bermasalah" in texts(at)
    next(b for b in at.button if b.label == "Terapkan 1 baris ke tabel").click().run()
    at.button(key="hubungan_simpan").click().run()
    assert not at.exception, at.exception
    after = reporting.lines_df(sqlite_org.actors.admin)
    assert after.set_index("id").loc[line["id"], "berlaku_sampai"] == end
    assert len(after) == len(df)


def test_large_office_nip_choices_come_from_a_search(sqlite_org, monkeypatch):
    """Above the limit of active pegawai the NIP columns offer the rows shown plus a search limited in SQL."""
    from services.org import reporting

    at = page("sdm_hubungan.py", sqlite_org.usernames["admin"]).run()
    assert not at.exception, at.exception
    assert not [t for t in at.text_input if t.key == "hubungan_pilih"]  # a small office: every pegawai offered
    monkeypatch.setattr(reporting, "PEGAWAI_PICK_LIMIT", 1)
    at.run()
    assert not at.exception, at.exception
    assert "pegawai pertama menurut nama (paling banyak 1)" in texts(at)
    at.text_input(key="hubungan_pilih").input("dewi").run()
    assert not at.exception, at.exception
    assert "cocok dengan" in texts(at) and "dewi" in texts(at)
    assert len(at.data_editor[0].value) == 5  # the grid still lists every line
