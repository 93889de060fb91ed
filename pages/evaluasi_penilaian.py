"""Penilaian Kinerja (pejabat penilai; Admin SDM for heads of office without a penilai in the satker): one bulk
rating grid for all subordinates of the period (Rating Hasil Kerja, Rating Perilaku Kerja, predikat preview), and
the review of one pegawai: realisasi and IKI capaian, umpan balik per RHK / BerAKHLAK value / rencana aksi,
rekomendasi, single rating with the predikat and its reason, and returning the realisasi to the pegawai."""

import streamlit as st

from services.evaluasi import penilaian as ep
from ui import evaluasi_review as rv
from ui.actions import act, or_stop
from ui.grid import edit_grid, editor_key, flash, save_button
from ui.guard import page_actor
from ui.plt import acting_notice
from ui.tabs import page_tabs
from ui.text import md

actor = page_actor(__file__)
P = "nilai"

st.title("Penilaian Kinerja")
acting_notice(actor)
st.caption("Isi umpan balik setiap RHK dan nilai BerAKHLAK, lalu tetapkan Rating Hasil Kerja dan Rating Perilaku "
           "Kerja. Predikat mengikuti matriks PermenPANRB 6/2022; pimpinan unit memperoleh Rating Hasil Kerja dari "
           "predikat kinerja organisasi unitnya. Penilaian dikirim ke atasan pejabat penilai untuk disetujui.")
flash(rv.GRID_KEY)

chosen = rv.period_filter(P)
if chosen is None:
    st.stop()
period_id, jenis, nomor = chosen
queue = ep.queue(actor, period_id, jenis, nomor, role="penilai")
if queue.empty:
    st.info("Belum ada realisasi yang diajukan oleh pegawai yang Anda nilai pada periode ini.")
    st.stop()
rv.overdue_warning(queue, "penilaian (SOP 000 langkah 6: penilai yang terlambat dikenai sanksi)")

# --- bulk rating grid ---------------------------------------------------------------------------------------
st.subheader("Penilaian sekaligus")
menunggu = int(queue["status_kode"].isin(["DIAJUKAN", "DIKEMBALIKAN"]).sum())
st.caption(f"{len(queue)} evaluasi, {md(menunggu)} menunggu penilaian. Pilih rating pada tabel; kolom Predikat "
           "menampilkan hasil matriks setelah Anda memilih. Rating hanya tersimpan bila umpan balik lengkap (✓); "
           "isi umpan balik pada bagian **Periksa satu pegawai** di bawah.")
base = rv.grid_frame(queue)
base = rv.with_preview(base, st.session_state.get(editor_key(rv.GRID_KEY)))
grid = edit_grid(base, rv.GRID_KEY, column_config=rv.grid_config(), num_rows="fixed",
                 disabled=tuple(c for c in base.columns if c not in rv.GRID_EDITABLE),
                 column_order=tuple(c for c in rv.GRID_COLUMNS if c not in ("evaluasi_id", "version")),
                 keep_snapshot=False)


def _save_grid(rows, _deleted):
    n = ep.rate_many(actor, rows)
    return f"Penilaian {n} pegawai disimpan dan dikirim ke atasan pejabat penilai."


save_button(grid, _save_grid, label="Simpan penilaian", key="nilai_grid_simpan")

# --- one pegawai --------------------------------------------------------------------------------------------
st.divider()
st.subheader("Periksa satu pegawai")
labels = {int(r.evaluasi_id): f"{r.pegawai} — {r.periode} ({r.status})" for r in queue.itertuples()}
ids = list(labels)
waiting = queue[queue["status_kode"].isin(["DIAJUKAN", "DIKEMBALIKAN"])]
first = int(waiting.iloc[0]["evaluasi_id"]) if not waiting.empty else ids[0]  # open on work still to do
eid = st.selectbox("Pegawai", ids, index=ids.index(first), format_func=labels.get, key=f"{P}_pilih")
d = or_stop(lambda: ep.evaluasi_detail(actor, eid))
ver = rv.version(P)
rv.identity(d)
rv.realisasi_view(d)

st.markdown("**Umpan balik**")
if d.missing_feedback:
    st.caption(f"Belum diisi: {len(d.missing_feedback)} umpan balik (wajib sebelum rating disimpan).")
