"""The first line of every page: no login → login prompt only; wrong role → refusal; else the actor."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from services.auth import login as auth_service
from services.core import Actor
from ui import auth
from ui.actions import flash, or_stop  # noqa: F401  (or_stop re-exported for pages)
from ui.nav import BY_FILE, allowed

PASSWORD_PAGE = "ganti_password.py"  # noqa: S105 (a page file name)


def page_actor(page_file: str) -> Actor:
    """Return the actor allowed on this page, or render the login prompt / a refusal and stop the script."""
    name = Path(page_file).name
    actor = auth.current_actor()
    if actor is None:
        actor = auth.login_form()
        if actor is None:
            st.stop()
        auth.write_pending_cookie()
    page = BY_FILE.get(name)
    if page is None or not allowed(page, actor):
        st.error("Anda tidak memiliki akses ke halaman ini.")
        st.stop()
    if name != PASSWORD_PAGE and auth_service.must_change_password(actor):
        st.warning("Anda wajib mengganti kata sandi sebelum memakai aplikasi. Buka menu **Ganti Kata Sandi**.")
        st.stop()
    flash()
    return actor
