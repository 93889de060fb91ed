"""AppTest: Realisasi Tim Kerja saves the indicator and budget grids in one call (an error in one saves neither),
and the paste box fills the rows matched by Kode."""

from __future__ import annotations

import re

from domain.cells import format_tsv
from services.core import clock
from services.kinerja import realisasi
from tests import kinerja_factories as kf
from tests.pages.helpers import page, texts


def _open(org, bulan):
    at = page("kinerja_realisasi.py", org.usernames["ketua"]).run()
    at.selectbox(key="kreal_bulan").set_value(bulan).run()
    at.selectbox(key="kreal_tim").set_value(org.tim_id).run()
    assert not at.exception, at.exception
    return at


def test_both_grids_one_save_and_paste(sqlite_org):
    org = sqlite_org
    kf.build_pk(org)
    today = clock.today()
    y, b = today.year, today.month  # the running month may be filled
    key, key_ang = f"kreal_grid_{y}_{b}_{org.tim_id}", f"kreal_ang_{y}_{b}_{org.tim_id}"
    at = _open(org, b)
    at.session_state[f"{key}__0"] = {"edited_rows": {"0": {"Realisasi": 9}}, "added_rows": [], "deleted_rows": []}
    at.session_state[f"{key_ang}__0"] = {"edited_rows": {"0": {"Realisasi": -1}}, "added_rows": [],
                                         "deleted_rows": []}
    at.run()
    assert not at.exception, at.exception
    assert [b.key for b in at.button if b.key == "kreal_simpan"], texts(at)
    assert "**Status:** Draft · **Tenggat:** " in texts(at) and "DRAFT" not in texts(at)
    assert not re.search(r"\d{2}-\d{2}-\d{4}", texts(at))  # the deadline as a date people read, not 05-01-2027
    at.button(key="kreal_simpan").click().run()
    assert "Baris 1, kolom Realisasi anggaran: tidak boleh negatif" in texts(at)
    assert realisasi.grid(org.actors.ketua, y, b, org.tim_id)["Realisasi"].isna().all()  # nothing saved
    at.session_state[f"{key_ang}__0"] = {"edited_rows": {"0": {"Realisasi": 50_000}}, "added_rows": [],
                                         "deleted_rows": []}
    at.run()
    at.button(key="kreal_simpan").click().run()
    assert not at.exception, at.exception
    assert "Realisasi tersimpan" in texts(at)
    assert realisasi.grid(org.actors.ketua, y, b, org.tim_id)["Realisasi"].tolist()[0] == 9.0
    assert realisasi.anggaran_grid(org.actors.ketua, y, b, org.tim_id)["Realisasi"].tolist() == [50_000.0]
    # paste: I2's realisation and kendala land in I2's row, then Save
    at = _open(org, b)
    at.text_area(key="kreal_tempel__teks").set_value(format_tsv([["Kode", "Realisasi", "Kendala"],
                                                                 ["I2", "3,5", "Cuaca buruk"]])).run()
    at.button(key="kreal_tempel__periksa").click().run()
    assert "1 baris siap diterapkan" in texts(at)
    at.button(key="kreal_tempel__tambah").click().run()
    at.button(key="kreal_simpan").click().run()
    assert not at.exception, at.exception
    df = realisasi.grid(org.actors.ketua, y, b, org.tim_id)
    assert df["Realisasi"].tolist() == [9.0, 3.5] and df["Kendala"].tolist()[1] == "Cuaca buruk"
