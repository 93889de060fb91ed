"""Altair charts of the organisational performance, built from the frames of `grafik` (pure Altair, no
Streamlit: the Kinerja Organisasi page and the monev meeting draw them through ui/kinerja_charts.py, the Laporan
Kinerja and the monev report embed them as PNG through `png` / `png_dokumen`).

Indonesian month labels (Jan … Des in calendar order), colours by band (best band green … worst red, whatever
the configured labels), and a `besar` option with large fonts for projector use."""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd

from services.kinerja.common import BULAN

WARNA_PITA = ("#2e7d32", "#7cb342", "#fbc02d", "#f57c00", "#c62828")
WARNA_KOSONG = "#9e9e9e"
WARNA_TARGET = "#546e7a"
WARNA_REALISASI = "#1565c0"


def warna_pita(pita: list[str]) -> list[str]:
    """One colour per band label (best first): spread over green → red."""
    n = len(pita)
    if n <= 1:
        return [WARNA_PITA[0]] * n
    return [WARNA_PITA[round(i * (len(WARNA_PITA) - 1) / (n - 1))] for i in range(n)]


def _font(besar: bool) -> dict[str, int]:
    return {"label": 18 if besar else 12, "title": 20 if besar else 13, "judul": 26 if besar else 15}


def _style(chart: Any, besar: bool, judul: str | None) -> Any:
    f = _font(besar)
    if judul:
        chart = chart.properties(title=alt.Title(judul, fontSize=f["judul"], anchor="start"))
    return (chart.configure_axis(labelFontSize=f["label"], titleFontSize=f["title"])
            .configure_legend(labelFontSize=f["label"], titleFontSize=f["title"], orient="bottom", labelLimit=400)
            .configure_view(strokeWidth=0))


def _bulan_x(besar: bool) -> alt.X:
    return alt.X("Bulan:N", sort=list(BULAN), title=None, scale=alt.Scale(domain=list(BULAN)),
                 axis=alt.Axis(labelAngle=0))


def realisasi_vs_target(seri: pd.DataFrame, judul: str | None = None, besar: bool = False, lebar: int | None = None,
                        tinggi: int = 260) -> Any:
    """One indicator: the cumulative target line (dashed) and the cumulative realisation (line with points) by
    month. `seri` is `grafik.seri_indikator` filtered to one indicator."""
    satuan = str(seri["Satuan"].iloc[0]) if len(seri) else ""
    base = alt.Chart(seri).encode(
        x=_bulan_x(besar),
        y=alt.Y("Nilai:Q", title=satuan or None),
        color=alt.Color("Seri:N", title=None, scale=alt.Scale(domain=["Target kumulatif", "Realisasi kumulatif"],
                                                              range=[WARNA_TARGET, WARNA_REALISASI])),
        tooltip=[alt.Tooltip("Bulan:N"), alt.Tooltip("Seri:N"), alt.Tooltip("Nilai:Q", format=",.2f")])
    target = base.transform_filter(alt.datum.Seri == "Target kumulatif").mark_line(
        strokeDash=[6, 4], strokeWidth=3 if besar else 2)
    real = base.transform_filter(alt.datum.Seri == "Realisasi kumulatif").mark_line(
        point=alt.OverlayMarkDef(size=120 if besar else 50), strokeWidth=4 if besar else 2.5)
    chart = alt.layer(target, real).properties(height=tinggi, **({"width": lebar} if lebar else {}))
    return _style(chart, besar, judul)


def capaian(df: pd.DataFrame, pita: list[str], judul: str | None = None, besar: bool = False,
            lebar: int | None = None) -> Any:
    """Horizontal bars: cumulative capaian per indicator, coloured by band, with the 100 % rule. `df` is
    `grafik.capaian` (indicators without a figure are shown as 'Belum ada data')."""
    data = df.assign(Label=df["Kode"].astype(str) + " " + df["Indikator"].astype(str).str.slice(0, 60),
                     Kategori=df["Kategori"].fillna("Belum ada data"),
                     Nilai=df["Capaian (%)"].fillna(0))
    domain = [*pita, "Belum ada data"]
    colours = [*warna_pita(pita), WARNA_KOSONG]
    f = _font(besar)
    bars = alt.Chart(data).mark_bar().encode(
        y=alt.Y("Label:N", title=None, sort=list(data["Label"]), axis=alt.Axis(labelLimit=520 if besar else 360)),
        x=alt.X("Nilai:Q", title="Capaian kumulatif (%)"),
        color=alt.Color("Kategori:N", title="Kategori", scale=alt.Scale(domain=domain, range=colours)),
        tooltip=[alt.Tooltip("Kode:N"), alt.Tooltip("Indikator:N"), alt.Tooltip("Capaian (%):Q", format=",.2f"),
                 alt.Tooltip("Kategori:N")])
    text = bars.mark_text(align="left", dx=4, fontSize=f["label"]).encode(
        text=alt.Text("Capaian (%):Q", format=",.1f"), color=alt.value("#212121"))
    rule = alt.Chart(pd.DataFrame({"x": [100]})).mark_rule(strokeDash=[4, 4], color="#424242").encode(x="x:Q")
    chart = alt.layer(bars, text, rule).properties(height=max(120, (48 if besar else 30) * len(data)),
                                                   **({"width": lebar} if lebar else {}))
    return _style(chart, besar, judul)


def kurva_s(df: pd.DataFrame, judul: str | None = None, besar: bool = False, lebar: int | None = None,
            tinggi: int = 280) -> Any:
    """Budget S-curve: cumulative RPD (dashed) and cumulative realisation by month, in rupiah with the share of the
    pagu in the tooltip. `df` is `grafik.kurva_s`."""
    base = alt.Chart(df).encode(
        x=_bulan_x(besar),
        y=alt.Y("Nilai:Q", title="Rupiah (kumulatif)", axis=alt.Axis(format="~s")),
        color=alt.Color("Seri:N", title=None, scale=alt.Scale(domain=["Rencana (RPD)", "Realisasi anggaran"],
                                                              range=[WARNA_TARGET, "#ef6c00"])),
        tooltip=[alt.Tooltip("Bulan:N"), alt.Tooltip("Seri:N"), alt.Tooltip("Nilai:Q", format=",.0f"),
                 alt.Tooltip("Persen Pagu:Q", title="% pagu", format=",.2f")])
    rpd = base.transform_filter(alt.datum.Seri == "Rencana (RPD)").mark_line(strokeDash=[6, 4],
                                                                             strokeWidth=3 if besar else 2)
    real = base.transform_filter(alt.datum.Seri == "Realisasi anggaran").mark_line(
        point=alt.OverlayMarkDef(size=120 if besar else 50), strokeWidth=4 if besar else 2.5)
    chart = alt.layer(rpd, real).properties(height=tinggi, **({"width": lebar} if lebar else {}))
    return _style(chart, besar, judul)


def png(chart: alt.TopLevelMixin, scale: float = 2.0) -> bytes:
    """The chart as PNG (vl-convert; no browser needed)."""
    import vl_convert as vlc

    return vlc.vegalite_to_png(chart.to_json(), scale=scale)


def png_dokumen(chart: alt.TopLevelMixin, scale: float = 2.0) -> bytes | None:
    """The chart as PNG for a document, or None when it cannot be drawn (a chart must not block a report)."""
    try:
        return png(chart, scale=scale)
    except Exception:  # noqa: BLE001 - see above
        return None
