"""Hubungan penilaian (Admin SDM): who assesses whom, from when until when."""


import streamlit as st

from services.core import clock, fmt
from services.org import reporting
from ui.actions import act, or_stop
from ui.grid import edit_grid, flash, paste_box
from ui.guard import page_actor
from ui.pager import pager
from ui.text import md

actor = page_actor(__file__)
L = reporting.LABELS
PAGE_SIZE = 100  # lines per page of the grid (the pager and the search show the rest)
PICK_LIMIT = reporting.PEGAWAI_PICK_LIMIT  # NIP choices found by the picker search in a large office
NIP_COLUMNS = ("pegawai", "pejabat_penilai", "atasan_penilai", "pemberi_pertimbangan")

st.title("Hubungan Penilaian")
st.caption(
    "SOP 000: Ketua Tim Kerja = pemberi pertimbangan, Kasubbag Adum = pejabat penilai, Kepala = atasan "
    "pejabat penilai. Hubungan yang sudah berjalan tidak dihapus: akhiri dengan mengisi Berlaku Sampai, "
    "lalu tambahkan baris baru. Riwayat tetap tersimpan."
)

active = or_stop(lambda: reporting.pegawai_count(actor))
history = st.toggle("Tampilkan riwayat (hubungan yang sudah berakhir)", key="hubungan_tampil_riwayat")
cari = st.text_input("Cari pegawai (NIP atau nama)", key="hubungan_cari", placeholder="mis. 1985 atau Siti").strip()
total = reporting.lines_count(actor, include_history=history, text=cari)
page = pager("hubungan", total=total, size=PAGE_SIZE, label="hubungan")
df = reporting.lines_df(actor, include_history=history, text=cari, limit=page.limit, offset=page.offset)

if active <= PICK_LIMIT:  # a small office: every active pegawai is a choice in the NIP columns
    options = reporting.pegawai_options(actor)
    nip_help = "Pilih NIP pegawai aktif (ketik NIP atau nama untuk mencari). Yang tersimpan adalah NIP."
else:  # a large office: the choices are the pegawai of the rows shown plus those found by this search
    pilih = st.text_input("Pilihan NIP di tabel: cari pegawai (NIP atau nama)", key="hubungan_pilih",
                          placeholder="mis. 1985 atau Siti",
                          help=f"Kolom NIP menawarkan pegawai pada baris yang tampil ditambah paling banyak "
                               f"{PICK_LIMIT} pegawai aktif yang cocok dengan pencarian ini.").strip()
    shown_nips = {n for col in NIP_COLUMNS if col in df for n in df[col].dropna()}
    options = reporting.pegawai_options(actor, text=pilih, limit=PICK_LIMIT, include=shown_nips)
    found = len(set(options) - shown_nips)
    st.caption((f"Kolom NIP menawarkan {fmt.angka(found)} pegawai yang cocok dengan \"{md(pilih)}\""
                if pilih else f"Kolom NIP menawarkan {fmt.angka(found)} pegawai pertama menurut nama")
               + f" (paling banyak {fmt.angka(PICK_LIMIT)}) dan pegawai pada baris yang tampil. Ketik sebagian nama atau NIP "
               "di atas untuk memilih pegawai lain.")
    nip_help = "Pilih NIP; pegawai lain dapat dicari lewat kotak pencarian pilihan NIP di atas tabel."


def _label(nip: str | None) -> str:
    return f"{nip} · {options[nip]}" if nip in options else (nip or "")


nip_choices = list(options)


# the choices are labelled once and shared by the four NIP columns (thousands of pegawai in a large office)
_nip_base = st.column_config.SelectboxColumn(L["pegawai"], options=nip_choices, format_func=_label, help=nip_help,
                                             width="large")


def _nip_col(col: str, required: bool = False):
    return {**_nip_base, "label": L[col], "required": required}


