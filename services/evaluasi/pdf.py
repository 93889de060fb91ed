"""The evaluation documents as PDF (domain.md §2.14; SOP 000 step 8, SOP 004 steps 5–6).

* Periodik: "EVALUASI KINERJA PEGAWAI" in the layout of the Lampiran of PermenPANRB 6/2022 — header with
  "PERIODE: TRIWULAN I" (or the month) and the period dates, identity of the pegawai, the pejabat penilai and
  the atasan pejabat penilai, Capaian Kinerja Organisasi, Hasil Kerja (RHK, IKI, target, Perspektif for JPT /
  Aspek for JA-JF, realisasi berdasarkan bukti dukung, umpan balik berkelanjutan), Rating Hasil Kerja,
  Perilaku Kerja (BerAKHLAK, panduan, ekspektasi khusus, umpan balik), Rating Perilaku Kerja, Predikat Kinerja
  Pegawai, place/date and the signatures of the pegawai and the pejabat penilai.
* Tahunan: "DOKUMEN EVALUASI KINERJA PEGAWAI" (portrait: 1. Pegawai yang Dinilai, 2. Pejabat Penilai Kinerja,
  3. Atasan Pejabat Penilai Kinerja, 4. Evaluasi Kinerja, 5. Catatan/Rekomendasi, place/date, signatures),
  followed by the annual evaluation form (PERIODE: TAHUNAN) as its attachment.

An evaluation that is not yet approved by the atasan pejabat penilai prints with the DRAFT watermark and the
line "DRAF — belum disetujui atasan pejabat penilai". Fonts, the latin-1 fallback, tables and the identity
block come from the one PDF base (services/documents) and the SKP document. Every print is recorded in the audit log ("evaluasi_cetak").
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal

from fpdf.enums import CellBordersLayout
from fpdf.fonts import FontFace
from sqlalchemy import select
from sqlalchemy.orm import Session

import domain as rules
from db.engine import read_session
from db.models import (
    FormatSkp,
    Iki,
    Instansi,
    JenisEvaluasi,
    JenisRhk,
    KinerjaOrganisasi,
    PredikatOrganisasiKinerja,
    Rhk,
    Skp,
    StatusEvaluasi,
    UnitKerja,
)
from services.core import audit, clock, fmt
from services.core.actor import Actor
from services.core.errors import ServiceError
from services.core.uow import unit_of_work
from services.documents import (
    OfficeIdentity,
    PdfDocument,
    SignatureBlock,
    identity_from_session,
    office_identity,
    reviewer_block,
)
from services.documents.pdf import BODY_PT, GREY, group_border
from services.evaluasi import common as ec
from services.evaluasi.common import EvaluasiDetail, HasilView, Orang
from services.evaluasi.organisasi import distribution_rules
from services.org import periods
from services.skp.pdf import JUDUL_FORMAT, identity_table, orang_rows, periode_label

DRAFT_LINE = "DRAF — belum disetujui atasan pejabat penilai"
BOLD = FontFace(emphasis="BOLD")
SECTION = FontFace(emphasis="BOLD", fill_color=(242, 242, 242))
HEAD = FontFace(emphasis="BOLD", fill_color=GREY)
_NOMOR = re.compile(r"^(\d+)\s+(.+)$", re.S)
CELL_PAD = 1.2  # PdfDocument.grid padding
MAX_LINES = 8  # lines of one table row (a row never breaks across pages)
KEEP_WITH_TABLE = 45  # mm: a section heading needs room for the table head and a first row below it
ALL = CellBordersLayout.LEFT | CellBordersLayout.RIGHT | CellBordersLayout.TOP | CellBordersLayout.BOTTOM


@dataclass(frozen=True)
class Lampiran:
    """What the document needs beyond EvaluasiDetail: instansi, pendekatan, aspek/perspektif, organisasi."""

    instansi: str | None = None
    kota: str | None = None
    pendekatan: str = "Kuantitatif"
    aspek: dict[int | None, str] = field(default_factory=dict)  # SKP IKI id -> aspek
    iki_ref: dict[int, int | None] = field(default_factory=dict)  # EvaluasiIki id -> SKP IKI id
    perspektif: dict[int | None, str] = field(default_factory=dict)  # RHK id -> perspektif
    predikat_organisasi: str | None = None
    distribusi: rules.DistributionRules | None = None  # settings distribusi_*; None = rules.DEFAULT_DISTRIBUTION
    identity: OfficeIdentity | None = None  # kop surat; None = read when printing


# --- public --------------------------------------------------------------------------------------------------


def evaluasi_pdf(actor: Actor, evaluasi_id: int, today: dt.date | None = None) -> bytes:
    """The evaluation document as PDF bytes for anyone who may read the evaluation (pegawai, pemberi
    pertimbangan, pejabat penilai, atasan, Admin SDM / Kepala / Perencana); the print is audited."""
    with read_session() as s:
        ev = ec.load(s, evaluasi_id)
        d = ec.detail(s, actor, ev, today)  # refuses readers without the right
        extra = lampiran(s, ev.skp_id, d, [(i.id, i.iki_id) for i in ev.iki])
    data = render(d, extra, today)
    with unit_of_work(actor, action="evaluasi_cetak") as s:
        audit.record(s, actor, "evaluasi_cetak", "Evaluasi", d.id, after={"status": d.status},
                     note=f"Cetak evaluasi kinerja {d.pegawai.nama} {d.label} ({d.status_label})")
    return data


def filename(d: EvaluasiDetail) -> str:
    """Evaluasi_Kinerja_199104042019022004_2026-T1.pdf."""
    return filename_for(d.pegawai.nip, d.kode)


def filename_for(nip: str, kode: str) -> str:
    return f"Evaluasi_Kinerja_{nip}_{kode}.pdf"


def lampiran(s: Session, skp_id: int, d: EvaluasiDetail, iki_ref: list[tuple[int, int | None]]) -> Lampiran:
    instansi = s.scalar(select(Instansi).order_by(Instansi.id).limit(1))
    skp = s.get(Skp, skp_id)
    rhk_ids = [h.rhk_id for h in d.hasil if h.rhk_id is not None]
    perspektif = {r.id: r.perspektif.value for r in s.scalars(select(Rhk).where(Rhk.id.in_(rhk_ids)))
                  if r.perspektif is not None} if rhk_ids else {}
    skp_iki = [ref for _, ref in iki_ref if ref is not None]
    aspek = {k.id: k.aspek.value for k in s.scalars(select(Iki).where(Iki.id.in_(skp_iki)))
             if k.aspek is not None} if skp_iki else {}
    return Lampiran(instansi=instansi.nama if instansi else None, kota=instansi.kota if instansi else None,
                    pendekatan=skp.pendekatan.value if skp is not None else "Kuantitatif", aspek=aspek,  # type: ignore[arg-type]
                    iki_ref=dict(iki_ref), perspektif=perspektif,  # type: ignore[arg-type]
                    predikat_organisasi=d.predikat_organisasi or organisasi(s, d.unit_id, d.period_id, d.nomor),
                    distribusi=distribusi(s), identity=identity_from_session(s))


def distribusi(s: Session) -> rules.DistributionRules | None:
    """The distribution thresholds from settings distribusi_* (None = defaults when the settings are invalid:
    a print never fails on them; the settings page reports the problem)."""
    try:
        return distribution_rules(s)
    except ServiceError:
        return None


def organisasi(s: Session, unit_id: int | None, period_id: int, nomor: int) -> str | None:
    """The organisational predikat of the pegawai's unit for the period (nearest parent unit that has one)."""
    seen: set[int] = set()
    while unit_id is not None and unit_id not in seen:
        seen.add(unit_id)
        ko = s.scalar(select(KinerjaOrganisasi).where(KinerjaOrganisasi.unit_id == unit_id,
                                                      KinerjaOrganisasi.period_id == period_id,
                                                      KinerjaOrganisasi.nomor == nomor))
        if ko is not None:
            return ko.predikat.value
        unit = s.get(UnitKerja, unit_id)
        unit_id = unit.parent_id if unit is not None else None
    return None


