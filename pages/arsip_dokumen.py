"""Arsip Dokumen: who has archived which signed SKP / evaluation for which period, missing ones flagged; the
pejabat penilai / atasan upload scans for their people; bulk ZIP download; PDM export for Admin SDM."""

import streamlit as st

from services import evaluasi
from services.core import clock, fmt
from ui.actions import act, or_stop
from ui.guard import page_actor
from ui.text import md
from ui.theme import UPLOAD_HELP

actor = page_actor(__file__)
arsip = evaluasi.arsip

st.title("Arsip Dokumen")
st.caption("SKP dan evaluasi kinerja yang sudah ditandatangani diarsipkan oleh pegawai, atasan dan Subbagian SDM "
           "(SOP penyusunan SKP langkah 6, SOP e-Kinerja langkah 8: unggah ke PDM/SIASN). Dokumen yang sudah "
           "disetujui tetapi belum ada pindaian bertanda tangannya ditandai **Belum diarsipkan**.")

tahun_list = or_stop(arsip.years, actor) or [clock.today().year]
c1, c2, c3, c4 = st.columns([1, 2, 1, 1])
tahun = c1.selectbox("Tahun", tahun_list, key="arsip_tahun")
df = or_stop(arsip.register, actor, tahun)
units = sorted(u for u in df["unit"].dropna().unique())
unit = c2.selectbox("Unit kerja", ["Semua unit", *units], key="arsip_unit")
jenis = c3.selectbox("Dokumen", ["Semua", "SKP", "Evaluasi"], key="arsip_jenis")
belum = c4.checkbox("Hanya yang belum diarsipkan", key="arsip_belum")
shown = df
if unit != "Semua unit":
    shown = shown[shown["unit"] == unit]
if jenis == "SKP":
    shown = shown[shown["dokumen"].str.startswith("SKP")]
elif jenis == "Evaluasi":
    shown = shown[shown["dokumen"].str.startswith("Evaluasi")]
if belum:
    shown = shown[shown["keterangan"] == arsip.BELUM]
shown = shown.reset_index(drop=True)

m1, m2, m3 = st.columns(3)
m1.metric("Dokumen", len(shown))
m2.metric("Diarsipkan", int(shown["diarsipkan"].sum()))
m3.metric("Belum diarsipkan", int((shown["keterangan"] == arsip.BELUM).sum()))

view = shown.drop(columns=["kunci", "pegawai_id"]).rename(columns=arsip.LABELS)
view["Diunggah pada"] = [fmt.tanggal(x) if x is not None and x == x else "" for x in shown["diunggah_pada"]]
view["Diarsipkan"] = ["Ya" if x else "Belum" for x in shown["diarsipkan"]]
if shown.empty:
    st.info("Tidak ada dokumen yang sesuai dengan filter.")
    st.stop()
sel = st.dataframe(view, hide_index=True, width="stretch", on_select="rerun", selection_mode="multi-row",
                   key=f"arsip_tabel_{tahun}", placeholder="")
picked = [shown.iloc[i] for i in (sel.selection.rows if sel else [])]
st.caption("Pilih baris (kotak di kiri) untuk mengunggah pindaian atau mengunduh arsipnya.")

st.subheader("Unggah pindaian bertanda tangan")
if len(picked) != 1:
    st.info("Pilih tepat satu dokumen pada tabel untuk mengunggah pindaiannya (PDF).")
else:
    row = picked[0]
    st.markdown(f"**{md(row['dokumen'])} {md(row['periode'])}** — {md(row['nama'])} ({md(row['nip'])})")
    up = st.file_uploader("Pindaian PDF", type=["pdf"], key=f"arsip_unggah_{row['kunci']}", help=UPLOAD_HELP)
    if st.button("Unggah", type="primary", disabled=up is None, key="arsip_unggah_btn", icon=":material/upload:"):
        act(lambda: arsip.upload(actor, row["kunci"], up.name, up.getvalue()),
            ok="Pindaian bertanda tangan diarsipkan.")

st.subheader("Unduh")
keys = [r["kunci"] for r in picked if r["diarsipkan"]]
d1, d2 = st.columns(2)
if keys:  # built (and audited) on click only
    d1.download_button(f"Unduh {len(keys)} arsip terpilih (ZIP)", data=lambda: arsip.zip_selected(actor, tahun, keys),
                       file_name=f"arsip_dokumen_{tahun}.zip", mime="application/zip", icon=":material/folder_zip:",
                       key="arsip_zip")
else:
    d1.caption("Pilih dokumen yang sudah diarsipkan untuk mengunduhnya sekaligus.")
if actor.is_admin:
    d2.download_button("Ekspor PDM (ZIP per NIP dan periode + indeks CSV)", data=lambda: arsip.pdm_export(actor, tahun),
                       file_name=f"ekspor_pdm_{tahun}.zip", mime="application/zip", icon=":material/cloud_upload:",
                       key="arsip_pdm")
