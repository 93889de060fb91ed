"""Verifikasi SKP: the pejabat penilai's queue (approve several at once), the review of one SKP (approve, or
return with an overall note and notes per RHK; Ekspektasi Khusus Pimpinan), and revision requests.
Admin SDM decides here for heads of office who have no pejabat penilai in the satker."""

import streamlit as st

from services import skp
from ui import skp_review as rv
from ui.actions import act
from ui.guard import page_actor
from ui.plt import acting_notice
from ui.tabs import page_tabs
from ui.text import md

actor = page_actor(__file__)

st.title("Verifikasi SKP")
acting_notice(actor)
st.caption("Periksa SKP pegawai yang Anda nilai: setujui, atau kembalikan dengan catatan untuk diperbaiki. "
           "SKP yang disetujui terkunci dan menjadi dasar penilaian kinerja tahun berjalan.")

queue = skp.queue_for_penilai(actor)
revisions = skp.revision_queue(actor)
ver = rv.version()
tab_queue, tab_review, tab_revisi = page_tabs([f"Antrean ({len(queue)})", "Periksa SKP",
                                             f"Permintaan revisi ({len(revisions)})"], key="skpv_tab")

# --- the queue: several at once -------------------------------------------------------------------------------
with tab_queue:
    if queue.empty:
        st.info("Tidak ada SKP yang menunggu verifikasi Anda.")
    else:
        st.caption("Pilih baris pada tabel (kotak di kiri) untuk menyetujui beberapa SKP sekaligus. "
                   "Periksa isi setiap SKP pada tab **Periksa SKP** sebelum menyetujui.")
        event = st.dataframe(rv.queue_table(queue), key=rv.queue_key(), on_select="rerun",
                             selection_mode="multi-row", hide_index=True, width="stretch", placeholder="")
        rows = [r for r in (event.selection.rows if event else []) if 0 <= r < len(queue)]
        chosen = queue.iloc[rows]
        st.markdown(f"**{len(rows)}** SKP dipilih" + (": " + ", ".join(rv.md(n) for n in chosen["pegawai"])
                                                      if rows else "."))
        confirm = st.checkbox("Saya telah memeriksa SKP yang dipilih dan menyetujuinya.", key=f"verif_konfirmasi_{ver}")
        if st.button("Setujui terpilih", type="primary", disabled=not rows, key="verif_setujui_banyak",
                     icon=":material/done_all:"):
            if not confirm:
                st.warning("Centang pernyataan persetujuan terlebih dahulu.")
            else:
                act(lambda: skp.approve_many(actor, [int(x) for x in chosen["skp_id"]]),
                    ok=lambda n: f"{n} SKP disetujui.", fail="Tidak ada SKP yang disetujui. Periksa SKP berikut:", reset=rv.SCOPE)

# --- one SKP: review and decide -------------------------------------------------------------------------------
with tab_review:
    if queue.empty:
        st.info("Tidak ada SKP yang menunggu verifikasi Anda.")
    else:
        labels = {int(r.skp_id): rv.skp_label(r) for r in queue.itertuples()}
        sid = st.selectbox("SKP yang diperiksa", list(labels), format_func=labels.get, key="verif_pilih")
        d = act(lambda: skp.skp_detail(actor, sid))
        if d is not None:
            rv.identity(d)
            st.subheader("Hasil kerja")
            notes = rv.rhk_review(d, "verif_rhk")

            st.subheader("Perilaku kerja: ekspektasi khusus pimpinan")
            saved, values = rv.ekspektasi_inputs(d, "verif_eks")
            if saved:
                act(lambda: skp.set_ekspektasi_khusus(actor, d.id, values, expected_version=d.row_version),
                    ok="Ekspektasi khusus pimpinan disimpan.", fail="Ekspektasi khusus tidak disimpan:", reset=rv.SCOPE)

            st.subheader("Keputusan")
            if not d.can_decide:
                st.info(f"SKP ini berstatus {md(d.status_label)} dan tidak menunggu keputusan Anda.")
            catatan = st.text_area("Catatan pengembalian (wajib bila SKP dikembalikan)", key=f"verif_catatan_{d.id}",
                                   max_chars=skp.MAX_CATATAN)
            st.caption(f"{len(notes)} catatan per RHK akan dikirim bila SKP dikembalikan.")
            left, right = st.columns(2)
            with left:
                approve = st.button("Setujui", type="primary", key="verif_setujui", disabled=not d.can_decide,
                                    icon=":material/check_circle:", width="stretch")
            with right:
                give_back = st.button("Kembalikan", key="verif_kembalikan", disabled=not d.can_decide,
                                      icon=":material/undo:", width="stretch")
            if approve:
                act(lambda: skp.approve(actor, d.id, expected_version=d.row_version),
                    ok=f"SKP {d.pegawai.nama} disetujui dan dikunci.", fail="SKP belum dapat disetujui:", reset=rv.SCOPE)
            if give_back:
                act(lambda: skp.return_with_notes(actor, d.id, catatan, notes, expected_version=d.row_version),
                    ok=f"SKP {d.pegawai.nama} dikembalikan untuk diperbaiki.", fail="SKP tidak dikembalikan:", reset=rv.SCOPE)

# --- revision requests after approval -------------------------------------------------------------------------
with tab_revisi:
    if revisions.empty:
        st.info("Tidak ada permintaan revisi SKP yang menunggu keputusan Anda.")
    for r in revisions.itertuples():
        rid = int(r.request_id)
        with st.container(border=True):
            st.markdown(f"**{rv.md(r.pegawai)}** — NIP {md(r.nip)} · SKP {md(r.tahun)} versi {md(r.versi)}")
            st.markdown(f"Alasan: {rv.md(r.alasan)}")
            st.caption(f"Diminta {md(rv.waktu(r.diminta))}. Bila diterima, versi {r.versi + 1} dibuka sebagai draf "
                       f"dan versi {md(r.versi)} tetap tersimpan.")
            note = st.text_input("Catatan keputusan (wajib bila ditolak)", key=f"verif_rev_catatan_{rid}")
            left, right = st.columns(2)
            accept = left.button("Terima revisi", key=f"verif_rev_terima_{rid}", icon=":material/check:")
            reject = right.button("Tolak", key=f"verif_rev_tolak_{rid}", icon=":material/close:")
            if accept or reject:
                decide = skp.accept_revision if accept else skp.reject_revision
                act(lambda decide=decide, rid=rid, note=note: decide(actor, rid, note),
                    ok=f"Permintaan revisi {r.pegawai} " + ("diterima." if accept else "ditolak."),
                    fail="Keputusan tidak disimpan:", reset=rv.SCOPE)