def render(d: EvaluasiDetail, extra: Lampiran | None = None, today: dt.date | None = None) -> bytes:
    """Lay out an EvaluasiDetail (no permission check and no audit: use `evaluasi_pdf`)."""
    extra = extra or Lampiran(predikat_organisasi=d.predikat_organisasi)
    banner = None
    if d.status != StatusEvaluasi.DISETUJUI.value:
        banner = f"{DRAFT_LINE} (status: {d.status_label}); bukan dokumen resmi"
    pdf = PdfDocument(f"Evaluasi Kinerja {d.pegawai.nama} - {d.pegawai.nip} - {d.label}", orientation="L",
                      banner=banner)
    identity = extra.identity or office_identity()
    if d.jenis == JenisEvaluasi.TAHUNAN.value:
        pdf.add_page(orientation="P")
        pdf.kop(identity)
        _dokumen_tahunan(pdf, d, extra, today)
        pdf.add_page(orientation="L")  # the annual form is the attachment: no kop
    else:
        pdf.add_page()
        pdf.kop(identity)
    _evaluasi(pdf, d, extra, today)
    return bytes(pdf.output())


# --- periodic form ---------------------------------------------------------------------------------------------


def periode_nama(d: EvaluasiDetail) -> str:
    """TRIWULAN I / JANUARI / TAHUNAN."""
    if d.jenis == JenisEvaluasi.TAHUNAN.value:
        return "TAHUNAN"
    if "-T" in d.kode:
        return f"TRIWULAN {periods.ROMAN[d.nomor - 1]}"
    return fmt.bulan(d.nomor).upper()


