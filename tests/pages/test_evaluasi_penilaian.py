"""AppTest: the reviewer pages of the evaluasi kinerja — the bulk rating grid of Penilaian Kinerja (pejabat
penilai), umpan balik and single rating, Pertimbangan Kinerja (Ketua Tim) and Persetujuan Penilaian (atasan)."""

from __future__ import annotations

import pytest

from services.evaluasi import penilaian as ep
from tests import evaluasi_factories as ef
from tests.pages.helpers import page, texts
from tests.unit.test_evaluasi_penilaian import DI_ATAS, DI_BAWAH, SESUAI, _ev, feedback

GRID = "nilai_grid__0"


@pytest.fixture
def pair(sqlite_org):
    """Submitted Q1 evaluations of staf and staf2 (grid order: Andi Wijaya, Dewi Lestari)."""
    ef.setup(sqlite_org)
    return sqlite_org, ef.fill_and_submit(sqlite_org, "staf"), ef.fill_and_submit(sqlite_org, "staf2")


def _open(org, who: str, name: str):
    at = page(name, org.usernames[who]).run()
    assert not at.exception, at.exception
    return at


def _edits(rows: dict[int, tuple[str, str]]) -> dict:
    return {"edited_rows": {i: {"rating_hasil_kerja": h, "rating_perilaku_kerja": p} for i, (h, p) in rows.items()},
            "added_rows": [], "deleted_rows": []}


def _button(at, label: str):
    return next(b for b in at.button if b.label == label)


def test_bulk_grid_rates_two_rows_with_predikat_preview(pair):
    org, staf, staf2 = pair
    feedback(org, staf)
    feedback(org, staf2)
    at = _open(org, "kasub", "evaluasi_penilaian.py")
    assert at.title[0].value == "Penilaian Kinerja"
    at.session_state[GRID] = _edits({0: (DI_ATAS, DI_ATAS), 1: (DI_BAWAH, SESUAI)})
    at.run()
    assert not at.exception, at.exception
    _button(at, "Simpan penilaian").click().run()
    assert not at.exception, at.exception
    assert "Penilaian 2 pegawai disimpan dan dikirim ke atasan pejabat penilai." in texts(at)
    a, b = _ev(staf), _ev(staf2)
    assert (a.status.value, a.predikat.value) == ("DINILAI", "Sangat Baik")
    assert (b.status.value, b.predikat.value) == ("DINILAI", "Butuh Perbaikan")
    assert "nilai_grid__1" in at.session_state  # the grid restarted from the saved data


def test_bulk_grid_preview_shows_the_matrix_result_before_saving(pair):
    org, staf, _ = pair
    at = _open(org, "kasub", "evaluasi_penilaian.py")
    at.session_state[GRID] = _edits({0: (SESUAI, DI_BAWAH)})
    at.run()
    assert not at.exception, at.exception
    grid = at.dataframe[0].value  # the data_editor, with the preview computed from the pending edits
    assert list(grid["pegawai"]) == ["Andi Wijaya", "Dewi Lestari, S.Si."]
    assert grid.loc[0, "predikat"] == "Kurang/Misconduct (pratinjau)" and not grid.loc[1, "predikat"]
    assert list(grid["feedback_lengkap"]) == ["✗ belum lengkap"] * 2
    assert _ev(staf).predikat is None


def test_bulk_grid_bad_row_names_the_row_and_saves_nothing(pair):
    org, staf, staf2 = pair
    feedback(org, staf)  # staf2 (row 2) has no umpan balik
    at = _open(org, "kasub", "evaluasi_penilaian.py")
    at.session_state[GRID] = _edits({0: (SESUAI, SESUAI), 1: (SESUAI, SESUAI)})
    at.run()
    _button(at, "Simpan penilaian").click().run()
    assert not at.exception, at.exception
    shown = texts(at)
    assert "Data tidak disimpan" in shown
    assert "Baris 2, kolom Umpan balik RHK" in shown and "Dewi Lestari, S.Si.: umpan balik wajib diisi" in shown
    assert "Baris 1" not in shown
    assert _ev(staf).status.value == "DIAJUKAN" and _ev(staf2).status.value == "DIAJUKAN"
    assert at.session_state[GRID]["edited_rows"]  # the edits are kept


