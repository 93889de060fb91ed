"""Angka Kredit: conversions of approved predikat into angka kredit for jabatan fungsional, accumulation, the AK
still needed for the next pangkat/jenjang, Excel and the "Konversi Predikat Kinerja ke Angka Kredit" PDF.
Admin SDM chooses any pegawai fungsional and manages the saldo awal. Rules: services/angka_kredit.py."""


import streamlit as st

from services.core import clock, fmt
from services.evaluasi import angka_kredit as ak
from ui import evaluasi_org as ui
from ui.actions import act, or_stop
from ui.guard import page_actor

actor = page_actor(__file__)


st.title("Angka Kredit")
st.caption("Konversi predikat kinerja ke angka kredit bagi jabatan fungsional (PermenPANRB 1/2023): AK = koefisien "
           "tahunan × persentase predikat × bulan/12. Konversi dicatat saat evaluasi disetujui atasan pejabat penilai.")


pegawai_id = None
if actor.is_admin or actor.pegawai_id is None:
    choices = ak.fungsional_choices(actor)
    if choices.empty:
        st.info("Belum ada pegawai aktif dengan jabatan fungsional.")
        st.stop()
    names = {int(r.pegawai_id): f"{r.nama} ({r.nip}) · {r.jabatan}" for r in choices.itertuples()}
    default = list(names).index(actor.pegawai_id) if actor.pegawai_id in names else 0
    pegawai_id = st.selectbox("Pegawai fungsional", list(names), index=default, format_func=names.get,
                              key="ak_pegawai")

d = or_stop(ak.summary, actor, pegawai_id)

st.markdown(f"**{d.nama}** · NIP {d.nip} · {d.jabatan or 'tanpa jabatan'} · {d.pangkat_golongan}")
if not d.fungsional and d.rows.empty:
    st.info("Angka kredit berlaku bagi pegawai dengan jabatan fungsional (keahlian atau keterampilan). Jabatan Anda "
            "saat ini bukan jabatan fungsional, sehingga predikat kinerja tidak dikonversi ke angka kredit.")
    st.stop()

m1, m2, m3 = st.columns(3)
m1.metric("AK kumulatif", fmt.angka(d.kumulatif, 2))
target = {"pangkat": f"Kebutuhan kenaikan pangkat ke {d.golongan_tujuan}",
          "jenjang": f"Kebutuhan kenaikan jenjang ke {d.jenjang_tujuan}"}.get(d.langkah or "", "Kebutuhan")
m2.metric(target, fmt.angka(d.kebutuhan, 2) if d.kebutuhan is not None else "-")
m3.metric("Kekurangan", fmt.angka(d.kekurangan, 2) if d.kekurangan is not None else "-")
if d.fungsional:
    (st.success if d.kekurangan == 0 and d.langkah else st.info)(d.kalimat)
    if d.langkah == "pangkat" and d.kebutuhan_jenjang is not None:
        st.caption(f"Kenaikan jenjang ke {d.jenjang_tujuan}: {fmt.angka(d.kebutuhan_jenjang, 2)} AK "
                   f"(kurang {fmt.angka(d.kekurangan_jenjang, 2)}). Jenjang {d.jenjang}, koefisien tahunan "
                   f"{fmt.angka(d.koefisien, 2)}.")
else:
    st.warning("Jabatan saat ini bukan jabatan fungsional; riwayat angka kredit tetap ditampilkan.")

st.subheader("Per tahun")
if d.per_tahun.empty:
    st.info("Belum ada angka kredit. Konversi muncul setelah evaluasi kinerja disetujui.")
else:
    st.dataframe(ui.ak_year_view(d.per_tahun), hide_index=True, width="stretch", placeholder="")
    st.caption(d.aturan)
    st.subheader("Rincian konversi")
    st.dataframe(ui.ak_rows_view(d.rows), hide_index=True, width="stretch", placeholder="")

years = sorted({int(t) for t in d.rows["tahun"]}, reverse=True)
c1, c2, c3 = st.columns([2, 2, 2])
tahun = c1.selectbox("Tahun dokumen konversi", [None, *years], key="ak_tahun",
                     format_func=lambda t: "Semua tahun" if t is None else str(t))
xlsx = act(lambda: ak.export_xlsx(actor, d.pegawai_id)) if st.session_state.get("ak_siap_xlsx") else None
pdf = act(lambda: ak.konversi_pdf(actor, d.pegawai_id, tahun)) if st.session_state.get("ak_siap_pdf") else None
if xlsx is None:
    c2.button("Siapkan Excel", key="ak_siap_xlsx", icon=":material/table:")
else:
    c2.download_button("Unduh Excel", xlsx, file_name=ak.xlsx_filename(d), key="ak_xlsx", icon=":material/download:",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
if pdf is None:
    c3.button("Siapkan PDF konversi", key="ak_siap_pdf", icon=":material/picture_as_pdf:")
else:
    c3.download_button("Unduh PDF konversi", pdf, file_name=ak.pdf_filename(d, tahun), key="ak_pdf",
                       mime="application/pdf", icon=":material/download:")

if not actor.is_admin:
    st.stop()

st.subheader("Saldo awal (Admin SDM)")
st.caption("Angka kredit sebelum e-Kinerja: PAK integrasi/konversi atau PAK terakhir. Saldo awal selalu dihitung "
           "dalam akumulasi.")
saldo = d.rows[d.rows["jenis"] == "Saldo Awal"]
if saldo.empty:
    st.info("Belum ada saldo awal.")
else:
    for r in saldo.itertuples():
        a, b, c = st.columns([1, 4, 1])
        a.write(str(r.tahun))
        b.write(f"{fmt.angka(r.nilai, 2)} AK · {r.keterangan or ''}")
        if c.button("Hapus", key=f"ak_hapus_{r.id}", icon=":material/delete:"):
            act(lambda rid=int(r.id): ak.delete_saldo_awal(actor, rid), ok="Saldo awal dihapus.")
with st.form("ak_form_saldo", clear_on_submit=True):
    f1, f2 = st.columns(2)
    tahun_saldo = f1.number_input("Tahun", min_value=2000, max_value=2100, value=clock.today().year - 1, step=1,
                                  key="ak_saldo_tahun")
    nilai = f2.text_input("Nilai AK", placeholder="mis. 45,50", key="ak_saldo_nilai")
    ket = st.text_input("Keterangan", placeholder="PAK konversi nomor ... tanggal ...", max_chars=300,
                        key="ak_saldo_ket")
    tambah = st.form_submit_button("Tambah saldo awal", icon=":material/add:")
if tambah:
    act(lambda: ak.add_saldo_awal(actor, d.pegawai_id, int(tahun_saldo), nilai, ket), ok="Saldo awal ditambahkan.")
