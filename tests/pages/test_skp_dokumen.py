"""AppTest: "Cetak & Arsip SKP" — PDF button off for a draft and on when approved, archived documents after an
upload, version history and the comparison of two versions, accounts without pegawai data."""

from __future__ import annotations

import sys
import types

import pytest

from db.models import Role
from services import skp
from services.core.actor import Actor
from tests import skp_factories as f
from tests.pages.helpers import page, texts
from ui import guard

PDF = b"%PDF-1.4\n% signed scan\n%%EOF\n"


@pytest.fixture
def cascade(sqlite_org):
    k = f.kepala_skp(sqlite_org)
    m = f.kasub_skp(sqlite_org, k.rhk)
    return sqlite_org, m


@pytest.fixture
def fake_pdf(monkeypatch):
    """services.skp_pdf is written separately: the page only needs `skp_pdf(actor, skp_id) -> bytes`."""
    calls = []
    module = types.ModuleType("services.skp_pdf")

    def skp_pdf(actor, skp_id):
        calls.append((actor.username, skp_id))
        return b"%PDF-1.4 SKP"

    module.skp_pdf = skp_pdf
    monkeypatch.setitem(sys.modules, "services.skp_pdf", module)
    return calls


def downloads(at) -> dict[str, bool]:
    """Download buttons by label -> disabled."""
    return {el.proto.label: el.proto.disabled for el in at.get("download_button")}


def dokumen_page(org):
    return page("skp_dokumen.py", org.usernames["staf"])


def test_pdf_button_is_disabled_for_a_draft_and_says_why(cascade, fake_pdf):
    org, m = cascade
    f.staff_skp(org, "staf", m.rhk[0], submit=False)
    at = dokumen_page(org).run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Cetak & Arsip SKP"
    assert downloads(at) == {"Cetak SKP (PDF)": True}
    shown = texts(at)
    assert "berstatus Draft: PDF dapat dicetak setelah SKP disetujui" in shown
    assert "dapat diunggah setelah SKP disetujui" in shown
    assert fake_pdf == []  # no PDF built for a draft


def test_approved_skp_prints_and_lists_archived_documents(cascade, fake_pdf):
    org, m = cascade
    sid = f.staff_skp(org, "staf", m.rhk[0])
    skp.approve(org.actors.kasub, sid)
    skp.upload_signed_scan(org.actors.staf, sid, "skp_ttd.pdf", PDF, "Ditandatangani 5 Januari")
    at = dokumen_page(org).run()
    assert not at.exception, at.exception
    assert downloads(at) == {"Cetak SKP (PDF)": False, "Unduh skp_ttd.pdf (versi 1)": False}
    assert fake_pdf == []  # deferred: built (and audited as a print) only when the button is clicked
    overview, docs = at.dataframe[0].value, at.dataframe[1].value
    assert list(overview["dokumen"]) == [1] and list(overview["status_label"]) == ["Disetujui"]
    assert list(docs["nama_berkas"]) == ["skp_ttd.pdf"] and list(docs["keterangan"]) == ["Ditandatangani 5 Januari"]
    assert "Unggah ke arsip" in [b.label for b in at.button]
    at.run()
    assert fake_pdf == []


def test_version_history_and_diff_between_two_versions(cascade, fake_pdf):
    org, m = cascade
    a = org.actors
    sid = f.staff_skp(org, "staf", m.rhk[0])
    skp.approve(a.kasub, sid)
    req = skp.request_revision(a.staf, sid, "Ada tugas tambahan dari pimpinan")
    skp.accept_revision(a.kasub, req)
    g = skp.grid(a.staf, sid)
    skp.save_rhk_grid(a.staf, sid, [g.iloc[0].to_dict() | {"target_min": 24, "_row": 1}], [])
    skp.submit(a.staf, sid)
    skp.approve(a.kasub, sid)
    at = dokumen_page(org).run()
    assert not at.exception, at.exception
    versions = next(df.value for df in at.dataframe if "Keterangan" in df.value.columns)
    assert list(versions["Versi"]) == [1, 2]
    assert list(versions["Keterangan"]) == ["Penetapan SKP", "Ada tugas tambahan dari pimpinan"]
    diff = at.dataframe[-1].value
    assert list(diff.columns) == ["Bagian", "Perubahan", "RHK / daftar", "Kolom", "Versi 1", "Versi 2"]
    changed = diff[diff["Bagian"] == "IKI"].iloc[0]
    assert changed["Perubahan"] == "Diubah" and "12" in changed["Versi 1"] and "24" in changed["Versi 2"]
    at.selectbox(key=f"skp_diff_b_{sid}").set_value(1).run()
    assert "Pilih dua versi yang berbeda." in texts(at)


def test_no_skp_yet_points_to_skp_saya(sqlite_org):
    at = page("skp_dokumen.py", sqlite_org.usernames["staf2"]).run()
    assert not at.exception, at.exception
    assert "Anda belum memiliki SKP" in at.info[0].value


def test_admin_refused_and_account_without_pegawai_gets_an_info(sqlite_org, monkeypatch):
    at = page("skp_dokumen.py", "admin").run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == ["Anda tidak memiliki akses ke halaman ini."]
    nobody = Actor(user_id=1, username="admin", nama="Administrator SDM", roles=frozenset({Role.PEGAWAI}))
    monkeypatch.setattr(guard, "page_actor", lambda _file: nobody)
    at = page("skp_dokumen.py", "admin").run()
    assert not at.exception, at.exception
    assert "tidak terhubung dengan data pegawai" in at.info[0].value
