"""services/documents: office identity (read without actor, Admin SDM only to change, logo checks, audit), the
signatories from the org data, and the PDF and DOCX bases (kop surat, header words never broken, Plt./Plh.)."""

from __future__ import annotations

import io
import zipfile

import pytest
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import select, update

from db.engine import read_session
from db.models import AuditLog, Jabatan, Pegawai
from services import documents
from services.core import settings
from services.core.actor import SYSTEM
from services.core.errors import PermissionDenied, ValidationFailed
from services.core.uow import unit_of_work
from services.documents import OfficeIdentity, PdfDocument, Signatory, SignatureBlock


def _png(size=(40, 30), mode="RGBA") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, (0, 120, 60, 255) if mode == "RGBA" else (0, 120, 60)).save(out, "PNG")
    return out.getvalue()


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (50, 40), (200, 0, 0)).save(out, "JPEG")
    return out.getvalue()


def _text(data: bytes) -> str:
    return " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(data)).pages)


def _audit(action: str) -> list[dict]:
    with read_session() as s:
        return [{"username": r.username, "before": r.before, "after": r.after}
                for r in s.scalars(select(AuditLog).where(AuditLog.action == action).order_by(AuditLog.id))]


def test_identity_reads_instansi_and_signatories_from_org(org):
    ident = documents.office_identity()
    assert ident.satker == "Balai Uji Kinerja" and ident.kota == "Medan"
    assert ident.email == "" and ident.logo_png is None
    assert ident.kepala == Signatory("dr. Ratna Hapsari, M.K.M.", "197001012000031001", "Kepala Balai")
    assert ident.kasubbag is not None and ident.kasubbag.nama == "Budi Santoso, S.E."
    assert ident.kasubbag.jabatan == "Kepala Subbagian Administrasi Umum"


def test_signatories_absent_when_the_post_is_vacant(org):
    with unit_of_work(SYSTEM) as s:
        kasub_jab = s.scalar(select(Jabatan.id).where(Jabatan.nama == "Kepala Subbagian Administrasi Umum"))
        s.execute(update(Pegawai).where(Pegawai.jabatan_id == kasub_jab).values(aktif=False))
    ident = documents.office_identity()
    assert ident.kasubbag is None and ident.kepala is not None
    pdf = documents.sample_pdf(ident)  # a vacant post prints dotted lines, never fails
    assert "NIP. ......" in _text(pdf)


def test_update_identity_by_admin_is_audited_and_validated(org):
    a = org.actors
    ident = documents.update_identity(a.admin, instansi="Kementerian  Kesehatan", email="balai@contoh.go.id",
                                      website="https://contoh.go.id", telepon="(061) 123")
    assert ident.instansi == "Kementerian Kesehatan" and ident.email == "balai@contoh.go.id"
    rows = _audit("ubah_identitas_kantor")
    assert rows and rows[-1]["username"] == org.usernames["admin"]
    assert rows[-1]["after"]["email"] == "balai@contoh.go.id" and rows[-1]["before"]["email"] is None
    with pytest.raises(ValidationFailed) as e:
        documents.update_identity(a.admin, satker=" ", email="bukan-email", website="tidak ada")
    msg = str([str(x) for x in e.value.errors])
    assert "Satuan kerja: wajib diisi" in msg and "Pos-el" in msg and "Laman" in msg
    with pytest.raises(ValidationFailed):
        documents.update_identity(a.admin, warna="merah")
    assert documents.office_identity().satker == "Balai Uji Kinerja"  # nothing saved half-way


@pytest.mark.parametrize("who", ["kepala", "kasub", "staf"])
def test_only_admin_sdm_changes_identity_or_logo(org, who):
    actor = getattr(org.actors, who)
    with pytest.raises(PermissionDenied):
        documents.update_identity(actor, kota="Jakarta")
    with pytest.raises(PermissionDenied):
        documents.upload_logo(actor, _png(), "logo.png")
    assert documents.office_identity().kota == "Medan"


