"""Jadwal Pengisian SKP (Admin SDM): the schedule notice to all staff (SOP penyelesaian SKP steps 1–2) - shown on
every pegawai's Beranda with its deadline - and the printable letter (PDF / DOCX)."""

import datetime as dt

import streamlit as st

from services import skp
from services.core import clock, fmt
from ui.actions import act, or_stop
from ui.guard import page_actor

actor = page_actor(__file__)
jadwal = skp.jadwal

st.title("Jadwal Pengisian SKP")
st.caption("Langkah 1–2 SOP penyelesaian SKP: surat jadwal pengisian SKP dari Sekretariat Jenderal, setelah "
           "didisposisi pimpinan, disampaikan Kasubbag SDM kepada seluruh pegawai melalui surat pemberitahuan. "
           "Pemberitahuan tampil di Beranda setiap pegawai sejak tanggal tampil sampai batas waktu.")

df = or_stop(jadwal.list_all, actor)
today = clock.today()
labels = {None: "Pemberitahuan baru", **{int(r.id): f"{r.judul} (batas {fmt.tanggal(r.batas_waktu)})"
                                          for r in df.itertuples()}}
chosen = st.selectbox("Pemberitahuan", list(labels), format_func=lambda k: labels[k], key="jadwal_pilih")
cur = jadwal.get(actor, chosen) if chosen is not None else None
tahun = cur.tahun if cur else (today.year + 1 if today.month >= 11 else today.year)
batas_default = cur.batas_waktu if cur else today + dt.timedelta(days=7)

with st.form(f"jadwal_form_{chosen}"):
    judul = st.text_input("Judul", value=cur.judul if cur else f"Jadwal pengisian SKP tahun {tahun}",
                          max_chars=jadwal.JUDUL_MAKS)
    c1, c2, c3 = st.columns(3)
    tahun_in = c1.number_input("Tahun SKP", min_value=2000, max_value=2100, value=tahun, step=1)
    nomor = c2.text_input("Nomor surat", value=(cur.nomor_surat or "") if cur else "", max_chars=120)
    tgl_surat = c3.date_input("Tanggal surat", value=cur.tanggal_surat if cur else today, format="DD/MM/YYYY")
    dasar = st.text_input("Dasar (surat jadwal dari Sekretariat Jenderal)", value=(cur.dasar or "") if cur else "",
                          max_chars=300)
    d1, d2, d3 = st.columns(3)
    mulai = d1.date_input("Tampil di Beranda mulai", value=cur.tampil_mulai if cur else today, format="DD/MM/YYYY")
    batas = d2.date_input("Batas pengisian dan pengajuan", value=batas_default, format="DD/MM/YYYY")
    verif = d3.date_input("Batas penilaian oleh pejabat penilai",
                          value=cur.batas_verifikasi if cur and cur.batas_verifikasi else
                          batas_default + dt.timedelta(days=jadwal.VERIFIKASI_HARI), format="DD/MM/YYYY")
    isi = st.text_area("Isi surat", value=cur.isi if cur else jadwal.default_isi(tahun, batas_default, None, None),
                       height=220, max_chars=jadwal.ISI_MAKS)
    if st.form_submit_button("Simpan pemberitahuan", type="primary", icon=":material/save:"):
        act(lambda: jadwal.save(actor, judul=judul, isi=isi, tahun=int(tahun_in), tampil_mulai=mulai,
                                batas_waktu=batas, batas_verifikasi=verif, nomor_surat=nomor, tanggal_surat=tgl_surat,
                                dasar=dasar, pengumuman_id=chosen, version=cur.version if cur else None),
            ok="Pemberitahuan disimpan; tampil di Beranda seluruh pegawai pada rentang tanggalnya.")

if cur is not None:
    st.subheader("Cetak surat pemberitahuan")
    b1, b2, b3 = st.columns(3)
    b1.download_button("Unduh PDF", data=lambda: jadwal.letter_pdf(actor, cur.id)[1],
                       file_name=jadwal.filename(cur, "pdf"), mime="application/pdf", icon=":material/picture_as_pdf:",
                       key="jadwal_pdf")
    b2.download_button("Unduh DOCX", data=lambda: jadwal.letter_docx(actor, cur.id)[1],
                       file_name=jadwal.filename(cur, "docx"), icon=":material/description:", key="jadwal_docx",
                       mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    if b3.button("Hapus pemberitahuan", key="jadwal_hapus", icon=":material/delete:"):
        act(lambda: jadwal.delete(actor, cur.id), ok=f"Pemberitahuan {cur.judul} dihapus.")
