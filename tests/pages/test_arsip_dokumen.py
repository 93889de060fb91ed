"""AppTest: "Arsip Dokumen" - the register with missing documents flagged, upload for a selected row by the
pejabat penilai, the PDM export button for Admin SDM only, refusal of a plain pegawai."""

from __future__ import annotations

from services.evaluasi import arsip
from tests import evaluasi_factories as ef
from tests.pages.helpers import page, texts


def _setup(org):
    ef.setup(org)
    return ef.make_ev(org, "staf", "Baik")


def test_admin_sees_register_missing_flagged_and_pdm(sqlite_org):
    _setup(sqlite_org)
    at = page("arsip_dokumen.py", sqlite_org.usernames["admin"]).run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Arsip Dokumen"
    df = at.dataframe[0].value
    assert arsip.BELUM in set(df["Keterangan"])
    assert any("Ekspor PDM" in b.label for b in at.get("download_button"))


def test_penilai_uploads_for_selected_row(sqlite_org):
    _setup(sqlite_org)
    at = page("arsip_dokumen.py", sqlite_org.usernames["kasub"]).run()
    assert not at.exception, at.exception
    assert not any("Ekspor PDM" in b.label for b in at.get("download_button"))
    reg = arsip.register(sqlite_org.actors.kasub, sqlite_org.year)
    pos = int(reg.index[(reg["nama"].str.contains("Andi")) & (reg["dokumen"] == "SKP")][0])
    at.session_state[f"arsip_tabel_{sqlite_org.year}"] = {"selection": {"rows": [pos], "columns": [], "cells": []}}
    at.run()
    assert not at.exception, at.exception
    assert "Andi Wijaya" in texts(at)
    key = reg["kunci"].iloc[pos]
    arsip.upload(sqlite_org.actors.kasub, key, "skp.pdf", b"%PDF-1.4\n%%EOF\n")  # the uploader widget itself
    at.run()                                                                    # cannot be driven by AppTest
    assert not at.exception, at.exception
    assert "Ya" in set(at.dataframe[0].value["Diarsipkan"])


def test_pegawai_is_refused(sqlite_org):
    at = page("arsip_dokumen.py", sqlite_org.usernames["staf"]).run()
    assert "Anda tidak memiliki akses ke halaman ini." in texts(at)
