"""Evaluation files: bukti dukung (types by content, size limit, status, owner, rencana aksi link, deletion),
signed scans (only after approval, PDF only, never deleted, superseded), reading rights, the audit rows and the
archive checklist."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile

import pytest
from sqlalchemy import select

from db.engine import read_session
from db.models import AuditLog, EvaluasiDokumen, JenisEvaluasi, StatusEvaluasi
from services.core import settings
from services.core.actor import SYSTEM
from services.core.errors import NotFound, PermissionDenied, ValidationFailed
from services.evaluasi import dokumen as dok
from services.evaluasi import pdf as evaluasi_pdf
from services.evaluasi.common import EvaluasiLocked, EvaluasiStatusError
from tests import evaluasi_dok_factories as ef
from tests import logbook_factories as lf

BUKTI = "Bukti Dukung"
TTD = "Dokumen Ditandatangani"


def _office(kind: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml" if kind == "xlsx" else "word/document.xml", "<x/>")
    return buf.getvalue()


@pytest.fixture
def skps(org):
    return lf.approved_skps(org, staf2=True)


def _field_messages(err: ValidationFailed) -> str:
    return " ".join(f"{e.field}: {e.message}" for e in err.errors)


def test_main_path_bukti_dukung_then_signed_scan(org, skps):
    a = org.actors
    eid = ef.evaluasi(skps.staf2_skp, status=StatusEvaluasi.DRAFT, rated=False)
    ra = ef.rencana_aksi_ids(eid)[0]
    d1 = dok.upload_document(a.staf2, eid, BUKTI, "laporan.pdf", ef.PDF, "Laporan Januari", rencana_aksi_id=ra)
    d2 = dok.upload_document(a.staf2, eid, BUKTI, "../foto kegiatan (1).png", ef.PNG)
    d3 = dok.upload_document(a.staf2, eid, BUKTI, "rekap.xlsx", _office("xlsx"))
    d4 = dok.upload_document(a.staf2, eid, BUKTI, "notulen", _office("docx"))
    d5 = dok.upload_document(a.staf2, eid, BUKTI, "foto.jpeg", ef.JPG)

    with pytest.raises(EvaluasiStatusError, match="setelah evaluasi disetujui"):
        dok.upload_document(a.staf2, eid, TTD, "ttd.pdf", ef.PDF)

    docs = dok.documents(a.kasub, eid)
    assert list(docs["id"]) == [d1, d2, d3, d4, d5]
    assert list(docs["nama_berkas"]) == ["laporan.pdf", "foto kegiatan _1_.png", "rekap.xlsx", "notulen.docx",
                                         "foto.jpeg"]
    assert list(docs["content_type"])[:2] == ["application/pdf", "image/png"]
    assert docs.loc[0, "rencana_aksi"] == "Menyusun laporan bulan ke-1"
    assert docs.loc[0, "sha256"] == hashlib.sha256(ef.PDF).hexdigest()
    assert docs.loc[0, "keterangan"] == "Laporan Januari"
    assert not docs["dapat_dihapus"].any()  # kasub is not the uploader
    assert dok.documents(a.staf2, eid)["dapat_dihapus"].all()
    assert dok.document_content(a.ketua, d2) == ("foto kegiatan _1_.png", "image/png", ef.PNG)

    ef.set_status(eid, StatusEvaluasi.DISETUJUI)
    with pytest.raises(EvaluasiStatusError, match="Draf atau Diajukan"):
        dok.upload_document(a.staf2, eid, BUKTI, "terlambat.pdf", ef.PDF)
    s1 = dok.upload_document(a.staf2, eid, TTD, "evaluasi ttd.pdf", ef.PDF)
    s2 = dok.upload_document(a.kasub, eid, TTD, "scan", ef.PDF + b"v2", "pindaian ulang")
    docs = dok.documents(a.staf2, eid).set_index("id")
    assert docs.loc[s2, "nama_berkas"] == "scan.pdf"
    assert (bool(docs.loc[s1, "berlaku"]), bool(docs.loc[s2, "berlaku"])) == (False, True)
    assert not docs["dapat_dihapus"].any()  # approved: nothing may be deleted

    with read_session() as s:
        rows = s.execute(select(AuditLog.username, AuditLog.entity, AuditLog.after).where(
            AuditLog.action == "unggah_dokumen").order_by(AuditLog.id)).all()
    assert [r.entity for r in rows] == ["EvaluasiDokumen"] * 7
    assert rows[-1].username == org.usernames["kasub"]
    assert rows[0].after["content"] == f"<{len(ef.PDF)} byte>"  # content never copied into the audit log


def test_wrong_types_sizes_and_links_are_refused(org, skps):
    a = org.actors
    eid = ef.evaluasi(skps.staf2_skp, status=StatusEvaluasi.DIAJUKAN, rated=False)
    cases = [
        (BUKTI, "virus.exe", b"MZ\x90\x00", "jenis berkas tidak dikenali"),
        (BUKTI, "palsu.pdf", b"bukan pdf", "jenis berkas tidak dikenali"),
        (BUKTI, "arsip.zip", _office("xlsx").replace(b"xl/workbook", b"xx/workbook"), "tidak dikenali"),
        (BUKTI, "kosong.pdf", b"", "berkas kosong"),
    ]
    for jenis, name, data, message in cases:
        with pytest.raises(ValidationFailed) as e:
            dok.upload_document(a.staf2, eid, jenis, name, data)
        assert message in _field_messages(e.value), name
    with pytest.raises(ValidationFailed) as e:
        dok.upload_document(a.staf2, eid, "Surat", "x.pdf", ef.PDF)
    assert "Jenis dokumen" in _field_messages(e.value)

    settings.update_many(a.admin, {"unggah_maks_mb": 1})
    big = b"%PDF-1.4\n" + b"0" * (1024 * 1024)
    with pytest.raises(ValidationFailed) as e:
        dok.upload_document(a.staf2, eid, BUKTI, "besar.pdf", big)
    assert "melebihi batas 1 MB" in _field_messages(e.value)
    assert dok.upload_document(a.staf2, eid, BUKTI, "pas.pdf", big[: 1024 * 1024])

    other = ef.evaluasi(skps.staf2_skp, nomor=2, status=StatusEvaluasi.DRAFT, rated=False)
    with pytest.raises(ValidationFailed) as e:
        dok.upload_document(a.staf2, eid, BUKTI, "x.pdf", ef.PDF, rencana_aksi_id=ef.rencana_aksi_ids(other)[0])
    assert "bukan rencana aksi evaluasi ini" in _field_messages(e.value)

    ef.set_status(eid, StatusEvaluasi.DISETUJUI)
    with pytest.raises(ValidationFailed) as e:
        dok.upload_document(a.staf2, eid, TTD, "foto.png", ef.PNG)
    assert "bukan berkas PDF" in _field_messages(e.value)
    assert list(dok.documents(a.staf2, eid)["nama_berkas"]) == ["pas.pdf"]


def test_outsiders_and_wrong_roles_are_refused(org, skps):
    a = org.actors
    eid = ef.evaluasi(skps.staf2_skp, status=StatusEvaluasi.DRAFT, rated=False)
    d = dok.upload_document(a.staf2, eid, BUKTI, "bukti.pdf", ef.PDF)
    for who in (a.kasub, a.ketua, a.staf, a.admin):  # only the pegawai uploads bukti dukung
        with pytest.raises(PermissionDenied):
            dok.upload_document(who, eid, BUKTI, "x.pdf", ef.PDF)
    with pytest.raises(PermissionDenied):
        dok.documents(a.staf, eid)
    with pytest.raises(PermissionDenied):
        dok.document_content(a.staf, d)
    with pytest.raises(NotFound):
        dok.document_content(a.staf2, d + 999)
    ef.set_status(eid, StatusEvaluasi.DISETUJUI)
    for who in (a.staf, a.ketua):  # outsider, pemberi pertimbangan
        with pytest.raises(PermissionDenied):
            dok.upload_document(who, eid, TTD, "ttd.pdf", ef.PDF)
    assert dok.upload_document(a.admin, eid, TTD, "ttd.pdf", ef.PDF) > d
    assert dok.upload_document(a.kepala, eid, TTD, "ttd.pdf", ef.PDF) > d  # the atasan archives too (SOP 004 step 6)


def test_delete_rules(org, skps):
    a = org.actors
    eid = ef.evaluasi(skps.staf2_skp, status=StatusEvaluasi.DIAJUKAN, rated=False)
    keep = dok.upload_document(a.staf2, eid, BUKTI, "tetap.pdf", ef.PDF)
    gone = dok.upload_document(a.staf2, eid, BUKTI, "hapus.pdf", ef.PDF)
    with pytest.raises(PermissionDenied, match="pengunggah"):
        dok.delete_document(a.kasub, gone)
    with pytest.raises(PermissionDenied):
        dok.delete_document(a.staf, gone)
    dok.delete_document(a.staf2, gone)
    assert list(dok.documents(a.staf2, eid)["id"]) == [keep]
    with pytest.raises(NotFound):
        dok.delete_document(a.staf2, gone)
    with read_session() as s:
        row = s.execute(select(AuditLog).where(AuditLog.action == "hapus_dokumen")).scalar_one()
        assert (row.entity, row.entity_id, row.username) == ("EvaluasiDokumen", str(gone), org.usernames["staf2"])
        assert row.before["filename"] == "hapus.pdf"

    ef.set_status(eid, StatusEvaluasi.DISETUJUI)
    with pytest.raises(EvaluasiLocked):
        dok.delete_document(a.staf2, keep)
    scan = dok.upload_document(a.staf2, eid, TTD, "ttd.pdf", ef.PDF)
    with pytest.raises(EvaluasiStatusError, match="tidak dapat dihapus"):
        dok.delete_document(a.staf2, scan)
    with read_session() as s:
        assert s.scalar(select(EvaluasiDokumen.id).where(EvaluasiDokumen.id == scan)) == scan


def test_archive_status_checklist(org, skps):
    a = org.actors
    t1 = ef.evaluasi(skps.staf2_skp, nomor=1)
    t2 = ef.evaluasi(skps.staf2_skp, nomor=2, status=StatusEvaluasi.DINILAI)
    th = ef.evaluasi(skps.staf2_skp, JenisEvaluasi.TAHUNAN, 0)
    ef.evaluasi(skps.staf_skp, nomor=1)  # someone else's evaluation is not listed
    pid = lf.f.period_id(org)

    st = dok.archive_status(a.staf2, pid).set_index("id")
    assert list(st.index) == [t1, t2, th]
    assert list(st["label"]) == [f"Triwulan I {org.year}", f"Triwulan II {org.year}", f"Tahunan {org.year}"]
    assert list(st["disetujui"]) == [True, False, True]
    assert not st["dicetak"].any() and not st["ditandatangani"].any()
    assert list(st["perlu_arsip"]) == [True, False, True]

    evaluasi_pdf.evaluasi_pdf(a.staf2, t1, dt.date(2026, 11, 2))
    evaluasi_pdf.evaluasi_pdf(a.staf2, t2, dt.date(2026, 11, 2))  # a draft print does not count
    dok.upload_document(a.staf2, t1, TTD, "ttd.pdf", ef.PDF)
    st = dok.archive_status(a.staf2, pid).set_index("id")
    assert (bool(st.loc[t1, "dicetak"]), bool(st.loc[t1, "ditandatangani"]), bool(st.loc[t1, "perlu_arsip"])) == (
        True, True, False)
    assert st.loc[t1, "dokumen_ttd"] == "ttd.pdf"
    assert not st.loc[t2, "dicetak"]
    assert list(dok.periods_of(a.staf2)["id"]) == [pid]
    assert dok.archive_status(SYSTEM, pid).empty and dok.periods_of(a.admin).empty


def test_arsip_info_for_the_page(org, skps):
    a = org.actors
    eid = ef.evaluasi(skps.staf2_skp, status=StatusEvaluasi.DRAFT, rated=False)
    info = dok.arsip_info(a.staf2, eid)
    assert info.can_upload_bukti and not info.can_upload_signed
    assert info.pdf_filename == f"Evaluasi_Kinerja_199104042019022004_{org.year}-T1.pdf"
    assert [label.split(" · ")[1] for _, label in info.rencana_aksi] == ["Menyusun laporan bulan ke-1"]
    assert "setelah evaluasi disetujui" in info.signed_alasan
    kasub = dok.arsip_info(a.kasub, eid)
    assert not kasub.can_upload_bukti and "pemilik" in kasub.bukti_alasan
    ef.set_status(eid, StatusEvaluasi.DISETUJUI)
    info = dok.arsip_info(a.staf2, eid)
    assert info.disetujui and info.can_upload_signed and not info.can_upload_bukti
    with pytest.raises(PermissionDenied):
        dok.arsip_info(a.staf, eid)
