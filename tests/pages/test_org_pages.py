"""AppTest: the organisation admin pages (unit, tim, jabatan) and Rekap Organisasi."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from db.engine import read_session
from db.models import AuditLog, Jabatan, TimKerja, UnitKerja
from tests.pages.helpers import page, texts

ORG_PAGES = ("sdm_unit.py", "sdm_tim.py", "sdm_jabatan.py")


def _count(model, *where) -> int:
    with read_session() as s:
        return s.scalar(select(func.count()).select_from(model).where(*where)) or 0


def _save(at, grid_key: str, edits: dict, button: str):
    """Put edits into the grid's editor state (as the browser would) and click the save button."""
    at.session_state[f"{grid_key}__0"] = {"edited_rows": {}, "added_rows": [], "deleted_rows": [], **edits}
    at.button(key=button).click().run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize(("name", "first"), [("sdm_unit.py", "BUK"), ("sdm_tim.py", "Tim Kerja Surveilans"),
                                             ("sdm_jabatan.py", "Kepala Balai")])
def test_admin_sees_page(sqlite_org, name, first):
    at = page(name, sqlite_org.usernames["admin"]).run()
    assert not at.exception, at.exception
    grid = at.dataframe
    assert len(grid) == 1 and first in grid[0].value.astype(str).to_numpy().ravel().tolist()
    assert at.button(key=f"simpan_{name[4:-3]}").label == "Simpan perubahan"
    assert at.caption[0].value


@pytest.mark.parametrize("name", [*ORG_PAGES, "rekap_organisasi.py"])
def test_pegawai_refused(sqlite_org, name):
    at = page(name, sqlite_org.usernames["staf"]).run()
    assert not at.exception, at.exception
    assert "Anda tidak memiliki akses ke halaman ini." in [e.value for e in at.error]
    assert not at.button and not at.metric


@pytest.mark.parametrize("name", [*ORG_PAGES, "rekap_organisasi.py"])
def test_no_login_shows_only_prompt(sqlite_org, name):
    at = page(name).run()
    assert not at.exception, at.exception
    assert [t.label for t in at.text_input] == ["NIP / nama pengguna", "Kata sandi"]
    assert not at.metric and not at.dataframe and not at.title
    assert [b.label for b in at.button] == ["Masuk"]


def test_unit_save_good_row(sqlite_org):
    at = page("sdm_unit.py", sqlite_org.usernames["admin"]).run()
    _save(at, "grid_unit", {"edited_rows": {1: {"nama": "Subbagian Umum"}},
                            "added_rows": [{"kode": "TU", "nama": "Tata Usaha", "induk": "ADUM"}]}, "simpan_unit")
    assert "Tersimpan: 1 ditambah, 1 diubah, 0 dihapus." in [s.value for s in at.success]
    with read_session() as s:
        assert s.scalar(select(UnitKerja.nama).where(UnitKerja.kode == "ADUM")) == "Subbagian Umum"
        assert s.scalar(select(UnitKerja.nama).where(UnitKerja.kode == "TU")) == "Tata Usaha"
    assert _count(AuditLog, AuditLog.entity == "UnitKerja", AuditLog.username == "admin") == 2


def test_unit_save_bad_row_keeps_edits(sqlite_org):
    at = page("sdm_unit.py", sqlite_org.usernames["admin"]).run()
    before = _count(UnitKerja)
    _save(at, "grid_unit", {"added_rows": [{"kode": "tu baru", "nama": "", "induk": "ENTAH"}]}, "simpan_unit")
    shown = texts(at)
    assert "Data tidak disimpan: 3 kesalahan" in shown
    assert "Baris 3, kolom Kode" in shown and "Baris 3, kolom Nama" in shown and "Baris 3, kolom Induk" in shown
    assert _count(UnitKerja) == before
    assert at.session_state["grid_unit__0"]["added_rows"]  # the editor (and the user's input) is kept


def test_unit_delete_refused_on_page(sqlite_org):
    at = page("sdm_unit.py", sqlite_org.usernames["admin"]).run()
    _save(at, "grid_unit", {"deleted_rows": [1]}, "simpan_unit")
    assert "tidak dapat dihapus" in texts(at)
    assert _count(UnitKerja) == 2


def test_tim_save_good_and_bad(sqlite_org):
    at = page("sdm_tim.py", sqlite_org.usernames["admin"]).run()
    _save(at, "grid_tim", {"added_rows": [{"nama": "Tim Keuangan", "unit": "ADUM",
                                           "ketua": "198001012005011002"}]}, "simpan_tim")
    assert any("1 ditambah" in s.value for s in at.success)
    assert _count(TimKerja) == 2

    at = page("sdm_tim.py", sqlite_org.usernames["admin"]).run()
    _save(at, "grid_tim", {"added_rows": [{"nama": "Tim Keuangan", "unit": "ADUM",
                                           "ketua": "199912312020121001"}]}, "simpan_tim")
    shown = texts(at)
    assert "Baris 3, kolom Nama" in shown and "Baris 3, kolom Ketua" in shown
    assert _count(TimKerja) == 2


