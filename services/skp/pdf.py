"""The SKP document ("Cetak SKP") as PDF in the official layout of PermenPANRB 6/2022 (domain.md §2.2, §2.6,
§2.7, §2.14): header, identity of the pegawai and the pejabat penilai, Hasil Kerja (A. Utama, B. Tambahan),
Perilaku Kerja (BerAKHLAK with Ekspektasi Khusus Pimpinan), Lampiran, place and date, signature blocks.

Fonts, the kop surat, tables and signature blocks come from the one PDF base (services/documents). An SKP that is not yet approved prints with a DRAFT watermark
and banner; the official print is the approved one. Every print is recorded in the audit log ("skp_cetak").
"""

from __future__ import annotations

import datetime as dt

from fpdf.fonts import FontFace

from db.models import FormatSkp, JenisLampiran, JenisRhk, StatusSkp
from services.core import audit, clock, fmt
from services.core.actor import Actor
from services.core.uow import unit_of_work
from services.documents import OfficeIdentity, PdfDocument, SignatureBlock, office_identity, reviewer_block
from services.documents.pdf import GREY, group_border, nip_label
from services.skp.workflow import IkiView, Orang, RhkView, SkpDetail, skp_detail

JUDUL_FORMAT = {
    FormatSkp.JPT.value: "BAGI PEJABAT PIMPINAN TINGGI DAN PIMPINAN UNIT KERJA MANDIRI",
    FormatSkp.JA_JF.value: "BAGI PEJABAT ADMINISTRASI DAN PEJABAT FUNGSIONAL",
}


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


def render(d: SkpDetail, today: dt.date | None = None, identity: OfficeIdentity | None = None) -> bytes:
    """Lay out an SkpDetail (no permission check and no audit: use `skp_pdf`)."""
    identity = identity or office_identity()
    banner = None
    if d.status != StatusSkp.DISETUJUI.value:
        banner = f"DRAFT — belum disetujui (status: {d.status_label}); bukan dokumen resmi"
    pdf = PdfDocument(f"SKP {d.pegawai.nama} - {d.pegawai.nip} - tahun {d.tahun} versi {d.version_no}",
                      orientation="L", banner=banner)
    pdf.add_page()
    pdf.kop(identity)
    _header(pdf, d, "SASARAN KINERJA PEGAWAI")
    identity_table(pdf, d)
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


def _ttd_day(d: SkpDetail, today: dt.date | None = None) -> dt.date:
    if d.status == StatusSkp.DISETUJUI.value and d.decided_at is not None:
        return clock.local_date(d.decided_at)
    return today or clock.today()


def tanggal_ttd(d: SkpDetail, today: dt.date | None = None) -> str:
    """'Medan, 31 Januari 2026': the instansi's city and the approval date (today for a draft)."""
    day = _ttd_day(d, today)
    kota = (d.kota or "").strip()
    return f"{kota}, {fmt.tanggal(day)}" if kota else fmt.tanggal(day)


def _header(pdf: PdfDocument, d: SkpDetail, judul: str) -> None:
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


def orang_rows(o: Orang | None) -> list[tuple[str, str]]:
    """Nama, NIP, pangkat, jabatan, unit of a pegawai or pejabat (dashes when absent)."""
    if o is None:
        return [("Nama", "-"), ("NIP", "-"), ("Pangkat/Gol. Ruang", "-"), ("Jabatan", "-"), ("Unit Kerja", "-")]
    return [("Nama", o.nama), (nip_label(o.nip), o.nip), ("Pangkat/Gol. Ruang", o.pangkat_golongan),
            ("Jabatan", o.jabatan or "-"), ("Unit Kerja", o.unit or "-")]


def identity_table(pdf: PdfDocument, d) -> None:
    """The two identity columns: PEGAWAI YANG DINILAI and PEJABAT PENILAI KINERJA (SKP and evaluation)."""
    with pdf.grid((9, 33, 96, 9, 33, 96)) as t:
        head = t.row()
        head.cell("No", align="C")
        head.cell(pdf.t("PEGAWAI YANG DINILAI"), colspan=2)
        head.cell("No", align="C")
        head.cell(pdf.t("PEJABAT PENILAI KINERJA"), colspan=2)
        for n, (left, right) in enumerate(zip(orang_rows(d.pegawai), orang_rows(d.penilai), strict=True), start=1):
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


def _hasil_kerja(pdf: PdfDocument, d: SkpDetail) -> None:
    pdf.line_text("HASIL KERJA", "B", 10, "L", 6)
    jpt = d.format == FormatSkp.JPT.value
    if jpt:
        heads: tuple[str, ...] = ("No", "Rencana Hasil Kerja", "Indikator Kinerja Individu", "Target", "Perspektif")
        widths: tuple[float, ...] = (8, 95, 95, 38, 41)
    else:
        heads = ("No", "Rencana Hasil Kerja Pimpinan yang Diintervensi", "Rencana Hasil Kerja", "Aspek",
                 "Indikator Kinerja Individu", "Target")
        widths = (8, 70, 70, 20, 73, 36)
    section = FontFace(emphasis="BOLD", fill_color=(242, 242, 242))
    with pdf.grid(widths) as t:
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


def _rhk_rows(pdf: PdfDocument, t, r: RhkView, jpt: bool) -> None:
    iki: list[IkiView | None] = list(r.iki) or [None]
    for i, k in enumerate(iki):
        row = t.row()
        first = i == 0
        border = group_border(i, len(iki))  # the RHK cells look merged over its IKI rows
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


def _perilaku(pdf: PdfDocument, d: SkpDetail) -> None:
    pdf.line_text("PERILAKU KERJA", "B", 10, "L", 6)
    bold = FontFace(emphasis="BOLD")
    with pdf.grid((8, 150, 119)) as t:
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


def _lampiran(pdf: PdfDocument, d: SkpDetail) -> None:
    section = FontFace(emphasis="BOLD", fill_color=GREY)
    for n, jenis in enumerate(JenisLampiran, start=1):
        items = d.lampiran.get(jenis.value, ())
        with pdf.grid((8, 269), first_row_as_headings=False) as t:
            t.row().cell(pdf.t(f"{n}. {jenis.value.upper()}"), colspan=2, style=section)
            if not items:
                t.row().cell("-", colspan=2)
            for i, text in enumerate(items, start=1):
                row = t.row()
                row.cell(str(i), align="C")
                row.cell(pdf.t(text))
        pdf.ln(3)


def _signatures(pdf: PdfDocument, d: SkpDetail, today: dt.date | None) -> None:
    penilai = d.penilai
    pdf.signature_blocks([SignatureBlock("Pegawai yang Dinilai", d.pegawai.nama, d.pegawai.nip),
                          reviewer_block("Pejabat Penilai Kinerja", penilai.id if penilai else None,
                                         penilai.nama if penilai else None, penilai.nip if penilai else None,
                                         _ttd_day(d, today))],
                         tanggal_ttd(d, today))
