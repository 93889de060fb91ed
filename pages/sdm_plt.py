"""Plt/Plh (Admin SDM): acting assignments - who acts for which pejabat or jabatan, from when to when, by which
SK. While one runs, the acting pegawai reviews in the holder's place and signs as "Plt."/"Plh."."""

import streamlit as st

from services.org import penugasan
from ui.actions import or_stop
from ui.grid import edit_grid, flash, paste_box, save_button
from ui.guard import page_actor

actor = page_actor(__file__)

st.title("Penugasan Plt/Plh")
st.caption("Pelaksana Tugas (Plt) untuk jabatan yang kosong atau pejabat yang berhalangan tetap, Pelaksana Harian "
           "(Plh) untuk pejabat yang berhalangan sementara (Surat Edaran Kepala BKN Nomor 1/SE/I/2021). Selama "
           "rentang tanggal, pelaksana memegang kewenangan penilaian pejabat yang digantikan (verifikasi SKP, "
           "penilaian logbook, evaluasi kinerja) dan menandatangani dokumen sebagai Plt./Plh.; di luar rentang itu "
           "tidak. Isi NIP pejabat yang digantikan, atau jabatannya bila jabatan itu kosong.")
key = "penugasan_plt"
flash(key)

df = or_stop(lambda: penugasan.grid(actor))
peg, jab = penugasan.options(actor)
cc = st.column_config
config = {
    "pegawai": cc.SelectboxColumn(penugasan.LABELS["pegawai"], options=peg, required=True, width="medium"),
    "jenis": cc.SelectboxColumn(penugasan.LABELS["jenis"], options=penugasan.JENIS_OPTIONS, required=True,
                                width="small"),
    "pejabat": cc.SelectboxColumn(penugasan.LABELS["pejabat"], options=peg, width="medium"),
    "jabatan": cc.SelectboxColumn(penugasan.LABELS["jabatan"], options=jab, width="medium"),
    "tanggal_mulai": cc.DateColumn(penugasan.LABELS["tanggal_mulai"], format="DD/MM/YYYY", required=True),
    "tanggal_selesai": cc.DateColumn(penugasan.LABELS["tanggal_selesai"], format="DD/MM/YYYY", required=True),
    "nomor_sk": cc.TextColumn(penugasan.LABELS["nomor_sk"], max_chars=120, required=True),
    "tanggal_sk": cc.DateColumn(penugasan.LABELS["tanggal_sk"], format="DD/MM/YYYY"),
    "keterangan": cc.TextColumn(penugasan.LABELS["keterangan"], max_chars=300),
    "version": None,
}
grid = edit_grid(df, key, column_config=config, disabled=("id", "version"))
save_button(grid, lambda rows, deleted: penugasan.save_grid(actor, rows, deleted))
paste_box(grid, lambda text: penugasan.preview_paste(actor, text), labels=penugasan.LABELS,
          columns=penugasan.PASTE_COLUMNS, upsert=True,
          download=("penugasan_plt_plh.xlsx", lambda: penugasan.grid_xlsx(actor)),
          hint="Pelaksana dan pejabat ditulis NIP-nya atau seperti di tabel (NIP – Nama); jabatan dan jenis (Plt/Plh) "
               "dengan namanya; tanggal 31/01/2026 atau 4 Desember 2026. Baris dengan pelaksana, pejabat/jabatan dan "
               "tanggal mulai yang sudah ada mengubah penugasan itu; baris lain ditambahkan.")
st.caption("Setiap perubahan tercatat di Log Audit.")
