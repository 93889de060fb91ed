"""The SKP document ("Cetak SKP") as PDF in the official layout of PermenPANRB 6/2022 (domain.md §2.2, §2.6,
§2.7, §2.14): header, identity of the pegawai and the pejabat penilai, Hasil Kerja (A. Utama, B. Tambahan),
Perilaku Kerja (BerAKHLAK with Ekspektasi Khusus Pimpinan), Lampiran, place and date, signature blocks.

Text is set in DejaVu Sans when the font files exist (full Unicode); otherwise in the core Helvetica font with
every string converted to latin-1 (`to_latin1`). An SKP that is not yet approved prints with a DRAFT watermark
and banner; the official print is the approved one. Every print is recorded in the audit log ("skp_cetak").
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import CellBordersLayout
from fpdf.fonts import FontFace

from db.models import FormatSkp, JenisLampiran, JenisRhk, StatusSkp
from domain import parse_nip
from services.core import audit, clock, fmt
from services.core.actor import Actor
from services.core.uow import unit_of_work
from services.skp.workflow import Orang, RhkView, SkpDetail, skp_detail

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
FAMILY_UNICODE = "DejaVu"
FAMILY_CORE = "Helvetica"

BODY_PT = 8.5
GREY = (225, 225, 225)
SIGN_BLOCK_MM = 40
SIGN_SPACE_MM = 16

JUDUL_FORMAT = {
    FormatSkp.JPT.value: "BAGI PEJABAT PIMPINAN TINGGI DAN PIMPINAN UNIT KERJA MANDIRI",
    FormatSkp.JA_JF.value: "BAGI PEJABAT ADMINISTRASI DAN PEJABAT FUNGSIONAL",
}

_REPLACE = {
    "\u2013": "-", "\u2014": "-", "\u2012": "-", "\u2212": "-", "\u2010": "-", "\u2011": "-",
    "\u00b7": "-", "\u2022": "-", "\u25cf": "-", "\u2219": "-",
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u2026": "...", "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u200b": "",
    "\u2264": "<=", "\u2265": ">=", "\u2192": "->", "\u2190": "<-", "\u2260": "!=",
}


def to_latin1(text: str) -> str:
    """Text the core PDF fonts can show: known punctuation mapped to ASCII, accents kept where latin-1 has
    them, other characters decomposed (NFKD) or replaced by "?"."""
    out: list[str] = []
    for ch in str(text):
        ch = _REPLACE.get(ch, ch)
        try:
            ch.encode("latin-1")
        except UnicodeEncodeError:
            base = unicodedata.normalize("NFKD", ch).encode("latin-1", "ignore").decode("latin-1")
            base = "".join(b for b in base if not unicodedata.combining(b))
            out.append(base or "?")
        else:
            out.append(ch)
    return "".join(out)


def _font_paths() -> dict[str, Path] | None:
    paths = {style: FONT_DIR / name for style, name in FONT_FILES.items()}
    return paths if all(p.is_file() for p in paths.values()) else None


class _Doc(FPDF):
    """A4 landscape with the font chosen once; `t()` makes any text printable in that font."""

    def __init__(self, banner: str | None, footer: str) -> None:
        super().__init__(orientation="L", unit="mm", format="A4")
        paths = _font_paths()
        self.unicode = paths is not None
        if paths:
            for style, path in paths.items():
                self.add_font(FAMILY_UNICODE, style, str(path))
        self.family = FAMILY_UNICODE if self.unicode else FAMILY_CORE
        self.banner = banner
        self.footer_text = footer
        self.set_margins(10, 10, 10)
        self.set_auto_page_break(True, margin=12)
        self.set_title(footer)
        self.set_creator("e-Kinerja")

    def t(self, text: object) -> str:
        s = "" if text is None else str(text)
        return s if self.unicode else to_latin1(s)

    def font(self, style: str = "", size: float = BODY_PT) -> None:
        self.set_font(self.family, style, size)

    def header(self) -> None:
        if not self.banner:
            return
        self.font("B", 90)
        self.set_text_color(240, 215, 215)
        word = "DRAFT"
        with self.rotation(25, x=self.w / 2, y=self.h / 2):
            self.text(self.w / 2 - self.get_string_width(word) / 2, self.h / 2 + 12, word)
        self.font("B", 9)
        self.set_text_color(170, 0, 0)
        self.cell(0, 5, self.t(self.banner), align="C", new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(0, 0, 0)

    def footer(self) -> None:
        self.set_y(-10)
        self.font("", 7)
        self.set_text_color(110, 110, 110)
        self.cell(0, 5, self.t(f"{self.footer_text} - halaman {self.page_no()} dari {{nb}}"), align="R")
        self.set_text_color(0, 0, 0)

    def line_text(self, text: str, style: str = "", size: float = BODY_PT, align: str = "L", h: float = 5) -> None:
        self.font(style, size)
        self.multi_cell(0, h, self.t(text), align=align, new_x="LMARGIN", new_y="NEXT")


# --- public --------------------------------------------------------------------------------------------------


def skp_pdf(actor: Actor, skp_id: int, today: dt.date | None = None) -> bytes:
    """The SKP as PDF bytes for anyone who may read it; the print is recorded in the audit log."""
    d = skp_detail(actor, skp_id, today)  # checks the permission to read
    data = render(d, today)
    with unit_of_work(actor, action="skp_cetak") as s:
        audit.record(s, actor, "skp_cetak", "Skp", d.id,
                     note=f"Cetak SKP {d.pegawai.nama} tahun {d.tahun} versi {d.version_no} ({d.status_label})")
    return data


def filename(d: SkpDetail) -> str:
    """SKP_2026_199003032015031003_v1.pdf (segment and draft marked)."""
    seg = f"_segmen{d.segment_no}" if d.segment_no > 1 else ""
    draft = "" if d.status == StatusSkp.DISETUJUI.value else "_DRAFT"
    return f"SKP_{d.tahun}_{d.pegawai.nip}{seg}_v{d.version_no}{draft}.pdf"


def render(d: SkpDetail, today: dt.date | None = None) -> bytes:
    """Lay out an SkpDetail (no permission check and no audit: use `skp_pdf`)."""
    banner = None
    if d.status != StatusSkp.DISETUJUI.value:
        banner = f"DRAFT — belum disetujui (status: {d.status_label}); bukan dokumen resmi"
    pdf = _Doc(banner, f"SKP {d.pegawai.nama} - {d.pegawai.nip} - tahun {d.tahun} versi {d.version_no}")
    pdf.add_page()
    _header(pdf, d, "SASARAN KINERJA PEGAWAI")
    _identity(pdf, d)
    _hasil_kerja(pdf, d)
    _perilaku(pdf, d)
    _signatures(pdf, d, today)
    pdf.add_page()
    _header(pdf, d, "LAMPIRAN SASARAN KINERJA PEGAWAI")
    _lampiran(pdf, d)
    _signatures(pdf, d, today)
    return bytes(pdf.output())


# --- parts ---------------------------------------------------------------------------------------------------


def periode_label(mulai: dt.date, selesai: dt.date) -> str:
    """'1 Januari s.d. 31 Desember 2026' (years repeated only when they differ)."""
    first = fmt.tanggal(mulai, "d MMMM") if mulai.year == selesai.year else fmt.tanggal(mulai)
    return f"{first} s.d. {fmt.tanggal(selesai)}"


def tanggal_ttd(d: SkpDetail, today: dt.date | None = None) -> str:
    """'Medan, 31 Januari 2026': the instansi's city and the approval date (today for a draft)."""
    if d.status == StatusSkp.DISETUJUI.value and d.decided_at is not None:
        moment = d.decided_at if d.decided_at.tzinfo else d.decided_at.replace(tzinfo=dt.UTC)
        day = moment.astimezone().date()
    else:
        day = today or clock.today()
    kota = (d.kota or "").strip()
    return f"{kota}, {fmt.tanggal(day)}" if kota else fmt.tanggal(day)