def test_upload_logo_checks_content_and_size_and_converts_to_png(org):
    a = org.actors
    ident = documents.upload_logo(a.admin, _jpeg(), "logo.jpg")
    assert ident.logo_png.startswith(b"\x89PNG")
    assert _audit("unggah_logo_kantor")[-1]["after"]["logo_png"].endswith("byte>")
    for bad, why in ((b"", "kosong"), (b"GIF89a....", "bukan gambar PNG atau JPEG"),
                     (b"%PDF-1.4 not an image", "bukan gambar"),
                     (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "rusak")):
        with pytest.raises(ValidationFailed) as e:
            documents.upload_logo(a.admin, bad, "x.png")
        assert why in str(e.value.errors[0]), e.value.errors
    big = b"\xff\xd8\xff" + b"\x00" * (settings.get("unggah_maks_mb") * 1024 * 1024 + 1)
    with pytest.raises(ValidationFailed) as e:
        documents.upload_logo(a.admin, big, "besar.jpg")
    assert "melebihi batas" in str(e.value.errors[0])
    assert documents.office_identity().logo_png == ident.logo_png
    documents.remove_logo(a.admin)
    assert documents.office_identity().logo_png is None


IDENT = OfficeIdentity(instansi="Kementerian Kesehatan", satker="Balai Uji", alamat="Jalan Contoh 1", telepon="(061) 1",
                       email="a@b.go.id", website="https://b.go.id", kota="Medan", logo_png=_png(),
                       kepala=Signatory("Dr. Kepala", "197001012000031001", "Kepala Balai", plt="Plt."),
                       kasubbag=Signatory("Kasub", None, "Kepala Subbagian Administrasi Umum", plt="Plh"))


def test_pdf_base_kop_table_signatures_and_page_numbers():
    pdf = PdfDocument("Uji", orientation="P")
    pdf.add_page()
    pdf.kop(IDENT)
    pdf.title("JUDUL", "Sub judul")
    pdf.table(["No", "Persentase", "Koefisien"], [[1, None, "12,5"]], (6, 12, 12), ("C", "R", "R"))
    pdf.signature_blocks([IDENT.kasubbag, SignatureBlock.of(IDENT.kepala)], "Medan, 1 Juli 2026")
    text = _text(bytes(pdf.output()))
    for part in ("KEMENTERIAN KESEHATAN", "BALAI UJI", "Jalan Contoh 1, Medan", "a@b.go.id", "JUDUL", "Sub judul",
                 "Persentase", "Koefisien", "Plh. Kepala Subbagian", "Plt. Kepala Balai", "Dr. Kepala",
                 "NIP. 197001012000031001", "Medan, 1 Juli 2026", "halaman 1 dari 1"):
        assert part in text, part
    assert "Persentas e" not in text


def test_heading_shrinks_so_no_word_breaks():
    pdf = PdfDocument("Uji")
    pdf.add_page()
    pdf.font("", 8.5)
    assert pdf.heading_size("No", 20) == 8.5
    small = pdf.heading_size("Persentase", 18)
    assert small < 8.5
    assert pdf.font_style == "" and pdf.font_size_pt == 8.5  # measuring leaves the body font alone
    pdf.font("B", small)
    assert pdf.get_string_width("Persentase") <= 18 - 2.4


def test_docx_base_has_kop_in_header_table_and_signature():
    doc = documents.new_document(IDENT, title="LAPORAN")
    documents.add_table(doc, ["No", "Indikator"], [[1, "Capaian"], [2, None]], [1.5, 10])
    documents.add_signature_block(doc, IDENT, IDENT.kepala, "Medan, 1 Juli 2026")
    data = documents.to_bytes(doc)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        header = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("word/header"))
        body = z.read("word/document.xml").decode()
        assert any(n.startswith("word/media/") for n in z.namelist())  # the logo
    assert "BALAI UJI" in header and "w:pBdr" in header
    assert "LAPORAN" in body and "Capaian" in body and "Plt. Kepala Balai" in body and "Dr. Kepala" in body
    sec = doc.sections[0]
    assert round(sec.page_width.cm, 1) == 21.0 and round(sec.left_margin.cm, 1) == 3.0


def test_to_pdf_returns_none_without_libreoffice(monkeypatch):
    monkeypatch.setattr("services.documents.docx.shutil.which", lambda name: None)
    assert documents.to_pdf(b"PK") is None


def test_sample_documents(org):
    ident = documents.office_identity()
    assert "BALAI UJI KINERJA" in _text(documents.sample_pdf(ident))
    assert documents.sample_docx(ident).startswith(b"PK")
