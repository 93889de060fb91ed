"""Pegawai yang Saya Nilai: the pegawai the user reviews, grouped by relation (penilai, atasan, pertimbangan)."""


import streamlit as st

from services.core import clock, fmt
from services.org import reporting
from ui.actions import or_stop
from ui.guard import page_actor
from ui.plt import acting_notice
from ui.text import md

actor = page_actor(__file__)

st.title("Pegawai yang Saya Nilai")
acting_notice(actor)
today = clock.today()
everyone = or_stop(lambda: reporting.my_reviewees(actor, today))

st.caption(
    f"Menurut hubungan penilaian yang berlaku hari ini, {fmt.tanggal(today)}, sebagaimana dicatat Admin SDM. "
    "Bila ada pegawai yang keliru atau belum tercantum, hubungi Admin SDM."
)

ROLE_NOTES = {
    "Pejabat Penilai": "Anda menilai kinerja pegawai ini.",
    "Atasan Pejabat Penilai": "Anda menyetujui penilaian yang dibuat pejabat penilai pegawai ini.",
    "Pemberi Pertimbangan": "Anda memberi pertimbangan (Ketua Tim Kerja) sebelum pejabat penilai menilai.",
}
relations = list(reporting.RELATIONS.values())
counts = everyone["relasi"].value_counts()
cols = st.columns(len(relations) + 1)
cols[0].metric("Jumlah pegawai", everyone["nip"].nunique(), border=True)
for col, rel in zip(cols[1:], relations, strict=True):
    col.metric(f"Sebagai {rel}", int(counts.get(rel, 0)), border=True, help=ROLE_NOTES[rel])

search = st.text_input("Cari nama atau NIP", key="bawahan_cari", placeholder="mis. Andi atau 1990…")
shown = reporting.my_reviewees(actor, today, search=search) if search.strip() else everyone
if shown.empty:
    st.info(f"Tidak ada pegawai yang cocok dengan \"{md(search.strip())}\".")

column_config = {
    "nip": st.column_config.TextColumn("NIP"),
    "nama": st.column_config.TextColumn("Nama", width="large"),
    "jabatan": st.column_config.TextColumn("Jabatan", width="large"),
    "golongan": st.column_config.TextColumn("Pangkat/Golongan"),
    "unit": st.column_config.TextColumn("Unit Kerja"),
    "tim": st.column_config.TextColumn("Tim Kerja"),
    "berlaku_mulai": st.column_config.DateColumn("Berlaku Sejak", format="DD/MM/YYYY"),
    "berlaku_sampai": st.column_config.DateColumn("Berlaku Sampai", format="DD/MM/YYYY"),
}
for rel in relations:
    group = shown[shown["relasi"] == rel].drop(columns="relasi")
    if group.empty:
        continue
    st.subheader(f"{rel} ({len(group)})")
    st.caption(ROLE_NOTES[rel])
    st.dataframe(group, hide_index=True, width="stretch", column_config=column_config, placeholder="")
