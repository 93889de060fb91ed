"""Excel export of a kertas kerja in the usual layout: one row per indicator under its sasaran; the period on the
first sheet, the cumulative figures to the period's end on the second, the per-sasaran summary and budget on a
third. Written with the formula-safe writer of services.core.export."""

from __future__ import annotations

from typing import Any

import pandas as pd

from services.core import export
from services.core.actor import Actor
from services.core.errors import NotFound
from services.kinerja import kertas

HEADERS = ["Sasaran", "Kode", "Indikator", "Satuan", "Polaritas", "Target", "Target Maks", "Realisasi", "Capaian (%)",
           "Kategori", "PJ Tim Kerja", "Status Data", "Kendala", "Rencana Tindak Lanjut"]


def _sheet(rows: pd.DataFrame, cumulative: bool) -> pd.DataFrame:
    src = rows.copy()
    if cumulative:
        src = src.assign(**{"Target": src["Target Kumulatif"], "Target Maks": src["Target Maks Kumulatif"],
                            "Realisasi": src["Realisasi Kumulatif"], "Capaian (%)": src["Capaian Kumulatif (%)"],
                            "Kategori": src["Kategori Kumulatif"]})
    return src.reindex(columns=HEADERS)


def frames(view: dict[str, Any]) -> dict[str, pd.DataFrame]:
    rows = view["baris"]
    ring = view["ringkasan"]
    budget = pd.DataFrame([ring.get("anggaran", {})])
    summary = pd.DataFrame(ring.get("sasaran", []))
    return {f"{view['label']}": _sheet(rows, False), "Kumulatif s.d. periode": _sheet(rows, True),
            "Capaian per Sasaran": summary, "Anggaran": budget}


def kertas_kerja_xlsx(actor: Actor, tahun: int, jenis: str, nomor: int) -> bytes:
    """The current (latest ratified, else working) kertas kerja as .xlsx; NotFound when none exists."""
    view = kertas.current(actor, tahun, jenis, nomor)
    if view is None or view["baris"].empty:
        raise NotFound(f"Kertas kerja {kertas.label(tahun, jenis, nomor)} belum ada.")
    return export.to_excel_bytes(frames(view))
