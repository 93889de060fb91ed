"""Kertas Kerja Perhitungan Kinerja: the Perencana compiles it from the submitted realisations and submits it, the
Kasubbag ADUM returns it with notes per row or marks it checked, the Kepala ratifies it (SOP 001 steps 3–5)."""

import datetime as dt

import pandas as pd
import streamlit as st

from services import kinerja
from services.core import clock, fmt
from ui.actions import act, or_stop
from ui.guard import page_actor
from ui.text import md

actor = page_actor(__file__)
FLASH = "kkk"
KK = kinerja.kertas

st.title("Kertas Kerja Perhitungan Kinerja")
st.caption("Target, realisasi (periode dan kumulatif sesuai aturan indikator), capaian menurut polaritas, capaian "
           "per sasaran dan realisasi anggaran. Alur: Petugas Perencana menyusun → Kasubbag ADUM memeriksa → "
           "Kepala mengesahkan (SOP 001 Pengukuran Data Kinerja).")
today = clock.today()
c1, c2, c3 = st.columns(3)
tahun = int(c1.number_input("Tahun", min_value=2000, max_value=2100, value=today.year, step=1, key="kkk_tahun"))
jenis = c2.selectbox("Periode", KK.JENIS, format_func=str.capitalize, key="kkk_jenis")
nomor_opts = {"bulan": list(range(1, 13)), "triwulan": [1, 2, 3, 4], "tahun": [0]}[jenis]
last = (today.replace(day=1) - dt.timedelta(days=1)).month if tahun == today.year else 12  # latest realised month
nomor = c3.selectbox("Ke-", nomor_opts, key="kkk_nomor", index=nomor_opts.index({"bulan": last,
                     "triwulan": (last + 2) // 3, "tahun": 0}[jenis]),
                     format_func=lambda n: KK.label(tahun, jenis, n).rsplit(" ", 1)[0])
role = KK.can(actor)


def _act(fn, *args, ok: str) -> None:
    act(lambda: fn(actor, tahun, jenis, nomor, *args), ok=ok)


view = or_stop(KK.get, actor, tahun, jenis, nomor)
if view is None:
    st.info(f"Kertas kerja {md(KK.label(tahun, jenis, nomor))} belum disusun.")
    if role["perencana"] and st.button("Susun dari realisasi yang diajukan", type="primary", key="kkk_susun0"):
        _act(KK.susun, ok="Kertas kerja disusun.")
    st.stop()

st.markdown(f"**{md(view['label'])}** · Status: **{md(view['status_label'])}** · Versi disahkan: {md(view['versi'])}")
ring = view["ringkasan"]
m1, m2, m3 = st.columns(3)
m1.metric("Rata-rata capaian kumulatif", f"{ring.get('capaian_rata_rata') or 0:.2f} %".replace(".", ","),
          ring.get("kategori"))
ang = ring.get("anggaran", {})
m2.metric("Penyerapan anggaran thd pagu", f"{ang.get('Penyerapan thd Pagu (%)') or 0:.2f} %".replace(".", ","))
m3.metric("Indeks efisiensi", fmt.angka(ring.get("indeks_efisiensi"), 2),
          help="Rata-rata capaian kinerja dibagi persentase penyerapan anggaran terhadap RPD kumulatif; > 1 berarti "
               "capaian lebih tinggi daripada penyerapan.")

rows = view["baris"].copy()
notes = view["catatan_baris"]
rows.insert(0, "Catatan Pemeriksa", [notes.get(int(i), "") for i in rows["indikator_id"]])
show = ["Catatan Pemeriksa", "Sasaran", "Kode", "Indikator", "Satuan", "Polaritas", "Agregasi", "PJ Tim Kerja",
        "Target", "Realisasi", "Capaian (%)", "Kategori", "Target Kumulatif", "Realisasi Kumulatif",
        "Capaian Kumulatif (%)", "Kategori Kumulatif", "Status Data", "Kendala", "Koreksi"]
kasub_turn = role["kasubbag"] and view["status"] == "DIAJUKAN"
NUM = st.column_config.NumberColumn(format="localized")
num_config = {c: NUM for c in ("Target", "Realisasi", "Capaian (%)", "Target Kumulatif", "Realisasi Kumulatif",
                               "Capaian Kumulatif (%)", "Jumlah Indikator", "Pagu", "RPD Periode", "Realisasi Periode",
                               "RPD Kumulatif", "Realisasi Kumulatif", "Penyerapan thd Pagu (%)",
                               "Penyerapan thd RPD Kumulatif (%)")}
edited = st.data_editor(rows, key=f"kkk_rows_{tahun}_{jenis}_{nomor}", hide_index=True, width="stretch", placeholder="",
                        column_order=show, num_rows="fixed", column_config=num_config,
                        disabled=[c for c in rows.columns if c != "Catatan Pemeriksa" or not kasub_turn])
st.subheader("Capaian per sasaran")
st.dataframe(pd.DataFrame(ring.get("sasaran", [])), hide_index=True, width="stretch", placeholder="",
             column_config=num_config)
st.subheader("Realisasi anggaran")
st.dataframe(pd.DataFrame([ang]), hide_index=True, width="stretch", placeholder="", column_config=num_config)

st.divider()
if role["perencana"] and view["status"] in ("DRAFT", "DIKEMBALIKAN"):
    a, b = st.columns(2)
    if a.button("Susun ulang dari realisasi", key="kkk_susun"):
        _act(KK.susun, ok="Kertas kerja disusun ulang.")
    if b.button("Ajukan ke Kasubbag ADUM", type="primary", key="kkk_ajukan"):
        _act(KK.ajukan, ok="Kertas kerja diajukan.")
    tims = or_stop(KK.tim_dicatat, actor, tahun, jenis, nomor) if jenis == "bulan" else []
    if view["status"] == "DIKEMBALIKAN" and tims:
        st.markdown("**Kembalikan realisasi ke Tim Kerja untuk diperbaiki**")
        st.caption("Bulan realisasi Tim Kerja yang barisnya diberi catatan dibuka kembali; PJ Tim Kerja memperbaiki "
                   "angkanya dan mengajukannya lagi, lalu kertas kerja disusun ulang.")
        by_tim = {int(t["tim_id"]): t for t in tims}
        tim_kembali = st.selectbox("Tim Kerja", list(by_tim), format_func=lambda t: by_tim[t]["Tim Kerja"],
                                   key="kkk_tim_kembali")
        alasan_tim = st.text_area("Alasan (dikirim ke PJ Tim Kerja)", value=by_tim[tim_kembali]["catatan"],
                                  key=f"kkk_tim_alasan_{tim_kembali}")
        if st.button("Buka kembali realisasi Tim Kerja", key="kkk_tim_buka"):
            act(lambda: kinerja.realisasi.buka_kembali(actor, tahun, nomor, tim_kembali, alasan_tim),
                ok="Realisasi Tim Kerja dibuka kembali untuk diperbaiki PJ Tim Kerja.")
    with st.expander("Koreksi angka realisasi Tim Kerja (dengan alasan)"):
        kode = {int(r.indikator_id): f"{r.Kode} · {r.Indikator}" for r in view["baris"].itertuples()}
        ind = st.selectbox("Indikator", list(kode), format_func=kode.get, key="kkk_kor_ind")
        kb = st.selectbox("Bulan", list(range(1, 13)), format_func=kinerja.common.nama_bulan, key="kkk_kor_bulan")
        nilai = st.text_input("Realisasi yang benar", key="kkk_kor_nilai")
        alasan = st.text_area("Alasan koreksi", key="kkk_kor_alasan")
        if st.button("Simpan koreksi", key="kkk_kor_btn"):
            act(lambda: kinerja.realisasi.koreksi(actor, tahun, kb, ind, nilai, alasan),
                ok="Koreksi tersimpan dan dicatat di log audit; susun ulang kertas kerja.")
if role["perencana"] and view["status"] == "DISAHKAN":
    alasan = st.text_input("Alasan membuka revisi", key="kkk_rev_alasan")
    if st.button("Buka revisi", key="kkk_rev"):
        _act(KK.buka_revisi, alasan, ok="Revisi dibuka; versi yang disahkan tetap tersimpan.")
if kasub_turn:
    a, b = st.columns(2)
    if a.button("Kembalikan dengan catatan per baris", key="kkk_kembali"):
        catatan = {int(i): n for i, n in zip(edited["indikator_id"], edited["Catatan Pemeriksa"], strict=True) if n}
        _act(KK.kembalikan, catatan, ok="Kertas kerja dikembalikan ke Petugas Perencana.")
    if b.button("Sudah diperiksa, teruskan ke Kepala", type="primary", key="kkk_periksa"):
        _act(KK.periksa, ok="Kertas kerja diteruskan ke Kepala untuk disahkan.")
if role["kepala"] and view["status"] == "DIKOREKSI" and st.button("Sahkan kertas kerja", type="primary",
                                                                    key="kkk_sahkan"):
        _act(KK.sahkan, ok="Kertas kerja disahkan.")

if jenis == "bulan":
    st.download_button("Unduh Excel", lambda: kinerja.ekspor.kertas_kerja_xlsx(actor, tahun, jenis, nomor),
                       file_name=f"kertas_kerja_{tahun}_{nomor:02d}.xlsx", icon=":material/download:",
                       key="kkk_xlsx")  # built when the button is pressed
vers = KK.versions(actor, tahun, jenis, nomor)
if len(vers) >= 2:
    st.subheader("Perbandingan versi yang disahkan")
    v = list(vers["versi"])
    va = st.selectbox("Versi A", v, index=len(v) - 2, key="kkk_va")
    vb = st.selectbox("Versi B", v, index=len(v) - 1, key="kkk_vb")
    st.dataframe(KK.diff(actor, tahun, jenis, nomor, int(va), int(vb)), hide_index=True, width="stretch", placeholder="")
