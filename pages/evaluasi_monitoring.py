"""Monitoring Evaluasi: per pegawai and sub-period, the step of the evaluation (SOP 000 steps 3–7), which steps
are past their due date and who owes them. Rules, scope and deadlines: services/evaluasi_monitor.py (which reuses
the Beranda rules of services/evaluasi_tugas.py)."""

from functools import partial

import altair as alt
import streamlit as st

from services.core import clock, export, fmt
from services.evaluasi import monitoring as em
from ui.actions import or_stop
from ui.evaluasi_org import ID_LOCALE
from ui.guard import page_actor
from ui.pager import pager, requested
from ui.skp_charts import period_select
from ui.text import md

actor = page_actor(__file__)

STEP_COLORS = {"Belum dibuat": "#9e9e9e", "Rencana aksi": "#90caf9", "Realisasi": "#42a5f5",
               "Menunggu pertimbangan": "#ffcc80", "Menunggu penilaian": "#ffb74d",
               "Menunggu persetujuan": "#ef6c00", "Disetujui": "#66bb6a", "Belum dimulai": "#e0e0e0"}

st.title("Monitoring Evaluasi")
st.caption("Langkah evaluasi kinerja setiap pegawai per sub-periode terhadap batas waktu SOP 000 (rencana aksi, "
           "realisasi, pertimbangan, penilaian, persetujuan). Tanda ⚠ menandai langkah yang melewati batas waktu. "
           "Pimpinan, Perencana, dan Admin SDM melihat seluruh pegawai; pejabat penilai dan atasan pejabat penilai "
           "melihat pegawai yang dinilainya.")

period = period_select(actor, "evm_periode")
if period is None:
    st.stop()
choices = or_stop(em.unit_choices, actor)
units = dict(choices.options)
unit_keys = [0, *units]  # 0 = "Semua unit kerja" (an option of None would read as no choice once another is default)
unit_id = st.selectbox("Unit kerja", unit_keys, key="evm_unit",
                       index=unit_keys.index(choices.default) if choices.default in units else 0,
                       format_func=lambda u: units.get(u, "Semua unit kerja"),
                       help="Termasuk sub-unit di bawahnya.") or None
if choices.large and unit_id is None:
    st.caption("Organisasi besar: memuat seluruh unit kerja dapat memerlukan waktu lebih lama.")
elif choices.large:
    st.caption("Organisasi besar: monitoring dibuka pada satu unit kerja. Pilih unit lain, unit di atasnya, atau "
               "Semua unit kerja untuk melihat pegawai lainnya.")

today = clock.today()
m = or_stop(em.monitor, actor, period.id, unit_id, today)

if m.matrix.empty:
    st.info("Belum ada pegawai dengan SKP yang disetujui pada periode dan unit kerja ini.")
    st.stop()

# --- per-step counts of one sub-period ------------------------------------------------------------------------
labels = {k.nomor: k.label for k in m.kolom}
keys = list(labels)
nomor = st.selectbox("Sub-periode", keys, index=keys.index(em.default_nomor(m)), format_func=labels.get,
                     key="evm_nomor")