def _evaluasi(pdf: PdfDocument, d: EvaluasiDetail, extra: Lampiran, today: dt.date | None) -> None:
    _header(pdf, d, extra, "EVALUASI KINERJA PEGAWAI", JUDUL_FORMAT.get(d.format, ""))
    identity_table(pdf, d)
    _atasan_organisasi(pdf, d, extra)
    _pola_distribusi(pdf, d, extra)
    _hasil_kerja(pdf, d, extra)
    note = " (berdasarkan capaian kinerja organisasi)" if d.pimpinan_unit and d.predikat_organisasi else ""
    _nilai_row(pdf, "RATING HASIL KERJA", (d.rating_hasil_kerja or "-") + note)
    _perilaku(pdf, d)
    _nilai_row(pdf, "RATING PERILAKU KERJA", d.rating_perilaku_kerja or "-")
    _nilai_row(pdf, "PREDIKAT KINERJA PEGAWAI", d.predikat or "-", fill=True)
    if (d.rekomendasi or "").strip():
        _nilai_row(pdf, "CATATAN/REKOMENDASI", d.rekomendasi or "-", bold_value=False)
    _signatures(pdf, d, extra, today)


def _header(pdf: PdfDocument, d: EvaluasiDetail, extra: Lampiran, judul: str, sub: str | None) -> None:
    pdf.line_text(judul, "B", 12, "C", 6)
    pdf.line_text(f"PENDEKATAN HASIL KERJA {extra.pendekatan.upper()}", "B", 10, "C", 5)
    if sub:
        pdf.line_text(sub, "B", 9, "C", 5)
    pdf.ln(2)
    pdf.font("B", 9)
    half = pdf.epw / 2
    pdf.cell(half, 5, pdf.t((extra.instansi or "-").upper()))
    pdf.cell(half, 5, pdf.t(f"PERIODE: {periode_nama(d)}"), align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(half, 5, "")
    pdf.cell(half, 5, pdf.t(f"Periode Penilaian: {periode_label(d.mulai, d.selesai)}"), align="R",
             new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)


def _pilihan(value: str | None) -> str:
    """'[ ] Istimewa   [X] Baik   ...' — the options of the form with the chosen one marked."""
    return "   ".join(f"[{'X' if p.value == value else ' '}] {p.value}" for p in PredikatOrganisasiKinerja)


def _atasan_organisasi(pdf: PdfDocument, d: EvaluasiDetail, extra: Lampiran) -> None:
    """ATASAN PEJABAT PENILAI KINERJA (left) beside CAPAIAN KINERJA ORGANISASI (right)."""
    rows = orang_rows(d.atasan)  # type: ignore[arg-type]
    with pdf.grid((9, 33, 96, 139)) as t:
        head = t.row()
        head.cell("No", align="C")
        head.cell(pdf.t("ATASAN PEJABAT PENILAI KINERJA"), colspan=2)
        head.cell(pdf.t("CAPAIAN KINERJA ORGANISASI"))
        for n, (label, value) in enumerate(rows, start=1):
            row = t.row()
            row.cell(str(n), align="C")
            row.cell(pdf.t(label))
            row.cell(pdf.t(value))
            if n == 1:
                text = f"{(extra.predikat_organisasi or '-').upper()}\n\n{_pilihan(extra.predikat_organisasi)}"
                if d.atasan is None:
                    text += "\n\n(Tanpa atasan pejabat penilai: persetujuan dicatat oleh Admin SDM.)"
                row.cell(pdf.t(text), rowspan=len(rows), align="C", v_align="M", style=BOLD)
    pdf.ln(3)


# --- distribution curve (Pola Distribusi) --------------------------------------------------------------------

KURVA_TITLE = "POLA DISTRIBUSI (kurva distribusi predikat kinerja pegawai)"
KURVA_NOTE = "Pola distribusi: predikat kinerja organisasi belum ditetapkan."
KURVA_AXIS: tuple[rules.Predikat, ...] = tuple(reversed(rules.PREDIKAT_ORDER))  # Sangat Kurang ... Sangat Baik
TITLE_H, BODY_H, NOTE_H = 6.0, 36.0, 8.0
CHART_W, COL_W, PLOT_H = 175.0, 30.0, 22.0
BAND_FILL, OWN_FILL, OWN_BG = (205, 205, 205), (110, 110, 110), (255, 242, 204)
CURVE_COLOR, GRID_COLOR, MUTED = (31, 78, 121), (200, 200, 200), (90, 90, 90)


@dataclass(frozen=True)
class _Plot:
    """The plot area of the chart: x/y its top-left corner (mm), 0 % at the bottom, 100 % at the top."""

    x: float
    y: float

    def col(self, i: int) -> float:
        return self.x + i * COL_W

    def at(self, pct: Decimal | float) -> float:
        return self.y + PLOT_H * (1 - min(max(float(pct), 0.0), 100.0) / 100)


def _kurva_bands(extra: Lampiran) -> dict[rules.Predikat, tuple[Decimal, Decimal]] | None:
    if not extra.predikat_organisasi:
        return None
    try:
        return rules.allowed_shares(extra.predikat_organisasi, extra.distribusi)
    except ValueError:
        return None


def _own_predikat(d: EvaluasiDetail) -> rules.Predikat | None:
    try:
        return rules.parse_predikat(d.predikat) if d.predikat else None
    except ValueError:
        return None


def _pola_distribusi(pdf: PdfDocument, d: EvaluasiDetail, extra: Lampiran) -> None:
    """POLA DISTRIBUSI: the allowed band per pegawai predikat for the organisational predikat (SE MenPANRB
    3/2023) as a small chart with a curve through the band mid-points, the pegawai's own predikat highlighted;
    a one-line note when the organisational predikat is not set."""
    bands = _kurva_bands(extra)
    height = TITLE_H + (BODY_H if bands else NOTE_H)
    if pdf.get_y() + height > pdf.page_break_trigger:
        pdf.add_page()
    x, y = pdf.l_margin, pdf.get_y()
    with pdf.local_context():  # colours and line widths do not leak into the tables that follow
        pdf.set_line_width(0.2)
        pdf.set_fill_color(*GREY)
        pdf.rect(x, y, pdf.epw, TITLE_H, "DF")
        pdf.font("B", BODY_PT)
        pdf.text(x + CELL_PAD, y + 4.2, pdf.t(KURVA_TITLE))
        pdf.rect(x, y + TITLE_H, pdf.epw, height - TITLE_H)
        if bands:
            own = _own_predikat(d)
            _kurva(pdf, _Plot(x + 13, y + TITLE_H + 4), bands, own)
            _kurva_legend(pdf, x + CHART_W, y + TITLE_H + 3, extra, own)
        else:
            pdf.font("", BODY_PT)
            pdf.text(x + CELL_PAD, y + TITLE_H + 5, pdf.t(KURVA_NOTE))
    pdf.set_xy(x, y + height)
    pdf.ln(3)


def _kurva(pdf: PdfDocument, plot: _Plot, bands, own: rules.Predikat | None) -> None:
    """The chart: highlighted column of the pegawai's predikat, grid, bars, curve and labels."""
    if own in KURVA_AXIS:
        pdf.set_fill_color(*OWN_BG)
        pdf.rect(plot.col(KURVA_AXIS.index(own)), plot.y, COL_W, PLOT_H, "F")
    _kurva_grid(pdf, plot)
    _kurva_bars(pdf, plot, bands, own)
    _kurva_curve(pdf, plot, [(lo + hi) / 2 for lo, hi in (bands[p] for p in KURVA_AXIS)])
    _kurva_labels(pdf, plot, bands, own)


def _kurva_grid(pdf: PdfDocument, plot: _Plot) -> None:
    """Horizontal lines at 0/25/50/75/100 % with labels at 0, 50 and 100 %, and the x-axis."""
    right = plot.col(len(KURVA_AXIS))
    pdf.font("", 6)
    pdf.set_line_width(0.1)
    for pct in (0, 25, 50, 75, 100):
        y = plot.at(pct)
        pdf.set_draw_color(*GRID_COLOR)
        pdf.line(plot.x, y, right, y)
        if pct % 50 == 0:
            label = f"{pct} %"
            pdf.set_text_color(*MUTED)
            pdf.text(plot.x - 1.2 - pdf.get_string_width(label), y + 0.9, label)
    pdf.set_draw_color(0, 0, 0)
    pdf.set_line_width(0.2)
    pdf.line(plot.x, plot.at(0), right, plot.at(0))
    pdf.line(plot.x, plot.at(0), plot.x, plot.at(100))
    pdf.set_text_color(0, 0, 0)


def _kurva_bars(pdf: PdfDocument, plot: _Plot, bands, own: rules.Predikat | None) -> None:
    """Per predikat a bar from its minimum to its maximum share, darker for the pegawai's own predikat."""
    for i, p in enumerate(KURVA_AXIS):
        lo, hi = bands[p]
        pdf.set_fill_color(*(OWN_FILL if p == own else BAND_FILL))
        pdf.set_draw_color(*MUTED)
        pdf.set_line_width(0.15)
        top = plot.at(hi)
        pdf.rect(plot.col(i) + 8, top, COL_W - 16, max(plot.at(lo) - top, 0.6), "DF")
    pdf.set_draw_color(0, 0, 0)


def _spline(points: list[tuple[float, float]], steps: int = 12) -> list[tuple[float, float]]:
    """A Catmull-Rom curve through `points` (sampled as a polyline)."""
    pts = [points[0], *points, points[-1]]
    out = [points[0]]
    for k in range(1, len(pts) - 2):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3) = pts[k - 1:k + 3]
        for j in range(1, steps + 1):
            t = j / steps
            out.append(tuple(0.5 * (2 * b + (c - a) * t + (2 * a - 5 * b + 4 * c - d) * t ** 2  # type: ignore[arg-type]
                                    + (3 * b - a - 3 * c + d) * t ** 3)
                             for a, b, c, d in ((x0, x1, x2, x3), (y0, y1, y2, y3))))
    return out


