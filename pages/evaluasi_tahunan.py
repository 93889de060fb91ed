"""Predikat & Distribusi: the organisational predikat per unit kerja (set by the leader above), the distribution
of the pegawai predikat against the SE MenPANRB 3/2023 curve with its calibration chart and override, and the
final annual predikat per pegawai. Rules and permissions: services/kinerja_organisasi.py."""

import streamlit as st

from services import kinerja
from services.core import export, fmt
from services.evaluasi import organisasi as ko
from services.evaluasi import penetapan
from ui import evaluasi_org as ui
from ui.actions import act, or_stop
from ui.guard import page_actor
from ui.pager import pager
from ui.skp_charts import period_select
from ui.text import md
from ui.theme import UPLOAD_HELP

actor = page_actor(__file__)
FINAL_PAGE = 100  # rows of the annual table per page (the pager shows the rest; the downloads hold all)


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
    st.warning(f"⚠ {md(r.unit)}: {md(r.pelanggaran)} pelanggaran kurva distribusi{extra}.")

units = {int(r.unit_id): r.unit_label for r in overview.itertuples()}
unit_id = st.selectbox("Unit kerja", list(units), format_func=units.get, key="evt_unit")
view = or_stop(lambda: ko.distribution(actor, unit_id, period.id, nomor, people_limit=0))  # names: paged below

st.subheader(f"{view.unit_nama} · {view.periode_label}")
m1, m2, m3 = st.columns(3)
m1.metric("Predikat organisasi", view.predikat_organisasi or "Belum ditetapkan")
m2.metric("Pegawai dinilai", f"{view.total} dari {view.jumlah_evaluasi}")
m3.metric("Pelanggaran kurva", len(view.violations))
usulan = act(lambda: kinerja.predikat.usulan(actor, period.id, nomor), quiet=True) if view.root else None
if usulan and usulan["predikat"]:
    st.info(f"**Usulan dari kinerja organisasi:** {md(usulan['predikat'])} — rata-rata capaian kumulatif "
            f"{fmt.angka(usulan['capaian_rata_rata'], 2)} % ({md(usulan['sumber'])}; pemetaan capaian ke predikat sesuai pengaturan, SE MenPANRB "
            "3/2023). Konfirmasi atau ubah dengan alasan.")
elif view.root:
    st.caption("Belum ada kertas kerja perhitungan kinerja yang disahkan untuk periode ini; usulan predikat dari "
               "capaian belum tersedia.")
if view.ditetapkan_oleh:
    st.caption(f"Ditetapkan oleh {md(view.ditetapkan_oleh)}" + (f". Catatan: {md(view.catatan)}" if view.catatan else ""))

if view.nomor_penetapan or view.dokumen_nama:
    st.caption(f"Dasar penetapan: {md(view.nomor_penetapan or '-')}")
    if view.dokumen_nama:
        dok = act(lambda: ko.penetapan_document(actor, unit_id, period.id, nomor), quiet=True)
        if dok is not None:
            nama_dok, isi_dok = dok
            st.download_button("Unduh dokumen penetapan", isi_dok, file_name=nama_dok, mime="application/pdf",
                               key=f"evt_dok_{unit_id}_{nomor}", icon=":material/download:")

if view.can_set:
    with st.form("evt_form_predikat"):
        if view.root:
            st.info("Unit induk satuan kerja: predikat dicatat dari penetapan bertanda tangan pimpinan organisasi di "
                    "atasnya (SE MenPANRB Nomor 3 Tahun 2023). Lampirkan PDF penetapan tersebut.")
        proposed = usulan["predikat"] if usulan and usulan["predikat"] in ko.ORG_LABELS else None
        current = ko.ORG_LABELS.index(view.predikat_organisasi or proposed or ko.ORG_LABELS[1])
        pred = st.selectbox("Predikat kinerja organisasi", ko.ORG_LABELS, index=current, key=f"evt_predikat_{unit_id}_{nomor}")
        catatan = st.text_area("Catatan (capaian Perjanjian Kinerja, rekomendasi perencana/SDM/APIP)"
                               + ("; wajib berisi alasan bila berbeda dari usulan" if proposed else ""),
                               value=view.catatan or "", key=f"evt_catatan_{unit_id}_{nomor}", max_chars=ko.MAX_TEKS)
        nomor_pen, berkas = None, None
        if view.root:
            nomor_pen = st.text_input("Nomor surat penetapan", value=view.nomor_penetapan or "",
                                      key=f"evt_nomor_pen_{unit_id}_{nomor}", max_chars=120)
            berkas = st.file_uploader("Dokumen penetapan bertanda tangan (PDF)", type=["pdf"],
                                      key=f"evt_berkas_{unit_id}_{nomor}", help=UPLOAD_HELP)
        simpan = st.form_submit_button("Simpan predikat organisasi", type="primary", icon=":material/save:")
    if simpan:
        setter = kinerja.predikat.tetapkan if view.root else ko.set_predikat_organisasi
        act(lambda: setter(
                actor, unit_id, period.id, nomor, pred, catatan, expected_version=view.version,
                nomor_penetapan=nomor_pen,
                dokumen=(berkas.name, berkas.getvalue()) if berkas is not None else None),
            ok=f"Predikat kinerja organisasi {view.unit_nama} disimpan: {pred}.")
