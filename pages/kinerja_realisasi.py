"""Realisasi Tim Kerja: the PJ Tim Kerja (or a delegated member) enters the month's realisation per indicator with
bukti dukung, kendala and rencana tindak lanjut, and the budget realisation, then submits (SOP 001)."""

import streamlit as st

from services import kinerja
from services.core import clock
from ui.actions import act, or_stop
from ui.guard import page_actor
from ui.text import md

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
st.markdown(f"**Status:** {md(head['status'])} · **Tenggat:** {md(head['tenggat'].strftime('%d-%m-%Y'))}")
locked = head["status"] == "DIAJUKAN" or not head["boleh_isi"]

st.subheader("Realisasi indikator")
df = or_stop(kinerja.realisasi.grid, actor, int(tahun), bulan, tim_id)
edited = st.data_editor(
    df, key=f"kreal_grid_{tahun}_{bulan}_{tim_id}", hide_index=True, width="stretch", placeholder="", num_rows="fixed",
    disabled=locked or ["indikator_id", "Kode", "Indikator", "Satuan", "Target"],
    column_config={"indikator_id": None,
                   "Realisasi": st.column_config.NumberColumn("Realisasi", min_value=0.0, format="%.2f"),
                   "Bukti (tautan)": st.column_config.LinkColumn("Bukti (tautan)")})

st.subheader("Realisasi anggaran")
ang = or_stop(kinerja.realisasi.anggaran_grid, actor, int(tahun), bulan, tim_id)
ang_edit = st.data_editor(
    ang, key=f"kreal_ang_{tahun}_{bulan}_{tim_id}", hide_index=True, width="stretch", placeholder="", num_rows="fixed",
    disabled=locked or ["rincian_id", "Kode", "Rincian Output/Kegiatan", "Pagu", "RPD"],
    column_config={"rincian_id": None, "Pagu": st.column_config.NumberColumn(format="%.0f"),
                   "RPD": st.column_config.NumberColumn(format="%.0f"),
                   "Realisasi": st.column_config.NumberColumn(min_value=0.0, format="%.0f")})

if locked:
    st.info("Realisasi bulan ini sudah diajukan atau Anda hanya dapat melihatnya. Perubahan angka setelah diajukan "
            "dilakukan Petugas Perencana dengan alasan.")
    st.stop()

with st.expander("Unggah bukti dukung (berkas)"):
    kode = {int(r.indikator_id): f"{r.Kode} · {r.Indikator}" for r in df.itertuples()}
    if kode:
        ind = st.selectbox("Indikator", list(kode), format_func=kode.get, key="kreal_bukti_ind")
        berkas = st.file_uploader("Berkas bukti", key="kreal_bukti_file")
        if berkas is not None and st.button("Unggah bukti", key="kreal_bukti_btn"):
            act(lambda: kinerja.realisasi.upload_bukti(actor, int(tahun), bulan, ind, berkas.name, berkas.getvalue()),
                ok="Bukti dukung tersimpan.")



def _save() -> None:
    kinerja.realisasi.save(actor, int(tahun), bulan, tim_id, edited)
    if not ang_edit.empty:
        kinerja.realisasi.save_anggaran(actor, int(tahun), bulan, tim_id, ang_edit)


b1, b2 = st.columns(2)
if b1.button("Simpan", type="primary", icon=":material/save:", key="kreal_simpan"):
    act(lambda: _save(), ok="Realisasi tersimpan.")
if b2.button("Ajukan ke Petugas Perencana", icon=":material/send:", key="kreal_ajukan"):
    act(lambda: (_save(), kinerja.realisasi.ajukan(actor, int(tahun), bulan, tim_id)), ok="Realisasi diajukan.")