def _kurva_curve(pdf: PdfDocument, plot: _Plot, mids: list[Decimal]) -> None:
    """The curve through the band mid-points, kept inside the plot area, with a dot on every mid-point."""
    points = [(plot.col(i) + COL_W / 2, plot.at(m)) for i, m in enumerate(mids)]
    curve = [(px, min(max(py, plot.y), plot.at(0))) for px, py in _spline(points)]
    pdf.set_draw_color(*CURVE_COLOR)
    pdf.set_fill_color(*CURVE_COLOR)
    pdf.set_line_width(0.5)
    pdf.polyline(curve)
    for px, py in points:
        pdf.rect(px - 0.7, py - 0.7, 1.4, 1.4, "F")
    pdf.set_line_width(0.2)
    pdf.set_draw_color(0, 0, 0)


def _kurva_labels(pdf: PdfDocument, plot: _Plot, bands, own: rules.Predikat | None) -> None:
    """Under every column the predikat (bold and marked * for the pegawai's own) and its band; the caption."""
    base = plot.at(0)
    for i, p in enumerate(KURVA_AXIS):
        lo, hi = bands[p]
        label = f"{p.value} *" if p == own else p.value
        pdf.font("B" if p == own else "", 7)
        centre = plot.col(i) + COL_W / 2
        pdf.text(centre - pdf.get_string_width(label) / 2, base + 3.6, pdf.t(label))
        band = pdf.t(f"{fmt.angka(lo)}–{fmt.angka(hi)} %")
        pdf.font("", 6.5)
        pdf.set_text_color(*MUTED)
        pdf.text(centre - pdf.get_string_width(band) / 2, base + 6.8, band)
        pdf.set_text_color(0, 0, 0)


