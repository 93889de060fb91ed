"""Admin pages with AppTest: Akun Pengguna, Periode & Instansi, Pengaturan & Jadwal, Log Audit."""

import datetime as dt

import pytest

from db.models import JenisASN, Pegawai, Role
from services.auth import accounts
from services.auth import login as auth
from services.core import audit, clock, settings
from services.core.actor import SYSTEM
from services.core.audit import AuditFilter
from services.core.errors import LoginRefused
from services.core.uow import unit_of_work
from services.org import periods
from tests.pages.helpers import page, texts
from ui.grid import editor_key


def _select(at, key, row):
    at.session_state[key] = {"selection": {"rows": [row], "columns": [], "cells": []}}


def _account_row(org, who):
    df = accounts.search_accounts(org.actors.admin)
    return int(df.index[df["nama_pengguna"] == org.usernames[who]][0])


def _ok(at):
    assert not at.exception, at.exception
    return at


# --- Akun Pengguna -----------------------------------------------------------------------------------


def test_akun_lists_and_filters(sqlite_org):
    at = _ok(page("sdm_akun.py", "admin").run())
    assert at.title[0].value == "Akun Pengguna"
    assert len(at.dataframe[0].value) == 7
    at.text_input(key="akun_cari").input("andi")
    _ok(at.run())
    assert at.dataframe[0].value["nama"].tolist() == ["Andi Wijaya"]
    at.text_input(key="akun_cari").input("")
    at.selectbox(key="akun_status").select("Wajib ganti kata sandi")
    _ok(at.run())
    assert at.dataframe[0].value["nama_pengguna"].tolist() == [sqlite_org.usernames["pppk"]]


def test_akun_reset_password_shows_it_once(sqlite_org):
    org = sqlite_org
    at = page("sdm_akun.py", "admin")
    _select(at, "akun_tabel", _account_row(org, "staf"))
    _ok(at.run())
    uid = org.actors.staf.user_id
    at.button(key=f"reset_{uid}").click()
    _ok(at.run())
    assert "direset" in texts(at)
    temp = at.code[0].value
    assert auth.authenticate(org.usernames["staf"], temp).must_change_password is True
    with pytest.raises(LoginRefused):
        auth.authenticate(org.usernames["staf"], org.password)
    _ok(at.run())
    assert len(at.code) == 0  # not shown again


def test_akun_unlock_deactivate_and_roles(sqlite_org):
    org = sqlite_org
    user, uid = org.usernames["staf"], org.actors.staf.user_id
    settings.update_many(org.actors.admin, {"login_kunci_setelah_gagal": "10"})
    now = auth.now_utc() - dt.timedelta(minutes=30)
    for i in range(10):  # spaced beyond every wait: the 10th failure closes new logins
        with pytest.raises(LoginRefused):
            auth.authenticate(user, "salah-sandi-1", now=now + dt.timedelta(minutes=3 * i))
    at = page("sdm_akun.py", "admin")
    _select(at, "akun_tabel", _account_row(org, "staf"))
    _ok(at.run())
    assert "terkunci" in texts(at)
    at.button(key=f"unlock_{uid}").click()
    _ok(at.run())
    assert "dibuka kuncinya" in texts(at)
    assert auth.authenticate(user, org.password)

    at.button(key=f"off_{uid}").click()
    _ok(at.run())
    assert "dinonaktifkan" in texts(at)
    assert auth.load_actor(user) is None
    at.button(key=f"on_{uid}").click()
    _ok(at.run())
    assert auth.load_actor(user) is not None

    ms = at.multiselect(key=f"peran_{uid}")
    assert ms.value == []
    ms.set_value(["perencana", "kepala_satker"])
    at.button(key=f"simpan_peran_{uid}").click()
    _ok(at.run())
    assert "Peran akun disimpan" in texts(at)
    assert accounts.assigned_roles(org.actors.admin, uid) == [Role.PERENCANA, Role.KEPALA_SATKER]


def test_akun_admin_cannot_deactivate_self(sqlite_org):
    at = page("sdm_akun.py", "admin")
    _select(at, "akun_tabel", _account_row(sqlite_org, "admin"))
    _ok(at.run())
    at.button(key=f"off_{sqlite_org.actors.admin.user_id}").click()
    _ok(at.run())
    assert "sendiri" in " ".join(e.value for e in at.error)
    assert auth.load_actor("admin") is not None


