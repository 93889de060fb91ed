"""Jabatan: positions with jenis, jenjang fungsional, kelas jabatan and unit (Admin SDM)."""

import streamlit as st

from services.org import units as org
from ui.grid import edit_grid, flash, paste_box, save_button
from ui.guard import page_actor
from ui.text import md

actor = page_actor(__file__)

st.title("Jabatan")
choices = org.choices(actor)
jenjang_help = "; ".join(f"{k}: {', '.join(v)}" for k, v in choices.jenjang_by_kategori.items())
st.caption(
    "Kategori dan jenjang diisi hanya untuk jabatan Fungsional, dan jenjang harus sesuai kategorinya "
    f"({md(jenjang_help)}). Kelas jabatan 1–17. Koefisien AK (opsional) menggantikan koefisien bawaan jenjang. "
    "Nama jabatan tidak boleh kembar dalam satu unit. Jabatan yang masih dipangku pegawai tidak dapat dihapus."
)
flash("grid_jabatan")

grid = edit_grid(
    org.jabatan_df(actor),
    "grid_jabatan",
    column_config={
        "nama": st.column_config.TextColumn("Nama", required=True, max_chars=org.NAMA_MAX, width="large"),
        "jenis": st.column_config.SelectboxColumn("Jenis", options=choices.jenis_jabatan, required=True),
        "kategori": st.column_config.SelectboxColumn("Kategori", options=choices.kategori,
                                                     help="Hanya untuk jabatan Fungsional."),
        "jenjang": st.column_config.SelectboxColumn("Jenjang", options=choices.jenjang,
                                                    help="Hanya untuk jabatan Fungsional; sesuai kategori."),
        "kelas_jabatan": st.column_config.NumberColumn("Kelas jabatan", min_value=1, max_value=17, step=1,
                                                       format="%d"),
        "unit": st.column_config.SelectboxColumn("Unit", options=choices.unit_kode, format_func=choices.unit_label),
        "pimpinan_unit": st.column_config.CheckboxColumn("Pimpinan unit", default=False,
                                                         help="Jabatan kepala unit (wajib memiliki unit)."),
        "koefisien_ak": st.column_config.NumberColumn("Koefisien AK", min_value=0.01, max_value=9999.99,
                                                      step=0.01, format="localized"),
        "aktif": st.column_config.CheckboxColumn("Aktif", default=True),
        "jumlah_pemangku": st.column_config.NumberColumn("Jumlah pemangku", disabled=True, format="%d",
                                                         help="Pegawai aktif yang memangku jabatan ini."),
    },
    disabled=("id", "jumlah_pemangku"),
)

save_button(grid, lambda rows, deleted: org.save_jabatan(actor, rows, deleted), key="simpan_jabatan")
paste_box(grid, lambda text: org.preview_paste_jabatan(actor, text), labels=org.JABATAN_LABELS,
          columns=org.JABATAN_PASTE_COLUMNS, upsert=True,
          download=("jabatan.xlsx", lambda: org.grid_xlsx(actor, "jabatan")),
          hint="Unit diisi kode unit. Baris yang Nama dan Unit-nya sudah ada mengubah jabatan itu (sel kosong tidak "
               "mengubah); baris lain menjadi jabatan baru. Pimpinan unit dan Aktif: ya/tidak; koefisien 12,5 atau 12.5.")
