"""Format Penetapan Predikat Kinerja Pegawai (SE MenPANRB 3/2023): per unit and period, a PDF with the kop
surat, the organisational predikat, every pegawai's predikat, the distribution against the curve, and the
signatures of the unit's leader (who sets the predikat) and of the Kepala Satker (mengetahui) - each printed
as Plt./Plh. while an acting assignment runs. Readable by whoever may see every name of the unit's
distribution (leaders, Admin SDM); the print is audited."""

from __future__ import annotations

import datetime as dt

from db.engine import read_session
from db.models import UnitKerja
from services.core import audit, clock, fmt
from services.core.actor import Actor
from services.core.errors import PermissionDenied
from services.core.uow import unit_of_work
from services.documents import (
    PdfDocument,
    Signatory,
    SignatureBlock,
    head_of_unit,
    identity_from_session,
    tempat_tanggal,
)
from services.evaluasi.organisasi import PREDIKAT_LABELS, distribution


def filename(unit_kode: str, tahun: int, nomor: int) -> str:
    slot = "Tahunan" if nomor == 0 else f"P{nomor}"
    return f"Penetapan_Predikat_{unit_kode}_{tahun}_{slot}.pdf"


def penetapan_pdf(actor: Actor, unit_id: int, period_id: int, nomor: int = 0,
                  today: dt.date | None = None) -> tuple[str, bytes]:
    """(filename, PDF) of the Format Penetapan Predikat Kinerja of a unit and period slot (0 = annual)."""
    today = today or clock.today()
    v = distribution(actor, unit_id, period_id, nomor)
    if v.nama_disembunyikan:
        raise PermissionDenied("Format penetapan predikat memuat seluruh pegawai unit; hanya pimpinan unit, "
                               "pimpinan di atasnya, dan Admin SDM yang dapat mencetaknya.")
    with read_session() as s:
        identity = identity_from_session(s)
        unit = s.get(UnitKerja, unit_id)
        assert unit is not None
        pimpinan = head_of_unit(s, unit_id)
        root = unit
        while root.parent_id is not None:
            up = s.get(UnitKerja, root.parent_id)
            if up is None:
                break
            root = up
        kepala = head_of_unit(s, root.id) if root.id != unit_id else None
    pdf = PdfDocument(f"Penetapan Predikat {v.unit_nama} {v.periode_label}", orientation="P", margins=(15, 12, 15),
                      bottom=14)
    pdf.add_page()
    pdf.kop(identity)
    pdf.title("PENETAPAN PREDIKAT KINERJA PEGAWAI", [v.unit_nama, f"Periode {v.periode_label}"])
    pdf.font("", 9.5)
    for label, value in (("Unit kerja", v.unit_nama),
                         ("Periode penilaian", v.periode_label),
                         ("Predikat kinerja organisasi", v.predikat_organisasi or "belum ditetapkan"),
                         ("Nomor penetapan unit di atas", v.nomor_penetapan or "-")):
        pdf.line_text(f"{label}: {value}", "", 9.5)
    pdf.ln(2)
    rows = []
    for n, r in enumerate(v.pegawai.itertuples(), start=1):
        predikat = r.predikat if isinstance(r.predikat, str) and r.predikat else f"Belum dinilai; status: {r.status}"
        rows.append([str(n), f"{r.nama}\nNIP {r.nip}", _text(r.jabatan), _text(r.unit), predikat])
    if not rows:
        rows.append(["", "Belum ada evaluasi kinerja pada periode ini.", "", "", ""])
    pdf.table(["No", "Nama / NIP", "Jabatan", "Unit Kerja", "Predikat Kinerja Pegawai"], rows,
              widths=(8, 50, 46, 38, 38), align=("C", "L", "L", "L", "C"))
    pdf.ln(3)
    pdf.line_text("Distribusi predikat kinerja pegawai", "B", 9.5)
    dist = []
    for key in PREDIKAT_LABELS:
        band = v.allowed.get(key)
        batas = f"{fmt.angka(band[0], 0)}–{fmt.angka(band[1], 0)}%" if band else "-"
        dist.append([key, str(v.counts.get(key, 0)),
                     f"{fmt.angka(v.shares.get(key, 0), 2)}%", batas])
    dist.append(["Jumlah", str(v.total), "100%" if v.total else "0%", ""])
    pdf.table(["Predikat", "Jumlah pegawai", "Persentase", "Rentang kurva"], dist, widths=(50, 30, 30, 40),
              align=("L", "C", "R", "C"))
    if v.violations:
        pdf.ln(1)
        note = "Catatan: distribusi tidak sesuai kurva (" + "; ".join(v.violations) + ")."
        if v.override_alasan:
            note += f" Tetap ditetapkan dengan alasan: {v.override_alasan}."
        pdf.line_text(note, "", 8)
    elif v.saran:
        pdf.ln(1)
        pdf.line_text("Catatan (unit kecil, kurva sebagai saran): " + "; ".join(v.saran) + ".", "", 8)
    pdf.ln(2)
    lead = _block("Yang menetapkan", pimpinan) if pimpinan else SignatureBlock("Yang menetapkan,\nPimpinan Unit Kerja")
    blocks: list[SignatureBlock | None] = [None, lead] if kepala is None else [_block("Mengetahui", kepala), lead]
    pdf.signature_blocks(blocks, tempat_tanggal(identity.kota, today))
    data = bytes(pdf.output())
    with unit_of_work(actor, action="cetak_penetapan") as s:
        audit.record(s, actor, "cetak_penetapan", "KinerjaOrganisasi", unit_id,
                     note=f"Cetak format penetapan predikat {v.unit_nama} {v.periode_label}")
    return filename(v.unit_kode, v.tahun, nomor), data


def _block(peran: str, who: Signatory) -> SignatureBlock:
    """"Yang menetapkan," over the jabatan line, which carries "Plt."/"Plh." for an acting official."""
    prefix = f"{who.plt.strip()} " if who.plt else ""
    return SignatureBlock(f"{peran},\n{prefix}{who.jabatan}", who.nama, who.nip)


def _text(value: object) -> str:
    """A cell: "-" for None or a pandas NaN (never "nan")."""
    return value if isinstance(value, str) and value.strip() else "-"
