"""Logbook Harian (pegawai): the month grid of daily activities, monthly points, copy/reuse, submission,
attachments and correction requests of one entry, and a calendar heat map (SOP 000 step 2, SOP 003)."""

import datetime as dt

import pandas as pd
import streamlit as st

from services import logbook
from services.core import clock, fmt
from ui import logbook as ui
from ui import logbook_calendar as cal
from ui.actions import act, keep_edits, or_stop
from ui.grid import edit_grid, flash, paste_box, save_button
from ui.guard import page_actor
from ui.text import md

actor = page_actor(__file__)

st.title("Logbook Harian")
if actor.pegawai_id is None:
    st.info("Akun ini tidak terhubung dengan data pegawai, sehingga tidak memiliki logbook.")
    st.stop()

today = clock.today()

# --- month ---------------------------------------------------------------------------------------------------
left, right, _ = st.columns([1, 1, 2])
years = [today.year - 1, today.year]
year = left.selectbox("Tahun", years, index=1, key="lb_tahun")
month = right.selectbox("Bulan", list(range(1, 13)), index=today.month - 1, format_func=fmt.bulan, key="lb_bulan")
key = ui.grid_key(year, month)
flash(key)

info, points = or_stop(lambda: (logbook.month_info(actor, year, month), logbook.monthly_points(actor, year, month)))
ui.points_card(points)

if not info.skp_ok:
    st.warning(info.pesan_skp)
    st.stop()

notes = [f"{fmt.angka(len(info.hari_kerja))} hari kerja kantor"
         + (f" ({fmt.angka(points.hari_tidak_hadir)} di antaranya cuti/sakit/dinas luar Anda)"
            if points.hari_tidak_hadir else ""),
         f"batas pengisian {fmt.tanggal(info.batas_isi)}", f"batas penilaian {fmt.tanggal(info.batas_penilaian)}"]
st.caption(" · ".join(notes))
if info.ditutup:
    st.warning("Masa pengisian bulan ini sudah ditutup: kegiatan baru wajib diisi **Justifikasi Terlambat** dan "
               "diterima oleh pejabat penilai.")
if not info.periode_terbuka:
    st.warning("Periode kinerja bulan ini belum dibuka atau sudah ditutup.")
libur = [f"{d:%d/%m} {n}" for d, n in sorted(info.hari_libur.items()) if n not in ("Sabtu", "Minggu")]
if libur:
    st.caption("Hari libur: " + "; ".join(libur))

# --- the grid ------------------------------------------------------------------------------------------------
df = logbook.month_grid(actor, year, month)
st.caption("Tambah baris di bagian bawah tabel, atau salin banyak baris dari Excel ke kotak **Tempel dari Excel** di bawah tabel. Kegiatan yang sudah diajukan atau disetujui "
           "tidak dapat diubah (perubahan pada baris itu ditolak saat disimpan).")
grid = edit_grid(df, key, column_config=ui.column_config(info), disabled=logbook.READONLY_COLUMNS,
                 column_order=ui.column_order())


@keep_edits  # status/permission problems: shown like a conflict, edits kept
def _save(rows: list[dict], deleted: list[int]):
    return logbook.save_month(actor, year, month, ui.editor_rows(rows), deleted)


save_button(grid, _save)
paste_box(grid, lambda text: logbook.preview_paste(actor, year, month, text), labels=logbook.LABELS,
          columns=logbook.PASTE_COLUMNS, upsert=True,
          download=(f"logbook_{year}_{month:02d}.xlsx", lambda: logbook.month_xlsx(actor, year, month)),
          hint="Tanggal 31/01/2026 atau 4 Desember 2026; jam 07.30 atau 7:30; desimal dengan koma atau titik; RHK "
               "nomornya (1, 2, …) atau teksnya. Berkas Unduh Excel memuat kolom ID di depan (dengan baris judul): baris "
               "ber-ID, atau dengan tanggal, jam mulai dan uraian kegiatan yang sudah ada, mengubah kegiatan itu; "
               "kosongkan ID untuk kegiatan baru.")


def _attempt(action, message) -> None:
    act(action, ok=message, then=lambda _: grid.reset())


# --- copy yesterday, submit ----------------------------------------------------------------------------------
first, last = pd.Timestamp(year, month, 1).date(), (pd.Timestamp(year, month, 1) + pd.offsets.MonthEnd(0)).date()
default_day = min(max(today, first), last)
dates = sorted({d for d in df["tanggal"] if d is not None})

