"""Monitoring SKP: who has not drafted, submitted or had the SKP approved, by unit, against the deadline."""


import streamlit as st

from services.core import clock, export, fmt
from services.skp import monitoring_views as skp_monitoring
from services.skp import read as skp_report
from ui import skp_charts
from ui.actions import or_stop
from ui.guard import page_actor
from ui.pager import pager
from ui.text import md

actor = page_actor(__file__)
TABLE_PAGE = 500  # rows of the table per page (the pager shows the rest; the Excel download has all)

st.title("Monitoring SKP")
st.caption("Status SKP setiap pegawai aktif (segmen terakhir) terhadap batas penetapan. Pimpinan dan Admin SDM "
           "melihat seluruh pegawai; pejabat penilai melihat pegawai di bawahnya.")

period = skp_charts.period_select(actor, "monitoring_periode")
if period is None:
    st.stop()

today = clock.today()
m = or_stop(lambda: skp_report.monitoring_counts(actor, period.id, today, no_unit=skp_monitoring.NO_UNIT))

belum_disetujui = m.total - m.ringkasan.get("Disetujui", 0)
sisa, lewat = skp_monitoring.deadline_text(m.batas, today)
deadline = f"Batas penetapan SKP tahun {m.tahun}: **{fmt.tanggal(m.batas)}** ({sisa})."
if lewat and belum_disetujui:
    st.error(f"{deadline} {md(belum_disetujui)} pegawai belum memiliki SKP yang disetujui.", icon=":material/alarm:")
elif not lewat and belum_disetujui and (m.batas - today).days <= 7:
    st.warning(f"{deadline} {md(belum_disetujui)} pegawai belum memiliki SKP yang disetujui.", icon=":material/alarm:")
else:
    st.info(deadline, icon=":material/event:")

cols = st.columns(len(m.ringkasan) + 1)
cols[0].metric("Pegawai", fmt.angka(m.total), border=True)
for col, (status, n) in zip(cols[1:], m.ringkasan.items(), strict=True):
    col.metric(status, fmt.angka(n), border=True)

if not m.total:
    st.info("Tidak ada pegawai yang dipantau pada periode ini.")
    st.stop()

st.subheader("Status SKP per unit kerja")
st.altair_chart(skp_charts.status_per_unit(m.per_unit), width="stretch")

st.subheader("Daftar pegawai")
f1, f2 = st.columns(2)
chosen_units = f1.multiselect("Unit kerja", m.units, key="monitoring_unit", placeholder="Semua unit kerja")
chosen_status = f2.multiselect("Status SKP", list(m.ringkasan), key="monitoring_status",
                               placeholder="Semua status")
shown_total = m.shown(chosen_units, chosen_status)
page = pager("monitoring_skp", total=shown_total, size=TABLE_PAGE, label="pegawai")
shown = skp_report.monitoring_rows(actor, period.id, today, units=chosen_units, statuses=chosen_status,
                                   limit=page.limit, offset=page.offset, no_unit=skp_monitoring.NO_UNIT)
st.caption(f"{fmt.angka(shown_total)} dari {fmt.angka(m.total)} pegawai ditampilkan"
           + (f" ({fmt.angka(TABLE_PAGE)} per halaman; unduhan Excel memuat semuanya)." if shown_total > TABLE_PAGE
              else "."))
st.dataframe(
    skp_monitoring.monitoring_frame(shown), hide_index=True, width="stretch", key="monitoring_tabel",
    column_config={
        "Nama": st.column_config.TextColumn("Nama", width="medium"),
        "NIP": st.column_config.TextColumn("NIP"),
        "Segmen": st.column_config.NumberColumn("Segmen", format="%d"),
        "Diajukan": st.column_config.DatetimeColumn("Diajukan", format="DD/MM/YYYY HH:mm"),
        "Disetujui": st.column_config.DatetimeColumn("Disetujui", format="DD/MM/YYYY HH:mm"),
    }, placeholder=""
)
st.download_button(  # the workbook (every filtered row) is built only when the user clicks
    "Unduh Excel",
    lambda: skp_monitoring.monitoring_xlsx(actor, period.id, today, units=chosen_units, statuses=chosen_status),
    file_name=f"monitoring_skp_{m.tahun}_{today:%Y%m%d}.xlsx", icon=":material/download:", key="monitoring_unduh",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    on_click=export.record_export, args=(actor, "MonitoringSKP", shown_total),
)
