"""UI helpers for "Predikat & Distribusi" and "Angka Kredit": table views with Indonesian headers, the Altair
calibration chart (actual share per predikat against the allowed band of SE MenPANRB 3/2023) and small
formatting helpers. No business rules here: numbers come from services/kinerja_organisasi.py and
services/angka_kredit.py."""

from __future__ import annotations

import altair as alt
import pandas as pd

from services.core import fmt
from services.evaluasi import CURVE_ORDER, PREDIKAT_LABELS, DistribusiView, calibration_chart_data

ID_LOCALE = alt.Locale(number=alt.NumberLocale(decimal=",", thousands=".", grouping=[3], currency=["Rp", ""]))
"""Indonesian number formatting inside Vega (decimal comma) for tooltips and axes."""
PREDIKAT_COLORS = {"Sangat Kurang": "#b71c1c", "Kurang/Misconduct": "#ef6c00", "Butuh Perbaikan": "#fbc02d",
                   "Baik": "#43a047", "Sangat Baik": "#1e88e5"}


def overview_view(df: pd.DataFrame) -> pd.DataFrame:
    """The units overview with Indonesian headers (unit names indented by level)."""
    out = pd.DataFrame({
        "Unit Kerja": df["unit_label"],
        "Predikat Organisasi": df["predikat_organisasi"].fillna("Belum ditetapkan"),
        "Pegawai Dievaluasi": df["jumlah_evaluasi"],
        "Sudah Dinilai": df["jumlah_dinilai"],
    })
    for label in PREDIKAT_LABELS:
        out[label] = df[label]
    out["Kurva Distribusi"] = df["distribusi"]
    out["Override"] = df["override"].fillna("-")
    return out


def distribution_table(view: DistribusiView) -> pd.DataFrame:
    rows = []
    for label in CURVE_ORDER:
        band = view.allowed.get(label)
        rows.append({"Predikat": label, "Jumlah": view.counts.get(label, 0),
                     "Persentase": f"{fmt.angka(view.shares.get(label, 0), 2)}%",
                     "Batas yang Diizinkan": (f"{fmt.angka(band[0], 0)}–{fmt.angka(band[1], 0)}%" if band else "-")})
    return pd.DataFrame(rows)


def pegawai_view(df: pd.DataFrame) -> pd.DataFrame:
    return df.rename(columns={"nama": "Nama", "nip": "NIP", "unit": "Unit Kerja", "jabatan": "Jabatan",
                              "predikat": "Predikat", "status": "Status"}).fillna({"Predikat": "-"})


def calibration_chart(view: DistribusiView) -> alt.Chart:
    """Bars of the actual share per predikat (Lampiran axis order, Sangat Kurang → Sangat Baik) with the allowed
    band as a grey area and its bounds as ticks; Indonesian titles and tooltips."""
    data = calibration_chart_data(view)
    order = list(CURVE_ORDER)
    x = alt.X("predikat:N", sort=order, title="Predikat kinerja pegawai", axis=alt.Axis(labelAngle=0, labelLimit=140))
    y_scale = alt.Scale(domain=[0, 100])
    bars = alt.Chart(data).mark_bar(size=38, opacity=0.85).encode(
        x=x, y=alt.Y("aktual:Q", title="Persentase pegawai (%)", scale=y_scale),
        color=alt.Color("predikat:N", sort=order, legend=None,
                        scale=alt.Scale(domain=order, range=[PREDIKAT_COLORS[p] for p in order])),
        tooltip=[alt.Tooltip("predikat:N", title="Predikat"), alt.Tooltip("jumlah:Q", title="Jumlah pegawai"),
                 alt.Tooltip("aktual:Q", title="Persentase (%)", format=".2f"),
                 alt.Tooltip("min:Q", title="Batas bawah (%)", format=".0f"),
                 alt.Tooltip("maks:Q", title="Batas atas (%)", format=".0f")])
    layers = [bars]
    band = data.dropna(subset=["min", "maks"])
    if not band.empty:
        layers.insert(0, alt.Chart(band).mark_bar(size=60, color="#9e9e9e", opacity=0.25).encode(
            x=x, y=alt.Y("min:Q", scale=y_scale), y2="maks:Q",
            tooltip=[alt.Tooltip("predikat:N", title="Predikat"),
                     alt.Tooltip("min:Q", title="Batas bawah (%)", format=".0f"),
                     alt.Tooltip("maks:Q", title="Batas atas (%)", format=".0f")]))
        for col in ("min", "maks"):
            layers.append(alt.Chart(band).mark_tick(color="#424242", thickness=2, size=60).encode(
                x=x, y=alt.Y(f"{col}:Q", scale=y_scale)))
    return alt.layer(*layers).properties(height=300, title=alt.TitleParams(
        f"Kurva distribusi {view.unit_nama} – {view.periode_label}", fontSize=13)).configure(locale=ID_LOCALE)


def final_view(df: pd.DataFrame) -> pd.DataFrame:
    out = df.drop(columns=["pegawai_id"]).rename(columns={
        "nama": "Nama", "nip": "NIP", "unit": "Unit Kerja", "jabatan": "Jabatan",
        "predikat_tahunan": "Predikat Tahunan", "status": "Status Evaluasi Tahunan"})
    return out.astype(object).where(out.notna(), "-")


def ak_rows_view(df: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame({
        "Tahun": df["tahun"].astype(str), "Periode": df["periode"], "Jenis": df["jenis"],
        "Predikat": df["predikat"].fillna("-"), "Bulan": df["bulan"],
        "Persentase": df["persen"].map(lambda v: "-" if v is None or pd.isna(v) else f"{fmt.angka(v, 0)}%"),
        "Koefisien": df["koefisien"].map(lambda v: "-" if v is None or pd.isna(v) else fmt.angka(v, 2)),
        "Angka Kredit": df["nilai"].map(lambda v: fmt.angka(v, 2)),
        "Dihitung": df["dihitung"].map({True: "Ya", False: "Tidak (diganti tahunan)"}),
        "Keterangan": df["keterangan"].fillna(""),
    })
    return out


def ak_year_view(df: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame({"Tahun": df["tahun"].astype(str)})
    for col, label in (("saldo_awal", "Saldo Awal"), ("periodik", "Konversi Periodik"),
                       ("tahunan", "Konversi Tahunan"), ("jumlah", "Jumlah"), ("kumulatif", "Kumulatif")):
        out[label] = df[col].map(lambda v: fmt.angka(v, 2))
    return out
