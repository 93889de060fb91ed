"""Beranda: identity card, roles held, and "tugas saya"."""


import streamlit as st

from services import beranda, logbook
from services.core import clock, fmt
from ui.actions import act
from ui.guard import page_actor
from ui.logbook import points_card
from ui.nav import BY_FILE, page_link
from ui.theme import role_labels

actor = page_actor(__file__)

st.title("Beranda")
card = beranda.identity(actor)

left, right = st.columns([3, 2])
with left, st.container(border=True):
    st.subheader(card.nama)
    if card.nip:
        st.markdown(
            f"**{'NIP' if card.jenis_asn == 'PNS' else 'NIPPPK'}:** {card.nip}  \n"
            f"**Jabatan:** {card.jabatan or '-'}" + (f" ({card.jenis_jabatan})" if card.jenis_jabatan else "") + "  \n"
            f"**Pangkat/golongan:** {card.golongan}  \n"
            f"**Unit kerja:** {card.unit or '-'}  \n"
            f"**Tim kerja:** {card.tim or '-'}"
        )
        st.markdown(
            f"**Pejabat penilai:** {card.pejabat_penilai or '-'}  \n"
            f"**Atasan pejabat penilai:** {card.atasan_penilai or '-'}  \n"
            f"**Pemberi pertimbangan:** {card.pemberi_pertimbangan or '-'}"
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

st.subheader("Tugas saya")
tasks = beranda.my_tasks(actor)
if not tasks:
    st.success("Tidak ada tugas yang menunggu. Terima kasih!")
for t in tasks:
    icon = {1: ":material/priority_high:", 2: ":material/assignment:", 3: ":material/info:"}[t.prioritas]
    with st.container(border=True):
        cols = st.columns([6, 2])
        with cols[0]:
            st.markdown(f"{icon} **{t.judul}**  \n{t.detail}")
            st.caption(t.kategori + (f" · tenggat {fmt.tanggal(t.tenggat)}" if t.tenggat else ""))
        page = BY_FILE.get(t.halaman or "")
        if page:
            with cols[1]:
                page_link(page, f"Buka {page.title}")