def _header(pdf: _Doc, d: SkpDetail, judul: str) -> None:
    pdf.line_text(judul, "B", 12, "C", 6)
    pdf.line_text(f"PENDEKATAN HASIL KERJA {d.pendekatan.upper()}", "B", 10, "C", 5)
    pdf.line_text(JUDUL_FORMAT.get(d.format, ""), "B", 9, "C", 5)
    pdf.ln(2)
    pdf.font("B", 9)
    half = (pdf.w - pdf.l_margin - pdf.r_margin) / 2
    pdf.cell(half, 5, pdf.t((d.instansi or "-").upper()))
    periode = f"Periode Penilaian: {periode_label(d.tanggal_mulai, d.tanggal_selesai)}"
    if d.segment_no > 1:
        periode += f" (segmen {d.segment_no})"
    pdf.cell(half, 5, pdf.t(periode), align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)


def _nip_label(nip: str | None) -> str:
    try:
        return parse_nip(nip or "").label
    except ValueError:
        return "NIP"


def _orang_rows(o: Orang | None) -> list[tuple[str, str]]:
    if o is None:
        return [("Nama", "-"), ("NIP", "-"), ("Pangkat/Gol. Ruang", "-"), ("Jabatan", "-"), ("Unit Kerja", "-")]
    return [("Nama", o.nama), (_nip_label(o.nip), o.nip), ("Pangkat/Gol. Ruang", o.pangkat_golongan),
            ("Jabatan", o.jabatan or "-"), ("Unit Kerja", o.unit or "-")]


