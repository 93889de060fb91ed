"""UI helpers for the SKP monitoring and cascade pages: the period selector and Altair charts (Indonesian
titles, integer ticks)."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from services.core import Actor
from services.org import PeriodInfo, periods
from services.skp import GAP_KINDS, STATUS_ORDER

STATUS_COLORS = {"Belum dibuat": "#9e9e9e", "Draft": "#90caf9", "Diajukan": "#ffb74d", "Dikembalikan": "#e57373",
                 "Disetujui": "#66bb6a"}
GAP_COLORS = ("#ef6c00", "#c62828")


def period_select(actor: Actor, key: str) -> PeriodInfo | None:
    """A selectbox of the periods the actor may read (open ones; Admin SDM also closed ones), defaulting to
    the period of today. None (with a notice) when there is none."""
    options = periods.open_periods(actor)
    if actor.is_admin:
        opened = {p.id for p in options}
        closed = [periods.get_period(actor, int(i)) for i in periods.list_periods(actor)["id"] if int(i) not in opened]
        options = sorted([*options, *closed], key=lambda p: -p.tahun)
    if not options:
        st.info("Belum ada periode kinerja yang dibuka. Admin SDM membukanya di menu **Periode & Instansi**.")
        return None
    current = periods.current_period(actor)
    index = next((i for i, p in enumerate(options) if current and p.id == current.id), 0)
    return st.selectbox("Periode", options, index=index, key=key,
                        format_func=lambda p: p.label + ("" if p.dibuka else " · ditutup"))


def _height(df: pd.DataFrame, column: str) -> int:
    return max(160, 45 * df[column].nunique())


def status_per_unit(df: pd.DataFrame) -> alt.Chart:
    """Stacked horizontal bar: pegawai per unit kerja, split by SKP status."""
    order = list(STATUS_ORDER)
    data = df.assign(urutan=df["status"].map({s: i for i, s in enumerate(order)}))
    return alt.Chart(data).mark_bar().encode(
        x=alt.X("sum(jumlah):Q", title="Jumlah pegawai", axis=alt.Axis(format="d", tickMinStep=1)),
        y=alt.Y("unit:N", title=None, axis=alt.Axis(labelLimit=280)),
        color=alt.Color("status:N", title="Status SKP", sort=order,
                        scale=alt.Scale(domain=order, range=[STATUS_COLORS[s] for s in order]),
                        legend=alt.Legend(orient="right")),
        order=alt.Order("urutan:Q"),
        tooltip=[alt.Tooltip("unit:N", title="Unit kerja"), alt.Tooltip("status:N", title="Status SKP"),
                 alt.Tooltip("jumlah:Q", title="Jumlah pegawai", format="d")],
    ).properties(height=_height(df, "unit"))


def gaps_per_unit(df: pd.DataFrame) -> alt.Chart:
    """Stacked horizontal bar: RHK with a cascade gap per unit kerja, by kind of gap."""
    kinds = list(GAP_KINDS)
    return alt.Chart(df).mark_bar().encode(
        x=alt.X("sum(jumlah):Q", title="Jumlah RHK bercelah", axis=alt.Axis(format="d", tickMinStep=1)),
        y=alt.Y("unit:N", title=None, axis=alt.Axis(labelLimit=280)),
        color=alt.Color("celah:N", title="Jenis celah", sort=kinds,
                        scale=alt.Scale(domain=kinds, range=list(GAP_COLORS)), legend=alt.Legend(orient="right")),
        tooltip=[alt.Tooltip("unit:N", title="Unit kerja"), alt.Tooltip("celah:N", title="Jenis celah"),
                 alt.Tooltip("jumlah:Q", title="Jumlah RHK", format="d")],
    ).properties(height=_height(df, "unit"))
