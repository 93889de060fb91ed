"""AppTest: "Ketidakhadiran Pegawai" (Admin SDM) - grid save good/bad, paste preview, refusal of a pegawai."""

from __future__ import annotations

import datetime as dt

from services.core import clock
from services.org import ketidakhadiran as kh
from tests.pages.helpers import page, texts

YEAR = clock.today().year
EDITOR = f"ketidakhadiran_{YEAR}__0"
NIP_STAF = "199003032015031003"


def button(at, label):
    return next(b for b in at.button if b.label == label)


def test_grid_save_good_and_bad_rows(sqlite_org):
    at = page("sdm_ketidakhadiran.py", sqlite_org.usernames["admin"]).run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Ketidakhadiran Pegawai"
    label = next(o for o in kh.pegawai_options(sqlite_org.actors.admin) if o.startswith(NIP_STAF))
    bad = [{"pegawai": label, "jenis": "Cuti Tahunan", "tanggal_mulai": f"{YEAR}-05-08",
            "tanggal_selesai": f"{YEAR}-05-04"}]
    at.session_state[EDITOR] = {"edited_rows": {}, "added_rows": bad, "deleted_rows": []}
    button(at, "Simpan perubahan").click()
    at.run()
    assert not at.exception, at.exception
    shown = texts(at)
    assert "Data tidak disimpan" in shown and "Baris 1, kolom Sampai" in shown
    assert kh.grid(sqlite_org.actors.admin, YEAR).empty
    good = [dict(bad[0], tanggal_mulai=f"{YEAR}-05-04", tanggal_selesai=f"{YEAR}-05-08")]
    at.session_state[EDITOR] = {"edited_rows": {}, "added_rows": good, "deleted_rows": []}
    button(at, "Simpan perubahan").click()
    at.run()
    assert not at.exception, at.exception
    assert "Ketidakhadiran disimpan: 1 ditambah." in texts(at)
    df = kh.grid(sqlite_org.actors.admin, YEAR)
    assert df["tanggal_mulai"].tolist() == [dt.date(YEAR, 5, 4)]


def test_paste_preview_lists_bad_cells(sqlite_org):
    at = page("sdm_ketidakhadiran.py", sqlite_org.usernames["admin"]).run()
    at.text_area(key=f"ketidakhadiran_{YEAR}__tempel__teks").set_value(
        f"{NIP_STAF}\tSakit\t02/02/{YEAR}\t03/02/{YEAR}\t\t\n123\tSakit\t02/02/{YEAR}\t03/02/{YEAR}\t\t")
    button(at, "Periksa tempelan").click()
    at.run()
    assert not at.exception, at.exception
    shown = texts(at)
    assert "1 baris siap ditambahkan, 1 baris bermasalah" in shown
    assert "tidak ditemukan" in shown


def test_pegawai_is_refused(sqlite_org):
    at = page("sdm_ketidakhadiran.py", sqlite_org.usernames["staf"]).run()
    assert "Anda tidak memiliki akses ke halaman ini." in texts(at)
