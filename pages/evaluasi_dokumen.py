"""Cetak & Arsip Evaluasi (pegawai): print the evaluation documents as PDF, upload bukti dukung while the
evaluation is open, archive the signed scan once it is approved (SOP 000 step 8, SOP 004 steps 5–6), download the
archived files and follow the archive checklist per evaluation."""

import pandas as pd
import streamlit as st

from services.core import fmt
from services.evaluasi import dokumen as dok
from ui.actions import or_stop
from ui.grid import flash
from ui.guard import page_actor
from ui.skp import attempt
from ui.theme import UPLOAD_HELP

actor = page_actor(__file__)
FLASH = "evaluasi_dokumen"

st.title("Cetak & Arsip Evaluasi")
if actor.pegawai_id is None:
    st.info("Akun ini tidak terhubung dengan data pegawai, sehingga tidak memiliki evaluasi kinerja.")
    st.stop()
flash(FLASH)

periods = dok.periods_of(actor)
if periods.empty:
    st.info("Anda belum memiliki evaluasi kinerja. Mulai dari menu **Evaluasi Kinerja Saya**.")
    st.stop()
tahun = {int(r.id): int(r.tahun) for r in periods.itertuples()}
pid = st.selectbox("Periode", list(tahun), format_func=lambda i: f"Tahun {tahun[i]}", key="evdok_periode")

status = dok.archive_status(actor, pid)
if status.empty:
    st.info("Belum ada evaluasi kinerja pada periode ini.")
    st.stop()


def _ukuran(b: int) -> str:
    return f"{b} B" if b < 1024 else (f"{fmt.angka(b / 1024, 1)} KB" if b < 1024 * 1024
                                     else f"{fmt.angka(b / 1024 / 1024, 1)} MB")


st.subheader("Daftar periksa arsip")
st.caption("Setelah evaluasi disetujui atasan pejabat penilai: cetak, tandatangani, lalu unggah pindaiannya.")
checklist = status.assign(
    periode=[f"{fmt.tanggal(a)} – {fmt.tanggal(b)}" for a, b in zip(status["mulai"], status["selesai"], strict=True)],
    ttd_pada=[fmt.waktu(pd.Timestamp(w).to_pydatetime()) if pd.notna(w) else "-" for w in status["ttd_diunggah_pada"]],
)
st.dataframe(
    checklist, hide_index=True, width="stretch",
    column_order=("label", "periode", "status_label", "disetujui", "dicetak", "ditandatangani", "ttd_pada",
                  "bukti_dukung"),
    column_config={"label": "Evaluasi", "periode": "Periode", "status_label": "Status",
                   "disetujui": st.column_config.CheckboxColumn("Disetujui"),
                   "dicetak": st.column_config.CheckboxColumn("Dicetak setelah disetujui"),
                   "ditandatangani": st.column_config.CheckboxColumn("Ditandatangani & diunggah"),
                   "ttd_pada": "Pindaian terakhir", "bukti_dukung": "Bukti dukung"}, placeholder=""
)
belum = status[status["perlu_arsip"]]
if not belum.empty:
    st.warning("Belum diarsipkan (sudah disetujui, pindaian bertanda tangan belum diunggah): "
               + ", ".join(belum["label"]))

rows = {int(r.id): r for r in status.itertuples()}
eid = st.selectbox("Pilih evaluasi", list(rows), key=f"evdok_pilih_{pid}",
                   format_func=lambda i: f"{rows[i].label} · {rows[i].status_label}")
info = or_stop(lambda: dok.arsip_info(actor, eid))


def _pdf() -> bytes:
    """Built when the button is clicked (deferred download), so the audit log records real prints only."""
    from services.evaluasi import evaluasi_pdf

    return evaluasi_pdf(actor, eid)


st.subheader("Cetak evaluasi")
judul = "Dokumen Evaluasi Kinerja" if rows[eid].jenis == "Tahunan" else "Evaluasi Kinerja"
st.download_button(f"Cetak {judul} (PDF)", _pdf, file_name=info.pdf_filename, mime="application/pdf",
                   type="primary", icon=":material/print:", key=f"evdok_cetak_{eid}", on_click="ignore")
if info.disetujui:
    st.caption("Cetak, tandatangani bersama pejabat penilai, lalu unggah pindaiannya di bagian "
               "**Dokumen bertanda tangan**.")
else:
    st.caption(f"Evaluasi berstatus {info.status_label}: PDF dicetak dengan tanda DRAF dan belum menjadi "
               "dokumen resmi sampai disetujui atasan pejabat penilai.")

