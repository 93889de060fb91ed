"""AppTest: "Cetak & Arsip Evaluasi" — checklist, deferred PDF download, bukti dukung and signed-scan upload
forms by status, archived documents with download buttons, accounts without evaluations."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from db.engine import read_session
from db.models import AuditLog, JenisEvaluasi, StatusEvaluasi
from services.evaluasi import dokumen as dok
from tests import evaluasi_dok_factories as ef
from tests import logbook_factories as lf
from tests.pages.helpers import page, texts


@pytest.fixture
def skps(sqlite_org):
    return lf.approved_skps(sqlite_org, staf2=True)


def downloads(at) -> dict[str, bool]:
    """Download buttons by label -> disabled."""
    return {el.proto.label: el.proto.disabled for el in at.get("download_button")}


def prints() -> int:
    with read_session() as s:
        return s.scalar(select(func.count(AuditLog.id)).where(AuditLog.action == "evaluasi_cetak"))


def test_draft_evaluation_offers_draft_pdf_and_bukti_dukung_upload(sqlite_org, skps):
    org = sqlite_org
    eid = ef.evaluasi(skps.staf2_skp, status=StatusEvaluasi.DRAFT, rated=False)
    did = dok.upload_document(org.actors.staf2, eid, "Bukti Dukung", "laporan.pdf", ef.PDF, "Laporan Januari",
                              ef.rencana_aksi_ids(eid)[0])
    at = page("evaluasi_dokumen.py", org.usernames["staf2"]).run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Cetak & Arsip Evaluasi"
    assert downloads(at) == {"Cetak Evaluasi Kinerja (PDF)": False, "Unduh laporan.pdf (Bukti Dukung)": False}
    assert prints() == 0  # deferred: the PDF is built (and audited) only when the button is clicked
    shown = texts(at)
    assert "PDF dicetak dengan tanda DRAF" in shown
    assert "setelah evaluasi disetujui atasan pejabat penilai" in shown
    assert {"Unggah bukti dukung", "Hapus"} <= {b.label for b in at.button}
    checklist = at.dataframe[0].value
    assert list(checklist["label"]) == [f"Triwulan I {org.year}"]
    assert list(checklist["bukti_dukung"]) == [1]
    docs = at.dataframe[1].value
    assert list(docs["nama_berkas"]) == ["laporan.pdf"] and list(docs["rencana_aksi"]) == ["Menyusun laporan bulan ke-1"]

    at.button(key=f"evdok_hapus_{did}").click().run()
    assert not at.exception, at.exception
    assert "Bukti dukung laporan.pdf dihapus." in texts(at)
    assert dok.documents(org.actors.staf2, eid).empty


def test_approved_evaluations_show_checklist_and_signed_scan_upload(sqlite_org, skps):
    org = sqlite_org
    t1 = ef.evaluasi(skps.staf2_skp)
    ef.evaluasi(skps.staf2_skp, JenisEvaluasi.TAHUNAN, 0)
    dok.upload_document(org.actors.staf2, t1, "Dokumen Ditandatangani", "ttd.pdf", ef.PDF)
    at = page("evaluasi_dokumen.py", org.usernames["staf2"]).run()
    assert not at.exception, at.exception
    checklist = at.dataframe[0].value
    assert list(checklist["label"]) == [f"Triwulan I {org.year}", f"Tahunan {org.year}"]
    assert list(checklist["ditandatangani"]) == [True, False]
    assert f"Belum diarsipkan (sudah disetujui, pindaian bertanda tangan belum diunggah): Tahunan {org.year}" in (
        w.value for w in at.warning)
    assert downloads(at) == {"Cetak Evaluasi Kinerja (PDF)": False, "Unduh ttd.pdf (Dokumen Ditandatangani)": False}
    assert "Unggah ke arsip" in {b.label for b in at.button}
    assert "Hapus" not in {b.label for b in at.button}
    assert "Draf atau Diajukan" in texts(at)

    at.selectbox(key=f"evdok_pilih_{skps.kepala.period_id}").set_value(t1 + 1).run()
    assert not at.exception, at.exception
    assert "Cetak Dokumen Evaluasi Kinerja (PDF)" in downloads(at)
    assert prints() == 0


def test_without_evaluations_and_refusals(sqlite_org):
    at = page("evaluasi_dokumen.py", sqlite_org.usernames["staf2"]).run()
    assert not at.exception, at.exception
    assert "belum memiliki evaluasi kinerja" in at.info[0].value
    at = page("evaluasi_dokumen.py", "admin").run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == ["Anda tidak memiliki akses ke halaman ini."]
