"""Documents: the office identity (kop surat, signatories) and the one PDF and DOCX base every generated
document uses. Depends on core and org data only; skp, evaluasi and later packages import it."""

from services.documents.docx import add_signature_block, add_table, new_document, to_bytes, to_pdf
from services.documents.identity import (
    FIELDS,
    OfficeIdentity,
    Signatory,
    head_of_unit,
    identity_from_session,
    office_identity,
    remove_logo,
    update_identity,
    upload_logo,
)
from services.documents.pdf import (
    PdfDocument,
    SignatureBlock,
    nip_line,
    reviewer_block,
    tempat_tanggal,
    to_latin1,
)
from services.documents.sample import sample_docx, sample_pdf

__all__ = [
    "FIELDS",
    "OfficeIdentity",
    "PdfDocument",
    "Signatory",
    "SignatureBlock",
    "add_signature_block",
    "add_table",
    "head_of_unit",
    "identity_from_session",
    "new_document",
    "nip_line",
    "office_identity",
    "remove_logo",
    "reviewer_block",
    "sample_docx",
    "sample_pdf",
    "tempat_tanggal",
    "to_bytes",
    "to_latin1",
    "to_pdf",
    "update_identity",
    "upload_logo",
]
