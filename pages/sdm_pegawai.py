"""Pegawai (Admin SDM): filter, edit in a grid, save; new pegawai get an account with a temporary password."""

import streamlit as st

from services.core import fmt
from services.org import people
from ui.actions import act
from ui.grid import edit_grid, flash, paste_box
from ui.guard import page_actor
from ui.mutasi import transfer_form
from ui.pager import pager

actor = page_actor(__file__)
PAGE_SIZE = 100  # rows per page of the grid (the pager shows the rest)
PASSWORDS_KEY = "sdm_pegawai_passwords"
NOTICE_KEY = "sdm_pegawai_notice"

st.title("Pegawai")
st.caption(
    "Ubah data langsung di tabel, tambah baris baru di bagian bawah, lalu klik **Simpan**. Menghapus baris "
    "berarti menonaktifkan pegawai dan akunnya (riwayat tetap tersimpan). Tanggal lahir dan jenis kelamin "
    "dibaca dari NIP. Pegawai baru otomatis mendapat akun dengan kata sandi sementara."
)

notice = st.session_state.pop(NOTICE_KEY, None)
if notice:
    st.success(notice)
passwords = st.session_state.pop(PASSWORDS_KEY, None)
if passwords:
    st.warning(
        "Kata sandi sementara untuk akun baru hanya ditampilkan **sekali ini**. Unduh sekarang dan serahkan "
        "kepada pegawai yang bersangkutan; mereka wajib menggantinya saat login pertama."
    )
    st.download_button("Unduh kata sandi sementara (CSV)", passwords, file_name="kata_sandi_sementara.csv",
                       mime="text/csv", icon=":material/key:", on_click="ignore")

options = people.grid_options(actor)
units = dict(options.unit_filter)
f1, f2, f3 = st.columns([3, 3, 2])
with f1:
    unit_id = st.selectbox("Unit kerja", [None, *units], format_func=lambda u: "Semua unit" if u is None else units[u])
with f2:
    text = st.text_input("Cari NIP atau nama", placeholder="mis. 1985 atau Siti")
with f3:
    include_inactive = st.checkbox("Tampilkan nonaktif", value=False)

total = people.pegawai_count(actor, unit_id=unit_id, text=text, include_inactive=include_inactive)
page = pager("sdm_pegawai", total=total, size=PAGE_SIZE, label="pegawai")
df = people.pegawai_df(actor, unit_id=unit_id, text=text, include_inactive=include_inactive, limit=page.limit,
                       offset=page.offset)
filtered = unit_id is not None or bool(text.strip()) or include_inactive
# Edits are tracked by row position: a different filter or page gets its own editor so edits never shift rows.
grid_key = f"pegawai_{unit_id}_{text.strip()}_{include_inactive}" if filtered else "pegawai"
if page.number > 1:
    grid_key += f"_h{page.number}"

col = st.column_config
config = {
    "nip": col.TextColumn("NIP", required=True, max_chars=22, width="medium"),
    "jenis_asn": col.SelectboxColumn("Jenis ASN", options=options.jenis_asn, width="small",
                                     help="Kosongkan untuk mengikuti NIP"),
    "gelar_depan": col.TextColumn("Gelar Depan", max_chars=40, width="small"),
    "nama": col.TextColumn("Nama", required=True, max_chars=150, width="medium"),
    "gelar_belakang": col.TextColumn("Gelar Belakang", max_chars=60, width="small"),
    "golongan": col.SelectboxColumn("Golongan", options=options.golongan, width="small"),
    "jabatan": col.SelectboxColumn("Jabatan", options=options.jabatan, width="large"),
    "unit": col.SelectboxColumn("Unit", options=options.unit, width="small"),
    "tim": col.SelectboxColumn("Tim", options=options.tim, width="medium"),
    "email": col.TextColumn("Email", max_chars=120),
    "telepon": col.TextColumn("Telepon", max_chars=30),
    "aktif": col.CheckboxColumn("Aktif", default=True, width="small"),
    "tanggal_lahir": col.DateColumn("Tanggal Lahir", format="DD/MM/YYYY", disabled=True),
    "jenis_kelamin": col.TextColumn("L/P", disabled=True, width="small"),
    "akun": col.CheckboxColumn("Akun", disabled=True, width="small", help="Sudah memiliki akun login"),
}
order = tuple(c for c in people.COLUMNS if c != "version")

st.caption(f"{fmt.angka(len(df))} pegawai ditampilkan" + (f" dari {fmt.angka(total)}." if total > len(df) else "."))
flash(grid_key)
grid = edit_grid(df, grid_key, column_config=config, disabled=people.READ_ONLY, column_order=order)

left, right = st.columns([1, 5])
with left:
    save = st.button("Simpan", type="primary", icon=":material/save:", disabled=not grid.dirty)
with right:
    if grid.dirty:
        st.caption("Ada perubahan yang belum disimpan.")

if save:
    rows, deleted = grid.changes()
    created = act(lambda: people.save_pegawai(actor, rows, deleted))
    if created is not None:
        grid.reset()
        parts = [f"{len(rows)} baris disimpan"]
        if deleted:
            parts.append(f"{len(deleted)} pegawai dinonaktifkan")
        if created:
            parts.append(f"{len(created)} akun baru dibuat")
            st.session_state[PASSWORDS_KEY] = people.passwords_csv(created)
        st.session_state[NOTICE_KEY] = "Tersimpan: " + ", ".join(parts) + "."
        st.rerun()

paste_box(grid, lambda text: people.preview_paste(actor, text), labels=people.FIELD_LABELS,
          columns=people.PASTE_COLUMNS, upsert=True, key="pegawai__tempel",
          download=("pegawai.xlsx", lambda: people.grid_xlsx(actor, df)),
          hint="Baris yang NIP-nya sudah ada mengubah pegawai itu (sel kosong tidak mengubah); baris lain menjadi "
               "pegawai baru (akunnya dibuat saat disimpan). Aktif: ya/tidak.")

st.divider()
# with more pegawai than one page, the Mutasi form offers the rows of the page (the filters above find others)
transfer_form(actor, [int(i) for i in df["id"]] if filtered or total > PAGE_SIZE else None)
