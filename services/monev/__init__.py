"""Rapat monitoring dan evaluasi bulanan (SOP 002): planning with an agenda template and the invitation workflow
(rapat), the figures frozen when the meeting starts (snapshot), the monthly report workflow and yearly overview
(laporan), the invitation and report documents (dokumen) and Beranda tasks (tugas).

Pages import this package (`from services import monev`), never its modules by path."""

from services.monev import common, dokumen, laporan, rapat, snapshot, tugas

__all__ = ["common", "dokumen", "laporan", "rapat", "snapshot", "tugas"]
