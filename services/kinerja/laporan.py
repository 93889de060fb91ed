"""Laporan Kinerja DOCX (PermenPANRB 53/2014 chapters: Ikhtisar Eksekutif, Bab I–IV, Lampiran Perjanjian
Kinerja) drafted from the current kertas kerja (the latest ratified version when there is one), with the kop
surat of the office. Monthly (bulan 1..12) or annual (bulan None).

Not yet built: narrative fields edited by the Perencana, the Kasubbag YA/TIDAK review loop, the Kepala's
ratification, archive (signed scan, proof of sending) and charts as images; the narrative paragraphs are standard
text to be completed by the Perencana in the DOCX.
"""

from __future__ import annotations

from services.core import clock
from services.core.actor import Actor
from services.core.errors import NotFound
from services.documents import add_signature_block, add_table, new_document, office_identity, to_bytes
from services.kinerja import kertas, pk


def _n(v) -> str:
    if v is None or v != v:
        return "-"
    return f"{v:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")


def laporan_docx(actor: Actor, tahun: int, bulan: int | None = None) -> bytes:
    jenis, nomor = ("bulan", bulan) if bulan else ("tahun", 0)
    view = kertas.current(actor, tahun, jenis, nomor)
    if view is None or view["baris"].empty:
        raise NotFound(f"Kertas kerja {kertas.label(tahun, jenis, nomor)} belum ada; laporan tidak dapat disusun.")
    ident = office_identity()
    rows, ring = view["baris"], view["ringkasan"]
    doc = new_document(ident, title=f"LAPORAN KINERJA {view['label'].upper()}")
    status = "disahkan" if view["status"] == "DISAHKAN" else "belum disahkan (draf)"
    doc.add_heading("IKHTISAR EKSEKUTIF", level=1)
    doc.add_paragraph(
        f"Laporan ini menyajikan capaian kinerja {ident.satker or ident.instansi or 'satuan kerja'} periode "
        f"{view['label']} berdasarkan Kertas Kerja Perhitungan Kinerja yang {status}. Rata-rata capaian kumulatif "
        f"indikator {_n(ring.get('capaian_rata_rata'))} % (kategori {ring.get('kategori') or '-'}); penyerapan "
        f"anggaran {_n(ring.get('anggaran', {}).get('Penyerapan thd Pagu (%)'))} % dari pagu.")
    doc.add_heading("BAB I PENDAHULUAN", level=1)
    doc.add_paragraph("Gambaran umum organisasi, aspek strategis, dan isu strategis (diisi Petugas Perencana).")
    doc.add_heading("BAB II PERENCANAAN KINERJA", level=1)
    pk_df = pk.indikator_frame(actor, tahun)
    add_table(doc, ["Sasaran", "Indikator", "Satuan", "Target Tahunan"],
              [[r["Sasaran"], r["Indikator"], r["Satuan"], _n(r["Target"])] for r in pk_df.to_dict("records")])
    doc.add_heading("BAB III AKUNTABILITAS KINERJA", level=1)
    doc.add_heading("A. Capaian Kinerja Organisasi", level=2)
    for sas in ring.get("sasaran", []):
        doc.add_paragraph(f"Sasaran {sas['Kode Sasaran']}: {sas['Sasaran']} — capaian kumulatif "
                          f"{_n(sas.get('Capaian Kumulatif (%)'))} % ({sas.get('Kategori Kumulatif') or '-'}).")
        part = rows[rows["Kode Sasaran"] == sas["Kode Sasaran"]]
        add_table(doc, ["Indikator", "Satuan", "Target", "Realisasi", "Capaian (%)", "Realisasi Kumulatif",
                        "Capaian Kumulatif (%)"],
                  [[r["Indikator"], r["Satuan"], _n(r["Target"]), _n(r["Realisasi"]), _n(r["Capaian (%)"]),
                    _n(r["Realisasi Kumulatif"]), _n(r["Capaian Kumulatif (%)"])] for r in part.to_dict("records")])
        for r in part.to_dict("records"):
            if r.get("Kendala") or r.get("Rencana Tindak Lanjut"):
                doc.add_paragraph(f"{r['Kode']}: kendala — {r.get('Kendala') or '-'}; rencana tindak lanjut — "
                                  f"{r.get('Rencana Tindak Lanjut') or '-'}.")
    doc.add_heading("B. Realisasi Anggaran", level=2)
    ang = ring.get("anggaran", {})
    add_table(doc, list(ang), [[_n(v) for v in ang.values()]])
    doc.add_heading("BAB IV PENUTUP", level=1)
    doc.add_paragraph("Kesimpulan dan langkah ke depan (diisi Petugas Perencana).")
    doc.add_heading("LAMPIRAN: PERJANJIAN KINERJA", level=1)
    add_table(doc, ["Kode", "Indikator", "Polaritas", "Agregasi", "Target", "PJ Tim Kerja"],
              [[r["Kode"], r["Indikator"], r["Polaritas"], r["Agregasi"], _n(r["Target"]), r["PJ Tim Kerja"]]
               for r in pk_df.to_dict("records")])
    add_signature_block(doc, ident, ident.kepala,
                        f"{ident.kota or ''}, {clock.today().strftime('%d-%m-%Y')}".strip(", "), peran="Kepala")
    return to_bytes(doc)
