"""Tim kerja: teams, their unit and ketua (Admin SDM)."""

import streamlit as st

from services.org import units as org
from ui.grid import edit_grid, flash, paste_box, save_button
from ui.guard import page_actor

actor = page_actor(__file__)

st.title("Tim Kerja")
st.caption(
    "Nama tim wajib diisi dan tidak boleh sama dengan tim lain. Unit wajib dipilih. Ketua dipilih dari NIP "
    "pegawai aktif (boleh kosong). Tim yang masih memiliki anggota tidak dapat dihapus: pindahkan anggotanya "
    "di halaman Pegawai, atau nonaktifkan tim."
)
flash("grid_tim")

choices = org.choices(actor)
grid = edit_grid(
    org.tim_df(actor),
    "grid_tim",
    column_config={
        "nama": st.column_config.TextColumn("Nama", required=True, max_chars=org.NAMA_MAX, width="medium"),
        "unit": st.column_config.SelectboxColumn("Unit", options=choices.unit_kode, required=True,
                                                 format_func=choices.unit_label),
        "ketua": st.column_config.SelectboxColumn("Ketua", options=choices.pegawai_nip,
                                                  format_func=choices.pegawai_label, width="medium",
                                                  help="NIP pegawai aktif yang menjadi ketua tim."),
        "ketua_nama": st.column_config.TextColumn("Nama ketua", disabled=True),
        "deskripsi": st.column_config.TextColumn("Deskripsi", width="large"),
        "aktif": st.column_config.CheckboxColumn("Aktif", default=True),
        "jumlah_anggota": st.column_config.NumberColumn("Jumlah anggota", disabled=True, format="%d"),
    },
    disabled=("id", "ketua_nama", "jumlah_anggota"),
)

save_button(grid, lambda rows, deleted: org.save_tim(actor, rows, deleted), key="simpan_tim")
paste_box(grid, lambda text: org.preview_paste_tim(actor, text), labels=org.TIM_LABELS,
          columns=org.TIM_PASTE_COLUMNS, upsert=True, download=("tim_kerja.xlsx", lambda: org.grid_xlsx(actor, "tim")),
          hint="Unit diisi kode unit, Ketua diisi NIP. Baris yang Nama-nya sudah ada mengubah tim itu (sel kosong tidak "
               "mengubah); baris lain menjadi tim baru. Aktif: ya/tidak.")