def _kurva_legend(pdf: PdfDocument, x: float, y: float, extra: Lampiran, own: rules.Predikat | None) -> None:
    """Right of the chart: the caption, what bars, curve and highlight mean, and the count rule of Baik."""
    org = rules.parse_predikat_organisasi(extra.predikat_organisasi)  # type: ignore[arg-type]
    t = extra.distribusi or rules.DEFAULT_DISTRIBUTION
    lines = [("B", f"Batas pola distribusi untuk predikat organisasi {org.value} (SE MenPANRB 3/2023)"),
             ("", f"Predikat kinerja pegawai: {own.value + ' (kolom berlatar kuning, tanda *)' if own else 'belum dinilai'}"),
             ("", "Batang abu-abu: rentang persentase pegawai unit kerja yang diperbolehkan untuk setiap predikat "
                  "(minimum–maksimum)."),
             ("", "Garis biru: kurva distribusi melalui titik tengah setiap rentang.")]
    if org == rules.PredikatOrganisasi.BAIK and t.baik_bp_kurang_min_jumlah > 0:
        lines.append(("", f"Wajib ada paling sedikit {t.baik_bp_kurang_min_jumlah} pegawai dengan predikat "
                          "Butuh Perbaikan dan/atau Kurang/Misconduct."))
    width = pdf.l_margin + pdf.epw - x - 2
    pdf.set_xy(x, y)
    for style, text in lines:
        pdf.font(style, 7)
        pdf.multi_cell(width, 3.3, pdf.t(text), align="L", new_x="LEFT", new_y="NEXT")
        pdf.set_xy(x, pdf.get_y() + 1)


