"""Rapat Monev bulanan (SOP 002): the Perencana plans the meeting and drafts the invitation, the Kepala signs it,
the notulis records attendance, notulen per agenda item and tindak lanjut (on a laptop while the projector shows
Mode Rapat), then the report goes Perencana/notulis → Kasubbag ADUM → Kepala by the 20th. Pegawai check in
while the meeting is open and close their tindak lanjut. Past meetings open read-only."""

import streamlit as st

from services import monev
from services.core import clock, fmt
from ui import monev_forms as forms
from ui.actions import act, or_stop
from ui.guard import page_actor
from ui.nav import BY_FILE, page_link
from ui.pager import pager
from ui.tabs import page_tabs
from ui.text import md
from ui.theme import UPLOAD_HELP

actor = page_actor(__file__)
R, LAP = monev.rapat, monev.laporan
today = clock.today()
st.title("Rapat Monev Bulanan")
st.caption("Undangan → rapat (daftar hadir, notulen, tindak lanjut) → laporan monitoring dan evaluasi, ditetapkan "
           "Kepala paling lambat tanggal 20 (SOP 002 Pengukuran Data Kinerja).")

mine = R.tindak_lanjut_saya(actor)
if not mine.empty:
    with st.expander(f"Tindak lanjut saya yang masih terbuka ({len(mine)})", expanded=True):
        forms.close_tindak_lanjut(actor, mine, "saya")

c1, c2 = st.columns(2)
tahun = int(c1.number_input("Tahun", min_value=2000, max_value=2100, value=today.year, step=1, key="mr_tahun"))
bulan = c2.selectbox("Bulan", list(range(1, 13)), index=today.month - 1, key="mr_bulan",
                     format_func=monev.common.nama_bulan)
perencana = monev.common.is_perencana(actor)
view = or_stop(R.get, actor, tahun, bulan)

if view is None:
    st.info(f"Rapat monev {md(monev.common.label(tahun, bulan))} belum direncanakan.")
    if perencana:
        forms.plan_form(actor, tahun, bulan, None)
        with st.expander("Templat agenda rapat"):
            forms.template_editor(actor)
    forms.history(actor, tahun)
    st.stop()

rid = view["id"]
set_ = view["status_laporan"] == "DITETAPKAN"
st.markdown(f"**{md(view['label'])}** · {md(fmt.tanggal(view['tanggal']))}, pukul {md(view['jam'])} · "
            f"{md(view['tempat'])} · notulis {md(view['notulis'])}")


def _status(col, judul: str, nilai: str, catatan: str = "", terlambat: bool = False) -> None:
    """One status as a small card whose value wraps (a metric cut long values such as "Ditandatangani Kepala" at
    1366 px)."""
    with col.container(border=True, height="stretch"):
        st.caption(judul)
        st.markdown(f"**{md(nilai)}**")
        if catatan:
            st.caption(f":red[{md(catatan)}]" if terlambat else md(catatan))


s1, s2, s3 = st.columns(3)
_status(s1, "Undangan", view["status_undangan_label"])
_status(s2, "Rapat", view["status_rapat_label"])
_status(s3, "Laporan", view["status_laporan_label"],
        f"Tenggat {fmt.tanggal(view['tenggat_laporan'])}" + (" · terlambat" if view["laporan_terlambat"] else ""),
        terlambat=view["laporan_terlambat"])
if set_:
    st.success("Laporan sudah ditetapkan Kepala: rapat ini hanya dapat dibaca.")

if view["status_rapat"] == "BERLANGSUNG" and view["diundang"]:
    if view["saya_hadir"]:
        st.success("Kehadiran Anda sudah tercatat.")
    elif st.button("Saya hadir", type="primary", key="mr_hadir_saya", icon=":material/how_to_reg:"):
        act(lambda: R.hadir_mandiri(actor, rid), ok="Kehadiran Anda tercatat.")
page_link(BY_FILE["monev_mode_rapat.py"], "Buka Mode Rapat (proyektor)")

