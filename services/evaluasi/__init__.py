"""Evaluasi kinerja periodik dan tahunan (SOP 000 steps 3–8, PermenPANRB 6/2022): the pegawai side
(pegawai), pertimbangan/penilaian/persetujuan (penilaian), shared core and deadlines (common), Beranda tasks
(tugas), monitoring, organisational predikat and distribution curve (organisasi), angka kredit, documents
(dokumen), the archive register and PDM export (arsip) and PDFs (pdf).

Pages import this package (`from services import evaluasi`) or names from it, never its modules by path."""

from services.evaluasi import (
    angka_kredit,
    arsip,
    common,
    dokumen,
    monitoring,
    organisasi,
    pdf,
    pegawai,
    penetapan,
    penilaian,
    tugas,
)
from services.evaluasi.common import EvaluasiDetail  # noqa: E402
from services.evaluasi.organisasi import CURVE_ORDER, PREDIKAT_LABELS, DistribusiView, calibration_chart_data  # noqa: E402
from services.evaluasi.pdf import evaluasi_pdf  # noqa: E402

__all__ = [
    "angka_kredit",
    "arsip",
    "common",
    "dokumen",
    "monitoring",
    "organisasi",
    "pdf",
    "pegawai",
    "penetapan",
    "penilaian",
    "tugas",
    "evaluasi_pdf",
    "EvaluasiDetail",
    "CURVE_ORDER",
    "PREDIKAT_LABELS",
    "DistribusiView",
    "calibration_chart_data",
]
