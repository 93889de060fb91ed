"""Predikat & Distribusi: the organisational predikat per unit kerja (set by the leader above), the distribution
of the pegawai predikat against the SE MenPANRB 3/2023 curve with its calibration chart and override, and the
final annual predikat per pegawai. Rules and permissions: services/kinerja_organisasi.py."""

import streamlit as st

from services.core import export
from services.evaluasi import organisasi as ko
from ui import evaluasi_org as ui
from ui.actions import act, or_stop
from ui.guard import page_actor
from ui.skp_charts import period_select
from ui.text import md

actor = page_actor(__file__)


st.title("Predikat & Distribusi")
st.caption("Predikat kinerja organisasi ditetapkan pimpinan unit di atasnya (unit tertinggi: Kepala Satuan Kerja) "
           "dan menentukan pola distribusi predikat pegawai (SE MenPANRB 3/2023). Hanya evaluasi yang sudah dinilai "
           "atau disetujui yang dihitung.")

period = period_select(actor, key="evt_periode")
if period is None:
    st.stop()
options = ko.nomor_options(period)
labels = dict(options)
keys = [n for n, _ in options]
first = ko.default_nomor(actor, period.id)
nomor = st.selectbox("Evaluasi", keys, format_func=labels.get, key="evt_nomor",
                     index=keys.index(first) if first in keys else 0,
                     help="Tahunan memakai evaluasi tahunan; sub-periode memakai evaluasi periodik.")
overview = or_stop(ko.units_overview, actor, period.id, nomor)


st.subheader("Ringkasan per unit kerja")
if overview.empty:
    st.info("Belum ada unit kerja aktif.")
    st.stop()
st.dataframe(ui.overview_view(overview), hide_index=True, width="stretch", placeholder="")
problems = overview[(overview["pelanggaran"] > 0) & (overview["override"] != ko.OVERRIDE_OK)]
for r in problems.itertuples():
    extra = " (alasan override perlu ditinjau ulang)" if r.override == ko.OVERRIDE_REVIEW else ""
    st.warning(f"⚠ {r.unit}: {r.pelanggaran} pelanggaran kurva distribusi{extra}.")

units = {int(r.unit_id): r.unit_label for r in overview.itertuples()}
unit_id = st.selectbox("Unit kerja", list(units), format_func=units.get, key="evt_unit")
view = or_stop(lambda: ko.distribution(actor, unit_id, period.id, nomor))

st.subheader(f"{view.unit_nama} · {view.periode_label}")
m1, m2, m3 = st.columns(3)
m1.metric("Predikat organisasi", view.predikat_organisasi or "Belum ditetapkan")
m2.metric("Pegawai dinilai", f"{view.total} dari {view.jumlah_evaluasi}")
m3.metric("Pelanggaran kurva", len(view.violations))
if view.ditetapkan_oleh:
    st.caption(f"Ditetapkan oleh {view.ditetapkan_oleh}" + (f". Catatan: {view.catatan}" if view.catatan else ""))

if view.can_set:
    with st.form("evt_form_predikat"):
        current = ko.ORG_LABELS.index(view.predikat_organisasi) if view.predikat_organisasi else 1
        pred = st.selectbox("Predikat kinerja organisasi", ko.ORG_LABELS, index=current, key=f"evt_predikat_{unit_id}_{nomor}")
        catatan = st.text_area("Catatan (capaian Perjanjian Kinerja, rekomendasi perencana/SDM/APIP)",
                               value=view.catatan or "", key=f"evt_catatan_{unit_id}_{nomor}", max_chars=ko.MAX_TEKS)
        simpan = st.form_submit_button("Simpan predikat organisasi", type="primary", icon=":material/save:")
    if simpan:
        act(lambda: ko.set_predikat_organisasi(actor, unit_id, period.id, nomor, pred, catatan,
                                               expected_version=view.version),
            ok=f"Predikat kinerja organisasi {md(view.unit_nama)} disimpan: {pred}.")
else:
    st.caption("Anda dapat melihat, tetapi tidak menetapkan, predikat organisasi unit ini (ditetapkan pimpinan unit "
               "di atasnya atau Kepala Satuan Kerja).")

left, right = st.columns([2, 3])
with left:
    st.markdown("**Distribusi predikat pegawai**")
    st.dataframe(ui.distribution_table(view), hide_index=True, width="stretch", placeholder="")
with right:
    st.altair_chart(ui.calibration_chart(view), width="stretch")
if view.predikat_organisasi:
    st.caption("Area abu-abu: rentang persentase yang diizinkan untuk predikat organisasi "
               f"{view.predikat_organisasi}; batang: persentase pegawai saat ini.")

if view.violations:
    st.warning("Distribusi belum sesuai kurva:\n" + "\n".join(f"- {v}" for v in view.violations))
elif view.predikat_organisasi and view.total:
    st.success("Distribusi predikat pegawai sesuai kurva.")

if view.override_alasan:
    note = (f"Dipertahankan oleh {view.override_by}: {view.override_alasan}")
    if view.override_status == ko.OVERRIDE_REVIEW:
        st.warning(f"{ko.OVERRIDE_REVIEW}: jumlah predikat berubah sejak alasan ditulis. {note}")
    else:
        st.info(note)
if view.can_override and view.override_status != ko.OVERRIDE_OK:
    with st.form("evt_form_override"):
        st.markdown("**Pertahankan distribusi dengan alasan**")
        alasan = st.text_area(f"Alasan (paling sedikit {ko.MIN_ALASAN} karakter)", key=f"evt_alasan_{unit_id}_{nomor}",
                              max_chars=ko.MAX_TEKS)
        kirim = st.form_submit_button("Simpan alasan", icon=":material/gavel:")
    if kirim:
        act(lambda: ko.override_distribution(actor, unit_id, period.id, nomor, alasan, expected_version=view.version),
            ok="Alasan mempertahankan distribusi disimpan.")

st.markdown("**Pegawai dalam unit (termasuk unit di bawahnya)**")
if view.pegawai.empty:
    st.info("Belum ada evaluasi pegawai yang dapat Anda lihat untuk periode ini.")
else:
    st.dataframe(ui.pegawai_view(view.pegawai), hide_index=True, width="stretch", placeholder="")
if view.nama_disembunyikan:
    st.caption("Sebagian nama tidak ditampilkan: Anda hanya melihat pegawai yang Anda nilai.")

st.subheader(f"Predikat akhir tahunan {period.tahun}")
only_unit = st.checkbox("Hanya unit terpilih (dan unit di bawahnya)", key="evt_final_unit")
final = or_stop(lambda: ko.annual_final(actor, period.id, unit_id if only_unit else None))
if final.empty:
    st.info("Belum ada SKP pada periode ini yang dapat Anda lihat.")
    st.stop()
shown = ui.final_view(final)
st.dataframe(shown, hide_index=True, width="stretch", placeholder="")
c1, c2 = st.columns(2)
c1.download_button("Unduh CSV", export.to_csv_bytes(shown), file_name=f"predikat_tahunan_{period.tahun}.csv",
                   mime="text/csv", key="evt_csv", icon=":material/download:", on_click=export.record_export,
                   args=(actor, "predikat_tahunan", len(shown)))
c2.download_button("Unduh Excel", export.to_excel_bytes(shown, "Predikat Tahunan"),
                   file_name=f"predikat_tahunan_{period.tahun}.xlsx", key="evt_xlsx", icon=":material/download:",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                   on_click=export.record_export, args=(actor, "predikat_tahunan", len(shown)))