tab_plan, tab_rapat, tab_tl, tab_lap, tab_hist = page_tabs(
    ["Rencana & Undangan", "Pelaksanaan (Notulis)", "Tindak Lanjut", "Laporan", "Riwayat & Ikhtisar"], key="mr_tab")

with tab_plan:
    st.markdown(f"Diundang: **{fmt.angka(view['jumlah_diundang'])}** pegawai · Nomor undangan: "
                f"**{md(view['nomor_undangan'] or '-')}** · "
                f"Status: **{md(view['status_undangan_label'])}**")
    if view["catatan_undangan"]:
        st.warning(f"Catatan Kepala: {md(view['catatan_undangan'])}")
    st.markdown("**Agenda**  \n" + "  \n".join(f"{i}. {md(a['judul'])}" for i, a in enumerate(view["agenda"], 1)))
    editable = view["status_undangan"] in ("DRAFT", "DIKEMBALIKAN")
    if perencana and editable:
        with st.expander("Ubah rencana rapat"):
            forms.plan_form(actor, tahun, bulan, view)
        nomor = st.text_input("Nomor undangan", value=view["nomor_undangan"] or "", key=f"mr_nomor_{rid}")
        if st.button("Ajukan konsep undangan ke Kepala", type="primary", key="mr_ajukan_und"):
            act(lambda: R.ajukan_undangan(actor, rid, nomor), ok="Konsep undangan diajukan ke Kepala.")
    if monev.common.is_kepala(actor) and view["status_undangan"] == "DIAJUKAN":
        a, b = st.columns(2)
        if a.button("Setujui dan tandatangani", type="primary", key="mr_ttd"):
            act(lambda: R.tandatangani_undangan(actor, rid), ok="Undangan ditandatangani.")
        cat = b.text_input("Catatan bila dikembalikan", key="mr_und_cat")
        if b.button("Kembalikan dengan catatan", key="mr_und_kembali"):
            act(lambda: R.kembalikan_undangan(actor, rid, cat), ok="Konsep undangan dikembalikan.")
    d1, d2, d3 = st.columns(3)
    d1.download_button("Undangan (DOCX)", lambda: monev.dokumen.undangan_docx(actor, rid), key="mr_und_docx",
                       file_name=f"undangan_monev_{tahun}_{bulan:02d}.docx", icon=":material/download:")
    d2.download_button("Undangan (PDF)", lambda: monev.dokumen.undangan_pdf(actor, rid), key="mr_und_pdf",
                       file_name=f"undangan_monev_{tahun}_{bulan:02d}.pdf", icon=":material/download:")
    scan = R.scan(actor, rid)
    if scan:
        d3.download_button("Pindaian bertanda tangan", scan[1], file_name=scan[0], key="mr_scan_dl")
    if view["status_undangan"] == "DITANDATANGANI" and (perencana or monev.common.is_kepala(actor)):
        up = st.file_uploader("Unggah pindaian undangan bertanda tangan (PDF/PNG/JPG)", type=["pdf", "png", "jpg"],
                              key="mr_scan_up", help=UPLOAD_HELP)
        if up is not None and st.button("Simpan pindaian", key="mr_scan_btn"):
            act(lambda: R.unggah_scan(actor, rid, up.name, up.getvalue()), ok="Pindaian undangan tersimpan.")
    st.markdown("**Daftar pegawai yang diundang**")
    halaman = pager("mr_undangan", total=view["jumlah_diundang"], size=R.UNDANGAN_PAGE, label="pegawai")
    und = R.undangan_halaman(actor, rid, halaman.offset, halaman.limit)
    st.dataframe(und.drop(columns=["pegawai_id"]), hide_index=True, width="stretch", placeholder="")

