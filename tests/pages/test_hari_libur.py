"""AppTest: "Hari Libur" (Admin SDM) — grid save good/bad, the national holiday list, refusal of a pegawai."""

from __future__ import annotations

import datetime as dt

from services.core import clock
from services.org import kalender
from tests.pages.helpers import page, texts

YEAR = clock.today().year
EDITOR = f"hari_libur_{YEAR}__0"


def admin_page(org):
    return page("sdm_hari_libur.py", org.usernames["admin"])


def button(at, label):
    return next(b for b in at.button if b.label == label)


def stored(org) -> list[tuple]:
    df = kalender.grid(org.actors.admin, YEAR)
    return [(r.tanggal, r.nama, r.jenis) for r in df.itertuples()]


def edit(at, rows: list[dict]) -> None:
    at.session_state[EDITOR] = {"edited_rows": {}, "added_rows": rows, "deleted_rows": []}


def test_grid_save_good_row_is_stored_and_changes_working_days(sqlite_org):
    at = admin_page(sqlite_org).run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Hari Libur"
    edit(at, [{"tanggal": f"{YEAR}-08-18", "nama": "Cuti bersama HUT RI", "jenis": "Cuti Bersama"}])
    button(at, "Simpan perubahan").click()
    at.run()
    assert not at.exception, at.exception
    assert stored(sqlite_org) == [(dt.date(YEAR, 8, 18), "Cuti bersama HUT RI", "Cuti Bersama")]
    assert "Hari libur disimpan: 1 baris berubah." in texts(at)
    assert f"hari_libur_{YEAR}__1" in at.session_state
    assert not kalender.is_working_day(dt.date(YEAR, 8, 18)) or dt.date(YEAR, 8, 18).weekday() >= 5


def test_grid_save_bad_row_reports_row_and_saves_nothing(sqlite_org):
    at = admin_page(sqlite_org).run()
    rows = [{"tanggal": f"{YEAR}-08-18", "nama": "Cuti bersama", "jenis": "Cuti Bersama"},
            {"tanggal": f"{YEAR}-08-18", "nama": "", "jenis": "Libur Lokal"}]
    edit(at, rows)
    button(at, "Simpan perubahan").click()
    at.run()
    assert not at.exception, at.exception
    shown = texts(at)
    assert "Data tidak disimpan" in shown
    assert "Baris 2, kolom Tanggal" in shown and "Baris 2, kolom Keterangan: wajib diisi" in shown
    assert "Baris 1" not in shown
    assert stored(sqlite_org) == []
    assert at.session_state[EDITOR]["added_rows"] == rows


def test_national_holidays_are_listed(sqlite_org):
    at = admin_page(sqlite_org).run()
    national = kalender.holidays_of_year(YEAR)
    assert not national.empty
    table = at.dataframe[-1].value
    assert list(table.columns) == ["Tanggal", "Hari", "Keterangan"]
    assert len(table) == len(national[national["sumber"] != "Instansi"])
    assert any("Kemerdekaan" in n for n in table["Keterangan"])


def test_pegawai_is_refused(sqlite_org):
    at = page("sdm_hari_libur.py", sqlite_org.usernames["staf"]).run()
    assert not at.exception, at.exception
    assert "Anda tidak memiliki akses ke halaman ini." in texts(at)
    assert EDITOR not in at.session_state
    assert not at.title


def test_paste_box_adds_a_day_and_names_a_bad_date(sqlite_org):
    at = admin_page(sqlite_org).run()
    assert any(d.proto.label == "Unduh Excel" for d in at.get("download_button"))
    at.text_area(key=f"hari_libur_{YEAR}__tempel__teks").set_value(
        f"18/08/{YEAR}\tCuti bersama HUT RI\tCuti Bersama\n31/02/{YEAR}\tSalah\tCuti Bersama")
    button(at, "Periksa tempelan").click().run()
    assert not at.exception, at.exception
    shown = texts(at)
    assert "1 baris siap diterapkan, 1 baris bermasalah" in shown and "Baris 2, kolom Tanggal" in shown
    button(at, "Terapkan 1 baris ke tabel").click().run()
    button(at, "Simpan perubahan").click().run()
    assert not at.exception, at.exception
    assert stored(sqlite_org) == [(dt.date(YEAR, 8, 18), "Cuti bersama HUT RI", "Cuti Bersama")]
