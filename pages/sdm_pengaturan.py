"""Pengaturan & Jadwal (Admin SDM): per-instansi deadlines and numbers, each with its default and source."""

import streamlit as st

from services.core import settings
from ui.actions import act
from ui.grid import edit_grid
from ui.guard import page_actor

actor = page_actor(__file__)



def _format_hint(key: str) -> str:
    d = settings.BY_KEY.get(key)
    if d is None:
        return ""
    if d.value_type == "int":
        return f"bilangan bulat {d.min}–{d.max}" if d.min is not None else "bilangan bulat"
    if d.value_type == "bool":
        return "ya / tidak"
    if d.value_type == "month_day":
        return "tanggal-bulan, mis. 31-01"
    if d.value_type == "choice":
        return "salah satu: " + ", ".join(d.choices)
    if d.value_type == "decimal":
        return "angka"
    return "teks"


st.title("Pengaturan & Jadwal")
st.caption(
    "Nilai yang berbeda antarinstansi (batas waktu, menit kerja, keamanan login). Ubah hanya kolom **Nilai**; "
    "kolom **Sumber** menjelaskan dasar nilai bawaan. Perubahan tercatat di log audit."
)

table = settings.table(actor)
table["format"] = table["key"].map(_format_hint)
for col in ("nilai", "bawaan"):  # booleans as the users write them: ya / tidak (never true/false)
    table[col] = [settings.display_value(k, v) for k, v in zip(table["key"], table[col], strict=True)]
grids = []
for group, part in table.groupby("kelompok", sort=False):
    st.subheader(str(group))
    grid = edit_grid(
        part.reset_index(drop=True), key=f"pengaturan_{group}", num_rows="fixed",
        disabled=("key", "kelompok", "pengaturan", "format", "bawaan", "sumber", "diubah_oleh"),
        column_order=("pengaturan", "nilai", "format", "bawaan", "sumber", "diubah_oleh"),
        column_config={
            "pengaturan": st.column_config.TextColumn("Pengaturan", width="large"),
            "nilai": st.column_config.TextColumn("Nilai", width="small"),
            "format": st.column_config.TextColumn("Format", width="small"),
            "bawaan": st.column_config.TextColumn("Bawaan", width="small"),
            "sumber": st.column_config.TextColumn("Sumber", width="large"),
            "diubah_oleh": st.column_config.TextColumn("Diubah oleh", width="small"),
        },
    )
    grids.append(grid)

pending = {}
for grid in grids:
    rows, _deleted = grid.changes()
    for row in rows:
        if row.get("key"):
            pending[row["key"]] = row.get("nilai")

if st.button("Simpan pengaturan", type="primary", icon=":material/save:", disabled=not pending, key="simpan_pengaturan"):
    act(lambda: settings.update_many(actor, pending), then=lambda _: [grid.reset() for grid in grids],
        ok=lambda changed: f"{changed} pengaturan diubah." if changed else "Tidak ada nilai yang berubah.")
elif pending:
    st.caption(f"{len(pending)} perubahan belum disimpan.")
