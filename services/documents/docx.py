"""The one DOCX base (python-docx) for documents an office edits further (Laporan Kinerja, notulen, …): A4 with
the usual Indonesian government margins, the kop surat in the page header, plain styles, tables and signature
blocks; `to_pdf` converts with LibreOffice when it is installed.
"""

from __future__ import annotations

import contextlib
import io
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

import docx
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from services.documents.identity import OfficeIdentity, Signatory
from services.documents.pdf import KOSONG, nip_line, plt_prefix

__all__ = ["add_signature_block", "add_table", "new_document", "to_pdf"]

FONT = "Arial"
BODY_PT = 11
CONVERT_TIMEOUT_S = 120


def _bottom_border(paragraph, size: int = 18) -> None:
    """A rule under a paragraph (w:pBdr/w:bottom; size in eighths of a point)."""
    p_pr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "thinThickSmallGap" if size >= 18 else "single")
    bottom.set(qn("w:sz"), str(size))
    bottom.set(qn("w:space"), "1")
    bottom.set(qn("w:color"), "000000")
    borders.append(bottom)
    p_pr.append(borders)


def _set_widths(table, widths) -> None:
    """Fixed column widths that Word and LibreOffice both honour (grid columns and every cell)."""
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)
    for col, w in zip(table.columns, widths, strict=False):
        col.width = w
    for row in table.rows:
        for cell, w in zip(row.cells, widths, strict=False):
            cell.width = w


