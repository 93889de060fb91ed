"""Evaluasi Kinerja Saya (pegawai): choose a period and an evaluation slot; plan rencana aksi per RHK and the
periodic IKI targets; fill the realisasi (optionally from the approved logbook); submit or withdraw; read the
result of the penilaian (SOP 000 step 3, domain §2.5, §2.9, §2.13)."""

import datetime as dt

import streamlit as st

from services import skp
from services.core import clock, fmt
from services.evaluasi import pegawai as evaluasi
from ui import evaluasi as ui
from ui.actions import act, keep_edits, or_stop
from ui.grid import edit_grid, flash, paste_box, save_button
from ui.guard import page_actor
from ui.nav import BY_FILE, page_link
from ui.tabs import page_tabs
from ui.text import md

actor = page_actor(__file__)

st.title("Evaluasi Kinerja Saya")
if actor.pegawai_id is None:
    st.info("Akun ini tidak terhubung dengan data pegawai, sehingga tidak memiliki evaluasi kinerja.")
    st.stop()
today = clock.today()

# --- period and slot ------------------------------------------------------------------------------------------
periods = skp.periods()
if periods.empty:
    st.info("Belum ada periode kinerja. Admin SDM perlu membuka periode terlebih dahulu.")
    st.stop()
opened = periods[periods["status"] == "Dibuka"]
default = int(opened.iloc[0]["id"]) if not opened.empty else int(periods.iloc[0]["id"])
by_id = {int(r.id): r for r in periods.itertuples()}
ids = list(by_id)
left, right = st.columns([1, 3])
period_id = left.selectbox("Periode", ids, index=ids.index(default), key="ev_saya_periode",
                           format_func=lambda i: f"{by_id[i].tahun} ({by_id[i].status})")

slots = or_stop(lambda: evaluasi.my_evaluations(actor, period_id, today=today))
if slots.empty:
    st.info(f"Anda belum memiliki SKP pada periode {md(by_id[period_id].tahun)}. Evaluasi kinerja (rencana aksi dan "
            "realisasi) dapat diisi setelah SKP Anda disusun dan disetujui pejabat penilai.")
    page_link(BY_FILE["skp_saya.py"], "Buka SKP Saya")
    st.stop()
labels = ui.slot_labels(slots)
keys = list(labels)
chosen = right.selectbox("Periode evaluasi", keys, index=keys.index(ui.default_slot(slots, today)),
                         format_func=labels.get, key=f"ev_saya_slot_{period_id}")
row = slots.iloc[keys.index(chosen)]

ev_id = row["evaluasi_id"]
if ev_id is None:
    if row["mulai"] > today:
        st.info(f"{md(row['label'])} dimulai {fmt.tanggal(row['mulai'])}. Rencana aksi dapat disusun lebih awal.")
        if not st.button("Mulai susun rencana aksi", key="ev_saya_mulai", icon=":material/add_task:"):
            st.stop()
    ev_id = act(lambda: evaluasi.open_evaluation(actor, int(row["skp_id"]), row["jenis"], int(row["nomor"]),
                                                 today=today))
    if ev_id is None:
        page_link(BY_FILE["skp_saya.py"], "Buka SKP Saya")
        st.stop()
ev_id = int(ev_id)

d = or_stop(lambda: evaluasi.evaluasi_detail(actor, ev_id, today=today))

# Services refuse a change when the evaluation moved on since the version the user saw (the previous run's).
SHOWN = f"ev_shown_version_{ev_id}"
seen = st.session_state.get(SHOWN, d.version)
st.session_state[SHOWN] = d.version
ui.header(d, today)
for grid_key in (f"ev_ra_{ev_id}", f"ev_iki_target_{ev_id}"):
    flash(grid_key)


def _grid_save(call):
    """save_button callback: status/permission problems are shown like a conflict (edits kept)."""
    return keep_edits(call)


tab_plan, tab_real, tab_hasil = page_tabs(["Rencana Aksi", "Realisasi", "Hasil Penilaian"], key="evs_tab")