def _table(pdf: _Doc, widths: tuple[float, ...], **kw):
    pdf.font("", BODY_PT)
    opts = dict(col_widths=widths, width=pdf.epw, text_align="LEFT", line_height=pdf.font_size * 1.45,
                headings_style=FontFace(emphasis="BOLD", fill_color=GREY), padding=1.2, repeat_headings=1,
                v_align="TOP")
    opts.update(kw)
    return pdf.table(**opts)


def _identity(pdf: _Doc, d: SkpDetail) -> None:
    with _table(pdf, (9, 33, 96, 9, 33, 96)) as t:
        head = t.row()
        head.cell("No", align="C")
        head.cell(pdf.t("PEGAWAI YANG DINILAI"), colspan=2)
        head.cell("No", align="C")
        head.cell(pdf.t("PEJABAT PENILAI KINERJA"), colspan=2)
        for n, (left, right) in enumerate(zip(_orang_rows(d.pegawai), _orang_rows(d.penilai), strict=True), start=1):
            row = t.row()
            row.cell(str(n), align="C")
            row.cell(pdf.t(left[0]))
            row.cell(pdf.t(left[1]))
            row.cell(str(n), align="C")
            row.cell(pdf.t(right[0]))
            row.cell(pdf.t(right[1]))
    pdf.ln(3)


def _parents_text(r: RhkView) -> str:
    if not r.intervensi:
        return "-"
    if len(r.intervensi) == 1:
        p = r.intervensi[0]
        return f"{p.uraian} ({p.jenis_cascading} Cascading)"
    return "\n".join(f"{i}. {p.uraian} ({p.jenis_cascading} Cascading)" for i, p in enumerate(r.intervensi, 1))


def _hasil_kerja(pdf: _Doc, d: SkpDetail) -> None:
    pdf.line_text("HASIL KERJA", "B", 10, "L", 6)
    jpt = d.format == FormatSkp.JPT.value
    if jpt:
        heads = ("No", "Rencana Hasil Kerja", "Indikator Kinerja Individu", "Target", "Perspektif")
        widths: tuple[float, ...] = (8, 95, 95, 38, 41)
    else:
        heads = ("No", "Rencana Hasil Kerja Pimpinan yang Diintervensi", "Rencana Hasil Kerja", "Aspek",
                 "Indikator Kinerja Individu", "Target")
        widths = (8, 70, 70, 20, 73, 36)
    section = FontFace(emphasis="BOLD", fill_color=(242, 242, 242))
    with _table(pdf, widths) as t:
        head = t.row()
        for h in heads:
            head.cell(pdf.t(h), align="C")
        for label, jenis in (("A. UTAMA", JenisRhk.UTAMA.value), ("B. TAMBAHAN", JenisRhk.TAMBAHAN.value)):
            t.row().cell(label, colspan=len(heads), style=section)
            items = [r for r in d.rhk if r.jenis == jenis]
            if not items:
                t.row().cell("-", colspan=len(heads), align="C")
            for r in items:
                _rhk_rows(pdf, t, r, jpt)
    pdf.ln(3)