def test_jabatan_save_good_and_bad(sqlite_org):
    at = page("sdm_jabatan.py", sqlite_org.usernames["admin"]).run()
    n = _count(Jabatan)
    _save(at, "grid_jabatan", {"added_rows": [{"nama": "Pranata Komputer Mahir", "jenis": "Fungsional",
                                               "kategori": "Keterampilan", "jenjang": "Mahir", "kelas_jabatan": 8,
                                               "unit": "ADUM", "koefisien_ak": 12.5}]}, "simpan_jabatan")
    assert any("1 ditambah" in s.value for s in at.success)
    assert _count(Jabatan) == n + 1

    at = page("sdm_jabatan.py", sqlite_org.usernames["admin"]).run()
    _save(at, "grid_jabatan", {"edited_rows": {0: {"jenjang": "Pemula"}},
                               "added_rows": [{"nama": "Analis", "jenis": "Pelaksana", "kelas_jabatan": 20}]},
          "simpan_jabatan")
    shown = texts(at)
    assert "Data tidak disimpan: 2 kesalahan" in shown
    assert "kolom Jenjang" in shown and "kolom Kelas jabatan" in shown
    assert _count(Jabatan) == n + 1


@pytest.mark.parametrize("who", ["kepala", "ketua", "admin"])
def test_rekap_organisasi(sqlite_org, who):
    at = page("rekap_organisasi.py", sqlite_org.usernames[who]).run()
    assert not at.exception, at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Pegawai aktif"] == "6" and metrics["PNS"] == "5" and metrics["PPPK"] == "1"
    shown = texts(at)
    assert "Pegawai per unit kerja" in shown and "Jabatan fungsional menurut jenjang" in shown
    charts = at.get("vega_lite_chart")
    assert len(charts) == 5
    assert all("Jumlah pegawai" in c.proto.spec for c in charts)
    assert any("Unit kerja" in c.proto.spec for c in charts)


def test_rekap_jenjang_chart_names_every_bar(sqlite_org):
    """One bar per kategori-jenjang with its own label, and no label hidden for overlapping."""
    import json

    at = page("rekap_organisasi.py", sqlite_org.usernames["admin"]).run()
    spec = json.loads(next(c.proto.spec for c in at.get("vega_lite_chart") if "Kategori" in c.proto.spec))
    enc = spec["encoding"]
    assert enc["y"]["field"] == "label" and enc["y"]["axis"]["labelOverlap"] is False
    from services.auth import login as auth
    from services.org import units

    jf = units.org_summary(auth.load_actor(sqlite_org.usernames["admin"])).fungsional_jenjang
    expected = [f"{r.jenjang} ({r.kategori})" for r in jf.itertuples()]
    assert enc["y"]["sort"] == expected and len(set(expected)) == len(expected) == len(jf)


def _button(at, label):
    return next(b for b in at.button if b.label == label)


@pytest.mark.parametrize("name", ORG_PAGES)
def test_paste_box_with_excel_download(sqlite_org, name):
    at = page(name, sqlite_org.usernames["admin"]).run()
    assert not at.exception, at.exception
    assert "Tempel dari Excel" in texts(at) and _button(at, "Periksa tempelan")
    assert any(d.label == "Unduh Excel" for d in at.get("download_button"))


def test_unit_paste_preview_apply_and_save(sqlite_org):
    at = page("sdm_unit.py", sqlite_org.usernames["admin"]).run()
    at.text_area(key="grid_unit__tempel__teks").set_value(
        "Kode\tNama\tInduk\tUrutan\tAktif\nTU\tTata Usaha\tADUM\t2\tya\nADUM\tSubbagian Umum\t\t\t\nx y\tSalah\tENTAH\tdua\t")
    _button(at, "Periksa tempelan").click()
    at.run()
    assert not at.exception, at.exception
    shown = texts(at)
    assert "2 baris siap diterapkan, 1 baris bermasalah" in shown
    assert "Baris 3, kolom Urutan" in shown  # a cell its reader refuses, named by the pasted row
    before = _count(UnitKerja)
    _button(at, "Terapkan 2 baris ke tabel").click()
    at.run()
    assert not at.exception, at.exception
    assert "x y\tSalah\tENTAH\tdua" in at.text_area(key="grid_unit__tempel__teks").value  # the bad row stays
    at.button(key="simpan_unit").click().run()
    assert "Tersimpan: 1 ditambah, 1 diubah, 0 dihapus." in [s.value for s in at.success], texts(at)
    assert _count(UnitKerja) == before + 1
    with read_session() as s:
        assert s.scalar(select(UnitKerja.nama).where(UnitKerja.kode == "ADUM")) == "Subbagian Umum"


def test_empty_paste_box_says_so(sqlite_org):
    at = page("sdm_tim.py", sqlite_org.usernames["admin"]).run()
    _button(at, "Periksa tempelan").click().run()
    assert not at.exception, at.exception
    assert "Kotak tempel masih kosong" in texts(at) and "Pratinjau" not in texts(at)
