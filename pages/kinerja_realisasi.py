"""Realisasi Tim Kerja: the PJ Tim Kerja (or a delegated member) enters the month's realisation per indicator with
bukti dukung, kendala and rencana tindak lanjut, and the budget realisation, then submits (SOP 001)."""

import streamlit as st

from services import kinerja
from services.core import clock, fmt
from ui.actions import act, or_stop
from ui.grid import NO, edit_grid, paste_box
from ui.grid import flash as grid_flash
from ui.guard import page_actor
from ui.text import md
from ui.theme import UPLOAD_HELP

actor = page_actor(__file__)
FLASH = "kreal"

st.title("Realisasi Tim Kerja")
st.caption("Isi realisasi bulanan indikator Perjanjian Kinerja yang menjadi tanggung jawab Tim Kerja Anda, lalu "
           "ajukan paling lambat tanggal yang ditetapkan pada bulan berikutnya (SOP 001 Pengukuran Data Kinerja).")
today = clock.today()
c1, c2, c3 = st.columns(3)
tahun = c1.number_input("Tahun", min_value=2000, max_value=2100, value=today.year, step=1, key="kreal_tahun")
bulan = c2.selectbox("Bulan", list(range(1, 13)), index=max(today.month - 2, 0) if tahun == today.year else 11,
                     format_func=kinerja.common.nama_bulan, key="kreal_bulan")
teams = dict(or_stop(kinerja.realisasi.teams_for, actor, int(tahun)))
if not teams:
    st.info("Anda bukan PJ Tim Kerja yang memiliki indikator pada Perjanjian Kinerja tahun ini, dan tidak ditugasi "
            "mengisi realisasi.")
    st.stop()
tim_id = c3.selectbox("Tim Kerja", list(teams), format_func=teams.get, key="kreal_tim")

head = kinerja.realisasi.header(actor, int(tahun), bulan, tim_id)
st.markdown(f"**Status:** {md(head['status_label'])} · **Tenggat:** {md(fmt.tanggal(head['tenggat']))}")
locked = head["status"] == "DIAJUKAN" or not head["boleh_isi"]
catatan = or_stop(kinerja.realisasi.catatan_pemeriksa, actor, int(tahun), bulan, tim_id)
if catatan:
    st.warning("Catatan Kasubbag ADUM pada kertas kerja bulan ini:\n\n" + "\n".join(
        f"- **{md(c['Kode'])}** {md(c['Indikator'])}: {md(c['Catatan'])}" for c in catatan)
        + ("" if locked else "\n\nPerbaiki angkanya, lalu ajukan kembali ke Petugas Perencana."))

MAX_TEKS = kinerja.common.MAX_TEKS
KEY = f"kreal_grid_{tahun}_{bulan}_{tim_id}"
KEY_ANG = f"kreal_ang_{tahun}_{bulan}_{tim_id}"
grid_flash(KEY)
grid_flash(KEY_ANG)

st.subheader("Realisasi indikator")
df = or_stop(kinerja.realisasi.grid, actor, int(tahun), bulan, tim_id)
ind_config = {"indikator_id": None,
              "Realisasi": st.column_config.NumberColumn("Realisasi", min_value=0.0, format="localized"),
              "Bukti (tautan)": st.column_config.LinkColumn("Bukti (tautan)", max_chars=500,
                                                           validate=r"^https?://.+"),
              "Kendala": st.column_config.TextColumn("Kendala", max_chars=MAX_TEKS, width="medium"),
              "Rencana Tindak Lanjut": st.column_config.TextColumn("Rencana Tindak Lanjut", max_chars=MAX_TEKS,
                                                                   width="medium")}
ang = or_stop(kinerja.realisasi.anggaran_grid, actor, int(tahun), bulan, tim_id)
ang_config = {"rincian_id": None, "Pagu": st.column_config.NumberColumn(format="localized"),
              "RPD": st.column_config.NumberColumn(format="localized"),
              "Realisasi": st.column_config.NumberColumn(min_value=0.0, format="localized")}

if locked:
    st.dataframe(df, hide_index=True, width="stretch", placeholder="", column_config=ind_config)
    st.subheader("Realisasi anggaran")
    st.dataframe(ang, hide_index=True, width="stretch", placeholder="", column_config=ang_config)
    st.info("Realisasi bulan ini sudah diajukan atau Anda hanya dapat melihatnya. Perubahan angka setelah diajukan "
            "dilakukan Petugas Perencana dengan alasan.")
    st.stop()

grid = edit_grid(df, KEY, column_config=ind_config, num_rows="fixed",
                 disabled=("indikator_id", "Kode", "Indikator", "Satuan", "Target"))
paste_box(grid, lambda text: kinerja.realisasi.preview_paste(actor, int(tahun), bulan, tim_id, text), labels={},
          columns=kinerja.realisasi.PASTE_COLS, key="kreal_tempel", merge_on="indikator_id",
          hint="Baris dicocokkan dengan Kode; kolom Indikator, Satuan dan Target diabaikan. Baris judul kolom boleh "
               "ikut ditempel (mis. hanya Kode, Realisasi, Kendala). Desimal dengan koma atau titik.")

st.subheader("Realisasi anggaran")
ang_grid = None
if ang.empty:
    st.caption("Tim Kerja ini tidak memiliki rincian output pada Perjanjian Kinerja.")
else:
    ang_grid = edit_grid(ang, KEY_ANG, column_config=ang_config, num_rows="fixed",
                         disabled=("rincian_id", "Kode", "Rincian Output/Kegiatan", "Pagu", "RPD"))
    paste_box(ang_grid, lambda text: kinerja.realisasi.preview_paste_anggaran(actor, int(tahun), bulan, tim_id, text),
              labels={}, columns=kinerja.realisasi.ANGGARAN_PASTE_COLS, key="kreal_ang_tempel", merge_on="rincian_id",
              hint="Baris dicocokkan dengan Kode; hanya kolom Realisasi yang dipakai. Rupiah 1.250.000 atau 1250000.")

with st.expander("Unggah bukti dukung (berkas)"):
    kode = {int(r.indikator_id): f"{r.Kode} · {r.Indikator}" for r in df.itertuples()}
    if kode:
        ind = st.selectbox("Indikator", list(kode), format_func=kode.get, key="kreal_bukti_ind")
        berkas = st.file_uploader("Berkas bukti", key="kreal_bukti_file", help=UPLOAD_HELP)
        if berkas is not None and st.button("Unggah bukti", key="kreal_bukti_btn"):
            act(lambda: kinerja.realisasi.upload_bukti(actor, int(tahun), bulan, ind, berkas.name, berkas.getvalue()),
                ok="Bukti dukung tersimpan.")


def _save(ajukan: bool = False):
    """Both grids in one service call, one transaction (nothing saved when either grid has an error)."""
    return kinerja.realisasi.save_all(actor, int(tahun), bulan, tim_id, grid.edited.drop(columns=[NO]),
                                      ang_grid.edited.drop(columns=[NO]) if ang_grid is not None else None,
                                      ajukan=ajukan)


def _reset(_result) -> None:
    grid.reset()
    if ang_grid is not None:
        ang_grid.reset()


b1, b2 = st.columns(2)
if b1.button("Simpan", type="primary", icon=":material/save:", key="kreal_simpan"):
    act(lambda: _save(), ok="Realisasi tersimpan.", then=_reset)
if b2.button("Ajukan ke Petugas Perencana", icon=":material/send:", key="kreal_ajukan"):
    act(lambda: _save(ajukan=True), ok="Realisasi diajukan.", then=_reset)
