"""Cetak & Arsip SKP (pegawai): print the approved SKP as PDF, archive the signed scan, download archived
documents, read the version history and compare two versions."""

import pandas as pd
import streamlit as st

from services import skp
from services.core import fmt
from services.skp import view as skp_view
from ui import skp as ui
from ui.actions import act, or_stop
from ui.guard import page_actor
from ui.theme import UPLOAD_HELP

actor = page_actor(__file__)

st.title("Cetak & Arsip SKP")
if actor.pegawai_id is None:
    st.info("Akun ini tidak terhubung dengan data pegawai, sehingga tidak memiliki SKP untuk dicetak.")
    st.stop()

mine = skp_view.my_skps(actor)
if mine.empty:
    st.info("Anda belum memiliki SKP. Susun SKP Anda di menu **SKP Saya**.")
    st.stop()

st.dataframe(
    mine.assign(periode=[f"{fmt.tanggal(a)} – {fmt.tanggal(b)}" for a, b in zip(mine["mulai"], mine["selesai"],
                                                                             strict=True)]),
    hide_index=True, width="stretch",
    column_order=("tahun", "segmen", "periode", "jabatan", "status_label", "versi", "dokumen"),
    column_config={"tahun": st.column_config.NumberColumn("Tahun", format="%d"), "segmen": "Segmen",
                   "periode": "Masa segmen", "jabatan": "Jabatan", "status_label": "Status", "versi": "Versi",
                   "dokumen": "Dokumen diarsipkan"}, placeholder=""
)
rows = {int(r.id): r for r in mine.itertuples()}
sid = st.selectbox(
    "Pilih SKP", list(rows), key="skp_dokumen_pilih",
    format_func=lambda i: (f"SKP {rows[i].tahun} · segmen {rows[i].segmen} · {rows[i].jabatan or '-'} · "
                           f"{rows[i].status_label} · versi {rows[i].versi}"),
)
d = or_stop(lambda: skp.skp_detail(actor, sid))


def _pdf() -> bytes:
    """Built when the button is clicked (deferred download), so the audit log records real prints only."""
    from services.skp import skp_pdf

    return skp_pdf(actor, sid)


st.subheader("Cetak SKP")
file_name = f"SKP_{d.tahun}_{d.pegawai.nip}_segmen{d.segment_no}_v{d.version_no}.pdf"
if d.locked:
    st.download_button("Cetak SKP (PDF)", _pdf, file_name=file_name, mime="application/pdf", type="primary",
                       icon=":material/print:", key=f"skp_cetak_{sid}", on_click="ignore")
    st.caption("Cetak, tandatangani bersama pejabat penilai, lalu unggah pindaiannya di bawah.")
else:
    st.download_button("Cetak SKP (PDF)", b"", file_name=file_name, disabled=True, icon=":material/print:",
                       key=f"skp_cetak_{sid}")
    st.caption(f"SKP ini berstatus {d.status_label}: PDF dapat dicetak setelah SKP disetujui pejabat penilai.")

st.subheader("Unggah SKP bertanda tangan")
if d.locked:
    n = st.session_state.get(f"skp_unggah_n_{sid}", 0)
    with st.form(f"skp_unggah_{sid}_{n}"):
        berkas = st.file_uploader("Pindaian SKP yang telah ditandatangani (PDF)", type=["pdf"], help=UPLOAD_HELP)
        keterangan = st.text_input("Keterangan (opsional)", max_chars=300)
        if st.form_submit_button("Unggah ke arsip", type="primary", icon=":material/upload:"):
            if berkas is None:
                st.error("Pilih berkas PDF terlebih dahulu.")
            else:
                def _upload():
                    skp.upload_signed_scan(actor, sid, berkas.name, berkas.getvalue(), keterangan)
                    st.session_state[f"skp_unggah_n_{sid}"] = n + 1

                ui.attempt(_upload, f"Dokumen {berkas.name} diarsipkan.")
else:
    st.caption("SKP bertanda tangan dapat diunggah setelah SKP disetujui.")

st.subheader("Arsip dokumen")
docs = skp.documents(actor, sid)
if docs.empty:
    st.caption("Belum ada dokumen yang diarsipkan untuk SKP ini.")
else:
    shown = docs.assign(ukuran=[f"{b} B" if b < 1024 else f"{fmt.angka(b / 1024, 1)} KB" for b in docs["ukuran"]],
                        keterangan=docs["keterangan"].fillna("-"),
                        diunggah_pada=[fmt.waktu(pd.Timestamp(w).to_pydatetime()) for w in docs["diunggah_pada"]])
    st.dataframe(shown, hide_index=True, width="stretch",
                 column_order=("versi", "nama_berkas", "ukuran", "diunggah_oleh", "diunggah_pada", "keterangan"),
                 column_config={"versi": "Versi SKP", "nama_berkas": "Nama berkas", "ukuran": "Ukuran",
                                "diunggah_oleh": "Diunggah oleh", "diunggah_pada": "Diunggah pada",
                                "keterangan": "Keterangan"}, placeholder="")
    for doc in docs.itertuples():
        st.download_button(f"Unduh {doc.nama_berkas} (versi {doc.versi})",
                           data=lambda i=int(doc.id): skp.document_content(actor, i)[1],
                           file_name=doc.nama_berkas, mime="application/pdf", icon=":material/download:",
                           key=f"skp_dok_{doc.id}")

st.subheader("Riwayat versi")
st.dataframe(ui.versions_frame(d), hide_index=True, width="stretch", placeholder="")
ui.revisions(d)

st.subheader("Bandingkan versi")
choices = sorted({v.version_no for v in d.versions} | {d.version_no})
if len(choices) < 2:
    st.caption("SKP ini baru memiliki satu versi. Perbandingan tersedia setelah revisi SKP.")
else:
    c1, c2 = st.columns(2)
    a = c1.selectbox("Versi lama", choices, index=len(choices) - 2, key=f"skp_diff_a_{sid}")
    b = c2.selectbox("Versi baru", choices, index=len(choices) - 1, key=f"skp_diff_b_{sid}")
    if a == b:
        st.info("Pilih dua versi yang berbeda.")
    else:
        diff = act(lambda: skp.version_diff(actor, sid, a, b))
        if diff is not None:
            if diff.empty:
                st.success(f"Tidak ada perbedaan isi antara versi {a} dan versi {b}.")
            else:
                st.dataframe(diff.rename(columns={"bagian": "Bagian", "perubahan": "Perubahan",
                                                  "uraian": "RHK / daftar", "kolom": "Kolom",
                                                  "sebelum": f"Versi {a}", "sesudah": f"Versi {b}"}),
                             hide_index=True, width="stretch", placeholder="")
