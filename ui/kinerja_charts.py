"""UI side of the organisational-performance charts (Kinerja Organisasi page, monev meeting): draws the Altair
charts of `kinerja.bagan` from the frames of `kinerja.grafik`, with a projector mode (large fonts). The charts go
to the browser as Vega-Lite specs filled in from templates built and checked once (`bagan.realisasi_vs_target_spec`,
`capaian_spec`, `kurva_s_spec`): st.altair_chart builds and validates every chart, which cost most of the page's
time with one chart per indicator.

    from services import kinerja
from ui.pager import pager
    from ui import kinerja_charts as kc
    kc.indikator_grid(kinerja.grafik.seri_indikator(actor, tahun, bulan, tim_id), besar=True)
    kc.capaian(kinerja.grafik.capaian(actor, tahun, bulan), kinerja.grafik.pita(actor))
    kc.kurva_s(kinerja.grafik.kurva_s(actor, tahun, bulan))
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from services import kinerja
from ui.pager import pager

bagan = kinerja.bagan
WARNA_PITA = bagan.WARNA_PITA
warna_pita = bagan.warna_pita
realisasi_vs_target_chart = bagan.realisasi_vs_target
capaian_chart = bagan.capaian
kurva_s_chart = bagan.kurva_s


def mode_proyektor(key: str) -> bool:
    """A toggle for large fonts (meeting-room projector)."""
    return st.toggle("Mode proyektor (huruf besar)", key=key)


def indikator(seri: pd.DataFrame, indikator_id: int, besar: bool = False) -> None:
    part = seri[seri["indikator_id"] == indikator_id]
    _indikator(part, besar)


def _indikator(part: pd.DataFrame, besar: bool) -> None:
    if part.empty:
        st.caption("Belum ada data indikator ini.")
        return
    r = part.iloc[0]
    st.vega_lite_chart(spec=bagan.realisasi_vs_target_spec(part, judul=f"{r['Kode']} {r['Indikator']}", besar=besar,
                                                           tinggi=340 if besar else 240), width="stretch")


GRAFIK_PER_HALAMAN = 12  # indicator charts per page when the grid is paged


def indikator_grid(seri: pd.DataFrame, besar: bool = False, kolom: int | None = None,
                   halaman_key: str | None = None) -> None:
    """Every indicator's realisation-vs-target chart, two per row (one per row in projector mode). With
    `halaman_key`, more than `GRAFIK_PER_HALAMAN` indicators are shown a page at a time with a visible pager (a
    ministry's Perjanjian Kinerja has dozens of indicators: each chart costs its own render)."""
    ids = list(dict.fromkeys(seri["indikator_id"]))
    if not ids:
        st.info("Belum ada indikator Perjanjian Kinerja untuk ditampilkan.")
        return
    if halaman_key is not None:
        page = pager(halaman_key, total=len(ids), size=GRAFIK_PER_HALAMAN, label="indikator")
        ids = ids[page.offset:page.offset + page.limit]
    parts = dict(tuple(seri[seri["indikator_id"].isin(ids)].groupby("indikator_id", sort=False)))
    n = kolom or (1 if besar else 2)
    for start in range(0, len(ids), n):
        cols = st.columns(n)
        for col, iid in zip(cols, ids[start:start + n], strict=False):
            with col:
                _indikator(parts.get(iid, seri.iloc[0:0]), besar)


def capaian(df: pd.DataFrame, pita: list[str], besar: bool = False, judul: str | None = None) -> None:
    if df.empty:
        st.info("Belum ada indikator untuk ditampilkan.")
        return
    st.vega_lite_chart(spec=bagan.capaian_spec(df, pita, judul=judul, besar=besar), width="stretch")


def kurva_s(df: pd.DataFrame, besar: bool = False, judul: str | None = None) -> None:
    if df.empty:
        st.info("Belum ada rincian output dan rencana penarikan dana (RPD) pada Perjanjian Kinerja.")
        return
    st.vega_lite_chart(spec=bagan.kurva_s_spec(df, judul=judul, besar=besar, tinggi=380 if besar else 280),
                       width="stretch")
