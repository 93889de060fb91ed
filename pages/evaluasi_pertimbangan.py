"""Pertimbangan Kinerja (pemberi pertimbangan / Ketua Tim, SOP 000 step 4): the submitted evaluations of the team
members, their realisasi and IKI capaian, and a note with suggested ratings for the pejabat penilai. The Ketua Tim
gives input only; the rating is the pejabat penilai's."""

import streamlit as st

from services.evaluasi import penilaian as ep
from ui import evaluasi_review as rv
from ui.actions import act, or_stop
from ui.guard import page_actor
from ui.plt import acting_notice
from ui.text import md

actor = page_actor(__file__)
P = "timbang"

st.title("Pertimbangan Kinerja")
acting_notice(actor)
st.caption("Berikan pertimbangan atas realisasi kinerja anggota tim Anda sebelum pejabat penilai menetapkan rating "
           "(SOP 000 langkah 4). Pertimbangan berupa catatan dan saran rating; keputusan ada pada pejabat penilai.")

chosen = rv.period_filter(P)
if chosen is None:
    st.stop()
period_id, jenis, nomor = chosen
queue = ep.queue(actor, period_id, jenis, nomor, role="pertimbangan")
if queue.empty:
    st.info("Tidak ada evaluasi anggota tim yang diajukan pada periode ini.")
    st.stop()
rv.overdue_warning(queue, "pertimbangan")

waiting = queue[(queue["status_kode"] == "DIAJUKAN") & queue["pertimbangan"].isna()]
st.markdown(f"**{len(waiting)}** evaluasi menunggu pertimbangan Anda dari {len(queue)} evaluasi anggota tim.")
st.dataframe(rv.table(queue, ["pegawai", "periode", "status", "capaian_ringkas", "pertimbangan", "batas",
                              "terlambat"]),
             hide_index=True, width="stretch",
             column_config={"Batas Waktu": st.column_config.DateColumn("Batas Waktu", format="DD/MM/YYYY")}, placeholder="")

labels = {int(r.evaluasi_id): f"{r.pegawai} — {r.periode} ({r.status})" for r in queue.itertuples()}
ids = list(labels)
first = int(waiting.iloc[0]["evaluasi_id"]) if not waiting.empty else ids[0]
eid = st.selectbox("Evaluasi yang diperiksa", ids, index=ids.index(first), format_func=labels.get,
                   key=f"{P}_pilih")
d = or_stop(lambda: ep.evaluasi_detail(actor, eid))
ver = rv.version(P)
rv.identity(d)
rv.realisasi_view(d)

st.subheader("Pertimbangan")
if not d.can_pertimbangan:
    st.info(f"Evaluasi ini berstatus {md(d.status_label)}; pertimbangan hanya dapat diberikan sebelum penilaian.")
    st.stop()
options = [None, *ep.RATINGS]
catatan = st.text_area("Catatan pertimbangan (wajib)", value=d.pertimbangan_catatan or "",
                       key=f"{P}_catatan_{d.id}_{ver}", max_chars=4000)
c1, c2 = st.columns(2)
hasil = c1.selectbox("Saran Rating Hasil Kerja", options, key=f"{P}_hk_{d.id}_{ver}",
                     index=options.index(d.pertimbangan_rating_hasil) if d.pertimbangan_rating_hasil else 0,
                     format_func=lambda v: "— tanpa saran —" if v is None else v)
perilaku = c2.selectbox("Saran Rating Perilaku Kerja", options, key=f"{P}_pk_{d.id}_{ver}",
                        index=options.index(d.pertimbangan_rating_perilaku) if d.pertimbangan_rating_perilaku else 0,
                        format_func=lambda v: "— tanpa saran —" if v is None else v)
if st.button("Simpan pertimbangan", type="primary", key=f"{P}_simpan", icon=":material/rate_review:"):
    act(lambda: ep.give_pertimbangan(actor, d.id, catatan, hasil, perilaku, expected_version=d.version),
        ok=f"Pertimbangan untuk {d.pegawai.nama} disimpan.", fail="Pertimbangan tidak disimpan:", reset=P)
