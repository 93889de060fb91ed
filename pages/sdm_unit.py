"""Unit kerja: the organisation tree (Admin SDM)."""

import streamlit as st

from services.org import units as org
from ui.grid import edit_grid, flash, paste_box, save_button
from ui.guard import page_actor

actor = page_actor(__file__)

st.title("Unit Kerja")
st.caption(
    "Kode wajib diisi, unik, dan hanya memakai huruf besar, angka, tanda - atau _. Induk adalah kode unit "
    "atasannya (kosong untuk unit tertinggi) dan tidak boleh membentuk lingkaran. Unit yang masih memiliki "
    "pegawai, jabatan, tim kerja, atau unit bawahan tidak dapat dihapus: nonaktifkan saja. Unit baru dapat "
    "dipilih sebagai induk setelah disimpan."
)
flash("grid_unit")

choices = org.choices(actor)
grid = edit_grid(
    org.units_df(actor),
    "grid_unit",
    column_config={
        "kode": st.column_config.TextColumn("Kode", required=True, max_chars=org.KODE_MAX,
                                            validate=r"^[A-Z0-9_\-]+$", width="small"),
        "nama": st.column_config.TextColumn("Nama", required=True, max_chars=org.NAMA_MAX, width="large"),
        "induk": st.column_config.SelectboxColumn("Induk", options=choices.unit_kode,
                                                  help="Kode unit atasan; kosong untuk unit tertinggi."),
        "urutan": st.column_config.NumberColumn("Urutan", min_value=0, step=1, format="%d", default=0,
                                                help="Urutan tampil di antara unit sesama induk."),
        "aktif": st.column_config.CheckboxColumn("Aktif", default=True),
        "jumlah_pegawai": st.column_config.NumberColumn("Jumlah pegawai", disabled=True, format="%d",
                                                        help="Pegawai aktif yang langsung berada di unit ini."),
    },
    disabled=("id", "jumlah_pegawai"),
)

save_button(grid, lambda rows, deleted: org.save_units(actor, rows, deleted), key="simpan_unit")
paste_box(grid, lambda text: org.preview_paste_units(actor, text), labels=org.UNIT_LABELS,
          columns=org.UNIT_PASTE_COLUMNS, upsert=True, download=("unit_kerja.xlsx", lambda: org.grid_xlsx(actor, "unit")),
          hint="Baris yang Kode-nya sudah ada mengubah unit itu (sel kosong tidak mengubah); baris lain menjadi unit baru. Aktif: ya/tidak.")