def test_akun_create_missing_accounts(sqlite_org):
    with unit_of_work(SYSTEM) as s:
        s.add(Pegawai(nip="199201012018011001", nama="Agus Salim", jenis_asn=JenisASN.PNS))
    at = _ok(page("sdm_akun.py", "admin").run())
    assert "1 pegawai aktif belum memiliki akun" in texts(at)
    at.button(key="buat_akun").click()
    _ok(at.run())
    assert "1 akun baru dibuat" in texts(at)
    listing = at.dataframe[-1].value
    assert listing.columns.tolist() == ["NIP", "Nama", "Kata Sandi Sementara"]
    nip, temp = listing.iloc[0]["NIP"], listing.iloc[0]["Kata Sandi Sementara"]
    assert nip == "199201012018011001"
    assert auth.authenticate(nip, temp).must_change_password is True
    assert len(at.get("download_button")) == 2
    assert "Semua pegawai aktif sudah memiliki akun" in texts(at)
    at.button(key="tutup_bulk").click()
    _ok(at.run())
    assert "Kata Sandi Sementara" not in at.dataframe[-1].value.columns


# --- Periode & Instansi ------------------------------------------------------------------------------


def test_periode_create_close_reopen(sqlite_org):
    org = sqlite_org
    at = _ok(page("sdm_periode.py", "admin").run())
    assert at.title[0].value == "Periode & Instansi"
    tahun = [n for n in at.number_input if n.label == "Tahun"][0]
    assert tahun.value == max(org.year + 1, clock.today().year)
    tahun.set_value(org.year + 1)
    [b for b in at.button if b.label == "Buat periode"][0].click()
    _ok(at.run())
    assert f"Periode {org.year + 1} dibuat" in texts(at)
    df = periods.list_periods(org.actors.admin)
    assert df["tahun"].tolist() == [org.year + 1, org.year]

    pid = int(df.iloc[1]["id"])
    _select(at, "periode_tabel", 1)
    _ok(at.run())
    assert "Triwulan I" in texts(at)
    at.button(key=f"tutup_{pid}").click()
    _ok(at.run())
    assert f"Periode {org.year} ditutup" in texts(at)
    assert periods.get_period(org.actors.admin, pid).status == "Ditutup"
    at.button(key=f"buka_{pid}").click()
    _ok(at.run())
    assert periods.get_period(org.actors.admin, pid).dibuka
    assert len(audit.search(org.actors.admin, AuditFilter(action="tutup_periode"))) == 1


def test_periode_duplicate_year_and_bad_dates_are_reported(sqlite_org):
    org = sqlite_org
    at = _ok(page("sdm_periode.py", "admin").run())
    [n for n in at.number_input if n.label == "Tahun"][0].set_value(org.year)
    [b for b in at.button if b.label == "Buat periode"][0].click()
    _ok(at.run())
    assert "sudah ada" in texts(at)

    _select(at, "periode_tabel", 0)
    _ok(at.run())
    [d for d in at.date_input if d.label == "Tanggal mulai"][0].set_value(dt.date(org.year, 12, 31))
    [d for d in at.date_input if d.label == "Tanggal selesai"][0].set_value(dt.date(org.year, 1, 31))
    [b for b in at.button if b.label == "Simpan perubahan"][0].click()
    _ok(at.run())
    assert "sesudah tanggal mulai" in texts(at)
    p = periods.current_period(org.actors.admin)
    assert (p.tanggal_mulai, p.tanggal_selesai) == (dt.date(org.year, 1, 1), dt.date(org.year, 12, 31))


def test_instansi_form(sqlite_org):
    at = _ok(page("sdm_periode.py", "admin").run())
    nama = [t for t in at.text_input if t.label == "Nama instansi *"][0]
    assert nama.value == "Balai Uji Kinerja"
    nama.input("")
    [b for b in at.button if b.label == "Simpan profil instansi"][0].click()
    _ok(at.run())
    assert "wajib diisi" in texts(at)
    [t for t in at.text_input if t.label == "Nama instansi *"][0].input("Balai Besar Uji Kinerja")
    [t for t in at.text_input if t.label == "Alamat"][0].input("Jl. Kesehatan No. 1")
    [b for b in at.button if b.label == "Simpan profil instansi"][0].click()
    _ok(at.run())
    info = periods.get_instansi(sqlite_org.actors.admin)
    assert (info.nama, info.alamat) == ("Balai Besar Uji Kinerja", "Jl. Kesehatan No. 1")


