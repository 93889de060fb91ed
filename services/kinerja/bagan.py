"""Altair charts of the organisational performance, built from the frames of `grafik` (pure Altair, no
Streamlit: the Kinerja Organisasi page and the monev meeting draw them through ui/kinerja_charts.py, the Laporan
Kinerja and the monev report embed them as PNG through `png` / `png_dokumen`).

Indonesian month labels (Jan … Des in calendar order), colours by band (best band green … worst red, whatever
the configured labels), and a `besar` option with large fonts for projector use."""

from __future__ import annotations

import functools
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


def _realisasi_vs_target(data: Any, satuan: str | None, judul: str | None, besar: bool, lebar: int | None,
                         tinggi: int) -> Any:
    base = alt.Chart(data).encode(
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


def realisasi_vs_target(seri: pd.DataFrame, judul: str | None = None, besar: bool = False, lebar: int | None = None,
                        tinggi: int = 260) -> Any:
    """One indicator: the cumulative target line (dashed) and the cumulative realisation (line with points) by
    month. `seri` is `grafik.seri_indikator` filtered to one indicator."""
    satuan = str(seri["Satuan"].iloc[0]) if len(seri) else ""
    return _realisasi_vs_target(seri, satuan, judul, besar, lebar, tinggi)


SERI_CHART_COLS = ["Bulan", "Seri", "Nilai"]  # the columns the realisation-vs-target chart reads
_DATA = "data"  # the named dataset of the specs built from templates
_JUDUL, _SATUAN = "\x00judul", "\x00satuan"  # placeholders filled per indicator


@functools.lru_cache(maxsize=16)
def _realisasi_vs_target_template(berjudul: bool, besar: bool, lebar: int | None, tinggi: int) -> dict[str, Any]:
    """The realisation-vs-target spec with placeholders for the title and the unit and a named dataset: built and
    checked against the Vega-Lite schema once per layout (building and validating an Altair chart costs tens of
    milliseconds; a page draws one per indicator)."""
    chart = _realisasi_vs_target(alt.NamedData(name=_DATA), _SATUAN, _JUDUL if berjudul else None, besar, lebar,
                                 tinggi)
    return spec(chart, validate=True)


def _fill(node: Any, values: dict[str, Any]) -> Any:
    if isinstance(node, dict):
        return {k: _fill(v, values) for k, v in node.items()}
    if isinstance(node, list):
        return [_fill(v, values) for v in node]
    if isinstance(node, str) and node in values:
        return values[node]
    return node


def _fill_list(node: Any, marker: list[str], value: list[Any]) -> Any:
    if isinstance(node, dict):
        return {k: _fill_list(v, marker, value) for k, v in node.items()}
    if isinstance(node, list):
        return list(value) if node == marker else [_fill_list(v, marker, value) for v in node]
    return node


def realisasi_vs_target_spec(seri: pd.DataFrame, judul: str | None = None, besar: bool = False,
                             lebar: int | None = None, tinggi: int = 260) -> dict[str, Any]:
    """`realisasi_vs_target` as a Vega-Lite spec (a dict; the data as a named dataset frame): the same chart, from
    a template built once, so a page with one chart per indicator does not build and validate each chart."""
    satuan = str(seri["Satuan"].iloc[0]) if len(seri) else ""
    out = _fill(_realisasi_vs_target_template(bool(judul), besar, lebar, tinggi),
                {_JUDUL: judul, _SATUAN: satuan or None})
    out["datasets"] = {_DATA: seri[SERI_CHART_COLS].reset_index(drop=True)}
    return out


def spec(chart: Any, validate: bool = False) -> dict[str, Any]:
    """The Vega-Lite spec of an Altair chart as a dict for the browser, without the schema check (`to_dict()`
    validates the whole spec against the Vega-Lite JSON schema, most of a chart's cost) and without Altair's
    default theme (sizes the page sets itself), its data as named datasets."""
    context: dict[str, Any] = {"top_level": False, "datasets": {}}
    out: dict[str, Any] = chart.to_dict(validate=validate, context=context)
    if context["datasets"]:
        out["datasets"] = dict(context["datasets"])
    return out


def _capaian_data(df: pd.DataFrame) -> pd.DataFrame:
    return df.assign(Label=df["Kode"].astype(str) + " " + df["Indikator"].astype(str).str.slice(0, 60),
                     Kategori=df["Kategori"].fillna("Belum ada data"),
                     Nilai=df["Capaian (%)"].fillna(0))


def _capaian_tinggi(n: int, besar: bool) -> int:
    return max(120, (48 if besar else 30) * n)


def _capaian(data: Any, urutan: list[str], tinggi: int, pita: tuple[str, ...], judul: str | None, besar: bool,
             lebar: int | None) -> Any:
    domain = [*pita, "Belum ada data"]
    colours = [*warna_pita(list(pita)), WARNA_KOSONG]
    f = _font(besar)
    bars = alt.Chart(data).mark_bar().encode(
        y=alt.Y("Label:N", title=None, sort=urutan, axis=alt.Axis(labelLimit=520 if besar else 360)),
        x=alt.X("Nilai:Q", title="Capaian kumulatif (%)"),
        color=alt.Color("Kategori:N", title="Kategori", scale=alt.Scale(domain=domain, range=colours)),
        tooltip=[alt.Tooltip("Kode:N"), alt.Tooltip("Indikator:N"), alt.Tooltip("Capaian (%):Q", format=",.2f"),
                 alt.Tooltip("Kategori:N")])
    text = bars.mark_text(align="left", dx=4, fontSize=f["label"]).encode(
        text=alt.Text("Capaian (%):Q", format=",.1f"), color=alt.value("#212121"))
    rule = alt.Chart(pd.DataFrame({"x": [100]})).mark_rule(strokeDash=[4, 4], color="#424242").encode(x="x:Q")
    chart = alt.layer(bars, text, rule).properties(height=tinggi, **({"width": lebar} if lebar else {}))
    return _style(chart, besar, judul)


def capaian(df: pd.DataFrame, pita: list[str], judul: str | None = None, besar: bool = False,
            lebar: int | None = None) -> Any:
    """Horizontal bars: cumulative capaian per indicator, coloured by band, with the 100 % rule. `df` is
    `grafik.capaian` (indicators without a figure are shown as 'Belum ada data')."""
    data = _capaian_data(df)
    return _capaian(data, list(data["Label"]), _capaian_tinggi(len(data), besar), tuple(pita), judul, besar, lebar)


CAPAIAN_CHART_COLS = ["Label", "Kategori", "Nilai", "Kode", "Indikator", "Capaian (%)"]
_URUTAN = "\x00urutan"


@functools.lru_cache(maxsize=16)
def _capaian_template(pita: tuple[str, ...], berjudul: bool, besar: bool, lebar: int | None) -> dict[str, Any]:
    return spec(_capaian(alt.NamedData(name=_DATA), [_URUTAN], 120, pita, _JUDUL if berjudul else None, besar,
                         lebar), validate=True)


def capaian_spec(df: pd.DataFrame, pita: list[str], judul: str | None = None, besar: bool = False,
                 lebar: int | None = None) -> dict[str, Any]:
    """`capaian` as a Vega-Lite spec (a dict), from a template built and checked once per layout and bands."""
    data = _capaian_data(df)
    out = _fill(_capaian_template(tuple(pita), bool(judul), besar, lebar), {_JUDUL: judul})
    out = _fill_list(out, [_URUTAN], list(data["Label"]))
    out["height"] = _capaian_tinggi(len(data), besar)
    out["datasets"] = {**out.get("datasets", {}), _DATA: data[CAPAIAN_CHART_COLS].reset_index(drop=True)}
    return out


def _kurva_s(data: Any, judul: str | None, besar: bool, lebar: int | None, tinggi: int) -> Any:
    base = alt.Chart(data).encode(
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


def kurva_s(df: pd.DataFrame, judul: str | None = None, besar: bool = False, lebar: int | None = None,
            tinggi: int = 280) -> Any:
    """Budget S-curve: cumulative RPD (dashed) and cumulative realisation by month, in rupiah with the share of the
    pagu in the tooltip. `df` is `grafik.kurva_s`."""
    return _kurva_s(df, judul, besar, lebar, tinggi)


KURVA_CHART_COLS = ["Bulan", "Seri", "Nilai", "Persen Pagu"]


@functools.lru_cache(maxsize=16)
def _kurva_s_template(berjudul: bool, besar: bool, lebar: int | None, tinggi: int) -> dict[str, Any]:
    return spec(_kurva_s(alt.NamedData(name=_DATA), _JUDUL if berjudul else None, besar, lebar, tinggi),
                validate=True)


def kurva_s_spec(df: pd.DataFrame, judul: str | None = None, besar: bool = False, lebar: int | None = None,
                 tinggi: int = 280) -> dict[str, Any]:
    """`kurva_s` as a Vega-Lite spec (a dict), from a template built and checked once per layout."""
    out = _fill(_kurva_s_template(bool(judul), besar, lebar, tinggi), {_JUDUL: judul})
    out["datasets"] = {_DATA: df[KURVA_CHART_COLS].reset_index(drop=True)}
    return out


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