editable = d.can_nilai
if editable:
    tab_h, tab_p, tab_r = page_tabs(["Per RHK", "Per nilai BerAKHLAK", "Per rencana aksi (opsional)"], key="evp_tab")
    with tab_h:
        fb_hasil = rv.feedback_editor(rv.hasil_frame(d), f"{P}_ub_hasil_{d.id}_{ver}")
    with tab_p:
        fb_perilaku = rv.feedback_editor(rv.perilaku_frame(d), f"{P}_ub_perilaku_{d.id}_{ver}")
    with tab_r:
        ra = rv.rencana_frame(d)
        fb_rencana = rv.feedback_editor(ra, f"{P}_ub_rencana_{d.id}_{ver}") if not ra.empty else {}
    rekomendasi = st.text_area("Catatan / rekomendasi pejabat penilai", value=d.rekomendasi or "",
                               key=f"{P}_rekomendasi_{d.id}_{ver}", max_chars=4000)
    if st.button("Simpan umpan balik", key=f"{P}_ub_simpan", icon=":material/save:"):
        act(lambda: ep.save_feedback(actor, d.id, fb_hasil, fb_perilaku, fb_rencana, rekomendasi=rekomendasi,
                     expected_version=d.version),
            ok=f"Umpan balik untuk {d.pegawai.nama} disimpan.", fail="Umpan balik tidak disimpan:", reset=P)
else:
    st.dataframe(rv.hasil_frame(d).drop(columns=["id"]), hide_index=True, width="stretch", placeholder="")
    st.dataframe(rv.perilaku_frame(d).drop(columns=["id"]), hide_index=True, width="stretch", placeholder="")
    if d.rekomendasi:
        st.caption(f"Rekomendasi: {rv.md(d.rekomendasi)}")

st.markdown("**Rating dan predikat**")
if d.predikat:
    st.markdown(f"Tersimpan: **{md(d.predikat)}** — {rv.md(d.predikat_alasan)}")
if not editable:
    st.info(f"Evaluasi ini berstatus {md(d.status_label)}; tidak dapat dinilai sekarang.")
else:
    row = queue[queue["evaluasi_id"] == d.id].iloc[0]
    options = [None, *ep.RATINGS]
    c1, c2 = st.columns(2)
    if d.pimpinan_unit:
        fixed = row["rating_hasil_tetap"]
        c1.text_input("Rating Hasil Kerja (dari kinerja organisasi)", value=fixed or "belum ditetapkan",
                      disabled=True, key=f"{P}_hk_tetap_{d.id}_{ver}")
        hasil = None
        shown_hasil = fixed
    else:
        hasil = c1.selectbox("Rating Hasil Kerja", options, key=f"{P}_hk_{d.id}_{ver}",
                             index=options.index(d.rating_hasil_kerja) if d.rating_hasil_kerja in options else 0,
                             format_func=lambda v: "— pilih —" if v is None else v)
        shown_hasil = hasil
    perilaku = c2.selectbox("Rating Perilaku Kerja", options, key=f"{P}_pk_{d.id}_{ver}",
                            index=options.index(d.rating_perilaku_kerja) if d.rating_perilaku_kerja in options else 0,
                            format_func=lambda v: "— pilih —" if v is None else v)
    pred, reason = ep.preview_predikat(shown_hasil, perilaku)
    if pred:
        st.markdown(f"Predikat: **{md(pred)}** — {md(reason)}")
    if st.button("Simpan rating", type="primary", key=f"{P}_rating_simpan", icon=":material/grading:"):
        act(lambda: ep.rate(actor, d.id, hasil, perilaku, expected_version=d.version),
            ok=lambda hasil_pred: f"Penilaian {d.pegawai.nama} disimpan: predikat {hasil_pred}.",
            fail="Rating tidak disimpan:", reset=P)

    if d.status == "DIAJUKAN":
        with st.expander("Kembalikan realisasi ke pegawai"):
            note = st.text_area("Catatan pengembalian (wajib)", key=f"{P}_kembali_catatan_{d.id}_{ver}",
                                max_chars=4000)
            if st.button("Kembalikan ke pegawai", key=f"{P}_kembalikan", icon=":material/undo:"):
                act(lambda: ep.return_to_pegawai(actor, d.id, note, expected_version=d.version),
                    ok=f"Realisasi {d.pegawai.nama} dikembalikan untuk diperbaiki.",
                    fail="Realisasi tidak dikembalikan:", reset=P)