# --- Pengaturan & Jadwal -----------------------------------------------------------------------------


def _keamanan_edit(at, value):
    at.session_state[editor_key("pengaturan_Keamanan")] = {
        "edited_rows": {0: {"nilai": value}}, "added_rows": [], "deleted_rows": []}


def test_pengaturan_groups_and_save(sqlite_org):
    at = _ok(page("sdm_pengaturan.py", "admin").run())
    assert [s.value for s in at.subheader] == ["Jadwal", "Logbook", "Evaluasi", "Angka Kredit", "Keamanan", "Dokumen", "Kinerja Organisasi"]
    assert at.button(key="simpan_pengaturan").disabled
    _keamanan_edit(at, "7")
    _ok(at.run())
    assert not at.button(key="simpan_pengaturan").disabled
    at.button(key="simpan_pengaturan").click()
    _ok(at.run())
    assert "1 pengaturan diubah" in texts(at)
    assert settings.get("login_maks_gagal") == 7


def test_pengaturan_invalid_value_is_not_saved(sqlite_org):
    at = page("sdm_pengaturan.py", "admin")
    _keamanan_edit(at, "seratus")
    _ok(at.run())
    at.button(key="simpan_pengaturan").click()
    _ok(at.run())
    assert "harus bilangan bulat" in texts(at)
    assert "Gagal login berturut-turut" in texts(at)
    assert settings.get("login_maks_gagal") == 5


def test_pengaturan_shows_booleans_as_ya_tidak_and_takes_them_back(sqlite_org):
    at = _ok(page("sdm_pengaturan.py", "admin").run())
    shown = {str(v) for d in at.dataframe for col in ("nilai", "bawaan") if col in d.value.columns
             for v in d.value[col]}
    assert {"ya", "tidak"} <= shown and not {"true", "false"} & shown
    assert settings.display_value("logbook_batas_harian", "false") == "tidak"
    assert settings.display_value("menit_efektif_harian", "450") == "450"


# --- Log Audit -----------------------------------------------------------------------------------------


def test_audit_log_filter_select_and_export(sqlite_org):
    admin = sqlite_org.actors.admin
    periods.close_period(admin, periods.current_period(admin).id)
    at = _ok(page("audit_log.py", "admin").run())
    assert at.title[0].value == "Log Audit"
    assert len(at.dataframe[0].value) > 5
    at.selectbox(key="audit_aksi").select("tutup_periode")
    _ok(at.run())
    table = at.dataframe[0].value
    assert table["aksi"].tolist() == ["Tutup periode"]  # readable labels, never raw codes
    assert "_" not in " ".join(at.dataframe[0].value["entitas"].astype(str))
    _select(at, "audit_tabel", 0)
    _ok(at.run())
    shown = [j.value for j in at.json]
    assert any('"Dibuka"' in str(v) for v in shown) and any('"Ditutup"' in str(v) for v in shown)
    assert any('"Status"' in str(v) for v in shown) and not any('"status"' in str(v) for v in shown)
    assert len(at.get("download_button")) == 1
    at.text_input(key="audit_cari").input("tidak-ada-apa-apa")
    _ok(at.run())
    assert "Tidak ada catatan audit" in texts(at)


def test_markdown_injection_username_renders_as_text_in_the_audit_log(sqlite_org):
    typed = "![x](https://attacker.example/t.png)"
    with pytest.raises(LoginRefused):
        auth.authenticate(typed, "apa-saja-1", source="203.0.113.5")  # nobody logged in
    at = _ok(page("audit_log.py", "admin").run())
    at.selectbox(key="audit_aksi").select("login_gagal")
    _ok(at.run())
    assert at.dataframe[0].value["pengguna"].tolist() == [typed]  # the table shows it as plain text
    _select(at, "audit_tabel", 0)
    _ok(at.run())
    header = next(m.value for m in at.markdown if "oleh" in m.value)
    assert typed not in header and "!\\[x\\](https\\://" in header  # escaped bracket: no image, no link
    from ui.text import md

    assert md(typed) in header