ringkas = m.summaries[nomor]
PER_ROW = 4  # seven steps in one row would cut their names
rows = [st.columns(PER_ROW) for _ in range(-(-len(ringkas) // PER_ROW))]
for col, r in zip([c for row in rows for c in row], ringkas.itertuples(), strict=False):
    col.metric(r.langkah, fmt.angka(r.jumlah), border=True,
               delta=f"{r.terlambat} terlambat" if r.terlambat else None, delta_color="inverse",
               help=f"Penanggung jawab: {r.penanggung_jawab}. Batas: {em.fmt_batas(r.batas)}.")
late_now = int(ringkas["terlambat"].sum())
if late_now:
    st.error(f"{md(late_now)} pegawai melewati batas waktu pada {md(labels[nomor])}.", icon=":material/alarm:")
with st.expander("Rincian langkah, penanggung jawab, dan batas waktu"):
    st.dataframe(ringkas.rename(columns=em.SUMMARY_HEADERS), hide_index=True, width="stretch",
                 column_config={"Batas Waktu": st.column_config.DateColumn("Batas Waktu", format="DD/MM/YYYY")}, placeholder="")

# --- chart: step counts per sub-period ------------------------------------------------------------------------
st.subheader("Langkah evaluasi per sub-periode")
data = em.step_counts(m)
order = list(em.LANGKAH)
chart = alt.Chart(data).mark_bar().encode(
    x=alt.X("subperiode:N", title=None, sort=[k.label for k in m.kolom], axis=alt.Axis(labelAngle=0)),
    y=alt.Y("sum(jumlah):Q", title="Jumlah pegawai", axis=alt.Axis(format="d", tickMinStep=1)),
    color=alt.Color("langkah:N", title="Langkah", sort=order,
                    scale=alt.Scale(domain=order, range=[STEP_COLORS[x] for x in order]),
                    legend=alt.Legend(orient="right")),
    order=alt.Order("urutan_langkah:Q"),
    tooltip=[alt.Tooltip("subperiode:N", title="Sub-periode"), alt.Tooltip("langkah:N", title="Langkah"),
             alt.Tooltip("jumlah:Q", title="Jumlah pegawai", format="d"),
             alt.Tooltip("terlambat:Q", title="Terlambat", format="d")],
).properties(height=320).configure(locale=ID_LOCALE)
st.altair_chart(chart, width="stretch")

# --- matrix ---------------------------------------------------------------------------------------------------
st.subheader("Matriks pegawai")
f1, f2 = st.columns([3, 2])
cari = f1.text_input("Cari nama atau NIP", key="evm_cari")
only_late = f2.checkbox("Hanya pegawai dengan langkah terlambat", key="evm_terlambat")
want = requested("evm_matriks", em.MATRIX_PAGE)
shown = em.matrix_page(m, cari=cari, hanya_terlambat=only_late, limit=want.limit, offset=want.offset)  # page + total
st.caption(f"{fmt.angka(shown.total)} dari {fmt.angka(len(m.matrix))} pegawai ditampilkan. "
           f"{fmt.angka(int((m.matrix['jumlah_terlambat'] > 0).sum()))} pegawai memiliki langkah terlambat.")
page_m = pager("evm_matriks", total=shown.total, size=em.MATRIX_PAGE, label="pegawai")
if page_m.offset != want.offset:  # the filter narrowed past the chosen page: read the page the pager shows
    shown = em.matrix_page(m, cari=cari, hanya_terlambat=only_late, limit=page_m.limit, offset=page_m.offset)
frame = shown.rows
steps_first = ["Pegawai", *[k.key for k in m.kolom], "Langkah Terlambat"]  # the steps on screen, details after
st.dataframe(frame, hide_index=True, width="stretch", key="evm_matriks",
             column_order=[*steps_first, *[c for c in frame.columns if c not in steps_first]],
             column_config={"NIP": st.column_config.TextColumn("NIP"),
                            "Pegawai": st.column_config.TextColumn("Pegawai", pinned=True),
                            "Langkah Terlambat": st.column_config.NumberColumn("Langkah Terlambat", format="%d")}, placeholder="")

# --- overdue list ---------------------------------------------------------------------------------------------
st.subheader("Langkah yang melewati batas waktu")
late = m.overdue
if late.empty:
    st.success("Tidak ada langkah evaluasi yang melewati batas waktu.", icon=":material/check_circle:")
else:
    peran = st.multiselect("Peran penanggung jawab", sorted(late["peran"].unique()), key="evm_peran",
                           placeholder="Semua peran")
    want_t = requested("evm_terlambat_tabel", em.OVERDUE_PAGE)
    late_page = em.overdue_page(m, peran=peran, limit=want_t.limit, offset=want_t.offset)  # page + total
    page_t = pager("evm_terlambat_tabel", total=late_page.total, size=em.OVERDUE_PAGE, label="langkah")
    if page_t.offset != want_t.offset:  # fewer roles chosen since the page number: the page the pager shows
        late_page = em.overdue_page(m, peran=peran, limit=page_t.limit, offset=page_t.offset)
    st.dataframe(late_page.rows,
                 hide_index=True, width="stretch", key="evm_terlambat_tabel",
                 column_config={"Batas Waktu": st.column_config.DateColumn("Batas Waktu", format="DD/MM/YYYY"),
                                "Hari Terlambat": st.column_config.NumberColumn("Hari Terlambat", format="%d")}, placeholder="")
    st.caption("Penanggung jawab Admin SDM: pegawai tanpa pejabat penilai atau atasan pejabat penilai di satuan "
               "kerja; Admin SDM mencatat penilaian/persetujuan dari atasan di luar satuan kerja.")

st.download_button(
    "Unduh Excel", partial(em.workbook, m), file_name=f"monitoring_evaluasi_{m.tahun}_{today:%Y%m%d}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", icon=":material/download:",
    key="evm_unduh", on_click=export.record_export, args=(actor, "MonitoringEvaluasi", len(m.matrix)),
)
