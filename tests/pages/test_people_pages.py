"""AppTest: the Pegawai grid (save good / bad rows, passwords shown once) and the Impor Pegawai page."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from db.engine import read_session
from db.models import Pegawai, User
from services.auth import login as auth
from services.org import people
from tests.factories import password_hash
from tests.pages.helpers import page, texts

NEW_NIP = "198703152010012001"
EDITOR = "pegawai__0"


@pytest.fixture(autouse=True)
def fast_hash(monkeypatch):
    cached = password_hash()
    monkeypatch.setattr(auth, "hash_password", lambda _pw, rounds=12: cached)


def pegawai_count() -> int:
    with read_session() as s:
        return s.scalar(select(func.count()).select_from(Pegawai))


def save_button(at):
    return next(b for b in at.button if b.label == "Simpan")


def downloads(at) -> list[str]:
    return [el.proto.label for el in at.get("download_button")]


def test_grid_renders_for_admin(sqlite_org):
    at = page("sdm_pegawai.py", "admin").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Pegawai"
    assert "6 pegawai ditampilkan." in texts(at)
    assert save_button(at).disabled


def test_grid_save_new_row_creates_account_and_offers_passwords_once(sqlite_org):
    at = page("sdm_pegawai.py", "admin").run()
    at.session_state[EDITOR] = {"edited_rows": {}, "deleted_rows": [], "added_rows": [
        {"nip": NEW_NIP, "nama": "Sri Wahyuni", "golongan": "III/c", "unit": "ADUM",
         "jabatan": "Penata Layanan Operasional"}]}
    at.run()
    save_button(at).click().run()
    assert not at.exception, at.exception
    assert "Tersimpan: 1 baris disimpan, 1 akun baru dibuat." in texts(at)
    assert downloads(at) == ["Unduh kata sandi sementara (CSV)", "Unduh Excel"]
    assert "7 pegawai ditampilkan." in texts(at)
    with read_session() as s:
        user = s.scalar(select(User).where(User.username == NEW_NIP))
        assert user is not None and user.must_change_password
    at.run()  # the passwords are offered only once
    assert downloads(at) == ["Unduh Excel"]  # the grid as Excel (Tempel dari Excel)


def test_grid_bad_row_shows_errors_and_keeps_input(sqlite_org):
    at = page("sdm_pegawai.py", "admin").run()
    at.session_state[EDITOR] = {"edited_rows": {"0": {"golongan": "V/z"}}, "deleted_rows": [], "added_rows": [
        {"nip": "12345", "nama": "Salah"}]}
    at.run()
    save_button(at).click().run()
    assert not at.exception, at.exception
    shown = texts(at)
    assert "Data tidak disimpan: 2 kesalahan." in shown
    assert "Baris 1, kolom Golongan" in shown and "Baris 7, kolom NIP: NIP harus 18 digit" in shown
    assert pegawai_count() == 6
    assert not save_button(at).disabled  # the edits are still there to fix


def test_grid_delete_deactivates(sqlite_org):
    at = page("sdm_pegawai.py", "admin").run()
    at.session_state[EDITOR] = {"edited_rows": {}, "added_rows": [], "deleted_rows": [0]}
    at.run()
    save_button(at).click().run()
    assert not at.exception, at.exception
    assert "1 pegawai dinonaktifkan" in texts(at)
    assert pegawai_count() == 6 and "5 pegawai ditampilkan." in texts(at)


@pytest.mark.parametrize("name", ["sdm_pegawai.py", "sdm_impor.py"])
def test_pegawai_is_refused(sqlite_org, name):
    at = page(name, sqlite_org.usernames["staf"]).run()
    assert not at.exception
    assert "Anda tidak memiliki akses ke halaman ini." in texts(at)
    assert not at.title and not at.button


@pytest.mark.parametrize("name", ["sdm_pegawai.py", "sdm_impor.py"])
def test_no_login_shows_only_the_prompt(sqlite_org, name):
    at = page(name).run()
    assert not at.exception
    assert [t.label for t in at.text_input] == ["NIP / nama pengguna", "Kata sandi"]
    assert not at.title


def test_import_page_renders_for_admin(sqlite_org):
    at = page("sdm_impor.py", "admin").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Impor Pegawai"
    assert downloads(at) == ["Unduh templat Excel"]
    assert len(at.get("file_uploader")) == 1
    assert not [b for b in at.button if b.label == "Impor sekarang"]  # nothing to import before an upload


def test_pegawai_paste_updates_by_nip_and_adds(sqlite_org, monkeypatch):
    from services.auth import login as auth
    from tests.factories import password_hash

    cached = password_hash()
    monkeypatch.setattr(auth, "hash_password", lambda _pw, rounds=12: cached)
    admin = sqlite_org.actors.admin
    df = people.pegawai_df(admin)
    nip = df["nip"].iloc[0]
    at = page("sdm_pegawai.py", sqlite_org.usernames["admin"]).run()
    at.text_area(key="pegawai__tempel__teks").set_value(
        f"{nip}\t\t\tNama Baru Uji\t\t\t\t\t\t\t\t\n"
        "198703152010012001\tPNS\t\tSri Wahyuni\t\tIII/c\tPenata Layanan Operasional\tADUM\t\t\t\tya")
    next(b for b in at.button if b.label == "Periksa tempelan").click()
    at.run()
    assert not at.exception, at.exception
    assert "2 baris siap diterapkan, 0 baris bermasalah" in texts(at)
    next(b for b in at.button if b.label == "Terapkan 2 baris ke tabel").click()
    at.run()
    assert not at.exception, at.exception
    next(b for b in at.button if b.label == "Simpan").click()
    at.run()
    assert not at.exception, at.exception
    after = people.pegawai_df(admin)
    assert "Nama Baru Uji" in set(after["nama"]) and "198703152010012001" in set(after["nip"])
    assert len(after) == len(df) + 1
