"""Impor Pegawai (Admin SDM): template, upload, preview in tabs, then an all-or-nothing import."""

import streamlit as st

from services.core import Conflict
from services.org import importer, people
from ui.actions import act
from ui.guard import page_actor
from ui.tabs import page_tabs
from ui.text import md
from ui.theme import UPLOAD_HELP

actor = page_actor(__file__)
PREVIEW_KEY = "sdm_impor_preview"
RESULT_KEY = "sdm_impor_result"
UPLOADER_VERSION = "sdm_impor_uploader_version"

st.title("Impor Pegawai")
st.markdown(
    "Unggah berkas Excel (.xlsx) atau CSV berisi data pegawai. Kolom wajib: **NIP** dan **Nama**; kolom "
    "lain (Gelar Depan, Gelar Belakang, Jenis ASN, Golongan, Jabatan, Unit, Tim, Email, Telepon) opsional. "
    "Pegawai dicocokkan berdasarkan NIP: NIP baru ditambahkan, NIP yang sudah ada diperbarui (sel kosong "
    "tidak mengubah nilai lama). Impor hanya dapat dijalankan bila tidak ada baris yang ditolak."
)
st.download_button("Unduh templat Excel", importer.template_xlsx(), file_name="templat_impor_pegawai.xlsx",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                   icon=":material/download:", on_click="ignore")

result = st.session_state.pop(RESULT_KEY, None)
if result is not None:
    st.success(f"Impor selesai: {md(result.added)} pegawai ditambahkan, {md(result.changed)} diubah, "
               f"{md(result.unchanged)} tidak berubah.")
    if result.accounts:
        st.warning(
            f"{len(result.accounts)} akun baru dibuat. Kata sandi sementara hanya ditampilkan **sekali ini**: "
            "unduh sekarang dan serahkan kepada pegawai; mereka wajib menggantinya saat login pertama."
        )
        st.download_button("Unduh kata sandi sementara (CSV)", people.passwords_csv(result.accounts),
                           file_name="kata_sandi_sementara.csv", mime="text/csv", icon=":material/key:",
                           on_click="ignore")

upload = st.file_uploader("Berkas pegawai", type=["xlsx", "csv"], help=UPLOAD_HELP,
                          key=f"sdm_impor_file_{st.session_state.get(UPLOADER_VERSION, 0)}")
if upload is None:
    st.session_state.pop(PREVIEW_KEY, None)
    st.stop()

file_key = (upload.file_id, upload.name, upload.size)
cached = st.session_state.get(PREVIEW_KEY)
if cached is None or cached[0] != file_key:
    with st.spinner("Memeriksa berkas…"):
        checked = act(lambda: importer.preview(actor, upload.getvalue(), upload.name),
                      on_error=lambda _: st.session_state.pop(PREVIEW_KEY, None))
    if checked is None:
        st.stop()
    cached = (file_key, checked)
    st.session_state[PREVIEW_KEY] = cached
pv: importer.ImportPreview = cached[1]

for w in pv.warnings:
    st.info(w)
n = pv.counts
st.subheader("Pratinjau")
tabs = page_tabs([f"Ditambah ({n['ditambah']})", f"Diubah ({n['diubah']})", f"Ditolak ({n['ditolak']})",
                f"Tidak berubah ({n['tidak_berubah']})"], key="impor_tab")
frames = (
    (pv.added, "Tidak ada pegawai baru."),
    (pv.changed, "Tidak ada data yang berubah."),
    (pv.rejected, "Tidak ada baris yang ditolak."),
    (pv.unchanged, "Tidak ada baris yang sama persis dengan data sekarang."),
)
for tab, (frame, empty) in zip(tabs, frames, strict=True):
    with tab:
        if frame.empty:
            st.caption(empty)
        else:
            st.dataframe(frame.astype(object).fillna(""), hide_index=True, width="stretch", placeholder="")

if not pv.rejected.empty:
    st.error(f"{md(n['ditolak'])} baris ditolak. Perbaiki berkas (lihat tab Ditolak) lalu unggah lagi; "
             "tidak ada data yang disimpan sebelum semua baris benar.")
elif not pv.can_commit:
    st.info("Tidak ada yang perlu diimpor: semua baris sama dengan data sekarang.")

if st.button("Impor sekarang", type="primary", icon=":material/upload:", disabled=not pv.can_commit):
    with st.spinner("Mengimpor…"):
        done = act(lambda: importer.commit(actor, pv),
                   on_error=lambda e: isinstance(e, Conflict) and st.session_state.pop(PREVIEW_KEY, None))
    if done is not None:
        st.session_state.pop(PREVIEW_KEY, None)
        st.session_state[RESULT_KEY] = done
        st.session_state[UPLOADER_VERSION] = st.session_state.get(UPLOADER_VERSION, 0) + 1
        st.rerun()
