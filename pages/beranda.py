"""Beranda: identity card, roles held, and "tugas saya"."""


import streamlit as st

from services import beranda, logbook, skp
from services.core import clock, fmt
from ui.actions import act
from ui.guard import page_actor
from ui.logbook import points_card
from ui.nav import BY_FILE, page_link
from ui.text import md
from ui.theme import role_labels

actor = page_actor(__file__)

st.title("Beranda")
card = beranda.identity(actor)

left, right = st.columns([3, 2])
with left, st.container(border=True):
    st.subheader(card.nama)
    if card.nip:
        st.markdown(
            f"**{md('NIP' if card.jenis_asn == 'PNS' else 'NIPPPK')}:** {md(card.nip)}  \n"
            f"**Jabatan:** {md(card.jabatan or '-')}" + (f" ({md(card.jenis_jabatan)})" if card.jenis_jabatan else "") + "  \n"
            f"**Pangkat/golongan:** {md(card.golongan)}  \n"
            f"**Unit kerja:** {md(card.unit or '-')}  \n"
            f"**Tim kerja:** {md(card.tim or '-')}"
        )
        st.markdown(
            f"**Pejabat penilai:** {md(card.pejabat_penilai or '-')}  \n"
            f"**Atasan pejabat penilai:** {md(card.atasan_penilai or '-')}  \n"
            f"**Pemberi pertimbangan:** {md(card.pemberi_pertimbangan or '-')}"
        )
    else:
        st.caption("Akun administrator (tanpa data pegawai).")
with right, st.container(border=True):
    st.markdown("**Peran Anda**")
    for label in role_labels(actor):
        st.markdown(f"- {label}")
    st.caption(f"Hari ini: {fmt.tanggal(clock.today(), 'full')}")

if actor.pegawai_id is not None:
    today = clock.today()
    points = act(lambda: logbook.monthly_points(actor, today.year, today.month), quiet=True)
    if points is not None:
        st.subheader(f"Logbook {fmt.bulan(today.month)} {today.year}")
        points_card(points)

for notice in skp.jadwal.active(actor):  # SKP schedule notice to all staff
    with st.container(border=True):
        st.markdown(f":material/campaign: **{md(notice.judul)}** · batas {fmt.tanggal(notice.batas_waktu)}")
        for para in notice.isi.split("\n"):
            if para.strip():
                st.markdown(md(para.strip()))
        st.caption("Surat pemberitahuan" + (f" nomor {md(notice.nomor_surat)}" if notice.nomor_surat else "")
                   + " dari Subbagian SDM.")

st.subheader("Tugas saya")
tasks = beranda.my_tasks(actor)
if not tasks:
    st.success("Tidak ada tugas yang menunggu. Terima kasih!")
for t in tasks:
    icon = {1: ":material/priority_high:", 2: ":material/assignment:", 3: ":material/info:"}[t.prioritas]
    with st.container(border=True):
        cols = st.columns([6, 2])
        with cols[0]:
            st.markdown(f"{icon} **{md(t.judul)}**  \n{md(t.detail)}")
            st.caption(t.kategori + (f" · tenggat {fmt.tanggal(t.tenggat)}" if t.tenggat else ""))
        page = BY_FILE.get(t.halaman or "")
        if page:
            with cols[1]:
                page_link(page, f"Buka {page.title}")