def test_feedback_and_single_rating_in_the_detail_form(pair):
    org, staf, _ = pair
    at = _open(org, "kasub", "evaluasi_penilaian.py")
    assert at.selectbox(key="nilai_pilih").value == staf
    d = ep.evaluasi_detail(org.actors.kasub, staf)
    at.session_state[f"nilai_ub_hasil_{staf}_0"] = {
        "edited_rows": {0: {"Umpan Balik": "Laporan tepat waktu"}}, "added_rows": [], "deleted_rows": []}
    at.session_state[f"nilai_ub_perilaku_{staf}_0"] = {
        "edited_rows": {i: {"Umpan Balik": "Konsisten"} for i in range(len(d.perilaku))}, "added_rows": [],
        "deleted_rows": []}
    at.run()
    at.button(key="nilai_ub_simpan").click().run()
    assert not at.exception, at.exception
    assert f"Umpan balik untuk {d.pegawai.nama} disimpan." in texts(at)
    d = ep.evaluasi_detail(org.actors.kasub, staf)
    assert d.feedback_lengkap and d.hasil[0].umpan_balik == "Laporan tepat waktu"
    at.selectbox(key=f"nilai_hk_{staf}_1").set_value(DI_ATAS)
    at.selectbox(key=f"nilai_pk_{staf}_1").set_value(SESUAI).run()
    assert "Predikat: **Baik**" in texts(at)
    at.button(key="nilai_rating_simpan").click().run()
    assert not at.exception, at.exception
    assert _ev(staf).predikat.value == "Baik"


def test_return_to_pegawai_from_the_detail_form(pair):
    org, staf, _ = pair
    at = _open(org, "kasub", "evaluasi_penilaian.py")
    at.text_area(key=f"nilai_kembali_catatan_{staf}_0").input("Bukti dukung belum ada")
    at.button(key="nilai_kembalikan").click().run()
    assert not at.exception, at.exception
    assert _ev(staf).status.value == "DRAFT"


def test_pertimbangan_page_for_ketua(pair):
    org, _, staf2 = pair
    at = _open(org, "ketua", "evaluasi_pertimbangan.py")
    assert at.title[0].value == "Pertimbangan Kinerja"
    assert "**1** evaluasi menunggu pertimbangan" in texts(at)
    at.text_area(key=f"timbang_catatan_{staf2}_0").input("Kinerja melampaui target")
    at.selectbox(key=f"timbang_hk_{staf2}_0").set_value(DI_ATAS)
    at.button(key="timbang_simpan").click().run()
    assert not at.exception, at.exception
    ev = _ev(staf2)
    assert ev.pertimbangan_catatan == "Kinerja melampaui target" and ev.pertimbangan_rating_hasil.value == DI_ATAS


def test_persetujuan_page_approves_the_selection(pair):
    org, staf, staf2 = pair
    for ev_id in (staf, staf2):
        feedback(org, ev_id)
        ep.rate(org.actors.kasub, ev_id, SESUAI, SESUAI)
    at = _open(org, "kepala", "evaluasi_persetujuan.py")
    assert at.title[0].value == "Persetujuan Penilaian"
    assert list(at.dataframe[0].value["Pegawai"]) == ["Andi Wijaya", "Dewi Lestari, S.Si."]
    at.session_state["setuju_antrian__0"] = {"selection": {"rows": [0, 1], "columns": [], "cells": []}}
    at.run()
    at.button(key="setuju_setujui_banyak").click().run()
    assert not at.exception, at.exception
    assert "2 penilaian disetujui dan dikunci." in texts(at)
    assert {_ev(staf).status.value, _ev(staf2).status.value} == {"DISETUJUI"}
    assert "Disetujui (2)" in texts(at)


def test_persetujuan_page_returns_to_penilai_and_reopens(pair):
    org, staf, _ = pair
    feedback(org, staf)
    ep.rate(org.actors.kasub, staf, SESUAI, SESUAI)
    at = _open(org, "kepala", "evaluasi_persetujuan.py")
    at.button(key="setuju_kembalikan").click().run()
    assert "Catatan atasan" in texts(at) and _ev(staf).status.value == "DINILAI"
    at.text_area(key=f"setuju_catatan_{staf}_0").input("Periksa kembali rating perilaku")
    at.button(key="setuju_kembalikan").click().run()
    assert not at.exception, at.exception
    assert _ev(staf).status.value == "DIKEMBALIKAN"

    ep.rate(org.actors.kasub, staf, SESUAI, DI_ATAS)
    ep.approve(org.actors.kepala, staf)
    at = _open(org, "kepala", "evaluasi_persetujuan.py")
    at.text_area(key="setuju_buka_alasan_0").input("Ada keberatan pegawai yang dikabulkan")
    at.button(key="setuju_buka").click().run()
    assert not at.exception, at.exception
    assert _ev(staf).status.value == "DINILAI"
