"""Persetujuan Penilaian (atasan pejabat penilai, SOP 000 step 7; Admin SDM where there is no atasan in the
satker): approve several rated evaluations at once (locked afterwards; angka kredit recorded for fungsional),
return one to the pejabat penilai with a note, and reopen an approved one with a reason (audited)."""

import streamlit as st

from services.evaluasi import penilaian as ep
from ui import evaluasi_review as rv
from ui.actions import act
from ui.guard import page_actor
from ui.plt import acting_notice
from ui.text import md

actor = page_actor(__file__)
P = "setuju"
COLUMNS = ["pegawai", "periode", "predikat", "rating_hasil_kerja", "rating_perilaku_kerja", "capaian_ringkas",
           "penilai", "batas", "terlambat", "jabatan"]  # what is approved first, context after

st.title("Persetujuan Penilaian")
acting_notice(actor)
st.caption("Periksa rating dan predikat yang ditetapkan pejabat penilai, lalu setujui atau kembalikan dengan "
           "catatan. Penilaian yang disetujui terkunci; perubahan hanya melalui pembukaan kembali dengan alasan.")

chosen = rv.period_filter(P)
if chosen is None:
    st.stop()
period_id, jenis, nomor = chosen
queue = ep.queue(actor, period_id, jenis, nomor, role="atasan")
ver = rv.version(P)
pending = queue[queue["status_kode"] == "DINILAI"].reset_index(drop=True)
returned = queue[queue["status_kode"] == "DIKEMBALIKAN"]
approved = queue[queue["status_kode"] == "DISETUJUI"].reset_index(drop=True)

# --- waiting for approval -----------------------------------------------------------------------------------
st.subheader(f"Menunggu persetujuan ({len(pending)})")
if pending.empty:
    st.info("Tidak ada penilaian yang menunggu persetujuan Anda pada periode ini.")
else:
    rv.overdue_warning(pending, "persetujuan")
    event = st.dataframe(rv.table(pending, COLUMNS), key=f"{P}_antrian__{ver}", on_select="rerun",
                         selection_mode="multi-row", hide_index=True, width="stretch",
                         column_config={"Batas Waktu": st.column_config.DateColumn("Batas Waktu",
                                                                                   format="DD/MM/YYYY")}, placeholder="")
    rows = [r for r in (event.selection.rows if event else []) if 0 <= r < len(pending)]
    picked = pending.iloc[rows]
    st.markdown(f"**{len(rows)}** penilaian dipilih" + (": " + ", ".join(rv.md(n) for n in picked["pegawai"])
                                                         if rows else ". Pilih baris pada tabel (kotak di kiri)."))
    if st.button("Setujui terpilih", type="primary", disabled=not rows, key=f"{P}_setujui_banyak",
                 icon=":material/done_all:"):
        act(lambda: ep.approve_many(actor, [int(i) for i in picked["evaluasi_id"]]),
            ok=lambda n: f"{n} penilaian disetujui dan dikunci.",
            fail="Tidak ada penilaian yang disetujui:", reset=P)

    with st.expander("Periksa satu penilaian / kembalikan ke pejabat penilai"):
        labels = {int(r.evaluasi_id): f"{r.pegawai} — {r.periode}: {r.predikat}" for r in pending.itertuples()}
        eid = st.selectbox("Penilaian yang diperiksa", list(labels), format_func=labels.get, key=f"{P}_pilih")
        d = act(lambda: ep.evaluasi_detail(actor, eid))
        if d is not None:
            rv.identity(d)
            st.markdown(f"Rating Hasil Kerja **{md(d.rating_hasil_kerja)}**, Rating Perilaku Kerja "
                        f"**{md(d.rating_perilaku_kerja)}** → **{md(d.predikat)}**  \n{rv.md(d.predikat_alasan)}")
            if d.rekomendasi:
                st.caption(f"Rekomendasi penilai: {rv.md(d.rekomendasi)}")
            rv.realisasi_view(d)
            st.dataframe(rv.hasil_frame(d)[["RHK", "Umpan Balik"]], hide_index=True, width="stretch", placeholder="")
            st.dataframe(rv.perilaku_frame(d)[["Nilai", "Umpan Balik"]], hide_index=True, width="stretch", placeholder="")
            note = st.text_area("Catatan untuk pejabat penilai (wajib bila dikembalikan)",
                                key=f"{P}_catatan_{d.id}_{ver}", max_chars=4000)
            left, right = st.columns(2)
            if left.button("Setujui", key=f"{P}_setujui", icon=":material/check_circle:", disabled=not d.can_setujui):
                act(lambda: ep.approve(actor, d.id, expected_version=d.version),
                    ok=f"Penilaian {d.pegawai.nama} disetujui dan dikunci.", reset=P)
            if right.button("Kembalikan ke penilai", key=f"{P}_kembalikan", icon=":material/undo:",
                            disabled=not d.can_setujui):
                act(lambda: ep.return_to_penilai(actor, d.id, note, expected_version=d.version),
                    ok=f"Penilaian {d.pegawai.nama} dikembalikan ke pejabat penilai.",
                    fail="Penilaian tidak dikembalikan:", reset=P)

if not returned.empty:
    st.caption("Dikembalikan ke pejabat penilai, menunggu penilaian ulang: "
               + ", ".join(f"{rv.md(r.pegawai)} ({md(r.periode)})" for r in returned.itertuples()))

# --- approved -------------------------------------------------------------------------------------------------
st.subheader(f"Disetujui ({len(approved)})")
if approved.empty:
    st.caption("Belum ada penilaian yang disetujui pada periode ini.")
else:
    st.dataframe(rv.table(approved, ["pegawai", "periode", "rating_hasil_kerja", "rating_perilaku_kerja", "predikat",
                                     "penilai", "alasan_buka_kembali"]), hide_index=True, width="stretch", placeholder="")
    with st.expander("Buka kembali penilaian yang sudah disetujui"):
        st.caption("Membuka kembali mengembalikan status ke Dinilai (angka kredit periode ini dihapus sampai "
                   "disetujui lagi). Alasan dicatat dalam log audit.")
        labels = {int(r.evaluasi_id): f"{r.pegawai} — {r.periode}: {r.predikat}" for r in approved.itertuples()}
        rid = st.selectbox("Penilaian yang dibuka kembali", list(labels), format_func=labels.get,
                           key=f"{P}_buka_pilih")
        alasan = st.text_area(f"Alasan (wajib, minimal {ep.ALASAN_MIN} karakter)", key=f"{P}_buka_alasan_{ver}",
                              max_chars=4000)
        if st.button("Buka kembali", key=f"{P}_buka", icon=":material/lock_open:"):
            act(lambda: ep.reopen(actor, rid, alasan),
                ok=f"Penilaian {labels[rid].split(' — ')[0]} dibuka kembali.",
                fail="Penilaian tidak dibuka kembali:", reset=P)
