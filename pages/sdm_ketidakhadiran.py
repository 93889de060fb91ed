"""Ketidakhadiran Pegawai (Admin SDM): cuti, sakit, dinas luar ... per pegawai as date ranges, in a grid with a
paste box and an Excel import with preview. These days are not working days for that pegawai's logbook."""

import streamlit as st

from services.core import clock
from services.org import ketidakhadiran as kh
from ui.actions import act, or_stop
from ui.grid import edit_grid, flash, paste_box, save_button
from ui.guard import page_actor
from ui.text import md
from ui.theme import UPLOAD_HELP

actor = page_actor(__file__)

st.title("Ketidakhadiran Pegawai")
st.caption("Cuti, sakit, dinas luar, diklat dan sejenisnya per pegawai. Hari kerja di dalam rentang tanggal tidak "
           "dihitung sebagai hari kerja pegawai itu: target menit logbook bulanannya berkurang, kalender logbook "
           "menandai hari itu, dan monitoring logbook tidak menghitungnya sebagai hari belum terisi "
           "(PP 11/2017 jo. PP 17/2020 tentang cuti PNS; dinas luar menurut surat tugas).")

today = clock.today()
years = list(range(today.year - 1, today.year + 2))
year = st.columns([1, 3])[0].selectbox("Tahun", years, index=years.index(today.year), key="kh_tahun")
key = f"ketidakhadiran_{year}"
flash(key)

df = or_stop(lambda: kh.grid(actor, year))
options = kh.pegawai_options(actor)

cc = st.column_config
config = {
    "pegawai": cc.SelectboxColumn(kh.LABELS["pegawai"], options=options, required=True, width="medium"),
    "jenis": cc.SelectboxColumn(kh.LABELS["jenis"], options=kh.JENIS_OPTIONS, required=True),
    "tanggal_mulai": cc.DateColumn(kh.LABELS["tanggal_mulai"], format="DD/MM/YYYY", required=True),
    "tanggal_selesai": cc.DateColumn(kh.LABELS["tanggal_selesai"], format="DD/MM/YYYY", required=True),
    "nomor_surat": cc.TextColumn(kh.LABELS["nomor_surat"], max_chars=kh.NOMOR_MAKS),
    "keterangan": cc.TextColumn(kh.LABELS["keterangan"], max_chars=kh.KETERANGAN_MAKS, width="medium"),
    "version": None,
}
st.subheader(f"Ketidakhadiran {year}")
grid = edit_grid(df, key, column_config=config, disabled=("id", "version"))
save_button(grid, lambda rows, deleted: kh.save_grid(actor, year, rows, deleted))

paste_box(grid, lambda text: kh.preview_paste(actor, text), labels=kh.LABELS, columns=kh.PASTE_COLUMNS,
          key=f"{key}__tempel")

st.subheader("Impor dari berkas Excel")
st.caption("Baris pertama berisi judul kolom: " + ", ".join(kh.LABELS[c] for c in kh.PASTE_COLUMNS)
           + ". Pegawai diisi NIP. Periksa pratinjau sebelum mengimpor; baris bermasalah tidak diimpor.")
st.download_button("Unduh templat Excel", data=lambda: kh.template_xlsx(actor), file_name="templat_ketidakhadiran.xlsx",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                   icon=":material/download:", key="kh_templat")
up = st.file_uploader("Berkas Excel (.xlsx)", type=["xlsx"], key="kh_berkas", help=UPLOAD_HELP)
if up is not None and st.button("Pratinjau impor", key="kh_pratinjau", icon=":material/preview:"):
    act(lambda: kh.preview_excel(actor, up.getvalue()), then=lambda pv: st.session_state.__setitem__("kh_impor", pv))
pv = st.session_state.get("kh_impor")
if pv is not None:
    good, bad = pv.good, pv.bad
    st.markdown(f"**Pratinjau impor:** {len(good)} baris siap, {len(bad)} baris bermasalah.")
    if bad:
        st.error("Baris yang tidak akan diimpor (baris berkas, kolom):")
        st.markdown("\n".join(f"- {md(e)}" for e in pv.errors))
    if good:
        st.dataframe([{kh.LABELS[c]: r.get(c) for c in kh.PASTE_COLUMNS} for r in good], hide_index=True,
                     width="stretch", placeholder="")

    def _done(_result) -> None:
        st.session_state.pop("kh_impor", None)
        grid.reset()

    if st.button(f"Impor {len(good)} baris", type="primary", disabled=not good, key="kh_impor_simpan",
                 icon=":material/upload:"):
        act(lambda: kh.import_rows(actor, year, good), then=_done, ok=lambda r: r.pesan)
