"""Monitoring Logbook: team completeness (who has not filled today / this week / this month), pending and
overdue reviews per pejabat penilai, Excel export, and for one pegawai the month heat map and monthly points.
Scope comes from the service: Admin SDM and Kepala Satker see everyone, reviewers their own pegawai."""


import streamlit as st

from services import logbook
from services.core import clock, export, fmt
from ui import logbook_calendar as cal
from ui import logbook_review as lr
from ui.actions import or_stop
from ui.guard import page_actor
from ui.nav import BY_FILE, page_link
from ui.pager import pager
from ui.text import md

actor = page_actor(__file__)
TABLE_PAGE = 100  # rows of the completeness table per page (the pager shows the rest; the export has all)
PICK_LIMIT = logbook.PEGAWAI_PICK_LIMIT  # calendar choices a search offers in a large scope (all when fewer)

st.title("Monitoring Logbook")
st.caption("Kelengkapan pengisian logbook harian tim dan penilaian yang tertunda. Hari kerja mengikuti kalender "
           "libur nasional, cuti bersama, dan libur lokal.")

today = clock.today()
on = st.date_input("Per tanggal", value=today, max_value=today, format="DD/MM/YYYY", key="monlog_tanggal")
units = or_stop(logbook.completeness_units, actor, on)  # the scope check first (a refusal stops the page)
if lr.is_pertimbangan(actor):  # the Ketua Tim: what waits for her pertimbangan, and where she gives it
    st.subheader("Menunggu pertimbangan Anda")
    pending = lr.pending_pertimbangan(logbook.review_queue(actor, today=today))
    if pending.empty:
        st.success("Semua kegiatan logbook anggota tim yang diajukan sudah Anda beri pertimbangan.")
    else:
        st.markdown(f"**{fmt.angka(int(pending['Menunggu Pertimbangan'].sum()))}** kegiatan logbook dari "
                    f"**{len(pending)}** anggota tim belum diberi catatan pertimbangan (SOP 000 langkah 4).")
        st.dataframe(pending, hide_index=True, width="stretch", placeholder="")
    l1, l2 = st.columns(2)
    with l1:
        page_link(BY_FILE["logbook_penilaian.py"], "Beri pertimbangan logbook")
    with l2:
        page_link(BY_FILE["evaluasi_pertimbangan.py"], "Beri pertimbangan kinerja (evaluasi)")
    st.subheader("Kelengkapan logbook tim")

c1, c2, c3 = st.columns([2, 2, 2])
opening = [u for u in logbook.default_units(actor, on) if u in units]  # a large organisation: one unit's subtree
chosen_units = c1.multiselect("Unit kerja", units, default=opening, key="monlog_unit", placeholder="Semua unit")
if opening:
    st.caption("Organisasi besar: monitoring dibuka pada unit kerja Anda (atau unit pertama) beserta unit di "
               "bawahnya. Ubah pilihan Unit kerja untuk melihat unit lain; kosongkan pilihan untuk melihat seluruh "
               "organisasi (memerlukan waktu lebih lama).")
hari_ini = c2.multiselect("Hari ini", logbook.HARI_INI_OPTIONS, key="monlog_hari_ini", placeholder="Semua")
cari = c3.text_input("Cari nama atau NIP", key="monlog_cari")
only_gaps = st.checkbox("Hanya pegawai yang belum lengkap bulan ini", key="monlog_belum_lengkap")
filters = {"units": chosen_units, "hari_ini": hari_ini, "cari": cari.strip(), "only_gaps": only_gaps}
reviewers = or_stop(lambda: logbook.reviewers_pending(actor, on, units=chosen_units))
# the filters and the page are applied in the database: the pager's position comes from the count first
team = logbook.completeness_page(actor, on, **filters, limit=0)
page = pager("monlog", total=team.total, size=TABLE_PAGE, label="pegawai")
shown = logbook.completeness_page(actor, on, **filters, limit=page.limit, offset=page.offset, counts=False).pegawai

m1, m2, m3, m4 = st.columns(4)
m1.metric("Pegawai", team.total)
m2.metric("Belum mengisi hari ini", team.belum_hari_ini,
          help="Pegawai yang cuti, sakit atau dinas luar hari ini tidak dihitung (data Ketidakhadiran Admin SDM).")
m3.metric("Menunggu penilaian", team.menunggu_penilaian)
m4.metric("Lewat batas penilaian", int(reviewers["lewat_batas"].sum()))

st.subheader(f"Kelengkapan per {fmt.tanggal(team.on)}")
if shown.empty:
    st.info("Tidak ada pegawai yang sesuai dengan filter.")
