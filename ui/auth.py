"""Login gate for Streamlit, on top of streamlit-authenticator.

streamlit-authenticator keeps the login state (`authentication_status`, `username`, `name`, `roles`) and
writes the signed re-authentication cookie; services.auth decides everything else (password check, lockout,
revocation, roles). Pages never read the session state directly: they call `current_actor()` or the guard.
"""

from __future__ import annotations

import contextlib
import datetime as dt

import streamlit as st
import streamlit_authenticator as stauth

from services.auth import login as auth_service
from services.core import Actor, LoginRefused, cookie_settings, resolve_cookie_key

ISSUED_KEY = "_ek_issued_at"


@st.cache_resource(show_spinner=False)
def _cookie_key() -> str:
    try:
        from_secrets = st.secrets.get("cookie_key")
    except Exception:  # no secrets.toml: fall back to the environment or the generated key file
        from_secrets = None
    return resolve_cookie_key(from_secrets)


def _authenticator(username: str | None = None) -> stauth.Authenticate:
    """A streamlit-authenticator instance backed by the users table (only the account in question).

    Created only when logging in, logging out or refreshing the cookie: at most once per script run,
    because it renders the cookie component.
    """
    cookie_name, expiry_days = cookie_settings()
    creds = auth_service.credentials_for(username) if username else {"usernames": {}}
    return stauth.Authenticate(
        creds, cookie_name=cookie_name, cookie_key=_cookie_key(),
        cookie_expiry_days=expiry_days, auto_hash=False,
    )


def _from_cookie() -> None:
    """Log in from a valid, unrevoked cookie (a page reload keeps the user logged in)."""
    cookie_name, expiry_days = cookie_settings()
    try:
        raw = st.context.cookies.get(cookie_name)
    except Exception:
        raw = None
    if not raw or st.session_state.get("logout"):
        return
    token = auth_service.verify_cookie_token(raw, _cookie_key())
    if not token:
        return
    issued = dt.datetime.fromtimestamp(token["exp_date"], dt.UTC) - dt.timedelta(days=expiry_days)
    if not auth_service.session_valid(token["username"], issued):
        return
    authenticator = _authenticator(token["username"])
    authenticator.authentication_controller.login(token={"username": token["username"]})
    st.session_state[ISSUED_KEY] = issued


def current_actor() -> Actor | None:
    """The logged-in actor for this run, or None. Ends sessions revoked on the server."""
    if not st.session_state.get("authentication_status"):
        _from_cookie()
    if not st.session_state.get("authentication_status") or not st.session_state.get("username"):
        return None
    username = st.session_state["username"]
    issued = st.session_state.get(ISSUED_KEY)
    if issued is None:  # state set by a test harness: treat as a fresh login
        issued = st.session_state[ISSUED_KEY] = auth_service.now_utc()
    if not auth_service.session_valid(username, issued):
        _clear_session()
        st.session_state["_ek_login_notice"] = "Sesi Anda telah berakhir. Silakan masuk kembali."
        return None
    return auth_service.load_actor(username)


def _clear_session() -> None:
    for key in ("authentication_status", "username", "name", "roles", "email", ISSUED_KEY):
        st.session_state[key] = None
    st.session_state["logout"] = True


def login_form() -> Actor | None:
    """Render the login prompt. Returns the actor when a login succeeds in this run."""
    box = st.empty()
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
                result = auth_service.authenticate(username, password)
            except LoginRefused as e:
                st.error(str(e))
                return None
    box.empty()
    authenticator = _authenticator(result.actor.username)
    authenticator.authentication_controller.login(token={"username": result.actor.username})
    st.session_state["logout"] = None
    st.session_state[ISSUED_KEY] = auth_service.now_utc()
    authenticator.cookie_controller.set_cookie()
    return result.actor


def logout(actor: Actor) -> None:
    auth_service.revoke_sessions(actor, reason="logout")
    authenticator = _authenticator(actor.username)
    authenticator.authentication_controller.logout()
    with contextlib.suppress(Exception):  # the cookie is revoked on the server anyway
        authenticator.cookie_controller.delete_cookie()
    _clear_session()
    st.session_state["_ek_login_notice"] = "Anda telah keluar."


def refresh_after_password_change(actor: Actor) -> None:
    """Password change revoked older cookies; give this browser a fresh one."""
    st.session_state[ISSUED_KEY] = auth_service.now_utc() + dt.timedelta(milliseconds=5)
    _authenticator(actor.username).cookie_controller.set_cookie()
