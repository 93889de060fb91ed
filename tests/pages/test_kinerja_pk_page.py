"""AppTest: the Perjanjian Kinerja page — the Perencana enters indicators in the grid and by paste, signs and
revises; leaders only read; the SK Tim Penyusun tab records the SK and its members."""

from __future__ import annotations

from domain.cells import format_tsv
from services.core import clock
from services.kinerja import pk, tim_penyusun
from tests import kinerja_factories as kf
from tests.pages.helpers import page, texts

ROW = {"Kode Sasaran": "S1", "Sasaran": "Meningkatnya deteksi dini", "Kode": "I1", "Indikator": "Jumlah sampel",
       "Jenis": "IKU", "Satuan": "sampel", "Polaritas": "positif", "Agregasi": "kumulatif", "Target": 120,
       "PJ Tim Kerja": "Tim Kerja Surveilans"}


def _open(username: str):
    at = page("kinerja_pk.py", username).run()
    assert not at.exception, at.exception
    return at


def test_perencana_enters_signs_and_revises(sqlite_org):
    org = sqlite_org
    y = clock.today().year
    at = _open(org.usernames["ketua"])
    assert at.title[0].value == "Perjanjian Kinerja"
    assert "belum dibuat" in texts(at)
    at.session_state[f"kpk_ind_{y}_1__0"] = {"edited_rows": {}, "added_rows": [ROW], "deleted_rows": []}
    at.run()
    at.button(key="kpk_ind_simpan").click().run()
    assert not at.exception, at.exception
    assert "1 indikator disimpan" in texts(at)
    assert pk.indikator_frame(org.actors.ketua, y)["Jan"].tolist() == ["10"]
    # a bad row: every error named by row and column, nothing saved
    at.session_state[f"kpk_ind_{y}_1__1"] = {"edited_rows": {"0": {"Target": -5}}, "added_rows": [],
                                              "deleted_rows": []}
    at.run()
    at.button(key="kpk_ind_simpan").click().run()
    assert "Baris 1, kolom Target: tidak boleh negatif" in texts(at)
    assert pk.indikator_frame(org.actors.ketua, y)["Target"].tolist() == [120.0]
    # paste box: one good row added to the grid, one bad row explained
    good = ["S1", "Meningkatnya deteksi dini", "I2", "Waktu respon", "IKU", "hari", "negatif", "rata-rata", "4", "",
            "Tim Kerja Surveilans"]
    bad = ["S1", "Meningkatnya deteksi dini", "I3", "Kepatuhan", "IKU", "%", "naik", "rata-rata", "80", "",
           "Tim Kerja Surveilans"]
    at = _open(org.usernames["ketua"])
    at.text_area(key="kpk_ind_tempel__teks").set_value(format_tsv([good, bad])).run()
    at.button(key="kpk_ind_tempel__periksa").click().run()
    assert "1 baris siap ditambahkan, 1 baris bermasalah" in texts(at)
    assert "Baris 2, kolom Polaritas" in texts(at)
    at.button(key="kpk_ind_tempel__tambah").click().run()
    at.button(key="kpk_ind_simpan").click().run()
    assert not at.exception, at.exception
    assert pk.indikator_frame(org.actors.ketua, y)["Kode"].tolist() == ["I1", "I2"]
    # sign, then the grid is read-only and a revision needs a reason
    at.button(key="kpk_ttd").click().run()
    assert "Penandatanganan Perjanjian Kinerja dicatat" in texts(at)
    assert not [b for b in at.button if b.key == "kpk_ind_simpan"]
    at.text_area(key="kpk_revisi_alasan").set_value("Penyesuaian target setelah revisi DIPA").run()
    at.button(key="kpk_revisi").click().run()
    assert "Revisi dibuka: versi 2" in texts(at)
    assert "Versi 2" in texts(at) and [b for b in at.button if b.key == "kpk_ind_simpan"]
    assert at.selectbox(key="kpk_versi").value == 1