with tab_rapat:
    pencatat = view["saya_notulis"] or perencana
    if view["status_rapat"] == "DIJADWALKAN":
        st.info("Rapat belum dimulai. Saat dimulai, angka kinerja dibekukan sehingga tayangan rapat dapat diulang "
                "persis sama.")
        if pencatat and st.button("Mulai rapat", type="primary", key="mr_mulai", icon=":material/play_arrow:"):
            act(lambda: R.mulai(actor, rid), ok="Rapat dimulai; angka dibekukan dan daftar hadir mandiri dibuka.")
    else:
        if view["status_rapat"] == "BERLANGSUNG" and pencatat and st.button(
                "Tutup rapat", key="mr_selesai", icon=":material/stop:"):
            act(lambda: R.selesai(actor, rid), ok="Rapat ditutup.")
        locked = set_ or view["status_laporan"] in ("DIAJUKAN", "DIPERIKSA") or not pencatat
        forms.notulen(actor, view, locked)
        forms.attendance(actor, rid, locked)
        forms.photos(actor, rid, locked)

with tab_tl:
    if view["status_rapat"] == "DIJADWALKAN":
        st.info("Tindak lanjut dicatat saat rapat berlangsung.")
    else:
        forms.tindak_lanjut(actor, view, set_ or not (view["saya_notulis"] or perencana))

with tab_lap:
    st.markdown(f"Status: **{md(view['status_laporan_label'])}** · tenggat penetapan "
                f"**{fmt.tanggal(view['tenggat_laporan'])}**")
    if view["catatan_laporan"]:
        st.warning(f"Catatan Kasubbag ADUM: {md(view['catatan_laporan'])}")
    if view["alasan_terlambat"]:
        st.caption(f"Alasan keterlambatan penetapan: {md(view['alasan_terlambat'])}")
    pencatat = view["saya_notulis"] or perencana
    if view["status_rapat"] == "SELESAI" and pencatat and view["status_laporan"] in ("BELUM", "DRAFT", "DIKEMBALIKAN"):
        kes = st.text_area("Kesimpulan rapat", value=view["kesimpulan"] or "", key=f"mr_kes_{rid}")
        a, b = st.columns(2)
        if a.button("Simpan konsep laporan", key="mr_susun"):
            act(lambda: LAP.susun(actor, rid, kes), ok="Konsep laporan tersimpan.")
        if view["status_laporan"] == "DRAFT" and b.button("Ajukan ke Kasubbag ADUM", type="primary", key="mr_lap_ajukan"):
            act(lambda: LAP.ajukan(actor, rid), ok="Laporan diajukan ke Kasubbag ADUM.")
    elif view["kesimpulan"]:
        st.markdown(f"**Kesimpulan:** {md(view['kesimpulan'])}")
    if view["status_laporan"] == "DIAJUKAN" and forms.is_kasubbag(actor):
        a, b = st.columns(2)
        if a.button("Sudah diperiksa, teruskan ke Kepala", type="primary", key="mr_periksa"):
            act(lambda: LAP.periksa(actor, rid), ok="Laporan diteruskan ke Kepala.")
        cat = b.text_input("Catatan perbaikan", key="mr_lap_cat")
        if b.button("Kembalikan dengan catatan", key="mr_lap_kembali"):
            act(lambda: LAP.kembalikan(actor, rid, cat), ok="Laporan dikembalikan.")
    if view["status_laporan"] == "DIPERIKSA" and monev.common.is_kepala(actor):
        alasan = ""
        if today > view["tenggat_laporan"]:
            alasan = st.text_input("Alasan keterlambatan (tenggat sudah lewat)", key="mr_alasan")
        if st.button("Tetapkan laporan", type="primary", key="mr_tetapkan"):
            act(lambda: LAP.tetapkan(actor, rid, alasan or None), ok="Laporan monev ditetapkan.")
    if view["status_laporan"] != "BELUM":
        e1, e2 = st.columns(2)
        e1.download_button("Laporan (DOCX)", lambda: monev.dokumen.laporan_docx(actor, rid), key="mr_lap_docx",
                           file_name=f"laporan_monev_{tahun}_{bulan:02d}.docx", icon=":material/download:")
        e2.download_button("Laporan (PDF)", lambda: monev.dokumen.laporan_pdf(actor, rid), key="mr_lap_pdf",
                           file_name=f"laporan_monev_{tahun}_{bulan:02d}.pdf", icon=":material/download:")

with tab_hist:
    forms.history(actor, tahun)
    if perencana:
        with st.expander("Templat agenda rapat"):
            forms.template_editor(actor)
