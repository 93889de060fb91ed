"""The one PDF base every generated document uses (fpdf2): fonts, kop surat, titles, tables whose header cells
never break a word, signature blocks with the Plt./Plh. prefix, DRAFT watermark and page numbers.

Text is set in DejaVu Sans when the font files exist (full Unicode); otherwise in the core Helvetica font with
every string converted to latin-1 (`to_latin1`); `PdfDocument.t()` makes any text printable in the font chosen.
"""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import CellBordersLayout
from fpdf.fonts import FontFace

from domain import parse_nip
from services.core import fmt
from services.documents.identity import OfficeIdentity, Signatory

__all__ = ["BODY_PT", "GREY", "HEAD", "KOSONG", "NIP_KOSONG", "SIGN_SPACE_MM", "PdfDocument", "SignatureBlock",
           "font_paths", "group_border", "nip_label", "nip_line", "plt_prefix", "reviewer_block", "tempat_tanggal",
           "to_latin1"]

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
FAMILY_UNICODE = "DejaVu"
FAMILY_CORE = "Helvetica"

BODY_PT = 8.5
GREY = (225, 225, 225)
HEAD = FontFace(emphasis="BOLD", fill_color=GREY)
SIGN_SPACE_MM = 16
KOSONG = "...................................."
NIP_KOSONG = "NIP. ...................."
KOP_LOGO_MM = 22
MIN_HEADING_PT = 5.5

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


def font_paths() -> dict[str, Path] | None:
    """The Unicode TTF files (regular, bold) when all are installed, else None (core font fallback)."""
    paths = {style: FONT_DIR / name for style, name in FONT_FILES.items()}
    return paths if all(p.is_file() for p in paths.values()) else None


def nip_label(nip: str | None) -> str:
    """'NIP' or the label of the number's kind (e.g. for PPPK); 'NIP' when the number is not valid."""
    try:
        return parse_nip(nip or "").label
    except ValueError:
        return "NIP"


def nip_line(nip: str | None) -> str:
    """'NIP. 199003032015031003' (label per the number's kind); dotted when unknown."""
    return f"{nip_label(nip)}. {nip}" if nip else NIP_KOSONG


def group_border(i: int, n: int) -> CellBordersLayout:
    """Borders that make the cells of row i of n look merged with the rows around them while every row stays a
    separate table row (a rowspan group cannot break across pages; a long group may need to)."""
    border = CellBordersLayout.LEFT | CellBordersLayout.RIGHT
    if i == 0:
        border |= CellBordersLayout.TOP
    if i == n - 1:
        border |= CellBordersLayout.BOTTOM
    return border


def tempat_tanggal(kota: str | None, day: dt.date) -> str:
    """'Medan, 5 Desember 2026' (just the date when no city is recorded)."""
    kota = (kota or "").strip()
    return f"{kota}, {fmt.tanggal(day)}" if kota else fmt.tanggal(day)


def plt_prefix(plt: str | None) -> str:
    """'Plt. ' / 'Plh. ' before a jabatan signed by an acting official; '' otherwise."""
    if not plt or not plt.strip():
        return ""
    return "Plh. " if plt.strip().lower().startswith("plh") else "Plt. "


@dataclass(frozen=True)
class SignatureBlock:
    """One signature column: the role line(s) (`peran`, e.g. "Pejabat Penilai Kinerja" or a jabatan), then
    space to sign, the name and the NIP. Unknown names print as dotted lines."""

    peran: str
    nama: str | None = None
    nip: str | None = None
    plt: str | None = None  # "Plt." / "Plh.": prefixed to the jabatan line

    @classmethod
    def of(cls, signatory: Signatory | None, peran: str | None = None) -> SignatureBlock:
        """A block for an office signatory; `peran` overrides the jabatan line (e.g. "Atasan Pejabat Penilai")."""
        if signatory is None:
            return cls(peran=peran or "")
        return cls(peran=peran or signatory.jabatan, nama=signatory.nama, nip=signatory.nip, plt=signatory.plt)


def reviewer_block(peran: str, holder_id: int | None, nama: str | None, nip: str | None,
                   on: dt.date | None = None) -> SignatureBlock:
    """The signature block of a reviewer (pejabat penilai, atasan): the holder, or - while a Plt/Plh
    assignment for him runs on `on` - the acting official, the role line followed by "Plt. <jabatan>"."""
    from services.org import penugasan

    signer = penugasan.signer_for(holder_id, on)
    if signer is None:
        return SignatureBlock(peran, nama, nip)
    return SignatureBlock(f"{peran},\n{signer.jabatan_line}", signer.nama, signer.nip)


class _TitleAttr:
    """fpdf2 keeps the document metadata title in the attribute `title`; the base also offers `pdf.title(...)`
    to print a heading. Reading `pdf.title` gives a string (the metadata) that can be called."""

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        return _BoundTitle(obj.__dict__.get("_meta_title") or "", obj)

    def __set__(self, obj, value) -> None:
        obj.__dict__["_meta_title"] = value