config = {
    "pegawai": _nip_col("pegawai", required=True),
    "pegawai_nama": st.column_config.TextColumn(L["pegawai_nama"], disabled=True,
                                                help="Terisi otomatis setelah disimpan"),
    "pejabat_penilai": _nip_col("pejabat_penilai"),
    "atasan_penilai": _nip_col("atasan_penilai"),
    "pemberi_pertimbangan": _nip_col("pemberi_pertimbangan"),
    "berlaku_mulai": st.column_config.DateColumn(L["berlaku_mulai"], format="DD/MM/YYYY", required=True,
                                                 help="Hari pertama hubungan berlaku"),
    "berlaku_sampai": st.column_config.DateColumn(L["berlaku_sampai"], format="DD/MM/YYYY",
                                                  help="Hari terakhir hubungan berlaku; kosong = masih berlaku"),
    "catatan": st.column_config.TextColumn(L["catatan"], max_chars=300),
}
st.caption(f"{fmt.angka(len(df))}" + (f" dari {fmt.angka(total)}" if total > len(df) else "")
           + " hubungan ditampilkan. Tambah baris di bagian bawah tabel; hapus hanya untuk hubungan yang belum "
           "mulai berlaku.")
# one editor per view: edits are kept by row position, so lists (history, search, page) must not share a state
grid_key = "hubungan_riwayat" if history else "hubungan"
if cari:
    grid_key += f"_{cari}"
if page.number > 1:
    grid_key += f"_h{page.number}"
flash(grid_key)
grid = edit_grid(df, grid_key, column_config=config, disabled=("id", "pegawai_nama"))

if st.button("Simpan hubungan penilaian", type="primary", disabled=not grid.dirty, key="hubungan_simpan"):
    rows, deleted = grid.changes()
    act(lambda: reporting.save_lines(actor, rows, deleted), then=lambda _: grid.reset(),
        ok=lambda n: f"Tersimpan: {n} perubahan hubungan penilaian.")
paste_box(grid, lambda text: reporting.preview_paste(actor, text), labels=L, columns=reporting.PASTE_COLUMNS,
          upsert=True, key="hubungan__tempel", download=("hubungan_penilaian.xlsx", lambda: reporting.grid_xlsx(actor, df)),
          hint="Pegawai dan pejabat diisi NIP; tanggal 31/01/2026 atau 4 Desember 2026. Baris dengan Pegawai dan Berlaku "
               "Mulai yang sudah ada mengubah hubungan itu (mis. mengisi Berlaku Sampai); baris lain ditambahkan.")

st.divider()
st.subheader("Pegawai tanpa pejabat penilai")
missing = reporting.missing_lines(actor)
if missing.empty:
    st.success("Semua pegawai aktif sudah memiliki pejabat penilai yang berlaku hari ini.")
else:
    st.warning(f"{len(missing)} pegawai aktif belum memiliki pejabat penilai yang berlaku hari ini.")
    st.dataframe(
        missing, hide_index=True, width="stretch",
        column_config={"nip": "NIP", "nama": "Nama", "jabatan": "Jabatan", "unit": "Unit Kerja",
                       "keterangan": "Keterangan"}, placeholder=""
    )
st.caption("Kepala satuan kerja tidak dicantumkan: pejabat penilainya berada di luar satuan kerja.")

st.divider()
st.subheader("Akhiri hubungan")
choices = reporting.line_choices(actor, text=cari, limit=page.limit, offset=page.offset)
if not choices:
    st.info("Tidak ada hubungan penilaian yang sedang atau akan berlaku"
            + (" untuk pencarian dan halaman tabel di atas." if cari or page.number > 1 else "."))
else:
    if cari or total > PAGE_SIZE:
        st.caption("Pilihan mengikuti pencarian dan halaman tabel di atas.")
    with st.form("akhiri_hubungan"):
        line_id = st.selectbox("Hubungan", options=list(choices), format_func=choices.get)
        last_day = st.date_input("Hari terakhir berlaku", value=clock.today(), format="DD/MM/YYYY")
        submitted = st.form_submit_button("Akhiri hubungan", key="akhiri_simpan")
    if submitted:
        act(lambda: reporting.end_line(actor, line_id, last_day), then=lambda _: grid.reset(),
            ok=f"Hubungan diakhiri per {reporting.tanggal_pendek(last_day)}.")
