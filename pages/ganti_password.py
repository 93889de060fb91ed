"""Change one's own password (required at first login for accounts made by an admin or import)."""

import streamlit as st

from services.auth import login as auth_service
from services.core import settings
from ui import auth
from ui.actions import act
from ui.guard import page_actor

actor = page_actor(__file__)

st.title("Ganti Kata Sandi")
if auth_service.must_change_password(actor):
    st.warning("Akun Anda memakai kata sandi sementara. Ganti sekarang untuk melanjutkan.")
st.caption(
    f"Minimal {settings.get('password_min_panjang')} karakter, memuat huruf dan angka, dan tidak memuat NIP/nama "
    "pengguna. Setelah diganti, sesi di perangkat lain berakhir."
)
with st.form("ganti_password"):
    old = st.text_input("Kata sandi lama", type="password")
    new = st.text_input("Kata sandi baru", type="password")
    confirm = st.text_input("Ulangi kata sandi baru", type="password")
    submitted = st.form_submit_button("Simpan kata sandi", type="primary")
if submitted:
    act(lambda: auth_service.change_password(actor, old, new, confirm),
        then=lambda _: (auth.refresh_after_password_change(actor), st.session_state.update(_ek_password_changed=True)))
if st.session_state.get("_ek_password_changed"):
    st.success("Kata sandi berhasil diganti. Sesi lain atas akun Anda telah diakhiri.")
    # The menu of this run was built before the change; the click reruns the app with the full menu.
    if st.button("Lanjutkan ke Beranda", type="primary", icon=":material/home:"):
        st.session_state.pop("_ek_password_changed", None)
        st.switch_page("pages/beranda.py")