def _realisasi_text(d: EvaluasiDetail, h: HasilView, iki: list) -> str:
    parts: list[str] = []
    if (h.realisasi or "").strip():
        parts.append(h.realisasi.strip())  # type: ignore[union-attr]
    aksi = [r for r in d.rencana_aksi if (r.rhk_id == h.rhk_id if h.rhk_id is not None else
                                         r.rhk_label == h.rhk_label)]
    if aksi:
        parts.append("Rencana aksi:")
        for n, r in enumerate(aksi, start=1):
            line = f"{n}. {r.uraian}"
            sat = f" {r.satuan}" if r.satuan else ""
            if r.target is not None or r.realisasi is not None:
                line += f" (target {fmt.angka(r.target)}{sat}; realisasi {fmt.angka(r.realisasi)}{sat})"
            if (r.realisasi_uraian or "").strip():
                line += f": {r.realisasi_uraian.strip()}"  # type: ignore[union-attr]
            if (r.bukti_dukung or "").strip():
                line += "\n   Bukti dukung: " + "; ".join(x.strip() for x in r.bukti_dukung.splitlines() if x.strip())  # type: ignore[union-attr]
            parts.append(line)
    measured = [k for k in iki if k.realisasi is not None]
    if measured:
        parts.append("Realisasi IKI:")
        for n, k in enumerate(iki, start=1):
            if k.realisasi is None:
                continue
            cap = f" (capaian {fmt.angka(k.capaian)} %)" if k.capaian is not None else ""
            label = f"IKI {n}" if len(iki) > 1 else "IKI"
            parts.append(f"{label}: {fmt.angka(k.realisasi)} {k.satuan}{cap}")
    return "\n".join(parts) or "-"


def _umpan_balik_text(d: EvaluasiDetail, h: HasilView) -> str:
    parts = [h.umpan_balik.strip()] if (h.umpan_balik or "").strip() else []  # type: ignore[union-attr]
    aksi = [r for r in d.rencana_aksi if r.rhk_id == h.rhk_id and (r.umpan_balik or "").strip()]
    for n, r in enumerate(aksi, start=1):
        parts.append(f"Rencana aksi {n}: {r.umpan_balik.strip()}")  # type: ignore[union-attr]
    return "\n".join(parts) or "-"


def _split(pdf: PdfDocument, text: str, width: float, style: str = "") -> list[str]:
    """`text` wrapped to a table column of `width` mm and cut into pieces of at most MAX_LINES lines: a table row
    cannot break across pages, so a long text continues in the next row(s) of its group instead."""
    pdf.font(style, BODY_PT)
    lines = pdf.multi_cell(max(width - 2 * CELL_PAD - 1, 5), text=pdf.t(text), dry_run=True, output="LINES")
    pdf.font("", BODY_PT)
    return ["\n".join(lines[i:i + MAX_LINES]) for i in range(0, len(lines), MAX_LINES)] or [""]  # type: ignore[index, arg-type]


def _at(pieces: list[str], i: int) -> str:
    return pieces[i] if i < len(pieces) else ""