else:
    st.dataframe(lr.completeness_view(shown), hide_index=True, width="stretch", column_config={
        "Capaian Bulan Ini (%)": st.column_config.ProgressColumn("Capaian Bulan Ini (%)", min_value=0,
                                                                 max_value=100, format="localized"),
    }, placeholder="")
st.download_button(  # every filtered row (not only this page), built when the button is pressed
    "Unduh Excel", lambda: lr.completeness_workbook(
        logbook.completeness_page(actor, on, **filters, counts=False).pegawai, reviewers),
    file_name=f"kelengkapan_logbook_{team.on:%Y%m%d}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", icon=":material/download:",
    key="monlog_unduh", on_click=export.record_export,
    args=(actor, "kelengkapan_logbook", team.total), kwargs={"note": f"per {team.on:%d/%m/%Y}"},
)

st.subheader("Penilaian tertunda per pejabat penilai")
if chosen_units:
    st.caption("Hanya kegiatan logbook pegawai pada unit kerja terpilih.")
if reviewers.empty:
    st.info("Tidak ada kegiatan logbook yang menunggu penilaian.")
else:
    st.dataframe(lr.reviewers_view(reviewers), hide_index=True, width="stretch", column_config={
        "Kegiatan Tertua": st.column_config.DateColumn("Kegiatan Tertua", format="DD/MM/YYYY")}, placeholder="")
    late = reviewers[reviewers["lewat_batas"] > 0]
    if not late.empty:
        st.warning("⚠ Penilaian lewat batas: " + ", ".join(
            f"{lr.md(r.penilai)} ({int(r.lewat_batas)} kegiatan)" for r in late.itertuples()))

# --- one pegawai: heat map and monthly points -----------------------------------------------------------------
st.subheader("Kalender logbook pegawai")
in_scope = logbook.scope_count(actor, on)
if in_scope <= PICK_LIMIT:  # a small team: every pegawai in scope is a choice
    names = logbook.pegawai_choices(actor, on)
else:  # a large scope: the pegawai of the table's page plus those found by this search
    pilih = st.text_input("Cari pegawai untuk kalender (NIP atau nama)", key="monlog_pilih",
                          placeholder="mis. 1985 atau Siti",
                          help=f"Pilihan pegawai berisi pegawai pada halaman tabel yang tampil ditambah paling "
                               f"banyak {PICK_LIMIT} pegawai yang cocok dengan pencarian ini.").strip()
    names = logbook.pegawai_choices(actor, on, text=pilih, limit=PICK_LIMIT,
                                    include=[int(i) for i in shown["pegawai_id"]])
    st.caption(f"Pilihan berisi pegawai pada halaman tabel dan paling banyak {fmt.angka(PICK_LIMIT)} pegawai "
               + (f"yang cocok dengan \"{md(pilih)}\"" if pilih else "pertama menurut nama")
               + f" dari {fmt.angka(in_scope)} pegawai. Ketik sebagian nama atau NIP untuk memilih pegawai lain.")
if not names:
    st.stop()
k1, k2, k3 = st.columns([3, 1, 2])
pid = k1.selectbox("Pegawai", list(names), format_func=names.get, key="monlog_pegawai")
tahun = int(k2.number_input("Tahun", min_value=2000, max_value=2100, value=on.year, step=1, key="monlog_tahun"))
bulan = k3.selectbox("Bulan", list(range(1, 13)), index=on.month - 1, format_func=fmt.bulan, key="monlog_bulan")
heat, points = or_stop(lambda: (logbook.heatmap(actor, tahun, bulan, pegawai_id=pid),
                                logbook.monthly_points(actor, tahun, bulan, pegawai_id=pid)))
p1, p2, p3, p4 = st.columns(4)
p1.metric("Menit disetujui", fmt.angka(points.disetujui_menit))
p2.metric("Target menit", fmt.angka(points.target_menit))
p3.metric("Menunggu penilaian (menit)", fmt.angka(points.diajukan_menit))
p4.metric("Dikembalikan (menit)", fmt.angka(points.dikembalikan_menit))
st.progress(min(1.0, points.persen / 100), text=f"Capaian {fmt.bulan(bulan)} {tahun}: {fmt.angka(points.persen, 2)}% "
            f"({points.hari_kerja} hari kerja × {fmt.angka(points.menit_efektif_harian)} menit)")
st.altair_chart(cal.heatmap_chart(heat), width="stretch")
st.caption(cal.heatmap_caption(heat))