def _styles(doc: Document) -> None:
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    r_pr = normal.element.get_or_add_rPr()
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    normal.paragraph_format.space_after = Pt(4)
    normal.paragraph_format.line_spacing = 1.15
    for name, size in (("Title", 14), ("Heading 1", 13), ("Heading 2", 12), ("Heading 3", 11)):
        st = doc.styles[name]
        st.font.name = FONT
        st.font.size = Pt(size)
        st.font.bold = True
        st.font.color.rgb = RGBColor(0, 0, 0)
    doc.styles["Title"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.core_properties.language = "id-ID"


def _kop(doc: Document, identity: OfficeIdentity) -> None:
    header = doc.sections[0].header
    header.is_linked_to_previous = False
    width = doc.sections[0].page_width - doc.sections[0].left_margin - doc.sections[0].right_margin  # type: ignore[operator]
    logo_w = Cm(2.4)
    table = header.add_table(rows=1, cols=3, width=width)  # type: ignore[arg-type]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _set_widths(table, (logo_w, width - 2 * logo_w, logo_w))
    logo_cell, text_cell, _ = table.rows[0].cells
    if identity.logo_png:
        with contextlib.suppress(Exception):  # a broken logo must never stop a document
            logo_cell.paragraphs[0].add_run().add_picture(io.BytesIO(identity.logo_png), height=Cm(2.2))
    lines: list[tuple[str, float, bool]] = [(part.strip().upper(), 12, True)
                                           for part in (identity.instansi or "").splitlines() if part.strip()]
    lines.append(((identity.satker or "-").upper(), 14, True))
    if identity.alamat_lengkap:
        lines.append((" ".join(identity.alamat_lengkap.split()), 9, False))
    if identity.kontak:
        lines.append((identity.kontak, 8.5, False))
    first = True
    for text, size, bold in lines:
        p = text_cell.paragraphs[0] if first else text_cell.add_paragraph()
        first = False
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.space_after = Pt(0)
        run = p.add_run(text)
        run.font.size = Pt(size)
        run.bold = bold
    rule = header.paragraphs[0] if not header.paragraphs[0].text and len(header.paragraphs) == 1 else \
        header.add_paragraph()
    # python-docx puts the empty default paragraph before the table; the rule must come after it
    header._element.remove(rule._p)
    header._element.append(rule._p)
    rule.paragraph_format.space_after = Pt(6)
    _bottom_border(rule)


def new_document(identity: OfficeIdentity, *, title: str | None = None, landscape: bool = False) -> Document:
    """An A4 document (margins 3 cm left, 2.5 cm elsewhere; landscape on request) with the kop surat in the
    page header, Arial 11 pt styles in Indonesian, and an optional centred title."""
    doc = docx.Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    section.left_margin = Cm(3.0)
    section.right_margin = section.top_margin = section.bottom_margin = Cm(2.5)
    section.header_distance = Cm(1.0)
    _styles(doc)
    _kop(doc, identity)
    if title:
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.space_after = Pt(12)
        run = p.add_run(title)
        run.bold = True
        run.font.size = Pt(14)
    return doc


def _shade(cell, fill: str = "E1E1E1") -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tc_pr.append(shd)


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def add_table(doc: Document, headers: Sequence[str], rows: Sequence[Sequence[object]],
              widths_cm: Sequence[float] | None = None, *, align: Sequence[str] | None = None, size: float = 10):
    """A bordered table with a grey bold header row repeated on every page; None prints as "-".
    `align` per column: "L", "C" or "R". Returns the python-docx table."""
    n = len(headers)
    table = doc.add_table(rows=1, cols=n)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    aligns = {"L": WD_ALIGN_PARAGRAPH.LEFT, "C": WD_ALIGN_PARAGRAPH.CENTER, "R": WD_ALIGN_PARAGRAPH.RIGHT}
    col_align = [aligns.get((a or "L").upper()[:1], WD_ALIGN_PARAGRAPH.LEFT) for a in (align or ["L"] * n)]
    head = table.rows[0]
    _repeat_header(head)
    for cell, text in zip(head.cells, headers, strict=True):
        cell.text = ""
        p = cell.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(str(text))
        run.bold = True
        run.font.size = Pt(size)
        _shade(cell)
    for values in rows:
        cells = table.add_row().cells
        for i, (cell, value) in enumerate(zip(cells, values, strict=False)):
            p = cell.paragraphs[0]
            p.alignment = col_align[i] if i < len(col_align) else WD_ALIGN_PARAGRAPH.LEFT
            p.paragraph_format.space_after = Pt(0)
            run = p.add_run("-" if value is None else str(value))
            run.font.size = Pt(size)
    if widths_cm:
        _set_widths(table, [Cm(w) for w in widths_cm])
    return table


def add_signature_block(doc: Document, identity: OfficeIdentity, signatory: Signatory | None,
                        kota_tanggal: str | None = None, *, peran: str | None = None) -> None:
    """A signature block on the right half of the page: "Medan, 5 Desember 2026", the jabatan (with "Plt."/
    "Plh." when the signatory acts), space to sign, the name (bold, underlined) and the NIP. `kota_tanggal`
    defaults to the office's city alone; an absent signatory prints dotted lines."""
    table = doc.add_table(rows=1, cols=2)
    section = doc.sections[-1]
    half = (section.page_width - section.left_margin - section.right_margin) // 2  # type: ignore[operator]
    _set_widths(table, (half, half))
    cell = table.rows[0].cells[1]
    jabatan = peran or (signatory.jabatan if signatory else "")
    prefix = plt_prefix(signatory.plt if signatory else None)
    lines: list[tuple[str, bool, bool]] = [(kota_tanggal or identity.kota or "", False, False),
                                           (prefix + jabatan, False, False), ("", False, False),
                                           ("", False, False), ("", False, False),
                                           (signatory.nama if signatory else KOSONG, True, True),
                                           (nip_line(signatory.nip if signatory else None), False, False)]
    for i, (text, bold, underline) in enumerate(lines):
        p = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.space_after = Pt(0)
        run = p.add_run(text)
        run.bold = bold
        run.underline = underline


def to_pdf(docx_bytes: bytes) -> bytes | None:
    """The DOCX converted to PDF by `libreoffice --headless --convert-to pdf`; None when LibreOffice is not
    installed or the conversion fails (the caller then offers the DOCX only)."""
    exe = shutil.which("libreoffice") or shutil.which("soffice")
    if exe is None:
        return None
    with tempfile.TemporaryDirectory(prefix="ekinerja-docx-") as tmp:
        src = Path(tmp) / "dokumen.docx"
        src.write_bytes(docx_bytes)
        profile = Path(tmp) / "profile"
        try:
            subprocess.run(  # noqa: S603 - fixed argument list on our own temporary files
                [exe, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                 "--outdir", tmp, str(src)], capture_output=True, timeout=CONVERT_TIMEOUT_S, check=False)
        except (OSError, subprocess.TimeoutExpired):
            return None
        out = Path(tmp) / "dokumen.pdf"
        return out.read_bytes() if out.is_file() and out.stat().st_size > 0 else None


def to_bytes(doc: Document) -> bytes:
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
