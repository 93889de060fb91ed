"""Login gate for Streamlit, on top of streamlit-authenticator.

streamlit-authenticator keeps the login state (`authentication_status`, `username`, `name`, `roles`) and
writes the signed re-authentication cookie; services.auth decides everything else (password check, lockout,
revocation, sessions, roles). Pages never read the session state directly: they call `current_actor()` or the guard.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib
from pathlib import Path

import streamlit as st
import streamlit.components.v1 as components
import streamlit_authenticator as stauth
from streamlit.delta_generator import DeltaGenerator
from streamlit_authenticator.controllers import AuthenticationController

from services.auth import login as auth_service
from services.core import (
    Actor,
    InsecureCookieKey,
    LoginRefused,
    cookie_settings,
    resolve_cookie_key,
    trusted_proxy_header,
)
from ui.text import md

SESSION_KEY = "_ek_session_id"
PENDING_COOKIE = "_ek_pending_cookie"

# The cookie manager's own front end (the one streamlit-authenticator uses), declared here so that we see the
# browser's answer: it returns true once the cookie is written.
_cookie_component = components.declare_component(
    "ek_login_cookie", path=str(Path(importlib.import_module("extra_streamlit_components.CookieManager").__file__).parent
             / "frontend" / "build"))


@st.cache_resource(show_spinner=False)
def _cookie_key() -> str:
    try:
        from_secrets = st.secrets.get("cookie_key")
    except Exception:  # no secrets.toml: fall back to the environment or the generated key file
        from_secrets = None
    return resolve_cookie_key(from_secrets)


def client_source() -> str | None:
    """The client's address: from the configured trusted proxy header (its last entry, the one our proxy
    appended) when set, else the address of the connection."""
    header = trusted_proxy_header()
    try:
        if header:
            value = st.context.headers.get(header)
            if value:
                return value.split(",")[-1].strip() or None
        return st.context.ip_address
    except Exception:  # no request context (tests, scripts)
        return None


def require_safe_cookie_key() -> None:
    """Start-up check: a weak or default cookie key stops the app with a clear message."""
    try:
        _cookie_key()
    except InsecureCookieKey as e:
        st.error(f"Aplikasi tidak dapat dijalankan: {md(e)} Atur EKINERJA_COOKIE_KEY (atau cookie_key di "
                 "secrets.toml) lalu mulai ulang aplikasi.", icon=":material/key_off:")
        st.stop()


def _authenticator(username: str | None = None) -> stauth.Authenticate:
    """A streamlit-authenticator instance backed by the users table (only the account in question), for logging
    out (it deletes the library's cookie). Created at most once per script run: it renders the cookie component.
    """
    cookie_name, expiry_days = cookie_settings()
    creds = auth_service.credentials_for(username) if username else {"usernames": {}}
    return stauth.Authenticate(
        creds, cookie_name=cookie_name, cookie_key=_cookie_key(),
        cookie_expiry_days=expiry_days, auto_hash=False,
    )


def _sign_in(username: str) -> None:
    """streamlit-authenticator's login state for `username` (authentication_status, username, name, roles in
    st.session_state) through its authentication controller alone. The full Authenticate object also renders the
    library's cookie manager, whose answer from the browser starts a second script run: every page load from a
    cookie (a reload, a link opened in a new tab) ran the page twice. Our cookie is written by `_set_cookie`."""
    creds = auth_service.credentials_for(username)
    controller = AuthenticationController(creds, auto_hash=False, secret_key=_cookie_key())
    controller.login(token={"username": username})


def _set_cookie(username: str, session_id: str) -> None:
    """Our own token in streamlit-authenticator's cookie: {username, exp_date, sid}; the cookie never
    outlives the absolute session lifetime."""
    cookie_name, expiry_days = cookie_settings()
    _idle, absolute = auth_service.session_lifetimes()
    expires = auth_service.now_utc() + min(dt.timedelta(days=expiry_days), absolute)
    token = auth_service.cookie_token(username, session_id, _cookie_key(), expires)
    st.session_state[PENDING_COOKIE] = {
        "cookie": cookie_name, "value": token, "key": f"ek_cookie_{session_id[:12]}",
        "options": {"path": "/", "sameSite": "strict",
                    "expires": expires.astimezone().replace(tzinfo=None).isoformat()},
    }


WRITER_KEY = "ek_cookie_writer"
_WRITER_CSS = f"<style>.st-key-{WRITER_KEY} {{position: absolute; width: 0; height: 0; overflow: hidden;}}</style>"


def cookie_slot() -> DeltaGenerator:
    """The cookie writer's place: the first element of every run, holding only the style that takes it out of the
    page's flow unless a cookie is waiting. It is there in every run so that the page below it keeps its place in
    the element tree (when it came and went, everything under it was drawn anew, and tabs went back to their
    first tab), and its style is in the page before the writer is drawn (drawn together, the writer took a line
    of the page until the style was applied)."""
    slot = st.container(key=WRITER_KEY)
    with slot:
        st.html(_WRITER_CSS)
    return slot


def write_pending_cookie(slot: DeltaGenerator | None = None) -> None:
    """Render the cookie writer (into `slot`, from `cookie_slot`) until the browser confirms the cookie is written.

    The cookie is written by a component in an iframe. Rendered in one run only, it is gone again when the
    next run starts before the iframe has loaded (a user who clicks on right after logging in, a busy
    machine), and the next page reload then showed the login form. So app.py calls this once in every run
    (the login run included), under the same key, until it answers true; the run its answer starts no longer
    draws it."""
    pending = st.session_state.get(PENDING_COOKIE)
    if not pending:
        return
    if st.session_state.get(pending["key"]):  # the browser's answer: the cookie is written
        st.session_state.pop(PENDING_COOKIE, None)
        return
    with slot if slot is not None else cookie_slot():  # out of the page's flow: no gap above the page
        _cookie_component(method="set", cookie=pending["cookie"], value=pending["value"],
                          options=pending["options"], key=pending["key"], default=False)


def _from_cookie() -> None:
    """Log in from a valid cookie whose server-side session is still open (a page reload keeps the login)."""
    cookie_name, _expiry_days = cookie_settings()
    try:
        raw = st.context.cookies.get(cookie_name)
    except Exception:
        raw = None
    if not raw or st.session_state.get("logout"):
        return
    token = auth_service.verify_cookie_token(raw, _cookie_key())
    if not token or not auth_service.session_valid(token["sid"], token["username"]):
        return
    _sign_in(token["username"])
    st.session_state[SESSION_KEY] = token["sid"]


def current_actor() -> Actor | None:
    """The logged-in actor for this run, or None. Ends sessions revoked or expired on the server."""
    if not st.session_state.get("authentication_status"):
        _from_cookie()
    if not st.session_state.get("authentication_status") or not st.session_state.get("username"):
        return None
    username = st.session_state["username"]
    sid = st.session_state.get(SESSION_KEY)
    if sid is None:  # state set by a test harness (never by a browser): treat as a fresh login
        actor = auth_service.load_actor(username)
        if actor is None:
            return None
        sid = st.session_state[SESSION_KEY] = auth_service.start_session(actor, client_source())
    if not auth_service.session_valid(sid, username):
        _clear_session()
        st.session_state["_ek_login_notice"] = "Sesi Anda telah berakhir. Silakan masuk kembali."
        return None
    return auth_service.load_actor(username)


def _clear_session() -> None:
    for key in ("authentication_status", "username", "name", "roles", "email", SESSION_KEY):
        st.session_state[key] = None
    st.session_state.pop(PENDING_COOKIE, None)
    st.session_state["logout"] = True


def login_form(box: DeltaGenerator | None = None) -> Actor | None:
    """Render the login prompt (into `box`, an st.empty). Returns the actor when a login succeeds in this run; the
    login cookie is then pending (`write_pending_cookie`)."""
    box = box if box is not None else st.empty()
    with box.container():
        left, mid, right = st.columns([1, 2, 1])
        with mid:
            st.markdown("## e-Kinerja")
            st.caption("Manajemen kinerja pegawai ASN — SKP, logbook, evaluasi, dan monev.")
            notice = st.session_state.pop("_ek_login_notice", None)
            if notice:
                st.info(notice)
            with st.form("login", clear_on_submit=False):
                st.subheader("Masuk")
                username = st.text_input("NIP / nama pengguna", autocomplete="username")
                password = st.text_input("Kata sandi", type="password", autocomplete="current-password")
                submitted = st.form_submit_button("Masuk", type="primary", width="stretch")
            if not submitted:
                return None
            try:
                result = auth_service.authenticate(username, password, source=client_source())
            except LoginRefused as e:
                st.error(md(str(e)))
                return None
    box.empty()
    _sign_in(result.actor.username)
    st.session_state["logout"] = None
    st.session_state[SESSION_KEY] = result.session_id
    _set_cookie(result.actor.username, result.session_id)
    return result.actor


def logout(actor: Actor) -> None:
    auth_service.revoke_sessions(actor, reason="logout", session_id=st.session_state.get(SESSION_KEY))
    authenticator = _authenticator(actor.username)
    authenticator.authentication_controller.logout()
    with contextlib.suppress(Exception):  # the session is closed on the server anyway
        authenticator.cookie_controller.delete_cookie()
    _clear_session()
    st.session_state["_ek_login_notice"] = "Anda telah keluar."


def refresh_after_password_change(actor: Actor) -> None:
    """The password change closed every session; this browser gets a fresh one (and cookie)."""
    sid = auth_service.start_session(actor, client_source())
    st.session_state[SESSION_KEY] = sid
    _set_cookie(actor.username, sid)
