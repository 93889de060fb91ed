"""Documents of the monev meeting on the office's kop surat (services/documents): the invitation (DOCX and PDF:
number, date, time, place, agenda, invitee list as lampiran) and the Laporan Monitoring dan Evaluasi bulanan
(DOCX and PDF: the frozen figures with their charts, notulen per agenda item, documentation photos, attendance and
the tindak lanjut table). The PDF is drawn directly with the PDF base (no office suite needed); the charts are the
Kinerja Organisasi ones (services/kinerja/bagan.py) drawn from the snapshot as PNG (vl-convert)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pandas as pd
from docx.shared import Cm
from sqlalchemy import select

from db.engine import read_session
from db.models import MonevFoto
from services.core import clock, fmt
from services.core.actor import Actor
from services.core.errors import NotFound
from services.documents import (
    PdfDocument,
    SignatureBlock,
    add_signature_block,
    add_table,
    identity_from_session,
    new_document,
    tempat_tanggal,
    to_bytes,
)
from services.kinerja import bagan
from services.monev import rapat as rapat_svc
from services.monev.common import rapat_bulan, rapat_of, require_login, summary


def _hari(d: dt.date) -> str:
    return fmt.tanggal(d, "EEEE, d MMMM y")


def _n(v: Any, digits: int = 2) -> str:
    if v is None or v != v:
        return "-"
    return fmt.angka(v, digits)


def _load(actor: Actor, rapat_id: int) -> dict[str, Any]:
    require_login(actor)
    with read_session() as s:
        r = rapat_of(s, rapat_id)
        data = summary(s, r, clock.today())
        data["identity"] = identity_from_session(s)
        data["snapshot"] = r.snapshot
        data["foto"] = [(f.nama, f.keterangan, f.isi) for f in s.scalars(
            select(MonevFoto).where(MonevFoto.rapat_id == rapat_id).order_by(MonevFoto.id))]
    data["undangan"] = rapat_svc.undangan_list(actor, rapat_id)
    data["hadir"] = rapat_svc.daftar_hadir(actor, rapat_id)
    data["tl"] = rapat_svc.tindak_lanjut(actor, rapat_id)
    return data


def rapat_id_of(actor: Actor, tahun: int, bulan: int) -> int:
    require_login(actor)
    with read_session() as s:
        r = rapat_bulan(s, tahun, bulan)
        if r is None:
            raise NotFound(f"Tidak ada rapat monev pada {fmt.bulan(bulan)} {tahun}.")
        return r.id


def _draft(d: dict[str, Any]) -> bool:
    return d["status_undangan"] != "DITANDATANGANI"


# --- undangan ---------------------------------------------------------------------------------------------------

def _agenda_lines(d: dict[str, Any]) -> list[str]:
    return [f"{i}. {a['judul']}" for i, a in enumerate(d["agenda"], start=1)]


def _pembuka(d: dict[str, Any]) -> str:
    return (f"Dalam rangka monitoring dan evaluasi capaian kinerja bulan {d['data_label']}, dengan hormat kami "
            f"mengundang Bapak/Ibu (daftar terlampir) untuk menghadiri Rapat Monitoring dan Evaluasi Bulanan yang "
            f"akan dilaksanakan pada:")


def undangan_docx(actor: Actor, rapat_id: int) -> bytes:
    d = _load(actor, rapat_id)
    ident = d["identity"]
    doc = new_document(ident)
    tgl = d["undangan_ditandatangani_at"].date() if d["undangan_ditandatangani_at"] else clock.today()
    add_table(doc, ["", ""], [["Nomor", f": {d['nomor_undangan'] or '…'}"], ["Lampiran", ": 1 (satu) berkas"],
                              ["Hal", f": Undangan Rapat Monitoring dan Evaluasi {d['label']}"]], [3, 12])
    doc.add_paragraph(f"{ident.kota or ''}, {fmt.tanggal(tgl)}".strip(", "))
    doc.add_paragraph("Yth. Bapak/Ibu pegawai sebagaimana daftar terlampir\ndi tempat")
    doc.add_paragraph(_pembuka(d))
    add_table(doc, ["Keterangan", "Uraian"], [["Hari, tanggal", _hari(d["tanggal"])], ["Pukul", f"{d['jam']} WIB s.d. selesai"],
                                              ["Tempat", d["tempat"]], ["Agenda", "\n".join(_agenda_lines(d))]], [4, 11])
    doc.add_paragraph("Mengingat pentingnya acara tersebut, kami mohon kehadiran Bapak/Ibu tepat waktu. Atas perhatian "
                      "dan kehadirannya kami ucapkan terima kasih.")
    add_signature_block(doc, ident, ident.kepala, None, peran=None if ident.kepala else "Kepala")
    if _draft(d):
        doc.add_paragraph("KONSEP – belum ditandatangani Kepala")
    doc.add_page_break()
    doc.add_paragraph(f"Lampiran Undangan Nomor {d['nomor_undangan'] or '…'}: Daftar Pegawai yang Diundang")
    add_table(doc, ["No", "Nama", "NIP", "Unit Kerja"],
              [[i, r["Nama"], r["NIP"], r["Unit Kerja"]] for i, r in enumerate(d["undangan"].to_dict("records"), 1)],
              [1.2, 6, 4.3, 4.5], align=["C", "L", "L", "L"])
    return to_bytes(doc)


def undangan_pdf(actor: Actor, rapat_id: int) -> bytes:
    d = _load(actor, rapat_id)
    ident = d["identity"]
    pdf = PdfDocument(f"Undangan Rapat Monev {d['label']}", banner="KONSEP" if _draft(d) else None,
                      margins=(20, 12, 20))
    pdf.add_page()
    pdf.kop(ident)
    tgl = d["undangan_ditandatangani_at"].date() if d["undangan_ditandatangani_at"] else clock.today()
    pdf.line_text(tempat_tanggal(ident.kota, tgl), align="R")
    for k, v in (("Nomor", d["nomor_undangan"] or "…"), ("Lampiran", "1 (satu) berkas"),
                 ("Hal", f"Undangan Rapat Monitoring dan Evaluasi {d['label']}")):
        pdf.line_text(f"{k:<10}: {v}")
    pdf.ln(3)
    pdf.line_text("Yth. Bapak/Ibu pegawai sebagaimana daftar terlampir")
    pdf.line_text("di tempat")
    pdf.ln(3)
    pdf.line_text(_pembuka(d), align="J")
    pdf.ln(2)
    pdf.table(["Keterangan", "Uraian"], [["Hari, tanggal", _hari(d["tanggal"])], ["Pukul", f"{d['jam']} WIB s.d. selesai"],
                                         ["Tempat", d["tempat"]], ["Agenda", "\n".join(_agenda_lines(d))]], (30, 110))
    pdf.ln(2)
    pdf.line_text("Mengingat pentingnya acara tersebut, kami mohon kehadiran Bapak/Ibu tepat waktu. Atas perhatian dan "
                  "kehadirannya kami ucapkan terima kasih.", align="J")
    pdf.signature_blocks([None, SignatureBlock.of(ident.kepala, None if ident.kepala else "Kepala")])
    pdf.add_page()
    pdf.title(f"LAMPIRAN UNDANGAN NOMOR {d['nomor_undangan'] or '…'}", "Daftar Pegawai yang Diundang")
    pdf.table(["No", "Nama", "NIP", "Unit Kerja"],
              [[i, r["Nama"], r["NIP"], r["Unit Kerja"]] for i, r in enumerate(d["undangan"].to_dict("records"), 1)],
              (8, 60, 40, 50), ("C", "L", "L", "L"))
    return bytes(pdf.output())


# --- laporan ------------------------------------------------------------------------------------------------------

def _figures(snap: dict[str, Any] | None) -> dict[str, list]:
    """Tables from the snapshot: IKU, budget per rincian, individual performance lines."""
    if not snap:
        return {"iku": [], "anggaran": [], "individu": []}
    iku = [[r["Kode"], r["Indikator"], r["PJ Tim Kerja"], _n(r["Target"]), _n(r["Realisasi"]), _n(r["Capaian (%)"]),
            _n(r["Capaian Kumulatif (%)"]), r["Kategori Kumulatif"] or "-"] for r in snap["iku"]["rows"]]
    ang = [[r["Kode"], r["Rincian Output"], _n(r["Pagu"], 0), _n(r["Realisasi s.d. Bulan"], 0), _n(r["Penyerapan (%)"])]
           for r in snap["anggaran"]["rincian"]]
    ind = snap.get("individu", {})
    lines = []
    if ind.get("skp"):
        lines.append("Status SKP: " + ", ".join(f"{k} {v}" for k, v in ind["skp"].get("status", {}).items()))
    if ind.get("logbook"):
        lb = ind["logbook"]
        lines.append(f"Logbook: rata-rata kelengkapan {_n(lb['rata_persen_bulan'], 1)} %, {lb['lengkap']} dari "
                     f"{lb['pegawai']} pegawai lengkap, {lb['menunggu_penilaian']} kegiatan menunggu penilaian.")
    if ind.get("evaluasi"):
        lines.append("Evaluasi kinerja: " + ", ".join(f"{r['subperiode']} {r['langkah']} {r['jumlah']}"
                                                      for r in ind["evaluasi"]))
    return {"iku": iku, "anggaran": ang, "individu": lines}


def _grafik(snap: dict[str, Any] | None) -> dict[str, list[tuple[str, str, bytes]]]:
    """The charts of the snapshot as PNG: (group, caption, image) for the IKU recap (capaian per indicator), each
    indicator's realisation vs target (grouped by Tim Kerja) and the budget S-curve. A chart that cannot be drawn
    is left out."""
    out: dict[str, list[tuple[str, str, bytes]]] = {"iku": [], "tim": [], "anggaran": []}
    if not snap:
        return out
    data = snap["data"]["label"]
    cap = pd.DataFrame(snap["iku"].get("capaian") or [])
    if not cap.empty:
        img = bagan.png_dokumen(bagan.capaian(cap, snap["iku"].get("pita") or [], lebar=560))
        if img:
            out["iku"].append(("", f"Capaian kumulatif per indikator, data {data}", img))
    for tim in snap.get("tim", []):
        seri = pd.DataFrame(tim.get("seri") or [])
        for iid in (dict.fromkeys(seri["indikator_id"]) if not seri.empty else []):
            part = seri[seri["indikator_id"] == iid]
            r0 = part.iloc[0]
            img = bagan.png_dokumen(bagan.realisasi_vs_target(part, lebar=520, tinggi=170))
            if img:
                out["tim"].append((tim["nama"], f"{r0['Kode']} {r0['Indikator']}: realisasi vs target kumulatif", img))
    kurva = pd.DataFrame(snap["anggaran"].get("kurva") or [])
    if not kurva.empty:
        img = bagan.png_dokumen(bagan.kurva_s(kurva, lebar=520, tinggi=200))
        if img:
            out["anggaran"].append(("", f"Kurva S anggaran: rencana (RPD) vs realisasi kumulatif, data {data}", img))
    return out


def _docx_grafik(doc: Any, items: list[tuple[str, str, bytes]], width_cm: float) -> None:
    group = None
    for g, caption, img in items:
        if g and g != group:
            p = doc.add_paragraph()
            p.add_run(g).bold = True
            p.paragraph_format.keep_with_next = True  # the team's name stays with its first chart
            group = g
        doc.add_picture(io.BytesIO(img), width=Cm(width_cm))
        doc.paragraphs[-1].paragraph_format.keep_with_next = True  # and each chart with its caption
        doc.add_paragraph(f"Grafik: {caption}")


def _pdf_grafik(pdf: PdfDocument, items: list[tuple[str, str, bytes]], width_mm: float) -> None:
    group = None
    for g, caption, img in items:
        if pdf.get_y() + width_mm * 0.5 > pdf.page_break_trigger:
            pdf.add_page()
        if g and g != group:
            pdf.line_text(g, "B")
            group = g
        pdf.image(io.BytesIO(img), w=width_mm)
        pdf.line_text(f"Grafik: {caption}", size=9)


IKU_HEAD = ["Kode", "Indikator", "PJ Tim Kerja", "Target", "Realisasi", "Capaian (%)", "Capaian Kum. (%)", "Kategori"]
ANG_HEAD = ["Kode", "Rincian Output", "Pagu (Rp)", "Realisasi s.d. Bulan (Rp)", "Penyerapan (%)"]
TL_HEAD = ["No", "Tindak Lanjut", "PIC", "Tenggat", "Status"]


def _tl_rows(d: dict[str, Any]) -> list[list]:
    return [[i, r["Tindak Lanjut"], r["PIC"], fmt.tanggal(r["Tenggat"], "dd-MM-y"), r["Status"]]
            for i, r in enumerate(d["tl"].to_dict("records"), 1)]


def _hadir_rows(d: dict[str, Any]) -> list[list]:
    return [[i, r["Nama"], r["NIP"], "Hadir" if r["Hadir"] else "Tidak hadir"]
            for i, r in enumerate(d["hadir"].to_dict("records"), 1)]


def _intro(d: dict[str, Any]) -> str:
    return (f"Rapat Monitoring dan Evaluasi {d['label']} dilaksanakan pada {_hari(d['tanggal'])} pukul {d['jam']} "
            f"di {d['tempat']}, membahas capaian kinerja bulan {d['data_label']}. Notulis: {d['notulis'] or '-'}. "
            f"Hadir {int(d['hadir']['Hadir'].sum())} dari {len(d['hadir'])} pegawai.")


def laporan_docx(actor: Actor, rapat_id: int) -> bytes:
    d = _load(actor, rapat_id)
    ident = d["identity"]
    fig = _figures(d["snapshot"])
    charts = _grafik(d["snapshot"])
    doc = new_document(ident, title=f"LAPORAN MONITORING DAN EVALUASI BULANAN\n{d['label'].upper()}")
    doc.add_heading("I. PELAKSANAAN RAPAT", level=1)
    doc.add_paragraph(_intro(d))
    doc.add_heading("II. CAPAIAN KINERJA", level=1)
    if fig["iku"]:
        add_table(doc, IKU_HEAD, fig["iku"], size=8)
        _docx_grafik(doc, charts["iku"], 15)
        if charts["tim"]:
            doc.add_paragraph("Realisasi dibandingkan target kumulatif per indikator, menurut Tim Kerja penanggung "
                              "jawab (garis putus-putus: target; garis bertitik: realisasi):")
            _docx_grafik(doc, charts["tim"], 13)
    else:
        doc.add_paragraph("Data capaian kinerja belum tersedia pada saat rapat.")
    doc.add_heading("III. REALISASI ANGGARAN", level=1)
    if fig["anggaran"]:
        add_table(doc, ANG_HEAD, fig["anggaran"], size=8, align=["L", "L", "R", "R", "R"])
        _docx_grafik(doc, charts["anggaran"], 14)
    doc.add_heading("IV. KINERJA INDIVIDU", level=1)
    for line in fig["individu"] or ["Data kinerja individu tidak tersedia."]:
        doc.add_paragraph(line)
    doc.add_heading("V. NOTULEN", level=1)
    for a in d["agenda"]:
        doc.add_heading(a["judul"], level=2)
        doc.add_paragraph(a["notulen"] or "-")
    doc.add_heading("VI. TINDAK LANJUT", level=1)
    add_table(doc, TL_HEAD, _tl_rows(d), [1, 7, 3.5, 2.3, 2.2], size=9)
    doc.add_heading("VII. KESIMPULAN", level=1)
    doc.add_paragraph(d["kesimpulan"] or "-")
    if d["foto"]:
        doc.add_heading("VIII. DOKUMENTASI", level=1)
        for nama, ket, isi in d["foto"]:
            doc.add_picture(io.BytesIO(isi), width=Cm(12))
            doc.add_paragraph(ket or nama)
    add_signature_block(doc, ident, ident.kepala, None, peran=None if ident.kepala else "Kepala")
    doc.add_page_break()
    doc.add_paragraph("Lampiran: Daftar Hadir")
    add_table(doc, ["No", "Nama", "NIP", "Kehadiran"], _hadir_rows(d), [1.2, 7, 4.5, 3.3], size=9)
    return to_bytes(doc)


def laporan_pdf(actor: Actor, rapat_id: int) -> bytes:
    d = _load(actor, rapat_id)
    ident = d["identity"]
    fig = _figures(d["snapshot"])
    charts = _grafik(d["snapshot"])
    pdf = PdfDocument(f"Laporan Monev {d['label']}", banner=None if d["status_laporan"] == "DITETAPKAN" else "KONSEP",
                      margins=(18, 12, 18))
    pdf.add_page()
    pdf.kop(ident)
    pdf.title("LAPORAN MONITORING DAN EVALUASI BULANAN", d["label"].upper())

    def head(text: str) -> None:
        pdf.ln(2)
        pdf.line_text(text, "B", 11)

    head("I. PELAKSANAAN RAPAT")
    pdf.line_text(_intro(d), align="J")
    head("II. CAPAIAN KINERJA")
    if fig["iku"]:
        pdf.table(IKU_HEAD, fig["iku"], (10, 40, 22, 13, 13, 13, 13, 16))
        _pdf_grafik(pdf, charts["iku"], 160)
        if charts["tim"]:
            pdf.line_text("Realisasi dibandingkan target kumulatif per indikator, menurut Tim Kerja penanggung jawab "
                          "(garis putus-putus: target; garis bertitik: realisasi):", align="J")
            _pdf_grafik(pdf, charts["tim"], 130)
    else:
        pdf.line_text("Data capaian kinerja belum tersedia pada saat rapat.")
    head("III. REALISASI ANGGARAN")
    if fig["anggaran"]:
        pdf.table(ANG_HEAD, fig["anggaran"], (12, 50, 25, 25, 15), ("L", "L", "R", "R", "R"))
        _pdf_grafik(pdf, charts["anggaran"], 140)
    head("IV. KINERJA INDIVIDU")
    for line in fig["individu"] or ["Data kinerja individu tidak tersedia."]:
        pdf.line_text(line)
    head("V. NOTULEN")
    for a in d["agenda"]:
        pdf.line_text(a["judul"], "B")
        pdf.line_text(a["notulen"] or "-", align="J")
    head("VI. TINDAK LANJUT")
    pdf.table(TL_HEAD, _tl_rows(d), (8, 70, 35, 20, 18))
    head("VII. KESIMPULAN")
    pdf.line_text(d["kesimpulan"] or "-", align="J")
    if d["foto"]:
        head("VIII. DOKUMENTASI")
        for nama, ket, isi in d["foto"]:
            if pdf.get_y() + 70 > pdf.page_break_trigger:
                pdf.add_page()
            pdf.image(io.BytesIO(isi), w=90)
            pdf.line_text(ket or nama, size=9)
    pdf.signature_blocks([None, SignatureBlock.of(ident.kepala, None if ident.kepala else "Kepala")],
                         tempat_tanggal(ident.kota, clock.today()))
    pdf.add_page()
    pdf.title("LAMPIRAN: DAFTAR HADIR", d["label"])
    pdf.table(["No", "Nama", "NIP", "Kehadiran"], _hadir_rows(d), (8, 70, 45, 25), ("C", "L", "L", "L"))
    return bytes(pdf.output())


def laporan_bulan(actor: Actor, tahun: int, bulan: int, fmt_: str = "docx") -> bytes:
    """The month's report (for the command line); NotFound when the month has no meeting."""
    rid = rapat_id_of(actor, tahun, bulan)
    return laporan_pdf(actor, rid) if fmt_ == "pdf" else laporan_docx(actor, rid)

