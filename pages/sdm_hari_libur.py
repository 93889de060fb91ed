"""Hari Libur (Admin SDM): the instansi's own holidays (cuti bersama, local holidays, working-day exceptions)
in a grid, and the national holidays of the year from the `holidays` package (read-only)."""

import datetime as dt

import streamlit as st

from services.core import clock, fmt
from services.org import kalender
from ui.actions import or_stop
from ui.grid import edit_grid, flash, paste_box, save_button
from ui.guard import page_actor

actor = page_actor(__file__)

st.title("Hari Libur")
st.caption("Hari kerja = Senin–Jumat dikurangi libur nasional dan cuti bersama (SKB/Keppres) serta hari libur "
           "instansi di bawah ini. Jenis **Hari Kerja** menjadikan tanggal libur nasional tetap hari kerja. "
           "Daftar ini dipakai untuk target menit logbook dan catatan kegiatan pada hari libur.")

today = clock.today()
years = list(range(today.year - 2, today.year + 2))
year = st.columns([1, 3])[0].selectbox("Tahun", years, index=years.index(today.year), key="hl_tahun")
key = f"hari_libur_{year}"
flash(key)

df = or_stop(lambda: kalender.grid(actor, year))

cc = st.column_config
config = {
    "tanggal": cc.DateColumn(kalender.LABELS["tanggal"], format="DD/MM/YYYY", required=True,
                             min_value=dt.date(year, 1, 1), max_value=dt.date(year, 12, 31)),
    "nama": cc.TextColumn(kalender.LABELS["nama"], required=True, max_chars=kalender.NAMA_MAKS, width="large"),
    "jenis": cc.SelectboxColumn(kalender.LABELS["jenis"], options=kalender.JENIS_OPTIONS, required=True),
}
st.subheader(f"Hari libur instansi {year}")
grid = edit_grid(df, key, column_config=config)


def _save(rows: list[dict], deleted: list[int]) -> str:
    n = kalender.save_grid(actor, rows, deleted)
    return f"Hari libur disimpan: {n} baris berubah."


save_button(grid, _save)
paste_box(grid, lambda text: kalender.preview_paste(actor, year, text), labels=kalender.LABELS,
          columns=kalender.PASTE_COLUMNS, upsert=True, download=(f"hari_libur_{year}.xlsx",
                                                                  lambda: kalender.grid_xlsx(actor, year)),
          hint="Tanggal 31/12/2026 atau 4 Desember 2026; Jenis: " + ", ".join(kalender.JENIS_OPTIONS)
               + ". Baris dengan tanggal yang sudah ada mengubah hari itu; baris lain ditambahkan.")

st.subheader(f"Libur nasional dan cuti bersama {year}")
nasional = kalender.holidays_of_year(year)
nasional = nasional[nasional["sumber"] != "Instansi"].copy()
if nasional.empty:
    st.info("Tidak ada data libur nasional untuk tahun ini.")
else:
    nasional["hari"] = [kalender.HARI[d.weekday()] for d in nasional["tanggal"]]
    nasional["tanggal"] = [fmt.tanggal(d) for d in nasional["tanggal"]]
    st.dataframe(nasional[["tanggal", "hari", "nama"]].rename(columns={"tanggal": "Tanggal", "hari": "Hari",
                                                                       "nama": "Keterangan"}),
                 hide_index=True, width="stretch", placeholder="")
    st.caption("Sumber: paket `holidays` (Indonesia, kategori public dan government). Tanggal yang berbeda dari "
               "keputusan terbaru dapat dikoreksi dengan baris instansi di atas.")