class _BoundTitle(str):
    _doc: PdfDocument

    def __new__(cls, value: str, doc: PdfDocument):
        self = super().__new__(cls, value)
        self._doc = doc
        return self

    def __call__(self, text: str, sub: str | Sequence[str] | None = None, size: float = 12) -> None:
        self._doc.print_title(text, sub, size)


class PdfDocument(FPDF):
    """A4 document (portrait or landscape) with the font chosen once, an optional DRAFT banner and watermark,
    and "<footer> - halaman n dari N" at the bottom of every page."""

    title = _TitleAttr()

    def __init__(self, footer: str = "", *, orientation: str = "P", banner: str | None = None,
                 margins: tuple[float, float, float] = (10, 10, 10), bottom: float = 12) -> None:
        super().__init__(orientation=orientation, unit="mm", format="A4")
        paths = font_paths()
        self.unicode = paths is not None
        if paths:
            for style, path in paths.items():
                self.add_font(FAMILY_UNICODE, style, str(path))
        self.family = FAMILY_UNICODE if self.unicode else FAMILY_CORE
        self.banner = banner
        self.footer_text = footer
        self.set_margins(*margins)
        self.set_auto_page_break(True, margin=bottom)
        self.set_title(footer)
        self.set_creator("e-Kinerja")

    # --- text ---------------------------------------------------------------------------------------------

    def t(self, text: object) -> str:
        s = "" if text is None else str(text)
        return s if self.unicode else to_latin1(s)

    def font(self, style: str = "", size: float = BODY_PT) -> None:
        self.set_font(self.family, style, size)

    def line_text(self, text: str, style: str = "", size: float = BODY_PT, align: str = "L", h: float = 5) -> None:
        self.font(style, size)
        self.multi_cell(0, h, self.t(text), align=align, new_x="LMARGIN", new_y="NEXT")

    def print_title(self, text: str, sub: str | Sequence[str] | None = None, size: float = 12) -> None:
        """A centred bold title with optional sub-title line(s) below it (same as `pdf.title(...)`)."""
        self.line_text(text, "B", size, "C", size * 0.5)
        subs = [sub] if isinstance(sub, str) else list(sub or ())
        for line in subs:
            if line:
                self.line_text(line, "B", max(size - 2, 8), "C", 5)
        self.ln(2)

    # --- page furniture -------------------------------------------------------------------------------------

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

    def kop(self, identity: OfficeIdentity) -> None:
        """The kop surat at the current position: logo on the left, the instansi, satker, address and contact
        lines centred on the page, a thick and a thin rule under it."""
        x0, y0 = self.l_margin, self.get_y()
        logo_w = 0.0
        if identity.logo_png:
            try:
                info = self.image(io.BytesIO(identity.logo_png), x=x0, y=y0, h=KOP_LOGO_MM)
                logo_w = float(info.rendered_width)
            except Exception:  # noqa: BLE001 - a broken logo must never stop a document
                logo_w = 0.0
        reserve = max(logo_w, KOP_LOGO_MM) + 3 if identity.logo_png else 0.0
        width = self.epw - 2 * reserve
        left = x0 + reserve
        self.set_xy(left, y0)
        lines: list[tuple[str, str, float, float]] = []
        for part in (identity.instansi or "").splitlines():
            if part.strip():
                lines.append((part.strip().upper(), "B", 11, 5))
        lines.append(((identity.satker or "-").upper(), "B", 13, 6))
        if identity.alamat_lengkap:
            lines.append((" ".join(identity.alamat_lengkap.split()), "", 8.5, 4))
        if identity.kontak:
            lines.append((identity.kontak, "", 8, 4))
        for text, style, size, h in lines:
            self.font(style, size)
            natural = self.get_string_width(self.t(text))
            if natural > width - 1 and natural * 0.78 <= width - 1:  # one line at a slightly smaller size
                size = int(size * (width - 1) / natural * 10) / 10
                self.font(style, size)
            self.set_x(left)
            self.multi_cell(width, h, self.t(text), align="C", new_x="LEFT", new_y="NEXT")
        bottom = max(self.get_y(), y0 + (KOP_LOGO_MM if logo_w else 0)) + 1.5
        with self.local_context():
            self.set_draw_color(0, 0, 0)
            self.set_line_width(0.8)
            self.line(x0, bottom, x0 + self.epw, bottom)
            self.set_line_width(0.2)
            self.line(x0, bottom + 1.1, x0 + self.epw, bottom + 1.1)
        self.set_xy(x0, bottom + 4)

    # --- tables ---------------------------------------------------------------------------------------------

    def heading_size(self, text: str, width: float, size: float = BODY_PT, padding: float = 1.2) -> float:
        """The largest font size (≤ size) at which every word of a bold header fits the column width, so the
        header wraps between words and never inside one."""
        words = self.t(text).split()
        if not words:
            return size
        style, current = self.font_style, self.font_size_pt
        self.font("B", size)
        avail = width - 2 * padding - 0.6
        widest = max(self.get_string_width(w) for w in words)
        self.font(style, current)  # measuring must not change the font of what follows
        if widest <= avail:
            return size
        return max(MIN_HEADING_PT, int(size * avail / widest * 10) / 10)

    def heading_style(self, text: str, width: float, size: float = BODY_PT,
                      fill: tuple[int, int, int] | None = GREY) -> FontFace:
        """Bold (grey filled) style for a header cell `width` mm wide, shrunk so no word is broken."""
        fitted = self.heading_size(text, width, size)
        return FontFace(emphasis="BOLD", fill_color=fill, size_pt=fitted if fitted < size else None)

    def grid(self, widths: Sequence[float], **kw):
        """The standard table context (fpdf2 `table`): body size, grey bold headings repeated on each page,
        top-aligned cells; `widths` are relative and the table spans the text width. Keywords override."""
        self.font("", BODY_PT)
        opts = dict(col_widths=tuple(widths), width=self.epw, text_align="LEFT", line_height=self.font_size * 1.45,
                    headings_style=HEAD, padding=1.2, repeat_headings=1, v_align="TOP")
        opts.update(kw)
        return super().table(**opts)

    def table(self, headers: Sequence[str] | None = None, rows: Sequence[Sequence[object]] | None = None,
              widths: Sequence[float] | None = None, align: Sequence[str] | str | None = None, **kw):
        """`pdf.table(headers, rows, widths, align)` prints a whole table: header cells wrap between words
        (shrunk when one word is too wide), None prints as "-", `align` per column ("L", "C", "R").
        Called without headers and rows it is fpdf2's own `table(**kw)` context manager."""
        if headers is None and rows is None:
            return super().table(**kw)
        headers = list(headers or ())
        n = len(headers) or (len(rows[0]) if rows else 1)
        widths = list(widths or [1] * n)
        total = float(sum(widths)) or 1.0
        absolute = [w / total * self.epw for w in widths]
        aligns = [align] * n if isinstance(align, str) or align is None else list(align)
        aligns = [{"L": "LEFT", "C": "CENTER", "R": "RIGHT", "J": "JUSTIFY"}.get((a or "L").upper(), (a or "LEFT").upper())
                  for a in aligns]
        styles = [self.heading_style(h, w) for h, w in zip(headers, absolute, strict=False)]
        with self.grid(widths, text_align=tuple(aligns), first_row_as_headings=bool(headers), **kw) as t:
            if headers:
                head = t.row()
                for h, style in zip(headers, styles, strict=False):
                    head.cell(self.t(h), align="C", v_align="M", style=style)
            for r in rows or ():
                row = t.row()
                for v in r:
                    row.cell(self.t("-" if v is None else v))
        return None

    # --- signatures -----------------------------------------------------------------------------------------

    def signature_blocks(self, blocks: Sequence[SignatureBlock | Signatory | None],
                         kota_tanggal: str | None = None, *, size: float = 9, space: float = SIGN_SPACE_MM,
                         width: float | None = None) -> None:
        """Signature columns side by side (kept on one page). `kota_tanggal` ("Medan, 5 Desember 2026") is
        printed above the last (right-most) block; a jabatan signed by a Plt./Plh. carries the prefix. A None
        in `blocks` leaves that column empty (e.g. `[None, block]` puts one signature on the right)."""
        items = [b if isinstance(b, SignatureBlock) or b is None else SignatureBlock.of(b) for b in blocks]
        if not items:
            return
        n = len(items)
        seg = self.epw / n
        col = min(width or 110.0, seg - 6)
        xs = [self.l_margin + i * seg + (seg - col) / 2 for i in range(n)]
        self.font("B", size)
        peran_lines: list[list[str]] = [self.multi_cell(col, 5, self.t(plt_prefix(b.plt) + b.peran), dry_run=True, output="LINES")  # type: ignore[misc]
                       if b is not None else [] for b in items]
        tall = max(len(lines) for lines in peran_lines)
        needed = 5 * (tall + 3) + space + 2
        if self.get_y() + needed > self.page_break_trigger:
            self.add_page()
        self.ln(2)

        def row(texts: Sequence[str], style: str = "") -> None:
            self.font(style, size)
            y = self.get_y()
            for x, text in zip(xs, texts, strict=True):
                self.set_xy(x, y)
                self.cell(col, 5, self.t(text), align="C")
            self.set_xy(self.l_margin, y + 5)

        row([""] * (n - 1) + [kota_tanggal or ""])
        for i in range(tall):
            row([lines[i] if i < len(lines) else "" for lines in peran_lines], "B")
        self.ln(space)
        row([(b.nama or KOSONG) if b is not None else "" for b in items], "B")
        row([nip_line(b.nip) if b is not None else "" for b in items])
        self.font("", BODY_PT)
