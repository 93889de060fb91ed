"""e-Kinerja entry point: page config, login, navigation built from the user's roles."""

from __future__ import annotations

import streamlit as st

from services.auth import login as auth_service
from ui import auth
from ui.nav import PAGES, ROOT, pages_for
from ui.runtime import freeze_startup_heap
from ui.theme import sidebar_identity

freeze_startup_heap()  # once per server process

st.set_page_config(page_title="e-Kinerja", page_icon=":material/insights:", layout="wide")

auth.require_safe_cookie_key()
# Every run starts with the same two places, whether they hold anything or not (empty ones take no room): when
# the cookie writer or the emptied login prompt came and went, the page under them was drawn anew (tabs went
# back to their first tab).
cookie_slot = auth.cookie_slot()
login_slot = st.empty()
actor = auth.current_actor()
if actor is None:
    actor = auth.login_form(login_slot)  # the login cookie is written below in this run
    if actor is None:
        st.stop()
auth.write_pending_cookie(cookie_slot)  # in every run until the browser confirms it (see ui/auth.py)

must_change = auth_service.must_change_password(actor)
visible = [p for p in pages_for(actor) if not must_change or p.file == "ganti_password.py"]
sections: dict[str, list] = {}
for p in visible:
    sections.setdefault(p.section, []).append(
        st.Page(str(ROOT / "pages" / p.file), title=p.title, icon=p.icon, default=p.file == visible[0].file)
    )
nav = st.navigation(sections)

with st.sidebar:
    sidebar_identity(actor)
    # client.showSidebarNavigation=false hides st.navigation's own menu (it must stay off so that deep links
    # on a fresh server cannot list pages): the menu is drawn here from the same role-filtered list.
    for section, items in sections.items():
        st.caption(section)
        for page in items:
            st.page_link(page)
    if st.button("Keluar", icon=":material/logout:", width="stretch", key="logout_btn"):
        auth.logout(actor)
        st.rerun()

assert PAGES  # registry is the single source of page titles and roles
nav.run()
