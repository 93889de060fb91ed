"""Kinerja Organisasi: the year's IKU recap with capaian bands, realisation-vs-target charts per indicator, the
capaian chart and the budget S-curve, for leaders and every Tim Kerja (filter per Tim Kerja)."""

import pandas as pd
import streamlit as st

from services import kinerja
from services.core import clock, fmt
from ui import kinerja_charts as kc
from ui.actions import or_stop
from ui.guard import page_actor
from ui.tabs import page_tabs
from ui.text import md

actor = page_actor(__file__)
G = kinerja.grafik

st.title("Kinerja Organisasi")
st.caption("Capaian indikator Perjanjian Kinerja dari realisasi bulanan yang telah diajukan Tim Kerja: realisasi "
           "kumulatif terhadap target, capaian per indikator menurut pita capaian yang ditetapkan, dan kurva S "
           "penyerapan anggaran (SOP 001 Pengukuran Data Kinerja; PermenPANRB 53/2014).")
today = clock.today()
c1, c2, c3, c4 = st.columns([1, 1, 2, 1])
tahun = int(c1.number_input("Tahun", min_value=2000, max_value=2100, value=today.year, step=1, key="korg_tahun"))
bulan = c2.selectbox("Sampai bulan", list(range(1, 13)), index=G.default_bulan(tahun) - 1,
                     format_func=kinerja.common.nama_bulan, key="korg_bulan")
tims = dict(or_stop(G.tim_options, actor, tahun))
if not tims:
    st.info(f"Perjanjian Kinerja tahun {md(tahun)} belum berisi indikator.")
    st.stop()
options: list[int | None] = [None, *tims]
mine = G.tim_saya(actor)
tim_id = c3.selectbox("Tim Kerja", options, index=options.index(mine) if mine in options else 0,
                      format_func=lambda t: "Semua Tim Kerja" if t is None else tims[t], key="korg_tim")
besar = c4.toggle("Mode proyektor", key="korg_besar", help="Huruf besar dan satu grafik per baris untuk layar rapat.")

pita = G.pita(actor)
rekap = G.rekap(actor, tahun, bulan, tim_id)
ring = G.ringkasan(rekap, pita)
label = f"s.d. {kinerja.common.nama_bulan(bulan)} {tahun}"
m = st.columns([1, 2] + [1] * len(pita))  # the average's label and "99,70 %" need two columns' width at 1366 px
m[0].metric("Indikator", ring["jumlah"], f"{ring['terisi']} berdata", delta_color="off")
m[1].metric("Rata-rata capaian kumulatif",
            "-" if ring["rata_rata"] is None else f"{fmt.angka(ring['rata_rata'], 2)} %")
for col, p in zip(m[2:], pita, strict=True):
    col.metric(p, ring["per_kategori"][p])

tab_rekap, tab_ind, tab_cap, tab_ang = page_tabs(["Rekap IKU", "Grafik per indikator", "Capaian", "Anggaran (kurva S)"], key="ko_tab")
with tab_rekap:
    st.subheader(f"Rekap indikator {md(label)}")
    warna = dict(zip(pita, kc.warna_pita(pita), strict=True))

    def _warna(v: object) -> str:
        c = warna.get(str(v)) if isinstance(v, str) else None
        return f"background-color: {c}; color: white; font-weight: 600" if c else ""

    show = rekap.drop(columns=["indikator_id", "Kode Sasaran", "Polaritas"])
    styled = show.style.map(_warna, subset=["Kategori", "Kategori Kumulatif"]).format(
        precision=2, decimal=",", thousands=".", na_rep="-")
    st.dataframe(styled, hide_index=True, width="stretch", placeholder="-")
    belum = rekap[rekap["Status Data"] != "Lengkap"]
    if len(belum):
        st.warning(f"{len(belum)} indikator belum lengkap datanya (realisasi Tim Kerja belum diajukan); capaian "
                   "dihitung dari bulan yang sudah diajukan.")
with tab_ind:
    kc.indikator_grid(G.seri_indikator(actor, tahun, bulan, tim_id), besar=besar, halaman_key="korg_grafik")
with tab_cap:
    kc.capaian(G.capaian(actor, tahun, bulan, tim_id), pita, besar=besar, judul=f"Capaian kumulatif {label}")
with tab_ang:
    kurva = G.kurva_s(actor, tahun, bulan, tim_id)
    if not kurva.empty:
        real = kurva[kurva["Seri"] == G.SERI_REAL_ANGGARAN].tail(1)
        rpd = kurva[(kurva["Seri"] == G.SERI_RPD) & (kurva["bulan"] == bulan)]
        a, b, c = st.columns(3)

        def rp(v: float) -> str:
            return "Rp " + fmt.angka(v, 0)

        a.metric("Pagu", rp(kurva.attrs.get("pagu", 0)))
        b.metric(f"RPD kumulatif {kinerja.common.nama_bulan(bulan)}", rp(float(rpd["Nilai"].sum())))
        c.metric("Realisasi kumulatif", rp(float(real["Nilai"].sum()) if len(real) else 0),
                 "-" if real.empty or pd.isna(real["Persen Pagu"].iloc[0]) else
                 f"{fmt.angka(real['Persen Pagu'].iloc[0], 2)} % pagu", delta_color="off")
    kc.kurva_s(kurva, besar=besar, judul=f"Kurva S anggaran {tahun}")