def test_leaders_read_only_and_pegawai_refused(sqlite_org):
    org = sqlite_org
    kf.build_pk(org)
    at = _open(org.usernames["kepala"])
    assert not [b for b in at.button if b.key in ("kpk_ind_simpan", "kpk_rin_simpan")]
    assert at.dataframe  # the PK as a table
    at = page("kinerja_pk.py", org.usernames["staf"]).run()
    assert "tidak memiliki akses" in texts(at)
    at = page("kinerja_pk.py").run()  # no login: only the prompt
    assert not at.title or at.title[0].value != "Perjanjian Kinerja"


def test_sk_tim_penyusun_tab(sqlite_org):
    org = sqlite_org
    y = clock.today().year
    label = next(x for x in tim_penyusun.pegawai_options(org.actors.admin) if org.usernames["staf2"] in x)
    at = _open(org.usernames["admin"])
    at.text_input(key="kpk_sk_nomor").set_value("HK.02.03/1/55").run()
    at.session_state[f"kpk_sk_anggota_{y}__0"] = {"edited_rows": {}, "deleted_rows": [],
                                                  "added_rows": [{"Pegawai": label, "Peran": "Anggota"}]}
    at.run()
    at.button(key="kpk_sk_simpan").click().run()
    assert not at.exception, at.exception
    assert "SK dicatat dengan 1 anggota" in texts(at)
    sk = tim_penyusun.get(org.actors.kepala, y)
    assert sk is not None and sk["nomor"] == "HK.02.03/1/55"
    # the member now sees the page and may edit the PK of the year
    at = _open(org.usernames["staf2"])
    at.session_state[f"kpk_ind_{y}_1__0"] = {"edited_rows": {}, "added_rows": [ROW], "deleted_rows": []}
    at.run()
    at.button(key="kpk_ind_simpan").click().run()
    assert "1 indikator disimpan" in texts(at)
    # the Perencana (not Kepala, Kasubbag or Admin) only reads the SK
    at = _open(org.usernames["ketua"])
    assert not [b for b in at.button if b.key == "kpk_sk_simpan"]


def test_sk_members_paste_box_preview_apply_save(sqlite_org):
    org = sqlite_org
    y = clock.today().year
    options = tim_penyusun.pegawai_options(org.actors.admin)
    staf2 = next(x for x in options if org.usernames["staf2"] in x)
    at = _open(org.usernames["admin"])
    assert any(d.proto.label == "Unduh Excel" and "kpk_sk_anggota" in d.key for d in at.get("download_button")), \
        [d.key for d in at.get("download_button")]
    key = f"kpk_sk_anggota_{y}__tempel__teks"
    at.text_area(key=key).set_value(f"Pegawai\tPeran\n{org.usernames['staf2']}\tanggota\nOrang Asing\tKetua")
    next(b for b in at.button if b.label == "Periksa tempelan" and "kpk_sk_anggota" in b.key).click().run()
    assert not at.exception, at.exception
    shown = texts(at)
    assert "1 baris siap diterapkan, 1 baris bermasalah" in shown and "Baris 2, kolom Pegawai" in shown
    next(b for b in at.button if b.label == "Terapkan 1 baris ke tabel").click().run()
    assert not at.exception, at.exception
    assert "Orang Asing" in at.text_area(key=key).value  # the bad row stays in the box
    assert tim_penyusun.get(org.actors.admin, y) is None  # nothing saved until Save
    at.text_input(key="kpk_sk_nomor").set_value("HK.02.03/1/56").run()
    at.button(key="kpk_sk_simpan").click().run()
    assert not at.exception, at.exception
    assert "SK dicatat dengan 1 anggota" in texts(at)
    assert tim_penyusun.get(org.actors.admin, y)["anggota"].to_dict("records") == [{"Pegawai": staf2, "Peran": "Anggota"}]
