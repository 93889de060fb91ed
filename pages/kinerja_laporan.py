"""Laporan Kinerja: the Perencana writes the narrative (monthly report or annual LKj) from the ratified kertas
kerja, the Kasubbag ADUM reviews (YA / TIDAK with notes), the Kepala ratifies; then the signed scan and the proofs
of sending are archived (SOP 001; PermenPANRB 53/2014)."""

import streamlit as st

from services import kinerja
from services.core import clock
from ui.actions import act, or_info, or_stop
from ui.guard import page_actor
from ui.tabs import page_tabs
from ui.text import md
from ui.theme import UPLOAD_HELP

actor = page_actor(__file__)
L = kinerja.laporan

st.title("Laporan Kinerja")
st.caption("Laporan kinerja bulanan dan Laporan Kinerja tahunan (LKj) disusun Petugas Perencana dari kertas kerja "
           "yang disahkan, direviu Kasubbag ADUM (YA/TIDAK), disahkan Kepala, lalu diarsipkan beserta bukti "
           "pengirimannya (SOP 001; PermenPANRB 53/2014).")
today = clock.today()
c1, c2 = st.columns(2)
tahun = int(c1.number_input("Tahun", min_value=2000, max_value=2100, value=today.year, step=1, key="klap_tahun"))
bulan = c2.selectbox("Laporan", [0, *range(1, 13)], index=max(today.month - 1, 1) if tahun == today.year else 0,
                     format_func=lambda b: "Tahunan (LKj)" if b == 0 else kinerja.common.nama_bulan(b),
                     key="klap_bulan")
role = L.can(actor)
view = or_stop(L.get, actor, tahun, bulan)
st.markdown(f"**{md(view['label'])}** · Status: **{md(view['status_label'])}**")
if view.get("catatan_review") and view["status"] == "DIKEMBALIKAN":
    st.warning(f"Catatan reviu Kasubbag ADUM: {md(view['catatan_review'])}")

editable = role["perencana"] and view["status"] in ("BELUM", "DRAFT", "DIKEMBALIKAN")
tab_narasi, tab_reviu, tab_arsip = page_tabs(["Narasi", "Reviu & pengesahan", "Arsip & pengiriman"], key="lk_tab")
with tab_narasi:
    grid = or_info(L.narasi_grid, actor, tahun, bulan)
    if grid is not None:
        narasi = view["narasi"]
        umum = {}
        for key, title in L.UMUM.items():
            umum[key] = st.text_area(title, value=narasi.get(key) or "", disabled=not editable,
                                     key=f"klap_{key}_{tahun}_{bulan}", height=140 if key == "ikhtisar" else 100)
        st.subheader("Analisis per indikator")
        st.caption("Penyebab keberhasilan/kegagalan, alternatif solusi, efisiensi penggunaan sumber daya, dan "
                   "perbandingan dengan tahun lalu (angka tahun lalu tampil bila datanya ada).")
        fixed = [c for c in L.NARASI_COLS if c not in L.PER_INDIKATOR.values()]
        edited = st.data_editor(grid, key=f"klap_grid_{tahun}_{bulan}", hide_index=True, width="stretch",
                                num_rows="fixed", placeholder="", disabled=True if not editable else fixed,
                                column_config={"indikator_id": None})
        if editable:
            a, b = st.columns(2)
            if a.button("Simpan narasi", key="klap_simpan"):
                act(lambda: L.simpan_narasi(actor, tahun, bulan, umum, edited), ok="Narasi tersimpan.")
            if view["status"] in ("DRAFT", "DIKEMBALIKAN") and b.button("Ajukan ke Kasubbag ADUM", type="primary",
                                                                         key="klap_ajukan"):
                act(lambda: L.ajukan(actor, tahun, bulan), ok="Laporan diajukan ke Kasubbag ADUM.")
        # built when the button is pressed (charts included), not on every rerun of the page
        st.download_button("Unduh Laporan Kinerja (DOCX)", lambda: L.laporan_docx(actor, tahun, bulan),
                           key="klap_docx", icon=":material/download:",
                           file_name=f"laporan_kinerja_{tahun}_{bulan:02d}.docx",
                           mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
with tab_reviu:
    if view["ada"] and len(view["reviu"]):
        st.dataframe(view["reviu"], hide_index=True, width="stretch", placeholder="-")
    if role["kasubbag"] and view["status"] == "DIAJUKAN":
        catatan = st.text_area("Catatan reviu (wajib bila TIDAK)", key="klap_catatan")
        a, b = st.columns(2)
        if a.button("YA — setujui, teruskan ke Kepala", type="primary", key="klap_ya"):
            act(lambda: L.reviu(actor, tahun, bulan, True, catatan), ok="Reviu YA: laporan diteruskan ke Kepala.")
        if b.button("TIDAK — kembalikan dengan catatan", key="klap_tidak"):
            act(lambda: L.reviu(actor, tahun, bulan, False, catatan), ok="Reviu TIDAK: laporan dikembalikan.")
    if role["kepala"] and view["status"] == "DISETUJUI" and st.button("Sahkan Laporan Kinerja", type="primary",
                                                                        key="klap_sahkan"):
        act(lambda: L.sahkan(actor, tahun, bulan), ok="Laporan Kinerja disahkan.")
    if view["status"] == "DISAHKAN":
        st.success(f"Disahkan oleh {md(view['disahkan_oleh'])}.")
with tab_arsip:
    st.dataframe(L.arsip(actor, tahun).drop(columns=["bulan"]), hide_index=True, width="stretch", placeholder="-")
    if view["status"] == "DISAHKAN":
        got = L.scan(actor, tahun, bulan)
        if got:
            st.download_button(f"Unduh pindaian: {got[0]}", got[1], file_name=got[0], key="klap_scan_dl")
        if len(view["pengiriman"]):
            st.dataframe(view["pengiriman"].drop(columns=["id"]), hide_index=True, width="stretch", placeholder="-")
        if role["perencana"]:
            up = st.file_uploader("Pindaian laporan bertanda tangan (PDF/JPG/PNG)", type=["pdf", "jpg", "jpeg", "png"],
                                  key="klap_scan", help=UPLOAD_HELP)
            if up is not None and st.button("Simpan pindaian", key="klap_scan_btn"):
                act(lambda: L.unggah_scan(actor, tahun, bulan, up.name, up.getvalue()), ok="Pindaian tersimpan.")
            st.subheader("Catat pengiriman")
            k1, k2 = st.columns(2)
            tgl = k1.date_input("Tanggal kirim", value=today, format="DD/MM/YYYY", key="klap_kirim_tgl")
            kanal = k2.selectbox("Kanal", L.KANAL, key="klap_kirim_kanal")
            tautan = st.text_input("Tautan bukti (opsional bila mengunggah berkas)", key="klap_kirim_link")
            bukti = st.file_uploader("Berkas bukti (opsional bila ada tautan)", key="klap_kirim_file", help=UPLOAD_HELP)
            ket = st.text_input("Keterangan", key="klap_kirim_ket")
            if st.button("Simpan bukti pengiriman", key="klap_kirim_btn"):
                act(lambda: L.catat_pengiriman(actor, tahun, bulan, tgl, kanal, tautan,
                                               bukti.name if bukti else None, bukti.getvalue() if bukti else None,
                                               ket), ok="Bukti pengiriman tercatat.")
    else:
        st.info("Arsip pindaian dan bukti pengiriman tersedia setelah laporan disahkan Kepala.")