c1, c2 = st.columns(2)
with c1.container(border=True):
    st.markdown("**Salin kegiatan kemarin**")
    target = st.date_input("Salin ke tanggal", value=default_day, min_value=first, max_value=last,
                           format="DD/MM/YYYY", key="lb_salin_ke")
    earlier = [d for d in dates if d < target]
    source = earlier[-1] if earlier else target - dt.timedelta(days=1)
    st.caption(f"Sumber: kegiatan {fmt.tanggal(source)} (hari terakhir yang terisi sebelum tanggal tujuan).")
    if st.button("Salin kegiatan kemarin", key="lb_salin", icon=":material/content_copy:"):
        _attempt(lambda: logbook.copy_day(actor, source, target), lambda r: r.pesan)

open_rows = df[df["status"].isin(["Draft", "Revisi"])]
with c2.container(border=True):
    st.markdown("**Ajukan untuk diperiksa**")
    scope = st.radio("Yang diajukan", ["Semua draft bulan ini", "Satu hari"], horizontal=True, key="lb_ajukan_scope")
    open_days = sorted({d for d in open_rows["tanggal"] if d is not None})
    day = None
    if scope == "Satu hari":
        day = st.selectbox("Tanggal", open_days, format_func=fmt.tanggal, key="lb_ajukan_hari",
                           placeholder="Tidak ada draft")
    st.caption(f"{fmt.angka(len(open_rows))} kegiatan Draft/Revisi bulan ini.")
    if st.button("Ajukan", key="lb_ajukan", type="primary", icon=":material/send:",
                 disabled=open_rows.empty or (scope == "Satu hari" and day is None)):
        if grid.dirty:
            st.warning("Simpan perubahan tabel terlebih dahulu sebelum mengajukan.")
        elif day is None:
            ids = [int(i) for i in open_rows["id"]]
            _attempt(lambda: logbook.submit(actor, ids), lambda n: f"{n} kegiatan diajukan.")
        else:
            _attempt(lambda: logbook.submit_day(actor, day), lambda n: f"{n} kegiatan {fmt.tanggal(day)} diajukan.")

# --- frequent activities -------------------------------------------------------------------------------------
with st.expander("Kegiatan yang sering dilakukan"):
    freq = logbook.frequent_activities(actor)
    if freq.empty:
        st.caption("Belum ada kegiatan dalam 90 hari terakhir.")
    else:
        st.dataframe(freq.rename(columns={"uraian": "Uraian Kegiatan", "rhk": "RHK", "satuan": "Satuan",
                                          "durasi_menit": "Durasi (menit)", "volume": "Volume", "jumlah": "Dipakai"}),
                     hide_index=True, width="stretch", placeholder="")
        choice = st.selectbox("Pakai kegiatan", list(range(len(freq))), key="lb_freq_pilih",
                              format_func=lambda i: f"{freq.iloc[i]['uraian']} ({freq.iloc[i]['durasi_menit']} menit)")
        f1, f2 = st.columns(2)
        f_day = f1.date_input("Tanggal", value=default_day, min_value=first, max_value=last, format="DD/MM/YYYY",
                              key="lb_freq_tanggal")
        f_start = f2.time_input("Jam mulai", value=dt.time(8, 0), key="lb_freq_jam", step=300)
        if st.button("Tambahkan sebagai draft", key="lb_freq_tambah"):
            act = freq.iloc[choice]
            end = (dt.datetime.combine(f_day, f_start) + dt.timedelta(minutes=int(act["durasi_menit"]))).time()
            new = {"id": None, "_row": 1, "tanggal": f_day, "jam_mulai": f_start, "jam_selesai": end,
                   "durasi_menit": None, "rhk": act["rhk"], "uraian": act["uraian"], "volume": float(act["volume"]),
                   "satuan": act["satuan"], "bukti_link": None, "catatan_hari_libur": None,
                   "justifikasi_terlambat": None}
            _attempt(lambda: logbook.save_month(actor, f_day.year, f_day.month, [new]), lambda r: r.pesan)

# --- detail: attachments and correction ----------------------------------------------------------------------
with st.expander("Lampiran & permintaan koreksi"):
    ui.detail_section(actor, df)

# --- heat map ------------------------------------------------------------------------------------------------
st.subheader("Kalender pengisian")
heat = logbook.heatmap(actor, year, month)
st.altair_chart(cal.heatmap_chart(heat), width="stretch")
st.caption(cal.heatmap_caption(heat))
absen = heat[heat["tidak_hadir"].notna()]
if not absen.empty:
    st.caption("Ketidakhadiran tercatat (Admin SDM): " + "; ".join(
        f"{d:%d/%m} {md(j)}" for d, j in zip(absen["tanggal"], absen["tidak_hadir"], strict=True)))
