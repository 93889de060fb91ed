"""Sample documents showing the kop surat as it will print (for the Identitas Kantor page)."""

from __future__ import annotations

from services.core import clock
from services.documents.docx import add_signature_block, add_table, new_document, to_bytes
from services.documents.identity import OfficeIdentity
from services.documents.pdf import PdfDocument, SignatureBlock, tempat_tanggal

CONTOH_ROWS: list[list[object]] = [
    ["1", "Contoh baris tabel dengan teks yang cukup panjang sehingga terbungkus ke baris berikutnya", "Baik", "100,00"],
    ["2", "Baris kedua", None, "87,50"],
]
CONTOH_HEADERS = ["No", "Uraian", "Predikat", "Persentase Capaian (%)"]


def sample_pdf(identity: OfficeIdentity) -> bytes:
    """One A4 page: the kop surat, a title, a small table and the signature blocks of the Kasubbag Adum and
    the Kepala (dotted lines when the org data has none)."""
    pdf = PdfDocument("Contoh kop surat", orientation="P", margins=(15, 12, 15))
    pdf.add_page()
    pdf.kop(identity)
    pdf.title("CONTOH DOKUMEN", "Tampilan kop surat dan blok tanda tangan")
    pdf.table(CONTOH_HEADERS, CONTOH_ROWS, (8, 60, 20, 20), ("C", "L", "C", "R"))
    pdf.ln(4)
    pdf.signature_blocks([SignatureBlock.of(identity.kasubbag, "Kepala Subbagian Administrasi Umum"
                                            if identity.kasubbag is None else None),
                          SignatureBlock.of(identity.kepala, "Kepala" if identity.kepala is None else None)],
                         tempat_tanggal(identity.kota, clock.today()))
    return bytes(pdf.output())


def sample_docx(identity: OfficeIdentity) -> bytes:
    """The same sample as an editable DOCX (kop surat in the page header)."""
    doc = new_document(identity, title="CONTOH DOKUMEN")
    add_table(doc, CONTOH_HEADERS, CONTOH_ROWS, [1.2, 9.0, 2.5, 3.3], align=["C", "L", "C", "R"])
    doc.add_paragraph()
    add_signature_block(doc, identity, identity.kepala, tempat_tanggal(identity.kota, clock.today()),
                        peran=None if identity.kepala else "Kepala")
    return to_bytes(doc)