# --- rencana aksi and periodic targets -----------------------------------------------------------------------------
with tab_plan:
    st.caption("Uraikan setiap RHK menjadi rencana aksi untuk periode ini (paling sedikit satu untuk setiap RHK "
               f"Utama), paling lambat {fmt.tanggal(d.jadwal.rencana_aksi)}.")
    ra_cfg = ui.rencana_config(evaluasi.rhk_options(actor, ev_id)) if d.can_edit else ui.rencana_config([])
    if d.can_edit:
        ra_grid = edit_grid(ui.rencana_frame(d), f"ev_ra_{ev_id}", column_config=ra_cfg,
                            column_order=("rhk", "uraian", "target", "satuan"))
        save_button(ra_grid, _grid_save(lambda rows, deleted: evaluasi.save_rencana_aksi(
            actor, ev_id, rows, deleted, expected_version=seen)), label="Simpan rencana aksi")
        paste_box(ra_grid, lambda text: evaluasi.preview_paste_rencana_aksi(actor, ev_id, text),
                  labels=evaluasi.LABELS, columns=evaluasi.RA_PASTE_COLUMNS, upsert=True,
                  download=(f"rencana_aksi_{ev_id}.xlsx", lambda: evaluasi.rencana_aksi_xlsx(actor, ev_id)),
                  hint="RHK ditulis nomornya dalam daftar (1, 2, …) atau teksnya. Baris dengan RHK dan Rencana Aksi "
                       "yang sudah ada mengubah baris itu; baris lain ditambahkan. Target dengan koma atau titik.")
    else:
        ui.readonly(ui.rencana_frame(d), ra_cfg)
    st.markdown("**Target IKI periode ini**")
    st.caption("Target kuantitas dibagi menurut lamanya periode; ubah bila rencana periode ini berbeda. Polaritas "
               "ditetapkan pada SKP (negatif berarti makin rendah makin baik, misalnya waktu, biaya, atau jumlah "
               "temuan).")
    if d.can_edit:
        iki_grid = edit_grid(ui.iki_target_frame(d), f"ev_iki_target_{ev_id}", column_config=ui.iki_target_config(),
                             disabled=("id", "indikator", "satuan", "polaritas"), num_rows="fixed",
                             column_order=("indikator", "satuan", "target_min", "target_max", "polaritas"))
        save_button(iki_grid, _grid_save(lambda rows, _d: evaluasi.save_target_iki(
            actor, ev_id, rows, expected_version=seen)), label="Simpan target IKI")
        paste_box(iki_grid, lambda text: evaluasi.preview_paste_target_iki(actor, ev_id, text),
                  labels=evaluasi.TARGET_IKI_LABELS, columns=evaluasi.TARGET_IKI_PASTE_COLUMNS, upsert=True,
                  download=(f"target_iki_{ev_id}.xlsx", lambda: evaluasi.target_iki_xlsx(actor, ev_id)),
                  hint="Baris dicocokkan dengan tabel menurut Indikator; target dengan koma atau titik. Satuan dan "
                       "Polaritas ditetapkan pada SKP. Klik Simpan target IKI setelah diterapkan.")
    else:
        ui.readonly(ui.iki_target_frame(d), ui.iki_target_config())

