"""AppTest: "Jadwal Pengisian SKP" (Admin SDM) - save a notice (bad then good), the letter buttons; the notice on
a pegawai's Beranda; refusal of a pegawai."""

from __future__ import annotations

from services import skp
from services.core import clock
from tests.pages.helpers import page, texts


def button(at, label):
    return next(b for b in at.button if b.label == label)


def test_save_notice_and_show_on_beranda(sqlite_org):
    at = page("sdm_jadwal_skp.py", sqlite_org.usernames["admin"]).run()
    assert not at.exception, at.exception
    at.text_input[0].set_value("")
    at.button[0].click()  # the form's submit button
    at.run()
    assert "Judul" in texts(at) and skp.jadwal.list_all(sqlite_org.actors.admin).empty
    at.text_input[0].set_value("Jadwal pengisian SKP")
    at.text_input[1].set_value("800/1/SDM")
    at.button[0].click()
    at.run()
    assert not at.exception, at.exception
    assert "Pemberitahuan disimpan" in texts(at)
    df = skp.jadwal.list_all(sqlite_org.actors.admin)
    assert df["judul"].tolist() == ["Jadwal pengisian SKP"] and df["nomor_surat"].tolist() == ["800/1/SDM"]
    at.selectbox(key="jadwal_pilih").set_value(int(df["id"].iloc[0])).run()
    assert not at.exception, at.exception
    assert {"Unduh PDF", "Unduh DOCX"} <= {b.label for b in at.get("download_button")}

    home = page("beranda.py", sqlite_org.usernames["staf"]).run()
    assert not home.exception, home.exception
    shown = texts(home)
    assert "Jadwal pengisian SKP" in shown and "800/1/SDM" in shown
    assert clock.today().year > 2000


def test_pegawai_is_refused(sqlite_org):
    at = page("sdm_jadwal_skp.py", sqlite_org.usernames["staf"]).run()
    assert "Anda tidak memiliki akses ke halaman ini." in texts(at)