def _hasil_kerja(pdf: PdfDocument, d: EvaluasiDetail, extra: Lampiran) -> None:
    if pdf.get_y() + KEEP_WITH_TABLE > pdf.page_break_trigger:
        pdf.add_page()  # no heading alone at the foot of a page
    pdf.line_text("HASIL KERJA", "B", 10, "L", 6)
    jpt = d.format == FormatSkp.JPT.value
    aspek_of = {i.id: extra.aspek.get(extra.iki_ref.get(i.id)) for i in d.iki}
    if jpt and extra.perspektif:
        extra_col = ("Perspektif", 30.0)
    elif not jpt and any(aspek_of.values()):
        extra_col = ("Aspek", 18.0)
    else:
        extra_col = None
    cols = [("No", 8.0), ("Rencana Hasil Kerja", 52.0), ("Indikator Kinerja Individu", 50.0), ("Target", 26.0)]
    if extra_col:
        cols.append(extra_col)
    rest = pdf.epw - sum(w for _, w in cols)
    cols += [("Realisasi Berdasarkan Bukti Dukung", rest * 0.55),
             ("Umpan Balik Berkelanjutan Berdasarkan Bukti Dukung", rest * 0.45)]
    widths = [w for _, w in cols]
    with pdf.grid(tuple(widths)) as t:
        head = t.row()
        for h, _ in cols:
            head.cell(pdf.t(h), align="C")
        for label, jenis in (("A. UTAMA", JenisRhk.UTAMA.value), ("B. TAMBAHAN", JenisRhk.TAMBAHAN.value)):
            t.row().cell(label, colspan=len(cols), style=SECTION)
            items = [h for h in d.hasil if h.jenis == jenis]
            if not items:
                t.row().cell("-", colspan=len(cols), align="C")
            for n, h in enumerate(items, start=1):  # type: ignore[assignment]
                _hasil_rows(pdf, t, d, h, n, widths, extra_col, aspek_of, extra, jpt)  # type: ignore[arg-type]
    pdf.ln(2)


def _nomor_uraian(label: str, n: int) -> tuple[str, str]:
    """EvaluasiRhk.rhk_label is "<number> <uraian>" (services.evaluasi_common.create_evaluasi)."""
    m = _NOMOR.match(label or "")
    return (m.group(1), m.group(2)) if m else (str(n), label or "-")


def _hasil_rows(pdf: PdfDocument, t, d: EvaluasiDetail, h: HasilView, n_rhk: int, widths: list[float], extra_col,
                aspek_of, extra: Lampiran, jpt: bool) -> None:
    """One RHK: one row per IKI; RHK, realisasi and umpan balik look merged over the group (group borders)
    and continue in extra rows when they are longer than a row may be."""
    iki = [k for k in d.iki if k.rhk_id == h.rhk_id] if h.rhk_id is not None else []
    n_iki = max(1, len(iki))
    no, uraian = _nomor_uraian(h.rhk_label, n_rhk)
    label = _split(pdf, uraian, widths[1])
    realisasi = _split(pdf, _realisasi_text(d, h, iki), widths[-2])
    umpan = _split(pdf, _umpan_balik_text(d, h), widths[-1])
    n = max(n_iki, len(label), len(realisasi), len(umpan))
    for i in range(n):
        border = group_border(i, n)
        # IKI columns: one box per IKI, the last one stretched over the continuation rows.
        iki_border = ALL if i < n_iki - 1 else group_border(i - (n_iki - 1), n - n_iki + 1)
        k = iki[i] if i < len(iki) else None
        first_iki = i == 0 and not iki
        row = t.row()
        row.cell(no if i == 0 else "", align="C", border=border)
        row.cell(_at(label, i), border=border)
        prefix = f"{i + 1}. " if len(iki) > 1 else ""
        row.cell(pdf.t(prefix + k.indikator) if k else ("-" if first_iki else ""), border=iki_border)
        row.cell(pdf.t(k.target_label) if k else ("-" if first_iki else ""), align="C", border=iki_border)
        if extra_col and jpt:
            row.cell(pdf.t(extra.perspektif.get(h.rhk_id) or "-") if i == 0 else "", border=border)
        elif extra_col:
            value = (aspek_of.get(k.id) or "-") if k else ("-" if first_iki else "")
            row.cell(pdf.t(value), align="C", border=iki_border)
        row.cell(_at(realisasi, i), border=border)
        row.cell(_at(umpan, i), border=border)


def _nilai_row(pdf: PdfDocument, label: str, value: str, *, fill: bool = False, bold_value: bool = True) -> None:
    if pdf.get_y() + 12 > pdf.page_break_trigger:
        pdf.add_page()
    widths = (pdf.epw * 0.32, pdf.epw * 0.68)
    style = FontFace(emphasis="BOLD" if bold_value else None, fill_color=GREY if fill else None)
    pieces = _split(pdf, value, widths[1], "B" if bold_value else "")
    with pdf.grid(widths, first_row_as_headings=False) as t:
        for i, piece in enumerate(pieces):
            border = group_border(i, len(pieces))
            row = t.row()
            row.cell(pdf.t(label) if i == 0 else "", style=HEAD, border=border)
            row.cell(piece, style=style, border=border)
    pdf.ln(3)


