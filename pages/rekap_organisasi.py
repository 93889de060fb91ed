"""Rekap Organisasi: active pegawai by unit, jenis jabatan, golongan, ASN type and jenjang fungsional."""

import altair as alt
import streamlit as st

from services.core import fmt
from services.org import units as org
from ui.guard import page_actor

actor = page_actor(__file__)

st.title("Rekap Organisasi")
st.caption("Jumlah pegawai aktif menurut data kepegawaian saat ini.")

summary = org.org_summary(actor)


def bar(df, category: str, category_title: str, *, horizontal: bool = False, sort=None, color: str | None = None,
        color_title: str | None = None) -> alt.Chart:
    """A bar chart with Indonesian axis titles and integer ticks."""
    value = alt.X if horizontal else alt.Y
    cat = alt.Y if horizontal else alt.X
    enc = {
        ("x" if horizontal else "y"): value("jumlah:Q", title="Jumlah pegawai", axis=alt.Axis(format="d", tickMinStep=1)),
        ("y" if horizontal else "x"): cat(f"{category}:N", title=None if horizontal else category_title, sort=sort,
                                          axis=alt.Axis(labelLimit=260, labelAngle=0, labelOverlap=False)),
        "tooltip": [alt.Tooltip(f"{category}:N", title=category_title),
                    alt.Tooltip("jumlah:Q", title="Jumlah pegawai", format="d")],
    }
    if color:
        enc["color"] = alt.Color(f"{color}:N", title=color_title)
        enc["tooltip"].insert(0, alt.Tooltip(f"{color}:N", title=color_title))
    height = max(160, 28 * len(df)) if horizontal else 280
    return alt.Chart(df).mark_bar().encode(**enc).properties(height=height)


cols = st.columns(5)
cols[0].metric("Pegawai aktif", fmt.angka(summary.total))
cols[1].metric("PNS", fmt.angka(summary.pns))
cols[2].metric("PPPK", fmt.angka(summary.pppk))
cols[3].metric("Unit kerja aktif", fmt.angka(summary.jumlah_unit))
cols[4].metric("Tim kerja aktif", fmt.angka(summary.jumlah_tim))

if summary.total == 0:
    st.info("Belum ada pegawai aktif.")
    st.stop()

st.subheader("Pegawai per unit kerja")
per_unit = summary.per_unit.assign(label=lambda d: d["kode"].where(d["kode"] != "-", "") + " " + d["unit"])
per_unit["label"] = per_unit["label"].str.strip()
st.altair_chart(bar(per_unit, "label", "Unit kerja", horizontal=True, sort=None), width="stretch")
with st.expander("Tabel per unit kerja"):
    st.dataframe(summary.per_unit, hide_index=True, width="stretch", column_config={
        "kode": "Kode", "unit": "Unit kerja", "induk": "Induk",
        "jumlah": st.column_config.NumberColumn("Jumlah pegawai", format="%d")}, placeholder="")

left, right = st.columns(2)
with left:
    st.subheader("Menurut jenis jabatan")
    st.altair_chart(bar(summary.per_jenis_jabatan, "jenis", "Jenis jabatan",
                        sort=summary.per_jenis_jabatan["jenis"].tolist()), width="stretch")
    st.dataframe(summary.per_jenis_jabatan, hide_index=True, width="stretch", column_config={
        "jenis": "Jenis jabatan", "jumlah": st.column_config.NumberColumn("Jumlah pegawai", format="%d")}, placeholder="")
with right:
    st.subheader("Menurut golongan")
    st.altair_chart(bar(summary.per_golongan, "kelompok", "Golongan",
                        sort=summary.per_golongan["kelompok"].tolist()), width="stretch")
    st.dataframe(summary.per_golongan, hide_index=True, width="stretch", column_config={
        "kelompok": "Golongan", "jumlah": st.column_config.NumberColumn("Jumlah pegawai", format="%d")}, placeholder="")

left, right = st.columns(2)
with left:
    st.subheader("PNS dan PPPK")
    st.altair_chart(bar(summary.per_asn, "jenis_asn", "Jenis ASN", sort=["PNS", "PPPK"]), width="stretch")
    st.dataframe(summary.per_asn, hide_index=True, width="stretch", column_config={
        "jenis_asn": "Jenis ASN", "jumlah": st.column_config.NumberColumn("Jumlah pegawai", format="%d")}, placeholder="")
with right:
    st.subheader("Jabatan fungsional menurut jenjang")
    jf = summary.fungsional_jenjang
    # One bar per (kategori, jenjang): the same jenjang name may occur in two kategori; every label shown.
    jf_chart = jf.assign(label=jf["jenjang"] + " (" + jf["kategori"] + ")")
    st.altair_chart(bar(jf_chart, "label", "Jenjang", horizontal=True, sort=jf_chart["label"].tolist(),
                        color="kategori", color_title="Kategori"), width="stretch")
    st.dataframe(jf, hide_index=True, width="stretch", column_config={
        "kategori": "Kategori", "jenjang": "Jenjang",
        "jumlah": st.column_config.NumberColumn("Jumlah pegawai", format="%d")}, placeholder="")