def _group_border(i: int, n: int) -> CellBordersLayout:
    """Borders that make the RHK cells of one RHK look merged over its IKI rows while every row stays a
    separate table row (a rowspan group cannot break across pages; an RHK with many IKI may need to)."""
    border = CellBordersLayout.LEFT | CellBordersLayout.RIGHT
    if i == 0:
        border |= CellBordersLayout.TOP
    if i == n - 1:
        border |= CellBordersLayout.BOTTOM
    return border


def _rhk_rows(pdf: _Doc, t, r: RhkView, jpt: bool) -> None:
    iki = list(r.iki) or [None]
    for i, k in enumerate(iki):
        row = t.row()
        first = i == 0
        border = _group_border(i, len(iki))
        row.cell(r.nomor if first else "", align="C", border=border)
        if not jpt:
            row.cell(pdf.t(_parents_text(r)) if first else "", border=border)
        row.cell(pdf.t(r.uraian) if first else "", border=border)
        if not jpt:
            row.cell(pdf.t(k.aspek if k and k.aspek else "-"), align="C")
        row.cell(pdf.t(k.indikator if k else "-"))
        row.cell(pdf.t(k.target if k else "-"), align="C")
        if jpt:
            row.cell(pdf.t(r.perspektif or "-") if first else "", border=border)


def _perilaku(pdf: _Doc, d: SkpDetail) -> None:
    pdf.line_text("PERILAKU KERJA", "B", 10, "L", 6)
    bold = FontFace(emphasis="BOLD")
    with _table(pdf, (8, 150, 119)) as t:
        head = t.row()
        for h in ("No", "Perilaku Kerja", "Ekspektasi Khusus Pimpinan"):
            head.cell(pdf.t(h), align="C")
        for p in d.perilaku:
            row = t.row()
            row.cell(str(p.urutan), align="C", rowspan=2)
            row.cell(pdf.t(p.nilai), style=bold)
            row.cell(pdf.t(p.ekspektasi_khusus or "-"), rowspan=2)
            t.row().cell(pdf.t("\n".join(f"- {g}" for g in p.panduan)))
    pdf.ln(3)


def _lampiran(pdf: _Doc, d: SkpDetail) -> None:
    section = FontFace(emphasis="BOLD", fill_color=GREY)
    for n, jenis in enumerate(JenisLampiran, start=1):
        items = d.lampiran.get(jenis.value, ())
        with _table(pdf, (8, 269), first_row_as_headings=False) as t:
            t.row().cell(pdf.t(f"{n}. {jenis.value.upper()}"), colspan=2, style=section)
            if not items:
                t.row().cell("-", colspan=2)
            for i, text in enumerate(items, start=1):
                row = t.row()
                row.cell(str(i), align="C")
                row.cell(pdf.t(text))
        pdf.ln(3)


def _signatures(pdf: _Doc, d: SkpDetail, today: dt.date | None) -> None:
    if pdf.get_y() + SIGN_BLOCK_MM > pdf.page_break_trigger:
        pdf.add_page()
    pdf.ln(2)
    col = 110.0
    left_x = pdf.l_margin + 10
    right_x = pdf.w - pdf.r_margin - col - 10
    penilai = d.penilai

    def pair(left: str, right: str, style: str = "", h: float = 5) -> None:
        pdf.font(style, 9)
        pdf.set_x(left_x)
        pdf.cell(col, h, pdf.t(left), align="C")
        pdf.set_x(right_x)
        pdf.cell(col, h, pdf.t(right), align="C", new_x="LMARGIN", new_y="NEXT")

    pair("", tanggal_ttd(d, today))
    pair("Pegawai yang Dinilai", "Pejabat Penilai Kinerja", "B")
    pdf.ln(SIGN_SPACE_MM)
    pair(d.pegawai.nama, penilai.nama if penilai else "....................................", "B")
    pair(f"{_nip_label(d.pegawai.nip)}. {d.pegawai.nip}",
         f"{_nip_label(penilai.nip)}. {penilai.nip}" if penilai else "NIP. ....................")