st.subheader("Bukti dukung")
if info.can_upload_bukti:
    n = st.session_state.get(f"evdok_bukti_n_{eid}", 0)
    aksi = dict(info.rencana_aksi)
    with st.form(f"evdok_bukti_{eid}_{n}"):
        berkas = st.file_uploader(f"Berkas bukti dukung (PDF, JPG, PNG, XLSX, DOCX; maks. {info.maks_mb} MB)", help=UPLOAD_HELP,
                                  type=dok.UPLOAD_EXT["Bukti Dukung"])
        ra = st.selectbox("Untuk rencana aksi (opsional)", [None, *aksi],
                          format_func=lambda i: "— tidak dikaitkan —" if i is None else aksi[i])
        keterangan = st.text_input("Keterangan (opsional)", max_chars=300, key=f"evdok_bukti_ket_{eid}_{n}")
        if st.form_submit_button("Unggah bukti dukung", icon=":material/upload:"):
            if berkas is None:
                st.error("Pilih berkas terlebih dahulu.")
            else:
                def _bukti():
                    dok.upload_document(actor, eid, "Bukti Dukung", berkas.name, berkas.getvalue(), keterangan, ra)
                    st.session_state[f"evdok_bukti_n_{eid}"] = n + 1

                attempt(_bukti, f"Bukti dukung {berkas.name} diunggah.", FLASH)
else:
    st.caption(info.bukti_alasan)

st.subheader("Dokumen bertanda tangan")
if info.can_upload_signed:
    n = st.session_state.get(f"evdok_ttd_n_{eid}", 0)
    with st.form(f"evdok_ttd_{eid}_{n}"):
        berkas = st.file_uploader(f"Pindaian evaluasi yang telah ditandatangani (PDF; maks. {info.maks_mb} MB)", help=UPLOAD_HELP,
                                  type=dok.UPLOAD_EXT["Dokumen Ditandatangani"])
        keterangan = st.text_input("Keterangan (opsional)", max_chars=300, key=f"evdok_ttd_ket_{eid}_{n}")
        if st.form_submit_button("Unggah ke arsip", type="primary", icon=":material/upload:"):
            if berkas is None:
                st.error("Pilih berkas PDF terlebih dahulu.")
            else:
                def _ttd():
                    dok.upload_document(actor, eid, "Dokumen Ditandatangani", berkas.name, berkas.getvalue(),
                                        keterangan)
                    st.session_state[f"evdok_ttd_n_{eid}"] = n + 1

                attempt(_ttd, f"Dokumen {berkas.name} diarsipkan.", FLASH)
    st.caption("Pindaian yang sudah diunggah tidak dapat dihapus; unggahan yang lebih baru menggantikannya.")
else:
    st.caption(info.signed_alasan)

st.subheader("Arsip dokumen")
docs = dok.documents(actor, eid)
if docs.empty:
    st.caption("Belum ada dokumen untuk evaluasi ini.")
else:
    shown = docs.assign(ukuran=[_ukuran(int(b)) for b in docs["ukuran"]],
                        rencana_aksi=docs["rencana_aksi"].fillna("-"), keterangan=docs["keterangan"].fillna("-"),
                        diunggah_pada=[fmt.waktu(pd.Timestamp(w).to_pydatetime()) for w in docs["diunggah_pada"]],
                        berlaku=["Ya" if b else "Digantikan" for b in docs["berlaku"]])
    st.dataframe(shown, hide_index=True, width="stretch",
                 column_order=("jenis", "nama_berkas", "ukuran", "rencana_aksi", "diunggah_oleh", "diunggah_pada",
                               "keterangan", "berlaku"),
                 column_config={"jenis": "Jenis", "nama_berkas": "Nama berkas", "ukuran": "Ukuran",
                                "rencana_aksi": "Rencana aksi", "diunggah_oleh": "Diunggah oleh",
                                "diunggah_pada": "Diunggah pada", "keterangan": "Keterangan", "berlaku": "Berlaku"}, placeholder="")
    for doc in docs.itertuples():
        c1, c2 = st.columns([4, 1])
        c1.download_button(f"Unduh {doc.nama_berkas} ({doc.jenis})",
                           data=lambda i=int(doc.id): dok.document_content(actor, i)[2],
                           file_name=doc.nama_berkas, mime=doc.content_type, icon=":material/download:",
                           key=f"evdok_unduh_{doc.id}", on_click="ignore")
        if doc.dapat_dihapus and c2.button("Hapus", key=f"evdok_hapus_{doc.id}", icon=":material/delete:"):
            attempt(lambda i=int(doc.id): dok.delete_document(actor, i), f"Bukti dukung {doc.nama_berkas} dihapus.",
                    FLASH)
