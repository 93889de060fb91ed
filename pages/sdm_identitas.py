"""Identitas Kantor (Kop Surat) (Admin SDM): the letterhead of every generated document and its signatories."""

import streamlit as st

from services import documents
from ui.guard import page_actor
from ui.skp import attempt
from ui.theme import UPLOAD_HELP

actor = page_actor(__file__)

FLASH = "identitas"
HELP = {
    "instansi": "Baris di atas nama satuan kerja, misalnya kementerian dan direktorat jenderal.",
    "kota": "Dicetak sebagai tempat penandatanganan, misalnya \u201cMedan, 5 Desember 2026\u201d.",
    "website": "Contoh: https://contoh.go.id",
}


st.title("Identitas Kantor (Kop Surat)")
st.caption("Kop surat dan kota penandatanganan dipakai oleh setiap dokumen yang dicetak aplikasi "
           "(SKP, evaluasi kinerja, konversi angka kredit, dan laporan).")
if flash := st.session_state.pop(f"{FLASH}__flash", None):
    st.success(flash)

ident = documents.office_identity()
left, right = st.columns([3, 2])

with left, st.form("identitas_form"):
    st.subheader("Isian kop surat")
    values = {}
    for key, (_col, label, max_len, required) in documents.FIELDS.items():
        current = getattr(ident, key) or ""
        widget = st.text_area if key == "alamat" else st.text_input
        values[key] = widget(label + (" *" if required else ""), current, max_chars=max_len, key=f"identitas_{key}",
                             help=HELP.get(key))
    if st.form_submit_button("Simpan identitas", type="primary"):
        attempt(lambda: documents.update_identity(actor, **values), "Identitas kantor disimpan.", FLASH)

with right:
    st.subheader("Logo")
    if ident.logo_png:
        st.image(ident.logo_png, width=120, caption="Logo saat ini")
    else:
        st.info("Belum ada logo; kop surat dicetak tanpa logo.")
    berkas = st.file_uploader("Unggah logo (PNG atau JPEG)", type=["png", "jpg", "jpeg"], key="identitas_logo", help=UPLOAD_HELP)
    c1, c2 = st.columns(2)
    if c1.button("Unggah logo", key="identitas_unggah", disabled=berkas is None, type="primary"):
        attempt(lambda: documents.upload_logo(actor, berkas.getvalue(), berkas.name), "Logo disimpan.", FLASH)
    if ident.logo_png and c2.button("Hapus logo", key="identitas_hapus_logo"):
        attempt(lambda: documents.remove_logo(actor), "Logo dihapus.", FLASH)

    st.subheader("Penandatangan")
    st.caption("Diambil dari data organisasi: pejabat pimpinan unit tertinggi (Kepala) dan pimpinan Subbagian "
               "Administrasi Umum. Ubah melalui halaman Unit Kerja, Jabatan, dan Pegawai.")
    for peran, sig in (("Kepala", ident.kepala), ("Kepala Subbagian Administrasi Umum", ident.kasubbag)):
        if sig is None:
            st.warning(f"{peran}: belum ada pejabat pada data organisasi.")
        else:
            st.markdown(f"**{peran}**")
            st.text(f"{sig.nama} (NIP {sig.nip or '–'})\n{sig.jabatan}")

st.subheader("Pratinjau")
st.caption("Unduh contoh dokumen untuk melihat kop surat sebagaimana akan dicetak.")
p1, p2 = st.columns(2)
p1.download_button("Unduh contoh PDF", documents.sample_pdf(ident), file_name="contoh_kop_surat.pdf",
                   mime="application/pdf", key="identitas_contoh_pdf")
p2.download_button("Unduh contoh DOCX", documents.sample_docx(ident), file_name="contoh_kop_surat.docx",
                   mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                   key="identitas_contoh_docx")