elif view.root:
    st.caption("Predikat organisasi unit induk ditetapkan pimpinan organisasi di atas satuan kerja; dicatat oleh "
               "Admin SDM atau Perencana dari dokumen penetapan. Pimpinan unit tidak menetapkan predikat unitnya "
               "sendiri.")
else:
    st.caption("Anda dapat melihat, tetapi tidak menetapkan, predikat organisasi unit ini (ditetapkan pimpinan unit "
               "di atasnya atau Kepala Satuan Kerja).")

left, right = st.columns([2, 3])
with left:
    st.markdown("**Distribusi predikat pegawai**")
    st.dataframe(ui.distribution_table(view), hide_index=True, width="stretch", placeholder="")
with right:
    st.altair_chart(ui.calibration_chart(view), width="stretch")
if not view.nama_disembunyikan:  # the Format Penetapan lists every pegawai: leaders and Admin SDM only
    st.download_button("Cetak Format Penetapan Predikat (PDF)", icon=":material/picture_as_pdf:",
                       data=lambda: penetapan.penetapan_pdf(actor, unit_id, period.id, nomor)[1],
                       file_name=penetapan.filename(view.unit_kode, view.tahun, nomor), mime="application/pdf",
                       key=f"penetapan_pdf_{unit_id}_{nomor}")
if view.predikat_organisasi:
    st.caption("Area abu-abu: rentang persentase yang diizinkan untuk predikat organisasi "
               f"{md(view.predikat_organisasi)}; batang: persentase pegawai saat ini.")

if view.saran:
    st.info(f"Unit kecil (kurang dari {md(view.min_pegawai)} pegawai dinilai): kurva distribusi hanya sebagai saran, "
            "tidak diwajibkan — SE MenPANRB Nomor 3 Tahun 2023 tidak memuat aturan pembulatan untuk unit kecil.\n"
            + "\n".join(f"- {md(v)}" for v in view.saran))
if view.violations:
    st.warning("Distribusi belum sesuai kurva:\n" + "\n".join(f"- {md(v)}" for v in view.violations))
elif view.predikat_organisasi and view.total:
    st.success("Distribusi predikat pegawai sesuai kurva.")

if view.override_alasan:
    note = (f"Dipertahankan oleh {md(view.override_by)}: {md(view.override_alasan)}")
    if view.override_status == ko.OVERRIDE_REVIEW:
        st.warning(f"{md(ko.OVERRIDE_REVIEW)}: jumlah predikat berubah sejak alasan ditulis. {note}")
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
if not view.jumlah_terlihat:
    st.info("Belum ada evaluasi pegawai yang dapat Anda lihat untuk periode ini.")
else:
    people_page = pager(f"evt_pegawai_{unit_id}_{nomor}", total=view.jumlah_terlihat, size=ko.PEGAWAI_PAGE,
                        label="pegawai")
    people = or_stop(ko.distribution_people, actor, unit_id, period.id, nomor, people_page.offset,
                     people_page.limit)
    st.dataframe(ui.pegawai_view(people), hide_index=True, width="stretch", placeholder="")
if view.nama_disembunyikan:
    st.caption("Sebagian nama tidak ditampilkan: Anda hanya melihat pegawai yang Anda nilai.")

st.subheader(f"Predikat akhir tahunan {period.tahun}")
only_unit = st.checkbox("Hanya unit terpilih (dan unit di bawahnya)", key="evt_final_unit")
final_unit = unit_id if only_unit else None
total = or_stop(ko.annual_final_count, actor, period.id, final_unit)
if not total:
    st.info("Belum ada SKP pada periode ini yang dapat Anda lihat.")
    st.stop()
page = pager("evt_final", total=total, size=FINAL_PAGE, label="pegawai")
_total, final = or_stop(ko.annual_final_page, actor, period.id, final_unit, page.offset, page.limit, total=total)
st.dataframe(ui.final_view(final), hide_index=True, width="stretch", placeholder="")


def _all_rows():
    return ui.final_view(ko.annual_final(actor, period.id, final_unit))


c1, c2 = st.columns(2)  # the files hold every row and are built only when downloaded
c1.download_button("Unduh CSV", lambda: export.to_csv_bytes(_all_rows()), file_name=f"predikat_tahunan_{period.tahun}.csv",
                   mime="text/csv", key="evt_csv", icon=":material/download:", on_click=export.record_export,
                   args=(actor, "predikat_tahunan", total))
c2.download_button("Unduh Excel", lambda: export.to_excel_bytes(_all_rows(), "Predikat Tahunan"),
                   file_name=f"predikat_tahunan_{period.tahun}.xlsx", key="evt_xlsx", icon=":material/download:",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                   on_click=export.record_export, args=(actor, "predikat_tahunan", total))