# --- realisasi -------------------------------------------------------------------------------------------------------
with tab_real:
    st.caption(f"Isi realisasi berdasarkan bukti dukung, paling lambat {fmt.tanggal(d.jadwal.realisasi)}.")
    ra_df, iki_df, hasil_df = ui.ra_realisasi_frame(d), ui.iki_realisasi_frame(d), ui.hasil_frame(d)
    if d.can_edit:
        st.markdown("**Realisasi rencana aksi**")
        if ra_df.empty:
            st.caption("Belum ada rencana aksi: susun dulu di tab Rencana Aksi.")
        g_ra = edit_grid(ra_df, f"ev_real_ra_{ev_id}", column_config=ui.ra_realisasi_config(), num_rows="fixed",
                         disabled=("id", "rhk", "uraian", "target"),
                         column_order=("rhk", "uraian", "target", "realisasi", "realisasi_uraian", "bukti_dukung"))
        st.markdown("**Realisasi IKI**")
        g_iki = edit_grid(iki_df, f"ev_real_iki_{ev_id}", column_config=ui.iki_realisasi_config(), num_rows="fixed",
                          disabled=("id", "indikator", "target", "polaritas", "capaian"),
                          column_order=("indikator", "target", "polaritas", "realisasi", "capaian"))
        ui.capaian_notes(d)
        st.markdown("**Realisasi per RHK**")
        g_h = edit_grid(hasil_df, f"ev_real_rhk_{ev_id}", column_config=ui.hasil_config(), num_rows="fixed",
                        disabled=("id", "jenis", "rhk"), column_order=("jenis", "rhk", "realisasi"))
        catatan = st.text_area("Catatan pegawai (opsional)", d.catatan_pegawai or "", max_chars=4000,
                               key=f"ev_catatan_{ev_id}")
        grids = (g_ra, g_iki, g_h)
        b1, b2 = st.columns(2)
        if b1.button("Simpan realisasi", type="primary", key=f"ev_real_save_{ev_id}", icon=":material/save:"):
            changed = [g.changes()[0] for g in grids]
            if not any(changed) and catatan == (d.catatan_pegawai or ""):
                st.info("Tidak ada perubahan untuk disimpan.")
            else:
                ui.attempt(lambda: evaluasi.save_realisasi(actor, ev_id, *changed, catatan_pegawai=catatan,
                                                           expected_version=seen), lambda r: r.pesan, grids)
        if b2.button("Isi dari logbook", key=f"ev_prefill_{ev_id}", icon=":material/auto_fix_high:",
                     help="Mengisi realisasi yang masih kosong dari logbook yang disetujui; isian Anda tidak ditimpa."):
            if any(g.dirty for g in grids):
                st.warning("Simpan perubahan realisasi terlebih dahulu sebelum mengisi dari logbook.")
            else:
                ui.attempt(lambda: evaluasi.prefill_from_logbook(actor, ev_id, expected_version=seen),
                           lambda n: f"{n} isian diisi dari logbook yang disetujui." if n
                           else "Tidak ada isian kosong yang dapat diisi dari logbook.", grids)
        for g, which, cols, what in ((g_ra, "ra", evaluasi.REAL_RA_PASTE_COLUMNS, "rencana aksi"),
                                     (g_iki, "iki", evaluasi.REAL_IKI_PASTE_COLUMNS, "IKI")):
            flash(g.key)
            paste_box(g, lambda text, w=which: evaluasi.preview_paste_realisasi(actor, ev_id, w, text),
                      labels=evaluasi.REAL_LABELS, columns=cols, upsert=True,
                      download=(f"realisasi_{which}_{ev_id}.xlsx",
                                lambda w=which: evaluasi.realisasi_xlsx(actor, ev_id, w)),
                      hint=f"Realisasi {what}: baris dicocokkan dengan tabel menurut "
                           + ("RHK dan Rencana Aksi" if which == "ra" else "Indikator")
                           + "; angka dengan koma atau titik. Klik Simpan realisasi setelah diterapkan.")
    else:
        st.markdown("**Realisasi rencana aksi**")
        ui.readonly(ra_df, ui.ra_realisasi_config())
        st.markdown("**Realisasi IKI**")
        ui.readonly(iki_df, ui.iki_realisasi_config())
        ui.capaian_notes(d)
        st.markdown("**Realisasi per RHK**")
        ui.readonly(hasil_df, ui.hasil_config())
        if d.catatan_pegawai:
            st.markdown(f"**Catatan pegawai:** {md(d.catatan_pegawai)}")
    with st.expander("Ringkasan logbook yang disetujui pada periode ini", expanded=False):
        summary = evaluasi.logbook_summary(actor, ev_id)
        st.dataframe(ui.logbook_frame(summary), hide_index=True, width="stretch", placeholder="")
    st.caption("Berkas bukti dukung (PDF, gambar) diunggah di halaman Cetak & Arsip Evaluasi.")
    page_link(BY_FILE["evaluasi_dokumen.py"], "Unggah bukti dukung di Cetak & Arsip Evaluasi")

# --- result ------------------------------------------------------------------------------------------------------------
with tab_hasil:
    ui.hasil_penilaian(d)

# --- submit / withdraw ---------------------------------------------------------------------------------------------
st.divider()
if d.can_submit:
    earliest = d.selesai - dt.timedelta(days=evaluasi.SUBMIT_DAYS_BEFORE_END)
    st.caption(f"Realisasi dapat diajukan mulai {fmt.tanggal(earliest)}. Setelah diajukan, isian terkunci sampai "
               "dinilai atau ditarik kembali.")
    if today < earliest:
        st.info(f"Realisasi dapat diajukan mulai {fmt.tanggal(earliest)}. Sampai saat itu isi dan simpan realisasi "
                "Anda; tombol Ajukan aktif mulai tanggal tersebut.")
    if st.button("Ajukan realisasi", type="primary", key=f"ev_ajukan_{ev_id}", icon=":material/send:",
                 disabled=today < earliest):
        if any(g.dirty for g in (ra_grid, iki_grid, *grids)):
            st.warning("Simpan perubahan tabel terlebih dahulu sebelum mengajukan.")
            st.stop()
        ui.attempt(lambda: evaluasi.submit(actor, ev_id, expected_version=seen, today=today),
                   "Realisasi diajukan kepada pejabat penilai.")
elif d.status == "DIAJUKAN":
    st.caption("Realisasi sudah diajukan. Anda dapat menariknya kembali selama belum diberi pertimbangan atau "
               "dinilai.")
    if st.button("Tarik kembali", key=f"ev_tarik_{ev_id}", icon=":material/undo:"):
        ui.attempt(lambda: evaluasi.withdraw(actor, ev_id, expected_version=seen),
                   "Pengajuan ditarik kembali; realisasi dapat diubah lagi.")
