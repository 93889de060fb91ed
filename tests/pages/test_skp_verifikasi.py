"""AppTest: Verifikasi SKP (pejabat penilai): approve one, return with notes, approve several via the queue
selection, Ekspektasi Khusus, revision requests, refusals and errors."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from services import skp
from tests import skp_factories as f
from tests.pages.helpers import page, texts

PAGE = "skp_verifikasi.py"
QUEUE = "verif_antrian__0"


@pytest.fixture
def cascade(sqlite_org):
    """Kepala and Kasubbag approved; staf and staf2 submitted to Kasubbag (queue order: staf, staf2)."""
    k = f.kepala_skp(sqlite_org)
    m = f.kasub_skp(sqlite_org, k.rhk)
    staf = f.staff_skp(sqlite_org, "staf", m.rhk[0])
    staf2 = f.staff_skp(sqlite_org, "staf2", m.rhk[0])
    return SimpleNamespace(org=sqlite_org, kepala=k, kasub=m, staf=staf, staf2=staf2,
                           penilai=sqlite_org.usernames["kasub"])


def _status(org, sid: int) -> str:
    return skp.skp_detail(org.actors.admin, sid).status


def _open(c, username: str | None = None):
    at = page(PAGE, username or c.penilai).run()
    assert not at.exception, at.exception
    return at


def test_penilai_sees_queue_and_parent_rhk_beside_each_rhk(cascade):
    at = _open(cascade)
    assert at.title[0].value == "Verifikasi SKP"
    queue = at.dataframe[0].value
    assert list(queue["Pegawai"]) == ["Andi Wijaya", "Dewi Lestari, S.Si."]
    shown = texts(at)
    assert "Terlaksananya dukungan administrasi 1" in shown  # the penilai's own RHK, beside the staff RHK
    assert "Tersusunnya laporan keuangan bulanan" in shown
    assert "Ekspektasi khusus belum diisi untuk 7 dari 7 nilai" in shown
    assert at.selectbox(key="verif_pilih").value == cascade.staf


def test_penilai_approves_one_skp(cascade):
    at = _open(cascade)
    at.button(key="verif_setujui").click().run()
    assert not at.exception, at.exception
    assert _status(cascade.org, cascade.staf) == "DISETUJUI"
    assert "SKP Andi Wijaya disetujui dan dikunci." in [s.value for s in at.success]
    assert list(at.dataframe[0].value["Pegawai"]) == ["Dewi Lestari, S.Si."]
    assert _status(cascade.org, cascade.staf2) == "DIAJUKAN"


def test_penilai_returns_with_overall_and_rhk_note(cascade):
    at = _open(cascade)
    at.selectbox(key="verif_pilih").set_value(cascade.staf2).run()
    rhk_id = skp.skp_detail(cascade.org.actors.kasub, cascade.staf2).rhk[0].id
    at.text_area(key=f"verif_catatan_{cascade.staf2}").input("Target belum realistis")
    at.text_input(key=f"verif_rhk_{cascade.staf2}_{rhk_id}").input("Naikkan target menjadi 12 laporan")
    at.button(key="verif_kembalikan").click().run()
    assert not at.exception, at.exception
    d = skp.skp_detail(cascade.org.actors.admin, cascade.staf2)
    assert d.status == "DIKEMBALIKAN"
    assert d.catatan_pengembalian == "Target belum realistis"
    assert d.rhk[0].catatan_reviu == "Naikkan target menjadi 12 laporan"
    assert "SKP Dewi Lestari, S.Si. dikembalikan untuk diperbaiki." in [s.value for s in at.success]
    assert _status(cascade.org, cascade.staf) == "DIAJUKAN"


def test_return_without_overall_note_shows_error(cascade):
    at = _open(cascade)
    at.button(key="verif_kembalikan").click().run()
    assert not at.exception, at.exception
    assert "SKP tidak dikembalikan:" in [e.value for e in at.error]
    assert "wajib diisi saat mengembalikan SKP" in texts(at)
    assert _status(cascade.org, cascade.staf) == "DIAJUKAN"


def test_approve_several_through_queue_selection(cascade):
    at = _open(cascade)
    at.session_state[QUEUE] = {"selection": {"rows": [0, 1], "columns": [], "cells": []}}
    at.run()
    assert "Andi Wijaya, Dewi Lestari, S.Si." in texts(at)
    at.button(key="verif_setujui_banyak").click().run()  # not confirmed yet: nothing happens
    assert "Centang pernyataan persetujuan terlebih dahulu." in [w.value for w in at.warning]
    assert _status(cascade.org, cascade.staf) == "DIAJUKAN"
    at.checkbox(key="verif_konfirmasi_0").check().run()
    at.button(key="verif_setujui_banyak").click().run()
    assert not at.exception, at.exception
    assert "2 SKP disetujui." in [s.value for s in at.success]
    assert _status(cascade.org, cascade.staf) == "DISETUJUI"
    assert _status(cascade.org, cascade.staf2) == "DISETUJUI"
    assert "Tidak ada SKP yang menunggu verifikasi Anda." in [i.value for i in at.info]


def test_approve_several_lists_errors_by_pegawai(cascade):
    org = cascade.org
    # the penilai's own SKP is reopened for revision: RHK intervening it can no longer be approved
    req = skp.request_revision(org.actors.kasub, cascade.kasub.id, "Perubahan anggaran")
    skp.accept_revision(org.actors.kepala, req)
    at = _open(cascade)
    at.session_state[QUEUE] = {"selection": {"rows": [0, 1], "columns": [], "cells": []}}
    at.run()
    at.checkbox(key="verif_konfirmasi_0").check().run()
    at.button(key="verif_setujui_banyak").click().run()
    assert not at.exception, at.exception
    assert "Tidak ada SKP yang disetujui. Periksa SKP berikut:" in [e.value for e in at.error]
    shown = texts(at)
    assert "Andi Wijaya: RHK Utama 1" in shown and "Dewi Lestari, S.Si.: RHK Utama 1" in shown
    assert "belum disetujui" in shown
    assert _status(org, cascade.staf) == "DIAJUKAN" and _status(org, cascade.staf2) == "DIAJUKAN"


def test_penilai_saves_ekspektasi_khusus(cascade):
    at = _open(cascade)
    d = skp.skp_detail(cascade.org.actors.kasub, cascade.staf)
    at.text_area(key=f"verif_eks_{d.id}_{d.row_version}_1").input("Menanggapi permintaan layanan dalam 1 hari")
    at.text_area(key=f"verif_eks_{d.id}_{d.row_version}_4").input("Menjaga suasana kerja yang kondusif")
    at.button[[b.label for b in at.button].index("Simpan ekspektasi khusus")].click().run()
    assert not at.exception, at.exception
    after = skp.skp_detail(cascade.org.actors.kasub, cascade.staf)
    assert after.perilaku[0].ekspektasi_khusus == "Menanggapi permintaan layanan dalam 1 hari"
    assert after.perilaku[3].ekspektasi_khusus == "Menjaga suasana kerja yang kondusif"
    assert after.perilaku[1].ekspektasi_khusus is None
    assert "Ekspektasi khusus belum diisi untuk 5 dari 7 nilai" in texts(at)


def test_pegawai_who_is_not_penilai_is_refused(cascade):
    at = page(PAGE, cascade.org.usernames["staf"]).run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == ["Anda tidak memiliki akses ke halaman ini."]
    assert not at.dataframe and not at.button


def test_not_logged_in_sees_only_login(cascade):
    at = page(PAGE).run()
    assert not at.exception, at.exception
    assert not at.dataframe and "Verifikasi SKP" not in [t.value for t in at.title]


def test_admin_decides_for_head_of_office(sqlite_org):
    k = f.kepala_skp(sqlite_org, approve=False)
    at = page(PAGE, sqlite_org.usernames["admin"]).run()
    assert not at.exception, at.exception
    assert list(at.dataframe[0].value["Pegawai"]) == ["dr. Ratna Hapsari, M.K.M."]
    assert "Tidak ada pejabat penilai di satuan kerja" in texts(at)
    at.button(key="verif_setujui").click().run()
    assert not at.exception, at.exception
    assert _status(sqlite_org, k.id) == "DISETUJUI"


def test_revision_request_accepted_and_rejected(cascade):
    org = cascade.org
    skp.approve(org.actors.kasub, cascade.staf)
    skp.approve(org.actors.kasub, cascade.staf2)
    r1 = skp.request_revision(org.actors.staf, cascade.staf, "Tugas tambahan dari Kepala Balai")
    r2 = skp.request_revision(org.actors.staf2, cascade.staf2, "Salah ketik satuan")
    at = _open(cascade)
    assert "Tugas tambahan dari Kepala Balai" in texts(at)
    at.button(key=f"verif_rev_tolak_{r2}").click().run()  # rejecting needs a note
    assert "Keputusan tidak disimpan:" in [e.value for e in at.error]
    at.text_input(key=f"verif_rev_catatan_{r2}").input("Cukup diperbaiki pada evaluasi")
    at.button(key=f"verif_rev_tolak_{r2}").click().run()
    assert "Permintaan revisi Dewi Lestari, S.Si. ditolak." in [s.value for s in at.success]
    at.button(key=f"verif_rev_terima_{r1}").click().run()
    assert not at.exception, at.exception
    assert "Permintaan revisi Andi Wijaya diterima." in [s.value for s in at.success]
    d = skp.skp_detail(org.actors.admin, cascade.staf)
    assert d.status == "DRAFT" and d.version_no == 2
    assert _status(org, cascade.staf2) == "DISETUJUI"
    assert "Tidak ada permintaan revisi SKP yang menunggu keputusan Anda." in [i.value for i in at.info]
