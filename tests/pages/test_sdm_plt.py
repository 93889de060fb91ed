"""AppTest: "Penugasan Plt/Plh" (Admin SDM) - grid save good/bad, refusal of a pegawai; the acting notice on a
review page while the assignment runs."""

from __future__ import annotations

import datetime as dt

from services.core import clock
from services.org import penugasan
from tests.pages.helpers import page, texts

EDITOR = "penugasan_plt__0"
NIP_KASUB = "198001012005011002"
NIP_KETUA = "198502022010122001"


def button(at, label):
    return next(b for b in at.button if b.label == label)


def _label(org, nip):
    peg, _jab = penugasan.options(org.actors.admin)
    return next(p for p in peg if p.startswith(nip))


def test_grid_save_bad_then_good_and_notice_on_review_page(sqlite_org):
    today = clock.today()
    at = page("sdm_plt.py", sqlite_org.usernames["admin"]).run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Penugasan Plt/Plh"
    row = {"pegawai": _label(sqlite_org, NIP_KETUA), "jenis": "Plh", "pejabat": _label(sqlite_org, NIP_KASUB),
           "tanggal_mulai": str(today - dt.timedelta(days=1)), "tanggal_selesai": str(today + dt.timedelta(days=5))}
    at.session_state[EDITOR] = {"edited_rows": {}, "added_rows": [row], "deleted_rows": []}
    button(at, "Simpan perubahan").click()
    at.run()
    assert "Baris 1, kolom Nomor SK" in texts(at)
    assert penugasan.grid(sqlite_org.actors.admin).empty
    at.session_state[EDITOR] = {"edited_rows": {}, "added_rows": [dict(row, nomor_sk="800/PLH/1")], "deleted_rows": []}
    button(at, "Simpan perubahan").click()
    at.run()
    assert not at.exception, at.exception
    assert "Penugasan Plt/Plh disimpan: 1 ditambah." in texts(at)

    review = page("bawahan.py", sqlite_org.usernames["ketua"]).run()
    assert not review.exception, review.exception
    shown = texts(review)
    assert "Anda bertindak sebagai Plh. Kepala Subbagian Administrasi Umum" in shown
    assert "Andi Wijaya" in shown or any("Andi Wijaya" in str(df.value) for df in review.dataframe)


def test_pegawai_is_refused(sqlite_org):
    at = page("sdm_plt.py", sqlite_org.usernames["staf"]).run()
    assert "Anda tidak memiliki akses ke halaman ini." in texts(at)


def test_paste_box_nip_or_label_preview_apply_save(sqlite_org):
    today = clock.today()
    a, b = today + dt.timedelta(days=1), today + dt.timedelta(days=5)
    at = page("sdm_plt.py", sqlite_org.usernames["admin"]).run()
    assert not at.exception, at.exception
    assert any(d.proto.label == "Unduh Excel" for d in at.get("download_button"))
    at.text_area(key="penugasan_plt__tempel__teks").set_value(
        f"{NIP_KETUA}\tPlh\t{_label(sqlite_org, NIP_KASUB)}\t\t{a:%d/%m/%Y}\t{b:%d/%m/%Y}\t800/PLH/9\t\t\n"
        f"Budi\tPlh\t{NIP_KASUB}\t\t{a:%d/%m/%Y}\t32/01/2026\t800/PLH/10\t\t")
    button(at, "Periksa tempelan").click().run()
    assert not at.exception, at.exception
    shown = texts(at)
    assert "1 baris siap diterapkan, 1 baris bermasalah" in shown
    assert "Baris 2, kolom Pelaksana (NIP)" in shown and "Baris 2, kolom Sampai" in shown
    button(at, "Terapkan 1 baris ke tabel").click().run()
    assert not at.exception, at.exception
    assert penugasan.grid(sqlite_org.actors.admin).empty  # nothing saved until Save
    assert "Budi" in at.text_area(key="penugasan_plt__tempel__teks").value  # the bad row stays in the box
    button(at, "Simpan perubahan").click().run()
    assert not at.exception, at.exception
    assert "Penugasan Plt/Plh disimpan: 1 ditambah." in texts(at)
    g = penugasan.grid(sqlite_org.actors.admin)
    assert g.loc[0, "pegawai"] == _label(sqlite_org, NIP_KETUA) and g.loc[0, "tanggal_selesai"] == b