def _perilaku(pdf: PdfDocument, d: EvaluasiDetail) -> None:
    pdf.line_text("PERILAKU KERJA", "B", 10, "L", 6)
    widths = (8, 105, 80, pdf.epw - 193)
    with pdf.grid(widths) as t:
        head = t.row()
        for h in ("No", "Perilaku Kerja", "Ekspektasi Khusus Pimpinan", "Umpan Balik Berkelanjutan"):
            head.cell(pdf.t(h), align="C")
        for p in d.perilaku:
            nilai = [p.nilai, "\n".join(f"- {g}" for g in p.panduan)]
            eks = _split(pdf, p.ekspektasi_khusus or "-", widths[2])
            umpan = _split(pdf, p.umpan_balik or "-", widths[3])
            n = max(2, len(eks), len(umpan))
            for i in range(n):
                border = group_border(i, n)
                row = t.row()
                row.cell(str(p.urutan) if i == 0 else "", align="C", border=border)
                row.cell(pdf.t(_at(nilai, i)), style=BOLD if i == 0 else None, border=border)
                row.cell(_at(eks, i), border=border)
                row.cell(_at(umpan, i), border=border)
    pdf.ln(2)


# --- annual document -------------------------------------------------------------------------------------------


def _dokumen_tahunan(pdf: PdfDocument, d: EvaluasiDetail, extra: Lampiran, today: dt.date | None) -> None:
    pdf.line_text("DOKUMEN EVALUASI KINERJA PEGAWAI", "B", 12, "C", 6)
    pdf.line_text("PERIODE: TAHUNAN", "B", 10, "C", 5)
    pdf.ln(2)
    pdf.font("B", 9)
    pdf.multi_cell(0, 5, pdf.t((extra.instansi or "-").upper()), new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 5, pdf.t(f"Periode Penilaian: {periode_label(d.mulai, d.selesai)}"),
                   new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    with pdf.grid((10, 62, pdf.epw - 72), first_row_as_headings=False) as t:
        for n, judul, o in ((1, "PEGAWAI YANG DINILAI", d.pegawai), (2, "PEJABAT PENILAI KINERJA", d.penilai),
                            (3, "ATASAN PEJABAT PENILAI KINERJA", d.atasan)):
            _section(pdf, t, n, judul)
            for label, value in orang_rows(o):  # type: ignore[arg-type]
                row = t.row()
                row.cell("")
                row.cell(pdf.t(label.upper()))
                row.cell(pdf.t(value))
        _section(pdf, t, 4, "EVALUASI KINERJA")
        for label, value in (("CAPAIAN KINERJA ORGANISASI", extra.predikat_organisasi or "-"),
                             ("PREDIKAT KINERJA PEGAWAI", d.predikat or "-")):
            row = t.row()
            row.cell("")
            row.cell(pdf.t(label))
            row.cell(pdf.t(value.upper()), style=BOLD)
        _section(pdf, t, 5, "CATATAN/REKOMENDASI")
        pieces = _split(pdf, (d.rekomendasi or "").strip() or "-", pdf.epw - 10)
        for i, piece in enumerate(pieces):
            row = t.row()
            row.cell("", border=group_border(i, len(pieces)))
            row.cell(piece, colspan=2, border=group_border(i, len(pieces)))
    pdf.ln(3)
    _signatures(pdf, d, extra, today)


def _section(pdf: PdfDocument, t, n: int, judul: str) -> None:
    row = t.row()
    row.cell(f"{n}.", align="C", style=HEAD)
    row.cell(pdf.t(judul), colspan=2, style=HEAD)


# --- place, date, signatures -----------------------------------------------------------------------------------


def _ttd_day(d: EvaluasiDetail, today: dt.date | None = None) -> dt.date:
    if d.status == StatusEvaluasi.DISETUJUI.value and d.disetujui_at is not None:
        return clock.local_date(d.disetujui_at)
    return today or clock.today()


def tanggal_ttd(d: EvaluasiDetail, extra: Lampiran, today: dt.date | None = None) -> str:
    """'Medan, 15 April 2026': the instansi's city and the approval date (today while not yet approved)."""
    day = _ttd_day(d, today)
    kota = (extra.kota or "").strip()
    return f"{kota}, {fmt.tanggal(day)}" if kota else fmt.tanggal(day)


def _signatures(pdf: PdfDocument, d: EvaluasiDetail, extra: Lampiran, today: dt.date | None) -> None:
    penilai: Orang | None = d.penilai
    pdf.signature_blocks([SignatureBlock("Pegawai yang Dinilai", d.pegawai.nama, d.pegawai.nip),
                          reviewer_block("Pejabat Penilai Kinerja", penilai.id if penilai else None,
                                         penilai.nama if penilai else None, penilai.nip if penilai else None,
                                         _ttd_day(d, today))],
                          tanggal_ttd(d, extra, today))
